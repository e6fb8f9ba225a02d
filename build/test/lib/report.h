/* SPDX-License-Identifier: MIT */
/* report.h: the numbers both teams read: SLA figures, the weekly digest, the
 * monthly SLA report. Computed from the events and leads tables. */
#ifndef SMK_REPORT_H
#define SMK_REPORT_H

#include <stdint.h>

#include "config.h"
#include "err.h"
#include "store.h"
#include "strbuf.h"

/* The weekly digest (product.md section 5) for the 7 days before now, with
 * the 7 days before that as comparison, appended to out. */
int report_digest(struct store *s, const struct config *cfg, int64_t now,
                  struct strbuf *out, struct err *err);

/* Last calendar month's SLA report for both sides (the month before the
 * one containing now), appended to out. */
int report_monthly(struct store *s, const struct config *cfg, int64_t now,
                   struct strbuf *out, struct err *err);

/* A few lines of SLA status for meeting agendas, appended to out. */
int report_sla_status(struct store *s, const struct config *cfg, int64_t now,
                      struct strbuf *out, struct err *err);

#endif

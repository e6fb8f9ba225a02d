/* SPDX-License-Identifier: MIT */
/* report.h: the numbers both teams read: SLA figures, the weekly digest, the
 * monthly SLA report. Computed from the events and leads tables. */
#ifndef SMK_REPORT_H
#define SMK_REPORT_H

#include <stddef.h>
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

/* The `sla` command's report: this month so far, and the leads over their
 * deadline now, appended to out. */
int report_sla(struct store *s, const struct config *cfg, int64_t now,
               struct strbuf *out, struct err *err);

/* Sales' answers (accept or reject) in [from, to). */
struct report_response {
    int n;                      /* answers */
    int within;                 /* of them, within the target in force */
    int64_t median, p90;        /* business seconds; -1 when n == 0 */
    int64_t overdue;            /* not answered, past a deadline in the window:
                                 * against the share (set by the caller) */
};

/* What "within the SLA" means, everywhere (sla, the digest, the monthly
 * report, alignment): the answers given in [from, now] within the target
 * in force, out of those answers plus the leads still unanswered whose
 * deadline fell in [from, now). Fills r, overdue included. */
int report_sla_share(struct store *s, const struct config *cfg, int64_t from,
                     int64_t now, struct report_response *r, struct err *err);

/* "2 of 4 within target (50%), counting 2 unanswered past their deadline"
 * for r, appended to out; "no handoffs answered or due" when r is empty. */
void report_format_share(const struct report_response *r, struct strbuf *out);

/* The window the alignment criterion judges the SLA over, in days; `sla`
 * shows it beside the month so the two read the same numbers. */
#define REPORT_SLA_WINDOW_DAYS 30

/* Fills r from the accepted and rejected events of [from, to). An event
 * without a `met` flag counts as within when its time is at most
 * target_secs. */
int report_responses(struct store *s, int64_t from, int64_t to,
                     int64_t target_secs, struct report_response *r,
                     struct err *err);

/* MQLs marketing delivered in the calendar month containing now. */
struct report_pace {
    int64_t actual;             /* leads created since the 1st */
    int64_t target;             /* the month's target in force */
    int64_t expected;           /* target pro rata of the month elapsed */
};

int report_mql_pace(struct store *s, const struct config *cfg, int64_t now,
                    struct report_pace *p, struct err *err);

/* The MQL target in force at time t: the last `sla set` before t, or the
 * value before the first one, or the current target when none was made. */
int64_t report_mql_target_at(struct store *s, const struct config *cfg,
                             int64_t t);

/* The p-th percentile (0..100) of n sorted values, interpolating linearly
 * between the closest ranks (so p = 50 is the usual median); -1 when
 * n == 0. */
int64_t report_percentile(const int64_t *sorted, size_t n, int p);

/* A value beside the one before, said plainly: " (before: 1, +3)",
 " (before: 4, -4)", " (before: 2, no change)", appended to out. With
 * money, the numbers are amounts in cents with that currency sign (""
 * for none); NULL for counts. */
void report_versus(struct strbuf *out, int64_t cur, int64_t prev,
                   const char *money);

/* Appends a bar of value / max over width cells drawn in eighth blocks
 * (█▉▊▋▌▍▎▏); a value above zero always shows at least "▏". */
void report_bar(struct strbuf *out, int64_t value, int64_t max, int width);

/* A bar chart: one line per label, "  label   ██▍ 3", labels padded with
 * spaces (counted in characters, not bytes) and cut at 16 characters. */
void report_chart(struct strbuf *out, const char *const *labels,
                  const int64_t *values, size_t n, int width);

/* [from, to) of the local calendar month containing t. */
void report_month_bounds(int64_t t, int64_t *from, int64_t *to);

#endif

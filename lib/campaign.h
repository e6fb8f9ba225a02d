/* SPDX-License-Identifier: MIT */
/* campaign.h: campaigns with a target in customers or revenue over a
 * period, optionally of one source, and that target worked back through
 * the funnel's own conversion rates (the period before's cohort) into the
 * SQLs sales and the MQLs marketing must bring. */
#ifndef SMK_CAMPAIGN_H
#define SMK_CAMPAIGN_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "store.h"
#include "strbuf.h"

#define CAMPAIGN_NAME_MAX 100

/* Inserts a campaign: target customers (revenue false) or cents of
 * revenue; source NULL = every source. Returns its id or -1. */
int64_t campaign_add(struct store *s, const char *name, bool revenue, int64_t target,
                     const char *period, const char *source, const char *actor,
                     int64_t now, struct err *err);

/* 1 when a live campaign is named name (any case), 0 not, -1 error. */
int campaign_exists(struct store *s, const char *name, struct err *err);

/* Two lines per live campaign whose period has not ended by now (all with
 * every): its progress, and what the target asks of each team. Returns the
 * count or -1. */
int campaign_list(struct store *s, int64_t now, bool every, const char *currency,
                  struct strbuf *out, struct err *err);

#endif

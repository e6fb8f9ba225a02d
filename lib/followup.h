/* SPDX-License-Identifier: MIT */
/* followup.h: marketing's rating of how sales followed up a lead it handed
 * off: the other direction of the feedback loop, beside the SLA record of
 * each rep. */
#ifndef SMK_FOLLOWUP_H
#define SMK_FOLLOWUP_H

#include <stdint.h>

#include "config.h"
#include "err.h"
#include "store.h"
#include "strbuf.h"

/* Records rater's rating (1..5) of rep's follow-up on lead; history is
 * kept, reports read the newest row per (lead, rater). */
int followup_add(struct store *s, int64_t lead, const char *rater,
                 const char *rep, int rating, const char *comment, int64_t at,
                 struct err *err);

/* rater's newest rating of lead: 1..5, 0 when none, -1 on error. */
int followup_latest(struct store *s, int64_t lead, const char *rater,
                    struct err *err);

/* Follow-up ratings given in [from, to) (the newest per lead and rater). */
int followup_count(struct store *s, int64_t from, int64_t to, int64_t *n,
                   struct err *err);

/* The digest's "follow-up quality by rep" lines: for each rep of [roles]
 * sales, marketing's average rating in [from, to) and the rep's SLA record
 * (answers within target, leads waiting past their deadline), appended to
 * out. Returns the number of reps, or -1. */
int followup_by_rep(struct store *s, const struct config *cfg, int64_t from,
                    int64_t to, struct strbuf *out, struct err *err);

#endif

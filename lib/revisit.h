/* SPDX-License-Identifier: MIT */
/* revisit.h: recycled (or lost) leads marketing should look at again from
 * a date: `reject L-3 timing until=2027-02-01`. On that day the scheduler
 * reminds the marketing channel; the digest lists the ones due.
 *
 * One row per lead (the latest until= wins). A row stands while the lead
 * is still where that reject or lost left it: a new handoff, a reopen or a
 * later close without until= leave it behind. */
#ifndef SMK_REVISIT_H
#define SMK_REVISIT_H

#include <stdint.h>

#include "config.h"
#include "err.h"
#include "store.h"
#include "strbuf.h"

/* Furthest a revisit may be set ahead, in days. */
#define REVISIT_MAX_DAYS (5 * 366)

struct revisit {
    int64_t lead;
    char day[11];               /* YYYY-MM-DD, local */
    char kind[10];              /* "rejected" or "lost" */
    int64_t set_at;
};

/* Reads word as the date of until= (a real date after today's, within
 * REVISIT_MAX_DAYS of now) into day. Returns 0, or -1 with why (for the
 * person) filled. */
int revisit_parse(const char *word, int64_t now, char day[11], char *why,
                  size_t len);

/* Records that lead, rejected or lost (kind) at set_at by actor, is to be
 * looked at again from day. */
int revisit_set(struct store *s, int64_t lead, const char *day,
                const char *kind, const char *actor, int64_t set_at,
                struct err *err);

/* When the reminder of day is due: the opening of business hours of the
 * first working day at or after it. */
int64_t revisit_due_at(const struct config *cfg, const char *day);

/* The standing revisits, oldest date first: an owned array in *out. */
int revisit_load(struct store *s, struct revisit **out, int *n,
                 struct err *err);

/* 1 when lead's revisit of day still stands, 0 when not, -1 on error. */
int revisit_stands(struct store *s, int64_t lead, const char *day,
                   struct err *err);

/* One line per standing revisit due by now ("L-3 Cid, rejected (timing)
 * by @bob, to look at again from 2027-02-01"), appended to out. Returns
 * how many, or -1. */
int revisit_due_list(struct store *s, const struct config *cfg, int64_t now,
                     struct strbuf *out, struct err *err);

#endif

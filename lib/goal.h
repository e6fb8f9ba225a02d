/* SPDX-License-Identifier: MIT */
/* goal.h: shared goals of both teams, their periods and their progress. */
#ifndef SMK_GOAL_H
#define SMK_GOAL_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "store.h"
#include "strbuf.h"

struct goal {
    int64_t id;
    char *title, *metric, *period;      /* owned */
    char *team;         /* owned; "marketing", "sales" or NULL for both */
    int64_t target;     /* count, percent for conversion, or whole currency
                         * units for revenue; unused when growth is set */
    double growth;      /* > 0: the target is the period before's value
                         * grown by this percent */
    int64_t from, to;   /* the period, [from, to) in local time */
};

void goal_release(struct goal *g);

/* Is m one of "mqls sqls won revenue handoffs conversion"? */
bool goal_metric_valid(const char *m);

/* Inserts a goal; period must parse. growth > 0 makes the target
 * relative (target then 0); team NULL = both. Returns the new id or -1. */
int64_t goal_insert(struct store *s, const char *title, const char *metric,
                    int64_t target, double growth, const char *team,
                    const char *period, const char *actor, int64_t now,
                    struct err *err);

/* The target of g in the unit of goal_progress (cents for revenue): the
 * fixed one, or the period before's value grown by g->growth percent
 * (rounded up, and at least one more than it was). Fills *prev with the
 * period before's value when relative. Returns 0 or -1. */
int goal_target(struct store *s, const struct goal *g, int64_t *target,
                int64_t *prev, struct err *err);

/* Records and describes each current goal reached by now and not
 * celebrated yet (a goal_reached event marks it, so it is celebrated
 * once): one line per goal appended to out. Returns how many, or -1. */
int goal_celebrate(struct store *s, int64_t now, const char *currency,
                   struct strbuf *out, struct err *err);

/* Loads the live (not removed) goal id into g. 1 found, 0 not, -1 error. */
int goal_find(struct store *s, int64_t id, struct goal *g, struct err *err);

/* Marks goal id removed at now (goals are kept for the history). */
int goal_remove(struct store *s, int64_t id, int64_t now, struct err *err);

/* The metric's value in [from, to), from the events: mqls = leads
 * created, sqls = leads accepted, won = leads won, revenue = the sum of
 * won amounts in cents, handoffs = leads handed off, conversion = the
 * percent of the leads created then that became SQLs (the funnel's
 * MQL -> SQL). */
int goal_progress(struct store *s, const char *metric, int64_t from,
                  int64_t to, int64_t *value, struct err *err);

/* Appends one line per live goal with its progress and the pace needed
 * ("per week", or "per day" in the last two weeks), oldest first. With
 * current_only (the digest), only the goals whose period contains now,
 * each flagged when it has been behind its pace for two weeks. Revenue reads
 * with currency ([bot] currency; NULL or "" for none). Returns the number
 * of goals shown, or -1. */
int goal_list(struct store *s, int64_t now, bool current_only, const char *currency,
              struct strbuf *out, struct err *err);

#endif

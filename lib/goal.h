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
    int64_t target;     /* count, or whole currency units for revenue */
    int64_t from, to;   /* the period, [from, to) in local time */
};

void goal_release(struct goal *g);

/* Is m one of "mqls sqls won revenue"? */
bool goal_metric_valid(const char *m);

/* Parses a period: "2026" (a year), "2026-Q1" (a quarter, q or Q) or
 * "2026-11" (a month) into [from, to), local midnights. Returns 0 or -1. */
int goal_period_parse(const char *s, int64_t *from, int64_t *to);

/* Inserts a goal; period must parse. Returns the new id or -1. */
int64_t goal_insert(struct store *s, const char *title, const char *metric,
                    int64_t target, const char *period, const char *actor,
                    int64_t now, struct err *err);

/* Loads the live (not removed) goal id into g. 1 found, 0 not, -1 error. */
int goal_find(struct store *s, int64_t id, struct goal *g, struct err *err);

/* Marks goal id removed at now (goals are kept for the history). */
int goal_remove(struct store *s, int64_t id, int64_t now, struct err *err);

/* The metric's value in [from, to), from the events: mqls = leads
 * created, sqls = leads accepted, won = leads won, revenue = the sum of
 * won amounts in cents. */
int goal_progress(struct store *s, const char *metric, int64_t from,
                  int64_t to, int64_t *value, struct err *err);

/* Appends one line per live goal with its progress and the pace needed
 * ("per week", or "per day" in the last two weeks), oldest first. With
 * current_only, only the goals whose period contains now. Revenue reads
 * with currency ([bot] currency; NULL or "" for none). Returns the number
 * of goals shown, or -1. */
int goal_list(struct store *s, int64_t now, bool current_only, const char *currency,
              struct strbuf *out, struct err *err);

#endif

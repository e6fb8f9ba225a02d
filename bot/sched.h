/* SPDX-License-Identifier: MIT */
/* sched.h: the bot's own clock: SLA reminders, meeting reminders, digest and
 * reports, each fired exactly once. */
#ifndef SMK_SCHED_H
#define SMK_SCHED_H

#include <stdint.h>

#include "err.h"

struct bot;
struct sched;

struct sched *sched_new(struct bot *bot, struct err *err);
void sched_free(struct sched *s);

/* Tells the scheduler that the data changed (a handoff, a meeting, an
 * SLA target ...): the jobs are planned again before the next question. */
void sched_changed(struct sched *s);

/* When the next job falls due (Unix seconds), or 0 when nothing is
 * planned. Adapters arm one timer for it. */
int64_t sched_next_due(struct sched *s);

/* Runs every job due at or before now, oldest first; each firing and the
 * posts it makes are one transaction. Returns how many fired, or -1. */
int sched_run_due(struct sched *s, int64_t now);

#endif

/* SPDX-License-Identifier: MIT */
/* sched_post.h: the scheduler's jobs and the posts each kind makes when it
 * fires (bot/sched.c plans the jobs and decides when they fire). */
#ifndef SMK_SCHED_POST_H
#define SMK_SCHED_POST_H

#include <stdint.h>

#include "err.h"

struct bot;

/* A job other than an SLA point more than this late is dropped, not
 * posted (product.md 4); an SLA point this late is marked late. */
#define SCHED_MAX_LATE 86400

/* Kinds in the order jobs due at the same second fire. */
enum job_kind {
    JOB_SLA50, JOB_SLA100, JOB_SLA200, JOB_MEETING, JOB_NUDGE, JOB_DIGEST,
    JOB_MONTHLY, JOB_REVISIT, JOB_PERSONA_REVIEW,
};
#define JOB_KINDS (JOB_PERSONA_REVIEW + 1)

struct job {
    enum job_kind kind;
    int64_t due;
    int64_t id;                 /* lead or meeting id; 0 otherwise */
    int64_t at;                 /* handed_off_at, or the meeting's start */
    int64_t retry_at;           /* not before, after a failure */
    char key[80];
};

/* Queues the posts of j, due at j->due and firing at now, inside the
 * caller's transaction. 0 posted, 1 nothing to post any more (the lead
 * moved on, the meeting or the review is gone), -1 error. */
int sched_post(struct bot *bot, const struct job *j, int64_t now, struct err *err);

#endif

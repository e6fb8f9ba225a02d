/* SPDX-License-Identifier: MIT */
/* sched.c: placeholder until the scheduler lands (issue 4). */
#include "sched.h"

#include <stdlib.h>

struct sched {
    struct bot *bot;
};

struct sched *
sched_new(struct bot *bot, struct err *err)
{
    struct sched *s = calloc(1, sizeof(*s));

    (void)err;
    if (s)
        s->bot = bot;
    return s;
}

void
sched_free(struct sched *s)
{
    free(s);
}

int64_t
sched_next_due(struct sched *s)
{
    (void)s;
    return 0;
}

int
sched_run_due(struct sched *s, int64_t now)
{
    (void)s;
    (void)now;
    return 0;
}

/* SPDX-License-Identifier: MIT */
/* backoff.c: exponential backoff with equal jitter. */
#include "backoff.h"

int64_t
backoff_ms(const struct backoff *b, int attempt, double rnd)
{
    int64_t d = b->base_ms;

    for (int i = 0; i < attempt && d < b->cap_ms; i++)
        d *= 2;
    if (d > b->cap_ms)
        d = b->cap_ms;
    if (rnd < 0)
        rnd = 0;
    if (rnd >= 1)
        rnd = 0.999999;
    return d / 2 + (int64_t)((double)(d - d / 2) * rnd);
}

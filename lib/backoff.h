/* SPDX-License-Identifier: MIT */
/* backoff.h: how long to wait before trying again, as data. */
#ifndef SMK_BACKOFF_H
#define SMK_BACKOFF_H

#include <stdint.h>

struct backoff {
    int64_t base_ms;            /* the first wait */
    int64_t cap_ms;             /* no wait is longer */
};

/* The delay before retry number attempt (0-based), in ms: base * 2^attempt
 * capped at cap, then "equal jitter" (half fixed, half random from rnd in
 * [0, 1)), so that many clients do not come back in step. */
int64_t backoff_ms(const struct backoff *b, int attempt, double rnd);

#endif

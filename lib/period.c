/* SPDX-License-Identifier: MIT */
/* period.c: the periods goals, campaigns and funnels are counted over,
 * as people write them: "2026" (a year), "2026-Q1" (a quarter) or
 * "2026-11" (a month), in the bot's local time. */
#include "period.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"

/* Exactly n digits at s, as a number; -1 otherwise. */
static int
digits(const char *s, int n)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int
period_parse(const char *s, int64_t *from, int64_t *to)
{
    size_t len = strlen(s);
    int y = digits(s, 4), m1, m2;

    if (y < 1970 || y > 9998)
        return -1;
    if (len == 4) {
        m1 = 1;
        m2 = 13;
    } else if (len == 7 && s[4] == '-' && (s[5] == 'Q' || s[5] == 'q') &&
               s[6] >= '1' && s[6] <= '4') {
        m1 = (s[6] - '1') * 3 + 1;
        m2 = m1 + 3;
    } else if (len == 7 && s[4] == '-' && (m1 = digits(s + 5, 2)) >= 1 &&
               m1 <= 12) {
        m2 = m1 + 1;
    } else {
        return -1;
    }
    *from = clock_from_local(y, m1, 1, 0, 0);
    *to = m2 == 13 ? clock_from_local(y + 1, 1, 1, 0, 0)
                   : clock_from_local(y, m2, 1, 0, 0);
    return 0;
}

int
period_prev(const char *s, char *buf, size_t len)
{
    int64_t from, to;
    int y, n;

    if (period_parse(s, &from, &to) < 0)
        return -1;
    y = atoi(s);
    if (strlen(s) == 4) {
        snprintf(buf, len, "%d", y - 1);
    } else if (s[5] == 'Q' || s[5] == 'q') {
        n = s[6] - '0';
        snprintf(buf, len, "%d-Q%d", n == 1 ? y - 1 : y, n == 1 ? 4 : n - 1);
    } else {
        n = atoi(s + 5);
        snprintf(buf, len, "%d-%02d", n == 1 ? y - 1 : y, n == 1 ? 12 : n - 1);
    }
    return period_parse(buf, &from, &to);
}

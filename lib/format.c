/* SPDX-License-Identifier: MIT */
/* format.c: amounts and business durations. */
#include "format.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void
format_money(int64_t cents, char *buf, size_t len)
{
    unsigned long long u = cents < 0 ? 0ULL - (unsigned long long)cents
                                     : (unsigned long long)cents;
    char digits[32], grouped[48];
    size_t nd, j = 0;

    nd = (size_t)snprintf(digits, sizeof(digits), "%llu", u / 100);
    for (size_t i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0)
            grouped[j++] = ',';
        grouped[j++] = digits[i];
    }
    grouped[j] = '\0';
    if (u % 100)
        snprintf(buf, len, "%s%s.%02llu", cents < 0 ? "-" : "", grouped, u % 100);
    else
        snprintf(buf, len, "%s%s", cents < 0 ? "-" : "", grouped);
}

void
format_money_cur(int64_t cents, const char *currency, char *buf, size_t len)
{
    char plain[48];
    size_t cl = currency ? strlen(currency) : 0;

    format_money(cents, plain, sizeof(plain));
    if (cl == 0)
        snprintf(buf, len, "%s", plain);
    else
        /* a code reads apart from the digits, a symbol against them */
        snprintf(buf, len, "%s%s%s", currency,
                 isalpha((unsigned char)currency[cl - 1]) ? " " : "", plain);
}

void
format_bizdur(const struct bizhours *bh, int64_t secs, char *buf, size_t len)
{
    int64_t min = (secs + 30) / 60, day = bh ? bizhours_day_secs(bh) / 60 : 0;
    int64_t d = day > 0 ? min / day : 0, h, m;
    size_t n = 0;

    if (min <= 0) {
        snprintf(buf, len, "<1m");
        return;
    }
    min -= d * day;
    h = min / 60;
    m = min % 60;
    buf[0] = '\0';
    if (d)
        n += (size_t)snprintf(buf + n, len - n, "%lldd", (long long)d);
    if (h && n < len)
        n += (size_t)snprintf(buf + n, len - n, "%s%lldh", n ? " " : "", (long long)h);
    if (m && n < len)
        snprintf(buf + n, len - n, "%s%lldm", n ? " " : "", (long long)m);
}

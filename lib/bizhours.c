/* SPDX-License-Identifier: MIT */
/* bizhours.c: business-hour calendars. */
#include "bizhours.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "i18n.h"

static const char *const wday_names[] = {
    "sun", "mon", "tue", "wed", "thu", "fri", "sat"
};
static const char *const wday_long[] = {
    "sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday"
};

int
bizhours_parse_wday(const char *name)
{
    for (int i = 0; i < 7; i++)
        if (strcasecmp(name, wday_names[i]) == 0 ||
            strcasecmp(name, wday_long[i]) == 0)
            return i;
    return -1;
}

static int
parse_days(const char *s, size_t len, unsigned *days)
{
    char buf[64], *tok, *save = NULL;

    if (len == 0 || len >= sizeof(buf))
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    *days = 0;
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *dash = strchr(tok, '-');
        int a, b;

        if (dash) {
            *dash = '\0';
            a = bizhours_parse_wday(tok);
            b = bizhours_parse_wday(dash + 1);
            if (a < 0 || b < 0)
                return -1;
            for (int d = a;; d = (d + 1) % 7) {
                *days |= 1u << d;
                if (d == b)
                    break;
            }
        } else {
            if ((a = bizhours_parse_wday(tok)) < 0)
                return -1;
            *days |= 1u << a;
        }
    }
    return *days ? 0 : -1;
}

int
bizhours_parse(struct bizhours *bh, const char *spec, struct err *err)
{
    const char *sp = strchr(spec, ' ');
    char from[8], to[8];
    const char *range, *dash;
    int h1, m1, h2, m2;

    if (sp == NULL)
        goto bad;
    range = sp + strspn(sp, " ");
    dash = strchr(range, '-');
    if (dash == NULL || dash - range >= (long)sizeof(from) ||
        strlen(dash + 1) >= sizeof(to))
        goto bad;
    memcpy(from, range, (size_t)(dash - range));
    from[dash - range] = '\0';
    strcpy(to, dash + 1);
    if (parse_days(spec, (size_t)(sp - spec), &bh->days) < 0 ||
        clock_parse_hhmm(from, &h1, &m1) < 0 ||
        (strcmp(to, "24:00") == 0 ? (h2 = 24, m2 = 0, 0)
                                  : clock_parse_hhmm(to, &h2, &m2)) < 0 ||
        h1 * 60 + m1 >= h2 * 60 + m2)
        goto bad;
    bh->start_min = h1 * 60 + m1;
    bh->end_min = h2 * 60 + m2;
    return 0;
bad:
    err_set(err, _("bad business hours '%s' (expected e.g. mon-fri 09:00-18:00)"),
            spec);
    return -1;
}

static int
cmp_day(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

int
bizhours_parse_holidays(struct bizhours *bh, const char *list, struct err *err)
{
    const char *p = list;

    bh->nholidays = 0;
    while (*p) {
        char date[16];
        size_t n;
        int y, m, d;

        p += strspn(p, ", \t");
        n = strcspn(p, ", \t");
        if (n == 0)
            break;
        if (n >= sizeof(date)) {
            err_set(err, _("bad holiday '%.*s' (expected 2026-12-25)"), (int)n, p);
            return -1;
        }
        memcpy(date, p, n);
        date[n] = '\0';
        if (clock_parse_date(date, &y, &m, &d) < 0) {
            err_set(err, _("bad holiday '%s' (expected 2026-12-25)"), date);
            return -1;
        }
        if (bh->nholidays >= BIZHOURS_MAX_HOLIDAYS) {
            err_set(err, _("too many holidays (at most %d)"), BIZHOURS_MAX_HOLIDAYS);
            return -1;
        }
        /* noon avoids DST edges when turning the date into a day number */
        bh->holidays[bh->nholidays++] =
            clock_local_day(clock_from_local(y, m, d, 12, 0));
        p += n;
    }
    qsort(bh->holidays, (size_t)bh->nholidays, sizeof(int64_t), cmp_day);
    return 0;
}

bool
bizhours_is_workday(const struct bizhours *bh, int64_t t)
{
    struct tm tm;
    int64_t day;

    clock_local(t, &tm);
    if (!(bh->days & (1u << tm.tm_wday)))
        return false;
    day = clock_local_day(t);
    return bsearch(&day, bh->holidays, (size_t)bh->nholidays, sizeof(int64_t),
                   cmp_day) == NULL;
}

/* Longest walk through the calendar: ten years of days. */
#define BIZHOURS_MAX_DAYS 3660

/* The business window [*from, *to) of the local day that contains t, or
 * false when that day is not a working day. */
static bool
day_window(const struct bizhours *bh, int64_t t, int64_t *from, int64_t *to)
{
    struct tm tm;

    if (!bizhours_is_workday(bh, t))
        return false;
    clock_local(t, &tm);
    *from = clock_from_local(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                             bh->start_min / 60, bh->start_min % 60);
    *to = clock_from_local(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                           bh->end_min / 60, bh->end_min % 60);
    return true;
}

/* Local midnight that starts the day after the one containing t. */
static int64_t
next_midnight(int64_t t)
{
    struct tm tm;

    clock_local(t, &tm);
    return clock_from_local(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday + 1,
                            0, 0);
}

int64_t
bizhours_add(const struct bizhours *bh, int64_t start, int64_t secs)
{
    int64_t t = start, from, to;

    if (secs <= 0)
        return start;
    for (int day = 0; day < BIZHOURS_MAX_DAYS; day++) {
        if (day_window(bh, t, &from, &to)) {
            if (t < from)
                t = from;
            if (t < to) {
                if (secs <= to - t)
                    return t + secs;
                secs -= to - t;
            }
        }
        t = next_midnight(t);
    }
    return t + secs;   /* a calendar with no working days: plain time */
}

int64_t
bizhours_between(const struct bizhours *bh, int64_t a, int64_t b)
{
    int64_t total = 0, t = a, from, to;

    for (int day = 0; t < b && day < BIZHOURS_MAX_DAYS; day++) {
        if (day_window(bh, t, &from, &to)) {
            int64_t lo = t > from ? t : from, hi = b < to ? b : to;

            if (hi > lo)
                total += hi - lo;
        }
        t = next_midnight(t);
    }
    return total;
}

int64_t
bizhours_day_secs(const struct bizhours *bh)
{
    return (int64_t)(bh->end_min - bh->start_min) * 60;
}

int
bizhours_parse_duration(const struct bizhours *bh, const char *s, int64_t *secs)
{
    int days = 0;

    for (int d = 0; d < 7; d++)
        days += (bh->days >> d) & 1;
    return clock_parse_duration_with(s, bizhours_day_secs(bh),
                                     days * bizhours_day_secs(bh), secs);
}

/* SPDX-License-Identifier: MIT */
/* clock.c: the injectable clock and local-time arithmetic. */
#include "clock.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int64_t
clock_real(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

int64_t
clock_mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
clock_mono_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t
clock_now(const struct clock *c)
{
    return (c->fixed ? c->base : clock_real()) + c->offset;
}

void
clock_set(struct clock *c, int64_t t)
{
    c->fixed = true;
    c->base = t;
    c->offset = 0;
}

void
clock_advance(struct clock *c, int64_t secs)
{
    if (secs > 0)
        c->offset += secs;
}

int
clock_set_timezone(const char *name, struct err *err)
{
    const char *dir = getenv("TZDIR");
    char path[512];
    struct stat st;

    /* glibc silently falls back to UTC for a zone it cannot find, which
     * would shift every SLA clock; refuse unknown names instead. */
    if (name[0] == '\0' || strstr(name, "..") != NULL || name[0] == '/') {
        err_set(err, "unknown time zone '%s'", name);
        return -1;
    }
    snprintf(path, sizeof(path), "%s/%s", dir ? dir : "/usr/share/zoneinfo",
             name);
    if (strcmp(name, "UTC") != 0 &&
        (stat(path, &st) != 0 || !S_ISREG(st.st_mode))) {
        err_set(err, "unknown time zone '%s'", name);
        return -1;
    }
    setenv("TZ", name, 1);
    tzset();
    return 0;
}

void
clock_local(int64_t t, struct tm *tm)
{
    time_t tt = (time_t)t;

    localtime_r(&tt, tm);
}

int64_t
clock_from_local(int year, int mon, int mday, int hour, int min)
{
    struct tm tm;

    memset(&tm, 0, sizeof(tm));
    tm.tm_year = year - 1900;
    tm.tm_mon = mon - 1;
    tm.tm_mday = mday;
    tm.tm_hour = hour;
    tm.tm_min = min;
    tm.tm_isdst = -1;
    return (int64_t)mktime(&tm);
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int64_t
clock_local_day(int64_t t)
{
    struct tm tm;

    clock_local(t, &tm);
    return days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static bool
valid_date(int y, int m, int d)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int max;

    if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1)
        return false;
    max = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        max = 29;
    return d <= max;
}

int
clock_parse_date(const char *s, int *year, int *mon, int *mday)
{
    int y, m, d, n = 0;

    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
        n != 10 || !valid_date(y, m, d))
        return -1;
    *year = y;
    *mon = m;
    *mday = d;
    return 0;
}

int
clock_parse_hhmm(const char *s, int *hour, int *min)
{
    int h, m, n = 0;

    if (!isdigit((unsigned char)s[0]) ||
        sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || s[n] != '\0' ||
        h < 0 || h > 23 || m < 0 || m > 59 || s[n - 3] != ':')
        return -1;
    *hour = h;
    *min = m;
    return 0;
}

int
clock_parse_iso(const char *s, int64_t *out, struct err *err)
{
    int y, mo, d, h, mi, sec = 0, n = 0, oh, om;
    const char *rest;
    char sep;

    if (sscanf(s, "%4d-%2d-%2d%c%2d:%2d%n", &y, &mo, &d, &sep, &h, &mi, &n) != 6 ||
        (sep != 'T' && sep != ' ') || !valid_date(y, mo, d) ||
        h < 0 || h > 23 || mi < 0 || mi > 59)
        goto bad;
    rest = s + n;
    if (rest[0] == ':') {
        if (!isdigit((unsigned char)rest[1]) || !isdigit((unsigned char)rest[2]))
            goto bad;
        sec = (rest[1] - '0') * 10 + (rest[2] - '0');
        if (sec > 59)
            goto bad;
        rest += 3;
    }
    if (rest[0] == '\0') {
        *out = clock_from_local(y, mo, d, h, mi) + sec;
        return 0;
    }
    if (strcmp(rest, "Z") == 0) {
        oh = om = 0;
    } else if ((rest[0] == '+' || rest[0] == '-') && strlen(rest) == 6 &&
               sscanf(rest + 1, "%2d:%2d", &oh, &om) == 2 && oh <= 14 &&
               om < 60) {
        if (rest[0] == '-') {
            oh = -oh;
            om = -om;
        }
    } else {
        goto bad;
    }
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
           (oh * 3600 + om * 60);
    return 0;
bad:
    err_set(err, "bad time '%s' (expected 2026-11-23T09:00, optionally with Z or +01:00)", s);
    return -1;
}

void
clock_format_iso(int64_t t, char *buf, size_t len)
{
    struct tm tm;
    char off[8];
    size_t n;

    clock_local(t, &tm);
    n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
    strftime(off, sizeof(off), "%z", &tm);     /* +0100 -> +01:00 */
    if (n + 7 <= len)
        snprintf(buf + n, len - n, "%.3s:%.2s", off, off + 3);
}

void
clock_format_human(int64_t t, char *buf, size_t len)
{
    struct tm tm;

    clock_local(t, &tm);
    strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

void
clock_format_date(int64_t t, char *buf, size_t len)
{
    struct tm tm;

    clock_local(t, &tm);
    strftime(buf, len, "%Y-%m-%d", &tm);
}

int
clock_parse_duration(const char *s, int64_t *secs)
{
    return clock_parse_duration_with(s, 86400, 7 * 86400, secs);
}

int
clock_parse_duration_with(const char *s, int64_t day, int64_t week,
                          int64_t *secs)
{
    int64_t total = 0;
    const char *p = s;

    if (*p == '\0')
        return -1;
    while (*p) {
        int64_t v = 0, unit;

        if (!isdigit((unsigned char)*p))
            return -1;
        while (isdigit((unsigned char)*p)) {
            v = v * 10 + (*p++ - '0');
            if (v > 100000000)
                return -1;
        }
        switch (*p++) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = day; break;
        case 'w': unit = week; break;
        default: return -1;
        }
        total += v * unit;
        if (total > (int64_t)3650 * 86400)
            return -1;
    }
    if (total <= 0)
        return -1;
    *secs = total;
    return 0;
}

void
clock_format_duration(int64_t secs, char *buf, size_t len)
{
    int64_t d = secs / 86400, h = secs % 86400 / 3600, m = secs % 3600 / 60;
    size_t n = 0;

    buf[0] = '\0';
    if (secs < 60) {
        snprintf(buf, len, "%llds", (long long)(secs < 0 ? 0 : secs));
        return;
    }
    if (d && n < len)
        n += (size_t)snprintf(buf + n, len - n, "%lldd", (long long)d);
    if (h && n < len)
        n += (size_t)snprintf(buf + n, len - n, "%s%lldh", n ? " " : "", (long long)h);
    if (m && n < len)
        snprintf(buf + n, len - n, "%s%lldm", n ? " " : "", (long long)m);
}

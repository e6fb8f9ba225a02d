/* SPDX-License-Identifier: MIT */
/* clock.h: the one clock the whole program reads, and local-time helpers.
 *
 * Nothing else calls time(): tests and the console move this clock with
 * --now and !advance, and every job and timestamp follows. Times are Unix
 * seconds (int64_t); local time is the process time zone (TZ), which
 * clock_set_timezone() sets from [bot] timezone. */
#ifndef SMK_CLOCK_H
#define SMK_CLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "err.h"

struct clock {
    bool fixed;         /* true after --now: time moves only by advancing */
    int64_t base;       /* the fixed time */
    int64_t offset;     /* added by clock_advance() */
};

/* Real time, for log stamps and network timeouts only. */
int64_t clock_real(void);
/* Milliseconds of a monotonic clock, for timeouts and latencies. */
int64_t clock_mono_ms(void);
/* Microseconds of the same clock, for benchmarks. */
int64_t clock_mono_us(void);

/* The bot's time now. */
int64_t clock_now(const struct clock *c);
/* Freezes the clock at t (--now). */
void clock_set(struct clock *c, int64_t t);
/* Moves the clock forward by secs (>= 0). */
void clock_advance(struct clock *c, int64_t secs);

/* Makes name (IANA, e.g. "Europe/Warsaw") the local zone; -1 if unknown. */
int clock_set_timezone(const char *name, struct err *err);

/* Local broken-down time of t. */
void clock_local(int64_t t, struct tm *tm);
/* Unix time of a local date and time; DST is resolved by the C library
 * (a wall time that does not exist moves forward). */
int64_t clock_from_local(int year, int mon, int mday, int hour, int min);
/* Days since 1970-01-01 of the local calendar day of t (for date maths). */
int64_t clock_local_day(int64_t t);

/* Parses "2026-11-23T09:00[:ss]" in local time, or with "Z" or "+hh:mm"
 * offset; also "2026-11-23 09:00". Returns 0 or -1 (err filled). */
int clock_parse_iso(const char *s, int64_t *out, struct err *err);
/* "2026-11-23T09:00:00-03:00" into buf. */
void clock_format_iso(int64_t t, char *buf, size_t len);
/* "2026-11-23 09:00" (local, for people) into buf. */
void clock_format_human(int64_t t, char *buf, size_t len);
/* "2026-11-23" (local) into buf. */
void clock_format_date(int64_t t, char *buf, size_t len);

/* Parses "90m", "4h", "2d", "30s", "1h30m" into seconds (> 0). */
int clock_parse_duration(const char *s, int64_t *secs);
/* Like clock_parse_duration with the length of a day and a week given:
 * business time counts a day as the business day. */
int clock_parse_duration_with(const char *s, int64_t day, int64_t week,
                              int64_t *secs);
/* A wall-clock duration, "4h", "1h 30m", "2d 3h" (a day of 24 hours),
 * spaced as format_bizdur writes business time. */
void clock_format_duration(int64_t secs, char *buf, size_t len);
/* Parses "2026-11-23" (a real calendar date). */
int clock_parse_date(const char *s, int *year, int *mon, int *mday);
/* Parses "09:00" (00:00 to 23:59). */
int clock_parse_hhmm(const char *s, int *hour, int *min);

#endif

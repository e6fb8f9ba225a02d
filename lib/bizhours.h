/* SPDX-License-Identifier: MIT */
/* bizhours.h: business hours ("mon-fri 09:00-18:00") and holidays, and the
 * arithmetic that SLA clocks count in. */
#ifndef SMK_BIZHOURS_H
#define SMK_BIZHOURS_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

#define BIZHOURS_MAX_HOLIDAYS 366

struct bizhours {
    unsigned days;              /* bit 0 = Sunday ... bit 6 = Saturday */
    int start_min, end_min;     /* minutes after local midnight */
    int nholidays;
    int64_t holidays[BIZHOURS_MAX_HOLIDAYS];   /* clock_local_day() numbers, sorted */
};

/* Parses "mon-fri 09:00-18:00" (also "mon,wed,fri 08:30-12:00"). */
int bizhours_parse(struct bizhours *bh, const char *spec, struct err *err);
/* Parses "2026-12-25, 2027-01-01" (commas or spaces; may be empty). */
int bizhours_parse_holidays(struct bizhours *bh, const char *list,
                            struct err *err);
/* Parses a weekday name ("mon" .. "sun", also full names); 0 = Sunday. */
int bizhours_parse_wday(const char *name);

/* Is the local calendar day of t a working day (not weekend, not holiday)? */
bool bizhours_is_workday(const struct bizhours *bh, int64_t t);

/* The moment secs business seconds after start: the clock runs only inside
 * business hours on working days, in local time (DST included). */
int64_t bizhours_add(const struct bizhours *bh, int64_t start, int64_t secs);
/* Business seconds between a and b (0 when b <= a). */
int64_t bizhours_between(const struct bizhours *bh, int64_t a, int64_t b);
/* Length of a business day in seconds (for "2d" of business time). */
int64_t bizhours_day_secs(const struct bizhours *bh);
/* Parses a business duration: "4h" and "90m" as usual, but "2d" is two
 * business days and "1w" a business week, as a sales team means them. */
int bizhours_parse_duration(const struct bizhours *bh, const char *s,
                            int64_t *secs);

#endif

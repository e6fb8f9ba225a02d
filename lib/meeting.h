/* SPDX-License-Identifier: MIT */
/* meeting.h: recurring alignment meetings, their cadences and occurrences.
 *
 * Occurrences are local wall times: a weekly 09:00 meeting is at 09:00 in
 * the bot's time zone on both sides of a DST change, so each one is built
 * from a calendar day and clock_from_local(), never by adding seconds. */
#ifndef SMK_MEETING_H
#define SMK_MEETING_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "store.h"
#include "strbuf.h"

enum cadence_kind {
    CADENCE_WEEKLY,             /* every n weeks on a weekday */
    CADENCE_MONTH_DAY,          /* a day of the month (1-28) */
    CADENCE_MONTH_NTH,          /* the first/.../last weekday of a month */
    CADENCE_ONCE,               /* one day: once:2026-12-15 */
};

/* weekly:mon, biweekly:mon, every-6w:tue, monthly:1, monthly:first-mon,
 * quarterly:first-mon, parsed. */
struct cadence {
    enum cadence_kind kind;
    int weeks;                  /* WEEKLY: 1, 2, 6 ... */
    int months;                 /* MONTH_*: 1, or 3 for quarterly */
    int wday;                   /* WEEKLY, MONTH_NTH: 0 = Sunday */
    int mday;                   /* MONTH_DAY: 1-28 */
    int nth;                    /* MONTH_NTH: 1-4, or -1 for the last */
    int64_t day;                /* ONCE: days since 1970-01-01 */
};

/* Parses a cadence; 0 or -1. */
int cadence_parse(const char *s, struct cadence *c);

/* The first occurrence at hour:min local time that starts at or after from,
 * or 0 when there is none in the next two years. anchor (a time) fixes
 * the first week of a cadence of several weeks: its first occurrence is in
 * the week of the first matching weekday on or after anchor's day. */
int64_t cadence_next(const struct cadence *c, int hour, int min,
                     int64_t anchor, int64_t from);
/* The last occurrence that starts strictly before before, or 0. */
int64_t cadence_prev(const struct cadence *c, int hour, int min,
                     int64_t anchor, int64_t before);

struct meeting {
    int64_t id;
    char *title, *cadence, *channel, *created_by;   /* owned; channel may be NULL */
    char *attendees;            /* owned; user keys, space-separated, or NULL */
    struct cadence cad;
    int hour, min;
    int64_t remind;             /* seconds before the start */
    int64_t created_at, removed_at;
};

void meeting_release(struct meeting *m);

/* Inserts m (id is filled in). Returns the id or -1. */
int64_t meeting_insert(struct store *s, struct meeting *m, struct err *err);
/* Loads meeting id (removed ones too) into m. 1 found, 0 not, -1 error. */
int meeting_find(struct store *s, int64_t id, struct meeting *m,
                 struct err *err);
/* Every meeting not removed, by id, into *out (owned: meetings_free). */
int meetings_load(struct store *s, struct meeting **out, int *n,
                  struct err *err);
void meetings_free(struct meeting *v, int n);
/* Marks meeting id removed at now. */
int meeting_remove(struct store *s, int64_t id, int64_t now, struct err *err);

/* The first occurrence of m at or after from (skips ignored), or 0. It
 * never starts before the meeting was created. */
int64_t meeting_next(const struct meeting *m, int64_t from);
/* The last occurrence of m strictly before before (skips ignored), or 0
 * when there was none since the meeting was created. */
int64_t meeting_prev(const struct meeting *m, int64_t before);
/* Like meeting_next, leaving out skipped dates; 0 none, -1 error. */
int64_t meeting_next_held(struct store *s, const struct meeting *m,
                          int64_t from, struct err *err);

/* Is the occurrence of meeting id on the local day of t skipped? 1, 0, -1. */
int meeting_is_skipped(struct store *s, int64_t id, int64_t t,
                       struct err *err);
/* Skips the occurrence of meeting id on day "YYYY-MM-DD"; 1 done, 0 it
 * was skipped already, -1 error. */
int meeting_skip(struct store *s, int64_t id, const char *day,
                 struct err *err);

/* "Mon 2026-11-30 10:00" (weekday name translated) into buf. */
void meeting_format_when(int64_t t, char *buf, size_t len);

/* Adds a topic (kind "topic") or the notes ("notes") of meeting id. */
int meeting_add_item(struct store *s, int64_t id, const char *kind, const char *text,
                     const char *author, int64_t now, struct err *err);

/* The topics added to meeting id in [since, until], one a line ("\"text\"
 * (@alice)"), appended to out. Returns how many, or -1. */
int meeting_topics(struct store *s, int64_t id, int64_t since, int64_t until,
                   struct strbuf *out, struct err *err);

/* The notes posted in [from, to), one a line ("M-1 Pipeline review, notes
 * by @carol: text"), for the digest. Returns how many, or -1. */
int meeting_notes(struct store *s, int64_t from, int64_t to, struct strbuf *out,
                  struct err *err);

/* Appends one line per meeting occurrence in [from, to), in time order
 * ("Mon 2026-11-30 10:00  M-1 Pipeline review"), to out; nothing when
 * there are none. Skipped dates are left out. */
int meetings_upcoming(struct store *s, int64_t from, int64_t to,
                      struct strbuf *out, struct err *err);

#endif

/* SPDX-License-Identifier: MIT */
/* meeting.c: cadences, occurrences in local time, skips, meeting rows. */
#include "meeting.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bizhours.h"
#include "clock.h"
#include "i18n.h"

/* Longest walk through the calendar for one occurrence: a quarterly
 * cadence repeats within 92 days, so two years is plenty. */
#define MEETING_MAX_DAYS 800
/* Most skipped occurrences in a row we look past. */
#define MEETING_MAX_SKIPS 200
/* Most occurrences meetings_upcoming lists. */
#define MEETING_MAX_LIST 500

#define MEETING_COLS                                                       \
    "id, title, cadence, at_time, channel, remind, created_by,"            \
    " created_at, removed_at, attendees"

static int64_t
floor_mod(int64_t a, int64_t m)
{
    int64_t r = a % m;

    return r < 0 ? r + m : r;
}

/* The calendar date of day number d (days since 1970-01-01). */
static void
civil_from_days(int64_t d, int *year, int *mon, int *mday)
{
    int64_t z = d + 719468, era, doe, yoe, doy, mp, y;

    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *mday = (int)(doy - (153 * mp + 2) / 5 + 1);
    *mon = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(y + (*mon <= 2));
}

static int
days_in_month(int y, int m)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return mdays[m - 1];
}

static const struct {
    const char *name;
    int nth;
} nth_names[] = {
    { "first", 1 }, { "second", 2 }, { "third", 3 }, { "fourth", 4 },
    { "last", -1 },
};

/* "first-mon" into nth and wday. */
static int
parse_nth(const char *s, int *nth, int *wday)
{
    const char *dash = strchr(s, '-');

    if (dash == NULL)
        return -1;
    for (size_t i = 0; i < sizeof(nth_names) / sizeof(nth_names[0]); i++) {
        size_t n = strlen(nth_names[i].name);

        if ((size_t)(dash - s) == n && strncmp(s, nth_names[i].name, n) == 0) {
            *nth = nth_names[i].nth;
            *wday = bizhours_parse_wday(dash + 1);
            return *wday < 0 ? -1 : 0;
        }
    }
    return -1;
}

static int
parse_small(const char *s, int lo, int hi, int *out)
{
    int v = 0;

    if (!isdigit((unsigned char)*s) || strlen(s) > 2)
        return -1;
    for (; *s; s++) {
        if (!isdigit((unsigned char)*s))
            return -1;
        v = v * 10 + (*s - '0');
    }
    if (v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int
cadence_parse(const char *s, struct cadence *c)
{
    const char *colon = strchr(s, ':'), *arg;
    char kind[16];
    size_t n;

    memset(c, 0, sizeof(*c));
    if (colon == NULL || (n = (size_t)(colon - s)) >= sizeof(kind))
        return -1;
    memcpy(kind, s, n);
    kind[n] = '\0';
    arg = colon + 1;
    c->weeks = 1;
    c->months = 1;
    if (strcmp(kind, "weekly") == 0 || strcmp(kind, "biweekly") == 0 ||
        strncmp(kind, "every-", 6) == 0) {
        c->kind = CADENCE_WEEKLY;
        if (kind[0] == 'b') {
            c->weeks = 2;
        } else if (kind[0] == 'e') {
            char num[8];
            size_t len = strlen(kind + 6);

            /* every-6w: the number of weeks, then 'w' */
            if (len < 2 || len > 3 || kind[6 + len - 1] != 'w')
                return -1;
            memcpy(num, kind + 6, len - 1);
            num[len - 1] = '\0';
            /* up to every-26w: half-yearly */
            if (parse_small(num, 1, 26, &c->weeks) < 0)
                return -1;
        }
        c->wday = bizhours_parse_wday(arg);
        return c->wday < 0 ? -1 : 0;
    }
    if (strcmp(kind, "once") == 0) {
        int y, m, d;

        if (strlen(arg) != 10 || clock_parse_date(arg, &y, &m, &d) < 0)
            return -1;
        c->kind = CADENCE_ONCE;
        /* noon: a day number no DST change can move */
        c->day = clock_local_day(clock_from_local(y, m, d, 12, 0));
        return 0;
    }
    if (strcmp(kind, "monthly") == 0 || strcmp(kind, "quarterly") == 0) {
        c->months = kind[0] == 'q' ? 3 : 1;
        if (isdigit((unsigned char)arg[0])) {
            c->kind = CADENCE_MONTH_DAY;
            /* 29-31 do not exist in every month: refuse them */
            return parse_small(arg, 1, 28, &c->mday);
        }
        c->kind = CADENCE_MONTH_NTH;
        return parse_nth(arg, &c->nth, &c->wday);
    }
    return -1;
}

/* The day number of the first occurrence week of a several-week cadence. */
static int64_t
anchor_day(const struct cadence *c, int64_t anchor)
{
    int64_t day = clock_local_day(anchor);

    return day + floor_mod(c->wday - floor_mod(day + 4, 7), 7);
}

static bool
day_matches(const struct cadence *c, int64_t first, int64_t day)
{
    int y, m, d;

    civil_from_days(day, &y, &m, &d);
    if (c->months > 1 && (m - 1) % c->months != 0)
        return false;   /* quarterly: January, April, July, October */
    switch (c->kind) {
    case CADENCE_WEEKLY:
        return floor_mod(day + 4, 7) == c->wday &&      /* 1970-01-01: Thu */
               floor_mod(day - first, 7 * (int64_t)c->weeks) == 0;
    case CADENCE_MONTH_DAY:
        return d == c->mday;
    case CADENCE_ONCE:
        return day == c->day;
    case CADENCE_MONTH_NTH:
        if (floor_mod(day + 4, 7) != c->wday)
            return false;
        if (c->nth < 0)
            return d + 7 > days_in_month(y, m);
        return (d - 1) / 7 == c->nth - 1;
    }
    return false;
}

static int64_t
day_at(int64_t day, int hour, int min)
{
    int y, m, d;

    civil_from_days(day, &y, &m, &d);
    return clock_from_local(y, m, d, hour, min);
}

int64_t
cadence_next(const struct cadence *c, int hour, int min, int64_t anchor,
             int64_t from)
{
    int64_t first = anchor_day(c, anchor), day = clock_local_day(from);

    /* from the day before: a wall time that does not exist (a DST gap
     * late in the evening) moves forward, possibly into from's day */
    for (int i = -1; i < MEETING_MAX_DAYS; i++) {
        int64_t t;

        if (!day_matches(c, first, day + i))
            continue;
        t = day_at(day + i, hour, min);
        if (t >= from)
            return t;
    }
    return 0;
}

int64_t
cadence_prev(const struct cadence *c, int hour, int min, int64_t anchor,
             int64_t before)
{
    int64_t first = anchor_day(c, anchor), day = clock_local_day(before);

    for (int i = -1; i < MEETING_MAX_DAYS; i++) {
        int64_t t;

        if (!day_matches(c, first, day - i))
            continue;
        t = day_at(day - i, hour, min);
        if (t < before)
            return t;
    }
    return 0;
}

void
meeting_release(struct meeting *m)
{
    free(m->title);
    free(m->cadence);
    free(m->channel);
    free(m->created_by);
    free(m->attendees);
    memset(m, 0, sizeof(*m));
}

/* Reads a row of MEETING_COLS; a row whose cadence or time no longer
 * parses is kept with kind WEEKLY on Monday rather than lost. */
static void
read_row(sqlite3_stmt *st, struct meeting *m)
{
    char *at;

    memset(m, 0, sizeof(*m));
    m->id = sqlite3_column_int64(st, 0);
    m->title = store_col_dup(st, 1);
    m->cadence = store_col_dup(st, 2);
    at = store_col_dup(st, 3);
    m->channel = store_col_dup(st, 4);
    m->remind = sqlite3_column_int64(st, 5);
    m->created_by = store_col_dup(st, 6);
    m->created_at = sqlite3_column_int64(st, 7);
    m->removed_at = sqlite3_column_int64(st, 8);
    m->attendees = store_col_dup(st, 9);
    if (m->cadence == NULL || cadence_parse(m->cadence, &m->cad) < 0)
        cadence_parse("weekly:mon", &m->cad);
    if (at == NULL || clock_parse_hhmm(at, &m->hour, &m->min) < 0)
        m->hour = 9, m->min = 0;
    free(at);
}

int64_t
meeting_insert(struct store *s, struct meeting *m, struct err *err)
{
    char at[8];

    snprintf(at, sizeof(at), "%02d:%02d", m->hour, m->min);
    if (store_exec(s, err,
                   "INSERT INTO meetings(title, cadence, at_time, channel, remind,"
                   " created_by, created_at, attendees) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   "ssssIsIs", m->title, m->cadence, at, m->channel, m->remind,
                   m->created_by, m->created_at, m->attendees) < 0)
        return -1;
    m->id = store_last_id(s);
    return m->id;
}

int
meeting_find(struct store *s, int64_t id, struct meeting *m, struct err *err)
{
    sqlite3_stmt *st = store_query(s, err,
        "SELECT " MEETING_COLS " FROM meetings WHERE id = ?", "I", id);
    int rc;

    memset(m, 0, sizeof(*m));
    if (st == NULL)
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_row(st, m);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    err_set(err, _("database error: %s"), sqlite3_errmsg(store_db(s)));
    return -1;
}

int
meetings_load(struct store *s, struct meeting **out, int *n, struct err *err)
{
    sqlite3_stmt *st = store_query(s, err,
        "SELECT " MEETING_COLS " FROM meetings WHERE removed_at IS NULL"
        " ORDER BY id", "");
    struct meeting *v = NULL;
    int count = 0, alloc = 0, rc;

    *out = NULL;
    *n = 0;
    if (st == NULL)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == alloc) {
            struct meeting *nv;

            alloc = alloc ? alloc * 2 : 8;
            nv = realloc(v, (size_t)alloc * sizeof(*v));
            if (nv == NULL) {
                err_set(err, _("out of memory"));
                rc = SQLITE_NOMEM;
                break;
            }
            v = nv;
        }
        read_row(st, &v[count++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        err_set(err, _("database error: %s"), sqlite3_errmsg(store_db(s)));
        meetings_free(v, count);
        return -1;
    }
    *out = v;
    *n = count;
    return 0;
}

void
meetings_free(struct meeting *v, int n)
{
    for (int i = 0; i < n; i++)
        meeting_release(&v[i]);
    free(v);
}

int
meeting_remove(struct store *s, int64_t id, int64_t now, struct err *err)
{
    return store_exec(s, err,
                      "UPDATE meetings SET removed_at = ? WHERE id = ?"
                      " AND removed_at IS NULL", "II", now, id);
}

int64_t
meeting_next(const struct meeting *m, int64_t from)
{
    /* the meeting starts after it was created, never before */
    if (from <= m->created_at)
        from = m->created_at + 1;
    return cadence_next(&m->cad, m->hour, m->min, m->created_at, from);
}

int64_t
meeting_prev(const struct meeting *m, int64_t before)
{
    int64_t t = cadence_prev(&m->cad, m->hour, m->min, m->created_at, before);

    return t > m->created_at ? t : 0;
}

int
meeting_is_skipped(struct store *s, int64_t id, int64_t t, struct err *err)
{
    char day[16];
    int64_t one = 0;

    clock_format_date(t, day, sizeof(day));
    return store_query_int(s, err, &one,
                           "SELECT 1 FROM meeting_skips WHERE meeting = ? AND day = ?",
                           "Is", id, day);
}

int64_t
meeting_next_held(struct store *s, const struct meeting *m, int64_t from,
                  struct err *err)
{
    int64_t t = from;

    for (int i = 0; i < MEETING_MAX_SKIPS; i++) {
        int rc;

        if ((t = meeting_next(m, t)) == 0)
            return 0;
        if ((rc = meeting_is_skipped(s, m->id, t, err)) < 0)
            return -1;
        if (rc == 0)
            return t;
        t++;
    }
    return 0;
}

int
meeting_skip(struct store *s, int64_t id, const char *day, struct err *err)
{
    if (store_exec(s, err,
                   "INSERT INTO meeting_skips(meeting, day) VALUES (?, ?)"
                   " ON CONFLICT DO NOTHING", "Is", id, day) < 0)
        return -1;
    return store_changes(s) > 0 ? 1 : 0;
}

void
meeting_format_when(int64_t t, char *buf, size_t len)
{
    static const char *const wdays[] = {
        N_("Sun"), N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat")
    };
    struct tm tm;
    char when[32];

    clock_local(t, &tm);
    clock_format_human(t, when, sizeof(when));
    snprintf(buf, len, "%s %s", _(wdays[tm.tm_wday]), when);
}

struct occurrence {
    int64_t t, id;
    const char *title;
};

static int
cmp_occurrence(const void *a, const void *b)
{
    const struct occurrence *x = a, *y = b;

    if (x->t != y->t)
        return (x->t > y->t) - (x->t < y->t);
    return (x->id > y->id) - (x->id < y->id);
}

int
meetings_upcoming(struct store *s, int64_t from, int64_t to, struct strbuf *out,
                  struct err *err)
{
    struct meeting *v = NULL;
    struct occurrence *occ = NULL;
    int n = 0, nocc = 0, rc = -1;

    if (meetings_load(s, &v, &n, err) < 0)
        return -1;
    occ = calloc(MEETING_MAX_LIST, sizeof(*occ));
    if (occ == NULL) {
        err_set(err, _("out of memory"));
        goto out;
    }
    for (int i = 0; i < n; i++) {
        int64_t t = from;

        while (nocc < MEETING_MAX_LIST) {
            if ((t = meeting_next_held(s, &v[i], t, err)) < 0)
                goto out;
            if (t == 0 || t >= to)
                break;
            occ[nocc].t = t;
            occ[nocc].id = v[i].id;
            occ[nocc].title = v[i].title;
            nocc++;
            t++;
        }
    }
    qsort(occ, (size_t)nocc, sizeof(*occ), cmp_occurrence);
    for (int i = 0; i < nocc; i++) {
        char when[64];

        meeting_format_when(occ[i].t, when, sizeof(when));
        if (out->len > 0 && out->buf[out->len - 1] != '\n')
            strbuf_putc(out, '\n');
        strbuf_printf(out, "%s  M-%lld %s", when, (long long)occ[i].id,
                      occ[i].title);
    }
    rc = 0;
out:
    free(occ);
    meetings_free(v, n);
    return rc;
}

int
meeting_add_item(struct store *s, int64_t id, const char *kind, const char *text,
                 const char *author, int64_t now, struct err *err)
{
    return store_exec(s, err,
                      "INSERT INTO meeting_items(meeting, kind, text, author, at)"
                      " VALUES (?, ?, ?, ?, ?)",
                      "IsssI", id, kind, text, author, now);
}

/* Appends one line per row of st (text, author's name, then for notes the
 * meeting's id and title); topics indented, for the agenda. */
static int
put_items(struct store *s, sqlite3_stmt *st, bool notes, struct strbuf *out,
          struct err *err)
{
    int rc, n = 0;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (notes)
            strbuf_printf(out, _("%sM-%lld %s, notes by @%s: %s"), n ? "\n" : "",
                          (long long)sqlite3_column_int64(st, 2),
                          (const char *)sqlite3_column_text(st, 3),
                          (const char *)sqlite3_column_text(st, 1),
                          (const char *)sqlite3_column_text(st, 0));
        else
            strbuf_printf(out, "%s  \"%s\" (@%s)", n ? "\n" : "",
                          (const char *)sqlite3_column_text(st, 0),
                          (const char *)sqlite3_column_text(st, 1));
        n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        err_set(err, _("database error: %s"), sqlite3_errmsg(store_db(s)));
        return -1;
    }
    return n;
}

int
meeting_topics(struct store *s, int64_t id, int64_t since, int64_t until,
               struct strbuf *out, struct err *err)
{
    sqlite3_stmt *st = store_query(s, err,
        "SELECT i.text, coalesce(u.name, i.author, '?') FROM meeting_items i"
        " LEFT JOIN users u ON u.id = i.author WHERE i.meeting = ? AND i.kind = 'topic'"
        " AND i.at >= ? AND i.at <= ? ORDER BY i.at, i.id", "III", id, since, until);

    return st ? put_items(s, st, false, out, err) : -1;
}

int
meeting_notes(struct store *s, int64_t from, int64_t to, struct strbuf *out,
              struct err *err)
{
    sqlite3_stmt *st = store_query(s, err,
        "SELECT i.text, coalesce(u.name, i.author, '?'), m.id, m.title FROM meeting_items i"
        " JOIN meetings m ON m.id = i.meeting LEFT JOIN users u ON u.id = i.author"
        " WHERE i.kind = 'notes' AND i.at >= ? AND i.at < ? ORDER BY i.at, i.id",
        "II", from, to);

    return st ? put_items(s, st, true, out, err) : -1;
}

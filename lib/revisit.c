/* SPDX-License-Identifier: MIT */
/* revisit.c: leads to look at again from a date (until= of reject and
 * lost). */
#include "revisit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bizhours.h"
#include "clock.h"
#include "i18n.h"

/* The lead is still where the reject or lost of the row left it: the
 * stage it made, and the time it made it (a later answer or close moves
 * responded_at or closed_at). */
#define STANDS                                                              \
    "((r.kind = 'rejected' AND l.stage = 'recycled' AND l.responded_at = r.set_at)" \
    " OR (r.kind = 'lost' AND l.stage = 'lost' AND l.closed_at = r.set_at))"

#define DAY 86400

int
revisit_parse(const char *word, int64_t now, char day[11], char *why, size_t len)
{
    int y, m, d;
    int64_t t;
    char today[16];

    clock_format_date(now, today, sizeof(today));
    if (strlen(word) != 10 || clock_parse_date(word, &y, &m, &d) < 0) {
        snprintf(why, len, _("until takes a date such as 2027-02-01, not '%.40s'"), word);
        return -1;
    }
    /* noon: a calendar day no DST change can move */
    t = clock_from_local(y, m, d, 12, 0);
    if (strcmp(word, today) <= 0) {
        snprintf(why, len, _("until must be a date after today (%s), not %s"), today, word);
        return -1;
    }
    if (t - now > (int64_t)REVISIT_MAX_DAYS * DAY) {
        snprintf(why, len, _("until is at most 5 years ahead, not %s"), word);
        return -1;
    }
    memcpy(day, word, 10);
    day[10] = '\0';
    return 0;
}

int
revisit_set(struct store *s, int64_t lead, const char *day, const char *kind,
            const char *actor, int64_t set_at, struct err *err)
{
    return store_exec(s, err,
                      "INSERT INTO revisits(lead, day, kind, set_by, set_at)"
                      " VALUES (?, ?, ?, ?, ?) ON CONFLICT(lead) DO UPDATE SET"
                      " day = excluded.day, kind = excluded.kind,"
                      " set_by = excluded.set_by, set_at = excluded.set_at",
                      "IsssI", lead, day, kind, actor, set_at);
}

int64_t
revisit_due_at(const struct config *cfg, const char *day)
{
    int y, m, d;
    int64_t midnight;

    if (clock_parse_date(day, &y, &m, &d) < 0)
        return 0;
    midnight = clock_from_local(y, m, d, 0, 0);
    /* one business second in, less that second: the opening moment */
    return bizhours_add(&cfg->hours, midnight, 1) - 1;
}

int
revisit_load(struct store *s, struct revisit **out, int *n, struct err *err)
{
    sqlite3_stmt *st = store_query(s, err,
        "SELECT r.lead, r.day, r.kind, r.set_at FROM revisits r"
        " JOIN leads l ON l.id = r.lead WHERE " STANDS
        " ORDER BY r.day, r.lead", "");
    struct revisit *v = NULL;
    int count = 0, alloc = 0, rc;

    *out = NULL;
    *n = 0;
    if (st == NULL)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == alloc) {
            struct revisit *nv;

            alloc = alloc ? alloc * 2 : 16;
            if ((nv = realloc(v, (size_t)alloc * sizeof(*v))) == NULL) {
                rc = SQLITE_NOMEM;
                break;
            }
            v = nv;
        }
        memset(&v[count], 0, sizeof(v[count]));
        v[count].lead = sqlite3_column_int64(st, 0);
        snprintf(v[count].day, sizeof(v[count].day), "%s",
                 (const char *)sqlite3_column_text(st, 1));
        snprintf(v[count].kind, sizeof(v[count].kind), "%s",
                 (const char *)sqlite3_column_text(st, 2));
        v[count].set_at = sqlite3_column_int64(st, 3);
        count++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        err_set(err, _("database error: %s"), sqlite3_errmsg(store_db(s)));
        free(v);
        return -1;
    }
    *out = v;
    *n = count;
    return 0;
}

int
revisit_stands(struct store *s, int64_t lead, const char *day, struct err *err)
{
    int64_t one = 0;

    return store_query_int(s, err, &one,
                           "SELECT 1 FROM revisits r JOIN leads l ON l.id = r.lead"
                           " WHERE r.lead = ? AND r.day = ? AND " STANDS,
                           "Is", lead, day);
}

int
revisit_due_list(struct store *s, const struct config *cfg, int64_t now,
                 struct strbuf *out, struct err *err)
{
    struct revisit *v = NULL;
    int n = 0, shown = 0;

    if (revisit_load(s, &v, &n, err) < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        sqlite3_stmt *st;
        const unsigned char *company;
        int found;

        if (revisit_due_at(cfg, v[i].day) > now)
            break;              /* sorted by day: the rest are later */
        st = store_query(s, err,
            "SELECT l.name, l.company, coalesce(l.reason, '?'),"
            " coalesce(u.name, l.owner, '?') FROM leads l"
            " LEFT JOIN users u ON u.id = l.owner WHERE l.id = ?", "I", v[i].lead);
        found = st ? store_row(s, st, err) : -1;

        if (found < 0) {
            free(v);
            return -1;
        }
        if (found == 0)
            continue;
        company = sqlite3_column_text(st, 1);
        strbuf_printf(out, "%sL-%lld %s%s%s, ", shown ? "\n" : "", (long long)v[i].lead,
                      (const char *)sqlite3_column_text(st, 0), company ? ", " : "",
                      company ? (const char *)company : "");
        if (strcmp(v[i].kind, "lost") == 0)
            strbuf_printf(out, _("lost (%s) by @%s, to look at again from %s"),
                          (const char *)sqlite3_column_text(st, 2),
                          (const char *)sqlite3_column_text(st, 3), v[i].day);
        else
            strbuf_printf(out, _("rejected (%s) by @%s, to re-qualify from %s"),
                          (const char *)sqlite3_column_text(st, 2),
                          (const char *)sqlite3_column_text(st, 3), v[i].day);
        sqlite3_reset(st);
        shown++;
    }
    free(v);
    return shown;
}

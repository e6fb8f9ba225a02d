/* SPDX-License-Identifier: MIT */
/* persona.c: buyer personas and their half-yearly review. */
#include "persona.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "bizhours.h"
#include "clock.h"
#include "i18n.h"

void
persona_release(struct persona *p)
{
    free(p->name);
    free(p->description);
    memset(p, 0, sizeof(*p));
}

int
persona_find(struct store *s, const char *ref, struct persona *p, struct err *err)
{
    int64_t id = (ref[0] == 'P' || ref[0] == 'p') && ref[1] == '-' ? args_ref_id(ref, 'P') : 0;
    sqlite3_stmt *st;
    int rc;

    memset(p, 0, sizeof(*p));
    st = store_query(s, err,
                     "SELECT id, name, description, created_at FROM personas"
                     " WHERE removed_at IS NULL AND (id = ? OR name = ?)"
                     " ORDER BY id LIMIT 1",
                     "Is", id, ref);
    if (st == NULL || (rc = store_row(s, st, err)) <= 0)
        return st == NULL ? -1 : rc;
    p->id = sqlite3_column_int64(st, 0);
    p->name = store_col_dup(st, 1);
    p->description = store_col_dup(st, 2);
    p->created_at = sqlite3_column_int64(st, 3);
    sqlite3_reset(st);
    if (p->name == NULL || p->description == NULL) {
        persona_release(p);
        err_set(err, _("out of memory"));
        return -1;
    }
    return 1;
}

int64_t
persona_add(struct store *s, const char *name, const char *description,
            const char *actor, int64_t now, struct err *err)
{
    if (store_exec(s, err,
                   "INSERT INTO personas(name, description, created_by, created_at)"
                   " VALUES (?, ?, ?, ?)",
                   "sssI", name, description, actor, now) < 0)
        return -1;
    return store_last_id(s);
}

int
persona_set_description(struct store *s, int64_t id, const char *description,
                        struct err *err)
{
    return store_exec(s, err, "UPDATE personas SET description = ? WHERE id = ?", "sI",
                      description, id);
}

int
persona_remove(struct store *s, int64_t id, int64_t now, struct err *err)
{
    return store_exec(s, err,
                      "UPDATE personas SET removed_at = ? WHERE id = ? AND removed_at IS NULL",
                      "II", now, id);
}

int
persona_names(struct store *s, struct strbuf *out, struct err *err)
{
    sqlite3_stmt *st = store_query(s, err,
        "SELECT name FROM personas WHERE removed_at IS NULL ORDER BY id", "");
    int rc, n = 0;

    if (st == NULL)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        strbuf_printf(out, "%s%s", n++ ? ", " : "", (const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        err_set(err, _("database error: %s"), sqlite3_errmsg(store_db(s)));
        return -1;
    }
    return n;
}

int
persona_list(struct store *s, struct strbuf *out, struct err *err)
{
    sqlite3_stmt *st = store_query(s, err,
        "SELECT p.id, p.name, p.description,"
        " (SELECT count(*) FROM lead_qual q WHERE q.persona = p.name)"
        " FROM personas p WHERE p.removed_at IS NULL ORDER BY p.id", "");
    int rc, n = 0;

    if (st == NULL)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t leads = sqlite3_column_int64(st, 3);

        strbuf_printf(out, "%sP-%lld %s: %s (", n++ ? "\n" : "",
                      (long long)sqlite3_column_int64(st, 0),
                      (const char *)sqlite3_column_text(st, 1),
                      (const char *)sqlite3_column_text(st, 2));
        strbuf_printf(out, P_("%lld lead", "%lld leads", leads), (long long)leads);
        strbuf_putc(out, ')');
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        err_set(err, _("database error: %s"), sqlite3_errmsg(store_db(s)));
        return -1;
    }
    return n;
}

int64_t
persona_last_review(struct store *s, struct err *err)
{
    int64_t at = 0;

    if (store_query_int(s, err, &at,
                        "SELECT coalesce(max(at), 0) FROM events WHERE kind = 'persona_reviewed'",
                        "") < 0)
        return -1;
    return at;
}

int64_t
persona_review_due(struct store *s, const struct config *cfg, struct err *err)
{
    int64_t first = 0, last, base;
    struct tm tm;
    int y, m, d;

    if (cfg->persona_review_months <= 0)
        return 0;
    if (store_query_int(s, err, &first,
                        "SELECT coalesce(min(created_at), 0) FROM personas"
                        " WHERE removed_at IS NULL", "") < 0 ||
        (last = persona_last_review(s, err)) < 0)
        return -1;
    if (first == 0)
        return 0;
    base = last > first ? last : first;
    clock_local(base, &tm);
    y = tm.tm_year + 1900;
    m = tm.tm_mon + 1 + cfg->persona_review_months;
    y += (m - 1) / 12;
    m = (m - 1) % 12 + 1;
    /* the 31st six months on may not exist: the month's last day */
    d = tm.tm_mday;
    while (d > 28) {
        struct tm check;

        clock_local(clock_from_local(y, m, d, 12, 0), &check);
        if (check.tm_mon + 1 == m)
            break;
        d--;
    }
    /* one business second in, less that second: the opening moment */
    return bizhours_add(&cfg->hours, clock_from_local(y, m, d, 0, 0), 1) - 1;
}

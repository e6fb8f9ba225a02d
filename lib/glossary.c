/* SPDX-License-Identifier: MIT */
/* glossary.c: the shared vocabulary (table glossary, term COLLATE NOCASE). */
#include "glossary.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"

int
glossary_get(struct store *s, const char *term, char **name, char **def,
             struct err *err)
{
    sqlite3_stmt *st;
    int rc;

    *name = *def = NULL;
    st = store_query(s, err, "SELECT term, definition FROM glossary WHERE term = ?",
                     "s", term);
    if (st == NULL)
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *name = strdup((const char *)sqlite3_column_text(st, 0));
        *def = strdup((const char *)sqlite3_column_text(st, 1));
        rc = 1;
        if (*name == NULL || *def == NULL) {
            free(*name);
            free(*def);
            *name = *def = NULL;
            err_set(err, _("out of memory"));
            rc = -1;
        }
    } else if (rc == SQLITE_DONE) {
        rc = 0;
    } else {
        err_set(err, _("database error: %s"), sqlite3_errmsg(store_db(s)));
        rc = -1;
    }
    sqlite3_reset(st);
    return rc;
}

int
glossary_set(struct store *s, const char *term, const char *def,
             const char *actor, int64_t now, struct err *err)
{
    /* the conflict also takes the new spelling: "sql" -> "SQL" */
    return store_exec(s, err,
                      "INSERT INTO glossary(term, definition, updated_by, updated_at)"
                      " VALUES (?, ?, ?, ?) ON CONFLICT(term) DO UPDATE SET"
                      " term = excluded.term, definition = excluded.definition,"
                      " updated_by = excluded.updated_by,"
                      " updated_at = excluded.updated_at",
                      "sssI", term, def, actor, now);
}

int
glossary_remove(struct store *s, const char *term, struct err *err)
{
    if (store_exec(s, err, "DELETE FROM glossary WHERE term = ?", "s", term) < 0)
        return -1;
    return store_changes(s) > 0;
}

int
glossary_list(struct store *s, struct strbuf *out, struct err *err)
{
    sqlite3_stmt *st;
    int rc, n = 0;

    st = store_query(s, err,
                     "SELECT term, definition FROM glossary ORDER BY term COLLATE NOCASE",
                     "");
    if (st == NULL)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        strbuf_printf(out, "%s%s: %s", n++ ? "\n" : "",
                      (const char *)sqlite3_column_text(st, 0),
                      (const char *)sqlite3_column_text(st, 1));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        err_set(err, _("database error: %s"), sqlite3_errmsg(store_db(s)));
        return -1;
    }
    return n;
}

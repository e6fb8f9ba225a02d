/* SPDX-License-Identifier: MIT */
/* cursor.c: the cursors table. */
#include "cursor.h"

#include <stdio.h>

int
cursor_advance(struct store *s, const char *channel, const char *post, int64_t at,
               bool direct, struct err *err)
{
    return store_exec(s, err,
                      "INSERT INTO cursors(channel, post, at, direct) VALUES (?, ?, ?, ?)"
                      " ON CONFLICT(channel) DO UPDATE SET post = excluded.post,"
                      " at = excluded.at, direct = excluded.direct WHERE excluded.at >= cursors.at",
                      "ssIi", channel, post, at, direct ? 1 : 0);
}

int
cursor_list(struct store *s, struct cursor *out, int max, struct err *err)
{
    sqlite3_stmt *st = store_query(s, err,
                                   "SELECT channel, post, at, direct FROM cursors"
                                   " ORDER BY at DESC LIMIT ?", "i", max);
    int n = 0, rc = 0;

    if (st == NULL)
        return -1;
    while (n < max && (rc = store_row(s, st, err)) == 1) {
        snprintf(out[n].channel, sizeof(out[n].channel), "%s",
                 (const char *)sqlite3_column_text(st, 0));
        snprintf(out[n].post, sizeof(out[n].post), "%s",
                 (const char *)sqlite3_column_text(st, 1));
        out[n].at = sqlite3_column_int64(st, 2);
        out[n].direct = sqlite3_column_int(st, 3) != 0;
        n++;
    }
    if (n == max)
        sqlite3_reset(st);
    return rc < 0 && n < max ? -1 : n;
}

/* SPDX-License-Identifier: MIT */
/* outbox.c: the durable queue of posts. */
#include "outbox.h"

#include <stdlib.h>
#include <string.h>

int64_t
outbox_add(struct store *s, int64_t now, const char *kind, const char *target,
           const char *text, const char *card, struct err *err)
{
    if (store_exec(s, err,
                   "INSERT INTO outbox(kind, target, text, card, created_at, next_at)"
                   " VALUES (?, ?, ?, ?, ?, ?)",
                   "ssssII", kind, target, text, card, now, now) < 0)
        return -1;
    return store_last_id(s);
}

int
outbox_next(struct store *s, int64_t now, struct outbox_row *row,
            struct err *err)
{
    sqlite3_stmt *st = store_query(s, err,
        "SELECT id, kind, target, text, card, ref, attempts, created_at"
        " FROM outbox WHERE state = 'pending' AND next_at <= ?"
        " ORDER BY next_at, id LIMIT 1", "I", now);
    int rc;

    memset(row, 0, sizeof(*row));
    if (st == NULL)
        return -1;
    if ((rc = store_row(s, st, err)) <= 0)
        return rc;
    row->id = sqlite3_column_int64(st, 0);
    row->kind = store_col_dup(st, 1);
    row->target = store_col_dup(st, 2);
    row->text = store_col_dup(st, 3);
    row->card = store_col_dup(st, 4);
    row->ref = store_col_dup(st, 5);
    row->attempts = sqlite3_column_int(st, 6);
    row->created_at = sqlite3_column_int64(st, 7);
    sqlite3_reset(st);
    return 1;
}

int64_t
outbox_next_due(struct store *s)
{
    int64_t due = 0;

    store_query_int(s, NULL, &due,
                    "SELECT min(next_at) FROM outbox WHERE state = 'pending'", "");
    return due;
}

void
outbox_row_release(struct outbox_row *row)
{
    free(row->kind);
    free(row->target);
    free(row->text);
    free(row->card);
    free(row->ref);
    memset(row, 0, sizeof(*row));
}

int
outbox_sent(struct store *s, int64_t id, const char *ref, struct err *err)
{
    return store_exec(s, err,
                      "UPDATE outbox SET state = 'sent', ref = ?,"
                      " attempts = attempts + 1, error = NULL WHERE id = ?",
                      "sI", ref, id);
}

int
outbox_retry(struct store *s, int64_t id, int64_t next_at, const char *why,
             struct err *err)
{
    return store_exec(s, err,
                      "UPDATE outbox SET next_at = ?, attempts = attempts + 1,"
                      " error = ? WHERE id = ?",
                      "IsI", next_at, why, id);
}

int
outbox_failed(struct store *s, int64_t id, const char *why, struct err *err)
{
    return store_exec(s, err,
                      "UPDATE outbox SET state = 'failed', attempts = attempts + 1,"
                      " error = ? WHERE id = ?",
                      "sI", why, id);
}

int
outbox_has_card(struct store *s, const char *lead_ref, struct err *err)
{
    int64_t one = 0;

    return store_query_int(s, err, &one,
                           "SELECT 1 FROM outbox WHERE card IS NOT NULL"
                           " AND json_extract(card, '$.lead') = ? LIMIT 1",
                           "s", lead_ref);
}

int64_t
outbox_last_card(struct store *s, const char *lead_ref, struct err *err)
{
    int64_t id = 0;

    if (store_query_int(s, err, &id,
                        "SELECT max(id) FROM outbox WHERE card IS NOT NULL"
                        " AND json_extract(card, '$.lead') = ?",
                        "s", lead_ref) < 0)
        return -1;
    return id;
}

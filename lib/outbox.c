/* SPDX-License-Identifier: MIT */
/* outbox.c: the durable queue of posts. */
#include "outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROW_COLUMNS                                                         \
    "id, kind, channel, user, url, update_of, text, card, ref, attempts,"   \
    " parts, created_at, sending"

const char *const outbox_chat_kinds[] = {
    OUTBOX_CHANNEL, OUTBOX_DM, OUTBOX_EPHEMERAL, OUTBOX_RESPONSE, OUTBOX_UPDATE, NULL,
};

int64_t
outbox_add(struct store *s, int64_t now, const struct outbox_dest *to,
           const char *text, const char *card, struct err *err)
{
    if (store_exec(s, err,
                   "INSERT INTO outbox(kind, channel, user, url, update_of, text, card,"
                   " created_at, next_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   "ssssIssII", to->kind, to->channel, to->user, to->url,
                   to->update_of, text, card, now, now) < 0)
        return -1;
    return store_last_id(s);
}

static void
read_row(sqlite3_stmt *st, struct outbox_row *row)
{
    row->id = sqlite3_column_int64(st, 0);
    row->kind = store_col_dup(st, 1);
    row->channel = store_col_dup(st, 2);
    row->user = store_col_dup(st, 3);
    row->url = store_col_dup(st, 4);
    row->update_of = sqlite3_column_int64(st, 5);
    row->text = store_col_dup(st, 6);
    row->card = store_col_dup(st, 7);
    row->ref = store_col_dup(st, 8);
    row->attempts = sqlite3_column_int(st, 9);
    row->parts = sqlite3_column_int(st, 10);
    row->created_at = sqlite3_column_int64(st, 11);
    row->in_doubt = sqlite3_column_int(st, 12) != 0;
}

int
outbox_pending(struct store *s, const char *const *kinds,
               struct outbox_row *rows, int max, struct err *err)
{
    char list[256];
    size_t used = 0;
    sqlite3_stmt *st;
    int n = 0, rc = SQLITE_DONE;

    /* one statement for every engine: the kinds go in as a JSON array */
    list[used++] = '[';
    for (const char *const *k = kinds ? kinds : outbox_chat_kinds;
         *k && used < sizeof(list); k++)
        used += (size_t)snprintf(list + used, sizeof(list) - used, "%s\"%s\"",
                                 used > 1 ? "," : "", *k);
    if (used + 2 > sizeof(list)) {
        err_set(err, "outbox: too many kinds");
        return -1;
    }
    list[used++] = ']';
    list[used] = '\0';
    st = store_query(s, err,
        /* the oldest pending rows, and the first pending row of every
         * destination however far back in the queue: a busy channel must
         * not hide a DM or a response_url behind it */
        "SELECT " ROW_COLUMNS " FROM outbox WHERE id IN ("
        " SELECT id FROM outbox WHERE state = 'pending'"
        " AND kind IN (SELECT value FROM json_each(?1)) ORDER BY id LIMIT ?2 / 2)"
        " OR id IN ("
        " SELECT min(id) FROM outbox WHERE state = 'pending'"
        " AND kind IN (SELECT value FROM json_each(?1))"
        " GROUP BY kind, coalesce(channel, ''), coalesce(user, ''), coalesce(url, ''),"
        " coalesce(update_of, 0))"
        " ORDER BY id LIMIT ?2", "si", list, max);
    if (st == NULL)
        return -1;
    while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&rows[n], 0, sizeof(rows[n]));
        read_row(st, &rows[n]);
        if (rows[n].kind && rows[n].text)
            n++;
        else
            outbox_row_release(&rows[n]);
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        err_set(err, "outbox: %s", sqlite3_errmsg(store_db(s)));
        sqlite3_reset(st);
        while (n > 0)
            outbox_row_release(&rows[--n]);
        return -1;
    }
    sqlite3_reset(st);
    return n;
}

int
outbox_get(struct store *s, int64_t id, struct outbox_row *row, struct err *err)
{
    sqlite3_stmt *st = store_query(s, err,
        "SELECT " ROW_COLUMNS " FROM outbox WHERE id = ?", "I", id);
    int rc;

    memset(row, 0, sizeof(*row));
    if (st == NULL)
        return -1;
    if ((rc = store_row(s, st, err)) <= 0)
        return rc;
    read_row(st, row);
    sqlite3_reset(st);
    return 1;
}

int
outbox_state(struct store *s, int64_t id, char *state, size_t len)
{
    char *v = NULL;
    int rc = store_query_text(s, NULL, &v, "SELECT state FROM outbox WHERE id = ?",
                              "I", id);

    snprintf(state, len, "%s", rc > 0 && v ? v : "");
    free(v);
    return rc;
}

int64_t
outbox_next_due(struct store *s)
{
    int64_t due = 0;

    store_query_int(s, NULL, &due,
                    "SELECT min(next_at) FROM outbox WHERE state = 'pending'", "");
    return due;
}

int
outbox_depth(struct store *s,
             void (*fn)(void *ud, const char *kind, int64_t pending, int64_t oldest),
             void *ud, struct err *err)
{
    sqlite3_stmt *st = store_query(s, err,
        "SELECT kind, count(*), min(created_at) FROM outbox WHERE state = 'pending'"
        " GROUP BY kind ORDER BY kind", "");
    int rc;

    if (st == NULL)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(ud, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
           sqlite3_column_int64(st, 2));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        err_set(err, "outbox: %s", sqlite3_errstr(rc));
        return -1;
    }
    return 0;
}

void
outbox_row_release(struct outbox_row *row)
{
    free(row->kind);
    free(row->channel);
    free(row->user);
    free(row->url);
    free(row->text);
    free(row->card);
    free(row->ref);
    memset(row, 0, sizeof(*row));
}

int
outbox_progress(struct store *s, int64_t id, int parts, const char *ref,
                struct err *err)
{
    return store_exec(s, err,
                      "UPDATE outbox SET parts = ?, ref = ?, sending = 0 WHERE id = ?",
                      "isI", parts, ref, id);
}

int
outbox_sending(struct store *s, int64_t id, struct err *err)
{
    return store_exec(s, err, "UPDATE outbox SET sending = 1 WHERE id = ? AND sending = 0",
                      "I", id);
}

int
outbox_sent(struct store *s, int64_t id, const char *ref, struct err *err)
{
    return store_exec(s, err,
                      "UPDATE outbox SET state = 'sent', ref = ?, sending = 0,"
                      " attempts = attempts + 1, error = NULL WHERE id = ?",
                      "sI", ref, id);
}

int
outbox_retry(struct store *s, int64_t id, int64_t next_at, const char *why,
             struct err *err)
{
    return store_exec(s, err,
                      "UPDATE outbox SET next_at = ?, attempts = attempts + 1,"
                      " sending = 0, error = ? WHERE id = ?",
                      "IsI", next_at, why, id);
}

int
outbox_failed(struct store *s, int64_t id, const char *why, struct err *err)
{
    return store_exec(s, err,
                      "UPDATE outbox SET state = 'failed', attempts = attempts + 1,"
                      " sending = 0, error = ? WHERE id = ?",
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

/* SPDX-License-Identifier: MIT */
/* lead.c: lead rows and the stage machine. */
#include "lead.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define LEAD_COLS                                                          \
    "id, name, company, email, source, note, stage, owner, created_by,"    \
    " reason, score, created_at, handed_off_at, due_at, responded_at,"     \
    " closed_at, amount"

void
lead_release(struct lead *l)
{
    free(l->name);
    free(l->company);
    free(l->email);
    free(l->source);
    free(l->note);
    free(l->stage);
    free(l->owner);
    free(l->created_by);
    free(l->reason);
    memset(l, 0, sizeof(*l));
}

static char *
col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);

    return t ? strdup((const char *)t) : NULL;
}

static int64_t
col_int(sqlite3_stmt *st, int i, int64_t unset)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? unset
                                                      : sqlite3_column_int64(st, i);
}

static void
read_row(sqlite3_stmt *st, struct lead *l)
{
    l->id = sqlite3_column_int64(st, 0);
    l->name = col_dup(st, 1);
    l->company = col_dup(st, 2);
    l->email = col_dup(st, 3);
    l->source = col_dup(st, 4);
    l->note = col_dup(st, 5);
    l->stage = col_dup(st, 6);
    l->owner = col_dup(st, 7);
    l->created_by = col_dup(st, 8);
    l->reason = col_dup(st, 9);
    l->score = (int)col_int(st, 10, -1);
    l->created_at = col_int(st, 11, 0);
    l->handed_off_at = col_int(st, 12, 0);
    l->due_at = col_int(st, 13, 0);
    l->responded_at = col_int(st, 14, 0);
    l->closed_at = col_int(st, 15, 0);
    l->amount = col_int(st, 16, -1);
}

/* "L-12", "l-12" or "12": 12; anything else 0. */
static int64_t
parse_id(const char *ref)
{
    int64_t v = 0;

    if ((ref[0] == 'L' || ref[0] == 'l') && ref[1] == '-')
        ref += 2;
    if (!isdigit((unsigned char)*ref))
        return 0;
    for (; *ref; ref++) {
        if (!isdigit((unsigned char)*ref) || v > 100000000000LL)
            return 0;
        v = v * 10 + (*ref - '0');
    }
    return v;
}

int
lead_find(struct store *s, const char *ref, struct lead *l, struct err *err)
{
    int64_t id = parse_id(ref);
    sqlite3_stmt *st;
    int rc;

    memset(l, 0, sizeof(*l));
    if (id > 0)
        st = store_query(s, err, "SELECT " LEAD_COLS " FROM leads WHERE id = ?",
                         "I", id);
    else if (strchr(ref, '@') != NULL)
        st = store_query(s, err,
                         "SELECT " LEAD_COLS " FROM leads WHERE lower(email) = lower(?)",
                         "s", ref);
    else
        return 0;
    if (st == NULL)
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_row(st, l);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    err_set(err, "database error: %s", sqlite3_errmsg(store_db(s)));
    return -1;
}

int64_t
lead_id_by_email(struct store *s, const char *email, struct err *err)
{
    int64_t id = 0;

    if (store_query_int(s, err, &id,
                        "SELECT id FROM leads WHERE lower(email) = lower(?)",
                        "s", email) < 0)
        return -1;
    return id;
}

int64_t
lead_insert(struct store *s, struct lead *l, struct err *err)
{
    if (l->stage == NULL)
        l->stage = strdup(STAGE_MQL);
    if (store_exec(s, err,
                   "INSERT INTO leads(name, company, email, source, note, stage,"
                   " created_by, score, created_at)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, nullif(?, -1), ?)",
                   "sssssssiI", l->name, l->company, l->email, l->source,
                   l->note, l->stage, l->created_by, l->score,
                   l->created_at) < 0)
        return -1;
    l->id = store_last_id(s);
    return l->id;
}

int
lead_update(struct store *s, const struct lead *l, struct err *err)
{
    return store_exec(s, err,
                      "UPDATE leads SET name = ?, company = ?, email = ?,"
                      " source = ?, note = ?, stage = ?, owner = ?, reason = ?,"
                      " score = nullif(?, -1), handed_off_at = nullif(?, 0),"
                      " due_at = nullif(?, 0), responded_at = nullif(?, 0),"
                      " closed_at = nullif(?, 0), amount = nullif(?, -1)"
                      " WHERE id = ?",
                      "ssssssssiIIIIII", l->name, l->company, l->email,
                      l->source, l->note, l->stage, l->owner, l->reason,
                      l->score, l->handed_off_at, l->due_at, l->responded_at,
                      l->closed_at, l->amount, l->id);
}

bool
lead_can(const char *from, const char *action)
{
    static const struct {
        const char *from, *action;
    } moves[] = {
        { STAGE_MQL, "handoff" },
        { STAGE_HANDED_OFF, "handoff" },     /* reassign */
        { STAGE_HANDED_OFF, "accept" },
        { STAGE_HANDED_OFF, "reject" },
        { STAGE_RECYCLED, "handoff" },
        { STAGE_SQL, "won" },
        { STAGE_SQL, "lost" },
    };

    for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++)
        if (strcmp(moves[i].from, from) == 0 && strcmp(moves[i].action, action) == 0)
            return true;
    return false;
}

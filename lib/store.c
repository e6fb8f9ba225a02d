/* SPDX-License-Identifier: MIT */
/* store.c: SQLite open, migrations and the statement cache. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "i18n.h"

/* Migrations run in order; migration i moves the schema from version i to
 * i + 1. Never edit one that shipped: add a new one. */
static const char *const migrations[] = {
    /* 1: the whole first schema */
    "CREATE TABLE leads ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  company TEXT, email TEXT, source TEXT, score INTEGER, note TEXT,"
    "  stage TEXT NOT NULL DEFAULT 'mql',"
    "  owner TEXT,"                       /* user key of the assigned rep */
    "  created_by TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  handed_off_at INTEGER,"            /* last handoff: the clock starts */
    "  due_at INTEGER,"                   /* response deadline */
    "  responded_at INTEGER,"             /* accept or reject */
    "  closed_at INTEGER,"                /* won or lost */
    "  amount INTEGER,"                   /* won amount, in cents */
    "  reason TEXT"                       /* last reject or lost reason */
    ");"
    "CREATE UNIQUE INDEX leads_email ON leads(lower(email))"
    "  WHERE email IS NOT NULL AND email <> '';"
    "CREATE INDEX leads_stage ON leads(stage, due_at);"
    "CREATE INDEX leads_owner ON leads(owner);"
    "CREATE TABLE events ("                /* append-only */
    "  id INTEGER PRIMARY KEY,"
    "  lead INTEGER REFERENCES leads(id),"
    "  kind TEXT NOT NULL,"
    "  actor TEXT,"
    "  at INTEGER NOT NULL,"
    "  data TEXT NOT NULL DEFAULT '{}'"   /* JSON object */
    ");"
    "CREATE INDEX events_lead ON events(lead, id);"
    "CREATE INDEX events_kind_at ON events(kind, at);"
    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
    "  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
    "  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
    "CREATE TABLE feedback ("
    "  id INTEGER PRIMARY KEY,"
    "  lead INTEGER NOT NULL REFERENCES leads(id),"
    "  rep TEXT NOT NULL,"
    "  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),"
    "  comment TEXT,"
    "  at INTEGER NOT NULL"
    ");"
    "CREATE INDEX feedback_lead ON feedback(lead, rep, at);"
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE goals ("
    "  id INTEGER PRIMARY KEY,"
    "  title TEXT NOT NULL,"
    "  metric TEXT NOT NULL,"
    "  target REAL NOT NULL,"
    "  period TEXT NOT NULL,"
    "  created_by TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  removed_at INTEGER"
    ");"
    "CREATE TABLE meetings ("
    "  id INTEGER PRIMARY KEY,"
    "  title TEXT NOT NULL,"
    "  cadence TEXT NOT NULL,"
    "  at_time TEXT NOT NULL,"            /* HH:MM local */
    "  channel TEXT,"                     /* NULL = the digest channel */
    "  remind INTEGER NOT NULL,"          /* seconds before */
    "  created_by TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  removed_at INTEGER"
    ");"
    "CREATE TABLE meeting_skips ("
    "  meeting INTEGER NOT NULL REFERENCES meetings(id),"
    "  day TEXT NOT NULL,"                /* YYYY-MM-DD */
    "  PRIMARY KEY (meeting, day)"
    ");"
    "CREATE TABLE glossary ("
    "  term TEXT PRIMARY KEY COLLATE NOCASE,"
    "  definition TEXT NOT NULL,"
    "  updated_by TEXT,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE TABLE content ("
    "  id INTEGER PRIMARY KEY,"
    "  title TEXT NOT NULL,"
    "  url TEXT NOT NULL,"
    "  campaign TEXT,"
    "  author TEXT,"
    "  at INTEGER NOT NULL"
    ");"
    "CREATE TABLE users ("                 /* names and zones seen or looked up */
    "  id TEXT PRIMARY KEY,"
    "  name TEXT,"
    "  tz TEXT,"
    "  updated_at INTEGER"
    ");"
    "CREATE INDEX users_name ON users(name);"
    "CREATE TABLE outbox ("                /* every post, durable until sent */
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL,"               /* channel | dm | update */
    "  target TEXT NOT NULL,"             /* channel, user key, or outbox id */
    "  text TEXT NOT NULL,"
    "  card TEXT,"                        /* JSON: buttons and fields */
    "  created_at INTEGER NOT NULL,"
    "  next_at INTEGER NOT NULL,"         /* not before (backoff, Retry-After) */
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  state TEXT NOT NULL DEFAULT 'pending',"  /* pending | sent | failed */
    "  error TEXT,"
    "  ref TEXT"                          /* platform id of the sent message */
    ");"
    "CREATE INDEX outbox_pending ON outbox(state, next_at);"
    "CREATE TABLE firings ("               /* scheduled posts, exactly once */
    "  key TEXT PRIMARY KEY,"
    "  due_at INTEGER NOT NULL,"
    "  fired_at INTEGER NOT NULL,"
    "  outcome TEXT NOT NULL"             /* fired | dropped | cancelled */
    ");"
    "CREATE TABLE seen ("                  /* redeliveries and double clicks */
    "  key TEXT PRIMARY KEY,"
    "  at INTEGER NOT NULL"
    ");",
    /* 2: the default glossary (product.md section 2). A migration rather
     * than a step at start so that it runs once: a term a manager removed
     * stays removed. OR IGNORE keeps a definition already edited.
     * updated_by NULL and updated_at 0 mark the seeded text. */
    "INSERT OR IGNORE INTO glossary(term, definition, updated_by, updated_at)"
    " VALUES"
    " ('Lead', 'a person or company that showed interest.', NULL, 0),"
    " ('MQL', 'marketing-qualified lead: fits the target profile and did"
    " something of value (sent a form, downloaded, asked for information).',"
    " NULL, 0),"
    " ('SQL', 'sales-qualified lead: accepted by sales: has the means to buy,"
    " the authority to decide, a need and a timing.', NULL, 0),"
    " ('Handoff', 'marketing passes an MQL to a sales rep; the response clock"
    " starts.', NULL, 0),"
    " ('Recycled', 'rejected by sales with a reason, back with marketing for"
    " nurturing.', NULL, 0),"
    " ('Won / lost', 'the closed-loop outcome, with an amount for won.',"
    " NULL, 0);",
    /* 3: chat adapters: the reply given to an event (sent again, not redone,
     * on a redelivery), a user's DM channel, and how many parts of a long
     * post went out already */
    "ALTER TABLE seen ADD COLUMN reply TEXT;"
    "ALTER TABLE users ADD COLUMN dm TEXT;"
    "ALTER TABLE outbox ADD COLUMN parts INTEGER NOT NULL DEFAULT 0;",
    /* 4: outbox rows say where they go in real columns instead of one
     * packed target ("C123 U456"), and their kinds are the same on every
     * platform; a user's language, for replies in it */
    "ALTER TABLE outbox ADD COLUMN channel TEXT;"
    "ALTER TABLE outbox ADD COLUMN user TEXT;"
    "ALTER TABLE outbox ADD COLUMN url TEXT;"
    "ALTER TABLE outbox ADD COLUMN update_of INTEGER;"
    "UPDATE outbox SET channel = target WHERE kind = 'channel';"
    "UPDATE outbox SET user = target WHERE kind = 'dm';"
    "UPDATE outbox SET channel = substr(target, 1, instr(target, ' ') - 1),"
    " user = substr(target, instr(target, ' ') + 1)"
    " WHERE kind = 'ephemeral' AND instr(target, ' ') > 0;"
    "UPDATE outbox SET url = target WHERE kind = 'response';"
    "UPDATE outbox SET update_of = CAST(target AS INTEGER) WHERE kind = 'update';"
    "ALTER TABLE outbox DROP COLUMN target;"
    "ALTER TABLE users ADD COLUMN locale TEXT;",
    /* 5: a lead's qualification (budget, authority, need, timing: free
     * text, "yes" when only confirmed) and buyer persona, beside the lead
     * rather than in it so the lead row stays what every module reads */
    "CREATE TABLE lead_qual ("
    "  lead INTEGER PRIMARY KEY REFERENCES leads(id),"
    "  budget TEXT, authority TEXT, need TEXT, timing TEXT,"
    "  persona TEXT COLLATE NOCASE"
    ");"
    "CREATE INDEX lead_qual_persona ON lead_qual(persona);",
    /* 6: marketing rates sales' follow-up of a lead it handed off: the
     * feedback of the other direction (history kept, as for feedback) */
    "CREATE TABLE followups ("
    "  id INTEGER PRIMARY KEY,"
    "  lead INTEGER NOT NULL REFERENCES leads(id),"
    "  rater TEXT NOT NULL,"              /* marketing or a manager */
    "  rep TEXT,"                         /* the lead's owner when rated */
    "  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),"
    "  comment TEXT,"
    "  at INTEGER NOT NULL"
    ");"
    "CREATE INDEX followups_lead ON followups(lead, rater, at);"
    "CREATE INDEX followups_rep ON followups(rep, at);",
    /* 7: where the bot has read each channel up to, so that after a gap
     * (a restart, a lost connection) it catches up from there, not from
     * a time (Mattermost's since= skips posts) */
    "CREATE TABLE cursors ("
    "  channel TEXT PRIMARY KEY,"
    "  post TEXT NOT NULL,"               /* the newest post read */
    "  at INTEGER NOT NULL,"              /* its time, ms */
    "  direct INTEGER NOT NULL DEFAULT 0" /* a DM: every post is for the bot */
    ");",
    /* 8: a part is marked before it is sent, so that after a crash the
     * engine knows which part may have arrived and asks the platform
     * before sending it again */
    "ALTER TABLE outbox ADD COLUMN sending INTEGER NOT NULL DEFAULT 0;",
    /* 9: a lead's contact in the CRM (HubSpot's contact id), so a contact
     * becomes a lead once and pushes find it; the last push the CRM
     * refused for good, for lead show */
    "ALTER TABLE leads ADD COLUMN crm_id TEXT;"
    "ALTER TABLE leads ADD COLUMN crm_error TEXT;"
    "CREATE UNIQUE INDEX leads_crm_id ON leads(crm_id);",
    /* 10: a recycled or lost lead to look at again from a date (reject and
     * lost until=): the scheduler reminds marketing that day */
    "CREATE TABLE revisits ("
    "  lead INTEGER PRIMARY KEY REFERENCES leads(id),"
    "  day TEXT NOT NULL,"                /* YYYY-MM-DD, local */
    "  kind TEXT NOT NULL,"               /* rejected | lost */
    "  set_by TEXT,"
    "  set_at INTEGER NOT NULL"           /* the reject's or lost's time */
    ");",
    /* 11: the buyer personas leads name (lead_qual.persona holds the
     * name); removed ones are kept for the history */
    "CREATE TABLE personas ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL COLLATE NOCASE,"
    "  description TEXT NOT NULL,"
    "  created_by TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  removed_at INTEGER"
    ");"
    "CREATE UNIQUE INDEX personas_name ON personas(name) WHERE removed_at IS NULL;",
    /* 12: richer goals: a target relative to the period before (growth in
     * percent, target then unused) and the team a goal belongs to */
    "ALTER TABLE goals ADD COLUMN growth REAL;"
    "ALTER TABLE goals ADD COLUMN team TEXT;",
    /* 13: the content calendar (a planned date: local midnight of it) and
     * sales' ratings of what helped (history kept, the newest per rater
     * counts) */
    "ALTER TABLE content ADD COLUMN planned_at INTEGER;"
    "ALTER TABLE content ADD COLUMN removed_at INTEGER;"
    "CREATE TABLE content_ratings ("
    "  id INTEGER PRIMARY KEY,"
    "  content INTEGER NOT NULL REFERENCES content(id),"
    "  rater TEXT NOT NULL,"
    "  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),"
    "  comment TEXT,"
    "  at INTEGER NOT NULL"
    ");"
    "CREATE INDEX content_ratings_content ON content_ratings(content, rater, at);",
    /* 14: campaigns: a target in customers or revenue (cents) over a
     * period, of one source or all */
    "CREATE TABLE campaigns ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL COLLATE NOCASE,"
    "  kind TEXT NOT NULL,"               /* customers | revenue */
    "  target INTEGER NOT NULL,"
    "  period TEXT NOT NULL,"
    "  source TEXT,"
    "  created_by TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  removed_at INTEGER"
    ");",
    /* 15: what goes on a meeting's agenda (topics anyone adds) and what
     * came out of it (the organiser's notes, shown in the digest) */
    "CREATE TABLE meeting_items ("
    "  id INTEGER PRIMARY KEY,"
    "  meeting INTEGER NOT NULL REFERENCES meetings(id),"
    "  kind TEXT NOT NULL,"               /* topic | notes */
    "  text TEXT NOT NULL,"
    "  author TEXT,"
    "  at INTEGER NOT NULL"
    ");"
    "CREATE INDEX meeting_items_meeting ON meeting_items(meeting, kind, at);",
    /* 16: a meeting's attendees (user keys, space-separated), reminded by
     * DM */
    "ALTER TABLE meetings ADD COLUMN attendees TEXT;",
};

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))
#define STMT_CACHE 128

struct cached_stmt {
    const char *sql;            /* the caller's literal */
    sqlite3_stmt *stmt;
};

struct store {
    sqlite3 *db;
    int depth;                  /* store_begin nesting: 1 = BEGIN, more =
                                 * SAVEPOINTs inside it */
    int ncached;
    struct cached_stmt cache[STMT_CACHE];
};

int
store_schema_version(void)
{
    return NMIGRATIONS;
}

static int
exec_sql(struct store *s, const char *sql, struct err *err)
{
    char *msg = NULL;

    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        err_set(err, _("database error: %s"), msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int
migrate(struct store *s, int target, struct err *err)
{
    int64_t version = 0;
    char pragma[64];

    if (store_query_int(s, err, &version, "PRAGMA user_version", "") < 0)
        return -1;
    if (version > NMIGRATIONS) {
        err_set(err, _("database schema version %lld is newer than this smarkbot (%d); upgrade smarkbot"),
                (long long)version, NMIGRATIONS);
        return -1;
    }
    for (int v = (int)version; v < target; v++) {
        if (exec_sql(s, "BEGIN IMMEDIATE", err) < 0)
            return -1;
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
        if (exec_sql(s, migrations[v], err) < 0 || exec_sql(s, pragma, err) < 0) {
            exec_sql(s, "ROLLBACK", NULL);
            return -1;
        }
        if (exec_sql(s, "COMMIT", err) < 0)
            return -1;
    }
    return 0;
}

struct store *
store_open(const char *path, struct err *err)
{
    return store_open_at(path, NMIGRATIONS, err);
}

struct store *
store_open_at(const char *path, int version, struct err *err)
{
    struct store *s = calloc(1, sizeof(*s));
    int fd;

    if (s == NULL) {
        err_set(err, _("out of memory"));
        return NULL;
    }
    /* leads are personal data: the file is the owner's alone, and SQLite
     * gives the -wal and -shm files the same mode */
    if (path[0] != ':' && (fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) >= 0)
        close(fd);
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        NULL) != SQLITE_OK) {
        err_set(err, _("cannot open database '%s': %s"), path,
                s->db ? sqlite3_errmsg(s->db) : _("out of memory"));
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 5000);
    if (exec_sql(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                    "PRAGMA foreign_keys = ON;", err) < 0 ||
        migrate(s, version, err) < 0) {
        if (err) {
            char msg[sizeof(err->msg)];

            snprintf(msg, sizeof(msg), "%s", err->msg);
            err_clear(err);
            err_set(err, "%s: %s", path, msg);
        }
        goto fail;
    }
    return s;
fail:
    store_free(s);
    return NULL;
}

struct store *
store_open_readonly(const char *path, struct err *err)
{
    struct store *s = calloc(1, sizeof(*s));
    int64_t version = 0;

    if (s == NULL) {
        err_set(err, _("out of memory"));
        return NULL;
    }
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        err_set(err, _("cannot open database '%s': %s"), path,
                s->db ? sqlite3_errmsg(s->db) : _("out of memory"));
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 5000);
    if (store_query_int(s, err, &version, "PRAGMA user_version", "") < 0)
        goto fail;
    if (version != NMIGRATIONS) {
        err_set(err, version < NMIGRATIONS
                         ? _("database '%s' is at schema version %lld and this smarkbot reads %d: start the bot once to upgrade it")
                         : _("database '%s' is at schema version %lld, newer than this smarkbot (%d); upgrade smarkbot"),
                path, (long long)version, NMIGRATIONS);
        goto fail;
    }
    return s;
fail:
    store_free(s);
    return NULL;
}

int
store_lock(const char *path, struct err *err)
{
    char lock[4096];
    int fd;

    if (path[0] == ':')
        return -2;
    snprintf(lock, sizeof(lock), "%s.lock", path);
    if ((fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0) {
        err_set(err, _("cannot create '%s': %s"), lock, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        err_set(err, errno == EWOULDBLOCK
                         ? _("another smarkbot is already running on '%s' (one bot per database: both would send every post)")
                         : _("cannot lock '%s': %s"),
                path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

void
store_free(struct store *s)
{
    if (s == NULL)
        return;
    for (int i = 0; i < s->ncached; i++)
        sqlite3_finalize(s->cache[i].stmt);
    sqlite3_close(s->db);
    free(s);
}

sqlite3_stmt *
store_stmt(struct store *s, const char *sql, struct err *err)
{
    struct cached_stmt *c;

    for (int i = 0; i < s->ncached; i++) {
        c = &s->cache[i];
        if (c->sql == sql || strcmp(c->sql, sql) == 0) {
            sqlite3_reset(c->stmt);
            sqlite3_clear_bindings(c->stmt);
            return c->stmt;
        }
    }
    if (s->ncached == STMT_CACHE) {
        err_set(err, "statement cache full");
        return NULL;
    }
    c = &s->cache[s->ncached];
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->stmt,
                           NULL) != SQLITE_OK) {
        err_set(err, _("database error: %s"), sqlite3_errmsg(s->db));
        return NULL;
    }
    c->sql = sql;
    s->ncached++;
    return c->stmt;
}

static sqlite3_stmt *
bind_v(struct store *s, struct err *err, const char *sql, const char *fmt,
       va_list ap)
{
    sqlite3_stmt *st = store_stmt(s, sql, err);
    int rc = SQLITE_OK;

    if (st == NULL)
        return NULL;
    for (int i = 0; fmt[i] && rc == SQLITE_OK; i++) {
        const char *str;

        switch (fmt[i]) {
        case 'i':
            rc = sqlite3_bind_int(st, i + 1, va_arg(ap, int));
            break;
        case 'I':
            rc = sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
            break;
        case 'd':
            rc = sqlite3_bind_double(st, i + 1, va_arg(ap, double));
            break;
        case 's':
            str = va_arg(ap, const char *);
            rc = str ? sqlite3_bind_text(st, i + 1, str, -1, SQLITE_TRANSIENT)
                     : sqlite3_bind_null(st, i + 1);
            break;
        case 'n':
            rc = sqlite3_bind_null(st, i + 1);
            break;
        default:
            rc = SQLITE_MISUSE;
        }
    }
    if (rc != SQLITE_OK) {
        err_set(err, _("database error: %s"), sqlite3_errstr(rc));
        return NULL;
    }
    return st;
}

sqlite3_stmt *
store_query(struct store *s, struct err *err, const char *sql, const char *fmt,
            ...)
{
    sqlite3_stmt *st;
    va_list ap;

    va_start(ap, fmt);
    st = bind_v(s, err, sql, fmt, ap);
    va_end(ap);
    return st;
}

int
store_exec(struct store *s, struct err *err, const char *sql, const char *fmt,
           ...)
{
    sqlite3_stmt *st;
    va_list ap;
    int rc;

    va_start(ap, fmt);
    st = bind_v(s, err, sql, fmt, ap);
    va_end(ap);
    if (st == NULL)
        return -1;
    rc = sqlite3_step(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        err_set(err, _("database error: %s"), sqlite3_errmsg(s->db));
        sqlite3_reset(st);
        return -1;
    }
    sqlite3_reset(st);
    return 0;
}

int
store_query_int(struct store *s, struct err *err, int64_t *out, const char *sql,
                const char *fmt, ...)
{
    sqlite3_stmt *st;
    va_list ap;
    int rc;

    va_start(ap, fmt);
    st = bind_v(s, err, sql, fmt, ap);
    va_end(ap);
    if (st == NULL)
        return -1;
    if ((rc = store_row(s, st, err)) <= 0)
        return rc;
    *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return 1;
}

int
store_query_text(struct store *s, struct err *err, char **out, const char *sql,
                 const char *fmt, ...)
{
    sqlite3_stmt *st;
    va_list ap;
    int rc;

    va_start(ap, fmt);
    st = bind_v(s, err, sql, fmt, ap);
    va_end(ap);
    if (st == NULL)
        return -1;
    if ((rc = store_row(s, st, err)) <= 0)
        return rc;
    *out = store_col_dup(st, 0);
    sqlite3_reset(st);
    return 1;
}

int
store_begin(struct store *s, struct err *err)
{
    /* An adapter may wrap a command in its own transaction (to record the
     * event it answers); the command's begin then nests as a savepoint.
     * SQLite may have ended a transaction on its own (disk full, I/O
     * error): trust its state over our count, so this is a real BEGIN. */
    if (sqlite3_get_autocommit(s->db))
        s->depth = 0;
    if (exec_sql(s, s->depth > 0 ? "SAVEPOINT smk_nested" : "BEGIN IMMEDIATE",
                 err) < 0)
        return -1;
    s->depth++;
    return 0;
}

int
store_commit(struct store *s, struct err *err)
{
    if (s->depth > 1) {
        if (exec_sql(s, "RELEASE smk_nested", err) < 0) {
            store_rollback(s);
            return -1;
        }
        s->depth--;
        return 0;
    }
    if (exec_sql(s, "COMMIT", err) < 0) {
        store_rollback(s);
        return -1;
    }
    s->depth = 0;
    return 0;
}

void
store_rollback(struct store *s)
{
    if (s->depth > 1) {
        exec_sql(s, "ROLLBACK TO smk_nested; RELEASE smk_nested", NULL);
        s->depth--;
        return;
    }
    s->depth = 0;
    if (!sqlite3_get_autocommit(s->db))
        exec_sql(s, "ROLLBACK", NULL);
}

bool
store_in_transaction(const struct store *s)
{
    return !sqlite3_get_autocommit(s->db);
}

int64_t
store_last_id(const struct store *s)
{
    return sqlite3_last_insert_rowid(s->db);
}

int
store_changes(const struct store *s)
{
    return sqlite3_changes(s->db);
}

sqlite3 *
store_db(struct store *s)
{
    return s->db;
}

char *
store_get_setting(struct store *s, const char *key)
{
    char *v = NULL;

    if (store_query_text(s, NULL, &v, "SELECT value FROM settings WHERE key = ?",
                         "s", key) <= 0)
        return NULL;
    return v;
}

int
store_set_setting(struct store *s, const char *key, const char *value,
                  struct err *err)
{
    return store_exec(s, err,
                      "INSERT INTO settings(key, value) VALUES (?, ?)"
                      " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                      "ss", key, value);
}

char *
store_col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);

    return t ? strdup((const char *)t) : NULL;
}

int
store_row(struct store *s, sqlite3_stmt *st, struct err *err)
{
    int rc = sqlite3_step(st);

    if (rc == SQLITE_ROW)
        return 1;
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return 0;
    err_set(err, _("database error: %s"), sqlite3_errmsg(s->db));
    return -1;
}

const char *
store_col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);

    return t ? (const char *)t : "";
}

int
store_error(struct store *s, struct err *err)
{
    err_set(err, _("database error: %s"), sqlite3_errmsg(s->db));
    return -1;
}

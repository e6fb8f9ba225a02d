/* SPDX-License-Identifier: MIT */
/* store.h: the embedded SQLite database: open, migrate, prepared statements,
 * transactions.
 *
 * Every statement is prepared once (store_stmt caches it by its SQL text)
 * and reset by the next store_stmt call on the same text, so callers bind,
 * step and move on. Domain modules (lib/lead.c, lib/outbox.c ...) own
 * their SQL; commands call them. */
#ifndef SMK_STORE_H
#define SMK_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "err.h"

struct store;

/* Opens (creating if needed) the database at path (":memory:" works),
 * turns on WAL, foreign keys and a busy timeout, and runs every pending
 * migration. Returns NULL with err filled. */
struct store *store_open(const char *path, struct err *err);
/* Like store_open, but migrates only up to schema version (tests use it
 * to build a database as an older smarkbot left it). */
struct store *store_open_at(const char *path, int version, struct err *err);
/* Closes; store_free(NULL) is a no-op. */
void store_free(struct store *s);
/* Opens an existing database for reading only: never created, never
 * migrated (a schema of another version is an error). NULL with err. */
struct store *store_open_readonly(const char *path, struct err *err);
/* Takes the database's run lock (path.lock, held until the process ends):
 * the fd, -2 for ":memory:", or -1 with err when another bot holds it. */
int store_lock(const char *path, struct err *err);

/* The schema version this binary writes (PRAGMA user_version). */
int store_schema_version(void);

/* A prepared, reset statement for sql (a string literal: the cache keys on
 * its address first). Borrowed: valid until store_free. NULL on error. */
sqlite3_stmt *store_stmt(struct store *s, const char *sql, struct err *err);

/* Binds args by a format ("i" int, "I" int64, "s" text or NULL, "n" null,
 * "d" double) and steps a statement that returns no rows. */
int store_exec(struct store *s, struct err *err, const char *sql,
               const char *fmt, ...);
/* Like store_exec, for a query whose first row's first column is an integer
 * (*out untouched when there is no row). Returns 1 row found, 0 none, -1. */
int store_query_int(struct store *s, struct err *err, int64_t *out,
                    const char *sql, const char *fmt, ...);
/* Like store_query_int for text; *out is owned by the caller. */
int store_query_text(struct store *s, struct err *err, char **out,
                     const char *sql, const char *fmt, ...);
/* Binds by fmt, as above, to a cached statement and returns it ready to
 * step. NULL on error. */
sqlite3_stmt *store_query(struct store *s, struct err *err, const char *sql,
                          const char *fmt, ...);

/* Transactions: begin takes the write lock at once (BEGIN IMMEDIATE) so a
 * command never fails half-way on a busy database. */
int store_begin(struct store *s, struct err *err);
int store_commit(struct store *s, struct err *err);
void store_rollback(struct store *s);
bool store_in_transaction(const struct store *s);

/* rowid of the last insert. */
int64_t store_last_id(const struct store *s);
/* Rows changed by the last statement. */
int store_changes(const struct store *s);

/* Steps st expecting at most one row: 1 = a row to read (the caller
 * resets st after reading it), 0 = none, -1 = error (err filled); in the
 * last two cases st is reset already. */
int store_row(struct store *s, sqlite3_stmt *st, struct err *err);

/* Column i of the current row as an owned copy (NULL for NULL). */
char *store_col_dup(sqlite3_stmt *st, int i);
/* Column i of the current row, or "" for NULL: labels never print
 * "(null)". Valid until the next step or reset of st. */
const char *store_col_text(sqlite3_stmt *st, int i);

/* Sets err to the database's last error; returns -1 for the caller to
 * return. */
int store_error(struct store *s, struct err *err);

/* The raw handle, for tests and benchmarks only. */
sqlite3 *store_db(struct store *s);

/* A key/value setting (table settings); NULL when unset, owned. */
char *store_get_setting(struct store *s, const char *key);
int store_set_setting(struct store *s, const char *key, const char *value,
                      struct err *err);

#endif

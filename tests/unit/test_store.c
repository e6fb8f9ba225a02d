/* SPDX-License-Identifier: MIT */
/* test_store.c: migrations, WAL, statements and transactions. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"

static char dir[] = "/tmp/smk-test-store-XXXXXX";
static char path[512];

static int
setup(void **state)
{
    (void)state;
    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(path, sizeof(path), "%s/t.db", dir);
    return 0;
}

static int
teardown(void **state)
{
    char cmd[600];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void
test_fresh_database_is_current_and_wal(void **state)
{
    struct err err = { 0 };
    struct store *s;
    int64_t v = 0;
    char *mode = NULL;

    (void)state;
    unlink(path);
    s = store_open(path, &err);
    assert_non_null(s);
    assert_int_equal(store_query_int(s, &err, &v, "PRAGMA user_version", ""), 1);
    assert_int_equal(v, store_schema_version());
    assert_int_equal(store_query_text(s, &err, &mode, "PRAGMA journal_mode", ""), 1);
    assert_string_equal(mode, "wal");
    free(mode);
    store_free(s);
}

/* A database an older smarkbot left (schema 1, with data) opens, migrates
 * to the current schema, and keeps its data. */
static void
test_old_database_migrates(void **state)
{
    struct err err = { 0 };
    struct store *s;
    int64_t v = 0, n = 0;

    (void)state;
    unlink(path);
    s = store_open_at(path, 1, &err);
    assert_non_null(s);
    assert_int_equal(store_exec(s, &err,
        "INSERT INTO leads(name, stage, created_by, created_at) VALUES (?, 'mql', 'alice', 1)",
        "s", "Old Lead"), 0);
    store_free(s);

    s = store_open(path, &err);
    assert_non_null(s);
    assert_int_equal(store_query_int(s, &err, &v, "PRAGMA user_version", ""), 1);
    assert_int_equal(v, store_schema_version());
    assert_int_equal(store_query_int(s, &err, &n, "SELECT count(*) FROM leads WHERE name = ?",
                                     "s", "Old Lead"), 1);
    assert_int_equal(n, 1);
    store_free(s);
}

/* The default glossary reaches a database made before it was seeded, and
 * a definition the team already wrote is kept. */
static void
test_glossary_seeded_on_upgrade(void **state)
{
    struct err err = { 0 };
    struct store *s;
    char *def = NULL;
    int64_t n = 0;

    (void)state;
    unlink(path);
    s = store_open_at(path, 1, &err);
    assert_non_null(s);
    assert_int_equal(store_exec(s, &err,
        "INSERT INTO glossary VALUES ('mql', 'our own words', 'carol', 1)", ""), 0);
    store_free(s);

    s = store_open(path, &err);
    assert_non_null(s);
    assert_int_equal(store_query_text(s, &err, &def,
        "SELECT definition FROM glossary WHERE term = 'MQL'", ""), 1);
    assert_string_equal(def, "our own words");
    free(def);
    assert_int_equal(store_query_int(s, &err, &n,
        "SELECT count(*) FROM glossary WHERE term IN ('SQL', 'Lead', 'Handoff')", ""), 1);
    assert_int_equal(n, 3);
    store_free(s);
}

/* A database as the Slack release left it (schema 3, with a lead) gains
 * what issue 11 added (qualification, follow-ups ...) and keeps its data:
 * the new tables take rows about the old lead. */
static void
test_schema3_upgrades_to_practices(void **state)
{
    static const char *const inserts[] = {
        "INSERT INTO lead_qual(lead, budget, persona) VALUES (1, 'yes', 'CFO')",
        "INSERT INTO followups(lead, rater, rep, rating, at) VALUES (1, 'alice', 'bob', 4, 2)",
    };
    struct err err = { 0 };
    struct store *s;
    int64_t n = 0;

    (void)state;
    unlink(path);
    s = store_open_at(path, 3, &err);
    assert_non_null(s);
    assert_int_equal(store_exec(s, &err,
        "INSERT INTO leads(id, name, stage, created_by, created_at)"
        " VALUES (1, 'Old Lead', 'handed_off', 'alice', 1)", ""), 0);
    store_free(s);

    s = store_open(path, &err);
    assert_non_null(s);
    for (size_t i = 0; i < sizeof(inserts) / sizeof(inserts[0]); i++)
        assert_int_equal(store_exec(s, &err, inserts[i], ""), 0);
    assert_int_equal(store_query_int(s, &err, &n, "SELECT count(*) FROM leads", ""), 1);
    assert_int_equal(n, 1);
    store_free(s);
}

static void
test_newer_database_is_refused(void **state)
{
    struct err err = { 0 };
    struct store *s;

    (void)state;
    unlink(path);
    s = store_open(path, &err);
    assert_int_equal(store_exec(s, &err, "PRAGMA user_version = 999", ""), 0);
    store_free(s);
    s = store_open(path, &err);
    assert_null(s);
    assert_non_null(strstr(err.msg, "newer than this smarkbot"));
}

static void
test_rollback_and_append_only_events(void **state)
{
    struct err err = { 0 };
    struct store *s = store_open(":memory:", &err);
    int64_t n = -1;

    (void)state;
    assert_non_null(s);
    assert_int_equal(store_begin(s, &err), 0);
    assert_true(store_in_transaction(s));
    assert_int_equal(store_exec(s, &err,
        "INSERT INTO leads(name, stage, created_by, created_at) VALUES ('x', 'mql', 'a', 1)", ""), 0);
    store_rollback(s);
    assert_false(store_in_transaction(s));
    assert_int_equal(store_query_int(s, &err, &n, "SELECT count(*) FROM leads", ""), 1);
    assert_int_equal(n, 0);

    assert_int_equal(store_exec(s, &err,
        "INSERT INTO events(kind, actor, at) VALUES ('k', 'a', 1)", ""), 0);
    assert_int_equal(store_exec(s, &err, "UPDATE events SET kind = 'z'", ""), -1);
    assert_non_null(strstr(err.msg, "append-only"));
    err_clear(&err);
    assert_int_equal(store_exec(s, &err, "DELETE FROM events", ""), -1);
    store_free(s);
}

static int64_t
count(struct store *s, const char *sql)
{
    int64_t n = -1;

    store_query_int(s, NULL, &n, sql, "");
    return n;
}

/* An adapter's transaction around a command's: the inner one is a
 * savepoint that can fail alone, the outer one decides in the end. */
static void
test_nested_transactions(void **state)
{
    struct err err = { 0 };
    struct store *s = store_open(":memory:", &err);

    (void)state;
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_exec(s, &err, "INSERT INTO seen VALUES ('outer', 1, NULL)", ""), 0);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_exec(s, &err, "INSERT INTO seen VALUES ('inner', 1, NULL)", ""), 0);
    store_rollback(s);                  /* the command refused */
    assert_true(store_in_transaction(s));
    assert_int_equal(store_commit(s, &err), 0);
    assert_int_equal(count(s, "SELECT count(*) FROM seen WHERE key = 'outer'"), 1);
    assert_int_equal(count(s, "SELECT count(*) FROM seen WHERE key = 'inner'"), 0);

    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_exec(s, &err, "INSERT INTO seen VALUES ('both', 1, NULL)", ""), 0);
    assert_int_equal(store_commit(s, &err), 0);
    store_rollback(s);                  /* the outer one failed after */
    assert_false(store_in_transaction(s));
    assert_int_equal(count(s, "SELECT count(*) FROM seen WHERE key = 'both'"), 0);

    store_free(s);
}

/* SQLite ended a transaction behind our back (as on a full disk): the
 * next begin must be a real BEGIN IMMEDIATE that takes the write lock at
 * once, not a deferred savepoint. */
static void
test_begin_after_sqlite_rolled_back(void **state)
{
    struct err err = { 0 };
    struct store *s;
    sqlite3 *other = NULL;

    (void)state;
    unlink(path);
    s = store_open(path, &err);
    assert_non_null(s);
    assert_int_equal(store_begin(s, &err), 0);
    sqlite3_exec(store_db(s), "ROLLBACK", NULL, NULL, NULL);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_BUSY);
    sqlite3_close(other);
    assert_int_equal(store_exec(s, &err, "INSERT INTO seen VALUES ('after', 1, NULL)", ""), 0);
    assert_int_equal(store_commit(s, &err), 0);
    assert_false(store_in_transaction(s));
    assert_int_equal(count(s, "SELECT count(*) FROM seen WHERE key = 'after'"), 1);
    store_free(s);
}

static void
test_statements_are_cached_and_bound(void **state)
{
    struct err err = { 0 };
    struct store *s = store_open(":memory:", &err);
    sqlite3_stmt *a, *b;
    char *v = NULL;

    (void)state;
    a = store_stmt(s, "SELECT 1", &err);
    b = store_stmt(s, "SELECT 1", &err);
    assert_ptr_equal(a, b);
    /* values are bound, never spliced: a quote is just a character */
    assert_int_equal(store_set_setting(s, "k", "it's'; DROP TABLE leads;--", &err), 0);
    v = store_get_setting(s, "k");
    assert_string_equal(v, "it's'; DROP TABLE leads;--");
    free(v);
    assert_null(store_get_setting(s, "missing"));
    assert_int_equal(store_set_setting(s, "k", "2", &err), 0);
    v = store_get_setting(s, "k");
    assert_string_equal(v, "2");
    free(v);
    store_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fresh_database_is_current_and_wal),
        cmocka_unit_test(test_old_database_migrates),
        cmocka_unit_test(test_glossary_seeded_on_upgrade),
        cmocka_unit_test(test_schema3_upgrades_to_practices),
        cmocka_unit_test(test_newer_database_is_refused),
        cmocka_unit_test(test_rollback_and_append_only_events),
        cmocka_unit_test(test_nested_transactions),
        cmocka_unit_test(test_begin_after_sqlite_rolled_back),
        cmocka_unit_test(test_statements_are_cached_and_bound),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

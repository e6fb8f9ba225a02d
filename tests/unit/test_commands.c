/* SPDX-License-Identifier: MIT */
/* test_commands.c: the command table and dispatch (lookup, suggestions,
 * arity, roles, one transaction per command). */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot.h"
#include "commands.h"
#include "router.h"

static void
test_table_sorted_unique_and_documented(void **state)
{
    (void)state;
    for (size_t i = 0; i < ncommands; i++) {
        const struct command *c = &commands[i];

        if (i > 0 && strcmp(commands[i - 1].name, c->name) >= 0)
            fail_msg("'%s' is not after '%s'", c->name, commands[i - 1].name);
        assert_non_null(c->fn);
        assert_non_null(c->usage);
        assert_true(c->help != NULL && c->help[0] != '\0');
        assert_true(c->min_args >= 0);
        assert_true(c->max_args == -1 || c->max_args >= c->min_args);
        if (c->perm)
            assert_true(c->perm_what != NULL && c->perm_what[0] != '\0');
    }
}

/* docs/commands.md has a section for every command of the table, found
 * from this file's place in the source tree (whatever the working
 * directory). */
static void
test_every_command_is_documented(void **state)
{
    const char *self = __FILE__, *tail = strstr(self, "tests/unit/test_commands.c");
    char path[1024], *text;
    FILE *fp;
    long size;

    (void)state;
    assert_non_null(tail);
    snprintf(path, sizeof(path), "%.*sdocs/commands.md", (int)(tail - self), self);
    fp = fopen(path, "r");
    if (fp == NULL)
        fail_msg("cannot read %s", path);
    fseek(fp, 0, SEEK_END);
    size = ftell(fp);
    rewind(fp);
    text = malloc((size_t)size + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)size, fp), (size_t)size);
    text[size] = '\0';
    fclose(fp);
    for (size_t i = 0; i < ncommands; i++) {
        char heading[128], row[128];

        snprintf(heading, sizeof(heading), "\n### `/smk %s`\n", commands[i].name);
        snprintf(row, sizeof(row), "\n| `%s` |", commands[i].name);
        if (strstr(text, heading) == NULL)
            fail_msg("docs/commands.md has no section '%s'", heading + 1);
        if (strstr(text, row) == NULL)
            fail_msg("docs/commands.md's table has no row for '%s'", commands[i].name);
    }
    free(text);
}

/* A bot on an in-memory store with the demo's roles. */
static struct bot bot;

static int
setup(void **state)
{
    struct err err = { 0 };

    (void)state;
    memset(&bot, 0, sizeof(bot));
    if (config_load(&bot.cfg, NULL, &err) < 0)
        return -1;
    strlist_split(&bot.cfg.marketing, "alice");
    strlist_split(&bot.cfg.sales, "bob, dave");
    strlist_split(&bot.cfg.managers, "carol");
    bot.log.level = LOG_ERR;
    clock_set(&bot.clock, 1795000000);
    bot.store = store_open(":memory:", &err);
    return bot.store ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    store_free(bot.store);
    config_release(&bot.cfg);
    return 0;
}

/* Runs text as user; returns the reply (static buffer) and the result. */
static const char *
run(const char *user, const char *text, int *rc)
{
    static char out[4096];
    struct chat_msg msg = { 0 };
    struct strbuf reply;

    msg.user_id = (char *)user;
    msg.user_name = (char *)user;
    msg.text = (char *)text;
    strbuf_init(&reply, 0);
    *rc = router_handle(&bot, &msg, &reply);
    snprintf(out, sizeof(out), "%s", strbuf_str(&reply));
    strbuf_release(&reply);
    return out;
}

static int64_t
count_leads(void)
{
    int64_t n = -1;

    store_query_int(bot.store, NULL, &n, "SELECT count(*) FROM leads", "");
    return n;
}

static void
test_refusal_classes(void **state)
{
    int rc;

    (void)state;
    assert_string_equal(run("alice", "hnadoff L-3", &rc),
                        "unknown command 'hnadoff'; did you mean 'handoff'? try /smk help");
    assert_int_equal(rc, -1);
    assert_string_equal(run("alice", "lead add", &rc),
                        "usage: /smk lead add \"<name>\" [company=] [email=] [source=] [score=0..100] [note=]"
                        " [budget=] [authority=] [need=] [timing=] [bant=bnt] [persona=]");
    assert_string_equal(run("bob", "lead add \"X\"", &rc),
                        "only marketing or managers can add leads");
    assert_string_equal(run("nobody", "sla set response=2h", &rc),
                        "only managers can change the SLA");
    assert_int_equal(count_leads(), 0);
}

static void
test_refused_command_rolls_back(void **state)
{
    int rc;

    (void)state;
    /* the lead would be inserted before the email check refuses it: the
     * insert must not survive */
    run("alice", "lead add \"A\" email=a@x.io", &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(count_leads(), 1);
    assert_string_equal(run("alice", "lead add \"B\" score=7 email=A@X.IO", &rc),
                        "A@X.IO is already lead L-1");
    assert_int_equal(rc, -1);
    assert_int_equal(count_leads(), 1);
    assert_false(store_in_transaction(bot.store));
}

static void
test_input_checks(void **state)
{
    char big[ROUTER_MAX_TEXT + 10];
    int rc;

    (void)state;
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_non_null(strstr(run("alice", big, &rc), "message too long"));
    assert_string_equal(run("alice", "lead add \"\xc3\x28\"", &rc), "message is not valid UTF-8");
    assert_string_equal(run("alice", "lead add \"a\x1b[2J\"", &rc),
                        "message contains control characters");
    assert_string_equal(run("alice", "", &rc), "say a command; try /smk help");
    assert_int_equal(count_leads(), 1);
}

static void
test_utf8_validator(void **state)
{
    (void)state;
    assert_true(router_valid_utf8("Łódź ção ñ 日本 🎉", strlen("Łódź ção ñ 日本 🎉")));
    assert_false(router_valid_utf8("\xc0\xaf", 2));         /* overlong */
    assert_false(router_valid_utf8("\xed\xa0\x80", 3));     /* surrogate */
    assert_false(router_valid_utf8("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
    assert_false(router_valid_utf8("\xe2\x82", 2));         /* cut short */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_sorted_unique_and_documented),
        cmocka_unit_test(test_every_command_is_documented),
        cmocka_unit_test(test_refusal_classes),
        cmocka_unit_test(test_refused_command_rolls_back),
        cmocka_unit_test(test_input_checks),
        cmocka_unit_test(test_utf8_validator),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

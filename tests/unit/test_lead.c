/* SPDX-License-Identifier: MIT */
/* test_lead.c: the stage machine, amounts, lead references, round-robin and
 * the lead list filters, on an in-memory store. */
#include "unit.h"
#include "format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lead.h"
#include "store.h"

static struct store *
open_store(void)
{
    struct err err = { 0 };
    struct store *s = store_open(":memory:", &err);

    assert_non_null(s);
    return s;
}

/* Inserts a lead named name created at `at`, optionally with an email. */
static int64_t
add_lead(struct store *s, const char *name, const char *email, int64_t at)
{
    struct lead l = { 0 };
    int64_t id;

    l.name = strdup(name);
    l.email = email ? strdup(email) : NULL;
    l.created_by = strdup("alice");
    l.created_at = at;
    l.score = -1;
    l.amount = -1;
    id = lead_insert(s, &l, NULL);
    assert_true(id > 0);
    lead_release(&l);
    return id;
}

static void
test_stage_machine(void **state)
{
    /* every (stage, action) pair: product.md section 2 allows exactly the
     * moves marked 1 */
    static const char *const stages[] = { "mql", "handed_off", "sql", "recycled",
                                          "won", "lost" };
    static const char *const actions[] = { "handoff", "accept", "reject", "won",
                                           "lost", "reopen" };
    static const int legal[6][6] = {
        /*             handoff accept reject won lost reopen */
        /* mql */        { 1, 0, 0, 0, 0, 0 },
        /* handed_off */ { 1, 1, 1, 0, 0, 0 },
        /* sql */        { 0, 0, 0, 1, 1, 0 },
        /* recycled */   { 1, 0, 0, 0, 0, 0 },
        /* won */        { 0, 0, 0, 0, 0, 1 },
        /* lost */       { 0, 0, 0, 0, 0, 1 },
    };
    (void)state;
    for (int i = 0; i < 6; i++) {
        assert_string_equal(lead_stage_named(stages[i]), stages[i]);
        for (int j = 0; j < 6; j++)
            if (lead_can(stages[i], actions[j]) != (legal[i][j] == 1))
                fail_msg("%s --%s--> expected %s", stages[i], actions[j],
                         legal[i][j] ? "legal" : "illegal");
    }
    assert_null(lead_stage_named("open"));
    assert_string_equal(lead_stage_named("SQL"), "sql");
    assert_string_equal(lead_stage_named("Handed_Off"), "handed_off");
    assert_false(lead_can("mql", "frobnicate"));
}

static void
test_stages_for(void **state)
{
    char buf[128];

    (void)state;
    lead_stages_for("handoff", buf, sizeof(buf));
    assert_string_equal(buf, "mql, handed_off or recycled");
    lead_stages_for("accept", buf, sizeof(buf));
    assert_string_equal(buf, "handed_off");
    lead_stages_for("won", buf, sizeof(buf));
    assert_string_equal(buf, "sql");
}

static void
test_parse_amount(void **state)
{
    static const struct {
        const char *in;
        int64_t cents;      /* -1: refused */
    } cases[] = {
        { "12000", 1200000 },
        { "12,000", 1200000 },
        { "12,000.50", 1200050 },
        { "12000.5", 1200050 },
        { "1,234,567.89", 123456789 },
        { "12k", 1200000 },
        { "12K", 1200000 },
        { "1.5k", 150000 },
        { "2m", 200000000 },
        { "0.99", 99 },
        { "7", 700 },
        { "0", -1 },
        { "0.00", -1 },
        { "", -1 },
        { "k", -1 },
        { "12x", -1 },
        { "12,00", -1 },            /* groups are of three */
        { "1234,567", -1 },
        { ",123", -1 },
        { "12,000,", -1 },
        { "12.000", -1 },           /* European 12000? ambiguous */
        { "12.", -1 },
        { ".5", -1 },
        { "-5", -1 },
        { "12 000", -1 },
        { "12kk", -1 },
        { "99999999999999999999", -1 },
        { "20000000m", -1 },        /* past the cap, no overflow */
        { "10,000,000,000", 1000000000000 },
        { "10,000,000,001", -1 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t got = -1;
        int rc = lead_parse_amount(cases[i].in, &got);

        if (cases[i].cents < 0 ? rc != -1 : (rc != 0 || got != cases[i].cents))
            fail_msg("'%s': rc %d, %lld cents", cases[i].in, rc, (long long)got);
    }
}

static void
test_parse_money(void **state)
{
    static const struct {
        const char *in, *currency;
        enum lead_money want;
        int64_t cents;
    } cases[] = {
        { "5,000", "", LEAD_MONEY_OK, 500000 },
        { "$5,000", "$", LEAD_MONEY_OK, 500000 },
        { "5,000$", "$", LEAD_MONEY_OK, 500000 },
        { "€12k", "€", LEAD_MONEY_OK, 1200000 },
        { "usd5k", "USD", LEAD_MONEY_OK, 500000 },
        { "2,000.50USD", "USD", LEAD_MONEY_OK, 200050 },
        { "5kUSD", "USD", LEAD_MONEY_OK, 500000 },
        { "$5,000", "", LEAD_MONEY_SIGN, 0 },
        { "€5000", "$", LEAD_MONEY_SIGN, 0 },
        { "5000€", "", LEAD_MONEY_SIGN, 0 },
        { "R$500", "", LEAD_MONEY_SIGN, 0 },
        { "EUR500", "USD", LEAD_MONEY_SIGN, 0 },
        { "-500", "", LEAD_MONEY_NEGATIVE, 0 },
        { "-$500", "$", LEAD_MONEY_NEGATIVE, 0 },
        { "+500", "", LEAD_MONEY_BAD, 0 },
        { "12x", "", LEAD_MONEY_BAD, 0 },
        { "5000usd", "", LEAD_MONEY_BAD, 0 },
        { "$5,00", "$", LEAD_MONEY_BAD, 0 },
        { "0", "", LEAD_MONEY_BAD, 0 },
        { "call5", "", LEAD_MONEY_NONE, 0 },
        { "signed", "", LEAD_MONEY_NONE, 0 },
        { "$", "", LEAD_MONEY_NONE, 0 },
        { "-", "", LEAD_MONEY_NONE, 0 },
        { "L-2", "", LEAD_MONEY_NONE, 0 },
        { "ACME5", "", LEAD_MONEY_NONE, 0 },   /* four letters: a word */
    };
    char buf[64];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t got = 0;
        enum lead_money rc = lead_parse_money(cases[i].in, cases[i].currency, &got);

        if (rc != cases[i].want || (rc == LEAD_MONEY_OK && got != cases[i].cents))
            fail_msg("'%s' (%s): %d, %lld cents", cases[i].in, cases[i].currency, (int)rc,
                     (long long)got);
    }
    assert_true(lead_is_mark("$") && lead_is_mark("€") && lead_is_mark("USD") &&
                lead_is_mark("R$"));
    assert_false(lead_is_mark("IBMX") || lead_is_mark("ok") || lead_is_mark("U2"));
    assert_true(lead_is_currency("usd", "USD"));
    assert_false(lead_is_currency("usd", "") || lead_is_currency("usd", NULL));
    format_money_cur(500000, "$", buf, sizeof(buf));
    assert_string_equal(buf, "$5,000");
    format_money_cur(500050, "USD", buf, sizeof(buf));
    assert_string_equal(buf, "USD 5,000.50");
    format_money_cur(500000, "", buf, sizeof(buf));
    assert_string_equal(buf, "5,000");
    format_money_cur(500000, NULL, buf, sizeof(buf));
    assert_string_equal(buf, "5,000");
}

static void
test_format(void **state)
{
    char buf[64];

    (void)state;
    format_money(1200050, buf, sizeof(buf));
    assert_string_equal(buf, "12,000.50");
    format_money(1200000, buf, sizeof(buf));
    assert_string_equal(buf, "12,000");
    format_money(123456789, buf, sizeof(buf));
    assert_string_equal(buf, "1,234,567.89");
    format_money(5, buf, sizeof(buf));
    assert_string_equal(buf, "0.05");
    format_money(100000, buf, sizeof(buf));
    assert_string_equal(buf, "1,000");

    format_bizdur(NULL, 4800, buf, sizeof(buf));
    assert_string_equal(buf, "1h 20m");
    format_bizdur(NULL, 27 * 3600, buf, sizeof(buf));
    assert_string_equal(buf, "27h");       /* no business day known: hours */
    format_bizdur(NULL, 45 * 60, buf, sizeof(buf));
    assert_string_equal(buf, "45m");
    format_bizdur(NULL, 29, buf, sizeof(buf));
    assert_string_equal(buf, "<1m");       /* to the nearest minute */
    format_bizdur(NULL, 90, buf, sizeof(buf));
    assert_string_equal(buf, "2m");
}

/* Business time reads one way everywhere: days are business days of the
 * configured hours, as "2d" means when typed. */
static void
test_format_business_days(void **state)
{
    struct bizhours bh = { 0 };
    int64_t two_days = 0;
    char buf[64];

    (void)state;
    assert_int_equal(bizhours_parse(&bh, "mon-fri 09:00-18:00", NULL), 0);
    format_bizdur(&bh, 4 * 3600, buf, sizeof(buf));
    assert_string_equal(buf, "4h");
    format_bizdur(&bh, 9 * 3600, buf, sizeof(buf));
    assert_string_equal(buf, "1d");
    format_bizdur(&bh, 22 * 3600, buf, sizeof(buf));
    assert_string_equal(buf, "2d 4h");
    format_bizdur(&bh, 9 * 3600 + 90 * 60, buf, sizeof(buf));
    assert_string_equal(buf, "1d 1h 30m");
    format_bizdur(&bh, 9 * 3600 + 5 * 60, buf, sizeof(buf));
    assert_string_equal(buf, "1d 5m");
    /* what is typed reads back the same */
    assert_int_equal(bizhours_parse_duration(&bh, "2d", &two_days), 0);
    format_bizdur(&bh, two_days, buf, sizeof(buf));
    assert_string_equal(buf, "2d");
    assert_int_equal(bizhours_parse(&bh, "mon-fri 08:30-12:00", NULL), 0);
    format_bizdur(&bh, 4 * 3600, buf, sizeof(buf));
    assert_string_equal(buf, "1d 30m");
}

static void
test_find_refs(void **state)
{
    static const struct {
        const char *ref;
        int64_t want;       /* 0: not found */
    } cases[] = {
        { "L-1", 1 }, { "l-1", 1 }, { "1", 1 }, { "L-2", 2 },
        { "jane@acme.com", 1 }, { "JANE@ACME.COM", 1 },
        { "L-3", 0 }, { "L-", 0 }, { "L-1x", 0 }, { "x", 0 },
        { "nobody@acme.com", 0 }, { "L-0", 0 }, { "", 0 },
        { "L-99999999999999999999", 0 },
    };
    struct store *s = open_store();
    struct lead l;

    (void)state;
    add_lead(s, "Jane", "jane@acme.com", 100);
    add_lead(s, "Joe", NULL, 200);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = lead_find(s, cases[i].ref, &l, NULL);

        if (rc != (cases[i].want ? 1 : 0) || (rc == 1 && l.id != cases[i].want))
            fail_msg("'%s': rc %d id %lld", cases[i].ref, rc, (long long)l.id);
        lead_release(&l);
    }
    store_free(s);
}

static char *
next(struct store *s, const char *skip)
{
    static char *const reps[] = { "bob", "dave", "erin" };

    return lead_next_rep(s, 3, reps, skip, NULL);
}

static void
expect_next(struct store *s, const char *skip, const char *want)
{
    char *got = next(s, skip);

    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void
test_round_robin(void **state)
{
    static char *const one[] = { "bob" };
    struct store *s = open_store();
    char *got, *cursor;

    (void)state;
    expect_next(s, NULL, "bob");
    expect_next(s, NULL, "dave");
    expect_next(s, NULL, "erin");
    expect_next(s, NULL, "bob");                /* wraps */
    /* the cursor lives in settings, which is what survives a restart */
    cursor = store_get_setting(s, LEAD_SETTING_ROUND_ROBIN);
    assert_string_equal(cursor, "bob");
    free(cursor);
    expect_next(s, "dave", "erin");             /* a reassignment skips the owner */
    expect_next(s, "bob", "dave");              /* wraps past the owner */
    assert_int_equal(store_set_setting(s, LEAD_SETTING_ROUND_ROBIN, "zoe", NULL), 0);
    expect_next(s, NULL, "bob");                /* a rep who left: from the top */
    /* a single rep is picked even when already the owner */
    got = lead_next_rep(s, 1, one, "bob", NULL);
    assert_string_equal(got, "bob");
    free(got);
    assert_null(lead_next_rep(s, 0, NULL, NULL, NULL));
    store_free(s);
}

static void
set_stage(struct store *s, int64_t id, const char *stage, const char *owner,
          int64_t due_at)
{
    struct lead l;
    char ref[32];

    snprintf(ref, sizeof(ref), "L-%lld", (long long)id);
    assert_int_equal(lead_find(s, ref, &l, NULL), 1);
    free(l.stage);
    l.stage = strdup(stage);
    free(l.owner);
    l.owner = owner ? strdup(owner) : NULL;
    l.handed_off_at = due_at ? due_at - 100 : 0;
    l.due_at = due_at;
    assert_int_equal(lead_update(s, &l, NULL), 0);
    lead_release(&l);
}

static int
list(struct store *s, const struct lead_filter *f, int64_t now, int limit,
     int64_t *total, int64_t *first)
{
    struct lead *v;
    int n = lead_list(s, f, now, limit, &v, total, NULL);

    assert_true(n >= 0);
    *first = n ? v[0].id : 0;
    for (int i = 0; i < n; i++)
        lead_release(&v[i]);
    free(v);
    return n;
}

static void
test_list_filters(void **state)
{
    struct store *s = open_store();
    struct lead_filter f = { 0 };
    int64_t total, first;

    (void)state;
    for (int i = 0; i < 25; i++) {
        char name[16];

        snprintf(name, sizeof(name), "lead %d", i + 1);
        add_lead(s, name, NULL, 1000 + i);
    }
    set_stage(s, 3, "handed_off", "bob", 5000);
    set_stage(s, 4, "handed_off", "dave", 9000);
    set_stage(s, 5, "won", "bob", 0);

    assert_int_equal(list(s, &f, 6000, 20, &total, &first), 20);
    assert_int_equal(total, 25);
    assert_int_equal(first, 25);                /* newest first */

    f.overdue = true;
    assert_int_equal(list(s, &f, 6000, 20, &total, &first), 1);
    assert_int_equal(first, 3);
    f.overdue = false;

    f.rep = "bob";
    assert_int_equal(list(s, &f, 6000, 20, &total, &first), 2);
    f.open = true;
    assert_int_equal(list(s, &f, 6000, 20, &total, &first), 1);
    assert_int_equal(first, 3);
    f.rep = NULL;
    f.open = false;

    f.stage = "handed_off";
    assert_int_equal(list(s, &f, 6000, 20, &total, &first), 2);
    assert_int_equal(first, 4);
    f.stage = NULL;

    f.me = "alice";                             /* she created them all */
    assert_int_equal(list(s, &f, 6000, 20, &total, &first), 20);
    f.me = "dave";
    assert_int_equal(list(s, &f, 6000, 20, &total, &first), 1);
    store_free(s);
}

static void
test_feedback_latest(void **state)
{
    struct store *s = open_store();
    int64_t id = add_lead(s, "Jane", NULL, 100);

    (void)state;
    assert_int_equal(lead_feedback_latest(s, id, "bob", NULL), 0);
    assert_int_equal(lead_feedback_add(s, id, "bob", 4, NULL, 200, NULL), 0);
    assert_int_equal(lead_feedback_add(s, id, "dave", 1, "no", 250, NULL), 0);
    assert_int_equal(lead_feedback_add(s, id, "bob", 2, "on second thought", 300, NULL), 0);
    assert_int_equal(lead_feedback_latest(s, id, "bob", NULL), 2);
    assert_int_equal(lead_feedback_latest(s, id, "dave", NULL), 1);
    assert_int_equal(lead_feedback_add(s, id, "bob", 9, NULL, 400, NULL), -1);
    store_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stage_machine),
        cmocka_unit_test(test_stages_for),
        cmocka_unit_test(test_parse_amount),
        cmocka_unit_test(test_parse_money),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_format_business_days),
        cmocka_unit_test(test_find_refs),
        cmocka_unit_test(test_round_robin),
        cmocka_unit_test(test_list_filters),
        cmocka_unit_test(test_feedback_latest),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

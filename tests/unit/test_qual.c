/* SPDX-License-Identifier: MIT */
/* test_qual.c: BANT fields, bant= letters, and what a lead lacks for the
 * handoff's lead specification. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "qual.h"
#include "strbuf.h"

static void
test_bant_letters(void **state)
{
    struct qual q = { 0 };
    struct strbuf sb;
    char why[256];

    (void)state;
    strbuf_init(&sb, 0);
    assert_int_equal(qual_set(&q, "budget", "50k approved", why, sizeof(why)), 0);
    assert_int_equal(qual_bant_count(&q), 1);
    assert_int_equal(qual_set(&q, "bant", "NT", why, sizeof(why)), 0);
    assert_null(q.budget);          /* bant= is the whole picture */
    assert_string_equal(q.need, "yes");
    assert_string_equal(q.timing, "yes");
    qual_format_bant(&q, &sb);
    assert_string_equal(strbuf_str(&sb),
                        "budget: ?, authority: ?, need: yes, timing: yes (2 of 4 known)");
    static const char *const bad[] = { "bb", "bantx", "x", "" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(qual_set(&q, "bant", bad[i], why, sizeof(why)), -1);
    assert_string_equal(q.need, "yes");     /* a refusal changes nothing */
    assert_int_equal(qual_set(&q, "bant", "-", why, sizeof(why)), 0);
    assert_int_equal(qual_bant_count(&q), 0);
    assert_int_equal(qual_set(&q, "timing", "", why, sizeof(why)), 0);
    assert_null(q.timing);
    assert_int_equal(qual_set(&q, "persona", "CFO", why, sizeof(why)), 0);
    assert_true(qual_is_key("bant") && qual_is_key("persona") && !qual_is_key("score"));
    strbuf_release(&sb);
    qual_release(&q);
}

static void
test_missing(void **state)
{
    struct config cfg;
    struct err err = { 0 };
    struct lead l = { 0 };
    struct qual q = { 0 };
    struct strbuf sb;
    char why[256];

    (void)state;
    assert_int_equal(config_load(&cfg, NULL, &err), 0);
    strbuf_init(&sb, 0);
    l.score = -1;
    assert_int_equal(qual_missing(&l, &q, &cfg, &sb), 0);   /* no specification */
    cfg.handoff_min_score = 50;
    assert_int_equal(strlist_split(&cfg.handoff_requires, "email budget score persona"), 0);
    assert_int_equal(qual_missing(&l, &q, &cfg, &sb), 4);
    assert_string_equal(strbuf_str(&sb), "a score (at least 50), email, budget, persona");
    strbuf_reset(&sb);
    l.score = 50;
    l.email = "a@b.co";
    assert_int_equal(qual_set(&q, "bant", "b", why, sizeof(why)), 0);
    assert_int_equal(qual_missing(&l, &q, &cfg, &sb), 1);
    assert_string_equal(strbuf_str(&sb), "persona");
    strbuf_release(&sb);
    qual_release(&q);
    config_release(&cfg);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bant_letters),
        cmocka_unit_test(test_missing),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

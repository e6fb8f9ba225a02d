/* SPDX-License-Identifier: MIT */
/* test_args.c: splitting command lines. */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "args.h"

static void
test_words_and_quotes(void **state)
{
    struct args a;
    struct err err = { 0 };
    char key[32];

    (void)state;
    assert_int_equal(args_split(&a, "  lead add \"Jane  Doe\" company=\"ACME Inc\" x=1 ", &err), 0);
    assert_int_equal(a.argc, 5);
    assert_string_equal(a.argv[2], "Jane  Doe");
    assert_true(a.quoted[2]);
    assert_string_equal(a.argv[3], "company=ACME Inc");
    assert_false(a.quoted[3]);
    assert_string_equal(args_kv(&a, 3, key, sizeof(key)), "ACME Inc");
    assert_string_equal(key, "company");
    assert_null(args_kv(&a, 2, key, sizeof(key)));
    assert_string_equal(a.argv_eol[3], "company=ACME Inc x=1");
    args_shift(&a, 2);
    assert_int_equal(a.argc, 3);
    assert_string_equal(a.argv[0], "Jane  Doe");
    assert_string_equal(a.argv_eol[1], "company=ACME Inc x=1");
    assert_null(a.argv[3]);
    args_release(&a);
}

static void
test_curly_quotes_and_escapes(void **state)
{
    struct args a;
    struct err err = { 0 };

    (void)state;
    assert_int_equal(args_split(&a, "say \xE2\x80\x9Chello there\xE2\x80\x9D \"a \\\"b\\\" c\"", &err), 0);
    assert_int_equal(a.argc, 3);
    assert_string_equal(a.argv[1], "hello there");
    assert_string_equal(a.argv[2], "a \"b\" c");
    args_release(&a);
}

static void
test_quoted_kv_is_positional(void **state)
{
    struct args a;
    struct err err = { 0 };
    char key[32];

    (void)state;
    assert_int_equal(args_split(&a, "\"a=b\" Key=v", &err), 0);
    assert_null(args_kv(&a, 0, key, sizeof(key)));
    assert_null(args_kv(&a, 1, key, sizeof(key)));   /* keys are lowercase */
    args_release(&a);
}

static void
test_errors(void **state)
{
    struct args a;
    struct err err = { 0 };
    char *many;

    (void)state;
    assert_int_equal(args_split(&a, "lead add \"unclosed", &err), -1);
    assert_true(err.set);
    assert_non_null(strstr(err.msg, "unclosed quote"));
    assert_int_equal(a.argc, 0);

    many = malloc(ARGS_MAX * 2 + 10);
    memset(many, 0, ARGS_MAX * 2 + 10);
    for (int i = 0; i < ARGS_MAX + 1; i++)
        strcat(many, "x ");
    err_clear(&err);
    assert_int_equal(args_split(&a, many, &err), -1);
    assert_non_null(strstr(err.msg, "too many"));
    free(many);

    err_clear(&err);
    assert_int_equal(args_split(&a, "", &err), 0);
    assert_int_equal(a.argc, 0);
    args_release(&a);
}

static void
test_mentions(void **state)
{
    static const struct {
        const char *in, *user, *channel;
    } cases[] = {
        { "<@U123>", "U123", NULL },
        { "<@U123|bob>", "U123", NULL },
        { "@bob", "bob", NULL },
        { "@bo b", NULL, NULL },
        { "<@U123", NULL, NULL },
        { "<#C9|sales>", NULL, "C9" },
        { "#sales", NULL, "sales" },
        { "#", NULL, NULL },
        { "bob", NULL, NULL },
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *u = args_user(cases[i].in), *c = args_channel(cases[i].in);

        if (cases[i].user)
            assert_string_equal(u, cases[i].user);
        else
            assert_null(u);
        if (cases[i].channel)
            assert_string_equal(c, cases[i].channel);
        else
            assert_null(c);
        free(u);
        free(c);
    }
}

static void
test_numbers_and_refs(void **state)
{
    static const char *const bad[] = {
        "", "-1", "+1", "1.5", "1 ", " 1", "12a", "0x10", "99999999999999999999999",
    };
    int64_t v = -1;

    (void)state;
    assert_int_equal(args_number("0", 0, 100, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(args_number("100", 0, 100, &v), 0);
    assert_int_equal(v, 100);
    assert_int_equal(args_number("101", 0, 100, &v), -1);
    assert_int_equal(args_number("0", 1, 100, &v), -1);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (args_number(bad[i], 0, INT64_MAX, &v) == 0)
            fail_msg("'%s' parsed", bad[i]);

    assert_int_equal(args_ref_id("L-12", 'L'), 12);
    assert_int_equal(args_ref_id("l-12", 'L'), 12);
    assert_int_equal(args_ref_id("12", 'G'), 12);
    assert_int_equal(args_ref_id("G-12", 'L'), 0);
    assert_int_equal(args_ref_id("L-", 'L'), 0);
    assert_int_equal(args_ref_id("L-1x", 'L'), 0);
    assert_int_equal(args_ref_id("L-999999999999999999999", 'L'), 0);
}

static void
test_fields(void **state)
{
    static const char *const keys[] = { "url", "campaign", NULL };
    static const struct {
        const char *line;
        enum args_fields_result want;
        const char *bad;
    } cases[] = {
        { "T url=https://a.io campaign=\"Q4 push\"", ARGS_FIELDS_OK, NULL },
        { "T", ARGS_FIELDS_OK, NULL },
        { "T url=x oops", ARGS_NOT_KV, "oops" },
        { "T \"url=x\"", ARGS_NOT_KV, "url=x" },       /* quoted: a word */
        { "T colour=red", ARGS_UNKNOWN_KEY, "colour=red" },
        { "T url=a url=b", ARGS_TWICE, "url=b" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *vals[2] = { NULL, NULL }, *bad = NULL;
        struct args a;

        assert_int_equal(args_split(&a, cases[i].line, NULL), 0);
        assert_int_equal(args_fields(&a, 1, keys, vals, &bad), cases[i].want);
        if (cases[i].bad)
            assert_string_equal(bad, cases[i].bad);
        if (i == 0) {
            assert_string_equal(vals[0], "https://a.io");
            assert_string_equal(vals[1], "Q4 push");
        }
        args_release(&a);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_and_quotes),
        cmocka_unit_test(test_curly_quotes_and_escapes),
        cmocka_unit_test(test_quoted_kv_is_positional),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_mentions),
        cmocka_unit_test(test_numbers_and_refs),
        cmocka_unit_test(test_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

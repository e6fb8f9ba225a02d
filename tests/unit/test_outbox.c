/* SPDX-License-Identifier: MIT */
/* test_outbox.c: the outbox's depth by kind, as GET /metrics reads it. */
#include "unit.h"

#include <stdio.h>
#include <string.h>

#include "outbox.h"
#include "store.h"

struct seen {
    int n;
    char kind[4][16];
    int64_t pending[4], oldest[4];
};

static void
one(void *ud, const char *kind, int64_t pending, int64_t oldest)
{
    struct seen *s = ud;

    assert_true(s->n < 4);
    snprintf(s->kind[s->n], sizeof(s->kind[0]), "%s", kind);
    s->pending[s->n] = pending;
    s->oldest[s->n] = oldest;
    s->n++;
}

static void
test_depth_by_kind(void **state)
{
    struct err err = { 0 };
    struct store *st = store_open(":memory:", &err);
    struct outbox_dest ch = { .kind = OUTBOX_CHANNEL, .channel = "sales" };
    struct outbox_dest dm = { .kind = OUTBOX_DM, .user = "bob" };
    struct seen s = { 0 };
    int64_t a, b;

    (void)state;
    assert_non_null(st);
    assert_int_equal(outbox_depth(st, one, &s, &err), 0);
    assert_int_equal(s.n, 0);           /* nothing pending: nothing said */
    a = outbox_add(st, 1000, &ch, "first", NULL, &err);
    assert_true(outbox_add(st, 1500, &ch, "second", NULL, &err) > 0);
    b = outbox_add(st, 1200, &dm, "to bob", NULL, &err);
    assert_true(a > 0 && b > 0);
    assert_true(outbox_add(st, 900, &dm, "sent already", NULL, &err) > 0);
    assert_int_equal(outbox_sent(st, b + 1, "ts1", &err), 0);
    assert_int_equal(outbox_failed(st, b, "channel_not_found", &err), 0);
    assert_true(outbox_add(st, 2000, &dm, "later", NULL, &err) > 0);
    assert_int_equal(outbox_depth(st, one, &s, &err), 0);
    /* sent and failed rows are not waiting; kinds in name order */
    assert_int_equal(s.n, 2);
    assert_string_equal(s.kind[0], "channel");
    assert_int_equal(s.pending[0], 2);
    assert_int_equal(s.oldest[0], 1000);
    assert_string_equal(s.kind[1], "dm");
    assert_int_equal(s.pending[1], 1);
    assert_int_equal(s.oldest[1], 2000);
    store_free(st);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_depth_by_kind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* test_webhook.c: the webhook's signature, the outbox's kind filter that
 * keeps each engine to its own rows, and the event hook that queues rows
 * in the event's transaction. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "outbox.h"
#include "store.h"
#include "webhook.h"

static void
test_sign_known_vector(void **state)
{
    char sig[80];

    (void)state;
    /* RFC 4231, test case 2 */
    webhook_sign("Jefe", "what do ya want for nothing?", 28, sig, sizeof(sig));
    assert_string_equal(sig, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void
test_pending_by_kind(void **state)
{
    struct err err = { 0 };
    struct store *s = store_open(":memory:", &err);
    struct outbox_row rows[8];
    const char *const hook[] = { OUTBOX_WEBHOOK, NULL };
    const char *const crm[] = { OUTBOX_CRM, NULL };
    struct outbox_dest chan = { .kind = OUTBOX_CHANNEL, .channel = "sales" };
    struct outbox_dest wh = { .kind = OUTBOX_WEBHOOK, .channel = "L-1" };
    int n;

    (void)state;
    assert_non_null(s);
    assert_true(outbox_add(s, 1, &chan, "hello", NULL, &err) > 0);
    assert_true(outbox_add(s, 1, &wh, "{}", NULL, &err) > 0);
    assert_true(outbox_add(s, 1, &chan, "again", NULL, &err) > 0);
    n = outbox_pending(s, NULL, rows, 8, &err);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].text, "hello");
    assert_string_equal(rows[1].text, "again");
    for (int i = 0; i < n; i++)
        outbox_row_release(&rows[i]);
    n = outbox_pending(s, hook, rows, 8, &err);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].kind, OUTBOX_WEBHOOK);
    outbox_row_release(&rows[0]);
    assert_int_equal(outbox_pending(s, crm, rows, 8, &err), 0);
    store_free(s);
}

static int calls;

static int
count_hook(void *ud, struct store *s, int64_t id, int64_t lead, const char *kind,
           const char *actor, int64_t at, json_t *data, struct err *err)
{
    (void)ud;
    (void)s;
    (void)actor;
    (void)at;
    (void)data;
    assert_true(id > 0);
    assert_int_equal(lead, 0);
    calls++;
    if (strcmp(kind, "refuse") == 0) {
        err_set(err, "refused");
        return -1;
    }
    return 0;
}

static void
test_hook_runs_per_store_and_fails_the_append(void **state)
{
    struct err err = { 0 };
    struct store *s = store_open(":memory:", &err), *other = store_open(":memory:", &err);
    int marker;

    (void)state;
    assert_int_equal(event_hook_add(s, count_hook, &marker), 0);
    calls = 0;
    assert_int_equal(event_append(other, 0, "sla_set", "alice", 1, NULL, &err), 0);
    assert_int_equal(calls, 0);
    assert_int_equal(event_append(s, 0, "sla_set", "alice", 1, NULL, &err), 0);
    assert_int_equal(calls, 1);
    assert_int_equal(event_append(s, 0, "refuse", "alice", 1, NULL, &err), -1);
    assert_string_equal(err.msg, "refused");
    event_hook_remove(&marker);
    assert_int_equal(event_append(s, 0, "refuse", "alice", 1, NULL, &err), 0);
    assert_int_equal(calls, 2);
    store_free(s);
    store_free(other);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_known_vector),
        cmocka_unit_test(test_pending_by_kind),
        cmocka_unit_test(test_hook_runs_per_store_and_fails_the_append),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* test_resolve.c: names looked up in a thread, polled from the loop. */
#include "unit.h"

#include <string.h>
#include <unistd.h>

#include "resolve.h"

static int
wait_for(struct resolve *r, char *addr, size_t len, struct err *err)
{
    int rc;

    for (int i = 0; i < 500; i++) {
        if ((rc = resolve_poll(r, addr, len, err)) != 0)
            return rc;
        usleep(10 * 1000);
    }
    return 0;
}

static void
test_localhost_resolves_to_a_loopback_address(void **state)
{
    struct err err = { 0 };
    struct resolve *r = resolve_start("localhost", &err);
    char addr[64] = "";

    (void)state;
    assert_non_null(r);
    assert_int_equal(wait_for(r, addr, sizeof(addr), &err), 1);
    assert_true(strcmp(addr, "127.0.0.1") == 0 || strcmp(addr, "::1") == 0);
}

static void
test_an_abandoned_lookup_frees_itself(void **state)
{
    struct err err = { 0 };

    (void)state;
    /* abandoned at once, and after its thread is done: neither leaks
     * (LeakSanitizer) nor touches freed memory (ASan) */
    resolve_abandon(resolve_start("localhost", &err));
    {
        struct resolve *r = resolve_start("localhost", &err);

        usleep(200 * 1000);
        resolve_abandon(r);
    }
    usleep(200 * 1000);
    resolve_abandon(NULL);
}

static void
test_a_name_too_long_is_refused(void **state)
{
    struct err err = { 0 };
    char host[400];

    (void)state;
    memset(host, 'a', sizeof(host) - 1);
    host[sizeof(host) - 1] = '\0';
    assert_null(resolve_start(host, &err));
    assert_true(err.set);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_localhost_resolves_to_a_loopback_address),
        cmocka_unit_test(test_an_abandoned_lookup_frees_itself),
        cmocka_unit_test(test_a_name_too_long_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* test_text.c: long texts into parts (lib/text.c); the cases the fuzzer
 * (fuzz/fuzz_text.c, fuzz/fuzz_blockkit.c) found. */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

/* An empty reply, or one of only line ends, is one empty part. The split
 * used to look for a cut at text[max], far past the end of the string
 * (found by fuzz_blockkit: blockkit_ack_payload with an empty reply). */
static void
test_split_empty(void **state)
{
    static const char *const texts[] = { "", "\n", "\n\n\n" };
    char **parts;
    size_t n;

    (void)state;
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        /* a heap copy, so ASan sees a read past its end */
        char *t = strdup(texts[i]);

        n = text_split(t, 6000, 4, &parts);
        assert_int_equal(n, 1);
        assert_string_equal(parts[0], "");
        text_parts_free(parts, n);
        n = text_split(t, 6000, 1, &parts);
        assert_int_equal(n, 1);
        assert_string_equal(parts[0], "");
        text_parts_free(parts, n);
        free(t);
    }
}

static void
test_split_parts_fit(void **state)
{
    char **parts;
    size_t n;

    (void)state;
    n = text_split("aaaa\n\nbbbb\ncccc", 10, 4, &parts);
    assert_int_equal(n, 2);
    assert_string_equal(parts[0], "aaaa\n");
    assert_string_equal(parts[1], "bbbb\ncccc");
    text_parts_free(parts, n);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_empty),
        cmocka_unit_test(test_split_parts_fit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

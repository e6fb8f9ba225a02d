/* SPDX-License-Identifier: MIT */
/* fuzz_args.c: libFuzzer target for the command-line parser every typed
 * command goes through (lib/args.c): splitting, key=value, user and
 * channel references, ids and numbers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const keys[] = { "company", "contact", "email", "note",
                                    "score", "amount", NULL };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = malloc(size + 1);
    struct args a;
    struct err err = { 0 };

    if (line == NULL)
        return 0;
    memcpy(line, data, size);
    line[size] = '\0';
    memset(&a, 0, sizeof(a));
    if (args_split(&a, line, &err) == 0) {
        const char *vals[sizeof(keys) / sizeof(keys[0])] = { 0 }, *bad = NULL;
        int64_t num;

        if (a.argc < 0 || a.argc > ARGS_MAX)
            abort();
        for (int i = 0; i < a.argc; i++) {
            char key[32], *u, *c;

            if (a.argv[i] == NULL || a.argv_eol[i] == NULL)
                abort();
            (void)args_kv(&a, i, key, sizeof(key));
            u = args_user(a.argv[i]);
            c = args_channel(a.argv[i]);
            free(u);
            free(c);
            (void)args_ref_id(a.argv[i], 'L');
            (void)args_number(a.argv[i], 0, INT64_MAX, &num);
            (void)args_number(a.argv[i], -5, 100, &num);
        }
        (void)args_fields(&a, 0, keys, vals, &bad);
        if (a.argc > 0) {
            args_shift(&a, 1);
            (void)args_fields(&a, 0, keys, vals, &bad);
            for (int i = 0; i < a.argc; i++)
                if (a.argv[i] == NULL || a.argv_eol[i] == NULL)
                    abort();
        }
    } else if (!err.set) {
        abort();
    }
    args_release(&a);
    free(line);
    return 0;
}

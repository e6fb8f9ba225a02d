/* SPDX-License-Identifier: MIT */
/* fuzz_config.c: libFuzzer target for the config loader (config_load,
 * through config_load_ready): any file must load or give "file:line: ..." errors,
 * never crash, leak or half-apply.
 *
 * config_load reads a path; writing each input to disk would make the
 * filesystem the bottleneck, so this target is linked with
 * -Wl,--wrap=fopen and serves the input from memory for its own path. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#define FUZZ_PATH "/fuzz/smarkbot.ini"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);
FILE *__real_fopen(const char *path, const char *mode);
FILE *__wrap_fopen(const char *path, const char *mode);

static const uint8_t *cur_data;
static size_t cur_size;

FILE *
__wrap_fopen(const char *path, const char *mode)
{
    if (strcmp(path, FUZZ_PATH) == 0)
        /* fmemopen refuses a size of 0: an empty file is a NUL-free byte */
        return cur_size ? fmemopen((void *)cur_data, cur_size, mode)
                        : fmemopen((void *)"", 1, mode);
    return __real_fopen(path, mode);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* the environment wins over the file: keep it out of the way */
    for (size_t i = 0; i < config_nkeys; i++)
        if (config_keys[i].env)
            unsetenv(config_keys[i].env);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct config cfg;
    struct err err = { 0 };
    int rc;

    cur_data = data;
    cur_size = size;
    /* config_load_ready is config_load and one check more (a sales rep):
     * one load per input keeps the target fast */
    rc = config_load_ready(&cfg, FUZZ_PATH, &err);
    if ((rc < 0) != err.set)
        abort();                /* an error must say why, and only then */
    config_release(&cfg);
    return 0;
}

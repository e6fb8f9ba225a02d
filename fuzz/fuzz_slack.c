/* SPDX-License-Identifier: MIT */
/* fuzz_slack.c: libFuzzer target for slack_parse, the Socket Mode
 * envelope parser: whatever Slack (or a man in the middle) sends must
 * parse or be refused with an error, never crash or leak. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "slack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct slack_env e;
    struct err err = { 0 };
    /* slack_parse takes a length, but a copy without a NUL after it lets
     * ASan see any read past the frame */
    char *text = malloc(size ? size : 1);

    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    memset(&e, 0, sizeof(e));
    if (slack_parse(text, size, &e, &err) < 0 && !err.set)
        abort();                /* a refusal must say why */
    slack_env_release(&e);
    free(text);
    return 0;
}

/* SPDX-License-Identifier: MIT */
/* fuzz_mattermost_command.c: libFuzzer target for a slash command's
 * form body (mattermost_command_parse) and the text work the adapter does
 * with it: mentions to the neutral form and back, the names to look up. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mattermost_event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a form body is a C string (the listener adds the NUL) */
    char *body = malloc(size + 1);
    struct mattermost_command cmd;
    struct err err = { 0 };
    char *neutral, *back, **names = NULL;
    size_t n;

    if (body == NULL)
        return 0;
    memcpy(body, data, size);
    body[size] = '\0';
    memset(&cmd, 0, sizeof(cmd));
    if (mattermost_command_parse(body, &cmd, &err) == 0) {
        /* what the adapter does: the text's mentions through the server's
         * pairs, and the bot's answer back to Mattermost's markup */
        neutral = mattermost_mentions_neutral(cmd.text, mattermost_command_lookup, &cmd);
        back = neutral ? mattermost_markup(neutral) : NULL;
        free(back);
        free(neutral);
        n = mattermost_mention_names(cmd.text, "smarkbot", &names);
        mattermost_names_free(names, n);
    } else if (!err.set) {
        abort();
    }
    mattermost_command_release(&cmd);

    /* the same functions on the raw input: a post's message reaches them
     * without a form around it */
    neutral = mattermost_mentions_neutral(body, mattermost_command_lookup, &cmd);
    free(neutral);
    back = mattermost_markup(body);
    free(back);
    names = NULL;
    n = mattermost_mention_names(body, "smarkbot", &names);
    mattermost_names_free(names, n);
    back = mattermost_event_command(body, "smarkbot");
    free(back);
    free(body);
    return 0;
}

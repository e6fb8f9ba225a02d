/* SPDX-License-Identifier: MIT */
/* fuzz_mattermost_event.c: libFuzzer target for what Mattermost sends as
 * JSON: WebSocket frames (mattermost_event_parse and the checks the
 * adapter makes on a post), a PostList, a User, and a button click's body
 * (mattermost_action_parse). Each must parse or be refused with an error. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mattermost_event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the parsers take a length; the copy has no NUL after it so ASan
     * sees any read past the body (the click parser gets its own NUL) */
    char *text = malloc(size ? size : 1);
    struct err err = { 0 };

    if (text == NULL)
        return 0;
    memcpy(text, data, size);

    struct mattermost_event ev;

    memset(&ev, 0, sizeof(ev));
    if (mattermost_event_parse(text, size, &ev, &err) == 0) {
        if (ev.kind == MM_EVENT_POSTED) {
            char *cmd;

            (void)mattermost_event_mentions(&ev, "botid");
            (void)mattermost_event_ignored(&ev, "botid");
            (void)mattermost_event_for_bot(&ev, "botid", "smarkbot");
            if (ev.post.message == NULL)
                abort();        /* "" when absent, never NULL */
            cmd = mattermost_event_command(ev.post.message, "smarkbot");
            free(cmd);
        }
    } else if (!err.set) {
        abort();
    }
    mattermost_event_release(&ev);

    struct mattermost_post *posts = NULL;
    void *holder = NULL;
    int n;

    memset(&err, 0, sizeof(err));
    n = mattermost_postlist_parse(text, size, &posts, &holder, &err);
    if (n < 0 && !err.set)
        abort();
    for (int i = 0; i < n; i++)
        if (posts[i].id == NULL || posts[i].message == NULL)
            abort();
    if (n >= 0)
        mattermost_postlist_free(posts, holder);

    struct mattermost_user u;

    memset(&u, 0, sizeof(u));
    memset(&err, 0, sizeof(err));
    if (mattermost_user_parse(text, size, &u, &err) < 0 && !err.set)
        abort();
    mattermost_user_release(&u);

    struct mattermost_action act;

    memset(&act, 0, sizeof(act));
    memset(&err, 0, sizeof(err));
    if (mattermost_action_parse(text, size, &act, &err) < 0 && !err.set)
        abort();
    mattermost_action_release(&act);

    free(text);
    return 0;
}

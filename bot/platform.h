/* SPDX-License-Identifier: MIT */
/* platform.h: what every chat adapter provides, and the message it hands to
 * the router. Downstream of the adapter nothing sees JSON or a platform's
 * quirks. An adapter is a table of hooks run by bot.c's one event loop. */
#ifndef SMK_PLATFORM_H
#define SMK_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct bot;

/* One thing a person said to the bot, owned by whoever built it. */
struct chat_msg {
    char *user_id;      /* platform id (console: the name) */
    char *user_name;    /* login name; may equal user_id */
    char *channel;      /* where it was said; NULL in the console */
    char *command;      /* "/smk", "/feedback" ...; NULL for a DM or mention */
    char *text;         /* the words after the command or the mention, with
                         * mentions in the neutral form "@name" */
    bool button;        /* a button press (text is "accept L-3" ...) */
};

void chat_msg_release(struct chat_msg *m);

/* An adapter (bot/console.c, bot/slack.c, bot/mattermost.c). */
struct platform_ops {
    const char *name;
    /* Checks its config and builds its state on the bot's loop (bot->lws,
     * bot->http); sets up delivery with bot_deliver_init. 0 or -1 with
     * err. */
    int (*start)(struct bot *bot, struct err *err);
    /* The loop is about to run: connect, open what it reads from. */
    void (*begin)(struct bot *bot);
    /* The loop is stopping: true while something already committed (an
     * ack) is still being written; the loop waits a little for it. May be
     * NULL. */
    bool (*flushing)(struct bot *bot);
    /* The loop has stopped: close connections for good. May be NULL. */
    void (*end)(struct bot *bot);
    /* The bot's credentials were refused while sending: says what to fix.
     * May be NULL. */
    void (*refused)(struct bot *bot, const char *why);
    /* For GET /healthz: is the link to the platform up? When not, why
     * ("slack link down for 42 s") into why. NULL = always up. */
    bool (*healthy)(struct bot *bot, char *why, size_t len);
    /* Frees the adapter's state; the loop's transfers and connections are
     * gone already. Safe after a failed start. */
    void (*release)(struct bot *bot);
};

/* Every adapter, by name; ended by a NULL name. */
extern const struct platform_ops *const platforms[];

extern const struct platform_ops console_ops;
extern const struct platform_ops slack_ops;
extern const struct platform_ops mattermost_ops;

#endif

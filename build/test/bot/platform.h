/* SPDX-License-Identifier: MIT */
/* platform.h: what every chat adapter provides, and the message it hands to
 * the router. Downstream of the adapter nothing sees JSON or a platform's
 * quirks. */
#ifndef SMK_PLATFORM_H
#define SMK_PLATFORM_H

#include <stdbool.h>

#include "err.h"

struct bot;

/* One thing a person said to the bot, owned by whoever built it. */
struct chat_msg {
    char *user_id;      /* platform id (console: the name) */
    char *user_name;    /* login name; may equal user_id */
    char *channel;      /* where it was said; NULL in the console */
    char *command;      /* "/smk", "/feedback" ...; NULL for a DM or mention */
    char *text;         /* the words after the command or the mention */
    bool button;        /* a button press (text is "accept L-3" ...) */
};

void chat_msg_release(struct chat_msg *m);

/* An adapter (bot/console.c, bot/slack.c, bot/mattermost.c). */
struct platform_ops {
    const char *name;
    /* Connects or opens what it needs; 0 or -1 with err. */
    int (*start)(struct bot *bot, struct err *err);
    /* Runs the event loop until a stop is requested or input ends;
     * returns the process exit status. */
    int (*run)(struct bot *bot);
    /* Called after every committed change: new outbox rows or timers may be
     * due. May be NULL. */
    void (*changed)(struct bot *bot);
    /* Frees the adapter's state; safe after a failed start. */
    void (*release)(struct bot *bot);
};

extern const struct platform_ops console_ops;
extern const struct platform_ops slack_ops;

#endif

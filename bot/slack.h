/* SPDX-License-Identifier: MIT */
/* slack.h: the Slack adapter's pure parts, for unit tests: what a Socket
 * Mode frame means, and how Web API answers are classified. */
#ifndef SMK_SLACK_H
#define SMK_SLACK_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "platform.h"

enum slack_kind {
    SLACK_OTHER,        /* an envelope that only needs its ack */
    SLACK_HELLO,
    SLACK_DISCONNECT,
    SLACK_COMMAND,      /* a slash command */
    SLACK_MENTION,      /* @smarkbot ... in a channel */
    SLACK_DM,           /* a direct message to the bot */
    SLACK_CLICK,        /* a card button that runs a command (Accept) */
    SLACK_REJECT_CLICK, /* the Reject button: opens the reason modal */
    SLACK_SUBMIT,       /* the reason modal submitted */
};

/* One frame, parsed. Strings are owned; slack_env_release frees them. */
struct slack_env {
    enum slack_kind kind;
    char *envelope_id;      /* NULL for hello and disconnect */
    char *dedupe;           /* key in the seen table, or NULL */
    char *reason;           /* disconnect reason */
    char *response_url;     /* where a private reply may go, or NULL */
    char *trigger_id;       /* for views.open */
    char *lead;             /* the card's lead ("L-3") for clicks */
    bool accepts_payload;
    int retry_attempt;
    struct chat_msg msg;    /* what the router gets (user_name may be NULL) */
};

/* Parses a Socket Mode frame. Returns 0, or -1 with err when it is not a
 * JSON object with a type. */
int slack_parse(const char *text, size_t len, struct slack_env *e,
                struct err *err);
void slack_env_release(struct slack_env *e);

#endif

/* SPDX-License-Identifier: MIT */
/* slack_api.h: Slack's deliver_ops (Web API methods for outbox rows) and
 * how its answers are classified. */
#ifndef SMK_SLACK_API_H
#define SMK_SLACK_API_H

#include <stdbool.h>
#include <stddef.h>

#include "clock.h"
#include "deliver.h"
#include "log.h"
#include "store.h"

/* What the ops need; every pointer borrowed from the adapter. */
struct slack_api {
    struct store *store;
    struct clock *clock;
    const struct log *log;
    const char *api;            /* api_url, ending in '/' */
    const char *token;          /* the bot token */
};

extern const struct deliver_ops slack_deliver;

/* What to do with a Web API or response_url answer. */
enum slack_result {
    SLACK_OK,
    SLACK_RETRY,        /* network, 5xx, internal_error: back off, again */
    SLACK_RATELIMITED,  /* 429 or ratelimited: wait Retry-After */
    SLACK_FAILED,       /* permanent (channel_not_found ...): give up */
    SLACK_FATAL,        /* the token is refused: stop the bot */
};

/* Classifies an answer: status (0 = no answer), the body, and whether it is
 * a response_url (plain "ok" bodies). error gets Slack's code or a short
 * reason. */
enum slack_result slack_classify(long status, const char *body, bool webhook,
                                 char *error, size_t error_len);

/* Is s a Slack user id (U... or W...)? */
bool slack_is_user_id(const char *s);

#endif

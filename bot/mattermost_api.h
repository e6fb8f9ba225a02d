/* SPDX-License-Identifier: MIT */
/* mattermost_api.h: Mattermost's deliver_ops (REST v4 calls for outbox
 * rows, cards as message attachments with buttons) and how its answers
 * are classified. No event loop and no globals: what it learns (channel
 * ids, whether ephemeral posts are allowed) lives in struct
 * mattermost_api, DM channels and user ids in the users table. */
#ifndef SMK_MATTERMOST_API_H
#define SMK_MATTERMOST_API_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "clock.h"
#include "deliver.h"
#include "log.h"
#include "store.h"

/* Bytes of text in one post: the server takes 16383 runes, and a rune is
 * at least a byte. */
#define MM_PART_MAX 16000
#define MM_POST_PARTS 10        /* a post to a channel or a DM */
#define MM_REPLY_PARTS 5        /* an ephemeral, or a response_url (which
                                 * the server lets be used 5 times) */
#define MM_PACE_MS 200          /* between posts of one lane */
#define MM_CHANNEL_CACHE 64     /* channel names whose id is kept */
#define MM_CHECK_PAGE 100       /* latest posts looked through for a part
                                 * in doubt after a crash */
#define MM_MARKER_PROP "smarkbot_part"  /* the props key marking a part */

/* A channel name resolved to its id. */
struct mattermost_channel_id {
    char *name;
    char id[27];
};

/* What the ops need. The pointers are borrowed from the adapter (it may
 * point bot_id at the id once GET /users/me told it); the cache fields
 * start zeroed and are freed by mattermost_api_release. */
struct mattermost_api {
    struct store *store;
    struct clock *clock;
    const struct log *log;
    const char *api;            /* ".../api/v4/", ending in '/' */
    const char *token;          /* the bot's access token */
    const char *team;           /* team name, for channels given by name */
    const char *bot_id;         /* own user id; "" or NULL until known: DMs
                                 * wait for it */
    const char *action_url;     /* the listener's .../mattermost/action, or
                                 * "" or NULL: cards without buttons */
    const char *action_secret;  /* goes in each button's context */
    /* learned */
    struct mattermost_channel_id *channels;
    size_t nchannels;
    bool ephemeral_refused;     /* a 403 to POST /posts/ephemeral: the bot
                                 * lacks create_post_ephemeral, so private
                                 * replies go as DMs from now on */
};

extern const struct deliver_ops mattermost_deliver;

/* Frees what api learned (not the borrowed pointers). */
void mattermost_api_release(struct mattermost_api *api);

/* What an answer to a REST call or a response_url means, from its status
 * (0 = no answer) and body. 2xx is OK whatever the body (the ops check the
 * body they need); 429 RATELIMITED; 0, 408 and 5xx RETRY; 401 FATAL; any
 * other status FAILED. why gets a short reason: the AppError's "id:
 * message" when the body is one, else "HTTP 404" or "no answer". */
enum deliver_result mattermost_classify(long status, const char *body,
                                        char *why, size_t whylen);

/* Does s look like a Mattermost id (26 of [a-z0-9])? Channel names of that
 * exact shape are taken for ids. */
bool mattermost_is_id(const char *s);

/* The props of a post for card (the outbox's neutral card JSON,
 * {"lead":"L-3","actions":["accept","reject"]}): {"attachments":[{"actions":
 * [...]}]} with a button per action whose integration posts to action_url
 * with {"action","lead","secret"} as context. NULL when card is NULL, not a
 * card, or action_url is empty (a card without buttons is a plain post).
 * New reference. */
json_t *mattermost_card_props(const char *card, const char *action_url,
                              const char *action_secret);

#endif

/* SPDX-License-Identifier: MIT */
/* mattermost_adapter.h: the Mattermost adapter's state, shared by its two
 * files: bot/mattermost.c (the websocket, posts, catch-up, the platform's
 * hooks) and bot/mattermost_routes.c (slash commands and button clicks on
 * the HTTP listener). Nothing else includes it. */
#ifndef SMK_MATTERMOST_ADAPTER_H
#define SMK_MATTERMOST_ADAPTER_H

#include <stdbool.h>
#include <stdint.h>

#include <libwebsockets.h>

#include "bot.h"
#include "config.h"
#include "link.h"
#include "mattermost_api.h"
#include "mattermost_event.h"

struct mattermost {
    struct bot *bot;
    char *api;                  /* {url}/api/v4/ */
    char *ws_base;              /* ws[s]://{host}/api/v4/websocket */
    char *action_url;           /* {public}/mattermost/action, or "" */
    char auth[320];             /* the upgrade's Authorization */
    char bot_id[32], bot_name[80];
    struct mattermost_api api_ctx;
    struct link *link;
    /* where the event stream is: resumed with these after a drop */
    char connection_id[64];
    int64_t next_seq;           /* the seq the next event must have */
    bool had_hello;             /* a hello was seen this run */
    int me_attempt;
    unsigned seed;
    struct held *held;          /* posts waiting for a name lookup */
    struct strlist looking;     /* names asked for (GET users/username) */
    struct strlist looked_up;   /* names asked this run, answered or not */
    lws_sorted_usec_list_t sul_me;
};

/* A command post that mentions a user the bot does not know yet: it runs
 * once the server said who that is, so the lead's owner is the user's id
 * and not a typed name. */
struct held {
    struct held *next;
    struct mattermost_post post;    /* strings owned */
    char *sender;
    bool direct;
    char **names;                   /* lower-cased, without '@' */
    size_t nnames;
};

/* Remembers who said something: the platform's name, never typed text. */
static inline void
mattermost_seen_user(struct mattermost *m, const char *id, const char *name)
{
    if (id && *id && name && *name)
        bot_user_seen(m->bot, id, name);
}
/* Adds /mattermost/command and /mattermost/action to the bot's listener and
 * sets m->action_url (empty when there are no buttons). 0 or -1 with err. */
int mattermost_routes_add(struct mattermost *m, struct err *err);

#endif

/* SPDX-License-Identifier: MIT */
/* mattermost_event.h: what Mattermost sends the bot, parsed, and the
 * answers the bot gives it, built. Pure functions: no network, no
 * database, no globals.
 *   - WebSocket frames: hello, replies to the bot's actions, `posted`
 *     (whose data.post and data.mentions are JSON inside strings), others.
 *   - The listener's bodies: a slash command (form-encoded) and a button
 *     click (PostActionIntegrationRequest JSON), and their answers.
 *   - Text: the command in a post, and @name / ~channel mentions turned
 *     into the platform-neutral <@id|name> / <#id|name> the core reads. */
#ifndef SMK_MATTERMOST_EVENT_H
#define SMK_MATTERMOST_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "strbuf.h"

enum mattermost_event_kind {
    MM_EVENT_OTHER,         /* any other event: only its seq matters */
    MM_EVENT_HELLO,
    MM_EVENT_REPLY,         /* the answer to one of the bot's actions */
    MM_EVENT_POSTED,
};

/* A Post (data.post of `posted`, or one of a PostList). */
struct mattermost_post {
    const char *id, *user_id, *channel_id, *root_id, *message, *type;
    int64_t create_at;
    bool from_webhook;      /* props.from_webhook == "true" */
};

/* One frame. Every string is "" when absent, never NULL, and valid until
 * mattermost_event_release. */
struct mattermost_event {
    enum mattermost_event_kind kind;
    const char *event;      /* "posted", "status_change"...; "" for a reply */
    int64_t seq;            /* an event's seq; -1 for a reply */
    /* hello */
    const char *connection_id, *server_version;
    const char *user_id;    /* broadcast.user_id: hello's is the bot's id */
    /* reply */
    int64_t seq_reply;
    bool ok;                /* status "OK" */
    const char *error_id, *error_message;
    const char *reply_text; /* data.text: "pong" for a ping */
    /* posted */
    struct mattermost_post post;
    const char *channel_type;   /* "O", "P", "D" (a DM), "G" */
    const char *channel_name;
    const char *sender_name;    /* without the '@' */
    const char *team_id;        /* "" for DMs and group messages */
    char **mentions;            /* ids in data.mentions (often absent) */
    size_t nmentions;
    /* private */
    void *root_, *post_;
};

/* Parses a WebSocket text frame. Returns 0, or -1 with err when it is not
 * a JSON object with an event or a seq_reply (or a `posted` whose post is
 * not a Post: nothing half-parsed is handed on). Release ev either way. */
int mattermost_event_parse(const char *text, size_t len,
                           struct mattermost_event *ev, struct err *err);
void mattermost_event_release(struct mattermost_event *ev);

/* Does data.mentions name bot_id? */
bool mattermost_event_mentions(const struct mattermost_event *ev,
                               const char *bot_id);
/* A post nobody typed for the bot: its own (user_id == bot_id), a system
 * post (type "system_..."), or one made by a webhook. */
bool mattermost_event_ignored(const struct mattermost_event *ev,
                              const char *bot_id);
/* Is a posted event a command for the bot? Not ignored, and a DM, or
 * mentioning it (data.mentions, or "@bot_name" in the text for servers that
 * leave mentions out). A group message must name it. */
bool mattermost_event_for_bot(const struct mattermost_event *ev,
                              const char *bot_id, const char *bot_name);

/* The command in message: the words after the first "@bot_name" (any case,
 * an optional ":", "," or "." after it), or message as is when it does not name
 * the bot (a DM). Owned. */
char *mattermost_event_command(const char *message, const char *bot_name);

/* Maps a name to an id for mattermost_mentions_neutral: sigil '@' (a user:
 * a name already lower-cased) or '~' (a channel). Returns the id (borrowed
 * until the next call) or NULL when unknown. */
typedef const char *(*mattermost_lookup_fn)(void *ud, char sigil,
                                            const char *name);

/* text with each "@name" whose id lookup knows as "<@id|name>" and each
 * "~name" as "<#id|name>", the forms lib/args.c reads as ids (the router
 * then learns the name). Unknown names stay as typed ("@bob": args reads
 * the name). Only at a word's start: "a@b.com" stays. A trailing '.' ends
 * the name (end of a sentence). Owned. */
char *mattermost_mentions_neutral(const char *text, mattermost_lookup_fn lookup,
                                  void *ud);
/* The other way, for what the bot posts: "<@id|name>" back to "@name" and
 * "<#id|name>" to "~name" (a command may echo a mention it was given).
 * Anything else is left as it is. Owned. */
char *mattermost_markup(const char *text);

/* The "@name"s of text (lower-cased, without '@', each once) that are not
 * bot_name, for the adapter to look up before it runs the command. Returns
 * how many; *names is owned (mattermost_names_free). */
size_t mattermost_mention_names(const char *text, const char *bot_name,
                                char ***names);
void mattermost_names_free(char **names, size_t n);

/* A slash command as the server POSTs it (form fields; strings owned, ""
 * when absent). The user_mentions and channel_mentions pairs the server
 * adds for mentions in text are kept for the lookup above. */
struct mattermost_command {
    char *token, *team_id, *team_domain, *channel_id, *channel_name;
    char *user_id, *user_name, *command, *text, *response_url, *trigger_id;
    char **user_mentions, **user_mentions_ids;      /* nusers each */
    size_t nusers;
    char **channel_mentions, **channel_mentions_ids;
    size_t nchannels;
};

/* Parses an application/x-www-form-urlencoded body. Returns 0, or -1 with
 * err when user_id, channel_id or command is missing or a field is
 * malformed. Release cmd either way. */
int mattermost_command_parse(const char *body, struct mattermost_command *cmd,
                             struct err *err);
void mattermost_command_release(struct mattermost_command *cmd);
/* A lookup over cmd's mention pairs (ud is the command). */
const char *mattermost_command_lookup(void *ud, char sigil, const char *name);

/* A button click (PostActionIntegrationRequest); strings owned, "" when
 * absent. */
struct mattermost_action {
    char *user_id, *user_name, *channel_id, *team_id, *post_id, *trigger_id;
    char *action, *lead, *secret;       /* from the context */
};

/* Parses the JSON body. Returns 0, or -1 with err when it is not an object
 * with user_id, post_id and context.action. Release act either way. */
int mattermost_action_parse(const char *body, size_t len,
                            struct mattermost_action *act, struct err *err);
void mattermost_action_release(struct mattermost_action *act);

/* The answer to a slash command: {"response_type":"ephemeral","text":...}
 * with what does not fit one post in extra_responses (parts at most).
 * Owned JSON text. */
char *mattermost_command_response(const char *text, size_t max_parts);
/* The answer to a click: {"update":{"message":update,"props":
 * {"attachments":[]}}} when update is not NULL (the card then shows who did
 * what, without buttons), and "ephemeral_text" when ephemeral is not NULL or
 * "". Owned JSON text. */
char *mattermost_action_response(const char *update, const char *ephemeral);

/* WebSocket frames the bot sends: {"action":action,"seq":seq} with data
 * {"token":token} when token is not NULL (authentication_challenge).
 * Owned JSON text. */
char *mattermost_ws_action(const char *action, int64_t seq, const char *token);
/* The WebSocket URL: base ("ws://host/api/v4/websocket") with
 * ?connection_id=&sequence_number= when connection_id is not "" (a
 * reconnect asking for what it missed). Owned. */
char *mattermost_ws_url(const char *base, const char *connection_id,
                        int64_t next_seq);

/* A User (GET /users/me, /users/{id}, /users/username/{name}); strings
 * owned, "" when absent. */
struct mattermost_user {
    char *id, *username, *locale;
    char *tz;               /* the zone in use (automatic or manual), "" */
    bool is_bot;
};

/* Parses a User. Returns 0, or -1 with err when it has no id or username.
 * Release u either way. */
int mattermost_user_parse(const char *body, size_t len, struct mattermost_user *u,
                          struct err *err);
void mattermost_user_release(struct mattermost_user *u);

/* A PostList (GET /channels/{id}/posts?after=) into posts, oldest first,
 * borrowed from *holder (free with mattermost_postlist_free). Returns how
 * many, or -1 with err. */
int mattermost_postlist_parse(const char *text, size_t len,
                              struct mattermost_post **posts, void **holder,
                              struct err *err);
void mattermost_postlist_free(struct mattermost_post *posts, void *holder);

#endif

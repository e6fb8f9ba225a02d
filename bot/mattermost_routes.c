/* SPDX-License-Identifier: MIT */
/* mattermost_routes.c: what the Mattermost server sends to the bot's HTTP
 * listener: slash commands (POST /mattermost/command, form-encoded, the
 * command token checked in constant time, the reply in the answer) and the
 * Accept and Reject buttons of a card (POST /mattermost/action, JSON, the
 * action secret checked, the effect once). */
#include "mattermost_adapter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "inbox.h"
#include "listen.h"

#define MM_JSON "application/json"

/* ------------------------------------------------------ slash commands */

/* The private reply to a slash command goes in the HTTP answer. */
struct command_reply {
    struct mattermost *m;
    char *text;
};

static int
on_command_reply(void *ud, const char *reply, bool refused, struct err *err)
{
    struct command_reply *cr = ud;

    (void)refused;
    (void)err;
    free(cr->text);
    cr->text = strdup(reply);
    return 0;
}

static void
answer_json(struct listen_resp *resp, int status, char *json)
{
    resp->status = status;
    snprintf(resp->content_type, sizeof(resp->content_type), "%s", MM_JSON);
    if (json)
        strbuf_puts(&resp->body, json);
    free(json);
}

static void
answer_error(struct listen_resp *resp, int status, const char *text)
{
    resp->status = status;
    strbuf_puts(&resp->body, text);
    strbuf_puts(&resp->body, "\n");
}

/* "Token abc" (the scheme in any case) → "abc"; NULL when not that form. */
static const char *
token_of(const char *authorization)
{
    if (strncasecmp(authorization, "Token ", 6) == 0)
        return authorization + 6;
    return NULL;
}

static void
on_command(void *ud, const struct listen_req *req, struct listen_resp *resp)
{
    struct mattermost *m = ud;
    struct bot *bot = m->bot;
    struct mattermost_command cmd;
    struct command_reply cr = { m, NULL };
    struct chat_msg msg = { 0 };
    struct inbox_item it = { &msg, NULL, false, true };
    struct err err = { 0 };
    const char *header_token = token_of(req->authorization);
    char key[160], *prior = NULL;

    if (mattermost_command_parse(req->body, &cmd, &err) < 0) {
        log_warn(&bot->log, "mattermost", "slash command from %s: %s", req->peer, err.msg);
        mattermost_command_release(&cmd);
        answer_error(resp, 400, "bad request");
        return;
    }
    if (!listen_secret_eq(cmd.token, bot->cfg.mm_command_token) &&
        !(header_token && listen_secret_eq(header_token, bot->cfg.mm_command_token))) {
        log_warn(&bot->log, "mattermost", "slash command from %s: wrong token%s", req->peer,
                 bot->cfg.mm_command_token[0] ? "" : " (no [mattermost] command_token set)");
        mattermost_command_release(&cmd);
        answer_error(resp, 403, "forbidden");
        return;
    }
    mattermost_seen_user(m, cmd.user_id, cmd.user_name);
    /* the server names the users the text mentions: its word, not the
     * typist's, so "handoff L-3 @bob" finds bob by his id */
    for (size_t i = 0; i < cmd.nusers; i++)
        mattermost_seen_user(m, cmd.user_mentions_ids[i], cmd.user_mentions[i]);
    msg.user_id = strdup(cmd.user_id);
    msg.user_name = strdup(*cmd.user_name ? cmd.user_name : cmd.user_id);
    msg.channel = strdup(cmd.channel_id);
    msg.command = strdup(cmd.command);
    msg.text = mattermost_mentions_neutral(cmd.text, mattermost_command_lookup, &cmd);
    /* the server does not resend a command, but a person may press enter
     * twice on a slow link: the trigger id tells the two apart */
    snprintf(key, sizeof(key), "mm:cmd:%s", *cmd.trigger_id ? cmd.trigger_id : "");
    it.dedupe = *cmd.trigger_id ? key : NULL;
    if (msg.user_id == NULL || msg.user_name == NULL || msg.channel == NULL ||
        msg.command == NULL || msg.text == NULL) {
        answer_error(resp, 500, "out of memory");
    } else {
        switch (inbox_handle(bot, &it, on_command_reply, &cr, &prior, &err)) {
        case INBOX_SEEN:
            free(cr.text);
            cr.text = prior;
            prior = NULL;
            /* fall through */
        case INBOX_RAN:
        case INBOX_REFUSED:
            answer_json(resp, 200, mattermost_command_response(cr.text ? cr.text : "",
                                                               MM_REPLY_PARTS));
            break;
        case INBOX_FAILED:
            log_err(&bot->log, "mattermost", "slash command not handled: %s", err.msg);
            answer_json(resp, 200, mattermost_command_response(
                                       _("smarkbot could not do that just now; please try again"),
                                       1));
            break;
        }
    }
    free(prior);
    free(cr.text);
    chat_msg_release(&msg);
    mattermost_command_release(&cmd);
}

/* --------------------------------------------------------------- clicks */

static void
on_action(void *ud, const struct listen_req *req, struct listen_resp *resp)
{
    struct mattermost *m = ud;
    struct bot *bot = m->bot;
    struct mattermost_action act;
    struct command_reply cr = { m, NULL };
    struct chat_msg msg = { 0 };
    struct inbox_item it = { &msg, NULL, true, false };
    struct err err = { 0 };
    char key[200], text[96], *prior = NULL;

    if (mattermost_action_parse(req->body, req->body_len, &act, &err) < 0) {
        log_warn(&bot->log, "mattermost", "button click from %s: %s", req->peer, err.msg);
        mattermost_action_release(&act);
        answer_error(resp, 400, "bad request");
        return;
    }
    if (!listen_secret_eq(act.secret, bot->cfg.mm_action_secret)) {
        log_warn(&bot->log, "mattermost", "button click from %s: wrong secret", req->peer);
        mattermost_action_release(&act);
        answer_error(resp, 403, "forbidden");
        return;
    }
    if ((strcmp(act.action, "accept") != 0 && strcmp(act.action, "reject") != 0) ||
        strlen(act.lead) > 20) {
        mattermost_action_release(&act);
        answer_json(resp, 200, mattermost_action_response(NULL, _("this button is not one of smarkbot's")));
        return;
    }
    mattermost_seen_user(m, act.user_id, act.user_name);
    if (strcmp(act.action, "reject") == 0) {
        /* a rejection needs its reason, which a button cannot give: say
         * how to type it (an interactive dialog would be the next step) */
        struct strbuf reasons, hint;

        strbuf_init(&reasons, 0);
        strbuf_init(&hint, 0);
        for (int i = 0; i < bot->cfg.reasons.n; i++)
            strbuf_printf(&reasons, "%s%s", i ? ", " : "", bot->cfg.reasons.v[i]);
        strbuf_printf(&hint, _("to reject %s, say why: reject %s <reason> [note]\nreasons: %s"),
                      act.lead, act.lead, strbuf_str(&reasons));
        answer_json(resp, 200, mattermost_action_response(NULL, strbuf_str(&hint)));
        strbuf_release(&reasons);
        strbuf_release(&hint);
        mattermost_action_release(&act);
        return;
    }
    snprintf(text, sizeof(text), "%s %s", act.action, act.lead);
    msg.user_id = strdup(act.user_id);
    msg.user_name = strdup(*act.user_name ? act.user_name : act.user_id);
    msg.channel = strdup(act.channel_id);
    msg.text = strdup(text);
    msg.button = true;
    /* a double click has its effect once; a refused one may work later */
    snprintf(key, sizeof(key), "mm:click:%s:%s:%s", act.post_id, act.user_id, act.action);
    it.dedupe = key;
    if (msg.user_id == NULL || msg.user_name == NULL || msg.channel == NULL || msg.text == NULL) {
        answer_error(resp, 500, "out of memory");
    } else {
        switch (inbox_handle(bot, &it, on_command_reply, &cr, &prior, &err)) {
        case INBOX_SEEN:
            answer_json(resp, 200, mattermost_action_response(NULL, _("already done")));
            break;
        case INBOX_RAN:
        case INBOX_REFUSED:
            /* the card itself is updated through the outbox, for every
             * viewer; the clicker reads the reply */
            answer_json(resp, 200, mattermost_action_response(NULL, cr.text ? cr.text : ""));
            break;
        case INBOX_FAILED:
            log_err(&bot->log, "mattermost", "button click not handled: %s", err.msg);
            answer_json(resp, 200, mattermost_action_response(
                                       NULL, _("smarkbot could not do that just now; please try again")));
            break;
        }
    }
    free(prior);
    free(cr.text);
    chat_msg_release(&msg);
    mattermost_action_release(&act);
}



static char *
joined(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 1;
    char *s = malloc(n);

    if (s)
        snprintf(s, n, "%s%s", a, b);
    return s;
}

int
mattermost_routes_add(struct mattermost *m, struct err *err)
{
    const struct listen_route routes[] = {
        { "POST", "/mattermost/command", on_command, m },
        { "POST", "/mattermost/action", on_action, m },
        { NULL, NULL, NULL, NULL },
    };
    struct config *cfg = &m->bot->cfg;
    char base[300];

    if (m->bot->listen == NULL) {
        log_warn(&m->bot->log, "mattermost",
                 "[http] listen is off: no slash commands, cards without buttons; "
                 "commands work as DMs to the bot or @mentions");
        m->action_url = strdup("");
        return m->action_url ? 0 : -1;
    }
    if (listen_add_table(m->bot->listen, routes, err) < 0)
        return -1;
    if (cfg->http_public_url[0]) {
        size_t n = strlen(cfg->http_public_url);

        snprintf(base, sizeof(base), "%.*s", (int)(cfg->http_public_url[n - 1] == '/' ? n - 1 : n),
                 cfg->http_public_url);
    } else {
        char host[64];
        int port;

        config_parse_listen(cfg->http_listen, host, sizeof(host), &port, NULL);
        snprintf(base, sizeof(base), "http://%s:%d", host, listen_port(m->bot->listen));
    }
    if (cfg->mm_command_token[0] == '\0')
        log_warn(&m->bot->log, "mattermost",
                 "no [mattermost] command_token: slash commands are refused until it is set");
    m->action_url = cfg->mm_action_secret[0] ? joined(base, "/mattermost/action") : strdup("");
    if (cfg->mm_action_secret[0] == '\0')
        log_warn(&m->bot->log, "mattermost",
                 "no [mattermost] action_secret: cards go out without buttons");
    log_info(&m->bot->log, "mattermost", "slash commands at %s/mattermost/command", base);
    return m->action_url ? 0 : -1;
}

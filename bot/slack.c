/* SPDX-License-Identifier: MIT */
/* slack.c: the Slack platform. Socket Mode in (apps.connections.open, hello,
 * envelopes acked on their own socket after the command committed,
 * reconnects), Web API out through the durable outbox (pacing per channel,
 * Retry-After per method, backoff, permanent errors given up once). */
#include "slack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <libwebsockets.h>

#include "backoff.h"
#include "blockkit.h"
#include "bot.h"
#include "deliver.h"
#include "http.h"
#include "i18n.h"
#include "inbox.h"
#include "link.h"
#include "outbox.h"
#include "router.h"
#include "sched.h"
#include "slack_api.h"
#include "stats.h"
#include "users.h"
#include "ws.h"

#define SLACK_MAX_INFLIGHT 8
#define SLACK_REPLY_PARTS 5         /* a response_url takes 5 posts */
#define SLACK_CROWDED_MS 5000       /* after too_many_websockets */
#define SLACK_HEALTHY_MS 30000      /* a link this old resets the backoff */
/* A replaced link stays open this long after its successor's hello: an
 * envelope Slack wrote to it just before is still read, handled and acked
 * there instead of being cut off by our close frame. */
#define SLACK_DRAIN_MS 1500
#define SLACK_JSON "application/json; charset=utf-8"

/* An envelope waiting for users.info to name its sender. */
struct held {
    struct held *next;
    struct ws_conn *ws;     /* NULL once that socket closed */
    char *user;
    char *frame;
};

struct slack {
    struct bot *bot;
    struct lws_context *lws;        /* the bot's loop */
    struct http *http;
    char *api;                      /* api_url, ending in '/' */
    struct link *link;              /* Socket Mode connections */
    struct slack_api api_ctx;       /* what slack_deliver needs */
    struct held *held;
    struct strlist looked_up;       /* users.info asked this run */
    struct strlist looking;         /* users.info in flight */
    int64_t frame_ms;               /* the frame being handled came then */
};

/* A views.open in flight: what a failure needs to tell the user. */
struct modal {
    struct slack *s;
    char *lead, *response_url, *channel, *user;
};


/* ---------------------------------------------------------------- parse */

static char *
dup_str(json_t *v)
{
    const char *s = json_string_value(v);

    return s ? strdup(s) : NULL;
}

static char *
key_of(const char *prefix, const char *a, const char *b, const char *c)
{
    size_t n = strlen(prefix) + strlen(a) + (b ? strlen(b) + 1 : 0) +
               (c ? strlen(c) + 1 : 0) + 1;
    char *k = malloc(n);

    if (k)
        snprintf(k, n, "%s%s%s%s%s%s", prefix, a, b ? ":" : "", b ? b : "",
                 c ? ":" : "", c ? c : "");
    return k;
}

/* Slack's markup in the platform-neutral form the core reads: a link
 * <https://x|label> or <mailto:a@b|a@b> is its URL or address, entities
 * are characters; mentions <@U123|bob> and <#C123|sales> stay, as they
 * are already the neutral form (an id and the name it had). Owned. */
static char *
neutral_text(const char *text)
{
    struct strbuf sb;
    char *unescaped;

    strbuf_init(&sb, 0);
    strbuf_puts(&sb, "");
    for (const char *p = text; *p;) {
        size_t n = p[0] == '<' ? strcspn(p + 1, ">") : 0;

        if (n > 0 && p[1 + n] == '>' && p[1] != '@' && p[1] != '#' && p[1] != '!') {
            size_t inner = strcspn(p + 1, "|>");
            bool mailto = strncmp(p + 1, "mailto:", 7) == 0;

            strbuf_add(&sb, p + 1 + (mailto ? 7 : 0), inner - (mailto ? 7 : 0));
            p += n + 2;
        } else {
            strbuf_putc(&sb, *p++);
        }
    }
    unescaped = blockkit_unescape(strbuf_str(&sb));
    strbuf_release(&sb);
    return unescaped;
}

/* The command after a leading mention (<@UBOT> handoff L-3): only that one
 * is the bot's; a mention later on (handoff L-3 <@U0BOB>) is an argument. */
static char *
after_mention(const char *text)
{
    const char *end;

    text += strspn(text, " \t\n");
    if (strncmp(text, "<@", 2) == 0 && (end = strchr(text, '>')) != NULL)
        text = end + 1;
    text += strspn(text, " \t\n");
    return neutral_text(text);
}

static void
parse_event(json_t *payload, struct slack_env *e)
{
    json_t *ev = json_object_get(payload, "event");
    const char *type = json_string_value(json_object_get(ev, "type"));
    const char *text = json_string_value(json_object_get(ev, "text"));
    const char *user = json_string_value(json_object_get(ev, "user"));
    const char *ctype = json_string_value(json_object_get(ev, "channel_type"));
    const char *event_id = json_string_value(json_object_get(payload, "event_id"));

    if (type == NULL || user == NULL || text == NULL)
        return;
    /* the bot's own posts (bot_id), edits, joins...: nothing to answer */
    if (json_object_get(ev, "bot_id") || json_object_get(ev, "subtype"))
        return;
    if (strcmp(type, "app_mention") == 0) {
        e->kind = SLACK_MENTION;
    } else if (strcmp(type, "message") == 0 && ctype && strcmp(ctype, "im") == 0) {
        e->kind = SLACK_DM;
    } else {
        return;
    }
    e->msg.user_id = strdup(user);
    e->msg.channel = dup_str(json_object_get(ev, "channel"));
    e->msg.text = after_mention(text);
    /* events are redelivered under a new envelope_id: the event_id is
     * what stays */
    e->dedupe = key_of("event:", event_id ? event_id : e->envelope_id, NULL, NULL);
}

static void
parse_block_actions(json_t *p, struct slack_env *e)
{
    json_t *act = json_array_get(json_object_get(p, "actions"), 0);
    json_t *user = json_object_get(p, "user");
    const char *action = json_string_value(json_object_get(act, "action_id"));
    const char *value = json_string_value(json_object_get(act, "value"));
    const char *uid = json_string_value(json_object_get(user, "id"));
    const char *name = json_string_value(json_object_get(user, "username"));
    const char *channel = json_string_value(json_object_get(json_object_get(p, "channel"), "id"));
    char text[160];

    if (action == NULL || value == NULL || uid == NULL || strlen(value) > 64 ||
        strncmp(action, "lead_", 5) != 0)
        return;
    if (channel == NULL)
        channel = json_string_value(json_object_get(json_object_get(p, "container"),
                                                    "channel_id"));
    e->msg.user_id = strdup(uid);
    e->msg.user_name = name ? strdup(name) : NULL;
    e->msg.channel = channel ? strdup(channel) : NULL;
    e->msg.button = true;
    e->lead = strdup(value);
    e->response_url = dup_str(json_object_get(p, "response_url"));
    e->trigger_id = dup_str(json_object_get(p, "trigger_id"));
    if (strcmp(action, "lead_reject") == 0) {
        e->kind = SLACK_REJECT_CLICK;
        return;
    }
    snprintf(text, sizeof(text), "%s %s", action + 5, value);
    e->kind = SLACK_CLICK;
    e->msg.text = strdup(text);
    /* a double click is the same user pressing the same button again */
    e->dedupe = key_of("click:", value, action + 5, uid);
}

static void
parse_view_submission(json_t *p, struct slack_env *e)
{
    json_t *view = json_object_get(p, "view"), *meta, *values;
    json_t *user = json_object_get(p, "user");
    const char *cb = json_string_value(json_object_get(view, "callback_id"));
    const char *md = json_string_value(json_object_get(view, "private_metadata"));
    const char *uid = json_string_value(json_object_get(user, "id"));
    const char *name = json_string_value(json_object_get(user, "username"));
    const char *lead, *reason, *note, *vid;
    struct strbuf text;
    json_error_t jerr;

    if (cb == NULL || strcmp(cb, "smk_reject") != 0 || md == NULL || uid == NULL)
        return;
    if ((meta = json_loads(md, 0, &jerr)) == NULL)
        return;
    values = json_object_get(json_object_get(view, "state"), "values");
    lead = json_string_value(json_object_get(meta, "lead"));
    reason = json_string_value(json_object_get(json_object_get(
        json_object_get(json_object_get(values, "reason"), "reason"),
        "selected_option"), "value"));
    note = json_string_value(json_object_get(json_object_get(
        json_object_get(values, "note"), "note"), "value"));
    vid = json_string_value(json_object_get(view, "id"));
    if (lead != NULL) {
        strbuf_init(&text, 0);
        strbuf_printf(&text, "reject %s %s", lead, reason ? reason : "");
        if (note && *note) {
            strbuf_putc(&text, ' ');
            /* the note is free text: keep it one argument-friendly line */
            for (const char *q = note; *q; q++)
                strbuf_putc(&text, *q == '"' ? '\'' : (*q == '\n' ? ' ' : *q));
        }
        e->kind = SLACK_SUBMIT;
        e->msg.text = strbuf_detach(&text);
        e->msg.user_id = strdup(uid);
        e->msg.user_name = name ? strdup(name) : NULL;
        e->msg.channel = dup_str(json_object_get(meta, "channel"));
        e->msg.button = true;
        e->lead = strdup(lead);
        e->response_url = dup_str(json_object_get(meta, "response_url"));
        e->dedupe = key_of("view:", vid ? vid : e->envelope_id, uid, NULL);
    }
    json_decref(meta);
}

int
slack_parse(const char *text, size_t len, struct slack_env *e, struct err *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(text, len, 0, &jerr), *p;
    const char *type;

    memset(e, 0, sizeof(*e));
    if (root == NULL || !json_is_object(root) ||
        (type = json_string_value(json_object_get(root, "type"))) == NULL) {
        err_set(err, "not a Socket Mode frame: %s", root ? "no type" : jerr.text);
        json_decref(root);
        return -1;
    }
    p = json_object_get(root, "payload");
    e->envelope_id = dup_str(json_object_get(root, "envelope_id"));
    e->accepts_payload = json_is_true(json_object_get(root, "accepts_response_payload"));
    e->retry_attempt = (int)json_integer_value(json_object_get(root, "retry_attempt"));
    if (strcmp(type, "hello") == 0) {
        e->kind = SLACK_HELLO;
    } else if (strcmp(type, "disconnect") == 0) {
        e->kind = SLACK_DISCONNECT;
        e->reason = dup_str(json_object_get(root, "reason"));
    } else if (e->envelope_id == NULL) {
        e->kind = SLACK_OTHER;
    } else if (strcmp(type, "slash_commands") == 0) {
        const char *cmd = json_string_value(json_object_get(p, "command"));
        const char *uid = json_string_value(json_object_get(p, "user_id"));

        if (cmd && uid) {
            const char *t = json_string_value(json_object_get(p, "text"));

            e->kind = SLACK_COMMAND;
            e->msg.command = strdup(cmd);
            e->msg.text = neutral_text(t ? t : "");
            e->msg.user_id = strdup(uid);
            e->msg.user_name = dup_str(json_object_get(p, "user_name"));
            e->msg.channel = dup_str(json_object_get(p, "channel_id"));
            e->response_url = dup_str(json_object_get(p, "response_url"));
            e->trigger_id = dup_str(json_object_get(p, "trigger_id"));
            /* Slack may redeliver a command under a new envelope_id; its
             * trigger_id is the command's own and stays */
            e->dedupe = e->trigger_id && *e->trigger_id
                            ? key_of("command:", e->trigger_id, NULL, NULL)
                            : key_of("envelope:", e->envelope_id, NULL, NULL);
        }
    } else if (strcmp(type, "events_api") == 0) {
        parse_event(p, e);
    } else if (strcmp(type, "interactive") == 0) {
        const char *ptype = json_string_value(json_object_get(p, "type"));

        if (ptype && strcmp(ptype, "block_actions") == 0)
            parse_block_actions(p, e);
        else if (ptype && strcmp(ptype, "view_submission") == 0)
            parse_view_submission(p, e);
    }
    json_decref(root);
    return 0;
}

void
slack_env_release(struct slack_env *e)
{
    free(e->envelope_id);
    free(e->dedupe);
    free(e->reason);
    free(e->response_url);
    free(e->trigger_id);
    free(e->lead);
    chat_msg_release(&e->msg);
    memset(e, 0, sizeof(*e));
}

/* ----------------------------------------------------------- utilities */

static int
api_call(struct slack *s, const char *method, json_t *body, http_done_fn done,
         void *ud)
{
    char url[1024];
    char *text = json_dumps(body, JSON_COMPACT);
    struct http_req req = { 0 };
    struct err err = { 0 };
    int rc;

    snprintf(url, sizeof(url), "%s%s", s->api, method);
    req.method = "POST";
    req.url = url;
    req.bearer = s->bot->cfg.slack_bot_token;
    req.content_type = SLACK_JSON;
    req.body = text;
    req.body_len = text ? strlen(text) : 0;
    rc = http_request(s->http, &req, done, ud, &err);
    if (rc < 0)
        log_err(&s->bot->log, "slack", "%s: %s", method, err.msg);
    free(text);
    return rc;
}

/* ----------------------------------------------------------- connection */

static void
on_connections_open(void *ud, const struct http_resp *r)
{
    struct slack *s = ud;
    char error[128];
    enum slack_result res = slack_classify(r->status, r->body, false, error, sizeof(error));
    json_error_t jerr;
    json_t *root;
    const char *url;

    if (r->cancelled || s->bot->quit)
        return;
    switch (res) {
    case SLACK_OK:
        break;
    case SLACK_FATAL:
        log_err(&s->bot->log, "slack",
                "apps.connections.open: %s: Slack refused the app-level token; set a valid xapp- token "
                "with the connections:write scope in [slack] app_token or SMARKBOT_SLACK_APP_TOKEN",
                error);
        bot_quit(s->bot, 1);
        return;
    case SLACK_RATELIMITED:
        link_retry(s->link, (int64_t)(r->retry_after >= 0 ? r->retry_after : 30) * 1000,
                   "apps.connections.open: rate limited");
        return;
    default:
        log_warn(&s->bot->log, "slack", "apps.connections.open: %s%s%s", error,
                 r->error ? ": " : "", r->error ? r->error : "");
        link_retry(s->link, 0, "apps.connections.open failed");
        return;
    }
    root = json_loads(r->body, 0, &jerr);
    url = json_string_value(json_object_get(root, "url"));
    if (url == NULL || (strncmp(url, "wss://", 6) != 0 && strncmp(url, "ws://", 5) != 0)) {
        log_warn(&s->bot->log, "slack", "apps.connections.open: no websocket URL in the answer");
        link_retry(s->link, 0, "apps.connections.open failed");
    } else {
        link_connect(s->link, url);
    }
    json_decref(root);
}

/* Socket Mode URLs are single-use: each connection asks for its own. */
static void
want_url(void *ud, struct link *l)
{
    struct slack *s = ud;
    char url[1024];
    struct http_req req = { 0 };
    struct err err = { 0 };

    snprintf(url, sizeof(url), "%sapps.connections.open", s->api);
    req.method = "POST";
    req.url = url;
    req.bearer = s->bot->cfg.slack_app_token;
    req.content_type = "application/x-www-form-urlencoded";
    req.timeout_ms = 15000;
    if (http_request(s->http, &req, on_connections_open, s, &err) < 0) {
        log_err(&s->bot->log, "slack", "apps.connections.open: %s", err.msg);
        link_retry(l, 0, "apps.connections.open failed");
    }
}

static void
on_ws_close(void *ud, struct ws_conn *c, const char *why)
{
    struct slack *s = ud;

    (void)why;
    for (struct held *h = s->held; h; h = h->next)
        if (h->ws == c)
            h->ws = NULL;
}

static void
on_disconnect(struct slack *s, struct ws_conn *c, const char *reason)
{
    reason = reason ? reason : "";
    log_info(&s->bot->log, "slack", "#%d: disconnect (%s)", ws_id(c), reason);
    if (strcmp(reason, "link_disabled") == 0) {
        log_err(&s->bot->log, "slack",
                "Socket Mode is disabled for this app (link_disabled): not reconnecting. "
                "Turn Socket Mode on in the app's settings and restart smarkbot");
        link_stop(s->link);
    } else if (strcmp(reason, "too_many_websockets") == 0) {
        /* over the cap: drop this one and do not rush back */
        link_drop(s->link, c, SLACK_CROWDED_MS, "too many websockets");
    } else {
        /* warning, refresh_requested or anything new: open the next
         * connection, close this one once the next said hello */
        link_replace(s->link, c);
    }
}

/* ------------------------------------------------------------ envelopes */

static void
send_ack(struct slack *s, struct ws_conn *c, const char *envelope_id,
         json_t *payload)
{
    json_t *ack = json_pack("{s:s}", "envelope_id", envelope_id);
    char *text;

    if (payload)
        json_object_set_new(ack, "payload", payload);
    text = json_dumps(ack, JSON_COMPACT);
    json_decref(ack);
    if (text == NULL)
        return;
    if (c == NULL || ws_send(c, text, strlen(text)) < 0)
        log_warn(&s->bot->log, "slack", "ack of %s not sent: its socket is gone",
                 envelope_id);
    else
        metric_observe(&stats_ack_latency, (double)(clock_mono_ms() - s->frame_ms) / 1000,
                       "slack", NULL);
    free(text);
}

/* Queues a private reply (in the current transaction): one row, which
 * the delivery engine splits as the platform needs. */
static int
queue_reply(struct slack *s, const struct slack_env *e, const char *text,
            struct err *err)
{
    struct outbox_dest to = { 0 };

    if (e->response_url) {
        to.kind = OUTBOX_RESPONSE;
        to.url = e->response_url;
    } else if (e->kind == SLACK_DM && e->msg.channel) {
        to.kind = OUTBOX_CHANNEL;
        to.channel = e->msg.channel;
    } else if (e->msg.channel) {
        to.kind = OUTBOX_EPHEMERAL;
        to.channel = e->msg.channel;
        to.user = e->msg.user_id;
    } else {
        to.kind = OUTBOX_DM;
        to.user = e->msg.user_id;
    }
    return outbox_add(s->bot->store, clock_now(&s->bot->clock), &to, text, NULL, err) < 0
           ? -1 : 0;
}

static void
lookup_user(struct slack *s, const char *user);

/* What an envelope's reply becomes, kept by on_reply for the ack. */
struct envelope_reply {
    struct slack *s;
    struct slack_env *e;
    json_t *payload;        /* the ack's payload (a slash command's reply) */
    char refusal[151];      /* a refused modal: shown in the modal */
};

static int
on_reply(void *ud, const char *reply, bool refused, struct err *err)
{
    struct envelope_reply *er = ud;
    struct slack_env *e = er->e;
    char **rest = NULL;
    size_t nrest = 0;
    int rc = 0;

    if (e->kind == SLACK_SUBMIT && refused) {
        /* nothing changed; the modal stays open with the reason */
        snprintf(er->refusal, sizeof(er->refusal), "%s", *reply ? reply : _("refused"));
        return 0;
    }
    if (*reply == '\0')
        return 0;
    if (e->kind != SLACK_COMMAND) {
        return queue_reply(er->s, e, reply, err);
    }
    er->payload = blockkit_ack_payload(e->envelope_id, reply, SLACK_REPLY_PARTS, &rest,
                                       &nrest);
    for (size_t i = 1; i < nrest && e->response_url && rc == 0; i++) {
        struct outbox_dest to = { .kind = OUTBOX_RESPONSE, .url = e->response_url };

        rc = outbox_add(er->s->bot->store, clock_now(&er->s->bot->clock), &to, rest[i],
                        NULL, err) < 0 ? -1 : 0;
    }
    text_parts_free(rest, nrest);
    return rc;
}

/* Runs e through the router once (bot/inbox.c); the ack goes out after
 * the commit, and a redelivered slash command gets its stored reply. */
static void
run_envelope(struct slack *s, struct ws_conn *c, struct slack_env *e)
{
    struct envelope_reply er = { s, e, NULL, "" };
    struct inbox_item it = { &e->msg, e->dedupe, false, e->kind == SLACK_COMMAND };
    struct err err = { 0 };
    char *prior = NULL, **rest = NULL;
    size_t nrest = 0;

    /* a refused click or modal changed nothing: pressing again may work */
    it.forget_refusal = e->kind == SLACK_CLICK || e->kind == SLACK_SUBMIT;
    switch (inbox_handle(s->bot, &it, on_reply, &er, &prior, &err)) {
    case INBOX_SEEN:
        log_info(&s->bot->log, "slack", "%s: already handled (retry %d); not again",
                 e->dedupe, e->retry_attempt);
        if (e->kind == SLACK_COMMAND && prior && *prior) {
            er.payload = blockkit_ack_payload(e->envelope_id, prior, SLACK_REPLY_PARTS,
                                              &rest, &nrest);
            text_parts_free(rest, nrest);
        }
        break;
    case INBOX_REFUSED:
        if (er.refusal[0])
            er.payload = json_pack("{s:s, s:{s:s}}", "response_action", "errors",
                                   "errors", "reason", er.refusal);
        break;
    case INBOX_RAN:
        break;
    case INBOX_FAILED:
        /* no ack: Slack delivers it again and we try again */
        log_err(&s->bot->log, "slack", "envelope %s not handled: %s", e->envelope_id,
                err.msg);
        json_decref(er.payload);
        free(prior);
        return;
    }
    /* committed: now, and only now, Slack may forget the envelope */
    send_ack(s, c, e->envelope_id, er.payload);     /* steals payload */
    free(prior);
}

static void
modal_free(struct modal *m)
{
    free(m->lead);
    free(m->response_url);
    free(m->channel);
    free(m->user);
    free(m);
}

static void
on_views_open(void *ud, const struct http_resp *r)
{
    struct modal *m = ud;
    char error[128];
    enum slack_result res = slack_classify(r->status, r->body, false, error, sizeof(error));

    if (res != SLACK_OK && !r->cancelled) {
        struct slack_env e = { 0 };
        struct err err = { 0 };
        char text[300];

        log_warn(&m->s->bot->log, "slack", "views.open for %s: %s", m->lead, error);
        snprintf(text, sizeof(text),
                 _("could not open the reject form (%s); type /smk reject %s <reason> [note]"),
                 error, m->lead);
        e.kind = SLACK_REJECT_CLICK;
        e.response_url = m->response_url;
        e.msg.channel = m->channel;
        e.msg.user_id = m->user;
        if (queue_reply(m->s, &e, text, &err) == 0)
            deliver_kick(m->s->bot->deliver);
    }
    modal_free(m);
}

/* The Reject button: the trigger_id lives 3 s, so views.open goes out
 * now, not through the outbox. */
static void
open_reject_modal(struct slack *s, const struct slack_env *e)
{
    json_t *meta = json_pack("{s:s, s:s?, s:s?}", "lead", e->lead,
                             "channel", e->msg.channel, "response_url", e->response_url);
    char *md = json_dumps(meta, JSON_COMPACT);
    json_t *view = blockkit_reject_modal(e->lead, &s->bot->cfg.reasons, md);
    json_t *body = json_pack("{s:s, s:o}", "trigger_id", e->trigger_id ? e->trigger_id : "",
                             "view", view);
    struct modal *m = calloc(1, sizeof(*m));

    if (m) {
        m->s = s;
        m->lead = strdup(e->lead);
        m->response_url = e->response_url ? strdup(e->response_url) : NULL;
        m->channel = e->msg.channel ? strdup(e->msg.channel) : NULL;
        m->user = strdup(e->msg.user_id);
        if (api_call(s, "views.open", body, on_views_open, m) < 0)
            modal_free(m);
    }
    json_decref(body);
    json_decref(meta);
    free(md);
}

static void
handle(struct slack *s, struct ws_conn *c, struct slack_env *e)
{
    bool has_tz = false;

    switch (e->kind) {
    case SLACK_COMMAND:
    case SLACK_MENTION:
    case SLACK_DM:
    case SLACK_CLICK:
    case SLACK_SUBMIT:
        if (e->msg.user_name == NULL)
            e->msg.user_name = bot_user_name(s->bot, e->msg.user_id);
        run_envelope(s, c, e);
        if (!users_known(s->bot->store, e->msg.user_id, &has_tz) || !has_tz)
            lookup_user(s, e->msg.user_id);
        break;
    case SLACK_REJECT_CLICK:
        open_reject_modal(s, e);
        send_ack(s, c, e->envelope_id, NULL);
        break;
    default:
        send_ack(s, c, e->envelope_id, NULL);
        break;
    }
}

/* Should we wait for users.info about user before running a command? */
static bool
needs_lookup(struct slack *s, const char *user)
{
    bool has_tz;

    return !users_known(s->bot->store, user, &has_tz) &&
           (strlist_has(&s->looking, user) || !strlist_has(&s->looked_up, user));
}

/* A user the command needs a name for and we do not know yet, into out:
 * the sender of an event (slash commands carry their user's name), or a
 * bare <@U123> mention in the text (handoff L-3 <@U123>). */
static bool
unknown_user(struct slack *s, const struct slack_env *e, char *out, size_t len)
{
    const char *p = e->msg.text;

    if ((e->kind == SLACK_MENTION || e->kind == SLACK_DM) &&
        needs_lookup(s, e->msg.user_id)) {
        snprintf(out, len, "%s", e->msg.user_id);
        return true;
    }
    while (p && (p = strstr(p, "<@")) != NULL) {
        size_t n = strspn(p + 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

        /* "<@U123>" or "<@U123|bob>": the name a person may have typed
         * after the bar is not the platform's word, users.info is */
        if (n > 0 && n < len && (p[2 + n] == '>' || p[2 + n] == '|')) {
            snprintf(out, len, "%.*s", (int)n, p + 2);
            if (slack_is_user_id(out) && needs_lookup(s, out))
                return true;
        }
        p += 2;
    }
    return false;
}

static void
process_frame(struct slack *s, struct ws_conn *c, const char *text, size_t len,
              bool may_hold)
{
    struct slack_env e;
    struct err err = { 0 };
    char unknown[64];

    s->frame_ms = clock_mono_ms();
    if (slack_parse(text, len, &e, &err) < 0) {
        log_warn(&s->bot->log, "slack", "#%d: %s", ws_id(c), err.msg);
        return;
    }
    if (e.kind == SLACK_HELLO) {
        link_up(s->link, c);
    } else if (e.kind == SLACK_DISCONNECT) {
        on_disconnect(s, c, e.reason);
    } else if (e.envelope_id == NULL) {
        log_debug(&s->bot->log, "slack", "#%d: frame without envelope_id ignored", ws_id(c));
    } else if (may_hold && unknown_user(s, &e, unknown, sizeof(unknown))) {
        /* events carry only user ids, and roles may name people: ask
         * users.info first (fast), then run it */
        struct held *h = calloc(1, sizeof(*h)), **tail = &s->held;

        if (h) {
            h->ws = c;
            h->user = strdup(unknown);
            h->frame = strndup(text, len);
            while (*tail)
                tail = &(*tail)->next;
            *tail = h;
            lookup_user(s, unknown);
        }
    } else {
        handle(s, c, &e);
    }
    slack_env_release(&e);
}

static void
on_ws_text(void *ud, struct ws_conn *c, const char *text, size_t len)
{
    if (((struct slack *)ud)->bot->quit)
        return;     /* stopping: unacked, so Slack sends it again */
    process_frame(ud, c, text, len, true);
}

/* ---------------------------------------------------------------- users */

struct lookup {
    struct slack *s;
    char *user;
};

static void
on_users_info(void *ud, const struct http_resp *r)
{
    struct lookup *lk = ud;
    struct slack *s = lk->s;
    char error[128];
    json_error_t jerr;
    json_t *root = NULL, *u;
    struct held **p = &s->held;

    strlist_del(&s->looking, lk->user);
    if (r->cancelled) {
        free(lk->user);
        free(lk);
        return;
    }
    if (slack_classify(r->status, r->body, false, error, sizeof(error)) == SLACK_OK &&
        (root = json_loads(r->body, 0, &jerr)) != NULL) {
        u = json_object_get(root, "user");
        users_set(s->bot->store, clock_now(&s->bot->clock), lk->user,
                  json_string_value(json_object_get(u, "name")),
                  json_string_value(json_object_get(u, "tz")),
                  json_string_value(json_object_get(u, "locale")), NULL);
    } else {
        log_warn(&s->bot->log, "slack", "users.info %s: %s", lk->user, error);
    }
    json_decref(root);
    /* the envelopes that waited for this name, in arrival order */
    while (*p) {
        struct held *h = *p;

        if (strcmp(h->user, lk->user) != 0) {
            p = &h->next;
            continue;
        }
        *p = h->next;
        /* may wait again, for another unknown mention: this user is
         * looked up now, so it never waits twice for the same one */
        process_frame(s, h->ws, h->frame, strlen(h->frame), true);
        free(h->user);
        free(h->frame);
        free(h);
    }
    free(lk->user);
    free(lk);
}

static void
lookup_user(struct slack *s, const char *user)
{
    struct lookup *lk;
    struct strbuf url;
    struct http_req req = { 0 };
    struct err err = { 0 };

    if (strlist_has(&s->looking, user) || strlist_has(&s->looked_up, user))
        return;
    if ((lk = calloc(1, sizeof(*lk))) == NULL)
        return;
    lk->s = s;
    lk->user = strdup(user);
    strbuf_init(&url, 0);
    strbuf_printf(&url, "%susers.info?user=", s->api);
    http_urlencode(user, &url);
    req.method = "GET";
    req.url = strbuf_str(&url);
    req.bearer = s->bot->cfg.slack_bot_token;
    req.timeout_ms = 2000;
    strlist_add(&s->looked_up, user);
    strlist_add(&s->looking, user);
    if (http_request(s->http, &req, on_users_info, lk, &err) < 0) {
        struct http_resp r = { 0 };

        r.body = "";
        r.error = err.msg;
        on_users_info(lk, &r);
    }
    strbuf_release(&url);
}

/* ----------------------------------------------------------------- ops */

static void
slack_refused(struct bot *bot, const char *why)
{
    log_err(&bot->log, "slack",
            "%s: Slack refused the bot token; set a valid xoxb- token in [slack] "
            "bot_token or SMARKBOT_SLACK_BOT_TOKEN (unsent posts stay queued)", why);
}

static int
slack_start(struct bot *bot, struct err *err)
{
    struct slack *s = calloc(1, sizeof(*s));
    const char *api = bot->cfg.slack_api_url;
    size_t n = strlen(api);

    if (s == NULL) {
        err_set(err, _("out of memory"));
        return -1;
    }
    bot->plat = s;
    s->bot = bot;
    if (bot->cfg.slack_app_token[0] == '\0' || bot->cfg.slack_bot_token[0] == '\0') {
        err_set(err, _("slack needs [slack] app_token and bot_token (or SMARKBOT_SLACK_APP_TOKEN "
                       "and SMARKBOT_SLACK_BOT_TOKEN)"));
        return -1;
    }
    if ((s->api = malloc(n + 2)) == NULL) {
        err_set(err, _("out of memory"));
        return -1;
    }
    snprintf(s->api, n + 2, "%s%s", api, n && api[n - 1] == '/' ? "" : "/");
    s->lws = bot->lws;
    s->http = bot->http;
    s->api_ctx.store = bot->store;
    s->api_ctx.clock = &bot->clock;
    s->api_ctx.log = &bot->log;
    s->api_ctx.api = s->api;
    s->api_ctx.token = bot->cfg.slack_bot_token;
    {
        static const struct link_handlers lh = {
            want_url, NULL, on_ws_text, on_ws_close,
        };
        const struct link_policy policy = {
            .backoff = { 1000, 60000 },
            .healthy_ms = SLACK_HEALTHY_MS,
            .drain_ms = SLACK_DRAIN_MS,
        };
        const struct deliver_limits lim = { .max_inflight = SLACK_MAX_INFLIGHT };

        if ((s->link = link_new(bot->lws, "slack", &policy, &lh, s, &bot->log, err)) == NULL)
            return -1;
        return bot_deliver_init(bot, &slack_deliver, &s->api_ctx, &lim, NULL, err);
    }
}

static void
slack_begin(struct bot *bot)
{
    struct slack *s = bot->plat;

    log_info(&bot->log, "slack", "starting (Web API at %s)", s->api);
    link_start(s->link);
}

/* acks already queued still go out (their effects are committed) */
static bool
slack_flushing(struct bot *bot)
{
    return link_queued(((struct slack *)bot->plat)->link) > 0;
}

static void
slack_end(struct bot *bot)
{
    link_stop(((struct slack *)bot->plat)->link);
}

static bool
slack_healthy(struct bot *bot, char *why, size_t len)
{
    return link_healthy(((struct slack *)bot->plat)->link, why, len);
}

static void
slack_release(struct bot *bot)
{
    struct slack *s = bot->plat;

    if (s == NULL)
        return;
    while (s->held) {
        struct held *h = s->held;

        s->held = h->next;
        free(h->user);
        free(h->frame);
        free(h);
    }
    strlist_release(&s->looked_up);
    strlist_release(&s->looking);
    link_free(s->link);
    free(s->api);
    free(s);
    bot->plat = NULL;
}

const struct platform_ops slack_ops = {
    .name = "slack",
    .start = slack_start,
    .begin = slack_begin,
    .flushing = slack_flushing,
    .end = slack_end,
    .refused = slack_refused,
    .healthy = slack_healthy,
    .release = slack_release,
};

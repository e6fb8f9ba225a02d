/* SPDX-License-Identifier: MIT */
/* slack_api.c: Slack's side of delivery: which Web API method each outbox
 * row takes, its body, and what Slack's answers mean. The engine in
 * bot/deliver.c does the rest. */
#include "slack_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "blockkit.h"
#include "users.h"

#define SLACK_PACE_MS 1000          /* ~1 post per second per channel */
#define SLACK_REPLY_PARTS 5         /* a response_url takes 5 posts */
#define SLACK_POST_PARTS 10
#define SLACK_JSON "application/json; charset=utf-8"

static bool
in_set(const char *code, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(code, *set) == 0)
            return true;
    return false;
}

enum slack_result
slack_classify(long status, const char *body, bool webhook, char *error,
               size_t error_len)
{
    static const char *const fatal[] = {
        "invalid_auth", "not_authed", "account_inactive", "token_revoked",
        "token_expired", "no_permission", "org_login_required",
        "team_disabled", "not_allowed_token_type", NULL,
    };
    static const char *const transient[] = {
        "internal_error", "fatal_error", "service_unavailable",
        "request_timeout", "team_added_to_org", NULL,
    };
    json_error_t jerr;
    json_t *root;
    const char *code;
    enum slack_result r;

    snprintf(error, error_len, "HTTP %ld", status);
    if (status == 0) {
        snprintf(error, error_len, "no answer");
        return SLACK_RETRY;
    }
    if (status == 429)
        return SLACK_RATELIMITED;
    if (status >= 500)
        return SLACK_RETRY;
    if (webhook)
        return status >= 200 && status < 300 ? SLACK_OK : SLACK_FAILED;
    if (status != 200)
        return status == 408 ? SLACK_RETRY : SLACK_FAILED;
    if ((root = json_loads(body, 0, &jerr)) == NULL || !json_is_object(root)) {
        json_decref(root);
        snprintf(error, error_len, "answer is not JSON");
        return SLACK_RETRY;
    }
    if (json_is_true(json_object_get(root, "ok"))) {
        json_decref(root);
        return SLACK_OK;
    }
    code = json_string_value(json_object_get(root, "error"));
    snprintf(error, error_len, "%s", code ? code : "unknown_error");
    if (code && strcmp(code, "ratelimited") == 0)
        r = SLACK_RATELIMITED;
    else if (code && in_set(code, fatal))
        r = SLACK_FATAL;
    else if (code && in_set(code, transient))
        r = SLACK_RETRY;
    else
        r = SLACK_FAILED;
    json_decref(root);
    return r;
}

bool
slack_is_user_id(const char *s)
{
    if (s == NULL || (s[0] != 'U' && s[0] != 'W'))
        return false;
    for (const char *p = s + 1; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            return false;
    return s[1] != '\0';
}

/* The Slack id of a DM row's user key (an id, or a name the users table
 * knows). Owned, or NULL. */
static char *
dm_user_id(struct slack_api *api, const char *key)
{
    if (slack_is_user_id(key))
        return strdup(key);
    return key ? users_id_by_name(api->store, key) : NULL;
}

static bool
is(const struct outbox_row *r, const char *kind)
{
    return strcmp(r->kind, kind) == 0;
}

static int
plan(void *plat, const struct deliver_item *it, struct deliver_plan *p,
     int64_t *wait_ms, struct err *err)
{
    struct slack_api *api = plat;
    const struct outbox_row *r = it->row;
    const char *bucket = "chat.postMessage";
    char *id = NULL;

    (void)wait_ms;
    memset(p, 0, sizeof(*p));
    p->part_max = BK_PART_MAX;
    p->max_parts = SLACK_REPLY_PARTS;
    if (is(r, OUTBOX_UPDATE)) {
        /* an update replaces one message: it must fit in one */
        snprintf(p->lane, sizeof(p->lane), "update:%lld", (long long)r->update_of);
        bucket = "chat.update";
        p->max_parts = 1;
    } else if (is(r, OUTBOX_EPHEMERAL) && r->channel && r->user) {
        snprintf(p->lane, sizeof(p->lane), "ephemeral:%s %s", r->channel, r->user);
        bucket = "chat.postEphemeral";
    } else if (is(r, OUTBOX_RESPONSE) && r->url) {
        snprintf(p->lane, sizeof(p->lane), "response:%.180s", r->url);
        bucket = "response_url";
    } else if (is(r, OUTBOX_DM) && r->user) {
        if ((id = dm_user_id(api, r->user)) == NULL) {
            err_set(err, "no Slack user known as '%s'; use Slack ids (U...) in [roles] "
                    "or let them speak to the bot once", r->user);
            return -1;
        }
        snprintf(p->lane, sizeof(p->lane), "post:@%s", id);
        p->pace_ms = SLACK_PACE_MS;
        p->max_parts = SLACK_POST_PARTS;
        free(id);
    } else if (is(r, OUTBOX_CHANNEL) && r->channel) {
        snprintf(p->lane, sizeof(p->lane), "post:%s", r->channel);
        p->pace_ms = SLACK_PACE_MS;
        p->max_parts = SLACK_POST_PARTS;
    } else {
        err_set(err, "a %s row without a destination", r->kind);
        return -1;
    }
    snprintf(p->bucket, sizeof(p->bucket), "%s", bucket);
    return 0;
}

/* Points req at url with body as JSON (the token when bearer). */
static int
set_json(struct deliver_req *req, const char *url, const char *method,
         const char *bearer, json_t *body, struct err *err)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;

    json_decref(body);
    if (text == NULL)
        return err_set(err, "cannot build the %s body", method), -1;
    strbuf_puts(&req->url, url);
    strbuf_puts(&req->body, text);
    free(text);
    snprintf(req->what, sizeof(req->what), "%s", method);
    req->http.method = "POST";
    req->http.url = strbuf_str(&req->url);
    req->http.bearer = bearer;
    req->http.content_type = SLACK_JSON;
    req->http.body = strbuf_str(&req->body);
    req->http.body_len = req->body.len;
    return 0;
}

static int
api_call(struct slack_api *api, struct deliver_req *req, const char *method,
         json_t *body, struct err *err)
{
    char url[1024];

    snprintf(url, sizeof(url), "%s%s", api->api, method);
    return set_json(req, url, method, api->token, body, err);
}

static int
build(void *plat, const struct deliver_item *it, const char *part, bool last,
      struct deliver_req *req, struct err *err)
{
    struct slack_api *api = plat;
    const struct outbox_row *r = it->row;
    json_t *body = blockkit_message(part, last && !is(r, OUTBOX_UPDATE) ? r->card : NULL);
    int rc;

    if (is(r, OUTBOX_RESPONSE)) {
        json_object_set_new(body, "response_type", json_string("ephemeral"));
        json_object_set_new(body, "replace_original", json_false());
        return set_json(req, r->url, "response_url", NULL, body, err);
    }
    if (is(r, OUTBOX_UPDATE)) {
        /* the card after a click: who did what, and no buttons */
        const char *ref = it->original->ref, *colon = strchr(ref, ':');

        if (colon == NULL) {
            json_decref(body);
            return err_set(err, "the card's message id '%s' is not Slack's", ref), -1;
        }
        json_object_set_new(body, "channel", json_stringn(ref, (size_t)(colon - ref)));
        json_object_set_new(body, "ts", json_string(colon + 1));
        return api_call(api, req, "chat.update", body, err);
    }
    if (is(r, OUTBOX_EPHEMERAL)) {
        json_object_set_new(body, "channel", json_string(r->channel));
        json_object_set_new(body, "user", json_string(r->user));
        return api_call(api, req, "chat.postEphemeral", body, err);
    }
    if (is(r, OUTBOX_DM)) {
        char *id = dm_user_id(api, r->user), *dm = id ? users_dm(api->store, id) : NULL;

        if (id == NULL) {
            json_decref(body);
            return err_set(err, "no Slack user known as '%s'", r->user), -1;
        }
        if (dm == NULL) {
            /* the DM channel comes first; resolved() keeps it */
            json_decref(body);
            req->prerequisite = true;
            rc = api_call(api, req, "conversations.open", json_pack("{s:s}", "users", id), err);
        } else {
            json_object_set_new(body, "channel", json_string(dm));
            rc = api_call(api, req, "chat.postMessage", body, err);
        }
        free(id);
        free(dm);
        return rc;
    }
    json_object_set_new(body, "channel", json_string(r->channel));
    return api_call(api, req, "chat.postMessage", body, err);
}

static enum deliver_result
classify(void *plat, const struct deliver_item *it, const struct deliver_req *req,
         const struct http_resp *resp, char *ref, size_t reflen, char *why,
         size_t whylen)
{
    json_error_t jerr;
    json_t *root;
    const char *ch, *ts;
    enum slack_result res = slack_classify(resp->status, resp->body,
                                           is(it->row, OUTBOX_RESPONSE), why, whylen);

    (void)plat;
    switch (res) {
    case SLACK_RETRY:
        return DELIVER_RETRY;
    case SLACK_RATELIMITED:
        return DELIVER_RATELIMITED;
    case SLACK_FAILED:
        return DELIVER_FAILED;
    case SLACK_FATAL:
        return DELIVER_FATAL;
    case SLACK_OK:
        break;
    }
    if (is(it->row, OUTBOX_RESPONSE))
        return DELIVER_OK;
    root = json_loads(resp->body, 0, &jerr);
    if (req->prerequisite) {
        bool has = json_string_value(json_object_get(json_object_get(root, "channel"),
                                                     "id")) != NULL;

        json_decref(root);
        if (!has)
            snprintf(why, whylen, "no_channel_in_answer");
        return has ? DELIVER_OK : DELIVER_FAILED;
    }
    ch = json_string_value(json_object_get(root, "channel"));
    ts = json_string_value(json_object_get(root, "ts"));
    if (ch && ts)
        snprintf(ref, reflen, "%s:%s", ch, ts);
    json_decref(root);
    return DELIVER_OK;
}

static void
resolved(void *plat, const struct deliver_item *it, const struct http_resp *resp)
{
    struct slack_api *api = plat;
    json_error_t jerr;
    json_t *root = json_loads(resp->body, 0, &jerr);
    const char *dm = json_string_value(json_object_get(json_object_get(root, "channel"), "id"));
    char *id = dm_user_id(api, it->row->user);
    struct err err = { 0 };

    if (id && dm && users_set_dm(api->store, clock_now(api->clock), id, dm, &err) < 0)
        log_err(api->log, "slack", "cannot keep the DM channel of %s: %s", id, err.msg);
    free(id);
    json_decref(root);
}

const struct deliver_ops slack_deliver = { plan, build, classify, resolved };

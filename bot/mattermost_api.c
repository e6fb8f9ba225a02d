/* SPDX-License-Identifier: MIT */
/* mattermost_api.c: Mattermost's side of delivery: which REST v4 call each
 * outbox row takes, what must be looked up first (a channel's id from its
 * name, a user's id from a name, the DM channel), and what the answers
 * mean. The engine in bot/deliver.c does the rest. */
#include "mattermost_api.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "mattermost_event.h"
#include "users.h"

#define MM_JSON "application/json"
#define MM_BUCKET "posts"           /* the server limits per user (or per
                                     * address), not per route */
#define MM_WAIT_ID_MS 1000          /* a DM before the bot knows its id */

bool
mattermost_is_id(const char *s)
{
    size_t n = 0;

    if (s == NULL)
        return false;
    for (; s[n]; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9')))
            return false;
    return n == 26;
}

void
mattermost_api_release(struct mattermost_api *api)
{
    for (size_t i = 0; i < api->nchannels; i++)
        free(api->channels[i].name);
    free(api->channels);
    api->channels = NULL;
    api->nchannels = 0;
}

static const char *
channel_cached(const struct mattermost_api *api, const char *name)
{
    for (size_t i = 0; i < api->nchannels; i++)
        if (strcmp(api->channels[i].name, name) == 0)
            return api->channels[i].id;
    return NULL;
}

static void
channel_forget(struct mattermost_api *api, const char *name)
{
    for (size_t i = 0; i < api->nchannels; i++)
        if (strcmp(api->channels[i].name, name) == 0) {
            free(api->channels[i].name);
            api->channels[i] = api->channels[--api->nchannels];
            return;
        }
}

static void
channel_keep(struct mattermost_api *api, const char *name, const char *id)
{
    struct mattermost_channel_id *c;
    char *copy;

    if (!mattermost_is_id(id) || (copy = strdup(name)) == NULL)
        return;
    channel_forget(api, name);
    if (api->nchannels >= MM_CHANNEL_CACHE) {
        /* the oldest goes: it is looked up again if still posted to */
        free(api->channels[0].name);
        memmove(api->channels, api->channels + 1,
                sizeof(*c) * (api->nchannels - 1));
        api->nchannels--;
    }
    c = realloc(api->channels, sizeof(*c) * (api->nchannels + 1));
    if (c == NULL) {
        free(copy);
        return;
    }
    api->channels = c;
    c = &api->channels[api->nchannels++];
    c->name = copy;
    snprintf(c->id, sizeof(c->id), "%s", id);
}

/* ---- answers */

enum deliver_result
mattermost_classify(long status, const char *body, char *why, size_t whylen)
{
    json_error_t jerr;
    json_t *root = NULL;
    const char *id = NULL, *msg = NULL;

    if (status == 0) {
        snprintf(why, whylen, "no answer");
        return DELIVER_RETRY;
    }
    snprintf(why, whylen, "HTTP %ld", status);
    if (status >= 200 && status < 300)
        return DELIVER_OK;
    /* a 429's body is plain text ("limit exceeded"); others are AppErrors */
    if (status != 429 && body && (root = json_loads(body, 0, &jerr)) != NULL) {
        id = json_string_value(json_object_get(root, "id"));
        msg = json_string_value(json_object_get(root, "message"));
        if (id && *id)
            snprintf(why, whylen, "%s%s%s", id, msg && *msg ? ": " : "", msg ? msg : "");
    }
    json_decref(root);
    if (status == 429)
        return DELIVER_RATELIMITED;
    if (status == 401)
        return DELIVER_FATAL;
    if (status == 408 || status >= 500)
        return DELIVER_RETRY;
    return DELIVER_FAILED;
}

/* ---- where a row goes */

static bool
is(const struct outbox_row *r, const char *kind)
{
    return strcmp(r->kind, kind) == 0;
}

/* What a row still needs before its post, in the order it is met. */
enum step {
    STEP_READY,         /* the post itself */
    STEP_USER,          /* GET users/username/{name}: a name's id */
    STEP_DM,            /* POST channels/direct: the DM channel */
    STEP_CHANNEL,       /* GET teams/name/../channels/name/{name} */
    STEP_WAIT,          /* a DM, and the bot does not know its own id yet */
};

struct route {
    enum step step;
    bool as_dm;             /* a DM post: dm rows, refused ephemerals */
    char user[64];          /* the user's id, or the name until known */
    char channel[80];       /* the channel's id, or the name until known;
                             * a DM: the DM channel's id once known */
};

static bool
has_id(const char *s)
{
    return s && s[0] != '\0';
}

/* Where row goes and what it needs first. -1 with err: nowhere. */
static int
route_of(struct mattermost_api *api, const struct outbox_row *r, struct route *rt,
         struct err *err)
{
    const char *ch;
    char *id = NULL, *dm = NULL;

    memset(rt, 0, sizeof(*rt));
    if (is(r, OUTBOX_UPDATE) || (is(r, OUTBOX_RESPONSE) && r->url))
        return 0;
    if (is(r, OUTBOX_CHANNEL) && r->channel && r->channel[0]) {
        ch = mattermost_is_id(r->channel) ? r->channel : channel_cached(api, r->channel);
        snprintf(rt->channel, sizeof(rt->channel), "%s", ch ? ch : r->channel);
        rt->step = ch ? STEP_READY : STEP_CHANNEL;
        return 0;
    }
    if (!(is(r, OUTBOX_DM) || is(r, OUTBOX_EPHEMERAL)) || r->user == NULL || !r->user[0] ||
        (is(r, OUTBOX_EPHEMERAL) && (r->channel == NULL || !r->channel[0]))) {
        err_set(err, "a %s row without a destination", r->kind);
        return -1;
    }
    /* the user: an id, or a name the users table or the server knows
     * (usernames are lower case there, "@Bob" is bob) */
    snprintf(rt->user, sizeof(rt->user), "%s", r->user);
    if (mattermost_is_id(r->user)) {
        id = strdup(r->user);
    } else {
        for (char *q = rt->user; *q; q++)
            *q = (char)tolower((unsigned char)*q);
        if ((id = users_id_by_name(api->store, rt->user)) != NULL)
            snprintf(rt->user, sizeof(rt->user), "%s", id);
    }
    rt->as_dm = is(r, OUTBOX_DM) || api->ephemeral_refused;
    if (id == NULL) {
        rt->step = STEP_USER;
    } else if (rt->as_dm) {
        dm = users_dm(api->store, id);
        snprintf(rt->channel, sizeof(rt->channel), "%s", dm ? dm : "");
        rt->step = dm ? STEP_READY : has_id(api->bot_id) ? STEP_DM : STEP_WAIT;
    } else {
        ch = mattermost_is_id(r->channel) ? r->channel : channel_cached(api, r->channel);
        snprintf(rt->channel, sizeof(rt->channel), "%s", ch ? ch : r->channel);
        rt->step = ch ? STEP_READY : STEP_CHANNEL;
    }
    free(id);
    free(dm);
    return 0;
}

static int
plan(void *plat, const struct deliver_item *it, struct deliver_plan *p,
     int64_t *wait_ms, struct err *err)
{
    struct mattermost_api *api = plat;
    const struct outbox_row *r = it->row;
    struct route rt;

    memset(p, 0, sizeof(*p));
    if (route_of(api, r, &rt, err) < 0)
        return -1;
    if (rt.step == STEP_WAIT) {
        *wait_ms = MM_WAIT_ID_MS;
        return 1;
    }
    snprintf(p->bucket, sizeof(p->bucket), "%s", MM_BUCKET);
    p->part_max = MM_PART_MAX;
    p->max_parts = MM_REPLY_PARTS;
    if (is(r, OUTBOX_UPDATE)) {
        /* an update replaces one post: it must fit in one */
        snprintf(p->lane, sizeof(p->lane), "update:%lld", (long long)r->update_of);
        p->max_parts = 1;
    } else if (is(r, OUTBOX_RESPONSE)) {
        snprintf(p->lane, sizeof(p->lane), "response:%.180s", r->url);
    } else if (rt.as_dm) {
        /* a refused ephemeral shares the lane of that user's DMs */
        snprintf(p->lane, sizeof(p->lane), "post:@%s", rt.user);
        p->pace_ms = MM_PACE_MS;
        if (is(r, OUTBOX_DM))
            p->max_parts = MM_POST_PARTS;
    } else if (is(r, OUTBOX_EPHEMERAL)) {
        snprintf(p->lane, sizeof(p->lane), "ephemeral:%.80s %.64s", r->channel, rt.user);
    } else {
        snprintf(p->lane, sizeof(p->lane), "post:%.180s", r->channel);
        p->pace_ms = MM_PACE_MS;
        p->max_parts = MM_POST_PARTS;
    }
    return 0;
}

/* ---- requests */

json_t *
mattermost_card_props(const char *card, const char *action_url,
                      const char *action_secret)
{
    json_error_t jerr;
    json_t *root, *actions, *act, *out = NULL;
    const char *lead;
    size_t i;

    if (card == NULL || action_url == NULL || action_url[0] == '\0' ||
        (root = json_loads(card, 0, &jerr)) == NULL)
        return NULL;
    lead = json_string_value(json_object_get(root, "lead"));
    if (lead == NULL || !json_is_array(json_object_get(root, "actions"))) {
        json_decref(root);
        return NULL;
    }
    actions = json_array();
    json_array_foreach(json_object_get(root, "actions"), i, act) {
        const char *name = json_string_value(act);
        char label[32];
        json_t *b, *ctx;
        bool ok = name && name[0] && strlen(name) <= 20;

        /* the server wants alphanumeric action ids */
        for (const char *q = name; ok && *q; q++)
            ok = islower((unsigned char)*q) || isdigit((unsigned char)*q);
        if (!ok)
            continue;
        if (strcmp(name, "accept") == 0) {
            snprintf(label, sizeof(label), "%s", _("Accept"));
        } else if (strcmp(name, "reject") == 0) {
            snprintf(label, sizeof(label), "%s", _("Reject"));
        } else {
            snprintf(label, sizeof(label), "%s", name);
            label[0] = (char)toupper((unsigned char)label[0]);
        }
        /* the context comes back in the click, never shown to anyone: the
         * secret there is what proves a click came through the server */
        ctx = json_pack("{s:s, s:s, s:s}", "action", name, "lead", lead,
                        "secret", action_secret ? action_secret : "");
        b = json_pack("{s:s, s:s, s:s, s:{s:s, s:o}}", "id", name, "type", "button",
                      "name", label, "integration", "url", action_url, "context", ctx);
        if (b == NULL)
            continue;
        if (strcmp(name, "accept") == 0)
            json_object_set_new(b, "style", json_string("primary"));
        else if (strcmp(name, "reject") == 0)
            json_object_set_new(b, "style", json_string("danger"));
        json_array_append_new(actions, b);
    }
    if (json_array_size(actions) > 0)
        out = json_pack("{s:[{s:o}]}", "attachments", "actions", actions);
    else
        json_decref(actions);
    json_decref(root);
    return out;
}

/* Points req at url with method and body (JSON, or none when NULL). */
static int
set_req(struct deliver_req *req, const char *what, const char *method,
        const char *bearer, json_t *body, struct err *err)
{
    char *text = NULL;

    if (body == NULL && strcmp(method, "GET") != 0)
        return err_set(err, "cannot build the %s body (not UTF-8?)", what), -1;
    if (body) {
        text = json_dumps(body, JSON_COMPACT);
        json_decref(body);
        if (text == NULL)
            return err_set(err, "cannot build the %s body", what), -1;
        strbuf_puts(&req->body, text);
        free(text);
        req->http.content_type = MM_JSON;
        req->http.body = strbuf_str(&req->body);
        req->http.body_len = req->body.len;
    }
    snprintf(req->what, sizeof(req->what), "%s", what);
    req->http.method = method;
    req->http.url = strbuf_str(&req->url);
    req->http.bearer = bearer;
    return 0;
}

static int
api_call(struct mattermost_api *api, struct deliver_req *req, const char *what,
         const char *method, json_t *body, struct err *err)
{
    strbuf_puts(&req->url, api->api);
    strbuf_puts(&req->url, what);
    return set_req(req, what, method, api->token, body, err);
}

/* What marks a part of a row in its post, so that a part in doubt after a
 * crash can be found again: the row, the part and when the row was made
 * (a new database reuses row ids). */
static void
marker_of(const struct deliver_item *it, char *buf, size_t len)
{
    snprintf(buf, len, "%lld.%lld.%d", (long long)it->row->id,
             (long long)it->row->created_at, it->part);
}

/* The message of a part, with the card's buttons on the last part. */
static json_t *
post_body(struct mattermost_api *api, const struct deliver_item *it, const char *part,
          bool last, const char *channel_id)
{
    const struct outbox_row *r = it->row;
    json_t *body = json_pack("{s:s, s:s}", "channel_id", channel_id, "message", part);
    json_t *props = last ? mattermost_card_props(r->card, api->action_url,
                                                 api->action_secret) : NULL;
    char marker[80];

    if (props == NULL)
        props = json_object();
    marker_of(it, marker, sizeof(marker));
    json_object_set_new(props, MM_MARKER_PROP, json_string(marker));
    json_object_set_new(body, "props", props);
    return body;
}

/* Did a post of the channel's latest page carry the marker of it? Its id
 * into ref. */
static bool
find_marked(const struct deliver_item *it, const char *body, char *ref, size_t reflen)
{
    json_error_t jerr;
    json_t *root = json_loads(body ? body : "", 0, &jerr), *post;
    const char *id;
    char marker[80];
    bool found = false;

    marker_of(it, marker, sizeof(marker));
    json_object_foreach(json_object_get(root, "posts"), id, post) {
        const char *m = json_string_value(
            json_object_get(json_object_get(post, "props"), MM_MARKER_PROP));

        if (m && strcmp(m, marker) == 0 && mattermost_is_id(id)) {
            snprintf(ref, reflen, "%s", id);
            found = true;
            break;
        }
    }
    json_decref(root);
    return found;
}

static int
build_md(struct mattermost_api *api, const struct deliver_item *it, const char *part,
         bool last, struct deliver_req *req, struct err *err)
{
    const struct outbox_row *r = it->row;
    struct route rt;
    json_t *body;

    if (route_of(api, r, &rt, err) < 0)
        return -1;
    if (is(r, OUTBOX_RESPONSE)) {
        json_t *props = last ? mattermost_card_props(r->card, api->action_url,
                                                     api->action_secret) : NULL;

        body = json_pack("{s:s, s:s}", "response_type", "ephemeral", "text", part);
        if (props) {
            json_object_set(body, "attachments", json_object_get(props, "attachments"));
            json_decref(props);
        }
        strbuf_puts(&req->url, r->url);
        /* the hook is its own credential: the token stays home */
        return set_req(req, "response_url", "POST", NULL, body, err);
    }
    if (is(r, OUTBOX_UPDATE)) {
        /* the card after a click: who did what, and the buttons gone */
        const char *ref = it->original ? it->original->ref : NULL;

        if (!mattermost_is_id(ref))
            return err_set(err, "the card's post id '%s' is not Mattermost's",
                           ref ? ref : ""), -1;
        strbuf_printf(&req->url, "%sposts/%s/patch", api->api, ref);
        body = json_pack("{s:s, s:{s:[]}}", "message", part, "props", "attachments");
        return set_req(req, "posts/patch", "PUT", api->token, body, err);
    }
    switch (rt.step) {
    case STEP_WAIT:
        return err_set(err, "the bot's own user id is not known yet"), -1;
    case STEP_USER:
        req->prerequisite = true;
        strbuf_printf(&req->url, "%susers/username/", api->api);
        http_urlencode(rt.user, &req->url);
        return set_req(req, "users/username", "GET", api->token, NULL, err);
    case STEP_DM:
        req->prerequisite = true;
        return api_call(api, req, "channels/direct", "POST",
                        json_pack("[s,s]", api->bot_id, rt.user), err);
    case STEP_CHANNEL:
        req->prerequisite = true;
        strbuf_printf(&req->url, "%steams/name/", api->api);
        http_urlencode(api->team ? api->team : "", &req->url);
        strbuf_puts(&req->url, "/channels/name/");
        http_urlencode(rt.channel, &req->url);
        return set_req(req, "channels/name", "GET", api->token, NULL, err);
    case STEP_READY:
        break;
    }
    if (is(r, OUTBOX_EPHEMERAL) && !rt.as_dm) {
        /* an ephemeral cannot be looked for: in doubt, it goes again */
        body = json_pack("{s:s, s:o}", "user_id", rt.user, "post",
                         post_body(api, it, part, last, rt.channel));
        return api_call(api, req, "posts/ephemeral", "POST", body, err);
    }
    if (it->in_doubt) {
        /* the bot stopped while this part was on its way: look in the
         * channel's latest posts before posting it a second time */
        req->prerequisite = req->check = true;
        strbuf_printf(&req->url, "%schannels/", api->api);
        http_urlencode(rt.channel, &req->url);
        strbuf_printf(&req->url, "/posts?per_page=%d", MM_CHECK_PAGE);
        return set_req(req, "posts/check", "GET", api->token, NULL, err);
    }
    return api_call(api, req, "posts", "POST", post_body(api, it, part, last, rt.channel), err);
}

static int
build(void *plat, const struct deliver_item *it, const char *part, bool last,
      struct deliver_req *req, struct err *err)
{
    /* mentions the core wrote in its neutral form read as Mattermost's */
    char *md = mattermost_markup(part);
    int rc;

    if (md == NULL)
        return err_set(err, "out of memory"), -1;
    rc = build_md(plat, it, md, last, req, err);
    free(md);
    return rc;
}

static enum deliver_result
classify(void *plat, const struct deliver_item *it, const struct deliver_req *req,
         const struct http_resp *resp, char *ref, size_t reflen, char *why,
         size_t whylen)
{
    struct mattermost_api *api = plat;
    const struct outbox_row *r = it->row;
    enum deliver_result res = mattermost_classify(resp->status, resp->body, why, whylen);
    json_error_t jerr;
    json_t *root;
    const char *id;

    if (res == DELIVER_FAILED && resp->status == 403 &&
        strcmp(req->what, "posts/ephemeral") == 0) {
        /* the bot lacks create_post_ephemeral (only admins have it by
         * default): this row and the next go as DMs, planned afresh */
        if (!api->ephemeral_refused)
            log_warn(api->log, "mattermost", "ephemeral posts refused (%s): private "
                     "replies go as DMs", why);
        api->ephemeral_refused = true;
        snprintf(why, whylen, "ephemeral refused: sending it as a DM");
        return DELIVER_REPLAN;
    }
    if (res == DELIVER_FAILED && is(r, OUTBOX_CHANNEL) && r->channel &&
        !mattermost_is_id(r->channel))
        /* a channel renamed or made again gets looked up once more */
        channel_forget(api, r->channel);
    if (res != DELIVER_OK || is(r, OUTBOX_RESPONSE))
        return res;     /* a response_url answers "ok" in plain text */
    if (req->check)
        return find_marked(it, resp->body, ref, reflen) ? DELIVER_ALREADY : DELIVER_OK;
    root = json_loads(resp->body ? resp->body : "", 0, &jerr);
    id = json_string_value(json_object_get(root, "id"));
    if (!mattermost_is_id(id)) {
        /* a 2xx that is not Mattermost's (a proxy's page, the web app's
         * index.html under a wrong url): a retry would find the same, and
         * if it was a post after all, a retry would post it twice */
        snprintf(why, whylen, "HTTP %ld: not a Mattermost answer (check the url)",
                 resp->status);
        json_decref(root);
        return DELIVER_FAILED;
    }
    if (!req->prerequisite)
        snprintf(ref, reflen, "%s", id);
    json_decref(root);
    return DELIVER_OK;
}

static void
resolved(void *plat, const struct deliver_item *it, const struct http_resp *resp)
{
    struct mattermost_api *api = plat;
    json_error_t jerr;
    json_t *root = json_loads(resp->body ? resp->body : "", 0, &jerr);
    const char *id = json_string_value(json_object_get(root, "id"));
    bool channel = json_string_value(json_object_get(root, "type")) != NULL;
    struct err err = { 0 };
    struct route rt;

    /* the step the row was at is the one this answers; a lane never runs
     * two of its rows at once, so nothing moved it meanwhile */
    if (!mattermost_is_id(id) || route_of(api, it->row, &rt, &err) < 0)
        goto out;
    if (rt.step == STEP_USER) {
        struct mattermost_user u;

        if (mattermost_user_parse(resp->body, resp->len, &u, NULL) == 0 &&
            users_set(api->store, clock_now(api->clock), u.id, u.username,
                      *u.tz ? u.tz : NULL, *u.locale ? u.locale : NULL, &err) < 0)
            log_err(api->log, "mattermost", "cannot keep user %s: %s", u.username, err.msg);
        mattermost_user_release(&u);
    } else if (rt.step == STEP_DM && channel) {
        if (users_set_dm(api->store, clock_now(api->clock), rt.user, id, &err) < 0)
            log_err(api->log, "mattermost", "cannot keep the DM channel of %s: %s",
                    rt.user, err.msg);
    } else if (rt.step == STEP_CHANNEL && channel) {
        channel_keep(api, rt.channel, id);
    }
out:
    json_decref(root);
}

const struct deliver_ops mattermost_deliver = { plan, build, classify, resolved };

/* SPDX-License-Identifier: MIT */
/* hubspot.c: HubSpot both ways; this half is out, start and stop (the
 * search for new MQLs is bot/hubspot_poll.c). Accept, reject, feedback,
 * won and lost of a linked lead queue pushes (a PATCH of the contact, a
 * note) in the event's transaction, sent by an outlet with a lane per
 * contact. */
#include "hubspot.h"
#include "hubspot_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <libwebsockets.h>

#include "bot.h"
#include "event.h"
#include "http.h"
#include "i18n.h"
#include "outbox.h"
#include "outlet.h"
#include "users.h"

#define HS_FIRST_POLL_MS 1000
#define HS_ORDER_WAIT_MS 500
#define HS_INFLIGHT 2               /* pushes at once; also the margin kept
                                     * under the rate limit for them */
#define HS_NOTE_TO_CONTACT 202      /* HUBSPOT_DEFINED association type */
#define HS_NOTE_MARK "smknote"      /* + the outbox id: one token in a note */
#define HS_NOTE_CHECK "hubspot search note"

/* ------------------------------------------------------------- helpers */

static void
iso_utc(int64_t secs, char *buf, size_t len)
{
    time_t t = (time_t)secs;
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const char *
hubspot_prop(json_t *contact, const char *name)
{
    const char *v = json_string_value(json_object_get(json_object_get(contact, "properties"),
                                                      name));

    return v && *v ? v : NULL;
}

/* The HubSpot owner id of a chat user ([crm] owners), by key or name. */
static const char *
owner_of(struct hubspot *h, const char *user, char *buf, size_t len)
{
    const struct strlist *m = &h->bot->cfg.crm_owner_map;
    char *name = user ? users_name(h->bot->store, user) : NULL;
    const char *found = NULL;

    for (int i = 0; i < m->n && user; i++) {
        const char *colon = strchr(m->v[i], ':');
        size_t k = (size_t)(colon - m->v[i]);

        if ((strlen(user) == k && strncmp(m->v[i], user, k) == 0) ||
            (name && strlen(name) == k && strncasecmp(m->v[i], name, k) == 0)) {
            snprintf(buf, len, "%s", colon + 1);
            found = buf;
            break;
        }
    }
    free(name);
    return found;
}

/* ------------------------------------------------------------ pushes */

static int
queue_push(struct store *s, int64_t at, const char *contact, json_t *op, struct err *err)
{
    struct outbox_dest to = { .kind = OUTBOX_CRM, .channel = contact };
    char *text = json_dumps(op, JSON_COMPACT | JSON_PRESERVE_ORDER);
    int64_t id;

    json_decref(op);
    if (text == NULL) {
        err_set(err, _("out of memory"));
        return -1;
    }
    id = outbox_add(s, at, &to, text, NULL, err);
    free(text);
    return id < 0 ? -1 : 0;
}

static int
queue_note(struct store *s, int64_t at, const char *contact, const char *owner,
           const char *text, struct err *err)
{
    return queue_push(s, at, contact,
                      json_pack("{s:s, s:I, s:s, s:s*}", "op", "note", "at", (json_int_t)at,
                                "body", text, "owner", owner),
                      err);
}

static int
queue_patch(struct store *s, int64_t at, const char *contact, json_t *props, struct err *err)
{
    if (json_object_size(props) == 0) {
        json_decref(props);
        return 0;
    }
    return queue_push(s, at, contact, json_pack("{s:s, s:o}", "op", "patch", "properties",
                                                props), err);
}

/* A lead added by hand (or by POST /leads) with an email asks HubSpot
 * for the contact of that email, so it is linked even when the contact
 * reached MQL before and the search will not show it again. */
static int
queue_link(struct store *s, int64_t lead, const char *actor, int64_t at, const char *email,
           struct err *err)
{
    char lane[300];

    if (email == NULL || (actor && strcmp(actor, HS_ACTOR) == 0))
        return 0;
    snprintf(lane, sizeof(lane), "email:%s", email);
    return queue_push(s, at, lane,
                      json_pack("{s:s, s:I, s:s}", "op", "link", "lead", (json_int_t)lead,
                                "email", email),
                      err);
}

static int
on_event(void *ud, struct store *s, int64_t id, int64_t lead, const char *kind,
         const char *actor, int64_t at, json_t *data, struct err *err)
{
    struct hubspot *h = ud;
    const struct config *cfg = &h->bot->cfg;
    char *contact = NULL, *owner_key = NULL, *who = NULL;
    const char *reason = json_string_value(json_object_get(data, "reason"));
    const char *note = json_string_value(json_object_get(data, "note"));
    const char *comment = json_string_value(json_object_get(data, "comment"));
    char owner[32], text[1400];
    const char *oid = NULL;
    json_t *props = json_object();
    int rc = 0;

    (void)id;
    if (lead > 0 && strcmp(kind, "created") == 0) {
        json_decref(props);
        return queue_link(s, lead, actor, at, json_string_value(json_object_get(data, "email")),
                          err);
    }
    if (lead <= 0 || (strcmp(kind, "accepted") != 0 && strcmp(kind, "rejected") != 0 &&
                      strcmp(kind, "feedback") != 0 && strcmp(kind, "won") != 0 &&
                      strcmp(kind, "lost") != 0)) {
        json_decref(props);
        return 0;
    }
    if (store_query_text(s, err, &contact, "SELECT crm_id FROM leads WHERE id = ?", "I",
                         lead) < 0 ||
        store_query_text(s, err, &owner_key, "SELECT owner FROM leads WHERE id = ?", "I",
                         lead) < 0) {
        rc = -1;
        goto out;
    }
    if (contact == NULL)
        goto out;
    oid = owner_of(h, owner_key ? owner_key : actor, owner, sizeof(owner));
    who = actor ? users_name(s, actor) : strdup("smarkbot");
    if (strcmp(kind, "accepted") == 0) {
        json_object_set_new(props, "lifecyclestage", json_string("salesqualifiedlead"));
        if (oid)
            json_object_set_new(props, "hubspot_owner_id", json_string(oid));
        rc = queue_patch(s, at, contact, props, err);
        props = NULL;
    } else if (strcmp(kind, "rejected") == 0) {
        if (cfg->crm_reject_status[0])
            json_object_set_new(props, "hs_lead_status", json_string(cfg->crm_reject_status));
        rc = queue_patch(s, at, contact, props, err);
        props = NULL;
        snprintf(text, sizeof(text), _("Rejected by %s in chat (L-%lld): %s%s%s"), who,
                 (long long)lead, reason ? reason : "?", note ? ", " : "", note ? note : "");
        if (rc == 0)
            rc = queue_note(s, at, contact, oid, text, err);
    } else if (strcmp(kind, "feedback") == 0) {
        snprintf(text, sizeof(text), _("Lead quality rated %d/5 by %s (L-%lld)%s%s"),
                 (int)json_integer_value(json_object_get(data, "rating")), who,
                 (long long)lead, comment ? ": " : "", comment ? comment : "");
        rc = queue_note(s, at, contact, oid, text, err);
    } else if (strcmp(kind, "won") == 0) {
        if (cfg->crm_won_stage[0])
            json_object_set_new(props, "lifecyclestage", json_string(cfg->crm_won_stage));
        rc = queue_patch(s, at, contact, props, err);
        props = NULL;
        snprintf(text, sizeof(text), _("Won by %s (L-%lld)%s%s"), who, (long long)lead,
                 note ? ": " : "", note ? note : "");
        if (rc == 0)
            rc = queue_note(s, at, contact, oid, text, err);
    } else {
        if (cfg->crm_lost_status[0])
            json_object_set_new(props, "hs_lead_status", json_string(cfg->crm_lost_status));
        rc = queue_patch(s, at, contact, props, err);
        props = NULL;
        snprintf(text, sizeof(text), _("Lost (L-%lld, closed by %s): %s%s%s"), (long long)lead,
                 who, reason ? reason : "?", note ? ", " : "", note ? note : "");
        if (rc == 0)
            rc = queue_note(s, at, contact, oid, text, err);
    }
out:
    json_decref(props);
    free(contact);
    free(owner_key);
    free(who);
    return rc;
}

static int
push_plan(void *plat, const struct deliver_item *it, struct deliver_plan *p,
          int64_t *wait_ms, struct err *err)
{
    struct hubspot *h = plat;
    int64_t before = 0;

    memset(p, 0, sizeof(*p));
    if (h->hold_ms > clock_mono_ms()) {
        *wait_ms = h->hold_ms - clock_mono_ms();
        return 1;
    }
    /* a push waiting for its retry keeps the later ones of its contact
     * behind it: a note never lands before the change it explains */
    if (store_query_int(h->bot->store, err, &before,
                        "SELECT count(*) FROM outbox WHERE state = 'pending' AND kind = ?"
                        " AND channel = ? AND id < ?",
                        "ssI", OUTBOX_CRM, it->row->channel, it->row->id) < 0)
        return -1;
    if (before > 0) {
        *wait_ms = HS_ORDER_WAIT_MS;
        return 1;
    }
    snprintf(p->lane, sizeof(p->lane), "hubspot %s", it->row->channel ? it->row->channel : "");
    snprintf(p->bucket, sizeof(p->bucket), "hubspot");
    return 0;
}

static int
push_build(void *plat, const struct deliver_item *it, const char *part, bool last,
           struct deliver_req *req, struct err *err)
{
    struct hubspot *h = plat;
    json_t *op = json_loads(it->row->text, 0, NULL), *body;
    const char *kind = json_string_value(json_object_get(op, "op"));
    const char *contact = it->row->channel;
    char *text;

    (void)part;
    (void)last;
    if (kind == NULL || contact == NULL) {
        json_decref(op);
        err_set(err, "not a CRM push");
        return -1;
    }
    if (strcmp(kind, "link") == 0) {
        strbuf_printf(&req->url, "%s/contacts/", h->base);
        http_urlencode(json_string_value(json_object_get(op, "email")), &req->url);
        strbuf_puts(&req->url, "?idProperty=email&properties=email,lifecyclestage");
        json_decref(op);
        req->http.method = "GET";
        req->http.url = strbuf_str(&req->url);
        req->http.bearer = h->bot->cfg.crm_token;
        snprintf(req->what, sizeof(req->what), "hubspot GET contact by email");
        return 0;
    }
    if (strcmp(kind, "patch") == 0) {
        strbuf_printf(&req->url, "%s/contacts/", h->base);
        http_urlencode(contact, &req->url);
        body = json_pack("{s:O}", "properties", json_object_get(op, "properties"));
        req->http.method = "PATCH";
        snprintf(req->what, sizeof(req->what), "hubspot PATCH contact");
    } else if (it->in_doubt) {
        /* the bot stopped while this note was on its way: look for its
         * mark before posting it again (the engine sends it when not found) */
        char token[40];

        snprintf(token, sizeof(token), HS_NOTE_MARK "%lld", (long long)it->row->id);
        strbuf_printf(&req->url, "%s/notes/search", h->base);
        body = json_pack("{s:[{s:[{s:s, s:s, s:s}]}], s:[s], s:i}", "filterGroups", "filters",
                         "propertyName", "hs_note_body", "operator", "CONTAINS_TOKEN", "value",
                         token, "properties", "hs_note_body", "limit", 1);
        req->http.method = "POST";
        req->prerequisite = true;
        req->check = true;
        snprintf(req->what, sizeof(req->what), HS_NOTE_CHECK);
    } else {
        char when[32];
        const char *owner = json_string_value(json_object_get(op, "owner"));
        struct strbuf marked;

        strbuf_init(&marked, 0);
        strbuf_printf(&marked, "%s\n\n(smarkbot " HS_NOTE_MARK "%lld)",
                      json_string_value(json_object_get(op, "body")), (long long)it->row->id);
        iso_utc(json_integer_value(json_object_get(op, "at")), when, sizeof(when));
        strbuf_printf(&req->url, "%s/notes", h->base);
        body = json_pack("{s:{s:s, s:s, s:s*}, s:[{s:{s:s}, s:[{s:s, s:i}]}]}",
                         "properties", "hs_timestamp", when, "hs_note_body",
                         strbuf_str(&marked), "hubspot_owner_id",
                         owner, "associations", "to", "id", contact, "types",
                         "associationCategory", "HUBSPOT_DEFINED", "associationTypeId",
                         HS_NOTE_TO_CONTACT);
        strbuf_release(&marked);
        req->http.method = "POST";
        snprintf(req->what, sizeof(req->what), "hubspot POST note");
    }
    json_decref(op);
    text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (text == NULL) {
        err_set(err, "out of memory");
        return -1;
    }
    strbuf_puts(&req->body, text);
    free(text);
    req->http.url = strbuf_str(&req->url);
    req->http.bearer = h->bot->cfg.crm_token;
    req->http.content_type = HS_JSON;
    req->http.body = strbuf_str(&req->body);
    req->http.body_len = req->body.len;
    return 0;
}

/* "VALIDATION_ERROR: Property values were not valid" from an error body. */
void
hubspot_why(const struct http_resp *resp, char *why, size_t len)
{
    json_t *root = json_loads(resp->body ? resp->body : "", 0, NULL);
    const char *cat = json_string_value(json_object_get(root, "category"));
    const char *msg = json_string_value(json_object_get(root, "message"));

    snprintf(why, len, "HTTP %ld%s%s%s%.100s", resp->status, cat ? " " : "", cat ? cat : "",
             msg ? ": " : "", msg ? msg : "");
    json_decref(root);
}

/* X-HubSpot-RateLimit-Remaining (in the window of -Interval-Milliseconds)
 * and -Secondly-Remaining: when no more are left than may be in flight,
 * nothing more goes before the window ends, rather than a 429. */
static void
note_limits(struct hubspot *h, const struct http_resp *resp)
{
    char v[32];
    int64_t window = 0;

    if (http_resp_header(resp, "X-HubSpot-RateLimit-Remaining", v, sizeof(v)) == 0 &&
        strtoll(v, NULL, 10) < HS_INFLIGHT) {
        window = 10000;
        if (http_resp_header(resp, "X-HubSpot-RateLimit-Interval-Milliseconds", v,
                             sizeof(v)) == 0 && strtoll(v, NULL, 10) > 0)
            window = strtoll(v, NULL, 10);
    }
    if (window == 0 &&
        http_resp_header(resp, "X-HubSpot-RateLimit-Secondly-Remaining", v, sizeof(v)) == 0 &&
        strtoll(v, NULL, 10) < HS_INFLIGHT)
        window = 1000;
    if (window > 0 && clock_mono_ms() + window > h->hold_ms) {
        h->hold_ms = clock_mono_ms() + window;
        log_info(&h->bot->log, "hubspot", "rate limit reached: waiting %.1f s",
                 (double)window / 1000);
    }
}

/* The answer to a look-up by email: the contact's id on the lead, unless
 * the lead or the contact was linked meanwhile. No contact: nothing to do. */
static enum deliver_result
linked(struct hubspot *h, const struct deliver_item *it, const struct http_resp *resp)
{
    json_t *op = json_loads(it->row->text, 0, NULL);
    json_t *root = resp->status == 200 ? json_loads(resp->body, 0, NULL) : NULL;
    const char *cid = json_string_value(json_object_get(root, "id"));
    int64_t lead = json_integer_value(json_object_get(op, "lead"));
    struct err err = { 0 };

    if (cid && store_exec(h->bot->store, &err,
                          "UPDATE leads SET crm_id = ?1 WHERE id = ?2 AND crm_id IS NULL"
                          " AND NOT EXISTS (SELECT 1 FROM leads WHERE crm_id = ?1)",
                          "sI", cid, lead) == 0 &&
        sqlite3_changes(store_db(h->bot->store)) > 0)
        log_info(&h->bot->log, "hubspot", "contact %s linked to L-%lld by email", cid,
                 (long long)lead);
    if (err.set)
        log_err(&h->bot->log, "hubspot", "L-%lld: %s", (long long)lead, err.msg);
    json_decref(op);
    json_decref(root);
    return DELIVER_OK;
}

static enum deliver_result
push_classify(void *plat, const struct deliver_item *it, const struct deliver_req *req,
              const struct http_resp *resp, char *ref, size_t reflen, char *why,
              size_t whylen)
{
    struct hubspot *h = plat;

    if (resp->status == 0) {
        snprintf(why, whylen, "no answer");
        return DELIVER_RETRY;
    }
    hubspot_why(resp, why, whylen);
    note_limits(h, resp);
    if (strcmp(req->what, HS_NOTE_CHECK) == 0 && resp->status == 200) {
        json_t *root = json_loads(resp->body, 0, NULL);
        bool found = json_integer_value(json_object_get(root, "total")) > 0;

        json_decref(root);
        snprintf(ref, reflen, "note %s", found ? "found" : "not found");
        return found ? DELIVER_ALREADY : DELIVER_OK;
    }
    if (strcmp(req->what, "hubspot GET contact by email") == 0 &&
        (resp->status == 200 || resp->status == 404))
        return linked(h, it, resp);
    if (resp->status >= 200 && resp->status < 300)
        return DELIVER_OK;
    if (resp->status == 429)
        return DELIVER_RATELIMITED;
    if (resp->status >= 500 || resp->status == 408)
        return DELIVER_RETRY;
    if (resp->status == 401 || resp->status == 403)
        return DELIVER_FATAL;
    /* permanent (400 VALIDATION_ERROR, a contact gone): the same body
     * would be refused again; given up, logged once, kept on the lead */
    store_exec(h->bot->store, NULL, "UPDATE leads SET crm_error = ? WHERE crm_id = ?", "ss",
               why, it->row->channel);
    return DELIVER_FAILED;
}

static const struct deliver_ops push_ops = { push_plan, push_build, push_classify, NULL };

/* -------------------------------------------------------------- start */

static void
release(void *plat)
{
    struct hubspot *h = plat;

    event_hook_remove(h);
    strbuf_release(&h->body);
    strbuf_release(&h->url);
    free(h);
}

static void
stop(void *plat)
{
    struct hubspot *h = plat;

    h->stopped = true;
    if (h->bot->lws)
        lws_sul_cancel(&h->sul);
}

int
hubspot_start(struct bot *bot, struct outlet **out, struct err *err)
{
    static const char *const mine[] = { OUTBOX_CRM, NULL };
    struct deliver_limits lim = {
        .max_inflight = HS_INFLIGHT,
        .backoff_base_ms = 1000,
        .backoff_cap_ms = 120000,
        .default_retry_after_ms = HS_RETRY_AFTER_MS,
        .kinds = mine,
    };
    const struct config *cfg = &bot->cfg;
    struct hubspot *h;
    size_t n = strlen(cfg->crm_url);

    *out = NULL;
    if (strcmp(cfg->crm_kind, "hubspot") != 0)
        return 0;
    if ((h = calloc(1, sizeof(*h))) == NULL) {
        err_set(err, _("out of memory"));
        return -1;
    }
    h->bot = bot;
    strbuf_init(&h->body, 0);
    strbuf_init(&h->url, 0);
    while (n > 0 && cfg->crm_url[n - 1] == '/')
        n--;
    /* v3: /crm/v3/objects/contacts; dated: /crm/objects/2026-03/contacts */
    if (cfg->crm_api[0] == 'v' && strchr(cfg->crm_api, '/') == NULL)
        snprintf(h->base, sizeof(h->base), "%.*s/crm/%s/objects", (int)n, cfg->crm_url,
                 cfg->crm_api);
    else
        snprintf(h->base, sizeof(h->base), "%.*s/crm/%s", (int)n, cfg->crm_url, cfg->crm_api);
    if (event_hook_add(bot->store, on_event, h) < 0 ||
        (*out = outlet_new(bot, "hubspot", &push_ops, h, release, &lim, err)) == NULL) {
        if (!err->set)
            err_set(err, _("too many event hooks"));
        release(h);
        return -1;
    }
    outlet_on_stop(*out, stop);
    hubspot_poll_later(h, HS_FIRST_POLL_MS);
    log_info(&bot->log, "hubspot", "contacts at %s, a search every %llds", h->base,
             (long long)cfg->crm_poll_secs);
    return 0;
}

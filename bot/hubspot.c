/* SPDX-License-Identifier: MIT */
/* hubspot.c: HubSpot both ways. In: a poll of CRM search for contacts that
 * reached MQL, on lastmodifieddate with a cursor and an overlap (search
 * lags behind writes), paged with `after`, at most 4 searches a second;
 * each contact becomes a lead once (its id on the lead) or is linked to a
 * lead of the same email. Out: accept, reject, feedback, won and lost of a
 * linked lead queue pushes (a PATCH of the contact, a note) in the event's
 * transaction, sent by an outlet with a lane per contact. */
#include "hubspot.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <libwebsockets.h>

#include "bot.h"
#include "commands.h"
#include "event.h"
#include "http.h"
#include "i18n.h"
#include "lead.h"
#include "outbox.h"
#include "outlet.h"
#include "users.h"

#define HS_SEARCH_GAP_MS 275        /* 4 searches per second per token, with room */
#define HS_OVERLAP_MS 60000         /* search lags ~60 s behind updates */
#define HS_PAGE 100
#define HS_MAX_RESULTS 10000        /* search's cap per query */
#define HS_FIRST_POLL_MS 1000
#define HS_RETRY_AFTER_MS 10000     /* a 429 without Retry-After */
#define HS_ORDER_WAIT_MS 500
#define HS_INFLIGHT 2               /* pushes at once; also the margin kept
                                     * under the rate limit for them */
#define HS_NOTE_TO_CONTACT 202      /* HUBSPOT_DEFINED association type */
#define HS_ACTOR "crm"
#define HS_CURSOR "crm.hubspot.cursor"
#define HS_JSON "application/json"
#define HS_NOTE_MARK "smknote"      /* + the outbox id: one token in a note */
#define HS_NOTE_CHECK "hubspot search note"

struct hubspot {
    struct bot *bot;
    char base[600];                 /* .../crm/v3/objects */
    lws_sorted_usec_list_t sul;
    bool busy;                      /* a search is in flight */
    bool stopped;
    int64_t last_search_ms;
    int64_t hold_ms;                /* the rate-limit headers said: none left
                                     * until then (monotonic) */
    /* the pass being made */
    int64_t since_ms, seen_ms;
    char after[64];
    int results;
    struct strbuf body, url;
};

/* ------------------------------------------------------------- helpers */

/* HubSpot's dates: epoch ms in digits, or ISO 8601 with optional ms. */
static int64_t
parse_ms(const char *s)
{
    struct tm tm = { 0 };
    int ms = 0, n = 0;
    char frac[8] = "";

    if (s == NULL || *s == '\0')
        return 0;
    if (strspn(s, "0123456789") == strlen(s))
        return strtoll(s, NULL, 10);
    if (sscanf(s, "%d-%d-%dT%d:%d:%d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec, &n) < 6)
        return 0;
    if (s[n] == '.' && sscanf(s + n + 1, "%3[0-9]", frac) == 1) {
        ms = atoi(frac);
        for (size_t i = strlen(frac); i < 3; i++)
            ms *= 10;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t)timegm(&tm) * 1000 + ms;
}

static void
iso_utc(int64_t secs, char *buf, size_t len)
{
    time_t t = (time_t)secs;
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *
prop(json_t *contact, const char *name)
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
static void
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

/* --------------------------------------------------------------- poll */

static void poll_later(struct hubspot *h, int64_t ms);

static int64_t
cursor_get(struct hubspot *h)
{
    char *v = store_get_setting(h->bot->store, HS_CURSOR);
    int64_t ms = v ? strtoll(v, NULL, 10) : 0;

    free(v);
    return ms;
}

/* A contact as a lead: linked when one has its email, created otherwise.
 * Inside the page's transaction. 0, or -1 on a store error. */
static int
take_contact(struct hubspot *h, json_t *c, struct err *err)
{
    struct store *s = h->bot->store;
    const char *cid = json_string_value(json_object_get(c, "id"));
    const char *email = prop(c, "email"), *first = prop(c, "firstname");
    const char *last = prop(c, "lastname");
    const char *keys[3], *values[3];
    char name[300], source[100];
    int64_t have = 0, lead = 0;
    struct strbuf reply;
    struct cmd_ctx ctx = { 0 };
    int n = 0;

    if (cid == NULL)
        return 0;
    if (store_query_int(s, err, &have, "SELECT id FROM leads WHERE crm_id = ?", "s", cid) < 0)
        return -1;
    if (have > 0)
        return 0;
    if (email && (lead = lead_id_by_email(s, email, err)) < 0)
        return -1;
    if (lead > 0) {
        char *other = NULL;

        if (store_query_text(s, err, &other, "SELECT crm_id FROM leads WHERE id = ?", "I",
                             lead) < 0)
            return -1;
        if (other == NULL) {
            log_info(&h->bot->log, "hubspot", "contact %s linked to L-%lld by email", cid,
                     (long long)lead);
            return store_exec(s, err, "UPDATE leads SET crm_id = ? WHERE id = ?", "sI", cid,
                              lead);
        }
        log_warn(&h->bot->log, "hubspot", "contact %s has the email of L-%lld, already "
                 "contact %s: not taken", cid, (long long)lead, other);
        free(other);
        return 0;
    }
    snprintf(name, sizeof(name), "%s%s%s", first ? first : "", first && last ? " " : "",
             last ? last : "");
    if (name[0] == '\0')
        snprintf(name, sizeof(name), "%s", email ? email : cid);
    if (email) {
        keys[n] = "email";
        values[n++] = email;
    }
    if (prop(c, "company")) {
        keys[n] = "company";
        values[n++] = prop(c, "company");
    }
    if (prop(c, "hs_analytics_source")) {
        /* ORGANIC_SEARCH reads as organic_search beside typed sources */
        snprintf(source, sizeof(source), "%s", prop(c, "hs_analytics_source"));
        for (char *p = source; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        keys[n] = "source";
        values[n++] = source;
    }
    strbuf_init(&reply, 0);
    ctx.bot = h->bot;
    ctx.actor = HS_ACTOR;
    ctx.now = clock_now(&h->bot->clock);
    ctx.reply = &reply;
    if (cmd_lead_create(&ctx, name, n, keys, values, &lead) < 0) {
        if (ctx.err.set) {
            *err = ctx.err;
            strbuf_release(&reply);
            return -1;
        }
        log_warn(&h->bot->log, "hubspot", "contact %s not taken as a lead: %s", cid,
                 strbuf_str(&reply));
        strbuf_release(&reply);
        return 0;
    }
    strbuf_release(&reply);
    log_info(&h->bot->log, "hubspot", "contact %s is lead L-%lld", cid, (long long)lead);
    return store_exec(s, err, "UPDATE leads SET crm_id = ? WHERE id = ?", "sI", cid, lead);
}

static void search(struct hubspot *h);

static void
pass_end(struct hubspot *h)
{
    h->busy = false;
    poll_later(h, h->bot->cfg.crm_poll_secs * 1000);
}

static void
on_search(void *ud, const struct http_resp *resp)
{
    struct hubspot *h = ud;
    struct store *s;
    struct err err = { 0 };
    json_t *root, *results, *c;
    const char *next;
    bool more;
    char why[200], num[24];
    size_t i;

    if (resp->cancelled || h->stopped || h->bot->releasing)
        return;
    s = h->bot->store;
    if (resp->status == 429) {
        int64_t wait = resp->retry_after >= 0 ? (int64_t)resp->retry_after * 1000
                                              : HS_RETRY_AFTER_MS;

        log_warn(&h->bot->log, "hubspot", "search rate limited: again in %.1f s",
                 (double)wait / 1000);
        poll_later(h, wait);
        return;
    }
    if (resp->status != 200) {
        if (resp->status == 0)
            snprintf(why, sizeof(why), "no answer");
        else
            hubspot_why(resp, why, sizeof(why));
        log_warn(&h->bot->log, "hubspot", "search failed (%s): again at the next poll", why);
        pass_end(h);
        return;
    }
    root = json_loads(resp->body, 0, NULL);
    results = json_object_get(root, "results");
    if (!json_is_array(results)) {
        log_warn(&h->bot->log, "hubspot", "search answered without results: again at the "
                 "next poll");
        json_decref(root);
        pass_end(h);
        return;
    }
    if (store_begin(s, &err) == 0) {
        int64_t seen = h->seen_ms;

        json_array_foreach(results, i, c) {
            int64_t m = parse_ms(prop(c, "lastmodifieddate"));

            if (take_contact(h, c, &err) < 0)
                break;
            if (m > seen)
                seen = m;
        }
        snprintf(num, sizeof(num), "%lld", (long long)seen);
        /* the cursor moves with the leads it made, in one commit */
        if (!err.set && seen > h->seen_ms)
            store_set_setting(s, HS_CURSOR, num, &err);
        if (err.set)
            store_rollback(s);
        else if (store_commit(s, &err) == 0)
            h->seen_ms = seen;
    }
    if (err.set) {
        log_err(&h->bot->log, "hubspot", "contacts not saved: %s", err.msg);
        json_decref(root);
        pass_end(h);
        return;
    }
    bot_changed(h->bot);
    h->results += (int)json_array_size(results);
    next = json_string_value(json_object_get(json_object_get(json_object_get(root, "paging"),
                                                             "next"), "after"));
    more = next && *next;
    if (more && h->results + HS_PAGE <= HS_MAX_RESULTS)
        snprintf(h->after, sizeof(h->after), "%s", next);
    json_decref(root);
    if (more && h->results + HS_PAGE <= HS_MAX_RESULTS) {
        search(h);
        return;
    }
    if (more && h->seen_ms > h->since_ms) {
        /* past search's 10,000: a new query from the newest date seen */
        h->since_ms = h->seen_ms;
        h->after[0] = '\0';
        h->results = 0;
        search(h);
        return;
    }
    if (more)
        log_warn(&h->bot->log, "hubspot", "over 10,000 contacts changed at one moment: the "
                 "rest waits for the next poll");
    pass_end(h);
}

/* Sends the search for the current page, no sooner than the limit lets. */
static void
search(struct hubspot *h)
{
    struct http_req req = { 0 };
    struct err err = { 0 };
    int64_t now = clock_mono_ms(), gap = h->last_search_ms + HS_SEARCH_GAP_MS - now;
    char since[24];
    json_t *body;
    char *text;

    h->busy = true;
    if (gap > 0) {
        poll_later(h, gap);
        return;
    }
    snprintf(since, sizeof(since), "%lld", (long long)(h->since_ms > 0 ? h->since_ms : 0));
    body = json_pack("{s:[{s:[{s:s, s:s, s:s}, {s:s, s:s, s:s}]}],"
                     " s:[{s:s, s:s}], s:[s, s, s, s, s, s, s], s:i}",
                     "filterGroups", "filters",
                     "propertyName", "lifecyclestage", "operator", "EQ", "value",
                     "marketingqualifiedlead",
                     "propertyName", "lastmodifieddate", "operator", "GTE", "value", since,
                     "sorts", "propertyName", "lastmodifieddate", "direction", "ASCENDING",
                     "properties", "email", "firstname", "lastname", "company",
                     "hs_analytics_source", "lifecyclestage", "lastmodifieddate",
                     "limit", HS_PAGE);
    if (h->after[0])
        json_object_set_new(body, "after", json_string(h->after));
    text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(body);
    strbuf_reset(&h->body);
    strbuf_puts(&h->body, text ? text : "{}");
    free(text);
    strbuf_reset(&h->url);
    strbuf_printf(&h->url, "%s/contacts/search", h->base);
    req.method = "POST";
    req.url = strbuf_str(&h->url);
    req.bearer = h->bot->cfg.crm_token;
    req.content_type = HS_JSON;
    req.body = strbuf_str(&h->body);
    req.body_len = h->body.len;
    h->last_search_ms = now;
    if (http_request(h->bot->http, &req, on_search, h, &err) < 0) {
        log_warn(&h->bot->log, "hubspot", "search not started: %s", err.msg);
        pass_end(h);
    }
}

static void
on_timer(lws_sorted_usec_list_t *sul)
{
    struct hubspot *h = lws_container_of(sul, struct hubspot, sul);

    if (h->stopped || h->bot->quit || h->bot->releasing)
        return;
    if (h->busy) {
        /* the next page, or the same one after a 429 */
        h->busy = false;
        search(h);
        return;
    }
    /* a new pass: from the cursor, less the lag of search */
    h->seen_ms = cursor_get(h);
    h->since_ms = h->seen_ms > HS_OVERLAP_MS ? h->seen_ms - HS_OVERLAP_MS : 0;
    h->after[0] = '\0';
    h->results = 0;
    search(h);
}

static void
poll_later(struct hubspot *h, int64_t ms)
{
    if (h->stopped || h->bot->lws == NULL || h->bot->releasing)
        return;
    lws_sul_schedule(h->bot->lws, 0, &h->sul, on_timer, (lws_usec_t)(ms > 0 ? ms : 0) * 1000 + 1);
}

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
    poll_later(h, HS_FIRST_POLL_MS);
    log_info(&bot->log, "hubspot", "contacts at %s, a search every %llds", h->base,
             (long long)cfg->crm_poll_secs);
    return 0;
}

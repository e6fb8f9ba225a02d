/* SPDX-License-Identifier: MIT */
/* hubspot_poll.c: HubSpot in: a poll of CRM search for contacts that
 * reached MQL, on lastmodifieddate with a cursor and an overlap (search
 * lags behind writes), paged with `after`, at most 4 searches a second;
 * each contact becomes a lead once (its id on the lead) or is linked to a
 * lead of the same email. */
#include "hubspot_private.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bot.h"
#include "commands.h"
#include "i18n.h"
#include "lead.h"

#define HS_SEARCH_GAP_MS 275        /* 4 searches per second per token, with room */
#define HS_OVERLAP_MS 60000         /* search lags ~60 s behind updates */
#define HS_PAGE 100
#define HS_MAX_RESULTS 10000        /* search's cap per query */
#define HS_CURSOR "crm.hubspot.cursor"

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
    const char *email = hubspot_prop(c, "email"), *first = hubspot_prop(c, "firstname");
    const char *last = hubspot_prop(c, "lastname");
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
    if (hubspot_prop(c, "company")) {
        keys[n] = "company";
        values[n++] = hubspot_prop(c, "company");
    }
    if (hubspot_prop(c, "hs_analytics_source")) {
        /* ORGANIC_SEARCH reads as organic_search beside typed sources */
        snprintf(source, sizeof(source), "%s", hubspot_prop(c, "hs_analytics_source"));
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
    hubspot_poll_later(h, h->bot->cfg.crm_poll_secs * 1000);
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
        hubspot_poll_later(h, wait);
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
            int64_t m = parse_ms(hubspot_prop(c, "lastmodifieddate"));

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
        hubspot_poll_later(h, gap);
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

void
hubspot_poll_later(struct hubspot *h, int64_t ms)
{
    if (h->stopped || h->bot->lws == NULL || h->bot->releasing)
        return;
    lws_sul_schedule(h->bot->lws, 0, &h->sul, on_timer, (lws_usec_t)(ms > 0 ? ms : 0) * 1000 + 1);
}

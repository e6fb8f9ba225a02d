/* SPDX-License-Identifier: MIT */
/* webhook.c: lead events out to a receiver of the team's. The body is made
 * once, when the event is written (so a retry sends the same bytes and the
 * same id), and kept in the outbox; the outlet sends it, one row of a lead
 * at a time, in order. */
#include "webhook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "bot.h"
#include "event.h"
#include "i18n.h"
#include "outbox.h"
#include "outlet.h"

#define WEBHOOK_TIMEOUT_MS 15000
#define WEBHOOK_ORDER_WAIT_MS 500   /* a later event of a lead waits */

struct webhook {
    struct bot *bot;
};

/* Event kinds as stored, and as a receiver sees them. */
static const char *const kinds[][2] = {
    { "created", "lead.created" }, { "handoff", "lead.handed_off" },
    { "accepted", "lead.accepted" }, { "rejected", "lead.rejected" },
    { "feedback", "lead.feedback" }, { "won", "lead.won" },
    { "lost", "lead.lost" }, { "reopened", "lead.reopened" },
};

static const char *
public_kind(const char *kind)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kinds[i][0], kind) == 0)
            return kinds[i][1];
    return NULL;
}

void
webhook_sign(const char *secret, const char *body, size_t len, char *out, size_t outlen)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    size_t n;

    HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)body, len, md,
         &mdlen);
    n = (size_t)snprintf(out, outlen, "sha256=");
    for (unsigned int i = 0; i < mdlen && n + 2 < outlen; i++)
        n += (size_t)snprintf(out + n, outlen - n, "%02x", md[i]);
}

static int
on_event(void *ud, struct store *s, int64_t id, int64_t lead, const char *kind,
         const char *actor, int64_t at, json_t *data, struct err *err)
{
    const char *pub = public_kind(kind);
    struct outbox_dest to = { .kind = OUTBOX_WEBHOOK };
    char evid[40], ref[32], when[32];
    struct tm tm;
    time_t t = (time_t)at;
    json_t *body;
    char *text;
    int64_t row;

    (void)ud;
    if (lead <= 0 || pub == NULL)
        return 0;
    snprintf(evid, sizeof(evid), "smk-ev-%lld", (long long)id);
    snprintf(ref, sizeof(ref), "L-%lld", (long long)lead);
    gmtime_r(&t, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    body = json_pack("{s:s, s:s, s:s, s:s, s:s*, s:o}", "id", evid, "kind", pub, "lead", ref,
                     "at", when, "actor", actor, "data",
                     data ? json_incref(data) : json_object());
    text = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(body);
    if (text == NULL) {
        err_set(err, _("out of memory"));
        return -1;
    }
    to.channel = ref;
    row = outbox_add(s, at, &to, text, NULL, err);
    free(text);
    return row < 0 ? -1 : 0;
}

static int
plan(void *plat, const struct deliver_item *it, struct deliver_plan *p, int64_t *wait_ms,
     struct err *err)
{
    struct webhook *w = plat;
    int64_t before = 0;

    memset(p, 0, sizeof(*p));
    /* the engine keeps a lane to one request at a time; a row that waits
     * for a retry must also keep the later ones of its lead behind it */
    if (store_query_int(w->bot->store, err, &before,
                        "SELECT count(*) FROM outbox WHERE state = 'pending' AND kind = ?"
                        " AND channel = ? AND id < ?",
                        "ssI", OUTBOX_WEBHOOK, it->row->channel, it->row->id) < 0)
        return -1;
    if (before > 0) {
        *wait_ms = WEBHOOK_ORDER_WAIT_MS;
        return 1;
    }
    snprintf(p->lane, sizeof(p->lane), "webhook %s", it->row->channel ? it->row->channel : "");
    snprintf(p->bucket, sizeof(p->bucket), "webhook");
    return 0;
}

static int
build(void *plat, const struct deliver_item *it, const char *part, bool last,
      struct deliver_req *req, struct err *err)
{
    struct webhook *w = plat;
    const struct config *cfg = &w->bot->cfg;
    json_t *root = json_loads(it->row->text, 0, NULL);
    const char *id = json_string_value(json_object_get(root, "id"));
    char sig[80];
    int n = 0;

    (void)part;
    (void)last;
    (void)err;
    strbuf_puts(&req->url, cfg->webhook_url);
    webhook_sign(cfg->webhook_secret, it->row->text, strlen(it->row->text), sig, sizeof(sig));
    snprintf(req->header[n], sizeof(req->header[n]), "X-Smarkbot-Signature: %s", sig);
    n++;
    snprintf(req->header[n], sizeof(req->header[n]), "X-Smarkbot-Delivery: %.60s",
             id ? id : "");
    n++;
    /* it may have arrived before: the receiver's dedupe decides */
    if (it->in_doubt || it->row->attempts > 0)
        snprintf(req->header[n++], sizeof(req->header[0]), "X-Smarkbot-Redelivery: true");
    for (int i = 0; i < n; i++)
        req->headers[i] = req->header[i];
    req->headers[n] = NULL;
    json_decref(root);
    snprintf(req->what, sizeof(req->what), "webhook %s", it->row->channel);
    req->http.method = "POST";
    req->http.url = strbuf_str(&req->url);
    req->http.content_type = "application/json";
    req->http.body = it->row->text;
    req->http.body_len = strlen(it->row->text);
    req->http.timeout_ms = WEBHOOK_TIMEOUT_MS;
    req->http.headers = req->headers;
    return 0;
}

static enum deliver_result
classify(void *plat, const struct deliver_item *it, const struct deliver_req *req,
         const struct http_resp *resp, char *ref, size_t reflen, char *why, size_t whylen)
{
    (void)plat;
    (void)it;
    (void)req;
    (void)ref;
    (void)reflen;
    if (resp->status == 0) {
        snprintf(why, whylen, "no answer");
        return DELIVER_RETRY;
    }
    snprintf(why, whylen, "HTTP %ld", resp->status);
    if (resp->status >= 200 && resp->status < 300)
        return DELIVER_OK;
    if (resp->status == 429)
        return DELIVER_RATELIMITED;
    /* a receiver that is down, misconfigured or moved keeps the events
     * until it is fixed; one that refuses this body gets no other */
    if (resp->status >= 500 || resp->status == 408 || resp->status == 401 ||
        resp->status == 403 || resp->status == 404)
        return DELIVER_RETRY;
    return DELIVER_FAILED;
}

static const struct deliver_ops webhook_ops = { plan, build, classify, NULL };

static void
release(void *plat)
{
    event_hook_remove(plat);
    free(plat);
}

int
webhook_start(struct bot *bot, struct outlet **out, struct err *err)
{
    static const char *const mine[] = { OUTBOX_WEBHOOK, NULL };
    struct deliver_limits lim = {
        .max_inflight = 4,
        .backoff_base_ms = 1000,
        .backoff_cap_ms = 60000,
        .kinds = mine,
    };
    struct webhook *w;

    *out = NULL;
    if (bot->cfg.webhook_url[0] == '\0')
        return 0;
    if ((w = calloc(1, sizeof(*w))) == NULL) {
        err_set(err, _("out of memory"));
        return -1;
    }
    w->bot = bot;
    if (event_hook_add(bot->store, on_event, w) < 0 ||
        (*out = outlet_new(bot, "webhook", &webhook_ops, w, release, &lim, err)) == NULL) {
        if (!err->set)
            err_set(err, _("too many event hooks"));
        release(w);
        return -1;
    }
    {
        /* the host only: a hook's path often holds a secret of its own */
        const char *host = strstr(bot->cfg.webhook_url, "://") + 3;

        log_info(&bot->log, "webhook", "lead events go to %.*s", (int)strcspn(host, "/?#"),
                 host);
    }
    return 0;
}

/* SPDX-License-Identifier: MIT */
/* health.c: the routes an operator's monitoring reads. /healthz answers a
 * load balancer or systemd-style probe; /metrics a Prometheus scrape.
 * Both are synchronous and cheap: one lock probe and one GROUP BY. */
#include "health.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "bot.h"
#include "listen.h"
#include "outbox.h"
#include "stats.h"

#ifndef SMARKBOT_VERSION
#define SMARKBOT_VERSION "0.1.0"
#endif

/* A probe must not stall the loop behind another process's lock for the
 * store's usual 5 s. */
#define HEALTH_BUSY_MS 200
#define STORE_BUSY_MS 5000

static const char *const outbox_kinds[] = {
    OUTBOX_CHANNEL, OUTBOX_DM, OUTBOX_EPHEMERAL, OUTBOX_RESPONSE, OUTBOX_UPDATE,
    OUTBOX_WEBHOOK, OUTBOX_CRM,
};

/* Can the database take a write now? A write lock taken and given back:
 * it fails on a read-only file, a full or vanished disk's journal, or a
 * lock held elsewhere. */
static bool
store_writable(struct bot *bot, char *why, size_t len)
{
    sqlite3 *db = store_db(bot->store);
    char *msg = NULL;
    int rc;

    if (store_in_transaction(bot->store))
        return true;    /* a handler is writing: it is */
    if (sqlite3_db_readonly(db, "main") == 1) {
        snprintf(why, len, "database is read-only");
        return false;
    }
    sqlite3_busy_timeout(db, HEALTH_BUSY_MS);
    rc = sqlite3_exec(db, "BEGIN IMMEDIATE; ROLLBACK", NULL, NULL, &msg);
    sqlite3_busy_timeout(db, STORE_BUSY_MS);
    if (rc != SQLITE_OK) {
        snprintf(why, len, "database not writable: %s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        if (sqlite3_get_autocommit(db) == 0)
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return false;
    }
    return true;
}

bool
health_check(struct bot *bot, char *why, size_t len)
{
    if (bot->ops->healthy && !bot->ops->healthy(bot, why, len))
        return false;
    return store_writable(bot, why, len);
}

static void
on_healthz(void *ud, const struct listen_req *req, struct listen_resp *resp)
{
    struct bot *bot = ud;
    char why[200] = "";
    bool ok = health_check(bot, why, sizeof(why));
    json_t *o;
    char *text;

    (void)req;
    o = ok ? json_pack("{s:s, s:s}", "status", "ok", "platform", bot->ops->name)
           : json_pack("{s:s, s:s, s:s}", "status", "unavailable", "platform",
                       bot->ops->name, "reason", why);
    text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    resp->status = ok ? 200 : 503;
    snprintf(resp->content_type, sizeof(resp->content_type), "application/json");
    listen_resp_header(resp, "Cache-Control", "no-store");
    strbuf_puts(&resp->body, text ? text : "{\"status\":\"unavailable\"}");
    strbuf_putc(&resp->body, '\n');
    free(text);
    json_decref(o);
    if (!ok)
        log_debug(&bot->log, "health", "GET /healthz: 503 (%s)", why);
}

static void
one_kind(void *ud, const char *kind, int64_t pending, int64_t oldest)
{
    struct bot *bot = ud;
    int64_t age = clock_now(&bot->clock) - oldest;

    metric_set(&stats_outbox_pending, (double)pending, kind, NULL);
    metric_set(&stats_outbox_oldest, (double)(age > 0 ? age : 0), kind, NULL);
}

/* The gauges that are read, not counted: just before each scrape. */
static void
collect(void *ud)
{
    struct bot *bot = ud;
    struct err err = { 0 };
    char why[200];

    metric_set(&stats_link_up, !bot->ops->healthy || bot->ops->healthy(bot, why, sizeof(why)),
               bot->ops->name, NULL);
    for (size_t i = 0; i < sizeof(outbox_kinds) / sizeof(outbox_kinds[0]); i++) {
        metric_set(&stats_outbox_pending, 0, outbox_kinds[i], NULL);
        metric_set(&stats_outbox_oldest, 0, outbox_kinds[i], NULL);
    }
    if (outbox_depth(bot->store, one_kind, bot, &err) < 0)
        log_warn(&bot->log, "health", "metrics: %s", err.msg);
}

static void
on_metrics(void *ud, const struct listen_req *req, struct listen_resp *resp)
{
    struct bot *bot = ud;

    (void)req;
    snprintf(resp->content_type, sizeof(resp->content_type), "%s", METRICS_CONTENT_TYPE);
    if (metrics_write(&resp->body) < 0) {
        log_err(&bot->log, "health", "GET /metrics: the answer does not fit");
        strbuf_reset(&resp->body);
        resp->status = 500;
    }
}

int
health_start(struct bot *bot, struct err *err)
{
    const struct listen_route routes[] = {
        { "GET", "/healthz", on_healthz, bot },
        { "GET", "/metrics", on_metrics, bot },
        { NULL, NULL, NULL, NULL },
    };

    stats_register();
    metric_set(&stats_build_info, 1, SMARKBOT_VERSION, NULL);
    metric_set(&stats_start_time, (double)clock_real(), NULL, NULL);
    metric_set(&stats_link_up, 0, bot->ops->name, NULL);
    if (metrics_collector(collect, bot, true) < 0) {
        err_set(err, "metrics: too many collectors");
        return -1;
    }
    if (bot->listen == NULL)
        return 0;
    return listen_add_table(bot->listen, routes, err);
}

void
health_release(struct bot *bot)
{
    (void)bot;
    metrics_reset();
}

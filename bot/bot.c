/* SPDX-License-Identifier: MIT */
/* bot.c: wiring of config, store, clock and platform, and the one event
 * loop they all run on: the lws context (websockets, the listener, timers),
 * libcurl's multi handle on it, the delivery engine's wake-ups and the
 * scheduler's timer. An adapter only adds hooks. */
#include "bot.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "health.h"
#include "http.h"
#include "hubspot.h"
#include "i18n.h"
#include "leads_in.h"
#include "listen.h"
#include "reload.h"
#include "outlet.h"
#include "sched.h"
#include "users.h"
#include "webhook.h"
#include "ws.h"

#define BOT_TICK_US (200 * 1000)    /* how soon a stop signal is seen */
#define BOT_FLUSH_MS 1000           /* at most, for acks at a stop */
#define BOT_SCHED_MAX_S 3600        /* re-read the next job at least hourly */

const struct platform_ops *const platforms[] = {
    &console_ops, &slack_ops, &mattermost_ops, NULL,
};

struct bot_loop {
    struct bot *bot;
    lws_sorted_usec_list_t sul_tick, sul_deliver, sul_sched;
    bool deliver_armed;
    int64_t deliver_at_ms;
};

void
chat_msg_release(struct chat_msg *m)
{
    free(m->user_id);
    free(m->user_name);
    free(m->channel);
    free(m->command);
    free(m->text);
    memset(m, 0, sizeof(*m));
}

static const struct platform_ops *
platform_named(const char *name)
{
    for (size_t i = 0; platforms[i]; i++)
        if (strcmp(platforms[i]->name, name) == 0)
            return platforms[i];
    return NULL;
}

int
bot_init(struct bot *bot, bool force_console, struct err *err)
{
    const char *platform = force_console ? "console" : bot->cfg.platform;

    bot->lock_fd = -2;
    bot->log.level = (enum log_level)bot->cfg.level;
    bot->log.format = (enum log_format)bot->cfg.log_fmt;
    if (log_open(&bot->log, bot->cfg.log_file, err) < 0)
        return -1;
    if ((bot->ops = platform_named(platform)) == NULL) {
        err_set(err, _("platform '%s' is not available in this build"), platform);
        return -1;
    }
    if ((bot->loop = calloc(1, sizeof(*bot->loop))) == NULL) {
        err_set(err, _("out of memory"));
        return -1;
    }
    bot->loop->bot = bot;
    if ((bot->lock_fd = store_lock(bot->cfg.database, err)) == -1)
        return -1;
    bot->store = store_open(bot->cfg.database, err);
    if (bot->store == NULL)
        return -1;
    if ((bot->sched = sched_new(bot, err)) == NULL)
        return -1;
    if ((bot->lws = ws_context_new(&bot->log, err)) == NULL)
        return -1;
    if ((bot->http = http_new(bot->lws, &bot->log, err)) == NULL)
        return -1;
    if (bot->cfg.http_listen[0] != '\0' &&
        (bot->listen = listen_new(bot->lws, bot->cfg.http_listen, NULL, &bot->log, err)) == NULL)
        return -1;
    if (health_start(bot, err) < 0 ||
        leads_in_start(bot, err) < 0 || webhook_start(bot, &bot->outlets[0], err) < 0 ||
        hubspot_start(bot, &bot->outlets[1], err) < 0)
        return -1;
    return bot->ops->start(bot, err);
}

/* ------------------------------------------------------------- delivery */

static int
http_send(void *ud, const struct http_req *req, http_done_fn done, void *done_ud,
          struct err *err)
{
    return http_request(((struct bot *)ud)->http, req, done, done_ud, err);
}

static void
on_deliver(lws_sorted_usec_list_t *sul)
{
    struct bot_loop *l = lws_container_of(sul, struct bot_loop, sul_deliver);

    l->deliver_armed = false;
    if (!l->bot->quit && !l->bot->releasing)
        deliver_pump(l->bot->deliver);
}

static void
deliver_wake(void *ud, int64_t delay_ms)
{
    struct bot *bot = ud;
    struct bot_loop *l = bot->loop;
    int64_t at;

    if (delay_ms < 0)
        delay_ms = 0;
    at = clock_mono_ms() + delay_ms;
    if (bot->releasing || bot->lws == NULL || (l->deliver_armed && l->deliver_at_ms <= at))
        return;
    l->deliver_armed = true;
    l->deliver_at_ms = at;
    lws_sul_schedule(bot->lws, 0, &l->sul_deliver, on_deliver,
                     (lws_usec_t)delay_ms * 1000 + 1);
}

static void
deliver_refused(void *ud, const char *why)
{
    struct bot *bot = ud;

    if (bot->ops->refused)
        bot->ops->refused(bot, why);
    else
        log_err(&bot->log, bot->ops->name, "%s: the platform refused the bot's credentials "
                "(unsent posts stay queued)", why);
    bot_quit(bot, 1);
}

int
bot_deliver_init(struct bot *bot, const struct deliver_ops *ops, void *plat,
                 const struct deliver_limits *limits,
                 int (*send)(void *ud, const struct http_req *req, http_done_fn done,
                             void *done_ud, struct err *err),
                 struct err *err)
{
    struct deliver_env env = {
        .ud = bot,
        .clock = &bot->clock,
        .send = http_send,
        .wake = deliver_wake,
        .fatal = deliver_refused,
    };

    if (send)
        env.send = send;
    bot->deliver = deliver_new(bot->store, &bot->log, ops, plat, &env, limits, err);
    return bot->deliver ? 0 : -1;
}

/* ------------------------------------------------------------ scheduler */

static void on_sched(lws_sorted_usec_list_t *sul);

static void
arm_sched(struct bot *bot)
{
    int64_t due, wait;

    if (bot->lws == NULL || bot->releasing)
        return;
    if ((due = sched_next_due(bot->sched)) <= 0) {
        lws_sul_cancel(&bot->loop->sul_sched);
        return;
    }
    wait = due - clock_now(&bot->clock);
    /* a job due but not fired (its time passed under a fixed clock) is
     * tried again later, not in a spin */
    if (wait < 1)
        wait = bot->clock.fixed ? BOT_SCHED_MAX_S : 0;
    if (wait > BOT_SCHED_MAX_S)
        wait = BOT_SCHED_MAX_S;
    lws_sul_schedule(bot->lws, 0, &bot->loop->sul_sched, on_sched,
                     (lws_usec_t)wait * 1000000 + 1);
}

static void
on_sched(lws_sorted_usec_list_t *sul)
{
    struct bot *bot = lws_container_of(sul, struct bot_loop, sul_sched)->bot;

    if (sched_run_due(bot->sched, clock_now(&bot->clock)) > 0)
        deliver_kick(bot->deliver);
    arm_sched(bot);
}

/* ----------------------------------------------------------------- loop */

static void
on_tick(lws_sorted_usec_list_t *sul)
{
    struct bot *bot = lws_container_of(sul, struct bot_loop, sul_tick)->bot;

    if (bot->hup && *bot->hup && !*bot->stop) {
        *bot->hup = 0;
        reload_run(bot);
    }
    if (*bot->stop)
        bot->quit = true;
    else
        lws_sul_schedule(bot->lws, 0, &bot->loop->sul_tick, on_tick, BOT_TICK_US);
}

int
bot_run(struct bot *bot)
{
    lws_sul_schedule(bot->lws, 0, &bot->loop->sul_tick, on_tick, BOT_TICK_US);
    if (bot->ops->begin)
        bot->ops->begin(bot);
    arm_sched(bot);
    deliver_kick(bot->deliver);
    for (size_t i = 0; i < sizeof(bot->outlets) / sizeof(bot->outlets[0]); i++)
        outlet_kick(bot->outlets[i]);
    while (!bot->quit && !*bot->stop)
        lws_service(bot->lws, 0);
    bot->quit = true;               /* adapters take no new work now */
    /* what is already committed (acks) still goes out, briefly */
    for (int64_t end = clock_mono_ms() + BOT_FLUSH_MS;
         ((bot->ops->flushing && bot->ops->flushing(bot)) || listen_answering(bot->listen) > 0) &&
         clock_mono_ms() < end;)
        lws_service(bot->lws, 0);
    if (bot->ops->end)
        bot->ops->end(bot);
    return bot->status;
}

void
bot_quit(struct bot *bot, int status)
{
    if (!bot->quit)
        bot->status = status;
    bot->quit = true;
}

void
bot_release(struct bot *bot)
{
    bot->releasing = true;
    deliver_stop(bot->deliver);
    for (size_t i = 0; i < sizeof(bot->outlets) / sizeof(bot->outlets[0]); i++)
        outlet_stop(bot->outlets[i]);
    /* transfers and connections first: their callbacks point into the
     * adapter and the engine, which see releasing and only clean up */
    http_free(bot->http);
    /* the listener goes with the context */
    ws_context_free(bot->lws);
    bot->http = NULL;
    bot->lws = NULL;
    bot->listen = NULL;
    if (bot->ops && bot->ops->release)
        bot->ops->release(bot);
    deliver_free(bot->deliver);
    for (size_t i = 0; i < sizeof(bot->outlets) / sizeof(bot->outlets[0]); i++) {
        outlet_free(bot->outlets[i]);
        bot->outlets[i] = NULL;
    }
    sched_free(bot->sched);
    health_release(bot);
    store_free(bot->store);
    config_release(&bot->cfg);
    free(bot->loop);
    log_close(&bot->log);
    if (bot->lock_fd >= 0)
        close(bot->lock_fd);
    bot->lock_fd = -2;
    bot->deliver = NULL;
    bot->store = NULL;
    bot->sched = NULL;
    bot->loop = NULL;
}

/* ------------------------------------------------------------- changes */

void
bot_changed(struct bot *bot)
{
    if (store_in_transaction(bot->store)) {
        bot->changed = true;
        return;
    }
    bot->changed = false;
    sched_changed(bot->sched);
    deliver_kick(bot->deliver);
    for (size_t i = 0; i < sizeof(bot->outlets) / sizeof(bot->outlets[0]); i++)
        outlet_kick(bot->outlets[i]);
    arm_sched(bot);
}

void
bot_settle(struct bot *bot)
{
    if (bot->changed)
        bot_changed(bot);
}

void
bot_discard(struct bot *bot)
{
    bot->changed = false;
}

char *
bot_user_name(struct bot *bot, const char *key)
{
    return users_name(bot->store, key);
}

void
bot_user_seen(struct bot *bot, const char *id, const char *name)
{
    if (id == NULL || name == NULL || strcmp(id, name) == 0)
        return;
    users_set(bot->store, clock_now(&bot->clock), id, name, NULL, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* outlet.c: an extra delivery engine on the bot's loop. */
#include "outlet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "bot.h"
#include "http.h"
#include "i18n.h"

struct outlet {
    struct bot *bot;
    char name[16];
    struct deliver *d;
    void *plat;
    void (*release)(void *plat);
    void (*stop)(void *plat);
    lws_sorted_usec_list_t sul;
    bool armed, stopped;
    int64_t at_ms;
};

static int
send_http(void *ud, const struct http_req *req, http_done_fn done, void *done_ud,
          struct err *err)
{
    struct outlet *o = ud;

    return http_request(o->bot->http, req, done, done_ud, err);
}

static void
on_wake(lws_sorted_usec_list_t *sul)
{
    struct outlet *o = lws_container_of(sul, struct outlet, sul);

    o->armed = false;
    if (!o->stopped && !o->bot->quit && !o->bot->releasing)
        deliver_pump(o->d);
}

static void
wake(void *ud, int64_t delay_ms)
{
    struct outlet *o = ud;
    int64_t at;

    if (delay_ms < 0)
        delay_ms = 0;
    at = clock_mono_ms() + delay_ms;
    if (o->stopped || o->bot->releasing || o->bot->lws == NULL ||
        (o->armed && o->at_ms <= at))
        return;
    o->armed = true;
    o->at_ms = at;
    lws_sul_schedule(o->bot->lws, 0, &o->sul, on_wake, (lws_usec_t)delay_ms * 1000 + 1);
}

static void
refused(void *ud, const char *why)
{
    struct outlet *o = ud;

    log_err(&o->bot->log, o->name, "%s: the credentials were refused; nothing more goes "
            "there until a restart with good ones (the rows stay queued)", why);
}

struct outlet *
outlet_new(struct bot *bot, const char *name, const struct deliver_ops *ops,
           void *plat, void (*release)(void *plat),
           const struct deliver_limits *limits, struct err *err)
{
    struct outlet *o = calloc(1, sizeof(*o));
    struct deliver_env env = {
        .clock = &bot->clock,
        .send = send_http,
        .wake = wake,
        .fatal = refused,
    };

    if (o == NULL) {
        err_set(err, _("out of memory"));
        return NULL;
    }
    o->bot = bot;
    o->plat = plat;
    o->release = release;
    snprintf(o->name, sizeof(o->name), "%s", name);
    env.ud = o;
    if ((o->d = deliver_new(bot->store, &bot->log, ops, plat, &env, limits, err)) == NULL) {
        free(o);
        return NULL;
    }
    return o;
}

void
outlet_on_stop(struct outlet *o, void (*stop)(void *plat))
{
    o->stop = stop;
}

void
outlet_kick(struct outlet *o)
{
    if (o && !o->stopped)
        deliver_kick(o->d);
}

void
outlet_stop(struct outlet *o)
{
    if (o == NULL)
        return;
    if (o->stop && !o->stopped)
        o->stop(o->plat);
    o->stopped = true;
    deliver_stop(o->d);
    if (o->bot->lws)
        lws_sul_cancel(&o->sul);
}

void
outlet_free(struct outlet *o)
{
    if (o == NULL)
        return;
    deliver_free(o->d);
    if (o->release)
        o->release(o->plat);
    free(o);
}

/* SPDX-License-Identifier: MIT */
/* bot.h: the context that owns every subsystem and is passed explicitly. */
#ifndef SMK_BOT_H
#define SMK_BOT_H

#include <signal.h>
#include <stdbool.h>

#include "clock.h"
#include "config.h"
#include "deliver.h"
#include "log.h"
#include "platform.h"
#include "store.h"

struct sched;
struct bot_loop;
struct lws_context;
struct http;
struct listen;

struct bot {
    struct config cfg;
    struct log log;
    struct clock clock;
    struct store *store;
    const struct platform_ops *ops;
    void *plat;                         /* the adapter's own state */
    struct sched *sched;                /* time-driven posts; may be NULL */
    const char *console_user;           /* --as */
    volatile sig_atomic_t *stop;        /* set by SIGINT/SIGTERM */
    volatile sig_atomic_t *hup;         /* set by SIGHUP: reload; may be NULL */
    bool changed;                       /* committed inside an outer
                                         * transaction: told at its end */
    /* the one event loop, shared by every part of the bot */
    struct lws_context *lws;            /* websockets, listener, timers */
    struct http *http;                  /* libcurl multi on lws */
    struct deliver *deliver;            /* the outbox, through the
                                         * platform's deliver_ops */
    struct listen *listen;              /* [http] listen, or NULL when off:
                                         * every module adds its routes */
    struct bot_loop *loop;              /* bot.c's timers */
    struct outlet *outlets[2];          /* backends' engines (the webhook,
                                         * the CRM), or NULL */
    bool quit, releasing;
    int lock_fd;                        /* the database's run lock */
    int status;                         /* exit status once quit */
};

/* Opens the store and the platform named by cfg (or console when forced).
 * Returns 0 or -1 with err. bot->cfg must be loaded already. */
int bot_init(struct bot *bot, bool force_console, struct err *err);
/* Runs the loop until stopped; returns the exit status. */
int bot_run(struct bot *bot);
void bot_release(struct bot *bot);

/* Called by an adapter's start: the outbox goes out through ops (plat is
 * the adapter's state for them). send starts a request (its ud is bot);
 * NULL = HTTP on bot->http. limits may be NULL. 0 or -1 with err. */
int bot_deliver_init(struct bot *bot, const struct deliver_ops *ops, void *plat,
                     const struct deliver_limits *limits,
                     int (*send)(void *ud, const struct http_req *req,
                                 http_done_fn done, void *done_ud,
                                 struct err *err),
                     struct err *err);
/* Ends the loop with status (the first reason given wins). */
void bot_quit(struct bot *bot, int status);

/* Tells the scheduler and the delivery engine that something was committed (new
 * posts or timers). Inside an outer transaction (an adapter's handle-once)
 * it only notes it: the outer owner calls bot_settle after its commit, or
 * bot_discard after a rollback, so nobody reads rows that may vanish. */
void bot_changed(struct bot *bot);
void bot_settle(struct bot *bot);
void bot_discard(struct bot *bot);

/* The user's display name from the users table, else key itself. The
 * result is owned by the caller. */
char *bot_user_name(struct bot *bot, const char *key);
/* Records that user id has name (from any message or lookup). */
void bot_user_seen(struct bot *bot, const char *id, const char *name);

#endif

/* SPDX-License-Identifier: MIT */
/* link.h: a websocket link that stays up. Connection slots; make-before-
 * break replacement (a connection the server wants gone stays open until
 * its successor is up, and a while longer to drain); reconnects with
 * backoff and jitter that start afresh once a connection was healthy; the
 * half-open watchdog and pings of ws.c. How the URL of a connection is got
 * is the platform's: Slack asks apps.connections.open, Mattermost has a
 * fixed one with its resume point. */
#ifndef SMK_LINK_H
#define SMK_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backoff.h"
#include "err.h"
#include "log.h"
#include "ws.h"

struct lws_context;
struct link;

/* How the link behaves, as data. */
struct link_policy {
    struct backoff backoff;     /* between attempts */
    int64_t healthy_ms;         /* up this long: the next loss starts the
                                 * backoff afresh */
    int64_t drain_ms;           /* a replaced connection stays open this
                                 * long after its successor is up, so what
                                 * the server wrote to it just before is
                                 * still read and answered there */
    struct ws_opts ws;          /* pings, watchdog, sizes, authorization;
                                 * the id is the link's own */
};

/* What the link asks of its owner; ud is the owner's pointer. */
struct link_handlers {
    /* A connection is wanted: answer with link_connect (now or later) or
     * link_retry. */
    void (*want_url)(void *ud, struct link *l);
    void (*on_open)(void *ud, struct ws_conn *c);       /* may be NULL */
    void (*on_text)(void *ud, struct ws_conn *c, const char *text, size_t len);
    /* c is closing; drop pointers to it. May be NULL. */
    void (*on_close)(void *ud, struct ws_conn *c, const char *why);
};

/* A link named name (in logs) on ctx; every pointer borrowed. NULL with
 * err. Nothing connects before link_start. */
struct link *link_new(struct lws_context *ctx, const char *name,
                      const struct link_policy *policy,
                      const struct link_handlers *h, void *ud,
                      const struct log *log, struct err *err);
/* Frees the link once its context is gone (ws_context_free closed every
 * connection; after link_stop no reconnect was armed). NULL is a no-op. */
void link_free(struct link *l);

/* A connection is wanted: one comes unless one is up or on its way. */
void link_start(struct link *l);
/* The answer to want_url: connect to url. */
void link_connect(struct link *l, const char *url);
/* want_url could not get a URL: try again, no sooner than at_least_ms. */
void link_retry(struct link *l, int64_t at_least_ms, const char *why);
/* c is ready (the platform's hello): older connections drain and close. */
void link_up(struct link *l, struct ws_conn *c);
/* The server is about to close c: open the next; c goes once it is up. */
void link_replace(struct link *l, struct ws_conn *c);
/* c is not wanted: close it now, the next no sooner than at_least_ms. */
void link_drop(struct link *l, struct ws_conn *c, int64_t at_least_ms,
               const char *why);
/* For good: closes every connection politely and never reconnects. */
void link_stop(struct link *l);

/* Is c a connection that is up and not being replaced? */
bool link_is_live(const struct link *l, const struct ws_conn *c);
/* Is some connection up (the platform said hello), replaced or not? */
bool link_is_up(const struct link *l);
/* link_is_up, or false with why ("slack link down for 42 s") for a
 * health check. */
bool link_healthy(const struct link *l, char *why, size_t len);
/* Frames queued on every connection, not yet written. */
size_t link_queued(const struct link *l);

#endif

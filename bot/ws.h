/* SPDX-License-Identifier: MIT */
/* ws.h: websocket client connections on the process's one lws_context:
 * reassembled text messages in, whole text frames out, own pings and a
 * half-open watchdog. */
#ifndef SMK_WS_H
#define SMK_WS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "log.h"

struct lws_context;
struct ws_conn;

/* The most header bytes lws keeps for one HTTP request or handshake, on
 * the listener and the client alike. */
#define WS_MAX_HEADER (16 * 1024)

/* What a connection reports. ud is the owner's pointer. After on_close
 * returns, the connection is freed: drop every pointer to it. */
struct ws_handlers {
    void (*on_open)(void *ud, struct ws_conn *c);
    void (*on_text)(void *ud, struct ws_conn *c, const char *text, size_t len);
    void (*on_close)(void *ud, struct ws_conn *c, const char *why);
};

struct ws_opts {
    int id;                     /* names the link in logs */
    int ping_ms;                /* own ping every ping_ms (0 = 5000) */
    int dead_ms;                /* nothing received for this long: the link
                                 * is half-open, drop it (0 = 15000) */
    int connect_ms;             /* handshake deadline (0 = 10000) */
    size_t max_message;         /* bigger messages close the link (0 = 1 MB) */
    const char *authorization;  /* Authorization header of the upgrade
                                 * ("Bearer x"), or NULL; copied */
    const char *connect_to;     /* the URL's host already resolved (a
                                 * numeric address), or NULL: lws would
                                 * resolve it, blocking the loop */
};

/* The context every connection (and http.c's timers) runs on; lws logs go
 * to stderr in our format at the level of log. NULL with err. */
struct lws_context *ws_context_new(const struct log *log, struct err *err);
void ws_context_free(struct lws_context *ctx);

/* Starts connecting to url (ws:// or wss://; wss verifies the server's
 * certificate). Returns the connection, or NULL with err when it could not
 * even start (then no handler is called). */
struct ws_conn *ws_connect(struct lws_context *ctx, const char *url,
                           const struct ws_opts *opts,
                           const struct ws_handlers *h, void *ud,
                           const struct log *log, struct err *err);

/* Queues text as one complete text frame. Returns 0 or -1 (closing, or out
 * of memory). */
int ws_send(struct ws_conn *c, const char *text, size_t len);

/* Closes politely (the frames already queued, then a close frame), or at once when the link is not up or
 * kill is set; on_close follows from the loop. */
void ws_close(struct ws_conn *c, bool kill, const char *why);

/* A small number naming the connection in logs. */
int ws_id(const struct ws_conn *c);
/* Frames queued, not yet written. */
size_t ws_queued(const struct ws_conn *c);

#endif

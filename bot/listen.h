/* SPDX-License-Identifier: MIT */
/* listen.h: the bot's one HTTP listener, a vhost on the process's lws
 * context: whole requests (body capped) in, a table of routes, synchronous
 * handlers, answers with Content-Type and Content-Length. */
#ifndef SMK_LISTEN_H
#define SMK_LISTEN_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "log.h"
#include "strbuf.h"

struct lws_context;
struct listen;

/* One request, borrowed: valid only while the handler runs. Every string
 * is NUL-terminated and "" when absent. */
struct listen_req {
    const char *method;         /* "GET", "POST", ... */
    const char *path;           /* as lws decoded it: "%XX" undone */
    const char *query;          /* without '?'; lws has already decoded
                                 * each a=b pair, so an encoded '&' inside a
                                 * value cannot be told apart: routes that
                                 * need exact values take a form body */
    const char *content_type, *authorization;
    const char *body;           /* NUL-terminated; may hold other NULs */
    size_t body_len;
    const char *peer;           /* client address, e.g. "127.0.0.1" */
};

#define LISTEN_MAX_HEADERS 4

/* The answer a handler fills in. It starts as 200, text/plain, empty. */
struct listen_resp {
    int status;
    char content_type[64];
    struct strbuf body;
    int nheaders;               /* extra headers: use listen_resp_header */
    struct {
        char name[32];
        char value[160];
    } headers[LISTEN_MAX_HEADERS];
};

/* A handler runs inside the loop and must return quickly; it may not call
 * listen_free. */
typedef void (*listen_fn)(void *ud, const struct listen_req *req,
                          struct listen_resp *resp);

struct listen_route {
    const char *method;         /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *path;           /* exact match, e.g. "/mattermost/command" */
    listen_fn fn;
    void *ud;
};

/* Limits; a zero field takes its default. */
struct listen_opts {
    size_t max_body;            /* bigger bodies get 413 (0 = 1 MiB) */
    int header_secs;            /* to send the whole header (0 = 5) */
    int request_secs;           /* from the end of the header to the last
                                 * byte of the answer: the body, the
                                 * handler, writing it out (0 = 10) */
    int keepalive_secs;         /* idle keep-alive connection (0 = 5) */
};

/* Starts listening on addr, "host:port" with an IPv4 host (a dotted quad
 * or "localhost"; no IPv6), checked by config_parse_listen(); port 0
 * picks a free port (see listen_port). The listener is a vhost of ctx,
 * served by its loop. opts may be NULL; log is borrowed and must outlive
 * the listener. Returns NULL with err.
 *
 * What the listener answers itself: 404 for an unknown path, 405 with
 * Allow for a known path and another method, 411 for a POST without
 * Content-Length or with a chunked body, 413 over max_body, 400 for a bad
 * Content-Length, a path, query, Content-Type or Authorization longer than
 * the listener keeps, or anything that is not HTTP, 408 (and a close) for
 * a header not whole within header_secs, 500 when a handler gives a
 * status outside 100-599 or a content type with a line break. A header
 * bigger than WS_MAX_HEADER (ws.h) in all is dropped by lws without an
 * answer, logged as a warning. A refused body up to 4 * max_body is read
 * and dropped so the connection lives on; beyond, or when the client
 * waits for "100 Continue", the answer says "connection: close". */
struct listen *listen_new(struct lws_context *ctx, const char *addr,
                          const struct listen_opts *opts,
                          const struct log *log, struct err *err);
/* Stops listening and drops every connection (a handler is never running
 * then: handlers are synchronous); the memory goes once lws has closed the
 * last of them. ws_context_free() does the same for a listener still
 * there, so call listen_free() before it or not at all. NULL is a no-op. */
void listen_free(struct listen *l);

/* Adds a route; method and path are copied. Returns 0, or -1 with err for
 * a duplicate, a path not starting with '/', or a name too long. */
int listen_add(struct listen *l, const struct listen_route *r, struct err *err);
/* Adds every route of a table ended by a route with a NULL path. */
int listen_add_table(struct listen *l, const struct listen_route *routes,
                     struct err *err);

/* Answers handled but not yet written out (a stop waits for them: what
 * they say is committed). NULL is 0. */
int listen_answering(struct listen *l);
/* The port actually bound. */
int listen_port(const struct listen *l);

/* Adds a response header (name without ':'). Returns 0, or -1 when the
 * table is full or the name or value is too long or holds CR/LF. */
int listen_resp_header(struct listen_resp *resp, const char *name,
                       const char *value);

/* application/x-www-form-urlencoded: finds the nth (0-based) field named
 * key (compared decoded) in body and writes its decoded value ('+' is a
 * space, %XX a byte) into out, which it empties first. A field without
 * '=' has the value "". Returns 0, or -1 when there is no such field or
 * its value is malformed (a bad escape, or %00, which would cut C strings
 * short). */
int listen_form_get(const char *body, const char *key, int nth,
                    struct strbuf *out);
/* How many fields are named key (repeated keys, e.g. user_mentions). */
int listen_form_count(const char *body, const char *key);

/* Compares a presented token with the configured secret in time that does
 * not depend on where they differ. An empty secret matches nothing. */
bool listen_secret_eq(const char *given, const char *secret);

#endif

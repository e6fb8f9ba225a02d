/* SPDX-License-Identifier: MIT */
/* http.h: HTTP requests on a libcurl multi handle, driven from the lws event
 * loop so that no request ever blocks it. */
#ifndef SMK_HTTP_H
#define SMK_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "log.h"
#include "strbuf.h"

struct lws_context;
struct http;

/* One request. Every pointer is borrowed for the call to http_request(),
 * which copies what it keeps. */
struct http_req {
    const char *method;         /* "GET", "POST" (NULL), "PUT": any but GET sends the body */
    const char *url;
    const char *bearer;         /* token for Authorization, or NULL */
    const char *content_type;   /* for POST; NULL = none */
    const char *body;           /* POST body; NULL = empty */
    size_t body_len;
    long timeout_ms;            /* whole transfer; 0 = 20 s */
    const char *const *headers; /* more "Name: value" lines, NULL-ended;
                                 * NULL = none */
};

/* What came back. Valid only during the completion callback. */
struct http_resp {
    long status;                /* HTTP status; 0 when no response */
    const char *error;          /* transport error text when status is 0 */
    const char *body;           /* NUL-terminated, "" when empty */
    size_t len;
    int retry_after;            /* seconds from Retry-After, or -1 */
    const char *headers;        /* the header lines ("Name: value\r\n"), or NULL */
    int64_t elapsed_ms;
    bool cancelled;             /* http_free ran first: clean up only */
};

typedef void (*http_done_fn)(void *ud, const struct http_resp *resp);

/* Creates the multi handle, pumped by timers of ctx. log is borrowed and
 * gets curl's debug output (Authorization redacted) at debug level.
 * Returns NULL with err. */
struct http *http_new(struct lws_context *ctx, const struct log *log,
                      struct err *err);
/* Ends every transfer, calling its callback with cancelled set so owners
 * can free what they passed; NULL is a no-op. */
void http_free(struct http *h);

/* Starts a request; done(ud, resp) is called exactly once from the event
 * loop, never from inside http_request. Returns 0 or -1 with err. */
int http_request(struct http *h, const struct http_req *req,
                 http_done_fn done, void *ud, struct err *err);

/* Transfers in flight. */
int http_active(const struct http *h);

/* The value of the answer's header name (any case) into out, trimmed.
 * Returns 0, or -1 when it has none. */
int http_resp_header(const struct http_resp *resp, const char *name, char *out,
                     size_t len);

/* Parses a Retry-After value: delta seconds, or an HTTP date compared with
 * now (Unix seconds). Returns 0 with *secs >= 0, or -1 when unreadable. */
int http_parse_retry_after(const char *value, int64_t now, int *secs);

/* Appends text (curl debug output: header lines) to out with the value of
 * every Authorization header replaced by "[redacted]". */
void http_redact(const char *text, size_t len, struct strbuf *out);

/* Percent-encodes s for a query string into out. */
void http_urlencode(const char *s, struct strbuf *out);

#endif

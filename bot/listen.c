/* SPDX-License-Identifier: MIT */
/* listen.c: the HTTP listener: a vhost added to the existing lws context,
 * one protocol callback, a per-transaction state that reads the request
 * whole, dispatches it to its route and writes the answer on HTTP_WRITEABLE
 * in chunks; plus form decoding and a constant-time compare for handlers. */
#include "listen.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libwebsockets.h>

#include "args.h"
#include "config.h"

#define MAX_ROUTES 32
#define CHUNK 16384

struct route {
    char method[8];
    char path[128];
    listen_fn fn;
    void *ud;
};

/* Freed by the vhost's finalize callback, once lws has closed the last
 * connection of the vhost: until then callbacks may still reach it. */
struct listen {
    struct lws_vhost *vh;
    bool closing;               /* listen_free ran: refuse new requests */
    lws_dll2_owner_t conns;     /* transactions in flight */
    const struct log *log;
    struct listen_opts opts;
    int port;
    size_t nroutes;
    struct route routes[MAX_ROUTES];
};

/* One HTTP transaction, in lws's per-session memory: set up at
 * HTTP_BIND_PROTOCOL (lws binds once the header is in), released at
 * HTTP_DROP_PROTOCOL or CLOSED_HTTP; keep-alive binds again for the next
 * request on the same connection. */
struct conn {
    struct listen *l;
    struct lws *wsi;
    lws_dll2_t list;                /* in l->conns */
    lws_sorted_usec_list_t sul;     /* the request deadline */
    const struct route *route;
    bool reading, answering, headers_sent, must_close;
    int drain_status;               /* refused: read the body, then answer */
    const char *drain_text;
    size_t sent;
    struct strbuf body;
    struct listen_resp resp;
    char method[8];
    char path[512];
    char query[1024];
    char content_type[128];
    char authorization[512];
    char peer[64];
};

static void
resp_init(struct listen_resp *r)
{
    memset(r, 0, sizeof(*r));
    r->status = 200;
    snprintf(r->content_type, sizeof(r->content_type),
             "text/plain; charset=utf-8");
    strbuf_init(&r->body, 0);
}

int
listen_resp_header(struct listen_resp *resp, const char *name,
                   const char *value)
{
    if (resp->nheaders >= LISTEN_MAX_HEADERS ||
        strlen(name) >= sizeof(resp->headers[0].name) ||
        strlen(value) >= sizeof(resp->headers[0].value) ||
        strpbrk(name, "\r\n: ") != NULL || strpbrk(value, "\r\n") != NULL)
        return -1;
    snprintf(resp->headers[resp->nheaders].name,
             sizeof(resp->headers[0].name), "%s", name);
    snprintf(resp->headers[resp->nheaders].value,
             sizeof(resp->headers[0].value), "%s", value);
    resp->nheaders++;
    return 0;
}

static void
deadline(lws_sorted_usec_list_t *sul)
{
    struct conn *c = lws_container_of(sul, struct conn, sul);

    log_info(c->l->log, "listen", "%s %s from %s: not done within %d s, dropped",
             c->method, c->path, c->peer, c->l->opts.request_secs);
    lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

/* Queues an answer written from HTTP_WRITEABLE. close is set when the
 * request body was not read: the connection cannot carry another
 * request. */
static void
answer(struct conn *c, bool close)
{
    c->answering = true;
    c->reading = false;
    c->must_close = c->must_close || close;
    lws_callback_on_writable(c->wsi);
}

static void
answer_error(struct conn *c, int status, const char *text, bool close)
{
    strbuf_reset(&c->resp.body);
    c->resp.status = status;
    snprintf(c->resp.content_type, sizeof(c->resp.content_type),
             "text/plain; charset=utf-8");
    strbuf_printf(&c->resp.body, "%s\n", text);
    log_info(c->l->log, "listen", "%s %s from %s: %d %s", c->method, c->path,
             c->peer, status, text);
    answer(c, close);
}

static void
dispatch(struct conn *c)
{
    struct listen_req req = {
        .method = c->method,
        .path = c->path,
        .query = c->query,
        .content_type = c->content_type,
        .authorization = c->authorization,
        .body = strbuf_str(&c->body),
        .body_len = c->body.len,
        .peer = c->peer,
    };

    c->route->fn(c->route->ud, &req, &c->resp);
    if (c->resp.status < 100 || c->resp.status > 599 ||
        strpbrk(c->resp.content_type, "\r\n") != NULL) {
        log_err(c->l->log, "listen", "%s %s: the handler answered status %d",
                c->method, c->path, c->resp.status);
        answer_error(c, 500, "internal error", false);
        return;
    }
    if (c->resp.body.truncated) {
        log_err(c->l->log, "listen", "%s %s: the answer outgrew its buffer",
                c->method, c->path);
        answer_error(c, 500, "internal error", false);
        return;
    }
    log_debug(c->l->log, "listen", "%s %s from %s: %d, %zu bytes", c->method,
              c->path, c->peer, c->resp.status, c->resp.body.len);
    answer(c, false);
}

/* Copies header h into buf; -1 when it does not fit (the request is then
 * malformed for us), 0 otherwise ("" when absent). */
static int
copy_header(struct lws *wsi, enum lws_token_indexes h, char *buf, size_t len)
{
    int n = lws_hdr_total_length(wsi, h);

    buf[0] = '\0';
    if (n <= 0)
        return 0;
    if ((size_t)n >= len || lws_hdr_copy(wsi, buf, (int)len, h) < 0)
        return -1;
    return 0;
}

/* The query as lws split it into decoded fragments, joined with '&'. */
static int
copy_query(struct lws *wsi, char *buf, size_t len)
{
    size_t at = 0;
    char frag[1024];

    buf[0] = '\0';
    for (int i = 0; lws_hdr_copy_fragment(wsi, frag, sizeof(frag),
                                          WSI_TOKEN_HTTP_URI_ARGS, i) >= 0; i++) {
        int n = snprintf(buf + at, len - at, "%s%s", i ? "&" : "", frag);

        if (n < 0 || (size_t)n >= len - at)
            return -1;
        at += (size_t)n;
    }
    return 0;
}

static const char *const methods[] = {
    [LWSHUMETH_GET] = "GET", [LWSHUMETH_POST] = "POST",
    [LWSHUMETH_OPTIONS] = "OPTIONS", [LWSHUMETH_PUT] = "PUT",
    [LWSHUMETH_PATCH] = "PATCH", [LWSHUMETH_DELETE] = "DELETE",
    [LWSHUMETH_CONNECT] = "CONNECT", [LWSHUMETH_HEAD] = "HEAD",
};

/* Refuses the request with status. A body still on its way is read and
 * dropped first when it is small enough: closing on unread data makes the
 * kernel reset the connection, and the client may lose the answer. A client
 * that waits for "100 Continue" sent nothing yet, so it is answered now. */
static void
refuse(struct conn *c, int status, const char *text, int64_t pending,
       bool expect)
{
    if (pending == 0) {
        answer_error(c, status, text, false);
    } else if (!expect && (uint64_t)pending <= 4 * c->l->opts.max_body) {
        c->drain_status = status;
        c->drain_text = text;
        c->reading = true;
    } else {
        answer_error(c, status, text, true);
    }
}

/* The headers are in: route the request, then wait for its body or
 * answer at once. */
static void
on_request(struct conn *c)
{
    struct listen *l = c->l;
    char *uri = NULL, clen[32], te[64], expect[32], allow[128] = "";
    int ulen = 0, m;
    bool known = false;
    int64_t n = 0;

    m = lws_http_get_uri_and_method(c->wsi, &uri, &ulen);
    if (m >= 0 && m < (int)(sizeof(methods) / sizeof(methods[0])) && methods[m])
        snprintf(c->method, sizeof(c->method), "%s", methods[m]);
    if (c->method[0] == '\0' || uri == NULL || ulen <= 0 ||
        (size_t)ulen >= sizeof(c->path)) {
        answer_error(c, 400, "bad request", true);
        return;
    }
    memcpy(c->path, uri, (size_t)ulen);
    c->path[ulen] = '\0';
    if (copy_query(c->wsi, c->query, sizeof(c->query)) < 0 ||
        copy_header(c->wsi, WSI_TOKEN_HTTP_CONTENT_TYPE, c->content_type,
                    sizeof(c->content_type)) < 0 ||
        copy_header(c->wsi, WSI_TOKEN_HTTP_AUTHORIZATION, c->authorization,
                    sizeof(c->authorization)) < 0 ||
        copy_header(c->wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH, clen,
                    sizeof(clen)) < 0 ||
        copy_header(c->wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING, te,
                    sizeof(te)) < 0 ||
        copy_header(c->wsi, WSI_TOKEN_HTTP_EXPECT, expect, sizeof(expect)) < 0) {
        answer_error(c, 400, "bad request (a header is too long)", true);
        return;
    }
    /* a body must say its length up front: chunked uploads are refused
     * rather than read without a known end */
    if (te[0] != '\0') {
        answer_error(c, 411, "length required (no chunked bodies)", true);
        return;
    }
    if (clen[0] != '\0' && args_number(clen, 0, INT64_MAX, &n) < 0) {
        answer_error(c, 400, "bad Content-Length", true);
        return;
    }
    for (size_t i = 0; i < l->nroutes; i++) {
        if (strcmp(l->routes[i].path, c->path) != 0)
            continue;
        known = true;
        if (strcmp(l->routes[i].method, c->method) == 0)
            c->route = &l->routes[i];
        snprintf(allow + strlen(allow), sizeof(allow) - strlen(allow), "%s%s",
                 allow[0] ? ", " : "", l->routes[i].method);
    }
    if (!known) {
        refuse(c, 404, "not found", n, expect[0] != '\0');
    } else if (c->route == NULL) {
        listen_resp_header(&c->resp, "Allow", allow);
        refuse(c, 405, "method not allowed", n, expect[0] != '\0');
    } else if (clen[0] == '\0' && strcmp(c->method, "POST") == 0) {
        /* lws 4.1 does not take a POST without a length for an empty
         * one: the connection cannot be trusted with another request */
        answer_error(c, 411, "length required", true);
    } else if ((uint64_t)n > l->opts.max_body) {
        refuse(c, 413, "request body too large", n, expect[0] != '\0');
    } else if (n == 0) {
        dispatch(c);
    } else {
        c->reading = true;
    }
}

static int
on_writeable(struct conn *c)
{
    unsigned char buf[LWS_PRE + CHUNK];
    unsigned char *start = buf + LWS_PRE, *p = start, *end = buf + sizeof(buf);
    const struct listen_resp *r = &c->resp;
    size_t left;
    int n;

    if (!c->answering)
        return 0;
    if (!c->headers_sent) {
        if (lws_add_http_common_headers(c->wsi, (unsigned)r->status,
                                        r->content_type, r->body.len, &p, end))
            return -1;
        for (int i = 0; i < r->nheaders; i++) {
            char name[40];

            snprintf(name, sizeof(name), "%s:", r->headers[i].name);
            if (lws_add_http_header_by_name(c->wsi, (unsigned char *)name,
                                            (unsigned char *)r->headers[i].value,
                                            (int)strlen(r->headers[i].value),
                                            &p, end))
                return -1;
        }
        if (c->must_close &&
            lws_add_http_header_by_name(c->wsi, (unsigned char *)"connection:",
                                        (unsigned char *)"close", 5, &p, end))
            return -1;
        if (lws_finalize_write_http_header(c->wsi, start, &p, end))
            return -1;
        c->headers_sent = true;
        if (r->body.len > 0) {
            lws_callback_on_writable(c->wsi);
            return 0;
        }
    } else {
        left = r->body.len - c->sent;
        n = (int)(left > CHUNK ? CHUNK : left);
        memcpy(start, r->body.buf + c->sent, (size_t)n);
        if (lws_write(c->wsi, start, (size_t)n,
                      (size_t)n == left ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) < n)
            return -1;
        c->sent += (size_t)n;
        if (c->sent < r->body.len) {
            lws_callback_on_writable(c->wsi);
            return 0;
        }
    }
    c->answering = false;
    /* the unread body of a refused request would be taken for the next
     * request: such connections end here, once lws has flushed the answer */
    if (c->must_close)
        return -1;
    return lws_http_transaction_completed(c->wsi) ? -1 : 0;
}

static void
conn_release(struct conn *c)
{
    lws_dll2_remove(&c->list);
    lws_sul_cancel(&c->sul);
    strbuf_release(&c->body);
    strbuf_release(&c->resp.body);
    c->l = NULL;
}

/* lws drops a connection whose header is not whole within header_secs
 * before any protocol is bound, with no answer. The socket is still open
 * in that close: it gets a last 408, so a client or proxy learns what
 * went wrong instead of seeing the connection vanish. (A header bigger
 * than lws's header space is dropped too, but lws has shut the socket
 * for writing by then: nothing can be said.) */
static void
answer_slow_header(struct lws *wsi, const struct listen *l)
{
    static const char answer408[] =
        "HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
        "content-length: 16\r\nconnection: close\r\n\r\nrequest timeout\n";
    lws_sockfd_type fd = lws_get_socket_fd(wsi);
    char peer[64] = "";

    /* only a header still being read has its request line */
    if (fd < 0 || (lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) <= 0 &&
                   lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) <= 0))
        return;
    lws_get_peer_simple(wsi, peer, sizeof(peer));
    log_info(l->log, "listen", "header from %s not whole within %d s: 408", peer,
             l->opts.header_secs);
    /* best effort on a closing socket: never block, never SIGPIPE */
    if (send(fd, answer408, sizeof(answer408) - 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
        log_debug(l->log, "listen", "the 408 to %s was not sent", peer);
}

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
         void *in, size_t len)
{
    struct conn *c = user;
    struct lws_vhost *vh = lws_get_vhost(wsi);
    struct listen *l = vh ? lws_vhost_user(vh) : NULL;

    switch (reason) {
    case LWS_CALLBACK_HTTP_BIND_PROTOCOL:
        if (c == NULL || l == NULL || l->closing)
            return -1;
        memset(c, 0, sizeof(*c));
        c->l = l;
        c->wsi = wsi;
        lws_dll2_add_tail(&c->list, &l->conns);
        strbuf_init(&c->body, l->opts.max_body);
        resp_init(&c->resp);
        lws_get_peer_simple(wsi, c->peer, sizeof(c->peer));
        return 0;
    case LWS_CALLBACK_HTTP:
        if (c == NULL || c->l == NULL)
            return -1;
        /* lws bounds the header (header_secs); this bounds the rest */
        lws_sul_schedule(lws_get_context(wsi), 0, &c->sul, deadline,
                         (lws_usec_t)c->l->opts.request_secs * LWS_US_PER_SEC);
        on_request(c);
        return 0;
    case LWS_CALLBACK_HTTP_BODY:
        if (c == NULL || c->l == NULL || !c->reading || c->drain_status)
            return 0;
        /* Content-Length was checked against the cap: only memory can
         * run out here */
        if (strbuf_add(&c->body, in, len) < 0)
            answer_error(c, 500, "out of memory", true);
        return 0;
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        if (c == NULL || c->l == NULL || !c->reading)
            return 0;
        c->reading = false;
        if (c->drain_status)
            answer_error(c, c->drain_status, c->drain_text, false);
        else
            dispatch(c);
        return 0;
    case LWS_CALLBACK_HTTP_WRITEABLE:
        if (c == NULL || c->l == NULL)
            return 0;
        return on_writeable(c);
    case LWS_CALLBACK_CLOSED_HTTP:
        if (c == NULL && l != NULL && !l->closing)
            answer_slow_header(wsi, l);
        /* fall through */
    case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
        if (c && c->l)
            conn_release(c);
        return 0;
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
        return -1;      /* no websocket or h2c upgrades here */
    default:
        break;
    }
    return lws_callback_http_dummy(wsi, reason, user, in, len);
}

/* What is not HTTP at all (lws's parser gives up on the first line) falls
 * back to this raw protocol, which answers 400 and closes, instead of
 * lws's own HTML 403. */
static int
callback_bad(struct lws *wsi, enum lws_callback_reasons reason, void *user,
             void *in, size_t len)
{
    static const char answer400[] =
        "HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain; charset=utf-8\r\n"
        "content-length: 12\r\nconnection: close\r\n\r\nbad request\n";
    unsigned char buf[LWS_PRE + sizeof(answer400)];
    struct lws_vhost *vh = lws_get_vhost(wsi);
    struct listen *l = vh ? lws_vhost_user(vh) : NULL;
    char peer[64] = "";

    (void)user;
    (void)in;
    (void)len;
    switch (reason) {
    case LWS_CALLBACK_RAW_RX:
        if (l) {
            lws_get_peer_simple(wsi, peer, sizeof(peer));
            log_info(l->log, "listen", "not HTTP from %s: 400", peer);
        }
        lws_callback_on_writable(wsi);
        /* whatever else it sends is ignored; it gets its answer and goes */
        lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, 2);
        return 0;
    case LWS_CALLBACK_RAW_WRITEABLE:
        memcpy(buf + LWS_PRE, answer400, sizeof(answer400) - 1);
        lws_write(wsi, buf + LWS_PRE, sizeof(answer400) - 1, LWS_WRITE_RAW);
        return -1;
    default:
        return 0;
    }
}

static const struct lws_protocols protocols[] = {
    { "smk-http", callback, sizeof(struct conn), 0, 0, NULL, 0 },
    { "smk-not-http", callback_bad, 0, 0, 0, NULL, 0 },
    { NULL, NULL, 0, 0, 0, NULL, 0 },
};

static void
finalize(struct lws_vhost *vh, void *arg)
{
    struct listen *l = arg;

    (void)vh;
    /* a vhost that failed to start is finalized inside lws_create_vhost,
     * before l->vh is set: listen_new frees l then */
    if (l->vh != NULL)
        free(l);
}

struct listen *
listen_new(struct lws_context *ctx, const char *addr,
           const struct listen_opts *opts, const struct log *log,
           struct err *err)
{
    struct lws_context_creation_info info;
    struct listen *l;
    char host[64];
    int port;

    if (config_parse_listen(addr, host, sizeof(host), &port, err) < 0)
        return NULL;
    if ((l = calloc(1, sizeof(*l))) == NULL) {
        err_set(err, "out of memory");
        return NULL;
    }
    l->log = log;
    l->opts.max_body = opts && opts->max_body ? opts->max_body : 1024 * 1024;
    l->opts.header_secs = opts && opts->header_secs > 0 ? opts->header_secs : 5;
    l->opts.request_secs = opts && opts->request_secs > 0 ? opts->request_secs : 10;
    l->opts.keepalive_secs = opts && opts->keepalive_secs > 0 ? opts->keepalive_secs : 5;

    memset(&info, 0, sizeof(info));
    info.vhost_name = "smk-listen";
    info.iface = host;
    info.port = port;
    info.protocols = protocols;
    info.user = l;
    info.timeout_secs = (unsigned)l->opts.header_secs;
    info.timeout_secs_ah_idle = (unsigned)l->opts.header_secs;
    info.keepalive_timeout = l->opts.keepalive_secs;
    /* plain HTTP/1.1 on loopback: no TLS, no h2 */
    info.options = LWS_SERVER_OPTION_DISABLE_IPV6 |
                   LWS_SERVER_OPTION_FALLBACK_TO_APPLY_LISTEN_ACCEPT_CONFIG;
    info.listen_accept_role = "raw-skt";
    info.listen_accept_protocol = "smk-not-http";
    info.finalize = finalize;
    info.finalize_arg = l;
    if ((l->vh = lws_create_vhost(ctx, &info)) == NULL) {
        err_set(err, "cannot listen on %s (in use, or not an address of this host)",
                addr);
        free(l);
        return NULL;
    }
    l->port = lws_get_vhost_listen_port(l->vh);
    log_info(log, "listen", "HTTP on %s:%d", host, l->port);
    return l;
}

static int
kill_conn(struct lws_dll2 *d, void *user)
{
    struct conn *c = lws_container_of(d, struct conn, list);

    (void)user;
    lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
    return 0;
}

void
listen_free(struct listen *l)
{
    if (l == NULL)
        return;
    l->closing = true;
    lws_dll2_foreach_safe(&l->conns, NULL, kill_conn);
    /* may free l at once (finalize) when no connection is left */
    lws_vhost_destroy(l->vh);
}

int
listen_add(struct listen *l, const struct listen_route *r, struct err *err)
{
    struct route *to;

    if (r->path == NULL || r->path[0] != '/' || r->method == NULL || r->fn == NULL ||
        strlen(r->path) >= sizeof(to->path) || strlen(r->method) >= sizeof(to->method)) {
        err_set(err, "bad route '%s %s'", r->method ? r->method : "?",
                r->path ? r->path : "?");
        return -1;
    }
    for (size_t i = 0; i < l->nroutes; i++)
        if (strcmp(l->routes[i].path, r->path) == 0 &&
            strcmp(l->routes[i].method, r->method) == 0) {
            err_set(err, "route '%s %s' added twice", r->method, r->path);
            return -1;
        }
    if (l->nroutes == MAX_ROUTES) {
        err_set(err, "too many routes");
        return -1;
    }
    to = &l->routes[l->nroutes++];
    snprintf(to->method, sizeof(to->method), "%s", r->method);
    snprintf(to->path, sizeof(to->path), "%s", r->path);
    to->fn = r->fn;
    to->ud = r->ud;
    return 0;
}

int
listen_add_table(struct listen *l, const struct listen_route *routes,
                 struct err *err)
{
    for (; routes->path != NULL; routes++)
        if (listen_add(l, routes, err) < 0)
            return -1;
    return 0;
}

static int
count_answering(struct lws_dll2 *d, void *user)
{
    struct conn *c = lws_container_of(d, struct conn, list);

    if (c->answering)
        (*(int *)user)++;
    return 0;
}

int
listen_answering(struct listen *l)
{
    int n = 0;

    if (l)
        lws_dll2_foreach_safe(&l->conns, &n, count_answering);
    return n;
}

int
listen_port(const struct listen *l)
{
    return l ? l->port : 0;
}

static int
hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    ch = tolower(ch);
    return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* Decodes s[0..len) into out; -1 on a bad escape or %00. */
static int
form_decode(const char *s, size_t len, struct strbuf *out)
{
    strbuf_reset(out);
    for (size_t i = 0; i < len; i++) {
        int ch = (unsigned char)s[i];

        if (ch == '+') {
            ch = ' ';
        } else if (ch == '%') {
            int hi, lo;

            if (len - i < 3)
                return -1;
            hi = hexval((unsigned char)s[i + 1]);
            lo = hexval((unsigned char)s[i + 2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return -1;
            ch = hi * 16 + lo;
            i += 2;
        }
        if (strbuf_putc(out, (char)ch) < 0)
            return -1;
    }
    return 0;
}

/* Walks the fields of body; for the nth one named key (nth < 0: none,
 * count them all) decodes the value into out. Returns the count seen, or
 * -1 when the wanted field was found but malformed. */
static int
form_walk(const char *body, const char *key, int nth, struct strbuf *out)
{
    struct strbuf name;
    const char *p = body;
    int seen = 0, rc = 0;

    strbuf_init(&name, 0);
    while (*p) {
        size_t flen = strcspn(p, "&");
        const char *eq = memchr(p, '=', flen);
        size_t klen = eq ? (size_t)(eq - p) : flen;

        if (flen > 0 && form_decode(p, klen, &name) == 0 &&
            strcmp(strbuf_str(&name), key) == 0) {
            if (seen == nth) {
                const char *v = eq ? eq + 1 : p + flen;

                rc = form_decode(v, (size_t)(p + flen - v), out) < 0 ? -1 : 1;
                break;
            }
            seen++;
        }
        p += flen;
        if (*p == '&')
            p++;
    }
    strbuf_release(&name);
    if (nth >= 0)
        return rc == 1 ? 0 : -1;
    return seen;
}

int
listen_form_get(const char *body, const char *key, int nth, struct strbuf *out)
{
    strbuf_reset(out);
    if (body == NULL || key == NULL || nth < 0)
        return -1;
    return form_walk(body, key, nth, out);
}

int
listen_form_count(const char *body, const char *key)
{
    if (body == NULL || key == NULL)
        return 0;
    return form_walk(body, key, -1, NULL);
}

bool
listen_secret_eq(const char *given, const char *secret)
{
    size_t n = strlen(secret);

    if (given == NULL || n == 0)
        return false;
    /* the length of the secret may show in the timing, its bytes do not */
    if (strlen(given) != n)
        return false;
    return lws_timingsafe_bcmp(given, secret, (uint32_t)n) == 0;
}

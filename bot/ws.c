/* SPDX-License-Identifier: MIT */
/* ws.c: the lws websocket client: one protocol, one callback, a receive
 * buffer per connection that reassembles fragments, an out-queue written on
 * CLIENT_WRITEABLE (each message one complete frame), own pings and a
 * watchdog that drops a silent (half-open) link. */
#include "ws.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "clock.h"
#include "strbuf.h"

struct frame {
    struct frame *next;
    size_t len;
    unsigned char buf[];        /* LWS_PRE bytes, then the payload */
};

struct ws_conn {
    struct lws *wsi;
    int id;
    struct ws_opts opts;
    const struct ws_handlers *h;
    void *ud;
    const struct log *log;
    struct strbuf rx;           /* the message being reassembled */
    bool rx_binary, rx_overflow;
    struct frame *out, **out_tail;
    size_t nout;
    bool established, closing, want_ping;
    bool in_connect, failed;    /* failure reported inside ws_connect */
    int64_t started_ms, last_rx_ms;
    char why[160];
    char *auth;                 /* Authorization header value, or NULL */
    lws_sorted_usec_list_t sul;
};

/* lws logs through here, into the log of the context's owner (its file
 * and format) while a context is up; lws's mask does the filtering. */
static const struct log lws_stderr = { .level = LOG_DEBUG };
static const struct log *lws_sink = &lws_stderr;

static void
lws_emit(int level, const char *line)
{
    size_t n = strlen(line);

    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        n--;
    /* any client of the listener can cause this one: not the operator's
     * error to be paged for */
    if (level == LLL_ERR && strstr(line, "Ran out of header data space"))
        level = LLL_WARN;
    log_write(lws_sink, level == LLL_ERR ? LOG_ERR :
              level == LLL_WARN ? LOG_WARN : LOG_DEBUG, "lws", "%.*s",
              (int)n, line);
}

static void
finish(struct ws_conn *c, const char *why)
{
    struct frame *f;

    lws_sul_cancel(&c->sul);
    if (c->wsi)
        lws_set_opaque_user_data(c->wsi, NULL);
    c->wsi = NULL;
    if (c->why[0] == '\0')
        snprintf(c->why, sizeof(c->why), "%s", why);
    if (c->in_connect) {
        c->failed = true;
        return;
    }
    c->h->on_close(c->ud, c, c->why);
    while ((f = c->out) != NULL) {
        c->out = f->next;
        free(f);
    }
    strbuf_release(&c->rx);
    free(c->auth);
    free(c);
}

static void
watchdog(lws_sorted_usec_list_t *sul)
{
    struct ws_conn *c = lws_container_of(sul, struct ws_conn, sul);
    int64_t now = clock_mono_ms();

    if (c->wsi == NULL)
        return;
    if (!c->established) {
        if (now - c->started_ms >= c->opts.connect_ms) {
            ws_close(c, true, "handshake timed out");
            return;
        }
    } else if (now - c->last_rx_ms >= c->opts.dead_ms) {
        char why[80];

        snprintf(why, sizeof(why), "nothing received for %lld ms (half-open)",
                 (long long)(now - c->last_rx_ms));
        ws_close(c, true, why);
        return;
    } else {
        c->want_ping = true;
        lws_callback_on_writable(c->wsi);
    }
    lws_sul_schedule(lws_get_context(c->wsi), 0, &c->sul, watchdog,
                     (lws_usec_t)(c->established ? c->opts.ping_ms : 500) * 1000);
}

static int
on_writeable(struct ws_conn *c)
{
    struct frame *f;

    /* frames queued before the close (acks of committed work) go first */
    if (c->closing && c->out == NULL) {
        lws_close_reason(c->wsi, LWS_CLOSE_STATUS_NORMAL,
                         (unsigned char *)"bye", 3);
        return -1;
    }
    if (c->want_ping && !c->closing) {
        unsigned char ping[LWS_PRE + 32];
        int n = snprintf((char *)ping + LWS_PRE, 32, "smk %lld",
                         (long long)clock_mono_ms());

        c->want_ping = false;
        if (lws_write(c->wsi, ping + LWS_PRE, (size_t)n, LWS_WRITE_PING) < n)
            return -1;
        if (c->out)
            lws_callback_on_writable(c->wsi);
        return 0;
    }
    if ((f = c->out) == NULL)
        return 0;
    /* one complete, unfragmented text frame per message: Slack drops
     * fragmented acks */
    if (lws_write(c->wsi, f->buf + LWS_PRE, f->len, LWS_WRITE_TEXT) < (int)f->len) {
        snprintf(c->why, sizeof(c->why), "write failed");
        return -1;
    }
    c->out = f->next;
    if (c->out == NULL)
        c->out_tail = &c->out;
    c->nout--;
    free(f);
    if (c->out || c->closing)
        lws_callback_on_writable(c->wsi);
    return 0;
}

static int
on_receive(struct ws_conn *c, const char *in, size_t len)
{
    c->last_rx_ms = clock_mono_ms();
    if (lws_is_first_fragment(c->wsi) && c->rx.len == 0) {
        c->rx_binary = lws_frame_is_binary(c->wsi);
        c->rx_overflow = false;
    }
    if (!c->rx_binary && !c->rx_overflow && strbuf_add(&c->rx, in, len) < 0)
        c->rx_overflow = true;
    if (!lws_is_final_fragment(c->wsi) || lws_remaining_packet_payload(c->wsi) > 0)
        return 0;
    if (c->rx_overflow) {
        log_warn(c->log, "ws", "#%d: message over %zu bytes dropped", c->id,
                 c->opts.max_message);
    } else if (!c->rx_binary) {
        c->h->on_text(c->ud, c, strbuf_str(&c->rx), c->rx.len);
    }
    strbuf_reset(&c->rx);
    c->rx_binary = c->rx_overflow = false;
    return 0;
}

/* Mattermost takes its token on the upgrade (so that missed events can be
 * replayed); lws asks for extra handshake headers here. */
static int
append_auth(struct ws_conn *c, struct lws *wsi, void *in, size_t len)
{
    unsigned char **p = in, *end = *p + len;

    if (c->auth == NULL)
        return 0;
    if (lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_AUTHORIZATION,
                                     (const unsigned char *)c->auth,
                                     (int)strlen(c->auth), p, end))
        return -1;
    return 0;
}

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
         void *in, size_t len)
{
    struct ws_conn *c = wsi ? lws_get_opaque_user_data(wsi) : NULL;

    (void)user;
    if (c == NULL || c->failed)
        return 0;
    if (c->wsi == NULL)
        c->wsi = wsi;       /* callbacks during lws_client_connect_via_info */
    switch (reason) {
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        c->established = true;
        c->last_rx_ms = clock_mono_ms();
        lws_sul_schedule(lws_get_context(wsi), 0, &c->sul, watchdog,
                         (lws_usec_t)c->opts.ping_ms * 1000);
        c->h->on_open(c->ud, c);
        if (c->out)
            lws_callback_on_writable(wsi);
        break;
    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
        return append_auth(c, wsi, in, len);
    case LWS_CALLBACK_CLIENT_RECEIVE:
        return on_receive(c, in, len);
    case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
        c->last_rx_ms = clock_mono_ms();
        break;
    case LWS_CALLBACK_CLIENT_WRITEABLE:
        return on_writeable(c);
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        if (len >= 2) {
            const unsigned char *p = in;

            snprintf(c->why, sizeof(c->why), "closed by the server (%d%s%.*s)",
                     (p[0] << 8) | p[1], len > 2 ? " " : "",
                     (int)(len > 2 ? (len - 2 > 100 ? 100 : len - 2) : 0),
                     (const char *)p + 2);
        } else {
            snprintf(c->why, sizeof(c->why), "closed by the server");
        }
        break;
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        finish(c, in ? (const char *)in : "connection failed");
        break;
    case LWS_CALLBACK_CLIENT_CLOSED:
        finish(c, "connection lost");
        break;
    case LWS_CALLBACK_WSI_DESTROY:
        finish(c, "connection gone");
        break;
    default:
        break;
    }
    return 0;
}

static const struct lws_protocols protocols[] = {
    { "smk-ws", callback, 0, 64 * 1024, 0, NULL, 0 },
    { NULL, NULL, 0, 0, 0, NULL, 0 },
};

struct lws_context *
ws_context_new(const struct log *log, struct err *err)
{
    struct lws_context_creation_info info;
    struct lws_context *ctx;
    static const char ca[] = "/etc/ssl/certs/ca-certificates.crt";
    int mask = LLL_ERR;

    if (log && log->level >= LOG_WARN)
        mask |= LLL_WARN;
    if (log && log->level >= LOG_DEBUG)
        mask |= LLL_NOTICE;
    lws_set_log_level(mask, lws_emit);
    lws_sink = log ? log : &lws_stderr;
    memset(&info, 0, sizeof(info));
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    info.fd_limit_per_thread = 256;
    /* the HTTP listener's header limit (lws's default is 4 KiB, less than
     * some proxies' forwarding headers and cookies); a bigger header is
     * dropped by lws without an answer */
    info.max_http_header_data = WS_MAX_HEADER;
    /* the system's trust store; certificates are always verified */
    if (access(ca, R_OK) == 0)
        info.client_ssl_ca_filepath = ca;
    ctx = lws_create_context(&info);
    if (ctx == NULL)
        err_set(err, "cannot create the websocket context");
    return ctx;
}

void
ws_context_free(struct lws_context *ctx)
{
    if (ctx)
        lws_context_destroy(ctx);
    lws_sink = &lws_stderr;
}

struct ws_conn *
ws_connect(struct lws_context *ctx, const char *url, const struct ws_opts *opts,
           const struct ws_handlers *h, void *ud, const struct log *log,
           struct err *err)
{
    struct lws_client_connect_info i;
    struct ws_conn *c = NULL;
    const char *prot, *addr, *path;
    char *copy = strdup(url), pathbuf[2048];
    int port;
    bool tls;

    if (copy == NULL || lws_parse_uri(copy, &prot, &addr, &port, &path) != 0) {
        err_set(err, "bad websocket URL");
        goto out;
    }
    if (strcmp(prot, "wss") == 0) {
        tls = true;
    } else if (strcmp(prot, "ws") == 0) {
        tls = false;
    } else {
        err_set(err, "websocket URL must be ws:// or wss://, not %s://", prot);
        goto out;
    }
    snprintf(pathbuf, sizeof(pathbuf), "/%s", path);
    if ((c = calloc(1, sizeof(*c))) == NULL) {
        err_set(err, "out of memory");
        goto out;
    }
    c->id = opts ? opts->id : 0;
    c->opts.ping_ms = opts && opts->ping_ms > 0 ? opts->ping_ms : 5000;
    c->opts.dead_ms = opts && opts->dead_ms > 0 ? opts->dead_ms : 15000;
    c->opts.connect_ms = opts && opts->connect_ms > 0 ? opts->connect_ms : 10000;
    c->opts.max_message = opts && opts->max_message ? opts->max_message : 1024 * 1024;
    c->auth = opts && opts->authorization ? strdup(opts->authorization) : NULL;
    c->h = h;
    c->ud = ud;
    c->log = log;
    c->out_tail = &c->out;
    c->started_ms = clock_mono_ms();
    strbuf_init(&c->rx, c->opts.max_message);

    memset(&i, 0, sizeof(i));
    i.context = ctx;
    /* the name stays in Host and TLS (SNI, the certificate check) */
    i.address = opts && opts->connect_to ? opts->connect_to : addr;
    i.port = port;
    i.path = pathbuf;
    i.host = addr;
    i.origin = addr;
    i.ssl_connection = tls ? LCCSCF_USE_SSL : 0;
    i.local_protocol_name = "smk-ws";
    i.opaque_user_data = c;
    /* no pwsi: lws would write into c after we freed it */
    c->in_connect = true;
    c->wsi = lws_client_connect_via_info(&i);
    c->in_connect = false;
    if (c->wsi == NULL || c->failed) {
        err_set(err, "%s", c->why[0] ? c->why : "cannot start the connection");
        if (c->wsi)
            lws_set_opaque_user_data(c->wsi, NULL);
        strbuf_release(&c->rx);
        free(c->auth);
        free(c);
        c = NULL;
        goto out;
    }
    lws_sul_schedule(ctx, 0, &c->sul, watchdog, 500 * 1000);
out:
    free(copy);
    return c;
}

int
ws_send(struct ws_conn *c, const char *text, size_t len)
{
    struct frame *f;

    if (c == NULL || c->wsi == NULL || c->closing)
        return -1;
    if ((f = malloc(sizeof(*f) + LWS_PRE + len)) == NULL)
        return -1;
    f->next = NULL;
    f->len = len;
    memcpy(f->buf + LWS_PRE, text, len);
    *c->out_tail = f;
    c->out_tail = &f->next;
    c->nout++;
    if (c->established)
        lws_callback_on_writable(c->wsi);
    return 0;
}

void
ws_close(struct ws_conn *c, bool kill, const char *why)
{
    if (c == NULL || c->wsi == NULL)
        return;
    if (why && c->why[0] == '\0')
        snprintf(c->why, sizeof(c->why), "%s", why);
    if (kill || !c->established) {
        c->closing = true;
        lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
        return;
    }
    if (!c->closing) {
        c->closing = true;
        lws_callback_on_writable(c->wsi);
        /* a peer that never answers the close frame is dropped anyway */
        lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, 3);
    }
}

int
ws_id(const struct ws_conn *c)
{
    return c ? c->id : 0;
}

size_t
ws_queued(const struct ws_conn *c)
{
    return c ? c->nout : 0;
}

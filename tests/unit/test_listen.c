/* SPDX-License-Identifier: MIT */
/* test_listen.c: the HTTP listener on a real lws context on 127.0.0.1,
 * driven by lib/http.c (libcurl on the same loop) and by raw sockets for
 * what curl would not send: 200 with a body, two requests in a row, 404,
 * 405 with Allow, 411, 413, malformed requests, a slowloris that must not
 * hold up another client and is dropped; then form decoding, the
 * constant-time compare and address parsing as tables. */
#include "unit.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "clock.h"
#include "http.h"
#include "listen.h"
#include "ws.h"

struct fixture {
    struct lws_context *ctx;
    struct listen *l;
    struct http *http;
    struct log log;
    lws_sorted_usec_list_t tick;
    char url[64];
    int calls;                  /* handler invocations */
    char last_ctype[128], last_auth[128], last_query[256], last_peer[64];
};

/* lws_service sleeps until the next timer: a tick makes it come back often
 * enough for the raw sockets the test polls itself. */
static void
tick(lws_sorted_usec_list_t *sul)
{
    struct fixture *fx = lws_container_of(sul, struct fixture, tick);

    lws_sul_schedule(fx->ctx, 0, &fx->tick, tick, 5 * 1000);
}

static void
on_echo(void *ud, const struct listen_req *req, struct listen_resp *resp)
{
    struct fixture *fx = ud;

    fx->calls++;
    snprintf(fx->last_ctype, sizeof(fx->last_ctype), "%s", req->content_type);
    snprintf(fx->last_auth, sizeof(fx->last_auth), "%s", req->authorization);
    snprintf(fx->last_peer, sizeof(fx->last_peer), "%s", req->peer);
    snprintf(resp->content_type, sizeof(resp->content_type), "application/json");
    strbuf_printf(&resp->body, "{\"len\":%zu,\"body\":\"%s\"}", req->body_len,
                  req->body);
}

static void
on_hello(void *ud, const struct listen_req *req, struct listen_resp *resp)
{
    struct fixture *fx = ud;

    fx->calls++;
    snprintf(fx->last_query, sizeof(fx->last_query), "%s", req->query);
    listen_resp_header(resp, "X-Smk", "yes");
    strbuf_puts(&resp->body, "hello");
}

static void
on_teapot(void *ud, const struct listen_req *req, struct listen_resp *resp)
{
    (void)ud;
    (void)req;
    resp->status = 418;
}

static void
on_broken(void *ud, const struct listen_req *req, struct listen_resp *resp)
{
    (void)ud;
    (void)req;
    resp->status = 42;
    strbuf_puts(&resp->body, "never sent");
}

static void
on_big(void *ud, const struct listen_req *req, struct listen_resp *resp)
{
    (void)ud;
    (void)req;
    /* several write chunks */
    for (int i = 0; i < 20000; i++)
        strbuf_puts(&resp->body, "0123456789");
}

static int
setup(void **state)
{
    static const struct listen_opts opts = {
        .max_body = 64 * 1024, .header_secs = 2, .request_secs = 3,
    };
    struct fixture *fx = calloc(1, sizeof(*fx));
    struct err err = { 0 };
    const struct listen_route routes[] = {
        { "POST", "/echo", on_echo, fx },
        { "GET", "/hello", on_hello, fx },
        { "GET", "/both", on_hello, fx },
        { "POST", "/both", on_echo, fx },
        { "GET", "/teapot", on_teapot, fx },
        { "GET", "/big", on_big, fx },
        { "GET", "/broken", on_broken, fx },
        { NULL, NULL, NULL, NULL },
    };

    fx->log.level = getenv("SMK_TEST_DEBUG") ? LOG_DEBUG : LOG_ERR;
    fx->ctx = ws_context_new(&fx->log, &err);
    assert_non_null(fx->ctx);
    fx->l = listen_new(fx->ctx, "127.0.0.1:0", &opts, &fx->log, &err);
    if (fx->l == NULL)
        fail_msg("listen_new: %s", err.msg);
    assert_int_equal(listen_add_table(fx->l, routes, &err), 0);
    assert_true(listen_port(fx->l) > 0);
    fx->http = http_new(fx->ctx, &fx->log, &err);
    assert_non_null(fx->http);
    snprintf(fx->url, sizeof(fx->url), "http://127.0.0.1:%d", listen_port(fx->l));
    lws_sul_schedule(fx->ctx, 0, &fx->tick, tick, 5 * 1000);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;

    lws_sul_cancel(&fx->tick);
    http_free(fx->http);
    listen_free(fx->l);
    ws_context_free(fx->ctx);
    free(fx);
    return 0;
}

/* --- through lib/http.c ------------------------------------------------ */

struct result {
    bool done;
    long status;
    char body[512];
    size_t len;
};

static void
on_done(void *ud, const struct http_resp *resp)
{
    struct result *r = ud;

    r->done = true;
    r->status = resp->status;
    r->len = resp->len;
    snprintf(r->body, sizeof(r->body), "%s", resp->body);
}

static void
pump_until(struct fixture *fx, const bool *flag, int ms)
{
    int64_t end = clock_mono_ms() + ms;

    while (!*flag && clock_mono_ms() < end)
        lws_service(fx->ctx, 0);
}

static void
request(struct fixture *fx, const char *method, const char *path,
        const char *ctype, const char *body, size_t len, struct result *r)
{
    char url[256];
    struct http_req req = { 0 };
    struct err err = { 0 };

    memset(r, 0, sizeof(*r));
    snprintf(url, sizeof(url), "%s%s", fx->url, path);
    req.method = method;
    req.url = url;
    req.content_type = ctype;
    req.body = body;
    req.body_len = len;
    req.bearer = "tok-123";
    req.timeout_ms = 5000;
    assert_int_equal(http_request(fx->http, &req, on_done, r, &err), 0);
    pump_until(fx, &r->done, 6000);
    assert_true(r->done);
}

static void
test_200_then_another(void **state)
{
    struct fixture *fx = *state;
    static const char form[] = "text=hello+world&token=abc";
    struct result r;

    request(fx, "POST", "/echo", "application/x-www-form-urlencoded", form,
            strlen(form), &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"len\":26,\"body\":\"text=hello+world&token=abc\"}");
    assert_string_equal(fx->last_ctype, "application/x-www-form-urlencoded");
    assert_string_equal(fx->last_auth, "Bearer tok-123");
    assert_string_equal(fx->last_peer, "127.0.0.1");
    /* the second request in a row (curl keeps the connection alive) */
    request(fx, "GET", "/hello?a=1&b=two", NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "hello");
    assert_string_equal(fx->last_query, "a=1&b=two");
    request(fx, "POST", "/both", "text/plain", "x", 1, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"len\":1,\"body\":\"x\"}");
    assert_int_equal(fx->calls, 3);
}

static void
test_404_and_status_from_handler(void **state)
{
    struct fixture *fx = *state;
    struct result r;

    request(fx, "GET", "/nope", NULL, NULL, 0, &r);
    assert_int_equal(r.status, 404);
    request(fx, "GET", "/teapot", NULL, NULL, 0, &r);
    assert_int_equal(r.status, 418);
    assert_int_equal(r.len, 0);
    /* a handler's impossible status becomes a 500, not a broken answer */
    request(fx, "GET", "/broken", NULL, NULL, 0, &r);
    assert_int_equal(r.status, 500);
    assert_null(strstr(r.body, "never sent"));
    request(fx, "GET", "/big", NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.len, 200000);
    assert_int_equal(fx->calls, 0);
}

/* --- raw sockets ------------------------------------------------------- */

/* Header names are case-insensitive (lws writes them in lower case). */
static bool
has_ci(const char *text, const char *needle)
{
    for (size_t n = strlen(needle); *text; text++)
        if (strncasecmp(text, needle, n) == 0)
            return true;
    return false;
}

static int
raw_connect(struct fixture *fx)
{
    struct sockaddr_in sa = { 0 };
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    assert_true(fd >= 0);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)listen_port(fx->l));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    return fd;
}

/* Reads what is there without blocking; returns -1 once the peer closed
 * (or reset) the connection, else the bytes now in out. */
static int
raw_read(int fd, char *out, size_t cap, size_t *len)
{
    struct pollfd p = { fd, POLLIN, 0 };

    while (poll(&p, 1, 0) == 1) {
        ssize_t n = recv(fd, out + *len, cap - 1 - *len, 0);

        if (n <= 0)
            return -1;
        *len += (size_t)n;
        out[*len] = '\0';
        if (*len + 1 >= cap)
            break;
    }
    return (int)*len;
}

/* Is out a whole response: header and Content-Length bytes of body? */
static bool
complete(const char *out, size_t len)
{
    const char *end = strstr(out, "\r\n\r\n"), *cl;

    if (end == NULL)
        return false;
    for (cl = out; cl < end; cl++)
        if (strncasecmp(cl, "\r\ncontent-length:", 17) == 0)
            return len - (size_t)(end + 4 - out) >= strtoul(cl + 17, NULL, 10);
    return false;
}

/* Sends req and serves the loop until a whole answer is in, the server
 * closes the connection or ms pass; returns whether it closed. */
static bool
raw_exchange(struct fixture *fx, int fd, const char *req, char *out,
             size_t cap, int ms)
{
    int64_t end = clock_mono_ms() + ms;
    size_t len = 0;

    out[0] = '\0';
    if (req)
        assert_int_equal(send(fd, req, strlen(req), 0), (ssize_t)strlen(req));
    do {
        if (ms > 0)
            lws_service(fx->ctx, 0);
        if (raw_read(fd, out, cap, &len) < 0)
            return true;
        if (req && complete(out, len))
            return false;
    } while (clock_mono_ms() < end);
    return false;
}

static void
test_413_over_the_cap(void **state)
{
    struct fixture *fx = *state;
    size_t n = 64 * 1024;
    char *body = malloc(n + 1);
    struct result r;

    memset(body, 'a', n + 1);
    /* exactly the cap is fine, one byte more is not */
    request(fx, "POST", "/echo", "text/plain", body, n, &r);
    assert_int_equal(r.status, 200);
    request(fx, "POST", "/echo", "text/plain", body, n + 1, &r);
    assert_int_equal(r.status, 413);
    assert_int_equal(fx->calls, 1);
    /* a body just over the cap is read and dropped: the connection lives */
    {
        struct strbuf req;
        char out[4096];
        int fd = raw_connect(fx);

        strbuf_init(&req, 0);
        strbuf_printf(&req, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %zu"
                      "\r\n\r\n%.*s", n + 1, (int)(n + 1), body);
        assert_int_equal(send(fd, req.buf, req.len, 0), (ssize_t)req.len);
        assert_false(raw_exchange(fx, fd, "", out, sizeof(out), 3000));
        assert_non_null(strstr(out, " 413 "));
        assert_false(raw_exchange(fx, fd, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n",
                                  out, sizeof(out), 3000));
        assert_non_null(strstr(out, "\r\n\r\nhello"));
        close(fd);
        strbuf_release(&req);
    }
    free(body);
    fx->calls = 1;
    /* and the listener still answers */
    request(fx, "GET", "/hello", NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
}

#define A100 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define LONG_PATH "GET /" A100 A100 A100 A100 A100 A100 " HTTP/1.1\r\nHost: x\r\n\r\n"
#define LONG_AUTH "GET /hello HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " \
    A100 A100 A100 A100 A100 A100 "\r\n\r\n"

static void
test_raw_errors(void **state)
{
    static const struct {
        const char *req, *status, *header;
        bool closes;
    } cases[] = {
        { "GET /teapot HTTP/1.1\r\nHost: x\r\n\r\n", " 418 ", NULL, false },
        { "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", " 404 ", NULL, false },
        { "DELETE /hello HTTP/1.1\r\nHost: x\r\n\r\n", " 405 ", "allow: GET\r\n",
          false },
        { "PUT /both HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", " 405 ",
          "allow: GET, POST\r\n", false },
        /* a refused body is read first, so the answer is not lost */
        { "POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
          " 405 ", "allow: GET\r\n", false },
        { "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", " 404 ", NULL, false },
        { "POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
          " 404 ", NULL, false },
        { "POST /echo HTTP/1.1\r\nHost: x\r\n\r\n", " 411 ", NULL, true },
        { "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
          "1\r\na\r\n0\r\n\r\n", " 411 ", "connection: close\r\n", true },
        { "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 12x\r\n\r\n", " 400 ",
          NULL, true },
        { "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", " 400 ",
          NULL, true },
        { "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
          " 400 ", NULL, true },
        /* too big to read and drop: answered at once, then closed */
        { "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n",
          " 413 ", "connection: close\r\n", true },
        /* the client waits for 100 Continue: answered at once */
        { "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\n"
          "Expect: 100-continue\r\n\r\n", " 413 ", "connection: close\r\n", true },
        /* not HTTP at all */
        { "GARBAGE\r\n\r\n", " 400 ", NULL, true },
        { "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", " 400 ", NULL, true }, /* TLS */
        /* a header line without a colon: lws drops the connection */
        { "GET /hello HTTP/1.1\r\nHost x\r\n\r\n", NULL, NULL, true },
        { LONG_PATH, " 400 ", NULL, true },
        { LONG_AUTH, " 400 ", NULL, true },
    };
    struct fixture *fx = *state;
    struct result r;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[4096];
        int fd = raw_connect(fx);
        bool closed = raw_exchange(fx, fd, cases[i].req, out, sizeof(out), 3000);

        /* a close right after the answer: wait for it a little */
        if (!closed && cases[i].closes)
            closed = raw_exchange(fx, fd, NULL, out + strlen(out),
                                  sizeof(out) - strlen(out), 500);
        if (closed != cases[i].closes)
            fail_msg("case %zu: the connection %s: '%s'", i,
                     closed ? "was closed" : "stayed open", out);
        if (cases[i].status && (strncmp(out, "HTTP/1.1", 8) != 0 ||
                                strstr(out, cases[i].status) == NULL))
            fail_msg("case %zu: '%s' is not%s", i, out, cases[i].status);
        if (cases[i].header && !has_ci(out, cases[i].header))
            fail_msg("case %zu: '%s' lacks '%s'", i, out, cases[i].header);
        if (!cases[i].closes) {
            /* the same connection carries the next request */
            fx->calls = 0;
            raw_exchange(fx, fd, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n", out,
                         sizeof(out), 3000);
            if (strstr(out, "\r\n\r\nhello") == NULL || fx->calls != 1)
                fail_msg("case %zu: no answer to the next request: '%s'", i, out);
        }
        close(fd);
    }
    /* none of it disturbed the loop */
    request(fx, "GET", "/hello", NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
}

static void
test_keepalive_on_one_socket(void **state)
{
    struct fixture *fx = *state;
    char out[4096];
    int fd = raw_connect(fx);

    /* two requests on one connection, answered in order */
    raw_exchange(fx, fd, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n", out,
                 sizeof(out), 3000);
    assert_non_null(strstr(out, " 200 "));
    assert_true(has_ci(out, "content-length: 5\r\n"));
    assert_true(has_ci(out, "x-smk: yes\r\n"));
    assert_non_null(strstr(out, "\r\n\r\nhello"));
    raw_exchange(fx, fd, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                 "Content-Type: text/plain\r\n\r\nabc", out, sizeof(out), 3000);
    assert_non_null(strstr(out, " 200 "));
    assert_non_null(strstr(out, "{\"len\":3,\"body\":\"abc\"}"));
    close(fd);
    assert_int_equal(fx->calls, 2);
}

/* A header the bot does not read may be big, up to WS_MAX_HEADER in all;
 * beyond that lws drops the connection, and the listener lives on. */
static void
test_big_headers(void **state)
{
    struct fixture *fx = *state;
    size_t sizes[] = { WS_MAX_HEADER / 2, WS_MAX_HEADER + 1024 };
    struct result r;

    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        struct strbuf req;
        char out[4096];
        int fd = raw_connect(fx);
        bool closed;

        strbuf_init(&req, 0);
        strbuf_puts(&req, "GET /hello HTTP/1.1\r\nHost: x\r\nX-Forwarded-Stuff: ");
        for (size_t k = 0; k < sizes[i]; k++)
            strbuf_putc(&req, 'a');
        strbuf_puts(&req, "\r\n\r\n");
        closed = raw_exchange(fx, fd, req.buf, out, sizeof(out), 3000);
        if (sizes[i] < WS_MAX_HEADER) {
            assert_false(closed);
            assert_non_null(strstr(out, "\r\n\r\nhello"));
        } else {
            assert_true(closed);
            assert_null(strstr(out, "hello"));
        }
        close(fd);
        strbuf_release(&req);
    }
    fx->calls = 0;
    request(fx, "GET", "/hello", NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
}

static void
test_slowloris(void **state)
{
    struct fixture *fx = *state;
    char out[4096];
    int slow = raw_connect(fx), slow_body = raw_connect(fx), fd;
    int64_t t0 = clock_mono_ms();
    struct result r;

    /* half a header, and a whole header with a third of its body */
    raw_exchange(fx, slow, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Le", out,
                 sizeof(out), 50);
    raw_exchange(fx, slow_body, "POST /echo HTTP/1.1\r\nHost: x\r\n"
                 "Content-Length: 9\r\n\r\nabc", out, sizeof(out), 50);
    /* meanwhile another client is answered at once */
    request(fx, "GET", "/hello", NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    fd = raw_connect(fx);
    raw_exchange(fx, fd, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n", out,
                 sizeof(out), 3000);
    assert_non_null(strstr(out, "\r\n\r\nhello"));
    close(fd);
    /* ... while both slow ones were still connected */
    assert_false(raw_exchange(fx, slow, NULL, out, sizeof(out), 0));
    assert_false(raw_exchange(fx, slow_body, NULL, out, sizeof(out), 0));
    assert_true(clock_mono_ms() - t0 < 2000);
    /* and then they are dropped: the header after header_secs (2 s) with
     * a 408, the body after request_secs (3 s) */
    assert_true(raw_exchange(fx, slow, NULL, out, sizeof(out), 5000));
    assert_non_null(strstr(out, "HTTP/1.1 408 "));
    assert_true(raw_exchange(fx, slow_body, NULL, out, sizeof(out), 5000));
    assert_true(clock_mono_ms() - t0 < 6000);
    close(slow);
    close(slow_body);
    assert_int_equal(fx->calls, 2);     /* the two GET /hello */
}

/* Freeing the listener with requests in flight closes them: at once when
 * lws handed the request over, by the header timeout when it was still
 * reading the header; nothing of it is touched afterwards (ASan watches,
 * and LeakSanitizer sees that the vhost's finalize freed it). */
static void
test_free_with_open_connections(void **state)
{
    static const struct listen_opts opts = { .header_secs = 1 };
    struct fixture *fx = *state;
    struct err err = { 0 };
    const struct listen_route route = { "POST", "/echo", on_echo, fx };
    struct listen *keep = fx->l;
    char out[4096];
    int a, b;

    fx->l = listen_new(fx->ctx, "127.0.0.1:0", &opts, &fx->log, &err);
    assert_non_null(fx->l);
    assert_int_equal(listen_add(fx->l, &route, &err), 0);
    a = raw_connect(fx);
    b = raw_connect(fx);
    raw_exchange(fx, a, "POST /echo HTTP/1.1\r\nHost: x\r\n", out, sizeof(out), 50);
    raw_exchange(fx, b, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n"
                 "\r\nabc", out, sizeof(out), 50);
    listen_free(fx->l);
    fx->l = keep;
    assert_true(raw_exchange(fx, b, NULL, out, sizeof(out), 2000));
    assert_true(raw_exchange(fx, a, NULL, out, sizeof(out), 2500));
    close(a);
    close(b);
    assert_int_equal(fx->calls, 0);
}

/* --- pure helpers ------------------------------------------------------ */

static void
test_form_get(void **state)
{
    /* Mattermost sends sorted keys, '+' for spaces, %XX escapes */
    static const char body[] =
        "channel_id=c1&command=%2Fsmk&team_domain=sales&text=handoff+L-3+%40bob"
        "&token=abc%3D%3D&user_mentions=bob&user_mentions=dave&empty=&bare"
        "&bad=%zz&nul=%00&short=%4";
    static const struct {
        const char *key;
        int nth;
        int rc;
        const char *value;
    } cases[] = {
        { "command", 0, 0, "/smk" },
        { "text", 0, 0, "handoff L-3 @bob" },
        { "token", 0, 0, "abc==" },
        { "user_mentions", 0, 0, "bob" },
        { "user_mentions", 1, 0, "dave" },
        { "user_mentions", 2, -1, NULL },
        { "empty", 0, 0, "" },
        { "bare", 0, 0, "" },
        { "channel", 0, -1, NULL },     /* a prefix is not a key */
        { "missing", 0, -1, NULL },
        { "bad", 0, -1, NULL },
        { "nul", 0, -1, NULL },
        { "short", 0, -1, NULL },
        { "text", -1, -1, NULL },
    };
    struct strbuf out;

    (void)state;
    strbuf_init(&out, 0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = listen_form_get(body, cases[i].key, cases[i].nth, &out);

        if (rc != cases[i].rc)
            fail_msg("case %zu (%s): rc %d", i, cases[i].key, rc);
        if (rc == 0)
            assert_string_equal(strbuf_str(&out), cases[i].value);
    }
    assert_int_equal(listen_form_count(body, "user_mentions"), 2);
    assert_int_equal(listen_form_count(body, "text"), 1);
    assert_int_equal(listen_form_count(body, "nothing"), 0);
    assert_int_equal(listen_form_count("", "a"), 0);
    /* an encoded key matches its decoded name */
    assert_int_equal(listen_form_get("a%5Bb%5D=1&x+y=2", "a[b]", 0, &out), 0);
    assert_string_equal(strbuf_str(&out), "1");
    assert_int_equal(listen_form_get("a%5Bb%5D=1&x+y=2", "x y", 0, &out), 0);
    assert_string_equal(strbuf_str(&out), "2");
    assert_int_equal(listen_form_get("&&a=1&", "a", 0, &out), 0);
    assert_string_equal(strbuf_str(&out), "1");
    strbuf_release(&out);
}

static void
test_secret_eq(void **state)
{
    (void)state;
    assert_true(listen_secret_eq("s3cret-token", "s3cret-token"));
    assert_false(listen_secret_eq("s3cret-tokeN", "s3cret-token"));
    assert_false(listen_secret_eq("s3cret-toke", "s3cret-token"));
    assert_false(listen_secret_eq("s3cret-token!", "s3cret-token"));
    assert_false(listen_secret_eq("", "s3cret-token"));
    assert_false(listen_secret_eq(NULL, "s3cret-token"));
    /* an unset secret must not let an empty token in */
    assert_false(listen_secret_eq("", ""));
    assert_false(listen_secret_eq("x", ""));
}

static void
test_new_errors(void **state)
{
    struct fixture *fx = *state;
    struct err err = { 0 };
    char addr[32];
    const struct listen_route dup = { "GET", "/hello", on_hello, fx };
    const struct listen_route rel = { "GET", "hello", on_hello, fx };

    assert_null(listen_new(fx->ctx, "nonsense", NULL, &fx->log, &err));
    assert_non_null(strstr(err.msg, "host:port"));
    /* the port is taken by the fixture's listener */
    err_clear(&err);
    snprintf(addr, sizeof(addr), "127.0.0.1:%d", listen_port(fx->l));
    assert_null(listen_new(fx->ctx, addr, NULL, &fx->log, &err));
    assert_non_null(strstr(err.msg, "cannot listen"));
    err_clear(&err);
    assert_int_equal(listen_add(fx->l, &dup, &err), -1);
    assert_non_null(strstr(err.msg, "twice"));
    err_clear(&err);
    assert_int_equal(listen_add(fx->l, &rel, &err), -1);
    listen_free(NULL);
}

static void
test_resp_header(void **state)
{
    struct listen_resp resp = { 0 };

    (void)state;
    assert_int_equal(listen_resp_header(&resp, "Retry-After", "3"), 0);
    assert_int_equal(listen_resp_header(&resp, "Bad:Name", "x"), -1);
    assert_int_equal(listen_resp_header(&resp, "X-Split", "a\r\nInjected: 1"), -1);
    assert_int_equal(listen_resp_header(&resp, "A", "1"), 0);
    assert_int_equal(listen_resp_header(&resp, "B", "2"), 0);
    assert_int_equal(listen_resp_header(&resp, "C", "3"), 0);
    assert_int_equal(listen_resp_header(&resp, "D", "4"), -1);
    assert_int_equal(resp.nheaders, 4);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_200_then_another, setup, teardown),
        cmocka_unit_test_setup_teardown(test_404_and_status_from_handler, setup, teardown),
        cmocka_unit_test_setup_teardown(test_413_over_the_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_raw_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keepalive_on_one_socket, setup, teardown),
        cmocka_unit_test_setup_teardown(test_big_headers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slowloris, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_free_with_open_connections, setup,
                                        teardown),
        cmocka_unit_test(test_form_get),
        cmocka_unit_test(test_secret_eq),
        cmocka_unit_test(test_resp_header),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

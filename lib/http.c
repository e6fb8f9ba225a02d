/* SPDX-License-Identifier: MIT */
/* http.c: libcurl multi handle pumped by an lws_sul timer while transfers
 * are in flight, so the websocket loop never waits on HTTP. */
#include "http.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <libwebsockets.h>

#include "clock.h"

/* How often the pump runs while something is in flight. curl_multi_perform
 * never blocks; 1 ms keeps local round trips short at little cost, and the
 * pump stops as soon as nothing is in flight. */
#define HTTP_PUMP_US 1000
#define HTTP_MAX_BODY (8u * 1024 * 1024)

struct xfer {
    struct http *h;
    CURL *easy;
    struct curl_slist *headers;
    char *body;                 /* our copy of the request body */
    struct strbuf resp;
    struct strbuf hdrs;         /* the answer's header lines, as sent */
    int retry_after;
    int64_t started_ms;
    http_done_fn done;
    void *ud;
    char errbuf[CURL_ERROR_SIZE];
    struct xfer *next;
};

struct http {
    struct lws_context *ctx;
    const struct log *log;
    CURLM *multi;
    struct xfer *xfers;
    int active;
    bool pumping;
    lws_sorted_usec_list_t sul;
};

static void pump(lws_sorted_usec_list_t *sul);

static void
arm(struct http *h)
{
    if (h->active > 0) {
        lws_sul_schedule(h->ctx, 0, &h->sul, pump, HTTP_PUMP_US);
        h->pumping = true;
    } else if (h->pumping) {
        lws_sul_cancel(&h->sul);
        h->pumping = false;
    }
}

static void
xfer_free(struct xfer *x)
{
    if (x == NULL)
        return;
    if (x->easy) {
        curl_multi_remove_handle(x->h->multi, x->easy);
        curl_easy_cleanup(x->easy);
    }
    curl_slist_free_all(x->headers);
    free(x->body);
    strbuf_release(&x->resp);
    strbuf_release(&x->hdrs);
    free(x);
}

static void
unlink_xfer(struct http *h, struct xfer *x)
{
    for (struct xfer **p = &h->xfers; *p; p = &(*p)->next)
        if (*p == x) {
            *p = x->next;
            h->active--;
            return;
        }
}

static void
pump(lws_sorted_usec_list_t *sul)
{
    struct http *h = lws_container_of(sul, struct http, sul);
    CURLMsg *m;
    int running, left;

    h->pumping = false;
    curl_multi_perform(h->multi, &running);
    while ((m = curl_multi_info_read(h->multi, &left)) != NULL) {
        struct xfer *x = NULL;
        struct http_resp r = { 0 };

        if (m->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
        if (x == NULL)
            continue;
        if (m->data.result == CURLE_OK)
            curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &r.status);
        else
            r.error = x->errbuf[0] ? x->errbuf : curl_easy_strerror(m->data.result);
        r.body = strbuf_str(&x->resp);
        r.len = x->resp.len;
        r.retry_after = x->retry_after;
        r.headers = strbuf_str(&x->hdrs);
        r.elapsed_ms = clock_mono_ms() - x->started_ms;
        unlink_xfer(h, x);
        /* the callback may start new requests; x is already unlinked */
        x->done(x->ud, &r);
        xfer_free(x);
    }
    arm(h);
}

static size_t
on_body(char *data, size_t size, size_t n, void *ud)
{
    struct xfer *x = ud;

    if (strbuf_add(&x->resp, data, size * n) < 0)
        return 0;       /* too big: curl fails the transfer */
    return size * n;
}

static size_t
on_header(char *data, size_t size, size_t n, void *ud)
{
    struct xfer *x = ud;
    size_t len = size * n;
    static const char name[] = "retry-after:";

    /* each answer's own: a redirect or a 100 starts them over */
    if (strncmp(data, "HTTP/", 5) == 0)
        strbuf_reset(&x->hdrs);
    strbuf_add(&x->hdrs, data, len);

    if (len > sizeof(name) - 1 && strncasecmp(data, name, sizeof(name) - 1) == 0) {
        char value[64];
        size_t vlen = len - (sizeof(name) - 1);
        int secs;

        if (vlen >= sizeof(value))
            vlen = sizeof(value) - 1;
        memcpy(value, data + sizeof(name) - 1, vlen);
        value[vlen] = '\0';
        if (http_parse_retry_after(value, clock_real(), &secs) == 0)
            x->retry_after = secs;
    }
    return len;
}

static int
on_debug(CURL *easy, curl_infotype type, char *data, size_t size, void *ud)
{
    const struct http *h = ud;
    struct strbuf sb;
    const char *p, *dir;

    (void)easy;
    switch (type) {
    case CURLINFO_TEXT: dir = "*"; break;
    case CURLINFO_HEADER_IN: dir = "<"; break;
    case CURLINFO_HEADER_OUT: dir = ">"; break;
    default: return 0;          /* bodies may hold anything: never logged */
    }
    strbuf_init(&sb, 64 * 1024);
    http_redact(data, size, &sb);
    p = strbuf_str(&sb);
    while (*p) {
        size_t n = strcspn(p, "\r\n");

        if (n > 0)
            log_debug(h->log, "http", "%s %.*s", dir, (int)n, p);
        p += n;
        p += strspn(p, "\r\n");
    }
    strbuf_release(&sb);
    return 0;
}

struct http *
http_new(struct lws_context *ctx, const struct log *log, struct err *err)
{
    struct http *h = calloc(1, sizeof(*h));

    if (h == NULL || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        err_set(err, "cannot start libcurl");
        free(h);
        return NULL;
    }
    h->ctx = ctx;
    h->log = log;
    if ((h->multi = curl_multi_init()) == NULL) {
        err_set(err, "cannot start libcurl");
        free(h);
        return NULL;
    }
    return h;
}

void
http_free(struct http *h)
{
    if (h == NULL)
        return;
    if (h->pumping)
        lws_sul_cancel(&h->sul);
    while (h->xfers) {
        struct xfer *x = h->xfers;
        struct http_resp r = { 0 };

        h->xfers = x->next;
        r.body = "";
        r.error = "cancelled";
        r.retry_after = -1;
        r.cancelled = true;
        x->done(x->ud, &r);
        xfer_free(x);
    }
    curl_multi_cleanup(h->multi);
    curl_global_cleanup();
    free(h);
}

int
http_request(struct http *h, const struct http_req *req, http_done_fn done,
             void *ud, struct err *err)
{
    struct xfer *x = calloc(1, sizeof(*x));
    char line[512];
    /* a body goes with every method but GET (PUT: Mattermost's post patch) */
    bool post = req->method == NULL || strcmp(req->method, "GET") != 0;

    if (x == NULL)
        goto oom;
    x->h = h;
    x->done = done;
    x->ud = ud;
    x->retry_after = -1;
    x->started_ms = clock_mono_ms();
    strbuf_init(&x->resp, HTTP_MAX_BODY);
    strbuf_init(&x->hdrs, 16384);
    if ((x->easy = curl_easy_init()) == NULL)
        goto oom;
    if (req->bearer) {
        /* the only place a token is written: never into a log (see
         * on_debug, which redacts this header) */
        if (snprintf(line, sizeof(line), "Authorization: Bearer %s",
                     req->bearer) >= (int)sizeof(line)) {
            err_set(err, "token too long");
            goto fail;
        }
        x->headers = curl_slist_append(x->headers, line);
    }
    if (post && req->content_type) {
        snprintf(line, sizeof(line), "Content-Type: %s", req->content_type);
        x->headers = curl_slist_append(x->headers, line);
    }
    for (const char *const *hd = req->headers; hd && *hd; hd++)
        x->headers = curl_slist_append(x->headers, *hd);
    x->headers = curl_slist_append(x->headers, "Expect:");
    curl_easy_setopt(x->easy, CURLOPT_URL, req->url);
    curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->headers);
    curl_easy_setopt(x->easy, CURLOPT_PRIVATE, (char *)x);
    curl_easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(x->easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(x->easy, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(x->easy, CURLOPT_ERRORBUFFER, x->errbuf);
    curl_easy_setopt(x->easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(x->easy, CURLOPT_TIMEOUT_MS,
                     req->timeout_ms > 0 ? req->timeout_ms : 20000L);
    curl_easy_setopt(x->easy, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    curl_easy_setopt(x->easy, CURLOPT_USERAGENT, "smarkbot");
    /* TLS: always verify the peer and the host name */
    curl_easy_setopt(x->easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(x->easy, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(x->easy, CURLOPT_PROTOCOLS_STR, "http,https");
    if (post) {
        x->body = malloc(req->body_len + 1);
        if (x->body == NULL)
            goto oom;
        if (req->body_len)
            memcpy(x->body, req->body, req->body_len);
        x->body[req->body_len] = '\0';
        curl_easy_setopt(x->easy, CURLOPT_POST, 1L);
        if (req->method && strcmp(req->method, "POST") != 0)
            curl_easy_setopt(x->easy, CURLOPT_CUSTOMREQUEST, req->method);
        curl_easy_setopt(x->easy, CURLOPT_POSTFIELDS, x->body);
        curl_easy_setopt(x->easy, CURLOPT_POSTFIELDSIZE, (long)req->body_len);
    }
    if (h->log && h->log->level >= LOG_DEBUG) {
        curl_easy_setopt(x->easy, CURLOPT_DEBUGFUNCTION, on_debug);
        curl_easy_setopt(x->easy, CURLOPT_DEBUGDATA, h);
        curl_easy_setopt(x->easy, CURLOPT_VERBOSE, 1L);
    }
    if (curl_multi_add_handle(h->multi, x->easy) != CURLM_OK) {
        err_set(err, "cannot queue the request");
        goto fail;
    }
    x->next = h->xfers;
    h->xfers = x;
    h->active++;
    /* the first pump runs from the loop, so done() is never re-entrant */
    lws_sul_schedule(h->ctx, 0, &h->sul, pump, 1);
    h->pumping = true;
    return 0;
oom:
    err_set(err, "out of memory");
fail:
    if (x && x->easy) {
        curl_easy_cleanup(x->easy);
        x->easy = NULL;
    }
    xfer_free(x);
    return -1;
}

int
http_active(const struct http *h)
{
    return h ? h->active : 0;
}

int
http_resp_header(const struct http_resp *resp, const char *name, char *out, size_t len)
{
    size_t n = strlen(name);

    for (const char *p = resp->headers; p && *p; p += strcspn(p, "\n"), p += *p == '\n') {
        if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
            const char *v = p + n + 1;
            size_t vl;

            v += strspn(v, " \t");
            vl = strcspn(v, "\r\n");
            snprintf(out, len, "%.*s", (int)vl, v);
            return 0;
        }
    }
    return -1;
}

int
http_parse_retry_after(const char *value, int64_t now, int *secs)
{
    const char *p = value + strspn(value, " \t");
    char *end;
    long v;
    time_t t;

    if (isdigit((unsigned char)*p)) {
        v = strtol(p, &end, 10);
        end += strspn(end, " \t\r\n");
        if (*end != '\0' || v < 0)
            return -1;
        *secs = v > 86400 ? 86400 : (int)v;
        return 0;
    }
    t = curl_getdate(p, NULL);
    if (t == (time_t)-1)
        return -1;
    *secs = t <= now ? 0 : (t - now > 86400 ? 86400 : (int)(t - now));
    return 0;
}

/* Where a credential header starts in line (n bytes): its name, in any
 * case and wherever curl puts it ("Authorization:", HTTP/2's "[authorization:
 * ...]", "h2h3 [authorization: ...]", "Cookie:"), or NULL. *vstart is set to
 * its value. */
static const char *
credential_in(const char *line, size_t n, const char **vstart)
{
    static const char *const names[] = {
        "proxy-authorization", "authorization", "cookie", "set-cookie", NULL,
    };

    for (size_t i = 0; i < n; i++) {
        /* a name starts the line or follows '[' or a space */
        if (i > 0 && line[i - 1] != '[' && line[i - 1] != ' ' && line[i - 1] != '\t')
            continue;
        for (int k = 0; names[k]; k++) {
            size_t nl = strlen(names[k]);
            const char *v = line + i + nl;

            if (i + nl < n && strncasecmp(line + i, names[k], nl) == 0) {
                while (v < line + n && (*v == ' ' || *v == '\t'))
                    v++;
                if (v < line + n && *v == ':') {
                    *vstart = v + 1;
                    return line + i;
                }
            }
        }
    }
    return NULL;
}

void
http_redact(const char *text, size_t len, struct strbuf *out)
{
    const char *p = text, *end = text + len;

    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        size_t n = eol ? (size_t)(eol - p) + 1 : (size_t)(end - p);
        const char *v, *name;
        size_t body = n;

        while (body > 0 && (p[body - 1] == '\n' || p[body - 1] == '\r'))
            body--;
        if ((name = credential_in(p, body, &v)) == NULL) {
            strbuf_add(out, p, n);
            p += n;
            continue;
        }
        /* what precedes and the name stay, so the log still says what was
         * sent; the scheme stays too; the credential never */
        strbuf_add(out, p, (size_t)(v - p));
        while (v < p + body && (*v == ' ' || *v == '\t'))
            v++;
        strbuf_putc(out, ' ');
        if ((size_t)(p + body - v) >= 7 && strncasecmp(v, "bearer ", 7) == 0)
            strbuf_puts(out, "Bearer ");
        else if ((size_t)(p + body - v) >= 6 && strncasecmp(v, "token ", 6) == 0)
            strbuf_puts(out, "Token ");
        strbuf_puts(out, "[redacted]");
        /* HTTP/2's bracketed form ends the value with ']' */
        if (name > p && name[-1] == '[')
            strbuf_putc(out, ']');
        strbuf_add(out, p + body, n - body);
        p += n;
    }
}

void
http_urlencode(const char *s, struct strbuf *out)
{
    static const char hex[] = "0123456789ABCDEF";

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            strbuf_putc(out, (char)c);
        } else {
            char e[3] = { '%', hex[c >> 4], hex[c & 15] };

            strbuf_add(out, e, 3);
        }
    }
}

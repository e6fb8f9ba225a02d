/* SPDX-License-Identifier: MIT */
/* link.c: a websocket link that stays up (see link.h). */
#include "link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libwebsockets.h>

#include <arpa/inet.h>

#include "clock.h"
#include "resolve.h"
#include "stats.h"

#define LINK_SLOTS 4        /* the live one, its successor, two draining */

struct slot {
    struct ws_conn *ws;
    bool up, retiring;
    int64_t up_ms;
    int64_t close_at_ms;    /* retiring and replaced: close then (0 = not yet) */
};

struct link {
    struct lws_context *ctx;
    char name[32];
    struct link_policy policy;
    const struct link_handlers *h;
    void *ud;
    const struct log *log;
    struct slot slots[LINK_SLOTS];
    int next_id;
    bool wanting;           /* want_url asked, not yet answered */
    struct resolve *resolving;      /* the next URL's host, off the loop */
    char *pending_url;
    int64_t resolve_deadline_ms;
    bool reconnect_armed;
    bool stopped;
    int attempt;
    unsigned seed;
    int64_t down_ms;        /* when the last connection up was lost (or the
                             * link made); 0 while one is up */
    lws_sorted_usec_list_t sul_reconnect, sul_retire, sul_resolve;
};

#define LINK_RESOLVE_POLL_US (10 * 1000)
#define LINK_RESOLVE_MS 15000

static struct slot *
slot_of(struct link *l, const struct ws_conn *c)
{
    for (int i = 0; i < LINK_SLOTS; i++)
        if (l->slots[i].ws == c)
            return &l->slots[i];
    return NULL;
}

/* Connections that are neither closing nor being replaced. */
static int
count_current(const struct link *l)
{
    int n = 0;

    for (int i = 0; i < LINK_SLOTS; i++)
        if (l->slots[i].ws && !l->slots[i].retiring)
            n++;
    return n;
}

static void
on_reconnect(lws_sorted_usec_list_t *sul)
{
    struct link *l = lws_container_of(sul, struct link, sul_reconnect);

    l->reconnect_armed = false;
    link_start(l);
}

static void
schedule_reconnect(struct link *l, int64_t at_least_ms, const char *why)
{
    double rnd = (double)rand_r(&l->seed) / ((double)RAND_MAX + 1.0);
    int64_t ms = backoff_ms(&l->policy.backoff, l->attempt, rnd);

    if (l->stopped || l->reconnect_armed)
        return;
    if (ms < at_least_ms)
        ms = at_least_ms;
    l->attempt++;
    l->reconnect_armed = true;
    log_warn(l->log, l->name, "%s; reconnecting in %.1f s", why, (double)ms / 1000);
    lws_sul_schedule(l->ctx, 0, &l->sul_reconnect, on_reconnect, (lws_usec_t)ms * 1000);
}

/* A connection ended (or never started): make sure another one comes. */
static void
need_link(struct link *l, int64_t at_least_ms, const char *why)
{
    if (count_current(l) == 0 && !l->wanting)
        schedule_reconnect(l, at_least_ms, why);
}

static void
ws_open(void *ud, struct ws_conn *c)
{
    struct link *l = ud;

    log_debug(l->log, l->name, "#%d: websocket open", ws_id(c));
    if (l->h->on_open && !l->stopped)
        l->h->on_open(l->ud, c);
}

static void
ws_text(void *ud, struct ws_conn *c, const char *text, size_t len)
{
    struct link *l = ud;

    if (!l->stopped)
        l->h->on_text(l->ud, c, text, len);
}

static void
ws_closed(void *ud, struct ws_conn *c, const char *why)
{
    struct link *l = ud;
    struct slot *slot = slot_of(l, c);
    bool retiring = slot && slot->retiring;
    bool healthy = slot && slot->up &&
                   clock_mono_ms() - slot->up_ms >= l->policy.healthy_ms;

    if (l->h->on_close)
        l->h->on_close(l->ud, c, why);
    if (slot)
        memset(slot, 0, sizeof(*slot));
    if (l->down_ms == 0 && !link_is_up(l))
        l->down_ms = clock_mono_ms();
    if (l->stopped)
        return;
    if (!retiring)
        metric_inc(&stats_link_reconnects, l->name, "closed");
    if (retiring)
        log_info(l->log, l->name, "#%d: old connection closed (%s)", ws_id(c), why);
    else
        log_warn(l->log, l->name, "#%d: connection closed: %s", ws_id(c), why);
    if (healthy)
        l->attempt = 0;
    need_link(l, 0, "connection lost");
}

static const struct ws_handlers handlers = { ws_open, ws_text, ws_closed };

struct link *
link_new(struct lws_context *ctx, const char *name, const struct link_policy *policy,
         const struct link_handlers *h, void *ud, const struct log *log,
         struct err *err)
{
    struct link *l = calloc(1, sizeof(*l));

    if (l == NULL) {
        err_set(err, "out of memory");
        return NULL;
    }
    l->ctx = ctx;
    snprintf(l->name, sizeof(l->name), "%s", name);
    l->policy = *policy;
    l->h = h;
    l->ud = ud;
    l->log = log;
    l->seed = (unsigned)(clock_mono_ms() ^ (int64_t)getpid());
    l->down_ms = clock_mono_ms();
    return l;
}

void
link_free(struct link *l)
{
    if (l == NULL)
        return;
    resolve_abandon(l->resolving);
    free(l->pending_url);
    free(l);
}

void
link_start(struct link *l)
{
    if (l->stopped || l->wanting)
        return;
    /* a connection still waiting to be up is enough */
    for (int i = 0; i < LINK_SLOTS; i++)
        if (l->slots[i].ws && !l->slots[i].up)
            return;
    l->wanting = true;
    l->h->want_url(l->ud, l);
}

/* Connects to url, its host given as the numeric address addr (or NULL
 * when the URL holds one already). */
static void
connect_now(struct link *l, const char *url, const char *addr)
{
    struct ws_opts opts = l->policy.ws;
    struct err err = { 0 };
    struct slot *slot;

    if ((slot = slot_of(l, NULL)) == NULL) {
        need_link(l, 0, "no free connection slot");
        return;
    }
    opts.id = ++l->next_id;
    opts.connect_to = addr;
    memset(slot, 0, sizeof(*slot));
    slot->ws = ws_connect(l->ctx, url, &opts, &handlers, l, l->log, &err);
    if (slot->ws == NULL) {
        log_warn(l->log, l->name, "cannot connect: %s", err.msg);
        metric_inc(&stats_link_reconnects, l->name, "connect_error");
        need_link(l, 0, "connect error");
        return;
    }
    log_info(l->log, l->name, "#%d: connecting", opts.id);
}

static void
on_resolve(lws_sorted_usec_list_t *sul)
{
    struct link *l = lws_container_of(sul, struct link, sul_resolve);
    char addr[64];
    struct err err = { 0 };
    int rc = resolve_poll(l->resolving, addr, sizeof(addr), &err);
    char *url = l->pending_url;

    if (rc == 0 && clock_mono_ms() < l->resolve_deadline_ms) {
        lws_sul_schedule(l->ctx, 0, &l->sul_resolve, on_resolve, LINK_RESOLVE_POLL_US);
        return;
    }
    if (rc == 0) {
        resolve_abandon(l->resolving);
        err_set(&err, "no answer from the name server in %d s", LINK_RESOLVE_MS / 1000);
    }
    l->resolving = NULL;
    l->pending_url = NULL;
    l->wanting = false;
    if (rc == 1 && !l->stopped) {
        connect_now(l, url, addr);
    } else if (!l->stopped) {
        log_warn(l->log, l->name, "%s", err.msg);
        metric_inc(&stats_link_reconnects, l->name, "lookup_failed");
        need_link(l, 0, "name lookup failed");
    }
    free(url);
}

/* The host of url when it is a name (not an address) into host. */
static bool
host_name_of(const char *url, char *host, size_t len)
{
    const char *p = strstr(url, "://"), *end;
    unsigned char buf[sizeof(struct in6_addr)];

    if (p == NULL)
        return false;
    p += 3;
    if (*p == '[')
        return false;           /* an IPv6 literal */
    end = p + strcspn(p, ":/?");
    if ((size_t)(end - p) >= len || end == p)
        return false;
    snprintf(host, len, "%.*s", (int)(end - p), p);
    return inet_pton(AF_INET, host, buf) != 1;
}

void
link_connect(struct link *l, const char *url)
{
    char host[256];
    struct err err = { 0 };

    l->wanting = false;
    if (l->stopped)
        return;
    if (!host_name_of(url, host, sizeof(host))) {
        connect_now(l, url, NULL);
        return;
    }
    /* a name: looked up off the loop, which keeps acking on the others */
    l->wanting = true;
    if ((l->pending_url = strdup(url)) == NULL ||
        (l->resolving = resolve_start(host, &err)) == NULL) {
        free(l->pending_url);
        l->pending_url = NULL;
        l->wanting = false;
        log_warn(l->log, l->name, "cannot look up %s: %s", host, err.set ? err.msg : "out of memory");
        metric_inc(&stats_link_reconnects, l->name, "lookup_failed");
        need_link(l, 0, "name lookup failed");
        return;
    }
    l->resolve_deadline_ms = clock_mono_ms() + LINK_RESOLVE_MS;
    lws_sul_schedule(l->ctx, 0, &l->sul_resolve, on_resolve, LINK_RESOLVE_POLL_US);
}

void
link_retry(struct link *l, int64_t at_least_ms, const char *why)
{
    l->wanting = false;
    metric_inc(&stats_link_reconnects, l->name, "no_url");
    need_link(l, at_least_ms, why);
}

/* Closes the replaced connections whose drain time is over; what is
 * queued on them is written before the close frame (ws_close). */
static void
on_retire(lws_sorted_usec_list_t *sul)
{
    struct link *l = lws_container_of(sul, struct link, sul_retire);
    int64_t now = clock_mono_ms(), next = 0;

    for (int i = 0; i < LINK_SLOTS; i++) {
        struct slot *s = &l->slots[i];

        if (s->ws == NULL || !s->retiring || s->close_at_ms == 0)
            continue;
        if (s->close_at_ms <= now)
            ws_close(s->ws, false, "replaced");
        else if (next == 0 || s->close_at_ms < next)
            next = s->close_at_ms;
    }
    if (next)
        lws_sul_schedule(l->ctx, 0, &l->sul_retire, on_retire,
                         (lws_usec_t)(next - now) * 1000);
}

void
link_up(struct link *l, struct ws_conn *c)
{
    struct slot *slot = slot_of(l, c);

    if (slot == NULL || l->stopped)
        return;
    slot->up = true;
    slot->up_ms = clock_mono_ms();
    l->down_ms = 0;
    log_info(l->log, l->name, "#%d: connected", ws_id(c));
    /* the new connection is up: the others go once they have drained */
    for (int i = 0; i < LINK_SLOTS; i++) {
        struct slot *s = &l->slots[i];

        if (s->ws && s->retiring && s->close_at_ms == 0)
            s->close_at_ms = slot->up_ms + l->policy.drain_ms;
    }
    lws_sul_schedule(l->ctx, 0, &l->sul_retire, on_retire,
                     (lws_usec_t)l->policy.drain_ms * 1000 + 1);
}

void
link_replace(struct link *l, struct ws_conn *c)
{
    struct slot *slot = slot_of(l, c);

    if (slot == NULL || l->stopped)
        return;
    slot->retiring = true;
    metric_inc(&stats_link_reconnects, l->name, "replaced");
    link_start(l);
}

void
link_drop(struct link *l, struct ws_conn *c, int64_t at_least_ms, const char *why)
{
    struct slot *slot = slot_of(l, c);

    if (slot == NULL)
        return;
    slot->retiring = true;
    metric_inc(&stats_link_reconnects, l->name, "dropped");
    ws_close(c, false, why);
    if (count_current(l) == 0 && !l->wanting)
        schedule_reconnect(l, at_least_ms, why);
}

void
link_stop(struct link *l)
{
    l->stopped = true;
    lws_sul_cancel(&l->sul_reconnect);
    lws_sul_cancel(&l->sul_resolve);
    for (int i = 0; i < LINK_SLOTS; i++)
        if (l->slots[i].ws)
            ws_close(l->slots[i].ws, false, "stopping");
}

bool
link_is_live(const struct link *l, const struct ws_conn *c)
{
    for (int i = 0; i < LINK_SLOTS; i++)
        if (c && l->slots[i].ws == c)
            return l->slots[i].up && !l->slots[i].retiring;
    return false;
}

size_t
link_queued(const struct link *l)
{
    size_t n = 0;

    for (int i = 0; i < LINK_SLOTS; i++)
        n += ws_queued(l->slots[i].ws);
    return n;
}

bool
link_is_up(const struct link *l)
{
    for (int i = 0; i < LINK_SLOTS; i++)
        if (l->slots[i].ws && l->slots[i].up)
            return true;
    return false;
}

bool
link_healthy(const struct link *l, char *why, size_t len)
{
    if (l != NULL && link_is_up(l))
        return true;
    if (l == NULL || l->down_ms == 0)
        snprintf(why, len, "link not started");
    else
        snprintf(why, len, "%s link down for %lld s", l->name,
                 (long long)((clock_mono_ms() - l->down_ms) / 1000));
    return false;
}

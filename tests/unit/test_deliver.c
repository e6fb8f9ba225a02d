/* SPDX-License-Identifier: MIT */
/* test_deliver.c: the delivery engine against a scripted transport and an
 * injected clock: the requests it makes, when it makes them, and what it
 * writes to each row, for every kind of answer. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deliver.h"
#include "outbox.h"
#include "store.h"
#include "users.h"

#define MAX_SENT 64

/* A request the engine started, waiting for the test to answer it. */
struct sent {
    char url[200];
    char body[200];
    int64_t at_ms;
    http_done_fn done;
    void *ud;
    bool answered;
};

struct world {
    struct store *store;
    struct deliver *d;
    struct log log;
    int64_t now_ms;
    int64_t wake_ms;            /* earliest wake asked for, -1 = none */
    struct sent sent[MAX_SENT];
    int nsent;
    int fatal;
    bool refuse_send;           /* the transport cannot start a request */
    bool lane_by_dm;            /* a DM's lane is its channel once open */
    bool can_check;             /* looks for a part in doubt first */
};

/* ---- the platform: channels pace 1 s, DMs need a channel opened first */

static int
t_plan(void *plat, const struct deliver_item *it, struct deliver_plan *p,
       int64_t *wait_ms, struct err *err)
{
    struct world *w = plat;
    const struct outbox_row *r = it->row;
    char *dm = w->lane_by_dm && r->user ? users_dm(w->store, r->user) : NULL;

    (void)wait_ms;
    memset(p, 0, sizeof(*p));
    if (dm)
        snprintf(p->lane, sizeof(p->lane), "post:%s", dm);
    else if (strcmp(r->kind, OUTBOX_UPDATE) == 0)
        snprintf(p->lane, sizeof(p->lane), "update:%lld", (long long)r->update_of);
    else if (r->channel)
        snprintf(p->lane, sizeof(p->lane), "post:%s", r->channel);
    else if (r->user)
        snprintf(p->lane, sizeof(p->lane), "post:@%s", r->user);
    else
        return err_set(err, "nowhere to send"), -1;
    free(dm);
    snprintf(p->bucket, sizeof(p->bucket), "%s",
             strcmp(r->kind, OUTBOX_UPDATE) == 0 ? "update" : "post");
    p->pace_ms = strcmp(r->kind, OUTBOX_UPDATE) == 0 ? 0 : 1000;
    p->part_max = 10;
    p->max_parts = 3;
    return 0;
}

static int
t_build(void *plat, const struct deliver_item *it, const char *part, bool last,
        struct deliver_req *req, struct err *err)
{
    struct world *w = plat;
    const struct outbox_row *r = it->row;
    char *dm = NULL;

    (void)err;
    if (it->in_doubt && w->can_check) {
        strbuf_printf(&req->url, "check/%lld.%d", (long long)r->id, it->part);
        snprintf(req->what, sizeof(req->what), "check");
        req->prerequisite = req->check = true;
    } else if (strcmp(r->kind, OUTBOX_DM) == 0 && (dm = users_dm(w->store, r->user)) == NULL) {
        strbuf_printf(&req->url, "open/%s", r->user);
        snprintf(req->what, sizeof(req->what), "open");
        req->prerequisite = true;
    } else if (it->original) {
        strbuf_printf(&req->url, "update/%s", it->original->ref);
        snprintf(req->what, sizeof(req->what), "update");
    } else {
        strbuf_printf(&req->url, "post/%s", dm ? dm : r->channel);
        snprintf(req->what, sizeof(req->what), "post");
    }
    strbuf_printf(&req->body, "%s%s", part, last && r->card ? "+card" : "");
    req->http.method = "POST";
    req->http.url = strbuf_str(&req->url);
    req->http.body = strbuf_str(&req->body);
    req->http.body_len = req->body.len;
    free(dm);
    return 0;
}

static enum deliver_result
t_classify(void *plat, const struct deliver_item *it, const struct deliver_req *req,
           const struct http_resp *resp, char *ref, size_t reflen, char *why,
           size_t whylen)
{
    (void)plat;
    snprintf(why, whylen, "HTTP %ld %s", resp->status, resp->body);
    if (req->check && resp->status == 200) {
        if (strcmp(resp->body, "found") != 0)
            return DELIVER_OK;
        snprintf(ref, reflen, "m-found");
        return DELIVER_ALREADY;
    }
    if (resp->status == 200) {
        snprintf(ref, reflen, "m%lld", (long long)it->row->id);
        return DELIVER_OK;
    }
    if (resp->status == 429)
        return DELIVER_RATELIMITED;
    if (resp->status == 401)
        return DELIVER_FATAL;
    if (resp->status == 0 || resp->status >= 500)
        return DELIVER_RETRY;
    return DELIVER_FAILED;
}

static void
t_resolved(void *plat, const struct deliver_item *it, const struct http_resp *resp)
{
    struct world *w = plat;

    (void)resp;
    users_set_dm(w->store, 0, it->row->user, "D1", NULL);
}

static const struct deliver_ops ops = { t_plan, t_build, t_classify, t_resolved };

/* ---- the environment */

static int64_t
e_mono(void *ud)
{
    return ((struct world *)ud)->now_ms;
}

static int64_t
e_wall(void *ud)
{
    return 1800000000 + ((struct world *)ud)->now_ms / 1000;
}

static double
e_rnd(void *ud)
{
    (void)ud;
    return 0.0;     /* backoff is then exactly half of base * 2^attempt */
}

static int
e_send(void *ud, const struct http_req *req, http_done_fn done, void *done_ud,
       struct err *err)
{
    struct world *w = ud;
    struct sent *s;

    if (w->refuse_send) {
        err_set(err, "refused");
        return -1;
    }
    assert_true(w->nsent < MAX_SENT);
    s = &w->sent[w->nsent++];
    memset(s, 0, sizeof(*s));
    snprintf(s->url, sizeof(s->url), "%s", req->url);
    snprintf(s->body, sizeof(s->body), "%.*s", (int)req->body_len, req->body);
    s->at_ms = w->now_ms;
    s->done = done;
    s->ud = done_ud;
    return 0;
}

static void
e_wake(void *ud, int64_t delay_ms)
{
    struct world *w = ud;
    int64_t at = w->now_ms + delay_ms;

    if (w->wake_ms < 0 || at < w->wake_ms)
        w->wake_ms = at;
}

static void
e_fatal(void *ud, const char *why)
{
    (void)why;
    ((struct world *)ud)->fatal++;
}

static const struct deliver_env env_template = {
    NULL, NULL, e_mono, e_wall, e_rnd, e_send, e_wake, e_fatal,
};

static struct world *
world_new(int max_inflight)
{
    struct world *w = calloc(1, sizeof(*w));
    struct deliver_env env = env_template;
    struct deliver_limits lim = { 0 };
    struct err err = { 0 };

    assert_non_null(w);
    /* every line formatted, none shown: the test reads the rows */
    w->log.level = LOG_DEBUG;
    w->log.fp = fopen("/dev/null", "w");
    w->wake_ms = -1;
    w->store = store_open(":memory:", &err);
    assert_non_null(w->store);
    env.ud = w;
    lim.max_inflight = max_inflight;
    w->d = deliver_new(w->store, &w->log, &ops, w, &env, &lim, &err);
    assert_non_null(w->d);
    return w;
}

static void
world_free(struct world *w)
{
    /* answer what is still open as a shutdown would */
    for (int i = 0; i < w->nsent; i++)
        if (!w->sent[i].answered) {
            struct http_resp r = { 0 };

            r.body = "";
            r.cancelled = true;
            r.retry_after = -1;
            w->sent[i].answered = true;
            w->sent[i].done(w->sent[i].ud, &r);
        }
    deliver_free(w->d);
    store_free(w->store);
    if (w->log.fp)
        fclose(w->log.fp);
    free(w);
}

static int64_t
add(struct world *w, const char *kind, const char *channel, const char *user,
    const char *text)
{
    struct outbox_dest to = { kind, channel, user, NULL, 0 };
    int64_t id = outbox_add(w->store, e_wall(w), &to, text, NULL, NULL);

    assert_true(id > 0);
    return id;
}

static void
answer(struct world *w, int i, long status, const char *body, int retry_after)
{
    struct http_resp r = { 0 };

    assert_true(i < w->nsent);
    assert_false(w->sent[i].answered);
    r.status = status;
    r.body = body;
    r.len = strlen(body);
    r.retry_after = retry_after;
    r.error = status == 0 ? "connection refused" : NULL;
    w->sent[i].answered = true;
    w->sent[i].done(w->sent[i].ud, &r);
}

/* Moves the clock to the next wake the engine asked for (or to at_ms,
 * whichever is first) and pumps, as the event loop would. */
static void
run_until(struct world *w, int64_t at_ms)
{
    while (w->wake_ms >= 0 && w->wake_ms <= at_ms) {
        if (w->wake_ms > w->now_ms)
            w->now_ms = w->wake_ms;
        w->wake_ms = -1;
        deliver_pump(w->d);
    }
    if (at_ms > w->now_ms)
        w->now_ms = at_ms;
}

static char *
state_of(struct world *w, int64_t id)
{
    static char buf[4][64];
    static int k;
    char *st = buf[k++ % 4];

    outbox_state(w->store, id, st, 64);
    return st;
}

static int64_t
col_int(struct world *w, const char *sql, int64_t id)
{
    int64_t v = -1;

    store_query_int(w->store, NULL, &v, sql, "I", id);
    return v;
}

/* ---- tests */

static void
test_lanes_keep_order_and_pace(void **state)
{
    struct world *w = world_new(8);
    int64_t a = add(w, OUTBOX_CHANNEL, "c1", NULL, "A");
    int64_t b = add(w, OUTBOX_CHANNEL, "c1", NULL, "B");
    int64_t c = add(w, OUTBOX_CHANNEL, "c2", NULL, "C");

    (void)state;
    deliver_pump(w->d);
    /* one row per lane at a time: A and C, and B waits behind A */
    assert_int_equal(w->nsent, 2);
    assert_string_equal(w->sent[0].url, "post/c1");
    assert_string_equal(w->sent[0].body, "A");
    assert_string_equal(w->sent[1].url, "post/c2");
    answer(w, 0, 200, "ok", -1);
    assert_string_equal(state_of(w, a), "sent");
    run_until(w, 999);
    assert_int_equal(w->nsent, 2);          /* c1 is paced for 1 s */
    run_until(w, 1000);
    assert_int_equal(w->nsent, 3);
    assert_string_equal(w->sent[2].body, "B");
    assert_int_equal(w->sent[2].at_ms, 1000);
    answer(w, 1, 200, "ok", -1);
    answer(w, 2, 200, "ok", -1);
    assert_string_equal(state_of(w, b), "sent");
    assert_string_equal(state_of(w, c), "sent");
    world_free(w);
}

static void
test_retry_after_holds_the_bucket(void **state)
{
    struct world *w = world_new(8);
    int64_t a = add(w, OUTBOX_CHANNEL, "c1", NULL, "A");

    (void)state;
    add(w, OUTBOX_CHANNEL, "c2", NULL, "B");
    deliver_pump(w->d);
    assert_int_equal(w->nsent, 2);
    answer(w, 0, 429, "", 3);
    answer(w, 1, 200, "ok", -1);
    add(w, OUTBOX_CHANNEL, "c3", NULL, "C");
    deliver_kick(w->d);
    run_until(w, 2999);
    /* the whole "post" bucket waits 3 s, other channels too */
    assert_int_equal(w->nsent, 2);
    assert_string_equal(state_of(w, a), "pending");
    run_until(w, 3000);
    assert_int_equal(w->nsent, 4);
    assert_string_equal(w->sent[2].body, "A");
    assert_string_equal(w->sent[3].body, "C");
    assert_int_equal(w->sent[2].at_ms, 3000);
    world_free(w);
}

static void
test_server_errors_back_off_then_succeed(void **state)
{
    struct world *w = world_new(8);
    int64_t a = add(w, OUTBOX_CHANNEL, "c1", NULL, "A");

    (void)state;
    deliver_pump(w->d);
    answer(w, 0, 500, "oops", -1);
    /* attempt 0: half of the 1 s base with rnd = 0 */
    assert_string_equal(state_of(w, a), "pending");
    assert_int_equal(col_int(w, "SELECT attempts FROM outbox WHERE id = ?", a), 1);
    run_until(w, 499);
    assert_int_equal(w->nsent, 1);
    run_until(w, 500);
    assert_int_equal(w->nsent, 2);
    answer(w, 1, 0, "", -1);                /* a network error */
    run_until(w, 500 + 999);
    assert_int_equal(w->nsent, 2);          /* attempt 1: 1 s */
    run_until(w, 1500);
    assert_int_equal(w->nsent, 3);
    answer(w, 2, 200, "ok", -1);
    assert_string_equal(state_of(w, a), "sent");
    assert_int_equal(col_int(w, "SELECT attempts FROM outbox WHERE id = ?", a), 3);
    world_free(w);
}

static void
test_permanent_error_is_given_up_once(void **state)
{
    struct world *w = world_new(8);
    int64_t a = add(w, OUTBOX_CHANNEL, "gone", NULL, "A");
    int64_t b = add(w, OUTBOX_CHANNEL, "gone", NULL, "B");
    char *why = NULL;

    (void)state;
    deliver_pump(w->d);
    answer(w, 0, 404, "channel_not_found", -1);
    assert_string_equal(state_of(w, a), "failed");
    store_query_text(w->store, NULL, &why, "SELECT error FROM outbox WHERE id = ?", "I", a);
    assert_non_null(strstr(why, "channel_not_found"));
    free(why);
    run_until(w, 60000);
    /* never again: only B went, after the pace */
    assert_int_equal(w->nsent, 2);
    assert_string_equal(w->sent[1].body, "B");
    answer(w, 1, 200, "ok", -1);
    assert_string_equal(state_of(w, b), "sent");
    run_until(w, 120000);
    assert_int_equal(w->nsent, 2);
    world_free(w);
}

static void
test_transport_that_cannot_start_is_a_retry(void **state)
{
    struct world *w = world_new(8);
    int64_t a = add(w, OUTBOX_CHANNEL, "c1", NULL, "A");

    (void)state;
    w->refuse_send = true;
    deliver_pump(w->d);
    assert_int_equal(w->nsent, 0);
    assert_string_equal(state_of(w, a), "pending");
    w->refuse_send = false;
    run_until(w, 500);
    assert_int_equal(w->nsent, 1);
    world_free(w);
}

static void
test_dm_opens_its_channel_once(void **state)
{
    struct world *w = world_new(8);
    int64_t a = add(w, OUTBOX_DM, NULL, "U1", "hi");
    int64_t b = add(w, OUTBOX_DM, NULL, "U1", "again");

    (void)state;
    deliver_pump(w->d);
    assert_int_equal(w->nsent, 1);
    assert_string_equal(w->sent[0].url, "open/U1");
    answer(w, 0, 200, "ok", -1);
    /* the prerequisite gave the channel: the post follows at once */
    assert_int_equal(w->nsent, 2);
    assert_string_equal(w->sent[1].url, "post/D1");
    answer(w, 1, 200, "ok", -1);
    assert_string_equal(state_of(w, a), "sent");
    run_until(w, 1000);
    assert_int_equal(w->nsent, 3);
    assert_string_equal(w->sent[2].url, "post/D1");
    answer(w, 2, 200, "ok", -1);
    assert_string_equal(state_of(w, b), "sent");
    world_free(w);
}

/* Mattermost's lane of a DM is the user until the channel is known, then
 * the channel: a pump while the post is in flight must not send it again
 * under its new lane. */
static void
test_row_in_flight_is_not_sent_twice_when_its_lane_changes(void **state)
{
    struct world *w = world_new(8);
    int64_t a;

    (void)state;
    w->lane_by_dm = true;
    a = add(w, OUTBOX_DM, NULL, "U1", "hi");
    deliver_pump(w->d);
    answer(w, 0, 200, "ok", -1);
    assert_int_equal(w->nsent, 2);
    assert_string_equal(w->sent[1].url, "post/D1");
    deliver_pump(w->d);
    run_until(w, 500);
    assert_int_equal(w->nsent, 2);
    answer(w, 1, 200, "ok", -1);
    assert_string_equal(state_of(w, a), "sent");
    run_until(w, 5000);
    assert_int_equal(w->nsent, 2);
    world_free(w);
}

/* A crash while a part is on its way leaves it in doubt: the platform
 * looks first, and what had arrived is not posted again. */
static void
in_doubt(struct world *w, int64_t id)
{
    assert_int_equal(store_exec(w->store, NULL, "UPDATE outbox SET sending = 1 WHERE id = ?",
                                "I", id), 0);
}

static void
test_part_in_doubt_after_a_crash_is_checked_not_doubled(void **state)
{
    struct world *w = world_new(8);
    int64_t a, b, c;
    char url[64];

    (void)state;
    w->can_check = true;
    /* a part is marked while it is on its way, and cleared by its answer */
    c = add(w, OUTBOX_CHANNEL, "C3", NULL, "marked");
    deliver_pump(w->d);
    assert_string_equal(w->sent[0].url, "post/C3");
    assert_int_equal(col_int(w, "SELECT sending FROM outbox WHERE id = ?", c), 1);
    answer(w, 0, 200, "ok", -1);
    assert_int_equal(col_int(w, "SELECT sending FROM outbox WHERE id = ?", c), 0);

    /* found by the check: delivered, not posted again */
    a = add(w, OUTBOX_CHANNEL, "C1", NULL, "arrived");
    in_doubt(w, a);
    deliver_pump(w->d);
    snprintf(url, sizeof(url), "check/%lld.0", (long long)a);
    assert_string_equal(w->sent[1].url, url);
    answer(w, 1, 200, "found", -1);
    assert_string_equal(state_of(w, a), "sent");
    assert_int_equal(col_int(w, "SELECT sending FROM outbox WHERE id = ?", a), 0);
    run_until(w, 4000);
    assert_int_equal(w->nsent, 2);

    /* not found: it is posted, once */
    b = add(w, OUTBOX_CHANNEL, "C2", NULL, "lost");
    in_doubt(w, b);
    deliver_pump(w->d);
    answer(w, 2, 200, "none", -1);
    assert_int_equal(w->nsent, 4);
    assert_string_equal(w->sent[3].url, "post/C2");
    answer(w, 3, 200, "ok", -1);
    assert_string_equal(state_of(w, b), "sent");

    /* a platform that cannot look sends it again */
    w->can_check = false;
    a = add(w, OUTBOX_CHANNEL, "C4", NULL, "again");
    in_doubt(w, a);
    deliver_pump(w->d);
    assert_string_equal(w->sent[4].url, "post/C4");
    answer(w, 4, 200, "ok", -1);
    assert_string_equal(state_of(w, a), "sent");
    world_free(w);
}

/* A busy channel does not hide the other destinations behind it. */
static void
test_busy_channel_does_not_starve_others(void **state)
{
    struct world *w = world_new(8);
    int64_t dm;

    (void)state;
    for (int i = 0; i < 100; i++)
        add(w, OUTBOX_CHANNEL, "C1", NULL, "busy");
    dm = add(w, OUTBOX_CHANNEL, "C2", NULL, "urgent");
    deliver_pump(w->d);
    assert_int_equal(w->nsent, 2);
    assert_string_equal(w->sent[0].url, "post/C1");
    assert_string_equal(w->sent[1].url, "post/C2");
    answer(w, 1, 200, "ok", -1);
    assert_string_equal(state_of(w, dm), "sent");
    world_free(w);
}

/* A row that keeps failing is given up after max_attempts, once. */
static void
test_row_that_keeps_failing_is_given_up(void **state)
{
    struct world *w = world_new(8);
    int64_t a = add(w, OUTBOX_CHANNEL, "C1", NULL, "doomed");
    int tries = 0;

    (void)state;
    deliver_pump(w->d);
    while (w->nsent > tries && tries < 100) {
        answer(w, tries++, 503, "down", -1);
        run_until(w, w->now_ms + 400000);
    }
    assert_int_equal(tries, 20);
    assert_string_equal(state_of(w, a), "failed");
    world_free(w);
}

/* A row waiting for its retry keeps its place in its lane. */
static void
test_a_row_backing_off_is_not_overtaken(void **state)
{
    struct world *w = world_new(8);
    int64_t a = add(w, OUTBOX_CHANNEL, "C1", NULL, "first");
    int64_t b = add(w, OUTBOX_CHANNEL, "C1", NULL, "second");

    (void)state;
    deliver_pump(w->d);
    assert_int_equal(w->nsent, 1);
    answer(w, 0, 503, "down", -1);
    /* while the first backs off, the second does not go */
    deliver_kick(w->d);
    run_until(w, 200);
    assert_int_equal(w->nsent, 1);
    run_until(w, 5000);
    assert_int_equal(w->nsent, 2);
    assert_string_equal(w->sent[1].body, "first");
    answer(w, 1, 200, "ok", -1);
    run_until(w, 10000);
    assert_int_equal(w->nsent, 3);
    assert_string_equal(w->sent[2].body, "second");
    answer(w, 2, 200, "ok", -1);
    assert_string_equal(state_of(w, a), "sent");
    assert_string_equal(state_of(w, b), "sent");
    world_free(w);
}

static void
test_long_text_goes_in_parts_and_resumes(void **state)
{
    struct world *w = world_new(8);
    int64_t a = add(w, OUTBOX_CHANNEL, "c1", NULL, "line one\nline two\nline three");
    char *ref = NULL;

    (void)state;
    deliver_pump(w->d);
    answer(w, 0, 200, "ok", -1);
    assert_string_equal(w->sent[0].body, "line one");
    assert_string_equal(state_of(w, a), "pending");
    assert_int_equal(col_int(w, "SELECT parts FROM outbox WHERE id = ?", a), 1);
    run_until(w, 1000);
    assert_int_equal(w->nsent, 2);
    assert_string_equal(w->sent[1].body, "line two");
    /* a restart here: a new engine on the same rows carries on at part 3 */
    answer(w, 1, 200, "ok", -1);
    {
        struct deliver_env env = env_template;
        struct err err = { 0 };

        deliver_free(w->d);
        env.ud = w;
        w->d = deliver_new(w->store, &w->log, &ops, w, &env, NULL, &err);
        w->wake_ms = -1;
    }
    deliver_pump(w->d);
    assert_int_equal(w->nsent, 3);
    assert_string_equal(w->sent[2].body, "line three");
    answer(w, 2, 200, "ok", -1);
    assert_string_equal(state_of(w, a), "sent");
    store_query_text(w->store, NULL, &ref, "SELECT ref FROM outbox WHERE id = ?", "I", a);
    assert_string_equal(ref, "m1");
    free(ref);
    world_free(w);
}

static void
test_fatal_stops_everything_and_keeps_rows(void **state)
{
    struct world *w = world_new(8);
    int64_t a = add(w, OUTBOX_CHANNEL, "c1", NULL, "A");
    int64_t b = add(w, OUTBOX_CHANNEL, "c2", NULL, "B");

    (void)state;
    deliver_pump(w->d);
    answer(w, 0, 401, "invalid_auth", -1);
    assert_int_equal(w->fatal, 1);
    answer(w, 1, 401, "invalid_auth", -1);
    add(w, OUTBOX_CHANNEL, "c3", NULL, "C");
    deliver_kick(w->d);
    run_until(w, 100000);
    assert_int_equal(w->nsent, 2);
    assert_string_equal(state_of(w, a), "pending");
    assert_string_equal(state_of(w, b), "pending");
    world_free(w);
}

static void
test_inflight_cap(void **state)
{
    struct world *w = world_new(3);
    char ch[8];

    (void)state;
    for (int i = 0; i < 5; i++) {
        snprintf(ch, sizeof(ch), "c%d", i);
        add(w, OUTBOX_CHANNEL, ch, NULL, "x");
    }
    deliver_pump(w->d);
    assert_int_equal(w->nsent, 3);
    assert_int_equal(deliver_inflight(w->d), 3);
    answer(w, 0, 200, "ok", -1);
    run_until(w, 0);
    assert_int_equal(w->nsent, 4);
    world_free(w);
}

static void
test_update_waits_for_its_post(void **state)
{
    struct world *w = world_new(8);
    int64_t card = add(w, OUTBOX_CHANNEL, "c1", NULL, "card");
    struct outbox_dest to = { OUTBOX_UPDATE, NULL, NULL, NULL, card };
    int64_t upd = outbox_add(w->store, 0, &to, "done", NULL, NULL);
    struct outbox_dest never = { OUTBOX_UPDATE, NULL, NULL, NULL, 999 };
    int64_t orphan = outbox_add(w->store, 0, &never, "x", NULL, NULL);

    (void)state;
    deliver_pump(w->d);
    /* the update cannot go before the card has an id */
    assert_int_equal(w->nsent, 1);
    assert_string_equal(state_of(w, orphan), "failed");
    run_until(w, 600);
    assert_int_equal(w->nsent, 1);
    answer(w, 0, 200, "ok", -1);
    run_until(w, 1200);
    assert_int_equal(w->nsent, 2);
    assert_string_equal(w->sent[1].url, "update/m1");
    answer(w, 1, 200, "ok", -1);
    assert_string_equal(state_of(w, upd), "sent");
    world_free(w);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lanes_keep_order_and_pace),
        cmocka_unit_test(test_retry_after_holds_the_bucket),
        cmocka_unit_test(test_server_errors_back_off_then_succeed),
        cmocka_unit_test(test_permanent_error_is_given_up_once),
        cmocka_unit_test(test_transport_that_cannot_start_is_a_retry),
        cmocka_unit_test(test_dm_opens_its_channel_once),
        cmocka_unit_test(test_row_in_flight_is_not_sent_twice_when_its_lane_changes),
        cmocka_unit_test(test_part_in_doubt_after_a_crash_is_checked_not_doubled),
        cmocka_unit_test(test_busy_channel_does_not_starve_others),
        cmocka_unit_test(test_row_that_keeps_failing_is_given_up),
        cmocka_unit_test(test_a_row_backing_off_is_not_overtaken),
        cmocka_unit_test(test_long_text_goes_in_parts_and_resumes),
        cmocka_unit_test(test_fatal_stops_everything_and_keeps_rows),
        cmocka_unit_test(test_inflight_cap),
        cmocka_unit_test(test_update_waits_for_its_post),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

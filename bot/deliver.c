/* SPDX-License-Identifier: MIT */
/* deliver.c: outbox rows out through a platform's ops. Nothing here knows
 * a platform: the ops say where a row goes and what an answer means; this
 * file decides when it goes and what happens to the row. */
#include "deliver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backoff.h"
#include "stats.h"
#include "text.h"

/* Pending rows read per pass; rows of busy lanes are read again later. */
#define DELIVER_BATCH 64

struct lane {
    char key[200];
    int64_t until_ms;       /* paced or waiting until then */
    bool busy;              /* a row of this lane is in flight */
    unsigned pass;          /* a row of it was held back in this pass */
};

struct bucket {
    char key[48];
    int64_t until_ms;       /* Retry-After */
};

/* A row that failed for a while waits here, in memory: its next_at in
 * the database only matters to a process that starts later. */
struct gate {
    int64_t id;
    int64_t until_ms;
};

struct deliver {
    struct store *store;
    const struct log *log;
    const struct deliver_ops *ops;
    void *plat;
    struct deliver_env env;
    struct deliver_limits lim;
    struct backoff backoff;
    struct lane *lanes;
    size_t nlanes;
    struct bucket *buckets;
    size_t nbuckets;
    struct gate *gates;
    size_t ngates;
    /* in flight, whatever their lane: a row's lane may change while it
     * waits (a user name resolved to an id), the row must not go twice */
    struct job *jobs;
    int inflight;
    unsigned pass, seed;
    bool stopped, pumping, again;
};

static int64_t
now_ms(const struct deliver *d)
{
    return d->env.mono_ms ? d->env.mono_ms(d->env.ud) : clock_mono_ms();
}

static int64_t
wall_now(const struct deliver *d)
{
    return d->env.wall ? d->env.wall(d->env.ud) : clock_now(d->env.clock);
}

static double
jitter(struct deliver *d)
{
    if (d->env.rnd)
        return d->env.rnd(d->env.ud);
    return (double)rand_r(&d->seed) / ((double)RAND_MAX + 1.0);
}

/* One row on its way out. */
struct job {
    struct deliver *d;
    struct outbox_row row, original;
    struct deliver_item item;
    struct deliver_plan plan;
    struct deliver_req req;
    char **parts;
    size_t nparts, part;
    int prerequisites;          /* met for this part: a loop guard */
    struct job *next;           /* in flight: d->jobs */
};

static struct lane *
lane_get(struct deliver *d, const char *key)
{
    struct lane *l;

    for (size_t i = 0; i < d->nlanes; i++)
        if (strcmp(d->lanes[i].key, key) == 0)
            return &d->lanes[i];
    l = realloc(d->lanes, sizeof(*l) * (d->nlanes + 1));
    if (l == NULL)
        return NULL;
    d->lanes = l;
    l = &d->lanes[d->nlanes++];
    memset(l, 0, sizeof(*l));
    snprintf(l->key, sizeof(l->key), "%s", key);
    return l;
}

/* Lanes with nothing to remember go, so the list stays as short as the
 * set of channels being posted to right now. */
static void
lanes_prune(struct deliver *d, int64_t now)
{
    for (size_t i = 0; i < d->nlanes;) {
        if (!d->lanes[i].busy && d->lanes[i].until_ms <= now)
            d->lanes[i] = d->lanes[--d->nlanes];
        else
            i++;
    }
}

static int64_t *
bucket_until(struct deliver *d, const char *key)
{
    struct bucket *b;

    if (key[0] == '\0')
        return NULL;
    for (size_t i = 0; i < d->nbuckets; i++)
        if (strcmp(d->buckets[i].key, key) == 0)
            return &d->buckets[i].until_ms;
    b = realloc(d->buckets, sizeof(*b) * (d->nbuckets + 1));
    if (b == NULL)
        return NULL;
    d->buckets = b;
    b = &d->buckets[d->nbuckets++];
    snprintf(b->key, sizeof(b->key), "%s", key);
    b->until_ms = 0;
    return &b->until_ms;
}

static int64_t
gate_get(const struct deliver *d, int64_t id)
{
    for (size_t i = 0; i < d->ngates; i++)
        if (d->gates[i].id == id)
            return d->gates[i].until_ms;
    return 0;
}

static void
gate_set(struct deliver *d, int64_t id, int64_t until)
{
    struct gate *g;

    for (size_t i = 0; i < d->ngates; i++)
        if (d->gates[i].id == id) {
            if (until == 0)
                d->gates[i] = d->gates[--d->ngates];
            else
                d->gates[i].until_ms = until;
            return;
        }
    if (until == 0 || (g = realloc(d->gates, sizeof(*g) * (d->ngates + 1))) == NULL)
        return;
    d->gates = g;
    d->gates[d->ngates].id = id;
    d->gates[d->ngates++].until_ms = until;
}

static void
job_free(struct job *j)
{
    if (j == NULL)
        return;
    for (struct job **p = &j->d->jobs; *p; p = &(*p)->next)
        if (*p == j) {
            *p = j->next;
            break;
        }
    outbox_row_release(&j->row);
    outbox_row_release(&j->original);
    strbuf_release(&j->req.url);
    strbuf_release(&j->req.body);
    text_parts_free(j->parts, j->nparts);
    free(j);
}

static void
wake(struct deliver *d, int64_t delay_ms)
{
    if (d->pumping && delay_ms <= 0)
        d->again = true;
    else
        d->env.wake(d->env.ud, delay_ms > 0 ? delay_ms : 0);
}

/* The job's lane is free again, not before lane_until. */
static void
job_end(struct job *j, int64_t lane_until)
{
    struct deliver *d = j->d;
    struct lane *l = lane_get(d, j->plan.lane);

    if (l) {
        l->busy = false;
        if (lane_until > l->until_ms)
            l->until_ms = lane_until;
    }
    d->inflight--;
    job_free(j);
    wake(d, 0);
}

static void
give_up(struct deliver *d, const struct outbox_row *r, const char *what,
        const char *why)
{
    struct err err = { 0 };

    /* permanent: said once, and the row is never sent again */
    if (outbox_failed(d->store, r->id, why, &err) < 0)
        log_err(d->log, "deliver", "outbox #%lld: %s", (long long)r->id, err.msg);
    gate_set(d, r->id, 0);
    log_err(d->log, "deliver", "outbox #%lld (%s %s%s%s) given up: %s", (long long)r->id,
            what[0] ? what : r->kind, r->channel ? r->channel : "",
            r->user ? " @" : "", r->user ? r->user : "", why);
}

static void job_send(struct job *j);

static void
on_done(void *ud, const struct http_resp *resp)
{
    struct job *j = ud;
    struct deliver *d = j->d;
    int64_t now = now_ms(d), wait;
    char ref[160] = "", why[160] = "";
    struct err err = { 0 };
    enum deliver_result res;

    if (resp->cancelled) {
        /* shutting down: the row stays pending for the next run */
        d->inflight--;
        job_free(j);
        return;
    }
    res = d->ops->classify(d->plat, &j->item, &j->req, resp, ref, sizeof(ref),
                           why, sizeof(why));
    metric_inc(&stats_sends, stats_send_result(res), j->row.kind);
    switch (res) {
    case DELIVER_ALREADY:
        log_info(d->log, "deliver", "outbox #%lld had arrived before the restart (%s)",
                 (long long)j->row.id, ref);
        j->item.in_doubt = false;
        /* delivered: the same as an OK for the part itself */
        j->req.prerequisite = false;
        /* fall through */
    case DELIVER_OK:
        if (j->req.prerequisite) {
            if (j->req.check)
                j->item.in_doubt = false;
            if (d->ops->resolved)
                d->ops->resolved(d->plat, &j->item, resp);
            if (++j->prerequisites > 2) {
                give_up(d, &j->row, j->req.what, "its prerequisite never took");
                job_end(j, 0);
            } else {
                job_send(j);
            }
            return;
        }
        j->prerequisites = 0;
        j->part++;
        /* the message's id: the first part's, or the card's (the last) */
        if (ref[0] && (j->part == 1 || (j->row.card && j->part == j->nparts))) {
            free(j->row.ref);
            j->row.ref = strdup(ref);
        }
        if (j->part < j->nparts) {
            outbox_progress(d->store, j->row.id, (int)j->part, j->row.ref, &err);
        } else {
            outbox_sent(d->store, j->row.id, j->row.ref, &err);
            gate_set(d, j->row.id, 0);
            log_debug(d->log, "deliver", "outbox #%lld sent (%s)", (long long)j->row.id,
                      j->req.what);
        }
        if (err.set)
            log_err(d->log, "deliver", "outbox #%lld: %s", (long long)j->row.id, err.msg);
        job_end(j, j->plan.pace_ms > 0 ? now + j->plan.pace_ms : 0);
        return;
    case DELIVER_RATELIMITED: {
        int64_t *until = bucket_until(d, j->plan.bucket);

        wait = resp->retry_after >= 0 ? (int64_t)resp->retry_after * 1000
                                      : d->lim.default_retry_after_ms;
        if (until && now + wait > *until)
            *until = now + wait;
        log_warn(d->log, "deliver", "%s rate limited: waiting %.1f s (outbox #%lld)",
                 j->req.what, (double)wait / 1000, (long long)j->row.id);
        /* without a bucket of its own, the lane is what waits */
        job_end(j, until ? 0 : now + wait);
        return;
    }
    case DELIVER_RETRY:
        if (j->row.attempts + 1 >= d->lim.max_attempts ||
            wall_now(d) - j->row.created_at > d->lim.max_age_s) {
            char because[240];

            /* a post that cannot go in a day is news nobody wants late */
            snprintf(because, sizeof(because), "%s; still failing after %d tries", why,
                     j->row.attempts + 1);
            give_up(d, &j->row, j->req.what, because);
            job_end(j, 0);
            return;
        }
        wait = backoff_ms(&d->backoff, j->row.attempts, jitter(d));
        gate_set(d, j->row.id, now + wait);
        if (outbox_retry(d->store, j->row.id, wall_now(d) + wait / 1000, why,
                         &err) < 0)
            log_err(d->log, "deliver", "outbox #%lld: %s", (long long)j->row.id, err.msg);
        log_warn(d->log, "deliver", "%s for outbox #%lld: %s%s%s; retry in %.1f s",
                 j->req.what, (long long)j->row.id, why, resp->error ? ": " : "",
                 resp->error ? resp->error : "", (double)wait / 1000);
        job_end(j, 0);
        return;
    case DELIVER_FAILED:
        give_up(d, &j->row, j->req.what, why);
        job_end(j, 0);
        return;
    case DELIVER_REPLAN:
        /* planned again at once; the try still counts, so a platform that
         * kept asking would end in max_attempts like any failure */
        log_info(d->log, "deliver", "outbox #%lld: %s", (long long)j->row.id, why);
        if (outbox_retry(d->store, j->row.id, wall_now(d), why, &err) < 0)
            log_err(d->log, "deliver", "outbox #%lld: %s", (long long)j->row.id, err.msg);
        job_end(j, 0);
        return;
    case DELIVER_FATAL:
        /* unsent rows stay pending for a run with a good token */
        d->stopped = true;
        d->env.fatal(d->env.ud, why);
        job_end(j, 0);
        return;
    }
}

/* Builds and sends the current part (or its prerequisite). */
static void
job_send(struct job *j)
{
    struct deliver *d = j->d;
    struct err err = { 0 };
    bool last = j->part + 1 >= j->nparts;

    memset(&j->req.http, 0, sizeof(j->req.http));
    strbuf_reset(&j->req.url);
    strbuf_reset(&j->req.body);
    j->req.what[0] = '\0';
    j->req.prerequisite = false;
    j->req.check = false;
    j->item.part = (int)j->part;
    if (d->ops->build(d->plat, &j->item, j->parts[j->part], last, &j->req, &err) < 0) {
        give_up(d, &j->row, j->req.what, err.msg);
        job_end(j, 0);
        return;
    }
    /* durable before it goes: after a crash this part is in doubt */
    if (!j->req.prerequisite && outbox_sending(d->store, j->row.id, &err) < 0)
        log_err(d->log, "deliver", "outbox #%lld: %s", (long long)j->row.id, err.msg);
    if (d->env.send(d->env.ud, &j->req.http, on_done, j, &err) < 0) {
        struct http_resp r = { 0 };

        r.body = "";
        r.error = err.set ? err.msg : "could not start the request";
        r.retry_after = -1;
        on_done(j, &r);
    }
}

/* The post an update replaces, into j->original: 0 ready, 1 not out yet,
 * -1 never posted (given up). */
static int
load_original(struct deliver *d, struct job *j)
{
    char state[16];

    if (outbox_get(d->store, j->row.update_of, &j->original, NULL) <= 0 ||
        outbox_state(d->store, j->row.update_of, state, sizeof(state)) <= 0) {
        give_up(d, &j->row, "", "the post to update does not exist");
        return -1;
    }
    if (strcmp(state, "pending") == 0)
        return 1;
    if (j->original.ref == NULL) {
        give_up(d, &j->row, "", "the post to update was never posted");
        return -1;
    }
    j->item.original = &j->original;
    return 0;
}

/* Makes a job of row (taking its fields) when it may go now. Returns the
 * job, or NULL with *wait_ms > 0 (not yet) or 0 (given up). */
static struct job *
job_new(struct deliver *d, struct outbox_row *row, int64_t *wait_ms)
{
    struct job *j = calloc(1, sizeof(*j));
    struct err err = { 0 };
    int rc;

    *wait_ms = 0;
    if (j == NULL)
        return NULL;
    j->d = d;
    j->row = *row;
    memset(row, 0, sizeof(*row));
    j->item.row = &j->row;
    j->item.in_doubt = j->row.in_doubt;
    strbuf_init(&j->req.url, 0);
    strbuf_init(&j->req.body, 0);
    if (strcmp(j->row.kind, OUTBOX_UPDATE) == 0 && (rc = load_original(d, j)) != 0) {
        if (rc > 0)
            *wait_ms = d->lim.original_wait_ms;
        job_free(j);
        return NULL;
    }
    rc = d->ops->plan(d->plat, &j->item, &j->plan, wait_ms, &err);
    if (rc != 0) {
        if (rc < 0) {
            give_up(d, &j->row, "", err.msg);
            *wait_ms = 0;
        }
        job_free(j);
        return NULL;
    }
    if (j->plan.part_max > 0) {
        j->nparts = text_split(j->row.text, j->plan.part_max,
                               j->plan.max_parts ? j->plan.max_parts : 1, &j->parts);
    } else if ((j->parts = calloc(1, sizeof(char *))) != NULL &&
               (j->parts[0] = strdup(j->row.text)) != NULL) {
        j->nparts = 1;
    }
    if (j->nparts == 0) {
        /* an empty text is still a message (a card, an update) */
        char **p = realloc(j->parts, sizeof(char *));

        if (p == NULL || (p[0] = strdup(" ")) == NULL) {
            j->parts = p;
            job_free(j);
            return NULL;
        }
        j->parts = p;
        j->nparts = 1;
    }
    j->part = (size_t)j->row.parts < j->nparts ? (size_t)j->row.parts : j->nparts - 1;
    return j;
}

static bool
row_in_flight(const struct deliver *d, int64_t id)
{
    for (const struct job *j = d->jobs; j; j = j->next)
        if (j->row.id == id)
            return true;
    return false;
}

static void
note_next(int64_t *next, int64_t t, int64_t now)
{
    if (t > now && (*next == 0 || t < *next))
        *next = t;
}

void
deliver_pump(struct deliver *d)
{
    struct outbox_row rows[DELIVER_BATCH];
    struct err err = { 0 };
    int64_t now, next;
    int n;

    if (d->stopped || d->pumping)
        return;
    d->pumping = true;
    do {
        d->again = false;
        d->pass++;
        now = now_ms(d);
        next = 0;
        lanes_prune(d, now);
        if ((n = outbox_pending(d->store, d->lim.kinds, rows, DELIVER_BATCH, &err)) < 0) {
            log_err(d->log, "deliver", "cannot read the outbox: %s", err.msg);
            next = now + 1000;
            break;
        }
        for (int i = 0; i < n; i++) {
            struct outbox_row *r = &rows[i];
            int64_t gate = gate_get(d, r->id), wait = 0, *until;
            struct lane *l;
            struct job *j;

            if (d->stopped || d->inflight >= d->lim.max_inflight) {
                outbox_row_release(r);
                continue;
            }
            if (gate > now || row_in_flight(d, r->id)) {
                /* it keeps its place: the later rows of its lane wait */
                note_next(&next, gate, now);
                if ((j = job_new(d, r, &wait)) != NULL) {
                    if ((l = lane_get(d, j->plan.lane)) != NULL)
                        l->pass = d->pass;
                    job_free(j);
                }
                continue;
            }
            if ((j = job_new(d, r, &wait)) == NULL) {
                note_next(&next, wait > 0 ? now + wait : 0, now);
                continue;
            }
            l = lane_get(d, j->plan.lane);
            until = bucket_until(d, j->plan.bucket);
            if (l == NULL || l->busy || l->pass == d->pass || l->until_ms > now ||
                (until && *until > now)) {
                /* held back: later rows of this lane wait behind it */
                if (l) {
                    l->pass = d->pass;
                    note_next(&next, l->until_ms, now);
                }
                if (until)
                    note_next(&next, *until, now);
                job_free(j);
                continue;
            }
            l->busy = true;
            d->inflight++;
            j->next = d->jobs;
            d->jobs = j;
            job_send(j);
        }
    } while (d->again && !d->stopped);
    d->pumping = false;
    if (next)
        d->env.wake(d->env.ud, next - now);
}

void
deliver_kick(struct deliver *d)
{
    if (d && !d->stopped)
        wake(d, 0);
}

int
deliver_inflight(const struct deliver *d)
{
    return d ? d->inflight : 0;
}

void
deliver_stop(struct deliver *d)
{
    if (d)
        d->stopped = true;
}

struct deliver *
deliver_new(struct store *store, const struct log *log,
            const struct deliver_ops *ops, void *plat,
            const struct deliver_env *env, const struct deliver_limits *limits,
            struct err *err)
{
    struct deliver *d = calloc(1, sizeof(*d));

    if (d == NULL) {
        err_set(err, "out of memory");
        return NULL;
    }
    d->store = store;
    d->log = log;
    d->ops = ops;
    d->plat = plat;
    d->env = *env;
    if (limits)
        d->lim = *limits;
    if (d->lim.max_inflight <= 0)
        d->lim.max_inflight = 8;
    if (d->lim.backoff_base_ms <= 0)
        d->lim.backoff_base_ms = 1000;
    if (d->lim.backoff_cap_ms <= 0)
        d->lim.backoff_cap_ms = 300000;
    if (d->lim.default_retry_after_ms <= 0)
        d->lim.default_retry_after_ms = 10000;
    if (d->lim.original_wait_ms <= 0)
        d->lim.original_wait_ms = 500;
    if (d->lim.max_attempts <= 0)
        d->lim.max_attempts = 20;
    if (d->lim.max_age_s <= 0)
        d->lim.max_age_s = 86400;
    d->backoff.base_ms = d->lim.backoff_base_ms;
    d->backoff.cap_ms = d->lim.backoff_cap_ms;
    d->seed = (unsigned)clock_mono_ms();
    return d;
}

void
deliver_free(struct deliver *d)
{
    if (d == NULL)
        return;
    free(d->lanes);
    free(d->buckets);
    free(d->gates);
    free(d);
}

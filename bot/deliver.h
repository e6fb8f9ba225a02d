/* SPDX-License-Identifier: MIT */
/* deliver.h: the delivery engine. Turns pending outbox rows into requests
 * through a platform's deliver_ops and owns everything around them that
 * is the same on every platform: lanes (one row of a lane at a time, in
 * order) and their pacing, Retry-After per rate-limit bucket, per-row
 * backoff, the in-flight cap, long texts sent as several parts, and
 * prerequisites (a DM channel to open first). The clock, the transport
 * and the timer are injected, so tests drive it without a network. */
#ifndef SMK_DELIVER_H
#define SMK_DELIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "err.h"
#include "http.h"
#include "log.h"
#include "outbox.h"
#include "store.h"
#include "strbuf.h"

enum deliver_result {
    DELIVER_OK,
    DELIVER_RETRY,          /* network, 5xx: back off and send again */
    DELIVER_RATELIMITED,    /* 429: the bucket waits Retry-After */
    DELIVER_FAILED,         /* permanent for this row: given up, said once */
    DELIVER_FATAL,          /* the token is refused: nothing more can go */
    DELIVER_ALREADY,        /* a check found the part delivered (ref) */
    DELIVER_REPLAN,         /* the platform changed how this row goes (an
                             * ephemeral refused: a DM): plan it again now,
                             * not counted as a failed try */
};

/* How a row travels; filled by ops->plan. */
struct deliver_plan {
    char lane[200];         /* rows of a lane go one at a time, by id */
    char bucket[48];        /* rate-limit bucket (Slack: the method) */
    int64_t pace_ms;        /* gap after each post in the lane */
    size_t part_max;        /* bytes per part; 0 = the text is one part */
    size_t max_parts;       /* parts at most; the rest is cut */
};

/* One request being built: ops->build fills http, pointing into url and
 * body (which the engine owns and resets before each build). */
struct deliver_req {
    struct http_req http;
    struct strbuf url, body;
    char what[48];          /* names the call in logs: "chat.postMessage" */
    /* room for more headers ("Name: value"): a build that wants them
     * fills header, lists them in headers (NULL-ended) and points
     * http.headers there */
    char header[4][200];
    const char *headers[5];
    bool prerequisite;      /* on OK: ops->resolved, then build again */
    bool check;             /* a prerequisite that looks whether an
                             * in-doubt part arrived: DELIVER_ALREADY when
                             * it did, OK when it did not */
};

/* A row as the ops see it. */
struct deliver_item {
    const struct outbox_row *row;
    const struct outbox_row *original;  /* an update's post (sent), or NULL */
    /* the bot stopped while this part was being sent: a platform that can
     * look (a marker in the post) builds a check first; one that cannot
     * sends it again */
    bool in_doubt;
    int part;                           /* the part being built, from 0 */
};

/* A platform's side of delivery. plat is the platform's own state. */
struct deliver_ops {
    /* Lane, bucket, pacing and parts of a row. Returns 0 ready, 1 not yet
     * (try again after *wait_ms), -1 never (err says why: given up). */
    int (*plan)(void *plat, const struct deliver_item *it,
                struct deliver_plan *p, int64_t *wait_ms, struct err *err);
    /* The request for part (last: the final part, which carries a card).
     * 0, or -1 with err: the row is given up. */
    int (*build)(void *plat, const struct deliver_item *it, const char *part,
                 bool last, struct deliver_req *req, struct err *err);
    /* What an answer means; ref gets the platform's id of a new message,
     * why a short reason for logs and the row. */
    enum deliver_result (*classify)(void *plat, const struct deliver_item *it,
                                    const struct deliver_req *req,
                                    const struct http_resp *resp,
                                    char *ref, size_t reflen,
                                    char *why, size_t whylen);
    /* A prerequisite succeeded: keep what it gave (a DM channel). */
    void (*resolved)(void *plat, const struct deliver_item *it,
                     const struct http_resp *resp);
};

/* What the engine runs on; tests inject their own. */
struct deliver_env {
    void *ud;
    struct clock *clock;                /* Unix seconds for the rows, when
                                         * wall is NULL */
    int64_t (*mono_ms)(void *ud);       /* pacing and waits; NULL = the
                                         * monotonic clock */
    int64_t (*wall)(void *ud);          /* NULL = clock_now(clock) */
    double (*rnd)(void *ud);            /* [0, 1), backoff jitter; NULL =
                                         * rand_r of the engine's own seed */
    /* Starts req; done is called exactly once, possibly before send
     * returns. Returns -1 (done never called) when it cannot start. */
    int (*send)(void *ud, const struct http_req *req, http_done_fn done,
                void *done_ud, struct err *err);
    /* Asks for deliver_pump after delay_ms (the earliest request wins). */
    void (*wake)(void *ud, int64_t delay_ms);
    /* The platform refused the bot's credentials. */
    void (*fatal)(void *ud, const char *why);
};

struct deliver_limits {
    int max_inflight;               /* 0 = 8 */
    int64_t backoff_base_ms;        /* 0 = 1000 */
    int64_t backoff_cap_ms;         /* 0 = 300000 */
    int64_t default_retry_after_ms; /* a 429 without Retry-After; 0 = 10000 */
    int64_t original_wait_ms;       /* an update whose post is not out; 0 = 500 */
    int max_attempts;               /* a row that keeps failing is given up
                                     * after this many tries; 0 = 20 */
    int64_t max_age_s;              /* ... or when it fails this long after
                                     * it was queued; 0 = 86400 */
    const char *const *kinds;       /* the outbox kinds this engine sends,
                                     * NULL-ended; NULL = outbox_chat_kinds */
};

struct deliver;

/* A new engine on store; every pointer is borrowed and must outlive it.
 * limits may be NULL. NULL with err. */
struct deliver *deliver_new(struct store *store, const struct log *log,
                            const struct deliver_ops *ops, void *plat,
                            const struct deliver_env *env,
                            const struct deliver_limits *limits,
                            struct err *err);
/* Frees the engine; requests still in flight must have been cancelled
 * (their done called with cancelled set) first. NULL is a no-op. */
void deliver_free(struct deliver *d);

/* Starts every row that may go now and asks env->wake for the next time
 * something may. */
void deliver_pump(struct deliver *d);
/* New rows were committed: pump soon. */
void deliver_kick(struct deliver *d);
/* Requests in flight. */
int deliver_inflight(const struct deliver *d);
/* Stops starting requests (shutdown, or a fatal answer). */
void deliver_stop(struct deliver *d);

#endif

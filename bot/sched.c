/* SPDX-License-Identifier: MIT */
/* sched.c: the bot's own clock. Every time-driven post of product.md
 * section 4 is a job computed from the data (leads, meetings, [schedule]),
 * never a queue of its own that could drift from it:
 *
 *   sla50/sla100/sla200:<lead>:<handed_off_at>  the SLA reminder, breach
 *                     and escalation of one handoff, at 50%, 100% and 200%
 *                     of the lead's own window (handoff to due_at, which
 *                     `sla set` recomputes: a point it moves into the past
 *                     is due at the change); a reassignment changes
 *                     handed_off_at, so the new rep's clock starts afresh,
 *                     and accept or reject moves the lead out of handed_off
 *   meeting:<id>:<date>   the reminder of one meeting occurrence
 *   nudge:<date>, digest:<date>, monthly:<yyyy-mm>   the weekly and monthly
 *                     posts
 *   revisit:<lead>:<date>   marketing's reminder to look again at a lead
 *                     rejected or lost with until=<date> (lib/revisit.c)
 *   persona_review:<date>   the managers' reminder to review the buyer
 *                     personas (lib/persona.c: months after the last review)
 *
 * Exactly once: a job fires by inserting its key into firings in the same
 * transaction as its outbox posts, and a key already there never fires
 * again. A digest, nudge or meeting reminder more than a day late (the bot
 * was down) is recorded as dropped instead; an SLA breach or escalation is
 * sent however late, marked late. Recurring jobs are looked for after a watermark (the
 * last time everything due was handled, kept in settings) so a restart
 * finds what it missed without scanning history; SLA jobs come from the
 * open handoffs, skipping those whose escalation is already recorded.
 *
 * The jobs live in memory between changes: bot_changed() and writes by
 * other processes (PRAGMA data_version) mark them stale, and a firing
 * replaces only its own job, so a backlog of hundreds of deadlines costs
 * one rebuild, not one per firing. */
#include "sched.h"
#include "sched_post.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot.h"
#include "i18n.h"
#include "meeting.h"
#include "persona.h"
#include "revisit.h"
#include "sla.h"
#include "stats.h"

/* After a failed firing, try that job again this much later. */
#define SCHED_RETRY 60
/* A recurring job looks this far back at most after a long downtime; older
 * occurrences are neither posted nor recorded. */
#define SCHED_MAX_BACKLOG (62 * 86400)
/* Most recorded occurrences one recurring job steps over. */
#define SCHED_MAX_STEPS 1000

#define WATERMARK_KEY "sched.watermark"

/* the metrics' label of each kind; every kind has one */
static const char *const kind_names[] = {
    "sla50", "sla100", "sla200", "meeting", "nudge", "digest", "monthly", "revisit",
    "persona_review",
};
_Static_assert(sizeof(kind_names) / sizeof(kind_names[0]) == JOB_KINDS, "a kind without a name");

struct sched {
    struct bot *bot;
    bool loaded;                /* watermark read */
    bool stale;                 /* jobs must be rebuilt from the data */
    int64_t watermark;          /* every job due at or before it is handled */
    int64_t data_version;       /* PRAGMA data_version of the last build */
    struct job *jobs;           /* unordered; the earliest is searched */
    int njobs, alloc;
};

struct sched *
sched_new(struct bot *bot, struct err *err)
{
    struct sched *s = calloc(1, sizeof(*s));

    if (s == NULL) {
        err_set(err, _("out of memory"));
        return NULL;
    }
    s->bot = bot;
    s->stale = true;
    return s;
}

void
sched_free(struct sched *s)
{
    if (s == NULL)
        return;
    free(s->jobs);
    free(s);
}

void
sched_changed(struct sched *s)
{
    if (s != NULL)
        s->stale = true;
}

static int
push_job(struct sched *s, const struct job *j, struct err *err)
{
    if (s->njobs == s->alloc) {
        int alloc = s->alloc ? s->alloc * 2 : 64;
        struct job *v = realloc(s->jobs, (size_t)alloc * sizeof(*v));

        if (v == NULL) {
            err_set(err, _("out of memory"));
            return -1;
        }
        s->jobs = v;
        s->alloc = alloc;
    }
    s->jobs[s->njobs++] = *j;
    return 0;
}

/* Is key recorded in firings (fired, dropped or cancelled)? 1, 0, -1. */
static int
recorded(struct sched *s, const char *key, struct err *err)
{
    int64_t one = 0;

    return store_query_int(s->bot->store, err, &one,
                           "SELECT 1 FROM firings WHERE key = ?", "s", key);
}

/* Queues j unless its key is recorded in firings already (it fired, or
 * was dropped or cancelled, exactly once). 0, or -1 with err. */
static int
push_new_job(struct sched *s, const struct job *j, struct err *err)
{
    int found = recorded(s, j->key, err);

    if (found != 0)
        return found < 0 ? -1 : 0;
    return push_job(s, j, err);
}

/* The key of a recurring job at t. */
static void
recurring_key(enum job_kind kind, int64_t id, int64_t t, char *buf, size_t len)
{
    char day[16];

    clock_format_date(t, day, sizeof(day));
    switch (kind) {
    case JOB_MEETING:
        snprintf(buf, len, "meeting:%lld:%s", (long long)id, day);
        break;
    case JOB_NUDGE:
        snprintf(buf, len, "nudge:%s", day);
        break;
    case JOB_DIGEST:
        snprintf(buf, len, "digest:%s", day);
        break;
    case JOB_MONTHLY:
        snprintf(buf, len, "monthly:%.7s", day);
        break;
    default:
        buf[0] = '\0';
    }
}

/* The first business day of a month at [schedule] monthly_report, at or
 * after from; 0 when the next year has none. */
static int64_t
monthly_next(const struct config *cfg, int64_t from)
{
    struct tm tm;
    int y, m;

    clock_local(from, &tm);
    y = tm.tm_year + 1900;
    m = tm.tm_mon + 1;
    for (int i = 0; i < 13; i++) {
        for (int d = 1; d <= 31; d++) {
            /* noon: a day number that no DST change can move */
            int64_t noon = clock_from_local(y, m, d, 12, 0), t;

            clock_local(noon, &tm);
            if (tm.tm_mon + 1 != m)
                break;          /* past the month's last day */
            if (!bizhours_is_workday(&cfg->hours, noon))
                continue;
            t = clock_from_local(y, m, d, cfg->monthly_hour, cfg->monthly_min);
            if (t >= from)
                return t;
            break;              /* this month's report is behind us */
        }
        if (++m > 12) {
            m = 1;
            y++;
        }
    }
    return 0;
}

static int64_t
weekly_next(const struct weekly_at *w, int64_t from)
{
    struct cadence c = { .kind = CADENCE_WEEKLY, .weeks = 1, .months = 1,
                         .wday = w->wday };

    return cadence_next(&c, w->hour, w->min, 0, from);
}

/* Fills j with the first occurrence of a recurring job whose due time is
 * at or after from and whose key is not recorded. Returns 1 found, 0 none
 * (the job ends), -1 error. m is the meeting for JOB_MEETING. */
static int
recurring_next(struct sched *s, struct job *j, const struct meeting *m,
               int64_t from, struct err *err)
{
    const struct config *cfg = &s->bot->cfg;

    for (int step = 0; step < SCHED_MAX_STEPS; step++) {
        int64_t t = 0, due;
        int rc;

        switch (j->kind) {
        case JOB_MEETING:
            /* the reminder comes remind before the start, never before
             * the meeting was created */
            if (from < m->created_at)
                from = m->created_at;
            t = meeting_next_held(s->bot->store, m, from + m->remind, err);
            if (t < 0)
                return -1;
            break;
        case JOB_NUDGE:
            t = weekly_next(&cfg->nudge_at, from);
            break;
        case JOB_DIGEST:
            t = weekly_next(&cfg->digest_at, from);
            break;
        case JOB_MONTHLY:
            t = monthly_next(cfg, from);
            break;
        default:
            return 0;
        }
        if (t == 0)
            return 0;
        due = j->kind == JOB_MEETING ? t - m->remind : t;
        recurring_key(j->kind, j->id, t, j->key, sizeof(j->key));
        if ((rc = recorded(s, j->key, err)) < 0)
            return -1;
        if (rc == 0) {
            j->due = due;
            j->at = t;
            j->retry_at = 0;
            return 1;
        }
        from = due + 1;
    }
    return 0;
}

static int
add_recurring(struct sched *s, enum job_kind kind, const struct meeting *m,
              int64_t from, struct err *err)
{
    struct job j = { .kind = kind, .id = m ? m->id : 0 };
    int rc = recurring_next(s, &j, m, from, err);

    if (rc <= 0)
        return rc;
    return push_job(s, &j, err);
}

struct handoff {
    int64_t lead, at, due;
    int64_t moved_at;           /* the last `sla set` that moved due, or 0 */
};

/* The open handoffs whose escalation is not recorded yet: the only leads
 * that can still fire. Owned array in *out. */
static int
open_handoffs(struct sched *s, struct handoff **out, int *n, struct err *err)
{
    sqlite3_stmt *st = store_query(s->bot->store, err,
        "SELECT id, handed_off_at, coalesce(due_at, 0),"
        " coalesce((SELECT max(e.at) FROM events e WHERE e.lead = leads.id"
        "   AND e.kind = 'deadline_moved' AND e.at >= leads.handed_off_at), 0)"
        " FROM leads WHERE stage = 'handed_off' AND handed_off_at IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM firings WHERE key ="
        "   'sla200:' || leads.id || ':' || leads.handed_off_at)"
        " ORDER BY id", "");
    struct handoff *v = NULL;
    int count = 0, alloc = 0, rc;

    *out = NULL;
    *n = 0;
    if (st == NULL)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == alloc) {
            struct handoff *nv;

            alloc = alloc ? alloc * 2 : 64;
            if ((nv = realloc(v, (size_t)alloc * sizeof(*v))) == NULL) {
                rc = SQLITE_NOMEM;
                break;
            }
            v = nv;
        }
        v[count].lead = sqlite3_column_int64(st, 0);
        v[count].at = sqlite3_column_int64(st, 1);
        v[count].due = sqlite3_column_int64(st, 2);
        v[count].moved_at = sqlite3_column_int64(st, 3);
        count++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        err_set(err, _("database error: %s"), sqlite3_errmsg(store_db(s->bot->store)));
        free(v);
        return -1;
    }
    *out = v;
    *n = count;
    return 0;
}

static const struct {
    enum job_kind kind;
    int percent;
    const char *prefix;
} sla_jobs[] = {
    { JOB_SLA50, 50, "sla50" },
    { JOB_SLA100, 100, "sla100" },
    { JOB_SLA200, 200, "sla200" },
};

static int64_t
handoff_point(struct sched *s, const struct handoff *h, int percent)
{
    if (percent == 100 && h->due > 0)
        return h->due;
    return bizhours_add(&s->bot->cfg.hours, h->at,
                        sla_window(s->bot->store, &s->bot->cfg, h->at, h->due) * percent / 100);
}

static int
add_sla_jobs(struct sched *s, struct err *err)
{
    struct handoff *v = NULL;
    int n = 0, rc = -1;

    if (open_handoffs(s, &v, &n, err) < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        for (size_t k = 0; k < sizeof(sla_jobs) / sizeof(sla_jobs[0]); k++) {
            struct job j = { .kind = sla_jobs[k].kind, .id = v[i].lead,
                             .at = v[i].at };

            snprintf(j.key, sizeof(j.key), "%s:%lld:%lld", sla_jobs[k].prefix,
                     (long long)v[i].lead, (long long)v[i].at);
            j.due = handoff_point(s, &v[i], sla_jobs[k].percent);
            /* a point an SLA change moved into the past is due at the
             * change: it fires once, then, instead of coming out late */
            if (v[i].moved_at > j.due)
                j.due = v[i].moved_at;
            if (push_new_job(s, &j, err) < 0)
                goto out;
        }
    }
    rc = 0;
out:
    free(v);
    return rc;
}

/* One job per standing revisit not fired yet, however old: a reminder to
 * look at a lead again is still worth sending after a downtime. */
static int
add_revisit_jobs(struct sched *s, struct err *err)
{
    struct revisit *v = NULL;
    int n = 0, rc = -1;

    if (revisit_load(s->bot->store, &v, &n, err) < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        struct job j = { .kind = JOB_REVISIT, .id = v[i].lead, .at = v[i].set_at };

        snprintf(j.key, sizeof(j.key), "revisit:%lld:%s", (long long)v[i].lead, v[i].day);
        j.due = revisit_due_at(&s->bot->cfg, v[i].day);
        if (push_new_job(s, &j, err) < 0)
            goto out;
    }
    rc = 0;
out:
    free(v);
    return rc;
}

/* The next review of the personas, when one is due and not reminded of. */
static int
add_persona_review(struct sched *s, struct err *err)
{
    struct job j = { .kind = JOB_PERSONA_REVIEW };
    char day[16];

    if ((j.due = persona_review_due(s->bot->store, &s->bot->cfg, err)) <= 0)
        return (int)j.due;
    clock_format_date(j.due, day, sizeof(day));
    snprintf(j.key, sizeof(j.key), "persona_review:%s", day);
    return push_new_job(s, &j, err);
}

/* Reads the watermark, or starts it at now for a new database: a fresh
 * bot has missed nothing. */
static int
load_watermark(struct sched *s, struct err *err)
{
    char *v = store_get_setting(s->bot->store, WATERMARK_KEY), buf[32];
    int64_t now = clock_now(&s->bot->clock);

    if (v != NULL) {
        s->watermark = strtoll(v, NULL, 10);
        free(v);
    } else {
        s->watermark = now;
        snprintf(buf, sizeof(buf), "%lld", (long long)now);
        if (store_set_setting(s->bot->store, WATERMARK_KEY, buf, err) < 0)
            return -1;
    }
    if (s->watermark < now - SCHED_MAX_BACKLOG) {
        log_warn(&s->bot->log, "sched",
                 "down for more than %d days; older scheduled posts are not looked for",
                 SCHED_MAX_BACKLOG / 86400);
        s->watermark = now - SCHED_MAX_BACKLOG;
    }
    s->loaded = true;
    return 0;
}

static int
rebuild(struct sched *s, struct err *err)
{
    struct meeting *meetings = NULL;
    int nmeetings = 0, rc = -1;
    int64_t from;

    if (!s->loaded && load_watermark(s, err) < 0)
        return -1;
    s->njobs = 0;
    from = s->watermark + 1;
    if (add_sla_jobs(s, err) < 0 || add_revisit_jobs(s, err) < 0 ||
        add_persona_review(s, err) < 0 ||
        add_recurring(s, JOB_NUDGE, NULL, from, err) < 0 ||
        add_recurring(s, JOB_DIGEST, NULL, from, err) < 0 ||
        add_recurring(s, JOB_MONTHLY, NULL, from, err) < 0 ||
        meetings_load(s->bot->store, &meetings, &nmeetings, err) < 0)
        goto out;
    for (int i = 0; i < nmeetings; i++)
        if (add_recurring(s, JOB_MEETING, &meetings[i], from, err) < 0)
            goto out;
    rc = 0;
out:
    meetings_free(meetings, nmeetings);
    return rc;
}

/* Rebuilds the jobs when the data changed since the last build. */
static int
refresh(struct sched *s)
{
    struct err err = { 0 };
    int64_t version = 0;

    /* writes by another process; our own come through sched_changed */
    if (store_query_int(s->bot->store, NULL, &version, "PRAGMA data_version", "") > 0 &&
        version != s->data_version) {
        s->data_version = version;
        s->stale = true;
    }
    if (!s->stale)
        return 0;
    if (rebuild(s, &err) < 0) {
        log_err(&s->bot->log, "sched", "cannot plan the scheduled posts: %s", err.msg);
        return -1;
    }
    s->stale = false;
    return 0;
}

static int64_t
job_time(const struct job *j)
{
    return j->retry_at > j->due ? j->retry_at : j->due;
}

/* Does a fire before b? Time, then kind, then id: a backlog comes out in
 * a stable order. */
static bool
job_before(const struct job *a, const struct job *b)
{
    if (job_time(a) != job_time(b))
        return job_time(a) < job_time(b);
    if (a->kind != b->kind)
        return a->kind < b->kind;
    return a->id < b->id;
}

static struct job *
earliest(struct sched *s)
{
    struct job *best = NULL;

    for (int i = 0; i < s->njobs; i++)
        if (best == NULL || job_before(&s->jobs[i], best))
            best = &s->jobs[i];
    return best;
}

int64_t
sched_next_due(struct sched *s)
{
    struct job *j;

    if (s == NULL || refresh(s) < 0)
        return 0;
    j = earliest(s);
    return j ? job_time(j) : 0;
}

/* --- what each job posts ---------------------------------------------- */

/* Fires j at now in one transaction: the firings row and its posts.
 * Returns 1 fired, 0 recorded without a post (dropped, cancelled or
 * already there), -1 error (nothing changed). */
static int
fire(struct sched *s, const struct job *j, int64_t now, struct err *err)
{
    struct store *store = s->bot->store;
    /* a reminder of a meeting long past or an old digest is noise; an SLA
     * point is a promise broken, and said however late, as is a reminder
     * to look at a lead or the personas again (rare, and still due) */
    bool late = j->kind > JOB_SLA200 && j->kind < JOB_REVISIT &&
                now - j->due >= SCHED_MAX_LATE;
    int rc = 0;

    if (store_begin(store, err) < 0)
        return -1;
    if (store_exec(store, err,
                   "INSERT INTO firings(key, due_at, fired_at, outcome)"
                   " VALUES (?, ?, ?, ?) ON CONFLICT(key) DO NOTHING",
                   "sIIs", j->key, j->due, now, late ? "dropped" : "fired") < 0)
        goto fail;
    if (store_changes(store) == 0) {
        store_rollback(store);
        return 0;               /* it fired before: exactly once */
    }
    if (!late) {
        rc = sched_post(s->bot, j, now, err);
        if (rc < 0)
            goto fail;
        if (rc > 0 &&
            store_exec(store, err, "UPDATE firings SET outcome = 'cancelled' WHERE key = ?",
                       "s", j->key) < 0)
            goto fail;
    }
    if (store_commit(store, err) < 0)
        return -1;
    metric_inc(&stats_sched_firings, kind_names[j->kind], late ? "dropped" : rc > 0 ? "cancelled" : "fired");
    if (late) {
        char due[40], lateness[32];

        clock_format_iso(j->due, due, sizeof(due));
        clock_format_duration(now - j->due, lateness, sizeof(lateness));
        log_warn(&s->bot->log, "sched", "%s was due %s; %s late, so it is dropped",
                 j->key, due, lateness);
        return 0;
    }
    return rc == 0 ? 1 : 0;
fail:
    store_rollback(store);
    return -1;
}

/* After j was handled: the next occurrence of a recurring job, or the end
 * of a one-off. */
static int
advance_job(struct sched *s, struct job *j, struct err *err)
{
    struct meeting m = { 0 };
    int rc = 0;

    if (j->kind == JOB_MEETING) {
        rc = meeting_find(s->bot->store, j->id, &m, err);
        if (rc > 0 && m.removed_at == 0)
            rc = recurring_next(s, j, &m, j->due + 1, err);
        else if (rc > 0)
            rc = 0;
    } else if (j->kind >= JOB_NUDGE && j->kind <= JOB_MONTHLY) {
        rc = recurring_next(s, j, NULL, j->due + 1, err);
    }
    meeting_release(&m);
    if (rc <= 0)
        *j = s->jobs[--s->njobs];   /* done (or lost: a rebuild finds it) */
    return rc < 0 ? -1 : 0;
}

static void
save_watermark(struct sched *s, int64_t w)
{
    struct err err = { 0 };
    char buf[32];

    if (w <= s->watermark)
        return;
    s->watermark = w;
    snprintf(buf, sizeof(buf), "%lld", (long long)w);
    if (store_set_setting(s->bot->store, WATERMARK_KEY, buf, &err) < 0)
        log_err(&s->bot->log, "sched", "cannot save the watermark: %s", err.msg);
}

int
sched_run_due(struct sched *s, int64_t now)
{
    int64_t mark = now;
    int fired = 0;
    struct job *j;

    if (s == NULL)
        return 0;
    if (refresh(s) < 0)
        return -1;
    while ((j = earliest(s)) != NULL && job_time(j) <= now) {
        struct err err = { 0 };
        int rc = fire(s, j, now, &err);

        if (rc < 0) {
            log_err(&s->bot->log, "sched", "%s: %s; trying again in %ds", j->key,
                    err.msg, SCHED_RETRY);
            j->retry_at = now + SCHED_RETRY;
            /* keep the failed job ahead of the watermark for a restart */
            if (j->due - 1 < mark)
                mark = j->due - 1;
            continue;
        }
        fired += rc;
        if (advance_job(s, j, &err) < 0) {
            log_err(&s->bot->log, "sched", "cannot plan the next post: %s", err.msg);
            s->stale = true;
        }
    }
    save_watermark(s, mark);
    return fired;
}

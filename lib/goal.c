/* SPDX-License-Identifier: MIT */
/* goal.c: shared goals, their periods and their progress from the events. */
#include "format.h"
#include "goal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "chart.h"
#include "clock.h"
#include "event.h"
#include "funnel.h"
#include "i18n.h"
#include "period.h"

#define DAY 86400
#define WEEK (7 * DAY)
/* The pace is given per day once this little of the period is left. */
#define PER_DAY_BELOW (14 * DAY)

static const char *const metrics[] = { "mqls", "sqls", "won", "revenue", "handoffs",
                                       "conversion" };

void
goal_release(struct goal *g)
{
    free(g->title);
    free(g->metric);
    free(g->period);
    free(g->team);
    memset(g, 0, sizeof(*g));
}

bool
goal_metric_valid(const char *m)
{
    for (size_t i = 0; i < sizeof(metrics) / sizeof(metrics[0]); i++)
        if (strcmp(m, metrics[i]) == 0)
            return true;
    return false;
}

int64_t
goal_insert(struct store *s, const char *title, const char *metric,
            int64_t target, double growth, const char *team, const char *period,
            const char *actor, int64_t now, struct err *err)
{
    if (store_exec(s, err,
                   "INSERT INTO goals(title, metric, target, period, created_by,"
                   " created_at, growth, team) VALUES (?, ?, ?, ?, ?, ?, nullif(?, 0.0), ?)",
                   "ssIssIds", title, metric, target, period, actor, now, growth, team) < 0)
        return -1;
    return store_last_id(s);
}

#define GOAL_COLUMNS "id, title, metric, target, period, coalesce(growth, 0), team"

/* Fills g from a row of GOAL_COLUMNS (the first five NOT NULL, so a NULL
 * copy means memory ran out). */
static int
read_goal(sqlite3_stmt *st, struct goal *g, struct err *err)
{
    g->id = sqlite3_column_int64(st, 0);
    g->title = store_col_dup(st, 1);
    g->metric = store_col_dup(st, 2);
    g->target = (int64_t)llround(sqlite3_column_double(st, 3));
    g->period = store_col_dup(st, 4);
    g->growth = sqlite3_column_double(st, 5);
    g->team = store_col_dup(st, 6);
    if (g->title == NULL || g->metric == NULL || g->period == NULL) {
        err_set(err, _("out of memory"));
        return -1;
    }
    if (period_parse(g->period, &g->from, &g->to) < 0)
        g->from = g->to = 0;    /* unreadable: shown, never current */
    return 0;
}

int
goal_find(struct store *s, int64_t id, struct goal *g, struct err *err)
{
    sqlite3_stmt *st;
    int rc;

    memset(g, 0, sizeof(*g));
    st = store_query(s, err,
                     "SELECT " GOAL_COLUMNS " FROM goals"
                     " WHERE id = ? AND removed_at IS NULL",
                     "I", id);
    if (st == NULL)
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        rc = read_goal(st, g, err) < 0 ? -1 : 1;
    else if (rc == SQLITE_DONE)
        rc = 0;
    else {
        err_set(err, _("database error: %s"), sqlite3_errmsg(store_db(s)));
        rc = -1;
    }
    sqlite3_reset(st);
    return rc;
}

int
goal_remove(struct store *s, int64_t id, int64_t now, struct err *err)
{
    return store_exec(s, err,
                      "UPDATE goals SET removed_at = ? WHERE id = ?"
                      " AND removed_at IS NULL",
                      "II", now, id);
}

int
goal_progress(struct store *s, const char *metric, int64_t from, int64_t to,
              int64_t *value, struct err *err)
{
    const char *kind;

    *value = 0;
    if (strcmp(metric, "revenue") == 0)
        return store_query_int(s, err, value,
                               /* the lead's amount: `lead edit` corrects it */
                               "SELECT coalesce(sum(l.amount), 0) FROM events e"
                               " JOIN leads l ON l.id = e.lead WHERE e.kind = 'won'"
                               " AND e.at >= ? AND e.at < ? AND " EVENT_STANDS("e"),
                               "II", from, to) < 0 ? -1 : 0;
    if (strcmp(metric, "conversion") == 0) {
        struct funnel f;

        /* the funnel's own cohort, so the two read the same rate */
        if (funnel_count(s, from, to, FUNNEL_BY_SOURCE, NULL, &f, err) < 0)
            return -1;
        if (f.total.n[FUNNEL_MQL] > 0)
            *value = f.total.n[FUNNEL_SQL] * 100 / f.total.n[FUNNEL_MQL];
        funnel_release(&f);
        return 0;
    }
    if (strcmp(metric, "mqls") == 0)
        kind = "created";
    else if (strcmp(metric, "handoffs") == 0)
        kind = "handoff";
    else if (strcmp(metric, "sqls") == 0)
        kind = "accepted";
    else if (strcmp(metric, "won") == 0)
        kind = "won";
    else
        return 0;
    return store_query_int(s, err, value,
                           "SELECT count(DISTINCT lead) FROM events"
                           " WHERE kind = ? AND at >= ? AND at < ? AND " EVENT_STANDS("events"),
                           "sII", kind, from, to) < 0 ? -1 : 0;
}

/* "12" or, for revenue (in cents), "12,500". */
static void
format_amount(const char *metric, const char *currency, int64_t v, char *buf, size_t len)
{
    if (strcmp(metric, "revenue") == 0)
        format_money_cur(v, currency, buf, len);
    else if (strcmp(metric, "conversion") == 0)
        snprintf(buf, len, "%lld%%", (long long)v);
    else
        snprintf(buf, len, "%lld", (long long)v);
}

static const char *
metric_noun(const char *metric)
{
    if (strcmp(metric, "mqls") == 0)
        return _("MQLs");
    if (strcmp(metric, "sqls") == 0)
        return _("SQLs");
    if (strcmp(metric, "won") == 0)
        return _("deals won");
    if (strcmp(metric, "handoffs") == 0)
        return _("handoffs");
    if (strcmp(metric, "conversion") == 0)
        return _("MQL→SQL conversion");
    return _("revenue");
}

/* "4.2" or "4" (a rate, one decimal when it has one). */
static void
format_rate(const char *metric, const char *currency, double rate, char *buf,
            size_t len)
{
    if (strcmp(metric, "revenue") == 0) {
        format_money_cur((int64_t)ceil(rate), currency, buf, len);
        return;
    }
    rate = ceil(rate * 10) / 10;        /* never promise less than needed */
    if (rate == floor(rate))
        snprintf(buf, len, "%.0f", rate);
    else
        snprintf(buf, len, "%.1f", rate);
}

int
goal_target(struct store *s, const struct goal *g, int64_t *target, int64_t *prev,
            struct err *err)
{
    char before[16];
    int64_t pfrom, pto;

    *prev = 0;
    if (g->growth <= 0) {
        *target = strcmp(g->metric, "revenue") == 0 ? g->target * 100 : g->target;
        return 0;
    }
    *target = 0;
    if (period_prev(g->period, before, sizeof(before)) < 0 ||
        period_parse(before, &pfrom, &pto) < 0)
        return 0;
    if (goal_progress(s, g->metric, pfrom, pto, prev, err) < 0)
        return -1;
    *target = (int64_t)ceil((double)*prev * (100.0 + g->growth) / 100.0 - 1e-9);
    /* growth from nothing, or too little to round up, is still growth */
    if (*target <= *prev)
        *target = *prev + 1;
    return 0;
}

/* Is g behind its pace at t: less than an even pace through the period
 * asks by then (for conversion, a rate, below the target)? 1, 0, -1. */
static int
behind_at(struct store *s, const struct goal *g, int64_t target, int64_t t,
          struct err *err)
{
    int64_t v;

    if (goal_progress(s, g->metric, g->from, t, &v, err) < 0)
        return -1;
    if (strcmp(g->metric, "conversion") == 0)
        return v < target;
    return (double)v < (double)target * (double)(t - g->from) / (double)(g->to - g->from);
}

/* Behind its pace now, a week ago and two weeks ago (all inside the
 * period): not a bad day, a trend. 1, 0, -1. */
static int
behind_two_weeks(struct store *s, const struct goal *g, int64_t target, int64_t now,
                 struct err *err)
{
    if (now - 2 * WEEK <= g->from || now >= g->to)
        return 0;
    for (int w = 0; w <= 2; w++) {
        int rc = behind_at(s, g, target, now - w * WEEK, err);

        if (rc <= 0)
            return rc;
    }
    return 1;
}

/* One goal's line: progress, a bar, and what it still takes. */
static void
format_goal(const struct goal *g, const char *currency, int64_t value, int64_t target,
            int64_t prev, int64_t now, struct strbuf *out)
{
    bool rate = strcmp(g->metric, "conversion") == 0;
    int64_t left = target - value, start, secs;
    char have[64], want[64], rate_s[64], end[16], before[16];

    format_amount(g->metric, currency, value, have, sizeof(have));
    format_amount(g->metric, currency, target, want, sizeof(want));
    strbuf_printf(out, "G-%lld %s", (long long)g->id, g->title);
    if (g->team)
        strbuf_printf(out, _(" (%s)"), g->team);
    strbuf_printf(out, _(": %s of %s %s in %s (%lld%%)"), have, want, metric_noun(g->metric),
                  g->period, (long long)(target > 0 ? value * 100 / target : 0));
    if (g->growth > 0 && period_prev(g->period, before, sizeof(before)) == 0) {
        format_amount(g->metric, currency, prev, rate_s, sizeof(rate_s));
        strbuf_printf(out, _(" [+%g%% over %s's %s]"), g->growth, before, rate_s);
    }
    if (value > 0) {
        strbuf_putc(out, ' ');
        chart_bar(out, value, target, 10);
    }
    if (left <= 0) {
        strbuf_puts(out, _("; reached"));
        return;
    }
    if (g->to == 0)
        return;
    format_amount(g->metric, currency, left, have, sizeof(have));
    if (now >= g->to) {
        strbuf_printf(out, _("; ended %s short"), have);
        return;
    }
    clock_format_date(g->to - 1, end, sizeof(end));
    if (rate) {
        /* a rate has no pace to spread over the weeks */
        strbuf_printf(out, _("; %lld points to go by %s"), (long long)left, end);
    } else {
        start = now > g->from ? now : g->from;
        secs = g->to - start;
        if (secs < PER_DAY_BELOW) {
            format_rate(g->metric, currency, (double)left * DAY / (double)secs, rate_s,
                        sizeof(rate_s));
            strbuf_printf(out, _("; %s to go by %s: %s per day"), have, end, rate_s);
        } else {
            format_rate(g->metric, currency, (double)left * WEEK / (double)secs, rate_s,
                        sizeof(rate_s));
            strbuf_printf(out, _("; %s to go by %s: %s per week"), have, end, rate_s);
        }
    }
    if (now < g->from) {
        clock_format_date(g->from, end, sizeof(end));
        strbuf_printf(out, _(" (starts %s)"), end);
    }
}

/* The live goals, read whole (progress runs other statements): an owned
 * array in *out. */
static int
load_goals(struct store *s, struct goal **out, size_t *count, struct err *err)
{
    struct goal *goals = NULL;
    size_t n = 0, alloc = 0;
    sqlite3_stmt *st;
    int rc, ret = -1;

    *out = NULL;
    *count = 0;
    st = store_query(s, err,
                     "SELECT " GOAL_COLUMNS " FROM goals"
                     " WHERE removed_at IS NULL ORDER BY id",
                     "");
    if (st == NULL)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == alloc) {
            size_t want = alloc ? alloc * 2 : 8;
            struct goal *grown = realloc(goals, want * sizeof(*goals));

            if (grown == NULL) {
                err_set(err, _("out of memory"));
                goto out;
            }
            goals = grown;
            alloc = want;
        }
        memset(&goals[n], 0, sizeof(goals[n]));
        if (read_goal(st, &goals[n++], err) < 0)
            goto out;
    }
    if (rc != SQLITE_DONE) {
        err_set(err, _("database error: %s"), sqlite3_errmsg(store_db(s)));
        goto out;
    }
    ret = 0;
out:
    sqlite3_reset(st);
    if (ret < 0) {
        for (size_t i = 0; i < n; i++)
            goal_release(&goals[i]);
        free(goals);
        return -1;
    }
    *out = goals;
    *count = n;
    return 0;
}

static void
free_goals(struct goal *goals, size_t n)
{
    for (size_t i = 0; i < n; i++)
        goal_release(&goals[i]);
    free(goals);
}

int
goal_celebrate(struct store *s, int64_t now, const char *currency, struct strbuf *out,
               struct err *err)
{
    struct goal *goals = NULL;
    size_t n = 0;
    int shown = 0;

    if (load_goals(s, &goals, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct goal *g = &goals[i];
        int64_t value, target, prev, done = 0;
        char have[64], want[64];
        json_t *data;
        int rc;

        if (!(g->from <= now && now < g->to))
            continue;
        if (store_query_int(s, err, &done,
                            "SELECT 1 FROM events WHERE kind = 'goal_reached'"
                            " AND json_extract(data, '$.goal') = ?", "I", g->id) < 0 ||
            goal_target(s, g, &target, &prev, err) < 0 ||
            goal_progress(s, g->metric, g->from, now + 1, &value, err) < 0)
            goto fail;
        if (done || target <= 0 || value < target)
            continue;
        data = json_pack("{s:I, s:s, s:I, s:I}", "goal", (json_int_t)g->id, "title", g->title,
                         "value", (json_int_t)value, "target", (json_int_t)target);
        rc = data ? event_append(s, 0, "goal_reached", NULL, now, data, err) : -1;
        json_decref(data);
        if (rc < 0) {
            if (!data)
                err_set(err, _("out of memory"));
            goto fail;
        }
        format_amount(g->metric, currency, value, have, sizeof(have));
        format_amount(g->metric, currency, target, want, sizeof(want));
        strbuf_printf(out, _("%s🎯 Goal reached: G-%lld %s, %s of %s %s in %s. Well done, both teams!"),
                      shown++ ? "\n" : "", (long long)g->id, g->title, have, want,
                      metric_noun(g->metric), g->period);
    }
    free_goals(goals, n);
    return shown;
fail:
    free_goals(goals, n);
    return -1;
}

int
goal_list(struct store *s, int64_t now, bool current_only, const char *currency,
          struct strbuf *out, struct err *err)
{
    struct goal *goals = NULL;
    size_t n = 0;
    int shown = 0;

    if (load_goals(s, &goals, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int64_t value, target, prev;
        int behind = 0;

        if (current_only && !(goals[i].from <= now && now < goals[i].to))
            continue;
        if (goal_progress(s, goals[i].metric, goals[i].from, goals[i].to, &value, err) < 0 ||
            goal_target(s, &goals[i], &target, &prev, err) < 0 ||
            (current_only && value < target &&
             (behind = behind_two_weeks(s, &goals[i], target, now, err)) < 0)) {
            shown = -1;
            goto out;
        }
        format_goal(&goals[i], currency, value, target, prev, now, out);
        if (behind)
            strbuf_puts(out, _("; ⚠ behind its pace for two weeks"));
        strbuf_putc(out, '\n');
        shown++;
    }
    if (shown > 0)
        out->buf[--out->len] = '\0';  /* the last line's newline */
out:
    free_goals(goals, n);
    return shown;
}

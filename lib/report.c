/* SPDX-License-Identifier: MIT */
/* report.c: SLA figures, the monthly SLA report, the agenda's status lines,
 * and the pieces the weekly digest (lib/digest.c) shares with them.
 *
 * Flows (MQLs created, handoffs, answers, wins) come from the append-only
 * events table, so a report for a past window stays what it was; states
 * (who is over the deadline now) come from the leads table. */
#include "format.h"
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bizhours.h"
#include "campaign.h"
#include "clock.h"
#include "event.h"
#include "funnel.h"
#include "goal.h"
#include "i18n.h"
#include "sla.h"

#define DAY 86400
#define OVERDUE_MAX 10          /* leads listed by `sla` */

static const char *const month_names[] = {
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"),
    N_("June"), N_("July"), N_("August"), N_("September"), N_("October"),
    N_("November"), N_("December"),
};

const char *
report_source_label(const char *source)
{
    return source[0] ? source : _("(no source)");
}

/* Drops the newline the last appended line ended with. */
static void
trim_newline(struct strbuf *out)
{
    if (out->len > 0 && out->buf[out->len - 1] == '\n')
        out->buf[--out->len] = '\0';
}

/* Appends text line by line, each line prefixed by indent and ended by a
 * newline (lists made by other modules are flush left). */
void
report_append_indented(struct strbuf *out, const char *text, const char *indent)
{
    while (*text) {
        size_t n = strcspn(text, "\n");

        strbuf_puts(out, indent);
        strbuf_add(out, text, n);
        strbuf_putc(out, '\n');
        text += n;
        if (*text == '\n')
            text++;
    }
}

int64_t
report_percentile(const int64_t *sorted, size_t n, int p)
{
    double rank, frac;
    size_t lo;

    if (n == 0)
        return -1;
    if (p <= 0)
        return sorted[0];
    if (p >= 100)
        return sorted[n - 1];
    rank = (double)p / 100.0 * (double)(n - 1);
    lo = (size_t)rank;
    frac = rank - (double)lo;
    if (lo + 1 >= n)
        return sorted[n - 1];
    return sorted[lo] +
           (int64_t)llround(frac * (double)(sorted[lo + 1] - sorted[lo]));
}

void
report_month_bounds(int64_t t, int64_t *from, int64_t *to)
{
    struct tm tm;
    int y, m;

    clock_local(t, &tm);
    y = tm.tm_year + 1900;
    m = tm.tm_mon + 1;
    *from = clock_from_local(y, m, 1, 0, 0);
    *to = m == 12 ? clock_from_local(y + 1, 1, 1, 0, 0)
                  : clock_from_local(y, m + 1, 1, 0, 0);
}

/* "November 2026" for the month containing t. */
static void
month_name(int64_t t, char *buf, size_t len)
{
    struct tm tm;

    clock_local(t, &tm);
    snprintf(buf, len, "%s %d", _(month_names[tm.tm_mon]), tm.tm_year + 1900);
}

static int
cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

int
report_responses(struct store *s, int64_t from, int64_t to,
                 int64_t target_secs, struct report_response *r,
                 struct err *err)
{
    sqlite3_stmt *st;
    int64_t *v = NULL;
    size_t n = 0, alloc = 0;
    int rc, ret = -1;

    memset(r, 0, sizeof(*r));
    r->median = r->p90 = -1;
    st = store_query(s, err,
                     "SELECT json_extract(data, '$.secs'),"
                     " json_extract(data, '$.met') FROM events"
                     " WHERE kind IN ('accepted', 'rejected')"
                     " AND at >= ? AND at < ?"
                     " AND json_extract(data, '$.secs') IS NOT NULL",
                     "II", from, to);
    if (st == NULL)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t secs = sqlite3_column_int64(st, 0);
        bool within = sqlite3_column_type(st, 1) == SQLITE_NULL
                          ? secs <= target_secs
                          : sqlite3_column_int(st, 1) != 0;

        if (n == alloc) {
            size_t want = alloc ? alloc * 2 : 64;
            int64_t *grown = realloc(v, want * sizeof(*v));

            if (grown == NULL) {
                err_set(err, _("out of memory"));
                goto out;
            }
            v = grown;
            alloc = want;
        }
        v[n++] = secs < 0 ? 0 : secs;
        r->within += within;
    }
    if (rc != SQLITE_DONE) {
        store_error(s, err);
        goto out;
    }
    if (n > 0)
        qsort(v, n, sizeof(*v), cmp_i64);
    r->n = (int)n;
    r->median = report_percentile(v, n, 50);
    r->p90 = report_percentile(v, n, 90);
    ret = 0;
out:
    sqlite3_reset(st);
    free(v);
    return ret;
}

/* Leads still unanswered whose deadline fell in [from, to). */
static int
open_breaches(struct store *s, int64_t from, int64_t to, int64_t *n,
              struct err *err)
{
    *n = 0;
    return store_query_int(s, err, n,
                           "SELECT count(*) FROM leads WHERE stage = 'handed_off'"
                           " AND due_at >= ? AND due_at < ?",
                           "II", from, to) < 0 ? -1 : 0;
}

int
report_sla_share(struct store *s, const struct config *cfg, int64_t from,
                 int64_t now, struct report_response *r, struct err *err)
{
    int64_t open = 0;

    /* now + 1: an answer given this very second counts */
    if (report_responses(s, from, now + 1, sla_response_secs(s, cfg), r, err) < 0 ||
        open_breaches(s, from, now, &open, err) < 0)
        return -1;
    r->overdue = open;
    return 0;
}

void
report_format_share(const struct report_response *r, struct strbuf *out)
{
    int64_t due = r->n + r->overdue;

    if (due == 0) {
        strbuf_puts(out, _("no handoffs answered or due"));
        return;
    }
    /* a lead still waiting past its deadline is a miss, not a gap */
    strbuf_printf(out, _("%d of %lld within target (%lld%%)"), r->within, (long long)due,
                  (long long)(r->within * 100 / due));
    if (r->overdue > 0)
        strbuf_printf(out, P_(", counting %lld unanswered past its deadline",
                              ", counting %lld unanswered past their deadline", r->overdue),
                      (long long)r->overdue);
}

/* Distinct leads with an event of kind in [from, to). */
int
report_count_leads(struct store *s, const char *kind, int64_t from, int64_t to,
           int64_t *n, struct err *err)
{
    *n = 0;
    return store_query_int(s, err, n,
                           "SELECT count(DISTINCT lead) FROM events"
                           " WHERE kind = ? AND at >= ? AND at < ? AND " EVENT_STANDS("events"),
                           "sII", kind, from, to) < 0 ? -1 : 0;
}

/* Recycled leads that marketing handed off again in [from, to). */
int
report_count_rehandoffs(struct store *s, int64_t from, int64_t to, int64_t *n,
                 struct err *err)
{
    *n = 0;
    return store_query_int(s, err, n,
                           "SELECT count(DISTINCT e.lead) FROM events e"
                           " WHERE e.kind = 'handoff' AND e.at >= ? AND e.at < ?"
                           " AND EXISTS (SELECT 1 FROM events r"
                           "  WHERE r.lead = e.lead AND r.kind = 'rejected'"
                           "  AND r.at <= e.at)",
                           "II", from, to) < 0 ? -1 : 0;
}

int64_t
report_mql_target_at(struct store *s, const struct config *cfg, int64_t t)
{
    int64_t v = 0;

    if (store_query_int(s, NULL, &v,
                        "SELECT json_extract(data, '$.mql_target') FROM events"
                        " WHERE kind = 'sla_set' AND at < ?"
                        " AND json_extract(data, '$.mql_target') IS NOT NULL"
                        " ORDER BY at DESC, id DESC LIMIT 1",
                        "I", t) > 0 && v > 0)
        return v;
    v = 0;
    if (store_query_int(s, NULL, &v,
                        "SELECT json_extract(data, '$.prev_mql_target') FROM events"
                        " WHERE kind = 'sla_set' AND at >= ?"
                        " ORDER BY at, id LIMIT 1",
                        "I", t) > 0 && v > 0)
        return v;
    return sla_mql_target(s, cfg);
}

int
report_mql_pace(struct store *s, const struct config *cfg, int64_t now,
                struct report_pace *p, struct err *err)
{
    int64_t from, to;

    memset(p, 0, sizeof(*p));
    report_month_bounds(now, &from, &to);
    p->target = sla_mql_target(s, cfg);
    /* now + 1: a lead created this very second counts */
    if (store_query_int(s, err, &p->actual,
                        "SELECT count(*) FROM events WHERE kind = 'created'"
                        " AND at >= ? AND at < ?",
                        "II", from, now + 1) < 0)
        return -1;
    p->expected = to > from ? (int64_t)llround((double)p->target *
                                               (double)(now - from) /
                                               (double)(to - from))
                            : p->target;
    return 0;
}

/* "12 of 200 (6%)" */
void
report_put_of_target(struct strbuf *out, int64_t actual, int64_t target)
{
    strbuf_printf(out, _("%lld of %lld (%lld%%)"), (long long)actual,
                  (long long)target,
                  (long long)(target > 0 ? actual * 100 / target : 0));
}

/* "; 149 expected by now at an even pace, 137 behind" */
void
report_put_pace(struct strbuf *out, const struct report_pace *p)
{
    int64_t d = p->actual - p->expected;

    strbuf_printf(out, _("; %lld expected by now at an even pace"),
                  (long long)p->expected);
    if (d < 0)
        strbuf_printf(out, _(", %lld behind"), (long long)-d);
    else if (d > 0)
        strbuf_printf(out, _(", %lld ahead"), (long long)d);
    else
        strbuf_puts(out, _(", on pace"));
}

/* "response median 1h30m, 90th percentile 3h50m (target 4h)", sep, "8 of
 * 10 within target (80%)", or that nothing was answered. sep lets a chat
 * post break the line where a status line keeps it whole. */
void
report_put_responses(struct strbuf *out, const struct bizhours *bh,
              const struct report_response *r, int64_t target, const char *sep)
{
    char med[32], p90[32], tgt[32];

    format_bizdur(bh, target, tgt, sizeof(tgt));
    if (r->n == 0) {
        strbuf_printf(out, _("no handoffs answered (response target %s)"), tgt);
        if (r->overdue == 0)
            return;
    } else {
        format_bizdur(bh, r->median, med, sizeof(med));
        format_bizdur(bh, r->p90, p90, sizeof(p90));
        strbuf_printf(out, _("response median %s, 90th percentile %s (target %s)"),
                      med, p90, tgt);
    }
    strbuf_puts(out, sep);
    report_format_share(r, out);
}

/* "Targets: response 4h, 200 MQLs a month (set by carol on 2026-11-23)" */
static int
put_targets(struct store *s, const struct config *cfg, struct strbuf *out,
            struct err *err)
{
    char tgt[32], when[32];
    sqlite3_stmt *st;
    int rc;

    format_bizdur(&cfg->hours, sla_response_secs(s, cfg), tgt, sizeof(tgt));
    strbuf_printf(out, _("Targets: answer within %s of business hours, %lld MQLs a month"),
                  tgt, (long long)sla_mql_target(s, cfg));
    st = store_query(s, err,
                     "SELECT coalesce(u.name, e.actor, '?'), e.at FROM events e"
                     " LEFT JOIN users u ON u.id = e.actor"
                     " WHERE e.kind = 'sla_set' ORDER BY e.at DESC, e.id DESC LIMIT 1",
                     "");
    if (st == NULL)
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        clock_format_human(sqlite3_column_int64(st, 1), when, sizeof(when));
        strbuf_printf(out, _(" (set by %s on %s)"), store_col_text(st, 0), when);
    } else if (rc == SQLITE_DONE) {
        strbuf_puts(out, _(" (from the configuration)"));
    }
    sqlite3_reset(st);
    strbuf_putc(out, '\n');
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_error(s, err);
}

/* The leads over their deadline now, one line each (at most max). */
static int
put_overdue(struct store *s, const struct config *cfg, int64_t now,
            int max, struct strbuf *out, struct err *err)
{
    sqlite3_stmt *st;
    int64_t total = 0;
    int rc = SQLITE_DONE, shown = 0;

    if (store_query_int(s, err, &total,
                        "SELECT count(*) FROM leads WHERE stage = 'handed_off'"
                        " AND due_at < ?",
                        "I", now) < 0)
        return -1;
    strbuf_printf(out, _("Over their deadline now: %lld\n"), (long long)total);
    if (total == 0)
        return 0;
    st = store_query(s, err,
                     "SELECT l.id, l.name, coalesce(l.company, ''),"
                     " coalesce(u.name, l.owner, '?'), l.due_at FROM leads l"
                     " LEFT JOIN users u ON u.id = l.owner"
                     " WHERE l.stage = 'handed_off' AND l.due_at < ?"
                     " ORDER BY l.due_at, l.id",
                     "I", now);
    if (st == NULL)
        return -1;
    while (shown < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        char over[32];
        const char *company = store_col_text(st, 2);

        format_bizdur(&cfg->hours, bizhours_between(&cfg->hours, sqlite3_column_int64(st, 4),
                                              now), over, sizeof(over));
        strbuf_printf(out, "  L-%lld %s%s%s%s, ", (long long)sqlite3_column_int64(st, 0),
                      store_col_text(st, 1), company[0] ? " (" : "", company,
                      company[0] ? ")" : "");
        strbuf_printf(out, _("%s, %s over\n"), store_col_text(st, 3), over);
        shown++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return store_error(s, err);
    if (total > shown)
        strbuf_printf(out, _("  ... %lld more\n"), (long long)(total - shown));
    return 0;
}

int
report_agenda_more(struct store *s, const struct config *cfg, int64_t now, int first,
                   struct strbuf *out, struct err *err)
{
    struct strbuf body;
    struct funnel f;
    int64_t from, to;
    int n, leak, rc = -1;

    strbuf_init(&body, 0);
    strbuf_printf(out, "\n%d. %s", first, _("Goals and their pace:"));
    if ((n = goal_list(s, now, true, cfg->currency, &body, err)) < 0)
        goto out;
    if (n == 0)
        strbuf_printf(out, " %s", _("none for the current period"));
    else {
        strbuf_putc(out, '\n');
        report_append_indented(out, strbuf_str(&body), "  ");
        trim_newline(out);
    }
    report_month_bounds(now, &from, &to);
    if (funnel_count(s, from, now + 1, FUNNEL_BY_SOURCE, NULL, &f, err) < 0)
        goto out;
    leak = funnel_leak(&f.total);
    strbuf_printf(out, "\n%d. %s", first + 1, _("The funnel's weakest step this month:"));
    if (leak < 0)
        strbuf_printf(out, " %s", _("none yet"));
    else
        strbuf_printf(out, _(" %s (%d%%)"), funnel_step_name(leak), funnel_rate(&f.total, leak));
    funnel_release(&f);
    strbuf_reset(&body);
    strbuf_printf(out, "\n%d. %s", first + 2, _("Open campaigns:"));
    if ((n = campaign_list(s, now, false, cfg->currency, &body, err)) < 0)
        goto out;
    if (n == 0)
        strbuf_printf(out, " %s", _("none"));
    else {
        strbuf_putc(out, '\n');
        report_append_indented(out, strbuf_str(&body), "  ");
        trim_newline(out);
    }
    rc = 0;
out:
    strbuf_release(&body);
    return rc;
}

int
report_sla(struct store *s, const struct config *cfg, int64_t now,
           struct strbuf *out, struct err *err)
{
    struct report_response r, window;
    struct report_pace p;
    int64_t from, to, target = sla_response_secs(s, cfg);
    char month[48], when[32];

    report_month_bounds(now, &from, &to);
    month_name(now, month, sizeof(month));
    clock_format_human(now, when, sizeof(when));
    if (report_mql_pace(s, cfg, now, &p, err) < 0 ||
        report_sla_share(s, cfg, from, now, &r, err) < 0 ||
        report_sla_share(s, cfg, now - REPORT_SLA_WINDOW_DAYS * DAY, now, &window,
                         err) < 0)
        return -1;
    strbuf_printf(out, _("SLA for %s, to %s\n"), month, when);
    strbuf_puts(out, _("Marketing: MQLs "));
    report_put_of_target(out, p.actual, p.target);
    report_put_pace(out, &p);
    strbuf_puts(out, _("\nSales: "));
    report_put_responses(out, &cfg->hours, &r, target, "\n  ");
    /* the window alignment judges, which a month just begun is not */
    strbuf_printf(out, _("\n  last %d days (what /smk alignment judges): "),
                  REPORT_SLA_WINDOW_DAYS);
    report_format_share(&window, out);
    strbuf_putc(out, '\n');
    if (put_overdue(s, cfg, now, OVERDUE_MAX, out, err) < 0 ||
        put_targets(s, cfg, out, err) < 0)
        return -1;
    trim_newline(out);
    return 0;
}

int
report_sla_status(struct store *s, const struct config *cfg, int64_t now,
                  struct strbuf *out, struct err *err)
{
    struct report_response r;
    struct report_pace p;
    sqlite3_stmt *st;
    int64_t from, to, overdue = 0, target = sla_response_secs(s, cfg);
    int rc, shown = 0;

    report_month_bounds(now, &from, &to);
    if (report_mql_pace(s, cfg, now, &p, err) < 0 ||
        report_sla_share(s, cfg, from, now, &r, err) < 0 ||
        store_query_int(s, err, &overdue,
                        "SELECT count(*) FROM leads WHERE stage = 'handed_off'"
                        " AND due_at < ?", "I", now) < 0)
        return -1;
    strbuf_puts(out, _("MQLs this month: "));
    report_put_of_target(out, p.actual, p.target);
    strbuf_printf(out, _(", %lld expected by now\n"), (long long)p.expected);
    strbuf_puts(out, _("Sales this month: "));
    report_put_responses(out, &cfg->hours, &r, target, "; ");
    strbuf_printf(out, _("\nOver their deadline now: %lld"), (long long)overdue);
    if (overdue > 0) {
        st = store_query(s, err,
                         "SELECT id FROM leads WHERE stage = 'handed_off'"
                         " AND due_at < ? ORDER BY due_at, id LIMIT 5",
                         "I", now);
        if (st == NULL)
            return -1;
        strbuf_puts(out, " (");
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            strbuf_printf(out, "%sL-%lld", shown++ ? ", " : "",
                          (long long)sqlite3_column_int64(st, 0));
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return store_error(s, err);
        strbuf_puts(out, overdue > shown ? ", ...)" : ")");
    }
    return 0;
}

/* "Rejected: budget 3, timing 2" for [from, to); nothing when none. */
int
report_put_reasons(struct store *s, int64_t from, int64_t to, struct strbuf *out,
            struct err *err)
{
    sqlite3_stmt *st;
    int rc, n = 0;

    st = store_query(s, err,
                     "SELECT coalesce(nullif(json_extract(data, '$.reason'), ''), '?'),"
                     " count(*) FROM events WHERE kind = 'rejected'"
                     " AND at >= ? AND at < ? GROUP BY 1 ORDER BY 2 DESC, 1",
                     "II", from, to);
    if (st == NULL)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        strbuf_printf(out, "%s%s %lld", n++ ? ", " : "", store_col_text(st, 0),
                      (long long)sqlite3_column_int64(st, 1));
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? n : store_error(s, err);
}

int
report_monthly(struct store *s, const struct config *cfg, int64_t now,
               struct strbuf *out, struct err *err)
{
    struct report_response r;
    int64_t cur_from, cur_to, from, to, mqls = 0, open = 0, target;
    int64_t rtarget = sla_response_secs(s, cfg);
    char month[48];
    struct strbuf reasons;
    int rc = -1;

    strbuf_init(&reasons, 0);
    report_month_bounds(now, &cur_from, &cur_to);
    report_month_bounds(cur_from - 1, &from, &to);
    month_name(from, month, sizeof(month));
    target = report_mql_target_at(s, cfg, to);
    if (store_query_int(s, err, &mqls,
                        "SELECT count(*) FROM events WHERE kind = 'created'"
                        " AND at >= ? AND at < ?", "II", from, to) < 0 ||
        report_responses(s, from, to, rtarget, &r, err) < 0 ||
        open_breaches(s, from, to, &open, err) < 0 ||
        report_put_reasons(s, from, to, &reasons, err) < 0)
        goto out;
    r.overdue = open;
    strbuf_printf(out, _("SLA report for %s\n"), month);
    strbuf_puts(out, _("Marketing: MQLs "));
    report_put_of_target(out, mqls, target);
    if (mqls >= target)
        strbuf_puts(out, _(": target met\n"));
    else
        strbuf_printf(out, _(": %lld short of the target\n"), (long long)(target - mqls));
    strbuf_puts(out, _("Sales: "));
    report_put_responses(out, &cfg->hours, &r, rtarget, "\n  ");
    strbuf_printf(out, _("\nBreaches: %lld (%d answered late, %lld not answered yet)\n"),
                  (long long)(r.n - r.within + open), r.n - r.within, (long long)open);
    if (reasons.len > 0)
        strbuf_printf(out, _("Rejected by reason: %s\n"), strbuf_str(&reasons));
    strbuf_reset(&reasons);
    if (funnel_compact(s, from, to, &reasons, err) < 0)
        goto out;
    if (reasons.len > 0) {
        strbuf_printf(out, _("Funnel of the month's leads:\n"));
        report_append_indented(out, strbuf_str(&reasons), "  ");
    }
    trim_newline(out);
    rc = 0;
out:
    strbuf_release(&reasons);
    return rc;
}

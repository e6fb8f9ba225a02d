/* SPDX-License-Identifier: MIT */
/* report.c: SLA figures, the weekly digest and the monthly SLA report.
 *
 * Flows (MQLs created, handoffs, answers, wins) come from the append-only
 * events table, so a report for a past window stays what it was; states
 * (who is over the deadline now) come from the leads table. */
#include "format.h"
#include "report.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alignment.h"
#include "bizhours.h"
#include "clock.h"
#include "content.h"
#include "event.h"
#include "followup.h"
#include "funnel.h"
#include "goal.h"
#include "i18n.h"
#include "meeting.h"
#include "revisit.h"
#include "sla.h"

#define DAY 86400
#define WEEK (7 * DAY)
#define CHART_WIDTH 16
#define QUALITY_WIDTH 5         /* cells of the 1-5 lead-quality bars */
#define LABEL_MAX 16
#define SECTION_MAX 8           /* lines per list in the digest */
#define OVERDUE_MAX 10          /* leads listed by `sla` */
#define COMMENTS_MAX 3

static const char *const month_names[] = {
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"),
    N_("June"), N_("July"), N_("August"), N_("September"), N_("October"),
    N_("November"), N_("December"),
};

static const char *const eighths[] = {
    "", "▏", "▎", "▍", "▌", "▋", "▊", "▉",
};

static int
db_error(struct store *s, struct err *err)
{
    err_set(err, _("database error: %s"), sqlite3_errmsg(store_db(s)));
    return -1;
}

/* Column text, or "" for NULL: labels never print "(null)". */
static const char *
col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);

    return t ? (const char *)t : "";
}

static const char *
source_label(const char *source)
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
static void
append_indented(struct strbuf *out, const char *text, const char *indent)
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

static size_t
utf8_len(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Bytes taken by the first nchars characters of s. */
static size_t
utf8_prefix(const char *s, size_t nchars)
{
    size_t i = 0;

    while (s[i] && nchars > 0) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        nchars--;
    }
    return i;
}

/* Appends label cut at LABEL_MAX characters and padded to width. */
static void
put_label(struct strbuf *out, const char *label, size_t width)
{
    size_t chars = utf8_len(label);

    if (chars > LABEL_MAX) {
        strbuf_add(out, label, utf8_prefix(label, LABEL_MAX - 1));
        strbuf_puts(out, "…");
        chars = LABEL_MAX;
    } else {
        strbuf_puts(out, label);
    }
    for (; chars < width; chars++)
        strbuf_putc(out, ' ');
}

static size_t
label_width(const char *label)
{
    size_t n = utf8_len(label);

    return n > LABEL_MAX ? LABEL_MAX : n;
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
report_versus(struct strbuf *out, int64_t cur, int64_t prev, const char *money)
{
    int64_t d = cur - prev;
    char before[64], change[64];

    if (money) {
        format_money_cur(prev, money, before, sizeof(before));
        format_money_cur(d < 0 ? -d : d, money, change, sizeof(change));
    } else {
        snprintf(before, sizeof(before), "%lld", (long long)prev);
        snprintf(change, sizeof(change), "%lld", (long long)(d < 0 ? -d : d));
    }
    if (d == 0)
        strbuf_printf(out, _(" (before: %s, no change)"), before);
    else
        strbuf_printf(out, _(" (before: %s, %s%s)"), before, d > 0 ? "+" : "-", change);
}

void
report_bar(struct strbuf *out, int64_t value, int64_t max, int width)
{
    int64_t units;

    if (value <= 0 || max <= 0 || width <= 0)
        return;
    if (value > max)
        value = max;
    /* in eighths of a cell, rounded to the nearest */
    units = (value * width * 8 + max / 2) / max;
    if (units == 0)
        units = 1;      /* something is not nothing */
    for (int64_t i = 0; i < units / 8; i++)
        strbuf_puts(out, "█");
    strbuf_puts(out, eighths[units % 8]);
}

void
report_chart(struct strbuf *out, const char *const *labels,
             const int64_t *values, size_t n, int width)
{
    size_t w = 0;
    int64_t max = 0;

    for (size_t i = 0; i < n; i++) {
        if (label_width(labels[i]) > w)
            w = label_width(labels[i]);
        if (values[i] > max)
            max = values[i];
    }
    for (size_t i = 0; i < n; i++) {
        strbuf_puts(out, "  ");
        put_label(out, labels[i], w);
        strbuf_puts(out, "  ");
        report_bar(out, values[i], max, width);
        strbuf_printf(out, "%s%lld\n", values[i] > 0 ? " " : "",
                      (long long)values[i]);
    }
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
        db_error(s, err);
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
static int
count_kind(struct store *s, const char *kind, int64_t from, int64_t to,
           int64_t *n, struct err *err)
{
    *n = 0;
    return store_query_int(s, err, n,
                           "SELECT count(DISTINCT lead) FROM events"
                           " WHERE kind = ? AND at >= ? AND at < ? AND " EVENT_STANDS("events"),
                           "sII", kind, from, to) < 0 ? -1 : 0;
}

/* Recycled leads that marketing handed off again in [from, to). */
static int
count_rehandoffs(struct store *s, int64_t from, int64_t to, int64_t *n,
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
static void
put_of_target(struct strbuf *out, int64_t actual, int64_t target)
{
    strbuf_printf(out, _("%lld of %lld (%lld%%)"), (long long)actual,
                  (long long)target,
                  (long long)(target > 0 ? actual * 100 / target : 0));
}

/* "; 149 expected by now at an even pace, 137 behind" */
static void
put_pace(struct strbuf *out, const struct report_pace *p)
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
static void
put_responses(struct strbuf *out, const struct bizhours *bh,
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
        strbuf_printf(out, _(" (set by %s on %s)"), col_text(st, 0), when);
    } else if (rc == SQLITE_DONE) {
        strbuf_puts(out, _(" (from the configuration)"));
    }
    sqlite3_reset(st);
    strbuf_putc(out, '\n');
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_error(s, err);
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
        const char *company = col_text(st, 2);

        format_bizdur(&cfg->hours, bizhours_between(&cfg->hours, sqlite3_column_int64(st, 4),
                                              now), over, sizeof(over));
        strbuf_printf(out, "  L-%lld %s%s%s%s, ", (long long)sqlite3_column_int64(st, 0),
                      col_text(st, 1), company[0] ? " (" : "", company,
                      company[0] ? ")" : "");
        strbuf_printf(out, _("%s, %s over\n"), col_text(st, 3), over);
        shown++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_error(s, err);
    if (total > shown)
        strbuf_printf(out, _("  ... %lld more\n"), (long long)(total - shown));
    return 0;
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
    put_of_target(out, p.actual, p.target);
    put_pace(out, &p);
    strbuf_puts(out, _("\nSales: "));
    put_responses(out, &cfg->hours, &r, target, "\n  ");
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
    put_of_target(out, p.actual, p.target);
    strbuf_printf(out, _(", %lld expected by now\n"), (long long)p.expected);
    strbuf_puts(out, _("Sales this month: "));
    put_responses(out, &cfg->hours, &r, target, "; ");
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
            return db_error(s, err);
        strbuf_puts(out, overdue > shown ? ", ...)" : ")");
    }
    return 0;
}

/* "Rejected: budget 3, timing 2" for [from, to); nothing when none. */
static int
put_reasons(struct store *s, int64_t from, int64_t to, struct strbuf *out,
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
        strbuf_printf(out, "%s%s %lld", n++ ? ", " : "", col_text(st, 0),
                      (long long)sqlite3_column_int64(st, 1));
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? n : db_error(s, err);
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
        put_reasons(s, from, to, &reasons, err) < 0)
        goto out;
    r.overdue = open;
    strbuf_printf(out, _("SLA report for %s\n"), month);
    strbuf_puts(out, _("Marketing: MQLs "));
    put_of_target(out, mqls, target);
    if (mqls >= target)
        strbuf_puts(out, _(": target met\n"));
    else
        strbuf_printf(out, _(": %lld short of the target\n"), (long long)(target - mqls));
    strbuf_puts(out, _("Sales: "));
    put_responses(out, &cfg->hours, &r, rtarget, "\n  ");
    strbuf_printf(out, _("\nBreaches: %lld (%d answered late, %lld not answered yet)\n"),
                  (long long)(r.n - r.within + open), r.n - r.within, (long long)open);
    if (reasons.len > 0)
        strbuf_printf(out, _("Rejected by reason: %s\n"), strbuf_str(&reasons));
    strbuf_reset(&reasons);
    if (funnel_compact(s, from, to, &reasons, err) < 0)
        goto out;
    if (reasons.len > 0) {
        strbuf_printf(out, _("Funnel of the month's leads:\n"));
        append_indented(out, strbuf_str(&reasons), "  ");
    }
    trim_newline(out);
    rc = 0;
out:
    strbuf_release(&reasons);
    return rc;
}

/* The digest's lead counts, for one 7-day window. */
struct week_counts {
    int64_t created, handoff, accepted, rejected, recycled, won, lost;
};

static int
week_counts(struct store *s, int64_t from, int64_t to, struct week_counts *w,
            struct err *err)
{
    if (count_kind(s, "created", from, to, &w->created, err) < 0 ||
        count_kind(s, "handoff", from, to, &w->handoff, err) < 0 ||
        count_kind(s, "accepted", from, to, &w->accepted, err) < 0 ||
        count_kind(s, "rejected", from, to, &w->rejected, err) < 0 ||
        count_rehandoffs(s, from, to, &w->recycled, err) < 0 ||
        count_kind(s, "won", from, to, &w->won, err) < 0 ||
        count_kind(s, "lost", from, to, &w->lost, err) < 0)
        return -1;
    return 0;
}

static int
digest_leads(struct store *s, int64_t from, int64_t to, struct strbuf *out,
             struct err *err)
{
    struct week_counts cur = { 0 }, prev = { 0 };
    struct strbuf reasons, lost;
    const char *labels[7];
    int64_t c[7], p[7];
    size_t w = 0;
    int rc = -1;

    strbuf_init(&lost, 0);
    strbuf_init(&reasons, 0);
    if (week_counts(s, from, to, &cur, err) < 0 ||
        week_counts(s, from - WEEK, from, &prev, err) < 0 ||
        put_reasons(s, from, to, &reasons, err) < 0 ||
        funnel_losses(s, from, to, &lost, err) < 0)
        goto out;
    labels[0] = _("new MQLs");    c[0] = cur.created;  p[0] = prev.created;
    labels[1] = _("handed off");  c[1] = cur.handoff;  p[1] = prev.handoff;
    labels[2] = _("accepted");    c[2] = cur.accepted; p[2] = prev.accepted;
    labels[3] = _("rejected");    c[3] = cur.rejected; p[3] = prev.rejected;
    labels[4] = _("re-handed off");
    c[4] = cur.recycled; p[4] = prev.recycled;
    labels[5] = _("won");         c[5] = cur.won;      p[5] = prev.won;
    labels[6] = _("lost");        c[6] = cur.lost;     p[6] = prev.lost;
    for (size_t i = 0; i < 7; i++)
        if (utf8_len(labels[i]) > w)
            w = utf8_len(labels[i]);
    strbuf_puts(out, _("Leads (vs the 7 days before)\n"));
    for (size_t i = 0; i < 7; i++) {
        size_t pad = w - utf8_len(labels[i]);

        strbuf_printf(out, "  %s%*s %4lld", labels[i], (int)pad, "", (long long)c[i]);
        report_versus(out, c[i], p[i], NULL);
        if (i == 3 && reasons.len > 0)
            strbuf_printf(out, _(", by reason: %s"), strbuf_str(&reasons));
        if (i == 6 && lost.len > 0)
            strbuf_printf(out, _(", by reason: %s"), strbuf_str(&lost));
        strbuf_putc(out, '\n');
    }
    rc = 0;
out:
    strbuf_release(&lost);
    strbuf_release(&reasons);
    return rc;
}

/* New MQLs by source, as a bar chart. */
static int
digest_sources(struct store *s, int64_t from, int64_t to, struct strbuf *out,
               struct err *err)
{
    char *labels[SECTION_MAX] = { 0 };
    int64_t values[SECTION_MAX];
    size_t n = 0;
    sqlite3_stmt *st;
    int rc = SQLITE_DONE, ret = -1;

    st = store_query(s, err,
                     "SELECT coalesce(l.source, ''), count(*) FROM events e"
                     " JOIN leads l ON l.id = e.lead WHERE e.kind = 'created'"
                     " AND e.at >= ? AND e.at < ? GROUP BY 1"
                     " ORDER BY 2 DESC, coalesce(l.source, '') = '', 1",
                     "II", from, to);
    if (st == NULL)
        return -1;
    while (n < SECTION_MAX && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        labels[n] = strdup(source_label(col_text(st, 0)));
        values[n++] = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        db_error(s, err);
        goto out;
    }
    strbuf_puts(out, _("New MQLs by source\n"));
    if (n == 0)
        strbuf_puts(out, _("  none\n"));
    for (size_t i = 0; i < n; i++)
        if (labels[i] == NULL) {
            err_set(err, _("out of memory"));
            goto out;
        }
    report_chart(out, (const char *const *)labels, values, n, CHART_WIDTH);
    ret = 0;
out:
    for (size_t i = 0; i < n; i++)
        free(labels[i]);
    return ret;
}

static int64_t
won_revenue(struct store *s, int64_t from, int64_t to, struct err *err)
{
    int64_t v = 0;

    if (store_query_int(s, err, &v,
                        /* the lead's amount: `lead edit` corrects it */
                        "SELECT coalesce(sum(l.amount), 0) FROM events e"
                        " JOIN leads l ON l.id = e.lead WHERE e.kind = 'won'"
                        " AND e.at >= ? AND e.at < ? AND " EVENT_STANDS("e"),
                        "II", from, to) < 0)
        return -1;
    return v;
}

/* Won deals and revenue by marketing source. */
static int
digest_closed_loop(struct store *s, const char *cur, int64_t from, int64_t to,
                   struct strbuf *out, struct err *err)
{
    sqlite3_stmt *st;
    int rc = SQLITE_DONE, n = 0;
    int64_t rev = won_revenue(s, from, to, err);
    int64_t prev = won_revenue(s, from - WEEK, from, err);
    char money[64];

    if (rev < 0 || prev < 0)
        return -1;
    format_money_cur(rev, cur, money, sizeof(money));
    strbuf_printf(out, _("Closed loop: revenue won %s"), money);
    report_versus(out, rev, prev, cur ? cur : "");
    strbuf_putc(out, '\n');
    st = store_query(s, err,
                     "SELECT coalesce(l.source, ''), count(DISTINCT e.lead),"
                     " coalesce(sum(l.amount), 0)"
                     " FROM events e JOIN leads l ON l.id = e.lead"
                     " WHERE e.kind = 'won' AND e.at >= ? AND e.at < ? AND " EVENT_STANDS("e")
                     " GROUP BY 1 ORDER BY 3 DESC, 2 DESC, coalesce(l.source, '') = '', 1",
                     "II", from, to);
    if (st == NULL)
        return -1;
    while (n < SECTION_MAX && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t deals = sqlite3_column_int64(st, 1);

        format_money_cur(sqlite3_column_int64(st, 2), cur, money, sizeof(money));
        strbuf_printf(out, "  %s: ", source_label(col_text(st, 0)));
        strbuf_printf(out, P_("%lld deal won, %s\n", "%lld deals won, %s\n", deals),
                      (long long)deals, money);
        n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_error(s, err);
    if (n == 0)
        strbuf_puts(out, _("  no deals won\n"));
    return 0;
}

/* Breaches of the week: answers that came after their deadline, plus the
 * leads whose deadline fell in the week and that are still unanswered (an
 * answer never given is a breach too, not a gap in the data). */
static int
digest_sla(struct store *s, const struct config *cfg, int64_t now,
           int64_t from, int64_t to, struct strbuf *out, struct err *err)
{
    struct report_response r;
    struct report_pace p;
    int64_t open = 0, target = sla_response_secs(s, cfg);

    (void)to;
    if (report_sla_share(s, cfg, from, now, &r, err) < 0 ||
        report_mql_pace(s, cfg, now, &p, err) < 0)
        return -1;
    open = r.overdue;
    strbuf_puts(out, _("SLA\n  "));
    put_responses(out, &cfg->hours, &r, target, "\n  ");
    strbuf_printf(out, _("\n  breaches: %lld (%d answered late, %lld not answered yet)\n"),
                  (long long)(r.n - r.within + open), r.n - r.within, (long long)open);
    strbuf_puts(out, _("  MQLs this month: "));
    put_of_target(out, p.actual, p.target);
    put_pace(out, &p);
    strbuf_putc(out, '\n');
    return 0;
}

/* Sales' feedback given in [from, to): only each rep's latest rating of a
 * lead counts, as everywhere in the reports. */
static int
digest_quality(struct store *s, int64_t from, int64_t to, struct strbuf *out,
               struct err *err)
{
    char *labels[SECTION_MAX] = { 0 };
    double avgs[SECTION_MAX];
    int64_t counts[SECTION_MAX];
    sqlite3_stmt *st;
    size_t w = 0;
    int rc = SQLITE_DONE, n = 0;

    strbuf_puts(out, _("Lead quality (average feedback by source, 1-5)\n"));
    st = store_query(s, err,
                     "SELECT coalesce(l.source, ''), avg(f.rating), count(*)"
                     " FROM feedback f JOIN leads l ON l.id = f.lead"
                     " WHERE f.at >= ? AND f.at < ? AND f.id = (SELECT f2.id"
                     "  FROM feedback f2 WHERE f2.lead = f.lead AND f2.rep = f.rep"
                     "  ORDER BY f2.at DESC, f2.id DESC LIMIT 1)"
                     " GROUP BY 1 ORDER BY 2 DESC, coalesce(l.source, '') = '', 1",
                     "II", from, to);
    if (st == NULL)
        return -1;
    /* read first, then print: the labels are padded to the widest, so the
     * bars start in one column, as in the MQL-by-source chart */
    while (n < SECTION_MAX && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        labels[n] = strdup(source_label(col_text(st, 0)));
        avgs[n] = sqlite3_column_double(st, 1);
        counts[n] = sqlite3_column_int64(st, 2);
        if (labels[n] == NULL) {
            sqlite3_reset(st);
            err_set(err, _("out of memory"));
            goto fail;
        }
        if (label_width(labels[n]) > w)
            w = label_width(labels[n]);
        n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        db_error(s, err);
        goto fail;
    }
    for (int i = 0; i < n; i++) {
        size_t before;

        strbuf_puts(out, "  ");
        put_label(out, labels[i], w);
        strbuf_puts(out, "  ");
        /* a fixed 1-5 scale: the bar padded to its full width keeps the
         * averages in one column too */
        before = out->len;
        report_bar(out, llround(avgs[i] * 100), 500, QUALITY_WIDTH);
        for (size_t cells = utf8_len(strbuf_str(out) + before); cells < QUALITY_WIDTH; cells++)
            strbuf_putc(out, ' ');
        strbuf_printf(out, P_(" %.1f (%lld rating)\n", " %.1f (%lld ratings)\n", counts[i]),
                      avgs[i], (long long)counts[i]);
    }
    for (int i = 0; i < n; i++)
        free(labels[i]);
    if (n == 0) {
        strbuf_puts(out, _("  no feedback\n"));
        return 0;
    }
    st = store_query(s, err,
                     "SELECT f.comment, f.rating, f.lead, coalesce(u.name, f.rep)"
                     " FROM feedback f LEFT JOIN users u ON u.id = f.rep"
                     " WHERE f.at >= ? AND f.at < ? AND coalesce(f.comment, '') <> ''"
                     " AND f.id = (SELECT f2.id FROM feedback f2"
                     "  WHERE f2.lead = f.lead AND f2.rep = f.rep"
                     "  ORDER BY f2.at DESC, f2.id DESC LIMIT 1)"
                     " ORDER BY f.at DESC, f.id DESC LIMIT 3",
                     "II", from, to);
    if (st == NULL)
        return -1;
    n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++ == 0)
            strbuf_puts(out, _("  newest comments:\n"));
        strbuf_printf(out, _("  \"%s\" (%s on L-%lld, %d/5)\n"), col_text(st, 0),
                      col_text(st, 3), (long long)sqlite3_column_int64(st, 2),
                      sqlite3_column_int(st, 1));
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_error(s, err);
fail:
    for (int i = 0; i < n; i++)
        free(labels[i]);
    return -1;
}

/* Runs a module's list into a scratch buffer and indents it under a
 * heading, or says `none` when the list is empty. */
static int
digest_list(struct strbuf *out, const char *heading, const char *none,
            int count, const struct strbuf *body)
{
    if (count < 0)
        return -1;
    strbuf_printf(out, "%s\n", heading);
    if (body->len == 0)
        strbuf_printf(out, "  %s\n", none);
    else
        append_indented(out, strbuf_str(body), "  ");
    return 0;
}

static int
digest_wins(struct store *s, const char *cur, int64_t from, int64_t to,
            struct strbuf *out, struct err *err)
{
    sqlite3_stmt *st;
    int rc, n = 0;

    strbuf_puts(out, _("Wins to celebrate\n"));
    st = store_query(s, err,
                     "SELECT l.id, l.name, coalesce(l.company, ''),"
                     " l.amount, coalesce(u.name, e.actor, '?')"
                     " FROM events e JOIN leads l ON l.id = e.lead"
                     " LEFT JOIN users u ON u.id = e.actor"
                     " WHERE e.kind = 'won' AND e.at >= ? AND e.at < ? AND " EVENT_STANDS("e")
                     " ORDER BY e.at, e.id",
                     "II", from, to);
    if (st == NULL)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *company = col_text(st, 2);
        char money[64];

        if (n++ == SECTION_MAX)
            continue;   /* counted for the "more" line */
        strbuf_printf(out, "  L-%lld %s%s%s%s", (long long)sqlite3_column_int64(st, 0),
                      col_text(st, 1), company[0] ? " (" : "", company,
                      company[0] ? ")" : "");
        if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
            format_money_cur(sqlite3_column_int64(st, 3), cur, money, sizeof(money));
            strbuf_printf(out, ", %s", money);
        }
        strbuf_printf(out, _(", won by %s\n"), col_text(st, 4));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_error(s, err);
    if (n == 0)
        strbuf_puts(out, _("  none this week\n"));
    else if (n > SECTION_MAX)
        strbuf_printf(out, _("  ... %d more\n"), n - SECTION_MAX);
    return 0;
}

int
report_digest(struct store *s, const struct config *cfg, int64_t now,
              struct strbuf *out, struct err *err)
{
    /* to = now + 1: what happened this very second is in */
    int64_t from = now - WEEK, to = now + 1, mfrom, mto;
    struct strbuf body;
    struct alignment al;
    char d1[16], d2[16];
    int n, rc = -1;

    strbuf_init(&body, 0);
    clock_format_date(from, d1, sizeof(d1));
    clock_format_date(now, d2, sizeof(d2));
    strbuf_printf(out, _("Weekly digest, %s to %s\n\n"), d1, d2);
    if (digest_leads(s, from, to, out, err) < 0 ||
        digest_sources(s, from, to, out, err) < 0)
        goto out;
    strbuf_putc(out, '\n');
    report_month_bounds(now, &mfrom, &mto);
    n = funnel_compact(s, mfrom, to, &body, err);
    if (digest_list(out, _("Funnel of this month's leads"), _("no leads yet"), n,
                    &body) < 0)
        goto out;
    strbuf_putc(out, '\n');
    strbuf_reset(&body);
    if (digest_closed_loop(s, cfg->currency, from, to, out, err) < 0)
        goto out;
    strbuf_putc(out, '\n');
    if (digest_sla(s, cfg, now, from, to, out, err) < 0)
        goto out;
    strbuf_putc(out, '\n');
    if (digest_quality(s, from, to, out, err) < 0)
        goto out;
    strbuf_putc(out, '\n');
    n = followup_by_rep(s, cfg, from, to, &body, err);
    if (digest_list(out, _("Follow-up quality by rep (from marketing, 1-5) and SLA record"),
                    _("no one in the sales role"), n, &body) < 0)
        goto out;
    strbuf_putc(out, '\n');
    strbuf_reset(&body);
    n = revisit_due_list(s, cfg, now, &body, err);
    if (digest_list(out, _("Recycled leads due for another look (until= of reject and lost)"),
                    _("none"), n, &body) < 0)
        goto out;
    strbuf_putc(out, '\n');
    strbuf_reset(&body);
    n = content_list(s, from, to, &body, err);
    if (digest_list(out, _("Content published by marketing"), _("none this week"),
                    n, &body) < 0)
        goto out;
    strbuf_putc(out, '\n');
    strbuf_reset(&body);
    n = content_planned(s, to, to + 2 * WEEK, &body, err);
    if (digest_list(out, _("Content planned for the next two weeks"), _("none planned"),
                    n, &body) < 0)
        goto out;
    strbuf_putc(out, '\n');
    strbuf_reset(&body);
    n = content_top_rated(s, 3, &body, err);
    if (digest_list(out, _("Content sales rated most useful"), _("no ratings yet (/smk content rate)"),
                    n, &body) < 0)
        goto out;
    strbuf_putc(out, '\n');
    strbuf_reset(&body);
    n = goal_list(s, now, true, cfg->currency, &body, err);
    if (digest_list(out, _("Goals"), _("none for the current period (/smk goal add)"),
                    n, &body) < 0)
        goto out;
    strbuf_putc(out, '\n');
    strbuf_reset(&body);
    n = meetings_upcoming(s, now, now + WEEK, &body, err);
    if (digest_list(out, _("Meetings in the coming week"), _("none"), n, &body) < 0)
        goto out;
    strbuf_putc(out, '\n');
    if (digest_wins(s, cfg->currency, from, to, out, err) < 0 ||
        alignment_eval(s, cfg, now, &al, err) < 0)
        goto out;
    strbuf_printf(out, _("\nAlignment: %s (%d of %d criteria met; /smk alignment shows why)"),
                  alignment_level_name(alignment_level(al.met)), al.met,
                  ALIGNMENT_NCRITERIA);
    rc = 0;
out:
    strbuf_release(&body);
    return rc;
}

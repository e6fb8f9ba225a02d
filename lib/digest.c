/* SPDX-License-Identifier: MIT */
/* digest.c: the weekly closed-loop digest (product.md section 5): the
 * week's leads against the week before, where they came from, what sales
 * answered and how fast, lead quality as the reps rated it, the wins, and
 * what the alignment practices say this week.
 *
 * Like every report it reads flows from the append-only events table, so
 * the digest of a past week stays what it was. */
#include "digest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alignment.h"
#include "chart.h"
#include "clock.h"
#include "content.h"
#include "event.h"
#include "followup.h"
#include "format.h"
#include "funnel.h"
#include "goal.h"
#include "i18n.h"
#include "meeting.h"
#include "report.h"
#include "revisit.h"
#include "sla.h"
#include "text.h"

#define WEEK (7 * 86400)
#define CHART_WIDTH 16
#define QUALITY_WIDTH 5         /* cells of the 1-5 lead-quality bars */
#define SECTION_MAX 8           /* lines per list */

/* The digest's lead counts, for one 7-day window. */
struct week_counts {
    int64_t created, handoff, accepted, rejected, recycled, won, lost;
};

static int
week_counts(struct store *s, int64_t from, int64_t to, struct week_counts *w,
            struct err *err)
{
    if (report_count_leads(s, "created", from, to, &w->created, err) < 0 ||
        report_count_leads(s, "handoff", from, to, &w->handoff, err) < 0 ||
        report_count_leads(s, "accepted", from, to, &w->accepted, err) < 0 ||
        report_count_leads(s, "rejected", from, to, &w->rejected, err) < 0 ||
        report_count_rehandoffs(s, from, to, &w->recycled, err) < 0 ||
        report_count_leads(s, "won", from, to, &w->won, err) < 0 ||
        report_count_leads(s, "lost", from, to, &w->lost, err) < 0)
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
        report_put_reasons(s, from, to, &reasons, err) < 0 ||
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
        if (text_utf8_len(labels[i]) > w)
            w = text_utf8_len(labels[i]);
    strbuf_puts(out, _("Leads (vs the 7 days before)\n"));
    for (size_t i = 0; i < 7; i++) {
        size_t pad = w - text_utf8_len(labels[i]);

        strbuf_printf(out, "  %s%*s %4lld", labels[i], (int)pad, "", (long long)c[i]);
        chart_versus(out, c[i], p[i], NULL);
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
        labels[n] = strdup(report_source_label(store_col_text(st, 0)));
        values[n++] = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        store_error(s, err);
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
    chart_columns(out, (const char *const *)labels, values, n, CHART_WIDTH);
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
    chart_versus(out, rev, prev, cur ? cur : "");
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
        strbuf_printf(out, "  %s: ", report_source_label(store_col_text(st, 0)));
        strbuf_printf(out, P_("%lld deal won, %s\n", "%lld deals won, %s\n", deals),
                      (long long)deals, money);
        n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return store_error(s, err);
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
    report_put_responses(out, &cfg->hours, &r, target, "\n  ");
    strbuf_printf(out, _("\n  breaches: %lld (%d answered late, %lld not answered yet)\n"),
                  (long long)(r.n - r.within + open), r.n - r.within, (long long)open);
    strbuf_puts(out, _("  MQLs this month: "));
    report_put_of_target(out, p.actual, p.target);
    report_put_pace(out, &p);
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
        labels[n] = strdup(report_source_label(store_col_text(st, 0)));
        avgs[n] = sqlite3_column_double(st, 1);
        counts[n] = sqlite3_column_int64(st, 2);
        if (labels[n] == NULL) {
            sqlite3_reset(st);
            err_set(err, _("out of memory"));
            goto fail;
        }
        if (chart_label_width(labels[n]) > w)
            w = chart_label_width(labels[n]);
        n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        store_error(s, err);
        goto fail;
    }
    for (int i = 0; i < n; i++) {
        size_t before;

        strbuf_puts(out, "  ");
        chart_label(out, labels[i], w);
        strbuf_puts(out, "  ");
        /* a fixed 1-5 scale: the bar padded to its full width keeps the
         * averages in one column too */
        before = out->len;
        chart_bar(out, llround(avgs[i] * 100), 500, QUALITY_WIDTH);
        for (size_t cells = text_utf8_len(strbuf_str(out) + before); cells < QUALITY_WIDTH; cells++)
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
        strbuf_printf(out, _("  \"%s\" (%s on L-%lld, %d/5)\n"), store_col_text(st, 0),
                      store_col_text(st, 3), (long long)sqlite3_column_int64(st, 2),
                      sqlite3_column_int(st, 1));
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : store_error(s, err);
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
        report_append_indented(out, strbuf_str(body), "  ");
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
        const char *company = store_col_text(st, 2);
        char money[64];

        if (n++ == SECTION_MAX)
            continue;   /* counted for the "more" line */
        strbuf_printf(out, "  L-%lld %s%s%s%s", (long long)sqlite3_column_int64(st, 0),
                      store_col_text(st, 1), company[0] ? " (" : "", company,
                      company[0] ? ")" : "");
        if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
            format_money_cur(sqlite3_column_int64(st, 3), cur, money, sizeof(money));
            strbuf_printf(out, ", %s", money);
        }
        strbuf_printf(out, _(", won by %s\n"), store_col_text(st, 4));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return store_error(s, err);
    if (n == 0)
        strbuf_puts(out, _("  none this week\n"));
    else if (n > SECTION_MAX)
        strbuf_printf(out, _("  ... %d more\n"), n - SECTION_MAX);
    return 0;
}

int
digest_weekly(struct store *s, const struct config *cfg, int64_t now,
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
    n = meeting_notes(s, from, to, &body, err);
    if (digest_list(out, _("Meeting notes"), _("none this week"), n, &body) < 0)
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

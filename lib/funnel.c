/* SPDX-License-Identifier: MIT */
/* funnel.c: the lead funnel by source (or persona), its conversion rates
 * and its leaks, from the leads and events tables. */
#include "funnel.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "event.h"
#include "i18n.h"
#include "period.h"

static const char *const stage_names[FUNNEL_NSTAGES] = {
    N_("MQL"), N_("handed off"), N_("SQL"), N_("won"), N_("lost"), N_("recycled"),
};

static const char *const step_names[FUNNEL_NSTEPS] = {
    N_("MQL → handed off"), N_("handed off → SQL"), N_("SQL → won"),
};

/* The cohort: each lead counted at every stage it reached, read from its
 * stage where the stage machine says enough (only a handed-off lead can be
 * anything but an MQL; only an SQL can be won or lost), so the counts only
 * narrow from one stage to the next. */
#define COHORT_SQL(group, join)                                              \
    "SELECT " group ", count(*), sum(l.stage <> 'mql'),"                     \
    " sum(l.stage IN ('sql', 'won', 'lost')), sum(l.stage = 'won'),"         \
    " sum(l.stage = 'lost'),"                                                \
    " sum(l.stage = 'recycled' OR EXISTS (SELECT 1 FROM events e"            \
    "  WHERE e.lead = l.id AND e.kind = 'rejected'))"                        \
    " FROM leads l " join                                                    \
    " WHERE l.created_at >= ?1 AND l.created_at < ?2"                        \
    " AND (?3 IS NULL OR lower(" group ") = lower(?3))"                      \
    " GROUP BY 1 ORDER BY 2 DESC, " group " = '', 1"

const char *
funnel_stage_name(enum funnel_stage st)
{
    return _(stage_names[st]);
}

const char *
funnel_step_name(int step)
{
    return _(step_names[step]);
}

void
funnel_release(struct funnel *f)
{
    for (int i = 0; i < f->nrows; i++)
        free(f->rows[i].label);
    free(f->rows);
    memset(f, 0, sizeof(*f));
}

int
funnel_count(struct store *s, int64_t from, int64_t to, enum funnel_by by,
             const char *only, struct funnel *f, struct err *err)
{
    sqlite3_stmt *st;
    int rc, cap = 0;

    memset(f, 0, sizeof(*f));
    if (by == FUNNEL_BY_PERSONA)
        st = store_query(s, err,
                         COHORT_SQL("coalesce(q.persona, '')",
                                    "LEFT JOIN lead_qual q ON q.lead = l.id"),
                         "IIs", from, to, only);
    else
        st = store_query(s, err, COHORT_SQL("coalesce(l.source, '')", ""),
                         "IIs", from, to, only);
    if (st == NULL)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct funnel_row *r;

        if (f->nrows == cap) {
            int want = cap ? cap * 2 : 8;
            struct funnel_row *grown = realloc(f->rows, (size_t)want * sizeof(*grown));

            if (grown == NULL) {
                rc = SQLITE_NOMEM;
                break;
            }
            f->rows = grown;
            cap = want;
        }
        r = &f->rows[f->nrows];
        r->label = store_col_dup(st, 0);
        if (r->label == NULL) {
            rc = SQLITE_NOMEM;
            break;
        }
        f->nrows++;
        for (int k = 0; k < FUNNEL_NSTAGES; k++) {
            r->n[k] = sqlite3_column_int64(st, k + 1);
            f->total.n[k] += r->n[k];
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        if (rc == SQLITE_NOMEM)
            err_set(err, _("out of memory"));
        else
            err_set(err, _("database error: %s"), sqlite3_errmsg(store_db(s)));
        funnel_release(f);
        return -1;
    }
    return 0;
}

const struct funnel_row *
funnel_find(const struct funnel *f, const char *label)
{
    for (int i = 0; i < f->nrows; i++)
        if (strcasecmp(f->rows[i].label, label) == 0)
            return &f->rows[i];
    return NULL;
}

int
funnel_rate(const struct funnel_row *r, int step)
{
    int64_t start = r->n[step], end = r->n[step + 1];

    if (start <= 0)
        return -1;
    return (int)(end * 100 / start);
}

int
funnel_leak(const struct funnel_row *r)
{
    int worst = -1, worst_rate = 100;

    for (int i = 0; i < FUNNEL_NSTEPS; i++) {
        int rate = funnel_rate(r, i);

        if (rate >= 0 && rate < worst_rate) {
            worst = i;
            worst_rate = rate;
        }
    }
    return worst;
}

static const char *
row_label(const struct funnel_row *r, enum funnel_by by)
{
    if (r->label == NULL)
        return by == FUNNEL_BY_PERSONA ? _("All personas") : _("All sources");
    if (r->label[0] == '\0')
        return by == FUNNEL_BY_PERSONA ? _("(no persona)") : _("(no source)");
    return r->label;
}

/* "60%" or "-" for a step with no start. */
static void
put_rate(struct strbuf *out, int rate)
{
    if (rate < 0)
        strbuf_puts(out, "-");
    else
        strbuf_printf(out, "%d%%", rate);
}

/* One source's block: each stage with the conversion into it, the same
 * for the previous period (zero when the source was not there), and the
 * leakiest step. */
static void
put_row(struct strbuf *out, const struct funnel_row *r,
        const struct funnel_row *prev, enum funnel_by by)
{
    static const struct funnel_row none = { 0 };
    int leak = funnel_leak(r);

    if (prev == NULL)
        prev = &none;
    strbuf_printf(out, "%s\n", row_label(r, by));
    for (int k = 0; k < FUNNEL_NSTAGES; k++) {
        strbuf_printf(out, "  %-11s %4lld", funnel_stage_name(k), (long long)r->n[k]);
        if (k >= 1 && k <= FUNNEL_NSTEPS) {
            strbuf_puts(out, ", ");
            put_rate(out, funnel_rate(r, k - 1));
            strbuf_printf(out, _(" of %s"), funnel_stage_name(k - 1));
            strbuf_printf(out, _(" (before: %lld, "), (long long)prev->n[k]);
            put_rate(out, funnel_rate(prev, k - 1));
            strbuf_puts(out, ")\n");
        } else {
            strbuf_printf(out, _(" (before: %lld)\n"), (long long)prev->n[k]);
        }
    }
    if (leak >= 0)
        strbuf_printf(out, _("  leaks most at %s (%d%%)\n"), funnel_step_name(leak),
                      funnel_rate(r, leak));
    else if (r->n[FUNNEL_MQL] > 0)
        strbuf_puts(out, _("  no leak yet\n"));
}

int
funnel_report(struct store *s, const char *period, enum funnel_by by,
              const char *only, struct strbuf *out, struct err *err)
{
    struct funnel cur = { 0 }, prev = { 0 };
    struct strbuf lost;
    char before[16];
    int64_t from, to, pfrom, pto;
    int rc = -1;

    strbuf_init(&lost, 0);
    if (period_prev(period, before, sizeof(before)) < 0 ||
        period_parse(period, &from, &to) < 0 ||
        period_parse(before, &pfrom, &pto) < 0) {
        err_set(err, _("'%s' is no period"), period);
        goto out;
    }
    if (funnel_count(s, from, to, by, only, &cur, err) < 0 ||
        funnel_count(s, pfrom, pto, by, only, &prev, err) < 0 ||
        funnel_losses(s, from, to, &lost, err) < 0)
        goto out;
    strbuf_printf(out, _("Funnel of the leads created in %s, as far as they got (before: %s)\n"),
                  period, before);
    if (cur.nrows == 0 && prev.nrows == 0) {
        strbuf_puts(out, _("no leads in either period"));
        rc = 0;
        goto out;
    }
    if (only == NULL)
        put_row(out, &cur.total, &prev.total, by);
    for (int i = 0; i < cur.nrows; i++)
        put_row(out, &cur.rows[i], funnel_find(&prev, cur.rows[i].label), by);
    if (lost.len > 0)
        strbuf_printf(out, _("Lost in %s by reason: %s\n"), period, strbuf_str(&lost));
    if (out->len > 0 && out->buf[out->len - 1] == '\n')
        out->buf[--out->len] = '\0';
    rc = 0;
out:
    strbuf_release(&lost);
    funnel_release(&cur);
    funnel_release(&prev);
    return rc;
}

int
funnel_compact(struct store *s, int64_t from, int64_t to, struct strbuf *out,
               struct err *err)
{
    struct funnel f = { 0 };

    if (funnel_count(s, from, to, FUNNEL_BY_SOURCE, NULL, &f, err) < 0)
        return -1;
    for (int i = 0; i < f.nrows; i++) {
        const struct funnel_row *r = &f.rows[i];
        int leak = funnel_leak(r);

        strbuf_printf(out, "%s%s: %lld %s", i ? "\n" : "", row_label(r, FUNNEL_BY_SOURCE),
                      (long long)r->n[0], funnel_stage_name(0));
        for (int k = 1; k <= FUNNEL_NSTEPS; k++) {
            strbuf_printf(out, " → %lld %s (", (long long)r->n[k], funnel_stage_name(k));
            put_rate(out, funnel_rate(r, k - 1));
            strbuf_putc(out, ')');
        }
        if (leak >= 0)
            strbuf_printf(out, _("; leaks most at %s"), funnel_step_name(leak));
    }
    funnel_release(&f);
    return 0;
}

int
funnel_losses(struct store *s, int64_t from, int64_t to, struct strbuf *out,
              struct err *err)
{
    sqlite3_stmt *st;
    char reason[64] = "";
    int rc, total = 0;

    st = store_query(s, err,
                     "SELECT coalesce(nullif(json_extract(e.data, '$.reason'), ''), '?'),"
                     " coalesce(nullif(l.source, ''), ?3), count(*) FROM events e"
                     " JOIN leads l ON l.id = e.lead WHERE e.kind = 'lost'"
                     " AND e.at >= ?1 AND e.at < ?2 AND " EVENT_STANDS("e") " GROUP BY 1, 2"
                     " ORDER BY 1, 3 DESC, 2",
                     "IIs", from, to, _("(no source)"));
    if (st == NULL)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        const char *src = (const char *)sqlite3_column_text(st, 1);
        int64_t n = sqlite3_column_int64(st, 2);
        bool same = strcmp(r, reason) == 0;

        if (!same) {
            snprintf(reason, sizeof(reason), "%s", r);
            strbuf_printf(out, "%s%s: ", total ? "; " : "", r);
        }
        strbuf_printf(out, "%s%s %lld", same ? ", " : "", src, (long long)n);
        total += (int)n;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        err_set(err, _("database error: %s"), sqlite3_errmsg(store_db(s)));
        return -1;
    }
    return total;
}

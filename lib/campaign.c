/* SPDX-License-Identifier: MIT */
/* campaign.c: campaigns and the funnel worked backwards. */
#include "campaign.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "format.h"
#include "funnel.h"
#include "i18n.h"
#include "period.h"

int64_t
campaign_add(struct store *s, const char *name, bool revenue, int64_t target,
             const char *period, const char *source, const char *actor, int64_t now,
             struct err *err)
{
    if (store_exec(s, err,
                   "INSERT INTO campaigns(name, kind, target, period, source, created_by,"
                   " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   "ssIsssI", name, revenue ? "revenue" : "customers", target, period,
                   source, actor, now) < 0)
        return -1;
    return store_last_id(s);
}

int
campaign_exists(struct store *s, const char *name, struct err *err)
{
    int64_t one = 0;

    return store_query_int(s, err, &one,
                           "SELECT 1 FROM campaigns WHERE name = ? AND removed_at IS NULL",
                           "s", name);
}

/* Deals won (and their revenue, in cents) in [from, to), of source. */
static int
won_in(struct store *s, int64_t from, int64_t to, const char *source, int64_t *deals,
       int64_t *cents, struct err *err)
{
    sqlite3_stmt *st = store_query(s, err,
        "SELECT count(DISTINCT e.lead), coalesce(sum(l.amount), 0) FROM events e"
        " JOIN leads l ON l.id = e.lead WHERE e.kind = 'won' AND e.at >= ? AND e.at < ?"
        " AND (?3 IS NULL OR l.source = ?3 COLLATE NOCASE) AND " EVENT_STANDS("e"),
        "IIs", from, to, source);
    int rc;

    *deals = *cents = 0;
    if (st == NULL || (rc = store_row(s, st, err)) < 0)
        return -1;
    if (rc > 0) {
        *deals = sqlite3_column_int64(st, 0);
        *cents = sqlite3_column_int64(st, 1);
        sqlite3_reset(st);
    }
    return 0;
}

/* Count of kind's leads in [from, to) of source (created, accepted). */
static int
count_in(struct store *s, const char *kind, int64_t from, int64_t to, const char *source,
         int64_t *n, struct err *err)
{
    *n = 0;
    return store_query_int(s, err, n,
                           "SELECT count(DISTINCT e.lead) FROM events e JOIN leads l"
                           " ON l.id = e.lead WHERE e.kind = ? AND e.at >= ? AND e.at < ?"
                           " AND (?4 IS NULL OR l.source = ?4 COLLATE NOCASE)",
                           "sIIs", kind, from, to, source) < 0 ? -1 : 0;
}

/* What the target asks: customers, then SQLs and MQLs at the period
 * before's rates, appended to out. */
static int
work_back(struct store *s, const char *period, const char *source, bool revenue,
          int64_t target, const char *currency, struct strbuf *out, struct err *err)
{
    char before[16], money[64];
    int64_t pfrom, pto, deals, cents, customers = target;
    struct funnel f;
    int64_t mql, sql, won, sql_rate_base;

    if (period_prev(period, before, sizeof(before)) < 0 ||
        period_parse(before, &pfrom, &pto) < 0)
        return 0;
    if (funnel_count(s, pfrom, pto, FUNNEL_BY_SOURCE, source, &f, err) < 0)
        return -1;
    mql = f.total.n[FUNNEL_MQL];
    sql = f.total.n[FUNNEL_SQL];
    won = f.total.n[FUNNEL_WON];
    sql_rate_base = sql;
    funnel_release(&f);
    if (revenue) {
        if (won_in(s, pfrom, pto, source, &deals, &cents, err) < 0)
            return -1;
        if (deals == 0 || cents <= 0) {
            strbuf_printf(out, _("no deal won in %s to tell the deal size the target needs"),
                          before);
            return 0;
        }
        customers = (int64_t)ceil((double)target * (double)deals / (double)cents);
        format_money_cur(cents / deals, currency, money, sizeof(money));
        strbuf_printf(out, P_("needs %lld customer at %s's average deal of %s; ",
                              "needs %lld customers at %s's average deal of %s; ", customers),
                      (long long)customers, before, money);
    }
    if (won == 0 || sql == 0 || mql == 0) {
        strbuf_printf(out, _("no lead of %s went from MQL to won to work the target back from"),
                      before);
        return 0;
    }
    /* the funnel's own rates: SQL -> won, MQL -> SQL of the cohort before */
    sql = (int64_t)ceil((double)customers * (double)sql / (double)won);
    mql = (int64_t)ceil((double)sql * (double)mql / (double)sql_rate_base);
    strbuf_printf(out, _("at %s's rates that takes %lld SQLs from sales and %lld MQLs from marketing"),
                  before, (long long)sql, (long long)mql);
    return 0;
}

int
campaign_list(struct store *s, int64_t now, bool every, const char *currency,
              struct strbuf *out, struct err *err)
{
    struct row {
        int64_t id, target;
        char *name, *kind, *period, *source;
    } *v = NULL;
    sqlite3_stmt *st;
    int n = 0, alloc = 0, rc, shown = 0;

    st = store_query(s, err,
                     "SELECT id, name, kind, target, period, source FROM campaigns"
                     " WHERE removed_at IS NULL ORDER BY id", "");
    if (st == NULL)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == alloc) {
            struct row *nv;

            alloc = alloc ? alloc * 2 : 8;
            if ((nv = realloc(v, (size_t)alloc * sizeof(*v))) == NULL) {
                rc = SQLITE_NOMEM;
                break;
            }
            v = nv;
        }
        v[n].id = sqlite3_column_int64(st, 0);
        v[n].name = store_col_dup(st, 1);
        v[n].kind = store_col_dup(st, 2);
        v[n].target = sqlite3_column_int64(st, 3);
        v[n].period = store_col_dup(st, 4);
        v[n].source = store_col_dup(st, 5);
        n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        err_set(err, _("database error: %s"), sqlite3_errmsg(store_db(s)));
        shown = -1;
        goto out;
    }
    for (int i = 0; i < n && shown >= 0; i++) {
        bool revenue = v[i].kind && strcmp(v[i].kind, "revenue") == 0;
        int64_t from, to, deals, cents, mqls, sqls, value, target = v[i].target;
        char have[64], want[64];

        if (!v[i].name || !v[i].period || period_parse(v[i].period, &from, &to) < 0 ||
            (!every && to <= now))
            continue;
        if (won_in(s, from, to, v[i].source, &deals, &cents, err) < 0 ||
            count_in(s, "created", from, to, v[i].source, &mqls, err) < 0 ||
            count_in(s, "accepted", from, to, v[i].source, &sqls, err) < 0) {
            shown = -1;
            break;
        }
        value = revenue ? cents : deals;
        if (revenue) {
            format_money_cur(value, currency, have, sizeof(have));
            format_money_cur(target, currency, want, sizeof(want));
        } else {
            snprintf(have, sizeof(have), "%lld", (long long)value);
            snprintf(want, sizeof(want), "%lld", (long long)target);
        }
        strbuf_printf(out, "%sK-%lld %s", shown ? "\n" : "", (long long)v[i].id, v[i].name);
        if (v[i].source)
            strbuf_printf(out, _(" (source %s)"), v[i].source);
        strbuf_printf(out, revenue ? _(": %s of %s revenue in %s (%lld%%); so far MQLs %lld, SQLs %lld, won %lld")
                                   : _(": %s of %s customers in %s (%lld%%); so far MQLs %lld, SQLs %lld, won %lld"),
                      have, want, v[i].period,
                      (long long)(target > 0 ? value * 100 / target : 0), (long long)mqls,
                      (long long)sqls, (long long)deals);
        strbuf_puts(out, "\n  ");
        if (work_back(s, v[i].period, v[i].source, revenue, target, currency, out, err) < 0) {
            shown = -1;
            break;
        }
        shown++;
    }
out:
    for (int i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].kind);
        free(v[i].period);
        free(v[i].source);
    }
    free(v);
    return shown;
}

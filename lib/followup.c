/* SPDX-License-Identifier: MIT */
/* followup.c: marketing's ratings of sales' follow-up, and each rep's
 * record beside them. */
#include "followup.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "chart.h"
#include "i18n.h"

/* A rep named in [roles] by user name, when leads store the user id (or
 * the other way round), is still the same rep. */
#define SAME_REP(col)                                                       \
    "(" col " = ?1 OR " col " IN (SELECT id FROM users WHERE name = ?1))"

/* The newest rating per lead and rater. */
#define NEWEST                                                              \
    "f.id = (SELECT f2.id FROM followups f2 WHERE f2.lead = f.lead"         \
    " AND f2.rater = f.rater ORDER BY f2.at DESC, f2.id DESC LIMIT 1)"

int
followup_add(struct store *s, int64_t lead, const char *rater, const char *rep,
             int rating, const char *comment, int64_t at, struct err *err)
{
    return store_exec(s, err,
                      "INSERT INTO followups(lead, rater, rep, rating, comment, at)"
                      " VALUES (?, ?, ?, ?, ?, ?)",
                      "IssisI", lead, rater, rep, rating, comment, at);
}

int
followup_latest(struct store *s, int64_t lead, const char *rater,
                struct err *err)
{
    int64_t rating = 0;

    if (store_query_int(s, err, &rating,
                        "SELECT rating FROM followups WHERE lead = ? AND rater = ?"
                        " ORDER BY at DESC, id DESC LIMIT 1",
                        "Is", lead, rater) < 0)
        return -1;
    return (int)rating;
}

int
followup_count(struct store *s, int64_t from, int64_t to, int64_t *n,
               struct err *err)
{
    *n = 0;
    return store_query_int(s, err, n,
                           "SELECT count(*) FROM followups f"
                           " WHERE f.at >= ? AND f.at < ? AND " NEWEST,
                           "II", from, to) < 0 ? -1 : 0;
}

/* One rep's line: rating, then the SLA record of [from, to). */
static int
rep_line(struct store *s, const char *rep, int64_t from, int64_t to,
         struct strbuf *out, struct err *err)
{
    sqlite3_stmt *st;
    int64_t ratings, answered, within, waiting = 0;
    double avg;
    char *name = NULL;

    if (store_query_text(s, err, &name,
                         "SELECT coalesce((SELECT name FROM users WHERE id = ?1), ?1)",
                         "s", rep) < 0)
        return -1;
    st = store_query(s, err,
                     "SELECT avg(f.rating), count(*) FROM followups f"
                     " WHERE f.at >= ?2 AND f.at < ?3 AND " SAME_REP("f.rep")
                     " AND " NEWEST,
                     "sII", rep, from, to);
    if (st == NULL || store_row(s, st, err) <= 0)
        goto fail;
    avg = sqlite3_column_double(st, 0);
    ratings = sqlite3_column_int64(st, 1);
    sqlite3_reset(st);
    st = store_query(s, err,
                     "SELECT count(*), coalesce(sum(json_extract(data, '$.met')), 0)"
                     " FROM events WHERE kind IN ('accepted', 'rejected')"
                     " AND at >= ?2 AND at < ?3 AND " SAME_REP("json_extract(data, '$.rep')"),
                     "sII", rep, from, to);
    if (st == NULL || store_row(s, st, err) <= 0)
        goto fail;
    answered = sqlite3_column_int64(st, 0);
    within = sqlite3_column_int64(st, 1);
    sqlite3_reset(st);
    if (store_query_int(s, err, &waiting,
                        "SELECT count(*) FROM leads WHERE stage = 'handed_off'"
                        " AND due_at < ?2 AND " SAME_REP("owner"),
                        "sI", rep, to) < 0)
        goto fail;
    strbuf_printf(out, "@%s  ", name ? name : rep);
    if (ratings > 0) {
        chart_bar(out, llround(avg * 100), 500, 5);
        strbuf_printf(out, P_(" %.1f (%lld rating)", " %.1f (%lld ratings)", ratings),
                      avg, (long long)ratings);
    } else {
        strbuf_puts(out, _("no follow-up rating"));
    }
    strbuf_printf(out, P_("; SLA: %lld of %lld answer within target",
                          "; SLA: %lld of %lld answers within target", answered),
                  (long long)within, (long long)answered);
    if (waiting > 0)
        strbuf_printf(out, P_(", %lld lead waiting past its deadline",
                              ", %lld leads waiting past their deadline", waiting),
                      (long long)waiting);
    free(name);
    return 0;
fail:
    free(name);
    return -1;
}

int
followup_by_rep(struct store *s, const struct config *cfg, int64_t from,
                int64_t to, struct strbuf *out, struct err *err)
{
    for (int i = 0; i < cfg->sales.n; i++) {
        if (i > 0)
            strbuf_putc(out, '\n');
        if (rep_line(s, cfg->sales.v[i], from, to, out, err) < 0)
            return -1;
    }
    return cfg->sales.n;
}

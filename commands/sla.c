/* SPDX-License-Identifier: MIT */
/* sla.c: `sla` and `sla set`. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bizhours.h"
#include "bot.h"
#include "clock.h"
#include "commands.h"
#include "event.h"
#include "format.h"
#include "i18n.h"
#include "reply.h"
#include "report.h"
#include "sla.h"

/* More MQLs a month than any team hands over; catches a slipped digit. */
#define MQL_TARGET_MAX 1000000

int
cmd_sla(struct cmd_ctx *ctx, const struct args *a)
{
    (void)a;
    return report_sla(ctx->bot->store, &ctx->bot->cfg, ctx->now, ctx->reply, &ctx->err);
}

/* The new response target applies to the leads waiting for an answer:
 * each open handoff's deadline is recomputed from its handoff time, with a
 * deadline_moved event in its timeline (the scheduler plans its reminder,
 * breach and escalation from it). Returns how many moved, or -1. */
static int
move_deadlines(struct cmd_ctx *ctx, int64_t resp, struct strbuf *moved)
{
    struct store *store = ctx->bot->store;
    const struct bizhours *bh = &ctx->bot->cfg.hours;
    struct open {
        int64_t id, at, due;
    } *v = NULL;
    sqlite3_stmt *st;
    int n = 0, alloc = 0, count = 0, rc;

    st = store_query(store, &ctx->err,
                     "SELECT id, handed_off_at, coalesce(due_at, 0) FROM leads"
                     " WHERE stage = 'handed_off' AND handed_off_at IS NOT NULL ORDER BY id",
                     "");
    if (st == NULL)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == alloc) {
            struct open *nv;

            alloc = alloc ? alloc * 2 : 16;
            if ((nv = realloc(v, (size_t)alloc * sizeof(*v))) == NULL) {
                rc = SQLITE_NOMEM;
                break;
            }
            v = nv;
        }
        v[n].id = sqlite3_column_int64(st, 0);
        v[n].at = sqlite3_column_int64(st, 1);
        v[n].due = sqlite3_column_int64(st, 2);
        n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        err_set(&ctx->err, _("database error: %s"), sqlite3_errmsg(store_db(store)));
        free(v);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        int64_t due = bizhours_add(bh, v[i].at, resp);
        json_t *data;
        char when[32];
        int bad;

        if (due == v[i].due)
            continue;
        data = json_pack("{s:I, s:I, s:I}", "due_at", (json_int_t)due, "prev_due_at",
                         (json_int_t)v[i].due, "response_secs", (json_int_t)resp);
        bad = data == NULL ||
              store_exec(store, &ctx->err, "UPDATE leads SET due_at = ? WHERE id = ?", "II",
                         due, v[i].id) < 0 ||
              event_append(store, v[i].id, "deadline_moved", ctx->actor, ctx->now, data,
                           &ctx->err) < 0;
        json_decref(data);
        if (bad) {
            if (!ctx->err.set)
                err_set(&ctx->err, _("out of memory"));
            free(v);
            return -1;
        }
        if (count++ < 5) {
            clock_format_human(due, when, sizeof(when));
            strbuf_printf(moved, "%sL-%lld %s", count > 1 ? ", " : "", (long long)v[i].id,
                          when);
        }
    }
    if (count > 5)
        strbuf_puts(moved, ", ...");
    free(v);
    return count;
}

int
cmd_sla_set(struct cmd_ctx *ctx, const struct args *a)
{
    struct store *store = ctx->bot->store;
    int64_t old_resp = sla_response_secs(store, &ctx->bot->cfg);
    int64_t old_mql = sla_mql_target(store, &ctx->bot->cfg);
    int64_t resp = -1, mql = -1;
    char key[32], was[32], now[32];
    json_t *data = NULL;
    struct strbuf moved;
    int rc = -1, nmoved = 0;

    strbuf_init(&moved, 0);
    for (int i = 0; i < a->argc; i++) {
        const char *v = args_kv(a, i, key, sizeof(key));

        if (v == NULL || (strcmp(key, "response") != 0 && strcmp(key, "mql") != 0))
            return reply_error(ctx, _("'%s' is not response=<duration> or mql=<number>; e.g. /smk sla set response=4h mql=200"),
                               a->argv[i]);
        if ((key[0] == 'r' && resp >= 0) || (key[0] == 'm' && mql >= 0))
            return reply_error(ctx, _("%s is given twice"), key);
        if (key[0] == 'r' &&
            bizhours_parse_duration(&ctx->bot->cfg.hours, v, &resp) < 0)
            return reply_error(ctx, _("response must be a duration such as 4h, 90m or 2d (business days), not '%s'"),
                               v);
        if (key[0] == 'm' && args_number(v, 1, MQL_TARGET_MAX, &mql) < 0)
            return reply_error(ctx, _("mql must be a whole number of MQLs a month from 1 to %d, not '%s'"),
                               MQL_TARGET_MAX, v);
    }
    if ((resp >= 0 && sla_set_response_secs(store, resp, &ctx->err) < 0) ||
        (mql >= 0 && sla_set_mql_target(store, mql, &ctx->err) < 0))
        goto out;
    /* the timeline of the SLA: what is in force after, and what was before
     * (reports of past months read the MQL target of their time here) */
    data = json_pack("{s:I, s:I, s:I, s:I}",
                     "response_secs", (json_int_t)(resp >= 0 ? resp : old_resp),
                     "mql_target", (json_int_t)(mql >= 0 ? mql : old_mql),
                     "prev_response_secs", (json_int_t)old_resp,
                     "prev_mql_target", (json_int_t)old_mql);
    if (data == NULL) {
        err_set(&ctx->err, _("out of memory"));
        goto out;
    }
    if (event_append(store, 0, "sla_set", ctx->actor, ctx->now, data, &ctx->err) < 0 ||
        (resp >= 0 && (nmoved = move_deadlines(ctx, resp, &moved)) < 0))
        goto out;
    reply_text(ctx, _("SLA targets changed (recorded in the SLA's timeline):"));
    if (resp >= 0) {
        format_bizdur(&ctx->bot->cfg.hours, old_resp, was, sizeof(was));
        format_bizdur(&ctx->bot->cfg.hours, resp, now, sizeof(now));
        reply_text(ctx, _("  response: %s -> %s of business hours"), was, now);
    }
    if (mql >= 0)
        reply_text(ctx, _("  MQLs a month: %lld -> %lld"), (long long)old_mql,
                   (long long)mql);
    if (nmoved > 0)
        reply_text(ctx, P_("  %d lead waiting for an answer has a new deadline: %s; its reminders follow it",
                           "  %d leads waiting for an answer have a new deadline: %s; their reminders follow it",
                           nmoved),
                   nmoved, strbuf_str(&moved));
    rc = 0;
out:
    strbuf_release(&moved);
    json_decref(data);
    return rc;
}

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

int
cmd_sla_set(struct cmd_ctx *ctx, const struct args *a)
{
    struct store *store = ctx->bot->store;
    int64_t old_resp = sla_response_secs(store, &ctx->bot->cfg);
    int64_t old_mql = sla_mql_target(store, &ctx->bot->cfg);
    int64_t resp = -1, mql = -1;
    char key[32], was[32], now[32];
    json_t *data = NULL;
    int rc = -1;

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
    if (event_append(store, 0, "sla_set", ctx->actor, ctx->now, data, &ctx->err) < 0)
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
    rc = 0;
out:
    json_decref(data);
    return rc;
}

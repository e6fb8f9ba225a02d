/* SPDX-License-Identifier: MIT */
/* campaign.c: `campaign add` and `campaign list`. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "args.h"
#include "bot.h"
#include "campaign.h"
#include "commands.h"
#include "event.h"
#include "format.h"
#include "i18n.h"
#include "lead.h"
#include "period.h"
#include "reply.h"
#include "text.h"

/* More customers than a campaign can mean; catches a slipped digit. */
#define CUSTOMERS_MAX 1000000

int
cmd_campaign_add(struct cmd_ctx *ctx, const struct args *a)
{
    static const char *const fields[] = { "target", "revenue", "period", "source", NULL };
    const char *vals[4] = { NULL, NULL, NULL, NULL }, *bad, *source;
    int64_t target = 0, from, to, id;
    char key[16], shown[64];
    json_t *data;
    int rc;

    if (args_kv(a, 0, key, sizeof(key)) != NULL)
        return reply_error(ctx, _("the campaign's name comes first: /smk campaign add \"Q1 push\" target=40 period=2027-Q1"));
    if (a->argv[0][0] == '\0' || text_utf8_len(a->argv[0]) > CAMPAIGN_NAME_MAX)
        return reply_error(ctx, _("a campaign's name has 1 to %d characters"), CAMPAIGN_NAME_MAX);
    switch (args_fields(a, 1, fields, vals, &bad)) {
    case ARGS_NOT_KV:
        return reply_error(ctx, _("'%s' is not key=value; quote a name with spaces: \"Q1 push\""),
                           bad);
    case ARGS_UNKNOWN_KEY:
        return reply_error(ctx, _("unknown field '%.*s'; a campaign has target= (customers) or revenue=, period= and source="),
                           (int)strcspn(bad, "="), bad);
    case ARGS_TWICE:
        return reply_error(ctx, _("%.*s is given twice"), (int)strcspn(bad, "="), bad);
    case ARGS_FIELDS_OK:
        break;
    }
    if ((vals[0] == NULL) == (vals[1] == NULL) || vals[2] == NULL)
        return reply_error(ctx, _("a campaign needs period= and one target: target=<customers> or revenue=<amount>"));
    if (vals[0] && args_number(vals[0], 1, CUSTOMERS_MAX, &target) < 0)
        return reply_error(ctx, _("target is a number of customers from 1 to %d, not '%.40s'; a revenue target is revenue=50k"),
                           CUSTOMERS_MAX, vals[0]);
    if (vals[1] && cmd_money(ctx, vals[1], &target) < 0)
        return -1;
    if (period_parse(vals[2], &from, &to) < 0)
        return reply_error(ctx, _("period must be a year, a quarter or a month: 2026, 2026-Q1 or 2026-11, not '%s'"),
                           vals[2]);
    if (to <= ctx->now)
        return reply_error(ctx, _("period %s is over; plan a campaign for now or later"), vals[2]);
    source = vals[3] && vals[3][0] ? vals[3] : NULL;
    if ((rc = campaign_exists(ctx->bot->store, a->argv[0], &ctx->err)) != 0)
        return rc < 0 ? -1 : reply_error(ctx, _("a campaign '%s' exists already; see /smk campaign list"),
                                         a->argv[0]);
    id = campaign_add(ctx->bot->store, a->argv[0], vals[1] != NULL, target, vals[2], source,
                      ctx->actor, ctx->now, &ctx->err);
    if (id < 0)
        return -1;
    data = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s*}", "campaign", (json_int_t)id, "name",
                     a->argv[0], "kind", vals[1] ? "revenue" : "customers", "target",
                     (json_int_t)target, "period", vals[2], "source", source);
    rc = data ? event_append(ctx->bot->store, 0, "campaign_add", ctx->actor, ctx->now, data,
                             &ctx->err) : -1;
    json_decref(data);
    if (rc < 0) {
        if (!ctx->err.set)
            err_set(&ctx->err, _("out of memory"));
        return -1;
    }
    if (vals[1])
        format_money_cur(target, ctx->bot->cfg.currency, shown, sizeof(shown));
    else
        snprintf(shown, sizeof(shown), P_("%lld customer", "%lld customers", target),
                 (long long)target);
    reply_text(ctx, _("K-%lld added: %s, %s in %s. /smk campaign list works it back into MQLs and SQLs"),
               (long long)id, a->argv[0], shown, vals[2]);
    return 0;
}

int
cmd_campaign_list(struct cmd_ctx *ctx, const struct args *a)
{
    struct strbuf out;
    int n;

    if (a->argc == 1 && strcmp(a->argv[0], "all") != 0)
        return cmd_usage_named(ctx, "campaign list");
    strbuf_init(&out, 0);
    n = campaign_list(ctx->bot->store, ctx->now, a->argc == 1, ctx->bot->cfg.currency, &out,
                      &ctx->err);
    if (n == 0)
        reply_text(ctx, _("no open campaigns; add one with /smk campaign add \"<name>\" target=<customers> period=<2027-Q1>"));
    else if (n > 0)
        reply_text(ctx, "%s", strbuf_str(&out));
    strbuf_release(&out);
    return n < 0 ? -1 : 0;
}

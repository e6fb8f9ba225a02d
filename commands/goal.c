/* SPDX-License-Identifier: MIT */
/* goal.c: `goal add`, `goal list`, `goal remove`. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "args.h"
#include "bot.h"
#include "commands.h"
#include "event.h"
#include "format.h"
#include "goal.h"
#include "i18n.h"
#include "lead.h"
#include "reply.h"

#define TITLE_MAX_LEN 200
/* Large enough for any revenue in whole currency units. */
#define TARGET_MAX 1000000000000LL

/* The table's usage line for name: one place says how a command reads. */
static int
usage(struct cmd_ctx *ctx, const char *name)
{
    for (size_t i = 0; i < ncommands; i++)
        if (strcmp(commands[i].name, name) == 0)
            return cmd_usage(ctx, &commands[i]);
    return -1;
}

/* A target reads as an amount does in `won` (50, 1,200, 50k, and for
 * revenue the sign of [bot] currency), in whole units. */
static int
parse_target(struct cmd_ctx *ctx, const char *metric, const char *s, int64_t *target)
{
    const char *cur = strcmp(metric, "revenue") == 0 ? ctx->bot->cfg.currency : "";
    int64_t cents;

    if (lead_parse_money(s, cur, &cents) != LEAD_MONEY_OK || cents % 100 != 0 ||
        cents / 100 > TARGET_MAX)
        return reply_error(ctx, _("target must be a whole number above 0, such as 50, 1,200 or 50k, not '%s'"),
                           s);
    *target = cents / 100;
    return 0;
}

int
cmd_goal_add(struct cmd_ctx *ctx, const struct args *a)
{
    static const char *const fields[] = { "metric", "target", "period", NULL };
    const char *vals[3] = { NULL, NULL, NULL }, *bad, *metric, *period, *target_s;
    int64_t target = 0, from, to, id;
    json_t *data = NULL;
    char key[32], shown[64];
    int rc = -1;

    if (args_kv(a, 0, key, sizeof(key)) != NULL)
        return reply_error(ctx, _("the goal's title comes first: /smk goal add \"More SQLs\" metric=sqls target=50 period=2026-Q4"));
    if (a->argv[0][0] == '\0' || strlen(a->argv[0]) > TITLE_MAX_LEN)
        return reply_error(ctx, _("a title has 1 to %d characters"), TITLE_MAX_LEN);
    switch (args_fields(a, 1, fields, vals, &bad)) {
    case ARGS_NOT_KV:
        return reply_error(ctx, _("'%s' is not key=value; quote a title with spaces: \"More SQLs\""),
                           bad);
    case ARGS_UNKNOWN_KEY:
        return reply_error(ctx, _("unknown field '%.*s'; a goal has metric=, target= and period="),
                           (int)strcspn(bad, "="), bad);
    case ARGS_TWICE:
        return reply_error(ctx, _("%.*s is given twice"), (int)strcspn(bad, "="), bad);
    case ARGS_FIELDS_OK:
        break;
    }
    metric = vals[0];
    target_s = vals[1];
    period = vals[2];
    if (metric == NULL || target_s == NULL || period == NULL)
        return usage(ctx, "goal add");
    if (!goal_metric_valid(metric))
        return reply_error(ctx, _("metric must be one of: mqls sqls won revenue"));
    if (parse_target(ctx, metric, target_s, &target) < 0)
        return -1;
    if (goal_period_parse(period, &from, &to) < 0)
        return reply_error(ctx, _("period must be a year, a quarter or a month: 2026, 2026-Q1 or 2026-11, not '%s'"),
                           period);
    if (to <= ctx->now)
        return reply_error(ctx, _("period %s is over; set a goal for now or later"), period);
    id = goal_insert(ctx->bot->store, a->argv[0], metric, target, period, ctx->actor,
                     ctx->now, &ctx->err);
    if (id < 0)
        goto out;
    data = json_pack("{s:I, s:s, s:s, s:I, s:s}", "goal", (json_int_t)id,
                     "title", a->argv[0], "metric", metric, "target", (json_int_t)target,
                     "period", period);
    if (event_append(ctx->bot->store, 0, "goal_add", ctx->actor, ctx->now, data,
                     &ctx->err) < 0)
        goto out;
    if (strcmp(metric, "revenue") == 0)
        format_money_cur(target * 100, ctx->bot->cfg.currency, shown, sizeof(shown));
    else
        format_money(target * 100, shown, sizeof(shown));
    reply_text(ctx, _("G-%lld added: %s (%s, target %s, %s). Follow it with /smk goal list"),
               (long long)id, a->argv[0], metric, shown, period);
    rc = 0;
out:
    json_decref(data);
    return rc;
}

int
cmd_goal_list(struct cmd_ctx *ctx, const struct args *a)
{
    struct strbuf out;
    int n, rc = -1;

    (void)a;
    strbuf_init(&out, 0);
    n = goal_list(ctx->bot->store, ctx->now, false, ctx->bot->cfg.currency, &out, &ctx->err);
    if (n < 0)
        goto out;
    if (n == 0)
        reply_text(ctx, _("no goals yet; add one with /smk goal add \"<title>\" metric=sqls target=50 period=2026-Q4"));
    else
        reply_text(ctx, "%s", strbuf_str(&out));
    rc = 0;
out:
    strbuf_release(&out);
    return rc;
}

int
cmd_goal_remove(struct cmd_ctx *ctx, const struct args *a)
{
    int64_t id = args_ref_id(a->argv[0], 'G');
    struct goal g;
    json_t *data = NULL;
    int rc;

    rc = id > 0 ? goal_find(ctx->bot->store, id, &g, &ctx->err) : 0;
    if (rc < 0)
        return -1;
    if (rc == 0)
        return reply_error(ctx, _("no goal %s; see /smk goal list"), a->argv[0]);
    rc = -1;
    if (goal_remove(ctx->bot->store, id, ctx->now, &ctx->err) < 0)
        goto out;
    data = json_pack("{s:I, s:s}", "goal", (json_int_t)id, "title", g.title);
    if (event_append(ctx->bot->store, 0, "goal_remove", ctx->actor, ctx->now, data,
                     &ctx->err) < 0)
        goto out;
    reply_text(ctx, _("G-%lld removed: %s"), (long long)id, g.title);
    rc = 0;
out:
    json_decref(data);
    goal_release(&g);
    return rc;
}

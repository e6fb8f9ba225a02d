/* SPDX-License-Identifier: MIT */
/* goal.c: `goal add`, `goal list`, `goal remove`. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "args.h"
#include "bot.h"
#include "commands.h"
#include "event.h"
#include "format.h"
#include "goal.h"
#include "i18n.h"
#include "lead.h"
#include "period.h"
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

/* "+10%": growth over the period before, in percent (up to 1000). */
static int
parse_growth(const char *s, double *growth)
{
    char *end = NULL;
    double v;

    if (s[0] != '+' || s[1] < '0' || s[1] > '9')
        return -1;
    v = strtod(s + 1, &end);
    if (end == s + 1 || strcmp(end, "%") != 0 || !(v > 0) || v > 1000)
        return -1;
    *growth = v;
    return 0;
}

int
cmd_goal_add(struct cmd_ctx *ctx, const struct args *a)
{
    static const char *const fields[] = { "metric", "target", "period", "team", NULL };
    const char *vals[4] = { NULL, NULL, NULL, NULL }, *bad, *metric, *period, *target_s;
    const char *team = NULL;
    double growth = 0;
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
        return reply_error(ctx, _("unknown field '%.*s'; a goal has metric=, target=, period= and team="),
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
        return reply_error(ctx, _("metric must be one of: mqls sqls won revenue handoffs conversion"));
    if (vals[3] != NULL) {
        if (strcasecmp(vals[3], "marketing") == 0)
            team = "marketing";
        else if (strcasecmp(vals[3], "sales") == 0)
            team = "sales";
        else if (strcasecmp(vals[3], "both") != 0)
            return reply_error(ctx, _("team must be marketing, sales or both, not '%.40s'"),
                               vals[3]);
    }
    if (target_s[0] == '+') {
        if (parse_growth(target_s, &growth) < 0)
            return reply_error(ctx, _("a relative target is growth over the period before, from +1%% to +1000%%, such as target=+10%%, not '%.40s'"),
                               target_s);
    } else if (strcmp(metric, "conversion") == 0) {
        char digits[8];
        size_t n = strlen(target_s);

        /* "25%" as well as "25" */
        if (n > 0 && target_s[n - 1] == '%')
            n--;
        if (n == 0 || n >= sizeof(digits))
            n = sizeof(digits) - 1;     /* too long: refused below */
        memcpy(digits, target_s, n);
        digits[n] = '\0';
        if (strlen(target_s) > 4 || args_number(digits, 1, 100, &target) < 0)
            return reply_error(ctx, _("a conversion target is a percent from 1 to 100, such as target=25%%, not '%.40s'"),
                               target_s);
    } else if (parse_target(ctx, metric, target_s, &target) < 0) {
        return -1;
    }
    if (period_parse(period, &from, &to) < 0)
        return reply_error(ctx, _("period must be a year, a quarter or a month: 2026, 2026-Q1 or 2026-11, not '%s'"),
                           period);
    if (to <= ctx->now)
        return reply_error(ctx, _("period %s is over; set a goal for now or later"), period);
    id = goal_insert(ctx->bot->store, a->argv[0], metric, target, growth, team, period,
                     ctx->actor, ctx->now, &ctx->err);
    if (id < 0)
        goto out;
    data = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s*}", "goal", (json_int_t)id,
                     "title", a->argv[0], "metric", metric, "target", (json_int_t)target,
                     "period", period, "team", team);
    if (data && growth > 0)
        json_object_set_new(data, "growth", json_real(growth));
    if (event_append(ctx->bot->store, 0, "goal_add", ctx->actor, ctx->now, data,
                     &ctx->err) < 0)
        goto out;
    if (growth > 0)
        snprintf(shown, sizeof(shown), _("+%g%% over the period before"), growth);
    else if (strcmp(metric, "conversion") == 0)
        snprintf(shown, sizeof(shown), "%lld%%", (long long)target);
    else if (strcmp(metric, "revenue") == 0)
        format_money_cur(target * 100, ctx->bot->cfg.currency, shown, sizeof(shown));
    else
        format_money(target * 100, shown, sizeof(shown));
    if (team)
        reply_text(ctx, _("G-%lld added: %s (%s, target %s, %s, team %s). Follow it with /smk goal list"),
                   (long long)id, a->argv[0], metric, shown, period, team);
    else
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

/* SPDX-License-Identifier: MIT */
/* funnel.c: `funnel`: at which stage leads are lost, and which channels
 * work, for a month, a quarter or a year against the one before. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "bot.h"
#include "clock.h"
#include "commands.h"
#include "funnel.h"
#include "i18n.h"
#include "period.h"
#include "reply.h"

#define FILTER_MAX_LEN 100

int
cmd_funnel(struct cmd_ctx *ctx, const struct args *a)
{
    static const char *const fields[] = { "source", "by", "persona", NULL };
    const char *vals[3] = { NULL, NULL, NULL }, *bad, *only;
    enum funnel_by by = FUNNEL_BY_SOURCE;
    char period[16], key[32];
    int64_t from, to;
    int first = 0;

    /* the period is the one word that is not key=value, and it comes first */
    if (a->argc > 0 && args_kv(a, 0, key, sizeof(key)) == NULL) {
        if (period_parse(a->argv[0], &from, &to) < 0)
            return reply_error(ctx, _("period must be a year, a quarter or a month: 2026, 2026-Q4 or 2026-11, not '%.40s'"),
                               a->argv[0]);
        snprintf(period, sizeof(period), "%s", a->argv[0]);
        first = 1;
    } else {
        clock_format_date(ctx->now, period, sizeof(period));
        period[7] = '\0';       /* YYYY-MM: this month */
    }
    switch (args_fields(a, first, fields, vals, &bad)) {
    case ARGS_NOT_KV:
        return reply_error(ctx, _("'%.40s' is not key=value; the period comes first: /smk funnel 2026-Q4 source=webinar"),
                           bad);
    case ARGS_UNKNOWN_KEY:
        return reply_error(ctx, _("unknown field '%.*s'; funnel takes source=, persona= and by=source|persona"),
                           (int)strcspn(bad, "="), bad);
    case ARGS_TWICE:
        return reply_error(ctx, _("%.*s is given twice"), (int)strcspn(bad, "="), bad);
    case ARGS_FIELDS_OK:
        break;
    }
    if (vals[1] && strcasecmp(vals[1], "persona") == 0)
        by = FUNNEL_BY_PERSONA;
    else if (vals[1] && strcasecmp(vals[1], "source") != 0)
        return reply_error(ctx, _("by must be source or persona, not '%.40s'"), vals[1]);
    if (vals[0] && vals[2])
        return reply_error(ctx, _("name a source or a persona, not both"));
    if (vals[2])
        by = FUNNEL_BY_PERSONA;
    only = vals[0] ? vals[0] : vals[2];
    if (only && strlen(only) > FILTER_MAX_LEN)
        return reply_error(ctx, _("a source or persona has at most %d characters"),
                           FILTER_MAX_LEN);
    return funnel_report(ctx->bot->store, period, by, only, ctx->reply, &ctx->err);
}

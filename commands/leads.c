/* SPDX-License-Identifier: MIT */
/* leads.c: `leads`: the leads, filtered, newest first, one line each. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot.h"
#include "commands.h"
#include "format.h"
#include "i18n.h"
#include "lead.h"
#include "reply.h"

/* Enough for a screen; the rest is counted, and filters narrow it down. */
#define LEADS_MAX_LINES 20

/* Fills f from the words of a; rep_key and rep_name are owned. Returns 0
 * or -1 (replied). */
static int
parse_filters(struct cmd_ctx *ctx, const struct args *a, struct lead_filter *f,
              char **rep_key, char **rep_name)
{
    char key[32];

    for (int i = 0; i < a->argc; i++) {
        const char *v = args_kv(a, i, key, sizeof(key)), *w = a->argv[i];

        if (v == NULL && strcasecmp(w, "mine") == 0) {
            f->me = ctx->msg->user_id;
            f->me_alt = ctx->msg->user_name;
        } else if (v == NULL && strcasecmp(w, "open") == 0) {
            f->open = true;
        } else if (v == NULL && strcasecmp(w, "overdue") == 0) {
            f->overdue = true;
        } else if (v && strcmp(key, "stage") == 0) {
            if ((f->stage = lead_stage_named(v)) == NULL)
                return reply_error(ctx, _("stage must be one of: mql handed_off sql recycled won lost"));
        } else if (v && strcmp(key, "source") == 0) {
            if (v[0] == '\0')
                return reply_error(ctx, _("source= needs a value, e.g. source=webinar"));
            f->source = v;
        } else if (v && strcmp(key, "rep") == 0) {
            free(*rep_key);
            free(*rep_name);
            *rep_name = NULL;
            if ((*rep_key = args_user(v)) == NULL)
                return reply_error(ctx, _("rep= takes a user, e.g. rep=@bob"));
            *rep_name = bot_user_name(ctx->bot, *rep_key);
            f->rep = *rep_key;
            f->rep_alt = *rep_name;
        } else {
            return reply_error(ctx, _("unknown filter '%s'; use mine, open, overdue, stage=, source= or rep=@user"),
                               w);
        }
    }
    return 0;
}

int
cmd_leads(struct cmd_ctx *ctx, const struct args *a)
{
    struct bot *bot = ctx->bot;
    struct lead_filter f = { 0 };
    struct lead *v = NULL;
    struct strbuf line;
    char *rep_key = NULL, *rep_name = NULL;
    int64_t total = 0;
    int n = 0, rc = -1;

    strbuf_init(&line, 0);
    if (parse_filters(ctx, a, &f, &rep_key, &rep_name) < 0)
        goto out;
    n = lead_list(bot->store, &f, ctx->now, LEADS_MAX_LINES, &v, &total, &ctx->err);
    if (n < 0)
        goto out;
    if (n == 0)
        reply_text(ctx, a->argc ? _("no leads match") : _("no leads yet; add one with /smk lead add \"Jane Doe\""));
    for (int i = 0; i < n; i++) {
        char title[800], sla[64], money[48];

        strbuf_reset(&line);
        lead_title(&v[i], title, sizeof(title));
        strbuf_printf(&line, "%s [%s]", title, v[i].stage);
        if (v[i].owner) {
            char *name = bot_user_name(bot, v[i].owner);

            strbuf_printf(&line, " @%s", name);
            free(name);
        }
        if (v[i].source)
            strbuf_printf(&line, _(", source: %s"), v[i].source);
        if (strcmp(v[i].stage, STAGE_HANDED_OFF) == 0) {
            lead_sla_state(&v[i], &bot->cfg.hours, ctx->now, sla, sizeof(sla));
            strbuf_printf(&line, ", %s", sla);
        }
        if (v[i].amount >= 0) {
            format_money(v[i].amount, money, sizeof(money));
            strbuf_printf(&line, ", %s", money);
        }
        reply_text(ctx, "%s", strbuf_str(&line));
    }
    if (total > n)
        reply_text(ctx, _("... %lld more"), (long long)(total - n));
    rc = 0;
out:
    for (int i = 0; i < n; i++)
        lead_release(&v[i]);
    free(v);
    free(rep_key);
    free(rep_name);
    strbuf_release(&line);
    return rc;
}

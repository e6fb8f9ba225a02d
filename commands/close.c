/* SPDX-License-Identifier: MIT */
/* close.c: `won` and `lost`: sales closes the loop on an SQL, so marketing
 * learns which sources bring revenue. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bot.h"
#include "commands.h"
#include "event.h"
#include "format.h"
#include "i18n.h"
#include "lead.h"
#include "reply.h"

/* Moves l to stage (won or lost) and appends its event with data. */
static int
close_lead(struct cmd_ctx *ctx, struct lead *l, const char *stage,
           json_t *data)
{
    free(l->stage);
    l->stage = strdup(stage);
    l->closed_at = ctx->now;
    if (l->stage == NULL || data == NULL) {
        err_set(&ctx->err, _("out of memory"));
        return -1;
    }
    if (lead_update(ctx->bot->store, l, &ctx->err) < 0 ||
        event_append(ctx->bot->store, l->id, stage, ctx->actor, ctx->now, data,
                     &ctx->err) < 0)
        return -1;
    return 0;
}

int
cmd_won(struct cmd_ctx *ctx, const struct args *a)
{
    struct bot *bot = ctx->bot;
    struct lead l = { 0 };
    struct strbuf post;
    json_t *data = NULL;
    char *rep_name = NULL;
    const char *note;
    char title[800], amount[48];
    int rc = -1, first_note = 1;

    strbuf_init(&post, 0);
    if (cmd_find_lead(ctx, a->argv[0], &l) < 0 || cmd_lead_can(ctx, &l, "won") < 0)
        goto out;
    /* a word that starts with a digit is meant as the amount: refuse a
     * typo rather than file it as the note */
    if (a->argc > 1 && !a->quoted[1] && isdigit((unsigned char)a->argv[1][0])) {
        if (lead_parse_amount(a->argv[1], &l.amount) < 0) {
            rc = reply_error(ctx, _("'%s' is not an amount; write it like 12000, 12,000.50 or 12k"),
                             a->argv[1]);
            goto out;
        }
        first_note = 2;
    }
    if (cmd_note(ctx, a, first_note, &note) < 0)
        goto out;
    data = json_pack("{s:o, s:s?}", "amount",
                     l.amount >= 0 ? json_integer(l.amount) : json_null(),
                     "note", note);
    if (close_lead(ctx, &l, STAGE_WON, data) < 0)
        goto out;

    lead_title(&l, title, sizeof(title));
    format_money(l.amount, amount, sizeof(amount));
    rep_name = bot_user_name(bot, l.owner);
    if (l.amount >= 0)
        strbuf_printf(&post, _("🎉 Won by @%s: %s for %s (source: %s). Well done, sales and marketing!"),
                      rep_name, title, amount, l.source ? l.source : _("unknown"));
    else
        strbuf_printf(&post, _("🎉 Won by @%s: %s (source: %s). Well done, sales and marketing!"),
                      rep_name, title, l.source ? l.source : _("unknown"));
    if (post_channel(bot, ctx->now, reply_channel(bot, CHANNEL_DIGEST),
                     strbuf_str(&post), NULL, &ctx->err) < 0)
        goto out;
    if (l.amount >= 0)
        reply_text(ctx, _("L-%lld closed as won (%s)"), (long long)l.id, amount);
    else
        reply_text(ctx, _("L-%lld closed as won"), (long long)l.id);
    rc = 0;
out:
    json_decref(data);
    strbuf_release(&post);
    free(rep_name);
    lead_release(&l);
    return rc;
}

/* Marketing hears of a loss as of a rejection: which lead, why, and the
 * source it came from, so the campaigns that bring lost deals show. */
static int
post_lost(struct cmd_ctx *ctx, const struct lead *l, const char *note)
{
    struct strbuf post;
    char title[800], *by = bot_user_name(ctx->bot, ctx->actor);
    int rc;

    strbuf_init(&post, 0);
    lead_title(l, title, sizeof(title));
    strbuf_printf(&post, _("%s was lost: @%s closed it as lost (%s); source: %s"), title,
                  by, l->reason, l->source ? l->source : _("unknown"));
    if (note)
        strbuf_printf(&post, _("\nnote: %s"), note);
    rc = post_channel(ctx->bot, ctx->now, reply_channel(ctx->bot, CHANNEL_MARKETING),
                      strbuf_str(&post), NULL, &ctx->err) < 0 ? -1 : 0;
    strbuf_release(&post);
    free(by);
    return rc;
}

int
cmd_lost(struct cmd_ctx *ctx, const struct args *a)
{
    struct lead l = { 0 };
    json_t *data = NULL;
    const char *note, *reason;
    int rc = -1;

    if (cmd_find_lead(ctx, a->argv[0], &l) < 0 || cmd_lead_can(ctx, &l, "lost") < 0)
        goto out;
    /* the same codes as rejections, so reports line the two up */
    if (cmd_reason(ctx, a->argv[1], &reason) < 0 || cmd_note(ctx, a, 2, &note) < 0)
        goto out;
    free(l.reason);
    l.reason = strdup(reason);
    data = json_pack("{s:s, s:s?}", "reason", reason, "note", note);
    if (l.reason == NULL) {
        err_set(&ctx->err, _("out of memory"));
        goto out;
    }
    if (close_lead(ctx, &l, STAGE_LOST, data) < 0 || post_lost(ctx, &l, note) < 0)
        goto out;
    reply_text(ctx, _("L-%lld closed as lost (%s)"), (long long)l.id, reason);
    rc = 0;
out:
    json_decref(data);
    lead_release(&l);
    return rc;
}

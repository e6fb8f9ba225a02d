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
#include "revisit.h"

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
    char title[800], amount[64];
    int rc = -1, first_note = 1;

    strbuf_init(&post, 0);
    if (cmd_find_lead(ctx, a->argv[0], &l) < 0 || cmd_lead_can(ctx, &l, "won") < 0)
        goto out;
    if (a->argc > 1 && !a->quoted[1] &&
        cmd_amount(ctx, "won", a, 1, &l.amount, &first_note) < 0)
        goto out;
    if (cmd_note(ctx, a, first_note, &note) < 0)
        goto out;
    data = json_pack("{s:o, s:s?}", "amount",
                     l.amount >= 0 ? json_integer(l.amount) : json_null(),
                     "note", note);
    if (close_lead(ctx, &l, STAGE_WON, data) < 0)
        goto out;

    lead_title(&l, title, sizeof(title));
    format_money_cur(l.amount, bot->cfg.currency, amount, sizeof(amount));
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
post_lost(struct cmd_ctx *ctx, const struct lead *l, const char *until,
          const char *note)
{
    struct strbuf post;
    char title[800], *by = bot_user_name(ctx->bot, ctx->actor);
    int rc;

    strbuf_init(&post, 0);
    lead_title(l, title, sizeof(title));
    strbuf_printf(&post, _("%s was lost: @%s closed it as lost (%s); source: %s"), title,
                  by, l->reason, l->source ? l->source : _("unknown"));
    if (until[0])
        strbuf_printf(&post, _("\nto look at again from %s: marketing is reminded that day"),
                      until);
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
    char until[11];
    int rc = -1, first_note;

    if (cmd_find_lead(ctx, a->argv[0], &l) < 0 || cmd_lead_can(ctx, &l, "lost") < 0)
        goto out;
    /* the same codes as rejections, so reports line the two up */
    if (cmd_reason(ctx, a->argv[1], &reason) < 0 ||
        cmd_until(ctx, "lost", a, 2, until, &first_note) < 0 ||
        cmd_note(ctx, a, first_note, &note) < 0)
        goto out;
    free(l.reason);
    l.reason = strdup(reason);
    data = json_pack("{s:s, s:s?, s:s*}", "reason", reason, "note", note, "until",
                     until[0] ? until : NULL);
    if (l.reason == NULL) {
        err_set(&ctx->err, _("out of memory"));
        goto out;
    }
    if (close_lead(ctx, &l, STAGE_LOST, data) < 0 ||
        (until[0] && revisit_set(ctx->bot->store, l.id, until, "lost", ctx->actor, ctx->now,
                                 &ctx->err) < 0) ||
        post_lost(ctx, &l, until, note) < 0)
        goto out;
    if (until[0])
        reply_text(ctx, _("L-%lld closed as lost (%s); marketing is reminded to look at it again on %s"),
                   (long long)l.id, reason, until);
    else
        reply_text(ctx, _("L-%lld closed as lost (%s)"), (long long)l.id, reason);
    rc = 0;
out:
    json_decref(data);
    lead_release(&l);
    return rc;
}

/* The open stage a close came from: the stage machine closes only SQLs. */
#define REOPEN_STAGE STAGE_SQL

int
cmd_reopen(struct cmd_ctx *ctx, const struct args *a)
{
    struct bot *bot = ctx->bot;
    struct lead l = { 0 };
    struct strbuf post;
    json_t *data = NULL;
    char *by = NULL, *from = NULL;
    const char *note;
    char title[800], was[80];
    int rc = -1;

    strbuf_init(&post, 0);
    if (cmd_find_lead(ctx, a->argv[0], &l) < 0 || cmd_lead_can(ctx, &l, "reopen") < 0 ||
        cmd_note(ctx, a, 1, &note) < 0)
        goto out;
    from = l.stage;             /* owned here from now on */
    l.stage = NULL;
    data = json_pack("{s:s, s:s, s:s?}", "from", from, "to", REOPEN_STAGE, "note", note);
    if (data == NULL)
        goto oom;
    if (strcmp(from, STAGE_WON) == 0 && l.amount >= 0)
        json_object_set_new(data, "amount", json_integer(l.amount));
    if (strcmp(from, STAGE_LOST) == 0 && l.reason)
        json_object_set_new(data, "reason", json_string(l.reason));
    if (strcmp(from, STAGE_WON) == 0 && l.amount >= 0) {
        char money[64];

        format_money_cur(l.amount, bot->cfg.currency, money, sizeof(money));
        snprintf(was, sizeof(was), _("won, %s"), money);
    } else if (strcmp(from, STAGE_LOST) == 0 && l.reason) {
        snprintf(was, sizeof(was), _("lost, %s"), l.reason);
    } else {
        snprintf(was, sizeof(was), "%s", from);
    }
    /* what the close set goes with it: the deal is open again */
    l.stage = strdup(REOPEN_STAGE);
    l.closed_at = 0;
    l.amount = -1;
    if (strcmp(from, STAGE_LOST) == 0) {
        free(l.reason);
        l.reason = NULL;
    }
    if (l.stage == NULL)
        goto oom;
    if (lead_update(bot->store, &l, &ctx->err) < 0 ||
        event_append(bot->store, l.id, "reopened", ctx->actor, ctx->now, data,
                     &ctx->err) < 0)
        goto out;
    /* the channel that heard of the close hears it is undone */
    by = bot_user_name(bot, ctx->actor);
    lead_title(&l, title, sizeof(title));
    strbuf_printf(&post, _("%s was reopened by @%s: it is an SQL again (was %s)"), title, by,
                  was);
    if (note)
        strbuf_printf(&post, _("\nnote: %s"), note);
    if (post_channel(bot, ctx->now,
                     reply_channel(bot, strcmp(from, STAGE_WON) == 0 ? CHANNEL_DIGEST
                                                                    : CHANNEL_MARKETING),
                     strbuf_str(&post), NULL, &ctx->err) < 0)
        goto out;
    reply_text(ctx, _("L-%lld reopened: back to %s (was %s); reports no longer count it as %s"),
               (long long)l.id, REOPEN_STAGE, was, from);
    rc = 0;
    goto out;
oom:
    err_set(&ctx->err, _("out of memory"));
out:
    json_decref(data);
    strbuf_release(&post);
    free(by);
    free(from);
    lead_release(&l);
    return rc;
}

/* SPDX-License-Identifier: MIT */
/* followup.c: `followup`: marketing rates how sales followed up a lead it
 * handed off, so feedback flows both ways. The rating is about the lead's
 * owner at the time; the rep hears of it by DM. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bot.h"
#include "commands.h"
#include "event.h"
#include "followup.h"
#include "i18n.h"
#include "lead.h"
#include "reply.h"

int
cmd_followup(struct cmd_ctx *ctx, const struct args *a)
{
    struct bot *bot = ctx->bot;
    struct lead l = { 0 };
    struct strbuf dm;
    json_t *data = NULL;
    const char *comment;
    char *by = NULL, *rep_name = NULL;
    int rating, before, rc = -1;

    strbuf_init(&dm, 0);
    if (cmd_find_lead(ctx, a->argv[0], &l) < 0)
        goto out;
    if (l.handed_off_at == 0 || l.owner == NULL) {
        rc = reply_error(ctx, _("L-%lld is %s and was never handed off; rate the follow-up of a lead sales received"),
                         (long long)l.id, l.stage);
        goto out;
    }
    if (cmd_rating(ctx, a->argv[1], &rating) < 0 || cmd_note(ctx, a, 2, &comment) < 0)
        goto out;
    before = followup_latest(bot->store, l.id, ctx->actor, &ctx->err);
    if (before < 0)
        goto out;
    data = json_pack("{s:s, s:i, s:s?}", "rep", l.owner, "rating", rating, "comment",
                     comment);
    if (data == NULL) {
        err_set(&ctx->err, _("out of memory"));
        goto out;
    }
    if (followup_add(bot->store, l.id, ctx->actor, l.owner, rating, comment, ctx->now,
                     &ctx->err) < 0 ||
        event_append(bot->store, l.id, "followup", ctx->actor, ctx->now, data,
                     &ctx->err) < 0)
        goto out;
    by = bot_user_name(bot, ctx->actor);
    rep_name = bot_user_name(bot, l.owner);
    strbuf_printf(&dm, _("@%s rated your follow-up of L-%lld %s %d/5"), by,
                  (long long)l.id, l.name, rating);
    if (comment)
        strbuf_printf(&dm, ": %s", comment);
    if (!cmd_is_speaker(ctx, l.owner) &&
        post_dm(bot, ctx->now, l.owner, strbuf_str(&dm), NULL, &ctx->err) < 0)
        goto out;
    if (before > 0)
        reply_text(ctx, _("follow-up of L-%lld by @%s rated %d/5 (replaces your %d/5)"),
                   (long long)l.id, rep_name, rating, before);
    else
        reply_text(ctx, _("follow-up of L-%lld by @%s rated %d/5; the rep is told, and the digest shows it"),
                   (long long)l.id, rep_name, rating);
    rc = 0;
out:
    json_decref(data);
    strbuf_release(&dm);
    free(by);
    free(rep_name);
    lead_release(&l);
    return rc;
}

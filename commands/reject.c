/* SPDX-License-Identifier: MIT */
/* reject.c: `reject`: the rep sends a handed-off lead back to marketing
 * with a reason; it is recycled for nurturing. */
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

int
cmd_reject(struct cmd_ctx *ctx, const struct args *a)
{
    struct bot *bot = ctx->bot;
    struct lead l = { 0 };
    struct strbuf post;
    json_t *data = NULL;
    char *by = NULL;
    const char *note, *reason;
    char title[800], took[32], until[11];
    int64_t secs;
    bool met;
    int rc, first_note;

    strbuf_init(&post, 0);
    rc = cmd_answer_lead(ctx, a->argv[0], "reject", &l);
    if (rc <= 0)
        goto out;
    rc = -1;
    if (cmd_reason(ctx, a->argv[1], &reason) < 0 ||
        cmd_until(ctx, "reject", a, 2, until, &first_note) < 0 ||
        cmd_note(ctx, a, first_note, &note) < 0)
        goto out;
    secs = bizhours_between(&bot->cfg.hours, l.handed_off_at, ctx->now);
    met = ctx->now <= l.due_at;
    format_bizdur(&bot->cfg.hours, secs, took, sizeof(took));
    free(l.stage);
    free(l.reason);
    l.stage = strdup(STAGE_RECYCLED);
    l.reason = strdup(reason);
    l.responded_at = ctx->now;
    if (l.stage == NULL || l.reason == NULL) {
        err_set(&ctx->err, _("out of memory"));
        goto out;
    }
    data = json_pack("{s:s, s:s, s:s?, s:I, s:b, s:s*}", "rep", l.owner, "reason", reason,
                     "note", note, "secs", (json_int_t)secs, "met", met, "until",
                     until[0] ? until : NULL);
    if (data == NULL) {
        err_set(&ctx->err, _("out of memory"));
        goto out;
    }
    if (lead_update(bot->store, &l, &ctx->err) < 0 ||
        event_append(bot->store, l.id, "rejected", ctx->actor, ctx->now, data,
                     &ctx->err) < 0 ||
        (until[0] && revisit_set(bot->store, l.id, until, "rejected", ctx->actor,
                                 ctx->now, &ctx->err) < 0))
        goto out;

    lead_title(&l, title, sizeof(title));
    by = bot_user_name(bot, ctx->actor);
    strbuf_printf(&post, _("%s is back with marketing: @%s rejected it (%s) after %s of business hours; SLA %s"),
                  title, by, reason, took, met ? _("met") : _("missed"));
    if (until[0])
        strbuf_printf(&post, _("\nto re-qualify from %s: marketing is reminded that day"), until);
    if (note)
        strbuf_printf(&post, _("\nnote: %s"), note);
    if (post_channel(bot, ctx->now, reply_channel(bot, CHANNEL_MARKETING),
                     strbuf_str(&post), NULL, &ctx->err) < 0)
        goto out;
    strbuf_reset(&post);
    strbuf_printf(&post, _("%s: rejected by @%s (%s)"), title, by, reason);
    if (post_card_update(bot, ctx->now, l.id, strbuf_str(&post), &ctx->err) < 0)
        goto out;
    if (until[0])
        reply_text(ctx, _("L-%lld rejected (%s); it is back with marketing as recycled, to re-qualify from %s"),
                   (long long)l.id, reason, until);
    else
        reply_text(ctx, _("L-%lld rejected (%s); it is back with marketing as recycled"),
                   (long long)l.id, reason);
    rc = 0;
out:
    json_decref(data);
    strbuf_release(&post);
    free(by);
    lead_release(&l);
    return rc;
}

/* SPDX-License-Identifier: MIT */
/* feedback.c: `feedback`: sales rates the quality of a lead marketing sent.
 *
 * Rules: only a lead that reached sales (handed off at least once) can be
 * rated, by anyone in sales or a manager, not only its owner (a rep who
 * rejected it before a reassignment still has a view). Every rating is
 * kept in the feedback table and the timeline; reports count a rep's
 * newest rating of a lead, so rating again corrects the earlier one. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bot.h"
#include "commands.h"
#include "event.h"
#include "i18n.h"
#include "lead.h"
#include "reply.h"

int
cmd_feedback(struct cmd_ctx *ctx, const struct args *a)
{
    struct store *store = ctx->bot->store;
    struct lead l = { 0 };
    json_t *data = NULL;
    const char *comment;
    int rating, before, rc = -1;

    if (cmd_find_lead(ctx, a->argv[0], &l) < 0)
        goto out;
    if (l.handed_off_at == 0) {
        rc = reply_error(ctx, _("L-%lld is %s and was never handed off; feedback is on leads sales received"),
                         (long long)l.id, l.stage);
        goto out;
    }
    if (cmd_rating(ctx, a->argv[1], &rating) < 0)
        goto out;
    if (cmd_note(ctx, a, 2, &comment) < 0)
        goto out;
    before = lead_feedback_latest(store, l.id, ctx->actor, &ctx->err);
    if (before < 0)
        goto out;
    data = json_pack("{s:s, s:i, s:s?}", "rep", ctx->actor, "rating", rating,
                     "comment", comment);
    if (data == NULL) {
        err_set(&ctx->err, _("out of memory"));
        goto out;
    }
    if (lead_feedback_add(store, l.id, ctx->actor, rating, comment, ctx->now,
                          &ctx->err) < 0 ||
        event_append(store, l.id, "feedback", ctx->actor, ctx->now, data,
                     &ctx->err) < 0)
        goto out;
    if (before > 0)
        reply_text(ctx, _("L-%lld rated %d/5 (replaces your %d/5); thanks"),
                   (long long)l.id, rating, before);
    else
        reply_text(ctx, _("L-%lld rated %d/5; thanks, marketing sees it in the digest"),
                   (long long)l.id, rating);
    rc = 0;
out:
    json_decref(data);
    lead_release(&l);
    return rc;
}

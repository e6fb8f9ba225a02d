/* SPDX-License-Identifier: MIT */
/* accept.c: `accept`: the rep takes a handed-off lead; it becomes an SQL and
 * marketing hears how fast sales answered. */
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

int
cmd_accept(struct cmd_ctx *ctx, const struct args *a)
{
    struct bot *bot = ctx->bot;
    struct lead l = { 0 };
    struct strbuf post;
    json_t *data = NULL;
    char *rep_name = NULL, *by = NULL;
    const char *note;
    char title[800], took[32], target[32];
    int64_t secs;
    bool met;
    int rc;

    strbuf_init(&post, 0);
    rc = cmd_answer_lead(ctx, a->argv[0], "accept", &l);
    if (rc <= 0)
        goto out;
    rc = -1;
    if (cmd_note(ctx, a, 1, &note) < 0)
        goto out;
    /* the lead's deadline is the promise: set at handoff, recomputed by
     * `sla set` while the lead waited */
    secs = bizhours_between(&bot->cfg.hours, l.handed_off_at, ctx->now);
    met = ctx->now <= l.due_at;
    format_bizdur(&bot->cfg.hours, secs, took, sizeof(took));
    format_bizdur(&bot->cfg.hours, bizhours_between(&bot->cfg.hours, l.handed_off_at, l.due_at),
                     target, sizeof(target));
    free(l.stage);
    l.stage = strdup(STAGE_SQL);
    l.responded_at = ctx->now;
    /* an earlier rejection's reason is history now (the events keep it) */
    free(l.reason);
    l.reason = NULL;
    if (l.stage == NULL) {
        err_set(&ctx->err, _("out of memory"));
        goto out;
    }
    data = json_pack("{s:s, s:s?, s:I, s:b}", "rep", l.owner, "note", note, "secs",
                     (json_int_t)secs, "met", met);
    if (data == NULL) {
        err_set(&ctx->err, _("out of memory"));
        goto out;
    }
    if (lead_update(bot->store, &l, &ctx->err) < 0 ||
        event_append(bot->store, l.id, "accepted", ctx->actor, ctx->now, data,
                     &ctx->err) < 0)
        goto out;

    lead_title(&l, title, sizeof(title));
    rep_name = bot_user_name(bot, l.owner);
    by = bot_user_name(bot, ctx->actor);
    if (cmd_is_speaker(ctx, l.owner))
        strbuf_printf(&post, _("New SQL: %s (source: %s), accepted by @%s in %s of business hours; SLA %s (target %s)"),
                      title, l.source ? l.source : _("unknown"), rep_name, took,
                      met ? _("met") : _("missed"), target);
    else
        strbuf_printf(&post, _("New SQL: %s (source: %s), accepted by @%s for @%s in %s of business hours; SLA %s (target %s)"),
                      title, l.source ? l.source : _("unknown"), by, rep_name, took,
                      met ? _("met") : _("missed"), target);
    if (note)
        strbuf_printf(&post, _("\nnote: %s"), note);
    if (post_channel(bot, ctx->now, reply_channel(bot, CHANNEL_MARKETING),
                     strbuf_str(&post), NULL, &ctx->err) < 0)
        goto out;
    strbuf_reset(&post);
    strbuf_printf(&post, _("%s: accepted by @%s"), title, by);
    if (post_card_update(bot, ctx->now, l.id, strbuf_str(&post), &ctx->err) < 0)
        goto out;
    reply_text(ctx, _("L-%lld is now an SQL (answered in %s of business hours, SLA %s); marketing was told"),
               (long long)l.id, took, met ? _("met") : _("missed"));
    rc = 0;
out:
    json_decref(data);
    strbuf_release(&post);
    free(rep_name);
    free(by);
    lead_release(&l);
    return rc;
}

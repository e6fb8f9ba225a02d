/* SPDX-License-Identifier: MIT */
/* digest.c: `digest [preview]` (to the caller) and `digest post`. */
#include <jansson.h>

#include "bot.h"
#include "commands.h"
#include "event.h"
#include "i18n.h"
#include "reply.h"
#include "report.h"

int
cmd_digest_preview(struct cmd_ctx *ctx, const struct args *a)
{
    (void)a;
    return report_digest(ctx->bot->store, &ctx->bot->cfg, ctx->now, ctx->reply,
                         &ctx->err);
}

int
cmd_digest_post(struct cmd_ctx *ctx, const struct args *a)
{
    const char *channel = reply_channel(ctx->bot, CHANNEL_DIGEST);
    struct strbuf out;
    json_t *data = NULL;
    int64_t id;
    int rc = -1;

    (void)a;
    if (channel[0] == '\0')
        return reply_error(ctx, _("the digest channel is switched off; set [channels] digest in the configuration"));
    strbuf_init(&out, 0);
    if (report_digest(ctx->bot->store, &ctx->bot->cfg, ctx->now, &out, &ctx->err) < 0)
        goto out;
    id = post_channel(ctx->bot, ctx->now, channel, strbuf_str(&out), NULL, &ctx->err);
    if (id < 0)
        goto out;
    data = json_pack("{s:s, s:I, s:I}", "channel", channel, "outbox", (json_int_t)id,
                     "from", (json_int_t)(ctx->now - 7 * 86400));
    if (event_append(ctx->bot->store, 0, "digest_posted", ctx->actor, ctx->now, data,
                     &ctx->err) < 0)
        goto out;
    reply_text(ctx, _("digest posted to #%s"), channel);
    rc = 0;
out:
    json_decref(data);
    strbuf_release(&out);
    return rc;
}

/* SPDX-License-Identifier: MIT */
/* digest.c: `digest [preview]` (to the caller) and `digest post`. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bot.h"
#include "clock.h"
#include "commands.h"
#include "digest.h"
#include "event.h"
#include "i18n.h"
#include "reply.h"

int
cmd_digest_preview(struct cmd_ctx *ctx, const struct args *a)
{
    (void)a;
    return digest_weekly(ctx->bot->store, &ctx->bot->cfg, ctx->now, ctx->reply,
                         &ctx->err);
}

/* A second post within this long is most likely a double send. */
#define REPOST_SECS 3600

/* Refuses a post within REPOST_SECS of the last one, naming it: 1 refused
 * (replied), 0 go on, -1 error. */
static int
recently_posted(struct cmd_ctx *ctx)
{
    sqlite3_stmt *st = store_query(ctx->bot->store, &ctx->err,
                                   "SELECT at, actor FROM events WHERE kind = 'digest_posted'"
                                   " AND at > ? ORDER BY at DESC, id DESC LIMIT 1",
                                   "I", ctx->now - REPOST_SECS);
    char ago[32], *by;
    int rc;

    if (st == NULL)
        return -1;
    rc = store_row(ctx->bot->store, st, &ctx->err);
    if (rc <= 0)
        return rc;
    clock_format_duration(ctx->now - sqlite3_column_int64(st, 0), ago, sizeof(ago));
    by = bot_user_name(ctx->bot, (const char *)sqlite3_column_text(st, 1));
    sqlite3_reset(st);
    reply_error(ctx, _("@%s posted the digest %s ago; to post it again, say /smk digest post --again"),
                by, ago);
    free(by);
    return 1;
}

int
cmd_digest_post(struct cmd_ctx *ctx, const struct args *a)
{
    const char *channel = reply_channel(ctx->bot, CHANNEL_DIGEST);
    struct strbuf out;
    json_t *data = NULL;
    int64_t id;
    int rc = -1;

    if (a->argc > 0 && strcmp(a->argv[0], "--again") != 0)
        return cmd_usage_named(ctx, "digest post");
    if (channel[0] == '\0')
        return reply_error(ctx, _("the digest channel is switched off; set [channels] digest in the configuration"));
    if (a->argc == 0 && recently_posted(ctx) != 0)
        return -1;
    strbuf_init(&out, 0);
    if (digest_weekly(ctx->bot->store, &ctx->bot->cfg, ctx->now, &out, &ctx->err) < 0)
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

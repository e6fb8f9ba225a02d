/* SPDX-License-Identifier: MIT */
/* reply.c: private replies and queued posts. */
#include "reply.h"

#include <stdarg.h>
#include <stdio.h>

#include <jansson.h>

#include "bot.h"
#include "outbox.h"

static void
reply_v(struct cmd_ctx *ctx, const char *fmt, va_list ap)
{
    if (ctx->reply->len > 0)
        strbuf_putc(ctx->reply, '\n');
    strbuf_vprintf(ctx->reply, fmt, ap);
}

void
reply_text(struct cmd_ctx *ctx, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    reply_v(ctx, fmt, ap);
    va_end(ap);
}

int
reply_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    reply_v(ctx, fmt, ap);
    va_end(ap);
    return -1;
}

const char *
reply_channel(const struct bot *bot, enum channel_purpose p)
{
    switch (p) {
    case CHANNEL_MARKETING:
        return bot->cfg.ch_marketing;
    case CHANNEL_SALES:
        return bot->cfg.ch_sales;
    case CHANNEL_DIGEST:
        return bot->cfg.ch_digest;
    }
    return "";
}

int64_t
post_channel(struct bot *bot, int64_t now, const char *channel,
             const char *text, const char *card, struct err *err)
{
    if (channel == NULL || channel[0] == '\0')
        return 0;       /* an optional channel that is switched off */
    struct outbox_dest to = { .kind = OUTBOX_CHANNEL, .channel = channel };

    return outbox_add(bot->store, now, &to, text, card, err);
}

int64_t
post_dm(struct bot *bot, int64_t now, const char *user, const char *text,
        const char *card, struct err *err)
{
    struct outbox_dest to = { .kind = OUTBOX_DM, .user = user };

    return outbox_add(bot->store, now, &to, text, card, err);
}

int64_t
post_card_update(struct bot *bot, int64_t now, int64_t lead_id,
                 const char *text, struct err *err)
{
    struct outbox_dest to = { .kind = OUTBOX_UPDATE };
    char ref[32];

    snprintf(ref, sizeof(ref), "L-%lld", (long long)lead_id);
    to.update_of = outbox_last_card(bot->store, ref, err);
    if (to.update_of <= 0)
        return to.update_of;
    return outbox_add(bot->store, now, &to, text, NULL, err);
}

char *
reply_card_lead(int64_t lead_id)
{
    char ref[32];
    json_t *card;
    char *s;

    snprintf(ref, sizeof(ref), "L-%lld", (long long)lead_id);
    card = json_pack("{s:s, s:[s,s]}", "lead", ref, "actions", "accept", "reject");
    s = card ? json_dumps(card, JSON_COMPACT) : NULL;
    json_decref(card);
    return s;
}

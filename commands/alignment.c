/* SPDX-License-Identifier: MIT */
/* alignment.c: `alignment`, the level of section 6 with its evidence. */
#include "alignment.h"
#include "bot.h"
#include "commands.h"
#include "reply.h"

int
cmd_alignment(struct cmd_ctx *ctx, const struct args *a)
{
    struct alignment al;
    struct strbuf out;

    (void)a;
    if (alignment_eval(ctx->bot->store, &ctx->bot->cfg, ctx->now, &al, &ctx->err) < 0)
        return -1;
    strbuf_init(&out, 0);
    alignment_format(&al, &out);
    reply_text(ctx, "%s", strbuf_str(&out));
    strbuf_release(&out);
    return 0;
}

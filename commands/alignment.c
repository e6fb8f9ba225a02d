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

    (void)a;
    if (alignment_eval(ctx->bot->store, &ctx->bot->cfg, ctx->now, &al, &ctx->err) < 0)
        return -1;
    alignment_format(&al, ctx->reply);
    return 0;
}

/* SPDX-License-Identifier: MIT */
/* reasons.c: `reasons`: the codes a rejection or a loss is filed under
 * ([sla] reasons), so a rep knows them before typing a wrong one. */
#include "bot.h"
#include "commands.h"
#include "i18n.h"
#include "reply.h"

int
cmd_reasons(struct cmd_ctx *ctx, const struct args *a)
{
    const struct strlist *reasons = &ctx->bot->cfg.reasons;

    (void)a;
    reply_text(ctx, _("Reasons for /smk reject and /smk lost (any case):"));
    for (int i = 0; i < reasons->n; i++)
        reply_text(ctx, "  %s", reasons->v[i]);
    reply_text(ctx, _("e.g. /smk reject L-3 %s no budget until Q3"),
               reasons->n ? reasons->v[0] : "budget");
    return 0;
}

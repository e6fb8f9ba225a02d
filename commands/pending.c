/* SPDX-License-Identifier: MIT */
/* pending.c: TEMPORARY handlers not written yet; each helper deletes its own. */
#include "commands.h"
#include "reply.h"

int
cmd_meeting_add(struct cmd_ctx *ctx, const struct args *a)
{
    (void)a;
    return reply_error(ctx, "not implemented yet");
}

int
cmd_meeting_list(struct cmd_ctx *ctx, const struct args *a)
{
    (void)a;
    return reply_error(ctx, "not implemented yet");
}

int
cmd_meeting_remove(struct cmd_ctx *ctx, const struct args *a)
{
    (void)a;
    return reply_error(ctx, "not implemented yet");
}

int
cmd_meeting_skip(struct cmd_ctx *ctx, const struct args *a)
{
    (void)a;
    return reply_error(ctx, "not implemented yet");
}

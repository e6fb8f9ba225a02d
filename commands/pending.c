/* SPDX-License-Identifier: MIT */
/* pending.c: TEMPORARY handlers not written yet; each helper deletes its own. */
#include "commands.h"
#include "reply.h"

int
cmd_alignment(struct cmd_ctx *ctx, const struct args *a)
{
    (void)a;
    return reply_error(ctx, "not implemented yet");
}

int
cmd_content_add(struct cmd_ctx *ctx, const struct args *a)
{
    (void)a;
    return reply_error(ctx, "not implemented yet");
}

int
cmd_digest_post(struct cmd_ctx *ctx, const struct args *a)
{
    (void)a;
    return reply_error(ctx, "not implemented yet");
}

int
cmd_digest_preview(struct cmd_ctx *ctx, const struct args *a)
{
    (void)a;
    return reply_error(ctx, "not implemented yet");
}

int
cmd_glossary(struct cmd_ctx *ctx, const struct args *a)
{
    (void)a;
    return reply_error(ctx, "not implemented yet");
}

int
cmd_glossary_remove(struct cmd_ctx *ctx, const struct args *a)
{
    (void)a;
    return reply_error(ctx, "not implemented yet");
}

int
cmd_glossary_set(struct cmd_ctx *ctx, const struct args *a)
{
    (void)a;
    return reply_error(ctx, "not implemented yet");
}

int
cmd_goal_add(struct cmd_ctx *ctx, const struct args *a)
{
    (void)a;
    return reply_error(ctx, "not implemented yet");
}

int
cmd_goal_list(struct cmd_ctx *ctx, const struct args *a)
{
    (void)a;
    return reply_error(ctx, "not implemented yet");
}

int
cmd_goal_remove(struct cmd_ctx *ctx, const struct args *a)
{
    (void)a;
    return reply_error(ctx, "not implemented yet");
}

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

int
cmd_sla(struct cmd_ctx *ctx, const struct args *a)
{
    (void)a;
    return reply_error(ctx, "not implemented yet");
}

int
cmd_sla_set(struct cmd_ctx *ctx, const struct args *a)
{
    (void)a;
    return reply_error(ctx, "not implemented yet");
}


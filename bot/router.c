/* SPDX-License-Identifier: MIT */
/* router.c: checks, normalises and dispatches what people say. */
#include "router.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "args.h"
#include "bot.h"
#include "commands.h"
#include "i18n.h"
#include "reply.h"

bool
router_valid_utf8(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;

    while (p < end) {
        unsigned c = *p;
        size_t n;
        unsigned cp;

        if (c < 0x80) {
            p++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if ((size_t)(end - p) <= n)
            return false;
        for (size_t i = 1; i <= n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        /* overlong forms, surrogates and beyond U+10FFFF */
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return false;
        p += n + 1;
    }
    return true;
}

static bool
has_control(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
            return true;
    }
    return false;
}

int
router_handle(struct bot *bot, const struct chat_msg *msg, struct strbuf *reply)
{
    const char *text = msg->text ? msg->text : "";
    struct cmd_ctx ctx = { 0 };
    struct strbuf line;
    struct args a;
    size_t len = strlen(text);
    int rc = -1;

    ctx.bot = bot;
    ctx.msg = msg;
    ctx.actor = msg->user_id;
    ctx.now = clock_now(&bot->clock);
    ctx.reply = reply;
    strbuf_init(&line, ROUTER_MAX_TEXT + 64);
    if (len > ROUTER_MAX_TEXT)
        return reply_error(&ctx, _("message too long (%zu bytes; at most %d)"),
                           len, ROUTER_MAX_TEXT);
    if (!router_valid_utf8(text, len))
        return reply_error(&ctx, _("message is not valid UTF-8"));
    if (has_control(text))
        return reply_error(&ctx, _("message contains control characters"));
    if (msg->user_id == NULL || msg->user_id[0] == '\0')
        return reply_error(&ctx, _("who is speaking? (no user)"));

    /* A command registered on its own (/feedback) means /smk feedback. */
    if (msg->command && strcmp(msg->command, "/smk") != 0 && msg->command[0] == '/')
        strbuf_printf(&line, "%s %s", msg->command + 1, text);
    else
        strbuf_puts(&line, text);

    bot_user_seen(bot, msg->user_id, msg->user_name);
    if (args_split(&a, strbuf_str(&line), &ctx.err) < 0) {
        reply_error(&ctx, "%s", ctx.err.set ? ctx.err.msg : _("out of memory"));
        goto out;
    }
    /* "smk help" in a DM reads like "/smk help" */
    if (a.argc > 1 && (strcasecmp(a.argv[0], "smk") == 0 || strcasecmp(a.argv[0], "/smk") == 0))
        args_shift(&a, 1);
    rc = cmd_dispatch(&ctx, &a);
    args_release(&a);
out:
    strbuf_release(&line);
    return rc;
}

/* SPDX-License-Identifier: MIT */
/* help.c: `help [command]`, generated from the command table. */
#include <string.h>
#include <strings.h>

#include "bot.h"
#include "commands.h"
#include "config.h"
#include "i18n.h"
#include "reply.h"

static void
show_one(struct cmd_ctx *ctx, const struct command *c)
{
    const char *u = c->usage[0] ? _(c->usage) : "";

    reply_text(ctx, "/smk %s%s%s", c->name, *u ? " " : "", u);
    reply_text(ctx, "  %s", _(c->help));
    if (c->perm) {
        char roles[64];

        config_role_names(c->perm, roles, sizeof(roles));
        reply_text(ctx, _("  for: %s"), roles);
    }
    /* the codes up front, not only after a wrong one */
    if (c->fn == cmd_reject || c->fn == cmd_lost) {
        struct strbuf list;

        strbuf_init(&list, 0);
        cmd_reason_list(&ctx->bot->cfg, &list);
        reply_text(ctx, _("  reasons: %s"), strbuf_str(&list));
        strbuf_release(&list);
    }
}

int
cmd_help(struct cmd_ctx *ctx, const struct args *a)
{
    size_t width = 0;

    if (a->argc > 0) {
        const struct command *c;
        bool any = false;
        int nwords;

        c = cmd_lookup(a, &nwords);
        if (c != NULL && nwords == a->argc) {
            show_one(ctx, c);
            return 0;
        }
        /* "help lead": every "lead ..." command */
        for (size_t i = 0; i < ncommands; i++) {
            size_t n = strlen(a->argv[0]);

            if (strncasecmp(commands[i].name, a->argv[0], n) == 0 &&
                (commands[i].name[n] == ' ' || commands[i].name[n] == '\0')) {
                show_one(ctx, &commands[i]);
                any = true;
            }
        }
        if (any)
            return 0;
        return reply_error(ctx, _("no command '%.40s'; try /smk help"), a->argv_eol[0]);
    }
    for (size_t i = 0; i < ncommands; i++)
        if (strlen(commands[i].name) > width)
            width = strlen(commands[i].name);
    reply_text(ctx, _("smarkbot commands (type /smk help <command> for details):"));
    for (size_t i = 0; i < ncommands; i++)
        reply_text(ctx, "  %-*s  %s", (int)width, commands[i].name, _(commands[i].help));
    return 0;
}

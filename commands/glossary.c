/* SPDX-License-Identifier: MIT */
/* glossary.c: `glossary [term]`, `glossary set`, `glossary remove`. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bot.h"
#include "commands.h"
#include "event.h"
#include "glossary.h"
#include "i18n.h"
#include "reply.h"

#define TERM_MAX_LEN 60
#define DEFINITION_MAX_LEN 1000

int
cmd_glossary(struct cmd_ctx *ctx, const struct args *a)
{
    struct strbuf out;
    char *name = NULL, *def = NULL;
    int rc = -1, n;

    strbuf_init(&out, 0);
    if (a->argc == 0) {
        n = glossary_list(ctx->bot->store, &out, &ctx->err);
        if (n < 0)
            goto out;
        if (n == 0)
            reply_text(ctx, _("the glossary is empty; managers add terms with /smk glossary set <term> \"<definition>\""));
        else
            reply_text(ctx, "%s", strbuf_str(&out));
        rc = 0;
        goto out;
    }
    /* several words name one term: /smk glossary won / lost */
    n = glossary_get(ctx->bot->store, a->argv_eol[0], &name, &def, &ctx->err);
    if (n < 0)
        goto out;
    if (n == 0) {
        rc = reply_error(ctx, _("no term '%.60s' in the glossary; see /smk glossary"),
                         a->argv_eol[0]);
        goto out;
    }
    reply_text(ctx, "%s: %s", name, def);
    rc = 0;
out:
    free(name);
    free(def);
    strbuf_release(&out);
    return rc;
}

int
cmd_glossary_set(struct cmd_ctx *ctx, const struct args *a)
{
    const char *term = a->argv[0];
    /* the definition is best quoted, but plain words after the term work */
    const char *def = a->argc == 2 ? a->argv[1] : a->argv_eol[1];
    char *name = NULL, *old = NULL;
    json_t *data = NULL;
    int rc = -1, found;

    if (term[0] == '\0' || strlen(term) > TERM_MAX_LEN)
        return reply_error(ctx, _("a term has 1 to %d characters; quote one of several words: \"Won / lost\""),
                           TERM_MAX_LEN);
    if (def[0] == '\0' || strlen(def) > DEFINITION_MAX_LEN)
        return reply_error(ctx, _("a definition has 1 to %d characters"), DEFINITION_MAX_LEN);
    found = glossary_get(ctx->bot->store, term, &name, &old, &ctx->err);
    if (found < 0)
        goto out;
    if (glossary_set(ctx->bot->store, term, def, ctx->actor, ctx->now, &ctx->err) < 0)
        goto out;
    data = json_pack("{s:s, s:s, s:s*}", "term", term, "definition", def,
                     "previous", old);
    if (event_append(ctx->bot->store, 0, "glossary_set", ctx->actor, ctx->now, data,
                     &ctx->err) < 0)
        goto out;
    if (found)
        reply_text(ctx, _("%s redefined: %s (was: %s)"), term, def, old);
    else
        reply_text(ctx, _("%s defined: %s"), term, def);
    rc = 0;
out:
    json_decref(data);
    free(name);
    free(old);
    return rc;
}

int
cmd_glossary_remove(struct cmd_ctx *ctx, const struct args *a)
{
    char *name = NULL, *def = NULL;
    json_t *data = NULL;
    int rc = -1, found;

    found = glossary_get(ctx->bot->store, a->argv_eol[0], &name, &def, &ctx->err);
    if (found < 0)
        goto out;
    if (found == 0) {
        rc = reply_error(ctx, _("no term '%.60s' in the glossary; see /smk glossary"),
                         a->argv_eol[0]);
        goto out;
    }
    if (glossary_remove(ctx->bot->store, name, &ctx->err) < 0)
        goto out;
    data = json_pack("{s:s, s:s}", "term", name, "definition", def);
    if (event_append(ctx->bot->store, 0, "glossary_remove", ctx->actor, ctx->now,
                     data, &ctx->err) < 0)
        goto out;
    reply_text(ctx, _("%s removed from the glossary"), name);
    rc = 0;
out:
    json_decref(data);
    free(name);
    free(def);
    return rc;
}

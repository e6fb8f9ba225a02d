/* SPDX-License-Identifier: MIT */
/* persona.c: `persona add|list|edit|remove|reviewed`: the buyer personas
 * both teams sell to, and their review. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "args.h"
#include "bot.h"
#include "clock.h"
#include "commands.h"
#include "event.h"
#include "i18n.h"
#include "persona.h"
#include "reply.h"
#include "text.h"

/* Finds the live persona ref or replies that there is none. 1, -1. */
static int
find(struct cmd_ctx *ctx, const char *ref, struct persona *p)
{
    int rc = persona_find(ctx->bot->store, ref, p, &ctx->err);

    if (rc == 0)
        return reply_error(ctx, _("no persona '%.60s'; see /smk persona list"), ref);
    return rc;
}

static int
check_name(struct cmd_ctx *ctx, const char *name)
{
    size_t n = text_utf8_len(name);

    if (n == 0 || n > PERSONA_NAME_MAX)
        return reply_error(ctx, _("a persona's name has 1 to %d characters"), PERSONA_NAME_MAX);
    /* "P-2" is how a persona is referred to; "x=y" is a field */
    if (strchr(name, '=') || strchr(name, ',') ||
        ((name[0] == 'P' || name[0] == 'p') && name[1] == '-' && args_ref_id(name, 'P') > 0))
        return reply_error(ctx, _("'%.60s' cannot be a persona's name (no =, no comma, not like P-2); quote a name with spaces: \"IT lead\""),
                           name);
    return 0;
}

static int
check_description(struct cmd_ctx *ctx, const char *d)
{
    size_t n = text_utf8_len(d);

    if (n == 0 || n > PERSONA_DESC_MAX)
        return reply_error(ctx, _("a persona's description has 1 to %d characters"),
                           PERSONA_DESC_MAX);
    return 0;
}

static int
record(struct cmd_ctx *ctx, const char *kind, json_t *data)
{
    int rc;

    if (data == NULL) {
        err_set(&ctx->err, _("out of memory"));
        return -1;
    }
    rc = event_append(ctx->bot->store, 0, kind, ctx->actor, ctx->now, data, &ctx->err);
    json_decref(data);
    return rc;
}

int
cmd_persona_add(struct cmd_ctx *ctx, const struct args *a)
{
    struct persona p;
    const char *desc = a->argv_eol[1];
    int64_t id;
    int rc;

    if (check_name(ctx, a->argv[0]) < 0 || check_description(ctx, desc) < 0)
        return -1;
    if ((rc = persona_find(ctx->bot->store, a->argv[0], &p, &ctx->err)) != 0) {
        if (rc > 0)
            reply_error(ctx, _("persona %s exists already (P-%lld); change it with /smk persona edit %s \"<description>\""),
                        p.name, (long long)p.id, p.name);
        persona_release(&p);
        return -1;
    }
    id = persona_add(ctx->bot->store, a->argv[0], desc, ctx->actor, ctx->now, &ctx->err);
    if (id < 0 ||
        record(ctx, "persona_add", json_pack("{s:I, s:s, s:s}", "persona", (json_int_t)id,
                                             "name", a->argv[0], "description", desc)) < 0)
        return -1;
    reply_text(ctx, _("P-%lld added: %s. Leads name it with persona=%s%s%s"), (long long)id,
               a->argv[0], strchr(a->argv[0], ' ') ? "\"" : "", a->argv[0],
               strchr(a->argv[0], ' ') ? "\"" : "");
    return 0;
}

int
cmd_persona_list(struct cmd_ctx *ctx, const struct args *a)
{
    struct strbuf out;
    int64_t last, due;
    char when[16];
    int n, rc = -1;

    (void)a;
    strbuf_init(&out, 0);
    if ((n = persona_list(ctx->bot->store, &out, &ctx->err)) < 0 ||
        (last = persona_last_review(ctx->bot->store, &ctx->err)) < 0 ||
        (due = persona_review_due(ctx->bot->store, &ctx->bot->cfg, &ctx->err)) < 0)
        goto out;
    if (n == 0) {
        reply_text(ctx, _("no buyer personas yet; add one with /smk persona add \"<name>\" \"<description>\""));
        rc = 0;
        goto out;
    }
    reply_text(ctx, _("Buyer personas:"));
    reply_text(ctx, "%s", strbuf_str(&out));
    if (last > 0) {
        clock_format_date(last, when, sizeof(when));
        reply_text(ctx, _("last reviewed with both teams on %s"), when);
    } else {
        reply_text(ctx, _("not reviewed with both teams yet"));
    }
    if (due > 0) {
        clock_format_date(due, when, sizeof(when));
        reply_text(ctx, _("next review due %s (record one with /smk persona reviewed)"), when);
    }
    rc = 0;
out:
    strbuf_release(&out);
    return rc;
}

int
cmd_persona_edit(struct cmd_ctx *ctx, const struct args *a)
{
    struct persona p;
    char key[16];
    const char *v = args_kv(a, 1, key, sizeof(key));
    int rc = -1;

    if (find(ctx, a->argv[0], &p) < 0)
        return -1;
    if (v != NULL && strcmp(key, "name") == 0) {
        struct persona other;
        int taken;

        if (a->argc > 2) {
            reply_error(ctx, _("rename alone: /smk persona edit %s name=\"<new name>\""), p.name);
            goto out;
        }
        if (check_name(ctx, v) < 0 ||
            (taken = persona_find(ctx->bot->store, v, &other, &ctx->err)) < 0)
            goto out;
        if (taken > 0 && other.id != p.id) {
            reply_error(ctx, _("persona %s exists already (P-%lld)"), other.name,
                        (long long)other.id);
            persona_release(&other);
            goto out;
        }
        persona_release(&other);
        /* the leads that name it follow the new name */
        if (store_exec(ctx->bot->store, &ctx->err, "UPDATE personas SET name = ? WHERE id = ?",
                       "sI", v, p.id) < 0 ||
            store_exec(ctx->bot->store, &ctx->err,
                       "UPDATE lead_qual SET persona = ? WHERE persona = ?", "ss", v,
                       p.name) < 0 ||
            record(ctx, "persona_edit", json_pack("{s:I, s:s, s:s}", "persona",
                                                  (json_int_t)p.id, "name", v, "prev_name",
                                                  p.name)) < 0)
            goto out;
        reply_text(ctx, _("P-%lld renamed: %s -> %s; its leads follow"), (long long)p.id,
                   p.name, v);
        rc = 0;
        goto out;
    }
    if (v != NULL) {
        reply_error(ctx, _("'%.60s': a persona's edit is a new description, or name=\"<new name>\""),
                    a->argv[1]);
        goto out;
    }
    if (check_description(ctx, a->argv_eol[1]) < 0 ||
        persona_set_description(ctx->bot->store, p.id, a->argv_eol[1], &ctx->err) < 0 ||
        record(ctx, "persona_edit", json_pack("{s:I, s:s, s:s, s:s}", "persona",
                                              (json_int_t)p.id, "name", p.name, "description",
                                              a->argv_eol[1], "prev_description",
                                              p.description)) < 0)
        goto out;
    reply_text(ctx, _("P-%lld %s: description changed"), (long long)p.id, p.name);
    rc = 0;
out:
    persona_release(&p);
    return rc;
}

int
cmd_persona_remove(struct cmd_ctx *ctx, const struct args *a)
{
    struct persona p;
    int64_t leads = 0;
    int rc = -1;

    if (find(ctx, a->argv[0], &p) < 0)
        return -1;
    if (persona_remove(ctx->bot->store, p.id, ctx->now, &ctx->err) < 0 ||
        store_query_int(ctx->bot->store, &ctx->err, &leads,
                        "SELECT count(*) FROM lead_qual WHERE persona = ?", "s", p.name) < 0 ||
        record(ctx, "persona_remove", json_pack("{s:I, s:s}", "persona", (json_int_t)p.id,
                                                "name", p.name)) < 0)
        goto out;
    if (leads > 0)
        reply_text(ctx, P_("P-%lld %s removed; %lld lead still names it (the funnel shows it as it was)",
                           "P-%lld %s removed; %lld leads still name it (the funnel shows them as they were)",
                           leads),
                   (long long)p.id, p.name, (long long)leads);
    else
        reply_text(ctx, _("P-%lld %s removed"), (long long)p.id, p.name);
    rc = 0;
out:
    persona_release(&p);
    return rc;
}

int
cmd_persona_reviewed(struct cmd_ctx *ctx, const struct args *a)
{
    struct strbuf names;
    const char *note;
    int64_t due;
    char when[16];
    int n, rc = -1;

    strbuf_init(&names, 0);
    if (cmd_note(ctx, a, 0, &note) < 0 ||
        (n = persona_names(ctx->bot->store, &names, &ctx->err)) < 0)
        goto out;
    if (n == 0) {
        reply_error(ctx, _("there are no personas to review; add one with /smk persona add"));
        goto out;
    }
    if (record(ctx, "persona_reviewed", json_pack("{s:i, s:s, s:s?}", "personas", n, "names",
                                                  strbuf_str(&names), "note", note)) < 0 ||
        (due = persona_review_due(ctx->bot->store, &ctx->bot->cfg, &ctx->err)) < 0)
        goto out;
    reply_text(ctx, P_("review of %d persona recorded (%s)", "review of %d personas recorded (%s)",
                       n), n, strbuf_str(&names));
    if (due > 0) {
        clock_format_date(due, when, sizeof(when));
        reply_text(ctx, _("the managers are reminded of the next one on %s"), when);
    }
    rc = 0;
out:
    strbuf_release(&names);
    return rc;
}

/* SPDX-License-Identifier: MIT */
/* handoff.c: `handoff`: marketing passes a lead to a sales rep, who gets a
 * card with Accept and Reject buttons; the response clock starts. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "bot.h"
#include "commands.h"
#include "event.h"
#include "i18n.h"
#include "lead.h"
#include "qual.h"
#include "reply.h"
#include "sla.h"

/* "@bob, @dave": the sales role, for a refusal that says who would do. */
static void
sales_names(struct cmd_ctx *ctx, struct strbuf *sb)
{
    const struct strlist *sales = &ctx->bot->cfg.sales;

    for (int i = 0; i < sales->n; i++) {
        char *name = bot_user_name(ctx->bot, sales->v[i]);

        strbuf_printf(sb, "%s@%s", i ? ", " : "", name);
        free(name);
    }
}

/* The text of the rep's card; the buttons come from reply_card_lead(). */
static void
card_text(struct strbuf *sb, const struct lead *l, const struct qual *q,
          const char *by, const char *note, const char *due)
{
    char title[800];
    struct strbuf fields;

    lead_title(l, title, sizeof(title));
    strbuf_init(&fields, 0);
    if (l->email)
        strbuf_printf(&fields, _("email: %s"), l->email);
    if (l->source)
        strbuf_printf(&fields, _("%ssource: %s"), fields.len ? ", " : "", l->source);
    if (l->score >= 0)
        strbuf_printf(&fields, _("%sscore: %d"), fields.len ? ", " : "", l->score);
    strbuf_printf(sb, _("New lead for you from @%s: %s"), by, title);
    if (fields.len)
        strbuf_printf(sb, "\n%s", strbuf_str(&fields));
    if (l->note)
        strbuf_printf(sb, _("\nlead note: %s"), l->note);
    if (qual_bant_count(q) > 0) {
        strbuf_puts(sb, _("\nqualified: "));
        qual_format_bant(q, sb);
    }
    if (q->persona)
        strbuf_printf(sb, _("\npersona: %s"), q->persona);
    if (note)
        strbuf_printf(sb, _("\nhandoff note: %s"), note);
    strbuf_printf(sb, _("\nplease accept or reject by %s"), due);
    strbuf_release(&fields);
}

/* The sales entry word names: the entry itself or the name the platform
 * gave its user, without regard to case ("Bob", "bob", "u0bob"). Owned;
 * NULL when no rep is called that. */
static char *
sales_named(struct cmd_ctx *ctx, const char *word)
{
    const struct strlist *sales = &ctx->bot->cfg.sales;
    char *found = NULL;

    for (int i = 0; i < sales->n && found == NULL; i++)
        if (strcasecmp(sales->v[i], word) == 0)
            found = strdup(sales->v[i]);
    for (int i = 0; i < sales->n && found == NULL; i++) {
        char *name = bot_user_name(ctx->bot, sales->v[i]);

        if (name && strcasecmp(name, word) == 0)
            found = strdup(sales->v[i]);
        free(name);
    }
    return found;
}

/* Does word name someone in the marketing or managers role, without
 * regard to case? */
static bool
colleague_named(struct cmd_ctx *ctx, const char *word)
{
    const struct strlist *lists[] = { &ctx->bot->cfg.marketing, &ctx->bot->cfg.managers };
    bool found = false;

    for (size_t k = 0; k < 2 && !found; k++)
        for (int i = 0; i < lists[k]->n && !found; i++) {
            char *name = bot_user_name(ctx->bot, lists[k]->v[i]);

            found = strcasecmp(lists[k]->v[i], word) == 0 ||
                    (name && strcasecmp(name, word) == 0);
            free(name);
        }
    return found;
}

/* The rep named in word i ("@bob", "<@U123|bob>", or a bare "bob" that
 * names a rep), checked to be in the sales role. *rep is owned; NULL when
 * word names no one (it is then the start of the note). A note that is
 * only the name of a colleague outside sales is refused as "@carol" would
 * be. Returns 0 or -1 (replied). */
static int
named_rep(struct cmd_ctx *ctx, const struct args *a, int i, char **rep)
{
    struct strbuf names;
    char *name, *match;
    int rc = 0;

    *rep = NULL;
    if (a->argc <= i || a->quoted[i])
        return 0;
    if ((*rep = args_user(a->argv[i])) == NULL) {
        /* "handoff L-7 bob": a rep's name, not a note */
        *rep = sales_named(ctx, a->argv[i]);
        if (*rep != NULL || a->argc > i + 1 || !colleague_named(ctx, a->argv[i]))
            return 0;
        /* "handoff L-7 carol": meant for carol, who cannot take it */
        *rep = strdup(a->argv[i]);
    }
    name = bot_user_name(ctx->bot, *rep);
    if (!config_has_role(&ctx->bot->cfg, ROLE_SALES, *rep, name)) {
        if ((match = sales_named(ctx, *rep)) != NULL) {
            free(*rep);         /* "@Bob" is bob */
            *rep = match;
            free(name);
            return 0;
        }
        strbuf_init(&names, 0);
        sales_names(ctx, &names);
        rc = names.len
                 ? reply_error(ctx, _("@%s is not in the sales role; hand off to one of: %s"),
                               name, strbuf_str(&names))
                 : reply_error(ctx, _("@%s is not in the sales role, and no one is ([roles] sales in the config)"),
                               name);
        strbuf_release(&names);
    }
    free(name);
    return rc;
}

static bool
is_force(const struct args *a, int i)
{
    return i < a->argc && !a->quoted[i] && strcmp(a->argv[i], "--force") == 0;
}

/* The lead specification of the SLA ([sla] handoff_min_score and
 * handoff_requires): a lead short of it is refused, naming what is
 * missing, unless a manager forces it; *forced then lists what was
 * missing, for the record. Returns 0 or -1 (replied). */
static int
qualified(struct cmd_ctx *ctx, const struct lead *l, const struct qual *q,
          bool force, json_t **forced)
{
    struct strbuf missing;
    int rc = 0;

    strbuf_init(&missing, 0);
    if (qual_missing(l, q, &ctx->bot->cfg, &missing) == 0)
        goto out;
    if (!force)
        rc = reply_error(ctx, _("L-%lld does not meet the lead specification of the SLA: missing %s. Complete it with /smk lead edit L-%lld, or a manager can hand it off anyway with --force"),
                         (long long)l->id, strbuf_str(&missing), (long long)l->id);
    else if (!cmd_has_role(ctx, ROLE_MANAGERS))
        rc = reply_error(ctx, _("only managers can force a handoff of a lead below the lead specification (missing %s)"),
                         strbuf_str(&missing));
    else if ((*forced = json_string(strbuf_str(&missing))) == NULL) {
        err_set(&ctx->err, _("out of memory"));
        rc = -1;
    }
out:
    strbuf_release(&missing);
    return rc;
}

int
cmd_handoff(struct cmd_ctx *ctx, const struct args *a)
{
    struct bot *bot = ctx->bot;
    struct lead l = { 0 };
    struct strbuf card, post;
    json_t *data = NULL;
    char *rep = NULL, *rep_name = NULL, *by = NULL, *prev = NULL,
         *prev_name = NULL, *buttons = NULL;
    const char *note = NULL;
    char title[800], due[32];
    struct qual q = { 0 };
    json_t *forced = NULL;
    bool reassign, force;
    int rc = -1, at = 1;

    strbuf_init(&card, 0);
    strbuf_init(&post, 0);
    if (cmd_find_lead(ctx, a->argv[0], &l) < 0 || cmd_lead_can(ctx, &l, "handoff") < 0)
        goto out;
    reassign = strcmp(l.stage, STAGE_HANDED_OFF) == 0;
    /* <lead> [--force] [@rep] [--force] [note] */
    force = is_force(a, at);
    at += force;
    if (named_rep(ctx, a, at, &rep) < 0)
        goto out;
    at += rep != NULL;
    if (!force && is_force(a, at)) {
        force = true;
        at++;
    }
    if (cmd_note(ctx, a, at, &note) < 0 ||
        qual_load(bot->store, l.id, &q, &ctx->err) < 0 ||
        (!reassign && qualified(ctx, &l, &q, force, &forced) < 0))
        goto out;
    if (rep == NULL) {
        if (bot->cfg.sales.n == 0) {
            rc = reply_error(ctx, _("no one is in the sales role ([roles] sales in the config) to hand L-%lld to"),
                             (long long)l.id);
            goto out;
        }
        rep = lead_next_rep(bot->store, bot->cfg.sales.n, bot->cfg.sales.v,
                            l.owner, &ctx->err);
        if (rep == NULL)
            goto out;
    }
    rep_name = bot_user_name(bot, rep);
    if (reassign && l.owner && strcmp(l.owner, rep) == 0) {
        rc = reply_error(ctx, _("L-%lld is already with @%s; name another rep to reassign it"),
                         (long long)l.id, rep_name);
        goto out;
    }

    prev = l.owner;
    prev_name = bot_user_name(bot, prev);
    l.owner = strdup(rep);
    free(l.stage);
    l.stage = strdup(STAGE_HANDED_OFF);
    l.handed_off_at = ctx->now;
    l.due_at = sla_point(bot->store, &bot->cfg, ctx->now, 100);
    l.responded_at = 0;     /* a new clock: the last answer is history */
    if (l.owner == NULL || l.stage == NULL) {
        err_set(&ctx->err, _("out of memory"));
        goto out;
    }
    if (lead_update(bot->store, &l, &ctx->err) < 0)
        goto out;
    data = json_pack("{s:s, s:s?, s:I}", "rep", rep, "note", note, "due_at",
                     (json_int_t)l.due_at);
    if (data == NULL) {
        err_set(&ctx->err, _("out of memory"));
        goto out;
    }
    if (reassign)
        json_object_set_new(data, "from", json_string(prev));
    if (forced)
        json_object_set(data, "forced", forced);
    if (event_append(bot->store, l.id, "handoff", ctx->actor, ctx->now, data,
                     &ctx->err) < 0)
        goto out;

    by = bot_user_name(bot, ctx->actor);
    lead_title(&l, title, sizeof(title));
    clock_format_human(l.due_at, due, sizeof(due));
    if (reassign) {
        /* the old card's buttons must go: its rep no longer owns the lead */
        strbuf_printf(&post, _("%s: reassigned to @%s by @%s"), title, rep_name, by);
        if (post_card_update(bot, ctx->now, l.id, strbuf_str(&post), &ctx->err) < 0)
            goto out;
        strbuf_reset(&post);
    }
    card_text(&card, &l, &q, by, note, due);
    buttons = reply_card_lead(l.id);
    if (buttons == NULL) {
        err_set(&ctx->err, _("out of memory"));
        goto out;
    }
    if (post_dm(bot, ctx->now, rep, strbuf_str(&card), buttons, &ctx->err) < 0)
        goto out;
    strbuf_printf(&post, _("%s handed off to @%s by @%s; answer due by %s"), title,
                  rep_name, by, due);
    if (post_channel(bot, ctx->now, reply_channel(bot, CHANNEL_SALES),
                     strbuf_str(&post), NULL, &ctx->err) < 0)
        goto out;
    if (reassign)
        reply_text(ctx, _("L-%lld reassigned from @%s to @%s; answer due by %s"),
                   (long long)l.id, prev_name, rep_name, due);
    else
        reply_text(ctx, _("L-%lld handed off to @%s; answer due by %s"),
                   (long long)l.id, rep_name, due);
    if (forced)
        reply_text(ctx, _("forced below the lead specification (missing %s); the timeline records it"),
                   json_string_value(forced));
    rc = 0;
out:
    json_decref(data);
    json_decref(forced);
    qual_release(&q);
    strbuf_release(&card);
    strbuf_release(&post);
    free(rep);
    free(rep_name);
    free(by);
    free(prev);
    free(prev_name);
    free(buttons);
    lead_release(&l);
    return rc;
}

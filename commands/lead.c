/* SPDX-License-Identifier: MIT */
/* lead.c: `lead add`, `lead show`, `lead edit`. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bot.h"
#include "commands.h"
#include "event.h"
#include "format.h"
#include "i18n.h"
#include "lead.h"
#include "persona.h"
#include "qual.h"
#include "reply.h"
#include "text.h"

/* Lengths in characters (UTF-8 code points), as people count them. */
#define NAME_MAX_LEN 200
#define COMPANY_MAX_LEN 200
#define FIELD_MAX_LEN 500

/* A plausible email: one @, something on each side, a dot after it. */
static bool
valid_email(const char *e)
{
    const char *at = strchr(e, '@');

    return at && at != e && strchr(at + 1, '@') == NULL &&
           strchr(at + 1, '.') != NULL && at[1] != '.' &&
           e[strlen(e) - 1] != '.' && strpbrk(e, " <>\"'") == NULL &&
           strlen(e) <= 254;
}

/* A lead's name, trimmed, into *out (owned): refuses a blank one and one
 * over NAME_MAX_LEN characters. Returns 0 or -1 (replied or err). */
static int
take_name(struct cmd_ctx *ctx, const char *value, char **out)
{
    char *name = text_trim(value);
    size_t n;

    *out = NULL;
    if (name == NULL) {
        err_set(&ctx->err, _("out of memory"));
        return -1;
    }
    n = text_utf8_len(name);
    if (n == 0) {
        free(name);
        return reply_error(ctx, _("a name cannot be blank; e.g. /smk lead add \"Jane Doe\""));
    }
    if (n > NAME_MAX_LEN) {
        free(name);
        return reply_error(ctx, _("a name has 1 to %d characters"), NAME_MAX_LEN);
    }
    *out = name;
    return 0;
}

/* Applies key=value to l; replies and returns -1 on a bad key or value. */
static int
set_field(struct cmd_ctx *ctx, struct lead *l, const char *key,
          const char *raw, bool adding)
{
    char **slot = NULL, *value;
    size_t max = FIELD_MAX_LEN;

    if (strcmp(key, "name") == 0 && !adding) {
        char *name;

        if (take_name(ctx, raw, &name) < 0)
            return -1;
        free(l->name);
        l->name = name;
        return 0;
    }
    if ((value = text_trim(raw)) == NULL) {
        err_set(&ctx->err, _("out of memory"));
        return -1;
    }
    if (strcmp(key, "company") == 0)
        max = COMPANY_MAX_LEN;
    if (text_utf8_len(value) > max) {
        free(value);
        return reply_error(ctx, _("%s is too long (at most %d characters)"), key, (int)max);
    }
    if (strcmp(key, "score") == 0) {
        int64_t score;

        if (args_number(value, 0, 100, &score) < 0) {
            free(value);
            return reply_error(ctx, _("score must be a whole number from 0 to 100"));
        }
        l->score = (int)score;
        free(value);
        return 0;
    }
    if (strcmp(key, "amount") == 0 && !adding) {
        /* the correction of a won deal's amount; reports read it */
        int rc = 0;

        if (strcmp(l->stage, STAGE_WON) != 0)
            rc = reply_error(ctx, _("L-%lld is %s; only a won lead has an amount (/smk won L-%lld <amount>)"),
                             (long long)l->id, l->stage, (long long)l->id);
        else if (value[0] == '\0')
            l->amount = -1;
        else
            rc = cmd_money(ctx, value, &l->amount);
        free(value);
        return rc;
    }
    if (strcmp(key, "email") == 0) {
        if (value[0] && !valid_email(value)) {
            reply_error(ctx, _("'%s' is not an email address"), value);
            free(value);
            return -1;
        }
        slot = &l->email;
    } else if (strcmp(key, "company") == 0) {
        slot = &l->company;
    } else if (strcmp(key, "source") == 0) {
        slot = &l->source;
    } else if (strcmp(key, "note") == 0 && adding) {
        slot = &l->note;
    } else {
        free(value);
        return reply_error(ctx, adding
                ? _("unknown field '%s'; a lead has company=, email=, source=, score=, note=, budget=, authority=, need=, timing=, bant= and persona=")
                : _("unknown field '%s'; you can edit company, email, source, score, name, amount (of a won lead), budget, authority, need, timing, bant and persona"),
                key);
    }
    free(*slot);
    /* blank (or only spaces) clears the field */
    if (value[0]) {
        *slot = value;
    } else {
        *slot = NULL;
        free(value);
    }
    if (slot == &l->source && *slot != NULL) {
        char *known;

        /* source=Webinar joins the leads of "webinar" in every report */
        if (lead_source_spelling(ctx->bot->store, *slot, &known, &ctx->err) < 0)
            return -1;
        if (known != NULL) {
            free(*slot);
            *slot = known;
        }
    }
    return 0;
}

/* Applies key=value to q when key is a qualification field: 1 applied, 0
 * not such a key, -1 refused (replied). */
static int
set_qual(struct cmd_ctx *ctx, struct qual *q, const char *key, const char *value)
{
    char why[256];

    if (!qual_is_key(key))
        return 0;
    if (qual_set(q, key, value, why, sizeof(why)) < 0)
        return reply_error(ctx, "%s", why);
    if (strcmp(key, "persona") == 0 && q->persona != NULL) {
        struct persona p;
        struct strbuf names;
        int rc = persona_find(ctx->bot->store, q->persona, &p, &ctx->err), n;

        if (rc < 0)
            return -1;
        if (rc > 0) {
            /* persona=cfo is the persona CFO, spelled as it was defined */
            free(q->persona);
            q->persona = p.name;
            p.name = NULL;
            persona_release(&p);
            return 1;
        }
        strbuf_init(&names, 0);
        n = persona_names(ctx->bot->store, &names, &ctx->err);
        if (n > 0)
            reply_error(ctx, _("no persona '%.60s'; the personas are: %s (/smk persona list)"),
                        value, strbuf_str(&names));
        else if (n == 0)
            reply_error(ctx, _("no persona '%.60s'; define the personas first with /smk persona add \"<name>\" \"<description>\""),
                        value);
        strbuf_release(&names);
        return -1;
    }
    return 1;
}

/* Refuses an email another lead already has, naming that lead. */
static int
check_email_free(struct cmd_ctx *ctx, const char *email, int64_t self)
{
    int64_t other;

    if (email == NULL)
        return 0;
    other = lead_id_by_email(ctx->bot->store, email, &ctx->err);
    if (other < 0)
        return -1;
    if (other > 0 && other != self)
        return reply_error(ctx, _("%s is already lead L-%lld"), email, (long long)other);
    return 0;
}

int
cmd_lead_create(struct cmd_ctx *ctx, const char *name, int n,
                const char *const keys[], const char *const values[], int64_t *id)
{
    struct lead l = { 0 };
    struct qual q = { 0 };
    json_t *data = NULL;
    int rc = -1, qualified;
    bool has_qual = false;

    l.score = -1;
    l.amount = -1;
    if (take_name(ctx, name, &l.name) < 0)
        goto out;
    for (int i = 0; i < n; i++) {
        if ((qualified = set_qual(ctx, &q, keys[i], values[i])) < 0 ||
            (qualified == 0 && set_field(ctx, &l, keys[i], values[i], true) < 0))
            goto out;
        has_qual |= qualified > 0;
    }
    if (check_email_free(ctx, l.email, 0) < 0)
        goto out;
    l.created_by = strdup(ctx->actor);
    l.created_at = ctx->now;
    if (lead_insert(ctx->bot->store, &l, &ctx->err) < 0)
        goto out;
    data = json_pack("{s:s, s:s*, s:s*, s:s*}", "name", l.name, "company", l.company,
                     "email", l.email, "source", l.source);
    if (l.score >= 0)
        json_object_set_new(data, "score", json_integer(l.score));
    if (has_qual &&
        (qual_save(ctx->bot->store, l.id, &q, &ctx->err) < 0 ||
         json_object_update_new(data, json_pack("{s:s*, s:s*, s:s*, s:s*, s:s*}",
                                                "budget", q.budget, "authority",
                                                q.authority, "need", q.need, "timing",
                                                q.timing, "persona", q.persona)) < 0))
        goto out;
    if (event_append(ctx->bot->store, l.id, "created", ctx->actor, ctx->now, data,
                     &ctx->err) < 0)
        goto out;
    reply_text(ctx, _("L-%lld created: %s%s%s (mql). Hand it to sales with /smk handoff L-%lld"),
               (long long)l.id, l.name, l.company ? ", " : "", l.company ? l.company : "",
               (long long)l.id);
    if (id)
        *id = l.id;
    rc = 0;
out:
    json_decref(data);
    qual_release(&q);
    lead_release(&l);
    return rc;
}

int
cmd_lead_add(struct cmd_ctx *ctx, const struct args *a)
{
    const char *keys[ARGS_MAX], *values[ARGS_MAX];
    char names[ARGS_MAX][32];
    int n = 0;

    if (args_kv(a, 0, names[0], sizeof(names[0])) != NULL)
        return reply_error(ctx, _("the lead's name comes first: /smk lead add \"Jane Doe\" company=ACME"));
    for (int i = 1; i < a->argc && n < ARGS_MAX; i++) {
        const char *v = args_kv(a, i, names[n], sizeof(names[n]));

        if (v == NULL)
            return reply_error(ctx, _("'%s' is not key=value; quote a name with spaces: \"Jane Doe\""),
                               a->argv[i]);
        keys[n] = names[n];
        values[n++] = v;
    }
    return cmd_lead_create(ctx, a->argv[0], n, keys, values, NULL);
}

int
cmd_lead_edit(struct cmd_ctx *ctx, const struct args *a)
{
    struct lead l;
    struct qual q = { 0 };
    json_t *changes = json_object();
    char key[32];
    int rc = -1, qualified;
    bool has_qual = false;

    if (cmd_find_lead(ctx, a->argv[0], &l) < 0) {
        json_decref(changes);
        return -1;
    }
    if (qual_load(ctx->bot->store, l.id, &q, &ctx->err) < 0)
        goto out;
    for (int i = 1; i < a->argc; i++) {
        const char *v = args_kv(a, i, key, sizeof(key));

        if (v == NULL) {
            rc = reply_error(ctx, _("'%s' is not key=value, e.g. company=ACME"), a->argv[i]);
            goto out;
        }
        if ((qualified = set_qual(ctx, &q, key, v)) < 0 ||
            (qualified == 0 && set_field(ctx, &l, key, v, false) < 0))
            goto out;
        has_qual |= qualified > 0;
        if (strcmp(key, "amount") == 0)
            json_object_set_new(changes, key,
                                l.amount >= 0 ? json_integer(l.amount) : json_null());
        else
            json_object_set_new(changes, key, json_string(v));
    }
    if ((has_qual && qual_save(ctx->bot->store, l.id, &q, &ctx->err) < 0) ||
        check_email_free(ctx, l.email, l.id) < 0 ||
        lead_update(ctx->bot->store, &l, &ctx->err) < 0 ||
        event_append(ctx->bot->store, l.id, "edited", ctx->actor, ctx->now, changes,
                     &ctx->err) < 0)
        goto out;
    reply_text(ctx, _("L-%lld updated"), (long long)l.id);
    rc = 0;
out:
    json_decref(changes);
    qual_release(&q);
    lead_release(&l);
    return rc;
}

/* One timeline line's "what" for an event, from its kind and data. */
static void
describe_event(struct cmd_ctx *ctx, const struct lead_event *ev, struct strbuf *sb)
{
    json_t *data = json_loads(ev->data ? ev->data : "{}", 0, NULL);
    const char *note = json_string_value(json_object_get(data, "note"));
    const char *reason = json_string_value(json_object_get(data, "reason"));
    const char *rep = json_string_value(json_object_get(data, "rep"));
    json_t *secs = json_object_get(data, "secs"), *amount;
    char span[32], when[32], money[64];
    char *name = NULL;

    if (secs)
        format_bizdur(&ctx->bot->cfg.hours, json_integer_value(secs), span, sizeof(span));
    if (strcmp(ev->kind, "created") == 0) {
        strbuf_puts(sb, _("created"));
    } else if (strcmp(ev->kind, "edited") == 0) {
        const char *key;
        json_t *v;
        bool first = true;

        strbuf_puts(sb, _("edited"));
        json_object_foreach(data, key, v) {
            if (strcmp(key, "amount") == 0 && json_is_integer(v))
                format_money_cur(json_integer_value(v), ctx->bot->cfg.currency, money,
                                 sizeof(money));
            strbuf_printf(sb, "%s %s=%s", first ? "" : ",", key,
                          json_is_string(v) ? json_string_value(v)
                          : json_is_integer(v) ? money
                          : json_is_null(v) ? "-" : "?");
            first = false;
        }
    } else if (strcmp(ev->kind, "handoff") == 0) {
        name = bot_user_name(ctx->bot, rep);
        clock_format_human(json_integer_value(json_object_get(data, "due_at")), when,
                           sizeof(when));
        strbuf_printf(sb, _("handed off to @%s, due %s"), name, when);
        if (json_is_string(json_object_get(data, "forced")))
            strbuf_printf(sb, _(", forced below the lead specification (missing %s)"),
                          json_string_value(json_object_get(data, "forced")));
    } else if (strcmp(ev->kind, "accepted") == 0) {
        strbuf_printf(sb, _("accepted in %s, SLA %s"), secs ? span : "?",
                      json_is_true(json_object_get(data, "met")) ? _("met") : _("missed"));
    } else if (strcmp(ev->kind, "rejected") == 0) {
        strbuf_printf(sb, _("rejected (%s) in %s, SLA %s"), reason ? reason : "?",
                      secs ? span : "?",
                      json_is_true(json_object_get(data, "met")) ? _("met") : _("missed"));
    } else if (strcmp(ev->kind, "feedback") == 0) {
        strbuf_printf(sb, _("rated it %d/5"),
                      (int)json_integer_value(json_object_get(data, "rating")));
        note = json_string_value(json_object_get(data, "comment"));
    } else if (strcmp(ev->kind, "followup") == 0) {
        name = bot_user_name(ctx->bot, rep);
        strbuf_printf(sb, _("rated @%s's follow-up %d/5"), name,
                      (int)json_integer_value(json_object_get(data, "rating")));
        note = json_string_value(json_object_get(data, "comment"));
    } else if (strcmp(ev->kind, "won") == 0) {
        amount = json_object_get(data, "amount");
        if (json_is_integer(amount)) {
            format_money_cur(json_integer_value(amount), ctx->bot->cfg.currency, money,
                             sizeof(money));
            strbuf_printf(sb, _("won %s"), money);
        } else {
            strbuf_puts(sb, _("won"));
        }
    } else if (strcmp(ev->kind, "lost") == 0) {
        strbuf_printf(sb, _("lost (%s)"), reason ? reason : "?");
    } else if (strcmp(ev->kind, "deadline_moved") == 0) {
        clock_format_human(json_integer_value(json_object_get(data, "due_at")), when,
                           sizeof(when));
        format_bizdur(&ctx->bot->cfg.hours,
                      json_integer_value(json_object_get(data, "response_secs")), span,
                      sizeof(span));
        strbuf_printf(sb, _("moved the deadline to %s (the SLA's response target is now %s)"),
                      when, span);
    } else if (strcmp(ev->kind, "reopened") == 0) {
        const char *from = json_string_value(json_object_get(data, "from"));
        const char *to = json_string_value(json_object_get(data, "to"));

        amount = json_object_get(data, "amount");
        if (json_is_integer(amount))
            format_money_cur(json_integer_value(amount), ctx->bot->cfg.currency, money,
                             sizeof(money));
        strbuf_printf(sb, _("reopened (was %s%s%s), back to %s"), from ? from : "?",
                      json_is_integer(amount) || reason ? " " : "",
                      json_is_integer(amount) ? money : reason ? reason : "",
                      to ? to : "?");
    } else {
        /* kinds other modules add (reminders, breaches) read well as is */
        strbuf_puts(sb, ev->kind);
    }
    if (note)
        strbuf_printf(sb, ": %s", note);
    free(name);
    json_decref(data);
}

/* The lead's CRM contact, and the last push the CRM refused for good. */
static int
show_crm(struct cmd_ctx *ctx, int64_t id)
{
    char *contact = NULL, *error = NULL;

    if (store_query_text(ctx->bot->store, &ctx->err, &contact,
                         "SELECT crm_id FROM leads WHERE id = ?", "I", id) < 0 ||
        store_query_text(ctx->bot->store, &ctx->err, &error,
                         "SELECT crm_error FROM leads WHERE id = ?", "I", id) < 0)
        return -1;
    if (contact)
        reply_text(ctx, _("CRM contact: %s"), contact);
    if (error)
        reply_text(ctx, _("CRM push given up: %s"), error);
    free(contact);
    free(error);
    return 0;
}

int
cmd_lead_show(struct cmd_ctx *ctx, const struct args *a)
{
    struct bot *bot = ctx->bot;
    struct lead l = { 0 };
    struct lead_event *evs = NULL;
    struct qual q = { 0 };
    struct strbuf line;
    char *owner = NULL;
    char title[800], sla[64], money[64], when[32];
    int nev = 0, rc = -1;

    strbuf_init(&line, 0);
    if (cmd_find_lead(ctx, a->argv[0], &l) < 0)
        goto out;
    nev = lead_events(bot->store, l.id, &evs, &ctx->err);
    if (nev < 0)
        goto out;
    lead_title(&l, title, sizeof(title));
    reply_text(ctx, "%s", title);
    owner = l.owner ? bot_user_name(bot, l.owner) : NULL;
    if (owner)
        reply_text(ctx, _("stage: %s, owner: @%s"), l.stage, owner);
    else
        reply_text(ctx, _("stage: %s, no owner yet"), l.stage);
    if (l.email)
        strbuf_printf(&line, _("email: %s"), l.email);
    if (l.source)
        strbuf_printf(&line, _("%ssource: %s"), line.len ? ", " : "", l.source);
    if (l.score >= 0)
        strbuf_printf(&line, _("%sscore: %d"), line.len ? ", " : "", l.score);
    if (line.len)
        reply_text(ctx, "%s", strbuf_str(&line));
    if (l.note)
        reply_text(ctx, _("note: %s"), l.note);
    if (show_crm(ctx, l.id) < 0)
        goto out;
    if (qual_load(bot->store, l.id, &q, &ctx->err) < 0)
        goto out;
    if (qual_bant_count(&q) > 0) {
        strbuf_reset(&line);
        qual_format_bant(&q, &line);
        reply_text(ctx, _("qualified: %s"), strbuf_str(&line));
    }
    if (q.persona)
        reply_text(ctx, _("persona: %s"), q.persona);
    lead_sla_state(&l, &bot->cfg.hours, ctx->now, sla, sizeof(sla));
    if (sla[0]) {
        clock_format_human(l.due_at, when, sizeof(when));
        reply_text(ctx, _("SLA: %s (deadline %s)"), sla, when);
    } else {
        reply_text(ctx, _("SLA: the response clock starts at handoff"));
    }
    if (l.reason && (strcmp(l.stage, STAGE_RECYCLED) == 0 || strcmp(l.stage, STAGE_LOST) == 0))
        reply_text(ctx, _("reason: %s"), l.reason);
    if (l.amount >= 0) {
        format_money_cur(l.amount, bot->cfg.currency, money, sizeof(money));
        reply_text(ctx, _("amount: %s"), money);
    }
    reply_text(ctx, _("timeline:"));
    for (int i = 0; i < nev; i++) {
        char *actor = evs[i].actor ? bot_user_name(bot, evs[i].actor) : NULL;

        strbuf_reset(&line);
        clock_format_human(evs[i].at, when, sizeof(when));
        describe_event(ctx, &evs[i], &line);
        reply_text(ctx, "  %s %s%s %s", when, actor ? "@" : "", actor ? actor : "smarkbot",
                   strbuf_str(&line));
        free(actor);
    }
    rc = 0;
out:
    for (int i = 0; i < nev; i++)
        lead_event_release(&evs[i]);
    free(evs);
    free(owner);
    strbuf_release(&line);
    qual_release(&q);
    lead_release(&l);
    return rc;
}

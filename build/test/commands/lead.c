/* SPDX-License-Identifier: MIT */
/* lead.c: `lead add`, `lead show`, `lead edit`. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bot.h"
#include "commands.h"
#include "event.h"
#include "i18n.h"
#include "lead.h"
#include "reply.h"

#define NAME_MAX_LEN 200
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

static int
parse_score(const char *s, int *out)
{
    char *end;
    long v;

    if (!isdigit((unsigned char)*s))
        return -1;
    v = strtol(s, &end, 10);
    if (*end != '\0' || v < 0 || v > 100)
        return -1;
    *out = (int)v;
    return 0;
}

/* Applies key=value to l; replies and returns -1 on a bad key or value. */
static int
set_field(struct cmd_ctx *ctx, struct lead *l, const char *key,
          const char *value, bool adding)
{
    char **slot = NULL;

    if (strlen(value) > FIELD_MAX_LEN)
        return reply_error(ctx, _("%s is too long (at most %d characters)"), key,
                           FIELD_MAX_LEN);
    if (strcmp(key, "score") == 0) {
        if (parse_score(value, &l->score) < 0)
            return reply_error(ctx, _("score must be a whole number from 0 to 100"));
        return 0;
    }
    if (strcmp(key, "email") == 0) {
        if (value[0] && !valid_email(value))
            return reply_error(ctx, _("'%s' is not an email address"), value);
        slot = &l->email;
    } else if (strcmp(key, "company") == 0) {
        slot = &l->company;
    } else if (strcmp(key, "source") == 0) {
        slot = &l->source;
    } else if (strcmp(key, "note") == 0 && adding) {
        slot = &l->note;
    } else if (strcmp(key, "name") == 0 && !adding) {
        if (value[0] == '\0' || strlen(value) > NAME_MAX_LEN)
            return reply_error(ctx, _("a name has 1 to %d characters"), NAME_MAX_LEN);
        slot = &l->name;
    } else {
        return reply_error(ctx, adding
                ? _("unknown field '%s'; a lead has company=, email=, source=, score= and note=")
                : _("unknown field '%s'; you can edit company, email, source, score and name"),
                key);
    }
    free(*slot);
    *slot = value[0] ? strdup(value) : NULL;
    return 0;
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
cmd_lead_add(struct cmd_ctx *ctx, const struct args *a)
{
    struct lead l = { 0 };
    json_t *data = NULL;
    char key[32];
    int rc = -1;

    l.score = -1;
    l.amount = -1;
    if (args_kv(a, 0, key, sizeof(key)) != NULL) {
        rc = reply_error(ctx, _("the lead's name comes first: /smk lead add \"Jane Doe\" company=ACME"));
        goto out;
    }
    if (a->argv[0][0] == '\0' || strlen(a->argv[0]) > NAME_MAX_LEN) {
        rc = reply_error(ctx, _("a name has 1 to %d characters"), NAME_MAX_LEN);
        goto out;
    }
    l.name = strdup(a->argv[0]);
    for (int i = 1; i < a->argc; i++) {
        const char *v = args_kv(a, i, key, sizeof(key));

        if (v == NULL) {
            rc = reply_error(ctx, _("'%s' is not key=value; quote a name with spaces: \"Jane Doe\""),
                             a->argv[i]);
            goto out;
        }
        if (set_field(ctx, &l, key, v, true) < 0)
            goto out;
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
    if (event_append(ctx->bot->store, l.id, "created", ctx->actor, ctx->now, data,
                     &ctx->err) < 0)
        goto out;
    reply_text(ctx, _("L-%lld created: %s%s%s (mql). Hand it to sales with /smk handoff L-%lld"),
               (long long)l.id, l.name, l.company ? ", " : "", l.company ? l.company : "",
               (long long)l.id);
    rc = 0;
out:
    json_decref(data);
    lead_release(&l);
    return rc;
}

int
cmd_lead_edit(struct cmd_ctx *ctx, const struct args *a)
{
    struct lead l;
    json_t *changes = json_object();
    char key[32];
    int rc = -1;

    if (cmd_find_lead(ctx, a->argv[0], &l) < 0) {
        json_decref(changes);
        return -1;
    }
    for (int i = 1; i < a->argc; i++) {
        const char *v = args_kv(a, i, key, sizeof(key));

        if (v == NULL) {
            rc = reply_error(ctx, _("'%s' is not key=value, e.g. company=ACME"), a->argv[i]);
            goto out;
        }
        if (set_field(ctx, &l, key, v, false) < 0)
            goto out;
        json_object_set_new(changes, key, json_string(v));
    }
    if (check_email_free(ctx, l.email, l.id) < 0 ||
        lead_update(ctx->bot->store, &l, &ctx->err) < 0 ||
        event_append(ctx->bot->store, l.id, "edited", ctx->actor, ctx->now, changes,
                     &ctx->err) < 0)
        goto out;
    reply_text(ctx, _("L-%lld updated"), (long long)l.id);
    rc = 0;
out:
    json_decref(changes);
    lead_release(&l);
    return rc;
}

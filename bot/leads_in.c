/* SPDX-License-Identifier: MIT */
/* leads_in.c: POST /leads on the bot's listener, for web forms and
 * marketing automation: a JSON object in, an MQL out, refused for what
 * `lead add` refuses, through the same code and in one transaction. */
#include "leads_in.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "bot.h"
#include "commands.h"
#include "i18n.h"
#include "listen.h"
#include "store.h"

/* The actor of leads that came in this way, in timelines and exports. */
#define LEADS_IN_ACTOR "api"
#define LEADS_IN_FIELDS 32

static void
answer(struct listen_resp *resp, int status, json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);

    resp->status = status;
    snprintf(resp->content_type, sizeof(resp->content_type), "application/json");
    strbuf_puts(&resp->body, text ? text : "{}");
    free(text);
    json_decref(body);
}

static void
refuse(struct listen_resp *resp, int status, const char *why)
{
    answer(resp, status, json_pack("{s:s}", "error", why));
}

static bool
bearer_ok(const char *authorization, const char *secret)
{
    /* the scheme's name is case-insensitive (RFC 7235) */
    if (strncasecmp(authorization, "Bearer ", 7) != 0)
        return false;
    return listen_secret_eq(authorization + 7, secret);
}

/* A field's value as `lead add` would have read it from key=value. */
static int
field_text(json_t *v, char *num, size_t numlen, const char **out)
{
    if (json_is_string(v)) {
        *out = json_string_value(v);
        return 0;
    }
    if (json_is_integer(v)) {
        snprintf(num, numlen, "%lld", (long long)json_integer_value(v));
        *out = num;
        return 0;
    }
    return -1;
}

static void
on_leads(void *ud, const struct listen_req *req, struct listen_resp *resp)
{
    struct bot *bot = ud;
    struct strbuf reply;
    struct cmd_ctx ctx = { 0 };
    json_error_t jerr;
    json_t *root = NULL, *v;
    const char *keys[LEADS_IN_FIELDS], *values[LEADS_IN_FIELDS], *key, *name = NULL;
    char nums[LEADS_IN_FIELDS][24];
    int n = 0;
    int64_t id = 0;
    char why[300];

    if (!bearer_ok(req->authorization, bot->cfg.leads_secret)) {
        listen_resp_header(resp, "WWW-Authenticate", "Bearer");
        refuse(resp, 401, _("a valid Authorization: Bearer <[http] leads_secret> is required"));
        log_warn(&bot->log, "leads", "POST /leads from %s: refused (no or wrong secret)",
                 req->peer);
        return;
    }
    if (req->body_len > LEADS_IN_MAX_BODY) {
        refuse(resp, 413, _("the body is over 64 KB"));
        return;
    }
    root = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL || !json_is_object(root)) {
        snprintf(why, sizeof(why), root ? _("the body must be a JSON object")
                                        : _("the body is not JSON: %s"), jerr.text);
        json_decref(root);
        refuse(resp, 400, why);
        return;
    }
    json_object_foreach(root, key, v) {
        const char *text;

        if (json_is_null(v))
            continue;
        if (n == LEADS_IN_FIELDS ||
            field_text(v, nums[n], sizeof(nums[n]), &text) < 0) {
            snprintf(why, sizeof(why), n == LEADS_IN_FIELDS ? _("too many fields")
                     : _("%.40s must be a string"), key);
            json_decref(root);
            refuse(resp, 400, why);
            return;
        }
        if (strcmp(key, "name") == 0) {
            name = text;
            continue;
        }
        keys[n] = key;
        values[n++] = text;
    }
    if (name == NULL) {
        json_decref(root);
        refuse(resp, 400, _("name is required, e.g. {\"name\": \"Jane Doe\", \"email\": \"jane@acme.com\"}"));
        return;
    }
    strbuf_init(&reply, 0);
    ctx.bot = bot;
    ctx.actor = LEADS_IN_ACTOR;
    ctx.now = clock_now(&bot->clock);
    ctx.reply = &reply;
    if (store_begin(bot->store, &ctx.err) == 0) {
        if (cmd_lead_create(&ctx, name, n, keys, values, &id) < 0 || ctx.err.set) {
            store_rollback(bot->store);
            id = 0;
        } else if (store_commit(bot->store, &ctx.err) < 0) {
            id = 0;
        }
    }
    if (ctx.err.set) {
        log_err(&bot->log, "leads", "POST /leads: %s", ctx.err.msg);
        refuse(resp, 500, _("the lead could not be saved; nothing was changed"));
    } else if (id == 0) {
        refuse(resp, 400, strbuf_str(&reply));
    } else {
        char ref[32];

        snprintf(ref, sizeof(ref), "L-%lld", (long long)id);
        answer(resp, 201, json_pack("{s:s, s:I, s:s}", "lead", ref, "id", (json_int_t)id,
                                    "message", strbuf_str(&reply)));
        log_info(&bot->log, "leads", "POST /leads from %s: %s created", req->peer, ref);
        bot_changed(bot);
    }
    strbuf_release(&reply);
    json_decref(root);
}

int
leads_in_start(struct bot *bot, struct err *err)
{
    const struct listen_route routes[] = {
        { "POST", "/leads", on_leads, bot },
        { NULL, NULL, NULL, NULL },
    };

    if (bot->listen == NULL) {
        if (bot->cfg.leads_secret[0])
            log_warn(&bot->log, "leads", "[http] leads_secret is set but [http] listen is off: "
                     "no POST /leads");
        return 0;
    }
    if (bot->cfg.leads_secret[0] == '\0') {
        log_info(&bot->log, "leads", "no [http] leads_secret: POST /leads is off");
        return 0;
    }
    return listen_add_table(bot->listen, routes, err);
}

/* SPDX-License-Identifier: MIT */
/* content.c: `content add`, marketing's internal newsletter. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bot.h"
#include "commands.h"
#include "content.h"
#include "event.h"
#include "i18n.h"
#include "reply.h"

#define TITLE_MAX_LEN 200
#define CAMPAIGN_MAX_LEN 100

int
cmd_content_add(struct cmd_ctx *ctx, const struct args *a)
{
    static const char *const fields[] = { "url", "campaign", NULL };
    const char *vals[2] = { NULL, NULL }, *bad, *campaign, *url_arg;
    char *url = NULL, key[32];
    json_t *data = NULL;
    int64_t id;
    int rc = -1;

    if (args_kv(a, 0, key, sizeof(key)) != NULL)
        return reply_error(ctx, _("the title comes first: /smk content add \"Pricing guide\" url=https://example.com/guide"));
    if (a->argv[0][0] == '\0' || strlen(a->argv[0]) > TITLE_MAX_LEN)
        return reply_error(ctx, _("a title has 1 to %d characters"), TITLE_MAX_LEN);
    switch (args_fields(a, 1, fields, vals, &bad)) {
    case ARGS_NOT_KV:
        return reply_error(ctx, _("'%s' is not key=value; quote a title with spaces: \"Pricing guide\""),
                           bad);
    case ARGS_UNKNOWN_KEY:
        return reply_error(ctx, _("unknown field '%.*s'; content has url= and campaign="),
                           (int)strcspn(bad, "="), bad);
    case ARGS_TWICE:
        return reply_error(ctx, _("%.*s is given twice"), (int)strcspn(bad, "="), bad);
    case ARGS_FIELDS_OK:
        break;
    }
    url_arg = vals[0];
    campaign = vals[1];
    if (url_arg == NULL)
        return reply_error(ctx, _("content needs its link: url=https://..."));
    if (campaign && strlen(campaign) > CAMPAIGN_MAX_LEN)
        return reply_error(ctx, _("a campaign has at most %d characters"), CAMPAIGN_MAX_LEN);
    url = strdup(url_arg);
    if (url == NULL) {
        err_set(&ctx->err, _("out of memory"));
        goto out;
    }
    if (!content_url_valid(url)) {
        rc = reply_error(ctx, _("url must be a web address starting with http:// or https://, not '%.100s'"),
                         url);
        goto out;
    }
    if (campaign && campaign[0] == '\0')
        campaign = NULL;
    id = content_add(ctx->bot->store, a->argv[0], url, campaign, ctx->actor, ctx->now,
                     &ctx->err);
    if (id < 0)
        goto out;
    data = json_pack("{s:I, s:s, s:s, s:s*}", "content", (json_int_t)id,
                     "title", a->argv[0], "url", url, "campaign", campaign);
    if (event_append(ctx->bot->store, 0, "content_add", ctx->actor, ctx->now, data,
                     &ctx->err) < 0)
        goto out;
    reply_text(ctx, _("content logged: \"%s\" %s%s%s%s; sales will see it in the digest"),
               a->argv[0], url, campaign ? _(" (campaign ") : "", campaign ? campaign : "",
               campaign ? ")" : "");
    rc = 0;
out:
    json_decref(data);
    free(url);
    return rc;
}

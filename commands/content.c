/* SPDX-License-Identifier: MIT */
/* content.c: `content add`, marketing's internal newsletter. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bot.h"
#include "clock.h"
#include "args.h"
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
    static const char *const fields[] = { "url", "campaign", "date", NULL };
    const char *vals[3] = { NULL, NULL, NULL }, *bad, *campaign, *url_arg;
    char *url = NULL, key[32], today[16];
    json_t *data = NULL;
    int64_t id, planned = 0;
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
        return reply_error(ctx, _("unknown field '%.*s'; content has url=, campaign= and date="),
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
    if (vals[2] != NULL) {
        int y, m, d;

        clock_format_date(ctx->now, today, sizeof(today));
        if (strlen(vals[2]) != 10 || clock_parse_date(vals[2], &y, &m, &d) < 0 ||
            strcmp(vals[2], today) <= 0)
            return reply_error(ctx, _("date= is the day planned content comes out, after today (%s), such as date=2026-12-10; without it the content is published now"),
                               today);
        planned = clock_from_local(y, m, d, 0, 0);
    }
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
    id = content_add(ctx->bot->store, a->argv[0], url, campaign, planned, ctx->actor,
                     ctx->now, &ctx->err);
    if (id < 0)
        goto out;
    data = json_pack("{s:I, s:s, s:s, s:s*, s:s*}", "content", (json_int_t)id,
                     "title", a->argv[0], "url", url, "campaign", campaign, "date", vals[2]);
    if (event_append(ctx->bot->store, 0, "content_add", ctx->actor, ctx->now, data,
                     &ctx->err) < 0)
        goto out;
    if (planned)
        reply_text(ctx, _("content planned: C-%lld \"%s\" %s%s%s%s for %s; it is on the content calendar (/smk content list planned)"),
                   (long long)id, a->argv[0], url, campaign ? _(" (campaign ") : "",
                   campaign ? campaign : "", campaign ? ")" : "", vals[2]);
    else
        reply_text(ctx, _("content logged: C-%lld \"%s\" %s%s%s%s; sales will see it in the digest"),
                   (long long)id, a->argv[0], url, campaign ? _(" (campaign ") : "",
                   campaign ? campaign : "", campaign ? ")" : "");
    rc = 0;
out:
    json_decref(data);
    free(url);
    return rc;
}

int
cmd_content_list(struct cmd_ctx *ctx, const struct args *a)
{
    const char *campaign = NULL;
    bool planned = false;
    struct strbuf out;
    char key[16];
    int n;

    for (int i = 0; i < a->argc; i++) {
        const char *v = args_kv(a, i, key, sizeof(key));

        if (v == NULL && strcmp(a->argv[i], "planned") == 0 && !planned)
            planned = true;
        else if (v != NULL && strcmp(key, "campaign") == 0 && campaign == NULL && v[0])
            campaign = v;
        else
            return cmd_usage_named(ctx, "content list");
    }
    strbuf_init(&out, 0);
    n = content_list_all(ctx->bot->store, ctx->now, campaign, planned, &out, &ctx->err);
    if (n == 0)
        reply_text(ctx, planned ? _("no content planned; plan some with /smk content add \"<title>\" url=<url> date=<day>")
                                : _("no content yet; log some with /smk content add \"<title>\" url=<url>"));
    else if (n > 0)
        reply_text(ctx, "%s", strbuf_str(&out));
    strbuf_release(&out);
    return n < 0 ? -1 : 0;
}

/* The piece named by ref (C-n), or the reply that there is none. */
static int
find_content(struct cmd_ctx *ctx, const char *ref, int64_t *id, char **title)
{
    int rc;

    *id = (ref[0] == 'C' || ref[0] == 'c') && ref[1] == '-' ? args_ref_id(ref, 'C') : 0;
    rc = *id > 0 ? content_find(ctx->bot->store, *id, title, &ctx->err) : 0;
    if (rc == 0)
        return reply_error(ctx, _("no content %.20s; see /smk content list"), ref);
    return rc;
}

int
cmd_content_rate(struct cmd_ctx *ctx, const struct args *a)
{
    const char *comment;
    char *title = NULL;
    json_t *data = NULL;
    int64_t id;
    int rating, rc = -1;

    if (find_content(ctx, a->argv[0], &id, &title) < 0 || cmd_rating(ctx, a->argv[1], &rating) < 0 ||
        cmd_note(ctx, a, 2, &comment) < 0)
        goto out;
    data = json_pack("{s:I, s:i, s:s*}", "content", (json_int_t)id, "rating", rating,
                     "comment", comment);
    if (data == NULL) {
        err_set(&ctx->err, _("out of memory"));
        goto out;
    }
    if (content_rate(ctx->bot->store, id, ctx->actor, rating, comment, ctx->now, &ctx->err) < 0 ||
        event_append(ctx->bot->store, 0, "content_rated", ctx->actor, ctx->now, data,
                     &ctx->err) < 0)
        goto out;
    reply_text(ctx, _("C-%lld \"%s\" rated %d/5; the digest shows what sales found most useful"),
               (long long)id, title, rating);
    rc = 0;
out:
    json_decref(data);
    free(title);
    return rc;
}

int
cmd_content_remove(struct cmd_ctx *ctx, const struct args *a)
{
    char *title = NULL;
    json_t *data = NULL;
    int64_t id;
    int rc = -1;

    if (find_content(ctx, a->argv[0], &id, &title) < 0)
        goto out;
    data = json_pack("{s:I, s:s}", "content", (json_int_t)id, "title", title);
    if (data == NULL) {
        err_set(&ctx->err, _("out of memory"));
        goto out;
    }
    if (content_remove(ctx->bot->store, id, ctx->now, &ctx->err) < 0 ||
        event_append(ctx->bot->store, 0, "content_remove", ctx->actor, ctx->now, data,
                     &ctx->err) < 0)
        goto out;
    reply_text(ctx, _("C-%lld \"%s\" removed"), (long long)id, title);
    rc = 0;
out:
    json_decref(data);
    free(title);
    return rc;
}

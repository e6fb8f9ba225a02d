/* SPDX-License-Identifier: MIT */
/* leads.c: `leads`: the leads, filtered or searched, newest first, one line
 * each, a page at a time; `more`: the speaker's next page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot.h"
#include "commands.h"
#include "format.h"
#include "i18n.h"
#include "lead.h"
#include "reply.h"
#include "store.h"

/* Enough for a screen; the rest is counted, and filters narrow it down. */
#define LEADS_MAX_LINES 20
/* More pages than any list has: catches a slipped digit. */
#define LEADS_MAX_PAGE 100000
#define LEADS_Q_MAX 200
/* Where `more` finds the speaker's last listing: the filters as typed
 * again, a tab, the page shown. */
#define LEADS_SETTING_LAST "leads.last:"

struct listing {
    struct lead_filter f;
    char *rep_key, *rep_name;   /* owned */
    int64_t page;
};

static void
listing_release(struct listing *l)
{
    free(l->rep_key);
    free(l->rep_name);
    memset(l, 0, sizeof(*l));
}

/* Fills l from the words of a. Returns 0 or -1 (replied). */
static int
parse_filters(struct cmd_ctx *ctx, const struct args *a, struct listing *l)
{
    struct lead_filter *f = &l->f;
    char key[32];

    l->page = 1;
    for (int i = 0; i < a->argc; i++) {
        const char *v = args_kv(a, i, key, sizeof(key)), *w = a->argv[i];

        if (v == NULL && strcasecmp(w, "mine") == 0) {
            f->me = ctx->msg->user_id;
            f->me_alt = ctx->msg->user_name;
        } else if (v == NULL && strcasecmp(w, "open") == 0) {
            f->open = true;
        } else if (v == NULL && strcasecmp(w, "overdue") == 0) {
            f->overdue = true;
        } else if (v && strcmp(key, "stage") == 0) {
            if ((f->stage = lead_stage_named(v)) == NULL)
                return reply_error(ctx, _("stage must be one of: mql handed_off sql recycled won lost"));
        } else if (v && strcmp(key, "source") == 0) {
            if (v[0] == '\0')
                return reply_error(ctx, _("source= needs a value, e.g. source=webinar"));
            f->source = v;
        } else if (v && strcmp(key, "q") == 0) {
            if (v[0] == '\0' || strlen(v) > LEADS_Q_MAX)
                return reply_error(ctx, _("q= takes 1 to %d characters of a name, company or email, e.g. q=acme"),
                                   LEADS_Q_MAX);
            f->q = v;
        } else if (v && strcmp(key, "page") == 0) {
            if (args_number(v, 1, LEADS_MAX_PAGE, &l->page) < 0)
                return reply_error(ctx, _("page must be a whole number from 1, e.g. page=2"));
        } else if (v && strcmp(key, "rep") == 0) {
            free(l->rep_key);
            free(l->rep_name);
            l->rep_name = NULL;
            if ((l->rep_key = args_user(v)) == NULL)
                return reply_error(ctx, _("rep= takes a user, e.g. rep=@bob"));
            l->rep_name = bot_user_name(ctx->bot, l->rep_key);
            f->rep = l->rep_key;
            f->rep_alt = l->rep_name;
        } else {
            return reply_error(ctx, _("unknown filter '%s'; use mine, open, overdue, stage=, source=, q=, page= or rep=@user"),
                               w);
        }
    }
    f->offset = (int)((l->page - 1) * LEADS_MAX_LINES);
    return 0;
}

/* key=value, quoted when the value has a space or a quote, so that the
 * words read back the same */
static void
put_kv(struct strbuf *sb, const char *key, const char *v)
{
    strbuf_printf(sb, "%s%s=", sb->len ? " " : "", key);
    if (v[strcspn(v, " \t\"\\")] == '\0') {
        strbuf_puts(sb, v);
        return;
    }
    strbuf_putc(sb, '"');
    for (; *v; v++) {
        if (*v == '"' || *v == '\\')
            strbuf_putc(sb, '\\');
        strbuf_putc(sb, *v);
    }
    strbuf_putc(sb, '"');
}

/* The filters of l as words /smk leads takes (no page=). */
static void
filter_words(const struct listing *l, struct strbuf *sb)
{
    const struct lead_filter *f = &l->f;

    if (f->me)
        strbuf_printf(sb, "%smine", sb->len ? " " : "");
    if (f->open)
        strbuf_printf(sb, "%sopen", sb->len ? " " : "");
    if (f->overdue)
        strbuf_printf(sb, "%soverdue", sb->len ? " " : "");
    if (f->stage)
        put_kv(sb, "stage", f->stage);
    if (f->source)
        put_kv(sb, "source", f->source);
    if (f->rep) {
        char at[300];

        snprintf(at, sizeof(at), "@%s", l->rep_name ? l->rep_name : l->rep_key);
        put_kv(sb, "rep", at);
    }
    if (f->q)
        put_kv(sb, "q", f->q);
}

static void
put_line(struct cmd_ctx *ctx, const struct lead *v, struct strbuf *line)
{
    struct bot *bot = ctx->bot;
    char title[800], sla[64], money[48];

    strbuf_reset(line);
    lead_title(v, title, sizeof(title));
    strbuf_printf(line, "%s [%s]", title, v->stage);
    if (v->owner) {
        char *name = bot_user_name(bot, v->owner);

        strbuf_printf(line, " @%s", name);
        free(name);
    }
    if (v->source)
        strbuf_printf(line, _(", source: %s"), v->source);
    if (strcmp(v->stage, STAGE_HANDED_OFF) == 0) {
        lead_sla_state(v, &bot->cfg.hours, ctx->now, sla, sizeof(sla));
        strbuf_printf(line, ", %s", sla);
    }
    if (v->amount >= 0) {
        format_money(v->amount, money, sizeof(money));
        strbuf_printf(line, ", %s", money);
    }
    reply_text(ctx, "%s", strbuf_str(line));
}

/* Shows the page of l and remembers it for `more`. */
static int
show(struct cmd_ctx *ctx, struct listing *l, bool filtered)
{
    struct bot *bot = ctx->bot;
    struct lead *v = NULL;
    struct strbuf line, words;
    int64_t total = 0, pages;
    char key[300];
    int n, rc = -1;

    strbuf_init(&line, 0);
    strbuf_init(&words, 0);
    filter_words(l, &words);
    n = lead_list(bot->store, &l->f, ctx->now, LEADS_MAX_LINES, &v, &total, &ctx->err);
    if (n < 0)
        goto out;
    if (n == 0 && l->page > 1) {
        struct lead_filter first = l->f;
        struct lead *w = NULL;
        int m;

        /* past the end: say how many pages there are */
        first.offset = 0;
        if ((m = lead_list(bot->store, &first, ctx->now, 1, &w, &total, &ctx->err)) < 0)
            goto out;
        for (int i = 0; i < m; i++)
            lead_release(&w[i]);
        free(w);
        pages = (total + LEADS_MAX_LINES - 1) / LEADS_MAX_LINES;
        if (total == 0)
            reply_text(ctx, _("no leads match"));
        else
            reply_text(ctx, P_("no page %lld; the last is page %lld (%lld lead matches)",
                               "no page %lld; the last is page %lld (%lld leads match)", total),
                       (long long)l->page, (long long)pages, (long long)total);
        rc = 0;
        goto out;
    }
    if (n == 0)
        reply_text(ctx, filtered ? _("no leads match")
                                 : _("no leads yet; add one with /smk lead add \"Jane Doe\""));
    for (int i = 0; i < n; i++)
        put_line(ctx, &v[i], &line);
    if (total > l->f.offset + n) {
        strbuf_reset(&line);
        strbuf_printf(&line, "/smk leads %s%spage=%lld", strbuf_str(&words),
                      words.len ? " " : "", (long long)l->page + 1);
        reply_text(ctx, _("... %lld more: %s (or /smk more)"),
                   (long long)(total - l->f.offset - n), strbuf_str(&line));
    }
    /* what `more` goes on from; a read-only command may keep this note */
    snprintf(key, sizeof(key), "%s%s", LEADS_SETTING_LAST, ctx->actor);
    strbuf_printf(&words, "\t%lld", (long long)l->page);
    if (store_set_setting(bot->store, key, strbuf_str(&words), &ctx->err) < 0)
        goto out;
    rc = 0;
out:
    for (int i = 0; i < n; i++)
        lead_release(&v[i]);
    free(v);
    strbuf_release(&line);
    strbuf_release(&words);
    return rc;
}

int
cmd_leads(struct cmd_ctx *ctx, const struct args *a)
{
    struct listing l = { 0 };
    int rc = -1;

    if (parse_filters(ctx, a, &l) == 0)
        rc = show(ctx, &l, a->argc > 0);
    listing_release(&l);
    return rc;
}

int
cmd_more(struct cmd_ctx *ctx, const struct args *unused)
{
    struct listing l = { 0 };
    struct args a = { 0 };
    struct err bad = { 0 };
    char key[300], *last, *tab;
    int64_t page;
    int rc = -1;

    (void)unused;
    snprintf(key, sizeof(key), "%s%s", LEADS_SETTING_LAST, ctx->actor);
    last = store_get_setting(ctx->bot->store, key);
    if (last == NULL || (tab = strrchr(last, '\t')) == NULL) {
        free(last);
        return reply_error(ctx, _("nothing to go on from; list leads first with /smk leads"));
    }
    *tab = '\0';
    if (args_number(tab + 1, 1, LEADS_MAX_PAGE - 1, &page) < 0 ||
        args_split(&a, last, &bad) < 0) {
        free(last);
        return reply_error(ctx, _("nothing to go on from; list leads first with /smk leads"));
    }
    if (parse_filters(ctx, &a, &l) == 0) {
        l.page = page + 1;
        l.f.offset = (int)((l.page - 1) * LEADS_MAX_LINES);
        rc = show(ctx, &l, a.argc > 0);
    }
    listing_release(&l);
    args_release(&a);
    free(last);
    return rc;
}

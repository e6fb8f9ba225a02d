/* SPDX-License-Identifier: MIT */
/* commands.c: the sorted command table and dispatch (lookup, arity,
 * permission, one transaction). Handlers never re-check what is here. */
#include "commands.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "bot.h"
#include "config.h"
#include "format.h"
#include "goal.h"
#include "i18n.h"
#include "lead.h"
#include "reply.h"
#include "stats.h"
#include "revisit.h"
#include "text.h"

#define ALL 0
#define MKT ROLE_MARKETING
#define SALES ROLE_SALES
#define MGR ROLE_MANAGERS

/* Sorted by name (a unit test checks it): cmd_lookup uses bsearch. */
const struct command commands[] = {
    { "accept", cmd_accept, N_("<lead> [note]"),
      N_("accept a handed-off lead: it becomes an SQL and marketing is told"),
      1, -1, SALES | MGR, N_("accept leads"), true },
    { "alignment", cmd_alignment, "",
      N_("how aligned sales and marketing are, with the evidence"),
      0, 0, ALL, NULL, false },
    { "campaign add", cmd_campaign_add,
      N_("\"<name>\" target=<customers>|revenue=<amount> period=<2027-Q1|2027-01|2027> [source=]"),
      N_("a campaign with a target in customers or revenue; campaign list works it back through the funnel into MQLs and SQLs"),
      3, 4, MKT | MGR, N_("plan campaigns"), true },
    { "campaign list", cmd_campaign_list, N_("[all]"),
      N_("the open campaigns (all: ended ones too), their progress and the MQLs and SQLs their targets need"),
      0, 1, ALL, NULL, false },
    { "content add", cmd_content_add, N_("\"<title>\" url=<url> [campaign=] [date=2026-12-10]"),
      N_("log content marketing published; sales sees it in the digest. A date after today plans it on the content calendar"),
      2, 4, MKT | MGR, N_("add content"), true },
    { "content list", cmd_content_list, N_("[campaign=] [planned]"),
      N_("the content, newest first, with sales' ratings; planned: the content calendar"),
      0, 2, ALL, NULL, false },
    { "content rate", cmd_content_rate, N_("<C-n> <1-5|good|bad> [comment]"),
      N_("say how useful a piece of content was to sales; your latest rating counts"),
      2, -1, SALES | MGR, N_("rate content"), true },
    { "content remove", cmd_content_remove, N_("<C-n>"),
      N_("remove a piece of content"),
      1, 1, MKT | MGR, N_("remove content"), true },
    { "digest", cmd_digest_preview, N_("[preview|post]"),
      N_("the weekly digest: preview it privately, or post it now (managers)"),
      0, 0, ALL, NULL, false },
    { "digest post", cmd_digest_post, N_("[--again]"),
      N_("post the weekly digest to the digest channel now (--again within an hour of the last post)"),
      0, 1, MGR, N_("post the digest"), true },
    { "digest preview", cmd_digest_preview, "",
      N_("the digest for the last 7 days, to you only"),
      0, 0, ALL, NULL, false },
    { "feedback", cmd_feedback, N_("<lead> <1-5|good|bad> [comment]"),
      N_("rate a lead's quality (good = 4, bad = 2); your latest rating counts"),
      2, -1, SALES | MGR, N_("give feedback"), true },
    { "followup", cmd_followup, N_("<lead> <1-5|good|bad> [comment]"),
      N_("rate how sales followed up a lead marketing handed off (good = 4, bad = 2); the rep is told"),
      2, -1, MKT | MGR, N_("rate follow-ups"), true },
    { "funnel", cmd_funnel, N_("[2026-11|2026-Q4|2026] [source=] [persona=] [by=source|persona]"),
      N_("leads at each stage by source, the conversion between stages and where each leaks, vs the period before"),
      0, 4, ALL, NULL, false },
    { "glossary", cmd_glossary, N_("[term]"),
      N_("the shared vocabulary, or one term's definition"),
      0, -1, ALL, NULL, false },
    { "glossary remove", cmd_glossary_remove, N_("<term>"),
      N_("remove a term from the glossary"),
      1, -1, MGR, N_("edit the glossary"), true },
    { "glossary set", cmd_glossary_set, N_("<term> \"<definition>\""),
      N_("define or redefine a term"),
      2, -1, MGR, N_("edit the glossary"), true },
    { "goal add", cmd_goal_add,
      N_("\"<title>\" metric=<mqls|sqls|won|revenue|handoffs|conversion> target=<n|+10%> period=<2026-Q1|2026-11|2026> [team=marketing|sales|both]"),
      N_("a shared goal (of both teams, or one); target=+10% is growth over the period before"),
      4, 5, MGR, N_("set goals"), true },
    { "goal list", cmd_goal_list, "",
      N_("each goal's progress and the pace needed to reach it"),
      0, 0, ALL, NULL, false },
    { "goal remove", cmd_goal_remove, N_("<G-n>"),
      N_("remove a goal"),
      1, 1, MGR, N_("remove goals"), true },
    { "handoff", cmd_handoff, N_("<lead> [@rep] [--force] [note]"),
      N_("hand a lead to a sales rep (round-robin when none is named); the response clock starts; a lead below the SLA's lead specification needs a manager's --force"),
      1, -1, MKT | MGR, N_("hand off leads"), true },
    { "help", cmd_help, N_("[command]"),
      N_("the list of commands, or one command's usage"),
      0, 2, ALL, NULL, false },
    { "lead add", cmd_lead_add,
      N_("\"<name>\" [company=] [email=] [source=] [score=0..100] [note=] [budget=] [authority=] [need=] [timing=] [bant=bnt] [persona=]"),
      N_("create a marketing-qualified lead (MQL); budget, authority, need and timing say why it qualified (bant= the letters confirmed)"),
      1, 13, MKT | MGR, N_("add leads"), true },
    { "lead edit", cmd_lead_edit, N_("<lead> key=value... (company, email, source, score, name, amount, budget, authority, need, timing, bant, persona)"),
      N_("change a lead's fields"),
      2, 13, MKT | MGR, N_("edit leads"), true },
    { "lead show", cmd_lead_show, N_("<lead>"),
      N_("a lead's fields, stage, owner, SLA state and timeline"),
      1, 1, ALL, NULL, false },
    { "leads", cmd_leads, N_("[mine] [open] [overdue] [stage=] [source=] [rep=@user] [q=text] [page=2]"),
      N_("leads, newest first, 20 a page; q= searches names, companies and emails"),
      0, 9, ALL, NULL, false },
    { "lost", cmd_lost, N_("<lead> <reason> [until=2027-02-01] [note]"),
      N_("close an SQL as lost; until= reminds marketing to look at it again on that date"),
      2, -1, SALES | MGR, N_("close leads"), true },
    { "meeting add", cmd_meeting_add,
      N_("\"<title>\" every=<weekly:mon|biweekly:mon|monthly:1|monthly:first-mon|quarterly:first-mon|every-6w:tue|every-26w:mon|once:2026-12-15> at=<HH:MM> [with=@bob,@alice] [channel=#c] [remind=15m]"),
      N_("an alignment meeting (recurring, or once:<date>) with reminders and an agenda"),
      3, 6, MGR, N_("schedule meetings"), true },
    { "meeting list", cmd_meeting_list, "",
      N_("the meetings and the next occurrence of each"),
      0, 0, ALL, NULL, false },
    { "meeting notes", cmd_meeting_notes, N_("<M-n> \"<text>\""),
      N_("after a meeting, post what came out of it; the digest shares it with both teams"),
      2, -1, MGR, N_("post meeting notes"), true },
    { "meeting remove", cmd_meeting_remove, N_("<M-n>"),
      N_("remove a meeting"),
      1, 1, MGR, N_("remove meetings"), true },
    { "meeting skip", cmd_meeting_skip, N_("<M-n> <date>"),
      N_("skip one occurrence of a meeting"),
      2, 2, MGR, N_("skip meetings"), true },
    { "meeting topic", cmd_meeting_topic, N_("<M-n> \"<text>\""),
      N_("put a topic on a meeting's next agenda"),
      2, -1, ALL, NULL, true },
    { "more", cmd_more, "",
      N_("the next page of your last /smk leads"),
      0, 0, ALL, NULL, false },
    { "persona add", cmd_persona_add, N_("\"<name>\" \"<description>\""),
      N_("a buyer persona both teams sell to; leads name it with persona="),
      2, -1, MKT | MGR, N_("define personas"), true },
    { "persona edit", cmd_persona_edit, N_("<P-n|name> \"<description>\" | name=\"<new name>\""),
      N_("change a persona's description, or rename it (its leads follow)"),
      2, -1, MKT | MGR, N_("define personas"), true },
    { "persona list", cmd_persona_list, "",
      N_("the buyer personas, their leads, and when they were last reviewed"),
      0, 0, ALL, NULL, false },
    { "persona remove", cmd_persona_remove, N_("<P-n|name>"),
      N_("remove a persona (its leads keep the name)"),
      1, 1, MKT | MGR, N_("define personas"), true },
    { "persona reviewed", cmd_persona_reviewed, N_("[note]"),
      N_("record that both teams reviewed the personas; the next reminder comes [schedule] persona_review_months later"),
      0, -1, MGR, N_("record persona reviews"), true },
    { "reasons", cmd_reasons, "",
      N_("the reason codes reject and lost take"),
      0, 0, ALL, NULL, false },
    { "reject", cmd_reject, N_("<lead> <reason> [until=2027-02-01] [note]"),
      N_("send a handed-off lead back to marketing with a reason; until= reminds marketing to re-qualify it on that date"),
      2, -1, SALES | MGR, N_("reject leads"), true },
    { "reopen", cmd_reopen, N_("<lead> [note]"),
      N_("undo a won or lost close made by mistake: the lead is an SQL again, the timeline records it and reports stop counting the close"),
      1, -1, MGR, N_("reopen leads"), true },
    { "sla", cmd_sla, "",
      N_("this month's SLA: MQLs vs target, response times, overdue leads"),
      0, 0, ALL, NULL, false },
    { "sla set", cmd_sla_set, N_("[response=4h] [mql=200]"),
      N_("change the SLA targets; the leads waiting for an answer get the new response deadline"),
      1, 2, MGR, N_("change the SLA"), true },
    { "won", cmd_won, N_("<lead> [amount] [note]"),
      N_("close an SQL as won; the channel celebrates. The amount reads 12000, 12,000.50 or 12k, with the sign of [bot] currency if one is set"),
      1, -1, SALES | MGR, N_("close leads"), true },
};
const size_t ncommands = sizeof(commands) / sizeof(commands[0]);

static int
cmp_name(const void *key, const void *elem)
{
    return strcmp(key, ((const struct command *)elem)->name);
}

/* Command names are lowercase ASCII; phones capitalise the first word. */
static void
lower_copy(char *dst, const char *src, size_t len)
{
    size_t i = 0;

    for (; src[i] && i + 1 < len; i++)
        dst[i] = (char)tolower((unsigned char)src[i]);
    dst[i] = '\0';
}

const struct command *
cmd_lookup(const struct args *a, int *nwords)
{
    const struct command *c;
    char word[64];

    if (a->argc == 0)
        return NULL;
    if (a->argc >= 2 && strlen(a->argv[0]) < 64 && strlen(a->argv[1]) < 64) {
        char two[140];

        snprintf(two, sizeof(two), "%s %s", a->argv[0], a->argv[1]);
        lower_copy(two, two, sizeof(two));
        c = bsearch(two, commands, ncommands, sizeof(commands[0]), cmp_name);
        if (c != NULL) {
            *nwords = 2;
            return c;
        }
    }
    *nwords = 1;
    if (strlen(a->argv[0]) >= sizeof(word))
        return NULL;
    lower_copy(word, a->argv[0], sizeof(word));
    return bsearch(word, commands, ncommands, sizeof(commands[0]), cmp_name);
}

/* Optimal string alignment distance, capped: enough for "did you mean". */
static int
edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    int d[24][24];

    if (la > 22 || lb > 22)
        return 99;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int cost = a[i - 1] != b[j - 1];
            int v = d[i - 1][j] + 1;

            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

/* The first word of the nearest command name, if it is near enough. */
static const char *
suggest(const char *word, char *buf, size_t len)
{
    int best = 3;
    const char *found = NULL;
    char lower[32];

    lower_copy(lower, word, sizeof(lower));

    for (size_t i = 0; i < ncommands; i++) {
        char first[32];
        size_t n = strcspn(commands[i].name, " ");
        int dist;

        if (n >= sizeof(first))
            continue;
        memcpy(first, commands[i].name, n);
        first[n] = '\0';
        dist = edit_distance(lower, first);
        if (dist < best && dist <= (int)strlen(first) / 2) {
            best = dist;
            snprintf(buf, len, "%s", first);
            found = buf;
        }
    }
    return found;
}

int
cmd_usage(struct cmd_ctx *ctx, const struct command *cmd)
{
    const char *u = cmd->usage[0] ? _(cmd->usage) : "";

    return reply_error(ctx, _("usage: /smk %s%s%s"), cmd->name, *u ? " " : "", u);
}

/* "lead" alone: the usages of "lead add", "lead edit", "lead show". */
static int
group_usage(struct cmd_ctx *ctx, const char *word)
{
    size_t n = strlen(word);
    int found = 0;

    for (size_t i = 0; i < ncommands; i++) {
        if (strncasecmp(commands[i].name, word, n) != 0 || commands[i].name[n] != ' ')
            continue;
        if (!found++)
            reply_text(ctx, _("usage:"));
        reply_text(ctx, "  /smk %s %s", commands[i].name, _(commands[i].usage));
    }
    return found ? -1 : 0;
}

bool
cmd_is_speaker(const struct cmd_ctx *ctx, const char *key)
{
    if (key == NULL)
        return false;
    return (ctx->msg->user_id && strcmp(ctx->msg->user_id, key) == 0) ||
           (ctx->msg->user_name && strcmp(ctx->msg->user_name, key) == 0);
}

bool
cmd_has_role(const struct cmd_ctx *ctx, unsigned mask)
{
    return config_has_role(&ctx->bot->cfg, mask, ctx->msg->user_id,
                           ctx->msg->user_name);
}

int
cmd_find_lead(struct cmd_ctx *ctx, const char *ref, struct lead *l)
{
    int rc = lead_find(ctx->bot->store, ref, l, &ctx->err);

    if (rc > 0)
        return 0;
    if (rc == 0)
        reply_error(ctx, _("no lead %s"), ref);
    return -1;
}

int
cmd_lead_can(struct cmd_ctx *ctx, const struct lead *l, const char *action)
{
    /* how each move reads in "only ... leads can be <done>" */
    static const struct {
        const char *action, *done;
    } verbs[] = {
        { "accept", N_("accepted") },
        { "handoff", N_("handed off") },
        { "lost", N_("closed as lost") },
        { "reject", N_("rejected") },
        { "reopen", N_("reopened") },
        { "won", N_("closed as won") },
    };
    const char *done = action;
    char from[128];

    if (lead_can(l->stage, action))
        return 0;
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
        if (strcmp(verbs[i].action, action) == 0)
            done = _(verbs[i].done);
    lead_stages_for(action, from, sizeof(from));
    return reply_error(ctx, _("L-%lld is %s; only %s leads can be %s"),
                       (long long)l->id, l->stage, from, done);
}

/* The polite answer to a button of a card whose lead moved on. */
static int
card_answered(struct cmd_ctx *ctx, const struct lead *l)
{
    struct lead_event ev;
    char *name = NULL;
    int rc = lead_last_answer(ctx->bot->store, l->id, &ev, &ctx->err);

    if (rc < 0)
        return -1;
    if (rc == 0) {
        reply_text(ctx, _("L-%lld is %s now; there is nothing to answer"),
                   (long long)l->id, l->stage);
        return 0;
    }
    name = bot_user_name(ctx->bot, ev.actor);
    if (strcmp(ev.kind, "accepted") == 0) {
        reply_text(ctx, _("L-%lld was already accepted by @%s"), (long long)l->id,
                   name);
    } else {
        json_t *data = json_loads(ev.data ? ev.data : "{}", 0, NULL);
        const char *reason = json_string_value(json_object_get(data, "reason"));

        reply_text(ctx, _("L-%lld was already rejected by @%s (%s)"),
                   (long long)l->id, name, reason ? reason : "-");
        json_decref(data);
    }
    free(name);
    lead_event_release(&ev);
    return 0;
}

int
cmd_answer_lead(struct cmd_ctx *ctx, const char *ref, const char *action,
                struct lead *l)
{
    char *owner;

    if (cmd_find_lead(ctx, ref, l) < 0)
        return -1;
    /* a second press is no failure: the first one did the work */
    if (ctx->msg->button && strcmp(l->stage, STAGE_HANDED_OFF) != 0)
        return card_answered(ctx, l);
    if (cmd_lead_can(ctx, l, action) < 0)
        return -1;
    if (cmd_is_speaker(ctx, l->owner) || cmd_has_role(ctx, ROLE_MANAGERS))
        return 1;
    owner = bot_user_name(ctx->bot, l->owner);
    if (strcmp(action, "accept") == 0)
        reply_error(ctx, _("only the assigned rep (@%s) or managers can accept L-%lld"),
                    owner, (long long)l->id);
    else
        reply_error(ctx, _("only the assigned rep (@%s) or managers can reject L-%lld"),
                    owner, (long long)l->id);
    free(owner);
    return -1;
}

void
cmd_reason_list(const struct config *cfg, struct strbuf *out)
{
    for (int i = 0; i < cfg->reasons.n; i++)
        strbuf_printf(out, "%s%s", i ? " " : "", cfg->reasons.v[i]);
}

int
cmd_reason(struct cmd_ctx *ctx, const char *reason, const char **code)
{
    const struct strlist *reasons = &ctx->bot->cfg.reasons;
    struct strbuf list;

    /* "Budget" from a phone is the code budget */
    for (int i = 0; i < reasons->n; i++)
        if (strcasecmp(reasons->v[i], reason) == 0) {
            *code = reasons->v[i];
            return 0;
        }
    *code = NULL;
    strbuf_init(&list, 0);
    cmd_reason_list(&ctx->bot->cfg, &list);
    reply_error(ctx, _("reason must be one of: %s"), strbuf_str(&list));
    strbuf_release(&list);
    return -1;
}

int
cmd_rating(struct cmd_ctx *ctx, const char *word, int *rating)
{
    if (word[0] >= '1' && word[0] <= '5' && word[1] == '\0')
        *rating = word[0] - '0';
    else if (strcasecmp(word, "good") == 0)
        *rating = 4;
    else if (strcasecmp(word, "bad") == 0)
        *rating = 2;
    else
        return reply_error(ctx, _("rating must be 1 to 5, good or bad"));
    return 0;
}

int
cmd_usage_named(struct cmd_ctx *ctx, const char *name)
{
    for (size_t i = 0; i < ncommands; i++)
        if (strcmp(commands[i].name, name) == 0)
            return cmd_usage(ctx, &commands[i]);
    return -1;
}

/* Why word (as lead_parse_money saw it) is no amount. Returns -1. */
static int
money_refusal(struct cmd_ctx *ctx, const char *word, enum lead_money why)
{
    const char *cur = ctx->bot->cfg.currency;
    char example[48];

    format_money_cur(1200000, cur, example, sizeof(example));
    if (why == LEAD_MONEY_NEGATIVE)
        return reply_error(ctx, _("'%s' is not an amount: an amount is more than zero"), word);
    if (why == LEAD_MONEY_SIGN && cur[0] != '\0')
        return reply_error(ctx, _("'%s': amounts here are in %s ([bot] currency); write it like 12000, %s or 12k"),
                           word, cur, example);
    if (why == LEAD_MONEY_SIGN)
        return reply_error(ctx, _("'%s': no currency is set ([bot] currency), so write the amount without a sign, like 12000, 12,000.50 or 12k"),
                           word);
    return reply_error(ctx, _("'%s' is not an amount; write it like 12000, 12,000.50 or 12k"), word);
}

int
cmd_money(struct cmd_ctx *ctx, const char *word, int64_t *cents)
{
    enum lead_money why = lead_parse_money(word, ctx->bot->cfg.currency, cents);

    return why == LEAD_MONEY_OK ? 0 : money_refusal(ctx, word, why);
}

/* Is word i there, unquoted, and amount-like? */
static bool
amount_like(const struct cmd_ctx *ctx, const struct args *a, int i)
{
    int64_t cents;

    return i < a->argc && !a->quoted[i] &&
           lead_parse_money(a->argv[i], ctx->bot->cfg.currency, &cents) != LEAD_MONEY_NONE;
}

int
cmd_amount(struct cmd_ctx *ctx, const char *name, const struct args *a, int i,
           int64_t *cents, int *next)
{
    const char *cur = ctx->bot->cfg.currency, *word;

    *next = i;
    if (i >= a->argc || a->quoted[i])
        return 0;
    word = a->argv[i];
    /* "USD 5000", "$ 5,000": the sign apart from the number */
    if ((lead_is_currency(word, cur) || lead_is_mark(word)) && amount_like(ctx, a, i + 1)) {
        if (!lead_is_currency(word, cur)) {
            char both[160];

            snprintf(both, sizeof(both), "%.60s %.60s", word, a->argv[i + 1]);
            money_refusal(ctx, both, LEAD_MONEY_SIGN);
            return cmd_usage_named(ctx, name);
        }
        word = a->argv[++i];
    } else if (!amount_like(ctx, a, i)) {
        return 0;
    }
    if (cmd_money(ctx, word, cents) < 0)
        return cmd_usage_named(ctx, name);
    i++;
    if (i < a->argc && !a->quoted[i] && lead_is_currency(a->argv[i], cur))
        i++;            /* "5000 USD" */
    *next = i;
    return 0;
}

int
cmd_until(struct cmd_ctx *ctx, const char *name, const struct args *a, int i,
          char day[11], int *next)
{
    char key[16], why[160];
    const char *v;

    day[0] = '\0';
    *next = i;
    for (int k = i; k < a->argc; k++) {
        if (a->quoted[k] || (v = args_kv(a, k, key, sizeof(key))) == NULL ||
            strcmp(key, "until") != 0)
            continue;
        if (k != i)
            return reply_error(ctx, _("until= comes right after the reason: /smk %s L-3 timing until=2027-02-01 [note]"),
                               name);
        if (revisit_parse(v, ctx->now, day, why, sizeof(why)) < 0)
            return reply_error(ctx, "%s", why);
        *next = i + 1;
    }
    return 0;
}

/* Is word a lead id written as one ("L-2", "l-2"), not a bare number? */
static bool
is_lead_ref(const char *word)
{
    return (word[0] == 'L' || word[0] == 'l') && word[1] == '-' &&
           args_ref_id(word, 'L') > 0;
}

int
cmd_note(struct cmd_ctx *ctx, const struct args *a, int i, const char **note)
{
    int refs = 0;

    *note = NULL;
    if (i >= a->argc)
        return 0;
    /* "accept L-1 L-2" means two leads, not L-1 with the note "L-2" */
    for (int k = i; k < a->argc; k++)
        refs += !a->quoted[k] && is_lead_ref(a->argv[k]);
    if (refs == a->argc - i)
        return reply_error(ctx, P_("'%s' is another lead, not a note: give one lead per command (or quote it to keep it as a note: \"%s\")",
                                   "'%s' are other leads, not a note: give one lead per command (or quote them to keep them as a note: \"%s\")",
                                   refs),
                           a->argv_eol[i], a->argv_eol[i]);
    if (text_utf8_len(a->argv_eol[i]) > CMD_NOTE_MAX)
        return reply_error(ctx, _("a note has at most %d characters"), CMD_NOTE_MAX);
    *note = a->argv_eol[i];
    return 0;
}

/* Counts a command's outcome for GET /metrics; returns rc. */
static int
counted(const struct command *cmd, const char *outcome, int rc)
{
    metric_inc(&stats_commands, cmd ? cmd->name : "unknown", outcome);
    return rc;
}

/* A goal the command just reached is celebrated in the digest channel,
 * once, in the command's own transaction. */
static void
celebrate_goals(struct cmd_ctx *ctx)
{
    struct strbuf post;

    strbuf_init(&post, 0);
    if (goal_celebrate(ctx->bot->store, ctx->now, ctx->bot->cfg.currency, &post, &ctx->err) > 0)
        post_channel(ctx->bot, ctx->now, reply_channel(ctx->bot, CHANNEL_DIGEST),
                     strbuf_str(&post), NULL, &ctx->err);
    strbuf_release(&post);
}

int
cmd_dispatch(struct cmd_ctx *ctx, struct args *a)
{
    const struct command *cmd;
    struct store *store = ctx->bot->store;
    int nwords, rc;

    if (a->argc == 0)
        return reply_error(ctx, _("say a command; try /smk help"));
    cmd = cmd_lookup(a, &nwords);
    if (cmd == NULL) {
        char buf[32];
        const char *near;

        if (group_usage(ctx, a->argv[0]) < 0)
            return counted(NULL, "refused", -1);
        near = suggest(a->argv[0], buf, sizeof(buf));
        counted(NULL, "refused", 0);
        if (near)
            return reply_error(ctx, _("unknown command '%.40s'; did you mean '%s'? try /smk help"),
                               a->argv[0], near);
        return reply_error(ctx, _("unknown command '%.40s'; try /smk help"), a->argv[0]);
    }
    args_shift(a, nwords);
    if (a->argc < cmd->min_args || (cmd->max_args >= 0 && a->argc > cmd->max_args))
        return counted(cmd, "refused", cmd_usage(ctx, cmd));
    if (cmd->perm && !cmd_has_role(ctx, cmd->perm)) {
        char roles[64];

        config_role_names(cmd->perm, roles, sizeof(roles));
        return counted(cmd, "refused", reply_error(ctx, _("only %s can %s"), roles,
                                                   _(cmd->perm_what)));
    }
    if (store_begin(store, &ctx->err) < 0)
        goto failed;
    rc = cmd->fn(ctx, a);
    if (rc == 0 && !ctx->err.set && cmd->writes)
        celebrate_goals(ctx);
    if (rc < 0 || ctx->err.set) {
        store_rollback(store);
        if (ctx->err.set)
            goto failed;
        return counted(cmd, "refused", -1);
    }
    if (store_commit(store, &ctx->err) < 0)
        goto failed;
    if (cmd->writes)
        bot_changed(ctx->bot);
    return counted(cmd, "ok", 0);
failed:
    log_err(&ctx->bot->log, "store", "%s: %s", cmd ? cmd->name : "-", ctx->err.msg);
    strbuf_reset(ctx->reply);
    counted(cmd, "error", 0);
    return reply_error(ctx, _("sorry, that could not be saved (%s); nothing was changed"),
                       ctx->err.msg);
}

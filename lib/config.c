/* SPDX-License-Identifier: MIT */
/* config.c: INI loading over inih, with typed checks and file:line errors. */
#include "config.h"
#include "qual.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "args.h"
#include "clock.h"
#include "i18n.h"
#include "log.h"

/* https, or plain http to this machine only (a fake, a local proxy):
 * a token must not cross a network in clear. */
static bool
secure_or_local(const char *url)
{
    const char *host;
    size_t n;

    if (strncmp(url, "https://", 8) == 0)
        return true;
    host = url + 7;
    n = strcspn(host, ":/");
    return (n == 9 && strncmp(host, "localhost", 9) == 0) ||
           (n >= 4 && strncmp(host, "127.", 4) == 0) ||
           strncmp(host, "[::1]", 5) == 0;
}

#define K(sec, key, field, def, env, help) \
    { sec, key, def, env, help, offsetof(struct config, field) }

const struct config_key config_keys[] = {
    K("bot", "platform", platform, "console", NULL,
      "console | slack | mattermost"),
    K("bot", "database", database, "smarkbot.db", NULL,
      "SQLite file (created if missing)"),
    K("bot", "timezone", timezone, "UTC", NULL,
      "IANA time zone of the team, e.g. America/Sao_Paulo"),
    K("bot", "log_level", log_level, "info", NULL, "error | warn | info | debug"),
    K("bot", "log_format", log_format, "logfmt", NULL,
      "logfmt (ts=... level=info msg=\"...\") | json (one object a line)"),
    K("bot", "log_file", log_file, "", NULL,
      "file the log is appended to, relative to the config file; SIGHUP reopens it; "
      "empty = standard error"),
    K("bot", "currency", currency, "", NULL,
      "sign of deal amounts, e.g. $, € or USD: accepted in `won` and shown with amounts (empty = none)"),
    K("http", "listen", http_listen, "", NULL,
      "the one HTTP listener (IPv4 host:port, e.g. 127.0.0.1:8066); empty = off"),
    K("http", "public_url", http_public_url, "", NULL,
      "how the chat server reaches the listener, e.g. http://bot.internal:8066; "
      "empty = http://<listen>"),
    K("slack", "app_token", slack_app_token, "", "SMARKBOT_SLACK_APP_TOKEN",
      "xapp-... app-level token (Socket Mode)"),
    K("slack", "bot_token", slack_bot_token, "", "SMARKBOT_SLACK_BOT_TOKEN",
      "xoxb-... bot token (Web API)"),
    K("slack", "api_url", slack_api_url, "https://slack.com/api/", NULL,
      "base of every Web API call, apps.connections.open included"),
    K("mattermost", "url", mm_url, "", NULL,
      "base of REST and of /api/v4/websocket, e.g. https://chat.example.com"),
    K("mattermost", "token", mm_token, "", "SMARKBOT_MATTERMOST_TOKEN",
      "bot access token"),
    K("mattermost", "team", mm_team, "", NULL, "team name"),
    K("mattermost", "command_token", mm_command_token, "",
      "SMARKBOT_MATTERMOST_COMMAND_TOKEN",
      "the slash command's token, checked on every request; empty = slash commands off"),
    K("mattermost", "action_secret", mm_action_secret, "",
      "SMARKBOT_MATTERMOST_ACTION_SECRET",
      "secret in every button's context, checked on every click; empty = cards without buttons"),
    K("channels", "marketing", ch_marketing, "marketing", NULL,
      "new-SQL and reject alerts"),
    K("channels", "sales", ch_sales, "sales", NULL,
      "handoffs (optional, empty = off) and escalations"),
    K("channels", "digest", ch_digest, "smarketing", NULL,
      "digest, monthly SLA report, celebrations"),
    K("roles", "marketing", roles_marketing, "", NULL,
      "user ids or names, comma-separated"),
    K("roles", "sales", roles_sales, "", NULL,
      "user ids or names; handoffs go round-robin over them"),
    K("roles", "managers", roles_managers, "", NULL,
      "user ids or names"),
    K("sla", "response", sla_response, "4h", NULL,
      "time sales has to accept or reject a handoff, in business hours"),
    K("sla", "mql_monthly_target", sla_mql_target, "200", NULL,
      "MQLs marketing delivers each month"),
    K("sla", "hours", sla_hours, "mon-fri 09:00-18:00", NULL,
      "business hours the SLA clocks count"),
    K("sla", "holidays", sla_holidays, "", NULL,
      "dates the clocks skip, e.g. 2026-12-25, 2027-01-01"),
    K("sla", "reasons", sla_reasons,
      "budget authority need timing contact duplicate competitor other", NULL,
      "reject reason codes"),
    K("sla", "handoff_min_score", sla_handoff_min_score, "0", NULL,
      "lowest score a lead may be handed off with (0 = any); managers may force"),
    K("sla", "handoff_requires", sla_handoff_requires, "", NULL,
      "fields a lead needs before a handoff: email company source score budget authority need timing persona"),
    K("schedule", "digest", sched_digest, "mon 09:00", NULL,
      "weekly digest to the digest channel"),
    K("schedule", "feedback_nudge", sched_feedback_nudge, "fri 15:00", NULL,
      "weekly DM to reps about leads without feedback"),
    K("schedule", "monthly_report", sched_monthly_report, "09:00", NULL,
      "time of the SLA report on the first business day of a month"),
    K("http", "leads_secret", leads_secret, "", "SMARKBOT_LEADS_SECRET",
      "bearer secret of POST /leads (web forms, marketing automation); empty = the route is off"),
    K("webhook", "url", webhook_url, "", NULL,
      "every lead event is POSTed there as signed JSON; empty = off"),
    K("webhook", "secret", webhook_secret, "", "SMARKBOT_WEBHOOK_SECRET",
      "key of the X-Smarkbot-Signature HMAC-SHA256 (required with url)"),
    K("crm", "kind", crm_kind, "none", NULL,
      "none (the bot's own store only) | hubspot"),
    K("crm", "url", crm_url, "https://api.hubapi.com", NULL, "base of the CRM's API"),
    K("crm", "api", crm_api, "v3", NULL,
      "HubSpot's path version: v3 (/crm/v3/objects/...) or a dated one such as objects/2026-03"),
    K("crm", "token", crm_token, "", "SMARKBOT_CRM_TOKEN", "HubSpot private-app token"),
    K("crm", "poll_interval", crm_poll_interval, "1m", NULL,
      "how often to look for new MQL contacts (at least 10s)"),
    K("crm", "owners", crm_owners, "", NULL,
      "chat user to HubSpot owner id, e.g. bob:7001, dave:7002"),
    K("crm", "won_stage", crm_won_stage, "customer", NULL,
      "lifecyclestage a won lead's contact gets (empty = none)"),
    K("crm", "reject_status", crm_reject_status, "UNQUALIFIED", NULL,
      "hs_lead_status a rejected lead's contact gets, with a note of the reason"),
    K("crm", "lost_status", crm_lost_status, "UNQUALIFIED", NULL,
      "hs_lead_status a lost lead's contact gets, with a note of the reason (empty = a note only)"),
    K("schedule", "persona_review_months", sched_persona_review, "6", NULL,
      "months between reviews of the buyer personas the managers are reminded of (0 = never)"),
};
const size_t config_nkeys = sizeof(config_keys) / sizeof(config_keys[0]);

#undef K

static char **
field(struct config *cfg, const struct config_key *k)
{
    return (char **)(void *)((char *)cfg + k->offset);
}

/* Errors kept for the report; a file with more has a deeper problem. */
#define CONFIG_MAX_PROBLEMS 16

struct problem {
    int line;                   /* 0 = not on a line of the file */
    char msg[400];
};

struct load_state {
    struct config *cfg;
    FILE *fp;
    int line;                   /* line being parsed, counted by the reader */
    int lines[64];              /* line of each key, 0 = not in the file */
    struct err *err;
    struct problem problems[CONFIG_MAX_PROBLEMS];
    int nproblems, dropped;
};

/* inih reads through this so the handler knows the current line number. */
static void fail_at(struct load_state *ls, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* inih reads through this so the handler knows the current line number.
 * It also spots a line that is no key = value, no [section] and no
 * comment: inih reports only the first such line. */
static char *
read_line(char *str, int num, void *stream)
{
    struct load_state *ls = stream;
    char *r = fgets(str, num, ls->fp);
    const char *p = r;

    if (r == NULL)
        return r;
    ls->line++;
    if (ls->line == 1 && strncmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    /* an indented line continues the value above it */
    if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n' && *p != '\0' &&
        *p != ';' && *p != '#' && *p != '[' && strpbrk(p, "=:") == NULL)
        fail_at(ls, ls->line, _("syntax error (expected key = value or [section])"));
    return r;
}

/* Every problem is kept, so that one run of --check-config names them all;
 * report_problems() puts them into err in line order. */
static void
fail_at(struct load_state *ls, int line, const char *fmt, ...)
{
    struct problem *p;
    va_list ap;

    if (ls->nproblems == CONFIG_MAX_PROBLEMS) {
        ls->dropped++;
        return;
    }
    p = &ls->problems[ls->nproblems++];
    p->line = line;
    va_start(ap, fmt);
    vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
    va_end(ap);
}

static bool
problem_at(const struct load_state *ls, int line)
{
    for (int i = 0; i < ls->nproblems; i++)
        if (ls->problems[i].line == line)
            return true;
    return false;
}

static int
cmp_problem(const void *a, const void *b)
{
    const struct problem *x = a, *y = b;

    /* those of no line (a missing key) after the file's */
    if ((x->line == 0) != (y->line == 0))
        return x->line == 0 ? 1 : -1;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return 0;
}

/* err gets "file:3: ...", one line each, in line order. */
static void
report_problems(struct load_state *ls)
{
    const char *path = ls->cfg->path ? ls->cfg->path : "config";
    char all[sizeof(ls->err->msg)];
    size_t n = 0;

    if (ls->nproblems == 0)
        return;
    /* an insertion sort is stable: one line's problems stay in the order
     * found */
    for (int i = 1; i < ls->nproblems; i++)
        for (int j = i; j > 0 && cmp_problem(&ls->problems[j - 1], &ls->problems[j]) > 0; j--) {
            struct problem t = ls->problems[j];

            ls->problems[j] = ls->problems[j - 1];
            ls->problems[j - 1] = t;
        }
    all[0] = '\0';
    for (int i = 0; i < ls->nproblems && n < sizeof(all); i++) {
        const struct problem *p = &ls->problems[i];

        if (p->line > 0)
            n += (size_t)snprintf(all + n, sizeof(all) - n, "%s%s:%d: %s", i ? "\n" : "",
                                  path, p->line, p->msg);
        else
            n += (size_t)snprintf(all + n, sizeof(all) - n, "%s%s: %s", i ? "\n" : "",
                                  path, p->msg);
    }
    if (ls->dropped && n < sizeof(all))
        snprintf(all + n, sizeof(all) - n, "\n%s", _("(and more; fix these first)"));
    err_set(ls->err, "%s", all);
}

static int
on_key(void *user, const char *section, const char *name, const char *value)
{
    struct load_state *ls = user;
    bool known_section = false;

    for (size_t i = 0; i < config_nkeys; i++) {
        const struct config_key *k = &config_keys[i];
        char **f;

        if (strcmp(k->section, section) != 0)
            continue;
        known_section = true;
        if (strcmp(k->key, name) != 0)
            continue;
        if (ls->lines[i] != 0) {
            fail_at(ls, ls->line, _("duplicate key '%s' (first set on another line)"),
                    name);
            return 0;
        }
        f = field(ls->cfg, k);
        free(*f);
        *f = strdup(value);
        ls->lines[i] = ls->line;
        return 1;
    }
    if (!known_section)
        fail_at(ls, ls->line, _("unknown section [%s]"), section);
    else
        fail_at(ls, ls->line, _("unknown key '%s' in [%s]"), name, section);
    return 0;
}

static int
key_line(const struct load_state *ls, const char *section, const char *key)
{
    for (size_t i = 0; i < config_nkeys; i++)
        if (strcmp(config_keys[i].section, section) == 0 &&
            strcmp(config_keys[i].key, key) == 0)
            return ls->lines[i];
    return 0;
}

int
strlist_split(struct strlist *l, const char *s)
{
    const char *p = s;

    memset(l, 0, sizeof(*l));
    while (*p) {
        size_t n;
        char **v;

        p += strspn(p, ", \t");
        n = strcspn(p, ", \t");
        if (n == 0)
            break;
        v = realloc(l->v, sizeof(char *) * (size_t)(l->n + 1));
        if (v == NULL)
            return -1;
        l->v = v;
        if ((l->v[l->n] = strndup(p, n)) == NULL)
            return -1;
        l->n++;
        p += n;
    }
    return 0;
}

bool
strlist_has(const struct strlist *l, const char *v)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->v[i], v) == 0)
            return true;
    return false;
}

void
strlist_add(struct strlist *l, const char *v)
{
    char **nv = realloc(l->v, sizeof(char *) * (size_t)(l->n + 1));

    if (nv == NULL)
        return;
    l->v = nv;
    if ((l->v[l->n] = strdup(v)) != NULL)
        l->n++;
}

void
strlist_del(struct strlist *l, const char *v)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->v[i], v) == 0) {
            free(l->v[i]);
            l->v[i] = l->v[--l->n];
            return;
        }
}

void
strlist_release(struct strlist *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof(*l));
}

static int
parse_weekly(const char *s, struct weekly_at *w)
{
    char day[16];
    const char *sp = strchr(s, ' ');

    if (sp == NULL || (size_t)(sp - s) >= sizeof(day))
        return -1;
    memcpy(day, s, (size_t)(sp - s));
    day[sp - s] = '\0';
    w->wday = bizhours_parse_wday(day);
    return w->wday < 0 ? -1 : clock_parse_hhmm(sp + strspn(sp, " "), &w->hour, &w->min);
}

static bool
is_http_url(const char *u)
{
    return strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0;
}

/* [webhook] and [crm]: never a secret in a message, only where it is missing. */
static void
check_integrations(struct load_state *ls)
{
    struct config *c = ls->cfg;

#define LINE(sec, key) key_line(ls, sec, key)
    if (c->webhook_url[0] && !is_http_url(c->webhook_url))
        fail_at(ls, LINE("webhook", "url"),
                _("[webhook] url must start with https:// or http://, not '%s'"), c->webhook_url);
    if (c->webhook_url[0] && c->webhook_secret[0] == '\0')
        fail_at(ls, LINE("webhook", "url"),
                _("[webhook] secret (or SMARKBOT_WEBHOOK_SECRET) is required with a url: receivers check the signature"));
    if (strcmp(c->crm_kind, "none") != 0 && strcmp(c->crm_kind, "hubspot") != 0)
        fail_at(ls, LINE("crm", "kind"), _("[crm] kind must be none or hubspot, not '%s'"),
                c->crm_kind);
    if (clock_parse_duration(c->crm_poll_interval, &c->crm_poll_secs) < 0 ||
        c->crm_poll_secs < 10)
        fail_at(ls, LINE("crm", "poll_interval"),
                _("poll_interval must be a duration of at least 10s, such as 1m or 5m, not '%s'"),
                c->crm_poll_interval);
    if (strlist_split(&c->crm_owner_map, c->crm_owners) < 0)
        fail_at(ls, LINE("crm", "owners"), _("out of memory"));
    for (int i = 0; i < c->crm_owner_map.n; i++) {
        const char *o = c->crm_owner_map.v[i], *colon = strchr(o, ':');

        if (colon == NULL || colon == o || colon[1] == '\0' ||
            strspn(colon + 1, "0123456789") != strlen(colon + 1))
            fail_at(ls, LINE("crm", "owners"),
                    _("owners takes user:owner_id pairs such as bob:7001, not '%s'"), o);
    }
    if (strcmp(c->crm_kind, "hubspot") != 0)
        return;
    if (!is_http_url(c->crm_url))
        fail_at(ls, LINE("crm", "url"),
                _("[crm] url must start with https:// or http://, not '%s'"), c->crm_url);
    if (c->crm_api[0] == '\0' || c->crm_api[0] == '/' || strpbrk(c->crm_api, " ?#") != NULL)
        fail_at(ls, LINE("crm", "api"),
                _("[crm] api must be a path version such as v3 or objects/2026-03, not '%s'"),
                c->crm_api);
    if (c->crm_token[0] == '\0')
        fail_at(ls, LINE("crm", "token"),
                _("[crm] token (or SMARKBOT_CRM_TOKEN) is required with kind = hubspot"));
#undef LINE
}

/* Turns the raw strings into typed values; every failure names its line. */
static void
check_values(struct load_state *ls)
{
    struct config *c = ls->cfg;
    struct err sub = { 0 };
    int64_t n = 0;
    int lvl, port;
    char host[64];

#define LINE(sec, key) key_line(ls, sec, key)
    if (strcmp(c->platform, "console") != 0 && strcmp(c->platform, "slack") != 0 &&
        strcmp(c->platform, "mattermost") != 0)
        fail_at(ls, LINE("bot", "platform"),
                _("platform must be console, slack or mattermost, not '%s'"),
                c->platform);
    if (c->database[0] == '\0')
        fail_at(ls, LINE("bot", "database"), _("database must not be empty"));
    if (clock_set_timezone(c->timezone, &sub) < 0)
        fail_at(ls, LINE("bot", "timezone"),
                _("unknown time zone '%s' (expected an IANA name such as Europe/Warsaw)"),
                c->timezone);
    if ((lvl = log_level_parse(c->log_level)) < 0)
        fail_at(ls, LINE("bot", "log_level"),
                _("log_level must be error, warn, info or debug, not '%s'"),
                c->log_level);
    c->level = lvl;
    if ((lvl = log_format_parse(c->log_format)) < 0)
        fail_at(ls, LINE("bot", "log_format"),
                _("log_format must be logfmt or json, not '%s'"), c->log_format);
    c->log_fmt = lvl < 0 ? 0 : lvl;
    if (strlen(c->currency) > 8 || strpbrk(c->currency, "0123456789.,+- \t") != NULL)
        fail_at(ls, LINE("bot", "currency"),
                _("currency must be a sign or code of at most 8 characters without digits or spaces, such as $, € or USD, not '%s'"),
                c->currency);
    if (args_number(c->sla_mql_target, 0, 1000000000, &n) < 0)
        fail_at(ls, LINE("sla", "mql_monthly_target"),
                _("mql_monthly_target must be a whole number, not '%s'"),
                c->sla_mql_target);
    c->mql_target = (int)n;
    err_clear(&sub);
    if (bizhours_parse(&c->hours, c->sla_hours, &sub) < 0)
        fail_at(ls, LINE("sla", "hours"), "%s", sub.msg);
    err_clear(&sub);
    if (bizhours_parse_holidays(&c->hours, c->sla_holidays, &sub) < 0)
        fail_at(ls, LINE("sla", "holidays"), "%s", sub.msg);
    /* after [sla] hours: "2d" is two business days */
    if (bizhours_parse_duration(&c->hours, c->sla_response, &c->response_secs) < 0)
        fail_at(ls, LINE("sla", "response"),
                _("response must be a duration such as 4h, 90m or 2d (business days), not '%s'"),
                c->sla_response);
    if (strlist_split(&c->reasons, c->sla_reasons) < 0 || c->reasons.n == 0)
        fail_at(ls, LINE("sla", "reasons"), _("reasons must list at least one code"));
    if (args_number(c->sla_handoff_min_score, 0, 100, &n) < 0)
        fail_at(ls, LINE("sla", "handoff_min_score"),
                _("handoff_min_score must be a whole number from 0 to 100, not '%s'"),
                c->sla_handoff_min_score);
    c->handoff_min_score = (int)n;
    if (strlist_split(&c->handoff_requires, c->sla_handoff_requires) < 0)
        fail_at(ls, LINE("sla", "handoff_requires"), _("out of memory"));
    for (int i = 0; i < c->handoff_requires.n; i++)
        if (!qual_field_valid(c->handoff_requires.v[i]))
            fail_at(ls, LINE("sla", "handoff_requires"),
                    _("handoff_requires names '%s'; it takes: email company source score budget authority need timing persona"),
                    c->handoff_requires.v[i]);
    if (parse_weekly(c->sched_digest, &c->digest_at) < 0)
        fail_at(ls, LINE("schedule", "digest"),
                _("digest must be a day and a time such as 'mon 09:00', not '%s'"),
                c->sched_digest);
    if (parse_weekly(c->sched_feedback_nudge, &c->nudge_at) < 0)
        fail_at(ls, LINE("schedule", "feedback_nudge"),
                _("feedback_nudge must be a day and a time such as 'fri 15:00', not '%s'"),
                c->sched_feedback_nudge);
    if (clock_parse_hhmm(c->sched_monthly_report, &c->monthly_hour,
                         &c->monthly_min) < 0)
        fail_at(ls, LINE("schedule", "monthly_report"),
                _("monthly_report must be a time such as 09:00, not '%s'"),
                c->sched_monthly_report);
    if (args_number(c->sched_persona_review, 0, 60, &n) < 0)
        fail_at(ls, LINE("schedule", "persona_review_months"),
                _("persona_review_months must be a whole number of months from 0 to 60, not '%s'"),
                c->sched_persona_review);
    c->persona_review_months = (int)n;
    err_clear(&sub);
    if (c->http_listen[0] != '\0' &&
        config_parse_listen(c->http_listen, host, sizeof(host), &port, &sub) < 0)
        fail_at(ls, LINE("http", "listen"), "%s", sub.msg);
    if (c->ch_marketing[0] == '\0')
        fail_at(ls, LINE("channels", "marketing"),
                _("the marketing channel must be set"));
    if (c->ch_digest[0] == '\0')
        fail_at(ls, LINE("channels", "digest"), _("the digest channel must be set"));
    strlist_split(&c->marketing, c->roles_marketing);
    strlist_split(&c->sales, c->roles_sales);
    strlist_split(&c->managers, c->roles_managers);

    if (strcmp(c->platform, "slack") == 0) {
        if (strncmp(c->slack_app_token, "xapp-", 5) != 0)
            fail_at(ls, LINE("slack", "app_token"),
                    _("[slack] app_token (or SMARKBOT_SLACK_APP_TOKEN) must be an xapp- token"));
        if (strncmp(c->slack_bot_token, "xoxb-", 5) != 0)
            fail_at(ls, LINE("slack", "bot_token"),
                    _("[slack] bot_token (or SMARKBOT_SLACK_BOT_TOKEN) must be an xoxb- token"));
        if (strncmp(c->slack_api_url, "https://", 8) != 0 &&
            strncmp(c->slack_api_url, "http://", 7) != 0)
            fail_at(ls, LINE("slack", "api_url"),
                    _("api_url must start with https:// or http://, not '%s'"),
                    c->slack_api_url);
        else if (!secure_or_local(c->slack_api_url))
            fail_at(ls, LINE("slack", "api_url"),
                    _("api_url '%s' would send the tokens in clear: use https:// (http:// only to this machine)"),
                    c->slack_api_url);
    }
    if (strcmp(c->platform, "mattermost") == 0) {
        if (c->http_public_url[0] != '\0' && strncmp(c->http_public_url, "https://", 8) != 0 &&
            strncmp(c->http_public_url, "http://", 7) != 0)
            fail_at(ls, LINE("http", "public_url"),
                    _("[http] public_url must start with https:// or http://, not '%s'"),
                    c->http_public_url);
        if (strncmp(c->mm_url, "https://", 8) != 0 && strncmp(c->mm_url, "http://", 7) != 0)
            fail_at(ls, LINE("mattermost", "url"),
                    _("[mattermost] url must start with https:// or http://, not '%s'"),
                    c->mm_url);
        else if (!secure_or_local(c->mm_url))
            fail_at(ls, LINE("mattermost", "url"),
                    _("[mattermost] url '%s' would send the token in clear: use https:// (http:// only to this machine)"),
                    c->mm_url);
        if (c->mm_token[0] == '\0')
            fail_at(ls, LINE("mattermost", "token"),
                    _("[mattermost] token (or SMARKBOT_MATTERMOST_TOKEN) is required"));
        if (c->mm_team[0] == '\0')
            fail_at(ls, LINE("mattermost", "team"),
                    _("[mattermost] team (the team's name, for channels given by name) is required"));
    }
    check_integrations(ls);
#undef LINE
}

int
config_parse_listen(const char *addr, char *host, size_t hostlen, int *port,
                    struct err *err)
{
    const char *colon = strrchr(addr, ':');
    struct in_addr in;
    int64_t n;
    size_t hl;

    if (addr[0] == '[' || (colon && memchr(addr, ':', (size_t)(colon - addr)))) {
        err_set(err, _("listen '%s': IPv6 is not supported, use an IPv4 host:port such as 127.0.0.1:8066"),
                addr);
        return -1;
    }
    if (colon == NULL || colon == addr || colon[1] == '\0') {
        err_set(err, _("listen '%s' is not host:port (such as 127.0.0.1:8066)"), addr);
        return -1;
    }
    if (args_number(colon + 1, 0, 65535, &n) < 0) {
        err_set(err, _("listen '%s': the port must be a number from 0 to 65535"), addr);
        return -1;
    }
    hl = (size_t)(colon - addr);
    if (hl >= hostlen) {
        err_set(err, _("listen '%s': the host is too long"), addr);
        return -1;
    }
    memcpy(host, addr, hl);
    host[hl] = '\0';
    if (strcmp(host, "localhost") == 0)
        snprintf(host, hostlen, "127.0.0.1");
    if (inet_pton(AF_INET, host, &in) != 1) {
        err_set(err, _("listen '%s': the host must be an IPv4 address such as 127.0.0.1"),
                addr);
        return -1;
    }
    *port = (int)n;
    return 0;
}

/* A relative database (or log file) path is relative to the config file,
 * so the bot finds the same data whatever directory it is started from. */
static void
resolve_database(struct config *cfg, char **file)
{
    const char *slash;
    char *full;
    size_t dirlen;

    if (cfg->path == NULL || (*file)[0] == '/' || (*file)[0] == '\0' ||
        strcmp(*file, ":memory:") == 0 ||
        (slash = strrchr(cfg->path, '/')) == NULL)
        return;
    dirlen = (size_t)(slash - cfg->path);
    full = malloc(dirlen + strlen(*file) + 2);
    if (full == NULL)
        return;
    sprintf(full, "%.*s/%s", (int)dirlen, cfg->path, *file);
    free(*file);
    *file = full;
}

static int
load(struct config *cfg, const char *path, bool ready, struct err *err)
{
    struct load_state ls;
    int rc;

    memset(cfg, 0, sizeof(*cfg));
    memset(&ls, 0, sizeof(ls));
    ls.cfg = cfg;
    ls.err = err;
    for (size_t i = 0; i < config_nkeys; i++)
        *field(cfg, &config_keys[i]) = strdup(config_keys[i].def);
    if (path != NULL) {
        cfg->path = strdup(path);
        if ((ls.fp = fopen(path, "r")) == NULL) {
            err_set(err, _("cannot open config '%s': %m"), path);
            return -1;
        }
        rc = ini_parse_stream(read_line, &ls, on_key, &ls);
        fclose(ls.fp);
        /* inih names only its first error line; read_line found the rest */
        if (rc > 0 && !problem_at(&ls, rc))
            fail_at(&ls, rc, _("syntax error (expected key = value or [section])"));
    }
    for (size_t i = 0; i < config_nkeys; i++) {
        const char *v = config_keys[i].env ? getenv(config_keys[i].env) : NULL;

        if (v != NULL && *v != '\0') {
            char **f = field(cfg, &config_keys[i]);

            free(*f);
            *f = strdup(v);
        }
    }
    resolve_database(cfg, &cfg->database);
    resolve_database(cfg, &cfg->log_file);
    check_values(&ls);
    if (ready && cfg->sales.n == 0)
        fail_at(&ls, key_line(&ls, "roles", "sales"),
                _("[roles] sales names no one; handoffs need at least one sales rep, e.g. sales = bob, dave"));
    report_problems(&ls);
    return err->set ? -1 : 0;
}

int
config_load(struct config *cfg, const char *path, struct err *err)
{
    return load(cfg, path, false, err);
}

int
config_load_ready(struct config *cfg, const char *path, struct err *err)
{
    return load(cfg, path, true, err);
}

void
config_release(struct config *cfg)
{
    for (size_t i = 0; i < config_nkeys; i++)
        free(*field(cfg, &config_keys[i]));
    free(cfg->path);
    strlist_release(&cfg->marketing);
    strlist_release(&cfg->sales);
    strlist_release(&cfg->managers);
    strlist_release(&cfg->reasons);
    strlist_release(&cfg->handoff_requires);
    strlist_release(&cfg->crm_owner_map);
    memset(cfg, 0, sizeof(*cfg));
}

static bool
in_list(const struct strlist *l, const char *id, const char *name)
{
    for (int i = 0; i < l->n; i++)
        if ((id && strcmp(l->v[i], id) == 0) ||
            (name && strcmp(l->v[i], name) == 0))
            return true;
    return false;
}

int
config_has_role(const struct config *cfg, unsigned mask, const char *id,
                const char *name)
{
    return ((mask & ROLE_MARKETING) && in_list(&cfg->marketing, id, name)) ||
           ((mask & ROLE_SALES) && in_list(&cfg->sales, id, name)) ||
           ((mask & ROLE_MANAGERS) && in_list(&cfg->managers, id, name));
}

void
config_role_names(unsigned mask, char *buf, size_t len)
{
    const char *names[3];
    int n = 0;

    if (mask & ROLE_MARKETING)
        names[n++] = _("marketing");
    if (mask & ROLE_SALES)
        names[n++] = _("sales");
    if (mask & ROLE_MANAGERS)
        names[n++] = _("managers");
    if (n == 1)
        snprintf(buf, len, "%s", names[0]);
    else if (n == 2)
        snprintf(buf, len, _("%s or %s"), names[0], names[1]);
    else if (n == 3)
        snprintf(buf, len, _("%s, %s or %s"), names[0], names[1], names[2]);
    else
        snprintf(buf, len, "-");
}

int
config_is_reason(const struct config *cfg, const char *reason)
{
    for (int i = 0; i < cfg->reasons.n; i++)
        if (strcmp(cfg->reasons.v[i], reason) == 0)
            return 1;
    return 0;
}

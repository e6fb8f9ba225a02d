/* SPDX-License-Identifier: MIT */
/* reload.c: SIGHUP (see reload.h). The running config is changed in
 * place, one field at a time, because the adapters keep pointers to the
 * values a reload may not touch (tokens, URLs). */
#include "reload.h"

#include <stdlib.h>
#include <string.h>

#include "bot.h"
#include "sla.h"
#include "stats.h"
#include "strbuf.h"

/* What may change under a running bot: who holds which role, where posts
 * go, the SLA and the schedule (the scheduler rebuilds its jobs), the log.
 * The platform, database, time zone (every stored deadline was computed in
 * it), listener and credentials need a restart. */
static bool
reloadable(const struct config_key *k)
{
    static const char *const sections[] = { "roles", "channels", "sla", "schedule" };
    static const char *const bot_keys[] = { "log_level", "log_format", "log_file", "currency" };

    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
        if (strcmp(k->section, sections[i]) == 0)
            return true;
    if (strcmp(k->section, "bot") == 0)
        for (size_t i = 0; i < sizeof(bot_keys) / sizeof(bot_keys[0]); i++)
            if (strcmp(k->key, bot_keys[i]) == 0)
                return true;
    return false;
}

static char **
raw(struct config *c, const struct config_key *k)
{
    return (char **)(void *)((char *)c + k->offset);
}

#define SWAP(a, b)                                              \
    do {                                                        \
        __typeof__(a) tmp_ = (a);                               \
        (a) = (b);                                              \
        (b) = tmp_;                                             \
    } while (0)

/* The parsed values of the reloadable keys, from fresh into cur (and the
 * old ones into fresh, to be freed with it). */
static void
swap_parsed(struct config *cur, struct config *fresh)
{
    SWAP(cur->level, fresh->level);
    SWAP(cur->log_fmt, fresh->log_fmt);
    SWAP(cur->response_secs, fresh->response_secs);
    SWAP(cur->mql_target, fresh->mql_target);
    SWAP(cur->hours, fresh->hours);
    SWAP(cur->marketing, fresh->marketing);
    SWAP(cur->sales, fresh->sales);
    SWAP(cur->managers, fresh->managers);
    SWAP(cur->reasons, fresh->reasons);
    SWAP(cur->handoff_min_score, fresh->handoff_min_score);
    SWAP(cur->handoff_requires, fresh->handoff_requires);
    SWAP(cur->digest_at, fresh->digest_at);
    SWAP(cur->nudge_at, fresh->nudge_at);
    SWAP(cur->monthly_hour, fresh->monthly_hour);
    SWAP(cur->monthly_min, fresh->monthly_min);
}

/* `sla set` keeps its values in the database, where they win over the
 * file: a change of the file's value then does nothing, and is said. */
static const char *
set_in_chat(struct bot *bot, const struct config_key *k)
{
    const char *setting = NULL;
    char *v;

    if (strcmp(k->section, "sla") == 0 && strcmp(k->key, "response") == 0)
        setting = SLA_SETTING_RESPONSE;
    else if (strcmp(k->section, "sla") == 0 && strcmp(k->key, "mql_monthly_target") == 0)
        setting = SLA_SETTING_MQL;
    if (setting == NULL || (v = store_get_setting(bot->store, setting)) == NULL)
        return NULL;
    free(v);
    return setting;
}

static void
log_lines(struct bot *bot, const char *head, const char *text)
{
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");

        log_err(&bot->log, "reload", "%s%.*s", head, (int)n, p);
        p += n + (p[n] == '\n');
    }
}

void
reload_run(struct bot *bot)
{
    struct config *cur = &bot->cfg, fresh;
    struct err err = { 0 };
    struct strbuf applied, later, shadowed;
    bool log_moved = false;

    if (log_reopen(&bot->log, &err) < 0) {
        log_err(&bot->log, "reload", "SIGHUP: %s; the log goes on in the old file", err.msg);
        memset(&err, 0, sizeof(err));
    }
    if (cur->path == NULL) {
        log_warn(&bot->log, "reload", "SIGHUP: log reopened; no config file to read again");
        return;
    }
    if (config_load(&fresh, cur->path, &err) < 0) {
        /* reading it set the process's time zone: the running one stays */
        clock_set_timezone(cur->timezone, NULL);
        log_lines(bot, "SIGHUP: nothing reloaded, the config has an error: ", err.msg);
        metric_inc(&stats_reloads, "error", NULL);
        config_release(&fresh);
        return;
    }
    clock_set_timezone(cur->timezone, NULL);
    strbuf_init(&applied, 0);
    strbuf_init(&later, 0);
    strbuf_init(&shadowed, 0);
    for (size_t i = 0; i < config_nkeys; i++) {
        const struct config_key *k = &config_keys[i];
        char **a = raw(cur, k), **b = raw(&fresh, k);

        if (strcmp(*a, *b) == 0)
            continue;
        if (!reloadable(k)) {
            strbuf_printf(&later, "%s[%s] %s", later.len ? ", " : "", k->section, k->key);
            continue;
        }
        strbuf_printf(&applied, "%s[%s] %s", applied.len ? ", " : "", k->section, k->key);
        if (set_in_chat(bot, k))
            strbuf_printf(&shadowed, "%s[%s] %s", shadowed.len ? ", " : "", k->section, k->key);
        log_moved |= strcmp(k->key, "log_file") == 0 && strcmp(k->section, "bot") == 0;
        SWAP(*a, *b);
    }
    swap_parsed(cur, &fresh);
    if (log_moved && log_open(&bot->log, cur->log_file, &err) < 0) {
        log_err(&bot->log, "reload", "SIGHUP: %s; the log goes on where it was", err.msg);
        SWAP(cur->log_file, fresh.log_file);
    }
    bot->log.level = (enum log_level)cur->level;
    bot->log.format = (enum log_format)cur->log_fmt;
    if (applied.len)
        log_info(&bot->log, "reload", "SIGHUP: config reloaded: %s", strbuf_str(&applied));
    else
        log_info(&bot->log, "reload", "SIGHUP: config read again, nothing to change");
    if (later.len)
        log_warn(&bot->log, "reload", "SIGHUP: not reloaded, a restart applies them: %s",
                 strbuf_str(&later));
    if (shadowed.len)
        log_warn(&bot->log, "reload", "SIGHUP: %s changed in the file, but `sla set` set "
                 "them in chat and that value stays (sla set again to change it)",
                 strbuf_str(&shadowed));
    strbuf_release(&applied);
    strbuf_release(&later);
    strbuf_release(&shadowed);
    config_release(&fresh);
    metric_inc(&stats_reloads, "ok", NULL);
    /* new roles, SLA or schedule: the scheduler plans its jobs again */
    bot_changed(bot);
}

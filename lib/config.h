/* SPDX-License-Identifier: MIT */
/* config.h: the INI configuration, described by one table of keys. */
#ifndef SMK_CONFIG_H
#define SMK_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "bizhours.h"
#include "err.h"

struct strlist {
    int n;
    char **v;           /* owned */
};

/* A weekly time: "mon 09:00". */
struct weekly_at {
    int wday;           /* 0 = Sunday */
    int hour, min;
};

enum role {
    ROLE_MARKETING = 1 << 0,
    ROLE_SALES = 1 << 1,
    ROLE_MANAGERS = 1 << 2,
};

struct config {
    char *path;                 /* the file read, or NULL for defaults */

    /* raw values, owned; every one set (default or file or environment) */
    char *platform, *database, *timezone, *log_level;
    char *log_format, *log_file;    /* "" = standard error */
    char *currency;             /* "" = amounts without a sign */
    char *http_listen;          /* "" = no listener */
    char *slack_app_token, *slack_bot_token, *slack_api_url;
    char *http_public_url;      /* "" = http://<http_listen> */
    char *mm_url, *mm_token, *mm_team, *mm_command_token, *mm_action_secret;
    char *ch_marketing, *ch_sales, *ch_digest;
    char *roles_marketing, *roles_sales, *roles_managers;
    char *sla_response, *sla_mql_target, *sla_hours, *sla_holidays,
        *sla_reasons, *sla_handoff_min_score, *sla_handoff_requires;
    char *sched_digest, *sched_feedback_nudge, *sched_monthly_report;
    char *leads_secret;         /* POST /leads; "" = the route is off */
    char *webhook_url, *webhook_secret;     /* "" = no webhook */
    char *crm_kind, *crm_url, *crm_api, *crm_token, *crm_poll_interval,
        *crm_owners, *crm_won_stage, *crm_reject_status, *crm_lost_status;
    char *sched_persona_review;

    /* parsed by config_load() */
    int level;
    int log_fmt;                /* enum log_format */
    int64_t response_secs;      /* business seconds to answer a handoff */
    int mql_target;
    struct bizhours hours;
    struct strlist marketing, sales, managers, reasons;
    int handoff_min_score;      /* 0 = any score */
    struct strlist handoff_requires;    /* field names (qual_field_valid) */
    struct weekly_at digest_at, nudge_at;
    int monthly_hour, monthly_min;
    int64_t crm_poll_secs;
    struct strlist crm_owner_map;   /* "bob:7001" each, checked */
    int persona_review_months;  /* 0 = no review reminder */
};

/* One key of the table, for --help, the example file and tests. */
struct config_key {
    const char *section;
    const char *key;
    const char *def;
    const char *env;            /* environment variable that wins, or NULL */
    const char *help;
    size_t offset;
};

extern const struct config_key config_keys[];
extern const size_t config_nkeys;

/* Loads defaults, then path (if not NULL), then the environment, and
 * checks every value. Errors are "file:line: what is wrong" in err, every
 * one found, a line each, in line order (those of no line last). Returns
 * 0 or -1; config_release() is safe either way. */
int config_load(struct config *cfg, const char *path, struct err *err);
/* config_load, and what a running team needs besides valid values: a user
 * in [roles] sales (--check-config). */
int config_load_ready(struct config *cfg, const char *path, struct err *err);
void config_release(struct config *cfg);

/* Is user (by platform id or by name) in any of the roles of mask? */
int config_has_role(const struct config *cfg, unsigned mask, const char *id,
                    const char *name);
/* "marketing or managers": the roles of mask, for messages. */
void config_role_names(unsigned mask, char *buf, size_t len);
/* Is reason one of [sla] reasons? */
int config_is_reason(const struct config *cfg, const char *reason);

/* Checks a listen address, "host:port" with an IPv4 host (or localhost,
 * given back as 127.0.0.1) and a port 0-65535 (0: the system picks one),
 * and splits it into host (hostlen bytes) and port. IPv6 is refused with
 * its own message. Returns 0 or -1 with err. */
int config_parse_listen(const char *addr, char *host, size_t hostlen, int *port,
                        struct err *err);

/* Splits "a, b c" on commas and spaces into a list (owned). */
int strlist_split(struct strlist *l, const char *s);
void strlist_release(struct strlist *l);
/* Is v in l? */
bool strlist_has(const struct strlist *l, const char *v);
/* Adds a copy of v (nothing on out of memory: a set of hints). */
void strlist_add(struct strlist *l, const char *v);
/* Removes the first v. */
void strlist_del(struct strlist *l, const char *v);

#endif

/* SPDX-License-Identifier: MIT */
/* sla.c: SLA targets in force. */
#include "sla.h"

#include <stdio.h>
#include <stdlib.h>

static int64_t
setting_int(struct store *s, const char *key, int64_t fallback)
{
    char *v = store_get_setting(s, key), *end = NULL;
    long long n;

    if (v == NULL)
        return fallback;
    n = strtoll(v, &end, 10);
    if (end == v || *end != '\0' || n <= 0)
        n = fallback;
    free(v);
    return n;
}

static int
set_int(struct store *s, const char *key, int64_t v, struct err *err)
{
    char buf[32];

    snprintf(buf, sizeof(buf), "%lld", (long long)v);
    return store_set_setting(s, key, buf, err);
}

int64_t
sla_response_secs(struct store *s, const struct config *cfg)
{
    return setting_int(s, SLA_SETTING_RESPONSE, cfg->response_secs);
}

int64_t
sla_mql_target(struct store *s, const struct config *cfg)
{
    return setting_int(s, SLA_SETTING_MQL, cfg->mql_target);
}

int
sla_set_response_secs(struct store *s, int64_t secs, struct err *err)
{
    return set_int(s, SLA_SETTING_RESPONSE, secs, err);
}

int
sla_set_mql_target(struct store *s, int64_t target, struct err *err)
{
    return set_int(s, SLA_SETTING_MQL, target, err);
}

int64_t
sla_point(struct store *s, const struct config *cfg, int64_t handed_off_at,
          int percent)
{
    return bizhours_add(&cfg->hours, handed_off_at,
                        sla_response_secs(s, cfg) * percent / 100);
}

int64_t
sla_window(struct store *s, const struct config *cfg, int64_t handed_off_at,
           int64_t due_at)
{
    if (due_at <= 0)
        return sla_response_secs(s, cfg);
    return bizhours_between(&cfg->hours, handed_off_at, due_at);
}

/* SPDX-License-Identifier: MIT */
/* sla.h: the SLA targets in force: [sla] in the config, overridden by
 * `sla set` (kept in the settings table so a restart keeps them). */
#ifndef SMK_SLA_H
#define SMK_SLA_H

#include <stdint.h>

#include "config.h"
#include "err.h"
#include "store.h"

#define SLA_SETTING_RESPONSE "sla.response_secs"
#define SLA_SETTING_MQL "sla.mql_monthly_target"

/* Business seconds sales has to answer a handoff. */
int64_t sla_response_secs(struct store *s, const struct config *cfg);
/* MQLs marketing owes each month. */
int64_t sla_mql_target(struct store *s, const struct config *cfg);
/* Overrides a target; -1 with err on a database error. */
int sla_set_response_secs(struct store *s, int64_t secs, struct err *err);
int sla_set_mql_target(struct store *s, int64_t target, struct err *err);

/* The response deadline of a handoff made at handed_off_at, and the times
 * of its reminder (50%), breach (100%) and escalation (200%): percent of
 * the response window, counted in business hours. */
int64_t sla_point(struct store *s, const struct config *cfg,
                  int64_t handed_off_at, int percent);
/* The business seconds a handoff has to be answered in: from its own
 * deadline (which `sla set` recomputes; 0 for none), so reminders,
 * `lead show` and the agenda read the same deadline. */
int64_t sla_window(struct store *s, const struct config *cfg,
                   int64_t handed_off_at, int64_t due_at);

#endif

/* SPDX-License-Identifier: MIT */
/* event.h: the append-only events table, source of timelines and reports. */
#ifndef SMK_EVENT_H
#define SMK_EVENT_H

#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "store.h"

/* Appends an event. lead is 0 for events about no lead (sla_set, goal_add
 * ...). data is a JSON object or NULL; it is borrowed (not stolen). */
int event_append(struct store *s, int64_t lead, const char *kind,
                 const char *actor, int64_t at, json_t *data, struct err *err);

/* Called by event_append for every event of a store after it is written,
 * in the same transaction: what it queues (a webhook, a CRM push) commits
 * or rolls back with the change. id is the event's row id. Returns 0, or
 * -1 with err, which fails the append. */
typedef int (*event_hook_fn)(void *ud, struct store *s, int64_t id, int64_t lead,
                             const char *kind, const char *actor, int64_t at,
                             json_t *data, struct err *err);

/* Adds a hook for the events of s (at most EVENT_MAX_HOOKS in all);
 * removes every hook with ud. 0, or -1 when the table is full. */
#define EVENT_MAX_HOOKS 8
int event_hook_add(struct store *s, event_hook_fn fn, void *ud);
void event_hook_remove(void *ud);

/* SQL condition on the event aliased e: it still counts. A won or lost
 * close undone by `reopen` (a reopened event of its lead after it) no
 * longer does; every other event always does. Reports that count closes
 * put it in their WHERE. */
#define EVENT_STANDS(e)                                                     \
    "(" e ".kind NOT IN ('won', 'lost') OR NOT EXISTS (SELECT 1 FROM events" \
    " reo WHERE reo.lead = " e ".lead AND reo.kind = 'reopened'"             \
    " AND reo.id > " e ".id))"

#endif

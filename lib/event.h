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

/* SQL condition on the event aliased e: it still counts. A won or lost
 * close undone by `reopen` (a reopened event of its lead after it) no
 * longer does; every other event always does. Reports that count closes
 * put it in their WHERE. */
#define EVENT_STANDS(e)                                                     \
    "(" e ".kind NOT IN ('won', 'lost') OR NOT EXISTS (SELECT 1 FROM events" \
    " reo WHERE reo.lead = " e ".lead AND reo.kind = 'reopened'"             \
    " AND reo.id > " e ".id))"

#endif

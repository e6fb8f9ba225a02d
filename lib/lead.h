/* SPDX-License-Identifier: MIT */
/* lead.h: leads, their stages and the moves between them. */
#ifndef SMK_LEAD_H
#define SMK_LEAD_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "store.h"

/* Stage names as stored. */
#define STAGE_MQL "mql"
#define STAGE_HANDED_OFF "handed_off"
#define STAGE_SQL "sql"
#define STAGE_RECYCLED "recycled"
#define STAGE_WON "won"
#define STAGE_LOST "lost"

struct lead {
    int64_t id;
    char *name, *company, *email, *source, *note, *stage, *owner, *created_by,
        *reason;
    int score;                  /* -1 = not set */
    int64_t created_at, handed_off_at, due_at, responded_at, closed_at;
    int64_t amount;             /* cents; -1 = not set */
};

void lead_release(struct lead *l);

/* Finds a lead by "L-3", "l-3", "3" or its email into l (owned fields).
 * Returns 1 found, 0 not found, -1 error. */
int lead_find(struct store *s, const char *ref, struct lead *l,
              struct err *err);

/* Inserts l (id, stage and times are filled in). Returns the id or -1. */
int64_t lead_insert(struct store *s, struct lead *l, struct err *err);

/* Writes every field of l back. */
int lead_update(struct store *s, const struct lead *l, struct err *err);

/* Id of the lead with this email (case-insensitive), 0 if none, -1 error. */
int64_t lead_id_by_email(struct store *s, const char *email, struct err *err);

/* Is the move from stage `from` by `action` (handoff, accept, reject, won,
 * lost) legal? */
bool lead_can(const char *from, const char *action);

#endif

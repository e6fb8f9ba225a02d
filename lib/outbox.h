/* SPDX-License-Identifier: MIT */
/* outbox.h: every post the bot makes, written in the same transaction as the
 * change that caused it and kept until the platform took it. Rows say where
 * they go in platform-neutral terms; bot/deliver.c sends them. */
#ifndef SMK_OUTBOX_H
#define SMK_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "store.h"

/* Kinds of rows, the same on every platform. */
#define OUTBOX_CHANNEL "channel"        /* channel: a name or platform id */
#define OUTBOX_DM "dm"                  /* user: a user key (id or name) */
#define OUTBOX_EPHEMERAL "ephemeral"    /* channel + user: seen by user only */
#define OUTBOX_RESPONSE "response"      /* url: a platform's response URL */
#define OUTBOX_UPDATE "update"          /* update_of: the post to replace */
/* Rows of the backends, each sent by an engine of its own. */
#define OUTBOX_WEBHOOK "webhook"        /* channel: the lead ("L-3"); text: the body */
#define OUTBOX_CRM "crm"                /* channel: the CRM's contact id */

/* The kinds a chat platform sends (an engine's default). */
extern const char *const outbox_chat_kinds[];

/* Where a row goes; pointers are borrowed. */
struct outbox_dest {
    const char *kind;
    const char *channel, *user, *url;
    int64_t update_of;
};

struct outbox_row {
    int64_t id;
    char *kind, *channel, *user, *url, *text, *card, *ref;
    int64_t update_of;
    int attempts;
    int parts;                  /* parts of a long post already sent */
    int64_t created_at;
    bool in_doubt;              /* the next part was being sent when the
                                 * bot stopped: it may have arrived */
};

/* Queues a post; card is JSON text (buttons) or NULL. Returns the new id,
 * or -1. */
int64_t outbox_add(struct store *s, int64_t now, const struct outbox_dest *to,
                   const char *text, const char *card, struct err *err);

/* Up to max pending rows of the kinds of the NULL-ended list kinds (NULL =
 * outbox_chat_kinds) in id order: the max / 2 oldest and the first of
 * every other destination, into rows (owned fields: release each
 * with outbox_row_release). Returns how many, or -1. */
int outbox_pending(struct store *s, const char *const *kinds,
                   struct outbox_row *rows, int max, struct err *err);
/* Row id into row, whatever its state. Returns 1, 0 (no such row) or -1. */
int outbox_get(struct store *s, int64_t id, struct outbox_row *row,
               struct err *err);
/* Its state ("pending", "sent", "failed") into state (len bytes), or "". */
int outbox_state(struct store *s, int64_t id, char *state, size_t len);
/* Due time of the next pending row; 0 when none. */
int64_t outbox_next_due(struct store *s);
/* Calls fn for each kind with pending rows: how many, and the created_at
 * of the oldest (for GET /metrics). 0, or -1 with err. */
int outbox_depth(struct store *s,
                 void (*fn)(void *ud, const char *kind, int64_t pending, int64_t oldest),
                 void *ud, struct err *err);
void outbox_row_release(struct outbox_row *row);

/* Records that parts of a long post went out, with its platform id. */
int outbox_progress(struct store *s, int64_t id, int parts, const char *ref,
                    struct err *err);
/* Notes that a part of the row is on its way (cleared by every outcome
 * below): found set at the next start, it means "it may have arrived". */
int outbox_sending(struct store *s, int64_t id, struct err *err);
/* Marks a row sent, with the platform's id of the message (may be NULL). */
int outbox_sent(struct store *s, int64_t id, const char *ref, struct err *err);
/* Puts a row back for a retry at next_at, noting why. */
int outbox_retry(struct store *s, int64_t id, int64_t next_at,
                 const char *why, struct err *err);
/* Gives up on a row for good (a permanent error), noting why. */
int outbox_failed(struct store *s, int64_t id, const char *why,
                  struct err *err);

/* Was a card with buttons for lead_ref ("L-3") ever queued? 1, 0 or -1. */
int outbox_has_card(struct store *s, const char *lead_ref, struct err *err);

/* Outbox id of the newest card with buttons for lead_ref, 0 if none, -1. */
int64_t outbox_last_card(struct store *s, const char *lead_ref,
                         struct err *err);

#endif

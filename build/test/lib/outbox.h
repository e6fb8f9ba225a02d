/* SPDX-License-Identifier: MIT */
/* outbox.h: every post the bot makes, written in the same transaction as the
 * change that caused it and kept until the platform took it. */
#ifndef SMK_OUTBOX_H
#define SMK_OUTBOX_H

#include <stdint.h>

#include "err.h"
#include "store.h"

/* Kinds of outbox rows: target is a channel (name or platform id), a user
 * key for a DM, or for an update the outbox id of the post to change. */
#define OUTBOX_CHANNEL "channel"
#define OUTBOX_DM "dm"
#define OUTBOX_UPDATE "update"

struct outbox_row {
    int64_t id;
    char *kind, *target, *text, *card, *ref;
    int attempts;
    int64_t created_at;
};

/* Queues a post; card is JSON text (buttons) or NULL. Returns the new id,
 * or -1. */
int64_t outbox_add(struct store *s, int64_t now, const char *kind,
                   const char *target, const char *text, const char *card,
                   struct err *err);

/* The oldest pending row due at now, into row (owned fields: release with
 * outbox_row_release). Returns 1 found, 0 none, -1 error. */
int outbox_next(struct store *s, int64_t now, struct outbox_row *row,
                struct err *err);
/* Due time of the next pending row; 0 when none. */
int64_t outbox_next_due(struct store *s);
void outbox_row_release(struct outbox_row *row);

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

/* SPDX-License-Identifier: MIT */
/* reply.h: the reply path. A handler's private reply is built in memory and
 * handed to the adapter when the command returns; posts to channels and DMs
 * go into the outbox, in the command's transaction. */
#ifndef SMK_REPLY_H
#define SMK_REPLY_H

#include <stdint.h>

#include "commands.h"

struct bot;

/* Channels by purpose ([channels] keys). */
enum channel_purpose { CHANNEL_MARKETING, CHANNEL_SALES, CHANNEL_DIGEST };

/* Appends a line (or several) to the private reply. */
void reply_text(struct cmd_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends a refusal to the private reply; returns -1 for `return`. */
int reply_error(struct cmd_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The configured channel for a purpose; "" when it is switched off. */
const char *reply_channel(const struct bot *bot, enum channel_purpose p);

/* Queues a post to a channel (name or platform id) or a DM to a user key.
 * card is JSON text describing buttons, or NULL. Returns the outbox id, or
 * -1 with err. Nothing is sent before the transaction commits. */
int64_t post_channel(struct bot *bot, int64_t now, const char *channel,
                     const char *text, const char *card, struct err *err);
int64_t post_dm(struct bot *bot, int64_t now, const char *user,
                const char *text, const char *card, struct err *err);

/* Replaces the newest card with buttons of lead_id by text, buttons gone:
 * an OUTBOX_UPDATE row whose target is that card's outbox id, so adapters
 * edit the message in place. Returns the new id, 0 when the lead never had
 * a card, or -1 with err. */
int64_t post_card_update(struct bot *bot, int64_t now, int64_t lead_id,
                         const char *text, struct err *err);

/* The handoff card's buttons for lead id: {"lead":"L-3","actions":[...]}.
 * Owned by the caller. */
char *reply_card_lead(int64_t lead_id);

#endif

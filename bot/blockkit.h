/* SPDX-License-Identifier: MIT */
/* blockkit.h: Slack message bodies (Block Kit with a plain-text fallback)
 * built from the bot's plain text and card descriptions, within Slack's
 * size limits. Pure functions: no network, no database. */
#ifndef SMK_BLOCKKIT_H
#define SMK_BLOCKKIT_H

#include <stddef.h>

#include <jansson.h>

#include "config.h"
#include "strbuf.h"
#include "text.h"

/* Slack's limits, and ours under them. */
#define BK_SECTION_MAX 3000     /* chars in a section's text */
#define BK_BLOCKS_MAX 50        /* blocks in a message */
#define BK_PART_MAX 12000       /* bytes of our text in one message */
#define BK_ACK_MAX 16000        /* bytes of a whole ack frame (Slack drops
                                 * acks of 20 KB and more) */

/* Appends text with Slack's escaping of & < > to out. */
void blockkit_escape(const char *text, size_t len, struct strbuf *out);
/* Undoes Slack's escaping (&amp; &lt; &gt;) of what people typed. The
 * result is owned by the caller. */
char *blockkit_unescape(const char *text);

/* {"text": fallback, "blocks": [sections..., actions]} for text (at most
 * BK_PART_MAX bytes: longer text is cut) and an optional card
 * {"lead":"L-3","actions":["accept","reject"]}. New reference. */
json_t *blockkit_message(const char *text, const char *card);

/* The ack payload of a slash command's reply: the first part of reply as
 * an ephemeral message, small enough that the whole ack
 * {"envelope_id":..., "payload":...} stays within BK_ACK_MAX. When reply
 * needs more, *rest gets every part (rest[0] is the one in the ack) and
 * *nrest their number, else NULL and 0; free with blockkit_parts_free.
 * New reference. */
json_t *blockkit_ack_payload(const char *envelope_id, const char *reply,
                             size_t max_parts, char ***rest, size_t *nrest);

/* The reject-reason modal for lead: a select of reasons and a note.
 * metadata comes back in view_submission. New reference. */
json_t *blockkit_reject_modal(const char *lead, const struct strlist *reasons,
                              const char *metadata);

#endif

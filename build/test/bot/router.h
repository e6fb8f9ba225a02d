/* SPDX-License-Identifier: MIT */
/* router.h: from a chat message to a command. */
#ifndef SMK_ROUTER_H
#define SMK_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "platform.h"
#include "strbuf.h"

struct bot;

/* Longest command text accepted, in bytes. */
#define ROUTER_MAX_TEXT 4000

/* Checks msg (size, UTF-8, control characters), turns "/feedback L-3 good"
 * into "feedback L-3 good", splits it and dispatches. The private reply is
 * appended to reply. Returns 0 when the command ran, -1 when refused. */
int router_handle(struct bot *bot, const struct chat_msg *msg,
                  struct strbuf *reply);

/* Is s (len bytes) valid UTF-8? */
bool router_valid_utf8(const char *s, size_t len);

#endif

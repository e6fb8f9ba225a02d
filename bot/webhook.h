/* SPDX-License-Identifier: MIT */
/* webhook.h: every lead event POSTed to [webhook] url as signed JSON. */
#ifndef SMK_WEBHOOK_H
#define SMK_WEBHOOK_H

#include <stddef.h>

#include "err.h"

struct bot;
struct outlet;

/* When [webhook] url is set: hooks the events of bot->store (each lead
 * event queues its POST in the event's transaction) and returns the outlet
 * that sends them into *out; otherwise *out = NULL. 0 or -1 with err. */
int webhook_start(struct bot *bot, struct outlet **out, struct err *err);

/* "sha256=<64 hex>" of the HMAC-SHA256 of body with secret into out (at
 * least 72 bytes). */
void webhook_sign(const char *secret, const char *body, size_t len, char *out,
                  size_t outlen);

#endif

/* SPDX-License-Identifier: MIT */
/* health.h: GET /healthz and GET /metrics on the bot's listener. */
#ifndef SMK_HEALTH_H
#define SMK_HEALTH_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct bot;

/* Lists the metrics and, when [http] listen is on, adds the two routes.
 * 0, or -1 with err. */
int health_start(struct bot *bot, struct err *err);
/* Forgets the metrics (the end of the run). */
void health_release(struct bot *bot);

/* Is the bot healthy: the platform link up and the database writable?
 * When not, why says what is wrong. */
bool health_check(struct bot *bot, char *why, size_t len);

#endif

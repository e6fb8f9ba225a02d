/* SPDX-License-Identifier: MIT */
/* outlet.h: a delivery engine of a backend (the webhook, a CRM) beside the
 * chat platform's: its own outbox kinds, lanes and timer on the bot's one
 * loop, its requests on the bot's HTTP. A refusal of its credentials stops
 * this outlet only (its rows stay queued); chat goes on. */
#ifndef SMK_OUTLET_H
#define SMK_OUTLET_H

#include "deliver.h"

struct bot;
struct outlet;

/* Starts an outlet named name (for logs) sending the rows of limits->kinds
 * (required) through ops with plat. release(plat) runs at outlet_free (may
 * be NULL). NULL with err. */
struct outlet *outlet_new(struct bot *bot, const char *name,
                          const struct deliver_ops *ops, void *plat,
                          void (*release)(void *plat),
                          const struct deliver_limits *limits, struct err *err);
/* stop(plat) runs first at outlet_stop: the module's own timers go. */
void outlet_on_stop(struct outlet *o, void (*stop)(void *plat));
/* New rows were committed. NULL is a no-op. */
void outlet_kick(struct outlet *o);
/* No more requests or timers (before the HTTP and the loop go). */
void outlet_stop(struct outlet *o);
/* After outlet_stop and once the HTTP is gone. NULL is a no-op. */
void outlet_free(struct outlet *o);

#endif

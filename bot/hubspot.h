/* SPDX-License-Identifier: MIT */
/* hubspot.h: [crm] kind = hubspot: MQL contacts in, decisions out. */
#ifndef SMK_HUBSPOT_H
#define SMK_HUBSPOT_H

#include "err.h"

struct bot;
struct outlet;

/* With [crm] kind = hubspot: starts the poll of CRM search, hooks the
 * events of bot->store (decisions on linked leads queue pushes) and
 * returns the outlet that sends them into *out; otherwise *out = NULL.
 * 0 or -1 with err. */
int hubspot_start(struct bot *bot, struct outlet **out, struct err *err);

#endif

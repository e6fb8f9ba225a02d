/* SPDX-License-Identifier: MIT */
/* leads_in.h: inbound leads, POST /leads with a bearer secret. */
#ifndef SMK_LEADS_IN_H
#define SMK_LEADS_IN_H

#include "err.h"

struct bot;

/* Bodies over this get 413 and create nothing. */
#define LEADS_IN_MAX_BODY (64 * 1024)

/* Adds POST /leads to bot->listen when the listener is on and [http]
 * leads_secret is set; otherwise says why it is off. 0 or -1 with err. */
int leads_in_start(struct bot *bot, struct err *err);

#endif

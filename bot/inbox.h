/* SPDX-License-Identifier: MIT */
/* inbox.h: handle once. Every platform's event goes through the same
 * transaction: begin, was it seen, route, reply rows, remember it, commit;
 * and only after that outermost commit are the scheduler and the sender
 * told. What the platform does with the reply (an ack payload, rows in the
 * outbox) is its callback's business, inside the transaction. */
#ifndef SMK_INBOX_H
#define SMK_INBOX_H

#include <stdbool.h>

#include "err.h"
#include "platform.h"

struct bot;

struct inbox_item {
    const struct chat_msg *msg;
    const char *dedupe;         /* key in the seen table; NULL = none */
    bool forget_refusal;        /* a refused one is not remembered: the
                                 * same click may work later */
    bool keep_reply;            /* the reply is stored with the key and
                                 * given again on a redelivery */
};

enum inbox_result {
    INBOX_RAN,          /* the command ran and is committed */
    INBOX_REFUSED,      /* refused (usage, role...): nothing changed */
    INBOX_SEEN,         /* handled before: *prior is the stored reply */
    INBOX_FAILED,       /* not handled (database): do not ack, it comes again */
};

/* Called inside the transaction with the router's reply ("" when none) and
 * whether the command was refused; queues what the platform sends. 0, or
 * -1 with err: everything rolls back. */
typedef int (*inbox_reply_fn)(void *ud, const char *reply, bool refused,
                              struct err *err);

/* Handles it once. *prior (owned, may be NULL) is set for INBOX_SEEN. */
enum inbox_result inbox_handle(struct bot *bot, const struct inbox_item *it,
                               inbox_reply_fn reply, void *ud, char **prior,
                               struct err *err);

#endif

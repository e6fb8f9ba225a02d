/* SPDX-License-Identifier: MIT */
/* inbox.c: the handle-once transaction. */
#include "inbox.h"

#include <stdlib.h>

#include "bot.h"
#include "router.h"
#include "stats.h"
#include "strbuf.h"

enum inbox_result
inbox_handle(struct bot *bot, const struct inbox_item *it, inbox_reply_fn reply,
             void *ud, char **prior, struct err *err)
{
    struct store *st = bot->store;
    struct strbuf text;
    enum inbox_result res = INBOX_FAILED;
    int found, rc;

    *prior = NULL;
    strbuf_init(&text, 0);
    metric_inc(&stats_events_received, bot->ops->name, NULL);
    if (store_begin(st, err) < 0)
        goto out;
    found = it->dedupe ? store_query_text(st, err, prior,
                                          "SELECT coalesce(reply, '') FROM seen WHERE key = ?",
                                          "s", it->dedupe) : 0;
    if (found < 0)
        goto failed;
    if (found > 0) {
        store_rollback(st);
        metric_inc(&stats_events_deduplicated, bot->ops->name, NULL);
        res = INBOX_SEEN;
        goto out;
    }
    rc = router_handle(bot, it->msg, &text);
    if (reply(ud, strbuf_str(&text), rc < 0, err) < 0)
        goto failed;
    if (it->dedupe && !(rc < 0 && it->forget_refusal) &&
        store_exec(st, err, "INSERT INTO seen(key, at, reply) VALUES (?, ?, ?)", "sIs",
                   it->dedupe, clock_now(&bot->clock),
                   it->keep_reply ? strbuf_str(&text) : NULL) < 0)
        goto failed;
    if (store_commit(st, err) < 0)
        goto failed;
    /* the scheduler and the sender may read it only now; a reply may
     * have become outbox rows even when the command wrote nothing */
    if (text.len > 0)
        bot_changed(bot);
    else
        bot_settle(bot);
    res = rc < 0 ? INBOX_REFUSED : INBOX_RAN;
    goto out;
failed:
    store_rollback(st);
    bot_discard(bot);
out:
    strbuf_release(&text);
    return res;
}

/* SPDX-License-Identifier: MIT */
/* bot.c: wiring of config, store, clock and platform. */
#include "bot.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "sched.h"
#include "users.h"

void
chat_msg_release(struct chat_msg *m)
{
    free(m->user_id);
    free(m->user_name);
    free(m->channel);
    free(m->command);
    free(m->text);
    memset(m, 0, sizeof(*m));
}

int
bot_init(struct bot *bot, bool force_console, struct err *err)
{
    const char *platform = force_console ? "console" : bot->cfg.platform;

    bot->log.level = (enum log_level)bot->cfg.level;
    if (strcmp(platform, "console") == 0) {
        bot->ops = &console_ops;
    } else if (strcmp(platform, "slack") == 0) {
        bot->ops = &slack_ops;
    } else {
        err_set(err, _("platform '%s' is not available in this build"), platform);
        return -1;
    }
    bot->store = store_open(bot->cfg.database, err);
    if (bot->store == NULL)
        return -1;
    if ((bot->sched = sched_new(bot, err)) == NULL)
        return -1;
    return bot->ops->start(bot, err);
}

int
bot_run(struct bot *bot)
{
    return bot->ops->run(bot);
}

void
bot_release(struct bot *bot)
{
    if (bot->ops && bot->ops->release)
        bot->ops->release(bot);
    sched_free(bot->sched);
    store_free(bot->store);
    config_release(&bot->cfg);
    bot->store = NULL;
    bot->sched = NULL;
}

void
bot_changed(struct bot *bot)
{
    if (store_in_transaction(bot->store)) {
        bot->changed = true;
        return;
    }
    bot->changed = false;
    sched_changed(bot->sched);
    if (bot->ops && bot->ops->changed)
        bot->ops->changed(bot);
}

void
bot_settle(struct bot *bot)
{
    if (bot->changed)
        bot_changed(bot);
}

void
bot_discard(struct bot *bot)
{
    bot->changed = false;
}

char *
bot_user_name(struct bot *bot, const char *key)
{
    return users_name(bot->store, key);
}

void
bot_user_seen(struct bot *bot, const char *id, const char *name)
{
    if (id == NULL || name == NULL || strcmp(id, name) == 0)
        return;
    users_set(bot->store, clock_now(&bot->clock), id, name, NULL, NULL, NULL);
}

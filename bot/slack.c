/* SPDX-License-Identifier: MIT */
/* slack.c: TEMPORARY until the Socket Mode adapter lands (issue 3). */
#include "bot.h"
#include "i18n.h"

static int
slack_start(struct bot *bot, struct err *err)
{
    (void)bot;
    err_set(err, "slack: not implemented yet");
    return -1;
}

static int
slack_run(struct bot *bot)
{
    (void)bot;
    return 1;
}

const struct platform_ops slack_ops = {
    .name = "slack",
    .start = slack_start,
    .run = slack_run,
};

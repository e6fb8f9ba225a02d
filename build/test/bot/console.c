/* SPDX-License-Identifier: MIT */
/* console.c: the terminal platform. Lines in, replies and posts out, through
 * the same router, commands and outbox as Slack and Mattermost.
 *
 *   [@user ]text        said by user (default: --as); "/..." is a slash command
 *   !click <action> <lead> [reason]   press a card's button
 *   !advance <duration> move the clock, running every job due on the way
 *   !now                print the clock
 * Output: "> " private reply, "[#channel] " channel post, "[@user] " DM. */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "bot.h"
#include "i18n.h"
#include "outbox.h"
#include "router.h"
#include "sched.h"

/* Lines longer than this are dropped whole with an error, not cut. */
#define CONSOLE_MAX_LINE (256 * 1024)

struct console {
    struct strbuf in;           /* bytes read, not yet a whole line */
    bool overlong;              /* discarding the rest of a too-long line */
    bool eof;
};

/* Prints text with prefix on every line. */
static void
print_prefixed(const char *prefix, const char *text)
{
    const char *p = text;

    do {
        size_t n = strcspn(p, "\n");

        printf("%s%.*s\n", prefix, (int)n, p);
        p += n;
    } while (*p++ == '\n' && *p != '\0');
}

static void
print_buttons(const char *prefix, const char *card)
{
    json_error_t jerr;
    json_t *root = json_loads(card, 0, &jerr), *actions, *act;
    const char *lead;
    struct strbuf line;
    size_t i;

    if (root == NULL)
        return;
    lead = json_string_value(json_object_get(root, "lead"));
    actions = json_object_get(root, "actions");
    strbuf_init(&line, 0);
    json_array_foreach(actions, i, act) {
        const char *name = json_string_value(act);

        if (name && lead)
            strbuf_printf(&line, "%s[%c%s] (!click %s %s%s)", i ? "  " : "",
                          toupper((unsigned char)name[0]), name + 1, name, lead,
                          strcmp(name, "reject") == 0 ? _(" <reason>") : "");
    }
    if (line.len)
        print_prefixed(prefix, strbuf_str(&line));
    strbuf_release(&line);
    json_decref(root);
}

/* The "[#c] " or "[@u] " prefix of an outbox row. */
static void
row_prefix(struct bot *bot, const char *kind, const char *target, char *buf,
           size_t len)
{
    if (strcmp(kind, OUTBOX_DM) == 0) {
        char *name = bot_user_name(bot, target);

        snprintf(buf, len, "[@%s] ", name);
        free(name);
    } else {
        snprintf(buf, len, "[#%s] ", target);
    }
}

/* Prints every post that is due, oldest first, and marks it sent. */
static void
drain_outbox(struct bot *bot)
{
    int64_t now = clock_now(&bot->clock);
    struct outbox_row row;
    struct err err = { 0 };
    char prefix[300];

    while (outbox_next(bot->store, now, &row, &err) > 0) {
        if (strcmp(row.kind, OUTBOX_UPDATE) == 0) {
            char *kind = NULL, *target = NULL;

            store_query_text(bot->store, NULL, &kind,
                             "SELECT kind FROM outbox WHERE id = ?", "s", row.target);
            store_query_text(bot->store, NULL, &target,
                             "SELECT target FROM outbox WHERE id = ?", "s", row.target);
            row_prefix(bot, kind ? kind : OUTBOX_CHANNEL, target ? target : "?",
                       prefix, sizeof(prefix));
            printf("%s%s\n", prefix, _("(card updated)"));
            free(kind);
            free(target);
        } else {
            row_prefix(bot, row.kind, row.target, prefix, sizeof(prefix));
        }
        print_prefixed(prefix, row.text);
        if (row.card)
            print_buttons(prefix, row.card);
        outbox_sent(bot->store, row.id, NULL, &err);
        outbox_row_release(&row);
    }
    if (err.set)
        log_err(&bot->log, "console", "outbox: %s", err.msg);
    fflush(stdout);
}

static void
say(struct bot *bot, const char *user, const char *text, bool button)
{
    struct chat_msg msg = { 0 };
    struct strbuf reply;
    const char *sp;

    msg.user_id = strdup(user);
    msg.user_name = strdup(user);
    msg.button = button;
    if (text[0] == '/' && !button) {
        sp = strchr(text, ' ');
        msg.command = sp ? strndup(text, (size_t)(sp - text)) : strdup(text);
        msg.text = strdup(sp ? sp + 1 : "");
    } else {
        msg.text = strdup(text);
    }
    strbuf_init(&reply, 0);
    router_handle(bot, &msg, &reply);
    if (reply.len)
        print_prefixed("> ", strbuf_str(&reply));
    strbuf_release(&reply);
    chat_msg_release(&msg);
    drain_outbox(bot);
}

static void
run_due(struct bot *bot)
{
    sched_run_due(bot->sched, clock_now(&bot->clock));
    drain_outbox(bot);
}

static void
advance(struct bot *bot, const char *arg)
{
    int64_t secs, target, next;

    if (clock_parse_duration(arg, &secs) < 0) {
        printf("> %s\n", _("usage: !advance <duration>, e.g. !advance 2h or !advance 3d"));
        return;
    }
    target = clock_now(&bot->clock) + secs;
    /* one job at a time, in time order, each at its own moment */
    while ((next = sched_next_due(bot->sched)) > 0 && next <= target) {
        int64_t now = clock_now(&bot->clock);

        if (next > now)
            clock_advance(&bot->clock, next - now);
        if (sched_run_due(bot->sched, clock_now(&bot->clock)) <= 0 &&
            sched_next_due(bot->sched) == next)
            break;      /* a job that will not fire must not spin us */
        drain_outbox(bot);
    }
    clock_advance(&bot->clock, target - clock_now(&bot->clock));
    run_due(bot);
}

static void
click(struct bot *bot, const char *user, const char *args)
{
    char action[16], lead[32], text[ROUTER_MAX_TEXT + 64];
    int n = 0;

    if (sscanf(args, "%15s %31s%n", action, lead, &n) < 2) {
        printf("> %s\n", _("usage: !click accept|reject <lead> [reason]"));
        return;
    }
    if (strcmp(action, "accept") != 0 && strcmp(action, "reject") != 0) {
        printf("> %s\n", _("a card has two buttons: accept and reject"));
        return;
    }
    if (outbox_has_card(bot->store, lead, NULL) <= 0) {
        printf("> ");
        printf(_("no card with buttons for %s"), lead);
        printf("\n");
        return;
    }
    snprintf(text, sizeof(text), "%s %s%s", action, lead, args + n);
    say(bot, user, text, true);
}

static void
handle_line(struct bot *bot, char *line)
{
    const char *user = bot->console_user;
    char *text = line, speaker[128];
    size_t n;

    n = strlen(line);
    while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' '))
        line[--n] = '\0';
    if (line[0] == '@') {
        n = strcspn(line + 1, " \t");
        if (n == 0 || n >= sizeof(speaker)) {
            printf("> %s\n", _("a line that starts with @ names a user: @bob text"));
            return;
        }
        memcpy(speaker, line + 1, n);
        speaker[n] = '\0';
        user = speaker;
        text = line + 1 + n;
        text += strspn(text, " \t");
    }
    if (text[0] == '\0' || text[0] == '#')
        return;
    if (strncmp(text, "!now", 4) == 0 && text[4] == '\0') {
        char iso[40];

        clock_format_iso(clock_now(&bot->clock), iso, sizeof(iso));
        printf("> %s\n", iso);
    } else if (strncmp(text, "!advance", 8) == 0 && (text[8] == ' ' || !text[8])) {
        advance(bot, text + 8 + strspn(text + 8, " "));
    } else if (strncmp(text, "!click", 6) == 0 && (text[6] == ' ' || !text[6])) {
        click(bot, user, text + 6 + strspn(text + 6, " "));
    } else if (text[0] == '!') {
        printf("> ");
        printf(_("unknown console command '%.20s' (try !click, !advance or !now)"), text);
        printf("\n");
    } else {
        say(bot, user, text, false);
    }
    fflush(stdout);
}

/* Feeds what read() got; hands every complete line to handle_line. */
static void
feed(struct bot *bot, struct console *c, const char *data, size_t len)
{
    while (len > 0) {
        const char *nl = memchr(data, '\n', len);
        size_t n = nl ? (size_t)(nl - data) : len;

        if (!c->overlong && strbuf_add(&c->in, data, n) < 0)
            c->overlong = true;
        if (nl) {
            if (c->overlong) {
                printf("> ");
                printf(_("line too long (at most %d bytes); ignored"), CONSOLE_MAX_LINE);
                printf("\n");
            } else {
                handle_line(bot, c->in.buf ? c->in.buf : (char[]){ "" });
            }
            strbuf_reset(&c->in);
            c->overlong = false;
            n++;
        }
        data += n;
        len -= n;
    }
}

static int
console_start(struct bot *bot, struct err *err)
{
    struct console *c = calloc(1, sizeof(*c));

    if (c == NULL) {
        err_set(err, _("out of memory"));
        return -1;
    }
    strbuf_init(&c->in, CONSOLE_MAX_LINE);
    bot->plat = c;
    if (bot->console_user == NULL)
        bot->console_user = getenv("USER") ? getenv("USER") : "you";
    if (isatty(STDIN_FILENO))
        printf(_("smarkbot console: you are @%s. Type 'help', '@bob <text>' to speak as bob,\n"
                 "'!advance 2h' to move the clock, Ctrl-D to quit.\n"),
               bot->console_user);
    return 0;
}

static int
console_run(struct bot *bot)
{
    struct console *c = bot->plat;
    char buf[65536];

    run_due(bot);
    while (!c->eof && !*bot->stop) {
        struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
        int64_t next = sched_next_due(bot->sched), timeout = -1;
        ssize_t n;

        if (next > 0 && !bot->clock.fixed) {
            int64_t wait = next - clock_now(&bot->clock);

            timeout = wait <= 0 ? 0 : (wait > 3600 ? 3600 : wait) * 1000;
        }
        if (poll(&pfd, 1, (int)timeout) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (pfd.revents == 0) {
            run_due(bot);
            continue;
        }
        n = read(STDIN_FILENO, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (c->in.len)
                feed(bot, c, "\n", 1);
            c->eof = true;
            break;
        }
        feed(bot, c, buf, (size_t)n);
    }
    return 0;
}

static void
console_release(struct bot *bot)
{
    struct console *c = bot->plat;

    if (c == NULL)
        return;
    strbuf_release(&c->in);
    free(c);
    bot->plat = NULL;
}

const struct platform_ops console_ops = {
    .name = "console",
    .start = console_start,
    .run = console_run,
    .changed = NULL,
    .release = console_release,
};

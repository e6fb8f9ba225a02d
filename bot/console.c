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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <libwebsockets.h>

#include "bot.h"
#include "deliver.h"
#include "i18n.h"
#include "outbox.h"
#include "router.h"
#include "sched.h"

/* Lines longer than this are dropped whole with an error, not cut. */
#define CONSOLE_MAX_LINE (256 * 1024)

struct console {
    struct bot *bot;
    struct lws_vhost *vh;       /* where stdin is adopted */
    struct strbuf in;           /* bytes read, not yet a whole line */
    bool overlong;              /* discarding the rest of a too-long line */
    bool eof;
};

/* Appends text with prefix on every line. */
static void
add_prefixed(struct strbuf *out, const char *prefix, const char *text)
{
    const char *p = text;

    do {
        size_t n = strcspn(p, "\n");

        strbuf_printf(out, "%s%.*s\n", prefix, (int)n, p);
        p += n;
    } while (*p++ == '\n' && *p != '\0');
}

static void
print_prefixed(const char *prefix, const char *text)
{
    struct strbuf out;

    strbuf_init(&out, 0);
    add_prefixed(&out, prefix, text);
    fputs(strbuf_str(&out), stdout);
    strbuf_release(&out);
}

static void
add_buttons(struct strbuf *out, const char *prefix, const char *card)
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
        add_prefixed(out, prefix, strbuf_str(&line));
    strbuf_release(&line);
    json_decref(root);
}

/* The "[#c] " or "[@u] " prefix of a post. */
static void
row_prefix(struct bot *bot, const struct outbox_row *r, char *buf, size_t len)
{
    if (strcmp(r->kind, OUTBOX_DM) == 0) {
        char *name = bot_user_name(bot, r->user);

        snprintf(buf, len, "[@%s] ", name);
        free(name);
    } else {
        snprintf(buf, len, "[#%s] ", r->channel ? r->channel : "?");
    }
}

/* The console delivers through the same engine as the chat platforms; its
 * "request" is the text to print, and printing always succeeds. */
static int
console_plan(void *plat, const struct deliver_item *it, struct deliver_plan *p,
             int64_t *wait_ms, struct err *err)
{
    (void)plat;
    (void)it;
    (void)wait_ms;
    (void)err;
    memset(p, 0, sizeof(*p));
    snprintf(p->lane, sizeof(p->lane), "console");
    return 0;
}

static int
console_build(void *plat, const struct deliver_item *it, const char *part,
              bool last, struct deliver_req *req, struct err *err)
{
    struct console *c = plat;
    char prefix[300];

    (void)err;
    if (it->original) {
        row_prefix(c->bot, it->original, prefix, sizeof(prefix));
        strbuf_printf(&req->body, "%s%s\n", prefix, _("(card updated)"));
    } else {
        row_prefix(c->bot, it->row, prefix, sizeof(prefix));
    }
    add_prefixed(&req->body, prefix, part);
    if (last && it->row->card)
        add_buttons(&req->body, prefix, it->row->card);
    snprintf(req->what, sizeof(req->what), "print");
    req->http.url = "console:";
    req->http.body = strbuf_str(&req->body);
    req->http.body_len = req->body.len;
    return 0;
}

static enum deliver_result
console_classify(void *plat, const struct deliver_item *it,
                 const struct deliver_req *req, const struct http_resp *resp,
                 char *ref, size_t reflen, char *why, size_t whylen)
{
    (void)plat;
    (void)req;
    (void)resp;
    (void)why;
    (void)whylen;
    snprintf(ref, reflen, "console:%lld", (long long)it->row->id);
    return DELIVER_OK;
}

static const struct deliver_ops console_deliver = {
    console_plan, console_build, console_classify, NULL,
};

static int
print_now(void *ud, const struct http_req *req, http_done_fn done,
          void *done_ud, struct err *err)
{
    struct http_resp ok = { 0 };

    (void)ud;
    (void)err;
    fwrite(req->body, 1, req->body_len, stdout);
    ok.status = 200;
    ok.body = "";
    ok.retry_after = -1;
    done(done_ud, &ok);
    return 0;
}

/* Prints every post that is due, oldest first, and marks it sent. */
static void
drain_outbox(struct bot *bot)
{
    deliver_pump(bot->deliver);
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

/* stdin, adopted into the bot's loop: lines as they come, the end of
 * input ends the bot. */
static int
on_stdin(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
         size_t len)
{
    struct console *c = lws_get_vhost_user(lws_get_vhost(wsi));
    char buf[65536];
    ssize_t n;

    (void)user;
    (void)in;
    (void)len;
    switch (reason) {
    case LWS_CALLBACK_RAW_RX_FILE:
        n = read(lws_get_socket_fd(wsi), buf, sizeof(buf));
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            return 0;
        if (n > 0) {
            feed(c->bot, c, buf, (size_t)n);
            return 0;
        }
        return -1;
    case LWS_CALLBACK_RAW_CLOSE_FILE:
        if (c->in.len)
            feed(c->bot, c, "\n", 1);
        c->eof = true;
        if (!c->bot->releasing)
            bot_quit(c->bot, 0);
        return 0;
    default:
        return 0;
    }
}

static const struct lws_protocols stdin_protocols[] = {
    { "smk-console", on_stdin, 0, 0, 0, NULL, 0 },
    { NULL, NULL, 0, 0, 0, NULL, 0 },
};

static int
console_start(struct bot *bot, struct err *err)
{
    struct console *c = calloc(1, sizeof(*c));
    struct lws_context_creation_info info;

    if (c == NULL) {
        err_set(err, _("out of memory"));
        return -1;
    }
    strbuf_init(&c->in, CONSOLE_MAX_LINE);
    bot->plat = c;
    c->bot = bot;
    if (bot_deliver_init(bot, &console_deliver, c, NULL, print_now, err) < 0)
        return -1;
    memset(&info, 0, sizeof(info));
    info.vhost_name = "smk-console";
    info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
    info.protocols = stdin_protocols;
    info.user = c;
    if ((c->vh = lws_create_vhost(bot->lws, &info)) == NULL) {
        err_set(err, _("cannot read the console's input"));
        return -1;
    }
    if (bot->console_user == NULL)
        bot->console_user = getenv("USER") ? getenv("USER") : "you";
    if (isatty(STDIN_FILENO))
        printf(_("smarkbot console: you are @%s. Type 'help', '@bob <text>' to speak as bob,\n"
                 "'!advance 2h' to move the clock, Ctrl-D to quit.\n"),
               bot->console_user);
    return 0;
}

static void
console_begin(struct bot *bot)
{
    struct console *c = bot->plat;
    lws_sock_file_fd_type fd = { .filefd = STDIN_FILENO };

    run_due(bot);
    if (lws_adopt_descriptor_vhost(c->vh, LWS_ADOPT_RAW_FILE_DESC, fd, "smk-console",
                                   NULL) == NULL) {
        log_err(&bot->log, "console", "cannot read standard input");
        bot_quit(bot, 1);
    }
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
    .begin = console_begin,
    .release = console_release,
};

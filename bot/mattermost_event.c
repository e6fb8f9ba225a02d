/* SPDX-License-Identifier: MIT */
/* mattermost_event.c: Mattermost's frames and listener bodies in, its
 * answers out, and the mention syntax turned platform-neutral. */
#include "mattermost_event.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "http.h"
#include "listen.h"
#include "mattermost_api.h"
#include "text.h"

static const char *
str(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));

    return s ? s : "";
}

static char *
dup_or_empty(const char *s)
{
    return strdup(s ? s : "");
}

static void
fill_post(json_t *p, struct mattermost_post *out)
{
    json_t *wh = json_object_get(json_object_get(p, "props"), "from_webhook");

    out->id = str(p, "id");
    out->user_id = str(p, "user_id");
    out->channel_id = str(p, "channel_id");
    out->root_id = str(p, "root_id");
    out->message = str(p, "message");
    out->type = str(p, "type");
    out->create_at = json_integer_value(json_object_get(p, "create_at"));
    out->from_webhook = json_is_true(wh) ||
                        (json_is_string(wh) && strcmp(json_string_value(wh), "true") == 0);
}

/* data.mentions: a JSON array inside a string (or, to be lenient, an
 * array) of user ids. */
static void
take_mentions(json_t *m, struct mattermost_event *ev)
{
    json_error_t jerr;
    json_t *arr = json_is_string(m) ? json_loads(json_string_value(m), 0, &jerr)
                                    : json_incref(m), *v;
    size_t i, n = json_array_size(arr);

    if (n > 0 && (ev->mentions = calloc(n, sizeof(char *))) != NULL)
        json_array_foreach(arr, i, v)
            if (json_is_string(v) && (ev->mentions[ev->nmentions] =
                                      strdup(json_string_value(v))) != NULL)
                ev->nmentions++;
    json_decref(arr);
}

static int
parse_posted(json_t *data, struct mattermost_event *ev, struct err *err)
{
    json_error_t jerr;
    const char *text = json_string_value(json_object_get(data, "post"));
    json_t *post = text ? json_loads(text, 0, &jerr) : NULL;
    const char *sender;

    if (!json_is_object(post) || !json_is_string(json_object_get(post, "id"))) {
        json_decref(post);
        err_set(err, "a posted event without a post");
        return -1;
    }
    ev->post_ = post;
    fill_post(post, &ev->post);
    ev->channel_type = str(data, "channel_type");
    ev->channel_name = str(data, "channel_name");
    sender = str(data, "sender_name");
    ev->sender_name = sender[0] == '@' ? sender + 1 : sender;
    ev->team_id = str(data, "team_id");
    take_mentions(json_object_get(data, "mentions"), ev);
    return 0;
}

int
mattermost_event_parse(const char *text, size_t len, struct mattermost_event *ev,
                       struct err *err)
{
    json_error_t jerr;
    json_t *root, *data, *e;

    memset(ev, 0, sizeof(*ev));
    ev->event = ev->connection_id = ev->server_version = ev->user_id = "";
    ev->error_id = ev->error_message = ev->reply_text = "";
    ev->post.id = ev->post.user_id = ev->post.channel_id = ev->post.root_id = "";
    ev->post.message = ev->post.type = "";
    ev->channel_type = ev->channel_name = ev->sender_name = ev->team_id = "";
    ev->seq = ev->seq_reply = -1;
    if ((root = json_loadb(text, len, 0, &jerr)) == NULL || !json_is_object(root)) {
        json_decref(root);
        err_set(err, "not a JSON object: %s", root ? "" : jerr.text);
        return -1;
    }
    ev->root_ = root;
    data = json_object_get(root, "data");
    if (json_string_length(json_object_get(root, "event")) > 0) {
        ev->event = str(root, "event");
        ev->seq = json_integer_value(json_object_get(root, "seq"));
        ev->user_id = str(json_object_get(root, "broadcast"), "user_id");
        if (strcmp(ev->event, "hello") == 0) {
            ev->kind = MM_EVENT_HELLO;
            ev->connection_id = str(data, "connection_id");
            ev->server_version = str(data, "server_version");
        } else if (strcmp(ev->event, "posted") == 0) {
            ev->kind = MM_EVENT_POSTED;
            return parse_posted(data, ev, err);
        }
        return 0;
    }
    if (json_is_integer(json_object_get(root, "seq_reply"))) {
        ev->kind = MM_EVENT_REPLY;
        ev->seq_reply = json_integer_value(json_object_get(root, "seq_reply"));
        ev->ok = strcmp(str(root, "status"), "OK") == 0;
        e = json_object_get(root, "error");
        ev->error_id = str(e, "id");
        ev->error_message = str(e, "message");
        ev->reply_text = str(data, "text");
        return 0;
    }
    err_set(err, "neither an event nor a reply");
    return -1;
}

void
mattermost_event_release(struct mattermost_event *ev)
{
    for (size_t i = 0; i < ev->nmentions; i++)
        free(ev->mentions[i]);
    free(ev->mentions);
    json_decref(ev->post_);
    json_decref(ev->root_);
    memset(ev, 0, sizeof(*ev));
}

bool
mattermost_event_mentions(const struct mattermost_event *ev, const char *bot_id)
{
    if (bot_id == NULL || bot_id[0] == '\0')
        return false;
    for (size_t i = 0; i < ev->nmentions; i++)
        if (strcmp(ev->mentions[i], bot_id) == 0)
            return true;
    return false;
}

bool
mattermost_event_ignored(const struct mattermost_event *ev, const char *bot_id)
{
    /* its own posts come back to it; system posts (joins, header changes)
     * and webhooks' posts are nobody talking to the bot, and answering
     * them could loop */
    return (bot_id && bot_id[0] && strcmp(ev->post.user_id, bot_id) == 0) ||
           strncmp(ev->post.type, "system_", 7) == 0 || ev->post.from_webhook;
}

/* ---- text */

static bool
name_char(char c)
{
    return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-';
}

/* Length of the name at s: name characters, without trailing dots. */
static size_t
name_len(const char *s)
{
    size_t n = 0;

    while (name_char(s[n]))
        n++;
    while (n > 0 && s[n - 1] == '.')
        n--;
    return n;
}

/* May a mention start at text + i (not inside a word or an address)? */
static bool
word_start(const char *text, size_t i)
{
    return i == 0 || !(name_char(text[i - 1]) || text[i - 1] == '@' ||
                       text[i - 1] == '~' || text[i - 1] == '/');
}

/* The first "@bot_name" of message as a whole word: its offset, or -1. */
static long
find_bot(const char *message, const char *bot_name)
{
    size_t blen = bot_name ? strlen(bot_name) : 0;

    if (blen == 0)
        return -1;
    for (size_t i = 0; message[i]; i++)
        if (message[i] == '@' && word_start(message, i) &&
            name_len(message + i + 1) == blen &&
            strncasecmp(message + i + 1, bot_name, blen) == 0)
            return (long)i;
    return -1;
}

bool
mattermost_event_for_bot(const struct mattermost_event *ev, const char *bot_id,
                         const char *bot_name)
{
    if (ev->kind != MM_EVENT_POSTED || mattermost_event_ignored(ev, bot_id))
        return false;
    if (strcmp(ev->channel_type, "D") == 0)
        return true;
    /* @channel, @all and @here put everyone in mentions, the bot too:
     * only its own name makes a post a command, as Slack's app_mention */
    if (bot_name && bot_name[0])
        return find_bot(ev->post.message, bot_name) >= 0;
    return strcmp(ev->channel_type, "G") != 0 && mattermost_event_mentions(ev, bot_id);
}

char *
mattermost_event_command(const char *message, const char *bot_name)
{
    long at = find_bot(message ? message : "", bot_name);
    const char *p;

    if (at < 0)
        return strdup(message ? message : "");
    p = message + at + 1 + strlen(bot_name);
    if (*p == ':' || *p == ',' || *p == '.')
        p++;
    p += strspn(p, " \t\n");
    return strdup(p);
}

char *
mattermost_mentions_neutral(const char *text, mattermost_lookup_fn lookup, void *ud)
{
    struct strbuf out;
    char name[128];

    strbuf_init(&out, 0);
    strbuf_puts(&out, "");
    for (size_t i = 0; text && text[i];) {
        char sigil = text[i];
        size_t n;
        const char *id;

        if ((sigil != '@' && sigil != '~') || !word_start(text, i) ||
            (n = name_len(text + i + 1)) == 0 || n >= sizeof(name)) {
            strbuf_putc(&out, text[i++]);
            continue;
        }
        for (size_t k = 0; k < n; k++)
            name[k] = (char)tolower((unsigned char)text[i + 1 + k]);
        name[n] = '\0';
        id = lookup ? lookup(ud, sigil, name) : NULL;
        if (id && *id && strpbrk(id, "|<> ") == NULL)
            strbuf_printf(&out, "<%c%s|%s>", sigil == '@' ? '@' : '#', id, name);
        else
            strbuf_add(&out, text + i, n + 1);
        i += n + 1;
    }
    return strbuf_detach(&out);
}

char *
mattermost_markup(const char *text)
{
    struct strbuf out;

    strbuf_init(&out, 0);
    strbuf_puts(&out, "");
    for (const char *p = text ? text : ""; *p;) {
        const char *bar, *end;
        size_t idn;

        if (p[0] == '<' && (p[1] == '@' || p[1] == '#') &&
            (idn = strspn(p + 2, "abcdefghijklmnopqrstuvwxyz0123456789")) > 0 &&
            *(bar = p + 2 + idn) == '|' && (end = strchr(bar, '>')) != NULL &&
            end > bar + 1 && name_len(bar + 1) == (size_t)(end - bar - 1)) {
            strbuf_putc(&out, p[1] == '@' ? '@' : '~');
            strbuf_add(&out, bar + 1, (size_t)(end - bar - 1));
            p = end + 1;
        } else {
            strbuf_putc(&out, *p++);
        }
    }
    return strbuf_detach(&out);
}

void
mattermost_names_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

size_t
mattermost_mention_names(const char *text, const char *bot_name, char ***names)
{
    static const char *const special[] = { "channel", "all", "here", NULL };
    char **v = NULL, name[128];
    size_t n = 0;

    for (size_t i = 0; text && text[i]; i++) {
        size_t len;
        bool skip = false;
        char **grown;

        if (text[i] != '@' || !word_start(text, i) || (len = name_len(text + i + 1)) == 0 ||
            len >= sizeof(name))
            continue;
        for (size_t k = 0; k < len; k++)
            name[k] = (char)tolower((unsigned char)text[i + 1 + k]);
        name[len] = '\0';
        skip = bot_name && strcasecmp(name, bot_name) == 0;
        for (const char *const *s = special; !skip && *s; s++)
            skip = strcmp(name, *s) == 0;
        for (size_t k = 0; !skip && k < n; k++)
            skip = strcmp(v[k], name) == 0;
        if (skip || (grown = realloc(v, sizeof(char *) * (n + 1))) == NULL)
            continue;
        v = grown;
        if ((v[n] = strdup(name)) != NULL)
            n++;
        i += len;
    }
    *names = v;
    return n;
}

/* ---- slash commands */

/* The nth field key of body into *out: "" when absent, -1 when malformed. */
static int
form_field(const char *body, const char *key, int nth, char **out, struct err *err)
{
    struct strbuf sb;

    *out = NULL;
    strbuf_init(&sb, 0);
    if (listen_form_get(body, key, nth, &sb) < 0) {
        strbuf_release(&sb);
        if (listen_form_count(body, key) > nth) {
            err_set(err, "field %s is malformed", key);
            return -1;
        }
        *out = strdup("");
        return 0;
    }
    strbuf_puts(&sb, "");
    *out = strbuf_detach(&sb);
    return 0;
}

/* Each pair is a walk of the whole body: without a cap, a 1 MiB body of
 * pairs held the loop for minutes before its token was even checked
 * (found by fuzz/fuzz_mattermost_command.c). */
#define MM_MENTIONS_MAX 100

static int
form_list(const char *body, const char *key, const char *ids_key, char ***names,
          char ***ids, size_t *n, struct err *err)
{
    int count = listen_form_count(body, key);

    *n = 0;
    if (count <= 0)
        return 0;
    if (count > MM_MENTIONS_MAX) {
        err_set(err, "%d %s, at most %d", count, key, MM_MENTIONS_MAX);
        return -1;
    }
    /* the server writes the names and their ids in the same order */
    if (listen_form_count(body, ids_key) != count) {
        err_set(err, "%s and %s do not pair up", key, ids_key);
        return -1;
    }
    *names = calloc((size_t)count, sizeof(char *));
    *ids = calloc((size_t)count, sizeof(char *));
    if (*names == NULL || *ids == NULL) {
        err_set(err, "out of memory");
        return -1;
    }
    for (int i = 0; i < count; i++) {
        if (form_field(body, key, i, &(*names)[i], err) < 0 ||
            form_field(body, ids_key, i, &(*ids)[i], err) < 0) {
            *n = (size_t)count;
            return -1;
        }
    }
    *n = (size_t)count;
    return 0;
}

int
mattermost_command_parse(const char *body, struct mattermost_command *cmd,
                         struct err *err)
{
    struct {
        const char *key;
        char **field;
    } fields[] = {
        { "token", &cmd->token }, { "team_id", &cmd->team_id },
        { "team_domain", &cmd->team_domain }, { "channel_id", &cmd->channel_id },
        { "channel_name", &cmd->channel_name }, { "user_id", &cmd->user_id },
        { "user_name", &cmd->user_name }, { "command", &cmd->command },
        { "text", &cmd->text }, { "response_url", &cmd->response_url },
        { "trigger_id", &cmd->trigger_id },
    };

    memset(cmd, 0, sizeof(*cmd));
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        if (form_field(body ? body : "", fields[i].key, 0, fields[i].field, err) < 0)
            return -1;
        if (*fields[i].field == NULL)
            return err_set(err, "out of memory"), -1;
    }
    if (!cmd->user_id[0] || !cmd->channel_id[0] || cmd->command[0] != '/') {
        err_set(err, "not a slash command (user_id, channel_id or command missing)");
        return -1;
    }
    if (form_list(body, "user_mentions", "user_mentions_ids", &cmd->user_mentions,
                  &cmd->user_mentions_ids, &cmd->nusers, err) < 0 ||
        form_list(body, "channel_mentions", "channel_mentions_ids", &cmd->channel_mentions,
                  &cmd->channel_mentions_ids, &cmd->nchannels, err) < 0)
        return -1;
    return 0;
}

static void
free_list(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

void
mattermost_command_release(struct mattermost_command *cmd)
{
    free(cmd->token);
    free(cmd->team_id);
    free(cmd->team_domain);
    free(cmd->channel_id);
    free(cmd->channel_name);
    free(cmd->user_id);
    free(cmd->user_name);
    free(cmd->command);
    free(cmd->text);
    free(cmd->response_url);
    free(cmd->trigger_id);
    free_list(cmd->user_mentions, cmd->nusers);
    free_list(cmd->user_mentions_ids, cmd->nusers);
    free_list(cmd->channel_mentions, cmd->nchannels);
    free_list(cmd->channel_mentions_ids, cmd->nchannels);
    memset(cmd, 0, sizeof(*cmd));
}

const char *
mattermost_command_lookup(void *ud, char sigil, const char *name)
{
    const struct mattermost_command *cmd = ud;
    char **names = sigil == '@' ? cmd->user_mentions : cmd->channel_mentions;
    char **ids = sigil == '@' ? cmd->user_mentions_ids : cmd->channel_mentions_ids;
    size_t n = sigil == '@' ? cmd->nusers : cmd->nchannels;

    for (size_t i = 0; i < n; i++)
        if (names[i] && ids[i] && strcasecmp(names[i], name) == 0)
            return ids[i];
    return NULL;
}

/* ---- button clicks */

int
mattermost_action_parse(const char *body, size_t len, struct mattermost_action *act,
                        struct err *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(body ? body : "", body ? len : 0, 0, &jerr), *ctx;

    memset(act, 0, sizeof(*act));
    ctx = json_object_get(root, "context");
    if (!json_is_object(root) || !*str(root, "user_id") || !*str(root, "post_id") ||
        !*str(ctx, "action")) {
        json_decref(root);
        err_set(err, "not a button click (user_id, post_id or context.action missing)");
        return -1;
    }
    act->user_id = dup_or_empty(str(root, "user_id"));
    act->user_name = dup_or_empty(str(root, "user_name"));
    act->channel_id = dup_or_empty(str(root, "channel_id"));
    act->team_id = dup_or_empty(str(root, "team_id"));
    act->post_id = dup_or_empty(str(root, "post_id"));
    act->trigger_id = dup_or_empty(str(root, "trigger_id"));
    act->action = dup_or_empty(str(ctx, "action"));
    act->lead = dup_or_empty(str(ctx, "lead"));
    act->secret = dup_or_empty(str(ctx, "secret"));
    json_decref(root);
    return 0;
}

void
mattermost_action_release(struct mattermost_action *act)
{
    free(act->user_id);
    free(act->user_name);
    free(act->channel_id);
    free(act->team_id);
    free(act->post_id);
    free(act->trigger_id);
    free(act->action);
    free(act->lead);
    free(act->secret);
    memset(act, 0, sizeof(*act));
}

/* ---- answers */

static char *
dump(json_t *j)
{
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;

    json_decref(j);
    return s;
}

char *
mattermost_command_response(const char *text, size_t max_parts)
{
    char **parts = NULL, *md = mattermost_markup(text);
    size_t n = text_split(md ? md : "", MM_PART_MAX, max_parts ? max_parts : 1, &parts);
    json_t *r = json_pack("{s:s, s:s}", "response_type", "ephemeral",
                          "text", n ? parts[0] : "");
    json_t *extra = n > 1 ? json_array() : NULL;

    /* one answer, and every post of it from the server */
    for (size_t i = 1; i < n; i++)
        json_array_append_new(extra, json_pack("{s:s, s:s}", "response_type", "ephemeral",
                                               "text", parts[i]));
    if (r && extra)
        json_object_set_new(r, "extra_responses", extra);
    else
        json_decref(extra);
    text_parts_free(parts, n);
    free(md);
    return dump(r);
}

char *
mattermost_action_response(const char *update, const char *ephemeral)
{
    json_t *r = json_object();
    char *md;

    if (update && (md = mattermost_markup(update)) != NULL) {
        json_object_set_new(r, "update", json_pack("{s:s, s:{s:[]}}", "message", md,
                                                   "props", "attachments"));
        free(md);
    }
    if (ephemeral && *ephemeral && (md = mattermost_markup(ephemeral)) != NULL) {
        json_object_set_new(r, "ephemeral_text", json_string(md));
        free(md);
    }
    return dump(r);
}

char *
mattermost_ws_action(const char *action, int64_t seq, const char *token)
{
    json_t *a = json_pack("{s:s, s:I}", "action", action, "seq", (json_int_t)seq);

    if (a && token)
        json_object_set_new(a, "data", json_pack("{s:s}", "token", token));
    return dump(a);
}

char *
mattermost_ws_url(const char *base, const char *connection_id, int64_t next_seq)
{
    struct strbuf sb;

    strbuf_init(&sb, 0);
    strbuf_puts(&sb, base);
    if (connection_id && connection_id[0]) {
        strbuf_puts(&sb, strchr(base, '?') ? "&" : "?");
        strbuf_puts(&sb, "connection_id=");
        http_urlencode(connection_id, &sb);
        strbuf_printf(&sb, "&sequence_number=%lld", (long long)next_seq);
    }
    return strbuf_detach(&sb);
}

/* ---- users */

int
mattermost_user_parse(const char *body, size_t len, struct mattermost_user *u,
                      struct err *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(body ? body : "", body ? len : 0, 0, &jerr);
    json_t *tz = json_object_get(root, "timezone");
    /* Mattermost keeps an automatic and a manual zone, and which is used */
    bool automatic = strcmp(str(tz, "useAutomaticTimezone"), "true") == 0;

    memset(u, 0, sizeof(*u));
    if (!json_is_object(root) || !*str(root, "id") || !*str(root, "username")) {
        json_decref(root);
        err_set(err, "not a user (id or username missing)");
        return -1;
    }
    u->id = dup_or_empty(str(root, "id"));
    u->username = dup_or_empty(str(root, "username"));
    u->locale = dup_or_empty(str(root, "locale"));
    u->tz = dup_or_empty(str(tz, automatic ? "automaticTimezone" : "manualTimezone"));
    u->is_bot = json_is_true(json_object_get(root, "is_bot"));
    json_decref(root);
    return 0;
}

void
mattermost_user_release(struct mattermost_user *u)
{
    free(u->id);
    free(u->username);
    free(u->locale);
    free(u->tz);
    memset(u, 0, sizeof(*u));
}

/* ---- catching up */

int
mattermost_postlist_parse(const char *text, size_t len, struct mattermost_post **posts,
                          void **holder, struct err *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(text, len, 0, &jerr);
    json_t *order = json_object_get(root, "order"), *map = json_object_get(root, "posts");
    size_t n = json_array_size(order), k = 0;

    *posts = NULL;
    *holder = NULL;
    if (!json_is_object(root) || !json_is_array(order) || !json_is_object(map)) {
        json_decref(root);
        err_set(err, "not a post list");
        return -1;
    }
    if (n > 0 && (*posts = calloc(n, sizeof(**posts))) == NULL) {
        json_decref(root);
        err_set(err, "out of memory");
        return -1;
    }
    /* order is newest first; commands are handled in the order typed */
    for (size_t i = n; i-- > 0;) {
        json_t *p = json_object_get(map, json_string_value(json_array_get(order, i)) ?
                                         json_string_value(json_array_get(order, i)) : "");

        if (json_is_object(p))
            fill_post(p, &(*posts)[k++]);
    }
    *holder = root;
    return (int)k;
}

void
mattermost_postlist_free(struct mattermost_post *posts, void *holder)
{
    free(posts);
    json_decref(holder);
}

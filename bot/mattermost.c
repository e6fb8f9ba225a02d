/* SPDX-License-Identifier: MIT */
/* mattermost.c: the Mattermost platform. The WebSocket in (the token on the
 * upgrade, `posted` events that are DMs to the bot or mention it, resume
 * with connection_id and sequence_number, a catch-up over REST when the
 * server could not replay), slash commands and button clicks through the
 * bot's HTTP listener (bot/mattermost_routes.c), and REST out through the delivery engine
 * (bot/mattermost_api.c). Parsing is bot/mattermost_event.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libwebsockets.h>

#include "mattermost_adapter.h"

#include "backoff.h"
#include "cursor.h"
#include "http.h"
#include "i18n.h"
#include "inbox.h"
#include "outbox.h"
#include "users.h"
#include "ws.h"

#define MM_HEALTHY_MS 30000     /* a connection this old resets the backoff */
#define MM_DRAIN_MS 1000        /* a replaced connection's last events */
#define MM_CATCHUP_CHANNELS 200 /* channels caught up after a gap, newest */
#define MM_CATCHUP_PAGE 200     /* posts per catch-up request (the most) */

static void get_me(struct mattermost *m);
static void handle_post(struct mattermost *m, const struct mattermost_post *p, bool direct,
                        bool for_bot, const char *sender);

static struct http_req
rest(struct mattermost *m, const char *method, const char *url)
{
    struct http_req req = { 0 };

    req.method = method;
    req.url = url;
    req.bearer = m->bot->cfg.mm_token;
    req.timeout_ms = 15000;
    return req;
}

/* ---------------------------------------------------------------- users */

/* For mattermost_mentions_neutral: "@bob" is a user whose id we know. */
static const char *
lookup_known(void *ud, char sigil, const char *name)
{
    struct mattermost *m = ud;
    static char id[64];
    char *found;

    if (sigil != '@' || (found = users_id_by_name(m->bot->store, name)) == NULL)
        return NULL;
    snprintf(id, sizeof(id), "%s", found);
    free(found);
    return id;
}

/* -------------------------------------------------------------- replies */

/* Where the private reply to a post goes: into the DM it came from, or
 * seen only by its author in the channel. */
struct post_reply {
    struct mattermost *m;
    const char *channel, *user;
    bool direct;
};

static int
on_post_reply(void *ud, const char *reply, bool refused, struct err *err)
{
    struct post_reply *pr = ud;
    struct outbox_dest to = { 0 };

    (void)refused;
    if (*reply == '\0')
        return 0;
    to.kind = pr->direct ? OUTBOX_CHANNEL : OUTBOX_EPHEMERAL;
    to.channel = pr->channel;
    to.user = pr->user;
    return outbox_add(pr->m->bot->store, clock_now(&pr->m->bot->clock), &to, reply, NULL,
                      err) < 0 ? -1 : 0;
}

/* ---------------------------------------------------------------- posts */

/* A post in a channel the bot reads: a command when it is a DM to the bot
 * or mentions it; handled once whichever way it came (event, replay or
 * catch-up); the cursor moves in the same transaction. */
static void
run_post(struct mattermost *m, const struct mattermost_post *p, bool direct,
         bool for_bot, const char *sender)
{
    struct bot *bot = m->bot;
    struct chat_msg msg = { 0 };
    struct post_reply pr = { m, p->channel_id, p->user_id, direct };
    struct inbox_item it = { &msg, NULL, false, false };
    struct err err = { 0 };
    char key[96], *command, *prior = NULL;

    if (!for_bot) {
        /* a held command before it must not be skipped by a catch-up */
        if (m->held)
            return;
        if (cursor_advance(bot->store, p->channel_id, p->id, p->create_at, direct, &err) < 0)
            log_warn(&bot->log, "mattermost", "cursor of %s: %s", p->channel_id, err.msg);
        return;
    }
    mattermost_seen_user(m, p->user_id, sender);
    command = mattermost_event_command(p->message, m->bot_name);
    msg.user_id = strdup(p->user_id);
    msg.user_name = sender && *sender ? strdup(sender) : bot_user_name(bot, p->user_id);
    msg.channel = strdup(p->channel_id);
    msg.text = command ? mattermost_mentions_neutral(command, lookup_known, m) : NULL;
    free(command);
    snprintf(key, sizeof(key), "mm:post:%s", p->id);
    it.dedupe = key;
    if (msg.user_id == NULL || msg.user_name == NULL || msg.channel == NULL || msg.text == NULL) {
        log_err(&bot->log, "mattermost", "post %s: out of memory", p->id);
        chat_msg_release(&msg);
        return;
    }
    if (store_begin(bot->store, &err) < 0) {
        log_err(&bot->log, "mattermost", "post %s not handled: %s", p->id, err.msg);
        chat_msg_release(&msg);
        return;
    }
    switch (inbox_handle(bot, &it, on_post_reply, &pr, &prior, &err)) {
    case INBOX_SEEN:
        log_info(&bot->log, "mattermost", "post %s: already handled; not again", p->id);
        break;
    case INBOX_FAILED:
        log_err(&bot->log, "mattermost", "post %s not handled: %s", p->id, err.msg);
        break;
    default:
        break;
    }
    if (cursor_advance(bot->store, p->channel_id, p->id, p->create_at, direct, &err) < 0 ||
        store_commit(bot->store, &err) < 0) {
        log_err(&bot->log, "mattermost", "post %s: %s", p->id, err.msg);
        store_rollback(bot->store);
        bot_discard(bot);
    } else {
        bot_settle(bot);
    }
    free(prior);
    chat_msg_release(&msg);
}

static void
held_free(struct held *h)
{
    free((char *)h->post.id);
    free((char *)h->post.user_id);
    free((char *)h->post.channel_id);
    free((char *)h->post.root_id);
    free((char *)h->post.message);
    free((char *)h->post.type);
    free(h->sender);
    mattermost_names_free(h->names, h->nnames);
    free(h);
}

static bool
held_waits(struct mattermost *m, const struct held *h)
{
    for (size_t i = 0; i < h->nnames; i++)
        if (strlist_has(&m->looking, h->names[i]))
            return true;
    return false;
}

/* Runs the held posts, in the order they came, up to the first that still
 * waits: a later command may depend on an earlier one. */
static void
run_held(struct mattermost *m)
{
    while (m->held && !held_waits(m, m->held)) {
        struct held *h = m->held;

        m->held = h->next;
        run_post(m, &h->post, h->direct, true, h->sender);
        held_free(h);
    }
}

struct name_lookup {
    struct mattermost *m;
    char *name;
};

static void
on_username(void *ud, const struct http_resp *r)
{
    struct name_lookup *nl = ud;
    struct mattermost *m = nl->m;
    struct mattermost_user u;
    struct err err = { 0 };

    if (!r->cancelled) {
        strlist_del(&m->looking, nl->name);
        if (r->status == 200 && mattermost_user_parse(r->body, r->len, &u, &err) == 0 &&
            users_set(m->bot->store, clock_now(&m->bot->clock), u.id, u.username,
                      *u.tz ? u.tz : NULL, *u.locale ? u.locale : NULL, &err) < 0)
            log_warn(&m->bot->log, "mattermost", "cannot keep @%s: %s", nl->name, err.msg);
        else if (r->status != 200)
            log_info(&m->bot->log, "mattermost", "@%s: no such user (HTTP %ld)", nl->name,
                     r->status);
        if (r->status == 200)
            mattermost_user_release(&u);
        if (!m->bot->quit)
            run_held(m);
    }
    free(nl->name);
    free(nl);
}

static void
look_up(struct mattermost *m, const char *name)
{
    struct name_lookup *nl = calloc(1, sizeof(*nl));
    struct strbuf url;
    struct http_req req;
    struct err err = { 0 };

    if (nl == NULL || (nl->name = strdup(name)) == NULL) {
        free(nl);
        return;
    }
    nl->m = m;
    strlist_add(&m->looked_up, name);
    strlist_add(&m->looking, name);
    strbuf_init(&url, 0);
    strbuf_printf(&url, "%susers/username/", m->api);
    http_urlencode(name, &url);
    req = rest(m, "GET", strbuf_str(&url));
    if (http_request(m->bot->http, &req, on_username, nl, &err) < 0) {
        log_warn(&m->bot->log, "mattermost", "GET /users/username/%s: %s", name, err.msg);
        strlist_del(&m->looking, name);
        free(nl->name);
        free(nl);
    }
    strbuf_release(&url);
}

static void
handle_post(struct mattermost *m, const struct mattermost_post *p, bool direct,
            bool for_bot, const char *sender)
{
    struct held *h, **tail;
    char *command;
    char **names = NULL;
    size_t n = 0;

    if (for_bot && (command = mattermost_event_command(p->message, m->bot_name)) != NULL) {
        n = mattermost_mention_names(command, m->bot_name, &names);
        free(command);
    }
    for (size_t i = 0; i < n; i++) {
        char *id = users_id_by_name(m->bot->store, names[i]);

        if (id == NULL && !strlist_has(&m->looked_up, names[i]))
            look_up(m, names[i]);
        free(id);
    }
    if (n == 0 || ((h = calloc(1, sizeof(*h))) == NULL)) {
        mattermost_names_free(names, n);
        if (m->held == NULL || !for_bot) {
            run_post(m, p, direct, for_bot, sender);
            return;
        }
        /* behind a held command: wait in line */
        if ((h = calloc(1, sizeof(*h))) == NULL)
            return;
        names = NULL;
        n = 0;
    }
    h->names = names;
    h->nnames = n;
    if (m->held == NULL && !held_waits(m, h)) {
        held_free(h);
        run_post(m, p, direct, for_bot, sender);
        return;
    }
    h->post.id = strdup(p->id);
    h->post.user_id = strdup(p->user_id);
    h->post.channel_id = strdup(p->channel_id);
    h->post.root_id = strdup(p->root_id ? p->root_id : "");
    h->post.message = strdup(p->message);
    h->post.type = strdup(p->type ? p->type : "");
    h->post.create_at = p->create_at;
    h->sender = strdup(sender ? sender : "");
    h->direct = direct;
    for (tail = &m->held; *tail; tail = &(*tail)->next)
        ;
    *tail = h;
}

/* ------------------------------------------------------------- catch-up */

struct catchup {
    struct mattermost *m;
    struct cursor c;
};

static void catch_up_channel(struct mattermost *m, const struct cursor *c);

static void
on_channel_posts(void *ud, const struct http_resp *r)
{
    struct catchup *cu = ud;
    struct mattermost *m = cu->m;
    struct mattermost_post *posts = NULL;
    void *holder = NULL;
    char why[200];
    struct err err = { 0 };
    int n;

    if (r->cancelled || m->bot->quit) {
        free(cu);
        return;
    }
    if (mattermost_classify(r->status, r->body, why, sizeof(why)) != DELIVER_OK) {
        log_warn(&m->bot->log, "mattermost", "catching up on %s: %s", cu->c.channel, why);
        free(cu);
        return;
    }
    if ((n = mattermost_postlist_parse(r->body, r->len, &posts, &holder, &err)) < 0) {
        log_warn(&m->bot->log, "mattermost", "catching up on %s: %s", cu->c.channel, err.msg);
        free(cu);
        return;
    }
    for (int i = 0; i < n; i++) {
        const struct mattermost_post *p = &posts[i];
        struct mattermost_event ev = { 0 };
        bool for_bot;

        /* a post from the list judged as its event would be */
        ev.kind = MM_EVENT_POSTED;
        ev.post = *p;
        ev.channel_type = cu->c.direct ? "D" : "O";
        for_bot = mattermost_event_for_bot(&ev, m->bot_id, m->bot_name);
        handle_post(m, p, cu->c.direct, for_bot, NULL);
        snprintf(cu->c.post, sizeof(cu->c.post), "%s", p->id);
    }
    mattermost_postlist_free(posts, holder);
    if (n > 0) {
        log_info(&m->bot->log, "mattermost", "caught up %d post%s in %s", n, n == 1 ? "" : "s",
                 cu->c.channel);
        /* a full page: there may be more after it */
        if (n >= MM_CATCHUP_PAGE)
            catch_up_channel(m, &cu->c);
    }
    free(cu);
}

static void
catch_up_channel(struct mattermost *m, const struct cursor *c)
{
    char url[600];
    struct catchup *cu = malloc(sizeof(*cu));
    struct http_req req;
    struct err err = { 0 };

    if (cu == NULL)
        return;
    cu->m = m;
    cu->c = *c;
    snprintf(url, sizeof(url), "%schannels/%s/posts?after=%s&per_page=%d", m->api, c->channel,
             c->post, MM_CATCHUP_PAGE);
    req = rest(m, "GET", url);
    if (http_request(m->bot->http, &req, on_channel_posts, cu, &err) < 0) {
        log_warn(&m->bot->log, "mattermost", "catching up on %s: %s", c->channel, err.msg);
        free(cu);
    }
}

/* The server could not replay what this bot missed (a restart on either
 * side, or too long away): read every channel it reads from where it was
 * left. Posts already handled are recognised by the inbox. */
static void
catch_up(struct mattermost *m)
{
    struct cursor *cs = calloc(MM_CATCHUP_CHANNELS, sizeof(*cs));
    struct err err = { 0 };
    int n;

    if (cs == NULL)
        return;
    if ((n = cursor_list(m->bot->store, cs, MM_CATCHUP_CHANNELS, &err)) < 0)
        log_warn(&m->bot->log, "mattermost", "catching up: %s", err.msg);
    for (int i = 0; i < n; i++)
        catch_up_channel(m, &cs[i]);
    free(cs);
}

/* -------------------------------------------------------------- events */

static void
on_hello(struct mattermost *m, struct ws_conn *c, const struct mattermost_event *ev)
{
    bool resumed_before = m->connection_id[0] != '\0';

    /* a hello means a new event stream: whatever the old one still held
     * is lost to replay, so it is read over REST instead */
    log_info(&m->bot->log, "mattermost", "#%d: hello (server %s)%s", ws_id(c),
             ev->server_version, resumed_before ? ", events may be missed: catching up" : "");
    snprintf(m->connection_id, sizeof(m->connection_id), "%s", ev->connection_id);
    m->next_seq = ev->seq + 1;
    m->had_hello = true;
    catch_up(m);
}

static void
on_ws_text(void *ud, struct ws_conn *c, const char *text, size_t len)
{
    struct mattermost *m = ud;
    struct mattermost_event ev;
    struct err err = { 0 };

    if (mattermost_event_parse(text, len, &ev, &err) < 0) {
        log_warn(&m->bot->log, "mattermost", "#%d: %s", ws_id(c), err.msg);
        mattermost_event_release(&ev);
        return;
    }
    log_debug(&m->bot->log, "mattermost", "#%d: %s %lld", ws_id(c),
              ev.kind == MM_EVENT_REPLY ? "reply" : ev.event, (long long)ev.seq);
    if (ev.kind == MM_EVENT_HELLO) {
        on_hello(m, c, &ev);
    } else if (ev.kind != MM_EVENT_REPLY && link_is_live(m->link, c)) {
        if (m->had_hello && ev.seq != m->next_seq) {
            /* a gap: reconnect asking for the missed ones from next_seq */
            log_warn(&m->bot->log, "mattermost", "#%d: event %lld after %lld: resuming",
                     ws_id(c), (long long)ev.seq, (long long)m->next_seq - 1);
            link_drop(m->link, c, 0, "missed events");
        } else {
            m->next_seq = ev.seq + 1;
            if (ev.kind == MM_EVENT_POSTED)
                handle_post(m, &ev.post, strcmp(ev.channel_type, "D") == 0,
                            mattermost_event_for_bot(&ev, m->bot_id, m->bot_name),
                            ev.sender_name);
        }
    }
    mattermost_event_release(&ev);
}

static void
on_ws_open(void *ud, struct ws_conn *c)
{
    struct mattermost *m = ud;

    /* the token went on the upgrade, so the connection is authenticated
     * now; a resumed one gets its missed events and no hello */
    link_up(m->link, c);
}

static void
want_url(void *ud, struct link *l)
{
    struct mattermost *m = ud;
    char *url = mattermost_ws_url(m->ws_base, m->connection_id, m->next_seq);

    if (url == NULL) {
        link_retry(l, 0, "out of memory");
        return;
    }
    link_connect(l, url);
    free(url);
}

/* ----------------------------------------------------------- users/me */

static void
on_me_retry(lws_sorted_usec_list_t *sul)
{
    get_me(lws_container_of(sul, struct mattermost, sul_me));
}

static void
on_me(void *ud, const struct http_resp *r)
{
    struct mattermost *m = ud;
    char why[200];
    enum deliver_result res;
    json_error_t jerr;
    json_t *root;
    const char *id, *name;

    if (r->cancelled || m->bot->quit)
        return;
    res = mattermost_classify(r->status, r->body, why, sizeof(why));
    root = res == DELIVER_OK ? json_loads(r->body, 0, &jerr) : NULL;
    id = json_string_value(json_object_get(root, "id"));
    name = json_string_value(json_object_get(root, "username"));
    if (res == DELIVER_FATAL || (res == DELIVER_FAILED && r->status == 403)) {
        log_err(&m->bot->log, "mattermost",
                "GET /users/me: %s: Mattermost refused the token; set the bot account's access "
                "token in [mattermost] token or SMARKBOT_MATTERMOST_TOKEN", why);
        bot_quit(m->bot, 1);
    } else if (id == NULL || name == NULL || !mattermost_is_id(id)) {
        static const struct backoff me_backoff = { 1000, 60000 };
        double rnd = (double)rand_r(&m->seed) / ((double)RAND_MAX + 1.0);
        int64_t ms = backoff_ms(&me_backoff, m->me_attempt++, rnd);

        log_warn(&m->bot->log, "mattermost", "GET /users/me: %s; again in %.1f s",
                 res == DELIVER_OK ? "no user in the answer" : why, (double)ms / 1000);
        lws_sul_schedule(m->bot->lws, 0, &m->sul_me, on_me_retry, (lws_usec_t)ms * 1000);
    } else {
        snprintf(m->bot_id, sizeof(m->bot_id), "%s", id);
        snprintf(m->bot_name, sizeof(m->bot_name), "%s", name);
        log_info(&m->bot->log, "mattermost", "signed in as @%s (%s)", m->bot_name, m->bot_id);
        link_start(m->link);
        /* DMs waited for the bot's id */
        deliver_kick(m->bot->deliver);
    }
    json_decref(root);
}

static void
get_me(struct mattermost *m)
{
    char url[600];
    struct http_req req;
    struct err err = { 0 };

    snprintf(url, sizeof(url), "%susers/me", m->api);
    req = rest(m, "GET", url);
    if (http_request(m->bot->http, &req, on_me, m, &err) < 0) {
        log_err(&m->bot->log, "mattermost", "GET /users/me: %s", err.msg);
        bot_quit(m->bot, 1);
    }
}

/* ------------------------------------------------------------------ ops */

static int
mattermost_start(struct bot *bot, struct err *err)
{
    struct mattermost *m = calloc(1, sizeof(*m));
    const char *url = bot->cfg.mm_url;
    size_t n = strlen(url);
    bool tls = strncmp(url, "https://", 8) == 0;
    char base[600];

    if (m == NULL) {
        err_set(err, _("out of memory"));
        return -1;
    }
    bot->plat = m;
    m->bot = bot;
    m->seed = (unsigned)clock_mono_ms();
    if (bot->cfg.mm_token[0] == '\0' || (!tls && strncmp(url, "http://", 7) != 0)) {
        err_set(err, _("mattermost needs [mattermost] url (https://...) and token (or "
                       "SMARKBOT_MATTERMOST_TOKEN)"));
        return -1;
    }
    while (n > 0 && url[n - 1] == '/')
        n--;
    snprintf(base, sizeof(base), "%.*s/api/v4/", (int)n, url);
    m->api = strdup(base);
    snprintf(base, sizeof(base), "%s%.*s/api/v4/websocket", tls ? "wss://" : "ws://",
             (int)(n - (tls ? 8 : 7)), url + (tls ? 8 : 7));
    m->ws_base = strdup(base);
    if (m->api == NULL || m->ws_base == NULL || mattermost_routes_add(m, err) < 0) {
        if (!err->set)
            err_set(err, _("out of memory"));
        return -1;
    }
    snprintf(m->auth, sizeof(m->auth), "Bearer %s", bot->cfg.mm_token);
    m->api_ctx.store = bot->store;
    m->api_ctx.clock = &bot->clock;
    m->api_ctx.log = &bot->log;
    m->api_ctx.api = m->api;
    m->api_ctx.token = bot->cfg.mm_token;
    m->api_ctx.team = bot->cfg.mm_team;
    m->api_ctx.bot_id = m->bot_id;
    m->api_ctx.action_url = m->action_url;
    m->api_ctx.action_secret = bot->cfg.mm_action_secret;
    {
        static const struct link_handlers lh = {
            want_url, on_ws_open, on_ws_text, NULL,
        };
        struct link_policy policy = {
            .backoff = { 1000, 60000 },
            .healthy_ms = MM_HEALTHY_MS,
            .drain_ms = MM_DRAIN_MS,
        };

        /* the server pings every 60 s and answers ours: 75 s of silence
         * is a dead connection */
        policy.ws.ping_ms = 20000;
        policy.ws.dead_ms = 75000;
        policy.ws.authorization = m->auth;
        if ((m->link = link_new(bot->lws, "mattermost", &policy, &lh, m, &bot->log, err)) == NULL)
            return -1;
    }
    return bot_deliver_init(bot, &mattermost_deliver, &m->api_ctx, NULL, NULL, err);
}

static void
mattermost_begin(struct bot *bot)
{
    struct mattermost *m = bot->plat;

    log_info(&bot->log, "mattermost", "starting (REST at %s)", m->api);
    get_me(m);
}

static void
mattermost_end(struct bot *bot)
{
    link_stop(((struct mattermost *)bot->plat)->link);
}

static void
mattermost_refused(struct bot *bot, const char *why)
{
    log_err(&bot->log, "mattermost",
            "%s: Mattermost refused the bot's token; set a valid access token in [mattermost] "
            "token or SMARKBOT_MATTERMOST_TOKEN (unsent posts stay queued)", why);
}

static void
mattermost_release(struct bot *bot)
{
    struct mattermost *m = bot->plat;

    if (m == NULL)
        return;
    link_free(m->link);
    while (m->held) {
        struct held *h = m->held;

        m->held = h->next;
        held_free(h);
    }
    strlist_release(&m->looking);
    strlist_release(&m->looked_up);
    mattermost_api_release(&m->api_ctx);
    free(m->api);
    free(m->ws_base);
    free(m->action_url);
    free(m);
    bot->plat = NULL;
}

static bool
mattermost_healthy(struct bot *bot, char *why, size_t len)
{
    return link_healthy(((struct mattermost *)bot->plat)->link, why, len);
}

const struct platform_ops mattermost_ops = {
    .name = "mattermost",
    .start = mattermost_start,
    .begin = mattermost_begin,
    .end = mattermost_end,
    .refused = mattermost_refused,
    .healthy = mattermost_healthy,
    .release = mattermost_release,
};

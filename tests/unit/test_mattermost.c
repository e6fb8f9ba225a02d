/* SPDX-License-Identifier: MIT */
/* test_mattermost.c: Mattermost's pure parts. Frames and listener bodies
 * (the fixtures of tests/data/mattermost, and frames as the server writes
 * them) into events, commands and clicks; mentions into the neutral form;
 * the answers the bot builds; and mattermost_deliver driven by the real
 * delivery engine against a scripted transport: the request of every
 * outbox kind (method, URL, body), the lookups that come first, and what
 * each answer does to the row. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "args.h"
#include "deliver.h"
#include "mattermost_api.h"
#include "mattermost_event.h"
#include "outbox.h"
#include "store.h"
#include "users.h"

#define API "http://127.0.0.1:8065/api/v4/"
#define ACTION_URL "http://127.0.0.1:8066/mattermost/action"
#define BOT_ID "botuser0000000000000000000"
#define BOB_ID "bobuser0000000000000000000"
#define CAROL_ID "carolus0000000000000000000"
#define SALES_ID "salesch0000000000000000000"
#define DM_BOB "dmbob000000000000000000000"
#define POST1 "post1000000000000000000000"
#define POST2 "post2000000000000000000000"
#define CARD "{\"lead\":\"L-3\",\"actions\":[\"accept\",\"reject\"]}"

static char *
slurp(const char *name)
{
    char path[256];
    FILE *fp;
    char *buf;
    long n;

    snprintf(path, sizeof(path), "tests/data/mattermost/%s", name);
    fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    rewind(fp);
    buf = calloc(1, (size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    return buf;
}

static void
parse_ok(const char *text, struct mattermost_event *ev)
{
    struct err err = { 0 };

    assert_int_equal(mattermost_event_parse(text, strlen(text), ev, &err), 0);
}

/* ---- WebSocket frames */

static void
test_fixture_frames(void **state)
{
    struct mattermost_event ev;
    struct err err = { 0 };
    char *t;

    (void)state;
    t = slurp("hello_apidocs.json");
    parse_ok(t, &ev);
    assert_int_equal(ev.kind, MM_EVENT_HELLO);
    assert_int_equal(ev.seq, 0);
    assert_string_equal(ev.user_id, "ay5sq51sebfh58ktrce5ijtcwy");
    assert_string_equal(ev.server_version, "3.6.0.1451.1c38da627ebb4e3635677db6939e9195");
    assert_string_equal(ev.connection_id, "");     /* old servers have none */
    mattermost_event_release(&ev);
    free(t);

    t = slurp("auth_reply_ok.json");
    parse_ok(t, &ev);
    assert_int_equal(ev.kind, MM_EVENT_REPLY);
    assert_true(ev.ok);
    assert_int_equal(ev.seq_reply, 1);
    assert_int_equal(ev.seq, -1);
    mattermost_event_release(&ev);
    free(t);

    t = slurp("ws_reply_fail.json");
    parse_ok(t, &ev);
    assert_int_equal(ev.kind, MM_EVENT_REPLY);
    assert_false(ev.ok);
    assert_int_equal(ev.seq_reply, 2);
    assert_string_equal(ev.error_id, "some.error.id.here");
    assert_string_equal(ev.error_message, "Some error message here");
    mattermost_event_release(&ev);
    free(t);

    /* the precomputed-broadcast spacing ({"event": ..., "seq": 7}) */
    t = slurp("posted_event_channel.json");
    parse_ok(t, &ev);
    assert_int_equal(ev.kind, MM_EVENT_POSTED);
    assert_int_equal(ev.seq, 7);
    assert_string_equal(ev.post.id, "ghkm74cqzbnjxr5dx638k73xqa");
    assert_string_equal(ev.post.user_id, "kh9859j8kir15dmxonsm8sxq1w");
    assert_string_equal(ev.post.channel_id, "amtak96j3br5iyokgunmf188jc");
    assert_string_equal(ev.post.root_id, "");
    assert_string_equal(ev.post.message, "test");
    assert_string_equal(ev.post.type, "");
    assert_true(ev.post.create_at == 1576937676623LL);
    assert_string_equal(ev.channel_type, "O");
    assert_string_equal(ev.channel_name, "town-square");
    assert_string_equal(ev.sender_name, "admin");
    assert_string_equal(ev.team_id, "49ck75z1figmpjy6eknrohsjnw");
    assert_int_equal(ev.nmentions, 0);
    assert_false(mattermost_event_mentions(&ev, BOT_ID));
    assert_false(mattermost_event_ignored(&ev, BOT_ID));
    /* a channel post that does not name the bot is not a command */
    assert_false(mattermost_event_for_bot(&ev, BOT_ID, "smarkbot"));
    mattermost_event_release(&ev);
    free(t);

    /* what the bot sends and a bare Post are not frames it receives */
    t = slurp("auth_challenge.json");
    assert_int_equal(mattermost_event_parse(t, strlen(t), &ev, &err), -1);
    assert_true(err.set);
    mattermost_event_release(&ev);
    free(t);
    t = slurp("post_object.json");
    assert_int_equal(mattermost_event_parse(t, strlen(t), &ev, NULL), -1);
    mattermost_event_release(&ev);
    free(t);
}

/* A `posted` frame as the server's json.Encoder writes it: data.post and
 * data.mentions are JSON text inside strings. */
static char *
posted(const char *ctype, const char *user, const char *message, const char *type,
       const char *mentions, const char *props)
{
    json_t *post = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:o}",
                             "id", POST1, "create_at", (json_int_t)1700000000123LL,
                             "user_id", user, "channel_id", SALES_ID, "root_id", "",
                             "message", message, "type", type,
                             "props", json_loads(props ? props : "{}", 0, NULL));
    char *ptext = json_dumps(post, JSON_COMPACT), *out;
    json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s}",
                             "channel_name", strcmp(ctype, "D") == 0 ? BOB_ID "__" BOT_ID : "sales",
                             "channel_type", ctype, "post", ptext,
                             "sender_name", "@bob", "set_online", 1,
                             "team_id", strcmp(ctype, "D") == 0 ? "" : "teamid00000000000000000000");
    json_t *frame;

    if (mentions)
        json_object_set_new(data, "mentions", json_string(mentions));
    frame = json_pack("{s:s, s:o, s:{s:n, s:s, s:s, s:s}, s:i}", "event", "posted",
                      "data", data, "broadcast", "omit_users", "user_id", "",
                      "channel_id", SALES_ID, "team_id", "", "seq", 3);
    out = json_dumps(frame, JSON_COMPACT);
    json_decref(frame);
    json_decref(post);
    free(ptext);
    return out;
}

static void
test_posted(void **state)
{
    struct mattermost_event ev;
    char *t, *cmd;

    (void)state;
    /* a DM: the recipient counts as mentioned; the message is the command */
    t = posted("D", BOB_ID, "handoff L-3", "", "[\"" BOT_ID "\"]", NULL);
    parse_ok(t, &ev);
    assert_int_equal(ev.kind, MM_EVENT_POSTED);
    assert_int_equal(ev.seq, 3);
    assert_int_equal(ev.nmentions, 1);
    assert_true(mattermost_event_mentions(&ev, BOT_ID));
    assert_false(mattermost_event_mentions(&ev, BOB_ID));
    assert_string_equal(ev.sender_name, "bob");
    assert_string_equal(ev.team_id, "");
    assert_true(ev.post.create_at == 1700000000123LL);
    assert_true(mattermost_event_for_bot(&ev, BOT_ID, "smarkbot"));
    cmd = mattermost_event_command(ev.post.message, "smarkbot");
    assert_string_equal(cmd, "handoff L-3");
    free(cmd);
    mattermost_event_release(&ev);
    free(t);

    /* a channel post naming the bot */
    t = posted("O", BOB_ID, "@smarkbot handoff L-3", "", "[\"" BOT_ID "\"]", NULL);
    parse_ok(t, &ev);
    assert_true(mattermost_event_for_bot(&ev, BOT_ID, "smarkbot"));
    cmd = mattermost_event_command(ev.post.message, "smarkbot");
    assert_string_equal(cmd, "handoff L-3");
    free(cmd);
    mattermost_event_release(&ev);
    free(t);

    /* without mentions (the key is absent when nothing applies) the name
     * in the text still counts */
    t = posted("P", BOB_ID, "@SmarkBot: leads", "", NULL, NULL);
    parse_ok(t, &ev);
    assert_int_equal(ev.nmentions, 0);
    assert_true(mattermost_event_for_bot(&ev, BOT_ID, "smarkbot"));
    mattermost_event_release(&ev);
    free(t);

    /* @channel puts the bot in mentions too: not a command */
    t = posted("O", BOB_ID, "@channel lunch?", "", "[\"" BOT_ID "\"]", NULL);
    parse_ok(t, &ev);
    assert_true(mattermost_event_mentions(&ev, BOT_ID));
    assert_false(mattermost_event_for_bot(&ev, BOT_ID, "smarkbot"));
    /* before the bot knows its name, mentions decide */
    assert_true(mattermost_event_for_bot(&ev, BOT_ID, ""));
    mattermost_event_release(&ev);
    free(t);

    /* its own post, a system post, a webhook's post: ignored even in a DM */
    t = posted("D", BOT_ID, "L-3 handed off", "", "[\"" BOB_ID "\"]", NULL);
    parse_ok(t, &ev);
    assert_true(mattermost_event_ignored(&ev, BOT_ID));
    assert_false(mattermost_event_for_bot(&ev, BOT_ID, "smarkbot"));
    mattermost_event_release(&ev);
    free(t);
    t = posted("O", BOB_ID, "bob joined the channel. @smarkbot", "system_join_channel", NULL,
               NULL);
    parse_ok(t, &ev);
    assert_true(mattermost_event_ignored(&ev, BOT_ID));
    assert_false(mattermost_event_for_bot(&ev, BOT_ID, "smarkbot"));
    mattermost_event_release(&ev);
    free(t);
    t = posted("D", BOB_ID, "help", "", NULL, "{\"from_webhook\":\"true\"}");
    parse_ok(t, &ev);
    assert_true(ev.post.from_webhook);
    assert_false(mattermost_event_for_bot(&ev, BOT_ID, "smarkbot"));
    mattermost_event_release(&ev);
    free(t);
}

static void
test_bad_frames(void **state)
{
    static const char *const bad[] = {
        "[1]", "{\"x\":1", "{}", "{\"event\":\"\",\"seq\":1}",
        /* data.post that is not a Post: nothing half-parsed goes on */
        "{\"event\":\"posted\",\"data\":{\"post\":\"{nope\"},\"seq\":4}",
        "{\"event\":\"posted\",\"data\":{\"post\":\"[1]\"},\"seq\":4}",
        "{\"event\":\"posted\",\"data\":{},\"seq\":4}",
    };
    struct mattermost_event ev;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct err err = { 0 };

        assert_int_equal(mattermost_event_parse(bad[i], strlen(bad[i]), &ev, &err), -1);
        assert_true(err.set);
        mattermost_event_release(&ev);
    }
    /* other events keep their seq; garbage mentions are no mentions */
    parse_ok("{\"event\":\"status_change\",\"data\":{\"status\":\"away\"},\"seq\":12}", &ev);
    assert_int_equal(ev.kind, MM_EVENT_OTHER);
    assert_string_equal(ev.event, "status_change");
    assert_int_equal(ev.seq, 12);
    mattermost_event_release(&ev);
    parse_ok("{\"event\":\"posted\",\"data\":{\"post\":\"{\\\"id\\\":\\\"x\\\"}\","
             "\"mentions\":\"[oops\"},\"seq\":5}", &ev);
    assert_int_equal(ev.nmentions, 0);
    assert_string_equal(ev.post.message, "");
    mattermost_event_release(&ev);
    /* a ping's answer */
    parse_ok("{\"status\":\"OK\",\"seq_reply\":9,\"data\":{\"text\":\"pong\",\"node_id\":\"\"}}\n",
             &ev);
    assert_int_equal(ev.kind, MM_EVENT_REPLY);
    assert_string_equal(ev.reply_text, "pong");
    mattermost_event_release(&ev);
}

static void
test_command_text(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        { "@smarkbot handoff L-3", "handoff L-3" },
        { "@SMARKBOT, leads", "leads" },
        { "  @smarkbot:\thelp", "help" },
        { "hey @smarkbot leads mine", "leads mine" },
        { "@smarkbot", "" },
        { "handoff L-3", "handoff L-3" },           /* a DM */
        { "@smarkbotx help", "@smarkbotx help" },   /* someone else */
        { "mail a@smarkbot.com", "mail a@smarkbot.com" },
        { "@smarkbot. help", "help" },              /* a sentence's dot */
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *c = mattermost_event_command(cases[i].in, "smarkbot");

        assert_string_equal(c, cases[i].out);
        free(c);
    }
}

static const char *
lookup(void *ud, char sigil, const char *name)
{
    (void)ud;
    if (sigil == '@' && strcmp(name, "bob") == 0)
        return BOB_ID;
    if (sigil == '~' && strcmp(name, "sales") == 0)
        return SALES_ID;
    return NULL;
}

static void
test_mentions_neutral(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        { "handoff L-3 @bob", "handoff L-3 <@" BOB_ID "|bob>" },
        { "@Bob.", "<@" BOB_ID "|bob>." },
        { "leads rep=@bob", "leads rep=<@" BOB_ID "|bob>" },
        { "meeting channel=~sales", "meeting channel=<#" SALES_ID "|sales>" },
        { "@carol ~nowhere", "@carol ~nowhere" },   /* unknown: as typed */
        { "mail bob@bob.com", "mail bob@bob.com" },
        { "@ alone ~", "@ alone ~" },
        { "", "" },
    };
    struct args a;
    char *s, *id, **names;
    size_t n;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        s = mattermost_mentions_neutral(cases[i].in, lookup, NULL);
        assert_string_equal(s, cases[i].out);
        free(s);
    }
    /* the core reads the neutral form as the id */
    s = mattermost_mentions_neutral("handoff L-3 @bob", lookup, NULL);
    assert_int_equal(args_split(&a, s, NULL), 0);
    id = args_user(a.argv[2]);
    assert_string_equal(id, BOB_ID);
    free(id);
    args_release(&a);
    free(s);
    /* names to look up first: each once, not the bot, not @channel */
    n = mattermost_mention_names("@Bob @carol @bob @smarkbot @channel x@y.z @dave.",
                                 "smarkbot", &names);
    assert_int_equal(n, 3);
    assert_string_equal(names[0], "bob");
    assert_string_equal(names[1], "carol");
    assert_string_equal(names[2], "dave");
    mattermost_names_free(names, n);
    assert_int_equal(mattermost_mention_names("no one", "smarkbot", &names), 0);
    mattermost_names_free(names, 0);
}

static void
test_markup(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        { "note: call <@" CAROL_ID "|carol> today", "note: call @carol today" },
        { "in <#" SALES_ID "|sales>.", "in ~sales." },
        { "<@" CAROL_ID ">", "<@" CAROL_ID ">" },       /* no name: as is */
        { "a < b > c <@x|y z>", "a < b > c <@x|y z>" },
        { "", "" },
    };
    char *s, *t;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        s = mattermost_markup(cases[i].in);
        assert_string_equal(s, cases[i].out);
        free(s);
    }
    /* there and back */
    s = mattermost_mentions_neutral("handoff L-3 @bob in ~sales", lookup, NULL);
    t = mattermost_markup(s);
    assert_string_equal(t, "handoff L-3 @bob in ~sales");
    free(s);
    free(t);
    /* what the bot answers reads as Mattermost's */
    s = mattermost_command_response("ask <@" BOB_ID "|bob>", 1);
    assert_non_null(strstr(s, "\"ask @bob\""));
    free(s);
}

/* ---- the listener's bodies */

/* The fixture's body, shown one field per line, as its one wire line. */
static char *
slash_body(void)
{
    char *t = slurp("slash_command_request.http"), *body = strstr(t, "\n\n"), *out, *q;

    assert_non_null(body);
    out = calloc(1, strlen(body) + 1);
    q = out;
    for (const char *p = body + 2; *p; p++)
        if (*p != '\n' && *p != '\r')
            *q++ = *p;
    free(t);
    return out;
}

static void
test_slash_command(void **state)
{
    struct mattermost_command c;
    struct err err = { 0 };
    char *body = slash_body(), *s;

    (void)state;
    assert_int_equal(strlen(body), 567);    /* the doc's Content-Length */
    assert_int_equal(mattermost_command_parse(body, &c, &err), 0);
    assert_string_equal(c.token, "qzgakf1nx3yt9dr4n8585ihbxy");
    assert_string_equal(c.team_id, "wx4zz8t4ttgmtxqiwfohijayzc");
    assert_string_equal(c.team_domain, "team-awesome");
    assert_string_equal(c.channel_id, "fukxanjgjbnp7ng383at53k1sy");
    assert_string_equal(c.channel_name, "town-square");
    assert_string_equal(c.user_id, "erj6qck3rfgtujs86w5r6rckzh");
    assert_string_equal(c.user_name, "alan");
    assert_string_equal(c.command, "/weather");
    assert_string_equal(c.text, "toronto week");
    assert_string_equal(c.response_url,
                        "http://localhost:8066/hooks/commands/i11f6nnfgfyk8eg56x9omc6dpa");
    /* %3D decoded: the base64 padding is back */
    assert_int_equal(strlen(c.trigger_id), 220);
    assert_string_equal(c.trigger_id + strlen(c.trigger_id) - 4, "PT0=");
    assert_int_equal(c.nusers, 0);
    mattermost_command_release(&c);
    free(body);

    /* mentions come with their ids, sorted as url.Values writes them */
    assert_int_equal(mattermost_command_parse(
        "channel_id=" SALES_ID "&channel_mentions=sales&channel_mentions_ids=" SALES_ID
        "&command=%2Fsmk&text=handoff+L-3+%40Bob+in+~sales&token=t&user_id=" CAROL_ID
        "&user_mentions=bob&user_mentions_ids=" BOB_ID "&user_name=carol", &c, &err), 0);
    assert_int_equal(c.nusers, 1);
    assert_int_equal(c.nchannels, 1);
    s = mattermost_mentions_neutral(c.text, mattermost_command_lookup, &c);
    assert_string_equal(s, "handoff L-3 <@" BOB_ID "|bob> in <#" SALES_ID "|sales>");
    free(s);
    assert_string_equal(c.response_url, "");    /* absent: "" */
    mattermost_command_release(&c);

    /* what is not a slash command */
    err_clear(&err);
    assert_int_equal(mattermost_command_parse("command=%2Fsmk&channel_id=c", &c, &err), -1);
    assert_true(err.set);
    mattermost_command_release(&c);
    assert_int_equal(mattermost_command_parse("user_id=u&channel_id=c&command=%2Fsmk&text=%zz",
                                              &c, NULL), -1);
    mattermost_command_release(&c);
    assert_int_equal(mattermost_command_parse("user_id=u&channel_id=c&command=%2Fsmk"
                                              "&user_mentions=bob", &c, NULL), -1);
    mattermost_command_release(&c);
}

/* A body of many mention pairs is refused at once: each pair costs a walk
 * of the whole body, so 4,000 of them took seconds (fuzz_mattermost_command). */
static void
test_slash_command_mentions_cap(void **state)
{
    struct mattermost_command c;
    struct err err = { 0 };
    struct strbuf sb;

    (void)state;
    strbuf_init(&sb, 0);
    strbuf_puts(&sb, "user_id=u&channel_id=c&command=%2Fsmk&text=hi");
    for (int i = 0; i < 100; i++)
        strbuf_printf(&sb, "&user_mentions=u%d&user_mentions_ids=id%d", i, i);
    assert_int_equal(mattermost_command_parse(strbuf_str(&sb), &c, &err), 0);
    assert_int_equal(c.nusers, 100);
    assert_string_equal(c.user_mentions_ids[99], "id99");
    mattermost_command_release(&c);
    strbuf_puts(&sb, "&user_mentions=x&user_mentions_ids=y");
    assert_int_equal(mattermost_command_parse(strbuf_str(&sb), &c, &err), -1);
    assert_true(err.set);
    assert_non_null(strstr(err.msg, "101 user_mentions"));
    mattermost_command_release(&c);
    strbuf_release(&sb);
}

static void
test_action(void **state)
{
    struct mattermost_action a;
    struct err err = { 0 };
    char *t = slurp("action_request.json");
    const char *mine = "{\"user_id\":\"" BOB_ID "\",\"user_name\":\"bob\",\"channel_id\":\""
                       SALES_ID "\",\"post_id\":\"" POST1 "\",\"trigger_id\":\"tr\","
                       "\"type\":\"button\",\"context\":{\"action\":\"accept\","
                       "\"lead\":\"L-3\",\"secret\":\"s3\"}}";

    (void)state;
    assert_int_equal(mattermost_action_parse(t, strlen(t), &a, &err), 0);
    assert_string_equal(a.user_id, "rd49ehbqyjytddasoownkuqrxe");
    assert_string_equal(a.post_id, "gqrnh3675jfxzftnjyjfe4udeh");
    assert_string_equal(a.channel_id, "j6j53p28k6urx15fpcgsr20psq");
    assert_string_equal(a.team_id, "5xxzt146eax4tul69409opqjlf");
    assert_string_equal(a.action, "do_something");
    assert_string_equal(a.lead, "");
    assert_string_equal(a.secret, "");
    assert_string_equal(a.user_name, "");
    mattermost_action_release(&a);
    free(t);
    assert_int_equal(mattermost_action_parse(mine, strlen(mine), &a, &err), 0);
    assert_string_equal(a.user_name, "bob");
    assert_string_equal(a.action, "accept");
    assert_string_equal(a.lead, "L-3");
    assert_string_equal(a.secret, "s3");
    assert_string_equal(a.trigger_id, "tr");
    mattermost_action_release(&a);
    assert_int_equal(mattermost_action_parse("{\"user_id\":\"u\",\"context\":{\"action\":\"a\"}}",
                                             40, &a, &err), -1);
    mattermost_action_release(&a);
    assert_int_equal(mattermost_action_parse("nope", 4, &a, NULL), -1);
    mattermost_action_release(&a);
}

/* ---- answers the bot builds */

static json_t *
load(const char *text)
{
    json_t *j = json_loads(text, 0, NULL);

    assert_non_null(j);
    return j;
}

static void
test_answers(void **state)
{
    struct strbuf sb;
    char *s, *fixture;
    json_t *j, *x, *extra;
    size_t i;

    (void)state;
    s = mattermost_command_response("L-3 handed off to bob", 5);
    j = load(s);
    assert_string_equal(json_string_value(json_object_get(j, "response_type")), "ephemeral");
    assert_string_equal(json_string_value(json_object_get(j, "text")), "L-3 handed off to bob");
    assert_null(json_object_get(j, "extra_responses"));
    json_decref(j);
    free(s);
    /* a long reply: one answer, the rest in extra_responses */
    strbuf_init(&sb, 0);
    for (int k = 0; k < 1000; k++)
        strbuf_printf(&sb, "L-%d  a lead with a line long enough to count\n", k);
    s = mattermost_command_response(strbuf_str(&sb), 5);
    j = load(s);
    extra = json_object_get(j, "extra_responses");
    assert_true(json_array_size(extra) >= 2);
    assert_true(json_string_length(json_object_get(j, "text")) <= MM_PART_MAX);
    json_array_foreach(extra, i, x) {
        assert_true(json_string_length(json_object_get(x, "text")) <= MM_PART_MAX);
        assert_string_equal(json_string_value(json_object_get(x, "response_type")), "ephemeral");
    }
    assert_non_null(strstr(json_string_value(json_object_get(json_array_get(extra, 0), "text")),
                           "L-"));
    json_decref(j);
    free(s);
    strbuf_release(&sb);

    /* the click's answer has the fixture's shape */
    fixture = slurp("action_response.json");
    x = load(fixture);
    s = mattermost_action_response("Accepted by bob", "L-3 is yours");
    j = load(s);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "update"), "message")),
                        "Accepted by bob");
    assert_true(json_is_array(json_object_get(json_object_get(json_object_get(j, "update"),
                                                              "props"), "attachments")));
    assert_int_equal(json_array_size(json_object_get(json_object_get(json_object_get(j, "update"),
                                                                     "props"), "attachments")), 0);
    assert_string_equal(json_string_value(json_object_get(j, "ephemeral_text")), "L-3 is yours");
    assert_int_equal(json_object_size(j), json_object_size(x));
    json_decref(j);
    json_decref(x);
    free(s);
    free(fixture);
    s = mattermost_action_response(NULL, "");
    assert_string_equal(s, "{}");
    free(s);

    /* the challenge is the fixture's frame */
    fixture = slurp("auth_challenge.json");
    x = load(fixture);
    s = mattermost_ws_action("authentication_challenge", 1, "mattermosttokengoeshere");
    j = load(s);
    assert_true(json_equal(j, x));
    json_decref(j);
    json_decref(x);
    free(s);
    free(fixture);
    s = mattermost_ws_action("ping", 7, NULL);
    assert_string_equal(s, "{\"action\":\"ping\",\"seq\":7}");
    free(s);

    s = mattermost_ws_url("ws://127.0.0.1:8065/api/v4/websocket", "", 0);
    assert_string_equal(s, "ws://127.0.0.1:8065/api/v4/websocket");
    free(s);
    s = mattermost_ws_url("ws://127.0.0.1:8065/api/v4/websocket", POST1, 42);
    assert_string_equal(s, "ws://127.0.0.1:8065/api/v4/websocket?connection_id=" POST1
                           "&sequence_number=42");
    free(s);
}

/* Every key of fixture (an object) is in built: the shapes the docs show. */
static void
same_keys(json_t *fixture, json_t *built)
{
    const char *key;
    json_t *v;

    json_object_foreach(fixture, key, v) {
        json_t *b = json_object_get(built, key);

        assert_non_null(b);
        if (json_is_object(v))
            same_keys(v, b);
        else if (json_is_array(v) && json_is_object(json_array_get(v, 0)))
            same_keys(json_array_get(v, 0), json_array_get(b, 0));
    }
}

static void
test_fixture_shapes(void **state)
{
    char *t = slurp("action_buttons_post.json"), *s;
    json_t *fixture = load(t), *built = mattermost_card_props(CARD, ACTION_URL, "s"), *act;

    (void)state;
    /* the card: attachments[].actions[] with id, name, integration */
    act = json_array_get(json_object_get(json_array_get(json_object_get(fixture, "attachments"),
                                                        0), "actions"), 0);
    json_object_del(act, "tooltip");
    json_object_del(json_array_get(json_object_get(fixture, "attachments"), 0), "pretext");
    json_object_del(json_array_get(json_object_get(fixture, "attachments"), 0), "text");
    same_keys(fixture, built);
    json_decref(fixture);
    json_decref(built);
    free(t);
    /* a long command answer: the extra_responses of the server's test */
    t = slurp("command_response_extra.json");
    fixture = load(t);
    json_object_del(fixture, "attachments");
    json_object_del(json_array_get(json_object_get(fixture, "extra_responses"), 0), "attachments");
    {
        struct strbuf sb;

        strbuf_init(&sb, 0);
        for (int k = 0; k < 700; k++)
            strbuf_printf(&sb, "L-%d  a lead with a line long enough to count\n", k);
        s = mattermost_command_response(strbuf_str(&sb), 3);
        strbuf_release(&sb);
    }
    built = load(s);
    same_keys(fixture, built);
    json_decref(fixture);
    json_decref(built);
    free(s);
    free(t);
    t = slurp("command_response_ephemeral.json");
    fixture = load(t);
    s = mattermost_command_response("x", 1);
    built = load(s);
    assert_true(json_equal(json_object_get(fixture, "response_type"),
                           json_object_get(built, "response_type")));
    json_decref(fixture);
    json_decref(built);
    free(s);
    free(t);
}

static void
test_user(void **state)
{
    const char *t = "{\"id\":\"" BOB_ID "\",\"username\":\"bob\",\"locale\":\"pt-BR\","
                    "\"timezone\":{\"automaticTimezone\":\"America/Sao_Paulo\","
                    "\"manualTimezone\":\"Europe/Lisbon\",\"useAutomaticTimezone\":\"false\"}}";
    struct mattermost_user u;

    (void)state;
    assert_int_equal(mattermost_user_parse(t, strlen(t), &u, NULL), 0);
    assert_string_equal(u.id, BOB_ID);
    assert_string_equal(u.username, "bob");
    assert_string_equal(u.locale, "pt-BR");
    assert_string_equal(u.tz, "Europe/Lisbon");     /* the manual one is in use */
    assert_false(u.is_bot);
    mattermost_user_release(&u);
    t = "{\"id\":\"" BOT_ID "\",\"username\":\"smarkbot\",\"is_bot\":true}";
    assert_int_equal(mattermost_user_parse(t, strlen(t), &u, NULL), 0);
    assert_true(u.is_bot);
    assert_string_equal(u.tz, "");
    mattermost_user_release(&u);
    assert_int_equal(mattermost_user_parse("{\"id\":\"x\"}", 10, &u, NULL), -1);
    mattermost_user_release(&u);
}

static void
test_postlist(void **state)
{
    const char *t = "{\"order\":[\"" POST2 "\",\"" POST1 "\"],\"posts\":{"
                    "\"" POST1 "\":{\"id\":\"" POST1 "\",\"user_id\":\"" BOB_ID "\","
                    "\"channel_id\":\"" SALES_ID "\",\"message\":\"@smarkbot leads\","
                    "\"type\":\"\",\"create_at\":1},"
                    "\"" POST2 "\":{\"id\":\"" POST2 "\",\"user_id\":\"" BOB_ID "\","
                    "\"channel_id\":\"" SALES_ID "\",\"message\":\"@smarkbot help\","
                    "\"type\":\"\",\"create_at\":2}},\"next_post_id\":\"\",\"prev_post_id\":\"\"}";
    struct mattermost_post *posts;
    void *holder;

    (void)state;
    assert_int_equal(mattermost_postlist_parse(t, strlen(t), &posts, &holder, NULL), 2);
    /* oldest first: in the order they were typed */
    assert_string_equal(posts[0].id, POST1);
    assert_string_equal(posts[0].message, "@smarkbot leads");
    assert_string_equal(posts[1].id, POST2);
    assert_true(posts[1].create_at == 2);
    mattermost_postlist_free(posts, holder);
    assert_int_equal(mattermost_postlist_parse("{\"order\":[],\"posts\":{}}", 23, &posts,
                                               &holder, NULL), 0);
    mattermost_postlist_free(posts, holder);
    assert_int_equal(mattermost_postlist_parse("{\"posts\":{}}", 12, &posts, &holder, NULL), -1);
}

/* ---- classification */

static void
test_classify(void **state)
{
    char *e401 = slurp("error_401.json"), *e429 = slurp("rate_limit_429.http");
    const char *e403 = "{\"id\":\"api.context.permissions.app_error\",\"message\":\"You do not "
                       "have the appropriate permissions.\",\"detailed_error\":\"\","
                       "\"request_id\":\"r\",\"status_code\":403}";
    const char *e404 = "{\"id\":\"app.channel.get_by_name.missing.app_error\",\"message\":"
                       "\"Channel does not exist.\",\"status_code\":404}";
    const struct {
        long status;
        const char *body;
        enum deliver_result want;
        const char *why;
    } cases[] = {
        { 201, "{\"id\":\"" POST1 "\"}", DELIVER_OK, NULL },
        { 200, "ok", DELIVER_OK, NULL },
        { 429, strstr(e429, "\n\n") + 2, DELIVER_RATELIMITED, "HTTP 429" },
        { 500, "{\"id\":\"app.internal_error\",\"message\":\"An internal error occurred.\"}",
          DELIVER_RETRY, "app.internal_error: An internal error occurred." },
        { 502, "<html>bad gateway</html>", DELIVER_RETRY, "HTTP 502" },
        { 0, "", DELIVER_RETRY, "no answer" },
        { 408, "", DELIVER_RETRY, "HTTP 408" },
        { 401, e401, DELIVER_FATAL,
          "api.context.session_expired.app_error: Invalid or expired session, please login again." },
        { 403, e403, DELIVER_FAILED,
          "api.context.permissions.app_error: You do not have the appropriate permissions." },
        { 404, e404, DELIVER_FAILED,
          "app.channel.get_by_name.missing.app_error: Channel does not exist." },
        { 400, "garbage", DELIVER_FAILED, "HTTP 400" },
        { 413, NULL, DELIVER_FAILED, "HTTP 413" },
    };

    (void)state;
    assert_string_equal(strstr(e429, "\n\n") + 2, "limit exceeded\n");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char why[160] = "";

        assert_int_equal(mattermost_classify(cases[i].status, cases[i].body, why, sizeof(why)),
                         cases[i].want);
        if (cases[i].why)
            assert_string_equal(why, cases[i].why);
    }
    assert_true(mattermost_is_id(POST1));
    assert_false(mattermost_is_id("sales"));
    assert_false(mattermost_is_id("POST1000000000000000000000"));
    assert_false(mattermost_is_id(POST1 "0"));
    assert_false(mattermost_is_id(NULL));
    free(e401);
    free(e429);
}

static void
test_card_props(void **state)
{
    json_t *p, *acts, *a, *want;

    (void)state;
    p = mattermost_card_props(CARD, ACTION_URL, "s3cret");
    acts = json_object_get(json_array_get(json_object_get(p, "attachments"), 0), "actions");
    assert_int_equal(json_array_size(acts), 2);
    a = json_array_get(acts, 0);
    assert_string_equal(json_string_value(json_object_get(a, "id")), "accept");
    assert_string_equal(json_string_value(json_object_get(a, "name")), "Accept");
    assert_string_equal(json_string_value(json_object_get(a, "type")), "button");
    assert_string_equal(json_string_value(json_object_get(a, "style")), "primary");
    assert_string_equal(json_string_value(json_object_get(json_object_get(a, "integration"),
                                                          "url")), ACTION_URL);
    want = json_pack("{s:s, s:s, s:s}", "action", "accept", "lead", "L-3", "secret", "s3cret");
    assert_true(json_equal(json_object_get(json_object_get(a, "integration"), "context"), want));
    json_decref(want);
    a = json_array_get(acts, 1);
    assert_string_equal(json_string_value(json_object_get(a, "id")), "reject");
    assert_string_equal(json_string_value(json_object_get(a, "name")), "Reject");
    assert_string_equal(json_string_value(json_object_get(a, "style")), "danger");
    json_decref(p);
    /* no listener: no buttons; not a card: nothing */
    assert_null(mattermost_card_props(CARD, "", "s"));
    assert_null(mattermost_card_props(CARD, NULL, "s"));
    assert_null(mattermost_card_props(NULL, ACTION_URL, "s"));
    assert_null(mattermost_card_props("{\"actions\":[\"accept\"]}", ACTION_URL, "s"));
    assert_null(mattermost_card_props("{\"lead\":\"L-1\",\"actions\":[\"Bad id!\"]}",
                                      ACTION_URL, "s"));
}

/* ---- mattermost_deliver through the engine */

#define MAX_SENT 32

struct sent {
    char method[8], url[300], body[2000], bearer[64], ctype[64];
    http_done_fn done;
    void *ud;
    bool answered;
};

struct world {
    struct store *store;
    struct clock clock;
    struct log log;
    struct mattermost_api api;
    struct deliver *d;
    int64_t now_ms, wake_ms;
    struct sent sent[MAX_SENT];
    int nsent, fatal;
};

static int64_t
e_mono(void *ud)
{
    return ((struct world *)ud)->now_ms;
}

static int64_t
e_wall(void *ud)
{
    return 1800000000 + ((struct world *)ud)->now_ms / 1000;
}

static double
e_rnd(void *ud)
{
    (void)ud;
    return 0.0;
}

static int
e_send(void *ud, const struct http_req *req, http_done_fn done, void *done_ud,
       struct err *err)
{
    struct world *w = ud;
    struct sent *s;

    (void)err;
    assert_true(w->nsent < MAX_SENT);
    s = &w->sent[w->nsent++];
    memset(s, 0, sizeof(*s));
    snprintf(s->method, sizeof(s->method), "%s", req->method ? req->method : "POST");
    snprintf(s->url, sizeof(s->url), "%s", req->url);
    snprintf(s->body, sizeof(s->body), "%.*s", (int)req->body_len, req->body ? req->body : "");
    snprintf(s->bearer, sizeof(s->bearer), "%s", req->bearer ? req->bearer : "");
    snprintf(s->ctype, sizeof(s->ctype), "%s", req->content_type ? req->content_type : "");
    s->done = done;
    s->ud = done_ud;
    return 0;
}

static void
e_wake(void *ud, int64_t delay_ms)
{
    struct world *w = ud;
    int64_t at = w->now_ms + delay_ms;

    if (w->wake_ms < 0 || at < w->wake_ms)
        w->wake_ms = at;
}

static void
e_fatal(void *ud, const char *why)
{
    (void)why;
    ((struct world *)ud)->fatal++;
}

static struct world *
world_new(const char *action_url)
{
    struct world *w = calloc(1, sizeof(*w));
    struct deliver_env env = { NULL, NULL, e_mono, e_wall, e_rnd, e_send, e_wake, e_fatal };
    struct err err = { 0 };

    assert_non_null(w);
    w->log.level = LOG_DEBUG;
    w->log.fp = fopen("/dev/null", "w");
    w->wake_ms = -1;
    w->store = store_open(":memory:", &err);
    assert_non_null(w->store);
    w->api.store = w->store;
    w->api.clock = &w->clock;
    w->api.log = &w->log;
    w->api.api = API;
    w->api.token = "bottoken";
    w->api.team = "smarketing";
    w->api.bot_id = BOT_ID;
    w->api.action_url = action_url;
    w->api.action_secret = "s3cret";
    env.ud = w;
    env.clock = &w->clock;
    w->d = deliver_new(w->store, &w->log, &mattermost_deliver, &w->api, &env, NULL, &err);
    assert_non_null(w->d);
    return w;
}

static void
world_free(struct world *w)
{
    for (int i = 0; i < w->nsent; i++)
        if (!w->sent[i].answered) {
            struct http_resp r = { 0 };

            r.body = "";
            r.cancelled = true;
            r.retry_after = -1;
            w->sent[i].answered = true;
            w->sent[i].done(w->sent[i].ud, &r);
        }
    deliver_free(w->d);
    mattermost_api_release(&w->api);
    store_free(w->store);
    fclose(w->log.fp);
    free(w);
}

static int64_t
add(struct world *w, const char *kind, const char *channel, const char *user,
    const char *url, const char *text, const char *card)
{
    struct outbox_dest to = { kind, channel, user, url, 0 };
    int64_t id = outbox_add(w->store, e_wall(w), &to, text, card, NULL);

    assert_true(id > 0);
    return id;
}

static void
answer(struct world *w, int i, long status, const char *body, int retry_after)
{
    struct http_resp r = { 0 };

    assert_true(i < w->nsent);
    assert_false(w->sent[i].answered);
    r.status = status;
    r.body = body;
    r.len = strlen(body);
    r.retry_after = retry_after;
    r.error = status == 0 ? "connection refused" : NULL;
    w->sent[i].answered = true;
    w->sent[i].done(w->sent[i].ud, &r);
}

static void
run_until(struct world *w, int64_t at_ms)
{
    while (w->wake_ms >= 0 && w->wake_ms <= at_ms) {
        if (w->wake_ms > w->now_ms)
            w->now_ms = w->wake_ms;
        w->wake_ms = -1;
        deliver_pump(w->d);
    }
    if (at_ms > w->now_ms)
        w->now_ms = at_ms;
}

static char *
state_of(struct world *w, int64_t id)
{
    static char buf[4][64];
    static int k;
    char *st = buf[k++ % 4];

    outbox_state(w->store, id, st, 64);
    return st;
}

static char *
ref_of(struct world *w, int64_t id)
{
    static char buf[64];
    struct outbox_row r;

    buf[0] = '\0';
    if (outbox_get(w->store, id, &r, NULL) > 0) {
        snprintf(buf, sizeof(buf), "%s", r.ref ? r.ref : "");
        outbox_row_release(&r);
    }
    return buf;
}

static void
expect(struct world *w, int i, const char *method, const char *url)
{
    assert_true(i < w->nsent);
    assert_string_equal(w->sent[i].method, method);
    assert_string_equal(w->sent[i].url, url);
    assert_string_equal(w->sent[i].bearer, strncmp(url, API, strlen(API)) == 0 ? "bottoken" : "");
    if (strcmp(method, "GET") != 0)
        assert_string_equal(w->sent[i].ctype, "application/json");
}

/* The JSON body of request i (new reference). */
static json_t *
body_of(struct world *w, int i)
{
    json_t *j = json_loads(w->sent[i].body, 0, NULL);

    assert_non_null(j);
    return j;
}

static const char *
jstr(json_t *j, const char *path)
{
    char key[64];
    const char *dot;

    while ((dot = strchr(path, '.')) != NULL) {
        snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
        j = json_object_get(j, key);
        path = dot + 1;
    }
    return json_string_value(json_object_get(j, path));
}

#define POST_OK(id) "{\"id\":\"" id "\",\"create_at\":1,\"user_id\":\"" BOT_ID "\"}"
#define CHANNEL(id, type) "{\"id\":\"" id "\",\"type\":\"" type "\",\"name\":\"x\",\"team_id\":\"\"}"

static void
test_channel_by_name(void **state)
{
    struct world *w = world_new(ACTION_URL);
    int64_t a = add(w, OUTBOX_CHANNEL, "sales", NULL, NULL, "New lead: Jane", CARD);
    int64_t b = add(w, OUTBOX_CHANNEL, "sales", NULL, NULL, "ask <@" CAROL_ID "|carol>", NULL);
    json_t *j, *acts;

    (void)state;
    deliver_pump(w->d);
    /* the id of the name comes first */
    assert_int_equal(w->nsent, 1);
    expect(w, 0, "GET", API "teams/name/smarketing/channels/name/sales");
    answer(w, 0, 200, CHANNEL(SALES_ID, "O"), -1);
    assert_int_equal(w->nsent, 2);
    expect(w, 1, "POST", API "posts");
    j = body_of(w, 1);
    assert_string_equal(jstr(j, "channel_id"), SALES_ID);
    assert_string_equal(jstr(j, "message"), "New lead: Jane");
    acts = json_object_get(json_array_get(json_object_get(json_object_get(j, "props"),
                                                          "attachments"), 0), "actions");
    assert_int_equal(json_array_size(acts), 2);
    assert_string_equal(jstr(json_array_get(acts, 0), "integration.context.lead"), "L-3");
    assert_string_equal(jstr(json_array_get(acts, 1), "integration.context.action"), "reject");
    assert_string_equal(jstr(json_array_get(acts, 1), "integration.context.secret"), "s3cret");
    {
        /* the docs' request: channel_id, message, props.attachments */
        char *t = slurp("post_create_request.json");
        json_t *fixture = load(t), *att;

        att = json_array_get(json_object_get(json_object_get(fixture, "props"), "attachments"), 0);
        json_object_del(att, "pretext");
        json_object_del(att, "text");
        same_keys(fixture, j);
        json_decref(fixture);
        free(t);
    }
    json_decref(j);
    answer(w, 1, 201, POST_OK(POST1), -1);
    assert_string_equal(state_of(w, a), "sent");
    assert_string_equal(ref_of(w, a), POST1);
    /* the second post of the lane: paced, and the name is known now */
    run_until(w, MM_PACE_MS - 1);
    assert_int_equal(w->nsent, 2);
    run_until(w, MM_PACE_MS);
    assert_int_equal(w->nsent, 3);
    expect(w, 2, "POST", API "posts");
    j = body_of(w, 2);
    assert_string_equal(jstr(j, "channel_id"), SALES_ID);
    assert_string_equal(jstr(j, "message"), "ask @carol");
    /* no card: the props hold only the part's marker */
    assert_int_equal(json_object_size(json_object_get(j, "props")), 1);
    assert_non_null(jstr(j, "props." MM_MARKER_PROP));
    json_decref(j);
    answer(w, 2, 201, POST_OK(POST2), -1);
    assert_string_equal(state_of(w, b), "sent");
    world_free(w);
}

/* After a crash in the middle of a post, the part is in doubt: the
 * channel's latest posts are read for its marker before it goes again. */
static void
test_part_in_doubt_is_looked_for(void **state)
{
    struct world *w = world_new(ACTION_URL);
    int64_t a = add(w, OUTBOX_CHANNEL, SALES_ID, NULL, NULL, "New lead: Jane", NULL);
    char marker[96], list[400];
    json_t *j;

    (void)state;
    deliver_pump(w->d);
    expect(w, 0, "POST", API "posts");
    j = body_of(w, 0);
    snprintf(marker, sizeof(marker), "%s", jstr(j, "props." MM_MARKER_PROP));
    json_decref(j);
    world_free(w);

    /* found: the post arrived before the crash, it is not made again */
    w = world_new(ACTION_URL);
    a = add(w, OUTBOX_CHANNEL, SALES_ID, NULL, NULL, "New lead: Jane", NULL);
    store_exec(w->store, NULL, "UPDATE outbox SET sending = 1 WHERE id = ?", "I", a);
    deliver_pump(w->d);
    expect(w, 0, "GET", API "channels/" SALES_ID "/posts?per_page=100");
    snprintf(list, sizeof(list),
             "{\"order\":[\"%s\",\"%s\"],\"posts\":{\"%s\":{\"id\":\"%s\",\"props\":{}},"
             "\"%s\":{\"id\":\"%s\",\"props\":{\"" MM_MARKER_PROP "\":\"%s\"}}}}",
             POST2, POST1, POST2, POST2, POST1, POST1, marker);
    answer(w, 0, 200, list, -1);
    assert_int_equal(w->nsent, 1);
    assert_string_equal(state_of(w, a), "sent");
    assert_string_equal(ref_of(w, a), POST1);
    world_free(w);

    /* not found: posted, once */
    w = world_new(ACTION_URL);
    a = add(w, OUTBOX_CHANNEL, SALES_ID, NULL, NULL, "New lead: Jane", NULL);
    store_exec(w->store, NULL, "UPDATE outbox SET sending = 1 WHERE id = ?", "I", a);
    deliver_pump(w->d);
    answer(w, 0, 200, "{\"order\":[],\"posts\":{}}", -1);
    assert_int_equal(w->nsent, 2);
    expect(w, 1, "POST", API "posts");
    answer(w, 1, 201, POST_OK(POST2), -1);
    assert_string_equal(state_of(w, a), "sent");
    assert_string_equal(ref_of(w, a), POST2);
    world_free(w);
}

static void
test_channel_errors(void **state)
{
    struct world *w = world_new("");
    int64_t a = add(w, OUTBOX_CHANNEL, "gone", NULL, NULL, "x", NULL);
    int64_t b = add(w, OUTBOX_CHANNEL, SALES_ID, NULL, NULL, "card", CARD);
    char *why = NULL;
    json_t *j;

    (void)state;
    deliver_pump(w->d);
    assert_int_equal(w->nsent, 2);
    expect(w, 0, "GET", API "teams/name/smarketing/channels/name/gone");
    /* an id goes straight to the post; without a listener, no buttons */
    expect(w, 1, "POST", API "posts");
    j = body_of(w, 1);
    assert_string_equal(jstr(j, "channel_id"), SALES_ID);
    /* no card: the props hold only the part's marker */
    assert_int_equal(json_object_size(json_object_get(j, "props")), 1);
    assert_non_null(jstr(j, "props." MM_MARKER_PROP));
    json_decref(j);
    answer(w, 0, 404, "{\"id\":\"app.channel.get_by_name.missing.app_error\","
                      "\"message\":\"Channel does not exist.\"}", -1);
    assert_string_equal(state_of(w, a), "failed");
    store_query_text(w->store, NULL, &why, "SELECT error FROM outbox WHERE id = ?", "I", a);
    assert_non_null(strstr(why, "app.channel.get_by_name.missing.app_error"));
    free(why);
    /* a 2xx that is not Mattermost's: given up, not posted twice */
    answer(w, 1, 200, "<!doctype html><html>Mattermost</html>", -1);
    assert_string_equal(state_of(w, b), "failed");
    run_until(w, 60000);
    assert_int_equal(w->nsent, 2);
    world_free(w);
}

static void
test_dm(void **state)
{
    struct world *w = world_new(ACTION_URL);
    int64_t a = add(w, OUTBOX_DM, NULL, BOB_ID, NULL, "L-3 is yours", CARD);
    int64_t b, c;
    char *dm, *id;
    json_t *j, *want = json_pack("[s,s]", BOT_ID, BOB_ID);

    (void)state;
    deliver_pump(w->d);
    expect(w, 0, "POST", API "channels/direct");
    j = body_of(w, 0);
    assert_true(json_equal(j, want));
    json_decref(j);
    json_decref(want);
    answer(w, 0, 201, CHANNEL(DM_BOB, "D"), -1);
    expect(w, 1, "POST", API "posts");
    j = body_of(w, 1);
    assert_string_equal(jstr(j, "channel_id"), DM_BOB);
    assert_non_null(json_object_get(json_object_get(j, "props"), "attachments"));
    json_decref(j);
    answer(w, 1, 201, POST_OK(POST1), -1);
    assert_string_equal(state_of(w, a), "sent");
    dm = users_dm(w->store, BOB_ID);
    assert_string_equal(dm, DM_BOB);
    free(dm);
    /* the DM channel is kept: the next DM goes at once */
    b = add(w, OUTBOX_DM, NULL, BOB_ID, NULL, "again", NULL);
    deliver_kick(w->d);
    run_until(w, 1000);
    assert_int_equal(w->nsent, 3);
    expect(w, 2, "POST", API "posts");
    answer(w, 2, 201, POST_OK(POST2), -1);
    assert_string_equal(state_of(w, b), "sent");

    /* a name nobody told us: looked up, kept, then the DM opened */
    c = add(w, OUTBOX_DM, NULL, "Carol", NULL, "hello", NULL);
    deliver_kick(w->d);
    run_until(w, 2000);
    assert_int_equal(w->nsent, 4);
    expect(w, 3, "GET", API "users/username/carol");
    answer(w, 3, 200, "{\"id\":\"" CAROL_ID "\",\"username\":\"carol\",\"locale\":\"pt-BR\","
                      "\"timezone\":{\"automaticTimezone\":\"America/Sao_Paulo\","
                      "\"manualTimezone\":\"\",\"useAutomaticTimezone\":\"true\"}}", -1);
    id = users_id_by_name(w->store, "carol");
    assert_string_equal(id, CAROL_ID);
    free(id);
    {
        bool has_tz = false;

        assert_true(users_known(w->store, CAROL_ID, &has_tz));
        assert_true(has_tz);
    }
    expect(w, 4, "POST", API "channels/direct");
    j = body_of(w, 4);
    assert_string_equal(json_string_value(json_array_get(j, 1)), CAROL_ID);
    json_decref(j);
    answer(w, 4, 201, CHANNEL("dmcarol0000000000000000000", "D"), -1);
    expect(w, 5, "POST", API "posts");
    answer(w, 5, 201, POST_OK(POST2), -1);
    assert_string_equal(state_of(w, c), "sent");
    world_free(w);
}

static void
test_dm_waits_for_own_id(void **state)
{
    struct world *w = world_new("");
    int64_t a = add(w, OUTBOX_DM, NULL, BOB_ID, NULL, "hi", NULL);

    (void)state;
    w->api.bot_id = "";
    deliver_pump(w->d);
    assert_int_equal(w->nsent, 0);
    assert_string_equal(state_of(w, a), "pending");
    assert_true(w->wake_ms > 0);
    run_until(w, 5000);
    assert_int_equal(w->nsent, 0);
    w->api.bot_id = BOT_ID;             /* GET /users/me answered */
    run_until(w, 7000);
    assert_int_equal(w->nsent, 1);
    expect(w, 0, "POST", API "channels/direct");
    world_free(w);
}

static void
test_ephemeral_falls_back_to_dm(void **state)
{
    struct world *w = world_new("");
    int64_t a = add(w, OUTBOX_EPHEMERAL, SALES_ID, BOB_ID, NULL, "only you", NULL);
    int64_t b;
    json_t *j;

    (void)state;
    deliver_pump(w->d);
    expect(w, 0, "POST", API "posts/ephemeral");
    j = body_of(w, 0);
    assert_string_equal(jstr(j, "user_id"), BOB_ID);
    assert_string_equal(jstr(j, "post.channel_id"), SALES_ID);
    assert_string_equal(jstr(j, "post.message"), "only you");
    json_decref(j);
    /* the bot lacks create_post_ephemeral */
    answer(w, 0, 403, "{\"id\":\"api.context.permissions.app_error\",\"message\":\"You do not "
                      "have the appropriate permissions.\"}", -1);
    assert_string_equal(state_of(w, a), "pending");
    assert_true(w->api.ephemeral_refused);
    /* the same row, now as a DM, at once: no backoff for a change of route */
    run_until(w, 0);
    assert_int_equal(w->nsent, 2);
    expect(w, 1, "POST", API "channels/direct");
    answer(w, 1, 201, CHANNEL(DM_BOB, "D"), -1);
    expect(w, 2, "POST", API "posts");
    j = body_of(w, 2);
    assert_string_equal(jstr(j, "channel_id"), DM_BOB);
    assert_string_equal(jstr(j, "message"), "only you");
    json_decref(j);
    answer(w, 2, 201, POST_OK(POST1), -1);
    assert_string_equal(state_of(w, a), "sent");
    /* and the next private reply goes as a DM straight away */
    b = add(w, OUTBOX_EPHEMERAL, SALES_ID, BOB_ID, NULL, "again", NULL);
    deliver_kick(w->d);
    run_until(w, 2000);
    assert_int_equal(w->nsent, 4);
    expect(w, 3, "POST", API "posts");
    answer(w, 3, 201, POST_OK(POST2), -1);
    assert_string_equal(state_of(w, b), "sent");
    world_free(w);
}

static void
test_ephemeral_allowed(void **state)
{
    struct world *w = world_new("");
    int64_t a = add(w, OUTBOX_EPHEMERAL, "sales", BOB_ID, NULL, "only you", NULL);
    json_t *j;

    (void)state;
    deliver_pump(w->d);
    /* a channel given by name is looked up first, here too */
    expect(w, 0, "GET", API "teams/name/smarketing/channels/name/sales");
    answer(w, 0, 200, CHANNEL(SALES_ID, "O"), -1);
    expect(w, 1, "POST", API "posts/ephemeral");
    j = body_of(w, 1);
    assert_string_equal(jstr(j, "post.channel_id"), SALES_ID);
    json_decref(j);
    answer(w, 1, 201, "{\"id\":\"" POST1 "\",\"type\":\"system_ephemeral\"}", -1);
    assert_string_equal(state_of(w, a), "sent");
    assert_false(w->api.ephemeral_refused);
    world_free(w);
}

static void
test_response_and_update(void **state)
{
    struct world *w = world_new(ACTION_URL);
    const char *hook = "http://127.0.0.1:8065/hooks/commands/i11f6nnfgfyk8eg56x9omc6dpa";
    int64_t r = add(w, OUTBOX_RESPONSE, NULL, NULL, hook, "later", NULL);
    int64_t card = add(w, OUTBOX_CHANNEL, SALES_ID, NULL, NULL, "New lead", CARD);
    struct outbox_dest up = { OUTBOX_UPDATE, NULL, NULL, NULL, card };
    int64_t u;
    json_t *j;

    (void)state;
    deliver_pump(w->d);
    assert_int_equal(w->nsent, 2);
    /* the hook is its own credential: no token goes with it */
    expect(w, 0, "POST", hook);
    j = body_of(w, 0);
    assert_string_equal(jstr(j, "response_type"), "ephemeral");
    assert_string_equal(jstr(j, "text"), "later");
    json_decref(j);
    answer(w, 0, 200, "ok", -1);
    assert_string_equal(state_of(w, r), "sent");
    answer(w, 1, 201, POST_OK(POST1), -1);
    assert_string_equal(ref_of(w, card), POST1);

    u = outbox_add(w->store, 0, &up, "New lead\naccepted by bob", NULL, NULL);
    assert_true(u > 0);
    deliver_kick(w->d);
    run_until(w, 1000);
    assert_int_equal(w->nsent, 3);
    expect(w, 2, "PUT", API "posts/" POST1 "/patch");
    j = body_of(w, 2);
    assert_string_equal(jstr(j, "message"), "New lead\naccepted by bob");
    assert_true(json_is_array(json_object_get(json_object_get(j, "props"), "attachments")));
    assert_int_equal(json_array_size(json_object_get(json_object_get(j, "props"),
                                                     "attachments")), 0);
    json_decref(j);
    answer(w, 2, 200, POST_OK(POST1), -1);
    assert_string_equal(state_of(w, u), "sent");
    world_free(w);
}

static void
test_limits_and_fatal(void **state)
{
    struct world *w = world_new("");
    int64_t a = add(w, OUTBOX_CHANNEL, SALES_ID, NULL, NULL, "A", NULL);
    struct strbuf sb;
    int64_t b;

    (void)state;
    deliver_pump(w->d);
    answer(w, 0, 429, "limit exceeded\n", 2);
    assert_string_equal(state_of(w, a), "pending");
    run_until(w, 1999);
    assert_int_equal(w->nsent, 1);
    run_until(w, 2000);
    assert_int_equal(w->nsent, 2);
    answer(w, 1, 500, "{\"id\":\"app.internal_error\",\"message\":\"x\"}", -1);
    assert_string_equal(state_of(w, a), "pending");
    run_until(w, 10000);
    assert_int_equal(w->nsent, 3);
    answer(w, 2, 201, POST_OK(POST1), -1);
    assert_string_equal(state_of(w, a), "sent");

    /* a long text: posts of at most MM_PART_MAX bytes */
    strbuf_init(&sb, 0);
    for (int i = 0; i < 800; i++)
        strbuf_printf(&sb, "line %d of a long list of leads\n", i);
    b = add(w, OUTBOX_CHANNEL, SALES_ID, NULL, NULL, strbuf_str(&sb), NULL);
    strbuf_release(&sb);
    deliver_kick(w->d);
    run_until(w, 11000);
    assert_int_equal(w->nsent, 4);
    answer(w, 3, 201, POST_OK(POST1), -1);
    assert_string_equal(state_of(w, b), "pending");
    run_until(w, 12000);
    assert_int_equal(w->nsent, 5);
    answer(w, 4, 201, POST_OK(POST2), -1);
    assert_string_equal(state_of(w, b), "sent");

    /* a refused token stops everything */
    add(w, OUTBOX_CHANNEL, SALES_ID, NULL, NULL, "C", NULL);
    deliver_kick(w->d);
    run_until(w, 13000);
    assert_int_equal(w->nsent, 6);
    answer(w, 5, 401, "{\"id\":\"api.context.session_expired.app_error\",\"message\":\"x\"}", -1);
    assert_int_equal(w->fatal, 1);
    world_free(w);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_frames),
        cmocka_unit_test(test_posted),
        cmocka_unit_test(test_bad_frames),
        cmocka_unit_test(test_command_text),
        cmocka_unit_test(test_mentions_neutral),
        cmocka_unit_test(test_slash_command),
        cmocka_unit_test(test_slash_command_mentions_cap),
        cmocka_unit_test(test_action),
        cmocka_unit_test(test_answers),
        cmocka_unit_test(test_markup),
        cmocka_unit_test(test_fixture_shapes),
        cmocka_unit_test(test_user),
        cmocka_unit_test(test_postlist),
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_card_props),
        cmocka_unit_test(test_channel_by_name),
        cmocka_unit_test(test_channel_errors),
        cmocka_unit_test(test_part_in_doubt_is_looked_for),
        cmocka_unit_test(test_dm),
        cmocka_unit_test(test_dm_waits_for_own_id),
        cmocka_unit_test(test_ephemeral_falls_back_to_dm),
        cmocka_unit_test(test_ephemeral_allowed),
        cmocka_unit_test(test_response_and_update),
        cmocka_unit_test(test_limits_and_fatal),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* test_slack.c: the Slack adapter's pure parts: envelopes (the fixtures of
 * tests/data/slack) into chat messages, acks within the size limit, Block
 * Kit and "... N more", answer classification, Retry-After, redaction of
 * the Authorization header, and the backoff schedule. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backoff.h"
#include "blockkit.h"
#include "http.h"
#include "slack.h"
#include "slack_api.h"
#include "ws.h"

static char *
slurp(const char *name)
{
    char path[256];
    FILE *fp;
    char *buf;
    long n;

    snprintf(path, sizeof(path), "tests/data/slack/%s", name);
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
parse_text(const char *text, struct slack_env *e)
{
    struct err err = { 0 };

    assert_int_equal(slack_parse(text, strlen(text), e, &err), 0);
}

static void
test_fixtures(void **state)
{
    static const struct {
        const char *file;
        enum slack_kind kind;
        const char *text, *user, *command, *dedupe;
    } cases[] = {
        { "hello.json", SLACK_HELLO, NULL, NULL, NULL, NULL },
        { "disconnect_warning.json", SLACK_DISCONNECT, NULL, NULL, NULL, NULL },
        { "disconnect_too_many_websockets.json", SLACK_DISCONNECT, NULL, NULL, NULL, NULL },
        { "slash_command_envelope.json", SLACK_COMMAND, "", "U111",
          "/hello-socket-mode", "command:111.222.xxx" },
        /* a mention with nothing after it: an empty command */
        { "events_api_app_mention_envelope.json", SLACK_MENTION, "", "U222", NULL, NULL },
        /* a channel message (not a DM): the app_mention twin answers it */
        { "events_api_message_envelope.json", SLACK_OTHER, NULL, NULL, NULL, NULL },
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *text = slurp(cases[i].file);
        struct slack_env e;

        parse_text(text, &e);
        assert_int_equal(e.kind, cases[i].kind);
        if (cases[i].text)
            assert_string_equal(e.msg.text, cases[i].text);
        if (cases[i].user)
            assert_string_equal(e.msg.user_id, cases[i].user);
        if (cases[i].command)
            assert_string_equal(e.msg.command, cases[i].command);
        if (cases[i].dedupe && e.dedupe)
            assert_string_equal(e.dedupe, cases[i].dedupe);
        if (cases[i].kind == SLACK_COMMAND || cases[i].kind == SLACK_MENTION)
            assert_non_null(e.dedupe);
        slack_env_release(&e);
        free(text);
    }
}

static void
test_disconnect_reason(void **state)
{
    char *text = slurp("disconnect_warning.json");
    struct slack_env e;

    (void)state;
    parse_text(text, &e);
    assert_string_equal(e.reason, "warning");
    slack_env_release(&e);
    free(text);
}

static void
test_events(void **state)
{
    struct slack_env e;

    (void)state;
    /* a mention: the words after it, unescaped; deduped by event_id */
    parse_text("{\"envelope_id\":\"e1\",\"type\":\"events_api\",\"retry_attempt\":2,"
               "\"payload\":{\"event_id\":\"Ev1\",\"event\":{\"type\":\"app_mention\","
               "\"user\":\"U1\",\"channel\":\"C1\",\"text\":\"<@U0BOT> lead add \\\"A &amp; B\\\"\"}}}",
               &e);
    assert_int_equal(e.kind, SLACK_MENTION);
    assert_string_equal(e.msg.text, "lead add \"A & B\"");
    assert_string_equal(e.dedupe, "event:Ev1");
    assert_int_equal(e.retry_attempt, 2);
    slack_env_release(&e);
    /* a DM */
    parse_text("{\"envelope_id\":\"e2\",\"type\":\"events_api\",\"payload\":{\"event_id\":\"Ev2\","
               "\"event\":{\"type\":\"message\",\"channel_type\":\"im\",\"user\":\"U1\","
               "\"channel\":\"D1\",\"text\":\"help\"}}}", &e);
    assert_int_equal(e.kind, SLACK_DM);
    assert_string_equal(e.msg.channel, "D1");
    assert_null(e.msg.command);
    slack_env_release(&e);
    /* the bot's own post in the DM: nothing to do but ack */
    parse_text("{\"envelope_id\":\"e3\",\"type\":\"events_api\",\"payload\":{\"event_id\":\"Ev3\","
               "\"event\":{\"type\":\"message\",\"subtype\":\"bot_message\",\"bot_id\":\"B1\","
               "\"channel_type\":\"im\",\"user\":\"U0BOT\",\"channel\":\"D1\",\"text\":\"hi\"}}}", &e);
    assert_int_equal(e.kind, SLACK_OTHER);
    assert_string_equal(e.envelope_id, "e3");
    slack_env_release(&e);
}

static void
test_interactive(void **state)
{
    struct slack_env e;

    (void)state;
    parse_text("{\"envelope_id\":\"e4\",\"type\":\"interactive\",\"payload\":{"
               "\"type\":\"block_actions\",\"user\":{\"id\":\"U0BOB\",\"username\":\"bob\"},"
               "\"channel\":{\"id\":\"D0BOB\"},\"trigger_id\":\"t1\",\"response_url\":\"http://x/a\","
               "\"actions\":[{\"action_id\":\"lead_accept\",\"value\":\"L-3\"}]}}", &e);
    assert_int_equal(e.kind, SLACK_CLICK);
    assert_string_equal(e.msg.text, "accept L-3");
    assert_true(e.msg.button);
    assert_string_equal(e.msg.user_name, "bob");
    assert_string_equal(e.dedupe, "click:L-3:accept:U0BOB");
    slack_env_release(&e);
    parse_text("{\"envelope_id\":\"e5\",\"type\":\"interactive\",\"payload\":{"
               "\"type\":\"block_actions\",\"user\":{\"id\":\"U0BOB\"},\"trigger_id\":\"t2\","
               "\"actions\":[{\"action_id\":\"lead_reject\",\"value\":\"L-3\"}]}}", &e);
    assert_int_equal(e.kind, SLACK_REJECT_CLICK);
    assert_string_equal(e.trigger_id, "t2");
    assert_string_equal(e.lead, "L-3");
    assert_null(e.dedupe);
    slack_env_release(&e);
    parse_text("{\"envelope_id\":\"e6\",\"type\":\"interactive\",\"accepts_response_payload\":true,"
               "\"payload\":{\"type\":\"view_submission\",\"user\":{\"id\":\"U0BOB\",\"username\":\"bob\"},"
               "\"view\":{\"id\":\"V1\",\"callback_id\":\"smk_reject\","
               "\"private_metadata\":\"{\\\"lead\\\":\\\"L-3\\\",\\\"response_url\\\":\\\"http://x/a\\\"}\","
               "\"state\":{\"values\":{\"reason\":{\"reason\":{\"selected_option\":{\"value\":\"budget\"}}},"
               "\"note\":{\"note\":{\"value\":\"no \\\"money\\\"\\nat all\"}}}}}}}", &e);
    assert_int_equal(e.kind, SLACK_SUBMIT);
    assert_true(e.accepts_payload);
    assert_string_equal(e.msg.text, "reject L-3 budget no 'money' at all");
    assert_string_equal(e.response_url, "http://x/a");
    assert_string_equal(e.dedupe, "view:V1:U0BOB");
    slack_env_release(&e);
}

static void
test_not_a_frame(void **state)
{
    struct slack_env e;
    struct err err = { 0 };

    (void)state;
    assert_int_equal(slack_parse("[1]", 3, &e, &err), -1);
    assert_true(err.set);
    assert_int_equal(slack_parse("{\"x\":1", 6, &e, NULL), -1);
}

static void
test_cut(void **state)
{
    struct strbuf sb;
    char *cut;

    (void)state;
    strbuf_init(&sb, 0);
    for (int i = 1; i <= 100; i++)
        strbuf_printf(&sb, "L-%d  some lead with a long enough line %d\n", i, i);
    cut = text_cut(strbuf_str(&sb), 500);
    assert_true(strlen(cut) <= 500);
    assert_non_null(strstr(cut, "L-1 "));
    assert_non_null(strstr(cut, " more"));
    {
        int kept = 0, more = 0;

        for (const char *p = cut; (p = strstr(p, "L-")) != NULL; p++)
            kept++;
        assert_non_null(strstr(cut, "\n... "));
        sscanf(strstr(cut, "\n... ") + 5, "%d", &more);
        assert_int_equal(kept + more, 100);
    }
    free(cut);
    cut = text_cut("short", 500);
    assert_string_equal(cut, "short");
    free(cut);
    strbuf_release(&sb);
}

static void
check_message(json_t *msg, bool want_actions)
{
    json_t *blocks = json_object_get(msg, "blocks"), *b;
    size_t i;
    bool actions = false;

    assert_true(json_string_length(json_object_get(msg, "text")) > 0);
    assert_true(json_array_size(blocks) <= BK_BLOCKS_MAX);
    json_array_foreach(blocks, i, b) {
        const char *type = json_string_value(json_object_get(b, "type"));

        if (strcmp(type, "section") == 0)
            assert_true(json_string_length(json_object_get(json_object_get(b, "text"),
                                                           "text")) <= BK_SECTION_MAX);
        if (strcmp(type, "actions") == 0)
            actions = true;
    }
    assert_int_equal(actions, want_actions);
}

static void
test_message(void **state)
{
    struct strbuf sb;
    json_t *msg, *actions;

    (void)state;
    strbuf_init(&sb, 0);
    for (int i = 0; i < 2000; i++)
        strbuf_puts(&sb, "a < b & c > d, ");
    msg = blockkit_message(strbuf_str(&sb), NULL);
    check_message(msg, false);
    assert_null(strstr(json_string_value(json_object_get(msg, "text")), "<"));
    json_decref(msg);
    msg = blockkit_message("New lead: Jane", "{\"lead\":\"L-3\",\"actions\":[\"accept\",\"reject\"]}");
    check_message(msg, true);
    actions = json_array_get(json_object_get(msg, "blocks"), 1);
    assert_string_equal(json_string_value(json_object_get(
        json_array_get(json_object_get(actions, "elements"), 0), "action_id")), "lead_accept");
    assert_string_equal(json_string_value(json_object_get(
        json_array_get(json_object_get(actions, "elements"), 1), "value")), "L-3");
    assert_string_equal(json_string_value(json_object_get(
        json_array_get(json_object_get(actions, "elements"), 1), "style")), "danger");
    json_decref(msg);
    strbuf_release(&sb);
}

static void
test_split(void **state)
{
    struct strbuf sb;
    char **parts;
    size_t n, total = 0;

    (void)state;
    strbuf_init(&sb, 0);
    for (int s = 0; s < 30; s++) {
        for (int l = 0; l < 20; l++)
            strbuf_printf(&sb, "section %d line %d of the digest\n", s, l);
        strbuf_putc(&sb, '\n');
    }
    n = text_split(strbuf_str(&sb), 4000, 10, &parts);
    assert_true(n > 1 && n <= 10);
    for (size_t i = 0; i < n; i++) {
        assert_true(strlen(parts[i]) <= 4000);
        total += strlen(parts[i]);
    }
    /* split at blank lines: nothing lost but the separators */
    assert_true(total + 2 * n >= sb.len - 2);
    assert_int_equal(strncmp(parts[1], "section", 7), 0);
    text_parts_free(parts, n);
    /* too much for the parts allowed: the last one says how much is left */
    n = text_split(strbuf_str(&sb), 1000, 2, &parts);
    assert_int_equal(n, 2);
    assert_non_null(strstr(parts[1], " more"));
    text_parts_free(parts, n);
    strbuf_release(&sb);
}

static void
test_ack_size(void **state)
{
    static const char *const fills[] = { "x", "&", "<>", "\xc3\xa9" };

    (void)state;
    for (size_t f = 0; f < sizeof(fills) / sizeof(fills[0]); f++) {
        struct strbuf sb;
        char **rest;
        size_t nrest;
        json_t *payload, *ack;
        char *text;

        strbuf_init(&sb, 0);
        for (int i = 0; i < 60000; i++) {
            strbuf_puts(&sb, fills[f]);
            if (i % 70 == 69)
                strbuf_putc(&sb, '\n');
        }
        payload = blockkit_ack_payload("1d3c79ab-0ffb-41f3-a080-d19e85f53649",
                                       strbuf_str(&sb), 5, &rest, &nrest);
        assert_non_null(payload);
        assert_string_equal(json_string_value(json_object_get(payload, "response_type")),
                            "ephemeral");
        check_message(payload, false);
        ack = json_pack("{s:s, s:o}", "envelope_id", "1d3c79ab-0ffb-41f3-a080-d19e85f53649",
                        "payload", payload);
        text = json_dumps(ack, JSON_COMPACT);
        assert_true(strlen(text) <= BK_ACK_MAX);
        assert_true(nrest > 1);
        free(text);
        json_decref(ack);
        text_parts_free(rest, nrest);
        strbuf_release(&sb);
    }
}

static void
test_modal(void **state)
{
    struct strlist reasons;
    json_t *view;
    const char *title;

    (void)state;
    strlist_split(&reasons, "budget authority need");
    view = blockkit_reject_modal("L-123456789", &reasons, "{\"lead\":\"L-123456789\"}");
    title = json_string_value(json_object_get(json_object_get(view, "title"), "text"));
    assert_true(strlen(title) <= 24);
    assert_string_equal(json_string_value(json_object_get(view, "callback_id")), "smk_reject");
    assert_int_equal(json_array_size(json_object_get(json_object_get(
        json_array_get(json_object_get(view, "blocks"), 0), "element"), "options")), 3);
    json_decref(view);
    strlist_release(&reasons);
}

static void
test_classify(void **state)
{
    static const struct {
        long status;
        const char *body;
        bool webhook;
        enum slack_result want;
        const char *error;
    } cases[] = {
        { 200, "{\"ok\":true,\"ts\":\"1.2\"}", false, SLACK_OK, NULL },
        { 200, "{\"ok\":false,\"error\":\"channel_not_found\"}", false, SLACK_FAILED,
          "channel_not_found" },
        { 200, "{\"ok\":false,\"error\":\"invalid_auth\"}", false, SLACK_FATAL, "invalid_auth" },
        { 200, "{\"ok\":false,\"error\":\"ratelimited\"}", false, SLACK_RATELIMITED, NULL },
        { 200, "{\"ok\":false,\"error\":\"internal_error\"}", false, SLACK_RETRY, NULL },
        { 429, "{\"ok\":false,\"error\":\"ratelimited\"}", false, SLACK_RATELIMITED, NULL },
        { 503, "", false, SLACK_RETRY, NULL },
        { 0, "", false, SLACK_RETRY, "no answer" },
        { 200, "<html>", false, SLACK_RETRY, NULL },
        { 200, "ok", true, SLACK_OK, NULL },
        { 404, "used_url", true, SLACK_FAILED, NULL },
        { 500, "", true, SLACK_RETRY, NULL },
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char error[64];

        assert_int_equal(slack_classify(cases[i].status, cases[i].body, cases[i].webhook,
                                        error, sizeof(error)), cases[i].want);
        if (cases[i].error)
            assert_string_equal(error, cases[i].error);
    }
}

static void
test_retry_after(void **state)
{
    int secs = -1;

    (void)state;
    assert_int_equal(http_parse_retry_after("2", 0, &secs), 0);
    assert_int_equal(secs, 2);
    assert_int_equal(http_parse_retry_after(" 30\r\n", 0, &secs), 0);
    assert_int_equal(secs, 30);
    /* an HTTP date 120 s after now */
    assert_int_equal(http_parse_retry_after("Wed, 21 Oct 2015 07:30:00 GMT",
                                            1445412480, &secs), 0);
    assert_int_equal(secs, 120);
    assert_int_equal(http_parse_retry_after("Wed, 21 Oct 2015 07:30:00 GMT",
                                            1445412680, &secs), 0);
    assert_int_equal(secs, 0);
    assert_int_equal(http_parse_retry_after("soon", 0, &secs), -1);
    assert_int_equal(http_parse_retry_after("-1", 0, &secs), -1);
}

static void
test_redact(void **state)
{
    static const char in[] =
        "POST /api/chat.postMessage HTTP/1.1\r\n"
        "Host: slack.com\r\n"
        "authorization: Bearer xoxb-111-222-secret\r\n"
        "Authorization:Basic dXNlcjpwYXNz\r\n"
        "Content-Type: application/json\r\n"
        /* what curl prints over HTTP/2, in its versions */
        "[HTTP/2] [1] [authorization: Bearer xoxb-h2-secret]\n"
        "h2h3 [authorization: Bearer xapp-h2h3-secret]\n"
        "h2 [Authorization: Token mm-secret]\n"
        "cookie: MMAUTHTOKEN=cookie-secret\n"
        "Proxy-Authorization: Basic cHJveHk6c2VjcmV0\n";
    struct strbuf out;

    (void)state;
    strbuf_init(&out, 0);
    http_redact(in, sizeof(in) - 1, &out);
    assert_null(strstr(strbuf_str(&out), "secret"));
    assert_null(strstr(strbuf_str(&out), "dXNlcjpwYXNz"));
    assert_null(strstr(strbuf_str(&out), "h2-secret"));
    assert_null(strstr(strbuf_str(&out), "h2h3-secret"));
    assert_null(strstr(strbuf_str(&out), "mm-secret"));
    assert_null(strstr(strbuf_str(&out), "cookie-secret"));
    assert_null(strstr(strbuf_str(&out), "cHJveHk6c2VjcmV0"));
    assert_non_null(strstr(strbuf_str(&out), "[HTTP/2] [1] [authorization: Bearer [redacted]]\n"));
    assert_non_null(strstr(strbuf_str(&out), "h2h3 [authorization: Bearer [redacted]]\n"));
    assert_non_null(strstr(strbuf_str(&out), "authorization: Bearer [redacted]\r\n"));
    assert_non_null(strstr(strbuf_str(&out), "Host: slack.com\r\n"));
    assert_non_null(strstr(strbuf_str(&out), "Content-Type: application/json\r\n"));
    strbuf_release(&out);
}

static void
test_backoff(void **state)
{
    const struct backoff b = { 1000, 60000 };
    int64_t prev_max = 0;

    (void)state;
    for (int a = 0; a < 12; a++) {
        int64_t lo = backoff_ms(&b, a, 0.0);
        int64_t hi = backoff_ms(&b, a, 0.999);

        /* equal jitter: between half and all of base * 2^a, capped */
        assert_true(lo >= 500 && hi <= 60000 && lo <= hi);
        assert_true(hi >= prev_max || hi >= 59000);
        prev_max = hi;
    }
    assert_int_equal(backoff_ms(&b, 0, 0.0), 500);
    assert_int_equal(backoff_ms(&b, 3, 0.0), 4000);
    assert_int_equal(backoff_ms(&b, 30, 0.0), 30000);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixtures),
        cmocka_unit_test(test_disconnect_reason),
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_interactive),
        cmocka_unit_test(test_not_a_frame),
        cmocka_unit_test(test_cut),
        cmocka_unit_test(test_message),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_ack_size),
        cmocka_unit_test(test_modal),
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_retry_after),
        cmocka_unit_test(test_redact),
        cmocka_unit_test(test_backoff),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

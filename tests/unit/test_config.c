/* SPDX-License-Identifier: MIT */
/* test_config.c: loading, defaults, environment, errors with file:line, and
 * config.example.ini documenting every key with its default. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static char path[] = "/tmp/smk-test-config-XXXXXX";

static void
write_file(const char *text)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static int
setup(void **state)
{
    int fd = mkstemp(path);

    (void)state;
    return fd < 0 ? -1 : 0;
}

static int
teardown(void **state)
{
    (void)state;
    remove(path);
    return 0;
}

static void
test_defaults(void **state)
{
    struct config c;
    struct err err = { 0 };

    (void)state;
    assert_int_equal(config_load(&c, NULL, &err), 0);
    assert_string_equal(c.platform, "console");
    assert_int_equal(c.response_secs, 4 * 3600);
    assert_int_equal(c.mql_target, 200);
    assert_int_equal(c.reasons.n, 8);
    assert_int_equal(c.digest_at.wday, 1);
    assert_int_equal(c.nudge_at.hour, 15);
    config_release(&c);
}

static void
test_file_and_roles(void **state)
{
    struct config c;
    struct err err = { 0 };

    (void)state;
    write_file("[bot]\ntimezone = Europe/Warsaw ; inline comment\n"
               "[roles]\nmarketing = alice, U0MKT1\nsales = bob dave\nmanagers = carol\n"
               "[sla]\nresponse = 90m\nreasons = a b\n");
    assert_int_equal(config_load(&c, path, &err), 0);
    assert_string_equal(c.timezone, "Europe/Warsaw");
    assert_int_equal(c.response_secs, 90 * 60);
    assert_true(config_has_role(&c, ROLE_MARKETING, "U0MKT1", "x"));
    assert_true(config_has_role(&c, ROLE_SALES | ROLE_MANAGERS, NULL, "carol"));
    assert_false(config_has_role(&c, ROLE_SALES, "carol", "carol"));
    assert_true(config_is_reason(&c, "b"));
    assert_false(config_is_reason(&c, "budget"));
    config_release(&c);
}

static void
test_errors_name_file_and_line(void **state)
{
    static const struct {
        const char *text, *line, *what;
    } cases[] = {
        { "[bot]\nplatform = irc\n", ":2:", "platform must be" },
        { "[bot]\n\n[nope]\nx = 1\n", ":4:", "unknown section [nope]" },
        { "[sla]\nresponse = 4h\nresponse = 5h\n", ":3:", "duplicate key" },
        { "[sla]\nhours = weekdays\n", ":2:", "bad business hours" },
        { "[sla]\nholidays = 2026-13-01\n", ":2:", "bad holiday" },
        { "[schedule]\ndigest = someday 09:00\n", ":2:", "digest must be" },
        { "[bot]\nlog_level = loud\n", ":2:", "log_level must be" },
        { "[bot]\nplatform\n", ":2:", "syntax error" },
        { "[bot]\nplatform = slack\n", ":", "app_token" },
        { "[bot]\nplatform = mattermost\n", ":", "[mattermost] url must start" },
        { "[bot]\nplatform = mattermost\n[mattermost]\nurl = ftp://x\n", ":4:",
          "url must start with https:// or http://" },
        { "[bot]\nplatform = mattermost\n[mattermost]\nurl = http://x\ntoken = t\n", ":",
          "[mattermost] team" },
        { "[bot]\n[http]\nlisten = 8066\n", ":3:", "not host:port" },
        { "[http]\nlisten = [::1]:8066\n", ":2:", "IPv6 is not supported" },
        { "[http]\nlisten = example.com:80\n", ":2:", "IPv4 address" },
        { "[webhook]\nurl = ftp://hooks\nsecret = s\n", ":2:", "[webhook] url must start" },
        { "[webhook]\nurl = https://hooks.example.com/x\n", ":2:", "[webhook] secret" },
        { "[crm]\nkind = salesforce\n", ":2:", "kind must be none or hubspot" },
        { "[crm]\nkind = hubspot\n", ":", "[crm] token" },
        { "[crm]\npoll_interval = 5s\n", ":2:", "at least 10s" },
        { "[crm]\nowners = bob:7001, dave\n", ":2:", "user:owner_id" },
        { "[crm]\nkind = hubspot\ntoken = t\napi = /v3\n", ":4:", "[crm] api" },
        /* the listener moved to [http] */
        { "[mattermost]\nlisten = 127.0.0.1:8066\n", ":2:", "unknown key 'listen'" },
    };
    (void)state;
    unsetenv("SMARKBOT_SLACK_APP_TOKEN");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct config c;
        struct err err = { 0 };

        write_file(cases[i].text);
        assert_int_equal(config_load(&c, path, &err), -1);
        assert_non_null(strstr(err.msg, path));
        assert_non_null(strstr(err.msg, cases[i].line));
        if (strstr(err.msg, cases[i].what) == NULL)
            fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].what);
        config_release(&c);
    }
}

/* Every problem at once, in line order; a missing sales rep only when
 * asked for readiness. */
static void
test_every_error_in_line_order(void **state)
{
    struct config c;
    struct err err = { 0 };
    char want[512];
    const char *at;

    (void)state;
    write_file("[schedule]\ndigest = someday\n[bot]\nlog_level = loud\nplatform\n"
               "platform = irc\n");
    assert_int_equal(config_load(&c, path, &err), -1);
    at = err.msg;
    for (int line = 2; line <= 6; line++) {
        if (line == 3)
            continue;
        snprintf(want, sizeof(want), "%s:%d: ", path, line);
        at = strstr(at, want);
        if (at == NULL)
            fail_msg("no error for line %d, or out of order, in '%s'", line, err.msg);
    }
    assert_null(strstr(err.msg, "sales"));
    config_release(&c);

    err_clear(&err);
    write_file("[roles]\nmarketing = alice\n");
    assert_int_equal(config_load(&c, path, &err), 0);
    config_release(&c);
    assert_int_equal(config_load_ready(&c, path, &err), -1);
    assert_non_null(strstr(err.msg, "[roles] sales names no one"));
    config_release(&c);
    err_clear(&err);
    write_file("[roles]\nsales = bob\n");
    assert_int_equal(config_load_ready(&c, path, &err), 0);
    config_release(&c);
}

static void
test_environment_wins(void **state)
{
    struct config c;
    struct err err = { 0 };

    (void)state;
    write_file("[bot]\nplatform = slack\n[slack]\napp_token = xapp-file\nbot_token = xoxb-file\n");
    setenv("SMARKBOT_SLACK_BOT_TOKEN", "xoxb-env", 1);
    assert_int_equal(config_load(&c, path, &err), 0);
    assert_string_equal(c.slack_bot_token, "xoxb-env");
    assert_string_equal(c.slack_app_token, "xapp-file");
    unsetenv("SMARKBOT_SLACK_BOT_TOKEN");
    config_release(&c);
}

/* Every key of the table appears in config.example.ini with its default. */
static void
test_example_documents_every_key(void **state)
{
    FILE *fp = fopen("config.example.ini", "r");
    char text[16384];
    size_t n;
    struct config c;
    struct err err = { 0 };

    (void)state;
    assert_non_null(fp);
    n = fread(text, 1, sizeof(text) - 1, fp);
    text[n] = '\0';
    fclose(fp);
    for (size_t i = 0; i < config_nkeys; i++) {
        char want[256], section[64];

        snprintf(section, sizeof(section), "[%s]", config_keys[i].section);
        snprintf(want, sizeof(want), "\n%s = %s", config_keys[i].key, config_keys[i].def);
        if (strstr(text, section) == NULL || strstr(text, want) == NULL)
            fail_msg("config.example.ini lacks '%s' under %s", want + 1, section);
    }
    assert_int_equal(config_load(&c, "config.example.ini", &err), 0);
    config_release(&c);
}

/* docs/config.md has a row for every key of the table, under its
 * section, found from this file's place in the source tree. */
static void
test_reference_documents_every_key(void **state)
{
    const char *self = __FILE__, *tail = strstr(self, "tests/unit/test_config.c");
    char file[1024], text[32768];
    FILE *fp;
    size_t n;

    (void)state;
    assert_non_null(tail);
    snprintf(file, sizeof(file), "%.*sdocs/config.md", (int)(tail - self), self);
    if ((fp = fopen(file, "r")) == NULL)
        fail_msg("cannot read %s", file);
    n = fread(text, 1, sizeof(text) - 1, fp);
    text[n] = '\0';
    fclose(fp);
    for (size_t i = 0; i < config_nkeys; i++) {
        char section[64], row[128];
        const char *at;

        snprintf(section, sizeof(section), "\n## [%s]\n", config_keys[i].section);
        snprintf(row, sizeof(row), "\n| `%s` |", config_keys[i].key);
        if ((at = strstr(text, section)) == NULL)
            fail_msg("docs/config.md has no section '%s'", section + 1);
        /* the row within its section, before the next one */
        at = strstr(at + 1, row);
        if (at == NULL || (strstr(text, section) < at &&
                           strstr(strstr(text, section) + 1, "\n## ") != NULL &&
                           strstr(strstr(text, section) + 1, "\n## ") < at))
            fail_msg("docs/config.md lacks '%s' under [%s]", config_keys[i].key,
                     config_keys[i].section);
    }
}

static void
test_parse_listen(void **state)
{
    static const struct {
        const char *addr;
        int rc;
        const char *host;
        int port;
        const char *why;
    } cases[] = {
        { "127.0.0.1:8066", 0, "127.0.0.1", 8066, NULL },
        { "0.0.0.0:0", 0, "0.0.0.0", 0, NULL },
        { "localhost:80", 0, "127.0.0.1", 80, NULL },
        { "127.0.0.1", -1, NULL, 0, "host:port" },
        { "127.0.0.1:", -1, NULL, 0, "host:port" },
        { ":8066", -1, NULL, 0, "host:port" },
        { "127.0.0.1:65536", -1, NULL, 0, "0 to 65535" },
        { "127.0.0.1:80x", -1, NULL, 0, "0 to 65535" },
        { "127.0.0.1:-1", -1, NULL, 0, "0 to 65535" },
        { "chat.example.com:80", -1, NULL, 0, "IPv4" },
        { "[::1]:8066", -1, NULL, 0, "IPv6" },
        { "::1:8066", -1, NULL, 0, "IPv6" },
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct err err = { 0 };
        char host[64] = "";
        int port = -1;
        int rc = config_parse_listen(cases[i].addr, host, sizeof(host), &port,
                                     &err);

        if (rc != cases[i].rc)
            fail_msg("case %zu (%s): rc %d", i, cases[i].addr, rc);
        if (rc == 0) {
            assert_string_equal(host, cases[i].host);
            assert_int_equal(port, cases[i].port);
        } else if (strstr(err.msg, cases[i].why) == NULL) {
            fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].why);
        }
    }
}

static void
test_http_listen(void **state)
{
    struct config c;
    struct err err = { 0 };

    (void)state;
    assert_int_equal(config_load(&c, NULL, &err), 0);
    /* off unless asked for: a second bot on the machine must not clash */
    assert_string_equal(c.http_listen, "");
    config_release(&c);
    write_file("[http]\nlisten = 127.0.0.1:8066\n");
    assert_int_equal(config_load(&c, path, &err), 0);
    assert_string_equal(c.http_listen, "127.0.0.1:8066");
    config_release(&c);
    write_file("[http]\nlisten =\n");
    assert_int_equal(config_load(&c, path, &err), 0);
    assert_string_equal(c.http_listen, "");
    config_release(&c);
    write_file("[http]\nlisten = 127.0.0.1:0\n");
    assert_int_equal(config_load(&c, path, &err), 0);
    config_release(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_file_and_roles),
        cmocka_unit_test(test_errors_name_file_and_line),
        cmocka_unit_test(test_every_error_in_line_order),
        cmocka_unit_test(test_environment_wins),
        cmocka_unit_test(test_example_documents_every_key),
        cmocka_unit_test(test_reference_documents_every_key),
        cmocka_unit_test(test_parse_listen),
        cmocka_unit_test(test_http_listen),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

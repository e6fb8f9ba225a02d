/* SPDX-License-Identifier: MIT */
/* test_log.c: logfmt and JSON lines, the log file and its reopening. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "log.h"

static char *
slurp(const char *path)
{
    FILE *fp = fopen(path, "r");
    char *buf = calloc(1, 65536);
    size_t n;

    assert_non_null(fp);
    n = fread(buf, 1, 65535, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static void
test_logfmt_line(void **state)
{
    char path[] = "/tmp/smk-log-XXXXXX";
    int fd = mkstemp(path);
    struct log lg = { .level = LOG_INFO };
    struct err err = { 0 };
    char *text, *p;

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(log_open(&lg, path, &err), 0);
    log_warn(&lg, "slack", "connection lost; reconnecting in %.1f s", 1.5);
    log_info(&lg, "deliver", "said \"hi\" \\ to\nyou");
    log_debug(&lg, "deliver", "filtered out");
    log_close(&lg);
    text = slurp(path);
    p = strchr(text, '\n');
    assert_non_null(p);
    *p = '\0';
    assert_memory_equal(text, "ts=", 3);
    assert_int_equal(text[22], 'Z');     /* ts=YYYY-MM-DDTHH:MM:SSZ */
    assert_string_equal(text + 23,
                        " level=warn module=slack msg=\"connection lost; reconnecting in 1.5 s\"");
    assert_non_null(strstr(p + 1, " level=info module=deliver msg=\"said \\\"hi\\\" \\\\ to\\nyou\"\n"));
    assert_null(strstr(p + 1, "filtered"));
    free(text);
    unlink(path);
}

static void
test_json_line(void **state)
{
    char path[] = "/tmp/smk-log-XXXXXX";
    int fd = mkstemp(path);
    struct log lg = { .level = LOG_DEBUG, .format = LOG_JSON };
    struct err err = { 0 };
    json_error_t jerr;
    json_t *o;
    char *text;

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(log_open(&lg, path, &err), 0);
    /* a quote, a control character and a byte that is not UTF-8 */
    log_err(&lg, "mattermost", "bad \"%s\"\x01 \xff end", "Jo\xc3\xa3o");
    log_close(&lg);
    text = slurp(path);
    assert_non_null(strchr(text, '\n'));
    o = json_loads(text, JSON_DISABLE_EOF_CHECK, &jerr);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "level")), "error");
    assert_string_equal(json_string_value(json_object_get(o, "module")), "mattermost");
    assert_string_equal(json_string_value(json_object_get(o, "msg")),
                        "bad \"Jo\xc3\xa3o\"\x01 \xef\xbf\xbd end");
    assert_int_equal(strlen(json_string_value(json_object_get(o, "ts"))), 20);
    json_decref(o);
    free(text);
    unlink(path);
}

static void
test_reopen_after_rotation(void **state)
{
    char path[] = "/tmp/smk-log-XXXXXX", moved[64];
    int fd = mkstemp(path);
    struct log lg = { .level = LOG_INFO };
    struct err err = { 0 };
    char *a, *b;

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    snprintf(moved, sizeof(moved), "%s.1", path);
    assert_int_equal(log_open(&lg, path, &err), 0);
    log_info(&lg, "bot", "before");
    assert_int_equal(rename(path, moved), 0);
    log_info(&lg, "bot", "still the old file");
    assert_int_equal(log_reopen(&lg, &err), 0);
    log_info(&lg, "bot", "after");
    log_close(&lg);
    a = slurp(moved);
    b = slurp(path);
    assert_non_null(strstr(a, "before") && strstr(a, "still the old file") ? a : NULL);
    assert_null(strstr(a, "after"));
    assert_non_null(strstr(b, "msg=\"after\""));
    assert_null(strstr(b, "before"));
    free(a);
    free(b);
    unlink(path);
    unlink(moved);
    /* a file that cannot be opened: an error, and the log unchanged */
    assert_int_equal(log_open(&lg, "/nonexistent-dir/x.log", &err), -1);
    assert_non_null(strstr(err.msg, "/nonexistent-dir/x.log"));
    assert_null(lg.fp);
    assert_int_equal(log_format_parse("json"), LOG_JSON);
    assert_int_equal(log_format_parse("logfmt"), LOG_LOGFMT);
    assert_int_equal(log_format_parse("text"), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_logfmt_line),
        cmocka_unit_test(test_json_line),
        cmocka_unit_test(test_reopen_after_rotation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* test_metrics.c: the registry and its Prometheus text exposition. */
#include "unit.h"

#include <stdio.h>
#include <string.h>

#include "metrics.h"

static struct strbuf out;

static const char *
scrape(void)
{
    strbuf_reset(&out);
    assert_int_equal(metrics_write(&out), 0);
    return strbuf_str(&out);
}

static int
teardown(void **state)
{
    (void)state;
    metrics_reset();
    strbuf_release(&out);
    strbuf_init(&out, 0);
    return 0;
}

static void
test_counter_and_gauge(void **state)
{
    static struct metric calls = {
        .name = "smarkbot_test_calls_total", .type = METRIC_COUNTER,
        .help = "Calls.", .labels = { "command", "outcome" },
    };
    static struct metric depth = {
        .name = "smarkbot_test_depth", .type = METRIC_GAUGE, .help = "Depth.",
    };
    const char *t;

    (void)state;
    metric_register(&calls);
    metric_register(&depth);
    metric_register(&calls);            /* listed once */
    t = scrape();
    /* known before any use: HELP and TYPE; an unlabelled one reads 0 */
    assert_string_equal(t,
        "# HELP smarkbot_test_calls_total Calls.\n"
        "# TYPE smarkbot_test_calls_total counter\n"
        "# HELP smarkbot_test_depth Depth.\n"
        "# TYPE smarkbot_test_depth gauge\n"
        "smarkbot_test_depth 0\n");
    metric_inc(&calls, "lead add", "ok");
    metric_inc(&calls, "lead add", "ok");
    metric_inc(&calls, "accept", "refused");
    metric_add(&calls, 2.5, "accept", "refused");
    metric_add(&calls, -7, "accept", "refused");    /* counters never go down */
    metric_set(&depth, 3, NULL, NULL);
    metric_set(&depth, 1, NULL, NULL);
    t = scrape();
    assert_non_null(strstr(t, "smarkbot_test_calls_total{command=\"lead add\",outcome=\"ok\"} 2\n"
                              "smarkbot_test_calls_total{command=\"accept\",outcome=\"refused\"} 3.5\n"));
    assert_non_null(strstr(t, "\nsmarkbot_test_depth 1\n"));
    metric_clear(&depth);
    assert_non_null(strstr(scrape(), "\nsmarkbot_test_depth 0\n"));
}

static void
test_escaping(void **state)
{
    static struct metric m = {
        .name = "smarkbot_test_escape_total", .type = METRIC_COUNTER,
        .help = "Back\\slash and\nnew line \"quoted\".", .labels = { "why" },
    };

    (void)state;
    metric_inc(&m, "a \"b\"\\c\nd", NULL);
    metric_inc(&m, NULL, NULL);         /* an absent value is "" */
    assert_string_equal(scrape(),
        "# HELP smarkbot_test_escape_total Back\\\\slash and\\nnew line \"quoted\".\n"
        "# TYPE smarkbot_test_escape_total counter\n"
        "smarkbot_test_escape_total{why=\"a \\\"b\\\"\\\\c\\nd\"} 1\n"
        "smarkbot_test_escape_total{why=\"\"} 1\n");
}

static void
test_histogram(void **state)
{
    static struct metric lat = {
        .name = "smarkbot_test_latency_seconds", .type = METRIC_HISTOGRAM,
        .help = "Latency.", .labels = { "platform" }, .buckets = { 0.01, 0.1, 1 },
    };

    (void)state;
    metric_observe(&lat, 0.005, "slack", NULL);
    metric_observe(&lat, 0.01, "slack", NULL);      /* le is inclusive */
    metric_observe(&lat, 0.5, "slack", NULL);
    metric_observe(&lat, 30, "slack", NULL);
    assert_string_equal(scrape(),
        "# HELP smarkbot_test_latency_seconds Latency.\n"
        "# TYPE smarkbot_test_latency_seconds histogram\n"
        "smarkbot_test_latency_seconds_bucket{platform=\"slack\",le=\"0.01\"} 2\n"
        "smarkbot_test_latency_seconds_bucket{platform=\"slack\",le=\"0.1\"} 2\n"
        "smarkbot_test_latency_seconds_bucket{platform=\"slack\",le=\"1\"} 3\n"
        "smarkbot_test_latency_seconds_bucket{platform=\"slack\",le=\"+Inf\"} 4\n"
        "smarkbot_test_latency_seconds_sum{platform=\"slack\"} 30.515\n"
        "smarkbot_test_latency_seconds_count{platform=\"slack\"} 4\n");
}

static int collected;

static void
collect(void *ud)
{
    metric_set(ud, ++collected, "x", NULL);
}

static void
test_collectors_and_reset(void **state)
{
    static struct metric g = {
        .name = "smarkbot_test_read", .type = METRIC_GAUGE, .help = "Read.",
        .labels = { "k" },
    };

    (void)state;
    assert_int_equal(metrics_collector(collect, &g, true), 0);
    assert_int_equal(metrics_collector(collect, &g, true), 0);     /* once */
    assert_non_null(strstr(scrape(), "smarkbot_test_read{k=\"x\"} 1\n"));
    assert_non_null(strstr(scrape(), "smarkbot_test_read{k=\"x\"} 2\n"));
    assert_int_equal(metrics_collector(collect, &g, false), 0);
    assert_non_null(strstr(scrape(), "smarkbot_test_read{k=\"x\"} 2\n"));
    metrics_reset();
    /* a new process: nothing listed, counters from 0 */
    assert_string_equal(scrape(), "");
    metric_inc(&g, "y", NULL);
    assert_non_null(strstr(scrape(), "smarkbot_test_read{k=\"y\"} 1\n"));
    assert_null(strstr(scrape(), "k=\"x\""));
}

static void
test_full_buffer(void **state)
{
    static struct metric m = {
        .name = "smarkbot_test_big_total", .type = METRIC_COUNTER, .help = "Big.",
        .labels = { "n" },
    };
    struct strbuf small;
    char n[16];

    (void)state;
    for (int i = 0; i < 100; i++) {
        snprintf(n, sizeof(n), "%d", i);
        metric_inc(&m, n, NULL);
    }
    strbuf_init(&small, 256);
    assert_int_equal(metrics_write(&small), -1);
    strbuf_release(&small);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_counter_and_gauge, teardown),
        cmocka_unit_test_teardown(test_escaping, teardown),
        cmocka_unit_test_teardown(test_histogram, teardown),
        cmocka_unit_test_teardown(test_collectors_and_reset, teardown),
        cmocka_unit_test_teardown(test_full_buffer, teardown),
    };
    int rc;

    strbuf_init(&out, 0);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    strbuf_release(&out);
    return rc;
}

/* SPDX-License-Identifier: MIT */
/* test_funnel.c: the funnel's cohort counts, conversion rates, leaks, the
 * period before a period, and losses by reason and source. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "funnel.h"
#include "period.h"
#include "store.h"
#include "strbuf.h"

static int64_t
at(const char *iso)
{
    int64_t t = 0;

    assert_int_equal(clock_parse_iso(iso, &t, NULL), 0);
    return t;
}

static int
setup(void **state)
{
    (void)state;
    return clock_set_timezone("America/Sao_Paulo", NULL);
}

static void
lead(struct store *s, int64_t id, const char *source, const char *stage,
     const char *created)
{
    struct err err = { 0 };

    assert_int_equal(store_exec(s, &err,
                                "INSERT INTO leads(id, name, source, stage, created_by,"
                                " created_at) VALUES (?, 'x', ?, ?, 'alice', ?)",
                                "IssI", id, source, stage, at(created)), 0);
}

static void
event(struct store *s, int64_t id, const char *kind, const char *when,
      const char *json)
{
    struct err err = { 0 };

    assert_int_equal(store_exec(s, &err,
                                "INSERT INTO events(lead, kind, actor, at, data)"
                                " VALUES (?, ?, 'bob', ?, ?)",
                                "IsIs", id, kind, at(when), json), 0);
}

static void
test_rates_and_leak(void **state)
{
    static const struct {
        int64_t n[FUNNEL_NSTAGES];
        int rate[FUNNEL_NSTEPS], leak;
    } cases[] = {
        { { 10, 8, 2, 1, 0, 3 }, { 80, 25, 50 }, 1 },
        { { 3, 2, 1, 0, 1, 1 }, { 66, 50, 0 }, 2 },
        { { 4, 0, 0, 0, 0, 0 }, { 0, -1, -1 }, 0 },
        { { 0, 0, 0, 0, 0, 0 }, { -1, -1, -1 }, -1 },
        { { 2, 2, 2, 2, 0, 0 }, { 100, 100, 100 }, -1 },
        { { 4, 2, 1, 1, 0, 0 }, { 50, 50, 100 }, 0 },     /* the first of equals */
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct funnel_row r = { 0 };

        memcpy(r.n, cases[i].n, sizeof(r.n));
        for (int k = 0; k < FUNNEL_NSTEPS; k++)
            assert_int_equal(funnel_rate(&r, k), cases[i].rate[k]);
        assert_int_equal(funnel_leak(&r), cases[i].leak);
    }
}

static void
test_period_prev(void **state)
{
    static const char *const cases[][2] = {
        { "2026", "2025" }, { "2026-Q1", "2025-Q4" }, { "2026-q3", "2026-Q2" },
        { "2026-01", "2025-12" }, { "2026-11", "2026-10" },
    };
    char buf[16];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(period_prev(cases[i][0], buf, sizeof(buf)), 0);
        assert_string_equal(buf, cases[i][1]);
    }
    assert_int_equal(period_prev("2026-13", buf, sizeof(buf)), -1);
    assert_int_equal(period_prev("soon", buf, sizeof(buf)), -1);
}

static void
test_count_cohort(void **state)
{
    struct err err = { 0 };
    struct store *s = store_open(":memory:", &err);
    struct funnel f;
    const struct funnel_row *web;
    struct strbuf sb;
    int64_t from = at("2026-11-01T00:00"), to = at("2026-12-01T00:00");

    (void)state;
    assert_non_null(s);
    lead(s, 1, "web", "won", "2026-11-02T10:00");
    lead(s, 2, "web", "lost", "2026-11-03T10:00");
    lead(s, 3, "web", "recycled", "2026-11-04T10:00");
    lead(s, 4, "web", "handed_off", "2026-11-05T10:00");   /* rejected once */
    lead(s, 5, "ads", "mql", "2026-11-06T10:00");
    lead(s, 6, NULL, "sql", "2026-11-07T10:00");
    lead(s, 7, "web", "won", "2026-10-30T10:00");          /* October */
    event(s, 4, "rejected", "2026-11-06T10:00", "{\"reason\":\"timing\"}");
    event(s, 2, "lost", "2026-11-20T10:00", "{\"reason\":\"budget\"}");
    assert_int_equal(funnel_count(s, from, to, FUNNEL_BY_SOURCE, NULL, &f, &err), 0);
    assert_int_equal(f.nrows, 3);
    assert_string_equal(f.rows[0].label, "web");
    assert_string_equal(f.rows[1].label, "ads");
    assert_string_equal(f.rows[2].label, "");       /* no source: last */
    web = funnel_find(&f, "WEB");
    assert_non_null(web);
    assert_int_equal(web->n[FUNNEL_MQL], 4);
    assert_int_equal(web->n[FUNNEL_HANDED_OFF], 4);
    assert_int_equal(web->n[FUNNEL_SQL], 2);
    assert_int_equal(web->n[FUNNEL_WON], 1);
    assert_int_equal(web->n[FUNNEL_LOST], 1);
    assert_int_equal(web->n[FUNNEL_RECYCLED], 2);
    assert_int_equal(f.total.n[FUNNEL_MQL], 6);
    assert_int_equal(f.total.n[FUNNEL_SQL], 3);
    assert_int_equal(funnel_leak(web), 1);
    funnel_release(&f);
    assert_int_equal(funnel_count(s, from, to, FUNNEL_BY_SOURCE, "ads", &f, &err), 0);
    assert_int_equal(f.nrows, 1);
    assert_int_equal(f.total.n[FUNNEL_MQL], 1);
    funnel_release(&f);

    strbuf_init(&sb, 0);
    assert_int_equal(funnel_losses(s, from, to, &sb, &err), 1);
    assert_string_equal(strbuf_str(&sb), "budget: web 1");
    strbuf_reset(&sb);
    assert_int_equal(funnel_report(s, "2026-11", FUNNEL_BY_SOURCE, "web", &sb, &err), 0);
    assert_non_null(strstr(strbuf_str(&sb),
                           "web\n  MQL            4 (before: 1)\n"
                           "  handed off     4, 100% of MQL (before: 1, 100%)\n"
                           "  SQL            2, 50% of handed off (before: 1, 100%)\n"));
    assert_non_null(strstr(strbuf_str(&sb), "  leaks most at handed off → SQL (50%)\n"));
    strbuf_release(&sb);
    store_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rates_and_leak),
        cmocka_unit_test(test_period_prev),
        cmocka_unit_test(test_count_cohort),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}

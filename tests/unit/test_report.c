/* SPDX-License-Identifier: MIT */
/* test_report.c: report arithmetic and rendering (percentiles, arrows, bars,
 * money), goal periods and progress, alignment levels, and the digest and
 * monthly report on an in-memory store with seeded rows. */
#include "args.h"
#include "period.h"
#include "unit.h"
#include "format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alignment.h"
#include "clock.h"
#include "config.h"
#include "goal.h"
#include "chart.h"
#include "digest.h"
#include "report.h"
#include "store.h"
#include "strbuf.h"

#define H 3600

static struct config cfg;

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
    struct err err = { 0 };

    (void)state;
    assert_int_equal(config_load(&cfg, NULL, &err), 0);
    assert_int_equal(clock_set_timezone("America/Sao_Paulo", NULL), 0);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    config_release(&cfg);
    return 0;
}

static struct store *
open_store(void)
{
    struct err err = { 0 };
    struct store *s = store_open(":memory:", &err);

    assert_non_null(s);
    return s;
}

static void
sql(struct store *s, const char *text)
{
    char *msg = NULL;

    if (sqlite3_exec(store_db(s), text, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", text, msg);
}

/* A lead created at `created`, with an optional source and stage. */
static void
lead(struct store *s, int64_t id, const char *source, const char *stage,
     int64_t created)
{
    struct err err = { 0 };

    assert_int_equal(store_exec(s, &err,
                                "INSERT INTO leads(id, name, source, stage, created_by,"
                                " created_at) VALUES (?, ?, ?, ?, 'alice', ?)",
                                "Isss" "I", id, "Lead", source, stage, created), 0);
    assert_int_equal(store_exec(s, &err,
                                "INSERT INTO events(lead, kind, actor, at, data)"
                                " VALUES (?, 'created', 'alice', ?, '{}')",
                                "II", id, created), 0);
}

static void
event(struct store *s, int64_t id, const char *kind, int64_t t,
      const char *json)
{
    struct err err = { 0 };

    assert_int_equal(store_exec(s, &err,
                                "INSERT INTO events(lead, kind, actor, at, data)"
                                " VALUES (nullif(?, 0), ?, 'bob', ?, ?)",
                                "IsIs", id, kind, t, json), 0);
}

static void
test_percentile(void **state)
{
    static const int64_t ten[] = { 600, 1200, 1800, 2400, 3000, 3600, 4200,
                                   4800, 5400, 6000 };
    static const int64_t two[] = { H, 3 * H };
    static const int64_t one[] = { 42 };

    (void)state;
    assert_int_equal(report_percentile(NULL, 0, 50), -1);
    assert_int_equal(report_percentile(one, 1, 50), 42);
    assert_int_equal(report_percentile(one, 1, 90), 42);
    assert_int_equal(report_percentile(two, 2, 50), 2 * H);    /* mean of the middle */
    assert_int_equal(report_percentile(ten, 10, 50), 3300);
    assert_int_equal(report_percentile(ten, 10, 90), 5460);    /* 5400 + 0.1 * 600 */
    assert_int_equal(report_percentile(ten, 10, 0), 600);
    assert_int_equal(report_percentile(ten, 10, 100), 6000);
}

static void
test_responses(void **state)
{
    struct store *s = open_store();
    struct report_response r;
    struct err err = { 0 };
    int64_t t0 = at("2026-11-16T09:00");

    (void)state;
    lead(s, 1, "web", "sql", t0);
    event(s, 1, "accepted", t0 + H, "{\"secs\":3600,\"met\":true}");
    event(s, 1, "rejected", t0 + 2 * H, "{\"secs\":18000,\"met\":false}");
    event(s, 1, "accepted", t0 + 3 * H, "{\"secs\":7200,\"met\":true}");
    event(s, 1, "accepted", t0 + 4 * H, "{\"secs\":1800}");     /* no flag: vs target */
    event(s, 1, "accepted", t0 + 5 * H, "{\"secs\":36000}");
    event(s, 1, "accepted", t0 - H, "{\"secs\":60,\"met\":true}");    /* before */
    event(s, 1, "feedback", t0 + H, "{\"secs\":60}");                 /* not an answer */
    assert_int_equal(report_responses(s, t0, t0 + 10 * H, 4 * H, &r, &err), 0);
    assert_int_equal(r.n, 5);
    assert_int_equal(r.within, 3);
    assert_int_equal(r.median, 7200);
    /* 1800 3600 7200 18000 36000: rank 3.6 -> 18000 + 0.6 * 18000 */
    assert_int_equal(r.p90, 28800);
    assert_int_equal(report_responses(s, t0 + 20 * H, t0 + 30 * H, 4 * H, &r, &err), 0);
    assert_int_equal(r.n, 0);
    assert_int_equal(r.median, -1);
    store_free(s);
}

static void
test_versus(void **state)
{
    static const struct {
        int64_t cur, prev;
        const char *money, *want;
    } cases[] = {
        { 4, 1, NULL, " (before: 1, +3)" },
        { 0, 4, NULL, " (before: 4, -4)" },
        { 1, 0, NULL, " (before: 0, +1)" },     /* not "1 up by 0" */
        { 2, 2, NULL, " (before: 2, no change)" },
        { 0, 0, NULL, " (before: 0, no change)" },
        { 1250000, 0, "", " (before: 0, +12,500)" },
        { 0, 870000, "$", " (before: $8,700, -$8,700)" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct strbuf sb;

        strbuf_init(&sb, 0);
        chart_versus(&sb, cases[i].cur, cases[i].prev, cases[i].money);
        assert_string_equal(strbuf_str(&sb), cases[i].want);
        strbuf_release(&sb);
    }
}

static void
test_bar(void **state)
{
    static const struct {
        int64_t value, max;
        int width;
        const char *want;
    } cases[] = {
        { 8, 8, 4, "████" },
        { 0, 8, 4, "" },
        { 1, 1000, 4, "▏" },        /* tiny but not nothing */
        { 3, 8, 2, "▊" },           /* 6 eighths */
        { 5, 8, 2, "█▎" },          /* 10 eighths */
        { 1, 2, 3, "█▌" },
        { 9, 8, 2, "██" },          /* capped at max */
        { 7, 8, 1, "▉" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct strbuf sb;

        strbuf_init(&sb, 0);
        chart_bar(&sb, cases[i].value, cases[i].max, cases[i].width);
        assert_string_equal(strbuf_str(&sb), cases[i].want);
        strbuf_release(&sb);
    }
}

static void
test_chart(void **state)
{
    const char *labels[] = { "webinar", "ads", "Café", "a-very-long-source-name" };
    const int64_t values[] = { 8, 3, 1, 0 };
    struct strbuf sb;

    (void)state;
    strbuf_init(&sb, 0);
    chart_columns(&sb, labels, values, 4, 8);
    /* labels padded by characters (Café is 5 bytes, 4 characters) and cut
     * at 16 with an ellipsis; the bars start in one column */
    assert_string_equal(strbuf_str(&sb),
                        "  webinar           ████████ 8\n"
                        "  ads               ███ 3\n"
                        "  Café              █ 1\n"
                        "  a-very-long-sou…  0\n");
    strbuf_release(&sb);
}

static void
test_format(void **state)
{
    char buf[48];

    (void)state;
    format_bizdur(NULL, 5400, buf, sizeof(buf));
    assert_string_equal(buf, "1h 30m");
    format_bizdur(NULL, 4 * H, buf, sizeof(buf));
    assert_string_equal(buf, "4h");
    format_bizdur(NULL, 26 * H, buf, sizeof(buf));
    assert_string_equal(buf, "26h");
    format_bizdur(NULL, 45 * 60, buf, sizeof(buf));
    assert_string_equal(buf, "45m");
    format_bizdur(NULL, 10, buf, sizeof(buf));
    assert_string_equal(buf, "<1m");
    format_money(1250000, buf, sizeof(buf));
    assert_string_equal(buf, "12,500");
    format_money(123456789050, buf, sizeof(buf));
    assert_string_equal(buf, "1,234,567,890.50");
    format_money(99, buf, sizeof(buf));
    assert_string_equal(buf, "0.99");
    format_money(0, buf, sizeof(buf));
    assert_string_equal(buf, "0");
}

static void
test_period_parse(void **state)
{
    static const struct {
        const char *period, *from, *to;
    } good[] = {
        { "2026", "2026-01-01T00:00", "2027-01-01T00:00" },
        { "2026-Q1", "2026-01-01T00:00", "2026-04-01T00:00" },
        { "2026-q4", "2026-10-01T00:00", "2027-01-01T00:00" },
        { "2026-11", "2026-11-01T00:00", "2026-12-01T00:00" },
        { "2026-12", "2026-12-01T00:00", "2027-01-01T00:00" },
        { "2027-02", "2027-02-01T00:00", "2027-03-01T00:00" },
    };
    static const char *const bad[] = {
        "", "26", "2026-Q5", "2026-Q0", "2026-13", "2026-00", "2026-1",
        "2026-11-01", "20261", "abcd", "2026-Q1x", "1969",
    };
    int64_t from, to;

    (void)state;
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        assert_int_equal(period_parse(good[i].period, &from, &to), 0);
        assert_int_equal(from, at(good[i].from));
        assert_int_equal(to, at(good[i].to));
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (period_parse(bad[i], &from, &to) != -1)
            fail_msg("period '%s' parsed", bad[i]);
    assert_int_equal(args_ref_id("G-12", 'G'), 12);
    assert_int_equal(args_ref_id("g-3", 'G'), 3);
    assert_int_equal(args_ref_id("7", 'G'), 7);
    assert_int_equal(args_ref_id("L-3", 'G'), 0);
    assert_int_equal(args_ref_id("G-", 'G'), 0);
    assert_true(goal_metric_valid("revenue"));
    assert_false(goal_metric_valid("leads"));
}

static void
test_goal_progress(void **state)
{
    struct store *s = open_store();
    struct err err = { 0 };
    struct strbuf sb;
    int64_t q4 = at("2026-10-01T00:00"), v;

    (void)state;
    lead(s, 1, "web", "won", at("2026-10-05T10:00"));
    lead(s, 2, "web", "sql", at("2026-11-05T10:00"));
    lead(s, 3, "ads", "mql", at("2026-09-30T23:59"));   /* Q3 */
    event(s, 1, "accepted", at("2026-10-06T10:00"), "{}");
    event(s, 2, "accepted", at("2026-11-06T10:00"), "{}");
    event(s, 1, "won", at("2026-10-20T10:00"), "{\"amount\":1250050}");
    sql(s, "UPDATE leads SET amount = 1250050 WHERE id = 1");
    assert_int_equal(goal_progress(s, "mqls", q4, at("2027-01-01T00:00"), &v, &err), 0);
    assert_int_equal(v, 2);
    assert_int_equal(goal_progress(s, "sqls", q4, at("2027-01-01T00:00"), &v, &err), 0);
    assert_int_equal(v, 2);
    assert_int_equal(goal_progress(s, "won", q4, at("2027-01-01T00:00"), &v, &err), 0);
    assert_int_equal(v, 1);
    assert_int_equal(goal_progress(s, "revenue", q4, at("2027-01-01T00:00"), &v, &err), 0);
    assert_int_equal(v, 1250050);

    assert_true(goal_insert(s, "More SQLs", "sqls", 10, 0, NULL, "2026-Q4", "carol",
                            at("2026-10-01T09:00"), &err) == 1);
    assert_true(goal_insert(s, "Q4 revenue", "revenue", 10000, 0, NULL, "2026-Q4", "carol",
                            at("2026-10-01T09:00"), &err) == 2);
    assert_true(goal_insert(s, "November MQLs", "mqls", 2, 0, NULL, "2026-11", "carol",
                            at("2026-10-01T09:00"), &err) == 3);
    assert_true(goal_insert(s, "Next year", "won", 100, 0, NULL, "2027", "carol",
                            at("2026-10-01T09:00"), &err) == 4);
    strbuf_init(&sb, 0);
    /* 2026-11-23: 38 days of Q4 left (5.43 weeks): 8 SQLs to go = 1.5/week */
    assert_int_equal(goal_list(s, at("2026-11-23T09:00"), false, NULL, &sb, &err), 4);
    assert_string_equal(strbuf_str(&sb),
        "G-1 More SQLs: 2 of 10 SQLs in 2026-Q4 (20%) ██; 8 to go by 2026-12-31: 1.5 per week\n"
        "G-2 Q4 revenue: 12,500.50 of 10,000 revenue in 2026-Q4 (125%) ██████████; reached\n"
        "G-3 November MQLs: 1 of 2 MQLs in 2026-11 (50%) █████; 1 to go by 2026-11-30: 0.2 per day\n"
        "G-4 Next year: 0 of 100 deals won in 2027 (0%); 100 to go by 2027-12-31: 2 per week (starts 2027-01-01)");
    strbuf_reset(&sb);
    /* only the goals whose period contains now; G-3 after November ended */
    assert_int_equal(goal_list(s, at("2026-12-02T09:00"), true, NULL, &sb, &err), 2);
    assert_non_null(strstr(strbuf_str(&sb), "G-1 More SQLs"));
    assert_null(strstr(strbuf_str(&sb), "G-3"));
    strbuf_reset(&sb);
    assert_int_equal(goal_list(s, at("2026-12-02T09:00"), false, NULL, &sb, &err), 4);
    assert_non_null(strstr(strbuf_str(&sb), "G-3 November MQLs: 1 of 2 MQLs in 2026-11 (50%) █████; ended 1 short"));
    assert_int_equal(goal_remove(s, 2, at("2026-12-02T09:00"), &err), 0);
    strbuf_reset(&sb);
    assert_int_equal(goal_list(s, at("2026-12-02T09:00"), false, NULL, &sb, &err), 3);
    strbuf_release(&sb);
    store_free(s);
}

static void
test_alignment_levels(void **state)
{
    /* of 8: under a third, a third, two thirds, all */
    static const enum alignment_level want[] = {
        ALIGN_COMPLETELY_MISALIGNED, ALIGN_COMPLETELY_MISALIGNED,
        ALIGN_COMPLETELY_MISALIGNED, ALIGN_SOMEWHAT_MISALIGNED,
        ALIGN_SOMEWHAT_MISALIGNED, ALIGN_SOMEWHAT_MISALIGNED,
        ALIGN_SOMEWHAT_ALIGNED, ALIGN_SOMEWHAT_ALIGNED,
        ALIGN_COMPLETELY_ALIGNED,
    };

    (void)state;
    for (int met = 0; met <= ALIGNMENT_NCRITERIA; met++)
        assert_int_equal(alignment_level(met), want[met]);
    assert_string_equal(alignment_level_name(ALIGN_SOMEWHAT_MISALIGNED),
                        "somewhat misaligned");
}

static void
test_alignment_eval(void **state)
{
    struct store *s = open_store();
    struct alignment al;
    struct err err = { 0 };
    int64_t now = at("2026-11-23T09:00");

    (void)state;
    /* a fresh database: only the seeded glossary holds; with no rejection
     * yet, "rejections carry reasons" is not known, so not met */
    assert_int_equal(alignment_eval(s, &cfg, now, &al, &err), 0);
    assert_int_equal(al.met, 1);
    assert_true(al.crit[2].met);
    assert_false(al.crit[5].met);
    assert_true(al.crit[5].unknown);
    assert_false(al.crit[4].met);
    assert_false(al.crit[4].unknown);

    sql(s, "INSERT INTO goals(title, metric, target, period, created_at)"
           " VALUES ('Old', 'mqls', 5, '2025', 0), ('Now', 'sqls', 5, '2026-Q4', 0)");
    sql(s, "INSERT INTO meetings(title, cadence, at_time, remind, created_at)"
           " VALUES ('QBR', 'quarterly:first-mon', '10:00', 900, 0)");
    assert_int_equal(alignment_eval(s, &cfg, now, &al, &err), 0);
    assert_true(al.crit[0].met);
    assert_string_equal(al.crit[0].evidence, "G-2 Now (2026-Q4)");
    assert_false(al.crit[1].met);       /* quarterly is too rare */
    sql(s, "INSERT INTO meetings(title, cadence, at_time, remind, created_at)"
           " VALUES ('Pipeline', 'every-6w:tue', '10:00', 900, 0)");

    /* 5 answers in 30 days, 4 within; one lead still waiting past its
     * deadline makes it 4 of 6: under 80% */
    lead(s, 1, "web", "sql", now - 20 * 86400);
    lead(s, 2, "web", "handed_off", now - 3 * 86400);
    for (int i = 0; i < 5; i++)
        event(s, 1, "accepted", now - (10 + i) * 86400, i < 4 ? "{\"secs\":60,\"met\":true}"
                                                              : "{\"secs\":99999,\"met\":false}");
    {
        char q[160];

        snprintf(q, sizeof(q), "UPDATE leads SET due_at = %lld WHERE id = 2",
                 (long long)(now - 86400));
        sql(s, q);
    }
    event(s, 2, "handoff", now - 3 * 86400, "{\"rep\":\"bob\"}");
    event(s, 1, "rejected", now - 15 * 86400, "{\"reason\":\"budget\"}");
    assert_int_equal(alignment_eval(s, &cfg, now, &al, &err), 0);
    assert_true(al.crit[5].met);
    assert_false(al.crit[5].unknown);
    assert_true(al.crit[1].met);
    assert_false(al.crit[3].met);       /* no feedback from sales */
    assert_false(al.crit[4].met);
    assert_string_equal(al.crit[4].evidence, "4 of 6 within target (66%), counting 1 unanswered past its deadline"
                        " (as /smk sla shows for the last 30 days)");
    assert_int_equal(al.met, 4);
    assert_int_equal(alignment_level(al.met), ALIGN_SOMEWHAT_MISALIGNED);

    sql(s, "UPDATE leads SET stage = 'sql' WHERE id = 2");
    {
        char q[160];

        snprintf(q, sizeof(q), "INSERT INTO feedback(lead, rep, rating, at)"
                 " VALUES (1, 'bob', 4, %lld)", (long long)(now - 86400));
        sql(s, q);
    }
    /* sales' side alone is feedback one way */
    assert_int_equal(alignment_eval(s, &cfg, now, &al, &err), 0);
    assert_false(al.crit[3].met);
    assert_string_equal(al.crit[3].evidence,
                        "1 lead-quality rating by sales, 0 follow-up ratings by marketing");
    {
        char q[200];

        snprintf(q, sizeof(q), "INSERT INTO followups(lead, rater, rep, rating, at)"
                 " VALUES (1, 'alice', 'bob', 5, %lld)", (long long)(now - 2 * 86400));
        sql(s, q);
    }
    assert_int_equal(alignment_eval(s, &cfg, now, &al, &err), 0);
    assert_true(al.crit[3].met);
    assert_int_equal(al.met, 6);
    assert_int_equal(alignment_level(al.met), ALIGN_SOMEWHAT_ALIGNED);
    assert_false(al.crit[6].met);
    assert_string_equal(al.crit[6].evidence,
                        "no buyer personas; define them with /smk persona add");
    assert_string_equal(al.crit[7].evidence,
                        "0 published, 0 rated by sales (/smk content rate)");
    /* personas reviewed with both teams, content rated by sales */
    {
        char q[300];

        snprintf(q, sizeof(q), "INSERT INTO personas(name, description, created_at)"
                 " VALUES ('CFO', 'the finance head', %lld);"
                 " INSERT INTO events(kind, actor, at) VALUES ('persona_reviewed', 'carol', %lld);",
                 (long long)(now - 300 * 86400), (long long)(now - 200 * 86400));
        sql(s, q);
    }
    assert_int_equal(alignment_eval(s, &cfg, now, &al, &err), 0);
    assert_false(al.crit[6].met);       /* over six months ago */
    assert_string_equal(al.crit[6].evidence, "1 persona, last reviewed 2026-05-07");
    {
        char q[400];

        snprintf(q, sizeof(q), "INSERT INTO events(kind, actor, at) VALUES"
                 " ('persona_reviewed', 'carol', %lld);"
                 " INSERT INTO content(title, url, author, at) VALUES ('Guide',"
                 " 'https://example.com', 'alice', %lld);"
                 " INSERT INTO content_ratings(content, rater, rating, at) VALUES (1, 'bob', 5, %lld);",
                 (long long)(now - 10 * 86400), (long long)(now - 5 * 86400),
                 (long long)(now - 86400));
        sql(s, q);
    }
    assert_int_equal(alignment_eval(s, &cfg, now, &al, &err), 0);
    assert_true(al.crit[6].met);
    assert_true(al.crit[7].met);
    assert_int_equal(al.met, 8);
    assert_int_equal(alignment_level(al.met), ALIGN_COMPLETELY_ALIGNED);

    /* a recycled lead left alone for 20 days */
    lead(s, 3, "ads", "recycled", now - 40 * 86400);
    {
        char q[160];

        snprintf(q, sizeof(q), "UPDATE leads SET responded_at = %lld WHERE id = 3",
                 (long long)(now - 20 * 86400));
        sql(s, q);
    }
    assert_int_equal(alignment_eval(s, &cfg, now, &al, &err), 0);
    assert_false(al.crit[5].met);
    assert_non_null(strstr(al.crit[5].evidence, "oldest L-3"));
    store_free(s);
}

/* The line of the digest that starts with prefix (after the indent). */
static const char *
line_of(const char *text, const char *prefix, char *buf, size_t len)
{
    const char *p = text;

    while (p && *p) {
        const char *start = p + strspn(p, " ");
        size_t n = strcspn(p, "\n");

        if (strncmp(start, prefix, strlen(prefix)) == 0) {
            snprintf(buf, len, "%.*s", (int)(n - (size_t)(start - p)), start);
            return buf;
        }
        p = p[n] ? p + n + 1 : NULL;
    }
    fail_msg("no line '%s' in:\n%s", prefix, text);
    return NULL;
}

static void
test_digest(void **state)
{
    struct store *s = open_store();
    struct err err = { 0 };
    struct strbuf sb;
    int64_t now = at("2026-11-23T09:00");
    char buf[256];

    (void)state;
    /* this week: 3 MQLs (2 web, 1 ads); the week before: 1 */
    lead(s, 1, "web", "won", now - 2 * 86400);
    lead(s, 2, "web", "recycled", now - 3 * 86400);
    lead(s, 3, "ads", "handed_off", now - 4 * 86400);
    lead(s, 4, NULL, "mql", now - 9 * 86400);
    event(s, 1, "handoff", now - 2 * 86400 + H, "{}");
    event(s, 2, "handoff", now - 3 * 86400 + H, "{}");
    event(s, 4, "handoff", now - 9 * 86400 + H, "{}");
    event(s, 4, "handoff", now - 8 * 86400 + H, "{}");     /* reassigned: one lead */
    event(s, 1, "accepted", now - 2 * 86400 + 2 * H, "{\"secs\":3600,\"met\":true}");
    event(s, 2, "rejected", now - 3 * 86400 + 2 * H,
          "{\"secs\":18000,\"met\":false,\"reason\":\"budget\"}");
    event(s, 1, "won", now - 86400, "{\"amount\":1250000}");
    sql(s, "UPDATE leads SET amount = 1250000 WHERE id = 1");
    sql(s, "INSERT INTO feedback(lead, rep, rating, comment, at) VALUES"
           " (1, 'bob', 2, 'first thought', strftime('%s', '2026-11-21T12:00:00')),"
           " (1, 'bob', 5, 'great fit', strftime('%s', '2026-11-21T13:00:00')),"
           " (2, 'dave', 3, NULL, strftime('%s', '2026-11-20T13:00:00'))");
    sql(s, "INSERT INTO users(id, name) VALUES ('bob', 'Bob B')");
    sql(s, "INSERT INTO content(title, url, campaign, author, at) VALUES"
           " ('Pricing guide', 'https://example.com/p', 'Q4', 'alice',"
           "  strftime('%s', '2026-11-20T12:00:00'))");
    strbuf_init(&sb, 0);
    assert_int_equal(digest_weekly(s, &cfg, now, &sb, &err), 0);
    assert_string_equal(line_of(strbuf_str(&sb), "Weekly", buf, sizeof(buf)),
                        "Weekly digest, 2026-11-16 to 2026-11-23");
    assert_string_equal(line_of(strbuf_str(&sb), "new MQLs", buf, sizeof(buf)),
                        "new MQLs         3 (before: 1, +2)");
    assert_string_equal(line_of(strbuf_str(&sb), "handed off", buf, sizeof(buf)),
                        "handed off       2 (before: 1, +1)");
    assert_string_equal(line_of(strbuf_str(&sb), "rejected", buf, sizeof(buf)),
                        "rejected         1 (before: 0, +1), by reason: budget 1");
    assert_string_equal(line_of(strbuf_str(&sb), "lost", buf, sizeof(buf)),
                        "lost             0 (before: 0, no change)");
    assert_string_equal(line_of(strbuf_str(&sb), "web  ", buf, sizeof(buf)),
                        "web  ████████████████ 2");
    assert_string_equal(line_of(strbuf_str(&sb), "ads  ", buf, sizeof(buf)),
                        "ads  ████████ 1");
    assert_string_equal(line_of(strbuf_str(&sb), "Closed loop", buf, sizeof(buf)),
                        "Closed loop: revenue won 12,500 (before: 0, +12,500)");
    assert_string_equal(line_of(strbuf_str(&sb), "web: 1 deal", buf, sizeof(buf)),
                        "web: 1 deal won, 12,500");
    /* the month's cohort: L-4 of nine days ago is in November too */
    assert_string_equal(line_of(strbuf_str(&sb), "web: 2", buf, sizeof(buf)),
                        "web: 2 MQL → 2 handed off (100%) → 1 SQL (50%) → 1 won (100%);"
                        " leaks most at handed off → SQL");
    assert_string_equal(line_of(strbuf_str(&sb), "(no source): ", buf, sizeof(buf)),
                        "(no source): 1 MQL → 0 handed off (0%) → 0 SQL (-) → 0 won (-);"
                        " leaks most at MQL → handed off");
    assert_string_equal(line_of(strbuf_str(&sb), "response", buf, sizeof(buf)),
                        "response median 3h, 90th percentile 4h 36m (target 4h)");
    assert_string_equal(line_of(strbuf_str(&sb), "1 of 2", buf, sizeof(buf)),
                        "1 of 2 within target (50%)");
    assert_string_equal(line_of(strbuf_str(&sb), "breaches", buf, sizeof(buf)),
                        "breaches: 1 (1 answered late, 0 not answered yet)");
    /* bob's later rating replaces his earlier one */
    assert_string_equal(line_of(strbuf_str(&sb), "web  ████ ", buf, sizeof(buf)),
                        "web  ████  4.0 (2 ratings)");
    assert_string_equal(line_of(strbuf_str(&sb), "\"", buf, sizeof(buf)),
                        "\"great fit\" (Bob B on L-1, 5/5)");
    assert_null(strstr(strbuf_str(&sb), "first thought"));
    assert_string_equal(line_of(strbuf_str(&sb), "\"Pricing", buf, sizeof(buf)),
                        "\"Pricing guide\" https://example.com/p (campaign Q4)");
    assert_string_equal(line_of(strbuf_str(&sb), "L-1 ", buf, sizeof(buf)),
                        "L-1 Lead, 12,500, won by Bob B");
    assert_non_null(strstr(strbuf_str(&sb), "\nAlignment: "));
    strbuf_release(&sb);
    store_free(s);
}

static void
test_monthly(void **state)
{
    struct store *s = open_store();
    struct err err = { 0 };
    struct strbuf sb;

    (void)state;
    lead(s, 1, "web", "sql", at("2026-10-05T10:00"));
    lead(s, 2, "web", "handed_off", at("2026-10-06T10:00"));
    lead(s, 3, "web", "mql", at("2026-11-02T10:00"));      /* not October */
    event(s, 1, "accepted", at("2026-10-05T12:00"), "{\"secs\":7200,\"met\":true}");
    sql(s, "UPDATE leads SET due_at = strftime('%s', '2026-10-30T12:00:00') WHERE id = 2");
    /* the target was 150 in October and raised to 300 on November 10 */
    event(s, 0, "sla_set", at("2026-11-10T10:00"),
          "{\"mql_target\":300,\"prev_mql_target\":150,\"response_secs\":14400}");
    assert_int_equal(report_mql_target_at(s, &cfg, at("2026-11-01T00:00")), 150);
    assert_int_equal(report_mql_target_at(s, &cfg, at("2026-12-01T00:00")), 300);
    strbuf_init(&sb, 0);
    assert_int_equal(report_monthly(s, &cfg, at("2026-11-02T09:00"), &sb, &err), 0);
    assert_string_equal(strbuf_str(&sb),
        "SLA report for October 2026\n"
        "Marketing: MQLs 2 of 150 (1%): 148 short of the target\n"
        "Sales: response median 2h, 90th percentile 2h (target 4h)\n"
        "  1 of 2 within target (50%), counting 1 unanswered past its deadline\n"
        "Breaches: 1 (0 answered late, 1 not answered yet)\n"
        "Funnel of the month's leads:\n"
        "  web: 2 MQL → 2 handed off (100%) → 1 SQL (50%) → 0 won (0%);"
        " leaks most at SQL → won");
    /* January reports on December of the year before */
    strbuf_reset(&sb);
    assert_int_equal(report_monthly(s, &cfg, at("2027-01-04T09:00"), &sb, &err), 0);
    assert_non_null(strstr(strbuf_str(&sb), "SLA report for December 2026\n"));
    strbuf_release(&sb);
    store_free(s);
}

static void
test_sla_status(void **state)
{
    struct store *s = open_store();
    struct err err = { 0 };
    struct strbuf sb;
    int64_t now = at("2026-11-16T00:00");

    (void)state;
    lead(s, 1, "web", "handed_off", at("2026-11-10T10:00"));
    sql(s, "UPDATE leads SET due_at = strftime('%s', '2026-11-10T14:00:00') WHERE id = 1");
    strbuf_init(&sb, 0);
    assert_int_equal(report_sla_status(s, &cfg, now, &sb, &err), 0);
    /* 15 of 30 days: 100 of the default 200 expected */
    assert_string_equal(strbuf_str(&sb),
        "MQLs this month: 1 of 200 (0%), 100 expected by now\n"
        "Sales this month: no handoffs answered (response target 4h);"
        " 0 of 1 within target (0%), counting 1 unanswered past its deadline\n"
        "Over their deadline now: 1 (L-1)");
    strbuf_release(&sb);
    store_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percentile),
        cmocka_unit_test(test_responses),
        cmocka_unit_test(test_versus),
        cmocka_unit_test(test_bar),
        cmocka_unit_test(test_chart),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_period_parse),
        cmocka_unit_test(test_goal_progress),
        cmocka_unit_test(test_alignment_levels),
        cmocka_unit_test(test_alignment_eval),
        cmocka_unit_test(test_digest),
        cmocka_unit_test(test_monthly),
        cmocka_unit_test(test_sla_status),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

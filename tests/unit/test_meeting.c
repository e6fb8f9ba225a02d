/* SPDX-License-Identifier: MIT */
/* test_meeting.c: cadences, occurrences in local time across DST changes
 * (Europe/Warsaw, America/New_York), anchors, skips and the upcoming list. */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "meeting.h"

static int64_t
at(const char *iso)
{
    int64_t t = 0;

    assert_int_equal(clock_parse_iso(iso, &t, NULL), 0);
    return t;
}

/* The local "YYYY-MM-DDTHH:MM" of t, for readable failures. */
static const char *
local(int64_t t)
{
    static char buf[40];
    struct tm tm;

    clock_local(t, &tm);
    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M", &tm);
    return buf;
}

static void
test_parse(void **state)
{
    static const struct {
        const char *s;
        int ok;
        enum cadence_kind kind;
        int weeks, months, wday, mday, nth;
    } cases[] = {
        { "weekly:mon", 1, CADENCE_WEEKLY, 1, 1, 1, 0, 0 },
        { "biweekly:fri", 1, CADENCE_WEEKLY, 2, 1, 5, 0, 0 },
        { "every-6w:tue", 1, CADENCE_WEEKLY, 6, 1, 2, 0, 0 },
        { "monthly:1", 1, CADENCE_MONTH_DAY, 1, 1, 0, 1, 0 },
        { "monthly:28", 1, CADENCE_MONTH_DAY, 1, 1, 0, 28, 0 },
        { "monthly:first-mon", 1, CADENCE_MONTH_NTH, 1, 1, 1, 0, 1 },
        { "monthly:last-fri", 1, CADENCE_MONTH_NTH, 1, 1, 5, 0, -1 },
        { "quarterly:first-mon", 1, CADENCE_MONTH_NTH, 1, 3, 1, 0, 1 },
        { "monthly:29", 0, 0, 0, 0, 0, 0, 0 },
        { "monthly:0", 0, 0, 0, 0, 0, 0, 0 },
        { "monthly:fifth-mon", 0, 0, 0, 0, 0, 0, 0 },
        { "weekly:funday", 0, 0, 0, 0, 0, 0, 0 },
        { "weekly", 0, 0, 0, 0, 0, 0, 0 },
        { "every-0w:tue", 0, 0, 0, 0, 0, 0, 0 },
        { "every-6:tue", 0, 0, 0, 0, 0, 0, 0 },
        { "daily:mon", 0, 0, 0, 0, 0, 0, 0 },
        { "", 0, 0, 0, 0, 0, 0, 0 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cadence c;
        int rc = cadence_parse(cases[i].s, &c);

        if (!cases[i].ok) {
            assert_int_equal(rc, -1);
            continue;
        }
        assert_int_equal(rc, 0);
        assert_int_equal(c.kind, cases[i].kind);
        assert_int_equal(c.weeks, cases[i].weeks);
        assert_int_equal(c.months, cases[i].months);
        if (c.kind != CADENCE_MONTH_DAY)
            assert_int_equal(c.wday, cases[i].wday);
        assert_int_equal(c.mday, cases[i].mday);
        assert_int_equal(c.nth, cases[i].nth);
    }
}

/* next(cadence, hh:mm, anchor, from) == want, all local. */
static void
test_next(void **state)
{
    static const struct {
        const char *cadence, *anchor, *from, *want;
        int hour, min;
    } cases[] = {
        { "weekly:mon", "2026-11-01T00:00", "2026-11-23T09:00", "2026-11-23T09:00", 9, 0 },
        { "weekly:mon", "2026-11-01T00:00", "2026-11-23T09:01", "2026-11-30T09:00", 9, 0 },
        { "weekly:sun", "2026-11-01T00:00", "2026-11-23T09:00", "2026-11-29T09:00", 9, 0 },
        /* biweekly: the first Monday on or after the anchor, then every 2nd */
        { "biweekly:mon", "2026-11-18T12:00", "2026-11-18T12:00", "2026-11-23T10:00", 10, 0 },
        { "biweekly:mon", "2026-11-18T12:00", "2026-11-23T10:01", "2026-12-07T10:00", 10, 0 },
        { "every-6w:tue", "2026-11-23T09:00", "2026-11-23T09:00", "2026-11-24T10:00", 10, 0 },
        { "every-6w:tue", "2026-11-23T09:00", "2026-11-24T10:01", "2027-01-05T10:00", 10, 0 },
        { "monthly:1", "2026-01-01T00:00", "2026-11-23T09:00", "2026-12-01T14:30", 14, 30 },
        { "monthly:28", "2026-01-01T00:00", "2027-02-01T00:00", "2027-02-28T08:00", 8, 0 },
        { "monthly:first-mon", "2026-01-01T00:00", "2026-11-23T09:00", "2026-12-07T10:00", 10, 0 },
        { "monthly:first-mon", "2026-01-01T00:00", "2027-02-01T00:00", "2027-02-01T10:00", 10, 0 },
        { "monthly:last-fri", "2026-01-01T00:00", "2026-11-23T09:00", "2026-11-27T10:00", 10, 0 },
        /* quarterly: the first Monday of January, April, July, October */
        { "quarterly:first-mon", "2026-01-01T00:00", "2026-11-23T09:00", "2027-01-04T10:00", 10, 0 },
        { "quarterly:first-mon", "2026-01-01T00:00", "2027-01-04T10:01", "2027-04-05T10:00", 10, 0 },
    };
    (void)state;
    assert_int_equal(clock_set_timezone("America/Sao_Paulo", NULL), 0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cadence c;
        int64_t t;

        assert_int_equal(cadence_parse(cases[i].cadence, &c), 0);
        t = cadence_next(&c, cases[i].hour, cases[i].min, at(cases[i].anchor),
                         at(cases[i].from));
        assert_string_equal(local(t), cases[i].want);
    }
}

/* A weekly 09:00 meeting stays at 09:00 local through both DST changes of
 * a year: the wall clock repeats, the seconds between do not. */
static void
check_dst_year(const char *zone, const char *fall_before, const char *fall_after,
               const char *spring_before, const char *spring_after)
{
    struct cadence c;
    int64_t t, prev;

    assert_int_equal(clock_set_timezone(zone, NULL), 0);
    assert_int_equal(cadence_parse("weekly:mon", &c), 0);
    t = cadence_next(&c, 9, 0, 0, at(fall_before));
    assert_string_equal(local(t), fall_before);
    prev = t;
    t = cadence_next(&c, 9, 0, 0, t + 1);
    assert_string_equal(local(t), fall_after);
    assert_int_equal(t - prev, 7 * 86400 + 3600);      /* an hour longer */
    assert_int_equal(cadence_prev(&c, 9, 0, 0, t), prev);

    t = cadence_next(&c, 9, 0, 0, at(spring_before));
    prev = t;
    t = cadence_next(&c, 9, 0, 0, t + 1);
    assert_string_equal(local(t), spring_after);
    assert_int_equal(t - prev, 7 * 86400 - 3600);      /* an hour shorter */
}

static void
test_dst(void **state)
{
    (void)state;
    /* Poland: summer time ends 2026-10-25, starts 2027-03-28 */
    check_dst_year("Europe/Warsaw", "2026-10-19T09:00", "2026-10-26T09:00",
                   "2027-03-22T09:00", "2027-03-29T09:00");
    /* New York: ends 2026-11-01, starts 2027-03-14 */
    check_dst_year("America/New_York", "2026-10-26T09:00", "2026-11-02T09:00",
                   "2027-03-08T09:00", "2027-03-15T09:00");
    /* a monthly meeting across the change, too */
    {
        struct cadence c;

        assert_int_equal(cadence_parse("monthly:first-mon", &c), 0);
        assert_string_equal(local(cadence_next(&c, 9, 0, 0, at("2026-10-06T00:00"))),
                            "2026-11-02T09:00");
    }
    /* a wall time in the spring gap (02:30 does not exist) moves forward */
    {
        struct cadence c;

        assert_int_equal(cadence_parse("weekly:sun", &c), 0);
        assert_string_equal(local(cadence_next(&c, 2, 30, 0, at("2027-03-13T00:00"))),
                            "2027-03-14T03:30");
    }
    assert_int_equal(clock_set_timezone("America/Sao_Paulo", NULL), 0);
}

static void
test_meeting_skips_and_upcoming(void **state)
{
    struct store *s = store_open(":memory:", NULL);
    struct meeting m = { 0 }, m2 = { 0 }, got;
    struct strbuf out;

    (void)state;
    assert_non_null(s);
    assert_int_equal(clock_set_timezone("America/Sao_Paulo", NULL), 0);
    m.title = strdup("Pipeline review");
    m.cadence = strdup("weekly:mon");
    assert_int_equal(cadence_parse(m.cadence, &m.cad), 0);
    m.hour = 10;
    m.remind = 900;
    m.created_at = at("2026-11-23T10:00");      /* just too late for today's */
    assert_true(meeting_insert(s, &m, NULL) > 0);
    assert_int_equal(meeting_find(s, m.id, &got, NULL), 1);
    assert_string_equal(got.title, "Pipeline review");
    assert_int_equal(got.hour, 10);
    assert_int_equal(got.remind, 900);
    meeting_release(&got);

    /* never before the meeting existed */
    assert_string_equal(local(meeting_next(&m, at("2026-11-01T00:00"))), "2026-11-30T10:00");
    assert_int_equal(meeting_prev(&m, at("2026-11-30T10:00")), 0);
    assert_string_equal(local(meeting_prev(&m, at("2026-12-07T10:00"))), "2026-11-30T10:00");

    assert_int_equal(meeting_skip(s, m.id, "2026-11-30", NULL), 1);
    assert_int_equal(meeting_skip(s, m.id, "2026-11-30", NULL), 0);
    assert_int_equal(meeting_is_skipped(s, m.id, at("2026-11-30T10:00"), NULL), 1);
    assert_string_equal(local(meeting_next_held(s, &m, at("2026-11-24T00:00"), NULL)),
                        "2026-12-07T10:00");

    m2.title = strdup("Content sync");
    m2.cadence = strdup("biweekly:tue");
    assert_int_equal(cadence_parse(m2.cadence, &m2.cad), 0);
    m2.hour = 9;
    m2.min = 30;
    m2.created_at = at("2026-11-23T10:00");
    assert_true(meeting_insert(s, &m2, NULL) > 0);

    strbuf_init(&out, 0);
    assert_int_equal(meetings_upcoming(s, at("2026-11-24T00:00"), at("2026-12-09T00:00"),
                                       &out, NULL), 0);
    assert_string_equal(strbuf_str(&out),
                        "Tue 2026-11-24 09:30  M-2 Content sync\n"
                        "Mon 2026-12-07 10:00  M-1 Pipeline review\n"
                        "Tue 2026-12-08 09:30  M-2 Content sync");

    /* a removed meeting is not listed */
    assert_int_equal(meeting_remove(s, m2.id, at("2026-11-25T00:00"), NULL), 0);
    strbuf_reset(&out);
    assert_int_equal(meetings_upcoming(s, at("2026-11-24T00:00"), at("2026-12-09T00:00"),
                                       &out, NULL), 0);
    assert_string_equal(strbuf_str(&out), "Mon 2026-12-07 10:00  M-1 Pipeline review");

    strbuf_release(&out);
    meeting_release(&m);
    meeting_release(&m2);
    store_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_next),
        cmocka_unit_test(test_dst),
        cmocka_unit_test(test_meeting_skips_and_upcoming),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

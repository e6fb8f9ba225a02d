/* SPDX-License-Identifier: MIT */
/* test_clock.c: the injectable clock, ISO times, durations, time zones. */
#include "unit.h"

#include <string.h>

#include "clock.h"

static void
test_fixed_clock_moves_only_when_advanced(void **state)
{
    struct clock c = { 0 };

    (void)state;
    clock_set(&c, 1000);
    assert_int_equal(clock_now(&c), 1000);
    clock_advance(&c, 60);
    assert_int_equal(clock_now(&c), 1060);
    clock_advance(&c, -5);          /* never backwards */
    assert_int_equal(clock_now(&c), 1060);
}

static void
test_iso_round_trip_and_offsets(void **state)
{
    int64_t t = 0;
    char buf[40];

    (void)state;
    assert_int_equal(clock_set_timezone("America/Sao_Paulo", NULL), 0);
    assert_int_equal(clock_parse_iso("2026-11-23T09:00", &t, NULL), 0);
    clock_format_iso(t, buf, sizeof(buf));
    assert_string_equal(buf, "2026-11-23T09:00:00-03:00");
    assert_int_equal(clock_parse_iso("2026-11-23T12:00:00Z", &t, NULL), 0);
    clock_format_iso(t, buf, sizeof(buf));
    assert_string_equal(buf, "2026-11-23T09:00:00-03:00");
    assert_int_equal(clock_parse_iso("2026-11-23T10:00+01:00", &t, NULL), 0);
    clock_format_iso(t, buf, sizeof(buf));
    assert_string_equal(buf, "2026-11-23T06:00:00-03:00");
    assert_int_equal(clock_parse_iso("2026-11-23 09:00", &t, NULL), 0);

    assert_int_equal(clock_set_timezone("Europe/Warsaw", NULL), 0);
    assert_int_equal(clock_parse_iso("2026-07-01T12:00", &t, NULL), 0);
    clock_format_iso(t, buf, sizeof(buf));
    assert_string_equal(buf, "2026-07-01T12:00:00+02:00");
    assert_int_equal(clock_set_timezone("America/Sao_Paulo", NULL), 0);
}

static void
test_bad_times(void **state)
{
    static const char *const bad[] = {
        "", "2026-11-23", "2026-13-01T09:00", "2026-02-29T09:00", "2026-11-23T25:00",
        "2026-11-23T09:00+1", "2026-11-23T09:00Zx", "tomorrow", "2026-11-23T09:60",
    };
    struct err err = { 0 };
    int64_t t;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err_clear(&err);
        if (clock_parse_iso(bad[i], &t, &err) == 0)
            fail_msg("'%s' parsed", bad[i]);
        assert_true(err.set);
    }
}

static void
test_durations(void **state)
{
    static const struct {
        const char *in;
        int64_t secs;
    } good[] = {
        { "90m", 5400 }, { "4h", 14400 }, { "2d", 172800 }, { "1h30m", 5400 },
        { "30s", 30 }, { "1w", 604800 },
    };
    static const char *const bad[] = { "", "0m", "4", "h", "4x", "-4h", "99999999999h" };
    int64_t s;
    char buf[32];

    (void)state;
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        assert_int_equal(clock_parse_duration(good[i].in, &s), 0);
        assert_int_equal(s, good[i].secs);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (clock_parse_duration(bad[i], &s) == 0)
            fail_msg("'%s' parsed", bad[i]);
    clock_format_duration(5400, buf, sizeof(buf));
    assert_string_equal(buf, "1h 30m");
    clock_format_duration(2 * 86400 + 3600, buf, sizeof(buf));
    assert_string_equal(buf, "2d 1h");
    clock_format_duration(12, buf, sizeof(buf));
    assert_string_equal(buf, "12s");
}

static void
test_dates_times_zones(void **state)
{
    int y, m, d, h, mi;
    struct err err = { 0 };

    (void)state;
    assert_int_equal(clock_parse_date("2028-02-29", &y, &m, &d), 0);
    assert_int_equal(clock_parse_date("2026-02-29", &y, &m, &d), -1);
    assert_int_equal(clock_parse_date("2026-1-01", &y, &m, &d), -1);
    assert_int_equal(clock_parse_hhmm("09:00", &h, &mi), 0);
    assert_int_equal(h * 60 + mi, 540);
    assert_int_equal(clock_parse_hhmm("24:00", &h, &mi), -1);
    assert_int_equal(clock_parse_hhmm("9:30", &h, &mi), 0);     /* people type this */
    assert_int_equal(h * 60 + mi, 570);
    assert_int_equal(clock_parse_hhmm("9:0", &h, &mi), -1);
    assert_int_equal(clock_parse_hhmm("09:00x", &h, &mi), -1);
    assert_int_equal(clock_set_timezone("Mars/Olympus", &err), -1);
    assert_non_null(strstr(err.msg, "Mars/Olympus"));
    assert_int_equal(clock_set_timezone("../../etc/passwd", NULL), -1);
    assert_int_equal(clock_set_timezone("UTC", NULL), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_clock_moves_only_when_advanced),
        cmocka_unit_test(test_iso_round_trip_and_offsets),
        cmocka_unit_test(test_bad_times),
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_dates_times_zones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

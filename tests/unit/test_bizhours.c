/* SPDX-License-Identifier: MIT */
/* test_bizhours.c: business-hour arithmetic across nights, weekends,
 * holidays and DST changes. */
#include "unit.h"

#include "bizhours.h"
#include "clock.h"

static struct bizhours bh;

static int64_t
at(const char *iso)
{
    int64_t t = 0;

    assert_int_equal(clock_parse_iso(iso, &t, NULL), 0);
    return t;
}

static int
setup_sp(void **state)
{
    (void)state;
    assert_int_equal(clock_set_timezone("America/Sao_Paulo", NULL), 0);
    assert_int_equal(bizhours_parse(&bh, "mon-fri 09:00-18:00", NULL), 0);
    assert_int_equal(bizhours_parse_holidays(&bh, "2026-12-25, 2027-01-01", NULL), 0);
    return 0;
}

static void
test_add(void **state)
{
    static const struct {
        const char *start;
        int64_t secs;
        const char *want;
    } cases[] = {
        { "2026-11-23T09:00", 4 * 3600, "2026-11-23T13:00" },   /* same day */
        { "2026-11-23T16:00", 4 * 3600, "2026-11-24T11:00" },   /* overnight */
        { "2026-11-23T07:00", 3600, "2026-11-23T10:00" },       /* before hours */
        { "2026-11-23T20:00", 3600, "2026-11-24T10:00" },       /* after hours */
        { "2026-11-27T17:00", 4 * 3600, "2026-11-30T12:00" },   /* over a weekend */
        { "2026-11-28T10:00", 3600, "2026-11-30T10:00" },       /* from a Saturday */
        { "2026-12-24T17:00", 2 * 3600, "2026-12-28T10:00" },   /* Christmas, weekend */
        { "2026-11-23T09:00", 9 * 3600, "2026-11-23T18:00" },   /* a whole day ends at 18:00 */
        { "2026-11-23T09:00", 27 * 3600, "2026-11-25T18:00" },  /* several days */
        { "2026-11-23T10:00", 0, "2026-11-23T10:00" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_int_equal(bizhours_add(&bh, at(cases[i].start), cases[i].secs),
                         at(cases[i].want));
}

static void
test_between(void **state)
{
    (void)state;
    assert_int_equal(bizhours_between(&bh, at("2026-11-23T09:00"), at("2026-11-23T13:00")), 4 * 3600);
    assert_int_equal(bizhours_between(&bh, at("2026-11-27T17:00"), at("2026-11-30T12:00")), 4 * 3600);
    assert_int_equal(bizhours_between(&bh, at("2026-11-28T00:00"), at("2026-11-29T23:00")), 0);
    assert_int_equal(bizhours_between(&bh, at("2026-11-23T13:00"), at("2026-11-23T09:00")), 0);
    /* add and between agree */
    for (int64_t s = 0; s < 40 * 3600; s += 1234)
        assert_int_equal(bizhours_between(&bh, at("2026-12-23T15:17"),
                                          bizhours_add(&bh, at("2026-12-23T15:17"), s)), s);
}

static void
test_dst_warsaw(void **state)
{
    (void)state;
    assert_int_equal(clock_set_timezone("Europe/Warsaw", NULL), 0);
    /* Poland leaves summer time on Sunday 2026-10-25: Friday 17:00 + 2h is
     * Monday 10:00 local, though 24h more passed on the wall. */
    assert_int_equal(bizhours_add(&bh, at("2026-10-23T17:00"), 2 * 3600), at("2026-10-26T10:00"));
    assert_int_equal(at("2026-10-26T10:00") - at("2026-10-23T17:00"), (2 * 24 + 17 + 1) * 3600);
    /* and enters it on 2026-03-29 */
    assert_int_equal(bizhours_add(&bh, at("2026-03-27T17:00"), 2 * 3600), at("2026-03-30T10:00"));
    assert_int_equal(clock_set_timezone("America/Sao_Paulo", NULL), 0);
}

static void
test_parse(void **state)
{
    struct bizhours b;
    struct err err = { 0 };

    (void)state;
    assert_int_equal(bizhours_parse(&b, "mon,wed,fri 08:30-12:00", NULL), 0);
    assert_int_equal(b.days, (1u << 1) | (1u << 3) | (1u << 5));
    assert_int_equal(b.start_min, 8 * 60 + 30);
    assert_int_equal(bizhours_parse(&b, "sat-mon 22:00-24:00", NULL), 0);
    assert_int_equal(b.days, (1u << 6) | 1u | (1u << 1));
    assert_int_equal(bizhours_parse(&b, "mon-fri 18:00-09:00", &err), -1);
    assert_true(err.set);
    assert_int_equal(bizhours_parse(&b, "weekdays 9-5", NULL), -1);
    assert_int_equal(bizhours_parse_holidays(&b, "2026-02-30", NULL), -1);
    assert_int_equal(bizhours_day_secs(&bh), 9 * 3600);
    {
        int64_t secs;

        assert_int_equal(bizhours_parse_duration(&bh, "2d", &secs), 0);
        assert_int_equal(secs, 2 * 9 * 3600);      /* two business days */
        assert_int_equal(bizhours_parse_duration(&bh, "1w", &secs), 0);
        assert_int_equal(secs, 5 * 9 * 3600);
        assert_int_equal(bizhours_parse_duration(&bh, "1d4h", &secs), 0);
        assert_int_equal(secs, 13 * 3600);
        assert_int_equal(bizhours_parse_duration(&bh, "4h", &secs), 0);
        assert_int_equal(secs, 4 * 3600);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add),
        cmocka_unit_test(test_between),
        cmocka_unit_test(test_dst_warsaw),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, setup_sp, NULL);
}

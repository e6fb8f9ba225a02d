/* SPDX-License-Identifier: MIT */
/* test_sched.c: the scheduler on an in-memory database: firing keys and
 * times, posts, exactly once across a restart, the missed-while-down rule,
 * cancellation by accept and restart by reassignment. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot.h"
#include "lead.h"
#include "sched.h"
#include "sla.h"

static char path[] = "/tmp/smk-test-sched-XXXXXX";

static const char config_text[] =
    "[bot]\n"
    "timezone = America/Sao_Paulo\n"
    "[roles]\n"
    "marketing = alice\n"
    "sales = bob, dave\n"
    "managers = carol, erin\n"
    "[sla]\n"
    "response = 4h\n"
    "hours = mon-fri 09:00-18:00\n"
    "holidays = 2026-12-25, 2027-01-01\n";

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
    struct bot *bot = calloc(1, sizeof(*bot));
    struct err err = { 0 };
    FILE *fp;
    int fd = mkstemp(path);

    if (bot == NULL || fd < 0 || (fp = fdopen(fd, "w")) == NULL)
        return -1;
    fputs(config_text, fp);
    fclose(fp);
    if (config_load(&bot->cfg, path, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    bot->log.level = LOG_ERR;
    bot->store = store_open(":memory:", &err);
    clock_set(&bot->clock, at("2026-11-23T09:00"));     /* a Monday */
    bot->sched = sched_new(bot, &err);
    if (bot->store == NULL || bot->sched == NULL)
        return -1;
    *state = bot;
    return 0;
}

static int
teardown(void **state)
{
    struct bot *bot = *state;

    sched_free(bot->sched);
    store_free(bot->store);
    config_release(&bot->cfg);
    free(bot);
    remove(path);
    strcpy(path, "/tmp/smk-test-sched-XXXXXX");
    return 0;
}

/* A lead handed to owner at t, as `handoff` leaves it. */
static int64_t
handed_off(struct bot *bot, const char *owner, int64_t t)
{
    struct lead l = { 0 };
    int64_t id;

    l.name = strdup("Jane Doe");
    l.company = strdup("ACME");
    l.created_by = strdup("alice");
    l.created_at = t;
    l.score = -1;
    l.amount = -1;
    assert_true(lead_insert(bot->store, &l, NULL) > 0);
    free(l.stage);
    l.stage = strdup(STAGE_HANDED_OFF);
    l.owner = strdup(owner);
    l.handed_off_at = t;
    l.due_at = sla_point(bot->store, &bot->cfg, t, 100);
    assert_int_equal(lead_update(bot->store, &l, NULL), 0);
    id = l.id;
    lead_release(&l);
    sched_changed(bot->sched);
    return id;
}

static void
set_lead(struct bot *bot, int64_t id, const char *stage, const char *owner,
         int64_t handoff)
{
    struct lead l;
    char ref[32];

    snprintf(ref, sizeof(ref), "L-%lld", (long long)id);
    assert_int_equal(lead_find(bot->store, ref, &l, NULL), 1);
    free(l.stage);
    l.stage = strdup(stage);
    if (owner) {
        free(l.owner);
        l.owner = strdup(owner);
    }
    if (handoff) {
        /* as handoff leaves it: a new clock and its deadline */
        l.handed_off_at = handoff;
        l.due_at = sla_point(bot->store, &bot->cfg, handoff, 100);
    }
    assert_int_equal(lead_update(bot->store, &l, NULL), 0);
    lead_release(&l);
    sched_changed(bot->sched);
}

static int64_t
count(struct bot *bot, const char *sql, const char *arg)
{
    int64_t n = -1;

    assert_int_equal(store_query_int(bot->store, NULL, &n, sql, "s", arg), 1);
    return n;
}

static int64_t
posts_to(struct bot *bot, const char *target)
{
    return count(bot, "SELECT count(*) FROM outbox WHERE coalesce(channel, user) = ?", target);
}

static char *
outcome(struct bot *bot, const char *key)
{
    char *v = NULL;

    store_query_text(bot->store, NULL, &v, "SELECT outcome FROM firings WHERE key = ?",
                     "s", key);
    return v;
}

/* Moves the clock to the next job and runs it, as !advance does. */
static int
step(struct bot *bot)
{
    int64_t next = sched_next_due(bot->sched);

    assert_true(next > 0);
    clock_set(&bot->clock, next);
    return sched_run_due(bot->sched, next);
}

static void
test_sla_keys_times_and_posts(void **state)
{
    struct bot *bot = *state;
    int64_t t0 = at("2026-11-23T14:00"), id;
    char key[80];
    char *o;

    assert_int_equal(sched_run_due(bot->sched, at("2026-11-23T09:00")), 0);
    clock_set(&bot->clock, t0);
    id = handed_off(bot, "bob", t0);
    /* 50% of 4 business hours */
    assert_int_equal(sched_next_due(bot->sched), at("2026-11-23T16:00"));
    assert_int_equal(sched_run_due(bot->sched, at("2026-11-23T15:59")), 0);
    assert_int_equal(step(bot), 1);
    snprintf(key, sizeof(key), "sla50:%lld:%lld", (long long)id, (long long)t0);
    assert_string_equal(o = outcome(bot, key), "fired");
    free(o);
    assert_int_equal(posts_to(bot, "bob"), 1);
    assert_int_equal(posts_to(bot, "carol"), 0);

    /* 100%: the rep and every manager */
    assert_int_equal(sched_next_due(bot->sched), at("2026-11-23T18:00"));
    assert_int_equal(step(bot), 1);
    assert_int_equal(posts_to(bot, "bob"), 2);
    assert_int_equal(posts_to(bot, "carol"), 1);
    assert_int_equal(posts_to(bot, "erin"), 1);
    assert_int_equal(posts_to(bot, "sales"), 0);

    /* 200%: the 8 business hours run over the night into Tuesday */
    assert_int_equal(sched_next_due(bot->sched), at("2026-11-24T13:00"));
    assert_int_equal(step(bot), 1);
    assert_int_equal(posts_to(bot, "sales"), 1);
    assert_int_equal(count(bot, "SELECT count(*) FROM firings WHERE key LIKE ?", "sla%"), 3);
    assert_int_equal(count(bot, "SELECT count(*) FROM firings WHERE outcome = ? AND fired_at = due_at",
                           "fired"), 3);
    /* nothing more for this lead: the next job is the weekly nudge */
    assert_int_equal(sched_next_due(bot->sched), at("2026-11-27T15:00"));
}

static void
test_exactly_once_across_restart(void **state)
{
    struct bot *bot = *state;
    int64_t t0 = at("2026-11-23T09:00");

    assert_int_equal(sched_run_due(bot->sched, t0), 0);
    handed_off(bot, "bob", t0);
    assert_int_equal(step(bot), 1);
    assert_int_equal(posts_to(bot, "bob"), 1);

    /* a restart: a new scheduler on the same database */
    sched_free(bot->sched);
    bot->sched = sched_new(bot, NULL);
    assert_int_equal(sched_run_due(bot->sched, at("2026-11-23T11:30")), 0);
    assert_int_equal(sched_next_due(bot->sched), at("2026-11-23T13:00"));
    assert_int_equal(posts_to(bot, "bob"), 1);

    /* a firing recorded by someone else in the meantime is not repeated */
    assert_int_equal(store_exec(bot->store, NULL,
                                "INSERT INTO firings(key, due_at, fired_at, outcome)"
                                " SELECT 'sla100:' || id || ':' || handed_off_at, 0, 0, 'fired'"
                                " FROM leads", ""), 0);
    sched_changed(bot->sched);
    assert_int_equal(sched_run_due(bot->sched, at("2026-11-23T13:00")), 0);
    assert_int_equal(posts_to(bot, "bob"), 1);
    assert_int_equal(posts_to(bot, "carol"), 0);
}

static void
test_missed_while_down(void **state)
{
    struct bot *bot = *state;
    int64_t t0 = at("2026-11-23T09:00");
    char key[80], *o;

    assert_int_equal(sched_run_due(bot->sched, t0), 0);
    handed_off(bot, "bob", t0);
    sched_free(bot->sched);             /* down before 11:00 */

    /* back at 12:00: the 11:00 reminder is 1h late and runs once */
    bot->sched = sched_new(bot, NULL);
    clock_set(&bot->clock, at("2026-11-23T12:00"));
    assert_int_equal(sched_run_due(bot->sched, at("2026-11-23T12:00")), 1);
    assert_int_equal(posts_to(bot, "bob"), 1);
    assert_int_equal(sched_run_due(bot->sched, at("2026-11-23T12:00")), 0);
    sched_free(bot->sched);

    /* back on Thursday: the breach (Monday 13:00) and escalation (Monday
     * 17:00) are more than a day late: sent once all the same, marked late */
    bot->sched = sched_new(bot, NULL);
    clock_set(&bot->clock, at("2026-11-26T12:00"));
    assert_int_equal(sched_run_due(bot->sched, at("2026-11-26T12:00")), 2);
    assert_int_equal(posts_to(bot, "bob"), 2);
    assert_int_equal(posts_to(bot, "carol"), 1);
    assert_int_equal(posts_to(bot, "sales"), 1);
    assert_int_equal(count(bot, "SELECT count(*) FROM outbox WHERE text LIKE ?",
                           "%sent late%"), 4);     /* bob, carol, erin, #sales */
    assert_int_equal(count(bot, "SELECT count(*) FROM firings WHERE outcome = ?", "dropped"), 0);
    assert_int_equal(sched_run_due(bot->sched, at("2026-11-26T12:00")), 0);
    snprintf(key, sizeof(key), "sla50:1:%lld", (long long)t0);
    assert_string_equal(o = outcome(bot, key), "fired");
    free(o);
    sched_free(bot->sched);

    /* down over the Monday digest, back 6 hours later: it runs once */
    bot->sched = sched_new(bot, NULL);
    clock_set(&bot->clock, at("2026-11-30T15:00"));
    assert_int_equal(sched_run_due(bot->sched, at("2026-11-30T15:00")), 1);
    assert_int_equal(posts_to(bot, "smarketing"), 1);
    /* and the Friday nudge, three days late, was dropped */
    assert_string_equal(o = outcome(bot, "nudge:2026-11-27"), "dropped");
    free(o);
    assert_string_equal(o = outcome(bot, "digest:2026-11-30"), "fired");
    free(o);
}

static void
test_accept_cancels_reassign_restarts(void **state)
{
    struct bot *bot = *state;
    int64_t t0 = at("2026-11-23T09:00"), t1, id;

    assert_int_equal(sched_run_due(bot->sched, t0), 0);
    id = handed_off(bot, "bob", t0);
    assert_int_equal(step(bot), 1);                         /* 11:00 to bob */

    /* reassigned to dave at 11:30 (handed_off_at moves): his own clock */
    t1 = at("2026-11-23T11:30");
    set_lead(bot, id, STAGE_HANDED_OFF, "dave", t1);
    assert_int_equal(sched_next_due(bot->sched), at("2026-11-23T13:30"));
    assert_int_equal(step(bot), 1);
    assert_int_equal(posts_to(bot, "dave"), 1);
    assert_int_equal(posts_to(bot, "bob"), 1);

    /* accepted: nothing more fires for it */
    set_lead(bot, id, STAGE_SQL, NULL, 0);
    assert_int_equal(sched_next_due(bot->sched), at("2026-11-27T15:00"));
    assert_int_equal(sched_run_due(bot->sched, at("2026-11-25T09:00")), 0);
    assert_int_equal(posts_to(bot, "dave"), 1);
    assert_int_equal(posts_to(bot, "carol"), 0);
}

static void
test_nudge_and_reports(void **state)
{
    struct bot *bot = *state;
    int64_t t0 = at("2026-11-23T09:00"), id;
    char mark[32];

    assert_int_equal(sched_run_due(bot->sched, t0), 0);
    id = handed_off(bot, "bob", t0);
    set_lead(bot, id, STAGE_SQL, NULL, 0);
    assert_int_equal(store_exec(bot->store, NULL,
                                "UPDATE leads SET responded_at = ? WHERE id = ?", "II",
                                at("2026-11-23T09:30"), id), 0);
    /* Friday 15:00: bob accepted L-1 and gave no feedback; dave nothing */
    assert_int_equal(sched_run_due(bot->sched, at("2026-11-27T15:00")), 1);
    assert_int_equal(posts_to(bot, "bob"), 1);
    assert_int_equal(posts_to(bot, "dave"), 0);

    /* the monthly report: 2027-01-01 is a holiday, so Monday the 4th */
    clock_set(&bot->clock, at("2026-12-31T10:00"));
    sched_free(bot->sched);
    snprintf(mark, sizeof(mark), "%lld", (long long)at("2026-12-31T10:00"));
    assert_int_equal(store_set_setting(bot->store, "sched.watermark", mark, NULL), 0);
    bot->sched = sched_new(bot, NULL);
    assert_int_equal(sched_run_due(bot->sched, at("2027-01-04T08:59")), 0);
    assert_int_equal(sched_run_due(bot->sched, at("2027-01-04T09:00")), 2);
    assert_int_equal(count(bot, "SELECT count(*) FROM firings WHERE key = ? AND outcome = 'fired'",
                           "monthly:2027-01"), 1);
    assert_int_equal(count(bot, "SELECT due_at FROM firings WHERE key = ?", "monthly:2027-01"),
                     at("2027-01-04T09:00"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sla_keys_times_and_posts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exactly_once_across_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missed_while_down, setup, teardown),
        cmocka_unit_test_setup_teardown(test_accept_cancels_reassign_restarts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nudge_and_reports, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

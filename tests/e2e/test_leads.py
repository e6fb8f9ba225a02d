# SPDX-License-Identifier: MIT
"""The lead lifecycle (product.md sections 2-4): handoff, accept, reject,
button presses, feedback, won/lost, lead show and leads, through the console."""
import json

from conftest import Bot

ADD_JANE = ('/smk lead add "Jane Doe" company=ACME email=jane@acme.com source=webinar'
            ' score=80 note="wants a demo"')
ADD_JOE = '/smk lead add "Joe Bloggs" source=ads'
# Monday 09:00 + 4d8h = Friday 17:00
TO_FRIDAY_17 = "!advance 4d8h"


def rows(bot, what):
    return [json.loads(line) for line in bot.export(what).splitlines()]


def snapshot(bot):
    return {what: bot.export(what) for what in ("leads", "events", "feedback")}


def lead(bot, ref):
    return next(r for r in rows(bot, "leads") if r["id"] == ref)


def events(bot, kind):
    return [e for e in rows(bot, "events") if e["kind"] == kind]


def replies(out):
    return [line for line in out if line.startswith("> ")]


# --- handoff -----------------------------------------------------------------

def test_handoff_sends_card_with_buttons_and_posts_to_sales(bot):
    out = bot.lines([ADD_JANE, "/smk handoff L-1 call her after 2pm"])
    assert out[1:] == [
        "> L-1 handed off to @bob; answer due by 2026-11-23 13:00",
        "[@bob] New lead for you from @alice: L-1 Jane Doe, ACME",
        "[@bob] email: jane@acme.com, source: webinar, score: 80",
        "[@bob] lead note: wants a demo",
        "[@bob] handoff note: call her after 2pm",
        "[@bob] please accept or reject by 2026-11-23 13:00",
        "[@bob] [Accept] (!click accept L-1)  [Reject] (!click reject L-1 <reason>)",
        "[#sales] L-1 Jane Doe, ACME handed off to @bob by @alice; answer due by 2026-11-23 13:00",
    ]
    row = lead(bot, "L-1")
    assert row["stage"] == "handed_off" and row["owner"] == "bob"
    assert row["handed_off_at"] == "2026-11-23T09:00:00-03:00"
    assert row["due_at"] == "2026-11-23T13:00:00-03:00"
    (ev,) = events(bot, "handoff")
    assert ev["actor"] == "alice"
    assert ev["data"]["rep"] == "bob" and ev["data"]["note"] == "call her after 2pm"
    assert isinstance(ev["data"]["due_at"], int)


def test_no_sales_channel_means_dm_only(tmp_path):
    b = Bot(tmp_path)
    b.config.write_text(b.config.read_text().replace("sales = sales\n", "sales =\n"))
    out = b.lines([ADD_JOE, "/smk handoff L-1"])
    assert not [line for line in out if line.startswith("[#")]
    assert "[@bob] [Accept] (!click accept L-1)  [Reject] (!click reject L-1 <reason>)" in out


def test_round_robin_alternates_and_continues_after_restart(bot):
    out = bot.lines([ADD_JOE, ADD_JOE, ADD_JOE, "/smk handoff L-1"])
    assert out[3] == "> L-1 handed off to @bob; answer due by 2026-11-23 13:00"
    # a restart: a fresh rotation would pick bob again
    out = bot.lines(["/smk handoff L-2"])
    assert out[0] == "> L-2 handed off to @dave; answer due by 2026-11-23 13:00"
    out = bot.lines(["/smk handoff L-3"])
    assert out[0] == "> L-3 handed off to @bob; answer due by 2026-11-23 13:00"
    assert [lead(bot, f"L-{i}")["owner"] for i in (1, 2, 3)] == ["bob", "dave", "bob"]


def test_named_rep_does_not_move_the_rotation(bot):
    out = bot.lines([ADD_JOE, ADD_JOE, ADD_JOE, "/smk handoff L-1 @dave", "/smk handoff L-2",
                     "/smk handoff L-3 <@dave|dave> hot one"])
    assert replies(out)[3:] == [
        "> L-1 handed off to @dave; answer due by 2026-11-23 13:00",
        "> L-2 handed off to @bob; answer due by 2026-11-23 13:00",
        "> L-3 handed off to @dave; answer due by 2026-11-23 13:00",
    ]
    assert "[@dave] handoff note: hot one" in out


def test_reassign_updates_the_old_card_and_skips_the_owner(bot):
    out = bot.lines([ADD_JOE, "/smk handoff L-1", "!advance 1h", "@carol /smk handoff L-1"])
    assert out[-8:] == [
        "> L-1 reassigned from @bob to @dave; answer due by 2026-11-23 14:00",
        "[@bob] (card updated)",
        "[@bob] L-1 Joe Bloggs: reassigned to @dave by @carol",
        "[@dave] New lead for you from @carol: L-1 Joe Bloggs",
        "[@dave] source: ads",
        "[@dave] please accept or reject by 2026-11-23 14:00",
        "[@dave] [Accept] (!click accept L-1)  [Reject] (!click reject L-1 <reason>)",
        "[#sales] L-1 Joe Bloggs handed off to @dave by @carol; answer due by 2026-11-23 14:00",
    ]
    assert events(bot, "handoff")[-1]["data"]["from"] == "bob"
    assert lead(bot, "L-1")["handed_off_at"] == "2026-11-23T10:00:00-03:00"
    # the old card's buttons now answer for the new owner only
    out = bot.lines(["@bob !click accept L-1"], now="2026-11-23T10:30")
    assert out == ["> only the assigned rep (@dave) or managers can accept L-1"]


def test_handoff_refusals_change_nothing(bot):
    bot.lines([ADD_JOE, ADD_JOE, "/smk handoff L-2", "@bob /smk accept L-2"])
    before = snapshot(bot)
    out = bot.lines([
        "/smk handoff",
        "/smk handoff L-99",
        "@bob /smk handoff L-1",
        "/smk handoff L-2",
        "/smk handoff L-1 @carol",
        "/smk handoff L-1 @zed please",
        "/smk handoff L-1 note " + "x" * 1001,
    ])
    assert out == [
        "> usage: /smk handoff <lead> [@rep] [--force] [note]",
        "> no lead L-99",
        "> only marketing or managers can hand off leads",
        "> L-2 is sql; only mql, handed_off or recycled leads can be handed off",
        "> @carol is not in the sales role; hand off to one of: @bob, @dave",
        "> @zed is not in the sales role; hand off to one of: @bob, @dave",
        "> a note has at most 1000 characters",
    ]
    out = bot.lines(["/smk handoff L-1 @dave", "@carol /smk handoff L-1 @dave"])
    assert out[-1] == "> L-1 is already with @dave; name another rep to reassign it"
    assert lead(bot, "L-1")["owner"] == "dave"
    # none of the refusals above moved the rotation: L-2 went to bob, so dave is next
    bot.lines([ADD_JOE, "/smk handoff L-3"])
    assert lead(bot, "L-3")["owner"] == "dave"
    assert before["feedback"] == snapshot(bot)["feedback"]


def test_refused_commands_leave_every_export_unchanged(bot):
    bot.lines([ADD_JANE, ADD_JOE, "/smk handoff L-1", "/smk handoff L-2",
               "@bob /smk accept L-1"])
    before = snapshot(bot)
    out = bot.lines([
        "@bob /smk accept L-2",
        "@bob /smk accept L-1",
        "@dave /smk reject L-2 money",
        "@bob /smk feedback L-1 7",
        "@bob /smk won L-1 12x",
        "@bob /smk won L-2",
        "@bob /smk lost L-1 meh",
        "/smk handoff L-1",
        "@alice /smk accept L-2",
    ], now="2026-11-23T10:00")
    # nine refusals; the amount's comes with the usage
    assert len(out) == 10 and all(line.startswith("> ") for line in out), out
    assert snapshot(bot) == before


# --- accept ------------------------------------------------------------------

def test_accept_alerts_marketing_and_updates_the_card(bot):
    out = bot.lines([ADD_JANE, "/smk handoff L-1", "!advance 1h20m",
                     "@bob /smk accept L-1 budget confirmed"])
    assert out[-5:] == [
        "> L-1 is now an SQL (answered in 1h 20m of business hours, SLA met); marketing was told",
        "[#marketing] New SQL: L-1 Jane Doe, ACME (source: webinar), accepted by @bob in 1h 20m"
        " of business hours; SLA met (target 4h)",
        "[#marketing] note: budget confirmed",
        "[@bob] (card updated)",
        "[@bob] L-1 Jane Doe, ACME: accepted by @bob",
    ]
    row = lead(bot, "L-1")
    assert row["stage"] == "sql" and row["responded_at"] == "2026-11-23T10:20:00-03:00"
    (ev,) = events(bot, "accepted")
    assert ev["data"] == {"rep": "bob", "note": "budget confirmed", "secs": 4800, "met": True}


def test_manager_accepts_for_the_rep(bot):
    out = bot.lines([ADD_JOE, "/smk handoff L-1", "@carol accept L-1"])
    assert ("[#marketing] New SQL: L-1 Joe Bloggs (source: ads), accepted by @carol for @bob"
            " in <1m of business hours; SLA met (target 4h)") in out
    (ev,) = events(bot, "accepted")
    assert ev["actor"] == "carol" and ev["data"]["rep"] == "bob"


def test_sla_met_and_missed_over_a_weekend(bot):
    # handed off Friday 17:00 with 4h to answer: one business hour on
    # Friday, then three on Monday, so the deadline is Monday 12:00
    out = bot.lines([ADD_JANE, ADD_JOE, TO_FRIDAY_17, "!now", "/smk handoff L-1",
                     "/smk handoff L-2", "!advance 2d18h", "!now", "@bob accept L-1",
                     "!advance 2h", "@dave accept L-2"])
    assert "> 2026-11-27T17:00:00-03:00" in out
    assert "> L-1 handed off to @bob; answer due by 2026-11-30 12:00" in out
    assert "> 2026-11-30T11:00:00-03:00" in out
    alerts = [line for line in out if line.startswith("[#marketing]")]
    assert alerts == [
        "[#marketing] New SQL: L-1 Jane Doe, ACME (source: webinar), accepted by @bob in 3h"
        " of business hours; SLA met (target 4h)",
        "[#marketing] New SQL: L-2 Joe Bloggs (source: ads), accepted by @dave in 5h"
        " of business hours; SLA missed (target 4h)",
    ]
    assert [(e["data"]["secs"], e["data"]["met"]) for e in events(bot, "accepted")] == [
        (3 * 3600, True), (5 * 3600, False)]


def test_accept_refusals(bot):
    bot.lines([ADD_JOE, ADD_JOE, "/smk handoff L-2"])
    before = snapshot(bot)
    out = bot.lines([
        "@bob /smk accept",
        "@bob /smk accept L-99",
        "/smk accept L-2",
        "@dave /smk accept L-2",
        "@bob /smk accept L-1",
    ])
    assert out == [
        "> usage: /smk accept <lead> [note]",
        "> no lead L-99",
        "> only sales or managers can accept leads",
        "> only the assigned rep (@bob) or managers can accept L-2",
        "> L-1 is mql; only handed_off leads can be accepted",
    ]
    assert snapshot(bot) == before
    out = bot.lines(["@bob /smk accept L-2", "@bob /smk accept L-2"])
    assert out[-1] == "> L-2 is sql; only handed_off leads can be accepted"
    assert len(events(bot, "accepted")) == 1


# --- buttons -----------------------------------------------------------------

def test_double_click_has_no_second_effect(bot):
    out = bot.lines([ADD_JOE, "/smk handoff L-1", "@bob !click accept L-1",
                     "@bob !click accept L-1", "@bob !click reject L-1 budget",
                     "@dave !click accept L-1"])
    assert out[-3:] == [
        "> L-1 was already accepted by @bob",
        "> L-1 was already accepted by @bob",
        "> L-1 was already accepted by @bob",
    ]
    assert len(events(bot, "accepted")) == 1
    assert not events(bot, "rejected")
    assert sum(line == "[@bob] (card updated)" for line in out) == 1
    assert sum(line.startswith("[#marketing]") for line in out) == 1


def test_second_reject_click_names_the_reason(bot):
    out = bot.lines([ADD_JOE, "/smk handoff L-1", "@bob !click reject L-1 timing next quarter",
                     "@bob !click reject L-1 timing", "@bob !click accept L-1",
                     "@bob !click reject L-2 budget"])
    assert out[-3:] == [
        "> L-1 was already rejected by @bob (timing)",
        "> L-1 was already rejected by @bob (timing)",
        "> no card with buttons for L-2",
    ]
    assert len(events(bot, "rejected")) == 1


# --- reject ------------------------------------------------------------------

def test_reject_recycles_and_alerts_marketing(bot):
    out = bot.lines([ADD_JANE, "/smk handoff L-1", "!advance 30m",
                     "@bob /smk reject L-1 money", "@bob /smk reject L-1",
                     "@bob /smk reject L-1 budget no budget until March"])
    assert out[-7:] == [
        "> reason must be one of: budget authority need timing contact duplicate competitor other",
        "> usage: /smk reject <lead> <reason> [until=2027-02-01] [note]",
        "> L-1 rejected (budget); it is back with marketing as recycled",
        "[#marketing] L-1 Jane Doe, ACME is back with marketing: @bob rejected it (budget) after"
        " 30m of business hours; SLA met",
        "[#marketing] note: no budget until March",
        "[@bob] (card updated)",
        "[@bob] L-1 Jane Doe, ACME: rejected by @bob (budget)",
    ]
    row = lead(bot, "L-1")
    assert row["stage"] == "recycled" and row["reason"] == "budget"
    (ev,) = events(bot, "rejected")
    assert ev["data"] == {"rep": "bob", "reason": "budget", "note": "no budget until March",
                          "secs": 1800, "met": True}


def test_reject_refusals_and_rehandoff(bot):
    bot.lines([ADD_JOE, ADD_JOE, "/smk handoff L-1", "@bob accept L-1", "/smk handoff L-2"])
    before = snapshot(bot)
    out = bot.lines([
        "@dave /smk reject L-99 budget",
        "/smk reject L-2 budget",
        "@bob /smk reject L-2 budget",
        "@bob /smk reject L-1 budget",
        "@dave /smk reject L-2 whatever",
    ])
    assert out == [
        "> no lead L-99",
        "> only sales or managers can reject leads",
        "> only the assigned rep (@dave) or managers can reject L-2",
        "> L-1 is sql; only handed_off leads can be rejected",
        "> reason must be one of: budget authority need timing contact duplicate competitor other",
    ]
    assert snapshot(bot) == before
    # a recycled lead goes back to sales, to someone other than who rejected it
    out = bot.lines(["@dave /smk reject L-2 timing", "/smk handoff L-2"])
    assert "> L-2 handed off to @bob; answer due by 2026-11-23 13:00" in out
    row = lead(bot, "L-2")
    assert row["stage"] == "handed_off" and row["responded_at"] is None


# --- feedback ----------------------------------------------------------------

def test_feedback_ratings_and_history(bot):
    out = bot.lines([ADD_JOE, "/smk handoff L-1", "@bob accept L-1",
                     "@bob /smk feedback L-1 good great fit",
                     "@dave /smk feedback L-1 3",
                     "@bob /smk feedback L-1 bad actually no budget"])
    assert out[-3:] == [
        "> L-1 rated 4/5; thanks, marketing sees it in the digest",
        "> L-1 rated 3/5; thanks, marketing sees it in the digest",
        "> L-1 rated 2/5 (replaces your 4/5); thanks",
    ]
    fb = rows(bot, "feedback")
    assert [(f["rep"], f["rating"], f["comment"]) for f in fb] == [
        ("bob", 4, "great fit"), ("dave", 3, None), ("bob", 2, "actually no budget")]
    assert [e["data"] for e in events(bot, "feedback")] == [
        {"rep": "bob", "rating": 4, "comment": "great fit"},
        {"rep": "dave", "rating": 3, "comment": None},
        {"rep": "bob", "rating": 2, "comment": "actually no budget"},
    ]


def test_feedback_refusals(bot):
    bot.lines([ADD_JOE, ADD_JOE, "/smk handoff L-2"])
    before = snapshot(bot)
    out = bot.lines([
        "@bob /smk feedback L-2",
        "@bob /smk feedback L-99 good",
        "/smk feedback L-2 good",
        "@bob /smk feedback L-1 good",
        "@bob /smk feedback L-2 great",
        "@bob /smk feedback L-2 6",
        "@bob /smk feedback L-2 0",
    ])
    assert out == [
        "> usage: /smk feedback <lead> <1-5|good|bad> [comment]",
        "> no lead L-99",
        "> only sales or managers can give feedback",
        "> L-1 is mql and was never handed off; feedback is on leads sales received",
        "> rating must be 1 to 5, good or bad",
        "> rating must be 1 to 5, good or bad",
        "> rating must be 1 to 5, good or bad",
    ]
    assert snapshot(bot) == before


# --- won and lost ------------------------------------------------------------

def sql_leads(bot, n):
    script = [ADD_JANE] + [ADD_JOE] * (n - 1)
    for i in range(1, n + 1):
        script += [f"/smk handoff L-{i} @bob", f"@bob accept L-{i}"]
    bot.lines(script)


def test_won_celebrates_with_parsed_amounts(bot):
    sql_leads(bot, 4)
    out = bot.lines([
        "@bob /smk won L-1 12,000.50 signed today",
        "@bob /smk won L-2 12k",
        "@carol /smk won L-3 paid in full",
        "@bob /smk won L-4 12000",
    ])
    assert out == [
        "> L-1 closed as won (12,000.50)",
        "[#smarketing] 🎉 Won by @bob: L-1 Jane Doe, ACME for 12,000.50 (source: webinar)."
        " Well done, sales and marketing!",
        "> L-2 closed as won (12,000)",
        "[#smarketing] 🎉 Won by @bob: L-2 Joe Bloggs for 12,000 (source: ads)."
        " Well done, sales and marketing!",
        "> L-3 closed as won",
        "[#smarketing] 🎉 Won by @bob: L-3 Joe Bloggs (source: ads). Well done, sales and marketing!",
        "> L-4 closed as won (12,000)",
        "[#smarketing] 🎉 Won by @bob: L-4 Joe Bloggs for 12,000 (source: ads)."
        " Well done, sales and marketing!",
    ]
    assert [lead(bot, f"L-{i}")["amount"] for i in (1, 2, 3, 4)] == [12000.5, 12000, None, 12000]
    # the export says units in the events too, as in the leads
    assert [e["data"] for e in events(bot, "won")] == [
        {"amount": 12000.5, "note": "signed today"}, {"amount": 12000, "note": None},
        {"amount": None, "note": "paid in full"}, {"amount": 12000, "note": None}]
    assert lead(bot, "L-1")["closed_at"] == "2026-11-23T09:00:00-03:00"


def test_lost_needs_a_reason(bot):
    sql_leads(bot, 1)
    out = bot.lines(["@bob /smk lost L-1", "@bob /smk lost L-1 meh",
                     "@bob /smk lost L-1 competitor went with BigCo"])
    assert out == [
        "> usage: /smk lost <lead> <reason> [until=2027-02-01] [note]",
        "> reason must be one of: budget authority need timing contact duplicate competitor other",
        "> L-1 closed as lost (competitor)",
        "[#marketing] L-1 Jane Doe, ACME was lost: @bob closed it as lost (competitor);"
        " source: webinar",
        "[#marketing] note: went with BigCo",
    ]
    row = lead(bot, "L-1")
    assert row["stage"] == "lost" and row["reason"] == "competitor"
    assert events(bot, "lost")[0]["data"] == {"reason": "competitor", "note": "went with BigCo"}


def test_won_lost_refusals(bot):
    bot.lines([ADD_JOE, ADD_JOE, "/smk handoff L-2"])
    sql = bot.lines(['/smk lead add "Sue"', "/smk handoff L-3 @bob", "@bob accept L-3"])
    assert replies(sql)[-1].startswith("> L-3 is now an SQL")
    before = snapshot(bot)
    out = bot.lines([
        "@bob /smk won",
        "@bob /smk won L-99",
        "/smk won L-3",
        "/smk lost L-3 budget",
        "@bob /smk won L-1",
        "@bob /smk won L-2 5k",
        "@bob /smk lost L-2 budget",
        "@bob /smk won L-3 12x",
        "@bob /smk won L-3 12,00",
        "@bob /smk won L-3 0",
    ])
    assert out == [
        "> usage: /smk won <lead> [amount] [note]",
        "> no lead L-99",
        "> only sales or managers can close leads",
        "> only sales or managers can close leads",
        "> L-1 is mql; only sql leads can be closed as won",
        "> L-2 is handed_off; only sql leads can be closed as won",
        "> L-2 is handed_off; only sql leads can be closed as lost",
        "> '12x' is not an amount; write it like 12000, 12,000.50 or 12k",
        "> usage: /smk won <lead> [amount] [note]",
        "> '12,00' is not an amount; write it like 12000, 12,000.50 or 12k",
        "> usage: /smk won <lead> [amount] [note]",
        "> '0' is not an amount; write it like 12000, 12,000.50 or 12k",
        "> usage: /smk won <lead> [amount] [note]",
    ]
    assert snapshot(bot) == before
    out = bot.lines(["@bob won L-3", "@bob won L-3", "@bob lost L-3 budget"])
    assert out[-2:] == ["> L-3 is won; only sql leads can be closed as won",
                        "> L-3 is won; only sql leads can be closed as lost"]


# --- lead show ---------------------------------------------------------------

def test_lead_show_fields_sla_and_timeline(bot):
    out = bot.lines([ADD_JANE, "/smk lead edit L-1 score=90", "!advance 30m",
                     "/smk handoff L-1 call after 2pm", "!advance 1h", "@bob lead show L-1"])
    assert replies(out)[-9:] == [
        "> L-1 Jane Doe, ACME",
        "> stage: handed_off, owner: @bob",
        "> email: jane@acme.com, source: webinar, score: 90",
        "> note: wants a demo",
        "> SLA: due in 3h (deadline 2026-11-23 13:30)",
        "> timeline:",
        ">   2026-11-23 09:00 @alice created",
        ">   2026-11-23 09:00 @alice edited score=90",
        ">   2026-11-23 09:30 @alice handed off to @bob, due 2026-11-23 13:30: call after 2pm",
    ]
    out = bot.lines(["!advance 4h30m", "lead show L-1"], now="2026-11-23T10:30")
    assert "> SLA: overdue by 1h 30m (deadline 2026-11-23 13:30)" in out
    out = bot.lines(["@bob accept L-1", "@bob feedback L-1 5 lovely", "@bob won L-1 3k",
                     "lead show jane@acme.com"], now="2026-11-23T15:00")
    assert replies(out)[-13:] == [
        "> L-1 Jane Doe, ACME",
        "> stage: won, owner: @bob",
        "> email: jane@acme.com, source: webinar, score: 90",
        "> note: wants a demo",
        "> SLA: answered in 5h 30m, missed (deadline 2026-11-23 13:30)",
        "> amount: 3,000",
        "> timeline:",
        ">   2026-11-23 09:00 @alice created",
        ">   2026-11-23 09:00 @alice edited score=90",
        ">   2026-11-23 09:30 @alice handed off to @bob, due 2026-11-23 13:30: call after 2pm",
        ">   2026-11-23 15:00 @bob accepted in 5h 30m, SLA missed",
        ">   2026-11-23 15:00 @bob rated it 5/5: lovely",
        ">   2026-11-23 15:00 @bob won 3,000",
    ]


def test_lead_show_refusals_and_mql(bot):
    out = bot.lines([ADD_JOE, "/smk lead show", "/smk lead show L-99", "@zed /smk lead show L-1"])
    assert out[1:4] == ["> usage: /smk lead show <lead>", "> no lead L-99", "> L-1 Joe Bloggs"]
    assert "> stage: mql, no owner yet" in out
    assert "> SLA: the response clock starts at handoff" in out


# --- leads -------------------------------------------------------------------

def test_leads_filters(bot):
    bot.lines([ADD_JANE, ADD_JOE, ADD_JOE, ADD_JOE, "/smk handoff L-1 @bob", "/smk handoff L-2 @dave",
               "/smk handoff L-3 @bob", "@bob accept L-3", "@bob won L-3 1k", "/smk handoff L-4 @dave",
               "@dave reject L-4 need"])
    out = bot.lines(["!advance 5h", "@bob leads", "@bob leads mine", "@bob leads mine open",
                     "leads overdue", "leads stage=recycled", "leads source=WEBINAR",
                     "leads rep=@dave", "leads rep=<@dave|dave> open", "leads stage=won source=ads"])
    # the 5 hours fire the SLA reminders and breaches (tests/e2e/test_sched.py)
    out = [line for line in out if line.startswith("> ")]
    assert out == [
        "> L-4 Joe Bloggs [recycled] @dave, source: ads",
        "> L-3 Joe Bloggs [won] @bob, source: ads, 1,000",
        "> L-2 Joe Bloggs [handed_off] @dave, source: ads, overdue by 1h",
        "> L-1 Jane Doe, ACME [handed_off] @bob, source: webinar, overdue by 1h",
        "> L-3 Joe Bloggs [won] @bob, source: ads, 1,000",
        "> L-1 Jane Doe, ACME [handed_off] @bob, source: webinar, overdue by 1h",
        "> L-1 Jane Doe, ACME [handed_off] @bob, source: webinar, overdue by 1h",
        "> L-2 Joe Bloggs [handed_off] @dave, source: ads, overdue by 1h",
        "> L-1 Jane Doe, ACME [handed_off] @bob, source: webinar, overdue by 1h",
        "> L-4 Joe Bloggs [recycled] @dave, source: ads",
        "> L-1 Jane Doe, ACME [handed_off] @bob, source: webinar, overdue by 1h",
        "> L-4 Joe Bloggs [recycled] @dave, source: ads",
        "> L-2 Joe Bloggs [handed_off] @dave, source: ads, overdue by 1h",
        "> L-4 Joe Bloggs [recycled] @dave, source: ads",
        "> L-2 Joe Bloggs [handed_off] @dave, source: ads, overdue by 1h",
        "> L-3 Joe Bloggs [won] @bob, source: ads, 1,000",
    ]


def test_leads_caps_at_twenty_and_refuses_bad_filters(bot):
    out = bot.lines(["leads"] + [f'/smk lead add "Lead {i}"' for i in range(1, 24)] + [
        "leads", "@zed leads open", "leads stage=open", "leads rep=bob", "leads rep=",
        "leads source=", "leads hot"])
    assert out[0] == '> no leads yet; add one with /smk lead add "Jane Doe"'
    listing = out[24:45]
    assert listing[0] == "> L-23 Lead 23 [mql]"
    assert listing[19] == "> L-4 Lead 4 [mql]"
    assert listing[20] == "> ... 3 more: /smk leads page=2 (or /smk more)"
    assert out[45:65] == listing[:20]       # anyone may read
    assert out[65] == "> ... 3 more: /smk leads open page=2 (or /smk more)"
    assert out[66:] == [
        "> stage must be one of: mql handed_off sql recycled won lost",
        "> rep= takes a user, e.g. rep=@bob",
        "> rep= takes a user, e.g. rep=@bob",
        "> source= needs a value, e.g. source=webinar",
        "> unknown filter 'hot'; use mine, open, overdue, stage=, source=, q=, page= or rep=@user",
    ]
    assert bot.lines(["leads overdue"]) == ["> no leads match"]

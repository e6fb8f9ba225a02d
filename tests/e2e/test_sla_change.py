# SPDX-License-Identifier: MIT
"""Changing the SLA while leads wait (issue 12, items 3 and 4): `sla set
response=` recomputes every open handoff's deadline and its reminder,
breach and escalation; what the change made due fires once, at the change,
not dropped as late; `lead show`, the agenda and the reports read the same
deadline; an unanswered lead past its deadline counts against the share."""
import json
import sqlite3


def events(bot, kind):
    return [e for e in (json.loads(line) for line in bot.export("events").splitlines())
            if e["kind"] == kind]


def posts(out, prefix):
    return [line for line in out if line.startswith(prefix)]


def firings(bot):
    with sqlite3.connect(bot.path / "smarkbot.db") as c:
        return dict(c.execute("SELECT key, outcome FROM firings WHERE key LIKE 'sla%'"))


def test_a_shorter_target_moves_open_deadlines_and_fires_what_became_due_once(bot):
    # L-1 to bob at 09:00 (due 13:00), L-2 to dave at 11:00 (due 15:00)
    bot.lines(['/smk lead add "Jane" company=ACME', '/smk lead add "John"',
               "/smk handoff L-1 @bob", "!advance 2h", "/smk handoff L-2 @dave"])
    # at 11:30, a day's worth of business hours later than the 11:00 reminder
    out = bot.lines(["@carol sla set response=1h", "/smk lead show L-1"],
                    now="2026-11-23T11:30")
    assert out[:3] == [
        "> SLA targets changed (recorded in the SLA's timeline):",
        ">   response: 4h -> 1h of business hours",
        ">   2 leads waiting for an answer have a new deadline: L-1 2026-11-23 10:00,"
        " L-2 2026-11-23 12:00; their reminders follow it",
    ]
    assert "> SLA: overdue by 1h 30m (deadline 2026-11-23 10:00)" in out
    assert any(line.endswith("@carol moved the deadline to 2026-11-23 10:00"
                             " (the SLA's response target is now 1h)") for line in out)
    assert [e["data"]["due_at"] - e["data"]["prev_due_at"] for e in events(bot, "deadline_moved")] \
        == [-3 * 3600, -3 * 3600]
    # the next minute: L-1's breach and escalation (both passed at 10:00 and
    # 11:00 under the new target; its reminder went at 11:00) fire once, now;
    # L-2's reminder (11:30) is due
    out = bot.lines(["!advance 1m"], now="2026-11-23T11:30")
    assert out == [
        "[@dave] Reminder: L-2 John is waiting for your answer; half of the 1h response time"
        " has passed (deadline 2026-11-23 12:00). Answer with /smk accept L-2 or"
        " /smk reject L-2 <reason>",
        "[@bob] SLA breach: L-1 Jane (ACME), handed to you at 2026-11-23 09:00, has had no"
        " answer within 1h (deadline 2026-11-23 10:00). Accept or reject it now:"
        " /smk accept L-1 or /smk reject L-1 <reason>",
        "[@carol] SLA breach: L-1 Jane (ACME), handed to @bob at 2026-11-23 09:00, has had no"
        " answer within 1h (deadline 2026-11-23 10:00).",
        "[#sales] Escalation: L-1 Jane (ACME) has waited twice the 1h response time for @bob"
        " (handed off 2026-11-23 09:00, deadline 2026-11-23 10:00). A manager should step in"
        " or reassign it with /smk handoff L-1 @rep",
    ]
    # L-2 breaches at 12:00 and escalates at 13:00; nothing twice
    out = bot.lines(["!advance 1d"], now="2026-11-23T11:31")
    assert len(posts(out, "[@dave] SLA breach: L-2")) == 1
    assert len(posts(out, "[#sales] Escalation: L-2")) == 1
    assert not posts(out, "[@bob]") and not posts(out, "[@dave] Reminder")
    assert sorted(firings(bot).values()) == ["fired"] * 6


def test_a_reminder_the_change_made_moot_is_not_sent(bot):
    bot.lines(['/smk lead add "Jane"', "/smk handoff L-1 @bob"])
    out = bot.lines(["@carol sla set response=15m", "!advance 1m"], now="2026-11-23T09:30")
    # all three points (09:07, 09:15, 09:30) passed: breach and escalation
    assert [line[:24] for line in out if line.startswith("[")] == [
        "[@bob] SLA breach: L-1 J", "[@carol] SLA breach: L-1", "[#sales] Escalation: L-1"]
    assert bot.lines(["!advance 1d"], now="2026-11-23T09:31") == []
    f = firings(bot)
    assert [o for k, o in f.items() if k.startswith("sla50")] == ["cancelled"]


def test_a_change_made_long_after_the_handoff_is_not_dropped_as_late(bot):
    # handed off with a 3-day target on Monday; shortened on Wednesday, when
    # the 4h deadline (Monday 13:00) is two days behind
    out = bot.lines(["@carol sla set response=3d", '/smk lead add "Jane"', "/smk handoff L-1 @bob",
                     "!advance 2d", "@carol sla set response=4h", "!advance 1m"])
    assert len(posts(out, "[@bob] Reminder: L-1")) == 1           # Tuesday, under 3d
    assert len(posts(out, "[@bob] SLA breach: L-1")) == 1
    assert len(posts(out, "[#sales] Escalation: L-1")) == 1
    assert "dropped" not in bot.stderr


def test_a_longer_target_moves_the_reminders_later(bot):
    bot.lines(['/smk lead add "Jane"', "/smk handoff L-1 @bob"])
    out = bot.lines(["@carol sla set response=8h", "!advance 2h59m", "!now", "!advance 1m",
                     "/smk lead show L-1"], now="2026-11-23T10:00")
    assert out[3] == "> 2026-11-23T12:59:00-03:00"          # none at 11:00 (4h's half)
    assert out[4].startswith("[@bob] Reminder: L-1 Jane is waiting for your answer; half of"
                             " the 8h response time has passed (deadline 2026-11-23 17:00)")
    assert "> SLA: due in 4h (deadline 2026-11-23 17:00)" in out


def test_lead_show_and_the_agenda_agree_on_the_moved_deadline(bot):
    bot.lines(['@carol meeting add "Pipeline" every=weekly:mon at=12:00 remind=15m',
               '/smk lead add "Jane"', '/smk lead add "John"', "/smk handoff L-1 @bob",
               "!advance 2h", "/smk handoff L-2 @dave"])
    out = bot.lines(["@carol sla set response=1h", "!advance 15m",
                     "/smk lead show L-1", "/smk lead show L-2"], now="2026-11-23T11:30")
    agenda = out[out.index("[#smarketing] 1. Leads over their deadline:"):]
    assert agenda[1] == "[#smarketing]   L-1 Jane, @bob, 1h 45m over"
    assert agenda[2].startswith("[#smarketing] 2. Rejections")    # L-2 is not over yet
    assert "> SLA: overdue by 1h 45m (deadline 2026-11-23 10:00)" in out
    assert "> SLA: due in 15m (deadline 2026-11-23 12:00)" in out


def test_an_answer_is_judged_against_the_moved_deadline(bot):
    bot.lines(['/smk lead add "Jane"', "/smk handoff L-1 @bob"])
    out = bot.lines(["@carol sla set response=1h", "@bob accept L-1"], now="2026-11-23T11:00")
    assert posts(out, "> L-1 is now an SQL") == [
        "> L-1 is now an SQL (answered in 2h of business hours, SLA missed); marketing was told"]


def test_an_unanswered_lead_past_its_deadline_counts_against_the_share(bot):
    # L-1 answered in time, L-2 answered late, L-3 still waiting past its deadline
    bot.lines(['/smk lead add "A"', '/smk lead add "B"', '/smk lead add "C"',
               "/smk handoff L-1 @bob", "/smk handoff L-2 @bob", "/smk handoff L-3 @dave",
               "@bob accept L-1", "!advance 5h", "@bob accept L-2"])
    out = bot.lines(["/smk sla", "/smk digest"], now="2026-11-23T17:00")
    share = ">   1 of 3 within target (33%), counting 1 unanswered past its deadline"
    assert out.count(share) == 2            # the report and the digest
    assert "> Over their deadline now: 1" in out
    assert ">   breaches: 2 (1 answered late, 1 not answered yet)" in out
    # before L-3's deadline, it is not counted yet
    out = bot.lines(["/smk sla"], now="2026-11-23T12:00")
    assert ">   1 of 1 within target (100%)" in out


def test_only_unanswered_past_the_deadline_is_shown_when_nothing_was_answered(bot):
    bot.lines(['/smk lead add "A"', "/smk handoff L-1 @bob"])
    out = [line for line in bot.lines(["/smk sla"], now="2026-11-23T14:00")
           if line.startswith("> ")]
    assert out[2:4] == ["> Sales: no handoffs answered (response target 4h)",
                        ">   0 of 1 within target (0%), counting 1 unanswered past its deadline"]

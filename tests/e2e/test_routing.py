# SPDX-License-Identifier: MIT
"""Leads go where they were meant to (issue 12, item 2): a bare word that
names a sales rep is that rep, user names match without regard to case, and
a note that is only another lead id is refused with a hint."""
import json


def events(bot, kind):
    return [e for e in (json.loads(line) for line in bot.export("events").splitlines())
            if e["kind"] == kind]


def add(n):
    return [f'/smk lead add "Lead {i}"' for i in range(1, n + 1)]


def test_a_bare_rep_name_is_the_rep_not_a_note(bot):
    # round-robin would pick bob first: every handoff below names dave
    out = bot.lines(add(4) + [
        "/smk handoff L-1 dave",
        "/smk handoff L-2 Dave call her after 2pm",
        "/smk handoff L-3 @DAVE",
        "/smk handoff L-4 DAVE",
    ])
    assert [line for line in out if line.startswith("> L-")][4:] == [
        "> L-1 handed off to @dave; answer due by 2026-11-23 13:00",
        "> L-2 handed off to @dave; answer due by 2026-11-23 13:00",
        "> L-3 handed off to @dave; answer due by 2026-11-23 13:00",
        "> L-4 handed off to @dave; answer due by 2026-11-23 13:00",
    ]
    assert [(e["data"]["rep"], e["data"]["note"]) for e in events(bot, "handoff")] == [
        ("dave", None), ("dave", "call her after 2pm"), ("dave", None), ("dave", None)]
    assert "[@dave] handoff note: call her after 2pm" in out


def test_other_words_stay_the_note_and_a_colleague_outside_sales_is_refused(bot):
    out = bot.lines(add(3) + [
        "/smk handoff L-1 bobby wants a call",
        "/smk handoff L-2 carol",
        "/smk handoff L-2 @Carol",
        '/smk handoff L-2 "carol"',
        "/smk handoff L-3 carol met them at the fair",
    ])
    assert out[3] == "> L-1 handed off to @bob; answer due by 2026-11-23 13:00"
    refusal = "> @carol is not in the sales role; hand off to one of: @bob, @dave"
    assert out.count(refusal) == 1
    assert "> @Carol is not in the sales role; hand off to one of: @bob, @dave" in out
    notes = [e["data"]["note"] for e in events(bot, "handoff")]
    assert notes == ["bobby wants a call", "carol", "carol met them at the fair"]


def test_a_name_learned_from_the_platform_matches_without_regard_to_case(tmp_path):
    """On Slack the roles hold ids; the name comes from the users table."""
    from conftest import Bot
    import sqlite3
    bot = Bot(tmp_path, extra="")
    bot.config.write_text(bot.config.read_text().replace("sales = bob, dave",
                                                         "sales = U0BOB, U0DAVE"))
    bot.run("")
    with sqlite3.connect(tmp_path / "smarkbot.db") as c:
        c.execute("INSERT INTO users(id, name, updated_at) VALUES ('U0DAVE', 'dave', 0)")
    out = bot.lines(['/smk lead add "Jane"', "/smk handoff L-1 Dave"])
    assert out[1] == "> L-1 handed off to @dave; answer due by 2026-11-23 13:00"
    assert events(bot, "handoff")[0]["data"]["rep"] == "U0DAVE"


def test_a_note_that_is_another_lead_is_refused_with_a_hint(bot):
    bot.lines(add(3) + ["/smk handoff L-1 @bob", "/smk handoff L-2 @bob",
                        "/smk handoff L-3 @bob"])
    before = bot.export("events")
    out = bot.lines([
        "@bob accept L-1 L-2",
        "@bob reject L-1 budget l-2 L-3",
        "/smk handoff L-1 @dave L-2",
    ])
    assert out == [
        "> 'L-2' is another lead, not a note: give one lead per command"
        ' (or quote it to keep it as a note: "L-2")',
        "> 'l-2 L-3' are other leads, not a note: give one lead per command"
        ' (or quote them to keep them as a note: "l-2 L-3")',
        "> 'L-2' is another lead, not a note: give one lead per command"
        ' (or quote it to keep it as a note: "L-2")',
    ]
    assert bot.export("events") == before
    # quoted, or among other words, it is a note
    out = bot.lines(['@bob accept L-1 "L-2"', "@bob accept L-2 same company as L-1"])
    assert out[0].startswith("> L-1 is now an SQL")
    assert [e["data"]["note"] for e in events(bot, "accepted")] == ["L-2", "same company as L-1"]

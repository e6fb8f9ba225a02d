# SPDX-License-Identifier: MIT
"""The scheduler (product.md section 4): every time-driven post, each at its
own moment and exactly once, driven by --now and !advance (no sleeping).

Until the lead commands land, handoffs are written into the database
between runs, as `handoff` leaves them: stage handed_off, owner, handed_off_at,
due_at."""
import datetime
import sqlite3
import time
import zoneinfo

import pytest

from conftest import Bot

SP = "America/Sao_Paulo"


def epoch(iso, tz=SP):
    return int(datetime.datetime.fromisoformat(iso)
               .replace(tzinfo=zoneinfo.ZoneInfo(tz)).timestamp())


def db(bot):
    return sqlite3.connect(bot.path / "smarkbot.db")


def add_lead(bot, name="Jane Doe", company="ACME", stage="handed_off", owner="bob",
             handed_off=None, due=None, responded=None, reason=None, tz=SP):
    """Inserts a lead as the lead commands leave it; returns its id."""
    with db(bot) as c:
        cur = c.execute(
            "INSERT INTO leads(name, company, stage, owner, created_by, created_at,"
            " handed_off_at, due_at, responded_at, reason)"
            " VALUES (?, ?, ?, ?, 'alice', ?, ?, ?, ?, ?)",
            (name, company, stage, owner,
             epoch(handed_off or "2026-11-20T09:00", tz),
             epoch(handed_off, tz) if handed_off else None,
             epoch(due, tz) if due else None,
             epoch(responded, tz) if responded else None, reason))
        return cur.lastrowid


def firings(bot):
    with db(bot) as c:
        return {k: (due, fired, outcome) for k, due, fired, outcome in
                c.execute("SELECT key, due_at, fired_at, outcome FROM firings")}


def posts(out, prefix):
    return [line for line in out if line.startswith(prefix)]


def start(bot, now="2026-11-23T09:00"):
    """A first run that creates the database: a fresh bot has missed nothing."""
    assert bot.run("", now=now) == ""


# --- the SLA: 50% reminder, 100% breach, 200% escalation ----------------------

def test_sla_reminder_breach_escalation_over_a_holiday_weekend(bot):
    # handed off on Christmas Eve at 17:00: one business hour that day, then
    # Christmas (a holiday) and the weekend, then Monday from 09:00
    start(bot, "2026-12-24T17:00")
    add_lead(bot, handed_off="2026-12-24T17:00", due="2026-12-28T12:00")
    out = bot.lines([
        "!advance 3d16h59m", "!now",      # Monday 09:59: nothing yet
        "!advance 1m", "!now",            # 10:00: 50%
        "!advance 2h", "!now",            # 12:00: 100%
        "!advance 3h59m", "!now",         # 15:59
        "!advance 1m", "!now",            # 16:00: 200%
    ], now="2026-12-24T17:00")
    out = [line for line in out if not line.startswith("[#smarketing]")]   # Monday's digest
    assert out == [
        "> 2026-12-28T09:59:00-03:00",
        "[@bob] Reminder: L-1 Jane Doe (ACME) is waiting for your answer; half of the 4h response"
        " time has passed (deadline 2026-12-28 12:00). Answer with /smk accept L-1 or"
        " /smk reject L-1 <reason>",
        "> 2026-12-28T10:00:00-03:00",
        "[@bob] SLA breach: L-1 Jane Doe (ACME), handed to you at 2026-12-24 17:00, has had no"
        " answer within 4h (deadline 2026-12-28 12:00). Accept or reject it now: /smk accept L-1"
        " or /smk reject L-1 <reason>",
        "[@carol] SLA breach: L-1 Jane Doe (ACME), handed to @bob at 2026-12-24 17:00, has had no"
        " answer within 4h (deadline 2026-12-28 12:00).",
        "> 2026-12-28T12:00:00-03:00",
        "> 2026-12-28T15:59:00-03:00",
        "[#sales] Escalation: L-1 Jane Doe (ACME) has waited twice the 4h response time for @bob"
        " (handed off 2026-12-24 17:00, deadline 2026-12-28 12:00). A manager should step in or"
        " reassign it with /smk handoff L-1 @rep",
        "> 2026-12-28T16:00:00-03:00",
    ]
    f = firings(bot)
    sla = {k: v for k, v in f.items() if k.startswith("sla")}
    assert sorted(k.split(":")[0] for k in sla) == ["sla100", "sla200", "sla50"]
    assert all(fired == due and outcome == "fired" for due, fired, outcome in sla.values())


def test_answered_lead_stops_and_reassigned_lead_restarts(bot):
    start(bot)
    first = add_lead(bot, handed_off="2026-11-23T09:00", due="2026-11-23T13:00")
    second = add_lead(bot, name="John Roe", company=None, owner="bob", handed_off="2026-11-23T09:00",
                      due="2026-11-23T13:00")
    out = bot.lines(["!advance 2h"])
    assert len(posts(out, "[@bob] Reminder:")) == 2
    # L-1 is accepted; L-2 is handed to dave at 11:30
    with db(bot) as c:
        c.execute("UPDATE leads SET stage = 'sql', responded_at = ? WHERE id = ?",
                  (epoch("2026-11-23T11:10"), first))
        c.execute("UPDATE leads SET owner = 'dave', handed_off_at = ?, due_at = ? WHERE id = ?",
                  (epoch("2026-11-23T11:30"), epoch("2026-11-23T15:30"), second))
    out = bot.lines(["!advance 1d"], now="2026-11-23T11:30")
    assert out[0].startswith("[@dave] Reminder: L-2 John Roe")          # 13:30
    assert out[1].startswith("[@dave] SLA breach: L-2 John Roe")        # 15:30
    assert out[2].startswith("[@carol] SLA breach: L-2 John Roe, handed to @dave")
    assert out[3].startswith("[#sales] Escalation: L-2 John Roe")       # Tuesday 10:30
    assert len(out) == 4                # nothing more for L-1, nothing for bob


# --- exactly once --------------------------------------------------------------

def test_exactly_once_across_a_restart(bot):
    start(bot)
    add_lead(bot, handed_off="2026-11-23T09:00", due="2026-11-23T13:00")
    out = bot.lines(["!advance 2h30m"])
    assert len(posts(out, "[@bob] Reminder:")) == 1
    # restarted at 11:30, then 13:05, on the same database
    assert bot.lines(["!advance 1h"], now="2026-11-23T11:30") == []
    out = bot.lines(["!advance 1h"], now="2026-11-23T12:30")
    assert len(posts(out, "[@bob] SLA breach:")) == 1
    assert bot.lines([], now="2026-11-23T13:05") == []
    assert bot.lines(["!advance 1h"], now="2026-11-23T13:05") == []
    outcomes = sorted((k.split(":")[0], o) for k, (_, _, o) in firings(bot).items())
    assert outcomes == [("sla100", "fired"), ("sla50", "fired")]


def test_missed_firing_runs_once_if_less_than_a_day_late(bot):
    start(bot)
    add_lead(bot, handed_off="2026-11-23T09:00", due="2026-11-23T13:00")
    # down from 09:00 to 12:00: the 11:00 reminder is sent once at start-up
    out = bot.lines([], now="2026-11-23T12:00")
    assert len(posts(out, "[@bob] Reminder:")) == 1
    assert bot.lines([], now="2026-11-23T12:00") == []
    # down over the Monday digest, back six hours later: sent once
    out = bot.lines([], now="2026-11-30T15:00")
    assert len(posts(out, "[#smarketing]")) >= 1
    assert bot.lines([], now="2026-11-30T16:00") == []
    f = firings(bot)
    assert f["digest:2026-11-30"][2] == "fired"
    assert f["digest:2026-11-30"][1] - f["digest:2026-11-30"][0] == 6 * 3600


def test_sla_points_more_than_a_day_late_are_sent_once_marked_late(bot):
    """A breach is a promise broken however long the bot was down (issue
    13.8): the breach and the escalation go out once, saying they are late;
    the half-time reminder is moot past the deadline."""
    start(bot)
    add_lead(bot, handed_off="2026-11-23T09:00", due="2026-11-23T13:00")
    # back on Wednesday: the 50%, 100% and 200% points all passed > 1 day ago
    out = bot.lines([], now="2026-11-25T12:00")
    assert not posts(out, "[@bob] Reminder:")
    breach = posts(out, "[@bob] SLA breach")
    escalation = posts(out, "[#sales] Escalation")
    assert len(breach) == 1 and len(escalation) == 1
    assert all("sent late: smarkbot was not running" in p for p in breach + escalation)
    assert "so it is dropped" not in bot.stderr
    assert bot.lines(["!advance 1h"], now="2026-11-25T12:00") == []


def test_a_digest_more_than_a_day_late_is_dropped_and_logged(bot):
    start(bot)
    # down over the Monday digest and back on Wednesday: dropped, said once
    out = bot.lines([], now="2026-12-02T12:00")
    assert not posts(out, "[#smarketing] Weekly")
    assert "digest:2026-11-30" in bot.stderr and "so it is dropped" in bot.stderr
    assert firings(bot)["digest:2026-11-30"][2] == "dropped"


# --- the weekly and monthly posts --------------------------------------------

def test_weekly_feedback_nudge(bot):
    start(bot)
    # bob accepted L-1 and L-2 this week and rated L-2; dave accepted L-3
    # and rated it; L-4 was rejected by dave; L-5 is bob's from last month
    add_lead(bot, stage="sql", handed_off="2026-11-23T09:00", responded="2026-11-23T10:00")
    rated = add_lead(bot, name="Rated", company=None, stage="won",
                     handed_off="2026-11-24T09:00", responded="2026-11-24T10:00")
    dave = add_lead(bot, name="Dave's", owner="dave", stage="sql",
                    handed_off="2026-11-24T09:00", responded="2026-11-24T10:00")
    add_lead(bot, name="Nope", owner="dave", stage="recycled", reason="budget",
             handed_off="2026-11-24T09:00", responded="2026-11-24T10:00")
    add_lead(bot, name="Old", stage="sql", handed_off="2026-10-20T09:00",
             responded="2026-10-20T10:00")
    with db(bot) as c:
        for lead, rep in ((rated, "bob"), (dave, "dave")):
            c.execute("INSERT INTO feedback(lead, rep, rating, at) VALUES (?, ?, 4, ?)",
                      (lead, rep, epoch("2026-11-25T10:00")))
    out = bot.lines(["!advance 4d5h59m", "!now", "!advance 1m", "!now"])
    assert out == [
        "> 2026-11-27T14:59:00-03:00",
        "[@bob] Feedback please: you accepted these leads in the last 7 days and have not rated"
        " them yet:",
        "[@bob]   L-1 Jane Doe (ACME)",
        "[@bob] Rate each one with /smk feedback <lead> <1-5|good|bad> [comment]",
        "> 2026-11-27T15:00:00-03:00",
    ]


def test_weekly_digest_at_its_time(bot):
    start(bot)
    out = bot.lines(["!advance 6d23h59m", "!now", "!advance 1m", "!now", "!advance 7d"])
    assert out[0] == "> 2026-11-30T08:59:00-03:00"
    now_at = out.index("> 2026-11-30T09:00:00-03:00")
    assert now_at > 1 and all(line.startswith("[#smarketing]") for line in out[1:now_at])
    assert len(posts(out[now_at:], "[#smarketing]")) >= 1       # the next Monday's
    f = firings(bot)
    assert [k for k in f if k.startswith("digest:")] == ["digest:2026-11-30", "digest:2026-12-07"]
    assert f["digest:2026-11-30"][0] == epoch("2026-11-30T09:00")


def test_monthly_report_on_first_business_day_after_a_holiday(tmp_path):
    # 2027-01-01 is a holiday (a Friday): the report waits for Monday the 4th
    bot = Bot(tmp_path, extra="\n[schedule]\ndigest = tue 09:00\nmonthly_report = 09:00\n")
    start(bot, "2026-12-31T10:00")
    out = bot.lines(["!advance 3d22h59m", "!now", "!advance 1m", "!now"], now="2026-12-31T10:00")
    assert out[0] == "> 2027-01-04T08:59:00-03:00"
    assert out[-1] == "> 2027-01-04T09:00:00-03:00"
    assert len(out) > 2 and all(line.startswith("[#smarketing]") for line in out[1:-1])
    assert firings(bot)["monthly:2027-01"][:2] == (epoch("2027-01-04T09:00"),) * 2


# --- meetings -------------------------------------------------------------------

def test_meeting_reminder_with_agenda(bot):
    out = bot.lines(['/smk meeting add "Pipeline review" every=weekly:wed at=10:00 remind=30m',
                     "/smk meeting list"], as_user="carol")
    assert out == [
        "> M-1 scheduled: Pipeline review, weekly:wed at 10:00 in #smarketing, reminder 30m"
        " before. Next: Wed 2026-11-25 10:00",
        "> M-1 Pipeline review (weekly:wed at 10:00, #smarketing): next Wed 2026-11-25 10:00",
    ]
    add_lead(bot, handed_off="2026-11-23T09:00", due="2026-11-23T13:00")
    # three rejections, as `reject` records them; one lead went back to sales
    for reason, stage in (("budget", "recycled"), ("timing", "recycled"),
                          ("budget", "handed_off")):
        lead = add_lead(bot, name="R", stage=stage, reason=reason,
                        handed_off="2026-11-24T10:00", due="2026-11-25T10:00",
                        responded="2026-11-24T09:00")
        with db(bot) as c:
            c.execute("INSERT INTO events(lead, kind, actor, at, data)"
                      " VALUES (?, 'rejected', 'bob', ?, json_object('reason', ?))",
                      (lead, epoch("2026-11-24T09:00"), reason))
    out = bot.lines(["!advance 2d1h", "!now", "!advance 7d"], now="2026-11-23T09:00")
    reminders = posts(out, "[#smarketing]")
    assert reminders[:6] == [
        "[#smarketing] Reminder: M-1 Pipeline review starts Wed 2026-11-25 10:00 (in 30m).",
        "[#smarketing] Agenda:",
        "[#smarketing] 1. Leads over their deadline:",
        "[#smarketing]   L-1 Jane Doe (ACME), @bob, 1d 5h 30m over",
        "[#smarketing] 2. Rejections since 2026-11-23 09:00: budget 2, timing 1",
        "[#smarketing] 3. SLA status:",
    ]
    # the next week's agenda counts rejections since the last meeting
    assert ("[#smarketing] 2. Rejections since 2026-11-25 10:00: none") in reminders
    assert len(posts(out, "[#smarketing] Reminder: M-1")) == 2
    assert out.index("> 2026-11-25T10:00:00-03:00") > out.index(reminders[0])


def test_meeting_skip_and_remove(bot):
    out = bot.lines([
        '/smk meeting add "Pipeline review" every=weekly:mon at=10:00',
        "/smk meeting skip M-1 2026-12-01",
        "/smk meeting skip M-1 2026-11-30",
        "/smk meeting list",
        "/smk meeting skip M-9 2026-11-30",
        "@bob /smk meeting skip M-1 2026-12-07",
        "/smk meeting add \"x\" every=monthly:31 at=10:00",
    ], as_user="carol", now="2026-11-23T11:00")
    assert out == [
        "> M-1 scheduled: Pipeline review, weekly:mon at 10:00 in #smarketing, reminder 15m"
        " before. Next: Mon 2026-11-30 10:00",
        "> M-1 does not meet on 2026-12-01 (weekly:mon); the next occurrence after it is"
        " Mon 2026-12-07 10:00",
        "> M-1 Pipeline review is skipped on Mon 2026-11-30 10:00. Next: Mon 2026-12-07 10:00",
        "> M-1 Pipeline review (weekly:mon at 10:00, #smarketing): next Mon 2026-12-07 10:00",
        "> no meeting M-9; see /smk meeting list",
        "> only managers can skip meetings",
        "> every= must be weekly:mon, biweekly:mon, monthly:1 (day 1-28), monthly:first-mon,"
        " quarterly:first-mon or every-6w:tue",
    ]
    out = bot.lines(["!advance 7d", "!now", "!advance 7d", "!now"], now="2026-11-23T11:00")
    out = [line for line in out if line.startswith("> ") or "Reminder: M-1" in line]
    assert out[0] == "> 2026-11-30T11:00:00-03:00"        # skipped: no reminder
    assert out[1] == "[#smarketing] Reminder: M-1 Pipeline review starts Mon 2026-12-07 10:00 (in 15m)."
    out = bot.lines(["/smk meeting remove M-1", "!advance 7d"], as_user="carol",
                    now="2026-12-07T11:00")
    assert [line for line in out if "M-1" in line] == ["> M-1 removed: Pipeline review"]
    assert [k for k in firings(bot) if k.startswith("meeting:")] == ["meeting:1:2026-12-07"]


@pytest.mark.parametrize("zone,first,before,after,summer,winter", [
    ("Europe/Warsaw", "2026-10-12", "2026-10-19", "2026-10-26", "+02:00", "+01:00"),
    ("America/New_York", "2026-10-19", "2026-10-26", "2026-11-02", "-04:00", "-05:00"),
])
def test_weekly_meeting_stays_at_nine_across_dst(tmp_path, zone, first, before, after,
                                                 summer, winter):
    bot = Bot(tmp_path, timezone=zone)
    out = bot.lines(['/smk meeting add "Pipeline review" every=weekly:mon at=09:00'],
                    as_user="carol", now=first + "T10:00")
    assert out[0].endswith("Next: Mon %s 09:00" % before)
    # the week before the change: the reminder at 08:45 summer time
    out = bot.lines(["!advance 1m", "!now",
                     # a week of seconds later it is 07:44 on the wall: an hour early
                     "!advance 6d23h59m", "!now",
                     "!advance 1h", "!now",
                     "!advance 1m", "!now",
                     "/smk meeting list"], now=before + "T08:44")
    nows = [i for i, line in enumerate(out) if line.startswith("> 20")]
    assert [out[i] for i in nows] == [
        "> %sT08:45:00%s" % (before, summer),
        "> %sT07:44:00%s" % (after, winter),
        "> %sT08:44:00%s" % (after, winter),
        "> %sT08:45:00%s" % (after, winter),
    ]
    reminders = [i for i, line in enumerate(out) if "Reminder: M-1" in line]
    assert len(reminders) == 2
    # one in the minute before 08:45 each Monday, none an hour early
    assert reminders[0] < nows[0]
    assert nows[2] < reminders[1] < nows[3]
    assert out[reminders[0]].endswith("starts Mon %s 09:00 (in 15m)." % before)
    assert out[reminders[1]].endswith("starts Mon %s 09:00 (in 15m)." % after)
    assert out[-1].endswith("next Mon %s 09:00" % after)
    f = firings(bot)
    assert f["meeting:1:%s" % after][0] - f["meeting:1:%s" % before][0] == 7 * 86400 + 3600


# --- a backlog ----------------------------------------------------------------------

def test_backlog_of_200_deadlines_in_one_advance(bot):
    start(bot)
    with db(bot) as c:
        for i in range(200):
            h = epoch("2026-11-23T09:00") + 60 * i
            c.execute("INSERT INTO leads(name, stage, owner, created_by, created_at,"
                      " handed_off_at, due_at) VALUES (?, 'handed_off', ?, 'alice', ?, ?, ?)",
                      ("Lead %d" % (i + 1), "bob" if i % 2 == 0 else "dave", h, h, h + 4 * 3600))
    began = time.monotonic()
    out = bot.lines(["!advance 3d"], timeout=120)
    elapsed = time.monotonic() - began
    print("200-lead backlog: %.2fs for one !advance 3d, %d lines" % (elapsed, len(out)))

    f = firings(bot)
    sla = {k: v for k, v in f.items() if k.startswith("sla")}
    assert len(f) == len(sla) == 600
    # each at its own moment
    assert all(fired == due and outcome == "fired" for due, fired, outcome in sla.values())

    kinds = {"Reminder:": "sla50", "SLA breach:": "sla100", "Escalation:": "sla200"}
    seen = []
    for line in out:
        if line.startswith("[@carol]"):
            continue                                    # the managers' copy
        text = line.split("] ", 1)[1]
        kind = next(v for k, v in kinds.items() if text.startswith(k))
        lead = int(text.split("L-")[1].split(" ")[0])
        seen.append((kind, lead))
    assert len(seen) == 600 and len(set(seen)) == 600   # each exactly once
    # in time order: the order of the posts is the order of the due times
    due = {(k.split(":")[0], int(k.split(":")[1])): v[0] for k, v in sla.items()}
    times = [due[s] for s in seen]
    assert times == sorted(times)
    assert len(posts(out, "[@carol] SLA breach:")) == 200
    assert elapsed < 60


# --- with the real lead commands -------------------------------------------------

def sla_posts(out):
    """(who, kind, lead) of each scheduler post about a lead, in order."""
    kinds = {"Reminder: L-": "sla50", "SLA breach: L-": "sla100", "Escalation: L-": "sla200"}
    found = []
    for line in out:
        if not line.startswith("["):
            continue
        who, text = line[1:].split("] ", 1)
        for prefix, kind in kinds.items():
            if text.startswith(prefix):
                found.append((who, kind, int(text[len(prefix):].split(" ")[0])))
    return found


def test_handoff_accept_reject_reassign_with_the_commands(bot):
    out = bot.lines([
        '/smk lead add "Jane Doe" company=ACME', '/smk lead add "Joe Bloggs"',
        '/smk lead add "Ann Lee"',
        "/smk handoff L-1 @bob", "/smk handoff L-2 @bob", "/smk handoff L-3 @dave",
        "!advance 2h",                              # 11:00: the three reminders
        "@bob accept L-1", "@bob reject L-2 budget",
        "/smk handoff L-3 @bob",                    # reassigned at 11:00
        "!now",
        "!advance 1d",
    ])
    mark = out.index("> 2026-11-23T11:00:00-03:00")
    assert sla_posts(out[:mark]) == [
        ("@bob", "sla50", 1), ("@bob", "sla50", 2), ("@dave", "sla50", 3)]
    # L-1 and L-2 were answered: nothing more; L-3 starts again for bob
    assert sla_posts(out[mark:]) == [
        ("@bob", "sla50", 3),                       # 13:00
        ("@bob", "sla100", 3), ("@carol", "sla100", 3),     # 15:00
        ("#sales", "sla200", 3),                    # Tuesday 10:00
    ]
    keys = sorted(k.rsplit(":", 1)[0] for k in firings(bot) if k.startswith("sla"))
    assert keys == ["sla100:3", "sla200:3", "sla50:1", "sla50:2", "sla50:3", "sla50:3"]


def test_backlog_of_200_handoffs_with_the_commands(bot):
    script = ['/smk lead add "Lead %d"' % i for i in range(1, 201)]
    script += ["/smk handoff L-%d" % i for i in range(1, 201)]     # round-robin
    bot.lines(script, timeout=120)
    began = time.monotonic()
    out = bot.lines(["!advance 3d"], timeout=120)                 # a restart, too
    elapsed = time.monotonic() - began
    print("200 handoffs: %.2fs for one !advance 3d, %d lines" % (elapsed, len(out)))
    posts_ = sla_posts(out)
    reps = [p for p in posts_ if p[0] != "@carol"]
    assert len(reps) == 600 and len(set(reps)) == 600
    # same handoff second: by kind, then by lead
    assert [(k, n) for _, k, n in reps] == (
        [("sla50", n) for n in range(1, 201)] + [("sla100", n) for n in range(1, 201)] +
        [("sla200", n) for n in range(1, 201)])
    assert {who for who, k, _ in reps if k != "sla200"} == {"@bob", "@dave"}
    assert elapsed < 60

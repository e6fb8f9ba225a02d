# SPDX-License-Identifier: MIT
"""Team-level commands and reports: sla, goals, glossary, content, alignment,
digest. Leads and events are seeded straight into the database (between
runs, as a restart would find them) so the reports have data to show."""
import datetime
import json
import sqlite3
import zoneinfo

from conftest import Bot

TZ = zoneinfo.ZoneInfo("America/Sao_Paulo")


def ts(local):
    """Unix time of a local time in the bot's zone."""
    return int(datetime.datetime.fromisoformat(local).replace(tzinfo=TZ).timestamp())


def events(bot, kind):
    rows = [json.loads(line) for line in bot.export("events").splitlines()]
    return [r for r in rows if r["kind"] == kind]


def seed(bot):
    """A week of work before Monday 2026-11-23 09:00 (the tests' clock):
    L-1 webinar handed off, accepted in 1h, won 12,500 with feedback;
    L-2 webinar rejected for budget after 6h; L-3 ads handed off and now
    over its deadline; L-4 ads created the week before; L-5 no source."""
    bot.run(["!now"])  # creates the database
    db = sqlite3.connect(bot.path / "smarkbot.db")

    def lead(lid, name, company, source, stage, created, **cols):
        db.execute("INSERT INTO leads(id, name, company, source, stage, created_by,"
                   " created_at, owner, handed_off_at, due_at, responded_at, closed_at,"
                   " amount, reason) VALUES (?,?,?,?,?,'alice',?,?,?,?,?,?,?,?)",
                   (lid, name, company, source, stage, ts(created), cols.get("owner"),
                    cols.get("handed_off_at"), cols.get("due_at"), cols.get("responded_at"),
                    cols.get("closed_at"), cols.get("amount"), cols.get("reason")))
        event(lid, "created", "alice", created, {"name": name, "source": source})

    def event(lid, kind, actor, at, data):
        db.execute("INSERT INTO events(lead, kind, actor, at, data) VALUES (?,?,?,?,?)",
                   (lid, kind, actor, ts(at), json.dumps(data)))

    lead(1, "Ana Souza", "ACME", "webinar", "won", "2026-11-17T10:00", owner="bob",
         amount=1250000)
    event(1, "handoff", "alice", "2026-11-17T11:00", {"rep": "bob"})
    event(1, "accepted", "bob", "2026-11-17T12:00", {"rep": "bob", "secs": 3600, "met": True})
    event(1, "won", "bob", "2026-11-20T15:00", {"amount": 1250000})
    db.execute("INSERT INTO feedback(lead, rep, rating, comment, at) VALUES (1,'bob',5,"
               "'great fit',?)", (ts("2026-11-18T10:00"),))
    lead(2, "Bruno Lima", None, "webinar", "recycled", "2026-11-18T10:00", owner="dave",
         reason="budget")
    event(2, "handoff", "alice", "2026-11-18T11:00", {"rep": "dave"})
    event(2, "rejected", "dave", "2026-11-18T17:00",
          {"rep": "dave", "reason": "budget", "secs": 21600, "met": False})
    lead(3, "Carla Dias", "Initech", "ads", "handed_off", "2026-11-19T10:00", owner="bob",
         handed_off_at=ts("2026-11-19T14:00"), due_at=ts("2026-11-19T18:00"))
    event(3, "handoff", "alice", "2026-11-19T14:00", {"rep": "bob"})
    # the bot ran that week: L-3's reminder, breach and escalation went out
    for point, due in (("sla50", "2026-11-19T16:00"), ("sla100", "2026-11-19T18:00"),
                       ("sla200", "2026-11-20T13:00")):
        db.execute("INSERT INTO firings(key, due_at, fired_at, outcome) VALUES (?,?,?,'fired')",
                   (f"{point}:3:{ts('2026-11-19T14:00')}", ts(due), ts(due)))
    lead(4, "Davi", None, "ads", "mql", "2026-11-10T10:00")
    lead(5, "Eva", None, None, "mql", "2026-11-20T10:00")
    db.commit()
    db.close()


def test_glossary_seeded_on_fresh_database(bot):
    out = bot.lines(["/smk glossary", "/smk glossary mql", "/smk glossary won / lost",
                     "/smk glossary ICP"])
    assert out == [
        "> Handoff: marketing passes an MQL to a sales rep; the response clock starts.",
        "> Lead: a person or company that showed interest.",
        "> MQL: marketing-qualified lead: fits the target profile and did something of value"
        " (sent a form, downloaded, asked for information).",
        "> Recycled: rejected by sales with a reason, back with marketing for nurturing.",
        "> SQL: sales-qualified lead: accepted by sales: has the means to buy, the authority"
        " to decide, a need and a timing.",
        "> Won / lost: the closed-loop outcome, with an amount for won.",
        "> MQL: marketing-qualified lead: fits the target profile and did something of value"
        " (sent a form, downloaded, asked for information).",
        "> Won / lost: the closed-loop outcome, with an amount for won.",
        "> no term 'ICP' in the glossary; see /smk glossary",
    ]


def test_glossary_set_and_remove(bot):
    out = bot.lines([
        '@carol /smk glossary set ICP "ideal customer profile: B2B, 50-500 staff"',
        "/smk glossary icp",
        '@carol /smk glossary set icp "ideal customer profile"',
        '@carol /smk glossary set "Sales cycle" days from SQL to won or lost',
        '/smk glossary set ICP "marketing may not"',
        "@carol /smk glossary set ICP",
        "@carol /smk glossary remove Lead",
        "@carol /smk glossary remove Nonsense",
        "/smk glossary lead",
    ])
    assert out == [
        "> ICP defined: ideal customer profile: B2B, 50-500 staff",
        "> ICP: ideal customer profile: B2B, 50-500 staff",
        "> icp redefined: ideal customer profile (was: ideal customer profile: B2B, 50-500 staff)",
        "> Sales cycle defined: days from SQL to won or lost",
        "> only managers can edit the glossary",
        '> usage: /smk glossary set <term> "<definition>"',
        "> Lead removed from the glossary",
        "> no term 'Nonsense' in the glossary; see /smk glossary",
        "> no term 'lead' in the glossary; see /smk glossary",
    ]
    # a restart keeps the edits, and the removed seed term stays removed
    out = bot.lines(["/smk glossary"], now="2026-11-24T09:00")
    assert "> icp: ideal customer profile" in out
    assert not any(line.startswith("> Lead:") for line in out)
    assert [e["data"]["term"] for e in events(bot, "glossary_set")] == ["ICP", "icp", "Sales cycle"]
    assert events(bot, "glossary_remove")[0]["data"]["term"] == "Lead"


def test_sla_set_is_recorded_and_survives_a_restart(bot):
    out = bot.lines(["@carol /smk sla set response=2h mql=150"])
    assert out == [
        "> SLA targets changed (recorded in the SLA's timeline):",
        ">   response: 4h -> 2h of business hours",
        ">   MQLs a month: 200 -> 150",
    ]
    out = bot.lines(["/smk sla", "@carol /smk sla set mql=180"], now="2026-11-24T09:00")
    assert out[5] == ("> Targets: answer within 2h of business hours, 150 MQLs a month"
                       " (set by carol on 2026-11-23 09:00)")
    assert "(response target 2h)" in out[2]
    assert out[3] == ">   last 30 days (what /smk alignment judges): no handoffs answered or due"
    assert out[6:] == ["> SLA targets changed (recorded in the SLA's timeline):",
                        ">   MQLs a month: 150 -> 180"]
    sets = events(bot, "sla_set")
    assert [e["data"] for e in sets] == [
        {"response_secs": 7200, "mql_target": 150, "prev_response_secs": 14400,
         "prev_mql_target": 200},
        {"response_secs": 7200, "mql_target": 180, "prev_response_secs": 7200,
         "prev_mql_target": 150},
    ]
    assert sets[0]["lead"] is None and sets[0]["actor"] == "carol"


def test_sla_set_refusals(bot):
    out = bot.lines([
        "/smk sla set response=2h",
        "@carol /smk sla set",
        "@carol /smk sla set response=soon",
        "@carol /smk sla set mql=0",
        "@carol /smk sla set mql=12.5",
        "@carol /smk sla set speed=2h",
        "@carol /smk sla set response=2h response=3h",
        "@carol /smk sla set response=2h mql=10 extra=1",
    ])
    assert out == [
        "> only managers can change the SLA",
        "> usage: /smk sla set [response=4h] [mql=200]",
        "> response must be a duration such as 4h, 90m or 2d (business days), not 'soon'",
        "> mql must be a whole number of MQLs a month from 1 to 1000000, not '0'",
        "> mql must be a whole number of MQLs a month from 1 to 1000000, not '12.5'",
        "> 'speed=2h' is not response=<duration> or mql=<number>; e.g. /smk sla set response=4h mql=200",
        "> response is given twice",
        "> usage: /smk sla set [response=4h] [mql=200]",
    ]
    assert events(bot, "sla_set") == []


def test_sla_report(bot):
    seed(bot)
    out = bot.lines(["@zed /smk sla"])   # read-only: anyone may
    assert out == [
        "> SLA for November 2026, to 2026-11-23 09:00",
        "> Marketing: MQLs 5 of 200 (2%); 149 expected by now at an even pace, 144 behind",
        "> Sales: response median 3h 30m, 90th percentile 5h 30m (target 4h)",
        # L-3, past its deadline and unanswered, counts against the share
        ">   1 of 3 within target (33%), counting 1 unanswered past its deadline",
        ">   last 30 days (what /smk alignment judges): 1 of 3 within target (33%),"
        " counting 1 unanswered past its deadline",
        "> Over their deadline now: 1",
        ">   L-3 Carla Dias (Initech), bob, 1d over",
        "> Targets: answer within 4h of business hours, 200 MQLs a month (from the configuration)",
    ]


def test_sla_and_alignment_agree_on_within_the_sla(bot):
    """Early in a month, `sla` (this month) and `alignment` (30 days) look
    at different windows: `sla` shows the 30 days too, counted the same way,
    so both say 2 of 4 where one said 2 of 2 and the other 2 of 4."""
    bot.lines([
        '/smk lead add "Ana"', '/smk lead add "Bia"', "/smk handoff L-1 @bob",
        "/smk handoff L-2 @dave",
    ], now="2026-11-26T09:00")
    out = bot.lines([
        '/smk lead add "Cid"', '/smk lead add "Dan"', "/smk handoff L-3 @bob",
        "/smk handoff L-4 @dave", "@bob /smk accept L-3", "@dave /smk reject L-4 timing",
        "/smk sla", "/smk alignment",
    ], now="2026-12-02T10:00")
    month = "  2 of 2 within target (100%)"
    window = ("2 of 4 within target (50%), counting 2 unanswered past their deadline")
    assert f"> {month}" in out
    assert f">   last 30 days (what /smk alignment judges): {window}" in out
    assert ("> ✗ the response SLA was met for at least 80% of leads in the last 30 days: "
            f"{window} (as /smk sla shows for the last 30 days)") in out


def test_goals(bot):
    seed(bot)
    out = bot.lines([
        '@carol /smk goal add "More SQLs" metric=sqls target=8 period=2026-Q4',
        '@carol /smk goal add "Revenue" period=2026-11 target=50000 metric=revenue',
        '@carol /smk goal add "2027 wins" metric=won target=100 period=2027',
        "/smk goal list",
        "@carol /smk goal remove G-2",
        "@carol /smk goal remove G-2",
        "/smk goal list",
    ])
    assert out == [
        "> G-1 added: More SQLs (sqls, target 8, 2026-Q4). Follow it with /smk goal list",
        "> G-2 added: Revenue (revenue, target 50,000, 2026-11). Follow it with /smk goal list",
        "> G-3 added: 2027 wins (won, target 100, 2027). Follow it with /smk goal list",
        # 38 days 15 hours of Q4 left: 7 SQLs / 5.5 weeks
        "> G-1 More SQLs: 1 of 8 SQLs in 2026-Q4 (12%) █▎; 7 to go by 2026-12-31: 1.3 per week",
        "> G-2 Revenue: 12,500 of 50,000 revenue in 2026-11 (25%) ██▌;"
        " 37,500 to go by 2026-11-30: 4,918.04 per day",
        "> G-3 2027 wins: 0 of 100 deals won in 2027 (0%); 100 to go by 2027-12-31:"
        " 2 per week (starts 2027-01-01)",
        "> G-2 removed: Revenue",
        "> no goal G-2; see /smk goal list",
        "> G-1 More SQLs: 1 of 8 SQLs in 2026-Q4 (12%) █▎; 7 to go by 2026-12-31: 1.3 per week",
        "> G-3 2027 wins: 0 of 100 deals won in 2027 (0%); 100 to go by 2027-12-31:"
        " 2 per week (starts 2027-01-01)",
    ]
    assert [e["data"]["goal"] for e in events(bot, "goal_add")] == [1, 2, 3]
    assert events(bot, "goal_remove")[0]["data"] == {"goal": 2, "title": "Revenue"}


def test_goal_refusals(bot):
    out = bot.lines([
        '/smk goal add "X" metric=sqls target=8 period=2026-Q4',
        '@carol /smk goal add "X" metric=leads target=8 period=2026-Q4',
        '@carol /smk goal add "X" metric=sqls target=-8 period=2026-Q4',
        '@carol /smk goal add "X" metric=sqls target=lots period=2026-Q4',
        '@carol /smk goal add "X" metric=sqls target=8 period=2026-Q5',
        '@carol /smk goal add "X" metric=sqls target=8 period=2025',
        '@carol /smk goal add "X" metric=sqls target=8 colour=red',
        '@carol /smk goal add "X" metric=sqls metric=won target=8',
        "@carol /smk goal add More SQLs metric=sqls target=8 period=2026",
        "@carol /smk goal add metric=sqls target=8 period=2026 x",
        "@carol /smk goal remove G-9",
        "@carol /smk goal remove L-1",
        "/smk goal remove G-1",
        "/smk goal list",
    ])
    assert out == [
        "> only managers can set goals",
        "> metric must be one of: mqls sqls won revenue handoffs conversion",
        "> target must be a whole number above 0, such as 50, 1,200 or 50k, not '-8'",
        "> target must be a whole number above 0, such as 50, 1,200 or 50k, not 'lots'",
        "> period must be a year, a quarter or a month: 2026, 2026-Q1 or 2026-11, not '2026-Q5'",
        "> period 2025 is over; set a goal for now or later",
        "> unknown field 'colour'; a goal has metric=, target=, period= and team=",
        "> metric is given twice",
        # five words: read as fields, the second one says what is wrong
        "> 'SQLs' is not key=value; quote a title with spaces: \"More SQLs\"",
        "> the goal's title comes first: /smk goal add \"More SQLs\" metric=sqls target=50"
        " period=2026-Q4",
        "> no goal G-9; see /smk goal list",
        "> no goal L-1; see /smk goal list",
        "> only managers can remove goals",
        "> no goals yet; add one with /smk goal add \"<title>\" metric=sqls target=50"
        " period=2026-Q4",
    ]
    assert events(bot, "goal_add") == []


def test_content_add(bot):
    out = bot.lines([
        '/smk content add "Pricing guide" url=https://example.com/pricing campaign=Q4',
        '@carol /smk content add "Case study" url=https://example.com/case',
        '@bob /smk content add "Mine" url=https://example.com',
        '/smk content add "FTP" url=ftp://example.com/file',
        '/smk content add "No host" url=https://',
        '/smk content add "No link" campaign=Q4',
        '/smk content add "Typo" link=https://example.com',
        "/smk content add",
        "/smk digest",
    ])
    assert out[:8] == [
        '> content logged: C-1 "Pricing guide" https://example.com/pricing (campaign Q4);'
        " sales will see it in the digest",
        '> content logged: C-2 "Case study" https://example.com/case; sales will see it in the digest',
        "> only marketing or managers can add content",
        "> url must be a web address starting with http:// or https://, not 'ftp://example.com/file'",
        "> url must be a web address starting with http:// or https://, not 'https://'",
        "> content needs its link: url=https://...",
        "> unknown field 'link'; content has url=, campaign= and date=",
        '> usage: /smk content add "<title>" url=<url> [campaign=] [date=2026-12-10]',
    ]
    i = out.index("> Content published by marketing")
    assert out[i + 1:i + 3] == ['>   "Pricing guide" https://example.com/pricing (campaign Q4)',
                                '>   "Case study" https://example.com/case']
    assert [e["data"]["url"] for e in events(bot, "content_add")] == [
        "https://example.com/pricing", "https://example.com/case"]


def test_alignment(bot):
    out = bot.lines(["/smk alignment"])
    assert out == [
        "> Alignment: completely misaligned (1 of 6 criteria met)",
        "> ✗ a shared goal for the current period: no goal covers today; add one with /smk goal add",
        "> ✗ a recurring meeting of both teams at least every 6 weeks: no recurring meeting;"
        " add one with /smk meeting add",
        "> ✓ the glossary defines MQL and SQL: both defined (/smk glossary MQL)",
        "> ✗ feedback flowed both ways in the last 14 days: 0 lead-quality ratings by sales,"
        " 0 follow-up ratings by marketing",
        "> ✗ the response SLA was met for at least 80% of leads in the last 30 days:"
        " no handoffs answered or due: nothing shows the SLA works",
        # day one: no rejection yet shows whether they carry reasons
        "> ? rejections carry reasons and marketing handles recycled leads: not yet known:"
        " no rejection in the last 30 days to show it, and no recycled lead waiting over 14 days",
    ]
    seed(bot)
    out = bot.lines(['@carol /smk goal add "More SQLs" metric=sqls target=8 period=2026-11',
                     "@carol /smk glossary remove SQL", "/smk alignment"])
    assert out[2] == "> Alignment: somewhat misaligned (2 of 6 criteria met)"
    assert out[3] == "> ✓ a shared goal for the current period: G-1 More SQLs (2026-11)"
    assert out[5] == ("> ✗ the glossary defines MQL and SQL: not defined: SQL;"
                      " define with /smk glossary set")
    assert out[6] == ("> ✗ feedback flowed both ways in the last 14 days: 1 lead-quality"
                      " rating by sales, 0 follow-up ratings by marketing")
    assert out[7] == ("> ✗ the response SLA was met for at least 80% of leads in the last"
                      " 30 days: 1 of 3 within target (33%), counting 1 unanswered past its"
                      " deadline (as /smk sla shows for the last 30 days)")


DIGEST = [
    "Weekly digest, 2026-11-16 to 2026-11-23",
    "",
    "Leads (vs the 7 days before)",
    "  new MQLs         4 (before: 1, +3)",
    "  handed off       3 (before: 0, +3)",
    "  accepted         1 (before: 0, +1)",
    "  rejected         1 (before: 0, +1), by reason: budget 1",
    "  re-handed off    0 (before: 0, no change)",
    "  won              1 (before: 0, +1)",
    "  lost             0 (before: 0, no change)",
    "New MQLs by source",
    "  webinar      ████████████████ 2",
    "  ads          ████████ 1",
    "  (no source)  ████████ 1",
    "",
    "Funnel of this month's leads",
    "  ads: 2 MQL → 1 handed off (50%) → 0 SQL (0%) → 0 won (-); leaks most at handed off → SQL",
    "  webinar: 2 MQL → 2 handed off (100%) → 1 SQL (50%) → 1 won (100%);"
    " leaks most at handed off → SQL",
    "  (no source): 1 MQL → 0 handed off (0%) → 0 SQL (-) → 0 won (-);"
    " leaks most at MQL → handed off",
    "",
    "Closed loop: revenue won 12,500 (before: 0, +12,500)",
    "  webinar: 1 deal won, 12,500",
    "",
    "SLA",
    "  response median 3h 30m, 90th percentile 5h 30m (target 4h)",
    "  1 of 3 within target (33%), counting 1 unanswered past its deadline",
    "  breaches: 2 (1 answered late, 1 not answered yet)",
    "  MQLs this month: 5 of 200 (2%); 149 expected by now at an even pace, 144 behind",
    "",
    "Lead quality (average feedback by source, 1-5)",
    "  webinar  █████ 5.0 (1 rating)",
    "  newest comments:",
    '  "great fit" (bob on L-1, 5/5)',
    "",
    "Follow-up quality by rep (from marketing, 1-5) and SLA record",
    "  @bob  no follow-up rating; SLA: 1 of 1 answer within target, 1 lead waiting past its deadline",
    "  @dave  no follow-up rating; SLA: 0 of 1 answer within target",
    "",
    "Recycled leads due for another look (until= of reject and lost)",
    "  none",
    "",
    "Content published by marketing",
    "  none this week",
    "",
    "Content planned for the next two weeks",
    "  none planned",
    "",
    "Content sales rated most useful",
    "  no ratings yet (/smk content rate)",
    "",
    "Goals",
    "  none for the current period (/smk goal add)",
    "",
    "Meetings in the coming week",
    "  none",
    "",
    "Wins to celebrate",
    "  L-1 Ana Souza (ACME), 12,500, won by bob",
    "",
    "Alignment: somewhat misaligned (2 of 6 criteria met; /smk alignment shows why)",
]


def test_digest_preview_and_post(bot):
    seed(bot)
    out = bot.lines(["/smk digest", "/smk digest preview"])
    assert out == ["> " + line if line else "> " for line in DIGEST] * 2
    out = bot.lines(["@bob /smk digest post", "/smk digest now", "@carol /smk digest post"])
    assert out[0] == "> only managers can post the digest"
    assert out[1] == "> usage: /smk digest [preview|post]"
    assert out[2] == "> digest posted to #smarketing"
    assert out[3:] == ["[#smarketing] " + line for line in DIGEST]
    posted = events(bot, "digest_posted")
    assert len(posted) == 1 and posted[0]["actor"] == "carol"
    assert posted[0]["data"]["channel"] == "smarketing"
    # the post went through the outbox once: a restart does not repeat it
    assert not any(line.startswith("[#smarketing]") for line in bot.lines(["!now"]))


def test_digest_week_over_week_falls(bot):
    """A week later the same events are the comparison: arrows turn down."""
    seed(bot)
    out = bot.lines(["/smk digest"], now="2026-11-30T09:00")
    assert ">   new MQLs         0 (before: 4, -4)" in out
    assert ">   won              0 (before: 1, -1)" in out
    assert "> Closed loop: revenue won 0 (before: 12,500, -12,500)" in out


def test_sla_set_days_are_business_days(bot):
    """'response=2d' means two business days (18h of 09:00-18:00), the way a
    sales team says it, not 48 business hours; it reads back as 2d."""
    out = bot.lines(["@carol /smk sla set response=2d", "/smk sla"])
    assert out[1] == ">   response: 4h -> 2d of business hours"
    assert any("answer within 2d" in line for line in out)

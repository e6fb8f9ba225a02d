# SPDX-License-Identifier: MIT
"""What the alignment guides ask for (issue 11), driven through the console:
the funnel, feedback both ways, losses, qualification at the handoff,
recycled leads, content, campaigns and personas."""
import json

from conftest import Bot


def replies(out):
    return [line[2:] for line in out if line.startswith("> ")]


def events(bot, kind):
    rows = [json.loads(line) for line in bot.export("events").splitlines()]
    return [r for r in rows if r["kind"] == kind]


def pipeline(bot):
    """Three webinar leads and one from ads: one won, one rejected, one lost."""
    return bot.lines([
        '/smk lead add "Ana" source=webinar',
        '/smk lead add "Bia" source=webinar',
        '/smk lead add "Cid" source=webinar',
        '/smk lead add "Dan" source=ads',
        "/smk handoff L-1 @bob",
        "/smk handoff L-2 @bob",
        "/smk handoff L-3 @dave",
        "@bob /smk accept L-1",
        "@bob /smk reject L-2 timing",
        "@dave /smk accept L-3",
        "@bob /smk won L-1 10k",
        "@dave /smk lost L-3 competitor went with a cheaper tool",
    ])


def test_funnel_by_source_with_the_period_before(bot):
    pipeline(bot)
    out = replies(bot.lines(["@zed /smk funnel", "/smk funnel source=webinar"]))
    assert out[:9] == [
        "Funnel of the leads created in 2026-11, as far as they got (before: 2026-10)",
        "All sources",
        "  MQL            4 (before: 0)",
        "  handed off     3, 75% of MQL (before: 0, -)",
        "  SQL            2, 66% of handed off (before: 0, -)",
        "  won            1, 50% of SQL (before: 0, -)",
        "  lost           1 (before: 0)",
        "  recycled       1 (before: 0)",
        "  leaks most at SQL → won (50%)",
    ]
    assert "ads" in out and "  leaks most at MQL → handed off (0%)" in out
    assert "Lost in 2026-11 by reason: competitor: webinar 1" in out
    webinar = out[out.index("Funnel of the leads created in 2026-11, as far as they got"
                            " (before: 2026-10)", 1):]
    assert webinar[1] == "webinar" and "ads" not in webinar
    # a month later the November cohort is the comparison
    out = replies(bot.lines(['/smk lead add "Eva" source=webinar', "/smk funnel 2026-12",
                             "/smk funnel 2026-Q4 source=WEBINAR"], now="2026-12-02T10:00"))
    assert "  MQL            1 (before: 4)" in out
    assert "  handed off     0, 0% of MQL (before: 3, 75%)" in out
    assert "  MQL            4 (before: 0)" in out     # Q4 webinar: 3 + Eva, Q3 none


def test_funnel_refusals(bot):
    out = replies(bot.lines([
        "/smk funnel 2026-13", "/smk funnel soon", "/smk funnel channel=ads",
        "/smk funnel source=ads source=web", "/smk funnel by=team",
        "/smk funnel source=ads persona=CFO", "/smk funnel 2026 2025",
        "/smk funnel 2026-11",
    ]))
    assert out == [
        "period must be a year, a quarter or a month: 2026, 2026-Q4 or 2026-11, not '2026-13'",
        "period must be a year, a quarter or a month: 2026, 2026-Q4 or 2026-11, not 'soon'",
        "unknown field 'channel'; funnel takes source=, persona= and by=source|persona",
        "source is given twice",
        "by must be source or persona, not 'team'",
        "name a source or a persona, not both",
        "'2025' is not key=value; the period comes first: /smk funnel 2026-Q4 source=webinar",
        "Funnel of the leads created in 2026-11, as far as they got (before: 2026-10)",
        "no leads in either period",
    ]


def test_followup_feedback_both_ways(bot):
    pipeline(bot)
    out = bot.lines([
        "/smk followup L-1 good called the same morning",
        "/smk followup L-1 5",
        "/smk followup L-4 4",
        "/smk followup L-1 great",
        "/smk followup L-99 4",
        "@bob /smk followup L-1 5",
        "@carol /smk followup L-3 bad",
        "@bob /smk feedback L-1 5 ready to buy",
        "/smk lead show L-1",
        "/smk alignment",
        "/smk digest",
    ])
    assert out[:8] == [
        "> follow-up of L-1 by @bob rated 4/5; the rep is told, and the digest shows it",
        "[@bob] @alice rated your follow-up of L-1 Ana 4/5: called the same morning",
        "> follow-up of L-1 by @bob rated 5/5 (replaces your 4/5)",
        "[@bob] @alice rated your follow-up of L-1 Ana 5/5",
        "> L-4 is mql and was never handed off; rate the follow-up of a lead sales received",
        "> rating must be 1 to 5, good or bad",
        "> no lead L-99",
        "> only marketing or managers can rate follow-ups",
    ]
    assert out[8:10] == [
        "> follow-up of L-3 by @dave rated 2/5; the rep is told, and the digest shows it",
        "[@dave] @carol rated your follow-up of L-3 Cid 2/5",
    ]
    assert any("@alice rated @bob's follow-up 4/5: called the same morning" in line
               for line in out)
    assert ("> ✓ feedback flowed both ways in the last 14 days: 1 lead-quality rating by sales,"
            " 2 follow-up ratings by marketing") in out
    heading = out.index("> Follow-up quality by rep (from marketing, 1-5) and SLA record")
    assert out[heading + 1:heading + 3] == [
        ">   @bob  █████ 5.0 (1 rating); SLA: 2 of 2 answers within target",
        ">   @dave  ██ 2.0 (1 rating); SLA: 1 of 1 answer within target",
    ]
    # lead quality from sales sits just above: both directions side by side
    assert out[heading - 5:heading - 3] == ["> Lead quality (average feedback by source, 1-5)",
                                          ">   webinar  █████ 5.0 (1 rating)"]
    rows = [e for e in events(bot, "followup")]
    assert [(e["actor"], e["data"]["rep"], e["data"]["rating"]) for e in rows] == [
        ("alice", "bob", 4), ("alice", "bob", 5), ("carol", "dave", 2)]


def test_lost_reaches_marketing_with_reason_and_source(bot):
    out = pipeline(bot)
    assert out[-3:] == [
        "> L-3 closed as lost (competitor)",
        "[#marketing] L-3 Cid was lost: @dave closed it as lost (competitor); source: webinar",
        "[#marketing] note: went with a cheaper tool",
    ]
    out = bot.lines(['/smk lead add "Eli" source=ads', "/smk handoff L-5 @bob",
                     "@bob /smk accept L-5", "@carol /smk lost L-5 budget", "/smk digest"])
    assert "[#marketing] L-5 Eli was lost: @carol closed it as lost (budget); source: ads" in out
    assert ">   lost             2 (before: 0, +2), by reason: budget: ads 1; competitor: webinar 1" in out
    out = replies(bot.lines(["/smk funnel"]))
    assert "Lost in 2026-11 by reason: budget: ads 1; competitor: webinar 1" in out


SPEC = """
handoff_min_score = 50
handoff_requires = email company budget
"""


def test_handoff_refused_below_the_lead_specification(tmp_path):
    # BASE_CONFIG ends in [sla]: the keys land there
    bot = Bot(tmp_path, extra=SPEC)
    out = bot.lines([
        '/smk lead add "Ana" source=webinar score=40 need="replace the CRM" bant=bt',
        "/smk handoff L-1",
        "/smk handoff L-1 @bob --force",
        "@carol /smk handoff L-1 --force @dave call today",
        "/smk lead show L-1",
    ])
    assert out[:4] == [
        "> L-1 created: Ana (mql). Hand it to sales with /smk handoff L-1",
        "> L-1 does not meet the lead specification of the SLA: missing score 40 < 50, email,"
        " company. Complete it with /smk lead edit L-1, or a manager can hand it off anyway"
        " with --force",
        "> only managers can force a handoff of a lead below the lead specification"
        " (missing score 40 < 50, email, company)",
        "> L-1 handed off to @dave; answer due by 2026-11-23 13:00",
    ]
    assert out[4] == ("> forced below the lead specification (missing score 40 < 50, email,"
                      " company); the timeline records it")
    # the rep sees why it qualified
    assert "[@dave] qualified: budget: yes, authority: ?, need: ?, timing: yes (2 of 4 known)" \
        in out
    assert "[@dave] handoff note: call today" in out
    assert ">   2026-11-23 09:00 @carol handed off to @dave, due 2026-11-23 13:00, forced below" \
           " the lead specification (missing score 40 < 50, email, company): call today" in out
    handoff = events(bot, "handoff")[0]
    assert handoff["data"]["forced"] == "score 40 < 50, email, company"
    # complete, and it goes through without --force
    out = bot.lines([
        '/smk lead add "Bia" email=bia@x.com company=X score=70',
        "/smk handoff L-2",
        '/smk lead edit L-2 budget="50k approved" authority=CFO need=yes timing=Q1',
        "/smk handoff L-2",
        "/smk lead show L-2",
        "/smk lead edit L-2 bant=maybe",
        '/smk lead edit L-2 bant=-',
        "/smk lead show L-2",
    ])
    assert out[1] == ("> L-2 does not meet the lead specification of the SLA: missing budget."
                      " Complete it with /smk lead edit L-2, or a manager can hand it off anyway"
                      " with --force")
    assert out[3].startswith("> L-2 handed off to @bob")
    assert ("> qualified: budget: 50k approved, authority: CFO, need: yes, timing: Q1"
            " (4 of 4 known)") in out
    assert ("> bant= takes the letters of what is confirmed, e.g. bant=bnt (budget, need,"
            " timing), or bant=- for none; not 'maybe'") in out
    assert not any(line.startswith("> qualified:") for line in out[out.index("> L-2 updated", 5):])


def test_handoff_spec_config_is_checked(tmp_path):
    bot = Bot(tmp_path, extra="handoff_requires = email phone\n")
    out = bot.run("", check=False)
    assert "handoff_requires names 'phone'" in bot.stderr
    assert out == ""


def test_recycled_until_a_date_reminds_marketing(bot):
    pipeline(bot)
    out = bot.lines([
        '/smk lead add "Eli" source=ads', "/smk handoff L-5 @bob",
        "@bob /smk reject L-5 timing until=2026-12-01 call back after the budget round",
        "@bob /smk reject L-4 timing until=2026-12-01",
        '/smk lead add "Fay"', "/smk handoff L-6 @dave",
        "@dave /smk reject L-6 timing until=2026-11-23",
        "@dave /smk reject L-6 timing until=someday",
        "@dave /smk reject L-6 timing call later until=2026-12-01",
        "@dave /smk reject L-6 timing until=2036-12-01",
        "@dave /smk accept L-6", "@dave /smk lost L-6 budget until=2026-12-03",
        "/smk lead add \"Gil\"", "/smk handoff L-7 @bob",
        "@bob /smk reject L-7 need until=2026-12-02", "/smk handoff L-7 @dave",
    ])
    assert "> L-5 rejected (timing); it is back with marketing as recycled, to re-qualify" \
           " from 2026-12-01" in out
    assert "[#marketing] to re-qualify from 2026-12-01: marketing is reminded that day" in out
    assert "[#marketing] note: call back after the budget round" in out
    assert "> L-4 is mql; only handed_off leads can be rejected" in out
    assert "> until must be a date after today (2026-11-23), not 2026-11-23" in out
    assert "> until takes a date such as 2027-02-01, not 'someday'" in out
    assert ("> until= comes right after the reason: /smk reject L-3 timing until=2027-02-01"
            " [note]") in out
    assert "> until is at most 5 years ahead, not 2036-12-01" in out
    assert ("> L-6 closed as lost (budget); marketing is reminded to look at it again on"
            " 2026-12-03") in out
    assert [e["data"].get("until") for e in events(bot, "rejected")] == [
        None, "2026-12-01", "2026-12-02"]
    assert replies(bot.lines(["/smk help reject"]))[0] == \
        "/smk reject <lead> <reason> [until=2027-02-01] [note]"
    # the day comes: one reminder per lead, at the opening of business
    # hours; L-7, handed off again since, needs none
    out = bot.lines(["!advance 9d", "/smk digest"], now="2026-11-23T18:00")
    reminders = [line for line in out if line.startswith("[#marketing] Time to")]
    assert reminders == [
        "[#marketing] Time to re-qualify L-5 Eli: @bob rejected it (timing) on 2026-11-23,"
        " to be looked at again from 2026-12-01. When it qualifies again, hand it off with"
        " /smk handoff L-5",
    ]
    heading = out.index("> Recycled leads due for another look (until= of reject and lost)")
    assert out[heading + 1:heading + 3] == [
        ">   L-5 Eli, rejected (timing) by @bob, to re-qualify from 2026-12-01", "> "]
    # the bot was down on the 3rd at 09:00: the reminder comes when it starts
    out = bot.lines(["/smk handoff L-5 @dave", "/smk digest"], now="2026-12-03T10:00")
    assert [line for line in out if line.startswith("[#marketing] Time to")] == [
        "[#marketing] Time to look again at L-6 Fay: @dave closed it as lost (budget) on"
        " 2026-11-23, to be looked at again from 2026-12-03. If the deal is alive again, a"
        " manager can reopen it with /smk reopen L-6",
    ]
    # handed off again, L-5 leaves the list; the reminders never repeat
    heading = out.index("> Recycled leads due for another look (until= of reject and lost)")
    assert out[heading + 1:heading + 3] == [
        ">   L-6 Fay, lost (budget) by @dave, to look at again from 2026-12-03", "> "]
    out = bot.lines(["!advance 1d"], now="2026-12-03T11:00")
    assert not any(line.startswith("[#marketing] Time to") for line in out)


def test_personas_named_by_leads_split_the_funnel_and_are_reviewed(tmp_path):
    bot = Bot(tmp_path, extra="\n[schedule]\npersona_review_months = 1\n")
    out = replies(bot.lines([
        "/smk persona list",
        "/smk persona add CFO the finance head of a mid-size firm",
        '/smk persona add "IT lead" "runs the systems, signs off tools"',
        "/smk persona add cfo again", "/smk persona add P-3 x", "/smk persona add CFO",
        "@bob /smk persona add CEO runs it all",
        '/smk lead add "Ana" persona=cfo source=webinar', '/smk lead add "Bia" persona=CEO',
        '/smk lead add "Cid" persona="it lead"', "/smk handoff L-2 @bob",
        '/smk persona edit CFO name="Finance head"', "/smk persona edit P-2 runs IT",
        "/smk persona edit P-9 x", "/smk persona edit P-2 name=IT name=x",
        "/smk lead show L-1", "/smk persona list", "/smk persona reviewed",
        "/smk funnel by=persona",
    ]))
    assert out[:10] == [
        'no buyer personas yet; add one with /smk persona add "<name>" "<description>"',
        "P-1 added: CFO. Leads name it with persona=CFO",
        'P-2 added: IT lead. Leads name it with persona="IT lead"',
        'persona CFO exists already (P-1); change it with /smk persona edit CFO "<description>"',
        "'P-3' cannot be a persona's name (no =, no comma, not like P-2); quote a name with"
        ' spaces: "IT lead"',
        'usage: /smk persona add "<name>" "<description>"',
        "only marketing or managers can define personas",
        "L-1 created: Ana (mql). Hand it to sales with /smk handoff L-1",
        "no persona 'CEO'; the personas are: CFO, IT lead (/smk persona list)",
        "L-2 created: Cid (mql). Hand it to sales with /smk handoff L-2",
    ]
    assert "P-1 renamed: CFO -> Finance head; its leads follow" in out
    assert "P-2 IT lead: description changed" in out
    assert "no persona 'P-9'; see /smk persona list" in out
    assert 'rename alone: /smk persona edit IT lead name="<new name>"' in out
    assert "persona: Finance head" in out          # L-1 followed the rename
    i = out.index("Buyer personas:")
    assert out[i:i + 5] == [
        "Buyer personas:",
        "P-1 Finance head: the finance head of a mid-size firm (1 lead)",
        "P-2 IT lead: runs IT (1 lead)",
        "not reviewed with both teams yet",
        "next review due 2026-12-23 (record one with /smk persona reviewed)",
    ]
    assert "only managers can record persona reviews" in out
    i = out.index("All personas")
    assert out[i + 1] == "  MQL            2 (before: 0)"
    assert out[i + 8:i + 11] == ["Finance head", "  MQL            1 (before: 0)",
                                 "  handed off     0, 0% of MQL (before: 0, -)"]
    assert out[i + 16:i + 18] == ["IT lead", "  MQL            1 (before: 0)"]
    # a month on (a workday), the managers are reminded once, by DM
    out = bot.lines(["!advance 31d"], now="2026-11-23T18:00")
    reminders = [line for line in out if "Time to review the buyer personas" in line]
    assert reminders == [
        "[@carol] Time to review the buyer personas with both teams (not reviewed since they"
        " were added): Finance head, IT lead. Go through them with sales and marketing,"
        " change them with /smk persona edit, then record it with /smk persona reviewed"]
    out = replies(bot.lines(["@carol /smk persona reviewed with both teams",
                             "/smk persona remove P-2", "/smk persona list"],
                            now="2026-12-24T10:00"))
    assert out == [
        "review of 2 personas recorded (Finance head, IT lead)",
        "the managers are reminded of the next one on 2027-01-25",
        "P-2 IT lead removed; 1 lead still names it (the funnel shows it as it was)",
        "Buyer personas:",
        "P-1 Finance head: the finance head of a mid-size firm (1 lead)",
        "last reviewed with both teams on 2026-12-24",
        "next review due 2027-01-25 (record one with /smk persona reviewed)",
    ]
    reviewed = events(bot, "persona_reviewed")
    assert [(e["actor"], e["data"]["note"]) for e in reviewed] == [("carol", "with both teams")]


def test_richer_goals_relative_team_pace_and_celebration(bot):
    out = bot.lines([
        '/smk lead add "A1"', '/smk lead add "A2"', "/smk handoff L-1 @bob",
        "/smk handoff L-2 @dave",
    ], now="2026-10-05T09:00")
    out = replies(bot.lines([
        '@carol /smk goal add "Handoffs" metric=handoffs target=+50% period=2026-11'
        ' team=marketing',
        '@carol /smk goal add "Convert" metric=conversion target=40% period=2026-11 team=Sales',
        '@carol /smk goal add "SQLs" metric=sqls target=20 period=2026-11',
        '@carol /smk goal add "x" metric=sqls target=+0% period=2026-11',
        '@carol /smk goal add "x" metric=conversion target=200% period=2026-11',
        '@carol /smk goal add "x" metric=sqls target=2 period=2026-11 team=ops',
        '@carol /smk goal add "x" metric=leads target=2 period=2026-11',
        "/smk goal list",
    ], now="2026-11-02T09:00"))
    assert out == [
        "G-1 added: Handoffs (handoffs, target +50% over the period before, 2026-11, team"
        " marketing). Follow it with /smk goal list",
        "G-2 added: Convert (conversion, target 40%, 2026-11, team sales). Follow it with"
        " /smk goal list",
        "G-3 added: SQLs (sqls, target 20, 2026-11). Follow it with /smk goal list",
        "a relative target is growth over the period before, from +1% to +1000%, such as"
        " target=+10%, not '+0%'",
        "a conversion target is a percent from 1 to 100, such as target=25%, not '200%'",
        "team must be marketing, sales or both, not 'ops'",
        "metric must be one of: mqls sqls won revenue handoffs conversion",
        # October had 2 handoffs: +50% is 3
        "G-1 Handoffs (marketing): 0 of 3 handoffs in 2026-11 (0%) [+50% over 2026-10's 2];"
        " 3 to go by 2026-11-30: 0.8 per week",
        "G-2 Convert (sales): 0% of 40% MQL→SQL conversion in 2026-11 (0%); 40 points to go"
        " by 2026-11-30",
        "G-3 SQLs: 0 of 20 SQLs in 2026-11 (0%); 20 to go by 2026-11-30: 4.9 per week",
    ]
    # three weeks of nothing: the digest flags the goals behind their pace
    out = bot.lines([
        '/smk lead add "B1"', '/smk lead add "B2"', "/smk handoff L-3 @bob",
        "/smk handoff L-4 @bob", "@bob /smk accept L-3", "/smk digest",
    ], now="2026-11-23T09:00")
    goals = out[out.index("> Goals") + 1:out.index("> Goals") + 4]
    # G-1: 2 by now where an even pace asks 2.2, and none the weeks before
    assert goals[0].startswith(">   G-1 Handoffs (marketing): 2 of 3 handoffs")
    assert goals[0].endswith("; ⚠ behind its pace for two weeks")
    assert goals[1].startswith(">   G-2 Convert (sales): 50% of 40%")
    assert not goals[1].endswith("two weeks")   # reached now: no trend to flag
    assert goals[2].endswith("; ⚠ behind its pace for two weeks")
    # reached once: the digest channel celebrates it, and never again
    assert out.count("[#smarketing] 🎯 Goal reached: G-2 Convert, 50% of 40% MQL→SQL"
                     " conversion in 2026-11. Well done, both teams!") == 1
    out = bot.lines(['/smk lead add "B3"', "/smk handoff L-5 @bob", "/smk handoff L-2 @bob"],
                    now="2026-11-24T09:00")
    assert [line for line in out if "Goal reached" in line] == [
        "[#smarketing] 🎯 Goal reached: G-1 Handoffs, 3 of 3 handoffs in 2026-11. Well done,"
        " both teams!"]
    out = bot.lines(['/smk lead add "B4"', "/smk handoff L-6 @bob", "@bob /smk accept L-4"],
                    now="2026-11-25T09:00")
    assert not any("Goal reached" in line for line in out)
    assert [e["data"]["goal"] for e in events(bot, "goal_reached")] == [2, 1]


def test_content_calendar_ratings_and_digest(bot):
    out = replies(bot.lines([
        '/smk content add "Pricing guide" url=https://example.com/pricing campaign=Q4',
        '/smk content add "Webinar recap" url=https://example.com/recap date=2026-11-30'
        ' campaign=q4',
        '/smk content add "Old" url=https://example.com/old date=2026-11-23',
        '/smk content add "Later" url=https://example.com/later date=2027-01-15',
        "@bob /smk content rate C-1 5 closed a deal with it",
        "@dave /smk content rate C-1 good", "@bob /smk content rate C-1 4",
        "@bob /smk content rate C-9 4", "@bob /smk content rate C-2 great",
        "/smk content rate C-1 5",
        "/smk content list", "/smk content list planned", "/smk content list campaign=Q4",
        "/smk content list soon", "@bob /smk content remove C-3", "/smk content remove C-3",
        "/smk content list planned",
    ]))
    assert out[:10] == [
        'content logged: C-1 "Pricing guide" https://example.com/pricing (campaign Q4);'
        " sales will see it in the digest",
        'content planned: C-2 "Webinar recap" https://example.com/recap (campaign q4) for'
        " 2026-11-30; it is on the content calendar (/smk content list planned)",
        "date= is the day planned content comes out, after today (2026-11-23), such as"
        " date=2026-12-10; without it the content is published now",
        'content planned: C-3 "Later" https://example.com/later for 2027-01-15; it is on the'
        " content calendar (/smk content list planned)",
        'C-1 "Pricing guide" rated 5/5; the digest shows what sales found most useful',
        'C-1 "Pricing guide" rated 4/5; the digest shows what sales found most useful',
        'C-1 "Pricing guide" rated 4/5; the digest shows what sales found most useful',
        "no content C-9; see /smk content list",
        "rating must be 1 to 5, good or bad",
        "only sales or managers can rate content",
    ]
    # bob's latest (4) and dave's 4: 4.0 by 2
    assert out[10:13] == [
        'C-3 "Later" https://example.com/later, planned for 2027-01-15',
        'C-2 "Webinar recap" https://example.com/recap, planned for 2026-11-30 (campaign q4)',
        'C-1 "Pricing guide" https://example.com/pricing, published 2026-11-23 (campaign Q4),'
        " rated 4.0 by 2 in sales",
    ]
    assert out[13:15] == out[10:12]
    assert out[15:17] == [out[11], out[12]]        # campaign in any case
    assert out[17:] == [
        "usage: /smk content list [campaign=] [planned]",
        "only marketing or managers can remove content",
        'C-3 "Later" removed', out[11],
    ]
    out = replies(bot.lines(["/smk digest"], now="2026-11-24T09:00"))
    i = out.index("Content planned for the next two weeks")
    assert out[i + 1] == "  " + out_line("C-2", "planned for 2026-11-30 (campaign q4)")
    i = out.index("Content sales rated most useful")
    assert out[i + 1].startswith('  C-1 "Pricing guide"') and "rated 4.0 by 2" in out[i + 1]
    # the day comes: it counts as published that week
    out = replies(bot.lines(["/smk digest"], now="2026-12-01T09:00"))
    i = out.index("Content published by marketing")
    assert out[i + 1] == '  "Webinar recap" https://example.com/recap (campaign q4)'


def out_line(ref, when):
    return f'{ref} "Webinar recap" https://example.com/recap, {when}'


def test_campaigns_work_the_target_back_through_the_funnel(bot):
    bot.lines([
        '/smk lead add "A1" source=webinar', '/smk lead add "A2" source=webinar',
        '/smk lead add "A3" source=webinar', '/smk lead add "A4" source=ads',
        "/smk handoff L-1 @bob", "/smk handoff L-2 @bob", "@bob /smk accept L-1",
        "@bob /smk accept L-2", "@bob /smk won L-1 10k",
    ], now="2026-10-05T09:00")
    out = replies(bot.lines([
        '/smk campaign add "Q4 push" target=10 period=2026-11 source=webinar',
        '@carol /smk campaign add "Revenue" revenue=50k period=2026-11',
        '/smk campaign add "x" target=10 revenue=5 period=2026-11',
        '/smk campaign add "x" target=lots period=2026-11',
        '/smk campaign add "x" target=4 period=2025',
        '/smk campaign add "q4 push" target=4 period=2026-11',
        '@bob /smk campaign add "y" target=4 period=2026-11',
        '/smk campaign add "x" goal=4 period=2026-11',
        "@zed /smk campaign list", "/smk campaign list x",
    ], now="2026-10-30T09:00"))
    assert out[:8] == [
        "K-1 added: Q4 push, 10 customers in 2026-11. /smk campaign list works it back into"
        " MQLs and SQLs",
        "K-2 added: Revenue, 50,000 in 2026-11. /smk campaign list works it back into MQLs"
        " and SQLs",
        "a campaign needs period= and one target: target=<customers> or revenue=<amount>",
        "target is a number of customers from 1 to 1000000, not 'lots'; a revenue target is"
        " revenue=50k",
        "period 2025 is over; plan a campaign for now or later",
        "a campaign 'q4 push' exists already; see /smk campaign list",
        "only marketing or managers can plan campaigns",
        "unknown field 'goal'; a campaign has target= (customers) or revenue=, period= and"
        " source=",
    ]
    # October's webinar cohort: 3 MQL -> 2 SQL -> 1 won; all sources: 4 -> 2 -> 1,
    # one deal of 10,000
    assert out[8:12] == [
        "K-1 Q4 push (source webinar): 0 of 10 customers in 2026-11 (0%); so far MQLs 0,"
        " SQLs 0, won 0",
        "  at 2026-10's rates that takes 20 SQLs from sales and 30 MQLs from marketing",
        "K-2 Revenue: 0 of 50,000 revenue in 2026-11 (0%); so far MQLs 0, SQLs 0, won 0",
        "  needs 5 customers at 2026-10's average deal of 10,000; at 2026-10's rates that"
        " takes 10 SQLs from sales and 20 MQLs from marketing",
    ]
    assert out[12] == "usage: /smk campaign list [all]"
    out = replies(bot.lines(['/smk lead add "B1" source=Webinar', "/smk campaign list"],
                            now="2026-11-03T09:00"))
    assert out[1].startswith("K-1 Q4 push (source webinar): 0 of 10 customers in 2026-11"
                             " (0%); so far MQLs 1")
    assert replies(bot.lines(["/smk campaign list"], now="2026-12-03T09:00")) == [
        'no open campaigns; add one with /smk campaign add "<name>" target=<customers>'
        " period=<2027-Q1>"]
    assert len(replies(bot.lines(["/smk campaign list all"], now="2026-12-03T09:00"))) == 4
    assert [e["data"]["kind"] for e in events(bot, "campaign_add")] == ["customers", "revenue"]

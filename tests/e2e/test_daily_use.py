# SPDX-License-Identifier: MIT
"""Daily use as a hurried team works (issue 12): capitalised commands and
codes, reasons shown up front, one duration format, paging and search,
names, the export a spreadsheet reads, and the operator's first hour."""
import json

from conftest import Bot, run_smarkbot


def replies(out):
    return [line[2:] for line in out if line.startswith("> ")]


def rows(bot, what):
    return [json.loads(line) for line in bot.export(what).splitlines()]


# --- 5: commands, reason codes, stages and sources ignore case ---------------

def test_commands_codes_stages_and_sources_ignore_case(bot):
    out = replies(bot.lines([
        '/smk Lead Add "Jane Doe" source=webinar',
        '/smk lead add "Joe Bloggs" source=Webinar',
        "/smk HANDOFF L-1",
        "Smk Leads Mine",
        "@bob /smk Reject L-1 Budget",
        "/smk leads stage=RECYCLED",
        "/smk leads source=WEBINAR",
        "/smk Help Reject",
    ]))
    assert out[0].startswith("L-1 created: Jane Doe")
    assert out[2].startswith("L-1 handed off to @bob")
    assert out[3].startswith("L-2 Joe Bloggs [mql], source: webinar")
    assert "L-1 rejected (budget)" in out[5]
    assert out[6] == "L-1 Jane Doe [recycled] @bob, source: webinar"
    assert out[7:9] == ["L-2 Joe Bloggs [mql], source: webinar",
                        "L-1 Jane Doe [recycled] @bob, source: webinar"]
    assert out[9] == "/smk reject <lead> <reason> [note]"
    leads = {r["id"]: r for r in rows(bot, "leads")}
    # the code as configured, and one spelling of the source for the reports
    assert leads["L-1"]["reason"] == "budget"
    assert leads["L-2"]["source"] == "webinar"
    (ev,) = [e for e in rows(bot, "events") if e["kind"] == "rejected"]
    assert ev["data"]["reason"] == "budget"


def test_lost_reason_ignores_case_and_wrong_one_is_refused(bot):
    out = replies(bot.lines([
        '/smk lead add "Jane Doe"', "/smk handoff L-1", "@bob /smk accept L-1",
        "@bob /smk lost L-1 Nonsense", "@bob /smk LOST L-1 COMPETITOR went with Y",
    ]))
    assert out[-2].startswith("reason must be one of: budget authority")
    assert out[-1] == "L-1 closed as lost (competitor)"


# --- 6: the reasons, shown before a wrong one -------------------------------

CODES = "budget authority need timing contact duplicate competitor other"


def test_help_reject_help_lost_and_reasons_show_the_codes(tmp_path):
    out = replies(Bot(tmp_path).lines(["/smk help reject", "/smk help lost", "/smk reasons",
                                       "/smk help"]))
    assert out[:4] == ["/smk reject <lead> <reason> [note]",
                       "  send a handed-off lead back to marketing with a reason",
                       "  for: sales or managers", "  reasons: " + CODES]
    assert out[4:8] == ["/smk lost <lead> <reason> [note]", "  close an SQL as lost",
                        "  for: sales or managers", "  reasons: " + CODES]
    assert out[8] == "Reasons for /smk reject and /smk lost (any case):"
    assert out[9:17] == ["  " + c for c in CODES.split()]
    assert out[17] == "e.g. /smk reject L-3 budget no budget until Q3"
    assert any(line.split()[:1] == ["reasons"] for line in out[18:])


def test_reasons_follow_the_config(tmp_path):
    b = Bot(tmp_path, extra="reasons = price fit\n")
    out = replies(b.lines(["/smk help reject", "/smk reasons"]))
    assert out[3] == "  reasons: price fit"
    assert out[5:7] == ["  price", "  fit"]


# --- 7: one format for business time -----------------------------------------

def test_business_durations_read_the_same_everywhere(bot):
    """22 business hours are 2d 4h (days of 09:00-18:00) in the sla set
    confirmation, the reminders, lead show, the agenda, sla and the digest."""
    out = bot.lines([
        "@carol /smk sla set response=22h",
        '@carol /smk meeting add "Sync" every=weekly:thu at=14:00 remind=30m',
        '/smk lead add "Jane Doe"', "/smk handoff L-1", "/smk lead show L-1",
        "!advance 1d2h",          # Tuesday 11:00: half of the window
        "!advance 2d4h",          # Thursday 15:00: the agenda went out at 13:30
        "/smk lead show L-1", "/smk sla", "/smk digest preview",
    ])
    assert ">   response: 4h -> 2d 4h of business hours" in out
    assert "> SLA: due in 2d 4h (deadline 2026-11-25 13:00)" in out
    assert any(line.startswith("[@bob] Reminder: L-1 Jane Doe") and
               "half of the 2d 4h response time" in line for line in out)
    assert any(line.startswith("[@bob] SLA breach") and "within 2d 4h" in line for line in out)
    # Thursday 13:30 is 1d 0h 30m past Wednesday 13:00
    assert "[#smarketing]   L-1 Jane Doe, @bob, 1d 30m over" in out
    assert "[#smarketing] Sales this month: no handoffs answered (response target 2d 4h)" in out
    assert "> SLA: overdue by 1d 2h (deadline 2026-11-25 13:00)" in out
    assert ">   L-1 Jane Doe, bob, 1d 2h over" in out
    assert any(line.startswith("> Targets: answer within 2d 4h of business hours") for line in out)
    assert ">   no handoffs answered (response target 2d 4h)" in out


def test_short_durations_have_hours_and_minutes_spaced(bot):
    out = bot.lines(['/smk lead add "Jane Doe"', "/smk handoff L-1", "!advance 1h20m",
                     "@bob /smk accept L-1", "/smk lead show L-1"])
    assert "> L-1 is now an SQL (answered in 1h 20m of business hours, SLA met); marketing was told" in out
    assert any(line.endswith("@bob accepted in 1h 20m, SLA met") for line in out)

# SPDX-License-Identifier: MIT
"""Daily use as a hurried team works (issue 12): capitalised commands and
codes, reasons shown up front, one duration format, paging and search,
names, the export a spreadsheet reads, and the operator's first hour."""
import json

from conftest import ROOT, Bot, run_smarkbot


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
    assert out[9] == "/smk reject <lead> <reason> [until=2027-02-01] [note]"
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
    assert out[:4] == ["/smk reject <lead> <reason> [until=2027-02-01] [note]",
                       "  send a handed-off lead back to marketing with a reason; until= reminds"
                       " marketing to re-qualify it on that date",
                       "  for: sales or managers", "  reasons: " + CODES]
    assert out[4:8] == ["/smk lost <lead> <reason> [until=2027-02-01] [note]",
                        "  close an SQL as lost; until= reminds marketing to look at it again on"
                        " that date",
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
    assert ("[#smarketing] Sales this month: no handoffs answered (response target 2d 4h);"
            " 0 of 1 within target (0%), counting 1 unanswered past its deadline") in out
    assert "> SLA: overdue by 1d 2h (deadline 2026-11-25 13:00)" in out
    assert ">   L-1 Jane Doe, bob, 1d 2h over" in out
    assert any(line.startswith("> Targets: answer within 2d 4h of business hours") for line in out)
    assert ">   no handoffs answered (response target 2d 4h)" in out


def test_short_durations_have_hours_and_minutes_spaced(bot):
    out = bot.lines(['/smk lead add "Jane Doe"', "/smk handoff L-1", "!advance 1h20m",
                     "@bob /smk accept L-1", "/smk lead show L-1"])
    assert "> L-1 is now an SQL (answered in 1h 20m of business hours, SLA met); marketing was told" in out
    assert any(line.endswith("@bob accepted in 1h 20m, SLA met") for line in out)


# --- 8: leads pages and searches ---------------------------------------------

def add_many(n):
    lines = []
    for i in range(1, n + 1):
        if i % 3 == 0:
            lines.append(f'/smk lead add "Person {i}" company="Acme Corp" email=p{i}@acme.com')
        else:
            lines.append(f'/smk lead add "Person {i}" company=Other source="trade show"')
    return lines


def test_leads_pages_with_page_and_more(bot):
    out = replies(bot.lines(add_many(45) + [
        "/smk leads", "/smk more", "/smk more", "/smk more", "/smk leads page=2",
        "/smk leads page=0", "/smk leads page=x"]))[45:]
    assert out[0] == "L-45 Person 45, Acme Corp [mql]"
    assert out[19] == "L-26 Person 26, Other [mql], source: trade show"
    assert out[20] == "... 25 more: /smk leads page=2 (or /smk more)"
    assert out[21] == "L-25 Person 25, Other [mql], source: trade show"
    assert out[40] == "L-6 Person 6, Acme Corp [mql]"
    assert out[41] == "... 5 more: /smk leads page=3 (or /smk more)"
    assert out[42:47] == ["L-5 Person 5, Other [mql], source: trade show",
                          "L-4 Person 4, Other [mql], source: trade show",
                          "L-3 Person 3, Acme Corp [mql]",
                          "L-2 Person 2, Other [mql], source: trade show",
                          "L-1 Person 1, Other [mql], source: trade show"]
    assert out[47] == "no page 4; the last is page 3 (45 leads match)"
    assert out[48:69] == out[21:42]          # page=2 is what more showed second
    assert out[69:] == ["page must be a whole number from 1, e.g. page=2"] * 2


def test_leads_search_by_name_company_or_email_with_filters(bot):
    out = replies(bot.lines(add_many(45) + [
        "/smk handoff L-3",
        "/smk leads q=ACME",
        "/smk more",
        "/smk leads q=p33@acme",
        '/smk leads q="person 4"',
        "/smk leads q=acme stage=handed_off",
        '/smk leads source="Trade Show" q=person page=2',
        "/smk more",
        "/smk leads q=nobody",
    ]))[46:]
    handed = "L-3 Person 3, Acme Corp [handed_off] @bob, due in 4h"
    acme = [f"L-{n} Person {n}, Acme Corp [mql]" for n in range(45, 5, -3)] + [handed]
    assert out[:15] == acme                  # one page: no hint
    assert out[15] == "no page 2; the last is page 1 (15 leads match)"
    assert out[16] == "L-33 Person 33, Acme Corp [mql]"
    assert out[17:24] == [f"L-{n} Person {n}" + (", Acme Corp [mql]" if n % 3 == 0 else
                                                 ", Other [mql], source: trade show")
                          for n in (45, 44, 43, 42, 41, 40, 4)]
    assert out[24] == handed
    # page 2 of the 30 trade-show leads, then more: past the end
    assert out[25:35] == [f"L-{n} Person {n}, Other [mql], source: trade show"
                          for n in (14, 13, 11, 10, 8, 7, 5, 4, 2, 1)]
    assert out[35] == "no page 3; the last is page 2 (30 leads match)"
    assert out[36:] == ["no leads match"]


def test_more_without_a_listing_and_per_speaker(bot):
    out = replies(bot.lines(add_many(25) + ["/smk more", "/smk leads", "@bob /smk more",
                                            "/smk more"]))[25:]
    assert out[0] == "nothing to go on from; list leads first with /smk leads"
    assert out[21] == "... 5 more: /smk leads page=2 (or /smk more)"
    assert out[22] == "nothing to go on from; list leads first with /smk leads"
    assert out[23:] == [f"L-{n} Person {n}" + (", Acme Corp [mql]" if n % 3 == 0 else
                                               ", Other [mql], source: trade show")
                        for n in (5, 4, 3, 2, 1)]


# --- 13: a rejected lead is back with marketing -----------------------------

def test_leads_mine_leaves_out_what_the_rep_rejected(bot):
    out = replies(bot.lines([
        '/smk lead add "Jane Doe"', '/smk lead add "Joe Bloggs"',
        "/smk handoff L-1 @bob", "/smk handoff L-2 @bob",
        "@bob /smk reject L-1 budget",
        "@bob /smk leads mine open", "@bob /smk leads mine",
        "/smk leads mine open",
        "/smk handoff L-1 @bob", "@bob /smk leads mine open",
    ]))
    assert out[5:7] == ["L-2 Joe Bloggs [handed_off] @bob, due in 4h"] * 2
    # marketing, who added both, still has both
    assert out[7:9] == ["L-2 Joe Bloggs [handed_off] @bob, due in 4h",
                        "L-1 Jane Doe [recycled] @bob"]
    # handed to bob again: his again
    assert out[10:] == ["L-2 Joe Bloggs [handed_off] @bob, due in 4h",
                        "L-1 Jane Doe [handed_off] @bob, due in 4h"]


# --- 10: names count characters, are trimmed, never blank --------------------

def test_names_count_characters_and_are_trimmed(bot):
    out = replies(bot.lines([
        '/smk lead add "' + "Ł" * 200 + '"',
        '/smk lead add "' + "Ł" * 201 + '"',
        '/smk lead add "   "',
        '/smk lead add ""',
        '/smk lead add "  João Ćwikła  " company="  ACME  " source=" webinar "',
        '/smk lead add "Big Co" company="' + "Ż" * 201 + '"',
        '/smk lead add "Big Co" company="' + "Ż" * 200 + '"',
        '/smk lead edit L-2 name="  "',
        '/smk lead edit L-2 name="' + "ą" * 201 + '"',
        '/smk lead edit L-2 name="  Jo Ćwikła " company="   "',
        '@bob /smk lead add "x"',
    ]))
    assert out[0].startswith("L-1 created: " + "Ł" * 200 + " (mql)")
    assert out[1] == "a name has 1 to 200 characters"
    assert out[2:4] == ['a name cannot be blank; e.g. /smk lead add "Jane Doe"'] * 2
    assert out[4].startswith("L-2 created: João Ćwikła, ACME (mql)")
    assert out[5] == "company is too long (at most 200 characters)"
    assert out[6].startswith("L-3 created: Big Co, " + "Ż" * 200 + " (mql)")
    assert out[7] == 'a name cannot be blank; e.g. /smk lead add "Jane Doe"'
    assert out[8] == "a name has 1 to 200 characters"
    assert out[9] == "L-2 updated"
    leads = {r["id"]: r for r in rows(bot, "leads")}
    assert sorted(leads) == ["L-1", "L-2", "L-3"]     # nothing refused was kept
    assert leads["L-2"]["name"] == "Jo Ćwikła"
    assert leads["L-2"]["company"] is None             # only spaces: cleared
    assert leads["L-2"]["source"] == "webinar"


# --- 11: the lead-quality chart is aligned like the MQL chart ----------------

def test_lead_quality_chart_is_aligned(bot):
    out = bot.lines([
        '/smk lead add "A" source=webinar', '/smk lead add "B" source="trade show Łódź"',
        '/smk lead add "C"',
        "/smk handoff L-1 @bob", "/smk handoff L-2 @bob", "/smk handoff L-3 @bob",
        "@bob /smk accept L-1", "@bob /smk accept L-2", "@bob /smk accept L-3",
        "@bob /smk feedback L-1 5", "@bob /smk feedback L-2 2", "@bob /smk feedback L-3 3",
        "/smk digest preview",
    ])
    i = out.index("> New MQLs by source")
    assert out[i + 1:i + 4] == [">   trade show Łódź  ████████████████ 1",
                                ">   webinar          ████████████████ 1",
                                ">   (no source)      ████████████████ 1"]
    i = out.index("> Lead quality (average feedback by source, 1-5)")
    assert out[i + 1:i + 4] == [">   webinar          █████ 5.0 (1 rating)",
                                ">   (no source)      ███   3.0 (1 rating)",
                                ">   trade show Łódź  ██    2.0 (1 rating)"]


# --- 12: the export ----------------------------------------------------------

CLOSE_LOOP = [
    '/smk lead add "João Ćwikła" company=ACME email=j@acme.com source=webinar note="from the form"',
    "/smk handoff L-1",
    '@bob /smk reject L-1 budget "no money now"',
    "/smk handoff L-1 @bob",
    "@bob /smk accept L-1 looks good",
    "@bob /smk won L-1 1234.56 signed after demo",
    '/smk lead add "Bea Lima" company=X',
    "/smk handoff L-2 @dave",
    "@dave /smk accept L-2",
    '@dave /smk lost L-2 competitor "went with Y"',
    '/smk lead add "Cid Moura"',
    "/smk handoff L-3 @bob",
    "@bob /smk reject L-3 timing",
]


def export_raw(bot, *args):
    proc = run_smarkbot(["export"] + list(args) + ["-c", str(bot.config)], bot.path)
    return proc


def test_export_current_reason_close_notes_and_one_amount_unit(bot):
    bot.run(CLOSE_LOOP)
    leads = {r["id"]: r for r in rows(bot, "leads")}
    # accepted after a rejection: the old reason is no longer current
    assert leads["L-1"]["reason"] is None
    assert leads["L-2"]["reason"] == "competitor"
    assert leads["L-3"]["reason"] == "timing"
    assert [leads[r]["close_note"] for r in ("L-1", "L-2", "L-3")] == [
        "signed after demo", "went with Y", None]
    assert leads["L-1"]["note"] == "from the form"
    # units everywhere: the lead's amount, the won event's, CSV and JSONL
    assert leads["L-1"]["amount"] == 1234.56
    (won,) = [e for e in rows(bot, "events") if e["kind"] == "won"]
    assert won["data"] == {"amount": 1234.56, "note": "signed after demo"}
    csv_text = bot.export("leads", fmt="csv")
    header, l1 = csv_text.splitlines()[:2]
    cols = header.split(",")
    assert cols[-4:] == ["amount", "reason", "note", "close_note"]
    assert l1.split(",")[cols.index("amount")] == "1234.56"
    assert l1.endswith(",1234.56,,from the form,signed after demo")
    events_csv = bot.export("events", fmt="csv")
    assert '""amount"":1234.56' in events_csv
    # the rejection stays in the events, with its reason
    assert [e["data"]["reason"] for e in rows(bot, "events") if e["kind"] == "rejected"] == [
        "budget", "timing"]


def test_export_csv_with_a_byte_order_mark_for_excel(bot):
    bot.run(CLOSE_LOOP[:1])
    proc = export_raw(bot, "leads", "--format", "csv", "--bom")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(b"\xef\xbb\xbfid,stage,name,")
    assert "João Ćwikła".encode() in proc.stdout
    plain = export_raw(bot, "leads", "--format", "csv")
    assert plain.stdout.startswith(b"id,stage,")
    refused = export_raw(bot, "leads", "--format", "jsonl", "--bom")
    assert refused.returncode != 0 and refused.stdout == b""
    assert b"--bom is for --format csv" in refused.stderr
    help_text = run_smarkbot(["--help"], bot.path).stdout.decode()
    assert "--bom" in help_text


# --- 15: the operator's first hour -------------------------------------------

def test_export_without_config_or_database_says_so(tmp_path):
    proc = run_smarkbot(["export", "leads"], cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == b""
    assert "no config file" in proc.stderr.decode()
    ini = tmp_path / "team.ini"
    ini.write_text("[bot]\ndatabase = missing.db\n[roles]\nsales = bob\n")
    proc = run_smarkbot(["export", "leads", "-c", str(ini)], cwd=tmp_path)
    assert proc.returncode != 0 and proc.stdout == b""
    assert f"database '{tmp_path}/missing.db' does not exist" in proc.stderr.decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["team.ini"]   # nothing created


def test_check_config_needs_a_file_and_a_sales_rep(tmp_path):
    proc = run_smarkbot(["--check-config"], cwd=tmp_path)
    assert proc.returncode == 2
    assert "no config file: give one with -c FILE" in proc.stderr.decode()
    ini = tmp_path / "team.ini"
    ini.write_text("[bot]\nplatform = console\n[roles]\nmarketing = alice\nsales =\n")
    proc = run_smarkbot(["--check-config", "-c", str(ini)], cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.decode().splitlines() == [
        f"smarkbot: {ini}:5: [roles] sales names no one; handoffs need at least one"
        " sales rep, e.g. sales = bob, dave"]


def test_check_config_reports_every_error_in_line_order(tmp_path):
    ini = tmp_path / "team.ini"
    ini.write_text("[bot]\nplatform = irc\nlog_level = loud\n[nope]\nx = 1\n[sla]\n"
                   "hours\nresponse = 5x\n[roles]\nsales = bob\n[schedule]\ndigest = someday\n")
    proc = run_smarkbot(["--check-config", "-c", str(ini)], cwd=tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.decode().splitlines()
    assert [line.split(":")[2] for line in lines] == ["2", "3", "5", "7", "8", "12"]
    assert "platform must be console, slack or mattermost" in lines[0]
    assert "log_level must be" in lines[1]
    assert "unknown section [nope]" in lines[2]
    assert "syntax error" in lines[3]
    assert "response must be a duration" in lines[4]
    assert "digest must be a day and a time" in lines[5]


def test_a_bad_now_is_refused_in_every_mode(bot):
    for args in (["--check-config"], ["export", "leads"], ["--console"]):
        cmd = args[:1] + args[1:] + ["-c", str(bot.config), "--now", "yesterday"]
        proc = run_smarkbot(cmd, cwd=bot.path, stdin=b"!now\n")
        assert proc.returncode == 2, (args, proc.stderr)
        assert proc.stdout == b""
        assert "--now: bad time 'yesterday'" in proc.stderr.decode()


# --- 16: the README stands on its own ----------------------------------------

def readme_session():
    """The console session of the README: what is typed, and what it shows
    (a line ending in '...' is a prefix, a line of '...' skips lines)."""
    text = (ROOT / "README.md").read_text()
    start = text.index("```text\n/smk lead add")
    block = text[start + len("```text\n"):text.index("```", start + 8)]
    typed, shown = [], []
    for line in block.splitlines():
        if line.startswith(("> ", "[#", "[@")):
            shown.append(line)
        elif line != "...":
            typed.append(line)
    return typed, shown


def shows_in_order(out, shown):
    i = 0
    for want in shown:
        while i < len(out) and not (out[i].startswith(want[:-3]) if want.endswith("...")
                                    else out[i] == want):
            i += 1
        assert i < len(out), f"'{want}' not in order in {out}"
        i += 1


def test_readme_session_works_on_the_demo_config_again_after_a_reset(tmp_path):
    (tmp_path / "demo").mkdir()
    config = tmp_path / "config.demo.ini"
    config.write_text((ROOT / "config.demo.ini").read_text())
    typed, shown = readme_session()
    assert len(typed) == 5 and len(shown) >= 6
    for _ in range(2):
        proc = run_smarkbot(["-c", str(config), "--console", "--as", "alice"], cwd=tmp_path,
                            stdin=("\n".join(typed) + "\n").encode())
        assert proc.returncode == 0, proc.stderr
        shows_in_order(proc.stdout.decode().splitlines(), shown)
        # what make demo-reset removes, before the second run
        for name in ("smarkbot.db", "smarkbot.db-wal", "smarkbot.db-shm"):
            (tmp_path / "demo" / name).unlink(missing_ok=True)


def test_readme_links_the_reference_in_the_repository():
    text = (ROOT / "README.md").read_text()
    assert "[docs/commands.md](docs/commands.md)" in text
    assert "[docs/config.md](docs/config.md)" in text
    assert "../shared" not in text
    makefile = (ROOT / "Makefile").read_text()
    assert "\ndemo-reset:" in makefile
    docs = (ROOT / "docs" / "config.md").read_text()
    for key in ("platform", "database", "response", "reasons", "handoff_requires",
                "feedback_nudge", "app_token"):
        assert f"| `{key}` |" in docs, key

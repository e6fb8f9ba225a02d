# SPDX-License-Identifier: MIT
"""Closing the loop without losing the amount (issue 12, items 1 and 9): an
amount-like word that does not parse is refused, never kept as a note; the
currency of [bot] currency is accepted and shown; `lead edit amount=`
corrects a won deal; a manager's `reopen` undoes a close, and the reports
follow."""
import json

from conftest import Bot

USAGE = "> usage: /smk won <lead> [amount] [note]"


def rows(bot, what):
    return [json.loads(line) for line in bot.export(what).splitlines()]


def lead(bot, ref):
    return next(r for r in rows(bot, "leads") if r["id"] == ref)


def events(bot, kind):
    return [e for e in rows(bot, "events") if e["kind"] == kind]


def sql_leads(bot, n):
    script = []
    for i in range(1, n + 1):
        script += [f'/smk lead add "Lead {i}" source=webinar', f"/smk handoff L-{i} @bob",
                   f"@bob accept L-{i}"]
    bot.lines(script)


def with_currency(tmp_path, sign):
    return Bot(tmp_path, extra=f"\n[bot]\ncurrency = {sign}\n")


def test_amount_like_words_are_refused_with_the_usage_not_kept_as_notes(bot):
    sql_leads(bot, 1)
    before = bot.export("events")
    out = bot.lines([
        "@bob won L-1 $5,000",
        "@bob won L-1 €5000",
        "@bob won L-1 -500",
        "@bob won L-1 USD 5000",
        "@bob won L-1 5,000USD",
        "@bob won L-1 12x",
    ])
    no_sign = ("no currency is set ([bot] currency), so write the amount without a sign,"
               " like 12000, 12,000.50 or 12k")
    assert out == [
        f"> '$5,000': {no_sign}", USAGE,
        f"> '€5000': {no_sign}", USAGE,
        "> '-500' is not an amount: an amount is more than zero", USAGE,
        f"> 'USD 5000': {no_sign}", USAGE,
        f"> '5,000USD': {no_sign}", USAGE,
        "> '12x' is not an amount; write it like 12000, 12,000.50 or 12k", USAGE,
    ]
    assert bot.export("events") == before and lead(bot, "L-1")["stage"] == "sql"
    # a note that only looks like prose is still a note
    out = bot.lines(["@bob won L-1 call5 on monday"])
    assert out[0] == "> L-1 closed as won"
    assert events(bot, "won")[0]["data"] == {"amount": None, "note": "call5 on monday"}


def test_the_configured_currency_is_accepted_and_shown(tmp_path):
    bot = with_currency(tmp_path, "$")
    sql_leads(bot, 3)
    out = bot.lines([
        "@bob won L-1 $5,000 signed today",
        "@bob won L-2 €5000",
        "@bob won L-2 $ 2.5k",
        "@bob won L-3 1200",
        "/smk lead show L-1",
    ])
    assert out[:2] == [
        "> L-1 closed as won ($5,000)",
        "[#smarketing] 🎉 Won by @bob: L-1 Lead 1 for $5,000 (source: webinar)."
        " Well done, sales and marketing!",
    ]
    assert out[2:4] == ["> '€5000': amounts here are in $ ([bot] currency); write it like"
                        " 12000, $12,000 or 12k", USAGE]
    assert out[4] == "> L-2 closed as won ($2,500)"
    assert out[6] == "> L-3 closed as won ($1,200)"
    assert "> amount: $5,000" in out
    assert any(line.endswith("@bob won $5,000: signed today") for line in out)
    assert [e["data"]["amount"] for e in events(bot, "won")] == [5000.0, 2500.0, 1200.0]
    digest = bot.lines(["/smk digest"])
    assert "> Closed loop: revenue won $8,700 (before: $0, +$8,700)" in digest
    assert ">   webinar: 3 deals won, $8,700" in digest
    assert ">   L-1 Lead 1, $5,000, won by bob" in digest


def test_a_currency_code_reads_in_any_case_before_or_after(tmp_path):
    bot = with_currency(tmp_path, "USD")
    sql_leads(bot, 3)
    out = bot.lines(["@bob won L-1 usd 5k", "@bob won L-2 5000 USD", "@bob won L-3 USD2,000.50"])
    assert [line for line in out if line.startswith(">")] == [
        "> L-1 closed as won (USD 5,000)",
        "> L-2 closed as won (USD 5,000)",
        "> L-3 closed as won (USD 2,000.50)",
    ]
    assert [e["data"] for e in events(bot, "won")] == [
        {"amount": 5000.0, "note": None}, {"amount": 5000.0, "note": None},
        {"amount": 2000.5, "note": None}]


def test_a_wrong_currency_setting_stops_the_bot_at_its_line(tmp_path):
    bot = Bot(tmp_path, extra="\n[bot]\ncurrency = 5 $\n")
    bot.run("", check=False)
    assert "currency must be a sign or code" in bot.stderr and ".ini:24: " in bot.stderr


def test_lead_edit_corrects_the_amount_and_the_reports_follow(bot):
    sql_leads(bot, 2)
    out = bot.lines([
        "@bob won L-1 5k",
        "/smk lead edit L-2 amount=3k",
        "@carol lead edit L-1 amount=-5",
        "@carol lead edit L-1 amount=$7k",
        "@carol lead edit L-1 amount=7,500",
        "/smk lead show L-1",
        "/smk digest",
    ])
    assert out[2:5] == [
        "> L-2 is sql; only a won lead has an amount (/smk won L-2 <amount>)",
        "> '-5' is not an amount: an amount is more than zero",
        "> '$7k': no currency is set ([bot] currency), so write the amount without a sign,"
        " like 12000, 12,000.50 or 12k",
    ]
    assert out[5] == "> L-1 updated"
    assert "> amount: 7,500" in out
    assert any(line.endswith("@carol edited amount=7,500") for line in out)
    assert "> Closed loop: revenue won 7,500 (before: 0, +7,500)" in out
    assert lead(bot, "L-1")["amount"] == 7500
    assert events(bot, "edited")[-1]["data"] == {"amount": 7500.0}


def test_reopen_undoes_a_close_and_the_stats_follow(bot):
    sql_leads(bot, 3)
    bot.lines(['@carol goal add "Revenue" metric=revenue target=50k period=2026-Q4',
               '@carol goal add "Wins" metric=won target=10 period=2026-Q4',
               "@bob won L-1 5k", "@bob won L-2 3k", "@bob lost L-3 budget"])
    out = bot.lines([
        "@bob reopen L-1",
        "@carol reopen L-1 the amount was a typo",
        "@carol reopen L-1",
        "@carol reopen L-3",
        "@carol reopen L-99",
        "@carol reopen",
    ])
    assert out == [
        "> only managers can reopen leads",
        "> L-1 reopened: back to sql (was won, 5,000); reports no longer count it as won",
        "[#smarketing] L-1 Lead 1 was reopened by @carol: it is an SQL again (was won, 5,000)",
        "[#smarketing] note: the amount was a typo",
        "> L-1 is sql; only won or lost leads can be reopened",
        "> L-3 reopened: back to sql (was lost, budget); reports no longer count it as lost",
        "[#marketing] L-3 Lead 3 was reopened by @carol: it is an SQL again (was lost, budget)",
        "> no lead L-99",
        "> usage: /smk reopen <lead> [note]",
    ]
    row = lead(bot, "L-1")
    assert row["stage"] == "sql" and row["amount"] is None and row["closed_at"] is None
    assert lead(bot, "L-3")["reason"] is None
    assert [e["data"] for e in events(bot, "reopened")] == [
        {"from": "won", "to": "sql", "amount": 5000.0, "note": "the amount was a typo"},
        {"from": "lost", "to": "sql", "reason": "budget", "note": None}]
    show = bot.lines(["/smk lead show L-1"])
    assert any(line.endswith("@carol reopened (was won 5,000), back to sql: the amount was a typo")
               for line in show)
    report = bot.lines(["/smk digest", "/smk goal list", "/smk funnel"])
    assert ">   won              1 (before: 0, +1)" in report
    assert ">   lost             0 (before: 0, no change)" in report
    assert "> Closed loop: revenue won 3,000 (before: 0, +3,000)" in report
    assert ">   L-1 Lead 1, 5,000, won by bob" not in report
    assert any(line.startswith("> G-1 Revenue: 3,000 of 50,000 revenue") for line in report)
    assert any(line.startswith("> G-2 Wins: 1 of 10 deals won") for line in report)
    assert ">   won            1, 33% of SQL (before: 0, -)" in report
    # closed again, it counts again, once
    out = bot.lines(["@bob won L-1 4k", "/smk digest"])
    assert ">   won              2 (before: 0, +2)" in out
    assert "> Closed loop: revenue won 7,000 (before: 0, +7,000)" in out


def test_goal_targets_read_like_amounts(bot):
    out = bot.lines([
        '@carol goal add "Revenue" metric=revenue target=50k period=2026-Q4',
        '@carol goal add "MQLs" metric=mqls target=1,200 period=2026-Q4',
        '@carol goal add "Half" metric=sqls target=2.5 period=2026-Q4',
        '@carol goal add "Sign" metric=revenue target=$5k period=2026-Q4',
        '@carol goal add "Neg" metric=won target=-3 period=2026-Q4',
        "/smk goal list",
    ])
    assert out[:5] == [
        "> G-1 added: Revenue (revenue, target 50,000, 2026-Q4). Follow it with /smk goal list",
        "> G-2 added: MQLs (mqls, target 1,200, 2026-Q4). Follow it with /smk goal list",
        "> target must be a whole number above 0, such as 50, 1,200 or 50k, not '2.5'",
        "> target must be a whole number above 0, such as 50, 1,200 or 50k, not '$5k'",
        "> target must be a whole number above 0, such as 50, 1,200 or 50k, not '-3'",
    ]
    assert out[5].startswith("> G-1 Revenue: 0 of 50,000 revenue in 2026-Q4")
    assert out[6].startswith("> G-2 MQLs: 0 of 1200 MQLs in 2026-Q4")


def test_goal_revenue_target_takes_the_currency(tmp_path):
    bot = with_currency(tmp_path, "€")
    out = bot.lines(['@carol goal add "Revenue" metric=revenue target=€12.5k period=2026-Q4',
                     "/smk goal list"])
    assert out[0] == ("> G-1 added: Revenue (revenue, target €12,500, 2026-Q4)."
                      " Follow it with /smk goal list")
    assert out[1].startswith("> G-1 Revenue: €0 of €12,500 revenue in 2026-Q4")

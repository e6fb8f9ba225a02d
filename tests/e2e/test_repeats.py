# SPDX-License-Identifier: MIT
"""Hurried hands (issue 12, item 14): skipping a meeting on a past date says
it is past; a second `digest post` within the hour asks for --again; on day
one, with no rejection yet, "rejections carry reasons" is not yet known."""
import json


def events(bot, kind):
    return [e for e in (json.loads(line) for line in bot.export("events").splitlines())
            if e["kind"] == kind]


def test_skipping_a_past_date_says_it_is_past(bot):
    out = bot.lines([
        '@carol meeting add "Pipeline" every=weekly:mon at=10:00',
        "@carol meeting skip M-1 2026-11-16",       # last Monday
        "@carol meeting skip M-1 2026-11-20",       # last Friday: no cadence either
        "@carol meeting skip M-1 2025-01-06",
        "@carol meeting skip M-1 2026-11-30",
    ])
    assert out[1:] == [
        "> 2026-11-16 is past (today is 2026-11-23); skip a coming occurrence of M-1,"
        " the next is Mon 2026-11-23 10:00",
        "> 2026-11-20 is past (today is 2026-11-23); skip a coming occurrence of M-1,"
        " the next is Mon 2026-11-23 10:00",
        "> 2025-01-06 is past (today is 2026-11-23); skip a coming occurrence of M-1,"
        " the next is Mon 2026-11-23 10:00",
        "> M-1 Pipeline is skipped on Mon 2026-11-30 10:00. Next: Mon 2026-11-23 10:00",
    ]
    assert [e["data"]["day"] for e in events(bot, "meeting_skip")] == ["2026-11-30"]
    # today's occurrence, once it started, is not past but started
    out = bot.lines(["@carol meeting skip M-1 2026-11-23"], now="2026-11-23T10:30")
    assert [line for line in out if line.startswith("> ")] == [
        "> M-1 on Mon 2026-11-23 10:00 has already started"]


def test_a_second_digest_post_within_the_hour_asks_for_again(bot):
    out = bot.lines(["@carol digest post", "!advance 20m", "@carol digest post",
                     "@carol digest post twice", "@carol digest post --again"])
    replies = [line for line in out if line.startswith("> ")]
    assert replies == [
        "> digest posted to #smarketing",
        "> @carol posted the digest 20m ago; to post it again, say /smk digest post --again",
        "> usage: /smk digest post [--again]",
        "> digest posted to #smarketing",
    ]
    assert len(events(bot, "digest_posted")) == 2
    # an hour after the last post, no question asked
    out = bot.lines(["@carol digest post"], now="2026-11-23T10:21")
    assert out[0] == "> digest posted to #smarketing"
    assert len(events(bot, "digest_posted")) == 3


def test_rejections_carry_reasons_is_not_yet_known_on_day_one(bot):
    out = bot.lines(["/smk alignment", "/smk digest"])
    assert ("> ? rejections carry reasons and marketing handles recycled leads: not yet known:"
            " no rejection in the last 30 days to show it, and no recycled lead waiting over"
            " 14 days") in out
    assert out[0] == "> Alignment: completely misaligned (1 of 8 criteria met)"
    assert out[-1] == ("> Alignment: completely misaligned (1 of 8 criteria met;"
                       " /smk alignment shows why)")
    # the first rejection, with its reason, settles it
    out = bot.lines(['/smk lead add "Jane"', "/smk handoff L-1 @bob", "@bob reject L-1 budget",
                     "/smk alignment"])
    assert out[-3] == ("> ✓ rejections carry reasons and marketing handles recycled leads:"
                       " 1 rejection in the last 30 days, with a reason; no recycled lead"
                       " waiting over 14 days")

# SPDX-License-Identifier: MIT
"""Outgoing posts on Slack: the durable outbox against errors, rate limits and
restarts (docs/slack.md section 4; issue point 4)."""
import json
import re
import time

import pytest

from fake_slack import buttons, now


def mentions(text, ref):
    return re.search(rf"\b{re.escape(ref)}\b", text) is not None


def text_of(m):
    return m["text"] + " " + json.dumps(m["blocks"], ensure_ascii=False)


def new_lead(fake, name):
    ack = fake.command(f'lead add "{name}" company=ACME')
    return re.search(r"L-\d+", fake.reply_text(ack)).group(0)


def cards(fake, ref, channel="D0BOB"):
    return [m for m in fake.posts_to(channel) if buttons(m) and mentions(text_of(m), ref)]


def dm_calls(fake, user="U0BOB"):
    """chat.postMessage calls aimed at user's DM (by D-channel or user id)."""
    return [c for c in fake.api_calls("chat.postMessage")
            if c.body.get("channel") in (fake.dm_channel(user), user)]


def start(sbot, fake, **kw):
    if kw:
        sbot.configure(**kw)
    sbot.start()
    return fake.wait_hello(1, timeout=15)


def test_ratelimit_retry_after_honoured_per_method(sbot, fake):
    start(sbot, fake, sales="")
    ref = new_lead(fake, "Limited")
    fake.script("chat.postMessage", {"status": 429, "retry_after": 2})
    fake.command(f"handoff {ref} <@U0BOB|bob>")
    first = fake.wait_for(lambda: dm_calls(fake), 10, "the first try")[0]
    assert first.status == 429
    # the event loop keeps running while chat.postMessage waits
    time.sleep(0.3)
    ack = fake.command("help")
    assert ack.latency < 1.0
    fake.wait_for(lambda: cards(fake, ref), 15, "the card after Retry-After")
    tries = dm_calls(fake)
    gap = tries[1].t - tries[0].t
    assert gap >= 1.95, f"retried after {gap:.2f}s, Retry-After was 2"
    time.sleep(1)
    assert len(cards(fake, ref)) == 1


def test_5xx_and_network_errors_are_retried_with_backoff(sbot, fake):
    start(sbot, fake, sales="")
    ref = new_lead(fake, "Flaky")
    fake.script("chat.postMessage", {"status": 500}, {"drop": True}, {"status": 503})
    t0 = now()
    fake.command(f"handoff {ref} <@U0BOB|bob>")
    fake.wait_for(lambda: cards(fake, ref), 45, "the card after 3 failures")
    tries = [c for c in dm_calls(fake) if c.t > t0]
    assert len(tries) == 4, tries
    gaps = [b.t - a.t for a, b in zip(tries, tries[1:])]
    assert min(gaps) > 0.1, f"no backoff: {gaps}"
    assert gaps[-1] >= gaps[0], f"backoff does not grow: {gaps}"
    time.sleep(1)
    assert len(cards(fake, ref)) == 1


def test_permanent_error_logged_once_and_not_retried(sbot, fake):
    # the sales channel does not exist: chat.postMessage says channel_not_found
    start(sbot, fake, sales="C0GONE")
    ref = new_lead(fake, "Nowhere")
    fake.command(f"handoff {ref} <@U0BOB|bob>")
    fake.wait_for(lambda: cards(fake, ref), 10, "the DM card still sent")
    fake.wait_for(lambda: [c for c in fake.api_calls("chat.postMessage")
                           if c.body.get("channel") == "C0GONE"], 10, "the post to C0GONE")
    time.sleep(6)
    gone = [c for c in fake.api_calls("chat.postMessage") if c.body.get("channel") == "C0GONE"]
    assert len(gone) <= 2, f"{len(gone)} tries of a permanent error"
    assert sbot.stderr.count("channel_not_found") == 1, sbot.stderr[-2000:]
    # the failed row does not block later posts
    ref2 = new_lead(fake, "After")
    fake.command(f"handoff {ref2} <@U0BOB|bob>")
    fake.wait_for(lambda: cards(fake, ref2), 10, "a later card")


def test_about_one_message_per_second_per_channel(sbot, fake):
    start(sbot, fake, sales="")
    refs = [new_lead(fake, f"Paced {i}") for i in range(4)]
    for r in refs:
        fake.command(f"handoff {r} <@U0BOB|bob>")
    fake.wait_for(lambda: all(cards(fake, r) for r in refs), 20, "four cards")
    ts = [m["posted_at"] for m in fake.posts_to("D0BOB")]
    gaps = [b - a for a, b in zip(ts, ts[1:])]
    assert min(gaps) >= 0.9, f"posts to one channel {gaps} s apart"


def test_posts_pending_at_a_crash_are_sent_after_restart(sbot, fake):
    start(sbot, fake, sales="")
    ref = new_lead(fake, "Pending")
    fake.outage("chat.postMessage", {"status": 503})
    fake.command(f"handoff {ref} <@U0BOB|bob>")
    fake.wait_for(lambda: dm_calls(fake), 10, "a try during the outage")
    sbot.kill9()
    fake.outage("chat.postMessage")
    assert not cards(fake, ref)
    sbot.start()
    fake.wait_hello(2, timeout=15)
    fake.wait_for(lambda: cards(fake, ref), 20, "the card after the restart")
    time.sleep(2)
    assert len(cards(fake, ref)) == 1


def test_refused_ephemeral_is_not_retried_forever(sbot, fake):
    """A mention's private reply uses chat.postEphemeral (or the DM); when
    Slack refuses it (user_not_in_channel), the bot does not retry forever."""
    start(sbot, fake)
    fake.script("chat.postEphemeral", {"error": "user_not_in_channel"})
    fake.wait_ack(fake.send(fake.app_mention("help", user="U0ALICE")), 3)
    time.sleep(4)
    assert len(fake.api_calls("chat.postEphemeral")) <= 2

# SPDX-License-Identifier: MIT
"""Outgoing posts on Slack: the durable outbox against errors, rate limits and
restarts (docs/slack.md section 4; issue point 4). A command in a DM is
answered with chat.postMessage in that DM, through the outbox; handoffs post
cards to the rep's DM and the sales channel."""
import json
import re
import time

from fake_slack import buttons, now


def mentions(text, ref):
    return re.search(rf"\b{re.escape(ref)}\b", text) is not None


def text_of(m):
    return m["text"] + " " + json.dumps(m["blocks"], ensure_ascii=False)


def dm_calls(fake, user="U0ALICE"):
    """chat.postMessage calls aimed at user's DM (by D-channel or user id)."""
    return [c for c in fake.api_calls("chat.postMessage")
            if c.body.get("channel") in (fake.dm_channel(user), user)]


def replies(fake, word, user="U0ALICE"):
    """Posts in user's DM that mention word."""
    return [m for m in fake.posts_to(fake.dm_channel(user)) if mentions(text_of(m), word)]


def dm_command(fake, text, user="U0ALICE"):
    return fake.wait_ack(fake.send(fake.dm(text, user=user)), 3)


def attempts(calls):
    """Calls minus libcurl's transparent retry of a reused connection that was
    dropped without an answer (it re-sends at once on a fresh one)."""
    out = []
    for c in calls:
        if out and out[-1].response == "dropped" and c.t - out[-1].t < 0.1:
            continue
        out.append(c)
    return out


def start(sbot, fake, **kw):
    if kw:
        sbot.configure(**kw)
    sbot.start()
    return fake.wait_hello(1, timeout=15)


def test_dm_reply_is_posted_in_the_dm(sbot, fake):
    start(sbot, fake)
    dm_command(fake, 'lead add "Posted"')
    fake.wait_for(lambda: replies(fake, "Posted"), 10, "the reply in D0ALICE")
    call = dm_calls(fake)[0]
    assert call.header("content-type").startswith("application/json")
    assert call.body["text"].strip()


def test_ratelimit_retry_after_honoured_per_method(sbot, fake):
    start(sbot, fake)
    fake.script("chat.postMessage", {"status": 429, "retry_after": 2})
    dm_command(fake, 'lead add "Limited"')
    first = fake.wait_for(lambda: dm_calls(fake), 10, "the first try")[0]
    assert first.status == 429
    # the event loop keeps running while chat.postMessage waits
    time.sleep(0.3)
    ack = fake.command("help")
    assert ack.latency < 1.0
    fake.wait_for(lambda: replies(fake, "Limited"), 15, "the reply after Retry-After")
    tries = dm_calls(fake)
    gap = tries[1].t - tries[0].t
    assert gap >= 1.95, f"retried after {gap:.2f}s, Retry-After was 2"
    time.sleep(1)
    assert len(replies(fake, "Limited")) == 1


def test_5xx_and_network_errors_are_retried_with_backoff(sbot, fake):
    start(sbot, fake)
    fake.script("chat.postMessage", {"status": 500}, {"status": 502}, {"drop": True},
                {"drop": True}, {"status": 503})
    t0 = now()
    dm_command(fake, 'lead add "Flaky"')
    fake.wait_for(lambda: replies(fake, "Flaky"), 60, "the reply after the failures")
    tries = attempts([c for c in dm_calls(fake) if c.t > t0])
    assert len(tries) >= 4, tries
    gaps = [b.t - a.t for a, b in zip(tries, tries[1:])]
    assert min(gaps) > 0.1, f"no backoff: {gaps}"
    assert gaps[-1] > gaps[0], f"backoff does not grow: {gaps}"
    time.sleep(1)
    assert len(replies(fake, "Flaky")) == 1


def test_permanent_error_logged_once_and_not_retried(sbot, fake):
    start(sbot, fake)
    fake.missing_channels.add("D0ERIN")         # erin's DM is gone: channel_not_found
    dm_command(fake, "help", user="U0ERIN")
    fake.wait_for(lambda: dm_calls(fake, "U0ERIN"), 10, "the post to D0ERIN")
    time.sleep(6)
    gone = dm_calls(fake, "U0ERIN")
    assert len(gone) <= 2, f"{len(gone)} tries of a permanent error"
    assert all(c.response == {"ok": False, "error": "channel_not_found"} for c in gone)
    assert sbot.stderr.count("channel_not_found") == 1, sbot.stderr[-2000:]
    # the failed row does not block later posts
    dm_command(fake, 'lead add "After"')
    fake.wait_for(lambda: replies(fake, "After"), 10, "a later reply")


def test_permanent_error_on_a_configured_channel(sbot, fake):
    # the sales channel does not exist: the handoff's post there fails for good
    start(sbot, fake, sales="C0GONE")
    ack = fake.command('lead add "Nowhere" company=ACME')
    ref = re.search(r"L-\d+", fake.reply_text(ack)).group(0)
    fake.command(f"handoff {ref} <@U0BOB|bob>")
    fake.wait_for(lambda: [m for m in fake.posts_to("D0BOB") if buttons(m)], 15,
                  "the DM card still sent")
    fake.wait_for(lambda: [c for c in fake.api_calls("chat.postMessage")
                           if c.body.get("channel") == "C0GONE"], 10, "the post to C0GONE")
    time.sleep(5)
    gone = [c for c in fake.api_calls("chat.postMessage") if c.body.get("channel") == "C0GONE"]
    assert len(gone) <= 2, f"{len(gone)} tries of a permanent error"
    assert sbot.stderr.count("channel_not_found") == 1, sbot.stderr[-2000:]


def test_about_one_message_per_second_per_channel(sbot, fake):
    start(sbot, fake)
    for i in range(4):
        fake.send(fake.dm(f'lead add "Paced{i}"', user="U0ALICE"))
    dm_command(fake, 'lead add "Other"', user="U0CAROL")
    fake.wait_for(lambda: all(replies(fake, f"Paced{i}") for i in range(4)), 20, "four replies")
    ts = [m["posted_at"] for m in fake.posts_to("D0ALICE")]
    gaps = [b - a for a, b in zip(ts, ts[1:])]
    assert min(gaps) >= 0.9, f"posts to one channel {gaps} s apart"
    # another channel is not held up behind alice's
    carol = replies(fake, "Other", user="U0CAROL")[0]
    assert carol["posted_at"] < ts[-1]


def test_posts_pending_at_a_crash_are_sent_after_restart(sbot, fake):
    start(sbot, fake)
    fake.outage("chat.postMessage", {"status": 503})
    dm_command(fake, 'lead add "Pending"')
    fake.wait_for(lambda: dm_calls(fake), 10, "a try during the outage")
    sbot.kill9()
    fake.outage("chat.postMessage")
    assert not replies(fake, "Pending")
    sbot.start()
    fake.wait_hello(2, timeout=15)
    fake.wait_for(lambda: replies(fake, "Pending"), 20, "the reply after the restart")
    time.sleep(2)
    assert len(replies(fake, "Pending")) == 1
    assert [x["name"] for x in sbot.export("leads")] == ["Pending"]


def test_refused_ephemeral_is_not_retried_forever(sbot, fake):
    """A mention's private reply uses chat.postEphemeral (or the DM); when
    Slack refuses it (user_not_in_channel), the bot does not retry forever."""
    start(sbot, fake)
    fake.script("chat.postEphemeral", {"error": "user_not_in_channel"})
    fake.wait_ack(fake.send(fake.app_mention("help", user="U0ALICE")), 3)
    time.sleep(4)
    assert len(fake.api_calls("chat.postEphemeral")) <= 2

# SPDX-License-Identifier: MIT
"""Slack envelopes in: slash commands, mentions, DMs; acks and redelivery
(docs/slack.md sections 2-3; issue points 1, 2, 5)."""
import re
import time

import pytest


@pytest.fixture
def conn(sbot, fake):
    sbot.start()
    return fake.wait_hello(1, timeout=15)


def names(sbot):
    return [lead["name"] for lead in sbot.export("leads")]


def test_slash_command_reply_in_the_ack(sbot, fake, conn):
    eid = fake.send(fake.slash('lead add "Jane Doe" company=ACME email=jane@acme.com'))
    ack = fake.wait_ack(eid, 3)
    # the effect is committed before the ack: visible the moment the ack arrives
    leads = sbot.export("leads")
    assert [(x["id"], x["name"], x["company"]) for x in leads] == [("L-1", "Jane Doe", "ACME")]
    assert ack.latency < 1.0, f"ack after {ack.latency:.2f}s"
    assert ack.conn_id == conn.id and ack.has_payload
    assert "L-1 created: Jane Doe, ACME" in fake.reply_text(ack)
    assert ack.payload.get("response_type", "ephemeral") == "ephemeral"
    assert len(fake.deliveries_of(eid)) == 1


def test_refusals_are_private_replies_in_the_ack(sbot, fake, conn):
    ack = fake.command('lead add "Someone"', user="U0BOB")
    assert "only marketing or managers can add leads" in fake.reply_text(ack)
    ack = fake.command("hnadoff L-3")
    assert "did you mean 'handoff'" in fake.reply_text(ack)
    ack = fake.command('lead add "unclosed')
    assert "unclosed quote" in fake.reply_text(ack)
    assert names(sbot) == []
    assert not fake.posts


def test_single_command_forms(sbot, fake, conn):
    ack = fake.command('add "Solo Lead" company=Solo', command="/lead")
    assert "L-1 created: Solo Lead" in fake.reply_text(ack)
    ack = fake.command("lead add", command="/help")
    assert "usage" in fake.reply_text(ack).lower() or "lead add" in fake.reply_text(ack)
    assert names(sbot) == ["Solo Lead"]


def test_feedback_single_command(sbot, fake, conn):
    ack = fake.command("L-99 good", user="U0BOB", command="/feedback")
    assert "no lead L-99" in fake.reply_text(ack)


def test_app_mention_is_a_command(sbot, fake, conn):
    env = fake.app_mention('lead add "Mention Lead" company=MCo', user="U0ALICE", channel="C0GEN")
    eid = fake.send(env)
    # Slack also sends the plain message.channels event for the same message
    twin = fake.channel_message(env["payload"]["event"]["text"], user="U0ALICE", channel="C0GEN",
                                ts=env["payload"]["event"]["ts"])
    twin_id = fake.send(twin)
    ack = fake.wait_ack(eid, 3)
    fake.wait_ack(twin_id, 3)
    assert ack.latency < 1.0
    fake.wait_for(lambda: any("L-1 created" in r for r in fake.private_replies("U0ALICE")), 10,
                  "the private reply to the mention")
    time.sleep(0.5)
    assert names(sbot) == ["Mention Lead"]
    # private: an ephemeral to alice in that channel, or her DM; never a channel post
    assert not [p for p in fake.posts if p["channel"].startswith("C")]


def test_dm_message_is_a_command(sbot, fake, conn):
    fake.wait_ack(fake.send(fake.dm('lead add "DM Lead"', user="U0ALICE")), 3)
    fake.wait_for(lambda: any("L-1 created" in r for r in fake.private_replies("U0ALICE")), 10,
                  "the reply in alice's DM")
    assert names(sbot) == ["DM Lead"]
    # "smk help" in a DM reads like "/smk help"
    fake.wait_ack(fake.send(fake.dm("help", user="U0ALICE")), 3)
    fake.wait_for(lambda: any("lead add" in r and "created" not in r
                              for r in fake.private_replies("U0ALICE")), 10, "help in the DM")


def test_own_and_edited_messages_are_ignored(sbot, fake, conn):
    mine = fake.dm('lead add "Echo"', user="U0ALICE", bot_message=True)
    edited = fake.dm('lead add "Edited"', user="U0ALICE")
    ev = edited["payload"]["event"]
    inner = {k: ev.pop(k) for k in ("client_msg_id", "text", "user")}
    ev.update(subtype="message_changed", hidden=True,
              message=dict(inner, type="message", ts="1610241741.000100",
                           edited={"user": "U0ALICE", "ts": ev["ts"]}),
              previous_message=dict(inner, type="message", text="help", ts="1610241741.000100"))
    for env in (mine, edited):
        fake.wait_ack(fake.send(env), 3)
    time.sleep(1.5)
    assert names(sbot) == []
    assert not fake.private_replies("U0ALICE")


def test_users_info_is_cached(sbot, fake, conn):
    for i in range(3):
        fake.wait_ack(fake.send(fake.app_mention(f'lead add "Cached {i}"', user="U0ALICE")), 3)
    fake.wait_for(lambda: len(names(sbot)) == 3, 10, "three leads")
    info = [c for c in fake.api_calls("users.info") if c.body.get("user") == "U0ALICE"]
    assert len(info) <= 1, f"users.info called {len(info)} times for one user"


def test_redelivered_event_has_no_second_effect(sbot, fake, conn):
    eid = fake.send(fake.app_mention('lead add "Only Once"', user="U0ALICE"))
    fake.wait_ack(eid, 3)
    # Slack thought the ack was late: a new envelope, same event_id, retry_attempt 1
    retry = fake.retry_event(eid, retry_attempt=1, retry_reason="timeout")
    fake.wait_ack(retry, 3)
    # and the same envelope_id again with retry_attempt 0 (bolt-js #2487)
    again = fake.redeliver(eid)
    fake.wait_for(lambda: all(d.ack for d in fake.deliveries_of(again)), 3, "ack of the repeat")
    time.sleep(1)
    assert names(sbot) == ["Only Once"]
    created = [r for r in fake.private_replies("U0ALICE") if "created" in r]
    assert len(created) == 1, created


def test_redelivered_slash_command_has_no_second_effect(sbot, fake, conn):
    eid = fake.send(fake.slash('lead add "Slash Once"'))
    fake.wait_ack(eid, 3)
    fake.redeliver(eid)
    fake.wait_for(lambda: all(d.ack for d in fake.deliveries_of(eid)), 3,
                  "the repeat acked too (or Slack keeps retrying)")
    time.sleep(0.5)
    assert names(sbot) == ["Slash Once"]


def test_burst_acked_well_inside_the_deadline(sbot, fake, conn):
    ids = [fake.send(fake.slash(f'lead add "Fast {i}"')) for i in range(30)]
    acks = [fake.wait_ack(e, 5) for e in ids]
    lat = sorted(a.latency for a in acks)
    assert lat[-1] < 2.0, f"slowest ack {lat[-1]:.2f}s"
    assert sorted(names(sbot)) == sorted(f"Fast {i}" for i in range(30))
    # no redelivery was needed
    assert len(fake.deliveries) == 30


def test_long_list_is_cut_and_fits(sbot, fake, conn):
    for i in range(25):
        fake.send(fake.slash(f'lead add "Many {i}"'))
    fake.wait_for(lambda: len(fake.acks) >= 25, 15, "25 acks")
    ack = fake.command("leads")
    text = fake.reply_text(ack)
    assert re.search(r"\.\.\. 5 more", text), text
    assert ack.size < 20 * 1024
    ack = fake.command("help")
    assert ack.size < 20 * 1024 and "lead add" in fake.reply_text(ack)


def test_slack_escaping_is_undone(sbot, fake, conn):
    # Slack sends & < > in typed text as &amp; &lt; &gt;
    ack = fake.command('lead add "R&amp;D &lt;Labs&gt;" company=A&amp;B')
    assert "created" in fake.reply_text(ack)
    lead = sbot.export("leads")[0]
    assert (lead["name"], lead["company"]) == ("R&D <Labs>", "A&B")


def test_slack_links_reach_commands_as_plain_urls(sbot, fake, conn):
    # Slack wraps links it detects: <https://x|label>; the adapter unwraps
    ack = fake.command('content add "Case study" url=<https://example.com/case|example.com/case>')
    assert 'content logged: C-1 "Case study" https://example.com/case;' in fake.reply_text(ack)
    ack = fake.command('lead add "Mail Lead" email=<mailto:jo@acme.com|jo@acme.com> '
                       'company=A&amp;B')
    assert "L-1 created: Mail Lead" in fake.reply_text(ack)
    lead = sbot.export("leads")[0]
    assert (lead["email"], lead["company"]) == ("jo@acme.com", "A&B")


def test_a_typed_mention_does_not_give_its_name_to_anyone(sbot, fake, conn):
    """Names come from the platform (users.info), never from text: a user with
    no role who types a mention-looking <@self|carol> (which Slack sends
    escaped) does not become carol, the manager of [roles] managers = carol."""
    fake.users["U0MAL"] = ("mallory", "UTC")
    for text in ("help &lt;@U0MAL|carol&gt;", "sla set response=1h"):
        fake.wait_ack(fake.send(fake.dm(text, user="U0MAL")), 5)
    fake.wait_for(lambda: any("only managers" in m["text"] for m in fake.posts_to("D0MAL")), 10,
                  "the refusal in the DM")
    for text in ("help <@U0MAL|carol>", "help &lt;@U0MAL|carol&gt;"):
        fake.command(text, user="U0MAL")
    ack = fake.command("sla set response=1h", user="U0MAL")
    assert "only managers" in fake.reply_text(ack)
    assert not [e for e in sbot.export("events") if e["kind"] == "sla_set"]


def test_a_mention_inside_a_dm_is_an_argument_not_the_start(sbot, fake, conn):
    fake.command('lead add "Dm Mention" company=D')
    fake.users.setdefault("U0BOB", ("bob", "America/Sao_Paulo"))
    fake.wait_ack(fake.send(fake.dm("handoff L-1 <@U0BOB>", user="U0ALICE")), 5)
    fake.wait_for(lambda: any(e["kind"] == "handoff" for e in sbot.export("events")), 10,
                  "the handoff")
    assert sbot.export("leads")[0]["owner"] == "U0BOB"
    fake.command('lead add "Second" company=S')
    fake.command("handoff L-2 <@U0BOB>")
    fake.wait_ack(fake.send(fake.dm("reject L-2 budget ask <@U0CAROL> later", user="U0BOB")), 5)
    fake.wait_for(lambda: any(e["kind"] == "rejected" for e in sbot.export("events")), 10,
                  "the rejection")
    rej = [e for e in sbot.export("events") if e["kind"] == "rejected"][0]
    assert rej["data"]["reason"] == "budget" and "later" in rej["data"]["note"]


def test_slash_command_redelivered_under_a_new_envelope_id_has_one_effect(sbot, fake, conn):
    """Bolt users report Slack resending a command as a new envelope; its
    trigger_id is the same, and the reply is the stored one."""
    import copy
    import uuid
    env = fake.slash('lead add "Resent Once"')
    fake.wait_ack(fake.send(env), 3)
    again = copy.deepcopy(env)
    again["envelope_id"] = str(uuid.uuid4())
    ack = fake.wait_ack(fake.send(again), 3)
    assert "L-1 created: Resent Once" in fake.reply_text(ack)
    time.sleep(0.3)
    assert names(sbot) == ["Resent Once"]

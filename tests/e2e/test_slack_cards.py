# SPDX-License-Identifier: MIT
"""The handoff card on Slack: DM with Block Kit buttons, Accept and Reject
clicks, the reject-reason modal (docs/slack.md section 5; issue points 1, 2, 4, 5)."""
import json
import re
import time

import pytest

from fake_slack import buttons


@pytest.fixture
def conn(sbot, fake):
    sbot.start()
    return fake.wait_hello(1, timeout=15)


def lead(sbot, ref):
    return next(x for x in sbot.export("leads") if x["id"] == ref)


def mentions(text, ref):
    return re.search(rf"\b{re.escape(ref)}\b", text) is not None


def handoff(fake, name="Jane Doe", rep="U0BOB"):
    ack = fake.command(f'lead add "{name}" company=ACME source=webinar')
    ref = re.search(r"L-\d+", fake.reply_text(ack)).group(0)
    ack = fake.command(f"handoff {ref} <@{rep}|{fake.user_name(rep)}> hot one")
    assert "only" not in fake.reply_text(ack), fake.reply_text(ack)
    return ref


def card_for(fake, ref, rep="U0BOB", timeout=15):
    dm = fake.dm_channel(rep)

    def find():
        for m in fake.posts_to(dm):
            if buttons(m) and mentions(m["text"] + json.dumps(m["blocks"]), ref):
                return m
        return None
    return fake.wait_for(find, timeout, f"the {ref} card in {dm}")


def text_of(m):
    return m["text"] + " " + json.dumps(m["blocks"], ensure_ascii=False)


def test_handoff_card_is_a_dm_with_buttons(sbot, fake, conn):
    ref = handoff(fake)
    card = card_for(fake, ref)
    opened = fake.api_calls("conversations.open", ok=True)
    assert any(c.body.get("users") == "U0BOB" for c in opened), "DM not opened with conversations.open"
    assert card["channel"] == "D0BOB"
    assert card["text"].strip() and mentions(card["text"], ref), "no plain-text fallback"
    labels = sorted(b["text"]["text"] for b in buttons(card))
    assert labels == ["Accept", "Reject"]
    assert len({b["action_id"] for b in buttons(card)}) == 2
    assert "Jane Doe" in text_of(card)
    assert lead(sbot, ref)["stage"] == "handed_off"
    # the sales channel is configured: the handoff shows there too
    fake.wait_for(lambda: any(mentions(text_of(m), ref) for m in fake.posts_to("C0SALES")), 10,
                  "the handoff in #sales")


def test_accept_button(sbot, fake, conn):
    ref = handoff(fake)
    card = card_for(fake, ref)
    eid = fake.send(fake.block_action(card, button="Accept", user="U0BOB"))
    ack = fake.wait_ack(eid, 3)
    assert ack.latency < 1.0
    assert lead(sbot, ref)["stage"] == "sql"
    # the card shows who did what, and its buttons are gone
    fake.wait_for(lambda: card["updates"], 10, "chat.update of the card")
    assert not buttons(card), card["blocks"]
    assert "bob" in text_of(card).lower() and "accept" in text_of(card).lower()
    up = fake.api_calls("chat.update", ok=True)[0]
    assert up.body["channel"] == "D0BOB" and up.body["ts"] == card["ts"]
    fake.wait_for(lambda: any(mentions(text_of(m), ref) for m in fake.posts_to("C0MKT")), 10,
                  "the new-SQL alert in #marketing")


def test_double_click_has_no_second_effect(sbot, fake, conn):
    ref = handoff(fake)
    card = card_for(fake, ref)
    # both clicks are on the card as it was: the first one's update must not
    # change what the second is built from
    clicks = [fake.block_action(card, button="Accept", user="U0BOB") for _ in range(2)]
    first, second = fake.send(clicks[0]), fake.send(clicks[1])
    fake.wait_ack(first, 3)
    fake.wait_ack(second, 3)
    fake.wait_for(lambda: any(mentions(text_of(m), ref) for m in fake.posts_to("C0MKT")), 10,
                  "the new-SQL alert")
    time.sleep(2)
    events = [e for e in sbot.export("events") if e.get("lead") == ref and str(e.get("kind", "")).startswith("accept")]
    assert len(events) == 1, events
    alerts = [m for m in fake.posts_to("C0MKT") if mentions(text_of(m), ref)]
    assert len(alerts) == 1, alerts
    assert lead(sbot, ref)["stage"] == "sql"


def test_only_the_assigned_rep_can_click(sbot, fake, conn):
    ref = handoff(fake)
    card = card_for(fake, ref)
    fake.wait_ack(fake.send(fake.block_action(card, button="Accept", user="U0DAVE")), 3)
    fake.wait_for(lambda: any("only" in r for r in fake.private_replies("U0DAVE")), 10,
                  "a private refusal to dave")
    assert lead(sbot, ref)["stage"] == "handed_off"
    assert buttons(card), "the card lost its buttons on a refused click"


def test_reject_opens_a_modal_and_its_submission_rejects(sbot, fake, conn):
    ref = handoff(fake)
    card = card_for(fake, ref)
    click = fake.block_action(card, button="Reject", user="U0BOB")
    fake.wait_ack(fake.send(click), 3)
    call = fake.wait_for(lambda: fake.api_calls("views.open", ok=True), 5, "views.open")[0]
    assert call.body["trigger_id"] == click["payload"]["trigger_id"]
    assert call.t - fake.deliveries_of(click["envelope_id"])[0].sent_at < 3.0
    view = fake.views[call.response["view"]["id"]]
    assert view["type"] == "modal"
    inputs = [b for b in view["blocks"] if b.get("type") == "input"]
    assert inputs, "no input for the reason"
    # every reason code, as an option and in the hint, as reject and lost take them
    codes = "budget authority need timing contact duplicate competitor other".split()
    assert [o["value"] for o in inputs[0]["element"]["options"]] == codes
    assert inputs[0]["hint"]["text"] == ", ".join(codes)
    assert len(view["title"]["text"]) <= 24
    assert lead(sbot, ref)["stage"] == "handed_off", "a click on Reject alone rejected the lead"
    sub = fake.view_submission(view, {"reason": "budget", "text": "no budget until Q3"}, user="U0BOB")
    ack = fake.wait_ack(fake.send(sub), 3)
    assert ack.latency < 1.0
    row = lead(sbot, ref)
    assert row["stage"] == "recycled" and row["reason"] == "budget"
    fake.wait_for(lambda: any(mentions(text_of(m), ref) and "budget" in text_of(m)
                              for m in fake.posts_to("C0MKT")), 10, "the reject alert in #marketing")
    fake.wait_for(lambda: card["updates"] and not buttons(card), 10, "the card updated")
    assert "reject" in text_of(card).lower()
    # submitting the same modal twice changes nothing more
    again = fake.view_submission(view, {"reason": "budget", "text": "again"}, user="U0BOB")
    fake.wait_ack(fake.send(again), 3)
    time.sleep(1)
    events = [e for e in sbot.export("events") if e.get("lead") == ref and str(e.get("kind", "")).startswith("reject")]
    assert len(events) == 1, events

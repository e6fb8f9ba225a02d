# SPDX-License-Identifier: MIT
"""The signed event webhook (issue 8, item 4): every lead event POSTed as
JSON with X-Smarkbot-Signature, through the outbox, in order per lead, once,
through the receiver's outage and across restarts; on the console."""
import hashlib
import hmac
import time

import pytest

from fake_webhook import FakeWebhook
from live_console import LiveConsole

SECRET = "webhook-signing-s3cret"
LEADS_SECRET = "leads-in-s3cret"

FLOW = [
    '/smk lead add "Jane Doe" company=ACME email=jane@acme.com source=webinar score=80',
    '/smk lead add "Joe Bloggs" source=ads',
    "/smk handoff L-1",
    "/smk handoff L-2 dave",
    "@bob !click accept L-1",
    "@dave /smk reject L-2 budget no money this year",
    "@bob /smk feedback L-1 4 good fit",
    "@bob /smk won L-1 12000 signed",
    "@carol /smk reopen L-1 typo",
    "@bob /smk lost L-1 competitor went elsewhere",
]
WANT = [("L-1", "lead.created"), ("L-2", "lead.created"), ("L-1", "lead.handed_off"),
        ("L-2", "lead.handed_off"), ("L-1", "lead.accepted"), ("L-2", "lead.rejected"),
        ("L-1", "lead.feedback"), ("L-1", "lead.won"), ("L-1", "lead.reopened"),
        ("L-1", "lead.lost")]


@pytest.fixture
def hook():
    f = FakeWebhook(SECRET).start()
    yield f
    f.stop()


def live_bot(tmp_path, hook, env=None, secret=SECRET):
    extra = (f"leads_secret = {LEADS_SECRET}\n\n[webhook]\nurl = {hook.endpoint()}\n"
             + (f"secret = {secret}\n" if secret else ""))
    return LiveConsole(tmp_path, extra=extra, env=env)


def per_lead(events):
    out = {}
    for e in events:
        out.setdefault(e["lead"], []).append(e["kind"])
    return out


def test_every_lead_event_is_posted_signed_in_order(tmp_path, hook):
    b = live_bot(tmp_path, hook).start()
    b.say(*FLOW)
    got = hook.wait_for(lambda: len(hook.unique()) >= len(WANT) and hook.unique(),
                        what="every event")
    # a post of an inbound lead goes out too
    assert b.post("/leads", {"name": "Web Form", "email": "w@f.co"}, token=LEADS_SECRET)[0] == 201
    hook.wait_for(lambda: len(hook.unique()) == len(WANT) + 1, what="the inbound lead")
    assert b.close() == 0
    got = hook.unique()
    assert per_lead(got) == per_lead([{"lead": lead, "kind": k} for lead, k in WANT]
                                     + [{"lead": "L-3", "kind": "lead.created"}])
    assert len(hook.accepted) == len(got), "an event was delivered twice"
    assert not hook.bad_signatures
    first = got[0]
    assert set(first) == {"id", "kind", "lead", "at", "actor", "data"}
    assert first["actor"] == "alice" and first["at"] == "2026-11-23T12:00:00Z"
    assert first["data"]["email"] == "jane@acme.com" and first["data"]["score"] == 80
    rejected = next(e for e in got if e["kind"] == "lead.rejected")
    assert rejected["actor"] == "dave" and rejected["data"]["reason"] == "budget"
    won = next(e for e in got if e["kind"] == "lead.won")
    assert won["data"]["amount"] == 1200000
    assert got[-1]["actor"] == "api"
    # the signature covers the raw bytes and the id is in a header too
    for c in hook.calls:
        assert c.header("x-smarkbot-signature") == "sha256=" + hmac.new(
            SECRET.encode(), c.raw, hashlib.sha256).hexdigest()
        assert c.header("x-smarkbot-delivery") == c.body["id"]
        assert c.header("content-type") == "application/json"
    assert SECRET not in b.stderr


def test_receiver_outage_then_back_nothing_lost_nothing_doubled(tmp_path, hook):
    b = live_bot(tmp_path, hook).start()
    hook.outage("POST /hook", {"status": 503})
    b.say(*FLOW[:6])
    hook.wait_for(lambda: len(hook.calls) >= 3, what="failing attempts")
    hook.outage("POST /hook", {"status": 429, "retry_after": 1})
    hook.wait_for(lambda: any(c.status == 429 for c in hook.calls), timeout=30, what="a 429")
    hook.outage("POST /hook")
    hook.refuse_connections()
    hook.drop_connections()
    b.say(*FLOW[6:])
    b.wait(lambda: "no answer" in b.stderr, "an attempt while the receiver is away")
    hook.refuse_connections(False)
    hook.wait_for(lambda: len(hook.unique()) == len(WANT), timeout=60, what="every event after the outage")
    assert b.close() == 0
    got = hook.unique()
    assert per_lead(got) == per_lead([{"lead": lead, "kind": k} for lead, k in WANT])
    assert len(hook.accepted) == len(WANT), "an event was delivered twice"
    # within one lead, an event was never tried before the one before it was taken
    order = [c.body["id"] for c in hook.calls if isinstance(c.body, dict)
             and c.body["lead"] == "L-1"]
    ids = [e["id"] for e in got if e["lead"] == "L-1"]
    for i, x in enumerate(order):
        taken_before = [c.body["id"] for c in hook.calls[:hook.calls.index(
            next(c for c in hook.calls if isinstance(c.body, dict) and c.body["id"] == x))]
            if c.status == 200]
        assert all(p in taken_before for p in ids[:ids.index(x)]), (x, taken_before)
    assert "HTTP 503; retry" in b.stderr and "rate limited" in b.stderr


def test_restart_sends_what_was_queued_once(tmp_path, hook):
    b = live_bot(tmp_path, hook)
    hook.refuse_connections()
    b.start()
    b.say(*FLOW[:4])
    b.wait(lambda: "no answer" in b.stderr, "an attempt")
    b.kill9()
    hook.refuse_connections(False)
    b.start()
    hook.wait_for(lambda: len(hook.unique()) == 4, timeout=30, what="the queued events")
    b.say("@bob !click accept L-1")
    hook.wait_for(lambda: len(hook.unique()) == 5, what="the next one")
    assert b.close() == 0
    assert [(e["lead"], e["kind"]) for e in hook.unique()] == WANT[:5]
    assert len(hook.accepted) == 5


def test_secret_is_required_and_never_shown(tmp_path, hook):
    b = live_bot(tmp_path, hook, secret=None)
    from conftest import run_smarkbot
    p = run_smarkbot(["-c", str(b.config), "--check-config"], cwd=tmp_path)
    assert p.returncode != 0 and b"[webhook] secret" in p.stderr
    p = run_smarkbot(["-c", str(b.config), "--check-config"], cwd=tmp_path,
                     env=dict(b.env, SMARKBOT_WEBHOOK_SECRET="env-secret-value"))
    assert p.returncode == 0, p.stderr
    assert b"env-secret-value" not in p.stdout + p.stderr


def test_a_refused_event_is_given_up_once_and_the_next_goes(tmp_path, hook):
    b = live_bot(tmp_path, hook).start()
    hook.script("POST /hook", {"status": 422}, {"status": 503})
    b.say(*FLOW[:3])
    hook.wait_for(lambda: len(hook.unique()) == 2, what="the events after the refused one")
    assert b.close() == 0
    (refused,) = [c.body for c in hook.calls if c.status == 422]
    got = [(e["lead"], e["kind"]) for e in hook.unique()]
    want = [("L-1", "lead.created"), ("L-2", "lead.created"), ("L-1", "lead.handed_off")]
    assert sorted(got) == sorted(w for w in want if w != (refused["lead"], refused["kind"]))
    assert b.stderr.count("given up") == 1 and "HTTP 422" in b.stderr
    # the one retried after the 503 says so
    retried = [c for c in hook.calls if c.header("x-smarkbot-redelivery")]
    assert len(retried) == 1 and retried[0].status == 200

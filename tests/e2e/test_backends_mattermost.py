# SPDX-License-Identifier: MIT
"""The backends beside a chat platform (issue 8): POST /leads shares the one
listener with Mattermost's slash commands, and a lead that came in that way
reaches the webhook like one typed in chat."""
import json
import urllib.error
import urllib.request

import pytest

from fake_webhook import FakeWebhook

LEADS_SECRET = "mm-leads-s3cret"
HOOK_SECRET = "mm-hook-s3cret"


@pytest.fixture
def hook():
    f = FakeWebhook(HOOK_SECRET).start()
    yield f
    f.stop()


def post_lead(base, body, token):
    req = urllib.request.Request(base + "/leads", data=json.dumps(body).encode(), method="POST",
                                 headers={"Authorization": "Bearer " + token,
                                          "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_leads_route_beside_slash_commands_and_the_webhook(mbot, mm, hook):
    mbot.configure(env={"SMARKBOT_LEADS_SECRET": LEADS_SECRET,
                        "SMARKBOT_WEBHOOK_SECRET": HOOK_SECRET},
                   extra=f"\n[webhook]\nurl = {hook.endpoint()}\n")
    mbot.start().wait_ready()
    assert post_lead(mbot.base, {"name": "Form Lead", "email": "f@l.co"}, LEADS_SECRET)[0] == 201
    assert post_lead(mbot.base, {"name": "X"}, "wrong")[0] == 401
    res = mm.slash("alice", "town-square", "/smk", 'lead add "Slash Lead" email=f@l.co')
    assert "already lead L-1" in res.response["text"]
    res = mm.slash("alice", "town-square", "/smk", "handoff L-1 @bob")
    assert "L-1 handed off to @bob" in res.response["text"]
    hook.wait_for(lambda: len(hook.unique()) == 2, what="both events")
    assert [(e["kind"], e["actor"]) for e in hook.unique()] == [
        ("lead.created", "api"), ("lead.handed_off", mm.user_id("alice"))]
    assert not hook.bad_signatures and len(hook.accepted) == 2
    assert [x["name"] for x in mbot.export("leads")] == ["Form Lead"]
    assert LEADS_SECRET not in mbot.stderr and HOOK_SECRET not in mbot.stderr

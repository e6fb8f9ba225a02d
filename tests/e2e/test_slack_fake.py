# SPDX-License-Identifier: MIT
"""Self-tests of the fake Slack (no bot): it must behave as docs/slack.md says,
or the bot's end-to-end tests prove nothing."""
import asyncio
import json
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
import websockets

from fake_slack import APP_TOKEN, BOT_TOKEN, FakeSlack


@pytest.fixture
def fake():
    f = FakeSlack(ping_interval=0.3, ack_timeout=0.5).start()
    yield f
    f.stop()


def api(fake, method, body=None, token=BOT_TOKEN, form=False, get=False):
    url = fake.api_url + method
    headers = {}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = None
    if get:
        url += "?" + urllib.parse.urlencode(body or {})
    elif form:
        data = urllib.parse.urlencode({k: json.dumps(v) if isinstance(v, (list, dict)) else v
                                       for k, v in (body or {}).items()}).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    else:
        data = json.dumps(body or {}).encode()
        headers["Content-Type"] = "application/json; charset=utf-8"
    req = urllib.request.Request(url, data=data, headers=headers, method="GET" if get else "POST")
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, dict(r.headers), json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), json.loads(e.read())


def test_auth_and_tickets(fake):
    assert api(fake, "apps.connections.open", token=None)[2] == {"ok": False, "error": "not_authed"}
    assert api(fake, "apps.connections.open", token=BOT_TOKEN)[2]["error"] == "invalid_auth"
    assert api(fake, "chat.postMessage", {"channel": "C0GEN", "text": "x"},
               token=APP_TOKEN)[2]["error"] == "invalid_auth"
    st, _, r = api(fake, "apps.connections.open", token=APP_TOKEN, form=True)
    assert st == 200 and r["ok"] and "/link/?ticket=" in r["url"]

    async def go():
        async with websockets.connect(r["url"]) as ws:
            hello = json.loads(await ws.recv())
            assert hello["type"] == "hello" and hello["num_connections"] == 1
            pong = await ws.ping(b"Ping from client (123)")
            await asyncio.wait_for(pong, 2)
            # a server ping arrives within the interval (websockets answers it)
            await asyncio.sleep(0.5)
        with pytest.raises(websockets.InvalidStatusCode):
            async with websockets.connect(r["url"]):
                pass
        with pytest.raises(websockets.InvalidStatusCode):
            async with websockets.connect(r["url"].replace("ticket=", "ticket=9")):
                pass
    asyncio.run(go())
    c = fake.conns[0]
    assert c.client_pings[0][1] == b"Ping from client (123)"
    assert c.server_pings and c.server_pings[0][2] is not None
    assert c.closed_by == "client"
    assert len(fake.rejected_upgrades) == 2


def test_envelopes_acks_and_redelivery(fake):
    url = api(fake, "apps.connections.open", token=APP_TOKEN)[2]["url"]
    got = []

    async def go():
        async with websockets.connect(url) as ws:
            await ws.recv()
            slash = fake.slash("lead add \"X\"")
            fake.send(slash)
            env = json.loads(await ws.recv())
            assert env["type"] == "slash_commands" and env["accepts_response_payload"] is True
            await ws.send(json.dumps({"envelope_id": env["envelope_id"],
                                      "payload": {"text": "ok"}}))
            ev = fake.app_mention("help")
            fake.send(ev)
            first = json.loads(await ws.recv())        # not acked: comes back
            second = json.loads(await asyncio.wait_for(ws.recv(), 2))
            got.extend([first, second])
            await ws.send(json.dumps({"envelope_id": second["envelope_id"]}))
            await asyncio.sleep(0.7)
    asyncio.run(go())
    first, second = got
    assert second["retry_attempt"] == 1 and second["retry_reason"] == "timeout"
    assert second["payload"]["event_id"] == first["payload"]["event_id"]
    assert second["envelope_id"] != first["envelope_id"]
    assert fake.acks[0].payload == {"text": "ok"} and fake.acks[0].latency < 1
    assert fake.ack_of(second["envelope_id"]).has_payload is False
    assert len(fake.deliveries) == 3


def test_web_api_bodies_and_scripts(fake):
    st, _, r = api(fake, "chat.postMessage", {"channel": "C0MKT", "text": "hi",
                                              "blocks": [{"type": "section", "text": {
                                                  "type": "mrkdwn", "text": "hi"}}]}, form=True)
    assert r["ok"] and r["channel"] == "C0MKT" and fake.posts[0]["blocks"][0]["type"] == "section"
    st, _, r2 = api(fake, "chat.postMessage", {"channel": "C0MKT", "text": "hi"})
    assert r2["ts"] != r["ts"]
    assert api(fake, "users.info", {"user": "U0ALICE"}, get=True)[2]["user"]["name"] == "alice"
    assert api(fake, "conversations.open", {"users": "U0BOB"}, form=True)[2]["channel"]["id"] == "D0BOB"
    assert api(fake, "chat.postMessage", {"channel": "C0GONE", "text": "x"})[2]["error"] == \
        "channel_not_found"
    fake.script("chat.postMessage", {"status": 429, "retry_after": 2}, {"status": 503})
    st, h, r = api(fake, "chat.postMessage", {"channel": "C0MKT", "text": "x"})
    assert st == 429 and h["Retry-After"] == "2" and r == {"ok": False, "error": "ratelimited"}
    assert api(fake, "chat.postMessage", {"channel": "C0MKT", "text": "x"})[0] == 503
    assert api(fake, "chat.postMessage", {"channel": "C0MKT", "text": "x"})[0] == 200
    up = api(fake, "chat.update", {"channel": "C0MKT", "ts": r["ts"] if "ts" in r else
                                   fake.posts[0]["ts"], "text": "done", "blocks": []})[2]
    assert up["ok"] and fake.posts[0]["text"] == "done"
    req = urllib.request.Request(fake.base_url + "/commands/T111/1/abc",
                                 data=b'{"text":"hi","response_type":"ephemeral"}',
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as resp:
        assert resp.read() == b"ok"
    assert fake.responses[0].body["text"] == "hi"


def test_disconnect_and_cap(fake):
    fake.max_connections = 2
    urls = [api(fake, "apps.connections.open", token=APP_TOKEN)[2]["url"] for _ in range(3)]
    frames = []

    async def go():
        a = await websockets.connect(urls[0])
        b = await websockets.connect(urls[1])
        c = await websockets.connect(urls[2])
        assert json.loads(await a.recv())["type"] == "hello"
        assert json.loads(await b.recv())["num_connections"] == 2
        frames.append(json.loads(await c.recv()))
        fake.disconnect(fake.conns[0], "refresh_requested", grace=0.2)
        frames.append(json.loads(await a.recv()))
        await asyncio.sleep(0.5)
        assert a.closed
        for w in (b, c):
            await w.close()
    asyncio.run(go())
    assert frames[0]["reason"] == "too_many_websockets"
    assert frames[1] == {"type": "disconnect", "reason": "refresh_requested",
                         "debug_info": {"host": "applink-d85c5c684-dnqj9"}}
    assert fake.conns[0].closed_by == "server"
    time.sleep(0.1)

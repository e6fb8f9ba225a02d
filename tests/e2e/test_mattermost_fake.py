# SPDX-License-Identifier: MIT
"""Self-tests of the fake Mattermost (no bot): it must behave as
docs/mattermost.md says, or the bot's end-to-end tests prove nothing."""
import asyncio
import http.client
import http.server
import json
import pathlib
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
import websockets

from fake_mattermost import ADMIN_TOKEN, BOT_TOKEN, FakeMattermost

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = pathlib.Path("/work/shared/fixtures/mattermost")


@pytest.fixture
def mm():
    f = FakeMattermost(auth_deadline=0.5, ping_interval=0.3).start()
    yield f
    f.stop()


def rest(mm, verb, path, body=None, token=BOT_TOKEN):
    headers = {"Authorization": "Bearer " + token} if token else {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(mm.api_url + path, data=data, headers=headers, method=verb)
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


async def frames(ws, n, timeout=2):
    return [await asyncio.wait_for(ws.recv(), timeout) for _ in range(n)]


def test_header_auth_hello_seq_and_ping(mm):
    async def go():
        async with websockets.connect(mm.ws_url, extra_headers={
                "Authorization": "bearer " + BOT_TOKEN}) as ws:
            hello = json.loads(await asyncio.wait_for(ws.recv(), 2))
            assert hello["event"] == "hello" and hello["seq"] == 0
            assert hello["broadcast"]["user_id"] == mm.bot_id
            assert len(hello["data"]["connection_id"]) == 26
            # a challenge on a header-authed socket is ignored: no reply
            await ws.send(json.dumps({"seq": 1, "action": "authentication_challenge",
                                      "data": {"token": BOT_TOKEN}}))
            await ws.send(json.dumps({"seq": 2, "action": "ping"}))
            r = json.loads(await asyncio.wait_for(ws.recv(), 2))
            assert r["status"] == "OK" and r["seq_reply"] == 2 and r["data"]["text"] == "pong"
            await ws.send(json.dumps({"seq": 0, "action": "ping"}))
            r = json.loads(await asyncio.wait_for(ws.recv(), 2))
            assert r["status"] == "FAIL" and r["error"]["id"].endswith("bad_seq.app_error")
            await ws.send(json.dumps({"seq": 3}))
            r = json.loads(await asyncio.wait_for(ws.recv(), 2))
            assert r["error"]["id"] == "api.web_socket_router.no_action.app_error"
            mm.user_posts("alice", "marketing", "one")
            mm.user_posts("alice", "marketing", "two")
            evs = [json.loads(t) for t in await frames(ws, 2)]
            assert [e["seq"] for e in evs] == [1, 2]
            await asyncio.sleep(0.5)            # server pings are answered by websockets
    asyncio.run(go())
    c = mm.conns[0]
    assert c.auth == "header" and c.server_pings and c.server_pings[0][2] is not None


@pytest.mark.parametrize("hello_first", [True, False])
def test_challenge_auth_both_orders(hello_first):
    mm = FakeMattermost(hello_first=hello_first).start()
    try:
        async def go():
            async with websockets.connect(mm.ws_url) as ws:
                await ws.send(json.dumps({"seq": 1, "action": "ping"}))
                r = json.loads(await asyncio.wait_for(ws.recv(), 2))
                assert r["error"]["id"] == "api.web_socket_router.not_authenticated.app_error"
                await ws.send(json.dumps({"seq": 2, "action": "authentication_challenge",
                                          "data": {"token": BOT_TOKEN}}))
                got = [json.loads(t) for t in await frames(ws, 2)]
                return got
        got = asyncio.run(go())
        ok = {"status": "OK", "seq_reply": 2}
        assert (got[1] if hello_first else got[0]) == ok
        hello = got[0] if hello_first else got[1]
        assert hello["event"] == "hello" and hello["seq"] == 0
    finally:
        mm.stop()


def test_bad_challenge_and_deadline_close(mm):
    async def go():
        async with websockets.connect(mm.ws_url) as ws:
            await ws.send(json.dumps({"seq": 1, "action": "authentication_challenge",
                                      "data": {"token": "nope"}}))
            with pytest.raises(websockets.ConnectionClosed):
                await asyncio.wait_for(ws.recv(), 2)
        async with websockets.connect(mm.ws_url) as ws:
            with pytest.raises(websockets.ConnectionClosed):
                await asyncio.wait_for(ws.recv(), 2)      # auth_deadline 0.5 s
    asyncio.run(go())
    assert mm.conns[0].closed_by == "server-bad-challenge"
    assert mm.conns[1].closed_by == "server-auth-deadline"


def test_replay_after_reconnect_and_new_hello_when_out_of_queue():
    mm = FakeMattermost(replay_size=4).start()
    auth = {"Authorization": "Token " + BOT_TOKEN}
    try:
        async def go():
            async with websockets.connect(mm.ws_url, extra_headers=auth) as ws:
                hello = json.loads(await ws.recv())
                mm.user_posts("alice", "sales", "p1")
                first = json.loads(await ws.recv())
            cid = hello["data"]["connection_id"]
            mm.wait_for(lambda: not mm.conns[0].open, 2, "the close")
            mm.user_posts("alice", "sales", "p2")     # missed while away
            mm.user_posts("alice", "sales", "p3")
            url = f"{mm.ws_url}?connection_id={cid}&sequence_number={first['seq'] + 1}"
            async with websockets.connect(url, extra_headers=auth) as ws:
                got = [json.loads(t) for t in await frames(ws, 2)]
                assert [g["seq"] for g in got] == [2, 3]          # (a): replay, no hello
                assert [json.loads(g["data"]["post"])["message"] for g in got] == ["p2", "p3"]
            # nothing missed: (b) no hello, no replay
            async with websockets.connect(f"{mm.ws_url}?connection_id={cid}&sequence_number=4",
                                          extra_headers=auth) as ws:
                with pytest.raises(asyncio.TimeoutError):
                    await asyncio.wait_for(ws.recv(), 0.3)
            for i in range(6):
                mm.user_posts("alice", "sales", f"q{i}")
            # seq 4 fell out of the 4-event queue: (c) new id, hello at 0
            async with websockets.connect(f"{mm.ws_url}?connection_id={cid}&sequence_number=4",
                                          extra_headers=auth) as ws:
                h = json.loads(await ws.recv())
                assert h["event"] == "hello" and h["seq"] == 0
                assert h["data"]["connection_id"] != cid
            # replay needs header auth: a challenge socket is always fresh
            async with websockets.connect(f"{mm.ws_url}?connection_id={cid}&sequence_number=4") as ws:
                await ws.send(json.dumps({"seq": 1, "action": "authentication_challenge",
                                          "data": {"token": BOT_TOKEN}}))
                assert json.loads(await ws.recv())["event"] == "hello"
            # malformed: the socket is closed
            with pytest.raises(Exception):
                async with websockets.connect(f"{mm.ws_url}?connection_id={cid}", extra_headers=auth):
                    pass
            mm.restart()
            async with websockets.connect(f"{mm.ws_url}?connection_id={cid}&sequence_number=10",
                                          extra_headers=auth) as ws:
                assert json.loads(await ws.recv())["event"] == "hello"      # (d)
        asyncio.run(go())
        assert [c.case for c in mm.conns if c.user_id] == ["fresh", "a", "b", "c", "fresh", "d"]
    finally:
        mm.stop()


def test_posted_event_string_fields_and_formats(mm):
    auth = {"Authorization": "Bearer " + BOT_TOKEN}

    async def go():
        async with websockets.connect(mm.ws_url, extra_headers=auth) as ws:
            await ws.recv()
            mm.user_posts("alice", "marketing", "@smarkbot lead add X")
            ch_raw = await asyncio.wait_for(ws.recv(), 2)
            mm.dm("alice", "help")
            dm_raw = await asyncio.wait_for(ws.recv(), 2)
            return ch_raw, dm_raw
    ch_raw, dm_raw = asyncio.run(go())
    assert ch_raw.startswith('{"event": "posted", "data": {') and not ch_raw.endswith("\n")
    assert dm_raw.startswith('{"event":"posted","data":{') and dm_raw.endswith("\n")
    ch, dm = json.loads(ch_raw), json.loads(dm_raw)
    assert list(ch["data"]) == sorted(ch["data"])
    assert isinstance(ch["data"]["post"], str) and isinstance(ch["data"]["mentions"], str)
    assert json.loads(ch["data"]["mentions"]) == [mm.bot_id]
    post = json.loads(ch["data"]["post"])
    assert post["user_id"] == mm.user_id("alice") and post["message"] == "@smarkbot lead add X"
    assert set(json.loads((FIXTURES / "post_object.json").read_text())) - {"parent_id"} <= set(post)
    assert ch["data"]["channel_type"] == "O" and ch["data"]["sender_name"] == "@alice"
    assert dm["data"]["channel_type"] == "D" and dm["data"]["team_id"] == ""
    assert json.loads(dm["data"]["mentions"]) == [mm.bot_id]
    assert dm["data"]["channel_name"] == "__".join(sorted([mm.bot_id, mm.user_id("alice")]))


def test_rest_shapes_errors_ephemeral_and_429(mm):
    st, h, b = rest(mm, "GET", "/users/me")
    assert st == 200 and json.loads(b)["id"] == mm.bot_id and len(h["X-Request-Id"]) == 26
    st, _, b = rest(mm, "GET", "/users/me", token="bad")
    err = json.loads(b)
    assert st == 401 and set(err) == set(json.loads((FIXTURES / "error_401.json").read_text()))
    ch = json.loads(rest(mm, "GET", "/teams/name/smarketing/channels/name/sales")[2])
    body = json.loads((FIXTURES / "action_buttons_post.json").read_text())
    st, _, b = rest(mm, "POST", "/posts", {"channel_id": ch["id"], "message": "card",
                                           "props": body})
    p = json.loads(b)
    assert st == 201 and "integration" not in json.dumps(p)
    assert "integration" in json.dumps(mm.posts_in("sales")[0])
    st, _, b = rest(mm, "POST", "/posts/ephemeral", {"user_id": mm.user_id("bob"),
                                                     "post": {"channel_id": ch["id"], "message": "x"}})
    assert st == 403 and json.loads(b)["id"] == "api.context.permissions.app_error"
    mm.script("POST /posts", {"status": 429, "retry_after": 3}, {"status": 503})
    st, h, b = rest(mm, "POST", "/posts", {"channel_id": ch["id"], "message": "x"})
    assert st == 429 and b == b"limit exceeded\n" and h["Content-Type"].startswith("text/plain")
    assert h["Retry-After"] == "3" and h["X-RateLimit-Remaining"] == "0"
    st, _, b = rest(mm, "POST", "/posts", {"channel_id": ch["id"], "message": "x"})
    assert st == 503 and json.loads(b)["status_code"] == 503
    dm = json.loads(rest(mm, "POST", "/channels/direct", [mm.bot_id, mm.user_id("bob")])[2])
    assert dm["type"] == "D" and dm["team_id"] == ""
    st, _, b = rest(mm, "PUT", f"/posts/{p['id']}/patch", {"message": "done", "props": {}})
    assert st == 200 and mm.posts_in("sales")[0]["message"] == "done"
    page = json.loads(rest(mm, "GET", f"/channels/{ch['id']}/posts?after={p['id']}&per_page=5")[2])
    assert page["order"] == [] and set(page) >= {"order", "posts", "next_post_id", "prev_post_id"}
    later = [mm.user_posts("alice", "sales", f"m{i}")["id"] for i in range(3)]
    page = json.loads(rest(mm, "GET", f"/channels/{ch['id']}/posts?after={p['id']}&per_page=2")[2])
    assert page["order"] == [later[1], later[0]] and page["next_post_id"] == later[2]
    assert [c.endpoint for c in mm.rest_calls("PUT")] == ["PUT /posts/{id}/patch"]


class Listener:
    """A stand-in for the bot's HTTP listener: records requests, answers scripted."""

    def __init__(self, answer):
        outer = self
        self.requests = []

        class H(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.requests.append((self.path, dict(self.headers), body))
                ctype, out = answer(body)
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *a):
                pass
        self.srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.srv.server_address[1]}"
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()

    def close(self):
        self.srv.shutdown()


def test_slash_request_response_and_hooks(mm):
    cr = json.loads((FIXTURES / "command_response_extra.json").read_text())
    cr["extra_responses"][0]["response_type"] = "in_channel"
    lis = Listener(lambda b: ("application/json", json.dumps(cr).encode()))
    try:
        cmd = mm.add_command("smk", lis.url + "/mattermost/command")
        res = mm.slash("alice", "marketing", "/smk", "lead add Jane @bob")
        path, headers, body = lis.requests[0]
        assert path == "/mattermost/command"
        assert headers["Authorization"] == "Token " + cmd["token"]
        assert headers["Accept"] == "application/json" and headers["User-Agent"] == "Mattermost-Bot/1.1"
        assert headers["Content-Type"] == "application/x-www-form-urlencoded"
        text = body.decode()
        keys = [kv.split("=")[0] for kv in text.split("&")]
        assert keys == sorted(keys) and "&" not in text.split("text=")[1].split("&")[0]
        fixture_keys = [ln.split("=")[0] for ln in
                        (FIXTURES / "slash_command_request.http").read_text().split("\n\n", 1)[1].split()]
        assert set(fixture_keys) <= set(keys) and "user_mentions" in keys
        assert "text=lead+add+Jane+%40bob" in text and "command=%2Fsmk" in text
        assert len(res.ephemerals) == 1 and res.ephemerals[0]["message"] == "message 1"
        assert mm.ephemerals_for("alice") == res.ephemerals
        assert res.posts[0]["user_id"] == mm.user_id("alice")
        assert res.posts[0]["props"]["attachments"][0]["fields"][0]["title"] == "foo 2"
        hook = urllib.parse.parse_qs(text)["response_url"][0]
        for i in range(5):
            req = urllib.request.Request(hook, data=json.dumps({"text": f"later {i}"}).encode(),
                                         headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=5) as r:
                assert r.read() == b"ok"
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(urllib.request.Request(hook, data=b"sixth"), timeout=5)
        assert e.value.code == 404
        assert [p["message"] for p in mm.ephemerals_for("alice")][-1] == "later 4"
    finally:
        lis.close()


def test_click_posts_context_and_applies_update(mm):
    got = {}

    def answer(b):
        got["req"] = json.loads(b)
        return "application/json", (FIXTURES / "action_response.json").read_bytes()
    lis = Listener(answer)
    try:
        props = {"attachments": [{"text": "L-1", "actions": [
            {"id": "accept", "name": "Accept", "type": "button",
             "integration": {"url": lis.url + "/mattermost/action",
                             "context": {"action": "accept", "lead": "L-1", "secret": "s3"}}}]}]}
        post = mm._run(mm._create_post, mm.bot_id, mm.dm_channel("bob")["id"], "card", "",
                       props, "")
        res = mm.click("bob", post["id"], "accept")
        assert got["req"]["context"] == {"action": "accept", "lead": "L-1", "secret": "s3"}
        assert got["req"]["user_id"] == mm.user_id("bob") and got["req"]["post_id"] == post["id"]
        assert mm.posts[post["id"]]["message"] == "Updated!" and res.updated
        assert mm.ephemerals_for("bob")[-1]["message"] == "You updated the post!"
        assert mm.click("bob", post["id"], "nope").error
    finally:
        lis.close()


def test_setup_script_creates_the_command(mm, tmp_path):
    script = str(ROOT / "mattermost" / "setup.sh")
    env = {"PATH": "/usr/bin:/bin", "MM_URL": mm.url(), "MM_TOKEN": ADMIN_TOKEN}
    args = ["--team", "smarketing", "--listener", "http://127.0.0.1:8066"]
    p = subprocess.run(["sh", script] + args, capture_output=True, text=True, env=env, timeout=30)
    assert p.returncode == 0, p.stderr
    (cmd,) = mm.commands.values()
    assert cmd["trigger"] == "smk" and cmd["method"] == "P" and cmd["team_id"] == mm.team["id"]
    assert cmd["url"] == "http://127.0.0.1:8066/mattermost/command"
    out = p.stdout
    assert f"command_token = {cmd['token']}" in out and f"url = {mm.url()}" in out
    assert "team = smarketing" in out and "listen = 127.0.0.1:8066" in out and "[mattermost]" in out
    # again: the existing command is found, not duplicated
    p2 = subprocess.run(["sh", script] + args, capture_output=True, text=True, env=env, timeout=30)
    assert p2.returncode == 0 and f"command_token = {cmd['token']}" in p2.stdout
    assert len(mm.commands) == 1
    bad = subprocess.run(["sh", script] + args, capture_output=True, text=True, timeout=30,
                         env=dict(env, MM_TOKEN="wrong"))
    assert bad.returncode != 0 and "401" in bad.stderr


def test_users_lookup_and_outages(mm):
    alice = mm.user_id("alice")
    st, _, b = rest(mm, "GET", f"/users/{alice}")
    assert st == 200 and json.loads(b)["username"] == "alice" and json.loads(b)["locale"] == "pt-BR"
    st, _, b = rest(mm, "POST", "/users/ids", [alice, mm.user_id("bob"), "x" * 26])
    assert st == 200 and [u["username"] for u in json.loads(b)] == ["alice", "bob"]
    assert rest(mm, "GET", "/users/" + "x" * 26)[0] == 404
    mm.refuse_connections()
    with pytest.raises(urllib.error.URLError):
        rest(mm, "GET", "/users/me")
    mm.refuse_connections(False)
    assert rest(mm, "GET", "/users/me")[0] == 200
    mm.script("GET /users/me", {"drop": True}, {"stall": True})
    with pytest.raises((urllib.error.URLError, ConnectionError, http.client.HTTPException)):
        rest(mm, "GET", "/users/me")
    done = []
    t = threading.Thread(target=lambda: done.append(rest(mm, "GET", "/users/me")[0]))
    t.start()
    t.join(0.5)
    assert not done, "a stalled call was answered"
    mm.release()
    t.join(5)
    assert done == [200]

    async def go():
        async with websockets.connect(mm.ws_url, extra_headers={
                "Authorization": "Bearer " + BOT_TOKEN}) as ws:
            await ws.recv()
            mm.drop_connections()
            with pytest.raises(websockets.ConnectionClosed):
                await asyncio.wait_for(ws.recv(), 2)
    asyncio.run(go())
    assert mm.conns[-1].closed_by == "abort"

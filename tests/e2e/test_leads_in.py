# SPDX-License-Identifier: MIT
"""Inbound leads (issue 8, item 5): POST /leads on the bot's listener with
[http] leads_secret as a bearer token creates an MQL with the checks of
`lead add`; every refusal creates nothing and the listener stays up."""
import json
import socket
import urllib.error

import pytest

from live_console import LiveConsole

SECRET = "inbound-s3cret-value"


@pytest.fixture
def live(tmp_path):
    b = LiveConsole(tmp_path, extra=f"leads_secret = {SECRET}\n").start()
    yield b
    if b.proc:
        assert b.close() == 0


def leads(b):
    return b.export("leads")


def test_post_creates_an_mql_shown_like_a_typed_one(live):
    status, body = live.post("/leads", {"name": "Jane Doe", "company": "ACME",
                                        "email": "jane@acme.com", "source": "webinar",
                                        "score": 80, "budget": "50k approved"},
                             token=SECRET)
    assert status == 201, body
    assert body["lead"] == "L-1" and body["id"] == 1
    assert body["message"].startswith("L-1 created: Jane Doe, ACME (mql)")
    # the same lead as `lead add` makes, typed in chat right after
    status, body = live.post("/leads", {"name": "Joe", "score": "40"}, token=SECRET)
    assert status == 201 and body["lead"] == "L-2"
    assert live.close() == 0
    rows = {r["id"]: r for r in leads(live)}
    jane = rows["L-1"]
    assert (jane["name"], jane["company"], jane["email"], jane["source"], jane["score"],
            jane["stage"], jane["created_by"]) == ("Jane Doe", "ACME", "jane@acme.com",
                                                    "webinar", 80, "mql", "api")
    assert rows["L-2"]["score"] == 40
    (created,) = [e for e in live.export("events") if e["lead"] == "L-1"]
    assert created["kind"] == "created" and created["actor"] == "api"
    assert created["data"]["budget"] == "50k approved"
    out = live.run(["/smk lead show L-1", "/smk handoff L-1"])
    assert "budget: 50k approved" in out and "L-1 handed off to @bob" in out


def bad_requests():
    return [
        # (token, body, status, what the error says)
        (None, {"name": "A"}, 401, "Bearer"),
        # a persona must be one the managers defined, as for lead add
        (SECRET, {"name": "A", "persona": "cto"}, 400, "no persona"),
        ("wrong", {"name": "A"}, 401, "Bearer"),
        (SECRET[:-1], {"name": "A"}, 401, "Bearer"),
        (SECRET + "x", {"name": "A"}, 401, "Bearer"),
        (SECRET, b'{"name": "A", ', 400, "not JSON"),
        (SECRET, b'["name"]', 400, "JSON object"),
        (SECRET, {"email": "a@b.co"}, 400, "name is required"),
        (SECRET, {"name": "   "}, 400, "blank"),
        (SECRET, {"name": "A", "score": 101}, 400, "score must be"),
        (SECRET, {"name": "A", "score": "high"}, 400, "score must be"),
        (SECRET, {"name": "A", "email": "not-an-email"}, 400, "not an email"),
        (SECRET, {"name": "A", "colour": "red"}, 400, "unknown field"),
        (SECRET, {"name": "A", "company": {"x": 1}}, 400, "must be a string"),
        (SECRET, {"name": "A", "email": "jane@acme.com"}, 400, "already lead L-1"),
        (SECRET, {"name": "A", "email": "JANE@acme.com"}, 400, "already lead L-1"),
    ]


def test_refusals_create_nothing_and_the_listener_stays_up(live):
    assert live.post("/leads", {"name": "Jane", "email": "jane@acme.com"}, token=SECRET)[0] == 201
    for token, body, want, says in bad_requests():
        status, answer = live.post("/leads", body, token=token)
        assert status == want, (body, answer)
        assert isinstance(answer, dict) and says in answer["error"], (body, answer)
    status, answer = live.post("/leads", {"name": "A", "note": "x" * (65 * 1024)}, token=SECRET)
    assert status == 413 and "64 KB" in answer["error"]
    # just under the cap is a body like any other (the note's own limit answers)
    status, answer = live.post("/leads", {"name": "A", "note": "x" * (60 * 1024)}, token=SECRET)
    assert status == 400 and "too long" in answer["error"]
    # a connection that sends garbage, then one that goes away mid-body
    with socket.create_connection(("127.0.0.1", live.port)) as s:
        s.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        s.recv(100)
    with socket.create_connection(("127.0.0.1", live.port)) as s:
        s.sendall(b"POST /leads HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n"
                  b"Authorization: Bearer " + SECRET.encode() + b"\r\n\r\n{\"name\":")
    status, body = live.post("/leads", {"name": "Last"}, token=SECRET)
    assert status == 201 and body["lead"] == "L-2"
    assert live.close() == 0
    assert [r["name"] for r in leads(live)] in (["Jane", "Last"], ["Last", "Jane"])
    assert SECRET not in live.stderr


def test_the_scheme_is_any_case_the_secret_exact(live):
    import urllib.request
    for scheme, want in (("bearer", 201), ("BEARER", 201), ("Basic", 401), ("Bearer  ", 401)):
        req = urllib.request.Request(f"http://127.0.0.1:{live.port}/leads", method="POST",
                                     data=json.dumps({"name": scheme}).encode(),
                                     headers={"Authorization": f"{scheme} {SECRET}"})
        try:
            status = urllib.request.urlopen(req, timeout=10).status
        except urllib.error.HTTPError as e:
            status = e.code
        assert status == want, scheme
    assert live.close() == 0
    assert sorted(r["name"] for r in leads(live)) == ["BEARER", "bearer"]


def test_no_secret_means_no_route(tmp_path):
    b = LiveConsole(tmp_path).start()
    status, _ = b.post("/leads", {"name": "A"}, token="")
    assert status == 404
    assert b.close() == 0
    assert leads(b) == []


def test_secret_from_the_environment(tmp_path):
    b = LiveConsole(tmp_path, env={"SMARKBOT_LEADS_SECRET": "from-env-secret"}).start()
    assert b.post("/leads", {"name": "A"}, token="from-env-secret")[0] == 201
    assert b.post("/leads", {"name": "B"}, token=SECRET)[0] == 401
    assert b.close() == 0
    assert "from-env-secret" not in b.stderr

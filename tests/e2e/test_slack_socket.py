# SPDX-License-Identifier: MIT
"""Slack Socket Mode connection lifecycle (docs/slack.md section 1; issue points 1, 3, 7)."""
import socket
import time

import pytest

from fake_slack import now


def start(sbot, fake, **kw):
    sbot.start(**kw)
    return fake.wait_hello(1, timeout=15)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def opens_after(fake, t):
    return [c for c in fake.api_calls("apps.connections.open") if c.t > t]


def test_connects_with_app_token_and_waits_for_hello(sbot, fake):
    conn = start(sbot, fake)
    first = fake.api_calls("apps.connections.open")[0]
    assert first.verb == "POST"
    assert first.header("authorization") == "Bearer " + fake.app_token
    assert first.response["ok"] is True
    assert conn.ticket in first.response["url"] and conn.path.startswith("/link/")
    # the bot talks on the socket after hello only, and serves commands
    assert all(t >= conn.hello_at for t, _ in conn.texts)
    ack = fake.command("help")
    assert "lead add" in fake.reply_text(ack)
    assert len(fake.open_conns()) == 1


@pytest.mark.parametrize("file_tokens", [("", ""), ("xapp-1-A111-stale", "xoxb-111-stale")])
def test_tokens_from_environment_win_over_the_file(sbot, fake, file_tokens):
    sbot.configure(tokens_in_env=True, file_tokens=file_tokens)
    conn = start(sbot, fake)
    assert fake.api_calls("apps.connections.open")[0].response["ok"] is True
    assert "lead add" in fake.reply_text(fake.command("help"))
    assert conn.open


def test_invalid_auth_stops_with_a_clear_error(sbot, fake):
    fake.app_token = "xapp-1-A111-the-server-wants-another-one"
    sbot.start()
    rc = sbot.wait_exit(20)
    assert rc != 0
    assert "invalid_auth" in sbot.stderr
    assert len(fake.api_calls("apps.connections.open")) <= 2, "kept retrying a bad token"
    assert not fake.conns


def test_bot_token_invalid_auth_is_reported(sbot, fake):
    right = fake.bot_token
    fake.bot_token = "xoxb-the-server-wants-another-one"
    start(sbot, fake)
    # the Web API refuses the bot token: the reply cannot go out; the bot says
    # why (it may stop, non-zero, or keep the post queued and go on)
    fake.wait_ack(fake.send(fake.dm("help lead add", user="U0ALICE")), 3)
    fake.wait_for(lambda: any(c.response == {"ok": False, "error": "invalid_auth"}
                              for c in fake.api_calls() if c.method != "apps.connections.open"),
                  20, "a Web API call refused with invalid_auth")
    fake.watch = None
    fake.wait_for(lambda: "invalid_auth" in sbot.stderr, 10, "invalid_auth in the log")
    if sbot.running():
        sbot.stop()
    else:
        assert sbot.wait_exit(1) != 0
    # with the right token the queued reply goes out, once
    fake.bot_token = right
    sbot.start()
    fake.wait_for(lambda: fake.posts_to("D0ALICE"), 20, "the queued reply after the token was fixed")
    time.sleep(1)
    assert len(fake.posts_to("D0ALICE")) == 1
    assert "lead add" in fake.posts_to("D0ALICE")[0]["text"]


def attempts(calls):
    """Calls minus libcurl's transparent retry of a reused connection that was
    dropped without an answer (it re-sends at once on a fresh one)."""
    out = []
    for c in calls:
        if out and out[-1].response == "dropped" and c.t - out[-1].t < 0.1:
            continue
        out.append(c)
    return out


def test_server_pings_answered_and_own_pings_sent(sbot, fake):
    fake.ping_interval = 0.5
    conn = start(sbot, fake)
    fake.wait_for(lambda: sum(1 for p in conn.server_pings if p[2]) >= 3, 10,
                  "3 server pings answered")
    for sent, payload, pong in conn.server_pings[:3]:
        assert pong - sent < 1.0
    # the bot's own keepalive (≤ 30 s apart, docs section 1.4)
    fake.wait_for(lambda: conn.client_pings, 35, "a ping from the bot")
    assert conn.open and len(fake.conns) == 1


@pytest.mark.parametrize("reason", ["warning", "refresh_requested"])
def test_disconnect_opens_new_socket_then_closes_old(sbot, fake, reason):
    old = start(sbot, fake)
    t0 = now()
    fake.disconnect(old, reason, grace=20)
    # an envelope already on its way on the old socket is acked there
    eid = fake.send(fake.slash('lead add "In flight"'), conn=old)
    new = fake.wait_hello(2, timeout=15)
    assert new.ticket != old.ticket
    assert opens_after(fake, t0), "no fresh apps.connections.open"
    fake.wait_ack(eid, 5)
    fake.wait_for(lambda: not old.open, 10, "the old socket closed by the bot")
    assert old.closed_by == "client"
    assert old.closed_at >= new.hello_at, "old socket closed before the new hello"
    assert old.closed_at - t0 < 20
    assert "In flight" in [lead["name"] for lead in sbot.export("leads")]
    ack = fake.command('lead add "After"')
    assert ack.conn_id == new.id and "created" in fake.reply_text(ack)
    time.sleep(1)
    assert len(fake.open_conns()) == 1


def test_routine_refresh_loses_no_command(sbot, fake):
    fake.lifetime = 2.5     # every connection gets refresh_requested after 2.5 s
    start(sbot, fake)
    sent = []
    deadline = now() + 8
    i = 0
    while now() < deadline:
        sent.append(fake.send(fake.slash(f'lead add "Steady {i}"')))
        i += 1
        time.sleep(0.2)
    for eid in sent:
        fake.wait_ack(eid, 10)
    assert len(fake.conns) >= 3
    names = [lead["name"] for lead in sbot.export("leads")]
    assert sorted(names) == sorted(f"Steady {j}" for j in range(i))
    assert max(fake.ack_of(e).latency for e in sent) < 3.0


def test_too_many_websockets_backs_off(sbot, fake):
    old = start(sbot, fake)
    t0 = now()
    fake.disconnect(old, "too_many_websockets", grace=0.5)
    new = fake.wait_hello(2, timeout=60)
    first = opens_after(fake, t0)[0]
    assert first.t - t0 >= 1.0, f"reconnected {first.t - t0:.2f}s after too_many_websockets"
    assert len(opens_after(fake, t0)) <= 3
    assert new.ticket != old.ticket


def test_link_disabled_stops_reconnecting(sbot, fake):
    old = start(sbot, fake)
    t0 = now()
    fake.disconnect(old, "link_disabled", grace=0.5)
    time.sleep(6)
    assert not opens_after(fake, t0), "reconnected after link_disabled"
    assert len(fake.conns) == 1
    assert "link_disabled" in sbot.stderr


def test_abrupt_close_reconnects_with_a_fresh_url(sbot, fake):
    old = start(sbot, fake)
    fake.abort(old)
    new = fake.wait_hello(2, timeout=20)
    assert new.ticket != old.ticket
    assert "created" in fake.reply_text(fake.command('lead add "After abort"'))


def test_connection_failures_back_off_exponentially(sbot, fake):
    old = start(sbot, fake)
    dead = f"ws://127.0.0.1:{free_port()}/link/?ticket=1&app_id=A111"
    fake.script("apps.connections.open",
                {"status": 500},                      # HTTP error
                {"error": "internal_error"},          # ok:false
                {"drop": True},                       # connection reset, no answer
                {"drop": True},                       # (libcurl's own retry of it)
                {"url": dead})                        # connect refused
    t0 = now()
    fake.abort(old)
    new = fake.wait_hello(2, timeout=60)
    calls = attempts(opens_after(fake, t0))
    assert len(calls) >= 5 and calls[-1].response["ok"]
    gaps = [b.t - a.t for a, b in zip(calls, calls[1:])]
    assert min(gaps) > 0.1, f"no backoff: {gaps}"
    assert gaps[-1] > gaps[0] * 1.5, f"not exponential: {gaps}"
    assert new.ticket != old.ticket


def test_connections_open_ratelimited_honours_retry_after(sbot, fake):
    old = start(sbot, fake)
    fake.script("apps.connections.open", {"status": 429, "retry_after": 3})
    t0 = now()
    fake.abort(old)
    fake.wait_hello(2, timeout=30)
    calls = opens_after(fake, t0)
    assert calls[0].status == 429
    assert calls[1].t - calls[0].t >= 2.9, f"Retry-After not honoured: {calls[1].t - calls[0].t:.2f}s"


def test_half_open_socket_detected(sbot, fake):
    fake.ping_interval = 1.0
    old = start(sbot, fake)
    time.sleep(1.5)
    fake.silence(old)      # no pings, no pongs, no envelopes: a half-open TCP link
    new = fake.wait_hello(2, timeout=60)
    assert new.ticket != old.ticket
    fake.wait_for(lambda: not old.open, 15, "the dead socket dropped")
    assert "created" in fake.reply_text(fake.command('lead add "After silence"'))


def test_bot_token_never_logged_at_debug(sbot, fake):
    # log_level = debug is the fixture's default; the teardown greps for both tokens
    start(sbot, fake)
    fake.command('lead add "Log me"')
    fake.send(fake.dm("help", user="U0ALICE"))
    fake.wait_for(lambda: fake.private_replies("U0ALICE"), 10, "the DM reply")
    err = sbot.stderr
    assert fake.app_token not in err and fake.bot_token not in err
    assert "Bearer xox" not in err and "Bearer xapp" not in err

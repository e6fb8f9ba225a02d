# SPDX-License-Identifier: MIT
"""GET /healthz and GET /metrics on the bot's one listener (issue 10, point 1)."""
import json
import re
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request

from conftest import BASE_CONFIG, SMARKBOT, check_sanitizers
from fake_mattermost import free_port


def get(port, path, method="GET"):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


def raw(port, data):
    """Sends data as is; the answer's first bytes (b"" when the bot just closed)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        try:
            s.sendall(data)
            return s.recv(200)
        except (ConnectionResetError, BrokenPipeError):
            return b""


def wait_listening(port, proc, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        assert proc.poll() is None, "the bot exited"
        try:
            return get(port, "/healthz")
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    raise AssertionError("the listener never came up")


def families(text):
    """{name: type} from the # TYPE lines, after checking the format's rules."""
    types, helps = {}, set()
    for line in text.splitlines():
        if line.startswith("# HELP "):
            helps.add(line.split()[2])
        elif line.startswith("# TYPE "):
            _, _, name, kind = line.split()
            assert name in helps, f"TYPE before HELP for {name}"
            types[name] = kind
        else:
            m = re.fullmatch(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)', line)
            assert m, f"not a sample line: {line!r}"
            name = m.group(1)
            base = re.sub(r"_(bucket|sum|count)$", "", name)
            assert name in types or base in types, f"sample without TYPE: {line}"
            float(m.group(3).replace("Inf", "inf"))
    assert types and all(n.startswith("smarkbot_") for n in types), types
    assert set(types) == helps
    return types


def sample(text, name, **labels):
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pat = re.escape(name) + (r"\{" + re.escape(want) + r"\}" if want else "") + r" (\S+)"
    m = re.search("^" + pat + "$", text, re.M)
    return float(m.group(1)) if m else None


class Console:
    def __init__(self, path, port):
        self.path = path
        (path / "smarkbot.ini").write_text(
            BASE_CONFIG.format(timezone="UTC") + f"\n[http]\nlisten = 127.0.0.1:{port}\n")
        self.proc = subprocess.Popen([SMARKBOT, "-c", "smarkbot.ini", "--console", "--as", "alice",
                                      "--now", "2026-11-23T09:00"], cwd=path,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)

    def say(self, line):
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()

    def close(self):
        out, err = self.proc.communicate(timeout=20)
        err = err.decode(errors="replace")
        check_sanitizers(err)
        assert self.proc.returncode == 0, err
        return out.decode(errors="replace"), err


def test_console_health_metrics_and_wrong_requests(tmp_path):
    port = free_port()
    c = Console(tmp_path, port)
    st, headers, body = wait_listening(port, c.proc)
    assert st == 200 and headers["Content-Type"].startswith("application/json")
    assert json.loads(body) == {"status": "ok", "platform": "console"}
    c.say('/smk lead add "Jane Doe" company=ACME email=jane@acme.com score=80')
    c.say("/smk handoff L-1 bob")
    c.say("/smk bogus")
    c.say("@bob /smk lead add x")      # sales may not add leads: refused
    c.say("!now")
    # the console answers in order: once !now printed, the commands ran
    end = time.time() + 10
    text = ""
    while time.time() < end:
        st, headers, text = get(port, "/metrics")
        if sample(text, "smarkbot_commands_total", command="handoff", outcome="ok"):
            break
        time.sleep(0.05)
    assert st == 200
    assert headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    types = families(text)
    assert types["smarkbot_commands_total"] == "counter"
    assert types["smarkbot_outbox_pending"] == "gauge"
    assert sample(text, "smarkbot_commands_total", command="lead add", outcome="ok") == 1
    assert sample(text, "smarkbot_commands_total", command="handoff", outcome="ok") == 1
    assert sample(text, "smarkbot_commands_total", command="unknown", outcome="refused") == 1
    assert sample(text, "smarkbot_commands_total", command="lead add", outcome="refused") == 1
    assert sample(text, "smarkbot_link_up", platform="console") == 1
    assert sample(text, "smarkbot_sends_total", result="failed", kind="channel") == 0
    assert sample(text, "smarkbot_outbox_pending", kind="channel") == 0
    assert sample(text, "smarkbot_build_info", version=re.search(
        r'version="([^"]+)"', text).group(1)) == 1
    # what the listener answers itself, and the bot goes on
    assert get(port, "/nope")[0] == 404
    st, headers, _ = get(port, "/healthz", method="POST")
    assert st == 405 and "GET" in headers["Allow"]
    assert get(port, "/metrics", method="POST")[0] == 405
    assert get(port, "/healthz")[0] == 200
    # malformed and oversized requests: refused, and the bot goes on
    assert raw(port, b"NOT HTTP AT ALL\r\n\r\n").startswith(b"HTTP/1.1 400")
    assert raw(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 +
               b"\r\n\r\n")[:12] in (b"HTTP/1.1 400", b"HTTP/1.1 431", b"")
    assert get(port, "/healthz")[0] == 200

    # a database another process holds the write lock of is not writable
    db = sqlite3.connect(tmp_path / "smarkbot.db", timeout=0, isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    st, _, body = get(port, "/healthz")
    assert st == 503, body
    got = json.loads(body)
    assert got["status"] == "unavailable" and "database" in got["reason"], got
    db.execute("ROLLBACK")
    db.close()
    assert get(port, "/healthz")[0] == 200
    out, _ = c.close()
    assert "L-1 created" in out
    # a new process counts from 0, whatever the database holds
    c = Console(tmp_path, port)
    wait_listening(port, c.proc)
    c.say("/smk help")
    c.say("!now")
    fake_wait = time.time() + 10
    while time.time() < fake_wait:
        text = get(port, "/metrics")[2]
        if sample(text, "smarkbot_commands_total", command="help", outcome="ok"):
            break
        time.sleep(0.05)
    assert sample(text, "smarkbot_commands_total", command="help", outcome="ok") == 1
    assert sample(text, "smarkbot_commands_total", command="lead add", outcome="ok") is None
    c.close()


def test_routes_are_off_without_a_listener(tmp_path):
    # the default: no [http] listen, nothing listens (metrics are still counted)
    (tmp_path / "smarkbot.ini").write_text(BASE_CONFIG.format(timezone="UTC"))
    proc = subprocess.run([SMARKBOT, "-c", "smarkbot.ini", "--console"], cwd=tmp_path,
                          input=b"/smk help\n", capture_output=True, timeout=30)
    check_sanitizers(proc.stderr.decode())
    assert proc.returncode == 0 and b"listen" not in proc.stderr


def test_slack_link_down_then_up(sbot, fake):
    port = free_port()
    sbot.configure(extra=f"\n[http]\nlisten = 127.0.0.1:{port}\n")
    fake.refuse_connections()
    sbot.start()
    st, _, body = wait_listening(port, sbot.proc)
    time.sleep(1.2)
    st, _, body = get(port, "/healthz")
    assert st == 503, body
    got = json.loads(body)
    assert got["status"] == "unavailable"
    assert re.fullmatch(r"slack link down for [1-9]\d* s", got["reason"]), got
    text = get(port, "/metrics")[2]
    assert sample(text, "smarkbot_link_up", platform="slack") == 0
    assert sample(text, "smarkbot_link_reconnects_total", link="slack", reason="no_url") >= 1
    fake.refuse_connections(False)
    fake.wait_hello(1, timeout=30)
    fake.wait_for(lambda: get(port, "/healthz")[0] == 200, 10, "healthz 200 once up")
    assert json.loads(get(port, "/healthz")[2]) == {"status": "ok", "platform": "slack"}
    assert "lead add" in fake.reply_text(fake.command("help"))
    dm = fake.dm("help")
    fake.send(dm)
    fake.wait_for(lambda: fake.private_replies("U0ALICE"), 10, "the DM reply")
    fake.send(dm)           # a redelivery: handled once, counted as such
    fake.wait_for(lambda: sample(get(port, "/metrics")[2], "smarkbot_events_deduplicated_total",
                                 platform="slack"), 10, "the redelivery counted")
    fake.wait_for(lambda: (sample(get(port, "/metrics")[2], "smarkbot_sends_total",
                                  result="ok", kind="channel") or 0) >= 1, 10, "a send counted")
    text = get(port, "/metrics")[2]
    types = families(text)
    assert sample(text, "smarkbot_link_up", platform="slack") == 1
    assert sample(text, "smarkbot_events_received_total", platform="slack") >= 2
    assert sample(text, "smarkbot_commands_total", command="help", outcome="ok") >= 2
    assert types["smarkbot_ack_latency_seconds"] == "histogram"
    acks = sample(text, "smarkbot_ack_latency_seconds_count", platform="slack")
    assert acks >= 3        # the command, the DM and its redelivery
    assert sample(text, "smarkbot_ack_latency_seconds_bucket", platform="slack", le="+Inf") == acks
    assert sample(text, "smarkbot_ack_latency_seconds_sum", platform="slack") < acks * 2.5
    # a lost connection: down, counted, and up again
    fake.drop_connections()
    fake.wait_hello(2, timeout=30)
    fake.wait_for(lambda: get(port, "/healthz")[0] == 200, 10, "healthz 200 after the reconnect")
    text = get(port, "/metrics")[2]
    assert sample(text, "smarkbot_link_reconnects_total", link="slack", reason="closed") >= 1
    # SIGTERM: what is under way finishes, the exit is 0 and quick
    fake.command('lead add "Last one" company=Z')
    t = time.time()
    assert sbot.stop() == 0
    assert time.time() - t < 5


def test_mattermost_health_shares_the_listener(mbot, mm):
    mbot.start().wait_ready()
    port = mbot.port
    fake_wait = time.time() + 10
    while get(port, "/healthz")[0] != 200 and time.time() < fake_wait:
        time.sleep(0.05)
    assert json.loads(get(port, "/healthz")[2]) == {"status": "ok", "platform": "mattermost"}
    text = get(port, "/metrics")[2]
    families(text)
    assert sample(text, "smarkbot_link_up", platform="mattermost") == 1
    # the server goes away: 503 while the link is down, the slash route still there
    mm.refuse_connections()
    mm.drop_connections()
    mm.wait_for(lambda: get(port, "/healthz")[0] == 503, 10, "healthz 503")
    reason = json.loads(get(port, "/healthz")[2])["reason"]
    assert re.fullmatch(r"mattermost link down for \d+ s", reason), reason
    assert get(port, "/mattermost/command")[0] == 405
    mm.refuse_connections(False)
    mm.wait_for(lambda: get(port, "/healthz")[0] == 200, 30, "healthz 200 again")
    text = get(port, "/metrics")[2]
    assert sample(text, "smarkbot_link_reconnects_total", link="mattermost", reason="closed") >= 1


def test_webhook_sends_and_a_stuck_outbox_in_the_metrics(tmp_path):
    from fake_webhook import FakeWebhook
    from live_console import LiveConsole
    hook = FakeWebhook("metrics-s3cret").start()
    try:
        hook.outage("POST /hook", {"status": 503})
        b = LiveConsole(tmp_path, extra=f"\n[webhook]\nurl = {hook.endpoint()}\n"
                                        "secret = metrics-s3cret\n").start(now=None)
        # (the real clock: the age of a row is counted on the bot's clock)
        b.say('/smk lead add "Jane Doe" company=ACME')
        # the receiver is down: the event waits in the outbox, its age grows
        b.wait(lambda: (sample(get(b.port, "/metrics")[2], "smarkbot_sends_total",
                               result="retry", kind="webhook") or 0) >= 1, "a retry counted")
        time.sleep(1.1)
        text = get(b.port, "/metrics")[2]
        assert sample(text, "smarkbot_outbox_pending", kind="webhook") == 1
        assert sample(text, "smarkbot_outbox_oldest_pending_seconds", kind="webhook") >= 1
        hook.outage("POST /hook")
        hook.wait_for(lambda: hook.unique(), what="the event, once back")
        b.wait(lambda: sample(get(b.port, "/metrics")[2], "smarkbot_outbox_pending",
                              kind="webhook") == 0, "the outbox drained")
        text = get(b.port, "/metrics")[2]
        assert sample(text, "smarkbot_sends_total", result="ok", kind="webhook") == 1
        assert sample(text, "smarkbot_outbox_oldest_pending_seconds", kind="webhook") == 0
        b.close()
    finally:
        hook.stop()

# SPDX-License-Identifier: MIT
"""Helpers for end-to-end tests that drive the real ./smarkbot binary."""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SMARKBOT = os.environ.get("SMARKBOT", str(ROOT / "smarkbot"))
START = "2026-11-23T09:00"  # a Monday, 09:00 in the demo's time zone

BASE_CONFIG = """\
[bot]
platform = console
database = smarkbot.db
timezone = {timezone}
log_level = warn

[channels]
marketing = marketing
sales = sales
digest = smarketing

[roles]
marketing = alice
sales = bob, dave
managers = carol

[sla]
response = 4h
mql_monthly_target = 200
hours = mon-fri 09:00-18:00
holidays = 2026-12-25, 2027-01-01
"""

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                   "runtime error:", "SUMMARY: UndefinedBehaviorSanitizer")


def check_sanitizers(stderr):
    for mark in SANITIZER_MARKS:
        assert mark not in stderr, stderr


class Bot:
    """A console bot in a directory of its own; each run() is one process
    on the same database, so a second run() is a restart."""

    def __init__(self, path, timezone="America/Sao_Paulo", extra=""):
        self.path = path
        self.config = path / "smarkbot.ini"
        self.config.write_text(BASE_CONFIG.format(timezone=timezone) + extra)

    def run(self, script, now=START, as_user="alice", args=(), check=True,
            timeout=60):
        cmd = [SMARKBOT, "-c", str(self.config), "--console", "--as", as_user]
        if now:
            cmd += ["--now", now]
        cmd += list(args)
        if isinstance(script, (list, tuple)):
            script = "\n".join(script) + "\n"
        proc = subprocess.run(cmd, input=script.encode() if isinstance(script, str) else script,
                              capture_output=True, timeout=timeout, cwd=self.path)
        out, err = proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace")
        check_sanitizers(err)
        if check:
            assert proc.returncode == 0, err
        self.stderr = err
        return out

    def lines(self, script, **kw):
        return self.run(script, **kw).splitlines()

    def export(self, what, fmt="jsonl"):
        proc = subprocess.run([SMARKBOT, "export", what, "--format", fmt, "-c", str(self.config)],
                              capture_output=True, timeout=60, cwd=self.path)
        check_sanitizers(proc.stderr.decode(errors="replace"))
        assert proc.returncode == 0, proc.stderr.decode()
        return proc.stdout.decode()


@pytest.fixture
def bot(tmp_path):
    return Bot(tmp_path)


def run_smarkbot(args, cwd, stdin=b"", timeout=60, env=None):
    proc = subprocess.run([SMARKBOT] + list(args), input=stdin, capture_output=True,
                          timeout=timeout, cwd=cwd, env=env)
    check_sanitizers(proc.stderr.decode(errors="replace"))
    return proc


# --- Slack: the fake server and the real bot against it (test_slack_*.py) ---

@pytest.fixture
def fake():
    from fake_slack import FakeSlack
    f = FakeSlack(ping_interval=2.0).start()
    yield f
    f.stop()


@pytest.fixture
def sbot(tmp_path, fake):
    """A slack bot (not started) wired to fake; on teardown it is stopped with
    SIGTERM and every run is checked against the rules that hold always."""
    from fake_slack import SlackBot
    b = SlackBot(tmp_path, fake, SMARKBOT)
    yield b
    if b.running():
        assert b.stop() == 0, "smarkbot did not exit 0 on SIGTERM\n" + b.stderr[-3000:]
    check_slack_run(b, fake)


def check_slack_run(b, fake):
    from fake_slack import blockkit_problems
    err = b.stderr
    check_sanitizers(err)
    for secret in (fake.app_token, fake.bot_token, fake.app_token[-12:], fake.bot_token[-12:]):
        assert secret not in err, "a token is in the log"
    # every Web API call authenticated with the right token, in the header
    for c in fake.api_calls():
        want = fake.app_token if c.method == "apps.connections.open" else fake.bot_token
        if c.response != {"ok": False, "error": "invalid_auth"}:
            assert c.header("authorization") == "Bearer " + want, c
    # acks: on the socket the envelope came on, one frame, under 20 KB
    for a in fake.acks:
        assert a.delivered_conn_id is not None, f"ack of an unknown envelope {a}"
        assert a.conn_id == a.delivered_conn_id, f"ack on another socket: {a}"
        assert a.size < 20 * 1024, f"ack of {a.size} bytes"
    for c in fake.conns:
        assert c.fragmented == 0, f"{c}: fragmented frames"
    assert not fake.junk, f"frames that are not acks: {fake.junk[:3]}"
    # Block Kit limits and fallback text on everything posted or updated
    for m in fake.posts:
        assert not blockkit_problems(m["body"]), (blockkit_problems(m["body"]), m["body"])
        for u in m["updates"]:
            assert not blockkit_problems(u), (blockkit_problems(u), u)
    for a in fake.acks:
        if isinstance(a.payload, dict):
            assert not blockkit_problems(a.payload), (blockkit_problems(a.payload), a.payload)


# --- Mattermost: the fake server and the real bot against it (test_mattermost*.py) ---

@pytest.fixture
def mm():
    from fake_mattermost import FakeMattermost
    f = FakeMattermost(ping_interval=2.0).start()
    yield f
    f.stop()


@pytest.fixture
def mbot(tmp_path, mm):
    """A mattermost bot (not started) wired to mm; on teardown it is stopped
    with SIGTERM and every run is checked against the rules that hold always."""
    from fake_mattermost import MattermostBot
    b = MattermostBot(tmp_path, mm, SMARKBOT)
    yield b
    if b.running():
        assert b.stop() == 0, "smarkbot did not exit 0 on SIGTERM\n" + b.stderr[-3000:]
    check_mattermost_run(b, mm)


def check_mattermost_run(b, mm):
    err = b.stderr
    check_sanitizers(err)
    for secret in (b.token, b.token[-12:]):
        assert secret not in err, "the token is in the log"
    # every REST call authenticated with the bot's token, in the header
    for c in mm.rest_calls():
        if c.endpoint.startswith("POST /hooks/"):
            continue
        assert c.headers.get("authorization") == "Bearer " + b.token, c

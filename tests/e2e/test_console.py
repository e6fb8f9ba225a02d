# SPDX-License-Identifier: MIT
"""The console protocol (product.md section 9) and the refusal classes."""
from conftest import Bot, run_smarkbot


def test_speakers_and_private_replies(bot):
    out = bot.lines([
        '/smk lead add "Jane Doe" company=ACME email=jane@acme.com',
        '@bob /smk lead add "Someone"',
        "!now",
    ])
    assert out[0] == "> L-1 created: Jane Doe, ACME (mql). Hand it to sales with /smk handoff L-1"
    assert out[1] == "> only marketing or managers can add leads"
    assert out[2] == "> 2026-11-23T09:00:00-03:00"


def test_advance_moves_the_clock(bot):
    out = bot.lines(["!advance 90m", "!now", "!advance 2d", "!now", "!advance soon"])
    assert out[0] == "> 2026-11-23T10:30:00-03:00"
    assert out[1] == "> 2026-11-25T10:30:00-03:00"
    assert out[2].startswith("> usage: !advance")


def test_now_with_offset(bot):
    assert bot.lines(["!now"], now="2026-11-23T12:00Z") == ["> 2026-11-23T09:00:00-03:00"]


def test_unknown_command_suggests(bot):
    out = bot.lines(["/smk hnadoff L-3", "/smk frobnicate", "!frob"])
    assert out[0] == "> unknown command 'hnadoff'; did you mean 'handoff'? try /smk help"
    assert out[1] == "> unknown command 'frobnicate'; try /smk help"
    assert out[2].startswith("> unknown console command")


def test_hostile_input_is_refused_or_stored_verbatim(bot):
    huge = "x" * 100_000
    name = "N" * 10_000
    out = bot.lines([
        '/smk lead add "unclosed',
        "/smk lead add " + huge,
        '/smk lead add "' + name + '"',
        "/smk lead add \"Robert'); DROP TABLE leads;--\" company=\"x\\\"y\"",
        "/smk lead add \"tab\x01\"",
    ])
    assert out[0] == '> unclosed quote; close it with "'
    assert out[1].startswith("> message too long")
    assert out[2].startswith("> message too long") or out[2].startswith("> a name has")
    assert out[3].startswith("> L-1 created: Robert'); DROP TABLE leads;--")
    assert out[4] == "> message contains control characters"
    leads = bot.export("leads")
    assert "DROP TABLE" in leads and leads.count("\n") == 1


def test_invalid_utf8_refused(tmp_path):
    b = Bot(tmp_path)
    out = b.run(b'/smk lead add "\xff\xfe"\n').splitlines()
    assert out == ["> message is not valid UTF-8"]


def test_check_config_reports_file_and_line(tmp_path):
    bad = tmp_path / "bad.ini"
    bad.write_text("[bot]\nplatform = console\ncolour = blue\n[roles]\nsales = bob\n")
    proc = run_smarkbot(["-c", str(bad), "--check-config"], cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.decode().strip() == f"smarkbot: {bad}:3: unknown key 'colour' in [bot]"

    bad.write_text("[bot]\n\n[sla]\nresponse = soon\n")
    proc = run_smarkbot(["-c", str(bad), "--check-config"], cwd=tmp_path)
    assert proc.returncode == 2
    assert f"{bad}:4: response must be a duration" in proc.stderr.decode()

    bad.write_text("[bot]\ntimezone = Mars/Olympus\n")
    proc = run_smarkbot(["-c", str(bad), "--check-config"], cwd=tmp_path)
    assert f"{bad}:2: unknown time zone 'Mars/Olympus'" in proc.stderr.decode()

    bad.write_text("[bot]\nplatform = slack\n")
    proc = run_smarkbot(["-c", str(bad), "--check-config"], cwd=tmp_path, env={})
    assert proc.returncode == 2
    assert "app_token" in proc.stderr.decode()

    good = tmp_path / "good.ini"
    good.write_text("[bot]\nplatform = console\n[roles]\nsales = bob\n")
    proc = run_smarkbot(["-c", str(good), "--check-config"], cwd=tmp_path)
    assert proc.returncode == 0


def test_a_listener_port_in_use_stops_the_start_with_what_is_wrong(tmp_path):
    import socket
    from conftest import Bot
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        bot = Bot(tmp_path, extra=f"\n[http]\nlisten = 127.0.0.1:{port}\n")
        proc = run_smarkbot(["-c", str(bot.config), "--console"], tmp_path, stdin=b"help\n")
    assert proc.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in proc.stderr.decode()


def test_one_bot_per_database_files_private_and_export_read_only(tmp_path):
    import os
    import stat
    import subprocess
    import time
    from conftest import SMARKBOT
    bot = Bot(tmp_path)
    bot.run(['/smk lead add "\tTabbed" company=T'])
    db = tmp_path / "smarkbot.db"
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600
    first = subprocess.Popen([SMARKBOT, "-c", str(bot.config), "--console"], cwd=tmp_path,
                             stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        proc = run_smarkbot(["-c", str(bot.config), "--console"], tmp_path, stdin=b"help\n")
        assert proc.returncode == 1
        assert "another smarkbot is already running" in proc.stderr.decode()
        # export reads while the bot runs, and writes nothing
        before = db.stat().st_mtime_ns
        proc = run_smarkbot(["export", "leads", "-c", str(bot.config)], tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert db.stat().st_mtime_ns == before
    finally:
        first.stdin.close()
        first.wait(10)
    # a leading tab or CR is a spreadsheet's formula trick too (typed names
    # are trimmed, but data can come from elsewhere)
    import sqlite3
    with sqlite3.connect(db) as c:
        c.execute("UPDATE leads SET company = ? WHERE id = 1", ("\t=1+1",))
    proc = run_smarkbot(["export", "leads", "-c", str(bot.config)], tmp_path)
    assert b"\"'\t=1+1\"" in proc.stdout, proc.stdout


def test_plain_http_platform_urls_only_to_this_machine(tmp_path):
    bot = Bot(tmp_path, extra="")
    text = bot.config.read_text().replace("platform = console", "platform = mattermost")
    bot.config.write_text(text + "\n[mattermost]\nurl = http://chat.example.com\ntoken = t\n"
                          "team = x\n")
    proc = run_smarkbot(["-c", str(bot.config), "--check-config"], tmp_path)
    assert proc.returncode != 0
    assert "would send the token in clear" in proc.stderr.decode()
    bot.config.write_text(text + "\n[mattermost]\nurl = http://127.0.0.1:8065\ntoken = t\n"
                          "team = x\n")
    proc = run_smarkbot(["-c", str(bot.config), "--check-config"], tmp_path)
    assert "in clear" not in proc.stderr.decode()

# SPDX-License-Identifier: MIT
"""Running it like a service: --version, backup, logs, signals (issue 10)."""
import json
import re
import sqlite3
import subprocess
import threading
import time
import urllib.request

from conftest import BASE_CONFIG, SMARKBOT, check_sanitizers, run_smarkbot


def test_version_names_the_libraries(tmp_path):
    proc = run_smarkbot(["--version"], tmp_path)
    assert proc.returncode == 0
    lines = proc.stdout.decode().splitlines()
    assert re.fullmatch(r"smarkbot \d+\.\d+\.\d+", lines[0]), lines
    names = [line.split()[0] for line in lines[1:]]
    assert names == ["libwebsockets", "libcurl", "Jansson", "SQLite", "inih"], lines
    for line in lines[1:5]:
        assert re.search(r" \d+\.\d+", line), line
    # the SQLite it runs on is the system's, the one Python uses too
    assert f"SQLite {sqlite3.sqlite_version}" in lines
    assert "inih" in lines[5] and ("no run-time version" in lines[5] or "none" in lines[5])
    assert run_smarkbot(["-V"], tmp_path).stdout == proc.stdout


def write_config(path, database="smarkbot.db"):
    cfg = path / "smarkbot.ini"
    cfg.write_text(BASE_CONFIG.format(timezone="UTC").replace(
        "database = smarkbot.db", f"database = {database}"))
    return cfg


def export_leads(cfg, cwd):
    proc = run_smarkbot(["export", "leads", "--format", "jsonl", "-c", str(cfg)], cwd)
    assert proc.returncode == 0, proc.stderr.decode()
    return [json.loads(line) for line in proc.stdout.decode().splitlines()]


def test_backup_while_the_bot_writes(tmp_path):
    cfg = write_config(tmp_path)
    count = 150
    # the database made and migrated first: a copy taken during the very first
    # start would be at a migration step, which export (rightly) refuses
    assert run_smarkbot(["-c", str(cfg), "--console"], tmp_path).returncode == 0
    bot = subprocess.Popen([SMARKBOT, "-c", str(cfg), "--console", "--as", "alice",
                            "--now", "2026-11-23T09:00"], cwd=tmp_path, stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = []
    reader = threading.Thread(target=lambda: out.append(bot.stdout.read()), daemon=True)
    reader.start()

    def feed():
        for i in range(count):
            bot.stdin.write(f'/smk lead add "Lead {i}" company=C{i} email=l{i}@x.com\n'.encode())
            bot.stdin.flush()
            time.sleep(0.01)
        bot.stdin.close()
    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    copies = []
    while writer.is_alive() or not copies:
        n = len(copies)
        copy = tmp_path / f"copy{n}.db"
        proc = run_smarkbot(["backup", str(copy), "-c", str(cfg)], tmp_path)
        assert proc.returncode == 0, proc.stderr.decode()
        copies.append(copy)
    writer.join()
    bot.wait(60)
    reader.join(10)
    err = bot.stderr.read().decode(errors="replace")
    check_sanitizers(err)
    assert bot.returncode == 0, err
    assert len(copies) >= 2
    last = tmp_path / "final.db"
    assert run_smarkbot(["backup", str(last), "-c", str(cfg)], tmp_path).returncode == 0
    copies.append(last)
    seen = []
    for copy in copies:
        # a single file, a good database, the leads of one moment: 1..k, none torn
        assert not (tmp_path / (copy.name + "-wal")).exists()
        assert copy.stat().st_mode & 0o777 == 0o600     # as private as the database
        db = sqlite3.connect(copy)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        db.close()
        sub = tmp_path / copy.stem
        sub.mkdir()
        leads = export_leads(write_config(sub, database=str(copy)), sub)
        ids = sorted(int(str(lead["id"]).lstrip("L-")) for lead in leads)
        assert ids == list(range(1, len(ids) + 1)), ids
        seen.append(len(ids))
    assert seen == sorted(seen)
    assert seen[-1] == count
    assert not list(tmp_path.glob("*.tmp-*"))


def test_backup_refusals(tmp_path):
    cfg = write_config(tmp_path)
    # no database yet: said, and nothing created
    proc = run_smarkbot(["backup", "copy.db", "-c", str(cfg)], tmp_path)
    assert proc.returncode == 1 and b"does not exist" in proc.stderr
    assert not (tmp_path / "smarkbot.db").exists() and not (tmp_path / "copy.db").exists()
    run_smarkbot(["-c", str(cfg), "--console"], tmp_path, stdin=b"/smk help\n")
    proc = run_smarkbot(["backup", "smarkbot.db", "-c", str(cfg)], tmp_path)
    assert proc.returncode == 1 and b"database itself" in proc.stderr
    assert run_smarkbot(["backup", "-c", str(cfg)], tmp_path).returncode == 2
    assert run_smarkbot(["backup", "a.db", "b.db", "-c", str(cfg)], tmp_path).returncode == 2
    (tmp_path / "elsewhere").mkdir()
    proc = run_smarkbot(["backup", "copy.db"], tmp_path / "elsewhere")
    assert proc.returncode == 2 and b"no config file" in proc.stderr
    # into a directory that does not exist: an error, not a crash
    proc = run_smarkbot(["backup", "no/such/dir/copy.db", "-c", str(cfg)], tmp_path)
    assert proc.returncode == 1 and b"smarkbot: backup:" in proc.stderr


class Running:
    """A console bot that stays up (stdin open) with its output collected."""

    def __init__(self, path, extra="", listen=True):
        from fake_mattermost import free_port
        self.path = path
        self.port = free_port()
        self.config = path / "smarkbot.ini"
        self.base = BASE_CONFIG.format(timezone="UTC").replace("log_level = warn",
                                                               "log_level = info")
        self.write(extra + (f"\n[http]\nlisten = 127.0.0.1:{self.port}\n" if listen else ""))
        self.proc = subprocess.Popen([SMARKBOT, "-c", str(self.config), "--console", "--as",
                                      "alice", "--now", "2026-11-23T09:00"], cwd=path,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.out, self.err = [], []
        for stream, sink in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            threading.Thread(target=self._read, args=(stream, sink), daemon=True).start()

    def write(self, extra, base=None):
        self.config.write_text((base or self.base) + extra)

    @staticmethod
    def _read(stream, sink):
        for line in iter(stream.readline, b""):
            sink.append(line.decode(errors="replace").rstrip("\n"))

    def say(self, line):
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()

    def wait(self, pred, what, timeout=10):
        end = time.time() + timeout
        while time.time() < end:
            if pred():
                return
            assert self.proc.poll() is None, "the bot exited:\n" + "\n".join(self.err)
            time.sleep(0.02)
        raise AssertionError(f"timed out waiting for {what}\nstdout: {self.out}\nstderr: {self.err}")

    def ask(self, line, want):
        n = len(self.out)
        self.say(line)
        self.wait(lambda: any(want in x for x in self.out[n:]), repr(want))
        return self.out[n:]

    def stop(self, sig=15, timeout=5):
        t = time.time()
        self.proc.send_signal(sig)
        self.proc.wait(timeout)
        took = time.time() - t
        time.sleep(0.1)
        check_sanitizers("\n".join(self.err))
        return self.proc.returncode, took


LOGFMT = re.compile(r'ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ level=(error|warn|info|debug) '
                    r'module=[a-z]+ msg="(?:[^"\\]|\\.)*"')


def test_logfmt_by_default_and_sigterm_exits_0_quickly(tmp_path):
    b = Running(tmp_path)
    b.wait(lambda: any("HTTP on" in x for x in b.err), "the listener's log line")
    line = next(x for x in b.err if "HTTP on" in x)
    assert LOGFMT.fullmatch(line), line
    assert f'level=info module=listen msg="HTTP on 127.0.0.1:{b.port}"' in line
    b.ask('/smk lead add "Jane Doe" company=ACME', "L-1 created")
    rc, took = b.stop()
    assert rc == 0 and took < 5, (rc, took)
    assert all(LOGFMT.fullmatch(x) for x in b.err), b.err


def test_json_lines_into_a_file_sigint(tmp_path):
    (tmp_path / "logs").mkdir()
    base = (BASE_CONFIG.format(timezone="UTC")
            .replace("log_level = warn", "log_level = info\nlog_format = json\n"
                     "log_file = logs/bot.log"))
    b = RunningBase(tmp_path, base)
    log = tmp_path / "logs" / "bot.log"
    b.wait(lambda: log.exists() and "HTTP on" in log.read_text(), "the log file")
    b.ask("/smk help", "lead add")
    rc, took = b.stop(sig=2)
    assert rc == 0 and took < 5, (rc, took)
    assert not [x for x in b.err if x.strip()], b.err     # nothing on stderr
    lines = log.read_text().splitlines()
    for line in lines:
        o = json.loads(line)
        assert set(o) == {"ts", "level", "module", "msg"}, o
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", o["ts"])
    assert any(json.loads(x)["msg"] == f"HTTP on 127.0.0.1:{b.port}" for x in lines)


class RunningBase(Running):
    def __init__(self, path, base, extra=""):
        self._base = base
        super().__init__(path, extra)

    def write(self, extra, base=None):
        self.base = base or self._base
        self.config.write_text(self.base + extra)


def test_sighup_reopens_the_log_and_reloads_what_is_safe(tmp_path):
    base = (BASE_CONFIG.format(timezone="UTC")
            .replace("log_level = warn", "log_level = info\nlog_file = bot.log"))
    b = RunningBase(tmp_path, base)
    log = tmp_path / "bot.log"
    b.wait(lambda: log.exists() and "HTTP on" in log.read_text(), "the log file")
    refused = b.ask('@erin /smk lead add "Ann" company=X', "only")
    assert not any("created" in x for x in refused)

    # logrotate: the file is moved away, SIGHUP, the bot writes a new one
    log.rename(tmp_path / "bot.log.1")
    b.write(f"\n[http]\nlisten = 127.0.0.1:{b.port}\n",
            base=base.replace("marketing = alice", "marketing = alice, erin")
                     .replace("database = smarkbot.db", "database = other.db")
                     .replace("response = 4h", "response = 2h"))
    b.proc.send_signal(1)
    b.wait(lambda: log.exists() and "config reloaded" in log.read_text(), "the reload")
    text = log.read_text()
    assert "[roles] marketing" in text and "[sla] response" in text
    assert "restart applies them: [bot] database" in text
    assert "HTTP on" not in text and "HTTP on" in (tmp_path / "bot.log.1").read_text()
    assert b.ask('@erin /smk lead add "Ann" company=X', "L-1 created")
    assert "2h" in " ".join(b.ask("/smk sla", "response"))
    assert not (tmp_path / "other.db").exists()

    # a config with an error changes nothing
    b.write(f"\n[http]\nlisten = 127.0.0.1:{b.port}\n",
            base=base.replace("marketing = alice", "marketing = bob")
                     .replace("response = 4h", "response = soon"))
    b.proc.send_signal(1)
    b.wait(lambda: "nothing reloaded" in log.read_text(), "the refused reload")
    assert "response" in log.read_text().split("nothing reloaded")[1]
    assert b.ask('@erin /smk lead add "Bo" company=Y', "L-2 created")
    with urllib.request.urlopen(f"http://127.0.0.1:{b.port}/metrics", timeout=5) as r:
        text = r.read().decode()
    assert 'smarkbot_reloads_total{result="ok"} 1\n' in text
    assert 'smarkbot_reloads_total{result="error"} 1\n' in text
    rc, took = b.stop()
    assert rc == 0 and took < 5


def test_sighup_says_when_sla_set_in_chat_wins_over_the_file(tmp_path):
    base = (BASE_CONFIG.format(timezone="UTC")
            .replace("log_level = warn", "log_level = info\nlog_file = bot.log"))
    b = RunningBase(tmp_path, base)
    log = tmp_path / "bot.log"
    b.wait(lambda: log.exists() and "HTTP on" in log.read_text(), "the log file")
    b.ask("@carol /smk sla set mql=150", "150")
    b.write(f"\n[http]\nlisten = 127.0.0.1:{b.port}\n",
            base=base.replace("mql_monthly_target = 200", "mql_monthly_target = 300")
                     .replace("response = 4h", "response = 3h"))
    b.proc.send_signal(1)
    b.wait(lambda: "config reloaded" in log.read_text(), "the reload")
    text = log.read_text()
    warn = next(x for x in text.splitlines() if "changed in the file" in x)
    assert 'msg="SIGHUP: [sla] mql_monthly_target changed in the file, but `sla set`' in warn
    assert "response" not in warn.split("changed")[0]   # never set in chat: applied
    out = " ".join(b.ask("/smk sla", "response"))
    assert "150" in out and "300" not in out and "3h" in out
    rc, _ = b.stop()
    assert rc == 0

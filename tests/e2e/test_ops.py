# SPDX-License-Identifier: MIT
"""Running it like a service: --version, backup, logs, signals (issue 10)."""
import json
import re
import sqlite3
import subprocess
import threading
import time

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

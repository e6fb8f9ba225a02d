# SPDX-License-Identifier: MIT
"""make install / uninstall into a DESTDIR, and the installed binary, man
pages and systemd unit (issue 10, point 4)."""
import os
import re
import pathlib
import shutil
import subprocess

from conftest import ROOT, check_sanitizers

PREFIX = "/usr"


def make(*args):
    # -o smarkbot: the binary under test is the one installed, never rebuilt here
    proc = subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), "-o", "smarkbot",
                           f"PREFIX={PREFIX}"] + list(args), capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode() + proc.stdout.decode()
    return proc


def run(args, cwd, stdin=b""):
    proc = subprocess.run(args, input=stdin, capture_output=True, timeout=60, cwd=cwd)
    check_sanitizers(proc.stderr.decode(errors="replace"))
    return proc


def test_install_run_uninstall(tmp_path):
    dest = tmp_path / "dest"
    make("install", f"DESTDIR={dest}")
    root = dest / PREFIX.lstrip("/")
    binary = root / "bin" / "smarkbot"
    man1 = root / "share/man/man1/smarkbot.1"
    man5 = root / "share/man/man5/smarkbot.ini.5"
    example = root / "share/doc/smarkbot/smarkbot.ini.example"
    unit = root / "lib/systemd/system/smarkbot.service"
    for f in (binary, man1, man5, example, unit):
        assert f.is_file(), f
    assert os.access(binary, os.X_OK)
    assert oct(man1.stat().st_mode & 0o777) == "0o644"

    # the installed binary
    proc = run([str(binary), "--version"], tmp_path)
    assert proc.returncode == 0 and proc.stdout.startswith(b"smarkbot ")
    assert b"SQLite" in proc.stdout
    # the example: every key valid, only the team is missing
    proc = run([str(binary), "-c", str(example), "--check-config"], tmp_path)
    assert proc.returncode == 2
    errors = proc.stderr.decode().splitlines()
    assert len(errors) == 1 and "[roles] sales" in errors[0], errors
    work = tmp_path / "work"
    work.mkdir()
    cfg = work / "smarkbot.ini"
    cfg.write_text(example.read_text().replace("\nmarketing =  ", "\nmarketing = alice ", 1)
                   .replace("\nsales =   ", "\nsales = bob ", 1))
    proc = run([str(binary), "-c", str(cfg), "--check-config"], work)
    assert proc.returncode == 0, proc.stderr.decode()
    proc = run([str(binary), "-c", str(cfg), "--console", "--as", "alice"], work,
               stdin=b'/smk lead add "Jane Doe" company=ACME\n/smk help\n')
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"L-1 created" in proc.stdout and b"lead add" in proc.stdout
    assert (work / "smarkbot.db").exists()

    # the pages render without a warning, with the paths filled in
    for page in (man1, man5):
        text = page.read_text()
        assert "@" + "DOCDIR@" not in text and "@" + "VERSION@" not in text
        assert f"{PREFIX}/share/doc/smarkbot/smarkbot.ini.example" in text
        r = subprocess.run(["man", "--warnings", "-l", str(page)], capture_output=True,
                           timeout=60, env=dict(os.environ, MANWIDTH="80"))
        assert r.returncode == 0 and r.stderr == b"", r.stderr.decode()
        assert b"NAME" in r.stdout and b"SEE ALSO" in r.stdout
    # every option of --help is in smarkbot(1); every key of the example in smarkbot.ini(5)
    help_text = run([str(binary), "--help"], tmp_path).stdout.decode()
    rendered = subprocess.run(["man", "-l", str(man1)], capture_output=True, timeout=60,
                              env=dict(os.environ, MANWIDTH="200")).stdout.decode()
    for word in help_text.split():
        if word.startswith("--") and word.strip(",").isascii():
            opt = word.strip(",.")
            assert opt in rendered, opt
    for sub in ("export", "backup", "SIGHUP", "SIGTERM", "EXIT STATUS", "ENVIRONMENT",
                "FILES", "/healthz", "/metrics", "!advance", "!click"):
        assert sub in rendered, sub
    rendered5 = subprocess.run(["man", "-l", str(man5)], capture_output=True, timeout=60,
                               env=dict(os.environ, MANWIDTH="200")).stdout.decode()
    section = None
    for line in example.read_text().splitlines():
        if line.startswith("["):
            section = line.split("]")[0] + "]"
            assert section in rendered5, section
        elif re.match(r"[a-z_]+ *=", line):
            key = line.split("=")[0].strip()
            assert re.search(rf"^ {{7}}{key}( |$)", rendered5, re.M), (section, key)

    # the hardened unit
    text = unit.read_text()
    for want in ("DynamicUser=yes", "StateDirectory=smarkbot", "ProtectSystem=strict",
                 "NoNewPrivileges=yes", "PrivateTmp=yes", "RestrictAddressFamilies=",
                 "Restart=on-failure", f"ExecStart={PREFIX}/bin/smarkbot -c /etc/smarkbot/",
                 "ExecReload=/bin/kill -HUP $MAINPID"):
        assert want in text, want
    analyze = shutil.which("systemd-analyze")
    if analyze:
        # verify the unit as installed, pointed at the staged binary and pages
        staged = tmp_path / "smarkbot.service"
        staged.write_text(text.replace(f"{PREFIX}/bin/smarkbot", str(binary)))
        r = subprocess.run([analyze, "verify", str(staged)], capture_output=True, timeout=60,
                           env=dict(os.environ, MANPATH=str(root / "share/man")))
        assert r.returncode == 0, r.stderr.decode()

    make("uninstall", f"DESTDIR={dest}")
    left = [p for p in dest.rglob("*") if p.is_file()]
    assert left == [], left


def test_the_ini_page_is_generated_from_docs_config_md():
    proc = subprocess.run(["/usr/bin/python3", str(ROOT / "scripts" / "mkman.py")],
                          capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode() == (ROOT / "man" / "smarkbot.ini.5").read_text(), \
        "man/smarkbot.ini.5 is stale: /usr/bin/python3 scripts/mkman.py > man/smarkbot.ini.5"

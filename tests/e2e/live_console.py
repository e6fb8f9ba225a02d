# SPDX-License-Identifier: MIT
"""A console bot that stays up while a test talks to it over HTTP (POST
/leads) or lets it talk to fakes (a webhook receiver, HubSpot): stdin is a
pipe, so the bot lives until close(); stdout and stderr go to files."""
import json
import os
import pathlib
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

from conftest import BASE_CONFIG, SMARKBOT, START, check_sanitizers


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveConsole:
    def __init__(self, path, extra="", listen=True, env=None):
        self.path = pathlib.Path(path)
        self.port = free_port() if listen else None
        http = f"\n[http]\nlisten = 127.0.0.1:{self.port}\n" if listen else ""
        self.config = self.path / "smarkbot.ini"
        self.config.write_text(BASE_CONFIG.format(timezone="America/Sao_Paulo")
                               .replace("log_level = warn", "log_level = info") + http + extra)
        self.env = dict(os.environ, **(env or {}))
        self.proc = None
        self.runs = 0

    def start(self, now=START, as_user="alice"):
        assert self.proc is None
        self.runs += 1
        self.out_path = self.path / f"stdout.{self.runs}.log"
        self.err_path = self.path / f"stderr.{self.runs}.log"
        cmd = [SMARKBOT, "-c", str(self.config), "--console", "--as", as_user]
        if now:
            cmd += ["--now", now]
        self.proc = subprocess.Popen(cmd, cwd=self.path, env=self.env, stdin=subprocess.PIPE,
                                     stdout=open(self.out_path, "wb"),
                                     stderr=open(self.err_path, "wb"))
        if self.port:
            self.wait(lambda: "HTTP on 127.0.0.1:" in self.stderr, "the listener")
        return self

    @property
    def stdout(self):
        return self.out_path.read_text(errors="replace")

    @property
    def stderr(self):
        return self.err_path.read_text(errors="replace")

    def say(self, *lines):
        for line in lines:
            self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def wait(self, pred, what="condition", timeout=20):
        deadline = time.monotonic() + timeout
        while True:
            v = pred()
            if v:
                return v
            if self.proc.poll() is not None:
                raise AssertionError(f"smarkbot exited ({self.proc.returncode}) waiting for "
                                     f"{what}:\n{self.stderr[-3000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}:\n{self.stderr[-3000:]}")
            time.sleep(0.05)

    def post(self, path, body, token=None, ctype="application/json"):
        """(status, parsed JSON or text) of a POST to the bot's listener."""
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data,
                                     method="POST", headers={"Content-Type": ctype})
        if token is not None:
            req.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                status, raw = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, raw = e.code, e.read()
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode(errors="replace")

    def close(self, timeout=20):
        """End of input: the bot exits by itself. Returns its status."""
        if self.proc is None:
            return None
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        self.proc.wait(timeout)
        rc = self.proc.returncode
        self.proc = None
        check_sanitizers(self.stderr)
        return rc

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self.proc = None

    def run(self, script, now=START, as_user="alice"):
        """One whole process: the script on stdin, its stdout back."""
        cmd = [SMARKBOT, "-c", str(self.config), "--console", "--as", as_user]
        if now:
            cmd += ["--now", now]
        p = subprocess.run(cmd, input=("\n".join(script) + "\n").encode(), cwd=self.path,
                           env=self.env, capture_output=True, timeout=60)
        check_sanitizers(p.stderr.decode(errors="replace"))
        assert p.returncode == 0, p.stderr.decode()
        return p.stdout.decode()

    def export(self, what):
        p = subprocess.run([SMARKBOT, "export", what, "--format", "jsonl", "-c",
                            str(self.config)], capture_output=True, timeout=60, cwd=self.path,
                           env=self.env)
        assert p.returncode == 0, p.stderr.decode()
        return [json.loads(line) for line in p.stdout.decode().splitlines()]

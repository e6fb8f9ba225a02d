#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Slack benchmark: drives N slash commands through the fake Slack server
(tests/e2e/fake_slack.py) into the real bot at a given rate and prints the
ack latency (p50, p99, max), commands per second and the bot's peak RSS.

    make smarkbot
    /usr/bin/python3 bench/slack_bench.py --count 1000 --rate 100
    /usr/bin/python3 bench/slack_bench.py --count 500 --rate 200 --command help

It starts the fake and the bot itself (in a temporary directory) and stops
both; every wait is bounded (--timeout).
"""
import argparse
import os
import pathlib
import shutil
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from fake_slack import FakeSlack, SlackBot  # noqa: E402


def percentile(sorted_vals, p):
    if not sorted_vals:
        return float("nan")
    k = max(0, min(len(sorted_vals) - 1, int(round(p / 100.0 * len(sorted_vals) + 0.5)) - 1))
    return sorted_vals[k]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=500, help="slash commands to send (default 500)")
    ap.add_argument("--rate", type=float, default=100.0, help="commands per second to offer; 0 = as fast as possible (default 100)")
    ap.add_argument("--command", default='lead add "Bench {i}" company=Bench source=bench',
                    help="text after /smk; {i} is the command's number (default: a lead add)")
    ap.add_argument("--user", default="U0ALICE", help="Slack user id (U0ALICE = marketing)")
    ap.add_argument("--smarkbot", default=os.environ.get("SMARKBOT", str(ROOT / "smarkbot")))
    ap.add_argument("--timeout", type=float, default=60.0,
                    help="seconds to wait for the bot to connect and for the last ack")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    a = ap.parse_args()

    work = pathlib.Path(tempfile.mkdtemp(prefix="smarkbot-bench-"))
    fake = FakeSlack(ping_interval=5.0).start()
    bot = SlackBot(work, fake, a.smarkbot, log_level="warn")
    rss_stop = threading.Event()

    def sample_rss():
        while not rss_stop.wait(0.05):
            if bot.running():
                bot.rss_kb()
    sampler = threading.Thread(target=sample_rss, daemon=True)
    status = 0
    try:
        bot.start()
        sampler.start()
        fake.wait_hello(1, timeout=a.timeout)
        rss_idle = bot.rss_kb()
        ids = []
        t_start = time.monotonic()
        for i in range(a.count):
            if a.rate > 0:
                delay = t_start + i / a.rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            ids.append(fake.send(fake.slash(a.command.format(i=i), user=a.user)))
        t_sent = time.monotonic()
        deadline = t_sent + a.timeout
        while time.monotonic() < deadline:
            if all(fake.ack_of(e) for e in ids):
                break
            if not bot.running():
                break
            time.sleep(0.02)
        acks = [fake.ack_of(e) for e in ids]
        got = [x for x in acks if x is not None]
        lat = sorted(x.latency * 1000.0 for x in got)
        t_last = max((x.t for x in got), default=t_sent)
        elapsed = max(t_last - t_start, 1e-9)
        bot.rss_kb()
        late = sum(1 for v in lat if v >= 3000.0)
        redelivered = len(fake.deliveries) - len(ids)

        print(f"smarkbot slack bench: {a.count} x '/smk {a.command}' offered at "
              f"{f'{a.rate:g}/s' if a.rate > 0 else 'full speed'}")
        print(f"  acked        {len(got)}/{a.count}"
              + (f"  ({a.count - len(got)} MISSING)" if len(got) < a.count else "")
              + (f"  ({late} after the 3 s deadline)" if late else ""))
        print(f"  ack latency  p50 {percentile(lat, 50):.1f} ms   p99 {percentile(lat, 99):.1f} ms   "
              f"max {lat[-1] if lat else float('nan'):.1f} ms")
        print(f"  throughput   {len(got) / elapsed:.1f} commands/s "
              f"(first send to last ack: {elapsed:.2f} s; sending took {t_sent - t_start:.2f} s)")
        print(f"  peak RSS     {bot.peak_rss_kb / 1024.0:.1f} MiB (VmHWM; {rss_idle / 1024.0:.1f} MiB "
              f"after connecting)")
        print(f"  Web API      {len(fake.api_calls())} calls; {redelivered} redeliveries")
        if a.command.startswith("lead add"):
            leads = bot.export("leads")
            print(f"  effects      {len(leads)} leads in the database"
                  + ("" if len(leads) == a.count else "  (MISMATCH)"))
            if len(leads) != a.count:
                status = 1
        if len(got) < a.count or not bot.running():
            status = 1
    finally:
        rss_stop.set()
        rc = None
        try:
            rc = bot.stop()
        except AssertionError as e:
            print(f"  stop         {e}", file=sys.stderr)
            status = 1
        fake.stop()
        if rc not in (0, None):
            print(f"  smarkbot exited {rc}; stderr tail:\n{bot.stderr[-2000:]}", file=sys.stderr)
            status = 1
        if a.keep:
            print(f"  work dir     {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())

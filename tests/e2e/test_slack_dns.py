# SPDX-License-Identifier: MIT
"""A slow name server does not stall the loop (issue 13.3): while the next
Socket Mode URL's host is being looked up, the link still open keeps
acking commands at once."""
import os
import pathlib
import subprocess
import time

import pytest

HERE = pathlib.Path(__file__).resolve().parent
STALL_HOST = "stall.smarkbot.test"
STALL_SECS = 4


@pytest.fixture
def shim(tmp_path):
    so = tmp_path / "stall_resolver.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(so), str(HERE / "data/stall_resolver.c"),
                    "-ldl"], check=True)
    return so


def test_acks_flow_while_the_next_host_is_looked_up(sbot, fake, shim):
    sbot.configure(env={"LD_PRELOAD": str(shim), "SMK_STALL_HOST": STALL_HOST,
                        "SMK_STALL_SECS": str(STALL_SECS),
                        # the preloaded resolver comes before ASan's runtime
                        "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "") +
                        ":verify_asan_link_order=0"})
    sbot.start()
    old = fake.wait_hello(1, timeout=15)
    with fake.lock:
        fake.tickets["stall"] = "fresh"
    fake.script("apps.connections.open",
                {"url": f"ws://{STALL_HOST}:{fake.ws_port}/link/?ticket=stall&app_id={fake.app_id}"})
    t0 = time.monotonic()
    fake.disconnect(old, "warning", grace=30)
    time.sleep(0.5)
    # the bot is looking up the stalling host now; the old link answers
    worst = 0.0
    for i in range(5):
        ack = fake.wait_ack(fake.send(fake.slash(f'lead add "During DNS {i}"'), conn=old), 3)
        worst = max(worst, ack.latency)
        time.sleep(0.3)
    assert time.monotonic() - t0 < STALL_SECS, "the commands were not sent during the stall"
    assert worst < 1.0, f"an ack took {worst:.2f} s: the loop was blocked"
    new = fake.wait_hello(2, timeout=STALL_SECS + 15)
    assert new.ticket == "stall"
    assert len(sbot.export("leads")) == 5

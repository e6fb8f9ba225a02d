# SPDX-License-Identifier: MIT
"""Issue 8, item 6: the HubSpot token, the webhook secret and the inbound
secret never appear in the log, at debug level with every backend busy,
nor in --check-config's output, good config or bad."""
from conftest import run_smarkbot
from fake_hubspot import FakeHubSpot
from fake_webhook import FakeWebhook
from live_console import LiveConsole

TOKEN, HOOK, LEADS = "pat-na1-secret-token-xyz", "hook-secret-abc-123", "leads-secret-qrs-456"


def pieces(secret):
    return [secret, secret[:12], secret[-12:]]


def test_no_secret_in_the_debug_log_or_check_config(tmp_path):
    hs = FakeHubSpot(token=TOKEN).start()
    wh = FakeWebhook(HOOK).start()
    try:
        hs.add_contact("a@b.co", "A", "B")
        b = LiveConsole(tmp_path, extra=f"leads_secret = {LEADS}\n[webhook]\nurl = {wh.endpoint()}\n"
                                        f"secret = {HOOK}\n[crm]\nkind = hubspot\nurl = {hs.url()}\n"
                                        f"token = {TOKEN}\n")
        b.config.write_text(b.config.read_text().replace("log_level = info", "log_level = debug"))
        b.start()
        b.wait(lambda: "is lead L-1" in b.stderr, "the contact")
        assert b.post("/leads", {"name": "X"}, token=LEADS)[0] == 201
        assert b.post("/leads", {"name": "Y"}, token=LEADS[:-1])[0] == 401
        b.say("/smk handoff L-1 bob", "@bob !click accept L-1")
        hs.wait_for(lambda: hs.patches, what="the push")
        wh.wait_for(lambda: len(wh.accepted) >= 4, what="the events")
        assert b.close() == 0
        assert "debug" in b.stderr
        for s in (TOKEN, HOOK, LEADS):
            for piece in pieces(s):
                assert piece not in b.stderr, piece
        p = run_smarkbot(["-c", str(b.config), "--check-config"], cwd=tmp_path)
        assert p.returncode == 0
        bad = b.config.read_text().replace("kind = hubspot", "kind = hubspot\npoll_interval = 1s")
        bad = bad.replace(f"url = {wh.endpoint()}", "url = ftp://nowhere")
        b.config.write_text(bad)
        q = run_smarkbot(["-c", str(b.config), "--check-config"], cwd=tmp_path)
        assert q.returncode != 0 and b"poll_interval" in q.stderr
        for out in (p.stdout + p.stderr, q.stdout + q.stderr):
            for s in (TOKEN, HOOK, LEADS):
                assert s.encode() not in out
    finally:
        hs.stop()
        wh.stop()

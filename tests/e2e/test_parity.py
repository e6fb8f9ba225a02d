# SPDX-License-Identifier: MIT
"""One conversation, three platforms: the same commands typed by the same
people on the console, Slack and Mattermost leave the same leads, events and
feedback in `smarkbot export` (ids, times and the platform's user ids aside)."""
import datetime
import json

# (who, what they type after /smk)
CONVERSATION = [
    ("alice", 'lead add "Jane Doe" company=ACME email=jane@acme.com source=webinar score=80'),
    ("alice", 'lead add "Raj Patel" company=Initech source=ads'),
    ("alice", 'lead add "Li Wei" company=Globex source=webinar'),
    ("alice", "handoff L-1 @bob"),
    ("alice", "handoff L-2 @dave"),
    ("alice", "handoff L-3 @bob"),
    ("bob", "accept L-1 called her, good fit"),
    ("dave", "reject L-2 budget no budget this year"),
    ("bob", "feedback L-1 5 exactly our ICP"),
    ("bob", "won L-1 12k"),
    ("bob", "accept L-3"),
    ("bob", "lost L-3 competitor went with Acme"),
    ("carol", "sla"),
    ("alice", "leads"),
]
NAMES = ("alice", "bob", "carol", "dave")


def normalise(rows, names):
    """Drops what differs by nature (times, durations, ids of rows) and maps
    platform user ids to names."""
    def fix(v):
        if isinstance(v, dict):
            return {k: fix(x) for k, x in sorted(v.items())
                    if not (k in ("id", "at", "secs", "due_at") or k.endswith("_at"))}
        if isinstance(v, list):
            return [fix(x) for x in v]
        if isinstance(v, str):
            return names.get(v, v)
        return v
    return [fix(r) for r in rows]


def exports(run_export):
    return {what: run_export(what) for what in ("leads", "events", "feedback")}


def console_effects(tmp_path):
    from conftest import Bot
    bot = Bot(tmp_path / "console")
    now = datetime.datetime.now().strftime("%Y-%m-%dT%H:%M")
    bot.run([f"@{who} /smk {text}" for who, text in CONVERSATION], now=now)
    return exports(lambda what: [json.loads(x) for x in bot.export(what).splitlines() if x])


def test_console_slack_and_mattermost_agree(tmp_path):
    from conftest import SMARKBOT
    from fake_mattermost import FakeMattermost, MattermostBot
    from fake_slack import FakeSlack, SlackBot

    (tmp_path / "console").mkdir()
    (tmp_path / "slack").mkdir()
    (tmp_path / "mattermost").mkdir()
    console = console_effects(tmp_path)

    fake = FakeSlack(ping_interval=2.0).start()
    try:
        sbot = SlackBot(tmp_path / "slack", fake, SMARKBOT)
        sbot.start()
        fake.wait_hello(1, timeout=15)
        ids = {f"U0{n.upper()}": n for n in NAMES}
        for who, text in CONVERSATION:
            fake.command(text, user=f"U0{who.upper()}")
        slack = exports(sbot.export)
        assert sbot.stop() == 0
    finally:
        fake.stop()

    mm = FakeMattermost(ping_interval=2.0).start()
    try:
        mbot = MattermostBot(tmp_path / "mattermost", mm, SMARKBOT)
        mbot.start().wait_ready()
        mm_ids = {mm.user_id(n): n for n in NAMES}
        for who, text in CONVERSATION:
            res = mm.slash(who, "town-square", "/smk", text)
            assert res.error is None, (text, res.error)
        mattermost = exports(mbot.export)
        assert mbot.stop() == 0
    finally:
        mm.stop()

    for what in ("leads", "events", "feedback"):
        want = normalise(console[what], {})
        assert want, what
        assert normalise(slack[what], ids) == want, what
        assert normalise(mattermost[what], mm_ids) == want, what

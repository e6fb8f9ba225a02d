# SPDX-License-Identifier: MIT
"""kill -9 in the middle of a burst of slash commands, restart: nothing lost,
nothing doubled (issue point 8; product.md section 7)."""
import collections
import json
import re
import threading
import time

from fake_slack import buttons


def burst(fake, texts, gap=0.02):
    """Sends the slash commands from a thread, gap seconds apart; returns
    (thread, list of envelope_ids filled as they go)."""
    ids = []

    def run():
        for t in texts:
            ids.append(fake.send(fake.slash(t)))
            time.sleep(gap)
    th = threading.Thread(target=run)
    th.start()
    return th, ids


def kill_mid_burst(sbot, fake, ids, total):
    """SIGKILL once about a third of the burst is acked."""
    fake.wait_for(lambda: sum(1 for e in list(ids) if fake.ack_of(e)) >= total // 3, 20,
                  "a third of the burst acked")
    sbot.kill9()


def restart_and_redeliver(sbot, fake, th):
    """Restart; Slack delivers what was never acked again, same envelope_id."""
    th.join(30)
    sbot.start()
    fake.wait_for(lambda: [c for c in fake.conns if c.hello_at and c.open], 15, "the new hello")
    pending = fake.unacked()
    for f in pending:
        fake.redeliver(f["envelope_id"])
    return pending


def test_kill9_mid_burst_of_commands(sbot, fake):
    sbot.start()
    fake.wait_hello(1)
    texts = [f'lead add "Burst {i}"' for i in range(50)]
    th, ids = burst(fake, texts)
    kill_mid_burst(sbot, fake, ids, len(texts))
    pending = restart_and_redeliver(sbot, fake, th)
    assert len(ids) == 50
    for e in ids:
        fake.wait_for(lambda e=e: fake.ack_of(e), 20, f"ack of {e}")
    leads = sbot.export("leads")
    counts = collections.Counter(x["name"] for x in leads)
    assert sorted(counts) == sorted(f"Burst {i}" for i in range(50)), \
        f"lost: {set(f'Burst {i}' for i in range(50)) - set(counts)}"
    assert max(counts.values()) == 1, f"doubled: {[n for n, c in counts.items() if c > 1]}"
    assert len({x["id"] for x in leads}) == 50
    assert sbot.returncodes[0] == -9
    print(f"{len(pending)} envelopes redelivered after the restart")


def test_kill9_mid_burst_with_posts(sbot, fake):
    sbot.configure(sales="C0SALES")
    sbot.start()
    fake.wait_hello(1)
    for i in range(10):
        fake.command(f'lead add "Card {i}"')
    # 50 commands: 10 handoffs (each a DM card and a #sales post) among 40 new leads
    texts = []
    for i in range(50):
        texts.append(f"handoff L-{i // 5 + 1} <@U0BOB|bob>" if i % 5 == 0 else
                     f'lead add "More {i}"')
    th, ids = burst(fake, texts, gap=0.03)
    kill_mid_burst(sbot, fake, ids, len(texts))
    restart_and_redeliver(sbot, fake, th)
    for e in ids:
        fake.wait_for(lambda e=e: fake.ack_of(e), 20, f"ack of {e}")
    leads = {x["id"]: x for x in sbot.export("leads")}
    counts = collections.Counter(x["name"] for x in leads.values())
    assert max(counts.values()) == 1, counts
    assert len(leads) == 50
    refs = [f"L-{k}" for k in range(1, 11)]
    assert all(leads[r]["stage"] == "handed_off" for r in refs)

    def posts_about(ch, ref, with_buttons):
        return [m for m in fake.posts_to(ch)
                if re.search(rf"\b{ref}\b", m["text"] + json.dumps(m["blocks"]))
                and (bool(buttons(m)) or not with_buttons)]
    # every card delivered (posts are paced about 1 s per channel)
    fake.wait_for(lambda: all(posts_about("D0BOB", r, True) for r in refs), 40, "every DM card")
    fake.wait_for(lambda: all(posts_about("C0SALES", r, False) for r in refs), 40,
                  "every #sales post")
    time.sleep(2)
    for r in refs:
        assert len(posts_about("D0BOB", r, True)) == 1, f"{r}: DM card not exactly once"
        assert len(posts_about("C0SALES", r, False)) == 1, f"{r}: #sales post not exactly once"


def test_kill9_mid_burst_of_dm_commands(sbot, fake):
    """The same through events_api: what the dead bot never acked comes back by
    Slack's own retry (new envelope_id, same event_id, retry_attempt+1); every
    reply (a chat.postMessage in the DM, through the outbox) goes out once."""
    sbot.start()
    fake.wait_hello(1)
    ids = []

    def run():
        for i in range(20):
            ids.append(fake.send(fake.dm(f'lead add "DMB{i}"', user="U0ALICE")))
            time.sleep(0.02)
    th = threading.Thread(target=run)
    th.start()
    kill_mid_burst(sbot, fake, ids, 20)
    th.join(30)
    sbot.start()
    fake.wait_hello(2)
    want = {f"DMB{i}" for i in range(20)}
    fake.wait_for(lambda: {x["name"] for x in sbot.export("leads")} >= want, 40,
                  "every lead after the retries")
    counts = collections.Counter(x["name"] for x in sbot.export("leads"))
    assert max(counts.values()) == 1, f"doubled: {[n for n, c in counts.items() if c > 1]}"

    def replies(name):
        return [m for m in fake.posts_to("D0ALICE")
                if re.search(rf"\b{name}\b", m["text"] + json.dumps(m["blocks"]))]
    # replies are paced (about 1 s per channel): give them time
    fake.wait_for(lambda: all(replies(n) for n in want), 40, "every reply")
    time.sleep(1.5)
    doubled = [n for n in want if len(replies(n)) > 1]
    assert not doubled, f"replies sent twice: {doubled}"

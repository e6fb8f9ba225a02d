# SPDX-License-Identifier: MIT
"""The bot's Mattermost connection life (docs/mattermost.md section 1):
resume with connection_id and sequence_number, catch-up over REST after a
new hello, restarts and kill -9 of the bot, REST errors; nothing lost,
nothing doubled."""
import re
import time


def bot_replies(mm, channel, pattern):
    return [p for p in mm.posts_in(channel)
            if p["user_id"] == mm.bot_id and re.search(pattern, p["message"])]


def lead_names(mbot):
    return sorted(x["name"] for x in mbot.export("leads"))


def test_drop_resumes_and_replays_what_was_missed(mbot, mm):
    mbot.start().wait_ready()
    first = mm.wait_conn(1)
    mm.refuse_connections()
    mm.drop_connections()
    # posted while the bot is away: kept in its connection's replay queue
    mm.dm("alice", 'lead add "While Away" company=Gap')
    time.sleep(1.0)
    mm.refuse_connections(False)
    second = mm.wait_conn(2, timeout=20)
    assert second.request.query.get("connection_id") == first.connection_id
    assert second.case == "a" and second.replayed
    mm.wait_for(lambda: bot_replies(mm, "@alice", r"L-1 created: While Away"), 10, "the reply")
    assert lead_names(mbot) == ["While Away"]
    # no catch-up was needed: the server replayed it
    assert not mm.rest_calls(route="GET /channels/{id}/posts")


def test_server_restart_catches_up_over_rest_once(mbot, mm):
    mbot.start().wait_ready()
    mm.dm("alice", 'lead add "Before" company=B')
    mm.wait_for(lambda: bot_replies(mm, "@alice", r"L-1 created"), 10, "the first reply")
    mm.refuse_connections()
    mm.restart()
    mm.dm("alice", 'lead add "During Restart" company=R')
    mm.dm("carol", "leads")
    time.sleep(0.5)
    mm.refuse_connections(False)
    mm.wait_for(lambda: bot_replies(mm, "@alice", r"L-2 created: During Restart"), 20,
                "the caught-up reply")
    calls = mm.rest_calls(route="GET /channels/{id}/posts")
    assert calls and all("after" in c.query and "since" not in c.query for c in calls)
    assert lead_names(mbot) == ["Before", "During Restart"]
    time.sleep(1)
    # handled once: one reply each, even though catch-up saw "Before" too
    assert len(bot_replies(mm, "@alice", r"created")) == 2


def test_kill9_in_a_burst_then_restart_loses_and_doubles_nothing(mbot, mm):
    mbot.start().wait_ready()
    mm.dm("alice", 'lead add "Seed" company=S')
    mm.wait_for(lambda: bot_replies(mm, "@alice", r"L-1 created"), 10, "the first reply")
    for i in range(12):
        mm.dm("alice", f'lead add "Burst {i:02d}" company=B{i}')
        if i == 5:
            mbot.kill9()
    mbot.start().wait_ready()
    want = ["Seed"] + [f"Burst {i:02d}" for i in range(12)]
    mm.wait_for(lambda: lead_names(mbot) == sorted(want), 30, "every lead of the burst")
    mm.wait_for(lambda: len(bot_replies(mm, "@alice", r"created")) >= 13, 20, "every reply")
    time.sleep(1.5)
    replies = bot_replies(mm, "@alice", r"created")
    names = [re.search(r"created: ([^,]+),", p["message"]).group(1) for p in replies]
    assert sorted(names) == sorted(want), names
    assert lead_names(mbot) == sorted(want)


def test_rate_limit_and_server_errors_are_retried_client_errors_given_up(mbot, mm):
    mbot.start().wait_ready()
    mm.script("POST /posts", {"status": 429, "retry_after": 1}, {"status": 503})
    mm.dm("alice", 'lead add "Retried" company=R')
    reply = mm.wait_for(lambda: bot_replies(mm, "@alice", r"L-1 created"), 20, "the reply")
    assert len(reply) == 1
    # the post is made before its answer is written: wait for the answer
    posts = mm.wait_for(lambda: (lambda p: p if len(p) >= 3 and p[2].status else None)(
        mm.rest_calls(route="POST /posts")), 10, "the third call answered")
    assert [c.status for c in posts[:3]] == [429, 503, 201]
    assert posts[1].t - posts[0].t >= 0.9      # Retry-After was honoured
    # a 4xx AppError: logged once, not retried forever
    mm.outage("POST /posts", {"status": 400})
    mm.dm("alice", "leads")
    mm.wait_for(lambda: "given up" in mbot.stderr, 20, "the 4xx given up")
    mm.outage("POST /posts")
    n = len(mm.rest_calls(route="POST /posts"))
    time.sleep(2)
    assert len(mm.rest_calls(route="POST /posts")) == n
    assert mbot.stderr.count("given up") == 1


def test_a_refused_token_stops_the_bot_with_what_to_fix(mbot, mm):
    mbot.configure(token="wrongtoken000000000000000a")
    mbot.start()
    assert mbot.wait_exit(15) == 1
    assert "[mattermost] token" in mbot.stderr
    assert "wrongtoken" not in mbot.stderr

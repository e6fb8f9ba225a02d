# SPDX-License-Identifier: MIT
"""The bot on Mattermost against the fake server (docs/mattermost.md): DMs
and mentions over the websocket, slash commands and buttons through the
listener, posts through REST; reconnects, catch-up, restarts."""
import json
import re
import time


def texts(posts):
    return [p["message"] for p in posts]


def wait_post(mm, channel, pattern, timeout=10):
    return mm.wait_for(lambda: next((p for p in mm.posts_in(channel)
                                     if re.search(pattern, p["message"])), None),
                       timeout, f"a post matching {pattern!r} in {channel}")


def test_dm_is_a_command_and_the_reply_goes_to_the_dm(mbot, mm):
    mbot.start().wait_ready()
    mm.dm("alice", 'lead add "Jane Doe" company=ACME email=jane@acme.com')
    reply = wait_post(mm, "@alice", r"L-1 created: Jane Doe, ACME")
    assert reply["user_id"] == mm.bot_id
    assert [(x["id"], x["name"]) for x in mbot.export("leads")] == [("L-1", "Jane Doe")]
    # the bot's own reply is not read as a command
    time.sleep(0.5)
    assert len([p for p in mm.posts_in("@alice") if p["user_id"] == mm.bot_id]) == 1


def test_mention_in_a_channel_is_a_command(mbot, mm):
    mbot.start().wait_ready()
    mm.user_posts("alice", "town-square", '@smarkbot lead add "Mention Lead" company=MCo')
    mm.wait_for(lambda: mbot.export("leads"), 10, "the lead")
    assert mbot.export("leads")[0]["name"] == "Mention Lead"
    # the private reply: ephemeral is refused to bots without the permission,
    # so it falls back to a DM
    reply = wait_post(mm, "@alice", r"L-1 created")
    assert reply["user_id"] == mm.bot_id
    # a post that does not mention the bot is nobody's command
    mm.user_posts("alice", "town-square", 'lead add "Not For The Bot"')
    time.sleep(1)
    assert [x["name"] for x in mbot.export("leads")] == ["Mention Lead"]


def test_slash_command_answers_in_the_response(mbot, mm):
    mbot.start().wait_ready()
    res = mm.slash("alice", "town-square", "/smk", 'lead add "Slash Lead" company=SCo')
    assert res.error is None, res.error
    assert res.response["response_type"] == "ephemeral"
    assert "L-1 created: Slash Lead" in res.response["text"]
    assert res.elapsed < 3
    res = mm.slash("bob", "town-square", "/smk", 'lead add "Not Marketing"')
    assert "only marketing or managers can add leads" in res.response["text"]
    assert [x["name"] for x in mbot.export("leads")] == ["Slash Lead"]


def test_slash_command_with_a_wrong_token_is_refused(mbot, mm):
    mbot.start().wait_ready()
    cmd = mm.add_command("evil", mbot.base + "/mattermost/command")
    res = mm.slash("alice", "town-square", "/evil", 'lead add "Sneaky"')
    assert res.status == 403 and res.error
    assert mbot.export("leads") == []
    assert cmd["token"] not in mbot.stderr
    assert "wrong token" in mbot.stderr


def test_handoff_card_buttons_accept_once(mbot, mm):
    mbot.start().wait_ready()
    mm.dm("alice", 'lead add "Card Lead" company=CCo')
    wait_post(mm, "@alice", r"L-1 created")
    mm.dm("alice", "handoff L-1 @bob")
    card = wait_post(mm, "@bob", r"L-1")
    actions = card["props"]["attachments"][0]["actions"]
    assert [a["id"] for a in actions] == ["accept", "reject"]
    assert actions[0]["integration"]["url"] == mbot.base + "/mattermost/action"
    res = mm.click("bob", card["id"], "accept")
    assert res.error is None, res.error
    assert mbot.export("leads")[0]["stage"] == "sql"
    # the card is updated for everyone: who did what, no buttons left
    mm.wait_for(lambda: not (mm.posts[card["id"]].get("props") or {}).get("attachments"), 10,
                "the card updated")
    assert "bob" in mm.posts[card["id"]]["message"].lower()
    res2 = mm.click("bob", card["id"], "accept")
    assert res2.error or "already" in (res2.response or {}).get("ephemeral_text", "").lower()
    events = [e for e in mbot.export("events") if e["kind"] == "accepted"]
    assert len(events) == 1
    # marketing hears of the new SQL in its channel
    wait_post(mm, "marketing", r"L-1")


def test_a_forged_click_is_refused(mbot, mm):
    import http.client
    mbot.start().wait_ready()
    body = json.dumps({"user_id": mm.user_id("bob"), "post_id": "x" * 26,
                       "context": {"action": "accept", "lead": "L-1", "secret": "guess"}})
    conn = http.client.HTTPConnection("127.0.0.1", mbot.port, timeout=5)
    conn.request("POST", "/mattermost/action", body=body,
                 headers={"Content-Type": "application/json"})
    assert conn.getresponse().status == 403


def test_reject_button_asks_for_the_reason_then_a_typed_reject_updates_the_card(mbot, mm):
    mbot.start().wait_ready()
    mm.dm("alice", 'lead add "Reject Lead" company=RCo')
    wait_post(mm, "@alice", r"L-1 created")
    mm.dm("alice", "handoff L-1 @bob")
    card = wait_post(mm, "@bob", r"New lead for you")
    res = mm.click("bob", card["id"], "reject")
    assert res.error is None, res.error
    hint = res.response["ephemeral_text"]
    assert "reject L-1" in hint and "budget" in hint, hint
    assert mbot.export("leads")[0]["stage"] == "handed_off"
    mm.dm("bob", "reject L-1 budget no money this year")
    mm.wait_for(lambda: not (mm.posts[card["id"]].get("props") or {}).get("attachments"), 10,
                "the card updated")
    assert "reject" in mm.posts[card["id"]]["message"].lower()
    assert mbot.export("leads")[0]["stage"] != "handed_off"


def test_a_mentioned_user_is_looked_up_before_the_command_runs(mbot, mm):
    """bob never wrote to the bot: `handoff L-1 @bob` waits for the server
    to say who @bob is, so the lead's owner is bob's id, not a typed name."""
    mbot.start().wait_ready()
    mm.dm("alice", 'lead add "Lookup Lead" company=LCo')
    wait_post(mm, "@alice", r"L-1 created")
    mm.dm("alice", "handoff L-1 @bob")
    mm.dm("alice", "lead show L-1")       # after the held one, in order
    wait_post(mm, "@alice", r"stage: handed_off")
    assert mbot.export("leads")[0]["owner"] == mm.user_id("bob")
    assert mm.rest_calls(route="GET /users/username/{name}")
    # an unknown name is asked once and the command still runs
    mm.dm("alice", 'lead add "Second" company=S')
    mm.dm("alice", "handoff L-2 @nobody")
    wait_post(mm, "@alice", r"nobody")

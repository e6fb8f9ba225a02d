# SPDX-License-Identifier: MIT
"""A fake Slack (Socket Mode + Web API) on 127.0.0.1, faithful to docs/slack.md.

Checklist of docs/slack.md section 9, and where it lives here:
 1. POST /api/apps.connections.open with `Bearer xapp-...` mints a one-time
    ticket URL ws://127.0.0.1:<ws_port>/link/?ticket=<n>&app_id=A111
    (`_api_apps_connections_open`).
 2. The WS upgrade rejects unknown or used tickets (HTTP 403), sends `hello`
    at once with num_connections, pings every `ping_interval` seconds and
    answers client pings with their payload byte for byte (`_Proto.pong`).
 3. Envelopes carry a 3 s ack deadline (`ack_timeout`); a missed deadline
    redelivers events_api with retry_attempt+1 / retry_reason "timeout" and a
    new envelope_id (same payload.event_id), up to `max_retries`. Acks with
    or without `payload` are recorded with their latency and the socket and
    frames they came in.
 4. Scripted: disconnect (warning, refresh_requested, too_many_websockets,
    link_disabled), abrupt TCP close, silence (half-open: no pings, no pongs,
    no envelopes), the cap of 10 connections, `lifetime` (and
    debug_reconnects=true) ending a connection with refresh_requested.
 5. Web API under /api/<method>: JSON, form (nested JSON fields as strings),
    multipart and query bodies; HTTP 200 with an ok envelope; 429 with
    Retry-After and {"ok":false,"error":"ratelimited"}, 5xx, delays and
    dropped connections on demand (`script`, `outage`); response_url endpoints
    /commands/... and /actions/... that record JSON posts.

The scaffold (loop thread, HTTP + WebSocket listeners, outages, records,
wait_for) is fake_base.py, shared with fake_mattermost.py.

Used from pytest (FakeSlack(...).start(), an asyncio loop in a thread) or
standalone:  /usr/bin/python3 fake_slack.py --port 8080 [--ws-port 8081]
"""
import argparse
import asyncio
import copy
import itertools
import json
import pathlib
import re
import time
import uuid

import fake_base
from fake_base import BotProcess, FakeServer, WSConn, now  # noqa: F401  (now: for the tests)

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "slack"

APP_TOKEN = "xapp-1-A111-111-fakeappsecret0a1b2c3d"
BOT_TOKEN = "xoxb-111-222-fakebotsecret4e5f6a7b"

# user id -> (name, tz)
DEFAULT_USERS = {
    "U0ALICE": ("alice", "America/Sao_Paulo"),
    "U0BOB": ("bob", "America/Sao_Paulo"),
    "U0CAROL": ("carol", "America/New_York"),
    "U0DAVE": ("dave", "Europe/Lisbon"),
    "U0ERIN": ("erin", "America/Sao_Paulo"),
}
# channel name -> id
DEFAULT_CHANNELS = {
    "general": "C0GEN",
    "marketing": "C0MKT",
    "sales": "C0SALES",
    "smarketing": "C0DIGEST",
}

DISCONNECT_REASONS = ("warning", "refresh_requested", "too_many_websockets", "link_disabled")


def fixture(name):
    return json.loads((DATA / name).read_text())


class Call(fake_base.Call):
    """One HTTP request to the Web API or a response_url; method is the Web
    API method (the endpoint scripts name)."""

    def __repr__(self):
        return f"Call({self.method} {self.status} {self.body!r} -> {self.response!r})"

class Ack:
    def __init__(self, **kw):
        self.__dict__.update(kw)

    def __repr__(self):
        return f"Ack({self.envelope_id} conn={self.conn_id} lat={self.latency:.3f} payload={self.payload!r})"


class Delivery:
    """One envelope frame sent on one connection."""

    def __init__(self, **kw):
        self.__dict__.update(kw)
        self.ack = None

    @property
    def envelope_id(self):
        return self.frame["envelope_id"]

    @property
    def type(self):
        return self.frame["type"]

    def __repr__(self):
        return (f"Delivery({self.type} {self.envelope_id} conn={self.conn_id} "
                f"retry={self.frame.get('retry_attempt')} acked={self.ack is not None})")


class Conn(WSConn):
    """One Socket Mode connection as the server sees it."""

    def __init__(self, cid, request):
        super().__init__(cid, request)
        self.ticket = request.query.get("ticket")
        self.hello_at = None
        self.disconnect_reason = None
        self.disconnect_at = None
        self.over_cap = False

    def __repr__(self):
        return (f"Conn(#{self.id} ticket={self.ticket} open={self.open} hello={self.hello_at is not None} "
                f"closed_by={self.closed_by} reason={self.disconnect_reason})")


class FakeSlack(FakeServer):
    """Scripts (see FakeServer.script) are by Web API method; besides delay,
    stall and drop a response may be:
      {"error": "channel_not_found"}      -> 200 {"ok":false,"error":...}
      {"status": 500}                     -> that status, {"ok":false,"error":"internal_error"}
      {"status": 429, "retry_after": 2}   -> 429 + Retry-After + {"ok":false,"error":"ratelimited"}
      {"url": "ws://..."}                 -> apps.connections.open hands out this URL
      {"body": {...}}                     -> this exact body with status 200
    Timings of the protocol are parameters: ack_timeout, ping_interval,
    disconnect_grace (warning, refresh_requested), short_grace (the other
    disconnects), over_cap_close, trigger_ttl, close_timeout."""

    name = "fake-slack"
    conn_class = Conn

    def __init__(self, app_token=APP_TOKEN, bot_token=BOT_TOKEN, users=None, channels=None,
                 missing_channels=("C0GONE",), ack_timeout=3.0, max_retries=3,
                 ping_interval=5.0, max_connections=10, disconnect_grace=10.0,
                 lifetime=None, debug_lifetime=360.0, app_id="A111", team_id="T111",
                 team_domain="smarketing", bot_user_id="U0BOT", bot_id="B0BOT",
                 queue_when_offline=True, host="127.0.0.1", http_port=0, ws_port=0,
                 channel_rate=None, short_grace=1.0, over_cap_close=1.0, trigger_ttl=3.0,
                 close_timeout=3.0):
        super().__init__(host=host, listeners=("http", "ws"), http_port=http_port,
                         ws_port=ws_port, ws_max_size=2 ** 20, close_timeout=close_timeout)
        self.app_token = app_token
        self.bot_token = bot_token
        self.users = dict(DEFAULT_USERS if users is None else users)
        self.channels = dict(DEFAULT_CHANNELS if channels is None else channels)
        self.missing_channels = set(missing_channels)
        self.ack_timeout = ack_timeout
        self.max_retries = max_retries
        self.ping_interval = ping_interval
        self.max_connections = max_connections
        self.disconnect_grace = disconnect_grace
        self.lifetime = lifetime
        self.debug_lifetime = debug_lifetime
        self.app_id = app_id
        self.team_id = team_id
        self.team_domain = team_domain
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.queue_when_offline = queue_when_offline
        self.channel_rate = channel_rate    # None, or min seconds between posts to a channel (429 else)
        self.short_grace = short_grace
        self.over_cap_close = over_cap_close
        self.trigger_ttl = trigger_ttl

        self.responses = []             # Call, every response_url post
        self.deliveries = []            # Delivery, every envelope frame sent
        self._by_eid = {}               # envelope_id -> [Delivery]
        self.acks = []                  # Ack, every ack frame received
        self.junk = []                  # (conn_id, text) of frames that are not acks
        self.rejected_upgrades = []     # (t, path, why)
        self.messages = {}              # (channel, ts) -> message dict (posted, then updated)
        self.posts = []                 # message dicts in post order (chat.postMessage)
        self.ephemerals = []            # chat.postEphemeral bodies
        self.views = {}                 # view id -> view
        self.offline_queue = []         # envelope frames waiting for a connection
        self.tickets = {}               # ticket -> "fresh" | "used"
        self.triggers = {}              # trigger_id -> [issued_at, used]
        self._ticket_seq = itertools.count(12348)
        self._ts_seq = itertools.count(100)
        self._view_seq = itertools.count(1)
        self._resp_seq = itertools.count(1)
        self._trigger_seq = itertools.count(1)
        self._rr = itertools.count()
        self._last_post = {}            # channel -> monotonic time of the last accepted post
        self._deadlines = {}            # envelope_id -> asyncio.TimerHandle

    @property
    def api_url(self):
        return self.url() + "/api/"

    @property
    def base_url(self):
        return self.url()

    # ------------------------------------------------------------- records
    def api_calls(self, method=None, ok=None):
        with self.lock:
            out = [c for c in self.calls if method is None or c.method == method]
        if ok is not None:
            out = [c for c in out if isinstance(c.response, dict) and c.response.get("ok") is ok]
        return out

    def posts_to(self, channel):
        with self.lock:
            return [m for m in self.posts if m["channel"] == channel]

    def dm_channel(self, user_id):
        return "D" + user_id[1:]

    def live_conns(self):
        """Connections an envelope may be delivered on."""
        with self.lock:
            return [c for c in self.conns if c.open and c.hello_at is not None and not c.silent
                    and c.disconnect_reason is None and not c.server_closing and not c.over_cap]

    def acks_for(self, envelope_id):
        with self.lock:
            return [a for a in self.acks if a.envelope_id == envelope_id]

    def deliveries_of(self, envelope_id):
        with self.lock:
            return list(self._by_eid.get(envelope_id, ()))

    def ack_of(self, envelope_id):
        """The valid ack of envelope_id (on the socket it was delivered on), or None."""
        with self.lock:
            for d in self._by_eid.get(envelope_id, ()):
                if d.ack is not None:
                    return d.ack
        return None

    def unacked(self, types=None):
        """Envelope frames delivered (or queued) that never got a valid ack, by envelope_id."""
        with self.lock:
            acked = {d.envelope_id for d in self.deliveries if d.ack is not None}
            seen, out = set(), []
            for d in self.deliveries:
                f = d.frame
                if f["envelope_id"] in acked or f["envelope_id"] in seen:
                    continue
                if types and f["type"] not in types:
                    continue
                seen.add(f["envelope_id"])
                out.append(f)
            for f in self.offline_queue:
                if f["envelope_id"] not in seen and (not types or f["type"] in types):
                    seen.add(f["envelope_id"])
                    out.append(f)
            return out

    def describe(self):
        with self.lock:
            return f"conns={self.conns} calls={[c.method for c in self.calls][-30:]}"

    def wait_hello(self, count=1, timeout=15.0):
        """Waits until count connections got their hello; returns the newest."""
        def ok():
            with self.lock:
                hs = [c for c in self.conns if c.hello_at is not None]
                return hs[count - 1] if len(hs) >= count else None
        return self.wait_for(ok, timeout, f"hello #{count}")

    def wait_ack(self, envelope_id, timeout=10.0):
        return self.wait_for(lambda: self.ack_of(envelope_id), timeout, f"ack of {envelope_id}")

    def command(self, text, user="U0ALICE", command="/smk", channel="C0GEN", timeout=10.0):
        """Sends a slash command and waits for its ack; returns the Ack."""
        eid = self.send(self.slash(text, user=user, command=command, channel=channel))
        return self.wait_ack(eid, timeout)

    def reply_text(self, ack):
        """The text of a slash command's reply in its ack payload ("" if none)."""
        p = ack.payload or {}
        parts = [p.get("text") or ""]
        for b in p.get("blocks") or []:
            parts.append(json.dumps(b, ensure_ascii=False))
        return "\n".join(parts)

    def private_replies(self, user, channel=None):
        """Texts the bot sent privately to user outside an ack: chat.postEphemeral to
        user, posts in user's DM, and response_url posts."""
        out = []
        with self.lock:
            for e in self.ephemerals:
                if e["user"] == user and (channel is None or e["channel"] == channel):
                    out.append(e["text"] + json.dumps(e["blocks"]))
            for m in self.posts:
                if m["channel"] == self.dm_channel(user):
                    out.append(m["text"] + json.dumps(m["blocks"]))
            for r in self.responses:
                if isinstance(r.body, dict):
                    out.append((r.body.get("text") or "") + json.dumps(r.body.get("blocks") or []))
        return out

    # --------------------------------------------------------- WS scripting
    def send(self, frame, conn=None):
        """Delivers an envelope (dict) on conn or on a live connection (round robin).
        Returns its envelope_id."""
        frame = copy.deepcopy(frame)
        self._run(self._deliver, frame, conn)
        return frame["envelope_id"]

    def redeliver(self, envelope_id, retry_attempt=0, retry_reason="", conn=None):
        """Sends the same envelope again, same envelope_id (as in bolt-js #2487)."""
        with self.lock:
            frames = [d.frame for d in self.deliveries if d.envelope_id == envelope_id]
            frames += [f for f in self.offline_queue if f["envelope_id"] == envelope_id]
        assert frames, f"never sent {envelope_id}"
        frame = copy.deepcopy(frames[0])
        if frame["type"] == "events_api":
            frame["retry_attempt"] = retry_attempt
            frame["retry_reason"] = retry_reason
        return self.send(frame, conn)

    def retry_event(self, envelope_id, retry_attempt=1, retry_reason="timeout", conn=None):
        """Redelivers an events_api envelope as Slack does after a missed ack:
        a new envelope_id, the same payload (event_id), retry_attempt set."""
        with self.lock:
            frames = [d.frame for d in self.deliveries if d.envelope_id == envelope_id]
        frame = copy.deepcopy(frames[0])
        frame["envelope_id"] = str(uuid.uuid4())
        frame["retry_attempt"] = retry_attempt
        frame["retry_reason"] = retry_reason
        return self.send(frame, conn)

    def disconnect(self, conn, reason, grace=None):
        """Sends a disconnect frame; the server closes the socket after grace seconds
        unless the client closes it first."""
        assert reason in DISCONNECT_REASONS, reason
        self._run(self._disconnect, conn, reason, grace)

    # ----------------------------------------------------- envelope builders
    def _trigger(self):
        t = f"{next(self._trigger_seq)}.{self.team_id[1:]}.{uuid.uuid4().hex[:16]}"
        with self.lock:
            self.triggers[t] = [now(), False]
        return t

    def _response_url(self, kind):
        return f"{self.base_url}/{kind}/{self.team_id}/{next(self._resp_seq)}/{uuid.uuid4().hex[:24]}"

    def user_name(self, user_id):
        return self.users.get(user_id, (user_id.lower(), "UTC"))[0]

    def slash(self, text, user="U0ALICE", command="/smk", channel="C0GEN", channel_name=None):
        """A slash_commands envelope, from slash_command_envelope.json."""
        env = fixture("slash_command_envelope.json")
        env["envelope_id"] = str(uuid.uuid4())
        p = env["payload"]
        p.update(team_id=self.team_id, team_domain=self.team_domain, channel_id=channel,
                 channel_name=channel_name or self._channel_name(channel),
                 user_id=user, user_name=self.user_name(user), command=command, text=text,
                 api_app_id=self.app_id, response_url=self._response_url("commands"),
                 trigger_id=self._trigger())
        return env

    def _channel_name(self, channel):
        if channel.startswith("D"):
            return "directmessage"
        for name, cid in self.channels.items():
            if cid == channel:
                return name
        return channel.lower()

    def _event_envelope(self, event):
        env = fixture("events_api_app_mention_envelope.json")
        env["envelope_id"] = str(uuid.uuid4())
        p = env["payload"]
        ts = self._ts()
        event.setdefault("ts", ts)
        event.setdefault("event_ts", event["ts"])
        event.setdefault("team", self.team_id)
        p["event"] = event
        p["team_id"] = self.team_id
        p["api_app_id"] = self.app_id
        p["event_id"] = "Ev" + uuid.uuid4().hex[:10].upper()
        p["event_time"] = int(time.time())
        p["authorizations"] = [{"enterprise_id": None, "team_id": self.team_id,
                                "user_id": self.bot_user_id, "is_bot": True,
                                "is_enterprise_install": False}]
        p["event_context"] = f"4-{event['type']}-{self.team_id}-{event.get('channel', '')}"
        return env

    def app_mention(self, text, user="U0ALICE", channel="C0GEN"):
        """An events_api app_mention: text is what follows the mention."""
        full = f"<@{self.bot_user_id}> {text}"
        event = {"client_msg_id": str(uuid.uuid4()), "type": "app_mention", "text": full,
                 "user": user,
                 "blocks": [{"type": "rich_text", "block_id": "Sesm", "elements": [
                     {"type": "rich_text_section", "elements": [
                         {"type": "user", "user_id": self.bot_user_id},
                         {"type": "text", "text": " " + text}]}]}],
                 "channel": channel}
        return self._event_envelope(event)

    def channel_message(self, text, user="U0ALICE", channel="C0GEN", ts=None):
        """The message.channels event Slack sends alongside an app_mention."""
        env = fixture("events_api_message_envelope.json")
        event = dict(env["payload"]["event"])
        event.update(client_msg_id=str(uuid.uuid4()), text=text, user=user, channel=channel,
                     channel_type="channel")
        if ts:
            event["ts"] = event["event_ts"] = ts
        else:
            event.pop("ts", None)
            event.pop("event_ts", None)
        return self._event_envelope(event)

    def dm(self, text, user="U0ALICE", bot_message=False):
        """An events_api message in the bot's DM with user (channel_type "im"),
        from events_api_message_envelope.json. bot_message=True: the bot's own post."""
        env = fixture("events_api_message_envelope.json")
        event = dict(env["payload"]["event"])
        event.pop("ts", None)
        event.pop("event_ts", None)
        event.update(client_msg_id=str(uuid.uuid4()), text=text, user=user,
                     channel=self.dm_channel(user), channel_type="im")
        if bot_message:
            event.pop("client_msg_id", None)
            event.update(subtype="bot_message", bot_id=self.bot_id, user=self.bot_user_id)
        return self._event_envelope(event)

    def block_action(self, message, action_id=None, value=None, user="U0BOB", button=None):
        """An interactive block_actions envelope for a click on a button of a posted
        message (a dict from self.posts / self.messages). The button is found by
        action_id, value, or by its label (button="Accept")."""
        btn, block_id = find_button(message, action_id=action_id, value=value, label=button)
        assert btn is not None, f"no such button in {message.get('blocks')}"
        payload = {
            "type": "block_actions",
            "user": {"id": user, "username": self.user_name(user), "name": self.user_name(user),
                     "team_id": self.team_id},
            "api_app_id": self.app_id,
            "token": "verification-token",
            "container": {"type": "message", "message_ts": message["ts"],
                          "channel_id": message["channel"], "is_ephemeral": False},
            "trigger_id": self._trigger(),
            "team": {"id": self.team_id, "domain": self.team_domain},
            "enterprise": None,
            "is_enterprise_install": False,
            "channel": {"id": message["channel"], "name": self._channel_name(message["channel"])},
            "message": {"type": "message", "subtype": "bot_message", "text": message.get("text", ""),
                        "ts": message["ts"], "bot_id": self.bot_id,
                        "blocks": copy.deepcopy(message.get("blocks") or [])},
            "state": {"values": {}},
            "response_url": self._response_url("actions"),
            "actions": [{"action_id": btn.get("action_id"), "block_id": block_id,
                         "text": btn.get("text"), "value": btn.get("value"),
                         "style": btn.get("style"), "type": "button",
                         "action_ts": f"{time.time():.6f}"}],
        }
        if payload["actions"][0]["style"] is None:
            del payload["actions"][0]["style"]
        return {"envelope_id": str(uuid.uuid4()), "payload": payload, "type": "interactive",
                "accepts_response_payload": False}

    def view_submission(self, view, values, user="U0BOB"):
        """An interactive view_submission envelope for a view the bot opened
        (a dict from self.views). values maps a hint to the value to enter:
        for each input block, a select/radio element takes the option whose
        value or text equals one of the values; a text input takes
        the value whose key appears in its block_id, action_id or label
        (e.g. "reason"), else values["text"]."""
        state = {}
        for b in view.get("blocks", []):
            if b.get("type") != "input":
                continue
            el = b.get("element", {})
            aid, bid, et = el.get("action_id"), b.get("block_id"), el.get("type")
            if et in ("static_select", "radio_buttons", "external_select"):
                chosen = None
                for opt in el.get("options", []) + [o for g in el.get("option_groups", [])
                                                    for o in g.get("options", [])]:
                    if opt.get("value") in values.values() or \
                            opt.get("text", {}).get("text") in values.values():
                        chosen = opt
                        break
                state.setdefault(bid, {})[aid] = {"type": et, "selected_option": chosen}
            elif et == "plain_text_input":
                where = f"{bid} {aid} {b.get('label', {}).get('text', '')}".lower()
                v = next((v for k, v in values.items() if k != "text" and k.lower() in where),
                         values.get("text"))
                state.setdefault(bid, {})[aid] = {"type": et, "value": v}
            else:
                state.setdefault(bid, {})[aid] = {"type": et}
        submitted = copy.deepcopy(view)
        submitted["state"] = {"values": state}
        payload = {
            "type": "view_submission",
            "team": {"id": self.team_id, "domain": self.team_domain},
            "user": {"id": user, "username": self.user_name(user), "name": self.user_name(user),
                     "team_id": self.team_id},
            "api_app_id": self.app_id,
            "token": "verification-token",
            "trigger_id": self._trigger(),
            "view": submitted,
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }
        return {"envelope_id": str(uuid.uuid4()), "payload": payload, "type": "interactive",
                "accepts_response_payload": True}

    # -------------------------------------------------------------- WS side
    # -------------------------------------------------------------- WS side
    async def ws_upgrade(self, req, listener):
        ticket = req.query.get("ticket")
        with self.lock:
            state = self.tickets.get(ticket)
            if listener != "ws" or req.path.rstrip("/") != "/link" or state is None:
                self.rejected_upgrades.append((now(), req.target, "unknown ticket"))
                return 403, "invalid ticket\n"
            if state == "used":
                self.rejected_upgrades.append((now(), req.target, "used ticket"))
                return 403, "ticket already used\n"
            self.tickets[ticket] = "used"
        return None

    async def ws_opened(self, conn):
        if len(self.open_conns()) - 1 >= self.max_connections:
            conn.over_cap = True
            frame = fixture("disconnect_too_many_websockets.json")
            frame["num_connections"] = len(self.open_conns())
            frame["connection_info"]["app_id"] = self.app_id
            self._send(conn, frame)
            self.loop.call_later(self.over_cap_close,
                                 lambda: asyncio.ensure_future(self._close(conn, 1008, "")))
            return
        hello = fixture("hello.json")
        hello["num_connections"] = len(self.open_conns())
        hello["connection_info"]["app_id"] = self.app_id
        self._send(conn, hello)
        conn.hello_at = now()
        conn.tasks.append(asyncio.ensure_future(self._pinger(
            conn, self.ping_interval,
            lambda n: f"fake-slack ping {conn.id}.{n} {time.time():.3f}".encode())))
        life = self.lifetime
        if "debug_reconnects=true" in conn.path:
            life = min(life or self.debug_lifetime, self.debug_lifetime)
        if life:
            self.loop.call_later(life, lambda: conn.open and conn.disconnect_reason is None
                                 and asyncio.ensure_future(
                                     self._disconnect(conn, "refresh_requested", None)))
        self._flush_offline()

    def _send(self, conn, frame):
        return self.ws_send(conn, json.dumps(frame, separators=(",", ":")), record=frame)

    def ws_message(self, conn, msg):
        t = now()
        if isinstance(msg, bytes):
            self.junk.append((conn.id, msg))
            return
        try:
            obj = json.loads(msg)
        except ValueError:
            self.junk.append((conn.id, msg))
            return
        if not isinstance(obj, dict) or "envelope_id" not in obj:
            self.junk.append((conn.id, msg))
            return
        eid = obj["envelope_id"]
        with self.lock:
            all_d = self._by_eid.get(eid, [])
            mine = [d for d in all_d if d.conn_id == conn.id]
            d = next((d for d in mine if d.ack is None), mine[-1] if mine else None)
            any_d = all_d[-1] if all_d else None
            ref = d or any_d
            ack = Ack(envelope_id=eid, payload=obj.get("payload"), has_payload="payload" in obj,
                      raw=msg, size=len(msg.encode()), conn_id=conn.id,
                      delivered_conn_id=ref.conn_id if ref else None,
                      latency=(t - ref.sent_at) if ref else None, t=t,
                      valid=d is not None and d.ack is None and len(msg.encode()) < 20 * 1024)
            self.acks.append(ack)
            if ack.valid:
                d.ack = ack
                h = self._deadlines.pop(eid, None)
                if h:
                    h.cancel()

    def _deliver(self, frame, conn=None):
        if conn is None:
            live = self.live_conns()
            if not live:
                if self.queue_when_offline:
                    with self.lock:
                        self.offline_queue.append(frame)
                    return
                raise AssertionError("no live connection to deliver on")
            conn = live[next(self._rr) % len(live)]
        d = Delivery(frame=frame, conn_id=conn.id, sent_at=now())
        eid = frame["envelope_id"]
        with self.lock:
            self.deliveries.append(d)
            self._by_eid.setdefault(eid, []).append(d)
        old = self._deadlines.pop(eid, None)
        if old:
            old.cancel()
        self._deadlines[eid] = self.loop.call_later(self.ack_timeout, self._deadline, d)
        self._send(conn, frame)

    def _deadline(self, d):
        self._deadlines.pop(d.envelope_id, None)
        if d.ack is not None:
            return
        d.expired = True
        f = d.frame
        if f["type"] == "events_api" and f.get("retry_attempt", 0) < self.max_retries:
            nf = copy.deepcopy(f)
            nf["envelope_id"] = str(uuid.uuid4())
            nf["retry_attempt"] = f.get("retry_attempt", 0) + 1
            nf["retry_reason"] = "timeout"
            self._deliver(nf)
        # [U] slash commands and interactive payloads are not retried: the user sees an error.

    def _flush_offline(self):
        with self.lock:
            q, self.offline_queue = self.offline_queue, []
        for f in q:
            self._deliver(f)

    async def _disconnect(self, conn, reason, grace):
        if not conn.open:
            return
        if reason == "too_many_websockets":
            frame = fixture("disconnect_too_many_websockets.json")
            frame["num_connections"] = len(self.open_conns())
            frame["connection_info"]["app_id"] = self.app_id
        elif reason == "warning":
            frame = fixture("disconnect_warning.json")
        else:
            frame = {"type": "disconnect", "reason": reason,
                     "debug_info": {"host": "applink-d85c5c684-dnqj9"}}
        conn.disconnect_reason = reason
        conn.disconnect_at = now()
        self._send(conn, frame)
        if grace is None:
            grace = self.disconnect_grace if reason in ("warning", "refresh_requested") else self.short_grace
        self.loop.call_later(grace, lambda: asyncio.ensure_future(self._close(conn, 1001, "")))


    # ------------------------------------------------------------ HTTP side
    async def http_request(self, req, writer, listener):
        verb, target, headers, raw, t = req.verb, req.target, req.headers, req.raw, req.t
        path = req.path
        m = re.fullmatch(r"/api/([A-Za-z0-9_.]+)", path)
        if m is None or listener != "http":
            if listener == "http" and re.fullmatch(r"/(commands|actions)/.+", path):
                return self._response_url_post(req, writer)
            self.write(writer, 404, "not found", "text/plain")
            return True
        method = m.group(1)
        try:
            kind, body = self.parse_body(req, _maybe_json)
            if "_json" in body:
                raise ValueError("json body is not an object")
        except (ValueError, UnicodeDecodeError) as e:
            kind, body = "bad", {}
            err = "invalid_post_type" if str(e) == "invalid_post_type" else "invalid_form_data"
            self.record(Call(method=method, endpoint=method, verb=verb, path=target,
                             headers=headers, raw=raw, kind=kind, body=body, t=t, status=200,
                             response={"ok": False, "error": err}))
            self.write(writer, 200, {"ok": False, "error": err})
            return True
        call = self.record(Call(method=method, endpoint=method, verb=verb, path=target,
                                headers=headers, raw=raw, kind=kind, body=body, t=t,
                                status=None, response=None))
        script = self.take_script(method)
        status, resp, extra = 200, None, []
        if await self.perform_script(script, call, writer):
            return False
        if script:
            if "status" in script and script["status"] == 429:
                status, resp = 429, fixture("ratelimited_error.json")
                extra = [("Retry-After", str(script.get("retry_after", 1)))]
            elif "status" in script:
                status = script["status"]
                resp = script.get("body", {"ok": False, "error": "internal_error"})
            elif "error" in script:
                resp = {"ok": False, "error": script["error"]}
            elif "body" in script:
                resp = script["body"]
        if resp is None:
            resp = self._api(method, verb, headers, body, script or {})
            if isinstance(resp, tuple):
                status, resp, extra = resp
        call.status, call.response, call.answered_at = status, resp, now()
        self.write(writer, status, resp, extra=extra)
        return True

    def _response_url_post(self, req, writer):
        verb, path, headers, raw = req.verb, req.path, req.headers, req.raw
        try:
            body = json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:
            body = None
        with self.lock:
            uses = sum(1 for r in self.responses if r.path == path and r.status == 200)
        if verb != "POST":
            status, resp = 405, "method_not_allowed"
        elif uses >= 5:
            status, resp = 404, "used_url"
        elif not isinstance(body, dict) or not headers.get("content-type", "").startswith(
                "application/json"):
            status, resp = 400, "invalid_payload"
        else:
            status, resp = 200, "ok"
            if body.get("replace_original") and body.get("delete_original") is not True:
                self._apply_replace(path, body)
        call = Call(method="response_url", endpoint="response_url", kind=path.split("/")[1],
                    verb=verb, path=path, headers=headers, raw=raw, body=body, t=req.t,
                    status=status, response=resp)
        with self.lock:
            self.responses.append(call)
        self.write(writer, status, resp, "text/plain")
        return True

    def _apply_replace(self, path, body):
        """replace_original through an actions response_url updates that message."""
        with self.lock:
            for d in reversed(self.deliveries):
                p = d.frame.get("payload", {})
                if p.get("response_url", "").endswith(path) and p.get("container", {}).get("message_ts"):
                    key = (p["container"]["channel_id"], p["container"]["message_ts"])
                    msg = self.messages.get(key)
                    if msg is not None:
                        msg.setdefault("updates", []).append(copy.deepcopy(body))
                        msg["text"] = body.get("text", msg["text"])
                        msg["blocks"] = body.get("blocks", [])
                    return

    # -------------------------------------------------------- Web API methods
    def _auth(self, method, headers, body):
        auth = headers.get("authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else None
        if method == "apps.connections.open":
            # The app-level token must be in the header (docs.slack.dev); a
            # repeated `token` form field is tolerated.
            if token is None:
                return "not_authed"
            return None if token == self.app_token else "invalid_auth"
        if token is None:
            token = body.get("token")
        if not token:
            return "not_authed"
        return None if token == self.bot_token else "invalid_auth"

    def _ts(self):
        return f"{int(time.time())}.{next(self._ts_seq):06d}"

    def _resolve_channel(self, ch):
        if not isinstance(ch, str) or not ch:
            return None
        ch = ch.lstrip("#")
        if ch in self.missing_channels:
            return None
        if ch in self.channels:
            return self.channels[ch]
        if re.fullmatch(r"[UW][A-Z0-9]+", ch):
            return self.dm_channel(ch) if ch in self.users else None
        if re.fullmatch(r"[CG][A-Z0-9]+", ch):
            return ch
        if re.fullmatch(r"D[A-Z0-9]+", ch):
            return ch if ("U" + ch[1:]) in self.users else None
        return None

    def _api(self, method, verb, headers, body, script):
        err = self._auth(method, headers, body)
        if err:
            return {"ok": False, "error": err}
        fn = getattr(self, "_api_" + method.replace(".", "_"), None)
        if fn is None:
            return {"ok": False, "error": "unknown_method"}
        return fn(verb, body, script)

    def _api_apps_connections_open(self, verb, body, script):
        if verb != "POST":
            return {"ok": False, "error": "insecure_request"}
        if script.get("url"):
            return {"ok": True, "url": script["url"]}
        ticket = str(next(self._ticket_seq))
        with self.lock:
            self.tickets[ticket] = "fresh"
        r = fixture("apps_connections_open_ok.json")
        r["url"] = f"ws://{self.host}:{self.ws_port}/link/?ticket={ticket}&app_id={self.app_id}"
        return r

    def _api_auth_test(self, verb, body, script):
        return {"ok": True, "url": f"https://{self.team_domain}.slack.com/", "team": "Smarketing",
                "user": "smarkbot", "team_id": self.team_id, "user_id": self.bot_user_id,
                "bot_id": self.bot_id, "is_enterprise_install": False}

    def _check_message(self, body):
        text, blocks = body.get("text"), body.get("blocks")
        if not text and not blocks and not body.get("attachments"):
            return "no_text"
        if blocks is not None:
            if isinstance(blocks, str):
                try:
                    blocks = json.loads(blocks)
                except ValueError:
                    return "invalid_blocks"
            if not isinstance(blocks, list) or len(blocks) > 50:
                return "invalid_blocks"
            for b in blocks:
                if not isinstance(b, dict) or "type" not in b:
                    return "invalid_blocks"
        if isinstance(text, str) and len(text) > 40000:
            return "msg_too_long"
        return None

    def _api_chat_postMessage(self, verb, body, script):
        ch = self._resolve_channel(body.get("channel"))
        if ch is None:
            return {"ok": False, "error": "channel_not_found"}
        err = self._check_message(body)
        if err:
            return {"ok": False, "error": err}
        with self.lock:
            if self.channel_rate is not None:
                last = self._last_post.get(ch)
                if last is not None and now() - last < self.channel_rate:
                    return 429, fixture("ratelimited_error.json"), [("Retry-After", "1")]
            self._last_post[ch] = now()
            ts = self._ts()
            msg = {"channel": ch, "ts": ts, "text": body.get("text", ""),
                   "blocks": body.get("blocks") or [], "thread_ts": body.get("thread_ts"),
                   "posted_at": now(), "body": body, "updates": []}
            self.messages[(ch, ts)] = msg
            self.posts.append(msg)
        r = fixture("chat_postMessage_ok.json")
        r["channel"], r["ts"] = ch, ts
        r["message"] = {"type": "message", "subtype": "bot_message", "text": msg["text"],
                        "username": "smarkbot", "bot_id": self.bot_id, "ts": ts}
        if msg["blocks"]:
            r["message"]["blocks"] = msg["blocks"]
        return r

    def _api_chat_postEphemeral(self, verb, body, script):
        ch = self._resolve_channel(body.get("channel"))
        if ch is None:
            return {"ok": False, "error": "channel_not_found"}
        if body.get("user") not in self.users:
            return {"ok": False, "error": "user_not_in_channel"}
        err = self._check_message(body)
        if err:
            return {"ok": False, "error": err}
        r = fixture("chat_postEphemeral_ok.json")
        r["message_ts"] = self._ts()
        with self.lock:
            self.ephemerals.append({"channel": ch, "user": body["user"], "text": body.get("text", ""),
                                    "blocks": body.get("blocks") or [], "ts": r["message_ts"],
                                    "body": body, "posted_at": now()})
        return r

    def _api_chat_update(self, verb, body, script):
        ch = self._resolve_channel(body.get("channel"))
        if ch is None:
            return {"ok": False, "error": "channel_not_found"}
        with self.lock:
            msg = self.messages.get((ch, body.get("ts")))
            if msg is None:
                return {"ok": False, "error": "message_not_found"}
            if body.get("text") is None and body.get("blocks") is None:
                return {"ok": False, "error": "no_text"}
            err = self._check_message(body)
            if err:
                return {"ok": False, "error": err}
            msg["updates"].append(copy.deepcopy(body))
            if "text" in body:
                msg["text"] = body["text"]
            if "blocks" in body:
                msg["blocks"] = body["blocks"] or []
        return {"ok": True, "channel": ch, "ts": body["ts"], "text": msg["text"],
                "message": {"text": msg["text"], "user": self.bot_user_id, "bot_id": self.bot_id,
                            "blocks": msg["blocks"]}}

    def _api_conversations_open(self, verb, body, script):
        users = body.get("users")
        if not users:
            return {"ok": False, "error": "users_list_not_supplied"}
        ids = [u.strip() for u in str(users).split(",") if u.strip()]
        for u in ids:
            if u not in self.users:
                return {"ok": False, "error": "user_not_found"}
        r = fixture("conversations_open_ok.json")
        r["channel"] = {"id": self.dm_channel(ids[0])}
        if str(body.get("return_im", "")).lower() in ("true", "1"):
            r["channel"].update(is_im=True, user=ids[0], created=int(time.time()))
        return r

    def _api_users_info(self, verb, body, script):
        uid = body.get("user")
        if uid not in self.users:
            return {"ok": False, "error": "user_not_found"}
        name, tz = self.users[uid]
        r = fixture("users_info_ok.json")
        u = r["user"]
        u.update(id=uid, team_id=self.team_id, name=name, real_name=name.capitalize() + " Example",
                 tz=tz, is_admin=False)
        u["profile"].update(real_name=u["real_name"], real_name_normalized=u["real_name"],
                            display_name=name, display_name_normalized=name,
                            email=f"{name}@example.com", team=self.team_id,
                            status_text="", status_emoji="")
        return r

    def _api_views_open(self, verb, body, script):
        trig, view = body.get("trigger_id"), body.get("view")
        if not trig or not view:
            return {"ok": False, "error": "invalid_arguments",
                    "response_metadata": {"messages": ["invalid `trigger_id`"]}}
        if isinstance(view, str):
            try:
                view = json.loads(view)
            except ValueError:
                return {"ok": False, "error": "invalid_arguments"}
        with self.lock:
            tr = self.triggers.get(trig)
            if tr is None:
                return {"ok": False, "error": "invalid_trigger_id"}
            if tr[1]:
                return {"ok": False, "error": "exchanged_trigger_id"}
            if now() - tr[0] > self.trigger_ttl:
                return {"ok": False, "error": "expired_trigger_id"}
            tr[1] = True
        if len(json.dumps(view)) > 250_000 or len(view.get("blocks", [])) > 100:
            return {"ok": False, "error": "view_too_large"}
        r = fixture("views_open_ok.json")
        v = r["view"]
        vid = f"V{next(self._view_seq):08d}"
        v.update(id=vid, team_id=self.team_id, root_view_id=vid, app_id=self.app_id,
                 bot_id=self.bot_id, hash=f"{int(time.time())}.{uuid.uuid4().hex[:8]}",
                 private_metadata="", callback_id="", external_id="", state={"values": {}})
        for k in ("type", "title", "submit", "close", "blocks", "private_metadata",
                  "callback_id", "external_id", "clear_on_close", "notify_on_close"):
            if k in view:
                v[k] = view[k]
        with self.lock:
            self.views[vid] = v
        return r

    def _api_chat_scheduleMessage(self, verb, body, script):
        ch = self._resolve_channel(body.get("channel"))
        if ch is None:
            return {"ok": False, "error": "channel_not_found"}
        try:
            post_at = int(body.get("post_at"))
        except (TypeError, ValueError):
            return {"ok": False, "error": "invalid_time"}
        if post_at < time.time():
            return {"ok": False, "error": "time_in_past"}
        return {"ok": True, "channel": ch, "scheduled_message_id": "Q" + uuid.uuid4().hex[:10].upper(),
                "post_at": post_at, "message": {"text": body.get("text", ""), "type": "delayed_message"}}


def _maybe_json(key, v):
    if isinstance(v, str) and key in ("blocks", "attachments", "view", "metadata") and \
            v[:1] in ("[", "{"):
        try:
            return json.loads(v)
        except ValueError:
            return v
    return v


def find_button(message, action_id=None, value=None, label=None):
    """The first button in message's blocks matching the criteria, with its block_id."""
    for b in message.get("blocks") or []:
        elements = b.get("elements", []) if b.get("type") == "actions" else (
            [b["accessory"]] if isinstance(b.get("accessory"), dict) else [])
        for el in elements:
            if el.get("type") != "button":
                continue
            if action_id is not None and el.get("action_id") != action_id:
                continue
            if value is not None and el.get("value") != value:
                continue
            if label is not None and label.lower() not in el.get("text", {}).get("text", "").lower():
                continue
            return el, b.get("block_id")
    return None, None


def buttons(message):
    """Every button in a message's blocks."""
    out = []
    for b in message.get("blocks") or []:
        if b.get("type") == "actions":
            out += [e for e in b.get("elements", []) if e.get("type") == "button"]
        elif isinstance(b.get("accessory"), dict) and b["accessory"].get("type") == "button":
            out.append(b["accessory"])
    return out


# ---------------------------------------------------------------------------
# Running the real bot against the fake

SLACK_CONFIG = """\
[bot]
platform = slack
database = smarkbot.db
timezone = America/Sao_Paulo
log_level = {log_level}

[slack]
app_token = {app_token}
bot_token = {bot_token}
api_url = {api_url}

[channels]
marketing = {marketing}
sales = {sales}
digest = {digest}

[roles]
marketing = alice
sales = bob, dave
managers = carol

[sla]
response = 4h
mql_monthly_target = 200
hours = mon-fri 09:00-18:00
holidays = 2026-12-25, 2027-01-01
"""


class SlackBot(BotProcess):
    """The real smarkbot binary with platform = slack, in a directory of its own.
    start() again after stop()/kill() is a restart on the same database."""

    def configure(self, log_level="debug", tokens_in_env=False, file_tokens=("", ""),
                  app_token=None, bot_token=None, marketing="C0MKT", sales="C0SALES",
                  digest="C0DIGEST", extra="", env=None):
        """Writes the config. tokens_in_env: the tokens go in SMARKBOT_SLACK_*_TOKEN
        and the file holds file_tokens instead."""
        import os
        app_token = self.fake.app_token if app_token is None else app_token
        bot_token = self.fake.bot_token if bot_token is None else bot_token
        self.env = dict(os.environ)
        self.env.pop("SMARKBOT_SLACK_APP_TOKEN", None)
        self.env.pop("SMARKBOT_SLACK_BOT_TOKEN", None)
        if tokens_in_env:
            self.env["SMARKBOT_SLACK_APP_TOKEN"] = app_token
            self.env["SMARKBOT_SLACK_BOT_TOKEN"] = bot_token
            app_token, bot_token = file_tokens
        self.env.update(env or {})
        self.config.write_text(SLACK_CONFIG.format(
            log_level=log_level, app_token=app_token, bot_token=bot_token,
            api_url=self.fake.api_url, marketing=marketing, sales=sales, digest=digest) + extra)


# Block Kit limits (docs.slack.dev block-kit reference; docs/slack.md section 5)
def blockkit_problems(msg):
    """What is wrong with a message body (text, blocks) against Slack's limits."""
    probs = []
    text, blocks = msg.get("text"), msg.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if blocks and not (isinstance(text, str) and text.strip()):
        probs.append("blocks without a plain-text fallback `text`")
    if isinstance(text, str) and len(text) > 40000:
        probs.append(f"text of {len(text)} chars (> 40000)")
    if len(blocks) > 50:
        probs.append(f"{len(blocks)} blocks (> 50)")
    for b in blocks:
        t = b.get("type")
        if t == "section":
            tx = (b.get("text") or {}).get("text", "")
            if len(tx) > 3000:
                probs.append(f"section text of {len(tx)} chars (> 3000)")
            if len(b.get("fields") or []) > 10:
                probs.append("section with > 10 fields")
            for f in b.get("fields") or []:
                if len(f.get("text", "")) > 2000:
                    probs.append("section field > 2000 chars")
        if t == "header" and len((b.get("text") or {}).get("text", "")) > 150:
            probs.append("header text > 150 chars")
        if t == "context" and len(b.get("elements") or []) > 10:
            probs.append("context with > 10 elements")
        if t == "actions":
            els = b.get("elements") or []
            if len(els) > 25:
                probs.append("actions block with > 25 elements")
            ids = [e.get("action_id") for e in els if e.get("action_id")]
            if len(ids) != len(set(ids)):
                probs.append("action_id not unique within its block")
        if "block_id" in b and len(str(b["block_id"])) > 255:
            probs.append("block_id > 255 chars")
    for btn in buttons({"blocks": blocks}):
        bt = btn.get("text") or {}
        if bt.get("type") != "plain_text":
            probs.append("button text is not plain_text")
        if len(bt.get("text", "")) > 75:
            probs.append("button text > 75 chars")
        if len(btn.get("action_id") or "") > 255:
            probs.append("action_id > 255 chars")
        if len(btn.get("value") or "") > 2000:
            probs.append("button value > 2000 chars")
        if btn.get("style") not in (None, "primary", "danger"):
            probs.append(f"button style {btn.get('style')!r}")
    return probs


def main():
    ap = argparse.ArgumentParser(description="fake Slack (Socket Mode + Web API) on 127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="HTTP port of the Web API (0 = any)")
    ap.add_argument("--ws-port", type=int, default=0, help="Socket Mode port (0 = any)")
    ap.add_argument("--app-token", default=APP_TOKEN)
    ap.add_argument("--bot-token", default=BOT_TOKEN)
    ap.add_argument("--ping-interval", type=float, default=5.0)
    ap.add_argument("--lifetime", type=float, default=None,
                    help="send refresh_requested after this many seconds on every connection")
    a = ap.parse_args()
    fake = FakeSlack(app_token=a.app_token, bot_token=a.bot_token, http_port=a.port,
                     ws_port=a.ws_port, ping_interval=a.ping_interval, lifetime=a.lifetime).start()
    print(f"api_url = {fake.api_url}\nws port = {fake.ws_port}\n"
          f"app_token = {fake.app_token}\nbot_token = {fake.bot_token}", flush=True)
    fake.serve_until_interrupted()


if __name__ == "__main__":
    main()

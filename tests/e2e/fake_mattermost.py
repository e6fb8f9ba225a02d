# SPDX-License-Identifier: MIT
"""A fake Mattermost (WebSocket + REST v4 + slash commands + buttons) on
127.0.0.1, faithful to docs/mattermost.md; section 8 is its checklist.

- WebSocket /api/v4/websocket on the same port as REST: auth by the upgrade's
  Authorization (Bearer|Token, any case) or MMAUTHTOKEN cookie, or by an
  authentication_challenge (bad token: the socket is closed; already authed:
  ignored); not authed within auth_deadline (5 s): closed. hello (seq 0) and
  the OK reply in either order (hello_first). Per-connection seq, a
  replay_size (128) dead queue per connection id and the reconnect cases
  (a)-(d) of section 1 for ?connection_id=&sequence_number= (header auth
  only). Events meant for a connection id whose socket is away are kept in
  its queue (seq goes on), so a reconnect within reap_after replays them.
  WS pings every ping_interval; the `ping` action; FAIL for no action,
  bad seq, not authenticated, bad action. Client frames over 8192 bytes kill
  the connection.
- Events: `posted`/`post_edited` (data.post and data.mentions as JSON in
  strings, mentions per recipient) to every channel member including the
  sender; `ephemeral_message` to one user. Channel posts go out in the
  precomputed byte form, the others from a json.Encoder (compact + newline)
  (byte_format = "mixed" | "compact" | "precomputed").
- REST /api/v4 with Bearer auth, AppError bodies, X-Request-Id and
  X-Version-Id (ROUTES lists them). Scripts (FakeServer.script) are by route
  name ("POST /posts"): delay, stall, drop, {"status": 503} (AppError) and
  {"status": 429, "retry_after": 2} (text/plain `limit exceeded`). rate_limit
  = (per_second, burst) limits for real and adds X-RateLimit-* everywhere.
- Slash commands: slash() POSTs the sorted form, as the server does, to the
  command's URL and applies the CommandResponse; /hooks/commands/{id} takes 5
  uses in 30 min. Buttons: click() POSTs the PostActionIntegrationRequest to
  integration.url and applies update and ephemeral_text. Posts sent to
  clients never carry `integration`.

Used from pytest (FakeMattermost(...).start()) or standalone:
  /usr/bin/python3 fake_mattermost.py --port 8065
"""
import argparse
import base64
import collections
import copy
import gzip
import hashlib
import http.client
import itertools
import json
import re
import time
import urllib.parse

from fake_base import BotProcess, Call, FakeServer, WSConn, now

BOT_TOKEN = "fakebottoken0000000000000a"
ADMIN_TOKEN = "fakeadmintoken00000000000a"
ALPHABET = "ybndrfg8ejkmcpqxot1uwisza345h769"   # model.NewId's base32 alphabet
SERVER_VERSION = "9.11.1.9.11.1.4d6a3d2a5e5c3e8e55d1e6c7f0f1d2c3.false"

# name -> (locale, timezone)
DEFAULT_USERS = {
    "alice": ("pt-BR", "America/Sao_Paulo"),
    "bob": ("pt-BR", "America/Sao_Paulo"),
    "carol": ("en", "America/New_York"),
    "dave": ("pt-PT", "Europe/Lisbon"),
    "erin": ("es", "America/Sao_Paulo"),
}
DEFAULT_CHANNELS = ("town-square", "marketing", "sales", "smarketing")

ID_RE = re.compile(r"[a-z0-9]{26}")
APP_ERRORS = {
    401: ("api.context.session_expired.app_error", "Invalid or expired session, please login again."),
    403: ("api.context.permissions.app_error", "You do not have the appropriate permissions."),
    404: ("api.context.404.app_error", "Sorry, we could not find the page."),
    500: ("app.internal_error", "An internal error occurred."),
}


def mm_id(seed=None):
    """A 26-char id in Mattermost's alphabet; deterministic for a seed."""
    raw = hashlib.sha256(str(seed).encode()).digest() if seed is not None else \
        hashlib.sha256(f"{time.time_ns()}{next(_ids)}".encode()).digest()
    return "".join(ALPHABET[b % 32] for b in raw[:26])


_ids = itertools.count()


def ms():
    return int(time.time() * 1000)


class MMConn(WSConn):
    """One /api/v4/websocket connection."""

    def __init__(self, cid, request):
        super().__init__(cid, request)
        self.user_id = None
        self.auth = None                # "header" | "challenge"
        self.session = None             # the Session (connection_id, seq, queue)
        self.hello_at = None
        self.replayed = []              # seqs replayed on this socket
        self.case = None                # "fresh" | "a" | "b" | "c" | "d"
        self.actions = []               # action dicts received
        self.replies = []               # reply dicts sent

    @property
    def connection_id(self):
        return self.session.id if self.session else None

    def events(self, name=None):
        """The event dicts sent on this socket, in order."""
        out = []
        for _, f in self.sent:
            if isinstance(f, dict) and "event" in f and (name is None or f["event"] == name):
                out.append(f)
        return out

    def __repr__(self):
        return (f"MMConn(#{self.id} user={self.user_id} cid={self.connection_id} open={self.open} "
                f"case={self.case} closed_by={self.closed_by})")


class Session:
    """What the hub keeps for a connection id: its seq and dead queue."""

    def __init__(self, user_id, size):
        self.id = mm_id()
        self.user_id = user_id
        self.seq = 0                    # seq of the next event
        self.queue = collections.deque(maxlen=size)   # (seq, text, dict)
        self.conn = None
        self.inactive_since = None


class Result:
    """What slash() or click() did: request (headers, body), status, body,
    response (parsed), error, posts and ephemerals it made."""

    def __init__(self, **kw):
        self.posts, self.ephemerals, self.error = [], [], None
        self.__dict__.update(kw)

    def __repr__(self):
        return f"Result({self.__dict__!r})"


class FakeMattermost(FakeServer):
    name = "fake-mattermost"
    conn_class = MMConn

    def __init__(self, team="smarketing", team_display="Smarketing", users=None, channels=None,
                 bot="smarkbot", token=BOT_TOKEN, admin="admin", admin_token=ADMIN_TOKEN,
                 auth_deadline=5.0, hello_first=True, ping_interval=60.0, replay_size=128,
                 reap_after=300.0, ephemeral_allowed=False, command_timeout=30.0, hook_uses=5,
                 hook_lifetime=1800.0, ws_max_message=8192, byte_format="mixed",
                 rate_limit=None, commands_enabled=True, host="127.0.0.1", port=0,
                 close_timeout=3.0):
        super().__init__(host=host, listeners=("http",), http_port=port,
                         ws_max_size=ws_max_message, close_timeout=close_timeout)
        self.auth_deadline = auth_deadline
        self.hello_first = hello_first
        self.ping_interval = ping_interval
        self.replay_size = replay_size
        self.reap_after = reap_after
        self.ephemeral_allowed = ephemeral_allowed
        self.command_timeout = command_timeout
        self.hook_uses = hook_uses
        self.hook_lifetime = hook_lifetime
        self.byte_format = byte_format
        self.rate_limit = rate_limit
        self.commands_enabled = commands_enabled
        self.server_version = SERVER_VERSION
        self.team = {"id": mm_id("team:" + team), "name": team, "display_name": team_display,
                     "type": "O", "create_at": ms(), "update_at": ms(), "delete_at": 0}
        self.users = {}                 # id -> User
        self.tokens = {}                # token -> user id
        for name, (locale, tz) in (DEFAULT_USERS if users is None else users).items():
            self.add_user(name, locale=locale, timezone=tz)
        self.bot_id = self.add_user(bot, is_bot=True, token=token)["id"]
        self.admin_id = self.add_user(admin, roles="system_admin system_user",
                                      token=admin_token)["id"]
        self.token, self.admin_token = token, admin_token
        self.channels = {}              # id -> Channel (+ "members": set of user ids)
        for name in (DEFAULT_CHANNELS if channels is None else channels):
            self.add_channel(name)
        self.posts = {}                 # id -> Post (as stored: integrations kept)
        self.post_order = []            # post ids in creation order
        self.ephemerals = []            # (user_id, Post) of every ephemeral delivered
        self.commands = {}              # id -> Command
        self.hooks = {}                 # id -> {"created", "uses", "user_id", "channel_id"}
        self.results = []               # Result of every slash() and click()
        self.sessions = {}              # connection id -> Session
        self.junk = []                  # (conn id, message) that are not actions
        self._buckets = {}              # token -> [tokens left, last refill]

    # --------------------------------------------------------------- world
    def add_user(self, name, locale="en", timezone="UTC", is_bot=False, roles="system_user",
                 token=None):
        uid = mm_id("user:" + name)
        u = {"id": uid, "create_at": 1700000000000, "update_at": 1700000000000, "delete_at": 0,
             "username": name, "auth_data": "", "auth_service": "", "email": f"{name}@example.com",
             "nickname": "", "first_name": name.capitalize(), "last_name": "Example",
             "position": "", "roles": roles, "locale": locale,
             "timezone": {"automaticTimezone": timezone, "manualTimezone": "",
                          "useAutomaticTimezone": "true"},
             "disable_welcome_email": False}
        if is_bot:
            u.update(is_bot=True, bot_description="", first_name="", last_name="")
        with self.lock:
            self.users[uid] = u
            if token:
                self.tokens[token] = uid
        return u

    def add_channel(self, name, type="O", members=None):
        cid = mm_id("channel:" + name)
        c = {"id": cid, "create_at": 1700000000000, "update_at": 1700000000000, "delete_at": 0,
             "team_id": self.team["id"], "type": type, "display_name": name.replace("-", " ").title(),
             "name": name, "header": "", "purpose": "", "last_post_at": 0, "total_msg_count": 0,
             "creator_id": self.admin_id, "group_constrained": None, "shared": False,
             "members": set(members if members is not None else self.users)}
        with self.lock:
            self.channels[cid] = c
        return c

    def user_id(self, who):
        """A user's id from a name or an id."""
        if who in self.users:
            return who
        for uid, u in self.users.items():
            if u["username"] == who.lstrip("@"):
                return uid
        raise KeyError(who)

    def channel_id(self, which):
        """A channel's id from a name (or "@user" for the DM with the bot) or an id."""
        if which in self.channels:
            return which
        if which.startswith("@"):
            return self.dm_channel(which[1:])["id"]
        for cid, c in self.channels.items():
            if c["name"] == which and c["team_id"] == self.team["id"]:
                return cid
        raise KeyError(which)

    def dm_channel(self, user, other=None):
        """The DM channel of user and other (default: the bot), made if needed."""
        a, b = sorted([self.user_id(user), self.user_id(other) if other else self.bot_id])
        name = f"{a}__{b}"
        with self.lock:
            for c in self.channels.values():
                if c["name"] == name:
                    return c
            c = self.add_channel(name, "D", {a, b})
            c.update(team_id="", display_name="")
            return c

    # --------------------------------------------------------- test-facing
    @property
    def api_url(self):
        return self.url() + "/api/v4"

    @property
    def ws_url(self):
        return f"ws://{self.host}:{self.http_port}/api/v4/websocket"

    def user_posts(self, user, channel, text, root_id="", props=None):
        """user types text in channel (a name, "@user" or an id): the post is
        made and `posted` broadcast to the members. Returns the Post."""
        return self._run(self._create_post, self.user_id(user), self.channel_id(channel), text,
                         root_id, props or {}, "")

    def dm(self, user, text):
        """user writes text in their DM with the bot."""
        return self.user_posts(user, self.dm_channel(user)["id"], text)

    def posts_in(self, channel):
        """Posts of a channel in creation order, as stored (integrations kept)."""
        cid = self.channel_id(channel)
        with self.lock:
            return [self.posts[p] for p in self.post_order if self.posts[p]["channel_id"] == cid]

    def ephemerals_for(self, user):
        """Ephemeral posts delivered to user, in order."""
        uid = self.user_id(user)
        with self.lock:
            return [p for u, p in self.ephemerals if u == uid]

    def rest_calls(self, verb=None, route=None):
        """Recorded REST calls, by HTTP verb and/or route name ("POST /posts")."""
        with self.lock:
            return [c for c in self.calls if (verb is None or c.verb == verb)
                    and (route is None or c.endpoint == route)]

    def live_conns(self, user=None):
        """Open authenticated connections (of user)."""
        uid = self.user_id(user) if user else None
        with self.lock:
            return [c for c in self.conns if c.open and c.user_id and not c.silent
                    and (uid is None or c.user_id == uid)]

    def wait_conn(self, count=1, timeout=15.0):
        """Waits until count connections were authenticated; returns the newest."""
        def ok():
            with self.lock:
                cs = [c for c in self.conns if c.user_id]
                return cs[count - 1] if len(cs) >= count else None
        return self.wait_for(ok, timeout, f"authenticated connection #{count}")

    def restart(self):
        """A server restart: every socket dropped, every connection id and
        replay queue forgotten; users, channels, posts and commands stay."""
        def go():
            self._drop_all()
            with self.lock:
                self.sessions.clear()
        self._run(go)

    def add_command(self, trigger, url, method="P", creator=None):
        """Registers a custom slash command (as POST /commands); returns it."""
        body = {"team_id": self.team["id"], "trigger": trigger, "url": url, "method": method}
        status, cmd = self._run(self._new_command, creator or self.admin_id, body)
        assert status == 201, cmd
        return cmd

    def emit(self, users, event, data, broadcast=None):
        """Sends any event to every connection of users (names or ids)."""
        self._run(self._emit, [self.user_id(u) for u in users], event, data, broadcast or {}, False)

    # ---------------------------------------------------------- WebSocket
    async def ws_upgrade(self, req, listener):
        if req.path.rstrip("/") != "/api/v4/websocket":
            return 404, "404 page not found\n"
        cid, seq = req.query.get("connection_id"), req.query.get("sequence_number")
        if cid is not None and (seq is None or not ID_RE.fullmatch(cid) or not seq.isdigit()):
            return "drop"
        return None

    def _token_of(self, headers):
        auth = headers.get("authorization", "")
        scheme, _, tok = auth.partition(" ")
        if scheme.lower() in ("bearer", "token") and tok.strip():
            return tok.strip()
        for part in headers.get("cookie", "").split(";"):
            k, _, v = part.strip().partition("=")
            if k == "MMAUTHTOKEN":
                return v
        return None

    async def ws_opened(self, conn):
        uid = self.tokens.get(self._token_of(conn.request.headers) or "")
        conn.tasks.append(self.loop.create_task(self._pinger(conn, self.ping_interval)))
        if uid is None:
            # The upgrade succeeds unauthenticated (RequireSession=false).
            self.loop.call_later(self.auth_deadline, self._auth_deadline, conn)
            return
        conn.user_id, conn.auth = uid, "header"
        cid, seq = conn.request.query.get("connection_id"), conn.request.query.get("sequence_number")
        s = self.sessions.get(cid) if cid else None
        if s is not None and s.user_id == uid:
            n = int(seq)
            oldest = s.queue[0][0] if s.queue else s.seq
            if n == s.seq:
                return self._attach(conn, s, "b", [])
            if oldest <= n < s.seq:
                return self._attach(conn, s, "a", [q for q in s.queue if q[0] >= n])
            conn.case = "c"
        elif cid:
            conn.case = "d"
        self._register(conn, case=conn.case or "fresh")

    def _attach(self, conn, s, case, replay):
        if s.conn is not None and s.conn is not conn:
            self._abort(s.conn, "replaced")
        s.conn, s.inactive_since, conn.session, conn.case = conn, None, s, case
        for seq, text, frame in replay:
            conn.replayed.append(seq)
            self.ws_send(conn, text, record=frame)

    def _register(self, conn, case="fresh", reply_seq=None):
        """A new connection id, seq 0: hello (and the OK of a challenge)."""
        s = Session(conn.user_id, self.replay_size)
        with self.lock:
            self.sessions[s.id] = s
        s.conn, conn.session, conn.case = conn, s, case
        ok = {"status": "OK", "seq_reply": reply_seq}
        if reply_seq is not None and not self.hello_first:
            self._reply(conn, ok)
        data = {"connection_id": s.id, "server_hostname": "fake-mattermost",
                "server_version": self.server_version}
        self._send_event(s, "hello", data, {"user_id": conn.user_id}, False)
        conn.hello_at = now()
        if reply_seq is not None and self.hello_first:
            self._reply(conn, ok)

    def _auth_deadline(self, conn):
        if conn.open and conn.user_id is None:
            self._abort(conn, "server-auth-deadline")

    def ws_closed(self, conn):
        if conn.session is not None and conn.session.conn is conn:
            conn.session.inactive_since = now()
        self._reap()

    def _reap(self):
        with self.lock:
            for k, s in list(self.sessions.items()):
                if s.inactive_since is not None and now() - s.inactive_since > self.reap_after:
                    del self.sessions[k]

    def _reply(self, conn, reply):
        conn.replies.append(reply)
        self.ws_send(conn, json.dumps(reply, separators=(",", ":")) + "\n", record=reply)

    def _fail(self, conn, seq, err_id, message, status=400):
        self._reply(conn, {"status": "FAIL", "seq_reply": seq,
                           "error": self._app_error(status, err_id, message)})

    def ws_message(self, conn, msg):
        if isinstance(msg, bytes):
            self.junk.append((conn.id, msg))    # MessagePack: accepted, not understood here
            return
        try:
            r = json.loads(msg)
            assert isinstance(r, dict)
        except (ValueError, AssertionError):
            self.junk.append((conn.id, msg))
            return
        conn.actions.append(r)
        action, seq = r.get("action") or "", r.get("seq")
        seq = seq if isinstance(seq, int) else 0
        if action == "":
            return self._fail(conn, seq, "api.web_socket_router.no_action.app_error",
                              "No websocket action.")
        if seq <= 0:
            return self._fail(conn, seq, "api.web_socket_router.bad_seq.app_error",
                              "Invalid sequence for WebSocket message.")
        if action == "authentication_challenge":
            if conn.user_id is not None:
                return
            tok = (r.get("data") or {}).get("token")
            uid = self.tokens.get(tok) if isinstance(tok, str) else None
            if uid is None:
                return self._abort(conn, "server-bad-challenge")
            conn.user_id, conn.auth = uid, "challenge"
            return self._register(conn, reply_seq=seq)
        if conn.user_id is None:
            return self._fail(conn, seq, "api.web_socket_router.not_authenticated.app_error",
                              "No authentication on WebSocket connection.", 401)
        if action == "ping":
            return self._reply(conn, {"status": "OK", "seq_reply": seq, "data": {
                "node_id": "", "server_time": ms(), "text": "pong",
                "version": self.server_version}})
        if action in ("user_typing", "presence"):
            return self._reply(conn, {"status": "OK", "seq_reply": seq})
        if action in ("get_statuses", "get_statuses_by_ids"):
            ids = (r.get("data") or {}).get("user_ids") or list(self.users)
            return self._reply(conn, {"status": "OK", "seq_reply": seq,
                                      "data": {u: "online" for u in ids}})
        self._fail(conn, seq, "api.web_socket_router.bad_action.app_error",
                   "Unknown action.", 501)

    def _frame_text(self, frame, precomputed):
        if precomputed:
            parts = [f'"{k}": {json.dumps(frame[k], separators=(",", ":"), sort_keys=k == "data")}'
                     for k in ("event", "data", "broadcast", "seq")]
            return "{" + ", ".join(parts) + "}"
        return json.dumps(frame, separators=(",", ":"), sort_keys=False) + "\n"

    def _send_event(self, s, event, data, broadcast, precomputed):
        """Gives the event the session's next seq, queues it for replay and
        sends it when the session has a live socket."""
        b = {"omit_users": None, "user_id": "", "channel_id": "", "team_id": "",
             "connection_id": "", "omit_connection_id": ""}
        b.update(broadcast)
        frame = {"event": event, "data": dict(sorted(data.items())), "broadcast": b, "seq": s.seq}
        s.seq += 1
        text = self._frame_text(frame, precomputed)
        s.queue.append((frame["seq"], text, frame))
        if s.conn is not None and s.conn.open and not s.conn.silent:
            self.ws_send(s.conn, text, record=frame)

    def _emit(self, user_ids, event, data, broadcast, precomputed, per_user=None):
        """Sends to every session (live, or in the hub with a dead queue) of each user."""
        with self.lock:
            sessions = [s for s in self.sessions.values() if s.user_id in user_ids]
        for s in sessions:
            d = dict(data)
            if per_user:
                d.update(per_user(s.user_id))
            self._send_event(s, event, d, broadcast, precomputed)

    # -------------------------------------------------------------- posts
    def _client_post(self, p):
        """A post as clients see it: no action integrations."""
        p = {k: v for k, v in p.items() if k != "_meta"}
        p = copy.deepcopy(p)
        for a in (p.get("props") or {}).get("attachments") or []:
            for act in a.get("actions") or []:
                act.pop("integration", None)
        return p

    def _new_post(self, uid, cid, message, root_id="", props=None, ptype=""):
        t = ms()
        return {"id": mm_id(), "create_at": t, "update_at": t, "edit_at": 0, "delete_at": 0,
                "is_pinned": False, "user_id": uid, "channel_id": cid, "root_id": root_id,
                "original_id": "", "message": message, "type": ptype, "props": props or {},
                "hashtags": "", "pending_post_id": "", "reply_count": 0, "last_reply_at": 0,
                "participants": None, "is_following": False, "metadata": {}}

    def _mentioned(self, post, channel):
        names = set(re.findall(r"@([a-z0-9._-]+)", post["message"].lower()))
        out = {uid for uid in channel["members"] if self.users[uid]["username"] in names}
        if channel["type"] == "D":
            out |= set(channel["members"])
        out.discard(post["user_id"])
        return out

    def _create_post(self, uid, cid, message, root_id, props, ptype):
        ch = self.channels[cid]
        post = self._new_post(uid, cid, message, root_id, props, ptype)
        if props.get("attachments"):
            for a in props["attachments"]:
                for act in a.get("actions") or []:
                    act.setdefault("id", mm_id()[:20])
        with self.lock:
            self.posts[post["id"]] = post
            self.post_order.append(post["id"])
            ch["last_post_at"] = post["create_at"]
            ch["total_msg_count"] += 1
        self._broadcast_post("posted", post)
        return post

    def _broadcast_post(self, event, post):
        ch = self.channels[post["channel_id"]]
        sender = self.users.get(post["user_id"], {}).get("username", "")
        data = {"post": json.dumps(self._client_post(post), separators=(",", ":"))}
        if event == "posted":
            data.update(channel_display_name=f"@{sender}" if ch["type"] == "D" else ch["display_name"],
                        channel_name=ch["name"], channel_type=ch["type"],
                        sender_name=f"@{sender}", set_online=True, team_id=ch["team_id"])
        mentioned = self._mentioned(post, ch) if event == "posted" else set()
        self._emit(set(ch["members"]), event, data, {"channel_id": ch["id"]},
                   self.byte_format == "precomputed" or
                   (self.byte_format == "mixed" and ch["type"] in ("O", "P")),
                   lambda u: {"mentions": json.dumps([u])} if u in mentioned else {})

    def _ephemeral(self, uid, cid, message, props=None):
        post = self._new_post(self.bot_id, cid, message, "", props, "system_ephemeral")
        with self.lock:
            self.ephemerals.append((uid, post))
        self._emit({uid}, "ephemeral_message", {"post": json.dumps(self._client_post(post),
                   separators=(",", ":"))}, {"channel_id": cid, "user_id": uid}, False)
        return post

    # ------------------------------------------------------------------ REST
    ROUTES = [
        ("GET", r"/users/me", "GET /users/me"),
        ("GET", r"/users/username/(?P<name>[^/]+)", "GET /users/username/{name}"),
        ("GET", r"/users/(?P<id>[^/]+)", "GET /users/{id}"),
        ("POST", r"/users/ids", "POST /users/ids"),
        ("POST", r"/posts", "POST /posts"),
        ("POST", r"/posts/ephemeral", "POST /posts/ephemeral"),
        ("GET", r"/posts/(?P<id>[^/]+)", "GET /posts/{id}"),
        ("PUT", r"/posts/(?P<id>[^/]+)", "PUT /posts/{id}"),
        ("PUT", r"/posts/(?P<id>[^/]+)/patch", "PUT /posts/{id}/patch"),
        ("POST", r"/channels/direct", "POST /channels/direct"),
        ("GET", r"/channels/(?P<id>[^/]+)", "GET /channels/{id}"),
        ("GET", r"/channels/(?P<id>[^/]+)/posts", "GET /channels/{id}/posts"),
        ("GET", r"/teams/name/(?P<team>[^/]+)", "GET /teams/name/{team}"),
        ("GET", r"/teams/name/(?P<team>[^/]+)/channels/name/(?P<name>[^/]+)",
         "GET /teams/name/{team}/channels/name/{name}"),
        ("POST", r"/commands", "POST /commands"),
        ("GET", r"/commands", "GET /commands"),
    ]

    def _app_error(self, status, err_id=None, message=None):
        d_id, d_msg = APP_ERRORS.get(status, APP_ERRORS[500])
        return {"id": err_id or d_id, "message": message or d_msg, "detailed_error": "",
                "request_id": mm_id(), "status_code": status}

    def _headers(self, extra=()):
        h = [("X-Request-Id", mm_id()), ("X-Version-Id", self.server_version)]
        return h + list(extra)

    async def http_request(self, req, writer, listener):
        path = req.path
        if path.startswith("/hooks/commands/"):
            return self._hook(req, writer, path[len("/hooks/commands/"):])
        route, args = None, {}
        if path.startswith("/api/v4/"):
            sub = path[len("/api/v4"):].rstrip("/") or "/"
            for verb, rx, name in self.ROUTES:
                m = re.fullmatch(rx, sub)
                if m and verb == req.verb:
                    route, args = name, m.groupdict()
                    break
        call = self.record(Call(endpoint=route or f"{req.verb} {path}", verb=req.verb,
                                target=req.target, path=path, query=req.query,
                                headers=req.headers, raw=req.raw, t=req.t, body=None,
                                status=None, response=None))
        try:
            call.kind, params = self.parse_body(req)
            call.body = params.get("_json", params)
        except (ValueError, UnicodeDecodeError):
            return self._answer(writer, call, 400, self._app_error(
                400, "api.context.invalid_body_param.app_error", "Invalid or missing body in request body."))
        script = self.take_script(call.endpoint)
        if await self.perform_script(script, call, writer):
            return False
        limited = self._rate(req)
        if script and script.get("status") == 429 or limited:
            retry = script.get("retry_after", 1) if script else limited
            return self._answer(writer, call, 429, "limit exceeded\n", "text/plain; charset=utf-8",
                                [("X-RateLimit-Limit", str(self.rate_limit[1] if self.rate_limit else 10)),
                                 ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", str(retry)),
                                 ("Retry-After", str(retry))], ratelimit=False)
        if script and "status" in script:
            st = script["status"]
            return self._answer(writer, call, st, script.get("body", self._app_error(st)))
        if route is None:
            return self._answer(writer, call, 404, self._app_error(404))
        uid = self.tokens.get(self._token_of(req.headers) or "")
        if uid is None:
            return self._answer(writer, call, 401, self._app_error(401))
        fn = getattr(self, "_r_" + re.sub(r"[^a-z]+", "_", route.lower()).strip("_"))
        status, body = fn(uid, call.body, req.query, **args)
        return self._answer(writer, call, status, body)

    def _answer(self, writer, call, status, body, ctype="application/json", extra=(), ratelimit=True):
        extra = self._headers(extra)
        if self.rate_limit and ratelimit:
            extra += [("X-RateLimit-Limit", str(self.rate_limit[1])),
                      ("X-RateLimit-Remaining", str(int(self._buckets.get("_last", [0])[0]))),
                      ("X-RateLimit-Reset", "1")]
        call.status, call.response, call.answered_at = status, body, now()
        if isinstance(body, (dict, list)):
            body = json.dumps(body, separators=(",", ":"))     # Go's encoding/json
        self.write(writer, status, body, ctype, extra)
        return True

    def _rate(self, req):
        """Seconds to wait when rate_limit is on and this token is over it, else 0."""
        if not self.rate_limit:
            return 0
        per_s, burst = self.rate_limit
        b = self._buckets.setdefault(self._token_of(req.headers) or "", [burst, now()])
        b[0] = min(burst, b[0] + (now() - b[1]) * per_s)
        b[1] = now()
        self._buckets["_last"] = b
        if b[0] < 1:
            return max(1, int((1 - b[0]) / per_s + 0.999))
        b[0] -= 1
        return 0

    def _user_or_404(self, uid):
        u = self.users.get(uid)
        return (200, u) if u else (404, self._app_error(404, "app.user.missing_account.const",
                                                         "Unable to find the user."))

    def _r_get_users_me(self, me, body, q):
        return 200, self.users[me]

    def _r_get_users_id(self, me, body, q, id):
        if not ID_RE.fullmatch(id):
            return 400, self._app_error(400, "api.context.invalid_url_param.app_error",
                                        "Invalid or missing user_id parameter in request URL.")
        return self._user_or_404(id)

    def _r_get_users_username_name(self, me, body, q, name):
        for u in self.users.values():
            if u["username"] == name:
                return 200, u
        return self._user_or_404("")

    def _r_post_users_ids(self, me, body, q):
        if not isinstance(body, list):
            return 400, self._app_error(400, "api.context.invalid_body_param.app_error",
                                        "Invalid or missing user_ids in request body.")
        return 200, [self.users[i] for i in body if i in self.users]

    def _channel_for(self, me, cid):
        ch = self.channels.get(cid)
        if ch is None:
            return None, (404, self._app_error(404, "app.channel.get.existing.app_error",
                                               "Unable to find the existing channel."))
        if me not in ch["members"] and ch["type"] != "O":
            return None, (403, self._app_error(403))
        return ch, None

    def _r_post_posts(self, me, body, q):
        if not isinstance(body, dict):
            return 400, self._app_error(400, "api.context.invalid_body_param.app_error",
                                        "Invalid or missing post in request body.")
        ch = self.channels.get(body.get("channel_id"))
        if ch is None or me not in ch["members"]:
            return 403, self._app_error(403)
        msg = body.get("message") or ""
        if len(msg) > 16383:
            return 400, self._app_error(400, "model.post.is_valid.message_length.app_error",
                                        "Message property length is longer than the allowed limit.")
        root = body.get("root_id") or ""
        if root and root not in self.posts:
            return 400, self._app_error(400, "api.post.create_post.root_id.app_error",
                                        "Invalid RootId parameter.")
        post = self._create_post(me, ch["id"], msg, root, copy.deepcopy(body.get("props") or {}), "")
        return 201, self._client_post(post)

    def _r_post_posts_ephemeral(self, me, body, q):
        if not self.ephemeral_allowed:
            return 403, self._app_error(403)
        p = (body or {}).get("post") or {}
        uid, cid = (body or {}).get("user_id"), p.get("channel_id")
        if uid not in self.users or cid not in self.channels:
            return 400, self._app_error(400, "api.context.invalid_body_param.app_error",
                                        "Invalid or missing user_id in request body.")
        return 201, self._client_post(self._ephemeral(uid, cid, p.get("message") or "",
                                                      p.get("props")))

    def _r_get_posts_id(self, me, body, q, id):
        p = self.posts.get(id)
        if p is None:
            return 404, self._app_error(404, "app.post.get.app_error", "Unable to get the post.")
        return 200, self._client_post(p)

    def _update(self, me, id, fields):
        p = self.posts.get(id)
        if p is None:
            return 404, self._app_error(404, "app.post.get.app_error", "Unable to get the post.")
        if p["user_id"] != me and me != self.admin_id:
            return 403, self._app_error(403)
        with self.lock:
            for k in ("message", "props", "is_pinned", "file_ids", "has_reactions"):
                if k in fields:
                    p[k] = copy.deepcopy(fields[k])
            p["edit_at"] = p["update_at"] = ms()
        self._broadcast_post("post_edited", p)
        return 200, self._client_post(p)

    def _r_put_posts_id(self, me, body, q, id):
        if not isinstance(body, dict) or body.get("id") != id:
            return 400, self._app_error(400, "api.context.invalid_body_param.app_error",
                                        "Invalid or missing post in request body.")
        body = dict(body)
        body.setdefault("props", {})
        return self._update(me, id, body)

    def _r_put_posts_id_patch(self, me, body, q, id):
        return self._update(me, id, body if isinstance(body, dict) else {})

    def _r_post_channels_direct(self, me, body, q):
        if not isinstance(body, list) or len(body) != 2 or any(u not in self.users for u in body):
            return 400, self._app_error(400, "api.context.invalid_body_param.app_error",
                                        "Invalid or missing user_ids in request body.")
        if me not in body and me != self.admin_id:
            return 403, self._app_error(403)
        c = self.dm_channel(body[0], body[1])
        return 201, {k: v for k, v in c.items() if k != "members"}

    def _r_get_channels_id(self, me, body, q, id):
        ch, err = self._channel_for(me, id)
        return err or (200, {k: v for k, v in ch.items() if k != "members"})

    def _r_get_teams_name_team(self, me, body, q, team):
        if team != self.team["name"]:
            return 404, self._app_error(404, "app.team.get_by_name.missing.app_error",
                                        "Unable to find the existing team.")
        return 200, self.team

    def _r_get_teams_name_team_channels_name_name(self, me, body, q, team, name):
        for ch in self.channels.values():
            if team == self.team["name"] and ch["name"] == name and ch["team_id"]:
                return self._r_get_channels_id(me, body, q, ch["id"])
        return 404, self._app_error(404, "app.channel.get_by_name.missing.app_error",
                                    "Channel does not exist.")

    def _r_get_channels_id_posts(self, me, body, q, id):
        ch, err = self._channel_for(me, id)
        if err:
            return err
        ids = [p for p in self.post_order if self.posts[p]["channel_id"] == id]
        per_page = min(int(q.get("per_page", 60) or 60), 200)
        page = int(q.get("page", 0) or 0)
        prev_id = next_id = ""
        if q.get("after"):
            if q["after"] not in ids:
                return 200, {"order": [], "posts": {}, "next_post_id": "", "prev_post_id": "",
                             "has_next": False}
            rest = ids[ids.index(q["after"]) + 1:]
            chosen = rest[page * per_page:(page + 1) * per_page]
            prev_id = q["after"]
            more = rest[(page + 1) * per_page:]
            next_id = more[0] if more else ""
        elif q.get("since"):
            since = int(q["since"])
            chosen = [p for p in ids if self.posts[p]["update_at"] >= since]
        else:
            newest = list(reversed(ids))
            chosen = list(reversed(newest[page * per_page:(page + 1) * per_page]))
        return 200, {"order": list(reversed(chosen)),
                     "posts": {p: self._client_post(self.posts[p]) for p in chosen},
                     "next_post_id": next_id, "prev_post_id": prev_id, "has_next": bool(next_id)}

    def _r_post_commands(self, me, body, q):
        return self._new_command(me, body if isinstance(body, dict) else {})

    def _new_command(self, me, body):
        if not self.commands_enabled:
            return 501, self._app_error(501, "api.command.disabled.app_error",
                                        "Commands have been disabled by the system admin.")
        if "system_admin" not in self.users[me]["roles"]:
            return 403, self._app_error(403)
        trig = str(body.get("trigger") or "").lower()
        if body.get("team_id") != self.team["id"]:
            return 400, self._app_error(400, "model.command.is_valid.team_id.app_error",
                                        "Invalid team ID.")
        if not (1 <= len(trig) <= 128) or trig.startswith("/") or " " in trig:
            return 400, self._app_error(400, "model.command.is_valid.trigger.app_error",
                                        "Invalid trigger.")
        url = str(body.get("url") or "")
        if not re.match(r"https?://", url) or len(url) > 1024:
            return 400, self._app_error(400, "model.command.is_valid.url.app_error", "Invalid URL.")
        if body.get("method") not in ("P", "G"):
            return 400, self._app_error(400, "model.command.is_valid.method.app_error",
                                        "Invalid Method.")
        if any(c["trigger"] == trig and c["delete_at"] == 0 for c in self.commands.values()):
            return 400, self._app_error(400, "api.command.duplicate_trigger.app_error",
                                        "This trigger word is already in use. Please choose another word.")
        t = ms()
        cmd = {"id": mm_id(), "token": mm_id(), "create_at": t, "update_at": t, "delete_at": 0,
               "creator_id": me, "team_id": self.team["id"], "trigger": trig,
               "method": body["method"], "username": body.get("username", ""),
               "icon_url": body.get("icon_url", ""), "auto_complete": bool(body.get("auto_complete")),
               "auto_complete_desc": body.get("auto_complete_desc", ""),
               "auto_complete_hint": body.get("auto_complete_hint", ""),
               "display_name": body.get("display_name", ""), "description": body.get("description", ""),
               "url": url}
        with self.lock:
            self.commands[cmd["id"]] = cmd
        return 201, cmd

    def _r_get_commands(self, me, body, q):
        if "system_admin" not in self.users[me]["roles"]:
            return 403, self._app_error(403)
        return 200, [c for c in self.commands.values() if c["team_id"] == q.get("team_id")]

    # --------------------------------------------------------- slash commands
    def _trigger_id(self, uid):
        raw = f"{mm_id()}:{uid}:{ms()}:{base64.b64encode(mm_id().encode()).decode()}"
        return base64.b64encode(raw.encode()).decode()

    def slash(self, user, channel, command, text=""):
        """user types `command text` in channel: the server POSTs (or GETs) the
        command's URL exactly as Mattermost does and applies the answer.
        Returns a Result (request, status, body, response, posts, ephemerals, error)."""
        uid, cid = self.user_id(user), self.channel_id(channel)
        trig = command.lstrip("/")
        with self.lock:
            cmd = next((c for c in self.commands.values() if c["trigger"] == trig), None)
        res = Result(user_id=uid, channel_id=cid, command=command, text=text, t=now())
        self.results.append(res)
        if cmd is None:
            res.error = (f"Command with a trigger of '{command}' not found. To send a message "
                         f"beginning with \"/\", try adding an empty space at the beginning of the message.")
            return res
        hook = mm_id()
        with self.lock:
            self.hooks[hook] = {"created": now(), "uses": 0, "user_id": uid, "channel_id": cid}
        u, ch = self.users[uid], self.channels[cid]
        fields = {"channel_id": cid, "channel_name": ch["name"], "command": "/" + trig,
                  "response_url": f"{self.url()}/hooks/commands/{hook}",
                  "team_domain": self.team["name"], "team_id": self.team["id"], "text": text,
                  "token": cmd["token"], "trigger_id": self._trigger_id(uid), "user_id": uid,
                  "user_name": u["username"]}
        pairs = sorted(fields.items())
        ment = [n for n in re.findall(r"@([a-z0-9._-]+)", text)]
        ment_users = [(n, self._safe_uid(n)) for n in ment if self._safe_uid(n)]
        chans = [(n, c["id"]) for n in re.findall(r"~([a-z0-9_-]+)", text)
                 for c in self.channels.values() if c["name"] == n]
        extra = [("channel_mentions", n) for n, _ in chans] + \
            [("channel_mentions_ids", i) for _, i in chans] + \
            [("user_mentions", n) for n, _ in ment_users] + \
            [("user_mentions_ids", i) for _, i in ment_users]
        pairs = sorted(pairs + extra, key=lambda kv: kv[0])     # url.Values.Encode: sorted, stable
        form = urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote_plus)
        headers = {"Accept": "application/json", "Accept-Encoding": "gzip",
                   "Authorization": "Token " + cmd["token"], "User-Agent": "Mattermost-Bot/1.1"}
        url = urllib.parse.urlparse(cmd["url"])
        if cmd["method"] == "P":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            res.request = {"method": "POST", "path": url.path or "/", "headers": headers, "body": form}
        else:
            q = (url.query + "&" if url.query else "") + form
            res.request = {"method": "GET", "path": (url.path or "/") + "?" + q, "headers": headers,
                           "body": ""}
        self._outgoing(res, url)
        if res.error:
            return res
        ctype = (res.headers.get("content-type") or "").lower()
        if ctype.startswith("application/json"):
            try:
                cr = json.loads(res.body.decode("utf-8"))
                assert isinstance(cr, dict)
            except (ValueError, AssertionError):
                res.error = "api.command.execute_command.failed_resp.app_error"
                return res
        else:
            cr = {"text": res.body.decode("utf-8", "replace")}
        res.response = cr
        self._run(self._apply_command_response, res, cr, uid, cid)
        return res

    def _safe_uid(self, name):
        try:
            return self.user_id(name)
        except KeyError:
            return None

    def _outgoing(self, res, url):
        """The server's HTTP call (blocking, in the test's thread)."""
        try:
            conn = http.client.HTTPConnection(url.hostname, url.port or 80,
                                              timeout=self.command_timeout)
            conn.request(res.request["method"], res.request["path"],
                         body=res.request["body"].encode() or None, headers=res.request["headers"])
            r = conn.getresponse()
            body = r.read(1 << 20)
            res.status, res.headers = r.status, {k.lower(): v for k, v in r.getheaders()}
            if res.headers.get("content-encoding") == "gzip":
                body = gzip.decompress(body)
            res.body = body
            conn.close()
        except (OSError, http.client.HTTPException) as e:
            res.error, res.status = f"{type(e).__name__}: {e}", None
            return
        res.elapsed = now() - res.t
        if res.status != 200:
            res.error = f"status {res.status}"

    def _apply_command_response(self, res, cr, uid, cid):
        for r in [cr] + list(cr.get("extra_responses") or []):
            props = copy.deepcopy(r.get("props") or {})
            if r.get("attachments"):
                props["attachments"] = copy.deepcopy(r["attachments"])
            target = r.get("channel_id") or cid
            if target not in self.channels or uid not in self.channels[target]["members"]:
                target = cid
            if not (r.get("text") or props.get("attachments")):
                continue
            if r.get("response_type") == "in_channel":
                if r.get("username") or r.get("icon_url"):
                    props["from_webhook"] = "true"
                res.posts.append(self._create_post(uid, target, r.get("text") or "", "", props,
                                                   "slack_attachment" if props.get("attachments") else ""))
            else:
                res.ephemerals.append(self._ephemeral(uid, target, r.get("text") or "", props))

    def _hook(self, req, writer, hook):
        call = self.record(Call(endpoint="POST /hooks/commands/{id}", verb=req.verb,
                                target=req.target, path=req.path, query=req.query,
                                headers=req.headers, raw=req.raw, t=req.t, body=None))
        with self.lock:
            h = self.hooks.get(hook)
            ok = h is not None and now() - h["created"] <= self.hook_lifetime and \
                h["uses"] < self.hook_uses
            if ok:
                h["uses"] += 1
        if req.verb != "POST" or not ok:
            return self._answer(writer, call, 404, self._app_error(
                404, "app.command_webhook.get.missing", "Unable to find the webhook."))
        if req.headers.get("content-type", "").lower().startswith("application/json"):
            try:
                cr = json.loads(req.raw.decode("utf-8"))
                assert isinstance(cr, dict)
            except (ValueError, AssertionError, UnicodeDecodeError):
                return self._answer(writer, call, 400, self._app_error(
                    400, "web.command_webhook.parse.app_error", "parsing error"))
        else:
            cr = {"text": req.raw.decode("utf-8", "replace")}
        call.body = cr
        res = Result(user_id=h["user_id"], channel_id=h["channel_id"], hook=hook, t=now(),
                     response=cr)
        self.results.append(res)
        self._apply_command_response(res, cr, h["user_id"], h["channel_id"])
        return self._answer(writer, call, 200, "ok", "text/plain")

    # ---------------------------------------------------------------- buttons
    def click(self, user, post_id, action_id):
        """user presses the button action_id of a post: the server POSTs the
        PostActionIntegrationRequest to its integration.url and applies the
        answer (update, ephemeral_text). Returns a Result."""
        uid = self.user_id(user)
        post = self.posts[post_id]
        act = next((a for att in (post.get("props") or {}).get("attachments") or []
                    for a in att.get("actions") or [] if a.get("id") == action_id), None)
        res = Result(user_id=uid, post_id=post_id, action_id=action_id, t=now())
        self.results.append(res)
        if act is None or not (act.get("integration") or {}).get("url"):
            res.error = "api.post.do_action.action_id.app_error"
            return res
        ch = self.channels[post["channel_id"]]
        integ = act["integration"]
        body = {"user_id": uid, "user_name": self.users[uid]["username"], "channel_id": ch["id"],
                "channel_name": ch["name"], "team_id": ch["team_id"] or self.team["id"],
                "team_domain": self.team["name"], "post_id": post_id,
                "trigger_id": self._trigger_id(uid), "type": act.get("type", "button"),
                "data_source": act.get("data_source", ""),
                "context": copy.deepcopy(integ.get("context") or {})}
        url = urllib.parse.urlparse(integ["url"])
        res.request = {"method": "POST", "path": (url.path or "/") + (f"?{url.query}" if url.query else ""),
                       "headers": {"Content-Type": "application/json", "Accept": "application/json",
                                   "User-Agent": "Mattermost-Bot/1.1"},
                       "body": json.dumps(body)}
        self._outgoing(res, url)
        if res.error:
            return res
        try:
            r = json.loads(res.body.decode("utf-8")) if res.body.strip() else {}
            assert isinstance(r, dict)
        except (ValueError, AssertionError):
            res.error = "api.post.do_action.action_integration.app_error"
            return res
        res.response = r
        if isinstance(r.get("error"), dict):
            res.error = r["error"].get("message") or "error"
            return res

        def apply():
            if isinstance(r.get("update"), dict):
                up = dict(r["update"])
                props = copy.deepcopy(up.get("props") or {})
                for keep in ("from_webhook", "override_username", "override_icon_url"):
                    if keep in (post.get("props") or {}):
                        props[keep] = post["props"][keep]
                with self.lock:
                    post["message"] = up.get("message", post["message"])
                    post["props"] = props
                    post["edit_at"] = post["update_at"] = ms()
                self._broadcast_post("post_edited", post)
                res.updated = True
            if r.get("ephemeral_text"):
                res.ephemerals.append(self._ephemeral(uid, ch["id"], r["ephemeral_text"]))
        self._run(apply)
        return res

    def config_lines(self, command_token="", listen="127.0.0.1:8066"):
        """The [mattermost] and [http] config of a bot against this fake."""
        return (f"[mattermost]\nurl = {self.url()}\ntoken = {self.token}\nteam = {self.team['name']}\n"
                f"command_token = {command_token}\naction_secret = fake-action-secret\n\n"
                f"[http]\nlisten = {listen}\n")


MM_CONFIG = """\
[bot]
platform = mattermost
database = smarkbot.db
timezone = America/Sao_Paulo
log_level = {log_level}

{platform}
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


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MattermostBot(BotProcess):
    """The real smarkbot binary with platform = mattermost against a fake,
    its listener on a port of its own with /smk registered on the fake.
    start() again after stop()/kill9() is a restart on the same database."""

    def configure(self, log_level="debug", commands=("smk",), listen=True, token=None,
                  marketing="marketing", sales="sales", digest="smarketing", extra="", env=None):
        import os
        if getattr(self, "port", None) is None:
            self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}" if listen else None
        self.command_tokens = {}
        for trig in commands if listen else ():
            with self.fake.lock:
                cmd = next((c for c in self.fake.commands.values() if c["trigger"] == trig), None)
            if cmd is None:
                cmd = self.fake.add_command(trig, self.base + "/mattermost/command")
            self.command_tokens[trig] = cmd["token"]
        lines = self.fake.config_lines(
            command_token=next(iter(self.command_tokens.values()), ""),
            listen=f"127.0.0.1:{self.port}" if listen else "")
        self.token = self.fake.token if token is None else token
        if token is not None:
            lines = lines.replace(f"token = {self.fake.token}\n", f"token = {token}\n")
        self.env = dict(os.environ)
        for k in ("SMARKBOT_MATTERMOST_TOKEN", "SMARKBOT_MATTERMOST_COMMAND_TOKEN",
                  "SMARKBOT_MATTERMOST_ACTION_SECRET"):
            self.env.pop(k, None)
        self.env.update(env or {})
        self.config.write_text(MM_CONFIG.format(
            log_level=log_level, platform=lines, marketing=marketing, sales=sales,
            digest=digest) + extra)

    def wait_ready(self, timeout=15.0):
        """Until the bot is connected (and its listener is up)."""
        self.fake.wait_for(lambda: any(c.user_id == self.fake.bot_id
                                       for c in self.fake.live_conns()),
                           timeout, "the bot's websocket")
        return self


def main():
    ap = argparse.ArgumentParser(description="fake Mattermost on 127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="REST + WebSocket port (0 = any)")
    ap.add_argument("--ping-interval", type=float, default=60.0)
    a = ap.parse_args()
    fake = FakeMattermost(port=a.port, ping_interval=a.ping_interval).start()
    print(f"url = {fake.url()}\nbot token = {fake.token}\nadmin token = {fake.admin_token}\n"
          f"team = {fake.team['name']}", flush=True)
    fake.serve_until_interrupted()


if __name__ == "__main__":
    main()

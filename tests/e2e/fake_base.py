# SPDX-License-Identifier: MIT
"""What every fake chat server shares: the scaffold, outages, records and waits.

- Scaffold: an asyncio loop in a background thread; listeners on 127.0.0.1
  (port 0 = ephemeral) that speak HTTP/1.1 and, on an `Upgrade: websocket`
  request, the WebSocket protocol (websockets' sans-I/O ServerConnection, so
  HTTP and WebSocket can share one port, as Mattermost's do).
- Outages: refuse_connections() closes the listeners; drop_connections()
  aborts every open socket; script()/outage() make the next N calls (or every
  call) of an endpoint wait, stall, drop the connection, or answer with a
  status the platform renders (5xx, 429 with Retry-After).
- Records: every HTTP call (Call: verb, path, query, headers, body, time,
  status, response) and, per WebSocket connection, every frame and message.
- Waits: wait_for(predicate, timeout) for tests, failing at once with the
  bot's stderr when the watched bot (self.watch) has exited.

A fake subclasses FakeServer and implements http_request(); for WebSockets
also ws_upgrade(), ws_opened(), ws_message() and ws_closed().
"""
import asyncio
import email.parser
import email.policy
import http
import json
import pathlib
import signal
import subprocess
import threading
import time
import urllib.parse

from websockets.connection import State
from websockets.frames import Opcode
from websockets.server import ServerConnection


def now():
    return time.monotonic()


class Record:
    """A bag of attributes: one recorded thing."""

    def __init__(self, **kw):
        self.__dict__.update(kw)

    def __repr__(self):
        return f"{type(self).__name__}({self.__dict__!r})"


class Request(Record):
    """One parsed HTTP request: verb, target (with the query), path, query
    (first value of each key), qsl (every pair), headers (lowercase keys),
    raw body bytes, t (monotonic arrival time)."""

    def header(self, name):
        return self.headers.get(name.lower())


class Call(Record):
    """One HTTP call as recorded: the Request fields plus endpoint (the name
    scripts use), body (parsed), kind (json, form, multipart, text, query),
    status, response and answered_at."""

    def __repr__(self):
        return f"Call({self.verb} {self.target} {self.status} {self.body!r} -> {self.response!r})"

    def header(self, name):
        return self.headers.get(name.lower())


class _WSProto(ServerConnection):
    """Leaves pings to the fake, so a silent connection can ignore them."""

    def recv_frame(self, frame):
        if frame.opcode is Opcode.PING:
            self.events.append(frame)
            return
        super().recv_frame(frame)


class WSConn:
    """One WebSocket connection as the server sees it."""

    def __init__(self, cid, request):
        self.id = cid
        self.path = request.target
        self.request = request
        self.opened_at = now()
        self.closed_at = None
        self.closed_by = None           # "client", "server", "abort", "client-abrupt"
        self.close_code = None
        self.server_closing = False
        self.silent = False             # half-open: no pongs (and the fake sends nothing)
        self.client_pings = []          # (t, payload)
        self.server_pings = []          # [t, payload, pong_t or None]
        self.frames = []                # (t, opcode, fin, length) of every frame received
        self.texts = []                 # (t, text or bytes) of every data message received
        self.sent = []                  # (t, frame dict or text) of every data frame sent
        self.tasks = []                 # asyncio tasks that end with the connection
        self._proto = None
        self._writer = None
        self._parts = None

    @property
    def open(self):
        return self.closed_at is None

    @property
    def fragmented(self):
        """Number of data messages that came in more than one frame."""
        return sum(1 for f in self.frames if f[1] == 0x0)

    def __repr__(self):
        return f"{type(self).__name__}(#{self.id} {self.path} open={self.open} closed_by={self.closed_by})"


class FakeServer:
    """The scaffold. listeners: names of the ports to open ("http", "ws"...);
    each gets an attribute <name>_port (0 = ephemeral, set once bound)."""

    name = "fake"
    conn_class = WSConn

    def __init__(self, host="127.0.0.1", listeners=("http",), ws_max_size=2 ** 20,
                 close_timeout=3.0, **ports):
        self.host = host
        self.listeners = tuple(listeners)
        for ln in self.listeners:
            setattr(self, f"{ln}_port", ports.get(f"{ln}_port", 0))
        self.ws_max_size = ws_max_size
        self.close_timeout = close_timeout
        self.lock = threading.RLock()
        self.calls = []                 # Call, every HTTP request the fake answered (or dropped)
        self.conns = []                 # WSConn, in the order they were opened
        self.scripts = {}               # endpoint -> list of scripted responses (FIFO)
        self.outages = {}               # endpoint -> persistent scripted response
        self.refused = False
        self.watch = None               # a bot (.proc, .stderr): waits fail at once when it exits
        self.loop = None
        self._thread = None
        self._servers = {}              # listener -> asyncio.Server
        self._http_writers = set()
        self._stalled = None            # asyncio.Event set by release()
        self._conn_ids = iter(range(1, 1 << 62))

    # ------------------------------------------------------------------ life
    def start(self):
        ready = threading.Event()
        err = []

        def run():
            self.loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self.loop)
            try:
                self.loop.run_until_complete(self._start_servers())
            except Exception as e:  # noqa: BLE001
                err.append(e)
                ready.set()
                return
            ready.set()
            self.loop.run_forever()
            self.loop.run_until_complete(self._shutdown())
            self.loop.close()

        self._thread = threading.Thread(target=run, name=self.name, daemon=True)
        self._thread.start()
        ready.wait(10)
        if err:
            raise err[0]
        return self

    def stop(self):
        if self.loop is None:
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop = None

    def serve_until_interrupted(self):
        """Standalone use: runs until Ctrl-C, then stops."""
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    async def _start_servers(self):
        self._stalled = asyncio.Event()
        for ln in self.listeners:
            await self._listen(ln)

    async def _listen(self, ln):
        srv = await asyncio.start_server(lambda r, w, ln=ln: self._http_conn(r, w, ln),
                                         self.host, getattr(self, f"{ln}_port"),
                                         reuse_address=True)
        setattr(self, f"{ln}_port", srv.sockets[0].getsockname()[1])
        self._servers[ln] = srv

    async def _shutdown(self):
        self._stalled.set()
        self._drop_all()
        for s in self._servers.values():
            s.close()
        for s in self._servers.values():
            try:
                await asyncio.wait_for(s.wait_closed(), 2)
            except Exception:  # noqa: BLE001
                pass

    def _run(self, fn, *args):
        """Runs fn(*args) in the loop thread and returns its result."""
        if threading.current_thread() is self._thread:
            return fn(*args)
        fut = asyncio.run_coroutine_threadsafe(self._as_coro(fn, *args), self.loop)
        return fut.result(10)

    @staticmethod
    async def _as_coro(fn, *args):
        r = fn(*args)
        if asyncio.iscoroutine(r):
            r = await r
        return r

    def url(self, listener="http"):
        return f"http://{self.host}:{getattr(self, listener + '_port')}"

    # -------------------------------------------------------------- outages
    def script(self, endpoint, *responses):
        """Queues responses for the next calls of endpoint, used once each, in order.
        Every fake understands {"delay": s} (wait, then answer normally or with
        the rest), {"stall": True} (no answer until release() or the client
        gives up), {"drop": True} (close the TCP connection without an answer)
        and {"status": N} ({"status": 429, "retry_after": s}) in its own
        platform's error format; see the fake for more."""
        with self.lock:
            self.scripts.setdefault(endpoint, []).extend(responses)

    def outage(self, endpoint, response=None):
        """Every call of endpoint gets response (see script) until outage(endpoint)."""
        with self.lock:
            if response is None:
                self.outages.pop(endpoint, None)
            else:
                self.outages[endpoint] = response

    def release(self):
        """Lets every stalled request go on (they are then answered normally)."""
        self._run(self._release)

    def _release(self):
        self._stalled.set()
        self._stalled = asyncio.Event()

    def refuse_connections(self, refuse=True):
        """Closes (refuse=True) or reopens, on the same ports, every listener, so
        new connections are refused; open ones are left alone."""
        self._run(self._refuse, refuse)

    async def _refuse(self, refuse):
        if refuse and not self.refused:
            for s in self._servers.values():
                s.close()
            for s in self._servers.values():
                await s.wait_closed()
        elif not refuse and self.refused:
            for ln in self.listeners:
                await self._listen(ln)
        self.refused = refuse

    def drop_connections(self):
        """Aborts every open socket (WebSocket and HTTP keep-alive): no close frame."""
        self._run(self._drop_all)

    def _drop_all(self):
        for c in list(self.conns):
            self._abort(c)
        for w in list(self._http_writers):
            w.transport.abort()

    def abort(self, conn):
        """Abrupt TCP close of one WebSocket: no close frame."""
        self._run(self._abort, conn)

    def close(self, conn, code=1001, reason=""):
        """A clean close of one WebSocket (close frame, then TCP)."""
        self._run(self._close, conn, code, reason)

    def silence(self, conn):
        """Half-open: no more pings from the server, no pongs, no events."""
        conn.silent = True

    def send_raw(self, conn, text):
        """Sends text as it is on conn."""
        self._run(self.ws_send, conn, text)

    def take_script(self, endpoint):
        """The scripted response for this call of endpoint, or None."""
        with self.lock:
            if self.scripts.get(endpoint):
                return self.scripts[endpoint].pop(0)
            return self.outages.get(endpoint)

    async def perform_script(self, script, call, writer):
        """Does a script's delay, stall or drop. Returns True when the
        connection was dropped (nothing more to answer)."""
        if not script:
            return False
        if script.get("delay"):
            await asyncio.sleep(script["delay"])
        if script.get("stall"):
            await self._stalled.wait()
        if script.get("drop"):
            call.status, call.response = None, "dropped"
            writer.transport.abort()
            return True
        return False

    def record(self, call):
        with self.lock:
            self.calls.append(call)
        return call

    # ------------------------------------------------------------- records
    def open_conns(self):
        with self.lock:
            return [c for c in self.conns if c.open]

    def wait_for(self, pred, timeout=10.0, what="condition", interval=0.02):
        """Polls pred() until it returns something truthy; returns that."""
        deadline = now() + timeout
        while True:
            v = pred()
            if v:
                return v
            bot = self.watch
            if bot is not None and bot.proc is not None and bot.proc.poll() is not None:
                raise AssertionError(f"smarkbot exited ({bot.proc.returncode}) while waiting for "
                                     f"{what}; stderr:\n{bot.stderr[-3000:]}")
            if now() >= deadline:
                tail = f"\nstderr:\n{bot.stderr[-3000:]}" if bot is not None else ""
                raise AssertionError(f"timed out after {timeout}s waiting for {what}; "
                                     f"{self.describe()}" + tail)
            time.sleep(interval)

    def describe(self):
        """State for a timeout message."""
        with self.lock:
            return f"conns={self.conns} calls={[c.endpoint for c in self.calls][-30:]}"

    # ------------------------------------------------------------ HTTP side
    async def _http_conn(self, reader, writer, listener):
        self._http_writers.add(writer)
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                try:
                    verb, target, _ = line.decode("latin-1").split(" ", 2)
                except ValueError:
                    break
                head = [line]
                headers = {}
                while True:
                    h = await reader.readline()
                    head.append(h)
                    if h in (b"\r\n", b"\n", b""):
                        break
                    k, _, v = h.decode("latin-1").partition(":")
                    headers[k.strip().lower()] = v.strip()
                req = self._request(verb, target, headers, b"")
                if "websocket" in headers.get("upgrade", "").lower():
                    self._http_writers.discard(writer)
                    await self._ws_serve(reader, writer, req, b"".join(head), listener)
                    return
                if headers.get("expect", "").lower() == "100-continue":
                    writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                body = b""
                if "chunked" in headers.get("transfer-encoding", "").lower():
                    while True:
                        size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
                        if size == 0:
                            while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                                pass
                            break
                        body += await reader.readexactly(size)
                        await reader.readline()
                elif "content-length" in headers:
                    body = await reader.readexactly(int(headers["content-length"]))
                req.raw = body
                keep = await self.http_request(req, writer, listener)
                if not keep or headers.get("connection", "").lower() == "close":
                    break
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._http_writers.discard(writer)
            try:
                writer.close()
            except Exception:  # noqa: BLE001
                pass

    @staticmethod
    def _request(verb, target, headers, raw):
        u = urllib.parse.urlparse(target)
        qsl = urllib.parse.parse_qsl(u.query, keep_blank_values=True)
        query = {}
        for k, v in qsl:
            query.setdefault(k, v)
        return Request(verb=verb, target=target, path=u.path, query=query, qsl=qsl,
                       headers=headers, raw=raw, t=now())

    async def http_request(self, req, writer, listener):
        """Answers one request (write with self.write); returns keep-alive."""
        self.write(writer, 404, "not found\n", "text/plain")
        return True

    @staticmethod
    def write(writer, status, body, ctype="application/json; charset=utf-8", extra=()):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        reason = http.HTTPStatus(status).phrase
        head = [f"HTTP/1.1 {status} {reason}", f"Content-Type: {ctype}",
                f"Content-Length: {len(body)}"] + [f"{k}: {v}" for k, v in extra]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)

    @staticmethod
    def parse_body(req, field=lambda k, v: v):
        """Merges the query string and a JSON, form or multipart body into one
        dict; field(key, value) post-processes form and multipart values.
        A JSON body that is not an object is kept whole under "_json".
        Returns (kind, dict); raises ValueError("invalid_post_type") on an
        unknown content type and ValueError on a malformed body."""
        params = dict(req.query)
        raw, ctype = req.raw, req.headers.get("content-type", "").lower()
        if not raw:
            return "query", params
        if ctype.startswith("application/json"):
            obj = json.loads(raw.decode("utf-8"))
            if isinstance(obj, dict):
                params.update(obj)
            else:
                params["_json"] = obj
            return "json", params
        if ctype.startswith("application/x-www-form-urlencoded") or ctype == "":
            for k, v in urllib.parse.parse_qsl(raw.decode("utf-8"), keep_blank_values=True):
                params[k] = field(k, v)
            return "form", params
        if ctype.startswith("multipart/form-data"):
            msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + req.headers["content-type"].encode() + b"\r\n\r\n" + raw)
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                params[name] = field(name, part.get_content())
            return "multipart", params
        if ctype.startswith("text/plain"):
            params["_text"] = raw.decode("utf-8", "replace")
            return "text", params
        raise ValueError("invalid_post_type")

    # ------------------------------------------------------- WebSocket side
    async def ws_upgrade(self, req, listener):
        """None to accept the upgrade, or (status, body) to refuse it, or
        "drop" to close the TCP connection without an answer."""
        return None

    def new_conn(self, req):
        return self.conn_class(next(self._conn_ids), req)

    async def ws_opened(self, conn):
        """The upgrade succeeded: send a hello, start timers..."""

    def ws_message(self, conn, msg):
        """A whole data message (str, or bytes for a binary one)."""

    def ws_closed(self, conn):
        """The connection ended (any side, any way)."""

    async def _ws_serve(self, reader, writer, req, head, listener):
        proto = _WSProto(max_size=self.ws_max_size)
        proto.receive_data(head)
        wsreq = proto.events_received()[0]
        verdict = await self.ws_upgrade(req, listener)
        if verdict == "drop":
            writer.transport.abort()
            return
        if verdict is not None:
            status, body = verdict
            proto.send_response(proto.reject(http.HTTPStatus(status), body))
            self._flush(proto, writer)
            writer.close()
            return
        resp = proto.accept(wsreq)
        proto.send_response(resp)
        if resp.status_code != 101:
            self._flush(proto, writer)
            writer.close()
            return
        conn = self.new_conn(req)
        conn._proto, conn._writer = proto, writer
        with self.lock:
            self.conns.append(conn)
        self._flush(proto, writer)
        try:
            await self.ws_opened(conn)
            while proto.state is not State.CLOSED and not writer.transport.is_closing():
                data = await reader.read(65536)
                if data:
                    proto.receive_data(data)
                else:
                    proto.receive_eof()
                for ev in proto.events_received():
                    self._ws_frame(conn, ev)
                self._flush(proto, writer)
                if not data or proto.eof_sent:
                    break
        except (ConnectionError, OSError):
            pass
        finally:
            for t in conn.tasks:
                t.cancel()
            conn.closed_at = now()
            conn.close_code = proto.close_code
            if conn.server_closing:
                conn.closed_by = conn.closed_by or "server"
            elif proto.close_rcvd is not None:
                conn.closed_by = "client"
            elif proto.close_sent is not None:
                conn.closed_by = "server"       # it broke the protocol (a frame too big...)
            else:
                conn.closed_by = "client-abrupt"
            try:
                writer.close()
            except Exception:  # noqa: BLE001
                pass
            self.ws_closed(conn)

    @staticmethod
    def _flush(proto, writer):
        for chunk in proto.data_to_send():
            if chunk and not writer.transport.is_closing():
                writer.write(chunk)

    def _ws_frame(self, conn, frame):
        t = now()
        conn.frames.append((t, int(frame.opcode), frame.fin, len(frame.data)))
        op = frame.opcode
        if op is Opcode.PING:
            conn.client_pings.append((t, bytes(frame.data)))
            if not conn.silent and conn._proto.state is State.OPEN:
                conn._proto.send_pong(frame.data)
        elif op is Opcode.PONG:
            for rec in conn.server_pings:
                if rec[2] is None:
                    rec[2] = t      # a pong answers every ping sent before it (RFC 6455 5.5.3)
                if rec[1] == bytes(frame.data):
                    break
        elif op in (Opcode.TEXT, Opcode.BINARY):
            conn._parts = [op, bytes(frame.data)]
        elif op is Opcode.CONT and conn._parts is not None:
            conn._parts[1] += bytes(frame.data)
        if op in (Opcode.TEXT, Opcode.BINARY, Opcode.CONT) and frame.fin and conn._parts:
            kind, data = conn._parts
            conn._parts = None
            msg = data.decode("utf-8", "replace") if kind is Opcode.TEXT else data
            conn.texts.append((t, msg))
            self.ws_message(conn, msg)

    def ws_send(self, conn, text, record=None):
        """Sends a text frame (str) on conn; False if it is not open."""
        proto = conn._proto
        if not conn.open or proto.state is not State.OPEN or conn._writer.transport.is_closing():
            return False
        conn.sent.append((now(), text if record is None else record))
        proto.send_text(text.encode())
        self._flush(proto, conn._writer)
        return True

    def ws_ping(self, conn, payload):
        proto = conn._proto
        if not conn.open or proto.state is not State.OPEN:
            return False
        conn.server_pings.append([now(), bytes(payload), None])
        proto.send_ping(payload)
        self._flush(proto, conn._writer)
        return True

    async def _pinger(self, conn, interval, payload=lambda n: b""):
        """Pings conn every interval seconds (not while it is silent)."""
        n = 0
        while conn.open:
            await asyncio.sleep(interval)
            if conn.silent or not conn.open:
                continue
            n += 1
            self.ws_ping(conn, payload(n))

    async def _close(self, conn, code=1001, reason=""):
        """A clean close: close frame, then the TCP close after the client's
        answer or close_timeout."""
        if not conn.open:
            return
        conn.server_closing = True
        proto = conn._proto
        if proto.state is State.OPEN:
            proto.send_close(code, reason)
            self._flush(proto, conn._writer)
        deadline = now() + self.close_timeout
        while conn.open and now() < deadline:
            await asyncio.sleep(0.02)
        if conn.open:
            conn._writer.transport.abort()

    def _abort(self, conn, why="abort"):
        """An abrupt TCP close: no close frame."""
        if conn.open:
            conn.server_closing = True
            conn.closed_by = why
            conn._writer.transport.abort()


class BotProcess:
    """The real smarkbot binary against a fake, in a directory of its own.
    A platform's subclass writes the config in configure(**kw) (and sets
    self.env). start() again after stop()/kill9() is a restart on the same
    database; the fake's waits fail at once when the bot has exited."""

    def __init__(self, path, fake, binary, **kw):
        self.path = pathlib.Path(path)
        self.fake = fake
        self.binary = binary
        self.config = self.path / "smarkbot.ini"
        self.configure(**kw)
        self.proc = None
        self.runs = 0
        self.returncodes = []
        self.peak_rss_kb = 0

    def start(self, args=()):
        assert self.proc is None or self.proc.poll() is not None
        self.runs += 1
        self.err_path = self.path / f"stderr.{self.runs}.log"
        self.out_path = self.path / f"stdout.{self.runs}.log"
        self.fake.watch = self
        self.proc = subprocess.Popen([self.binary, "-c", str(self.config)] + list(args),
                                     cwd=self.path, env=self.env, stdin=subprocess.DEVNULL,
                                     stdout=open(self.out_path, "wb"),
                                     stderr=open(self.err_path, "wb"))
        return self

    @property
    def pid(self):
        return self.proc.pid

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def rss_kb(self):
        """VmHWM (peak resident set) of the running bot, in kB."""
        try:
            for line in open(f"/proc/{self.proc.pid}/status"):
                if line.startswith("VmHWM:"):
                    v = int(line.split()[1])
                    self.peak_rss_kb = max(self.peak_rss_kb, v)
                    return v
        except (OSError, ValueError):
            pass
        return self.peak_rss_kb

    def stop(self, timeout=15):
        """SIGTERM; returns the exit status (it must exit by itself in time)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.rss_kb()
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError(f"smarkbot ignored SIGTERM for {timeout}s")
        self.returncodes.append(self.proc.returncode)
        return self.proc.returncode

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.returncodes.append(self.proc.returncode)

    def wait_exit(self, timeout=15):
        self.proc.wait(timeout)
        self.returncodes.append(self.proc.returncode)
        return self.proc.returncode

    @property
    def stderr(self):
        """Everything every run wrote to stderr."""
        out = []
        for i in range(1, self.runs + 1):
            p = self.path / f"stderr.{i}.log"
            if p.exists():
                out.append(p.read_bytes().decode("utf-8", "replace"))
        return "".join(out)

    def export(self, what="leads"):
        proc = subprocess.run([self.binary, "export", what, "--format", "jsonl", "-c",
                               str(self.config)], capture_output=True, timeout=30, cwd=self.path,
                              env=self.env)
        assert proc.returncode == 0, proc.stderr.decode(errors="replace")
        return [json.loads(line) for line in proc.stdout.decode().splitlines() if line.strip()]

    def configure(self, **kw):
        raise NotImplementedError

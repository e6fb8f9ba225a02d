# SPDX-License-Identifier: MIT
"""A receiver of smarkbot's signed webhook, on fake_base's scaffold: it
checks X-Smarkbot-Signature (HMAC-SHA256 of the raw body, compared in
constant time) and keeps what it accepted, deduplicated by the delivery id
as a real receiver would; outage()/script() make it fail for a while.

    python3 tests/e2e/fake_webhook.py SECRET   # standalone, prints the URL
"""
import hashlib
import hmac
import json
import sys

from fake_base import Call, FakeServer


class FakeWebhook(FakeServer):
    name = "fake-webhook"

    def __init__(self, secret, **kw):
        super().__init__(**kw)
        self.secret = secret.encode()
        self.accepted = []              # bodies taken, in arrival order (with repeats)
        self.bad_signatures = []        # calls whose signature did not match

    def endpoint(self):
        return self.url() + "/hook"

    def signature_ok(self, req):
        want = "sha256=" + hmac.new(self.secret, req.raw, hashlib.sha256).hexdigest()
        return hmac.compare_digest(want, req.header("x-smarkbot-signature") or "")

    async def http_request(self, req, writer, listener):
        call = Call(**req.__dict__, endpoint=f"{req.verb} {req.path}", kind="json",
                    body=None, status=None, response=None, answered_at=None)
        self.record(call)
        script = self.take_script(call.endpoint)
        if await self.perform_script(script, call, writer):
            return False
        try:
            call.body = json.loads(req.raw)
        except ValueError:
            call.body = req.raw
        if script and script.get("status"):
            extra = [("Retry-After", str(script["retry_after"]))] if "retry_after" in script else []
            call.status, call.response = script["status"], {"error": "scripted"}
            self.write(writer, call.status, call.response, extra=extra)
            return True
        if req.path != "/hook" or req.verb != "POST":
            call.status, call.response = 404, {"error": "no such hook"}
        elif not self.signature_ok(req):
            self.bad_signatures.append(call)
            call.status, call.response = 401, {"error": "bad signature"}
        else:
            with self.lock:
                self.accepted.append(call.body)
            call.status, call.response = 200, {"ok": True}
        self.write(writer, call.status, call.response)
        return True

    def unique(self):
        """Accepted events once each (by id), in the order first taken."""
        seen, out = set(), []
        with self.lock:
            for b in self.accepted:
                if b["id"] not in seen:
                    seen.add(b["id"])
                    out.append(b)
        return out


if __name__ == "__main__":
    f = FakeWebhook(sys.argv[1] if len(sys.argv) > 1 else "secret").start()
    print(f.endpoint(), flush=True)
    f.serve_until_interrupted()

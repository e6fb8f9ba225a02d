# SPDX-License-Identifier: MIT
"""A fake HubSpot CRM on fake_base's scaffold, from HubSpot's documented
request and response shapes (see ../shared/docs/hubspot.md):

- POST /crm/v3/objects/contacts/search (or /crm/objects/2026-03/...):
  filterGroups (EQ, NEQ, GT, GTE, LT, LTE on any property; the filters of a
  group ANDed, the groups ORed; at most 5 groups, 6 filters each, 18 in
  all), sorts, properties, limit (<= 200), after; answers
  {"total", "results": [{"id", "properties", "createdAt", "updatedAt",
  "archived"}], "paging": {"next": {"after"}}}. At most 4 searches per
  second per token (429 RATE_LIMITS, "secondly limit"); a contact is found
  only `lag` seconds after its last change; at most 10,000 results a query.
- GET /crm/v3/objects/contacts/{id or email}?idProperty=email&properties=...
- PATCH /crm/v3/objects/contacts/{id} {"properties": {...}}: lifecyclestage
  and hs_lead_status must be one of their options (400 VALIDATION_ERROR);
  lifecyclestage cannot go backwards except through "".
- POST /crm/v3/objects/notes: hs_timestamp required, hs_note_body at most
  65,536 characters, associations to existing contacts (type 202).
- POST /crm/v3/objects/notes/search: CONTAINS_TOKEN on hs_note_body.
- Bearer token on every call (401 otherwise); script()/outage() for 5xx,
  429 with Retry-After, drops and stalls; {"stall_after": True} does the
  call and then holds its answer (a client killed meanwhile never hears).
"""
import json
import re
import time
import urllib.parse

from fake_base import Call, FakeServer

STAGES = ["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead",
          "opportunity", "customer", "evangelist", "other"]
LEAD_STATUSES = ["NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED",
                 "ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING"]
PATH = re.compile(r"^/crm/(?:v3/objects|objects/\d{4}-\d{2})/(contacts|notes)(?:/([^/]+))?$")


def iso(ms):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms / 1000)) + f".{int(ms) % 1000:03d}Z"


def error(status, category, message, **kw):
    return status, dict({"status": "error", "message": message, "category": category,
                         "correlationId": "00000000-0000-0000-0000-000000000000"}, **kw)


class FakeHubSpot(FakeServer):
    name = "fake-hubspot"

    def __init__(self, token="pat-na1-fake-token", lag=0.0, search_per_second=4,
                 push_limit=(190, 10.0), **kw):
        super().__init__(**kw)
        self.push_limit = push_limit    # (requests, seconds) of the rolling window
        self.push_times = []
        self.token = token
        self.lag = lag
        self.search_per_second = search_per_second
        self.contacts = {}              # id -> {"properties": {...}, "created": ms, "modified": ms, "visible_at": t}
        self.notes = []                 # note objects as created
        self.patches = []               # (contact id, properties) applied
        self.searches = []              # times of searches (monotonic), 429s included
        self.next_id = 101

    # ---------------------------------------------------------- test side
    def add_contact(self, email, firstname="", lastname="", company="",
                    lifecyclestage="marketingqualifiedlead", source="ORGANIC_SEARCH",
                    modified_ms=None):
        with self.lock:
            cid = str(self.next_id)
            self.next_id += 1
            ms = modified_ms if modified_ms is not None else int(time.time() * 1000)
            props = {"email": email, "firstname": firstname, "lastname": lastname,
                     "company": company, "lifecyclestage": lifecyclestage,
                     "hs_analytics_source": source, "hs_lead_status": "",
                     "hubspot_owner_id": ""}
            self.contacts[cid] = {"properties": props, "created": ms, "modified": ms,
                                  "visible_at": time.monotonic() + self.lag}
            return cid

    def props(self, cid):
        with self.lock:
            return dict(self.contacts[cid]["properties"])

    def notes_of(self, cid):
        with self.lock:
            return [n for n in self.notes
                    if any(a["to"]["id"] == cid for a in n.get("associations", []))]

    def calls_to(self, endpoint):
        with self.lock:
            return [c for c in self.calls if c.endpoint == endpoint]

    # ---------------------------------------------------------- HTTP side
    async def http_request(self, req, writer, listener):
        m = PATH.match(req.path)
        obj, oid = (m.group(1), urllib.parse.unquote(m.group(2) or "") or None) if m else (None, None)
        if obj == "contacts" and oid == "search":
            endpoint = "search"
        elif obj == "contacts" and oid:
            endpoint = f"{req.verb} contact"
        elif obj == "notes" and oid == "search":
            endpoint = "notes search"
        elif obj == "notes" and not oid:
            endpoint = f"{req.verb} notes"
        else:
            endpoint = f"{req.verb} {req.path}"
        call = Call(**req.__dict__, endpoint=endpoint, kind="json", body=None, status=None,
                    response=None, answered_at=None)
        self._query = req.query
        self.record(call)
        if endpoint == "search":
            self.searches.append(time.monotonic())
        try:
            call.body = json.loads(req.raw) if req.raw else None
        except ValueError:
            call.body = req.raw
        script = self.take_script(endpoint)
        if await self.perform_script(script, call, writer):
            return False
        extra = []
        if endpoint in ("PATCH contact", "POST notes"):
            limit, window = self.push_limit
            t = time.monotonic()
            with self.lock:
                self.push_times = [x for x in self.push_times if x > t - window]
                self.push_times.append(t)
                remaining = limit - len(self.push_times)
            extra += [("X-HubSpot-RateLimit-Max", str(limit)),
                      ("X-HubSpot-RateLimit-Remaining", str(max(remaining, 0))),
                      ("X-HubSpot-RateLimit-Interval-Milliseconds", str(int(window * 1000)))]
            if remaining < 0:
                script = {"status": 429}
        if script and script.get("status"):
            status = script["status"]
            if status == 429:
                status, body = error(429, "RATE_LIMITS", "You have reached your ten_secondly_rolling limit.",
                                     policyName="TEN_SECONDLY_ROLLING")
                if "retry_after" in script:
                    extra.append(("Retry-After", str(script["retry_after"])))
            elif status == 400:
                status, body = error(400, "VALIDATION_ERROR", "Property values were not valid")
            else:
                body = {"status": "error", "message": "internal error", "category": "INTERNAL"}
        elif req.header("authorization") != "Bearer " + self.token:
            status, body = error(401, "INVALID_AUTHENTICATION", "Authentication credentials not found.")
        else:
            status, body, more = self.handle(endpoint, oid, call.body)
            extra += more
            if script and script.get("stall_after"):
                # done, but the answer waits: the client may die meanwhile
                await self._stalled.wait()
        call.status, call.response, call.answered_at = status, body, time.monotonic()
        self.write(writer, status, body, extra=extra)
        return True

    def handle(self, endpoint, oid, body):
        if endpoint == "search":
            return self.search(body)
        if endpoint == "PATCH contact":
            return self.patch(oid, body) + ([],)
        if endpoint == "GET contact":
            return self.read(oid, self._query) + ([],)
        if endpoint == "POST notes":
            return self.note(body) + ([],)
        if endpoint == "notes search":
            return self.search_notes(body) + ([],)
        return 404, {"status": "error", "message": "not found", "category": "OBJECT_NOT_FOUND"}, []

    def search(self, body):
        now = time.monotonic()
        recent = [t for t in self.searches if t > now - 1.0]
        if len(recent) > self.search_per_second:
            return error(429, "RATE_LIMITS", "You have reached your secondly limit.",
                         policyName="SECONDLY") + ([],)
        if not isinstance(body, dict):
            return error(400, "VALIDATION_ERROR", "Invalid input JSON") + ([],)
        groups = body.get("filterGroups", [])
        if len(groups) > 5 or any(len(g.get("filters", [])) > 6 for g in groups) or \
                sum(len(g.get("filters", [])) for g in groups) > 18:
            return error(400, "VALIDATION_ERROR", "too many filters") + ([],)
        limit = int(body.get("limit", 10))
        if limit > 200:
            return error(400, "VALIDATION_ERROR", "limit must be at most 200") + ([],)
        after = int(body.get("after") or 0)
        with self.lock:
            found = []
            for cid, c in self.contacts.items():
                if c["visible_at"] > now:
                    continue
                values = dict(c["properties"], lastmodifieddate=str(c["modified"]),
                              createdate=str(c["created"]), hs_object_id=cid)
                if not groups or any(all(self.match(values, f) for f in g.get("filters", []))
                                     for g in groups):
                    found.append((cid, c, values))
        for s in reversed(body.get("sorts", [])):
            key = s.get("propertyName") if isinstance(s, dict) else s
            desc = isinstance(s, dict) and s.get("direction") == "DESCENDING"
            found.sort(key=lambda x: self.sort_key(x[2].get(key, "")), reverse=desc)
        if not body.get("sorts"):
            found.sort(key=lambda x: int(x[0]))
        if after >= 10000:
            return error(400, "VALIDATION_ERROR", "after must be less than 10000") + ([],)
        page = found[after:after + limit]
        want = body.get("properties") or ["email", "firstname", "lastname"]
        results = []
        for cid, c, values in page:
            props = {k: values.get(k) for k in want}
            props["hs_object_id"] = cid
            props["lastmodifieddate"] = iso(c["modified"])
            props["createdate"] = iso(c["created"])
            results.append({"id": cid, "properties": props, "createdAt": iso(c["created"]),
                            "updatedAt": iso(c["modified"]), "archived": False})
        out = {"total": len(found), "results": results}
        if after + limit < min(len(found), 10000):
            out["paging"] = {"next": {"after": str(after + limit), "link": "?after="}}
        return 200, out, []

    @staticmethod
    def sort_key(v):
        return (0, int(v), "") if str(v).isdigit() else (1, 0, str(v))

    @staticmethod
    def match(values, f):
        have, op, want = values.get(f.get("propertyName"), ""), f.get("operator"), f.get("value")
        if op in ("EQ", "NEQ"):
            eq = str(have).lower() == str(want).lower()
            return eq if op == "EQ" else not eq
        if op in ("GT", "GTE", "LT", "LTE"):
            try:
                a, b = int(have), int(want)
            except (TypeError, ValueError):
                return False
            return {"GT": a > b, "GTE": a >= b, "LT": a < b, "LTE": a <= b}[op]
        if op == "HAS_PROPERTY":
            return have not in ("", None)
        return False

    def read(self, key, query):
        """GET a contact by id, or by email with ?idProperty=email."""
        with self.lock:
            if query.get("idProperty") == "email":
                found = [cid for cid, c in self.contacts.items()
                         if c["properties"]["email"].lower() == key.lower()]
                cid = found[0] if found else None
            else:
                cid = key if key in self.contacts else None
            if cid is None:
                return error(404, "OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric.")
            c = self.contacts[cid]
            want = (query.get("properties") or "email").split(",")
            return 200, {"id": cid, "properties": {k: c["properties"].get(k) for k in want},
                         "createdAt": iso(c["created"]), "updatedAt": iso(c["modified"]),
                         "archived": False}

    def patch(self, cid, body):
        with self.lock:
            c = self.contacts.get(cid)
            if c is None:
                return error(404, "OBJECT_NOT_FOUND", f"resource not found, id={cid}")
            props = (body or {}).get("properties")
            if not isinstance(props, dict):
                return error(400, "VALIDATION_ERROR", "properties is required")
            errors = []
            stage = props.get("lifecyclestage")
            if stage is not None and stage != "":
                if stage not in STAGES:
                    errors.append(f"{stage} was not one of the allowed options")
                elif c["properties"]["lifecyclestage"] in STAGES and \
                        STAGES.index(stage) < STAGES.index(c["properties"]["lifecyclestage"]):
                    errors.append("lifecyclestage cannot move backwards")
            status = props.get("hs_lead_status")
            if status not in (None, "") and status not in LEAD_STATUSES:
                errors.append(f"{status} was not one of the allowed options")
            if errors:
                return error(400, "VALIDATION_ERROR", "Property values were not valid",
                             errors=[{"message": e, "code": "INVALID_OPTION"} for e in errors])
            c["properties"].update(props)
            c["modified"] = int(time.time() * 1000)
            c["visible_at"] = time.monotonic() + self.lag
            self.patches.append((cid, dict(props)))
            return 200, {"id": cid, "properties": dict(c["properties"]),
                         "updatedAt": iso(c["modified"]), "archived": False}

    def search_notes(self, body):
        """CONTAINS_TOKEN on hs_note_body: a whole word of it."""
        with self.lock:
            found = []
            for n in self.notes:
                words = n["properties"].get("hs_note_body", "").replace("(", " ").replace(")", " ").split()
                if all(any(f.get("operator") == "CONTAINS_TOKEN" and
                           f.get("value") in words for f in g.get("filters", []))
                       for g in (body or {}).get("filterGroups", [])):
                    found.append(n)
            return 200, {"total": len(found), "results": [
                {"id": n["id"], "properties": {"hs_note_body": n["properties"]["hs_note_body"]}}
                for n in found[:int((body or {}).get("limit", 10))]]}

    def note(self, body):
        props = (body or {}).get("properties") or {}
        if not props.get("hs_timestamp"):
            return error(400, "VALIDATION_ERROR", "hs_timestamp is required")
        if len(props.get("hs_note_body", "")) > 65536:
            return error(400, "VALIDATION_ERROR", "hs_note_body is too long")
        with self.lock:
            for a in body.get("associations", []):
                types = a.get("types", [])
                if a.get("to", {}).get("id") not in self.contacts or not types or \
                        types[0].get("associationTypeId") != 202 or \
                        types[0].get("associationCategory") != "HUBSPOT_DEFINED":
                    return error(400, "VALIDATION_ERROR", "invalid association")
            nid = str(900000 + len(self.notes))
            note = {"id": nid, "properties": dict(props), "associations": body.get("associations", [])}
            self.notes.append(note)
            return 201, {"id": nid, "properties": dict(props), "archived": False}


if __name__ == "__main__":
    f = FakeHubSpot().start()
    f.add_contact("jane@acme.com", "Jane", "Doe", "ACME")
    print(f.url(), "token", f.token, flush=True)
    f.serve_until_interrupted()

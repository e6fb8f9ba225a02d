# SPDX-License-Identifier: MIT
"""HubSpot both ways (issue 8, items 2, 3 and 7) against tests/e2e/fake_hubspot.py,
on the console: MQL contacts in once (paged, within 4 searches a second,
an overlap for search lag, linked by email), decisions out through the
outbox (a PATCH and a note, in order per contact), through 5xx and 429
outages and kill -9, a permanent 400 given up and shown in lead show."""
import time

import pytest

from fake_hubspot import FakeHubSpot
from live_console import LiveConsole

TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555"


@pytest.fixture
def hs():
    f = FakeHubSpot(token=TOKEN).start()
    yield f
    f.stop()


def crm_bot(tmp_path, hs, poll="10s", extra=""):
    return LiveConsole(tmp_path, listen=False,
                       extra=f"\n[crm]\nkind = hubspot\nurl = {hs.url()}\npoll_interval = {poll}\n"
                             f"owners = bob:7001, dave:7002\n{extra}",
                       env={"SMARKBOT_CRM_TOKEN": TOKEN})


def wait_leads(b, n, timeout=30):
    b.wait(lambda: b.stderr.count(" is lead L-") >= n, f"{n} leads from HubSpot", timeout)


def test_mql_contacts_become_leads_once_and_hand_added_ones_are_linked(tmp_path, hs):
    jane = hs.add_contact("jane@acme.com", "Jane", "Doe", "ACME", source="PAID_SEARCH")
    hs.add_contact("sub@x.co", "Sub", "Scriber", lifecyclestage="subscriber")
    joe = hs.add_contact("joe@bloggs.co", "Joe", "Bloggs")
    b = crm_bot(tmp_path, hs)
    b.run(['/smk lead add "Joe B" email=JOE@bloggs.co source=event'])
    b.start()
    wait_leads(b, 1)
    b.wait(lambda: "linked to L-1 by email" in b.stderr, "the link")
    # a second poll finds them again (the overlap) and creates nothing
    hs.wait_for(lambda: len(hs.calls_to("search")) >= 2, timeout=20, what="a second poll")
    time.sleep(0.5)
    assert b.close() == 0
    rows = {r["id"]: r for r in b.export("leads")}
    assert len(rows) == 2
    assert (rows["L-2"]["name"], rows["L-2"]["email"], rows["L-2"]["company"],
            rows["L-2"]["source"], rows["L-2"]["stage"], rows["L-2"]["created_by"]) == (
        "Jane Doe", "jane@acme.com", "ACME", "paid_search", "mql", "crm")
    out = b.run(["/smk lead show L-2", "/smk lead show L-1"])
    assert f"CRM contact: {jane}" in out and f"CRM contact: {joe}" in out
    # what was searched: MQLs modified since the cursor, oldest first
    first = hs.calls_to("search")[0].body
    filters = first["filterGroups"][0]["filters"]
    assert {"propertyName": "lifecyclestage", "operator": "EQ",
            "value": "marketingqualifiedlead"} in filters
    assert any(f["propertyName"] == "lastmodifieddate" and f["operator"] == "GTE"
               for f in filters)
    assert first["sorts"] == [{"propertyName": "lastmodifieddate", "direction": "ASCENDING"}]
    for c in hs.calls:
        assert c.header("authorization") == "Bearer " + TOKEN
    assert TOKEN not in b.stderr and TOKEN[-12:] not in b.stderr


def test_paging_stays_within_four_searches_a_second(tmp_path, hs):
    for i in range(450):
        hs.add_contact(f"c{i}@big.co", "C", str(i), modified_ms=1_700_000_000_000 + i * 1000)
    b = crm_bot(tmp_path, hs).start()
    wait_leads(b, 450, timeout=60)
    assert b.close() == 0
    searches = hs.calls_to("search")
    assert [c.body.get("after") for c in searches[:5]] == [None, "100", "200", "300", "400"]
    assert all(c.status == 200 for c in searches), [c.status for c in searches]
    times = [c.t for c in searches]
    for i in range(len(times) - 4):
        assert times[i + 4] - times[i] >= 1.0, "more than 4 searches in a second"
    assert len({r["email"] for r in b.export("leads")}) == 450


def test_search_lag_is_covered_by_the_overlap(tmp_path, hs):
    now = int(time.time() * 1000)
    hs.add_contact("early@x.co", "Early", "One", modified_ms=now)
    late = hs.add_contact("late@x.co", "Late", "One", modified_ms=now - 20_000)
    hs.contacts[late]["visible_at"] = time.monotonic() + 4   # indexed after the first poll
    b = crm_bot(tmp_path, hs).start()
    wait_leads(b, 1)
    wait_leads(b, 2, timeout=30)
    assert b.close() == 0
    assert sorted(r["email"] for r in b.export("leads")) == ["early@x.co", "late@x.co"]


FLOW = [
    "/smk handoff L-1 bob",
    "/smk handoff L-2 dave",
    "@bob !click accept L-1",
    "@dave /smk reject L-2 budget no money this year",
    "@bob /smk feedback L-1 5 great fit",
    "@bob /smk won L-1 12000 signed",
]


def decided(tmp_path, hs, **kw):
    a = hs.add_contact("ann@a.co", "Ann", "A")
    z = hs.add_contact("zed@z.co", "Zed", "Z")
    b = crm_bot(tmp_path, hs, **kw).start()
    wait_leads(b, 2)
    return a, z, b


def test_decisions_reach_the_contact_in_order(tmp_path, hs):
    a, z, b = decided(tmp_path, hs)
    b.say(*FLOW)
    hs.wait_for(lambda: len(hs.notes) == 3 and len(hs.patches) == 3, what="every push")
    assert hs.props(a)["lifecyclestage"] == "customer"
    assert hs.props(a)["hubspot_owner_id"] == "7001"
    assert hs.props(z)["hs_lead_status"] == "UNQUALIFIED"
    assert hs.props(z)["lifecyclestage"] == "marketingqualifiedlead"
    assert [p for cid, p in hs.patches if cid == a] == [
        {"lifecyclestage": "salesqualifiedlead", "hubspot_owner_id": "7001"},
        {"lifecyclestage": "customer"}]
    (reject,) = hs.notes_of(z)
    assert "budget" in reject["properties"]["hs_note_body"]
    assert "no money this year" in reject["properties"]["hs_note_body"]
    assert reject["properties"]["hubspot_owner_id"] == "7002"
    assert reject["properties"]["hs_timestamp"] == "2026-11-23T12:00:00Z"
    bodies = [n["properties"]["hs_note_body"] for n in hs.notes_of(a)]
    assert "5/5" in bodies[0] and "great fit" in bodies[0] and "Won" in bodies[1]
    # per contact: the note of a decision after its PATCH
    ops = [(c.endpoint, (c.body or {}).get("associations", [{}])[0].get("to", {}).get("id"))
           for c in hs.calls if c.endpoint != "search"]
    assert ops.index(("POST notes", a)) > ops.index(("PATCH contact", None))
    b.say("@bob /smk lost L-2 competitor")
    b.say("@carol /smk reopen L-1 typo", "@bob /smk lost L-1 timing")
    hs.wait_for(lambda: len(hs.notes_of(a)) == 3, what="the lost note")
    assert b.close() == 0


def test_outage_5xx_and_429_then_back_nothing_lost_nothing_doubled(tmp_path, hs):
    a, z, b = decided(tmp_path, hs)
    hs.outage("PATCH contact", {"status": 503})
    hs.outage("POST notes", {"status": 502})
    b.say(*FLOW)
    hs.wait_for(lambda: len(hs.calls_to("PATCH contact")) >= 3, what="failing pushes")
    hs.outage("PATCH contact", {"status": 429, "retry_after": 1})
    hs.outage("POST notes", {"status": 429})
    hs.wait_for(lambda: any(c.status == 429 for c in hs.calls_to("PATCH contact")),
                what="a 429")
    b.wait(lambda: "rate limited" in b.stderr, "the 429 heard")
    b.kill9()
    hs.outage("PATCH contact")
    hs.outage("POST notes")
    b.start()
    hs.wait_for(lambda: len(hs.notes) == 3 and len(hs.patches) == 3, timeout=60,
                what="every push after the outage")
    time.sleep(1.5)
    assert len(hs.notes) == 3 and len(hs.patches) == 3, "a push went twice"
    assert hs.props(a)["lifecyclestage"] == "customer"
    assert b.close() == 0


def test_a_permanent_400_is_given_up_once_and_shown(tmp_path, hs):
    a, z, b = decided(tmp_path, hs, extra="reject_status = NOT_A_STATUS\n")
    b.say(*FLOW[:4])
    hs.wait_for(lambda: len(hs.notes_of(z)) == 1, what="the reject note after the refused PATCH")
    refused = [c for c in hs.calls_to("PATCH contact") if c.status == 400]
    assert len(refused) == 1
    time.sleep(1)
    assert len([c for c in hs.calls_to("PATCH contact") if c.status == 400]) == len(refused)
    assert hs.props(a)["lifecyclestage"] == "salesqualifiedlead"
    assert b.close() == 0
    assert b.stderr.count("given up") == 1 and b.stderr.count("HTTP 400") == 1
    out = b.run(["/smk lead show L-2"])
    assert "CRM push given up: HTTP 400 VALIDATION_ERROR" in out


def test_kill9_in_the_middle_of_a_sync(tmp_path, hs):
    for i in range(300):
        hs.add_contact(f"k{i}@kill.co", "K", str(i), modified_ms=1_700_000_000_000 + i * 1000)
    b = crm_bot(tmp_path, hs)
    hs.script("search", {}, {"stall": True})
    b.start()
    hs.wait_for(lambda: len(hs.calls_to("search")) >= 2, what="the second page")
    wait_leads(b, 100)
    b.kill9()
    hs.release()
    b.start()
    wait_leads(b, 200)
    assert b.close() == 0
    emails = [r["email"] for r in b.export("leads")]
    assert len(emails) == 300 and len(set(emails)) == 300


def test_bad_crm_config_is_refused_without_showing_the_token(tmp_path, hs):
    from conftest import run_smarkbot
    b = LiveConsole(tmp_path, listen=False,
                    extra="\n[crm]\nkind = hubspot\nurl = ftp://x\npoll_interval = 2s\nowners = bob\n")
    p = run_smarkbot(["-c", str(b.config), "--check-config"], cwd=tmp_path,
                     env=dict(b.env, SMARKBOT_CRM_TOKEN=TOKEN))
    err = p.stderr.decode()
    assert p.returncode != 0
    assert "[crm] url" in err and "poll_interval" in err and "owners" in err
    assert TOKEN not in err and TOKEN not in p.stdout.decode()
    p = run_smarkbot(["-c", str(b.config), "--check-config"], cwd=tmp_path)
    assert "SMARKBOT_CRM_TOKEN" in p.stderr.decode()


def test_rate_limit_headers_are_honoured_before_a_429(tmp_path):
    hs = FakeHubSpot(token=TOKEN, push_limit=(3, 2.0)).start()
    try:
        a, z, b = decided(tmp_path, hs)
        b.say(*FLOW)
        hs.wait_for(lambda: len(hs.notes) == 3 and len(hs.patches) == 3, timeout=30,
                    what="every push")
        assert b.close() == 0
        pushes = [c for c in hs.calls if c.endpoint != "search"]
        assert len(pushes) == 6 and all(c.status in (200, 201) for c in pushes), \
            [c.status for c in pushes]
        assert "rate limit reached" in b.stderr
    finally:
        hs.stop()


def test_a_lead_added_by_hand_is_linked_by_email_even_when_search_misses_it(tmp_path, hs):
    old = hs.add_contact("old@mql.co", "Old", "Contact", modified_ms=1_600_000_000_000)
    hs.add_contact("sub@x.co", lifecyclestage="subscriber")
    b = crm_bot(tmp_path, hs, extra="").start()
    b.wait(lambda: "is lead L-1" in b.stderr, "the first poll")
    b.say('/smk lead add "Nobody" email=none@where.co', '/smk lead add "Sub" email=SUB@x.co')
    b.wait(lambda: "linked to L-3 by email" in b.stderr, "the look-up")
    b.say("/smk handoff L-3 bob", "@bob !click accept L-3", "/smk handoff L-2 bob",
          "@bob !click accept L-2")
    hs.wait_for(lambda: len(hs.patches) == 1, what="the push of the linked lead")
    time.sleep(1)
    assert b.close() == 0
    sub = hs.patches[0][0]
    assert sub != old and hs.props(sub)["lifecyclestage"] == "salesqualifiedlead"
    assert len(hs.patches) == 1, "a lead without a contact was pushed"
    looked = [c for c in hs.calls_to("GET contact")]
    assert sorted(c.query["idProperty"] for c in looked) == ["email", "email"]
    assert [c.status for c in looked].count(404) == 1
    out = b.run(["/smk lead show L-3", "/smk lead show L-2"])
    assert f"CRM contact: {sub}" in out and out.count("CRM contact") == 1


def test_kill9_while_a_note_is_answered_posts_it_once(tmp_path, hs):
    a, z, b = decided(tmp_path, hs)
    hs.script("POST notes", {"stall_after": True})
    b.say("/smk handoff L-2 dave", "@dave /smk reject L-2 budget")
    hs.wait_for(lambda: len(hs.notes) == 1, what="the note, made but not answered")
    b.kill9()
    hs.release()
    b.start()
    hs.wait_for(lambda: hs.calls_to("notes search"), what="the look for the note in doubt")
    b.say("@dave /smk feedback L-2 2 weak")
    hs.wait_for(lambda: len(hs.notes) == 2, what="the next note")
    time.sleep(0.5)
    assert b.close() == 0
    assert len(hs.notes_of(z)) == 2, [n["properties"]["hs_note_body"] for n in hs.notes]
    assert "had arrived before the restart" in b.stderr


def test_a_dated_api_path(tmp_path, hs):
    a = hs.add_contact("dated@x.co", "Dated", "Path")
    b = crm_bot(tmp_path, hs, extra="api = objects/2026-03\n").start()
    wait_leads(b, 1)
    b.say("/smk handoff L-1 bob", "@bob !click accept L-1")
    hs.wait_for(lambda: hs.patches, what="the push")
    assert b.close() == 0
    assert {c.path for c in hs.calls} == {"/crm/objects/2026-03/contacts/search",
                                          f"/crm/objects/2026-03/contacts/{a}"}


def test_search_429_waits_retry_after_and_5xx_waits_for_the_next_poll(tmp_path, hs):
    hs.add_contact("r@a.co", "R", "A")
    hs.script("search", {"status": 429, "retry_after": 2}, {"status": 503})
    b = crm_bot(tmp_path, hs).start()
    wait_leads(b, 1, timeout=30)
    assert b.close() == 0
    s = hs.calls_to("search")
    assert [c.status for c in s[:3]] == [429, 503, 200]
    assert s[1].t - s[0].t >= 1.9, "Retry-After not waited"
    assert s[2].t - s[1].t >= 9, "a failed search is tried again at the next poll"
    assert "search rate limited" in b.stderr and "search failed" in b.stderr

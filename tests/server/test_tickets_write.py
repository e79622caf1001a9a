"""Ticket writes: create, edit (version-checked), replies and notes (de-duplicated by
client_msg_id), the client's own posts (HTTP Basic), permissions, audit rows and which agents get
the events. On SQLite and on PostgreSQL (skipped only when PostgreSQL does not answer)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import websockets
from sqlalchemy import select

from supportdesk_server.auth import hash_password
from supportdesk_server.store import models as M
from supportdesk_server.store.db import create_engine, make_sessionmaker
from tests.server.helpers import (
    seeded_server,
    BILLING,
    SALES,
    TECH,
    Agent,
    assert_error,
    recv_until,
)

CLIENT_PASSWORD = "client-pw"
SALES_CLIENT, TECH_CLIENT = 1, 2


async def seed_clients(url: str) -> None:
    engine = create_engine(url)
    try:
        sm = make_sessionmaker(engine)
        pw = hash_password(CLIENT_PASSWORD)
        async with sm() as s:
            for name, dept in (("Ann Example", SALES), ("Tom Tech", TECH)):
                s.add(M.Client(name=name, email=f"{name.split()[0].lower()}@example.com",
                               department_id=dept))
            await s.flush()
            s.add(M.ClientUser(client_id=SALES_CLIENT, login="ann", email="ann@example.com",
                               full_name="Ann Example", password_hash=pw))
            s.add(M.ClientUser(client_id=TECH_CLIENT, login="tom", email="tom@example.com",
                               full_name="Tom Tech", password_hash=pw))
            s.add(M.ClientUser(client_id=SALES_CLIENT, login="off", email="off@example.com",
                               full_name="Disabled", password_hash=pw, enabled=False))
            await s.commit()
    finally:
        await engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres",
                                                                 marks=pytest.mark.postgres)])
def server(request, tmp_path_factory):
    with seeded_server(tmp_path_factory.mktemp(f"tickets-{request.param}"), request.param,
                       seed_clients) as srv:
        yield srv


@pytest.fixture
def agents(server):
    made: dict[str, Agent] = {}

    def get(login: str) -> Agent:
        if login not in made:
            made[login] = Agent(server, login)
        return made[login]

    yield get
    for a in made.values():
        a.close()


def client_http(server, login="ann", password=CLIENT_PASSWORD) -> httpx.Client:
    return httpx.Client(base_url=server.api(""), auth=(login, password), timeout=20)


def create(agent, subject="Site down", **body):
    payload = {"client_id": SALES_CLIENT, "subject": subject, "department_id": SALES,
               "priority": "normal", "text": "We are looking at it."}
    payload.update(body)
    r = agent.post("/tickets", payload)
    assert r.status_code == 201, r.text
    return r.json()


def audit_rows(server, entity: str, entity_id: int) -> list[M.AuditLog]:
    async def go():
        engine = create_engine(server.database_url)
        try:
            async with make_sessionmaker(engine)() as s:
                return list((await s.scalars(select(M.AuditLog).where(
                    M.AuditLog.entity == entity, M.AuditLog.entity_id == str(entity_id))
                    .order_by(M.AuditLog.id))).all())
        finally:
            await engine.dispose()
    return asyncio.run(go())


# --- create -------------------------------------------------------------------------------------


def test_create_ticket_with_first_post_and_audit(server, agents):
    alice = agents("alice")
    t = create(alice, subject="  Site down  ", priority="high")
    assert t["subject"] == "Site down" and t["status"] == "new" and t["priority"] == "high"
    assert t["client_id"] == SALES_CLIENT and t["department_id"] == SALES and t["version"] == 1
    posts = alice.get(f"/tickets/{t['id']}/posts").json()["items"]
    assert [(p["kind"], p["author_name"], p["text"]) for p in posts] == [
        ("staff", "Alice", "We are looking at it.")]
    rows = audit_rows(server, "tickets", t["id"])
    assert [r.action for r in rows] == ["ticket.create"] and rows[0].agent_id == alice.id
    # the client's ticket list and the agent's filter see it
    mine = alice.get("/tickets", params={"client_id": SALES_CLIENT}).json()["items"]
    assert t["id"] in [x["id"] for x in mine]


def test_create_is_idempotent_with_client_msg_id(agents):
    alice = agents("alice")
    first = create(alice, client_msg_id="create-1")
    again = create(alice, client_msg_id="create-1")
    assert again["id"] == first["id"]


def test_create_validation_and_permissions(agents):
    alice, carol = agents("alice"), agents("carol")
    base = {"client_id": SALES_CLIENT, "subject": "S", "department_id": SALES, "text": "t"}
    for bad in ({"subject": ""}, {"subject": "   "}, {"subject": "x" * 201}, {"text": ""},
                {"subject": "a\x00b"}, {"text": "a\x00b"},
                {"priority": "extreme"}, {"department_id": 0}, {"unknown": 1}):
        body = assert_error(alice.post("/tickets", {**base, **bad}), 422, "validation_error")
        assert body["details"], body
    body = assert_error(alice.post("/tickets", {k: v for k, v in base.items() if k != "text"}),
                        422, "validation_error")
    assert body["details"][0]["loc"] == ["text"]
    # another department's client looks like no client at all
    body = assert_error(alice.post("/tickets", {**base, "client_id": TECH_CLIENT}), 422,
                        "validation_error")
    assert body["details"][0]["loc"] == ["client_id"]
    assert_error(alice.post("/tickets", {**base, "client_id": 9999}), 422, "validation_error")
    # only in one's own departments
    assert_error(alice.post("/tickets", {**base, "department_id": TECH}), 403, "forbidden")
    assert_error(carol.post("/tickets", base), 403, "forbidden")
    assert_error(alice.post("/tickets", [1, 2]), 400, "bad_request")


# --- edit --------------------------------------------------------------------------------------


def test_patch_status_priority_with_audit_and_version(server, agents):
    alice, bob = agents("alice"), agents("bob")
    t = create(alice)
    r = alice.patch(f"/tickets/{t['id']}", {"version": 1, "status": "in_progress",
                                            "priority": "urgent"})
    assert r.status_code == 200, r.text
    t2 = r.json()
    assert (t2["status"], t2["priority"], t2["version"]) == ("in_progress", "urgent", 2)
    assert bob.get(f"/tickets/{t['id']}").json()["priority"] == "urgent"
    rows = audit_rows(server, "tickets", t["id"])
    assert rows[-1].action == "ticket.update" and rows[-1].agent_id == alice.id
    assert rows[-1].changes == {"status": ["new", "in_progress"], "priority": ["normal", "urgent"]}
    # an unchanged value is no change: no new version
    same = alice.patch(f"/tickets/{t['id']}", {"version": 2, "priority": "urgent"}).json()
    assert same["version"] == 2


def test_version_conflict_answers_the_current_ticket(agents):
    alice, bob = agents("alice"), agents("bob")
    t = create(alice)
    assert bob.patch(f"/tickets/{t['id']}", {"version": 1, "status": "waiting"}).status_code == 200
    body = assert_error(alice.patch(f"/tickets/{t['id']}", {"version": 1, "priority": "low"}),
                        409, "version_conflict")
    current = body["details"]["current"]
    assert current["status"] == "waiting" and current["version"] == 2
    assert alice.get(f"/tickets/{t['id']}").json()["priority"] == "normal"


def test_assign_move_and_their_rules(agents):
    alice, bob, carol, dave = agents("alice"), agents("bob"), agents("carol"), agents("dave")
    t = create(alice)
    r = alice.patch(f"/tickets/{t['id']}", {"version": 1, "assignee_id": bob.id})
    assert r.status_code == 200 and r.json()["assignee_id"] == bob.id
    body = assert_error(alice.patch(f"/tickets/{t['id']}", {"version": 2, "assignee_id": carol.id}),
                        422, "validation_error")
    assert body["details"][0]["loc"] == ["assignee_id"]
    assert_error(alice.patch(f"/tickets/{t['id']}", {"version": 2, "department_id": 99}), 422,
                 "validation_error")
    assert_error(alice.patch(f"/tickets/{t['id']}", {"version": 2, "status": "done"}), 422,
                 "validation_error")
    assert_error(alice.patch(f"/tickets/{t['id']}", {"status": "closed"}), 422, "validation_error")
    # moved to Tech: bob (Sales only) is unassigned; Sales no longer sees it, Tech does
    r = alice.patch(f"/tickets/{t['id']}", {"version": 2, "department_id": TECH})
    assert r.status_code == 200, r.text
    assert r.json()["department_id"] == TECH and r.json()["assignee_id"] is None
    assert_error(alice.get(f"/tickets/{t['id']}"), 404, "not_found")
    assert carol.get(f"/tickets/{t['id']}").status_code == 200
    r = carol.patch(f"/tickets/{t['id']}", {"version": 3, "assignee_id": dave.id})
    assert r.status_code == 200 and r.json()["assignee_id"] == dave.id
    r = carol.patch(f"/tickets/{t['id']}", {"version": 4, "assignee_id": None})
    assert r.status_code == 200 and r.json()["assignee_id"] is None


def test_another_department_cannot_see_or_edit(agents):
    alice, carol, admin = agents("alice"), agents("carol"), agents("admin")
    t = create(alice)
    assert_error(carol.get(f"/tickets/{t['id']}"), 404, "not_found")
    assert_error(carol.patch(f"/tickets/{t['id']}", {"version": 1, "status": "closed"}), 404,
                 "not_found")
    assert_error(carol.post(f"/tickets/{t['id']}/posts",
                            {"kind": "staff", "text": "x", "client_msg_id": "c1"}),
                 404, "not_found")
    assert t["id"] not in [x["id"] for x in carol.get("/tickets").json()["items"]]
    assert admin.patch(f"/tickets/{t['id']}", {"version": 1, "status": "closed"}).status_code == 200
    assert_error(alice.patch("/tickets/999999", {"version": 1}), 404, "not_found")
    assert_error(alice.patch("/tickets/0", {"version": 1}), 422, "validation_error")


# --- posts -------------------------------------------------------------------------------------


def test_reply_and_note_deduplicated_by_client_msg_id(server, agents):
    alice = agents("alice")
    t = create(alice)
    r = alice.post(f"/tickets/{t['id']}/posts", {"kind": "staff", "text": "Fixed.",
                                                 "client_msg_id": "m-1"})
    assert r.status_code == 201, r.text
    first = r.json()
    again = alice.post(f"/tickets/{t['id']}/posts", {"kind": "staff", "text": "Fixed.",
                                                     "client_msg_id": "m-1"})
    assert again.status_code == 200 and again.json()["id"] == first["id"]
    note = alice.post(f"/tickets/{t['id']}/posts", {"kind": "note", "text": "Restarted nginx",
                                                    "client_msg_id": "m-2"})
    assert note.status_code == 201 and note.json()["kind"] == "note"
    posts = alice.get(f"/tickets/{t['id']}/posts").json()["items"]
    assert [p["kind"] for p in posts] == ["staff", "staff", "note"]
    assert [r.action for r in audit_rows(server, "ticket_posts", first["id"])] == ["ticket.post"]
    # posts do not bump the version (no needless conflicts for the status control)
    assert alice.get(f"/tickets/{t['id']}").json()["version"] == 1
    for bad in ({"kind": "client", "text": "x", "client_msg_id": "a"},
                {"kind": "staff", "text": "", "client_msg_id": "a"},
                {"kind": "staff", "text": "x"},
                {"kind": "staff", "text": "x", "client_msg_id": "bad id!"},
                {"kind": "staff", "text": "x" * 10_001, "client_msg_id": "a"}):
        assert_error(alice.post(f"/tickets/{t['id']}/posts", bad), 422, "validation_error")


def test_client_posts_with_basic_auth(server, agents):
    alice = agents("alice")
    t = create(alice)
    alice.post(f"/tickets/{t['id']}/posts", {"kind": "note", "text": "secret", "client_msg_id": "n"})
    alice.patch(f"/tickets/{t['id']}", {"version": 1, "status": "waiting"})
    with client_http(server) as ann:
        listed = ann.get("/client/tickets").json()["items"]
        assert t["id"] in [x["id"] for x in listed]
        r = ann.post(f"/client/tickets/{t['id']}/posts", json={"text": "Still down",
                                                                "client_msg_id": "c-1"})
        assert r.status_code == 201, r.text
        post = r.json()
        assert post["kind"] == "client" and post["author_name"] == "Ann Example"
        again = ann.post(f"/client/tickets/{t['id']}/posts", json={"text": "Still down",
                                                                    "client_msg_id": "c-1"})
        assert again.status_code == 200 and again.json()["id"] == post["id"]
        thread = ann.get(f"/client/tickets/{t['id']}/posts").json()["items"]
        assert [p["kind"] for p in thread] == ["staff", "client"]     # no internal note
        assert_error(ann.post(f"/client/tickets/{t['id']}/posts", json={"text": ""}), 422,
                     "validation_error")
    # a client post on a ticket waiting for the client puts it back in progress
    assert alice.get(f"/tickets/{t['id']}").json()["status"] == "in_progress"
    assert audit_rows(server, "ticket_posts", post["id"])[0].action == "ticket.client_post"
    with client_http(server, "tom") as tom:   # another client's user
        assert_error(tom.post(f"/client/tickets/{t['id']}/posts",
                              json={"text": "x", "client_msg_id": "t"}), 404, "not_found")
    with client_http(server, "ann", "wrong") as bad:
        assert_error(bad.get("/client/tickets"), 401, "unauthorized")
    with client_http(server, "off") as off:
        assert_error(off.get("/client/tickets"), 401, "unauthorized")
    assert_error(httpx.get(server.api("/client/tickets")), 401, "unauthorized")
    assert_error(httpx.get(server.api("/client/tickets"), headers={"Authorization": "Basic !!"}),
                 401, "unauthorized")
    import base64
    nul = base64.b64encode(b"ann\x00:x").decode()
    assert_error(httpx.get(server.api("/client/tickets"), headers={"Authorization": f"Basic {nul}"}),
                 401, "unauthorized")


# --- lists -------------------------------------------------------------------------------------


def test_list_filters(agents):
    alice, dave = agents("alice"), agents("dave")
    t = create(alice, subject="Filter me", priority="low")
    alice.patch(f"/tickets/{t['id']}", {"version": 1, "assignee_id": alice.id,
                                        "status": "in_progress"})

    def ids(agent, **params):
        r = agent.get("/tickets", params={"limit": 500, **params})
        assert r.status_code == 200, r.text
        return {x["id"] for x in r.json()["items"]}

    assert t["id"] in ids(alice, mine=True)
    assert t["id"] in ids(alice, my_departments=True, status="in_progress", priority="low")
    assert t["id"] not in ids(alice, status="new")
    assert t["id"] not in ids(alice, priority="high")
    assert t["id"] not in ids(dave, my_departments=True)
    assert_error(alice.get("/tickets", params={"status": "nope"}), 422, "validation_error")


# --- events ------------------------------------------------------------------------------------


def test_events_reach_the_department_and_the_assignee_only(server, agents):
    alice, bob, carol, dave = agents("alice"), agents("bob"), agents("carol"), agents("dave")

    async def listen(token):
        ws = await websockets.connect(server.ws_url("/agent/ws"))
        await ws.send(json.dumps({"op": "auth", "token": token, "resume_after": None}))
        await recv_until(ws, lambda f: f.get("op") == "ready")
        return ws

    async def go():
        wss = {a.login: await listen(a.token) for a in (bob, carol, dave)}
        t = await asyncio.to_thread(create, alice, "Evented")
        tid = t["id"]

        def ticket_event(type_):
            return lambda f: (f.get("op") == "event" and f.get("type") == type_
                              and (f["data"].get("ticket_id", f["data"].get("id")) == tid))

        await recv_until(wss["bob"], ticket_event("ticket.created"))
        await recv_until(wss["bob"], ticket_event("ticket.post"))
        # assign to dave (a Tech+Billing head): not possible while the ticket is in Sales...
        await asyncio.to_thread(alice.patch, f"/tickets/{tid}",
                                {"version": 1, "department_id": BILLING})
        # ...so: Sales sees the move (old department), Billing's dave sees it
        f, _ = await recv_until(wss["bob"], ticket_event("ticket.updated"))
        assert f["data"]["department_id"] == BILLING
        f, seen = await recv_until(wss["dave"], ticket_event("ticket.updated"))
        assert not [x for x in seen if x.get("type") == "ticket.created"
                    and x["data"]["id"] == tid]   # dave was not in Sales
        r = await asyncio.to_thread(dave.post, f"/tickets/{tid}/posts",
                                    {"kind": "note", "text": "hi", "client_msg_id": "ev-1"})
        assert r.status_code == 201, r.text
        f, _ = await recv_until(wss["dave"], ticket_event("ticket.post"))
        assert f["data"]["kind"] == "note"
        # carol (Tech) never saw any event of this ticket: a marker event proves she is caught up
        t2 = await asyncio.to_thread(dave.post, "/tickets",
                                     {"client_id": TECH_CLIENT, "subject": "Marker",
                                      "department_id": TECH, "text": "m"})
        marker = t2.json()["id"]
        _, seen = await recv_until(wss["carol"], lambda f: f.get("type") == "ticket.created"
                                   and f["data"]["id"] == marker)
        leaked = [x for x in seen if x.get("op") == "event" and x["type"].startswith("ticket.")
                  and tid in (x["data"].get("id"), x["data"].get("ticket_id"))]
        assert not leaked, leaked
        for ws in wss.values():
            await ws.close()

    asyncio.run(go())


# --- the demo simulator's clients ------------------------------------------------------------------


def test_simulator_clients_post_on_their_open_tickets(server, agents):
    from supportdesk_server.demo.simulator import VisitorSimulator, demo_client_logins

    alice, admin = agents("alice"), agents("admin")
    t = create(alice, subject="Simulated client")

    async def go():
        engine = create_engine(server.database_url)
        try:
            logins = await demo_client_logins(make_sessionmaker(engine))
        finally:
            await engine.dispose()
        assert "ann" in logins and "off" not in logins          # enabled users with tickets
        sim = VisitorSimulator(server.url, 0, seed=5, client_logins=["ann"],
                               client_password=CLIENT_PASSWORD)
        async with httpx.AsyncClient(base_url=server.url) as http:
            post = await sim.client_post(http)
        return post, sim.stats

    post, stats = asyncio.run(go())
    assert post is not None and post["kind"] == "client" and stats.ticket_posts == 1
    ticket = admin.get(f"/tickets/{post['ticket_id']}").json()   # (another test may move it)
    assert ticket["client_id"] == SALES_CLIENT and ticket["status"] != "closed"
    assert post["id"] in [p["id"] for p in admin.get(f"/tickets/{post['ticket_id']}/posts",
                                                      params={"limit": 500}).json()["items"]]
    assert t["id"]

"""Every crossing of a permission boundary, tried against the real server, must fail.

* An agent of another department (carol, Tech) against a Sales chat, ticket, client, payment,
  service, project, client user: every operation of ``/openapi.json`` that takes such an id is
  tried (``CROSSINGS``; a new operation that is not listed fails ``test_every_operation_is_tried``).
  The answer is 404 ``not_found``: a resource outside the agent's departments does not exist for
  them (no way to probe ids). 403 ``forbidden`` is for what the agent can see but may not do
  (see docs/security.md, "403 or 404").
* Nothing about the Sales resources reaches carol's agent socket while Sales works on them.
* A plain agent (bob, no payment/service rights) against the role-gated edits: 403.
* A visitor socket against another visitor's chat: no frame names a chat, spoofed fields are
  refused, another visitor's id is not a credential, a visitor token is not an agent token.
* A client user against another client's tickets: 404.
"""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import datetime, timezone
from decimal import Decimal

import httpx
import pytest

from supportdesk_server.auth import hash_password
from supportdesk_server.store import models as M
from supportdesk_server.store.db import create_engine, make_sessionmaker
from tests.server.conftest import assert_no_server_errors
from tests.server.helpers import (
    SALES,
    TECH,
    Agent,
    agent_ws,
    new_chat,
    recv_json,
    recv_until,
    seed_basic,
    start_chat,
    visitor,
)
from tests.support.server import ServerProcess

CLIENT_PW = "client-pw"
# ids on a fresh database, in seed order: index 0 is Sales, index 1 is Tech
S_CLIENT, T_CLIENT = 1, 2


async def seed_resources(url: str) -> None:
    """Per department a client with a user, payment, service, expense, project and a ticket with
    a post. alice may edit payments and services; bob may not."""
    engine = create_engine(url)
    try:
        sm = make_sessionmaker(engine)
        pw = hash_password(CLIENT_PW)
        async with sm() as s:
            from sqlalchemy import select

            for agent in (await s.scalars(select(M.Agent))).all():
                agent.can_edit_payments = agent.can_edit_services = agent.login in ("alice",
                                                                                     "carol")
            for n, (login, dept) in enumerate((("ann", SALES), ("tom", TECH)), 1):
                c = M.Client(name=f"Client {login}", email=f"{login}@example.com",
                             phone="+1 555 0100", project_name="Main", department_id=dept,
                             balance=Decimal("10"), currency="USD")
                s.add(c)
                await s.flush()
                s.add(M.ClientUser(client_id=c.id, login=login, email=f"{login}@example.com",
                                   full_name=login.title(), password_hash=pw))
                s.add(M.Payment(client_id=c.id, number=f"P-{n}", amount=Decimal("20.00"),
                                currency="USD", status="new", method="card"))
                s.add(M.Service(client_id=c.id, name=f"Hosting {n}", type="hosting",
                                domain=f"s{n}.example", price=Decimal("5.00"), currency="USD",
                                status="active",
                                expires_at=datetime(2027, 1, 1, tzinfo=timezone.utc)))
                s.add(M.Expense(client_id=c.id, description="Expense", amount=Decimal("1.50"),
                                currency="USD"))
                s.add(M.Project(client_id=c.id, name=f"Project {n}", enabled=True))
                t = M.Ticket(client_id=c.id, subject=f"Ticket {n}", department_id=dept)
                s.add(t)
                await s.flush()
                s.add(M.TicketPost(ticket_id=t.id, kind="client", author_name=login,
                                   text="help", client_msg_id=f"seed-{n}"))
            await s.commit()
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    server = ServerProcess(tmp_path_factory.mktemp("crossing"), demo=False)
    asyncio.run(seed_basic(server.database_url))
    asyncio.run(seed_resources(server.database_url))
    server.start()
    server.sales_chat = new_chat(server, SALES, "a Sales visitor")
    server.tech_chat = new_chat(server, TECH, "a Tech visitor")
    yield server
    server.stop()
    assert_no_server_errors(server)


@pytest.fixture(scope="module")
def who(srv):
    made: dict[str, Agent] = {}

    def get(login: str) -> Agent:
        if login not in made:
            made[login] = Agent(srv, login)
        return made[login]

    yield get
    for a in made.values():
        a.close()


# (method, path template) -> body; {chat} {client} {ticket} {payment} {service} {project} {user}
# are the Sales resources. Bodies are valid, so the answer is about permission, not validation.
CROSSINGS: dict[tuple[str, str], object] = {
    ("GET", "/chats/{chat_id}"): None,
    ("PATCH", "/chats/{chat_id}"): {"name": "mine now"},
    ("GET", "/chats/{chat_id}/messages"): None,
    ("GET", "/chats/{chat_id}/events"): None,
    ("POST", "/chats/{chat_id}/messages"): {"client_msg_id": "x-1", "text": "hi"},
    ("POST", "/chats/{chat_id}/take"): None,
    ("POST", "/chats/{chat_id}/release"): None,
    ("POST", "/chats/{chat_id}/typing"): {"typing": True},
    ("POST", "/chats/{chat_id}/close"): {},
    ("POST", "/chats/{chat_id}/forward"): {"department_id": TECH},
    ("POST", "/chats/{chat_id}/auth-request"): {"kind": "login"},
    ("GET", "/chats/{chat_id}/history"): None,
    ("GET", "/clients/{client_id}"): None,
    ("PATCH", "/clients/{client_id}"): {"version": 1, "name": "Renamed"},
    ("GET", "/clients/{client_id}/users"): None,
    ("POST", "/clients/{client_id}/users"): {"login": "intruder", "email": "i@example.com"},
    ("PATCH", "/clients/{client_id}/users/{user_id}"): {"version": 1, "enabled": False},
    ("GET", "/clients/{client_id}/payments"): None,
    ("PATCH", "/clients/{client_id}/payments/{payment_id}"): {"version": 1, "note": "x"},
    ("GET", "/clients/{client_id}/services"): None,
    ("PATCH", "/clients/{client_id}/services/{service_id}"): {"version": 1, "name": "x"},
    ("DELETE", "/clients/{client_id}/services/{service_id}?version=1"): None,
    ("GET", "/clients/{client_id}/tickets"): None,
    ("GET", "/clients/{client_id}/expenses"): None,
    ("GET", "/clients/{client_id}/projects"): None,
    ("PATCH", "/clients/{client_id}/projects/{project_id}"): {"version": 1, "enabled": False},
    ("GET", "/tickets/{ticket_id}"): None,
    ("PATCH", "/tickets/{ticket_id}"): {"version": 1, "status": "closed"},
    ("GET", "/tickets/{ticket_id}/posts"): None,
    ("POST", "/tickets/{ticket_id}/posts"): {"kind": "note", "text": "x", "client_msg_id": "n-1"},
}
# administration (docs/administration.md): dave heads Tech and Billing; alice (id 2, Sales) does
# not exist for him. Plain agents get 403 on every /admin path (tests/server/test_admin_*.py).
ADMIN_CROSSINGS: dict[tuple[str, str], object] = {
    ("GET", "/admin/agents/{agent_id}"): None,
    ("PATCH", "/admin/agents/{agent_id}"): {"display_name": "taken over"},
    ("POST", "/admin/agents/{agent_id}/deactivate"): None,
    ("POST", "/admin/agents/{agent_id}/reactivate"): None,
    ("POST", "/admin/agents/{agent_id}/password-reset"): None,
    ("POST", "/admin/agents/{agent_id}/invitation"): None,
    ("POST", "/admin/agents/{agent_id}/totp/reset"): None,
    ("GET", "/admin/agents/{agent_id}/sessions"): None,
    ("DELETE", "/admin/agents/{agent_id}/sessions"): None,
}
# operations with an id of a department-bound resource in the body instead of the path
BODY_CROSSINGS: dict[tuple[str, str], object] = {
    ("POST", "/client-area/links"): {"client_id": S_CLIENT},
}
# operations that take an id but are not about another department's data
NOT_DEPARTMENT_BOUND = {
    ("PATCH", "/replies/{reply_id}"), ("DELETE", "/replies/{reply_id}"),   # test_replies.py
    ("GET", "/client/tickets/{ticket_id}/posts"),        # client users: test_client_user_...
    ("POST", "/client/tickets/{ticket_id}/posts"),
    ("DELETE", "/me/sessions/{session_id}"),             # own sessions only: test_admin_*
    ("GET", "/auth/invitations/{token}"),                # the token is the credential
    ("POST", "/auth/invitations/{token}/accept"),
}


def _fill(srv, template: str) -> str:
    ids = {"chat_id": srv.sales_chat, "client_id": S_CLIENT, "ticket_id": 1, "payment_id": 1,
           "service_id": 1, "project_id": 1, "user_id": 1}
    return template.format(**ids)


def test_every_operation_is_tried(srv):
    spec = httpx.get(srv.url + "/openapi.json").json()
    missing = []
    for path, ops in spec["paths"].items():
        for method in ops:
            key = (method.upper(), path.removeprefix("/api/v1"))
            tried = {(m, p.split("?")[0]) for m, p in list(CROSSINGS) + list(ADMIN_CROSSINGS)}
            if "{" in path and key not in tried and key not in NOT_DEPARTMENT_BOUND:
                missing.append(key)
    assert not missing, f"add these operations to CROSSINGS (or NOT_DEPARTMENT_BOUND): {missing}"
    for key in list(CROSSINGS) + list(BODY_CROSSINGS):
        assert f"/api/v1{key[1].split('?')[0]}" in spec["paths"], f"{key} is gone from the API"


@pytest.mark.parametrize("method,template", list(CROSSINGS))
def test_other_department_gets_404(srv, who, method, template):
    carol = who("carol")
    alice = who("alice")
    path = _fill(srv, template)
    before = alice.get(path).status_code if method == "GET" else None
    r = carol.http.request(method, path, json=CROSSINGS[(method, template)])
    assert r.status_code == 404, (method, path, r.status_code, r.text)
    body = r.json()
    assert body["code"] == "not_found" and body["message"].endswith("not found"), body
    if before is not None:
        assert before == 200, "the resource exists for its own department"


@pytest.mark.parametrize("method,template", list(ADMIN_CROSSINGS))
def test_head_of_other_departments_gets_404_for_their_agents(who, method, template):
    alice_id = who("alice").id
    r = who("dave").http.request(method, template.format(agent_id=alice_id),
                                 json=ADMIN_CROSSINGS[(method, template)])
    assert r.status_code == 404, (method, template, r.status_code, r.text)
    assert r.json()["code"] == "not_found", r.text


@pytest.mark.parametrize("method,path", list(BODY_CROSSINGS))
def test_other_department_ids_in_bodies_get_404(who, method, path):
    r = who("carol").http.request(method, path, json=BODY_CROSSINGS[(method, path)])
    assert r.status_code == 404, (method, path, r.status_code, r.text)


def test_ticket_for_another_departments_client_is_refused_like_a_missing_one(who):
    carol = who("carol")
    answers = []
    for client in (S_CLIENT, 999_999):     # exists in Sales / does not exist at all
        r = carol.post("/tickets", {"client_id": client, "subject": "x", "department_id": TECH,
                                    "text": "x"})
        answers.append((r.status_code, r.json()))
    assert answers[0] == answers[1], answers     # no way to tell them apart
    assert answers[0][0] in (404, 422) and "no such client" in answers[0][1]["message"]


def test_other_department_cannot_create_a_ticket_in_a_department_it_is_not_in(who):
    # its own client, but a department it does not belong to
    r = who("carol").post("/tickets", {"client_id": T_CLIENT, "subject": "x",
                                       "department_id": SALES, "text": "x"})
    assert r.status_code == 403, r.text
    assert r.json()["code"] == "forbidden"


def test_lists_and_search_show_nothing_of_other_departments(srv, who):
    carol = who("carol")
    chats = carol.get("/chats", params={"limit": 500}).json()["items"]
    assert srv.sales_chat not in {c["id"] for c in chats}
    assert srv.tech_chat in {c["id"] for c in chats}
    waiting = carol.get("/chats", params={"state": "waiting"}).json()["items"]
    assert {c["department_id"] for c in waiting} <= {TECH}
    tickets = carol.get("/tickets", params={"limit": 500}).json()["items"]
    assert {t["department_id"] for t in tickets} <= {TECH} and tickets
    for q in ("ann", "Client ann", "ann@example.com", "+1 555"):
        hits = carol.get("/clients/search", params={"q": q}).json()["items"]
        assert S_CLIENT not in {h["client"]["id"] for h in hits}, (q, hits)
    replies = carol.get("/replies").json()["items"]
    assert all(r["department_id"] in (None, TECH) for r in replies), replies
    assert not any(r["title"].startswith("Sales") for r in replies)


def test_the_other_departments_events_never_reach_the_agent_socket(srv, who):
    alice, carol = who("alice"), who("carol")

    async def go() -> None:
        ws, ready = await agent_ws(srv, carol.token)
        assert ready["op"] == "ready", ready
        try:
            # Sales works: a new chat, messages, take, rename, close; a ticket note
            v = await visitor(srv)
            chat = await start_chat(v, SALES, "secret Sales question")
            assert alice.post(f"/chats/{chat}/take").status_code == 200
            assert alice.post(f"/chats/{chat}/messages",
                              {"client_msg_id": "s-1", "text": "secret answer"}).status_code \
                in (200, 201)
            assert alice.patch(f"/chats/{chat}", {"name": "secret name"}).status_code == 200
            assert alice.post(f"/chats/{chat}/close", {}).status_code == 200
            await v.ws.close()
            alice.post("/tickets/1/posts", {"kind": "note", "text": "secret note",
                                            "client_msg_id": "sn-1"})
            # then Tech: the marker carol must see; everything before it is checked
            async with httpx.AsyncClient() as http:
                sess = (await http.post(srv.api("/visitor/session"), json={})).json()
            tv = await visitor(srv, sess["visitor_token"])
            marker = await start_chat(tv, TECH, "tech marker")
            await tv.ws.close()
            frame, before = await recv_until(
                ws, lambda f: f.get("op") == "event" and f["data"].get("chat", f["data"]).get(
                    "id") == marker)
            leaked = [f for f in before if "secret" in json.dumps(f)
                      or f.get("data", {}).get("chat", {}).get("department_id") == SALES]
            assert not leaked, leaked
            # nor does resuming from the start of the event log replay them
            ws2, ready2 = await agent_ws(srv, carol.token, resume_after=0)
            try:
                assert ready2["op"] in ("ready", "reset"), ready2
                frame2, before2 = await recv_until(
                    ws2, lambda f: f.get("op") == "event" and f["data"].get(
                        "chat", f["data"]).get("id") == marker)
                replayed = [f for f in before2 + [frame2] if f.get("op") == "event"]
                assert replayed, "resume_after=0 replayed nothing"
                leaked = [f for f in replayed if "secret" in json.dumps(f)
                          or f["data"].get("chat", {}).get("department_id") == SALES]
                assert not leaked, leaked
            finally:
                await ws2.close()
        finally:
            await ws.close()

    asyncio.run(go())


def test_plain_agent_cannot_use_role_gated_edits(srv, who):
    bob = who("bob")      # Sales, but no payment/service rights
    payments = bob.get(f"/clients/{S_CLIENT}/payments").json()["items"]
    services = bob.get(f"/clients/{S_CLIENT}/services").json()["items"]
    for method, path, body in [
        ("PATCH", f"/clients/{S_CLIENT}/payments/{payments[0]['id']}",
         {"version": payments[0]["version"], "note": "bob was here"}),
        ("PATCH", f"/clients/{S_CLIENT}/services/{services[0]['id']}",
         {"version": services[0]["version"], "name": "bob's"}),
        ("DELETE", f"/clients/{S_CLIENT}/services/{services[0]['id']}"
                   f"?version={services[0]['version']}", None),
    ]:
        r = bob.http.request(method, path, json=body)
        assert r.status_code == 403, (method, path, r.text)
        assert r.json()["code"] == "forbidden"
    # the same edit is allowed to alice (so the 403 above is about the right, not the data)
    r = who("alice").patch(f"/clients/{S_CLIENT}/payments/{payments[0]['id']}",
                           {"version": payments[0]["version"], "note": "alice"})
    assert r.status_code == 200, r.text


def test_agent_cannot_act_on_a_colleagues_chat(srv, who):
    """Same department: bob sees alice's chat and may edit its name/summary (notes for
    colleagues, audited), but only alice may answer, close, forward or release it."""
    alice, bob = who("alice"), who("bob")
    chat = new_chat(srv, SALES, "for alice")
    assert alice.post(f"/chats/{chat}/take").status_code == 200
    for method, path, body in [
        ("POST", f"/chats/{chat}/messages", {"client_msg_id": "b-1", "text": "bob"}),
        ("POST", f"/chats/{chat}/close", {}),
        ("POST", f"/chats/{chat}/forward", {"department_id": TECH}),
        ("POST", f"/chats/{chat}/release", None),
    ]:
        r = bob.http.request(method, path, json=body)
        assert r.status_code in (403, 409), (method, path, r.text)   # seen, not his
        assert r.json()["code"] in ("forbidden", "already_taken", "conflict")
    assert bob.get(f"/chats/{chat}").status_code == 200   # same department: may look


def test_department_reply_of_another_department_is_refused(who):
    r = who("carol").post("/replies", {"title": "x", "text": "x", "scope": "department",
                                       "department_id": SALES})
    assert r.status_code in (403, 404, 422), r.text
    assert "department" in r.json()["message"]


def test_visitor_cannot_touch_another_visitors_chat(srv, who):
    async def go() -> None:
        a = await visitor(srv)
        chat_a = await start_chat(a, SALES, "visitor A's secret")
        b = await visitor(srv)
        try:
            # frames carry no chat id: a spoofed one is refused, not used
            for frame in ({"op": "message", "client_msg_id": "m1", "text": "x",
                           "chat_id": chat_a},
                          {"op": "close", "chat_id": chat_a},
                          {"op": "typing", "typing": True, "visitor_id": a.visitor_id}):
                await b.ws.send(json.dumps(frame))
                err = await recv_json(b.ws)
                assert err["op"] == "error" and err["code"] == "validation_error", err
            # B has no open chat: a message is refused, nothing lands in A's chat
            await b.ws.send(json.dumps({"op": "message", "client_msg_id": "m2", "text": "x"}))
            err = await recv_json(b.ws)
            assert err["op"] == "error", err
            msgs = who("alice").get(f"/chats/{chat_a}/messages").json()["items"]
            assert [m["text"] for m in msgs] == ["visitor A's secret"]
            # B's own chat and history never include A's
            chat_b = await start_chat(b, TECH, "B here", client_msg_id="b-1")
            assert chat_b != chat_a
            # A's visitor id is not a credential; a made-up token is refused
            async with httpx.AsyncClient() as http:
                r = await http.post(srv.api("/visitor/session"),
                                    json={"visitor_token": a.visitor_id})
                assert r.json()["visitor_id"] != a.visitor_id
                # a visitor token is not an agent token
                r = await http.get(srv.api(f"/chats/{chat_a}"),
                                   headers={"Authorization": f"Bearer {a.token}"})
                assert r.status_code == 401
            import websockets

            async with websockets.connect(srv.ws_url("/visitor/ws")) as ws:
                await ws.send(json.dumps({"op": "hello", "visitor_token": a.visitor_id}))
                err = await recv_json(ws)
                assert err["op"] == "error" and err["code"] == "unauthorized"
            # the agent socket does not take a visitor token either
            ws, first = await agent_ws(srv, a.token)
            assert first["op"] == "error", first
            await ws.close()
        finally:
            await a.ws.close()
            await b.ws.close()

    asyncio.run(go())


def test_client_user_cannot_read_another_clients_ticket(srv):
    def basic(login: str) -> dict[str, str]:
        return {"Authorization": "Basic " + base64.b64encode(
            f"{login}:{CLIENT_PW}".encode()).decode()}

    ann = basic("ann")      # client 1 (Sales); ticket 2 belongs to client 2
    r = httpx.get(srv.api("/client/tickets"), headers=ann)
    assert r.status_code == 200, r.text
    assert {t["id"] for t in r.json()["items"]} == {1}
    r = httpx.get(srv.api("/client/tickets/2/posts"), headers=ann)
    assert r.status_code == 404, r.text
    r = httpx.post(srv.api("/client/tickets/2/posts"), headers=ann,
                   json={"text": "hi", "client_msg_id": "c-1"})
    assert r.status_code in (404, 422), r.text
    assert r.status_code != 422 or "client_msg_id" not in r.text

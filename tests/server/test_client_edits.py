"""Editing a client and its records through the real server, on SQLite and on PostgreSQL (skipped
only when PostgreSQL does not answer): every edit endpoint's success with its audit row and
event, each validation error naming the field, permission denials (no right; another
department), and version conflicts answering 409 with the current record."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select

from supportdesk_server.store import models as M
from supportdesk_server.store.db import create_engine, make_sessionmaker
from tests.server.helpers import (
    seeded_server,
    SALES,
    TECH,
    Agent,
    agent_ws,
    assert_error,
    recv_until,
)

# what seed_clients() creates, in id order on a fresh database
SALES_CLIENT, TECH_CLIENT = 1, 2


async def seed_clients(database_url: str) -> None:
    """Two clients (Sales, Tech), each with users, payments, services, expenses and projects;
    alice may edit payments and services, bob may not (admin may, as admin)."""
    engine = create_engine(database_url)
    try:
        sm = make_sessionmaker(engine)
        async with sm() as s:
            for agent in (await s.scalars(select(M.Agent))).all():
                agent.can_edit_payments = agent.can_edit_services = agent.login == "alice"
            for n, (name, dept) in enumerate([("Acme Ltd", SALES), ("Tech Corp", TECH)], 1):
                c = M.Client(name=name, email=f"billing@c{n}.example", phone="+1 555 0100",
                             project_name="Main", department_id=dept, balance=Decimal("10"),
                             currency="USD")
                s.add(c)
                await s.flush()
                for i in range(3):
                    s.add(M.ClientUser(client_id=c.id, login=f"c{n}user{i}",
                                       email=f"u{i}@c{n}.example", full_name=f"User {i}"))
                    s.add(M.Payment(client_id=c.id, number=f"P-{n}-{i}", amount=Decimal("20.00"),
                                    currency="USD", status="new", method="card"))
                    s.add(M.Service(client_id=c.id, name=f"Hosting {i}", type="hosting",
                                    domain=f"s{i}.c{n}.example", price=Decimal("5.00"),
                                    currency="USD", status="active",
                                    expires_at=datetime(2027, 1, 1, tzinfo=timezone.utc)))
                    s.add(M.Expense(client_id=c.id, description=f"Expense {i}",
                                    amount=Decimal("1.50"), currency="USD"))
                    s.add(M.Project(client_id=c.id, name=f"Project {i}", enabled=True))
            await s.commit()
    finally:
        await engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres",
                                                                marks=pytest.mark.postgres)])
def edit_server(request, tmp_path_factory):
    with seeded_server(tmp_path_factory.mktemp(f"edits-{request.param}"), request.param,
                       seed_clients) as srv:
        yield srv


@pytest.fixture(scope="module")
def who(edit_server):
    made: dict[str, Agent] = {}

    def get(login: str) -> Agent:
        if login not in made:
            made[login] = Agent(edit_server, login)
        return made[login]

    yield get
    for a in made.values():
        a.close()


def audit_rows(srv, entity: str, entity_id: int) -> list[M.AuditLog]:
    async def go():
        engine = create_engine(srv.database_url)
        try:
            async with make_sessionmaker(engine)() as s:
                return list((await s.scalars(
                    select(M.AuditLog).where(M.AuditLog.entity == entity,
                                             M.AuditLog.entity_id == str(entity_id))
                    .order_by(M.AuditLog.id))).all())
        finally:
            await engine.dispose()
    return asyncio.run(go())


def first(agent: Agent, client_id: int, kind: str, index: int = 0) -> dict:
    r = agent.get(f"/clients/{client_id}/{kind}", params={"limit": 500})
    assert r.status_code == 200, r.text
    return r.json()["items"][index]


def field_error(r, field: str) -> None:
    body = assert_error(r, 422, "validation_error")
    locs = [d["loc"] for d in body["details"]]
    assert [field] in locs or any(loc and loc[0] == field for loc in locs), body
    assert field in body["message"], body


# --- the agent carries its rights ---------------------------------------------------------------


def test_agent_schema_carries_edit_rights(who):
    me = {login: who(login).get("/me").json() for login in ("alice", "bob", "admin")}
    assert me["alice"]["can_edit_payments"] and me["alice"]["can_edit_services"]
    assert not me["bob"]["can_edit_payments"] and not me["bob"]["can_edit_services"]
    assert me["admin"]["can_edit_payments"] and me["admin"]["can_edit_services"]


# --- client name and phone ------------------------------------------------------------------------


def test_patch_client_changes_name_and_phone_with_audit_and_event(edit_server, who):
    alice, bob = who("alice"), who("bob")
    before = bob.get(f"/clients/{SALES_CLIENT}").json()

    async def scenario():
        ws, ready = await agent_ws(edit_server, bob.token)
        assert ready["op"] == "ready"
        r = await asyncio.to_thread(alice.patch, f"/clients/{SALES_CLIENT}",
                                    {"version": before["version"], "name": "  Acme Group  ",
                                     "phone": "+44 (20) 7946-0000"})
        assert r.status_code == 200, r.text
        frame, _ = await recv_until(ws, lambda f: f.get("type") == "client.updated"
                                    and f["data"]["entity"] == "client")
        await ws.close()
        return r.json(), frame["data"]

    got, event = asyncio.run(scenario())
    assert got["name"] == "Acme Group" and got["phone"] == "+44 (20) 7946-0000"
    assert got["version"] == before["version"] + 1
    assert event["client_id"] == SALES_CLIENT and event["version"] == got["version"]
    assert event["record"]["name"] == "Acme Group" and event["by_agent_id"] == alice.id
    rows = audit_rows(edit_server, "clients", SALES_CLIENT)
    last = rows[-1]
    assert last.action == "client.update" and last.agent_id == alice.id
    assert last.changes["name"] == [before["name"], "Acme Group"]
    assert last.changes["phone"] == [before["phone"], "+44 (20) 7946-0000"]
    assert last.at is not None
    # nothing changed: no version bump, no audit row
    r = alice.patch(f"/clients/{SALES_CLIENT}", {"version": got["version"], "name": "Acme Group"})
    assert r.status_code == 200 and r.json()["version"] == got["version"]
    assert len(audit_rows(edit_server, "clients", SALES_CLIENT)) == len(rows)


@pytest.mark.parametrize("body,field", [
    ({"name": "   "}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"phone": "call me <b>"}, "phone"),
    ({"phone": "1" * 65}, "phone"),
    ({"email": "a@b.example"}, "email"),            # not editable here: unknown field
    ({"name": "Ok", "version": 0}, "version"),
    ({"name": "Ok", "version": None}, "version"),
])
def test_patch_client_validation(who, body, field):
    alice = who("alice")
    version = alice.get(f"/clients/{SALES_CLIENT}").json()["version"]
    r = alice.patch(f"/clients/{SALES_CLIENT}", {"version": version} | body)
    field_error(r, field)


def test_patch_client_version_is_required(who):
    r = who("alice").patch(f"/clients/{SALES_CLIENT}", {"name": "No version"})
    field_error(r, "version")


def test_client_of_another_department_is_not_found(who):
    carol = who("carol")    # Tech only
    version = who("admin").get(f"/clients/{SALES_CLIENT}").json()["version"]
    r = carol.patch(f"/clients/{SALES_CLIENT}", {"version": version, "name": "Hijack"})
    assert_error(r, 404, "not_found")
    user = first(who("admin"), SALES_CLIENT, "users")
    r = carol.patch(f"/clients/{SALES_CLIENT}/users/{user['id']}",
                    {"version": user["version"], "enabled": False})
    assert_error(r, 404, "not_found")
    r = carol.post(f"/clients/{SALES_CLIENT}/users", {"login": "sneaky", "email": "s@x.example"})
    assert_error(r, 404, "not_found")
    project = first(who("admin"), SALES_CLIENT, "projects")
    r = carol.patch(f"/clients/{SALES_CLIENT}/projects/{project['id']}",
                    {"version": project["version"], "enabled": False})
    assert_error(r, 404, "not_found")
    # a record id of another client under a visible client is not found either
    tech_user = first(who("admin"), TECH_CLIENT, "users")
    r = who("alice").patch(f"/clients/{SALES_CLIENT}/users/{tech_user['id']}",
                           {"version": tech_user["version"], "enabled": False})
    assert_error(r, 404, "not_found")
    assert who("admin").get(f"/clients/{SALES_CLIENT}").json()["name"] != "Hijack"


def test_client_version_conflict_answers_the_current_record(who):
    alice, bob = who("alice"), who("bob")
    seen = alice.get(f"/clients/{SALES_CLIENT}").json()
    r = bob.patch(f"/clients/{SALES_CLIENT}", {"version": seen["version"], "phone": "+1 111"})
    assert r.status_code == 200
    r = alice.patch(f"/clients/{SALES_CLIENT}", {"version": seen["version"], "phone": "+1 222"})
    body = assert_error(r, 409, "version_conflict")
    current = body["details"]["current"]
    assert current["phone"] == "+1 111" and current["version"] == seen["version"] + 1
    assert current["id"] == SALES_CLIENT and "name" in current
    # overwrite with mine: send again with the current version
    r = alice.patch(f"/clients/{SALES_CLIENT}", {"version": current["version"], "phone": "+1 222"})
    assert r.status_code == 200 and r.json()["phone"] == "+1 222"


# --- login users ------------------------------------------------------------------------------------


def test_add_edit_disable_enable_user(edit_server, who):
    bob = who("bob")   # no billing rights needed for users
    r = bob.post(f"/clients/{SALES_CLIENT}/users",
                 {"login": "new.user", "email": "new@c1.example", "full_name": "New User",
                  "password": "long-enough-pw"})
    assert r.status_code == 201, r.text
    user = r.json()
    assert user["enabled"] and user["version"] == 1 and user["client_id"] == SALES_CLIENT
    assert "password" not in user and "password_hash" not in user
    r = bob.patch(f"/clients/{SALES_CLIENT}/users/{user['id']}",
                  {"version": 1, "login": "renamed.user", "email": "renamed@c1.example",
                   "full_name": "Renamed", "password": "another-long-pw"})
    assert r.status_code == 200, r.text
    user = r.json()
    assert (user["login"], user["email"], user["full_name"], user["version"]) == (
        "renamed.user", "renamed@c1.example", "Renamed", 2)
    r = bob.patch(f"/clients/{SALES_CLIENT}/users/{user['id']}", {"version": 2, "enabled": False})
    assert r.status_code == 200 and r.json()["enabled"] is False
    r = bob.patch(f"/clients/{SALES_CLIENT}/users/{user['id']}", {"version": 3, "enabled": True})
    assert r.status_code == 200 and r.json()["enabled"] is True
    rows = audit_rows(edit_server, "client_users", user["id"])
    assert [row.action for row in rows] == ["user.create", "user.update", "user.disable",
                                            "user.enable"]
    assert all(row.agent_id == bob.id for row in rows)
    assert rows[1].changes["login"] == ["new.user", "renamed.user"]
    assert rows[1].changes["password"] == ["(changed)", "(changed)"]   # never the hash
    assert "argon2" not in str([row.changes for row in rows])
    assert rows[2].changes == {"enabled": [True, False]}


@pytest.mark.parametrize("body,field", [
    ({"login": "", "email": "a@b.example"}, "login"),
    ({"login": "has space", "email": "a@b.example"}, "login"),
    ({"login": "c1user0", "email": "a@b.example"}, "login"),          # taken
    ({"login": "C1USER1", "email": "a@b.example"}, "login"),          # taken, other case
    ({"login": "fresh1", "email": "not-an-email"}, "email"),
    ({"login": "fresh2"}, "email"),
    ({"login": "fresh3", "email": "a@b.example", "password": "short"}, "password"),
    ({"login": "fresh4", "email": "a@b.example", "full_name": "x" * 201}, "full_name"),
    ({"login": "fresh5", "email": "a@b.example", "enabled": False}, "enabled"),   # not on create
])
def test_create_user_validation(who, body, field):
    field_error(who("alice").post(f"/clients/{SALES_CLIENT}/users", body), field)


@pytest.mark.parametrize("body,field", [
    ({"login": "c1user2"}, "login"),
    ({"email": "x@"}, "email"),
    ({"password": "1234567"}, "password"),
    ({"enabled": "maybe"}, "enabled"),
    ({"full_name": "x" * 201}, "full_name"),
])
def test_patch_user_validation(who, body, field):
    alice = who("alice")
    user = first(alice, SALES_CLIENT, "users", 1)
    field_error(alice.patch(f"/clients/{SALES_CLIENT}/users/{user['id']}",
                            {"version": user["version"]} | body), field)


def test_user_version_conflict(who):
    alice, bob = who("alice"), who("bob")
    user = first(alice, SALES_CLIENT, "users", 2)
    path = f"/clients/{SALES_CLIENT}/users/{user['id']}"
    assert bob.patch(path, {"version": user["version"], "full_name": "Bob's"}).status_code == 200
    body = assert_error(alice.patch(path, {"version": user["version"], "full_name": "Alice's"}),
                        409, "version_conflict")
    assert body["details"]["current"]["full_name"] == "Bob's"
    assert body["details"]["current"]["version"] == user["version"] + 1


# --- payments ---------------------------------------------------------------------------------------


def test_patch_payment_with_audit_and_paid_at(edit_server, who):
    alice = who("alice")
    pay = first(alice, SALES_CLIENT, "payments", 0)
    r = alice.patch(f"/clients/{SALES_CLIENT}/payments/{pay['id']}",
                    {"version": pay["version"], "status": "paid", "amount": "25.50",
                     "note": "paid by phone"})
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["status"] == "paid" and Decimal(got["amount"]) == Decimal("25.50")
    assert got["note"] == "paid by phone" and got["paid_at"] is not None
    assert got["version"] == pay["version"] + 1
    row = audit_rows(edit_server, "payments", pay["id"])[-1]
    assert row.action == "payment.update" and row.agent_id == alice.id
    assert row.changes["amount"] == ["20.00", "25.50"]
    assert row.changes["status"] == ["new", "paid"]
    # the list shows it
    again = [p for p in alice.get(f"/clients/{SALES_CLIENT}/payments").json()["items"]
             if p["id"] == pay["id"]][0]
    assert again["note"] == "paid by phone"


@pytest.mark.parametrize("body,field", [
    ({"amount": "-1"}, "amount"),
    ({"amount": "1.234"}, "amount"),
    ({"amount": "lots"}, "amount"),
    ({"amount": "1e20"}, "amount"),
    ({"status": "stolen"}, "status"),
    ({"note": "x" * 2001}, "note"),
    ({"number": "P-X"}, "number"),     # not editable
])
def test_patch_payment_validation(who, body, field):
    alice = who("alice")
    pay = first(alice, SALES_CLIENT, "payments", 1)
    field_error(alice.patch(f"/clients/{SALES_CLIENT}/payments/{pay['id']}",
                            {"version": pay["version"]} | body), field)


def test_payments_need_the_right(who):
    bob, carol = who("bob"), who("carol")
    pay = first(bob, SALES_CLIENT, "payments", 1)
    path = f"/clients/{SALES_CLIENT}/payments/{pay['id']}"
    body = assert_error(bob.patch(path, {"version": pay["version"], "note": "x"}), 403,
                        "forbidden")
    assert "payments" in body["message"]
    assert_error(carol.patch(path, {"version": pay["version"], "note": "x"}), 404, "not_found")
    r = who("admin").patch(path, {"version": pay["version"], "note": "by admin"})
    assert r.status_code == 200 and r.json()["note"] == "by admin"


def test_payment_version_conflict(who):
    alice, admin = who("alice"), who("admin")
    pay = first(alice, SALES_CLIENT, "payments", 2)
    path = f"/clients/{SALES_CLIENT}/payments/{pay['id']}"
    assert admin.patch(path, {"version": pay["version"], "amount": "30"}).status_code == 200
    body = assert_error(alice.patch(path, {"version": pay["version"], "amount": "40"}), 409,
                        "version_conflict")
    assert Decimal(body["details"]["current"]["amount"]) == Decimal("30")


# --- services ---------------------------------------------------------------------------------------


def test_patch_and_delete_service(edit_server, who):
    alice = who("alice")
    svc = first(alice, SALES_CLIENT, "services", 0)
    path = f"/clients/{SALES_CLIENT}/services/{svc['id']}"
    r = alice.patch(path, {"version": svc["version"], "name": "Hosting Pro", "price": "9.99",
                           "status": "suspended", "expires_at": "2028-02-03T00:00:00Z"})
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["name"], got["status"]) == ("Hosting Pro", "suspended")
    assert Decimal(got["price"]) == Decimal("9.99")
    assert got["expires_at"].startswith("2028-02-03")
    r = alice.patch(path, {"version": got["version"], "expires_at": None})
    assert r.status_code == 200 and r.json()["expires_at"] is None
    version = r.json()["version"]
    # delete with a stale version: conflict, nothing deleted
    body = assert_error(alice.http.delete(path, params={"version": version - 1}), 409,
                        "version_conflict")
    assert body["details"]["current"]["name"] == "Hosting Pro"
    assert_error(alice.http.delete(path), 422, "validation_error")     # version required
    r = alice.http.delete(path, params={"version": version})
    assert r.status_code == 204
    ids = [s["id"] for s in alice.get(f"/clients/{SALES_CLIENT}/services").json()["items"]]
    assert svc["id"] not in ids
    assert_error(alice.http.delete(path, params={"version": version}), 404, "not_found")
    rows = audit_rows(edit_server, "services", svc["id"])
    assert [row.action for row in rows] == ["service.update", "service.update", "service.delete"]
    assert rows[-1].changes["name"] == ["Hosting Pro", None]


@pytest.mark.parametrize("body,field", [
    ({"name": ""}, "name"),
    ({"price": "-0.01"}, "price"),
    ({"price": "abc"}, "price"),
    ({"status": "exploded"}, "status"),
    ({"expires_at": "next tuesday"}, "expires_at"),
    ({"domain": "evil.example"}, "domain"),     # not editable
])
def test_patch_service_validation(who, body, field):
    alice = who("alice")
    svc = first(alice, SALES_CLIENT, "services", 1)
    field_error(alice.patch(f"/clients/{SALES_CLIENT}/services/{svc['id']}",
                            {"version": svc["version"]} | body), field)


def test_services_need_the_right(who):
    bob, carol = who("bob"), who("carol")
    svc = first(bob, SALES_CLIENT, "services", 1)
    path = f"/clients/{SALES_CLIENT}/services/{svc['id']}"
    assert_error(bob.patch(path, {"version": svc["version"], "name": "x"}), 403, "forbidden")
    assert_error(bob.http.delete(path, params={"version": svc["version"]}), 403, "forbidden")
    assert_error(carol.patch(path, {"version": svc["version"], "name": "x"}), 404, "not_found")
    assert_error(carol.http.delete(path, params={"version": svc["version"]}), 404, "not_found")
    assert first(bob, SALES_CLIENT, "services", 1)["name"] == svc["name"]


def test_service_version_conflict(who):
    alice, admin = who("alice"), who("admin")
    svc = first(alice, SALES_CLIENT, "services", 1)
    path = f"/clients/{SALES_CLIENT}/services/{svc['id']}"
    when = (datetime.now(timezone.utc) + timedelta(days=400)).isoformat()
    assert admin.patch(path, {"version": svc["version"], "expires_at": when}).status_code == 200
    body = assert_error(alice.patch(path, {"version": svc["version"], "price": "1"}), 409,
                        "version_conflict")
    assert body["details"]["current"]["version"] == svc["version"] + 1


# --- projects ---------------------------------------------------------------------------------------


def test_project_enable_disable_with_audit_and_event(edit_server, who):
    bob, carol = who("bob"), who("carol")
    proj = first(bob, SALES_CLIENT, "projects", 0)
    path = f"/clients/{SALES_CLIENT}/projects/{proj['id']}"

    async def scenario():
        ws_bob, _ = await agent_ws(edit_server, bob.token)
        ws_carol, _ = await agent_ws(edit_server, carol.token)
        r = await asyncio.to_thread(who("alice").patch, path,
                                    {"version": proj["version"], "enabled": False})
        assert r.status_code == 200, r.text
        frame, _ = await recv_until(ws_bob, lambda f: f.get("type") == "client.updated"
                                    and f["data"]["entity"] == "project")
        # carol (Tech) does not see Sales clients' events: the next one she gets is the Tech
        # client's change made afterwards
        tech = await asyncio.to_thread(first, who("admin"), TECH_CLIENT, "projects")
        r = await asyncio.to_thread(who("admin").patch,
                                    f"/clients/{TECH_CLIENT}/projects/{tech['id']}",
                                    {"version": tech["version"], "enabled": False})
        assert r.status_code == 200
        got, before = await recv_until(ws_carol, lambda f: f.get("type") == "client.updated")
        await ws_bob.close()
        await ws_carol.close()
        return frame["data"], got["data"], before

    event, carol_event, carol_before = asyncio.run(scenario())
    assert event["entity_id"] == proj["id"] and event["record"]["enabled"] is False
    assert event["version"] == proj["version"] + 1 and not event["deleted"]
    assert carol_event["client_id"] == TECH_CLIENT
    assert not [f for f in carol_before if f.get("type") == "client.updated"]
    r = bob.patch(path, {"version": proj["version"] + 1, "enabled": True})
    assert r.status_code == 200 and r.json()["enabled"] is True
    rows = audit_rows(edit_server, "projects", proj["id"])
    assert [row.action for row in rows][-2:] == ["project.disable", "project.enable"]
    body = assert_error(bob.patch(path, {"version": proj["version"], "enabled": False}), 409,
                        "version_conflict")
    assert body["details"]["current"]["enabled"] is True


@pytest.mark.parametrize("body,field", [
    ({}, "enabled"),
    ({"enabled": "yes please"}, "enabled"),
    ({"enabled": True, "name": "Renamed"}, "name"),
])
def test_patch_project_validation(who, body, field):
    alice = who("alice")
    proj = first(alice, SALES_CLIENT, "projects", 1)
    field_error(alice.patch(f"/clients/{SALES_CLIENT}/projects/{proj['id']}",
                            {"version": proj["version"]} | body), field)


def test_unknown_records_are_not_found(who):
    alice = who("alice")
    for path in ("payments", "services", "users", "projects"):
        r = alice.patch(f"/clients/{SALES_CLIENT}/{path}/999999", {"version": 1, "enabled": True}
                        if path in ("users", "projects") else {"version": 1})
        assert_error(r, 404, "not_found")
    assert_error(alice.patch("/clients/999999", {"version": 1}), 404, "not_found")

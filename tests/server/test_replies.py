"""Pre-defined replies: create / edit / delete, who sees what, who may change what, validation."""

from __future__ import annotations

import asyncio
import json

import websockets

from tests.server.helpers import SALES, TECH, assert_error, recv_until


def titles(agent, **params) -> set[str]:
    r = agent.get("/replies", params={"limit": 500, **params})
    assert r.status_code == 200, r.text
    return {x["title"] for x in r.json()["items"]}


def make(agent, title, **body):
    r = agent.post("/replies", {"title": title, "text": f"{title} text", **body})
    assert r.status_code == 201, r.text
    return r.json()


def test_department_reply_seen_by_the_department_only(agents):
    alice, bob, carol = agents("alice"), agents("bob"), agents("carol")
    reply = make(alice, "Alice dept", scope="department", department_id=SALES)
    assert reply["owner_id"] == alice.id and reply["version"] == 1 and not reply["chat_only"]
    assert "Alice dept" in titles(bob)                 # same department
    assert "Alice dept" not in titles(carol)           # another department


def test_personal_reply_seen_by_its_author_only(agents):
    alice, bob = agents("alice"), agents("bob")
    make(alice, "Alice own", scope="personal")
    assert "Alice own" in titles(alice)
    assert "Alice own" not in titles(bob)


def test_chat_only_hidden_from_tickets(agents):
    alice, bob = agents("alice"), agents("bob")
    make(alice, "Chat hello", scope="department", department_id=SALES, chat_only=True)
    assert "Chat hello" in titles(bob, context="chat")
    assert "Chat hello" in titles(bob)
    assert "Chat hello" not in titles(bob, context="ticket")


def test_validation(agents):
    alice = agents("alice")
    body = assert_error(alice.post("/replies", {"title": "x", "text": "y", "scope": "department"}),
                        422, "validation_error")
    assert body["details"][0]["loc"] == ["department_id"]
    body = assert_error(alice.post("/replies", {"title": "x", "text": "y", "scope": "department",
                                                "department_id": TECH}), 422, "validation_error")
    assert "your departments" in body["message"]
    assert_error(alice.post("/replies", {"title": "x", "text": "y", "scope": "personal",
                                         "department_id": SALES}), 422, "validation_error")
    assert_error(alice.post("/replies", {"title": "", "text": "y"}), 422, "validation_error")
    assert_error(alice.post("/replies", {"title": "x", "text": ""}), 422, "validation_error")
    assert_error(alice.post("/replies", {"title": "x" * 201, "text": "y"}), 422,
                 "validation_error")
    assert_error(alice.post("/replies", {"title": "x", "text": "y", "scope": "team"}), 422,
                 "validation_error")
    assert_error(alice.post("/replies", {"title": "x", "text": "y", "owner_id": 1}), 422,
                 "validation_error")


def test_edit_permissions_and_version(agents):
    carol, dave, alice = agents("carol"), agents("dave"), agents("alice")
    reply = make(carol, "Carol tech", scope="department", department_id=TECH)
    rid = reply["id"]
    assert_error(alice.patch(f"/replies/{rid}", {"version": 1, "title": "no"}), 404, "not_found")
    r = carol.patch(f"/replies/{rid}", {"version": 1, "text": "Reboot first"})
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2 and r.json()["text"] == "Reboot first"
    # the department head may edit a colleague's department reply
    r = dave.patch(f"/replies/{rid}", {"version": 2, "title": "Reboot"})
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 3
    # a stale version is a conflict
    assert_error(carol.patch(f"/replies/{rid}", {"version": 2, "title": "stale"}), 409,
                 "version_conflict")
    # an agent may not edit a colleague's department reply
    other = make(dave, "Dave tech", scope="department", department_id=TECH)
    assert_error(carol.patch(f"/replies/{other['id']}", {"version": 1, "title": "x"}), 403,
                 "forbidden")
    assert_error(carol.http.delete(f"/replies/{other['id']}"), 403, "forbidden")


def test_delete(agents):
    alice, bob = agents("alice"), agents("bob")
    reply = make(alice, "To delete", scope="department", department_id=SALES)
    assert_error(bob.http.delete(f"/replies/{reply['id']}"), 403, "forbidden")
    r = alice.http.delete(f"/replies/{reply['id']}")
    assert r.status_code == 204, r.text
    assert "To delete" not in titles(bob)
    assert_error(alice.http.delete(f"/replies/{reply['id']}"), 404, "not_found")


def test_reply_changed_event_reaches_the_department(basic_server, agents):
    alice, bob = agents("alice"), agents("bob")

    async def scenario():
        async with websockets.connect(basic_server.ws_url("/agent/ws")) as ws:
            await ws.send(json.dumps({"op": "auth", "token": bob.token, "resume_after": None}))
            await recv_until(ws, lambda f: f.get("op") == "ready")
            reply = await asyncio.to_thread(make, alice, "Evented", scope="department",
                                            department_id=SALES)
            frame, _ = await recv_until(ws, lambda f: f.get("type") == "reply.changed")
            assert frame["data"] == {"reply_id": reply["id"], "deleted": False}

    asyncio.run(scenario())

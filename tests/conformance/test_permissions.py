"""Permissions across departments (docs/protocol.md "Authentication", Visibility): an id the
agent may not see is a 404, never a leak; a colleague's chat is visible but not writable (403);
events reach only the agents who may see them."""

from __future__ import annotations

import pytest

from tests.conformance.wire import Visitor, agent_socket, assert_error, event, http, recv_until


async def test_a_chat_of_another_department_is_404_on_every_endpoint(target, cast):
    v = await Visitor.open(target)
    chat_id, _ = await v.start(cast.shared, "Not for the other department")
    calls = [
        ("GET", f"/chats/{chat_id}", None),
        ("GET", f"/chats/{chat_id}/messages", None),
        ("GET", f"/chats/{chat_id}/events", None),
        ("GET", f"/chats/{chat_id}/history", None),
        ("POST", f"/chats/{chat_id}/take", None),
        ("POST", f"/chats/{chat_id}/release", None),
        ("POST", f"/chats/{chat_id}/messages", {"client_msg_id": "x-1", "text": "hi"}),
        ("POST", f"/chats/{chat_id}/typing", {"typing": True}),
        ("PATCH", f"/chats/{chat_id}", {"name": "mine now"}),
        ("POST", f"/chats/{chat_id}/close", {}),
        ("POST", f"/chats/{chat_id}/forward", {"department_id": cast.other, "comment": ""}),
        ("POST", f"/chats/{chat_id}/auth-request", {"kind": "login"}),
    ]
    async with http(target, cast.c.token) as c, http(target, cast.admin.token) as admin:
        for method, path, body in calls:
            assert_error(await c.request(method, path, json=body), 404, "not_found")
        for state in ("waiting", None):
            params = {"state": state} if state else {}
            listed = (await c.get("/chats", params=params | {"limit": 500})).json()["items"]
            assert chat_id not in [x["id"] for x in listed]
        r = await admin.get(f"/chats/{chat_id}")
        assert r.status_code == 200 and r.json()["department_id"] == cast.shared, r.text
    await v.close()


async def test_a_colleagues_active_chat_is_readable_but_not_writable(target, cast):
    v = await Visitor.open(target)
    chat_id, _ = await v.start(cast.shared, "Whose chat is it?")
    async with http(target, cast.a.token) as a, http(target, cast.b.token) as b, \
            http(target, cast.admin.token) as admin:
        assert (await a.post(f"/chats/{chat_id}/take")).status_code == 200
        assert (await b.get(f"/chats/{chat_id}")).status_code == 200
        assert (await b.get(f"/chats/{chat_id}/messages")).status_code == 200
        for method, path, body in [
            ("POST", f"/chats/{chat_id}/messages", {"client_msg_id": "b-1", "text": "mine"}),
            ("POST", f"/chats/{chat_id}/release", None),
            ("POST", f"/chats/{chat_id}/close", {}),
            ("POST", f"/chats/{chat_id}/forward", {"department_id": cast.other, "comment": ""}),
        ]:
            assert_error(await b.request(method, path, json=body), 403, "forbidden")
        assert_error(await b.post(f"/chats/{chat_id}/take"), 409, "already_taken")
        r = await admin.post(f"/chats/{chat_id}/close", json={})     # admins may close it
        assert r.status_code == 200 and r.json()["state"] == "closed", r.text
    frame, _ = await recv_until(v.ws, lambda f: f["op"] == "chat"
                                and f["chat"]["state"] == "closed")
    assert frame["chat"]["id"] == chat_id
    await v.close()


async def test_events_of_another_department_do_not_reach_the_agent(target, cast):
    ws, _ = await agent_socket(target, cast.c.token)
    hidden = await Visitor.open(target)
    shown = await Visitor.open(target)
    try:
        hidden_id, _ = await hidden.start(cast.shared, "You cannot see me")
        shown_id, _ = await shown.start(cast.other, "You can see me")
        # events come in seq order, and the hidden chat's came first: none of them may precede
        _, before = await recv_until(ws, event("chat.created", shown_id))
        leaked = [f for f in before if f["op"] == "event" and (
            event(f["type"], hidden_id)(f))]
        assert not leaked, leaked
    finally:
        await hidden.close()
        await shown.close()
        await ws.close()


async def test_a_ticket_of_another_department_is_404(target, cast):
    async with http(target, cast.admin.token) as admin:
        r = await admin.get("/tickets", params={"department_id": cast.other, "limit": 50})
        assert r.status_code == 200, r.text
    tickets = [t for t in r.json()["items"] if t["assignee_id"] not in (cast.a.id,)]
    if not tickets:
        pytest.skip("the data set has no ticket in the other department")
    ticket = tickets[0]
    tid = ticket["id"]
    async with http(target, cast.a.token) as a, http(target, cast.c.token) as c:
        for method, path, body in [
            ("GET", f"/tickets/{tid}", None),
            ("GET", f"/tickets/{tid}/posts", None),
            ("PATCH", f"/tickets/{tid}", {"version": ticket["version"], "priority": "low"}),
            ("POST", f"/tickets/{tid}/posts", {"kind": "note", "text": "x",
                                                "client_msg_id": "perm-1"}),
        ]:
            assert_error(await a.request(method, path, json=body), 404, "not_found")
        listed = (await a.get("/tickets", params={"limit": 500})).json()["items"]
        assert tid not in [t["id"] for t in listed]
        assert (await c.get(f"/tickets/{tid}")).status_code == 200

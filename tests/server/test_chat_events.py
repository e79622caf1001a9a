"""``GET /chats/{id}/events``: a chat's events (taken, released, forwarded, returned, closed) read
from the audit log, each placed after the newest message written before it; the conversation
itself (messages, seq, what the visitor gets) is not touched by them."""

from __future__ import annotations

import asyncio
import json

from tests.server.helpers import (
    SALES,
    TECH,
    Agent,
    agent_ws,
    assert_error,
    is_event,
    recv_until,
    start_chat,
    visitor,
)


def test_events_say_who_did_what_where_and_after_which_message(fresh_server):
    srv = fresh_server
    alice, carol, bob = Agent(srv, "alice"), Agent(srv, "carol"), Agent(srv, "bob")

    async def scenario() -> int:
        v = await visitor(srv)
        chat_id = await start_chat(v, SALES, "my server is down")            # seq 1
        assert (await asyncio.to_thread(alice.post, f"/chats/{chat_id}/take")).status_code == 200
        r = await asyncio.to_thread(alice.post, f"/chats/{chat_id}/messages",
                                    {"client_msg_id": "a-1", "text": "Let me forward you"})
        assert r.status_code == 201                                            # seq 2
        await asyncio.to_thread(carol.online)
        ws_alice, _ = await agent_ws(srv, alice.token)
        r = await asyncio.to_thread(alice.post, f"/chats/{chat_id}/forward",
                                    {"department_id": TECH, "comment": "disk full?"})
        assert r.status_code == 200, r.text
        await recv_until(ws_alice, is_event("chat.forward_returned", id=chat_id), timeout=15)
        assert (await asyncio.to_thread(bob.post, f"/chats/{chat_id}/take")).status_code == 200
        await v.ws.send(json.dumps({"op": "message", "client_msg_id": "v-2", "text": "still?"}))
        await recv_until(v.ws, lambda f: f["op"] == "ack")                     # seq 3
        await v.ws.send(json.dumps({"op": "close"}))
        await recv_until(v.ws, lambda f: f["op"] == "chat" and f["chat"]["state"] == "closed")
        await ws_alice.close()
        await v.ws.close()
        return chat_id

    chat_id = asyncio.run(scenario())
    r = alice.get(f"/chats/{chat_id}/events")
    assert r.status_code == 200, r.text
    events = r.json()["items"]
    assert [e["kind"] for e in events] == ["joined", "forwarded", "returned", "joined", "closed"]
    joined, forwarded, returned, joined_again, closed = events
    assert joined["agent_name"] == "Alice" and joined["after_seq"] == 1
    assert forwarded["agent_name"] == "Alice" and forwarded["department_id"] == TECH
    assert forwarded["department_name"] == "Tech" and forwarded["comment"] == "disk full?"
    assert forwarded["after_seq"] == 2
    assert returned["agent_name"] == "" and returned["department_name"] == "Sales"
    assert returned["department_id"] == SALES and returned["after_seq"] == 2
    assert joined_again["agent_name"] == "Bob" and joined_again["after_seq"] == 2
    assert closed["by_visitor"] and closed["agent_name"] == "" and closed["after_seq"] == 3
    assert all(e["chat_id"] == chat_id and e["at"] for e in events)
    ats = [e["at"] for e in events]
    assert ats == sorted(ats)
    # the conversation is untouched (what the visitor is replayed too): three messages, no
    # system line among them
    messages = alice.get(f"/chats/{chat_id}/messages").json()["items"]
    assert [(m["seq"], m["author_kind"]) for m in messages] == [
        (1, "visitor"), (2, "agent"), (3, "visitor")]
    # who may not see the chat may not see its events either
    assert_error(carol.get(f"/chats/{chat_id}/events"), 404, "not_found")
    assert_error(alice.get("/chats/999999/events"), 404, "not_found")
    for a in (alice, carol, bob):
        a.close()


def test_a_chat_closed_by_an_agent_names_the_agent(fresh_server):
    srv = fresh_server
    alice = Agent(srv, "alice")

    async def scenario() -> int:
        v = await visitor(srv)
        chat_id = await start_chat(v, SALES, "hello")
        await v.ws.close()
        return chat_id

    chat_id = asyncio.run(scenario())
    assert alice.get(f"/chats/{chat_id}/events").json() == {"items": []}
    alice.post(f"/chats/{chat_id}/take")
    alice.post(f"/chats/{chat_id}/release")
    alice.post(f"/chats/{chat_id}/take")
    alice.post(f"/chats/{chat_id}/close")
    events = alice.get(f"/chats/{chat_id}/events").json()["items"]
    assert [(e["kind"], e["agent_name"], e["by_visitor"]) for e in events] == [
        ("joined", "Alice", False), ("released", "Alice", False), ("joined", "Alice", False),
        ("closed", "Alice", False)]
    alice.close()

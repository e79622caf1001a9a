"""A whole conversation between a visitor and an agent, as both sides see it: take, messages both
ways, typing both ways, paging the history, close (docs/protocol.md "Chats", "Visitor side")."""

from __future__ import annotations

import json

from tests.conformance.wire import Visitor, agent_socket, event, http, recv_until


async def test_a_conversation_seen_from_both_sides(target, cast):
    ws, _ = await agent_socket(target, cast.a.token)
    v = await Visitor.open(target)
    try:
        chat_id, _ = await v.start(cast.shared, "Hello, anyone there?", name="Ann")
        async with http(target, cast.a.token) as a:
            r = await a.post(f"/chats/{chat_id}/take")
            assert r.status_code == 200, r.text
            frame, _ = await recv_until(v.ws, lambda f: f["op"] == "chat"
                                        and f["chat"]["state"] == "active")
            assert frame["chat"]["id"] == chat_id
            assert frame["chat"]["agent_name"] == cast.a.agent["display_name"]
            updated, _ = await recv_until(ws, lambda f: event("chat.updated", chat_id)(f)
                                          and f["data"]["state"] == "active")
            assert updated["data"]["assignee_id"] == cast.a.id

            # agent -> visitor
            r = await a.post(f"/chats/{chat_id}/typing", json={"typing": True})
            assert r.status_code == 204, r.text
            typing, _ = await recv_until(v.ws, lambda f: f["op"] == "typing")
            assert typing["typing"] is True
            r = await a.post(f"/chats/{chat_id}/messages",
                             json={"client_msg_id": "a-1", "text": "Yes, how can I help?"})
            assert r.status_code == 201, r.text
            sent = r.json()
            got, _ = await recv_until(v.ws, lambda f: f["op"] == "message")
            assert (got["message"]["seq"], got["message"]["text"], got["message"]["author_kind"]
                    ) == (sent["seq"], "Yes, how can I help?", "agent")

            # visitor -> agent
            await v.ws.send(json.dumps({"op": "typing", "typing": True}))
            seen, _ = await recv_until(ws, lambda f: event("chat.typing", chat_id)(f)
                                       and f["data"]["author_kind"] == "visitor")
            assert seen["data"]["typing"] is True
            for i in range(3, 8):
                await v.say(f"line {i}", f"v-{i}")
            last, _ = await recv_until(ws, lambda f: event("chat.message", chat_id)(f)
                                       and f["data"]["message"]["text"] == "line 7")
            assert last["data"]["chat"]["message_count"] == 7
            assert last["data"]["message"]["author_kind"] == "visitor"

            # paging the history: newest page first, then older with before_seq
            page = (await a.get(f"/chats/{chat_id}/messages", params={"limit": 3})).json()
            assert [m["seq"] for m in page["items"]] == [5, 6, 7] and page["has_more"] is True
            older = (await a.get(f"/chats/{chat_id}/messages",
                                 params={"limit": 10, "before_seq": 5})).json()
            assert [m["seq"] for m in older["items"]] == [1, 2, 3, 4]
            assert older["has_more"] is False
            assert older["items"][0]["text"] == "Hello, anyone there?"

            r = await a.post(f"/chats/{chat_id}/close", json={"reason": "solved"})
            assert r.status_code == 200 and r.json()["state"] == "closed", r.text
            closed, _ = await recv_until(v.ws, lambda f: f["op"] == "chat"
                                         and f["chat"]["state"] == "closed")
            assert closed["chat"]["id"] == chat_id
            mine = (await a.get("/chats", params={"state": "closed", "mine": "true"})).json()
            assert {"items", "total", "offset", "limit"} <= set(mine)
    finally:
        await v.close()
        await ws.close()

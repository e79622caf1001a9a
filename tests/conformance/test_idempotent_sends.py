"""Sends are de-duplicated by client_msg_id, over REST and on the visitor socket: a resend is
answered again with the stored message and never stored or delivered twice."""

from __future__ import annotations

import json

from tests.conformance.wire import Visitor, agent_socket, event, http, recv, recv_until


async def _frames_until_pong(ws, nonce: str):
    await ws.send(json.dumps({"op": "ping", "nonce": nonce}))
    frames = []
    while (frame := await recv(ws))["op"] != "pong":
        frames.append(frame)
    return frames


async def test_rest_send_twice_stores_once(target, cast):
    v = await Visitor.open(target)
    chat_id, _ = await v.start(cast.shared, "REST resend, please")
    async with http(target, cast.a.token) as a:
        assert (await a.post(f"/chats/{chat_id}/take")).status_code == 200
        body = {"client_msg_id": "agent-dup-1", "text": "Only once"}
        first = await a.post(f"/chats/{chat_id}/messages", json=body)
        assert first.status_code == 201, first.text
        frame, _ = await recv_until(v.ws, lambda f: f["op"] == "message"
                                    and f["message"]["text"] == "Only once")
        again = await a.post(f"/chats/{chat_id}/messages", json=body)
        assert again.status_code == 200, again.text
        assert again.json()["id"] == first.json()["id"]
        assert again.json()["seq"] == first.json()["seq"]
        # the visitor got it once: nothing more before the pong
        later = await _frames_until_pong(v.ws, "dup")
        assert not [f for f in later if f["op"] == "message"], later
        items = (await a.get(f"/chats/{chat_id}/messages")).json()["items"]
        assert [m["text"] for m in items].count("Only once") == 1
    await v.close()


async def test_visitor_send_twice_is_acked_twice_and_stored_once(target, cast):
    ws, _ = await agent_socket(target, cast.b.token)
    v = await Visitor.open(target)
    try:
        chat_id, _ = await v.start(cast.shared, "socket resend")
        first = await v.say("Sent twice", "visitor-dup-1")
        await recv_until(ws, lambda f: event("chat.message", chat_id)(f)
                         and f["data"]["message"]["text"] == "Sent twice")
        second = await v.say("Sent twice", "visitor-dup-1")
        assert second["message"] == first["message"]
        later = await _frames_until_pong(ws, "agent-dup")
        assert not [f for f in later if event("chat.message", chat_id)(f)], later
        async with http(target, cast.b.token) as b:
            items = (await b.get(f"/chats/{chat_id}/messages")).json()["items"]
        assert [m["text"] for m in items].count("Sent twice") == 1
    finally:
        await v.close()
        await ws.close()

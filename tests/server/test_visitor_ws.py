"""The visitor socket: hello/welcome/history, start, messages with ack and de-duplication,
typing, page updates reaching the agent, close, validation, isolation between visitors."""

from __future__ import annotations

import asyncio
import json

import pytest
import websockets

from tests.server.helpers import (
    SALES,
    agent_ws,
    is_event,
    recv_json,
    recv_until,
    start_chat,
    visitor,
)


async def expect_close(ws, code: int) -> None:
    with pytest.raises(websockets.ConnectionClosed) as closed:
        while True:
            await recv_json(ws)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == code


def test_visitor_flow_reaches_agent(basic_server, agents):
    alice = agents("alice")

    async def scenario() -> None:
        ws, ready = await agent_ws(basic_server, alice.token)
        v = await visitor(basic_server, page_url="https://host.example/")
        assert v.welcome["chat"] is None
        assert [d["name"] for d in v.welcome["departments"]] == ["Sales", "Tech", "Billing"]
        await v.ws.send(json.dumps({"op": "start", "department_id": SALES, "name": "Ann",
                                    "text": "Hello there", "client_msg_id": "v-1"}))
        chat_frame = await recv_json(v.ws)
        assert chat_frame["op"] == "chat" and chat_frame["chat"]["state"] == "waiting"
        assert chat_frame["chat"]["department_name"] == "Sales"
        ack = await recv_json(v.ws)
        assert ack["op"] == "ack" and ack["client_msg_id"] == "v-1"
        assert ack["message"]["seq"] == 1 and ack["message"]["author_kind"] == "visitor"
        chat_id = chat_frame["chat"]["id"]

        created, _ = await recv_until(ws, is_event("chat.created", id=chat_id))
        chat = created["data"]
        assert chat["visitor_name"] == "Ann" and chat["visitor_id"] == v.visitor_id
        assert chat["visitor"]["page_url"] == "https://host.example/"
        assert chat["visitor"]["referrer"] == "https://search.example/"
        assert chat["visitor"]["user_agent"] == "TestBrowser/1.0"
        assert chat["visitor"]["timezone_offset_minutes"] == -60
        message, _ = await recv_until(ws, is_event("chat.message", id=chat_id))
        assert message["data"]["message"]["text"] == "Hello there"

        # page change -> chat.updated with the new URL, live
        await v.ws.send(json.dumps({"op": "page", "url": "https://host.example/pricing",
                                    "title": "Pricing"}))
        upd, _ = await recv_until(ws, is_event("chat.updated", id=chat_id))
        assert upd["data"]["visitor"]["page_url"] == "https://host.example/pricing"
        assert upd["data"]["visitor"]["page_title"] == "Pricing"

        await v.ws.send(json.dumps({"op": "typing", "typing": True}))
        typing, _ = await recv_until(ws, is_event("chat.typing", chat_id=chat_id))
        assert typing["data"]["author_kind"] == "visitor" and typing["data"]["typing"] is True

        # a message, then the same client_msg_id again: acked twice, stored once
        for _ in range(2):
            await v.ws.send(json.dumps({"op": "message", "client_msg_id": "v-2",
                                        "text": "Are you there?"}))
            ack, _ = await recv_until(v.ws, lambda f: f["op"] == "ack")
            assert ack["message"]["seq"] == 2
        await recv_until(ws, is_event("chat.message", id=chat_id))
        # the resent start frame is also acknowledged without a new message
        await v.ws.send(json.dumps({"op": "start", "department_id": SALES, "name": "Ann",
                                    "text": "Hello there", "client_msg_id": "v-1"}))
        ack, _ = await recv_until(v.ws, lambda f: f["op"] == "ack")
        assert ack["message"]["seq"] == 1
        assert (await asyncio.to_thread(alice.get, f"/chats/{chat_id}")).json()["message_count"] == 2

        # a second tab of the same visitor gets the open chat and the history after after_seq
        tab = await visitor(basic_server, v.token, after_seq=1)
        assert tab.visitor_id == v.visitor_id and tab.welcome["chat"]["id"] == chat_id
        hist = await recv_json(tab.ws)
        assert hist["op"] == "message" and hist["message"]["seq"] == 2
        # a message from the first tab shows up in the second
        await v.ws.send(json.dumps({"op": "message", "client_msg_id": "v-3", "text": "tab"}))
        frame, _ = await recv_until(tab.ws, lambda f: f["op"] == "message")
        assert frame["message"]["seq"] == 3 and frame["message"]["text"] == "tab"

        # the visitor closes: agent sees state closed, both tabs are told
        await v.ws.send(json.dumps({"op": "close"}))
        closed, _ = await recv_until(ws, is_event("chat.updated", id=chat_id, state="closed"))
        frame, _ = await recv_until(tab.ws, lambda f: f["op"] == "chat")
        assert frame["chat"]["state"] == "closed"
        await v.ws.send(json.dumps({"op": "message", "client_msg_id": "v-4", "text": "late"}))
        err, _ = await recv_until(v.ws, lambda f: f["op"] == "error")
        assert err["code"] == "conflict"
        for w in (ws, v.ws, tab.ws):
            await w.close()

    asyncio.run(scenario())


def test_bad_frames_get_errors_and_socket_stays_open(basic_server):
    async def scenario() -> None:
        v = await visitor(basic_server)
        cases = [
            ("{nope", "bad_request"),
            ("[1, 2]", "bad_request"),
            (json.dumps({"op": "fly"}), "validation_error"),
            (json.dumps({"op": "message", "client_msg_id": "x", "text": "y" * 10_001}),
             "validation_error"),
            (json.dumps({"op": "message", "client_msg_id": "bad id", "text": "y"}),
             "validation_error"),
            (json.dumps({"op": "start", "department_id": 2**60, "text": "y", "client_msg_id": "a"}),
             "validation_error"),
            (json.dumps({"op": "start", "department_id": 999, "text": "y", "client_msg_id": "a"}),
             "not_found"),
            (json.dumps({"op": "typing", "typing": True, "extra": 1}), "validation_error"),
            (json.dumps({"op": "message", "client_msg_id": "x", "text": "no chat yet"}),
             "conflict"),
            (json.dumps({"op": "hello", "visitor_token": "again"}), "bad_request"),
        ]
        for raw, code in cases:
            await v.ws.send(raw)
            err = await recv_json(v.ws)
            assert err["op"] == "error" and err["code"] == code, (raw[:80], err)
            assert err["message"]
        err_with_details = None
        await v.ws.send(json.dumps({"op": "message", "client_msg_id": "x", "text": ""}))
        err_with_details = await recv_json(v.ws)
        assert err_with_details["details"][0]["loc"] == ["text"]
        await v.ws.send(json.dumps({"op": "ping", "nonce": "still-here"}))
        assert await recv_json(v.ws) == {"op": "pong", "nonce": "still-here"}
        await v.ws.send(json.dumps({"op": "ping", "nonce": "x" * 70_000}))
        await expect_close(v.ws, 1009)

    asyncio.run(scenario())


@pytest.mark.parametrize("first", [{"op": "hello", "visitor_token": "unknown"},
                                   {"op": "ping"}, "nope"])
def test_bad_hello_closes_4401(basic_server, first):
    async def scenario() -> None:
        ws = await websockets.connect(basic_server.ws_url("/visitor/ws"))
        await ws.send(first if isinstance(first, str) else json.dumps(first))
        err = await recv_json(ws)
        assert err["op"] == "error" and err["code"] == "unauthorized"
        await expect_close(ws, 4401)

    asyncio.run(scenario())


def test_visitors_are_isolated(basic_server, agents):
    alice = agents("alice")

    async def scenario() -> None:
        a = await visitor(basic_server)
        b = await visitor(basic_server)
        chat_a = await start_chat(a, SALES, "secret of A")
        # B has no chat: its message does not land in A's chat, and it does not hear A's
        await b.ws.send(json.dumps({"op": "message", "client_msg_id": "b-1", "text": "hi"}))
        err = await recv_json(b.ws)
        assert err["code"] == "conflict"
        await b.ws.send(json.dumps({"op": "close"}))
        err = await recv_json(b.ws)
        assert err["code"] == "conflict"
        await asyncio.to_thread(alice.post, f"/chats/{chat_a}/take")
        await asyncio.to_thread(alice.post, f"/chats/{chat_a}/messages",
                                {"client_msg_id": "al-1", "text": "for A only"})
        got, _ = await recv_until(a.ws, lambda f: f["op"] == "message")
        assert got["message"]["text"] == "for A only"
        await b.ws.send(json.dumps({"op": "ping", "nonce": "b"}))
        assert await recv_json(b.ws) == {"op": "pong", "nonce": "b"}   # nothing else arrived
        chat = (await asyncio.to_thread(alice.get, f"/chats/{chat_a}")).json()
        assert chat["message_count"] == 2 and chat["state"] == "active"
        await a.ws.close()
        await b.ws.close()

    asyncio.run(scenario())


def test_visitor_message_rate_limit(basic_server):
    async def scenario() -> None:
        v = await visitor(basic_server)
        await start_chat(v, SALES, "flood", client_msg_id="f-0")
        limited = None
        for i in range(1, 40):
            await v.ws.send(json.dumps({"op": "message", "client_msg_id": f"f-{i}", "text": "x"}))
            frame = await recv_json(v.ws)
            if frame["op"] == "error":
                limited = frame
                break
        assert limited is not None and limited["code"] == "rate_limited"
        assert limited["details"]["retry_after"] >= 1
        await v.ws.close()

    asyncio.run(scenario())

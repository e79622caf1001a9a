"""Error frames on both sockets say which frame they refuse (issue 11, defect 2), a second
``start`` while a chat is open is refused (defect 3), and bad frames after authentication are
answered with an error frame while the socket stays open."""

from __future__ import annotations

import asyncio
import json

import httpx
import websockets

from tests.server.helpers import (
    SALES,
    TECH,
    agent_ws,
    recv_json,
    recv_until,
    start_chat,
    visitor,
)

BURST = 35          # over the limit of 30 messages per 10 s


def test_every_refused_message_of_a_burst_names_its_client_msg_id(basic_server):
    async def scenario() -> None:
        v = await visitor(basic_server)
        await start_chat(v, SALES, "burst", client_msg_id="b-0")   # 1 of the 30
        ids = [f"b-{i}" for i in range(1, BURST + 1)]
        for cid in ids:                      # all at once, no waiting between them
            await v.ws.send(json.dumps({"op": "message", "client_msg_id": cid, "text": cid}))
        acked, refused = [], []
        while len(acked) + len(refused) < BURST:
            frame = await recv_json(v.ws)
            if frame["op"] == "ack":
                acked.append(frame["client_msg_id"])
            elif frame["op"] == "error":
                assert frame["code"] == "rate_limited", frame
                assert frame["details"]["retry_after"] >= 1
                refused.append(frame["client_msg_id"])
        assert len(acked) == 29 and len(refused) == BURST - 29, (acked, refused)
        assert sorted(acked + refused) == sorted(ids)
        await v.ws.close()

    asyncio.run(scenario())


def test_a_validation_error_names_the_client_msg_id(basic_server):
    async def scenario() -> None:
        v = await visitor(basic_server)
        await start_chat(v, SALES, "validation", client_msg_id="val-0")
        await v.ws.send(json.dumps({"op": "message", "client_msg_id": "val-1", "text": ""}))
        err = await recv_json(v.ws)
        assert err["op"] == "error" and err["code"] == "validation_error", err
        assert err["client_msg_id"] == "val-1"
        assert err["details"][0]["loc"] == ["text"]
        # an invalid client_msg_id is not echoed (the field is absent, not null)
        await v.ws.send(json.dumps({"op": "message", "client_msg_id": "bad id!", "text": "x"}))
        err = await recv_json(v.ws)
        assert err["code"] == "validation_error" and "client_msg_id" not in err, err
        # an error that is not about a message has no client_msg_id either
        await v.ws.send(json.dumps({"op": "typing"}))
        err = await recv_json(v.ws)
        assert err["code"] == "validation_error" and "client_msg_id" not in err, err
        await v.ws.close()

    asyncio.run(scenario())


def test_a_message_without_an_open_chat_names_the_client_msg_id(basic_server):
    async def scenario() -> None:
        v = await visitor(basic_server)
        await v.ws.send(json.dumps({"op": "message", "client_msg_id": "lonely", "text": "hi"}))
        err = await recv_json(v.ws)
        assert (err["code"], err["client_msg_id"]) == ("conflict", "lonely"), err
        await v.ws.send(json.dumps({"op": "start", "department_id": 999, "text": "x",
                                    "client_msg_id": "nodept"}))
        err = await recv_json(v.ws)
        assert (err["code"], err["client_msg_id"]) == ("not_found", "nodept"), err
        await v.ws.close()

    asyncio.run(scenario())


def test_agent_socket_errors_name_the_client_msg_id(agents, basic_server):
    async def scenario() -> None:
        ws, ready = await agent_ws(basic_server, agents("alice").token)
        assert ready["op"] == "ready"
        await ws.send(json.dumps({"op": "send", "client_msg_id": "a-1", "text": "x"}))
        err = await recv_json(ws)
        assert (err["op"], err["code"], err["client_msg_id"]) == \
            ("error", "validation_error", "a-1"), err
        await ws.send(json.dumps({"op": "ping", "nonce": "n", "client_msg_id": "a-2"}))
        err = await recv_json(ws)
        assert (err["code"], err["client_msg_id"]) == ("validation_error", "a-2"), err
        await ws.send(json.dumps({"op": "ping", "nonce": "still-open"}))
        assert await recv_json(ws) == {"op": "pong", "nonce": "still-open"}
        await ws.close()

    asyncio.run(scenario())


def test_a_second_start_while_a_chat_is_open_is_refused(agents, basic_server):
    async def scenario() -> None:
        v = await visitor(basic_server)
        chat_id = await start_chat(v, SALES, "first question", client_msg_id="s-1")
        await v.ws.send(json.dumps({"op": "start", "department_id": TECH, "name": "Bo",
                                    "text": "another question", "client_msg_id": "s-2"}))
        err = await recv_json(v.ws)
        assert err["op"] == "error" and err["code"] == "chat_already_open", err
        assert err["client_msg_id"] == "s-2"
        assert err["details"] == {"chat_id": chat_id, "department_id": SALES}
        # nothing was stored, the chat did not move, the visitor's name did not change
        chat = (await asyncio.to_thread(agents("alice").get, f"/chats/{chat_id}")).json()
        assert chat["message_count"] == 1 and chat["department_id"] == SALES
        assert chat["visitor_name"] == "Ann"
        # the resend of the start that opened the chat is still acknowledged
        await v.ws.send(json.dumps({"op": "start", "department_id": SALES, "name": "Ann",
                                    "text": "first question", "client_msg_id": "s-1"}))
        ack, before = await recv_until(v.ws, lambda f: f["op"] == "ack")
        assert ack["message"]["seq"] == 1 and [f["op"] for f in before] == ["chat"], before
        # the text goes in as a message instead
        await v.ws.send(json.dumps({"op": "message", "client_msg_id": "s-2",
                                    "text": "another question"}))
        ack = await recv_json(v.ws)
        assert ack["op"] == "ack" and ack["message"]["seq"] == 2, ack
        # once closed, a start opens a new chat in the department asked for
        await v.ws.send(json.dumps({"op": "close"}))
        closed, _ = await recv_until(v.ws, lambda f: f["op"] == "chat")
        assert closed["chat"]["state"] == "closed"
        new_id = await start_chat(v, TECH, "new question", client_msg_id="s-3")
        assert new_id != chat_id
        await v.ws.close()

    asyncio.run(scenario())


def _bad_frames() -> list[tuple[str | bytes, str]]:
    return [
        (b"\x00\x01binary", "bad_request"),
        ("{not json", "bad_request"),
        ("[1, 2]", "bad_request"),
        ('{"op": "no_such_op"}', "validation_error"),
        ('{"no_op": 1}', "validation_error"),
        ('{"op": "ping", "nonce": 5}', "validation_error"),
    ]


def test_bad_frames_after_auth_keep_the_agent_socket_open(agents, basic_server):
    async def scenario() -> None:
        ws, ready = await agent_ws(basic_server, agents("bob").token)
        assert ready["op"] == "ready"
        frames = _bad_frames() + [(json.dumps({"op": "auth", "token": agents("bob").token}),
                                   "bad_request")]
        for raw, code in frames:
            await ws.send(raw)
            err = await recv_json(ws)
            assert err["op"] == "error" and err["code"] == code, (raw, err)
        await ws.send(json.dumps({"op": "ping", "nonce": "alive"}))
        assert await recv_json(ws) == {"op": "pong", "nonce": "alive"}
        await ws.close()

    asyncio.run(scenario())


def test_bad_frames_after_hello_keep_the_visitor_socket_open(basic_server):
    async def scenario() -> None:
        v = await visitor(basic_server)
        frames = _bad_frames() + [(json.dumps({"op": "hello", "visitor_token": v.token}),
                                   "bad_request")]
        for raw, code in frames:
            await v.ws.send(raw)
            err = await recv_json(v.ws)
            assert err["op"] == "error" and err["code"] == code, (raw, err)
        await v.ws.send(json.dumps({"op": "ping", "nonce": "alive"}))
        assert await recv_json(v.ws) == {"op": "pong", "nonce": "alive"}
        await v.ws.close()

    asyncio.run(scenario())


def test_an_unknown_visitor_token_is_4401_on_the_socket_and_a_new_visitor_over_http(
        basic_server):
    async def scenario() -> None:
        ws = await websockets.connect(basic_server.ws_url("/visitor/ws"))
        await ws.send(json.dumps({"op": "hello", "visitor_token": "no-such-token"}))
        err = await recv_json(ws)
        assert err["op"] == "error" and err["code"] == "unauthorized"
        try:
            await asyncio.wait_for(ws.recv(), 10)
        except websockets.ConnectionClosed as exc:
            assert exc.rcvd is not None and exc.rcvd.code == 4401
        else:
            raise AssertionError("the socket stayed open")

    asyncio.run(scenario())
    r = httpx.post(basic_server.api("/visitor/session"), json={"visitor_token": "no-such-token"})
    assert r.status_code == 200
    assert r.json()["visitor_token"] != "no-such-token"

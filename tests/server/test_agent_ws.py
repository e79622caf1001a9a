"""The agent event stream: auth, ready/reset, replay + live without gap or duplicate, audience."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import websockets

from tests.server.helpers import (
    SALES,
    TECH,
    Agent,
    agent_ws,
    is_event,
    recv_json,
    recv_until,
    start_basic_server,
    start_chat,
    visitor,
)


def last_seq(srv) -> int:
    return httpx.get(srv.api("/info")).json()["last_seq"]


async def expect_close(ws, code: int) -> None:
    with pytest.raises(websockets.ConnectionClosed) as closed:
        while True:
            await recv_json(ws)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == code


def test_ready_then_live(basic_server):
    token = basic_server.login("alice", "pw")

    async def scenario() -> None:
        ws, ready = await agent_ws(basic_server, token)
        assert ready["op"] == "ready" and ready["resumed"] is False
        assert ready["agent"]["login"] == "alice"
        assert ready["last_seq"] == last_seq(basic_server)
        v = await visitor(basic_server)
        chat_id = await start_chat(v, SALES, "live one")
        created, before = await recv_until(ws, is_event("chat.created", id=chat_id))
        assert created["seq"] > ready["last_seq"] and created["ts"].endswith("Z")
        assert created["data"]["last_message_preview"] == "live one"
        msg, _ = await recv_until(ws, is_event("chat.message", id=chat_id))
        assert msg["seq"] > created["seq"]
        assert msg["data"]["message"]["text"] == "live one"
        await ws.send(json.dumps({"op": "ping", "nonce": "n1"}))
        pong, _ = await recv_until(ws, lambda f: f["op"] == "pong")
        assert pong == {"op": "pong", "nonce": "n1"}
        # a bad frame gets an error; the socket stays open
        await ws.send("{not json")
        err, _ = await recv_until(ws, lambda f: f["op"] == "error")
        assert err["code"] == "bad_request"
        await ws.send(json.dumps({"op": "dance"}))
        err, _ = await recv_until(ws, lambda f: f["op"] == "error")
        assert err["code"] == "validation_error"
        await ws.send(json.dumps({"op": "ping", "nonce": "n2"}))
        pong, _ = await recv_until(ws, lambda f: f["op"] == "pong")
        assert pong["nonce"] == "n2"
        await ws.close()
        await v.ws.close()

    asyncio.run(scenario())


@pytest.mark.parametrize("first", [
    {"op": "auth", "token": "not-a-token"},
    {"op": "ping", "nonce": "x"},
    {"op": "auth"},
    "garbage",
])
def test_bad_auth_closes_4401(basic_server, first):
    async def scenario() -> None:
        ws = await websockets.connect(basic_server.ws_url("/agent/ws"))
        await ws.send(first if isinstance(first, str) else json.dumps(first))
        err = await recv_json(ws)
        assert err["op"] == "error" and err["code"] == "unauthorized"
        await expect_close(ws, 4401)

    asyncio.run(scenario())


def test_no_auth_frame_closes_after_10_seconds(basic_server):
    async def scenario() -> None:
        ws = await websockets.connect(basic_server.ws_url("/agent/ws"))
        err = await recv_json(ws, timeout=15)
        assert err["op"] == "error" and err["code"] == "unauthorized"
        await expect_close(ws, 4401)

    asyncio.run(scenario())


def test_oversized_frame_closes_1009(basic_server):
    token = basic_server.login("alice", "pw")

    async def scenario() -> None:
        ws, ready = await agent_ws(basic_server, token)
        assert ready["op"] == "ready"
        await ws.send(json.dumps({"op": "ping", "nonce": "x" * (70 * 1024)}))
        await expect_close(ws, 1009)

    asyncio.run(scenario())


def test_audience_filtering(basic_server):
    carol_token = basic_server.login("carol", "pw")      # Tech only
    admin_token = basic_server.login("admin", "pw")

    async def scenario() -> None:
        ws, _ = await agent_ws(basic_server, carol_token)
        ws_admin, _ = await agent_ws(basic_server, admin_token)
        v1, v2 = await visitor(basic_server), await visitor(basic_server)
        sales_chat = await start_chat(v1, SALES, "sales question")
        tech_chat = await start_chat(v2, TECH, "tech question")
        _, before = await recv_until(ws, is_event("chat.created", id=tech_chat))
        assert all(f.get("data", {}).get("id") != sales_chat
                   and f.get("data", {}).get("chat", {}).get("id") != sales_chat for f in before)
        # the admin sees both
        await recv_until(ws_admin, is_event("chat.created", id=sales_chat))
        await recv_until(ws_admin, is_event("chat.created", id=tech_chat))
        for w in (ws, ws_admin, v1.ws, v2.ws):
            await w.close()

    asyncio.run(scenario())


def test_resume_after_drop_mid_stream_no_gap_no_duplicate(basic_server):
    """Messages flow while the agent's socket is dropped and resumed: the seqs received over
    both connections are exactly the seqs a full replay gives, in order, each once."""
    token = basic_server.login("admin", "pw")
    total = 28                      # under the visitor rate limit (30 per 10 s)

    async def scenario() -> None:
        start = last_seq(basic_server)
        v = await visitor(basic_server)
        chat_id = await start_chat(v, SALES, "m-0", client_msg_id="m-0")

        async def produce() -> None:
            for i in range(1, total):
                await v.ws.send(json.dumps({"op": "message", "client_msg_id": f"m-{i}",
                                            "text": f"m-{i}"}))
                await recv_until(v.ws, lambda f: f["op"] == "ack")

        ws, ready = await agent_ws(basic_server, token, resume_after=start)
        assert ready["op"] == "ready" and ready["resumed"] is True
        producer = asyncio.create_task(produce())
        first: list[dict] = []
        while len(first) < 12:
            f = await recv_json(ws)
            if f["op"] == "event":
                first.append(f)
        await ws.close()                       # drop mid-stream; messages keep coming
        resume_from = first[-1]["seq"]
        ws2, ready2 = await agent_ws(basic_server, token, resume_after=resume_from)
        assert ready2["op"] == "ready" and ready2["resumed"] is True
        await producer
        second: list[dict] = []
        texts = {f["data"]["message"]["text"] for f in first if f["type"] == "chat.message"}
        while len(texts) < total:
            f = await recv_json(ws2)
            assert f["op"] == "event"
            second.append(f)
            if f["type"] == "chat.message" and f["data"]["chat"]["id"] == chat_id:
                texts.add(f["data"]["message"]["text"])
        await ws2.close()
        got = [f["seq"] for f in first + second]
        assert got == sorted(got) and len(got) == len(set(got))
        # a full replay from the same start gives exactly the same events
        ws3, _ = await agent_ws(basic_server, token, resume_after=start)
        replay: list[int] = []
        while not replay or replay[-1] < got[-1]:
            f = await recv_json(ws3)
            replay.append(f["seq"])
        await ws3.close()
        assert got == replay
        assert texts == {f"m-{i}" for i in range(total)}
        await v.ws.close()

    asyncio.run(scenario())


def test_reset_when_log_was_pruned(tmp_path):
    srv = start_basic_server(tmp_path / "srv", extra_args=[
        "--event-retention-count", "3", "--event-retention-seconds", "0"])
    try:
        alice = Agent(srv, "alice")
        for _ in range(4):
            alice.put("/me/status", {"status": "online"})
            alice.put("/me/status", {"status": "offline"})
        newest = last_seq(srv)
        assert newest >= 10
        srv.stop()
        srv.start()                            # prunes at start-up: only the newest 3 remain
        token = srv.login("alice", "pw")

        async def scenario() -> None:
            ws, frame = await agent_ws(srv, token, resume_after=1)
            assert frame["op"] == "reset" and frame["reason"] == "gap"
            assert frame["last_seq"] == newest and frame["agent"]["login"] == "alice"
            # live events continue after a reset
            await asyncio.to_thread(alice.put, "/me/status", {"status": "online"})
            ev, _ = await recv_until(ws, is_event("agent.status", login="alice"))
            assert ev["seq"] > newest
            await ws.close()
            # a resume point still inside the log replays normally
            ws, frame = await agent_ws(srv, token, resume_after=newest - 2)
            assert frame["op"] == "ready" and frame["resumed"] is True
            ev = await recv_json(ws)
            assert ev["seq"] == newest - 1
            await ws.close()
            # a resume point from the future (another database) is a reset too
            ws, frame = await agent_ws(srv, token, resume_after=10**9)
            assert frame["op"] == "reset"
            await ws.close()

        asyncio.run(scenario())
        alice.close()
    finally:
        srv.stop()

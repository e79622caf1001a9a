"""Brute force and floods: agent logins are limited per (address, username) and per address
(password spraying), new visitors per address, visitor messages per visitor; oversized frames
close the socket. Each refusal is a 429 with Retry-After (or an error frame / close code).

The server trusts X-Forwarded-For from 127.0.0.1 here, so one test process can be several
"addresses"."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import websockets

from tests.server.conftest import assert_no_server_errors
from tests.server.helpers import (
    PASSWORD,
    SALES,
    Agent,
    agent_ws,
    assert_error,
    recv_json,
    start_basic_server,
    start_chat,
    visitor,
)


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    server = start_basic_server(tmp_path_factory.mktemp("limits"),
                                extra_args=["--trusted-proxy", "127.0.0.1"])
    yield server
    server.stop()
    assert_no_server_errors(server)


def _from(ip: str) -> dict[str, str]:
    return {"X-Forwarded-For": ip}


def test_password_spraying_from_one_address_is_limited(srv):
    url = srv.api("/auth/login")
    attacker = _from("203.0.113.7")
    limited = None
    for i in range(40):       # a different username each time: the per-user limit never trips
        r = httpx.post(url, json={"username": f"user{i}", "password": "guess"}, headers=attacker)
        if r.status_code == 429:
            limited = (i, r)
            break
        assert_error(r, 401, "unauthorized")
    assert limited is not None, "40 failed logins from one address were never limited"
    n, r = limited
    assert n == 20      # max(20, 4 x --login-max-failures 5)
    body = assert_error(r, 429, "rate_limited")
    assert int(r.headers["retry-after"]) >= 1 and body["details"]["retry_after"] >= 1
    assert "try again later" in body["message"]
    # even the right password is refused from that address for now...
    r = httpx.post(url, json={"username": "alice", "password": PASSWORD}, headers=attacker)
    assert r.status_code == 429
    # ...but the real alice at her own address signs in
    r = httpx.post(url, json={"username": "alice", "password": PASSWORD},
                   headers=_from("198.51.100.2"))
    assert r.status_code == 200, r.text


def test_guessing_one_password_is_limited_after_five(srv):
    url = srv.api("/auth/login")
    who = _from("203.0.113.8")
    codes = [httpx.post(url, json={"username": "carol", "password": f"guess{i}"},
                        headers=who).status_code for i in range(6)]
    assert codes == [401] * 5 + [429]


def test_new_visitor_flood_is_limited_per_address(srv):
    url = srv.api("/visitor/session")
    flood = _from("203.0.113.9")
    kept = httpx.post(url, json={}, headers=flood).json()
    statuses = []
    with httpx.Client() as http:
        for _ in range(310):
            r = http.post(url, json={}, headers=flood)
            statuses.append(r.status_code)
            if r.status_code == 429:
                break
    assert statuses[-1] == 429 and len(statuses) == 300, (len(statuses), statuses[-3:])
    assert_error(r, 429, "rate_limited")
    assert int(r.headers["retry-after"]) >= 1
    # a known visitor keeps its session (a returning widget is not a new visitor)
    again = httpx.post(url, json={"visitor_token": kept["visitor_token"]}, headers=flood)
    assert again.status_code == 200 and again.json()["visitor_id"] == kept["visitor_id"]
    # other addresses are not affected
    assert httpx.post(url, json={}, headers=_from("198.51.100.3")).status_code == 200


def test_visitor_message_flood_is_throttled_and_recovers_nothing_lost(srv):
    async def go() -> None:
        v = await visitor(srv)
        try:
            await start_chat(v, SALES, "flood", client_msg_id="f-0")
            acks, limited = 0, None
            for i in range(1, 60):
                await v.ws.send(json.dumps({"op": "message", "client_msg_id": f"f-{i}",
                                            "text": "x"}))
                frame = await recv_json(v.ws)
                if frame["op"] == "error":
                    limited = frame
                    break
                acks += frame["op"] == "ack"
            assert limited is not None and limited["code"] == "rate_limited", limited
            assert 1 <= limited["details"]["retry_after"] <= 10
            assert acks == 29     # 30 per 10 s, the start counted
            # the socket stays open; the refused message was not stored
            await v.ws.send(json.dumps({"op": "ping", "nonce": "alive"}))
            assert (await recv_json(v.ws))["op"] == "pong"
        finally:
            await v.ws.close()

    asyncio.run(go())


def test_oversized_frames_close_both_sockets_with_1009(srv):
    big = json.dumps({"op": "ping", "nonce": "x" * (70 * 1024)})

    async def go() -> None:
        v = await visitor(srv)
        await v.ws.send(big)
        with pytest.raises(websockets.ConnectionClosed) as info:
            await recv_json(v.ws)
        assert info.value.rcvd.code == 1009
        alice = Agent(srv, "alice")
        try:
            ws, ready = await agent_ws(srv, alice.token)
            assert ready["op"] == "ready"
            await ws.send(big)
            with pytest.raises(websockets.ConnectionClosed) as info:
                while True:
                    await recv_json(ws)
            assert info.value.rcvd.code == 1009
        finally:
            alice.close()

    asyncio.run(go())


def test_page_frame_flood_is_not_a_write_flood(srv):
    alice = Agent(srv, "alice")

    async def go() -> None:
        v = await visitor(srv)
        try:
            chat_id = await start_chat(v, SALES, "navigating", client_msg_id="p-0")
            for i in range(60):
                await v.ws.send(json.dumps({"op": "page", "url": f"https://shop.test/p{i}"}))
            await v.ws.send(json.dumps({"op": "ping", "nonce": "after-pages"}))
            while (await recv_json(v.ws)).get("nonce") != "after-pages":
                pass
            # 20 page frames per 10 s are written; the rest are only remembered by the socket
            page = alice.get(f"/chats/{chat_id}").json()["visitor"]["page_url"]
            assert page == "https://shop.test/p19", page
        finally:
            await v.ws.close()

    try:
        asyncio.run(go())
    finally:
        alice.close()


def test_client_login_spraying_is_limited_per_address(srv):
    import base64

    attacker = _from("203.0.113.11")
    codes = []
    for i in range(25):
        basic = base64.b64encode(f"client{i}:guess".encode()).decode()
        r = httpx.get(srv.api("/client/tickets"),
                      headers={**attacker, "Authorization": f"Basic {basic}"})
        codes.append(r.status_code)
        if r.status_code == 429:
            break
    assert codes == [401] * 20 + [429], codes
    assert int(r.headers["retry-after"]) >= 1

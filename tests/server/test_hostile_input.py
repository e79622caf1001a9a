"""Hostile input through every visitor- and agent-controlled field of the real server: stored and
returned unchanged (the server does not "sanitize" text, the client shows it as plain text); what
is too big is a 4xx / close 1009 with a clear error; what is not text (invalid UTF-8, lone
surrogates, NUL) is refused; nothing is a 500 and the server log has no traceback."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import websockets

from tests.server.helpers import (
    SALES,
    Agent,
    assert_error,
    recv_json,
    recv_until,
    visitor,
)
from tests.support.hostile import CORPUS, INVALID_UTF8, ONE_MB, raw_ws_text_frame

HOSTILE_UA = "<script>alert(1)</script> Mozilla/5.0 <b>x</b> \"'&"


async def _hostile_visitor(srv, text: str):
    async with httpx.AsyncClient() as http:
        sess = (await http.post(srv.api("/visitor/session"), json={})).json()
    ws = await websockets.connect(srv.ws_url("/visitor/ws"), user_agent_header=HOSTILE_UA,
                                  max_size=2**22)
    await ws.send(json.dumps({"op": "hello", "visitor_token": sess["visitor_token"],
                              "page_url": text, "page_title": text, "referrer": text}))
    welcome = await recv_json(ws)
    assert welcome["op"] == "welcome", welcome
    await ws.send(json.dumps({"op": "start", "department_id": SALES, "name": text,
                              "text": text, "client_msg_id": "h-1"}))
    ack, before = await recv_until(ws, lambda f: f["op"] == "ack")
    assert ack["message"]["text"] == text
    chat = [f for f in before if f["op"] == "chat"][-1]["chat"]
    return ws, chat["id"]


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_round_trips_unchanged(basic_server, agents, name):
    text = CORPUS[name]
    alice = agents("alice")

    async def go() -> None:
        ws, chat_id = await _hostile_visitor(basic_server, text)
        try:
            chat = alice.get(f"/chats/{chat_id}").json()
            assert chat["visitor_name"] == text
            assert chat["visitor"]["page_url"] == text
            assert chat["visitor"]["page_title"] == text
            assert chat["visitor"]["referrer"] == text
            assert chat["visitor"]["user_agent"] == HOSTILE_UA
            assert chat["last_message_preview"] == " ".join(text.split())[:200]  # one line
            msgs = alice.get(f"/chats/{chat_id}/messages").json()["items"]
            assert msgs[-1]["text"] == text
            # the page frame (in-page navigation) too
            await ws.send(json.dumps({"op": "page", "url": text + "#2", "title": text[:199],
                                      "referrer": text}))
            await ws.send(json.dumps({"op": "ping", "nonce": "p"}))
            await recv_until(ws, lambda f: f["op"] == "pong")
            assert alice.get(f"/chats/{chat_id}").json()["visitor"]["page_url"] == text + "#2"
            # what the agent types goes back unchanged too
            assert alice.post(f"/chats/{chat_id}/take").status_code == 200
            r = alice.patch(f"/chats/{chat_id}", {"name": text, "summary": text})
            assert r.status_code == 200, r.text
            assert (r.json()["name"], r.json()["summary"]) == (text, text)
            r = alice.post(f"/chats/{chat_id}/messages", {"client_msg_id": "a-1", "text": text})
            assert r.status_code in (200, 201), r.text
            frame, _ = await recv_until(ws, lambda f: f["op"] == "message"
                                        and f["message"]["author_kind"] == "agent")
            assert frame["message"]["text"] == text
            assert alice.post(f"/chats/{chat_id}/close", {}).status_code == 200
        finally:
            await ws.close()

    asyncio.run(go())


def test_one_megabyte_over_http_is_413(basic_server, agents):
    alice = agents("alice")
    for method, path, body in [
        ("POST", "/chats/1/messages", {"client_msg_id": "big", "text": ONE_MB}),
        ("PATCH", "/chats/1", {"name": ONE_MB}),
        ("PUT", "/me/status", {"status": ONE_MB}),
    ]:
        r = alice.http.request(method, path, json=body)
        err = assert_error(r, 413, "payload_too_large")
        assert "bytes" in err["message"], err
    r = httpx.post(basic_server.api("/visitor/session"), json={"visitor_token": ONE_MB})
    assert_error(r, 413, "payload_too_large")
    r = httpx.post(basic_server.api("/auth/login"), json={"username": ONE_MB, "password": "x"})
    assert_error(r, 413, "payload_too_large")


def test_over_the_field_limit_is_422_with_the_limit(agents):
    alice = agents("alice")
    r = alice.patch("/chats/1", {"name": "n" * 201})
    err = assert_error(r, 422, "validation_error")
    assert err["message"].startswith("name:") and "200" in err["message"]
    r = alice.patch("/chats/1", {"summary": "s" * 2001})
    assert "2000" in assert_error(r, 422, "validation_error")["message"]


def test_one_megabyte_on_the_visitor_socket_closes_1009(basic_server):
    async def go() -> None:
        v = await visitor(basic_server)
        await v.ws.send(json.dumps({"op": "start", "department_id": SALES, "name": "x",
                                    "text": ONE_MB, "client_msg_id": "big"}))
        # refused by the WebSocket layer itself (uvicorn's ws_max_size = MAX_WS_FRAME_BYTES)
        # before any of it is parsed: close 1009 with the limit as the reason
        with pytest.raises(websockets.ConnectionClosed) as info:
            await recv_json(v.ws)
        assert "65536" in info.value.rcvd.reason
        assert info.value.rcvd.code == 1009

    asyncio.run(go())


def test_over_the_limit_but_under_the_frame_size_is_an_error_frame(basic_server):
    async def go() -> None:
        v = await visitor(basic_server)
        try:
            await v.ws.send(json.dumps({"op": "start", "department_id": SALES, "name": "n" * 201,
                                        "text": "t" * 10_001, "client_msg_id": "big"}))
            err = await recv_json(v.ws)
            assert err["op"] == "error" and err["code"] == "validation_error", err
            locs = {tuple(d["loc"]) for d in err["details"]}
            assert ("name",) in locs and ("text",) in locs
            await v.ws.send(json.dumps({"op": "ping", "nonce": "still-open"}))
            assert (await recv_json(v.ws)) == {"op": "pong", "nonce": "still-open"}
        finally:
            await v.ws.close()

    asyncio.run(go())


@pytest.mark.parametrize("bad", INVALID_UTF8)
def test_invalid_utf8_over_http_is_4xx(basic_server, agents, bad):
    body = b'{"client_msg_id": "u8", "text": "' + bad + b'"}'
    r = agents("alice").http.post("/chats/1/messages", content=body,
                                  headers={"content-type": "application/json"})
    # malformed JSON (400), or an encoded surrogate half that decodes to no valid string (422)
    assert (r.status_code, r.json()["code"]) in ((400, "bad_request"),
                                                  (422, "validation_error")), r.text
    r = httpx.post(basic_server.api("/visitor/session"),
                   content=b'{"visitor_token": "' + bad + b'"}',
                   headers={"content-type": "application/json"})
    assert r.status_code in (400, 422), r.text


@pytest.mark.parametrize("bad", INVALID_UTF8[:2])
def test_invalid_utf8_text_frame_fails_the_visitor_socket_with_1007(basic_server, bad):
    token = httpx.post(basic_server.api("/visitor/session"), json={}).json()["visitor_token"]
    hello = json.dumps({"op": "hello", "visitor_token": token}).encode()
    code, data = raw_ws_text_frame(basic_server.ws_url("/visitor/ws"), hello,
                                   b'{"op": "message", "client_msg_id": "x", "text": "' + bad
                                   + b'"}')
    assert code == 1007, (code, data[-200:])


def test_binary_frames_are_refused_with_an_error(basic_server):
    async def go() -> None:
        v = await visitor(basic_server)
        try:
            await v.ws.send(b"\xff\xfe{\"op\": \"ping\"}")
            err = await recv_json(v.ws)
            assert err["op"] == "error" and err["message"] == "text frames only"
        finally:
            await v.ws.close()

    asyncio.run(go())


@pytest.mark.parametrize("raw", ['"a\\ud800b"', '"\\udfff"', '"nul\\u0000"'])
def test_lone_surrogates_and_nul_are_422(agents, basic_server, raw):
    alice = agents("alice")
    r = alice.http.patch("/chats/1", content='{"name": ' + raw + "}",
                         headers={"content-type": "application/json"})
    err = assert_error(r, 422, "validation_error")
    assert err["details"][0]["loc"] == ["name"]
    if "u0000" in raw:
        assert "NUL" in err["message"]

    async def go() -> None:
        v = await visitor(basic_server)
        try:
            await v.ws.send('{"op": "start", "department_id": 1, "client_msg_id": "s", "text": '
                            + raw + "}")
            err = await recv_json(v.ws)
            assert err["code"] == "validation_error" and err["details"][0]["loc"] == ["text"]
        finally:
            await v.ws.close()

    asyncio.run(go())


def test_hostile_login_names_are_401_not_500(basic_server):
    for text in list(CORPUS.values())[:8]:
        r = httpx.post(basic_server.api("/auth/login"),
                       json={"username": text[:64], "password": text})
        assert r.status_code in (401, 429), r.text

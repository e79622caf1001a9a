"""Property tests (hypothesis) for parsing the protocol on both sides: whatever arrives, the parser
answers with a model or with its documented error — never anything else.

Server: ``realtime.common.receive_json`` (raw WebSocket messages) and ``parse_frame`` for the
visitor and agent sockets -> a frame model, or ``FrameError`` (``bad_request`` /
``validation_error``, JSON-serialisable details), ``TooBig``; and the real visitor socket, fed
random frames, answers each with frames of the protocol and stays open.
Client: ``EventStream._decode`` / ``_handle_frame`` (the event stream) -> an item, nothing, or
``StreamDead`` / ``AuthRejected`` (reconnect / sign in again); ``HttpTransport.parse`` (REST
answers) -> the model or ``ServerError``.
(HTTP bodies against the live server: tests/server/test_fuzz.py and test_schemathesis.py.)
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from starlette.websockets import WebSocketDisconnect

from supportdesk_protocol import events as E
from supportdesk_protocol import limits as L
from supportdesk_protocol import schemas as S
from supportdesk_qt.backend.base import ServerError
from supportdesk_qt.backend.http import HttpBackend
from supportdesk_qt.backend.http.stream import AuthRejected, EventStream, StreamDead
from supportdesk_server.realtime.common import FrameError, TooBig, parse_frame, receive_json

FAST = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))

scalars = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=40))
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=12), inner, max_size=5), max_leaves=12)

VISITOR_OPS = ["hello", "start", "message", "typing", "page", "close", "ping", "login",
               "register", "auth_cancel", "auth_dismissed"]
AGENT_OPS = ["auth", "ping", "subscribe", "typing"]
FIELDS = ["visitor_token", "after_seq", "page_url", "page_title", "referrer", "language",
          "timezone_offset_minutes", "department_id", "name", "text", "client_msg_id",
          "typing", "url", "title", "nonce", "token", "resume_after", "chat_id", "login",
          "password", "email", "phone"]


def frames(ops: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Mostly well-shaped frames (a real op, known field names) with arbitrary values, plus
    arbitrary objects."""
    shaped = st.builds(lambda op, extra: {"op": op, **extra}, st.sampled_from(ops),
                       st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=6))
    return shaped | st.dictionaries(st.text(max_size=10), json_values, max_size=5)


def _check_frame_result(adapter, data: dict[str, Any]) -> None:
    try:
        frame = parse_frame(adapter, data)
    except FrameError as exc:
        assert exc.code == "validation_error", exc.code
        assert isinstance(exc.message, str) and exc.message
        sent = json.loads(exc.frame().model_dump_json())   # the error frame can always be sent
        assert sent["op"] == "error" and sent["code"] == "validation_error"
        cid = data.get("client_msg_id")
        assert sent.get("client_msg_id") in (None, cid)      # only ever the frame's own id
        return
    assert isinstance(frame, BaseModel) and frame.op == data.get("op")
    frame.model_dump_json()


@FAST
@given(data=frames(VISITOR_OPS))
def test_visitor_frame_parsing_is_total(data):
    _check_frame_result(E.visitor_client_frame, data)


@FAST
@given(data=frames(AGENT_OPS))
def test_agent_frame_parsing_is_total(data):
    _check_frame_result(E.agent_client_frame, data)


class _FakeWS:
    def __init__(self, message: dict[str, Any]) -> None:
        self.message = message

    async def receive(self) -> dict[str, Any]:
        return self.message


raw_messages = (
    st.builds(lambda t: {"type": "websocket.receive", "text": t},
              st.text(max_size=200) | json_values.map(json.dumps)
              | st.just("x" * (L.MAX_WS_FRAME_BYTES + 1)))
    | st.builds(lambda b: {"type": "websocket.receive", "bytes": b}, st.binary(max_size=64))
    | st.just({"type": "websocket.receive"})
    | st.just({"type": "websocket.disconnect", "code": 1001})
)


@FAST
@given(message=raw_messages)
def test_receive_json_is_total(message):
    async def go() -> None:
        try:
            data = await receive_json(_FakeWS(message))
        except FrameError as exc:
            assert exc.code == "bad_request" and exc.message
            return
        except (TooBig, WebSocketDisconnect):
            return
        assert isinstance(data, dict)

    asyncio.run(go())


# --- the live visitor socket ------------------------------------------------------------------------


KNOWN_SERVER_OPS = {"welcome", "chat", "message", "ack", "typing", "error", "pong", "closed",
                    "auth_prompt", "auth_result", "agent_typing", "departments"}


def test_live_visitor_socket_survives_random_frames(basic_server):
    from websockets.sync.client import connect

    token = httpx.post(basic_server.api("/visitor/session"), json={}).json()["visitor_token"]
    with connect(basic_server.ws_url("/visitor/ws"), max_size=2**22) as ws:
        ws.send(json.dumps({"op": "hello", "visitor_token": token}))
        assert json.loads(ws.recv(timeout=10))["op"] == "welcome"
        n = {"i": 0}

        @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)
        @given(frame=frames([op for op in VISITOR_OPS if op not in ("close",)])
               | st.text(max_size=100))
        def check(frame) -> None:
            n["i"] += 1
            if isinstance(frame, dict) and frame.get("op") in ("start", "message"):
                frame = {**frame, "op": "typing"}     # do not hit the message rate limit
            ws.send(frame if isinstance(frame, str) else json.dumps(frame))
            nonce = f"n{n['i']}"
            ws.send(json.dumps({"op": "ping", "nonce": nonce}))
            while True:
                got = json.loads(ws.recv(timeout=10))
                assert isinstance(got, dict) and got.get("op") in KNOWN_SERVER_OPS, got
                if got["op"] == "error":
                    assert set(got) >= {"code", "message"} and got["message"], got
                if got == {"op": "pong", "nonce": nonce}:
                    return

        check()


# --- the client's side ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def backend():
    return HttpBackend("http://127.0.0.1:9")


server_frames = st.builds(
    lambda op, seq, type_, extra: {"op": op, "seq": seq, "type": type_, **extra},
    st.sampled_from(["event", "pong", "error", "reset", "ready", "nope"]),
    st.integers(min_value=-5, max_value=2**64) | json_values,
    st.sampled_from(sorted(E.EVENT_DATA_MODELS)) | st.text(max_size=10),
    st.dictionaries(st.sampled_from(["data", "ts", "code", "message", "last_seq", "nonce"]),
                    json_values, max_size=5),
) | st.dictionaries(st.text(max_size=8), json_values, max_size=5)


@FAST
@given(raw=st.text(max_size=200) | st.binary(max_size=100) | json_values.map(json.dumps))
def test_client_decode_is_total(raw):
    try:
        data = EventStream._decode(raw)
    except StreamDead as exc:
        assert str(exc).endswith("reconnecting.")
        return
    assert isinstance(data, dict)


@FAST
@given(data=server_frames, event_data=json_values)
def test_client_frame_handling_is_total(backend, data, event_data):
    if data.get("op") == "event" and isinstance(event_data, dict):
        data = {**data, "data": event_data, "ts": "2026-01-01T00:00:00Z"}
    backend._stream.last_seq = 0
    try:
        backend._stream._handle_frame(data)
    except (StreamDead, AuthRejected) as exc:
        assert str(exc)


@FAST
@given(body=json_values, model=st.sampled_from([S.Chat, S.Agent, S.LoginResponse,
                                                 S.MessagePage, S.ServerInfo]))
def test_client_rest_parsing_is_total(backend, body, model):
    resp = httpx.Response(200, content=json.dumps(body).encode(),
                          headers={"content-type": "application/json"},
                          request=httpx.Request("GET", "http://x/api/v1/x"))
    try:
        out = backend._t.parse(model, resp)
    except ServerError as exc:
        assert exc.code == "bad_response" and exc.message.endswith("?")
        return
    assert isinstance(out, model)

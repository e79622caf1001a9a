"""Bad frames on the visitor socket (docs/protocol.md "Visitor side", "Error frames on the
sockets", "WebSocket close codes"): before hello each ends in close 4401 (or 1009 / 1007); after
welcome each gets an error frame (carrying the client_msg_id of a frame that had a valid one)
and the socket stays open."""

from __future__ import annotations


import json

import pytest
import websockets

from tests.conformance.frames import (
    BIG_FRAME,
    DEPT,
    NO_ERROR_BEFORE_1009,
    TOKEN,
    BadUtf8,
    Close,
    Error,
    case,
    params,
    run,
)
from tests.conformance.wire import SYNC, Visitor, closed_with, connect

REFUSED = Close(4401, "unauthorized")


def hello(**over):
    return {"op": "hello", "visitor_token": TOKEN, **over}


def start(cmid="s-1", **over):
    return {"op": "start", "department_id": DEPT, "name": "Ann", "text": "Hi",
            "client_msg_id": cmid, **over}


BEFORE_HELLO = [
    case("first-ping", {"op": "ping", "nonce": "p"}, expect=REFUSED),
    case("first-start", start(), expect=REFUSED),
    case("first-malformed", "{", expect=REFUSED),
    case("first-binary", b'{"op": "hello"}', expect=REFUSED),
    case("hello-unknown-token", hello(visitor_token="no-such-visitor"), expect=REFUSED),
    case("hello-without-token", {"op": "hello"}, expect=REFUSED),
    case("hello-token-129", hello(visitor_token="t" * 129), expect=REFUSED),
    case("hello-after-seq-negative", hello(after_seq=-1), expect=REFUSED),
    case("hello-page-url-2049", hello(page_url="https://x.example/" + "p" * 2031),
         expect=REFUSED),
    case("hello-unknown-field", hello(admin=True), expect=REFUSED),
    case("first-over-64k", "x" * BIG_FRAME, expect=Close(1009)),
    case("first-over-64k-error-frame-first", "x" * BIG_FRAME,
         expect=Close(1009, "payload_too_large"), known_defect=NO_ERROR_BEFORE_1009),
    case("first-invalid-utf8", BadUtf8(b'{"op": "hello", "visitor_token": "\xff"}'),
         expect=Close(1007)),
]

AFTER_WELCOME = [
    case("start-unknown-department", start("u-1", department_id=99999),
         expect=Error("not_found", "u-1")),
    case("start-department-0", start("u-2", department_id=0),
         expect=Error("validation_error", "u-2")),
    case("start-department-over-2^53", start("u-8", department_id=2**53 + 1),
         expect=Error("validation_error", "u-8")),
    case("start-department-text", start("u-3", department_id="sales"),
         expect=Error("validation_error", "u-3")),
    case("start-empty-text", start("u-4", text=""), expect=Error("validation_error", "u-4")),
    case("start-text-10001", start("u-5", text="t" * 10_001),
         expect=Error("validation_error", "u-5")),
    case("start-text-nul", start("u-6", text="a\u0000b"),
         expect=Error("validation_error", "u-6")),
    case("start-name-201", start("u-7", name="n" * 201), expect=Error("validation_error", "u-7")),
    case("start-without-cmid", {"op": "start", "department_id": DEPT, "name": "A", "text": "x"},
         expect=Error("validation_error")),
    case("start-cmid-bad-characters", start("has space"), expect=Error("validation_error")),
    case("start-cmid-65", start("c" * 65), expect=Error("validation_error")),
    case("message-without-chat", {"op": "message", "client_msg_id": "m-1", "text": "hi"},
         expect=Error("conflict", "m-1")),
    case("message-unknown-field", {"op": "message", "client_msg_id": "m-2", "text": "hi",
                                   "html": True}, expect=Error("validation_error", "m-2")),
    case("message-lone-surrogate",
         '{"op": "message", "client_msg_id": "m-3", "text": "\\udc00"}',
         expect=Error("validation_error", "m-3")),
    case("close-without-chat", {"op": "close"}, expect=Error("conflict")),
    case("typing-not-bool", {"op": "typing", "typing": [1]}, expect=Error("validation_error")),
    case("page-url-2049", {"op": "page", "url": "https://x.example/" + "p" * 2031},
         expect=Error("validation_error")),
    case("login-field-1025", {"op": "login", "login": "l" * 1025, "password": "x"},
         expect=Error("validation_error")),
    case("auth-dismissed-extra", {"op": "auth_dismissed", "why": "no"},
         expect=Error("validation_error")),
    case("unknown-op", {"op": "shout", "text": "HELLO"}, expect=Error("validation_error")),
    case("malformed-json", '{"op": ', expect=Error("bad_request")),
    case("array-frame", "[]", expect=Error("bad_request")),
    case("binary-frame", b'{"op": "ping"}', expect=Error("bad_request")),
    case("second-hello", hello(), expect=Error("bad_request")),
    case("over-64k", "x" * BIG_FRAME, expect=Close(1009)),
    case("invalid-utf8", BadUtf8(b'{"op": "message", "client_msg_id": "z", "text": "\xed\xa0"}'),
         expect=Close(1007)),
]


def _session(target) -> str:
    r = SYNC.post(target.api("/visitor/session"), json={})
    assert r.status_code == 200, r.text
    return r.json()["visitor_token"]


@pytest.mark.parametrize("bad", params(BEFORE_HELLO))
async def test_before_hello(target, cast, bad):
    token = _session(target)
    ws = await connect(target.ws("/visitor/ws"))
    try:
        await run(ws, bad, token=token, dept=cast.shared)
    finally:
        await ws.close()


@pytest.mark.parametrize("bad", params(AFTER_WELCOME))
async def test_after_welcome(target, cast, bad):
    v = await Visitor.open(target)
    try:
        assert v.welcome["chat"] is None
        await run(v.ws, bad, token=v.token, dept=cast.shared)
    finally:
        await v.close()


def test_there_are_enough_bad_inputs():
    from tests.conformance.test_bad_agent_frames import AFTER_AUTH, BEFORE_AUTH
    from tests.conformance.test_bad_rest import CASES

    frames = BEFORE_AUTH + AFTER_AUTH + BEFORE_HELLO + AFTER_WELCOME
    assert len(frames) >= 40 and len(CASES) + len(frames) >= 60



async def test_a_foreign_origin_is_refused_at_the_handshake(target):
    """A browser page of a site not on the widget allow-list: 403 origin_not_allowed for the
    handshake (or, where the handshake cannot be answered so, close 1008)."""
    try:
        ws = await websockets.connect(target.ws("/visitor/ws"), open_timeout=10,
                                      origin="https://not-an-allowed-site.example")
    except websockets.InvalidStatus as exc:
        assert exc.response.status_code == 403
        assert json.loads(exc.response.body)["code"] == "origin_not_allowed"
        return
    code, _ = await closed_with(ws)
    assert code == 1008

"""Bad frames on the agent event stream (docs/protocol.md "Agent event stream", "Error frames on
the sockets", "WebSocket close codes"): before auth each ends in close 4401 (or 1009 / 1007);
after auth each gets an error frame and the stream stays open."""

from __future__ import annotations

import pytest

from tests.conformance.frames import (
    BIG_FRAME,
    NO_ERROR_BEFORE_1009,
    TOKEN,
    BadUtf8,
    Close,
    Error,
    case,
    params,
    run,
)
from tests.conformance.wire import agent_socket, connect

REFUSED = Close(4401, "unauthorized")

BEFORE_AUTH = [
    case("first-not-json", "hello", expect=REFUSED),
    case("first-array", "[]", expect=REFUSED),
    case("first-ping", {"op": "ping", "nonce": "p"}, expect=REFUSED),
    case("first-binary", b'{"op": "auth"}', expect=REFUSED),
    case("first-empty-text", "", expect=REFUSED),
    case("auth-unknown-token", {"op": "auth", "token": "not-a-token", "resume_after": None},
         expect=REFUSED),
    case("auth-empty-token", {"op": "auth", "token": "", "resume_after": None}, expect=REFUSED),
    case("auth-without-token", {"op": "auth", "resume_after": None}, expect=REFUSED),
    case("auth-token-number", {"op": "auth", "token": 12345}, expect=REFUSED),
    case("auth-resume-after-text", {"op": "auth", "token": TOKEN, "resume_after": "last"},
         expect=REFUSED),
    case("auth-resume-after-negative", {"op": "auth", "token": TOKEN, "resume_after": -1},
         expect=REFUSED),
    case("first-over-64k", "x" * BIG_FRAME, expect=Close(1009)),
    case("first-over-64k-error-frame-first", "x" * BIG_FRAME,
         expect=Close(1009, "payload_too_large"), known_defect=NO_ERROR_BEFORE_1009),
    case("first-invalid-utf8", BadUtf8(b'{"op": "auth", "token": "\xff\xfe"}'),
         expect=Close(1007)),
]

AFTER_AUTH = [
    case("malformed-json", '{"op": "ping"', expect=Error("bad_request")),
    case("array-frame", "[1, 2]", expect=Error("bad_request")),
    case("string-frame", '"ping"', expect=Error("bad_request")),
    case("binary-frame", b'{"op": "ping"}', expect=Error("bad_request")),
    case("second-auth", {"op": "auth", "token": TOKEN, "resume_after": None},
         expect=Error("bad_request")),
    case("unknown-op", {"op": "subscribe", "topic": "all"}, expect=Error("validation_error")),
    case("no-op", {"nonce": "n"}, expect=Error("validation_error")),
    case("ping-nonce-number", {"op": "ping", "nonce": 5}, expect=Error("validation_error")),
    case("ping-nonce-65", {"op": "ping", "nonce": "n" * 65}, expect=Error("validation_error")),
    case("over-64k", "x" * BIG_FRAME, expect=Close(1009)),
    case("invalid-utf8", BadUtf8(b'{"op": "ping", "nonce": "\xc3\x28"}'), expect=Close(1007)),
]


@pytest.mark.parametrize("bad", params(BEFORE_AUTH))
async def test_before_auth(target, cast, bad):
    ws = await connect(target.ws("/agent/ws"))
    try:
        await run(ws, bad, token=cast.a.token)
    finally:
        await ws.close()


@pytest.mark.parametrize("bad", params(AFTER_AUTH))
async def test_after_auth(target, cast, bad):
    ws, ready = await agent_socket(target, cast.a.token)
    try:
        assert ready["op"] == "ready", ready
        await run(ws, bad, token=cast.a.token)
    finally:
        await ws.close()

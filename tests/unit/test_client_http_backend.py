"""HttpBackend without the real server: error mapping, request log, backoff schedule, and the event
stream's state machine against a scripted WebSocket server on loopback."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timezone

import httpx
import pytest
from websockets.asyncio.server import serve

from supportdesk_qt.backend.base import (
    AuthError,
    BackendError,
    ConnectionChanged,
    ConnectionState,
    Conflict,
    NetworkError,
    NotFound,
    PermissionDenied,
    RateLimited,
    RequestRecord,
    Resynced,
    ServerError,
    ServerEvent,
    ValidationFailed,
)
from supportdesk_qt.backend.base import is_retryable
from supportdesk_qt.backend.http import Backoff, HttpBackend, error_from_response

TIMEOUT = 10.0

# --- backoff -------------------------------------------------------------------------------------


def test_backoff_schedule_doubles_to_the_cap():
    b = Backoff()
    assert [b.ceiling(n) for n in range(8)] == [0.25, 0.5, 1.0, 2.0, 4.0, 5.0, 5.0, 5.0]
    assert b.ceiling(1000) == 5.0


def test_backoff_full_jitter_and_reset():
    top = Backoff(rng=lambda: 0.999999)
    delays = [top.next_delay() for _ in range(7)]
    assert delays == pytest.approx([0.25, 0.5, 1.0, 2.0, 4.0, 5.0, 5.0], rel=1e-5)
    bottom = Backoff(rng=lambda: 0.0)
    assert [bottom.next_delay() for _ in range(3)] == [0.0, 0.0, 0.0]
    import random

    jittered = Backoff(rng=random.Random(1).random)
    values = [jittered.next_delay() for _ in range(50)]
    assert all(0 <= v <= 5.0 for v in values)
    assert len(set(values)) == 50          # really random, not a fixed schedule
    top.reset()
    assert top.attempt == 0
    assert top.next_delay() == pytest.approx(0.25, rel=1e-5)


# --- error mapping ---------------------------------------------------------------------------------


def _resp(status, body=None, headers=None):
    return httpx.Response(status, json=body, headers=headers,
                          request=httpx.Request("GET", "http://x/api/v1/y"))


@pytest.mark.parametrize("status,code,cls", [
    (400, "bad_request", ValidationFailed), (401, "unauthorized", AuthError),
    (403, "forbidden", PermissionDenied), (404, "not_found", NotFound),
    (409, "already_taken", Conflict), (409, "conflict", Conflict),
    (413, "payload_too_large", ValidationFailed), (422, "validation_error", ValidationFailed),
    (429, "rate_limited", RateLimited), (500, "internal", ServerError),
])
def test_error_answers_map_to_typed_errors_with_sentences(status, code, cls):
    err = error_from_response(_resp(status, {"code": code, "message": "something went wrong",
                                             "details": [{"loc": ["x"], "msg": "m"}]}))
    assert type(err) is cls
    assert err.status == status
    assert err.message[0].isupper() and err.message.endswith((".", "!", "?"))
    if status < 500:
        assert err.code == code
        assert err.details == [{"loc": ["x"], "msg": "m"}]


def test_only_transient_failures_are_retryable():
    assert is_retryable(NetworkError("x")) and is_retryable(ServerError("x"))
    assert is_retryable(RateLimited("x", retry_after=3))
    for cls in (AuthError, PermissionDenied, NotFound, Conflict, ValidationFailed):
        assert not is_retryable(cls("x"))


def test_specific_sentences():
    assert error_from_response(_resp(401, {"code": "unauthorized", "message": "bad login"}),
                               login=True).message == "Wrong username or password."
    assert "sign in again" in error_from_response(
        _resp(401, {"code": "unauthorized", "message": "token revoked"})).message
    assert error_from_response(_resp(409, {"code": "already_taken", "message": "taken"})).message \
        == "A colleague has already taken this chat."
    msg = error_from_response(_resp(422, {"code": "validation_error",
                                          "message": "text: String should have at most 10000 characters"})).message
    assert msg == "The server rejected the data: text: String should have at most 10000 characters."
    limited = error_from_response(_resp(429, {"code": "rate_limited", "message": "too many logins"},
                                        {"Retry-After": "30"}))
    assert limited.retry_after == 30
    assert "try again in 30 seconds" in limited.message
    html = error_from_response(httpx.Response(502, text="<html>bad gateway</html>"))
    assert isinstance(html, ServerError) and "HTTP 502" in html.message
    empty = error_from_response(httpx.Response(404, text=""))
    assert isinstance(empty, NotFound) and empty.message.endswith(".")


def test_bad_server_urls_are_refused_with_a_sentence():
    for url in ("", "support.example.com", "ftp://x", "http://"):
        with pytest.raises(ValidationFailed) as info:
            HttpBackend(url)
        assert "https://" in info.value.message


async def test_network_failure_is_a_sentence():
    backend = HttpBackend("http://127.0.0.1:9")  # port 9 (discard): nothing listens on loopback
    try:
        with pytest.raises(NetworkError) as info:
            await backend.server_info()
        assert info.value.message == \
            "Cannot reach the server at http://127.0.0.1:9: connection refused."
        assert backend.request_log[-1].status is None
        assert backend.request_log[-1].error == info.value.message
    finally:
        await backend.close()


# --- request log -----------------------------------------------------------------------------------


def _mock_backend(handler, **kw) -> HttpBackend:
    return HttpBackend("http://desk.test", transport=httpx.MockTransport(handler), **kw)


async def test_request_log_is_a_bounded_ring_and_items_see_every_request():
    def handler(request):
        return httpx.Response(200, json={"name": "supportdesk", "version": "0.1.0",
                                         "protocol_version": 1, "last_seq": 7})

    backend = _mock_backend(handler)
    for _ in range(510):
        await backend.server_info()
    assert len(backend.request_log) == 500
    await backend.close()
    records = [item async for item in backend.items()]
    assert len(records) == 510
    assert all(isinstance(r, RequestRecord) and r.kind == "http" and r.method == "GET"
               and r.path == "/info" and r.status == 200 and r.duration_ms >= 0 for r in records)
    assert list(backend.request_log) == records[-500:]
    assert [i async for i in backend.items()] == []      # ended stays ended


async def test_token_is_sent_as_bearer_and_never_logged(caplog):
    seen = []

    def handler(request):
        seen.append((request.url.path, request.headers.get("authorization"),
                     request.headers.get("user-agent")))
        if request.url.path.endswith("/auth/login"):
            return httpx.Response(200, json={
                "token": "T0KEN-XYZ", "expires_at": "2026-11-29T22:00:00Z", "protocol_version": 1,
                "agent": {"id": 1, "login": "ann", "display_name": "Ann", "role": "agent",
                          "department_ids": [1], "status": "offline"}})
        return httpx.Response(200, json={"items": [], "total": 0, "offset": 0, "limit": 100})

    caplog.set_level("DEBUG")
    backend = _mock_backend(handler, user_agent="SupportDesk/test")
    await backend.login("ann", "pw")
    page = await backend.list_chats(state="waiting")
    assert page.total == 0
    assert seen[0] == ("/api/v1/auth/login", None, "SupportDesk/test")
    assert seen[1] == ("/api/v1/chats", "Bearer T0KEN-XYZ", "SupportDesk/test")
    assert backend.request_log[-1].path == "/chats?state=waiting&offset=0&limit=100"
    assert "T0KEN-XYZ" not in caplog.text and "T0KEN-XYZ" not in repr(backend)
    assert all("T0KEN" not in repr(r) for r in backend.request_log)
    await backend.close()
    await backend.close()   # idempotent
    with pytest.raises(BackendError):
        await backend.server_info()


async def test_unreadable_answer_is_a_server_error():
    backend = _mock_backend(lambda r: httpx.Response(200, json={"unexpected": True}))
    with pytest.raises(ServerError) as info:
        await backend.server_info()
    assert "cannot read" in info.value.message
    await backend.close()


async def test_calls_without_a_token_are_auth_errors():
    backend = _mock_backend(lambda r: httpx.Response(500))
    with pytest.raises(AuthError):
        await backend.list_chats()
    with pytest.raises(AuthError):
        await backend.start_events()
    await backend.close()


# --- the event stream against a scripted server ------------------------------------------------------

AGENT = {"id": 1, "login": "ann", "display_name": "Ann", "role": "agent", "department_ids": [1],
         "status": "online"}


def _event(seq, type_="custom.thing", data=None):
    return json.dumps({"op": "event", "seq": seq, "type": type_,
                       "ts": datetime.now(timezone.utc).isoformat(), "data": data or {"n": seq}})


class ScriptedServer:
    """A loopback WebSocket server; ``script(ws, auth_frame, n)`` plays connection number n."""

    def __init__(self, script):
        self.script = script
        self.auths: list[dict] = []
        self.server = None
        self.port = 0

    async def _handler(self, ws):
        auth = json.loads(await ws.recv())
        self.auths.append(auth)
        await self.script(ws, auth, len(self.auths))

    async def __aenter__(self):
        self.server = await serve(self._handler, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc):
        self.server.close()
        await self.server.wait_closed()


async def _next(it, kind=None, timeout=TIMEOUT):
    """The next stream item (of a kind), skipping request records unless asked for."""
    while True:
        item = await asyncio.wait_for(anext(it), timeout)
        if kind is None and isinstance(item, RequestRecord):
            continue
        if kind is not None and not isinstance(item, kind):
            continue
        return item


async def _backend_for(srv, **kw) -> HttpBackend:
    backend = HttpBackend(f"http://127.0.0.1:{srv.port}", **kw)
    backend._t.token = "tok"  # as after login; the scripted server does not check it
    return backend


async def test_first_connect_ready_events_then_resume_after_a_drop():
    async def script(ws, auth, n):
        if n == 1:
            await ws.send(json.dumps({"op": "ready", "agent": AGENT, "last_seq": 10,
                                      "resumed": False}))
            await ws.send(_event(11))
            await ws.send(_event(11))     # a duplicate must not reach the app
            await ws.send(_event(14))
            await ws.close()              # drop
        else:
            await ws.send(json.dumps({"op": "ready", "agent": AGENT, "last_seq": 20,
                                      "resumed": True}))
            await ws.send(_event(15))
            await ws.send(_event(20))
            await ws.wait_closed()       # stay open

    async with ScriptedServer(script) as srv:
        backend = await _backend_for(srv)
        it = backend.items()
        await backend.start_events()
        first = await _next(it)
        assert isinstance(first, ConnectionChanged)
        assert (first.state, first.reason) == (ConnectionState.CONNECTING, "")
        connected = await _next(it)
        assert connected.state == ConnectionState.CONNECTED
        assert await _next(it) == Resynced(last_seq=10, full=True)
        assert [(await _next(it)).seq for _ in range(2)] == [11, 14]
        dropped = await _next(it)
        assert dropped.state == ConnectionState.CONNECTING and dropped.reason
        assert (await _next(it)).state == ConnectionState.CONNECTED
        assert await _next(it) == Resynced(last_seq=14, full=False)
        e15, e20 = await _next(it), await _next(it)
        assert isinstance(e15, ServerEvent) and (e15.seq, e20.seq) == (15, 20)
        assert e15.data == {"n": 15}        # unknown type: raw dict
        assert backend.last_seq == 20
        assert [a["resume_after"] for a in srv.auths] == [None, 14]
        assert all(a == {"op": "auth", "token": "tok", "resume_after": a["resume_after"]}
                   for a in srv.auths)
        ws_records = [r for r in backend.request_log if r.kind == "ws"]
        assert [r.method for r in ws_records] == ["connect", "close", "connect"]
        await backend.close()
        assert backend.connection_state == ConnectionState.DISCONNECTED
        rest = [i async for i in it]
        assert rest[-1].state == ConnectionState.DISCONNECTED


async def test_resume_after_given_and_reset_means_full_resync():
    async def script(ws, auth, n):
        await ws.send(json.dumps({"op": "reset", "agent": AGENT, "last_seq": 500,
                                  "reason": "gap"}))
        await ws.send(_event(501))
        await ws.wait_closed()

    async with ScriptedServer(script) as srv:
        backend = await _backend_for(srv)
        it = backend.items()
        await backend.start_events(resume_after=3)
        assert (await _next(it, ConnectionChanged)).state == ConnectionState.CONNECTING
        assert (await _next(it, ConnectionChanged)).state == ConnectionState.CONNECTED
        assert await _next(it) == Resynced(last_seq=500, full=True)
        assert (await _next(it)).seq == 501
        assert srv.auths[0]["resume_after"] == 3
        await backend.close()


async def test_rejected_token_fails_and_stops_retrying():
    async def script(ws, auth, n):
        await ws.send(json.dumps({"op": "error", "code": "unauthorized",
                                  "message": "token revoked"}))
        await ws.close(4401, "unauthorized")

    async with ScriptedServer(script) as srv:
        backend = await _backend_for(srv)
        it = backend.items()
        await backend.start_events()
        assert (await _next(it, ConnectionChanged)).state == ConnectionState.CONNECTING
        failed = await _next(it, ConnectionChanged)
        assert failed.state == ConnectionState.FAILED
        assert "sign in again" in failed.reason
        with pytest.raises(AuthError):
            await backend.wait_connected(1)
        await backend.stop_events()
        assert len(srv.auths) == 1           # no retry after a rejection
        await backend.close()


async def test_close_code_4401_alone_also_fails():
    async def script(ws, auth, n):
        await ws.close(4401, "unauthorized")

    async with ScriptedServer(script) as srv:
        backend = await _backend_for(srv)
        await backend.start_events()
        await backend.wait_state(ConnectionState.FAILED, TIMEOUT)
        await backend.close()


async def test_silent_server_is_declared_dead_and_reconnected():
    pings = []

    async def script(ws, auth, n):
        await ws.send(json.dumps({"op": "ready", "agent": AGENT, "last_seq": 0,
                                  "resumed": n > 1}))
        if n == 1:
            async for raw in ws:          # swallow app pings, never answer: a hung server
                pings.append(json.loads(raw))
        else:
            async for raw in ws:
                frame = json.loads(raw)
                await ws.send(json.dumps({"op": "pong", "nonce": frame["nonce"]}))

    async with ScriptedServer(script) as srv:
        backend = await _backend_for(srv, ping_interval=0.2, dead_after=0.6)
        it = backend.items()
        await backend.start_events()
        assert (await _next(it, ConnectionChanged)).state == ConnectionState.CONNECTING
        assert (await _next(it, ConnectionChanged)).state == ConnectionState.CONNECTED
        dead = await _next(it, ConnectionChanged)
        assert dead.state == ConnectionState.CONNECTING
        assert "stopped answering" in dead.reason
        assert pings and all(p["op"] == "ping" for p in pings)
        assert (await _next(it, ConnectionChanged)).state == ConnectionState.CONNECTED
        # the second server answers pings: the connection stays up across several intervals
        with pytest.raises(TimeoutError):
            await _next(it, ConnectionChanged, timeout=2.0)
        assert backend.connection_state == ConnectionState.CONNECTED
        await backend.close()


async def test_unreachable_server_keeps_connecting_with_the_error_as_reason():
    backend = HttpBackend("http://127.0.0.1:9", backoff=Backoff(base=0.01, cap=0.02))
    backend._t.token = "tok"
    it = backend.items()
    await backend.start_events()
    first = await _next(it, ConnectionChanged)
    assert first.state == ConnectionState.CONNECTING
    second = await _next(it, ConnectionChanged)
    assert second.state == ConnectionState.CONNECTING
    assert second.reason == "Cannot reach the server at http://127.0.0.1:9: connection refused."
    failures = []
    while len(failures) < 3:   # it keeps trying, each attempt logged
        rec = await _next(it, RequestRecord)
        if rec.kind == "ws":
            failures.append(rec)
    assert all(r.method == "connect" and r.status is None for r in failures)
    await backend.close()
    assert backend.connection_state == ConnectionState.DISCONNECTED


async def test_reconnect_now_drops_and_resumes():
    async def script(ws, auth, n):
        await ws.send(json.dumps({"op": "ready", "agent": AGENT, "last_seq": 5,
                                  "resumed": n > 1}))
        if n == 1:
            await ws.send(_event(5 + 1))
        await ws.wait_closed()

    async with ScriptedServer(script) as srv:
        backend = await _backend_for(srv, backoff=Backoff(base=30, cap=30))  # only a wake-up helps
        it = backend.items()
        await backend.start_events()
        assert (await _next(it, ServerEvent)).seq == 6
        await backend.reconnect_now(drop_current=True)
        assert (await _next(it, ConnectionChanged)).state == ConnectionState.CONNECTING
        assert (await _next(it, ConnectionChanged)).state == ConnectionState.CONNECTED
        assert srv.auths[1]["resume_after"] == 6
        await backend.close()

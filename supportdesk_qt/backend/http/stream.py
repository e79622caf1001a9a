"""The agent event stream of :class:`~supportdesk_qt.backend.http.HttpBackend`: one WebSocket
(the ``websockets`` package) with heartbeat, reconnect and resume (docs/protocol.md).

* Once started, the stream reconnects by itself forever (exponential backoff with full jitter,
  0.25 s doubling to 5 s, reset after a stable connection) and resumes after :attr:`last_seq`, so
  every event the agent may see is delivered exactly once, in seq order, across drops and server
  restarts. A token the server rejects (close code 4401) stops the retries with state
  ``FAILED``: a person has to sign in again.
* A dead connection is noticed within ``dead_after`` seconds (2.5 s by default): an application
  ping after ``ping_interval`` (1 s) of silence; the server answers every ping at once and sends
  events in between, so silence for 2.5 s means the path is gone (docs/protocol.md,
  "Heartbeat"). A timer that fires far too late (the loop was stalled, the machine slept) is not
  taken as proof: the connection gets one more short ping window instead of a false alarm.
  :meth:`EventStream.reconnect_now` skips the backoff wait (network up, wake from sleep:
  ``core/reconnect.py``).
* Every lifecycle step (connect, ready/reset, drop) is a :class:`RequestRecord` of the transport.

Order of stream items on (re)connect: ``ConnectionChanged(CONNECTED)``, then
``Resynced(last_seq, full=not resumed)`` (``full=True`` also after a ``reset``), then the replayed
and live ``ServerEvent`` items. On a drop: ``ConnectionChanged(CONNECTING, reason)``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
import uuid
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI

from supportdesk_protocol.events import AuthFrame, EventFrame, PingFrame, ReadyFrame, ResetFrame
from supportdesk_protocol.limits import API_PREFIX
from supportdesk_protocol.schemas import Agent
from supportdesk_qt.backend.base import (
    AuthError,
    BackendError,
    BackendItem,
    ConnectionChanged,
    ConnectionState,
    Resynced,
    ServerEvent,
)
from supportdesk_qt.backend.http.errors import DEFAULT_SENTENCES, describe_network_error, sentence
from supportdesk_qt.backend.http.transport import HttpTransport, utc_now

log = logging.getLogger("supportdesk.backend.http")

WS_PATH = "/agent/ws"
AUTH_REJECTED_CLOSE_CODE = 4401
STALL_GRACE = 1.0   # a heartbeat timer this late means a stalled loop or a sleep, not a dead link
SESSION_REJECTED = "The server no longer accepts this session; please sign in again."


# --- reconnect schedule ---------------------------------------------------------------------------


class Backoff:
    """Exponential backoff with full jitter: attempt *n* waits ``uniform(0, min(cap, base*2**n))``.

    Full jitter spreads the reconnects of many clients after a server restart instead of having
    them all knock at once. ``reset()`` after a connection that stayed up for a while, so the next
    drop retries almost at once.
    """

    def __init__(self, base: float = 0.25, cap: float = 5.0,
                 rng: Callable[[], float] = random.random) -> None:
        self.base = base
        self.cap = cap
        self.rng = rng
        self.attempt = 0

    def ceiling(self, attempt: int) -> float:
        """The longest wait of the given attempt (0-based)."""
        if attempt >= 64:  # 2**64 * base overflows nothing, but is silly
            return self.cap
        return min(self.cap, self.base * (2 ** attempt))

    def next_delay(self) -> float:
        delay = self.rng() * self.ceiling(self.attempt)
        self.attempt += 1
        return delay

    def reset(self) -> None:
        self.attempt = 0


class AuthRejected(Exception):
    """The event stream's token was refused (4401): stop retrying."""


class StreamDead(Exception):
    """No frame within ``dead_after`` seconds, or a protocol violation: reconnect."""


def _ping() -> str:
    return PingFrame(op="ping", nonce=uuid.uuid4().hex[:16]).model_dump_json()


def _abort(ws: ClientConnection) -> bool:
    """Drop the socket without the close handshake (a dead path would never answer it)."""
    transport = getattr(ws, "transport", None)
    if transport is None:  # pragma: no cover - another websockets implementation
        return False
    transport.abort()
    return True


# --- the stream -----------------------------------------------------------------------------------


class EventStream:
    """The agent's event stream over ``transport``'s server and token; items go to ``emit``,
    the agent of each ready/reset frame to ``on_agent``."""

    def __init__(self, transport: HttpTransport, emit: Callable[[BackendItem], None],
                 on_agent: Callable[[Agent], None], *, ping_interval: float = 1.0,
                 dead_after: float = 2.5, connect_timeout: float = 10.0,
                 stable_after: float = 10.0, backoff: Backoff | None = None) -> None:
        self.ping_interval = ping_interval
        self.dead_after = dead_after
        self.connect_timeout = connect_timeout   # TCP + TLS + WS handshake + the ready frame
        self.stable_after = stable_after
        self.backoff = backoff or Backoff()
        self._t = transport
        self._emit = emit
        self._on_agent = on_agent
        scheme, rest = transport.server_url.split("://", 1)
        self._ws_url = ("wss" if scheme == "https" else "ws") + "://" + rest + API_PREFIX + WS_PATH
        self._state = ConnectionState.DISCONNECTED
        self._state_reason = ""
        self._state_changed = asyncio.Event()
        self.last_seq = 0
        self._positioned = False     # True once a ready/reset (or start(n)) fixed last_seq
        self._task: asyncio.Task[None] | None = None
        self._ws: ClientConnection | None = None
        self._wake = asyncio.Event()

    @property
    def state(self) -> ConnectionState:
        return self._state

    @property
    def reason(self) -> str:
        return self._state_reason

    def _set_state(self, state: ConnectionState, reason: str = "") -> None:
        if state == self._state and reason == self._state_reason:
            return
        self._state = state
        self._state_reason = reason
        log.info("event stream %s%s", state.value, f": {reason}" if reason else "")
        self._emit(ConnectionChanged(state, reason))
        ev, self._state_changed = self._state_changed, asyncio.Event()
        ev.set()

    async def wait_connected(self, timeout: float = 10.0) -> None:
        """Wait until the event stream is live. Raises TimeoutError, or AuthError when the token
        was rejected (state FAILED), or BackendError when the backend is closed meanwhile."""
        async with asyncio.timeout(timeout):
            while self._state != ConnectionState.CONNECTED:
                if self._state == ConnectionState.FAILED:
                    raise AuthError(self._state_reason or DEFAULT_SENTENCES[401],
                                    code="unauthorized", status=401)
                if self._t.closed:
                    raise BackendError("The connection to the server was closed.", code="closed")
                await self._state_changed.wait()

    async def wait_state(self, state: ConnectionState, timeout: float = 10.0) -> None:
        """Wait until :attr:`state` is ``state`` (tests)."""
        async with asyncio.timeout(timeout):
            while self._state != state:
                await self._state_changed.wait()

    async def start(self, resume_after: int | None = None) -> None:
        if self._t.closed:
            raise BackendError("The connection to the server was closed.", code="closed")
        if not self._t.token:
            raise AuthError("Sign in before opening the event stream.", code="unauthorized")
        if resume_after is not None:
            self.last_seq = resume_after
            self._positioned = True
        if self._task is not None and not self._task.done():
            return
        self._task = asyncio.create_task(self._run(), name="supportdesk-events")

    async def stop(self) -> None:
        task, self._task = self._task, None
        while task is not None and not task.done():
            task.cancel()
            await asyncio.wait([task], timeout=5.0)  # re-cancel if a cancel was ever swallowed
        if self._state != ConnectionState.DISCONNECTED:
            self._set_state(ConnectionState.DISCONNECTED, "")

    async def reconnect_now(self, *, drop_current: bool = False) -> None:
        """Skip the backoff wait (network came back, the machine woke up). With ``drop_current``
        also close the live socket first (it may be dead after a sleep); resume makes it safe."""
        self._wake.set()
        ws = self._ws
        if drop_current and ws is not None:
            # abort, not close(): after a sleep or a network change the peer may never answer a
            # close frame, and waiting for it is exactly the delay this method is here to skip
            log.info("dropping the event stream to reconnect at once")
            if not _abort(ws):  # pragma: no cover
                await ws.close(code=1001, reason="client reconnects")

    async def _run(self) -> None:
        backoff = self.backoff
        backoff.reset()
        reason = ""
        try:
            while True:
                self._set_state(ConnectionState.CONNECTING, reason)
                self._wake.clear()   # a reconnect_now() from here on cuts the next wait short
                ready_at: list[float] = []
                try:
                    await self._stream_once(ready_at)
                    reason = "The server closed the event stream."
                except AuthRejected as exc:
                    self._set_state(ConnectionState.FAILED, str(exc))
                    return
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # any failure: log it, back off, retry
                    reason = self._describe_stream_error(exc)
                    log.debug("event stream failed", exc_info=True)
                finally:
                    self._ws = None
                if ready_at and time.monotonic() - ready_at[0] >= self.stable_after:
                    backoff.reset()
                delay = backoff.next_delay()
                self._set_state(ConnectionState.CONNECTING, reason)
                try:
                    async with asyncio.timeout(delay):
                        await self._wake.wait()
                except TimeoutError:
                    pass
        except asyncio.CancelledError:
            pass

    def _describe_stream_error(self, exc: Exception) -> str:
        if isinstance(exc, StreamDead):
            return str(exc)
        if isinstance(exc, ConnectionClosed):
            return "The connection to the server was lost; reconnecting."
        if isinstance(exc, InvalidStatus):
            return (f"The server refused the event stream (HTTP "
                    f"{exc.response.status_code}); retrying.")
        if isinstance(exc, (InvalidURI, InvalidHandshake)):
            return (f"The server at {self._t.server_url} does not speak the SupportDesk event "
                    f"protocol.")
        return describe_network_error(exc, self._t.server_url)

    async def _stream_once(self, ready_at: list[float]) -> None:
        started = time.monotonic()
        at = utc_now()
        resume = self.last_seq if self._positioned else None
        kwargs: dict[str, Any] = {}
        if self._ws_url.startswith("wss:"):
            kwargs["ssl"] = self._t.ssl
        connected = False
        try:
            async with ws_connect(
                self._ws_url, user_agent_header=self._t.user_agent,
                open_timeout=self.connect_timeout,
                # our application ping (``_read_loop``) is the heartbeat; no second protocol ping
                ping_interval=None, ping_timeout=None,
                close_timeout=2.0, max_size=4 * 1024 * 1024, **kwargs,
            ) as ws:
                self._ws = ws
                await ws.send(self._auth_frame(resume))
                first = await self._recv_json(ws, self.connect_timeout, "an answer to sign-in")
                op = first.get("op")
                if op == "error":
                    code = str(first.get("code", ""))
                    msg = sentence(str(first.get("message", ""))) or \
                        "The server refused the stream."
                    if code == "unauthorized":
                        raise AuthRejected(SESSION_REJECTED)
                    raise StreamDead(msg)
                if op == "ready":
                    frame = ReadyFrame.model_validate(first)
                    if not frame.resumed:
                        self.last_seq = frame.last_seq
                    full = not frame.resumed
                    status_text = "ready (resumed)" if frame.resumed else "ready"
                elif op == "reset":
                    rframe = ResetFrame.model_validate(first)
                    self.last_seq = rframe.last_seq
                    full = True
                    frame = rframe  # type: ignore[assignment]
                    status_text = f"reset ({rframe.reason})"
                else:
                    raise StreamDead(f"The server answered sign-in with {op!r}; retrying.")
                self._positioned = True
                self._on_agent(frame.agent)
                connected = True
                ready_at.append(time.monotonic())
                self._t.record("ws", "connect", WS_PATH + f" {status_text}", 101, started, "", at)
                self._set_state(ConnectionState.CONNECTED, "")
                self._emit(Resynced(last_seq=self.last_seq, full=full))
                await self._read_loop(ws)
        except ConnectionClosed as exc:
            if exc.rcvd is not None and exc.rcvd.code == AUTH_REJECTED_CLOSE_CODE:
                self._t.record("ws", "close", WS_PATH, None, started, "session rejected (4401)",
                               at)
                raise AuthRejected(SESSION_REJECTED) from exc
            self._t.record("ws", "close" if connected else "connect", WS_PATH, None, started,
                           self._describe_stream_error(exc), at)
            raise
        except InvalidStatus as exc:
            if exc.response.status_code in (401, 4401):
                raise AuthRejected(SESSION_REJECTED) from exc
            self._t.record("ws", "connect", WS_PATH, exc.response.status_code, started,
                           self._describe_stream_error(exc), at)
            raise
        except AuthRejected as exc:
            self._t.record("ws", "close", WS_PATH, None, started, str(exc), at)
            raise
        except asyncio.CancelledError:
            if connected:
                self._t.record("ws", "close", WS_PATH, None, started, "stopped", at)
            raise
        except Exception as exc:
            self._t.record("ws", "close" if connected else "connect", WS_PATH, None, started,
                           self._describe_stream_error(exc), at)
            raise
        # the server closed cleanly
        self._t.record("ws", "close", WS_PATH, None, started, "closed by the server", at)

    def _auth_frame(self, resume: int | None) -> str:
        try:
            frame = AuthFrame(op="auth", token=self._t.token or "", resume_after=resume)
        except ValidationError:   # no token, or one the protocol cannot carry: sign in again
            raise AuthRejected(SESSION_REJECTED) from None
        return frame.model_dump_json()

    async def _recv_json(self, ws: ClientConnection, timeout: float, what: str) -> dict[str, Any]:
        try:
            async with asyncio.timeout(timeout):
                raw = await ws.recv()
        except TimeoutError as exc:
            raise StreamDead(f"The server sent no {what} within {timeout:.0f} seconds.") from exc
        return self._decode(raw)

    @staticmethod
    def _decode(raw: str | bytes) -> dict[str, Any]:
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise StreamDead("The server sent a frame that is not JSON; reconnecting.") from exc
        if not isinstance(data, dict):
            raise StreamDead("The server sent a frame that is not a JSON object; reconnecting.")
        return data

    async def _read_loop(self, ws: ClientConnection) -> None:
        loop = asyncio.get_running_loop()
        last_rx = loop.time()
        next_ping = last_rx + self.ping_interval
        graced = False   # one stall grace per silence, so a loop that is always late still ends
        while True:
            now = start = loop.time()
            wait = max(0.0, min(next_ping, last_rx + self.dead_after) - now)
            try:
                # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a
                # cancellation that arrives just as recv() completes, and stop() would
                # then wait forever for a task that no longer knows it was cancelled.
                async with asyncio.timeout(wait):
                    raw = await ws.recv()
            except TimeoutError:
                now = loop.time()
                if now - (start + wait) > STALL_GRACE and not graced:
                    graced = True
                    # the timer itself fired far too late: the loop was blocked or the machine
                    # slept, so the silence proves nothing yet; ping and allow one short window
                    log.info("event loop stalled for %.1f s; re-checking the connection",
                             now - (start + wait))
                    await ws.send(_ping())
                    last_rx = now - max(0.0, self.dead_after - self.ping_interval)
                    next_ping = now + self.ping_interval
                    continue
                if now - last_rx >= self.dead_after:
                    dead = StreamDead(
                        f"The server stopped answering (nothing for {self.dead_after:g} "
                        f"seconds); reconnecting.")
                    # say so now, and drop the socket without the close handshake: a dead
                    # path would hold ``close()`` for ``close_timeout`` and the status would
                    # stay green meanwhile
                    self._set_state(ConnectionState.CONNECTING, str(dead))
                    _abort(ws)
                    raise dead from None
                if now >= next_ping:
                    await ws.send(_ping())
                    next_ping = now + self.ping_interval
                continue
            last_rx = loop.time()
            next_ping = last_rx + self.ping_interval
            graced = False
            self._handle_frame(self._decode(raw))

    def _handle_frame(self, data: dict[str, Any]) -> None:
        op = data.get("op")
        if op == "event":
            try:
                frame = EventFrame.model_validate(data)
            except ValidationError as exc:
                raise StreamDead("The server sent a malformed event; reconnecting.") from exc
            if frame.seq <= self.last_seq:
                log.debug("skipping event %s (already applied up to %s)", frame.seq,
                          self.last_seq)
                return
            try:
                payload: Any = frame.parsed()
            except ValidationError as exc:
                log.warning("event %s (%s) has an unexpected payload; passing it raw: %s",
                            frame.seq, frame.type, str(exc)[:300])
                payload = frame.data
            self._emit(ServerEvent(seq=frame.seq, type=frame.type, ts=frame.ts, data=payload))
            self.last_seq = frame.seq
        elif op == "pong":
            return
        elif op == "error":
            if data.get("code") == "unauthorized":
                raise AuthRejected(SESSION_REJECTED)
            log.warning("event stream error from the server: %s: %s", data.get("code"),
                        data.get("message"))
        elif op == "reset":
            # Not expected mid-stream, but honour it: reload everything and continue from N.
            try:
                frame_r = ResetFrame.model_validate(data)
            except ValidationError as exc:
                raise StreamDead("The server sent a malformed reset; reconnecting.") from exc
            self.last_seq = frame_r.last_seq
            self._emit(Resynced(last_seq=self.last_seq, full=True))
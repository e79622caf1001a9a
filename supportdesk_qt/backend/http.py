"""``HttpBackend``: the :class:`~supportdesk_qt.backend.base.Backend` over our own protocol
(docs/protocol.md): JSON over HTTP with ``httpx.AsyncClient``, the agent event stream over the
``websockets`` package. Qt-free; every method is a coroutine and nothing blocks the loop.

What it guarantees to the layer above:

* Every error is a :class:`BackendError` subclass whose ``message`` is a sentence fit to show a
  person (``AuthError``, ``NotFound``, ``Conflict``..., ``NetworkError`` when the server cannot be
  reached, ``ServerError`` for a 5xx or an unreadable answer).
* Every HTTP request and every WebSocket lifecycle step (connect, ready/reset, drop) produces a
  :class:`RequestRecord`, put on :meth:`items` and kept in :attr:`HttpBackend.request_log` (a ring
  of the last 500) for the network panel. Tokens and passwords never appear in records or logs.
* The event stream, once started, reconnects by itself forever (exponential backoff with full
  jitter, 0.25 s doubling to 5 s, reset after a stable connection) and resumes after
  :attr:`last_seq`, so every event the agent may see is delivered exactly once, in seq order, across
  drops and server restarts. A token the server rejects (close code 4401) stops the retries with
  state ``FAILED``: a person has to sign in again.
* A dead connection is noticed within ``dead_after`` seconds (2.5 s by default): an application
  ping after ``ping_interval`` (1 s) of silence; the server answers every ping at once and sends
  events in between, so silence for 2.5 s means the path is gone (docs/protocol.md, "Heartbeat").
  A timer that fires far too late (the loop was stalled, the machine slept) is not taken as proof:
  the connection gets one more short ping window instead of a false alarm.
  :meth:`reconnect_now` skips the backoff wait (network up, wake from sleep: ``core/reconnect.py``).

Order of stream items on (re)connect: ``ConnectionChanged(CONNECTED)``, then
``Resynced(last_seq, full=not resumed)`` (``full=True`` also after a ``reset``), then the replayed
and live ``ServerEvent`` items. On a drop: ``ConnectionChanged(CONNECTING, reason)``.
"""

from __future__ import annotations

import asyncio
import collections
import errno
import json
import logging
import random
import socket
import ssl
import time
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI

from supportdesk_protocol.events import EventFrame, ReadyFrame, ResetFrame
from supportdesk_protocol.limits import API_PREFIX, MAX_PAGE_LIMIT
from supportdesk_protocol.schemas import (
    Agent,
    AgentStatus,
    ChangelogEntry,
    Chat,
    ChatEvent,
    ChatEventList,
    ChatMessage,
    ChatState,
    Client,
    ClientUser,
    Department,
    Expense,
    LoginResponse,
    MessagePage,
    Page,
    Payment,
    PredefinedReply,
    Project,
    SearchResult,
    ServerInfo,
    Service,
    Ticket,
    TicketPost,
    TicketPriority,
    TicketStatus,
)
from supportdesk_protocol.schemas import ClientAreaLink  # chat authorization (issue 4)
from supportdesk_qt.backend.base import (
    AuthError,
    Backend,
    BackendError,
    BackendItem,
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

log = logging.getLogger("supportdesk.backend.http")

M = TypeVar("M", bound=BaseModel)

WS_PATH = "/agent/ws"
REQUEST_LOG_SIZE = 500
AUTH_REJECTED_CLOSE_CODE = 4401
STALL_GRACE = 1.0   # a heartbeat timer this late means a stalled loop or a sleep, not a dead link


def _app_version() -> str:
    try:
        from importlib.metadata import version

        return version("supportdesk")
    except Exception:  # not installed (running from a checkout)
        return "0.1.0"


DEFAULT_USER_AGENT = f"SupportDesk/{_app_version()}"


def _now() -> datetime:
    return datetime.now(timezone.utc)


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


# --- error sentences ------------------------------------------------------------------------------


def _reason_from_exception(exc: BaseException) -> str:
    """A short lowercase phrase for why a connection failed, found anywhere in the cause chain."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    found: list[BaseException] = []
    while todo:
        e = todo.pop(0)
        if id(e) in seen:
            continue
        seen.add(id(e))
        found.append(e)
        for nxt in (e.__cause__, e.__context__):
            if nxt is not None:
                todo.append(nxt)
        if isinstance(e, BaseExceptionGroup):
            todo.extend(e.exceptions)
    for e in found:
        if isinstance(e, ssl.SSLCertVerificationError):
            return f"its TLS certificate could not be verified ({e.verify_message or e})"
    for e in found:
        if isinstance(e, ssl.SSLError):
            return f"the TLS handshake failed ({e.reason or e})"
    for e in found:
        if isinstance(e, socket.gaierror):
            return "the host name could not be resolved"
    for e in found:
        if isinstance(e, ConnectionRefusedError) or getattr(e, "errno", None) == errno.ECONNREFUSED:
            return "connection refused"
    for e in found:
        code = getattr(e, "errno", None)
        if isinstance(e, ConnectionResetError) or code == errno.ECONNRESET:
            return "the connection was reset"
        if code == errno.ENETUNREACH:
            return "the network is unreachable"
        if code == errno.EHOSTUNREACH:
            return "no route to the host"
    for e in found:
        if isinstance(e, (httpx.TimeoutException, TimeoutError, asyncio.TimeoutError)):
            return "the connection timed out"
    for e in found:
        if isinstance(e, httpx.RemoteProtocolError):
            return "the server closed the connection unexpectedly"
        if isinstance(e, httpx.UnsupportedProtocol):
            return "the address must start with http:// or https://"
    for e in found:
        if "connection refused" in str(e).lower():
            return "connection refused"
    text = str(exc).strip()
    return text[:200] if text else type(exc).__name__


def describe_network_error(exc: BaseException, server_url: str) -> str:
    """``Cannot reach the server at http://host:port: connection refused.``"""
    return f"Cannot reach the server at {server_url}: {_reason_from_exception(exc)}."


def _sentence(text: str) -> str:
    text = " ".join(str(text).split())
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


_STATUS_ERRORS: dict[int, type[BackendError]] = {
    400: ValidationFailed,
    401: AuthError,
    403: PermissionDenied,
    404: NotFound,
    409: Conflict,
    413: ValidationFailed,
    422: ValidationFailed,
    429: RateLimited,
}

_DEFAULT_SENTENCES = {
    400: "The server could not understand the request.",
    401: "Your session is no longer valid; please sign in again.",
    403: "You are not allowed to do that.",
    404: "That item does not exist or is not visible to you.",
    409: "That cannot be done in the item's current state; reload it and try again.",
    413: "That is too large to send.",
    422: "The server rejected the data.",
    429: "Too many attempts; please wait a moment and try again.",
}

_CODE_SENTENCES = {
    "already_taken": "A colleague has already taken this chat.",
}


def _retry_after(resp: httpx.Response) -> float | None:
    value = resp.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def error_from_response(resp: httpx.Response, *, login: bool = False) -> BackendError:
    """Map an error answer (``{"code", "message", "details"}``) to a BackendError with a sentence."""
    status = resp.status_code
    code, server_message, details = "", "", None
    try:
        body = resp.json()
        if isinstance(body, dict):
            code = str(body.get("code") or "")
            server_message = str(body.get("message") or "")
            details = body.get("details")
    except ValueError:
        pass
    if status in (503, 507) and code and server_message:
        # an operational fault the server names (database locked, disk full): its sentence,
        # still a ServerError, so the outbox keeps the message and tries again later
        return ServerError(_sentence(f"The server could not do that: {server_message}"),
                           code=code, status=status, details=details)
    if status >= 500 or status not in _STATUS_ERRORS and status >= 400 and not code:
        return ServerError(
            f"The server failed to handle the request (HTTP {status}); try again, and tell your "
            f"administrator if it keeps happening.", code=code or "server_error", status=status,
            details=details)
    cls = _STATUS_ERRORS.get(status, BackendError)
    if status == 401 and login:
        message = "Wrong username or password."
    elif status == 401:
        message = _DEFAULT_SENTENCES[401]
    elif code in _CODE_SENTENCES:
        message = _CODE_SENTENCES[code]
    elif status == 422 and server_message:
        message = _sentence(f"The server rejected the data: {server_message}")
    else:
        message = _sentence(server_message) or _DEFAULT_SENTENCES.get(
            status, f"The request failed (HTTP {status}).")
    code = code or {401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict",
                    422: "validation_error", 429: "rate_limited"}.get(status, "error")
    if cls is RateLimited:
        retry = _retry_after(resp)
        if retry is not None and "try again in" not in message.lower():
            message = f"{message[:-1] if message.endswith('.') else message}; try again in " \
                      f"{max(1, round(retry))} seconds."
        return RateLimited(message, retry_after=retry, code=code, status=status, details=details)
    return cls(message, code=code, status=status, details=details)


class _AuthRejected(Exception):
    """The event stream's token was refused (4401): stop retrying."""


class _StreamDead(Exception):
    """No frame within ``dead_after`` seconds, or a protocol violation: reconnect."""


_END = object()


def _ssl_context(verify: bool | str) -> ssl.SSLContext:
    """System CAs (``True``), or only the CA file / directory given. Certificate verification
    cannot be turned off (docs/security.md): a self-signed server needs its CA file."""
    if verify is False:
        raise ValueError("TLS certificate verification cannot be turned off; give the CA "
                         "certificate file of the server instead")
    if isinstance(verify, str) and verify:
        import os

        if os.path.isdir(verify):
            return ssl.create_default_context(capath=verify)
        return ssl.create_default_context(cafile=verify)
    return ssl.create_default_context()


def normalize_server_url(server_url: str) -> str:
    """Strip spaces and trailing slashes; refuse anything that is not an http(s) URL."""
    url = (server_url or "").strip().rstrip("/")
    try:
        parsed = httpx.URL(url)
    except Exception:
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValidationFailed(
            f"The server address {server_url!r} is not valid; it must look like "
            f"https://support.example.com or http://127.0.0.1:8000.", code="bad_server_url")
    return url


class _ItemIterator:
    """Async iterator over the backend's queue. Unlike an async generator it survives a cancelled
    ``__anext__`` (``asyncio.wait_for(anext(it), t)`` timing out): nothing is lost, iteration
    simply continues with the next call."""

    def __init__(self, backend: HttpBackend) -> None:
        self._backend = backend

    def __aiter__(self) -> _ItemIterator:
        return self

    async def __anext__(self) -> BackendItem:
        b = self._backend
        if b._ended and b._queue.empty():
            raise StopAsyncIteration
        item = await b._queue.get()
        if item is _END:
            b._ended = True
            raise StopAsyncIteration
        return item


# --- the backend ------------------------------------------------------------------------------------


class HttpBackend(Backend):
    """Our own server over HTTP + WebSocket. See the module docstring for the guarantees."""

    def __init__(self, server_url: str, *, verify: bool | str = True,
                 user_agent: str = DEFAULT_USER_AGENT, timeout: float = 15.0,
                 ping_interval: float = 1.0, dead_after: float = 2.5,
                 connect_timeout: float = 10.0,
                 stable_after: float = 10.0, backoff: Backoff | None = None,
                 request_log_size: int = REQUEST_LOG_SIZE,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.server_url = normalize_server_url(server_url)
        self.user_agent = user_agent
        self.ping_interval = ping_interval
        self.dead_after = dead_after
        self.connect_timeout = connect_timeout   # TCP + TLS + WS handshake + the ready frame
        self.stable_after = stable_after
        self.backoff = backoff or Backoff()
        self.request_log: collections.deque[RequestRecord] = collections.deque(
            maxlen=request_log_size)
        self._ssl = _ssl_context(verify)
        self._http = httpx.AsyncClient(
            base_url=self.server_url, verify=self._ssl, timeout=timeout,
            headers={"User-Agent": user_agent, "Accept": "application/json"},
            transport=transport)
        scheme, rest = self.server_url.split("://", 1)
        self._ws_url = ("wss" if scheme == "https" else "ws") + "://" + rest + API_PREFIX + WS_PATH
        self._token: str | None = None
        self._agent: Agent | None = None
        self._state = ConnectionState.DISCONNECTED
        self._state_reason = ""
        self._state_changed = asyncio.Event()
        self._last_seq = 0
        self._positioned = False     # True once a ready/reset (or start_events(n)) fixed last_seq
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._ended = False
        self._closed = False
        self._events_task: asyncio.Task[None] | None = None
        self._ws: ClientConnection | None = None
        self._wake = asyncio.Event()

    # -- properties

    @property
    def connection_state(self) -> ConnectionState:
        return self._state

    @property
    def connection_reason(self) -> str:
        return self._state_reason

    @property
    def last_seq(self) -> int:
        return self._last_seq

    @property
    def agent(self) -> Agent | None:
        return self._agent

    @property
    def token(self) -> str | None:
        """The bearer token in use (for the keyring; never log it)."""
        return self._token

    @property
    def closed(self) -> bool:
        return self._closed

    def __repr__(self) -> str:  # never the token
        return f"<HttpBackend {self.server_url} state={self._state.value} last_seq={self._last_seq}>"

    # -- stream plumbing

    def _emit(self, item: BackendItem) -> None:
        if not self._ended:
            self._queue.put_nowait(item)

    def _record(self, kind: str, method: str, path: str, status: int | None, started: float,
                error: str = "", at: datetime | None = None) -> None:
        rec = RequestRecord(at=at or _now(), kind=kind, method=method, path=path, status=status,
                            duration_ms=round((time.monotonic() - started) * 1000.0, 1),
                            error=error)
        self.request_log.append(rec)
        self._emit(rec)
        if error:
            log.info("%s %s %s -> %s (%.0f ms): %s", kind, method, path, status, rec.duration_ms,
                     error)
        else:
            log.debug("%s %s %s -> %s (%.0f ms)", kind, method, path, status, rec.duration_ms)

    def _set_state(self, state: ConnectionState, reason: str = "") -> None:
        if state == self._state and reason == self._state_reason:
            return
        self._state = state
        self._state_reason = reason
        log.info("event stream %s%s", state.value, f": {reason}" if reason else "")
        self._emit(ConnectionChanged(state, reason))
        ev, self._state_changed = self._state_changed, asyncio.Event()
        ev.set()

    def items(self) -> AsyncIterator[BackendItem]:
        return _ItemIterator(self)

    async def wait_connected(self, timeout: float = 10.0) -> None:
        """Wait until the event stream is live. Raises TimeoutError, or AuthError when the token
        was rejected (state FAILED), or BackendError when the backend is closed meanwhile."""
        async with asyncio.timeout(timeout):
            while self._state != ConnectionState.CONNECTED:
                if self._state == ConnectionState.FAILED:
                    raise AuthError(self._state_reason or _DEFAULT_SENTENCES[401],
                                    code="unauthorized", status=401)
                if self._closed:
                    raise BackendError("The connection to the server was closed.", code="closed")
                await self._state_changed.wait()

    async def wait_state(self, state: ConnectionState, timeout: float = 10.0) -> None:
        """Wait until ``connection_state == state`` (tests, UI)."""
        async with asyncio.timeout(timeout):
            while self._state != state:
                await self._state_changed.wait()

    # -- HTTP

    async def _request(self, method: str, path: str, *, body: Any = None,
                       params: dict[str, Any] | None = None, auth: bool = True,
                       login: bool = False) -> httpx.Response:
        if self._closed:
            raise BackendError("The connection to the server was closed.", code="closed")
        headers = {}
        if auth:
            if not self._token:
                raise AuthError("You are not signed in.", code="unauthorized")
            headers["Authorization"] = f"Bearer {self._token}"
        if params:
            params = {k: v for k, v in params.items() if v is not None}
        shown = path + ("?" + str(httpx.QueryParams(params)) if params else "")
        started = time.monotonic()
        at = _now()
        try:
            resp = await self._http.request(method, API_PREFIX + path, json=body, params=params,
                                            headers=headers)
        except (httpx.HTTPError, OSError, ssl.SSLError) as exc:
            message = describe_network_error(exc, self.server_url)
            self._record("http", method, shown, None, started, message, at)
            raise NetworkError(message, code="network") from exc
        error = ""
        if resp.status_code >= 400:
            err = error_from_response(resp, login=login)
            self._record("http", method, shown, resp.status_code, started, err.message, at)
            raise err
        self._record("http", method, shown, resp.status_code, started, error, at)
        return resp

    def _parse(self, model: type[M], resp: httpx.Response) -> M:
        try:
            return model.model_validate(resp.json())
        except (ValueError, ValidationError) as exc:
            log.warning("unreadable answer to %s %s: %s", resp.request.method, resp.request.url.path,
                        str(exc)[:500])
            raise ServerError(
                "The server sent an answer this version of SupportDesk cannot read; is the "
                "server address right and the server up to date?", code="bad_response",
                status=resp.status_code) from exc

    async def _get(self, model: type[M], path: str, **params: Any) -> M:
        return self._parse(model, await self._request("GET", path, params=params))

    # -- lifecycle and session

    async def server_info(self) -> ServerInfo:
        return self._parse(ServerInfo, await self._request("GET", "/info", auth=False))

    async def login(self, username: str, password: str) -> LoginResponse:
        resp = await self._request("POST", "/auth/login", auth=False, login=True,
                                   body={"username": username, "password": password})
        data = self._parse(LoginResponse, resp)
        self._token = data.token
        self._agent = data.agent
        return data

    async def use_token(self, token: str) -> Agent:
        previous = self._token
        self._token = token
        try:
            agent = await self.me()
        except AuthError:
            self._token = previous if previous != token else None
            raise
        return agent

    async def me(self) -> Agent:
        agent = await self._get(Agent, "/me")
        self._agent = agent
        return agent

    async def logout(self) -> None:
        """Stop the stream, revoke the token on the server and forget it. An already invalid
        token is fine; a network failure is raised after the local state is cleared."""
        await self.stop_events()
        if not self._token:
            return
        try:
            await self._request("POST", "/auth/logout")
        except AuthError:
            pass
        finally:
            self._token = None
            self._agent = None

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self.stop_events()
        try:
            await self._http.aclose()
        except Exception:  # pragma: no cover - closing must not fail
            log.exception("closing the HTTP client failed")
        self._queue.put_nowait(_END)

    # -- event stream

    async def start_events(self, resume_after: int | None = None) -> None:
        if self._closed:
            raise BackendError("The connection to the server was closed.", code="closed")
        if not self._token:
            raise AuthError("Sign in before opening the event stream.", code="unauthorized")
        if resume_after is not None:
            self._last_seq = resume_after
            self._positioned = True
        if self._events_task is not None and not self._events_task.done():
            return
        self._events_task = asyncio.create_task(self._run_events(), name="supportdesk-events")

    async def stop_events(self) -> None:
        task, self._events_task = self._events_task, None
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
            transport = getattr(ws, "transport", None)
            if transport is not None:
                transport.abort()
            else:  # pragma: no cover - another websockets implementation
                await ws.close(code=1001, reason="client reconnects")

    async def _run_events(self) -> None:
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
                except _AuthRejected as exc:
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
        if isinstance(exc, _StreamDead):
            return str(exc)
        if isinstance(exc, ConnectionClosed):
            return "The connection to the server was lost; reconnecting."
        if isinstance(exc, InvalidStatus):
            return (f"The server refused the event stream (HTTP "
                    f"{exc.response.status_code}); retrying.")
        if isinstance(exc, (InvalidURI, InvalidHandshake)):
            return f"The server at {self.server_url} does not speak the SupportDesk event protocol."
        return describe_network_error(exc, self.server_url)

    async def _stream_once(self, ready_at: list[float]) -> None:
        started = time.monotonic()
        at = _now()
        resume = self._last_seq if self._positioned else None
        kwargs: dict[str, Any] = {}
        if self._ws_url.startswith("wss:"):
            kwargs["ssl"] = self._ssl
        connected = False
        try:
            async with ws_connect(
                self._ws_url, user_agent_header=self.user_agent, open_timeout=self.connect_timeout,
                # our application ping (``_read_loop``) is the heartbeat; no second protocol ping
                ping_interval=None, ping_timeout=None,
                close_timeout=2.0, max_size=4 * 1024 * 1024, **kwargs,
            ) as ws:
                self._ws = ws
                await ws.send(json.dumps({"op": "auth", "token": self._token,
                                          "resume_after": resume}))
                first = await self._recv_json(ws, self.connect_timeout, "an answer to sign-in")
                op = first.get("op")
                if op == "error":
                    code = str(first.get("code", ""))
                    msg = _sentence(str(first.get("message", ""))) or "The server refused the stream."
                    if code == "unauthorized":
                        raise _AuthRejected(
                            "The server no longer accepts this session; please sign in again.")
                    raise _StreamDead(msg)
                if op == "ready":
                    frame = ReadyFrame.model_validate(first)
                    if not frame.resumed:
                        self._last_seq = frame.last_seq
                    full = not frame.resumed
                    status_text = "ready (resumed)" if frame.resumed else "ready"
                elif op == "reset":
                    rframe = ResetFrame.model_validate(first)
                    self._last_seq = rframe.last_seq
                    full = True
                    frame = rframe  # type: ignore[assignment]
                    status_text = f"reset ({rframe.reason})"
                else:
                    raise _StreamDead(f"The server answered sign-in with {op!r}; retrying.")
                self._positioned = True
                self._agent = frame.agent
                connected = True
                ready_at.append(time.monotonic())
                self._record("ws", "connect", WS_PATH + f" {status_text}", 101, started, "", at)
                self._set_state(ConnectionState.CONNECTED, "")
                self._emit(Resynced(last_seq=self._last_seq, full=full))
                await self._read_loop(ws)
        except ConnectionClosed as exc:
            if exc.rcvd is not None and exc.rcvd.code == AUTH_REJECTED_CLOSE_CODE:
                self._record("ws", "close", WS_PATH, None, started, "session rejected (4401)", at)
                raise _AuthRejected(
                    "The server no longer accepts this session; please sign in again.") from exc
            self._record("ws", "close" if connected else "connect", WS_PATH, None, started,
                         self._describe_stream_error(exc), at)
            raise
        except InvalidStatus as exc:
            if exc.response.status_code in (401, 4401):
                raise _AuthRejected(
                    "The server no longer accepts this session; please sign in again.") from exc
            self._record("ws", "connect", WS_PATH, exc.response.status_code, started,
                         self._describe_stream_error(exc), at)
            raise
        except _AuthRejected as exc:
            self._record("ws", "close", WS_PATH, None, started, str(exc), at)
            raise
        except asyncio.CancelledError:
            if connected:
                self._record("ws", "close", WS_PATH, None, started, "stopped", at)
            raise
        except Exception as exc:
            self._record("ws", "close" if connected else "connect", WS_PATH, None, started,
                         self._describe_stream_error(exc), at)
            raise
        # the server closed cleanly
        self._record("ws", "close", WS_PATH, None, started, "closed by the server", at)

    async def _recv_json(self, ws: ClientConnection, timeout: float, what: str) -> dict[str, Any]:
        try:
            async with asyncio.timeout(timeout):
                raw = await ws.recv()
        except TimeoutError as exc:
            raise _StreamDead(f"The server sent no {what} within {timeout:.0f} seconds.") from exc
        return self._decode(raw)

    @staticmethod
    def _decode(raw: str | bytes) -> dict[str, Any]:
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise _StreamDead("The server sent a frame that is not JSON; reconnecting.") from exc
        if not isinstance(data, dict):
            raise _StreamDead("The server sent a frame that is not a JSON object; reconnecting.")
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
                # cancellation that arrives just as recv() completes, and stop_events() would
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
                    await ws.send(json.dumps({"op": "ping", "nonce": uuid.uuid4().hex[:16]}))
                    last_rx = now - max(0.0, self.dead_after - self.ping_interval)
                    next_ping = now + self.ping_interval
                    continue
                if now - last_rx >= self.dead_after:
                    dead = _StreamDead(
                        f"The server stopped answering (nothing for {self.dead_after:g} "
                        f"seconds); reconnecting.")
                    # say so now, and drop the socket without the close handshake: a dead
                    # path would hold ``close()`` for ``close_timeout`` and the status would
                    # stay green meanwhile
                    self._set_state(ConnectionState.CONNECTING, str(dead))
                    transport = getattr(ws, "transport", None)
                    if transport is not None:
                        transport.abort()
                    raise dead from None
                if now >= next_ping:
                    await ws.send(json.dumps({"op": "ping", "nonce": uuid.uuid4().hex[:16]}))
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
                raise _StreamDead("The server sent a malformed event; reconnecting.") from exc
            if frame.seq <= self._last_seq:
                log.debug("skipping event %s (already applied up to %s)", frame.seq,
                          self._last_seq)
                return
            try:
                payload: Any = frame.parsed()
            except ValidationError as exc:
                log.warning("event %s (%s) has an unexpected payload; passing it raw: %s",
                            frame.seq, frame.type, str(exc)[:300])
                payload = frame.data
            self._emit(ServerEvent(seq=frame.seq, type=frame.type, ts=frame.ts, data=payload))
            self._last_seq = frame.seq
        elif op == "pong":
            return
        elif op == "error":
            if data.get("code") == "unauthorized":
                raise _AuthRejected(
                    "The server no longer accepts this session; please sign in again.")
            log.warning("event stream error from the server: %s: %s", data.get("code"),
                        data.get("message"))
        elif op == "reset":
            # Not expected mid-stream, but honour it: reload everything and continue from N.
            try:
                frame_r = ResetFrame.model_validate(data)
            except ValidationError as exc:
                raise _StreamDead("The server sent a malformed reset; reconnecting.") from exc
            self._last_seq = frame_r.last_seq
            self._emit(Resynced(last_seq=self._last_seq, full=True))
        else:
            log.debug("ignoring unknown frame op %r", op)

    # -- agent

    async def set_status(self, status: AgentStatus) -> Agent:
        resp = await self._request("PUT", "/me/status", body={"status": AgentStatus(status).value})
        agent = self._parse(Agent, resp)
        self._agent = agent
        return agent

    async def departments(self) -> list[Department]:
        return (await self._get(Page[Department], "/departments", limit=MAX_PAGE_LIMIT)).items

    async def agents(self) -> list[Agent]:
        return (await self._get(Page[Agent], "/agents", limit=MAX_PAGE_LIMIT)).items

    # -- chats

    async def list_chats(self, *, state: ChatState | None = None, mine: bool = False,
                         offset: int = 0, limit: int = 100) -> Page[Chat]:
        return await self._get(Page[Chat], "/chats",
                               state=ChatState(state).value if state is not None else None,
                               mine="true" if mine else None, offset=offset, limit=limit)

    async def get_chat(self, chat_id: int) -> Chat:
        return await self._get(Chat, f"/chats/{int(chat_id)}")

    async def chat_messages(self, chat_id: int, *, before_seq: int | None = None,
                            limit: int = 50) -> tuple[list[ChatMessage], bool]:
        page = await self._get(MessagePage, f"/chats/{int(chat_id)}/messages",
                               before_seq=before_seq, limit=limit)
        return page.items, page.has_more

    async def chat_events(self, chat_id: int) -> list[ChatEvent]:
        return (await self._get(ChatEventList, f"/chats/{int(chat_id)}/events")).items

    async def _chat_action(self, chat_id: int, action: str, body: Any = None) -> Chat:
        resp = await self._request("POST", f"/chats/{int(chat_id)}/{action}", body=body)
        return self._parse(Chat, resp)

    async def take_chat(self, chat_id: int) -> Chat:
        return await self._chat_action(chat_id, "take")

    async def release_chat(self, chat_id: int) -> Chat:
        return await self._chat_action(chat_id, "release")

    async def send_message(self, chat_id: int, text: str, client_msg_id: str) -> ChatMessage:
        resp = await self._request("POST", f"/chats/{int(chat_id)}/messages",
                                   body={"client_msg_id": client_msg_id, "text": text})
        return self._parse(ChatMessage, resp)

    async def set_typing(self, chat_id: int, typing: bool) -> None:
        await self._request("POST", f"/chats/{int(chat_id)}/typing", body={"typing": bool(typing)})

    async def close_chat(self, chat_id: int, reason: str = "") -> Chat:
        return await self._chat_action(chat_id, "close", {"reason": reason})

    async def update_chat(self, chat_id: int, *, name: str | None = None,
                          summary: str | None = None) -> Chat:
        body = {k: v for k, v in (("name", name), ("summary", summary)) if v is not None}
        resp = await self._request("PATCH", f"/chats/{int(chat_id)}", body=body)
        return self._parse(Chat, resp)

    async def forward_chat(self, chat_id: int, department_id: int, comment: str = "") -> Chat:
        return await self._chat_action(chat_id, "forward",
                                       {"department_id": int(department_id), "comment": comment})

    # -- chat authorization, history, client area (issue 4)

    async def request_visitor_auth(self, chat_id: int, kind: str = "login") -> Chat:
        return await self._chat_action(chat_id, "auth-request", {"kind": str(kind)})

    async def chat_history(self, chat_id: int, *, offset: int = 0,
                           limit: int = 50) -> Page[Chat]:
        return await self._get(Page[Chat], f"/chats/{int(chat_id)}/history", offset=offset,
                               limit=limit)

    async def client_area_link(self, client_id: int, chat_id: int | None = None) -> ClientAreaLink:
        body = {"client_id": int(client_id),
                "chat_id": int(chat_id) if chat_id is not None else None}
        return self._parse(ClientAreaLink,
                           await self._request("POST", "/client-area/links", body=body))

    # -- clients (read side)

    async def search_clients(self, q: str) -> SearchResult:
        return await self._get(SearchResult, "/clients/search", q=q)

    async def get_client(self, client_id: int) -> Client:
        return await self._get(Client, f"/clients/{int(client_id)}")

    async def _client_list(self, model: type[M], client_id: int, kind: str, offset: int,
                           limit: int, q: str | None = None, status: str | None = None) -> M:
        params: dict[str, Any] = {"offset": offset, "limit": limit}
        if q:
            params["q"] = q
        if status:
            params["status"] = status
        return await self._get(model, f"/clients/{int(client_id)}/{kind}", **params)

    async def client_users(self, client_id: int, *, offset: int = 0,
                           limit: int = 50, q: str | None = None) -> Page[ClientUser]:
        return await self._client_list(Page[ClientUser], client_id, "users", offset, limit, q)

    async def client_payments(self, client_id: int, *, offset: int = 0,
                              limit: int = 50, q: str | None = None,
                              status: str | None = None) -> Page[Payment]:
        return await self._client_list(Page[Payment], client_id, "payments", offset, limit,
                                       q, status)

    async def client_services(self, client_id: int, *, offset: int = 0,
                              limit: int = 50, q: str | None = None,
                              status: str | None = None) -> Page[Service]:
        return await self._client_list(Page[Service], client_id, "services", offset, limit,
                                       q, status)

    async def client_tickets(self, client_id: int, *, offset: int = 0,
                             limit: int = 50, q: str | None = None,
                             status: str | None = None) -> Page[Ticket]:
        return await self._client_list(Page[Ticket], client_id, "tickets", offset, limit,
                                       q, status)

    async def client_expenses(self, client_id: int, *, offset: int = 0,
                              limit: int = 50, q: str | None = None) -> Page[Expense]:
        return await self._client_list(Page[Expense], client_id, "expenses", offset, limit, q)

    async def client_projects(self, client_id: int, *, offset: int = 0,
                              limit: int = 50, q: str | None = None) -> Page[Project]:
        return await self._client_list(Page[Project], client_id, "projects", offset, limit, q)

    # -- clients (write side)

    @staticmethod
    def _json_value(value: Any) -> Any:
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, datetime):
            return value.isoformat()
        return getattr(value, "value", value)

    def _edit_body(self, version: int, changes: dict[str, Any], allowed: set[str]
                   ) -> dict[str, Any]:
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"cannot change {sorted(unknown)}")
        return {k: self._json_value(v) for k, v in changes.items()} | {"version": int(version)}

    async def update_client(self, client_id: int, version: int, **changes: Any) -> Client:
        body = self._edit_body(version, changes, {"name", "phone"})
        return self._parse(Client, await self._request("PATCH", f"/clients/{int(client_id)}",
                                                       body=body))

    async def create_client_user(self, client_id: int, *, login: str, email: str,
                                 full_name: str = "", password: str | None = None) -> ClientUser:
        body: dict[str, Any] = {"login": login, "email": email, "full_name": full_name}
        if password:
            body["password"] = password
        return self._parse(ClientUser, await self._request(
            "POST", f"/clients/{int(client_id)}/users", body=body))

    async def update_client_user(self, client_id: int, user_id: int, version: int,
                                 **changes: Any) -> ClientUser:
        body = self._edit_body(version, changes,
                               {"login", "email", "full_name", "password", "enabled"})
        return self._parse(ClientUser, await self._request(
            "PATCH", f"/clients/{int(client_id)}/users/{int(user_id)}", body=body))

    async def update_payment(self, client_id: int, payment_id: int, version: int,
                             **changes: Any) -> Payment:
        body = self._edit_body(version, changes, {"status", "amount", "note"})
        return self._parse(Payment, await self._request(
            "PATCH", f"/clients/{int(client_id)}/payments/{int(payment_id)}", body=body))

    async def update_service(self, client_id: int, service_id: int, version: int,
                             **changes: Any) -> Service:
        body = self._edit_body(version, changes, {"name", "price", "status", "expires_at"})
        return self._parse(Service, await self._request(
            "PATCH", f"/clients/{int(client_id)}/services/{int(service_id)}", body=body))

    async def delete_service(self, client_id: int, service_id: int, version: int) -> None:
        await self._request("DELETE", f"/clients/{int(client_id)}/services/{int(service_id)}",
                            params={"version": int(version)})

    async def set_project_enabled(self, client_id: int, project_id: int, version: int,
                                  enabled: bool) -> Project:
        body = {"version": int(version), "enabled": bool(enabled)}
        return self._parse(Project, await self._request(
            "PATCH", f"/clients/{int(client_id)}/projects/{int(project_id)}", body=body))

    # -- tickets (read side)

    async def list_tickets(self, *, status: TicketStatus | None = None,
                           priority: TicketPriority | None = None,
                           department_id: int | None = None, mine: bool = False,
                           offset: int = 0, limit: int = 50) -> Page[Ticket]:
        return await self._get(
            Page[Ticket], "/tickets",
            status=TicketStatus(status).value if status is not None else None,
            priority=TicketPriority(priority).value if priority is not None else None,
            department_id=int(department_id) if department_id is not None else None,
            mine="true" if mine else None, offset=offset, limit=limit)

    async def get_ticket(self, ticket_id: int) -> Ticket:
        return await self._get(Ticket, f"/tickets/{int(ticket_id)}")

    async def ticket_posts(self, ticket_id: int, *, offset: int = 0,
                           limit: int = 50) -> Page[TicketPost]:
        return await self._get(Page[TicketPost], f"/tickets/{int(ticket_id)}/posts",
                               offset=offset, limit=limit)

    # -- tickets (write side)

    async def list_tickets_filtered(self, *, status: TicketStatus | None = None,
                                    priority: TicketPriority | None = None, mine: bool = False,
                                    my_departments: bool = False, client_id: int | None = None,
                                    offset: int = 0, limit: int = 50) -> Page[Ticket]:
        return await self._get(
            Page[Ticket], "/tickets",
            status=TicketStatus(status).value if status is not None else None,
            priority=TicketPriority(priority).value if priority is not None else None,
            mine="true" if mine else None, my_departments="true" if my_departments else None,
            client_id=int(client_id) if client_id is not None else None,
            offset=offset, limit=limit)

    async def create_ticket(self, *, client_id: int, subject: str, department_id: int,
                            priority: TicketPriority | str, text: str,
                            client_msg_id: str | None = None) -> Ticket:
        body = {"client_id": int(client_id), "subject": subject,
                "department_id": int(department_id), "priority": TicketPriority(priority).value,
                "text": text, "client_msg_id": client_msg_id}
        return self._parse(Ticket, await self._request("POST", "/tickets", body=body))

    async def update_ticket(self, ticket_id: int, version: int, **changes: Any) -> Ticket:
        allowed = {"status", "priority", "department_id", "assignee_id"}
        body = {k: (str(v) if k in ("status", "priority") else v) for k, v in changes.items()
                if k in allowed} | {"version": int(version)}
        resp = await self._request("PATCH", f"/tickets/{int(ticket_id)}", body=body)
        return self._parse(Ticket, resp)

    async def add_ticket_post(self, ticket_id: int, kind: str, text: str,
                              client_msg_id: str) -> TicketPost:
        resp = await self._request("POST", f"/tickets/{int(ticket_id)}/posts",
                                   body={"kind": str(kind), "text": text,
                                         "client_msg_id": client_msg_id})
        return self._parse(TicketPost, resp)

    # -- pre-defined replies and change log

    async def replies(self, context: str | None = None, *, offset: int = 0,
                      limit: int = 100) -> Page[PredefinedReply]:
        return await self._get(Page[PredefinedReply], "/replies", context=context,
                               offset=offset, limit=limit)

    async def create_reply(self, *, title: str, text: str, scope: str = "personal",
                           department_id: int | None = None,
                           chat_only: bool = False) -> PredefinedReply:
        body = {"title": title, "text": text, "scope": str(scope), "chat_only": bool(chat_only),
                "department_id": int(department_id) if department_id is not None else None}
        return self._parse(PredefinedReply, await self._request("POST", "/replies", body=body))

    async def update_reply(self, reply_id: int, version: int, **changes: Any) -> PredefinedReply:
        allowed = {"title", "text", "scope", "department_id", "chat_only"}
        body = {k: v for k, v in changes.items() if k in allowed} | {"version": int(version)}
        resp = await self._request("PATCH", f"/replies/{int(reply_id)}", body=body)
        return self._parse(PredefinedReply, resp)

    async def delete_reply(self, reply_id: int) -> None:
        await self._request("DELETE", f"/replies/{int(reply_id)}")

    async def changelog(self, *, offset: int = 0, limit: int = 50) -> Page[ChangelogEntry]:
        return await self._get(Page[ChangelogEntry], "/changelog", offset=offset, limit=limit)

"""``HttpBackend``: the :class:`~supportdesk_qt.backend.base.Backend` over our own protocol
(docs/protocol.md). Qt-free; every method is a coroutine and nothing blocks the loop.

It is put together from one piece per concern:

* ``transport.py``: JSON over HTTP (``httpx.AsyncClient``), the token, the request log, the
  queue of stream items, request bodies built from the protocol models; ``errors.py``: every
  failure as a sentence;
* ``stream.py``: the agent event stream (``websockets``) with heartbeat, reconnect and resume;
* ``chats.py``, ``clients.py``, ``tickets.py``: the REST endpoints, by resource.

This module holds the session (sign in, token, sign out, close) and the agent's own endpoints.
It has every optional ability of the contract (:class:`Capability`).
"""

from __future__ import annotations

import collections
from collections.abc import AsyncIterator, Callable

import httpx

from supportdesk_protocol.limits import MAX_PAGE_LIMIT
from supportdesk_protocol.schemas import (
    Agent,
    AgentStatus,
    Department,
    LoginRequest,
    LoginResponse,
    Page,
    ServerInfo,
    StatusUpdate,
)
from supportdesk_qt.backend.base import (
    AuthError,
    Backend,
    BackendFactory,
    BackendItem,
    Capability,
    ConnectionState,
    RequestRecord,
    ValidationFailed,
)
from supportdesk_qt.backend.http.chats import ChatEndpoints
from supportdesk_qt.backend.http.clients import ClientEndpoints
from supportdesk_qt.backend.http.stream import Backoff, EventStream
from supportdesk_qt.backend.http.tickets import TicketEndpoints
from supportdesk_qt.backend.http.transport import (
    DEFAULT_USER_AGENT,
    REQUEST_LOG_SIZE,
    HttpTransport,
    ItemQueue,
    request_body,
)


class HttpBackend(ChatEndpoints, ClientEndpoints, TicketEndpoints, Backend):
    """Our own server over HTTP + WebSocket. See the modules of this package for the guarantees."""

    capabilities = frozenset(Capability)

    def __init__(self, server_url: str, *, verify: bool | str = True,
                 user_agent: str = DEFAULT_USER_AGENT, timeout: float = 15.0,
                 ping_interval: float = 1.0, dead_after: float = 2.5,
                 connect_timeout: float = 10.0,
                 stable_after: float = 10.0, backoff: Backoff | None = None,
                 request_log_size: int = REQUEST_LOG_SIZE,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._items = ItemQueue()
        self._t = HttpTransport(server_url, self._items.emit, verify=verify,
                                user_agent=user_agent, timeout=timeout,
                                request_log_size=request_log_size, transport=transport)
        self._stream = EventStream(self._t, self._items.emit, self._adopt_agent,
                                   ping_interval=ping_interval, dead_after=dead_after,
                                   connect_timeout=connect_timeout, stable_after=stable_after,
                                   backoff=backoff)
        self._agent: Agent | None = None

    def _adopt_agent(self, agent: Agent) -> None:
        self._agent = agent

    # -- properties

    @property
    def server_url(self) -> str:
        return self._t.server_url

    @property
    def closed(self) -> bool:
        return self._t.closed

    @property
    def connection_state(self) -> ConnectionState:
        return self._stream.state

    @property
    def connection_reason(self) -> str:
        return self._stream.reason

    @property
    def last_seq(self) -> int:
        return self._stream.last_seq

    @property
    def agent(self) -> Agent | None:
        return self._agent

    @property
    def token(self) -> str | None:
        """The bearer token in use (for the keyring; never log it)."""
        return self._t.token

    @property
    def request_log(self) -> collections.deque[RequestRecord]:
        """The last requests (a ring of ``request_log_size``), oldest first."""
        return self._t.request_log

    def __repr__(self) -> str:  # never the token
        return (f"<HttpBackend {self.server_url} state={self.connection_state.value} "
                f"last_seq={self.last_seq}>")

    def items(self) -> AsyncIterator[BackendItem]:
        return self._items

    async def wait_connected(self, timeout: float = 10.0) -> None:
        """Wait until the event stream is live. Raises TimeoutError, or AuthError when the token
        was rejected (state FAILED), or BackendError when the backend is closed meanwhile."""
        await self._stream.wait_connected(timeout)

    async def wait_state(self, state: ConnectionState, timeout: float = 10.0) -> None:
        """Wait until ``connection_state == state`` (tests, UI)."""
        await self._stream.wait_state(state, timeout)

    # -- lifecycle and session

    async def server_info(self) -> ServerInfo:
        return self._t.parse(ServerInfo, await self._t.request("GET", "/info", auth=False))

    async def login(self, username: str, password: str) -> LoginResponse:
        body = request_body(LoginRequest, {"username": username, "password": password})
        resp = await self._t.request("POST", "/auth/login", auth=False, login=True, body=body)
        data = self._t.parse(LoginResponse, resp)
        self._t.token = data.token
        self._agent = data.agent
        return data

    async def use_token(self, token: str) -> Agent:
        previous = self._t.token
        self._t.token = token
        try:
            agent = await self.me()
        except AuthError:
            self._t.token = previous if previous != token else None
            raise
        return agent

    async def me(self) -> Agent:
        agent = await self._t.get(Agent, "/me")
        self._agent = agent
        return agent

    async def logout(self) -> None:
        """Stop the stream, revoke the token on the server and forget it. An already invalid
        token is fine; a network failure is raised after the local state is cleared."""
        await self.stop_events()
        if not self._t.token:
            return
        try:
            await self._t.request("POST", "/auth/logout")
        except AuthError:
            pass
        finally:
            self._t.token = None
            self._agent = None

    async def close(self) -> None:
        if self._t.closed:
            return
        self._t.closed = True     # no request from here on
        await self.stop_events()
        await self._t.aclose()
        self._items.end()

    # -- event stream

    async def start_events(self, resume_after: int | None = None) -> None:
        await self._stream.start(resume_after)

    async def stop_events(self) -> None:
        await self._stream.stop()

    async def reconnect_now(self, *, drop_current: bool = False) -> None:
        await self._stream.reconnect_now(drop_current=drop_current)

    # -- agent

    async def set_status(self, status: AgentStatus) -> Agent:
        agent = await self._t.send("PUT", "/me/status", Agent, StatusUpdate, status=status)
        self._agent = agent
        return agent

    async def departments(self) -> list[Department]:
        return (await self._t.get(Page[Department], "/departments", limit=MAX_PAGE_LIMIT)).items

    async def agents(self) -> list[Agent]:
        return (await self._t.get(Page[Agent], "/agents", limit=MAX_PAGE_LIMIT)).items


def tls_backend_factory(ca_file: Callable[[], str]) -> BackendFactory:
    """``HttpBackend`` that verifies the server's certificate against the system CAs, or against
    ``ca_file()`` (only) when set. There is no way to turn verification off. A CA file that cannot
    be read is a ``ValidationFailed`` with a sentence saying so (shown in the login dialog)."""
    def make(server_url: str) -> Backend:
        path = (ca_file() or "").strip()
        if not path:
            return HttpBackend(server_url)
        try:
            return HttpBackend(server_url, verify=path)
        except (OSError, ValueError) as exc:   # ssl.SSLError is an OSError
            reason = getattr(exc, "strerror", None) or getattr(exc, "reason", None) or str(exc)
            raise ValidationFailed(
                f"The CA certificate file {path} cannot be used: {reason}.",
                code="bad_ca_file") from exc
    return make

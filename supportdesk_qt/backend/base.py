"""The backend adapter interface: everything the desk can ask, and the stream of what happens.

Qt-free. Widgets never call httpx or websockets; they talk to a :class:`Backend` through the UI
bridge. ``supportdesk_qt.backend.http.HttpBackend`` is the first implementation (our own HTTP +
WebSocket protocol, docs/protocol.md). Another helpdesk system gets another implementation.

The contract is complete: everything the UI and ``core/`` use on a backend is declared here.
Abstract members every backend has; optional abilities are named in :class:`Capability` and a
backend lists the ones it has in :attr:`Backend.capabilities`. Callers check that set (never
``getattr``/``hasattr``); the methods of a missing ability raise ``BackendError`` with code
``unsupported`` (:data:`CAPABILITY_METHODS` says which methods belong to which ability).
"""

from __future__ import annotations

import abc
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import StrEnum
from typing import Any

from supportdesk_protocol.schemas import (
    Agent,
    AgentStatus,
    ChangelogEntry,
    Chat,
    ChatEvent,
    ChatMessage,
    ChatState,
    Client,
    ClientUser,
    Department,
    Expense,
    LoginResponse,
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


# --- errors ---------------------------------------------------------------------------------------


#: Turns an error into a sentence in the desk's language (None: keep the English one). The UI
#: installs it (``ui/common/errors.py``); the backend stays Qt-free and writes English.
ErrorLocalizer = Callable[["BackendError"], "str | None"]
_localizer: ErrorLocalizer | None = None


def set_error_localizer(localizer: ErrorLocalizer | None) -> None:
    """Have :attr:`BackendError.message` read ``localizer(error)`` first (None: English only)."""
    global _localizer
    _localizer = localizer


class BackendError(Exception):
    """A request failed. ``message`` is a sentence fit to show a person: in the desk's language
    when a localizer is installed (:func:`set_error_localizer`), else ``english``."""

    def __init__(self, message: str, *, code: str = "error", status: int | None = None,
                 details: Any = None) -> None:
        super().__init__(message)
        self.english = message
        self.code = code
        self.status = status
        self.details = details

    @property
    def message(self) -> str:
        localizer = _localizer
        if localizer is not None:
            text = localizer(self)
            if text:
                return text
        return self.english

    @message.setter
    def message(self, value: str) -> None:
        self.english = value


class NetworkError(BackendError):
    """The server could not be reached (refused, timed out, TLS failure...)."""


class AuthError(BackendError):
    """Wrong credentials, or the token expired / was revoked (HTTP 401)."""


class PermissionDenied(BackendError):
    """HTTP 403."""


class NotFound(BackendError):
    """HTTP 404."""


class Conflict(BackendError):
    """HTTP 409: e.g. a colleague took the chat first (code ``already_taken``) or a version clash."""


class ValidationFailed(BackendError):
    """HTTP 422 / 400: ``details`` lists the field errors."""


class RateLimited(BackendError):
    """HTTP 429: too many attempts; ``retry_after`` seconds (from the Retry-After header) or None."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(BackendError):
    """HTTP 5xx or an answer this client cannot read: a server bug or a proxy in the way.

    Like NetworkError it is worth retrying later (the outbox does); a 4xx is not.
    """


def is_retryable(error: BaseException) -> bool:
    """Worth sending again later unchanged (the outbox's rule): the server was unreachable, failed
    (5xx), or asked us to slow down. A 4xx answer will not change by retrying."""
    return isinstance(error, (NetworkError, ServerError, RateLimited))


# --- stream items ---------------------------------------------------------------------------------


class ConnectionState(StrEnum):
    DISCONNECTED = "disconnected"   # not started, or stopped on purpose
    CONNECTING = "connecting"       # first connect or reconnecting after a drop
    CONNECTED = "connected"         # event stream live
    FAILED = "failed"               # giving up needs a person (auth rejected); or repeated errors


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True, slots=True)
class ConnectionChanged:
    state: ConnectionState
    reason: str = ""                # a sentence: why (last error), shown in the status tooltip
    since: datetime = field(default_factory=_now)


@dataclass(frozen=True, slots=True)
class ServerEvent:
    """One event from the agent stream, with its typed payload (``data``)."""

    seq: int
    type: str                       # supportdesk_protocol.events.EventType.*
    ts: datetime
    data: Any                       # pydantic model from EVENT_DATA_MODELS, or dict if unknown type


@dataclass(frozen=True, slots=True)
class Resynced:
    """The stream could not resume (gap): state must be reloaded over HTTP.

    Emitted also after the first connect, once the stream is live: a good moment to (re)load lists.
    ``full`` is True when events were lost and every cached view must be refreshed.
    """

    last_seq: int
    full: bool


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One entry of the network request log (the "network request statuses" panel)."""

    at: datetime
    kind: str                       # "http" or "ws"
    method: str                     # GET/POST/... or ws op ("connect", "event", "close")
    path: str
    status: int | None              # HTTP status; None for ws or network failure
    duration_ms: float
    error: str = ""


BackendItem = ConnectionChanged | ServerEvent | Resynced | RequestRecord


# --- optional abilities ---------------------------------------------------------------------------


class Capability(StrEnum):
    """An optional ability of a backend; its methods are listed in :data:`CAPABILITY_METHODS`."""

    AGENTS = "agents"                   # the colleagues (names of assignees)
    RECONNECT_NOW = "reconnect_now"     # skip the event stream's backoff wait
    VISITOR_AUTH = "visitor_auth"       # ask a chat's visitor to log in / register
    CHAT_HISTORY = "chat_history"       # the visitor's and the client's other chats
    CLIENT_AREA = "client_area"         # one-time links into the client's area
    CLIENT_EDITS = "client_edits"       # change clients, their users, payments, services, projects
    TICKET_FILTERS = "ticket_filters"   # tickets of my departments / of one client
    TICKET_EDITS = "ticket_edits"       # create and change tickets, add posts
    REPLY_EDITS = "reply_edits"         # save, change and delete pre-defined replies


CAPABILITY_METHODS: dict[Capability, tuple[str, ...]] = {
    Capability.AGENTS: ("agents",),
    Capability.RECONNECT_NOW: ("reconnect_now",),
    Capability.VISITOR_AUTH: ("request_visitor_auth",),
    Capability.CHAT_HISTORY: ("chat_history",),
    Capability.CLIENT_AREA: ("client_area_link",),
    Capability.CLIENT_EDITS: ("update_client", "create_client_user", "update_client_user",
                              "update_payment", "update_service", "delete_service",
                              "set_project_enabled"),
    Capability.TICKET_FILTERS: ("list_tickets_filtered",),
    Capability.TICKET_EDITS: ("create_ticket", "update_ticket", "add_ticket_post"),
    Capability.REPLY_EDITS: ("create_reply", "update_reply", "delete_reply"),
}


def _unsupported(sentence: str) -> BackendError:
    return BackendError(sentence, code="unsupported")


def missing_methods(cls: type[Backend]) -> dict[Capability, list[str]]:
    """The methods a backend class claims (through ``capabilities``) but does not implement:
    still the base class's "cannot" default. Empty for a backend that keeps its word."""
    def defined_by(name: str) -> type:
        return next(k for k in cls.__mro__ if name in vars(k))

    missing: dict[Capability, list[str]] = {}
    for cap in cls.capabilities:
        names = [n for n in CAPABILITY_METHODS[cap] if defined_by(n) is Backend]
        if names:
            missing[cap] = names
    return missing


# --- the interface ----------------------------------------------------------------------------------


class Backend(abc.ABC):
    """What the desk can ask of a helpdesk server. All methods are coroutines; none blocks."""

    #: the optional abilities this backend has (see :class:`Capability`); none by default
    capabilities: frozenset[Capability] = frozenset()

    # -- lifecycle and session

    @property
    @abc.abstractmethod
    def server_url(self) -> str:
        """The server's address, normalised (what the outbox and the keyring are keyed by)."""

    @property
    @abc.abstractmethod
    def closed(self) -> bool:
        """True once :meth:`close` ran: the backend answers no more requests."""

    @property
    @abc.abstractmethod
    def connection_state(self) -> ConnectionState: ...

    @property
    @abc.abstractmethod
    def last_seq(self) -> int:
        """The highest event seq applied so far (what a reconnect resumes after)."""

    @abc.abstractmethod
    async def server_info(self) -> ServerInfo: ...

    @abc.abstractmethod
    async def login(self, username: str, password: str) -> LoginResponse: ...

    @abc.abstractmethod
    async def use_token(self, token: str) -> Agent:
        """Adopt a stored token; raises AuthError when it is no longer valid."""

    @abc.abstractmethod
    async def logout(self) -> None:
        """Revoke the token on the server and stop the stream."""

    @abc.abstractmethod
    async def start_events(self, resume_after: int | None = None) -> None:
        """Open the event stream (reconnecting by itself until stop_events/close)."""

    @abc.abstractmethod
    async def stop_events(self) -> None: ...

    @abc.abstractmethod
    def items(self) -> AsyncIterator[BackendItem]:
        """The stream of what happens, in order: connection changes, events, resyncs, request log.

        One consumer (the UI bridge). Iteration ends when the backend is closed.
        """

    @abc.abstractmethod
    async def close(self) -> None:
        """Stop everything and release sockets and the HTTP client. Idempotent."""

    async def reconnect_now(self, *, drop_current: bool = False) -> None:
        """``Capability.RECONNECT_NOW``: skip the event stream's backoff wait (the network came
        back, the machine woke up); with ``drop_current`` first drop a socket that may be dead."""
        raise _unsupported("This server connection cannot reconnect on demand.")

    # -- agent

    @property
    @abc.abstractmethod
    def agent(self) -> Agent | None: ...

    @abc.abstractmethod
    async def set_status(self, status: AgentStatus) -> Agent: ...

    @abc.abstractmethod
    async def departments(self) -> list[Department]: ...

    async def agents(self) -> list[Agent]:
        """``Capability.AGENTS``: every agent (colleagues' names for assignees)."""
        raise _unsupported("This server does not list your colleagues.")

    # -- chats

    @abc.abstractmethod
    async def list_chats(self, *, state: ChatState | None = None, mine: bool = False,
                         offset: int = 0, limit: int = 100) -> Page[Chat]: ...

    @abc.abstractmethod
    async def get_chat(self, chat_id: int) -> Chat: ...

    @abc.abstractmethod
    async def chat_messages(self, chat_id: int, *, before_seq: int | None = None,
                            limit: int = 50) -> tuple[list[ChatMessage], bool]:
        """A page of messages, oldest first, and whether older ones exist."""

    @abc.abstractmethod
    async def chat_events(self, chat_id: int) -> list[ChatEvent]:
        """What happened to the chat (taken, released, forwarded, returned, closed), oldest
        first, each with the seq of the newest message before it."""

    @abc.abstractmethod
    async def take_chat(self, chat_id: int) -> Chat:
        """Assign the chat to me. Raises Conflict(code="already_taken") if a colleague won."""

    @abc.abstractmethod
    async def release_chat(self, chat_id: int) -> Chat:
        """Return the chat to the list of chats."""

    @abc.abstractmethod
    async def send_message(self, chat_id: int, text: str, client_msg_id: str) -> ChatMessage:
        """Idempotent by client_msg_id: sending again returns the stored message."""

    @abc.abstractmethod
    async def set_typing(self, chat_id: int, typing: bool) -> None: ...

    @abc.abstractmethod
    async def close_chat(self, chat_id: int, reason: str = "") -> Chat:
        """Close the chat; ``reason`` goes to the server's audit log (the visitor never sees it)."""

    @abc.abstractmethod
    async def update_chat(self, chat_id: int, *, name: str | None = None,
                          summary: str | None = None) -> Chat: ...

    @abc.abstractmethod
    async def forward_chat(self, chat_id: int, department_id: int, comment: str = "") -> Chat: ...

    # Chat authorization, history, client area (issue 4): Capability.VISITOR_AUTH, CHAT_HISTORY,
    # CLIENT_AREA; the defaults say the server cannot do it.

    async def request_visitor_auth(self, chat_id: int, kind: str = "login") -> Chat:
        """Ask the chat's visitor to log in (``login``), to confirm who they are (``authorize``)
        or to register (``register``); the widget shows the form."""
        raise _unsupported("This server cannot ask visitors to log in.")

    async def chat_history(self, chat_id: int, *, offset: int = 0,
                           limit: int = 50) -> Page[Chat]:
        """The visitor's other chats (same browser) and the authorized client's, newest first."""
        raise _unsupported("This server keeps no history of the client's chats.")

    async def client_area_link(self, client_id: int, chat_id: int | None = None) -> ClientAreaLink:
        """A one-time, short-lived link that opens the client's area as the client."""
        raise _unsupported("This server has no client area to open.")

    # -- clients (read side)

    @abc.abstractmethod
    async def search_clients(self, q: str) -> SearchResult:
        """Clients by login, email, id, service id, domain, payment number, ticket id, IP, phone
        or name; each hit says which field matched."""

    @abc.abstractmethod
    async def get_client(self, client_id: int) -> Client: ...

    # The client's lists take an optional filter: ``q`` (a case-insensitive substring of the
    # list's text columns) and, for payments/services/tickets, ``status`` (an exact status).
    # None (the default) sends nothing, so a backend without filters still works unfiltered.

    @abc.abstractmethod
    async def client_users(self, client_id: int, *, offset: int = 0,
                           limit: int = 50, q: str | None = None) -> Page[ClientUser]: ...

    @abc.abstractmethod
    async def client_payments(self, client_id: int, *, offset: int = 0,
                              limit: int = 50, q: str | None = None,
                              status: str | None = None) -> Page[Payment]:
        """Newest first."""

    @abc.abstractmethod
    async def client_services(self, client_id: int, *, offset: int = 0,
                              limit: int = 50, q: str | None = None,
                              status: str | None = None) -> Page[Service]: ...

    @abc.abstractmethod
    async def client_tickets(self, client_id: int, *, offset: int = 0,
                             limit: int = 50, q: str | None = None,
                             status: str | None = None) -> Page[Ticket]:
        """Most recently updated first."""

    @abc.abstractmethod
    async def client_expenses(self, client_id: int, *, offset: int = 0,
                              limit: int = 50, q: str | None = None) -> Page[Expense]:
        """Newest first."""

    @abc.abstractmethod
    async def client_projects(self, client_id: int, *, offset: int = 0,
                              limit: int = 50, q: str | None = None) -> Page[Project]: ...

    # -- clients (write side): Capability.CLIENT_EDITS; the defaults say the server cannot.
    # Each takes the ``version`` the agent edited; a stale one raises ``Conflict`` with code
    # ``version_conflict`` and ``details["current"]`` = the record as it is now (a dict).

    async def update_client(self, client_id: int, version: int, **changes: Any) -> Client:
        """Change ``name`` and/or ``phone``."""
        raise _unsupported("This server cannot change clients.")

    async def create_client_user(self, client_id: int, *, login: str, email: str,
                                 full_name: str = "", password: str | None = None) -> ClientUser:
        raise _unsupported("This server cannot add client users.")

    async def update_client_user(self, client_id: int, user_id: int, version: int,
                                 **changes: Any) -> ClientUser:
        """Change login/email/full_name/password (a reset)/enabled."""
        raise _unsupported("This server cannot change client users.")

    async def update_payment(self, client_id: int, payment_id: int, version: int,
                             **changes: Any) -> Payment:
        """Change status/amount/note (needs ``Agent.can_edit_payments``)."""
        raise _unsupported("This server cannot change payments.")

    async def update_service(self, client_id: int, service_id: int, version: int,
                             **changes: Any) -> Service:
        """Change name/price/status/expires_at (needs ``Agent.can_edit_services``)."""
        raise _unsupported("This server cannot change services.")

    async def delete_service(self, client_id: int, service_id: int, version: int) -> None:
        raise _unsupported("This server cannot delete services.")

    async def set_project_enabled(self, client_id: int, project_id: int, version: int,
                                  enabled: bool) -> Project:
        raise _unsupported("This server cannot change projects.")

    # -- tickets (read side)

    @abc.abstractmethod
    async def list_tickets(self, *, status: TicketStatus | None = None,
                           priority: TicketPriority | None = None,
                           department_id: int | None = None, mine: bool = False,
                           offset: int = 0, limit: int = 50) -> Page[Ticket]:
        """Visible tickets, most recently updated first."""

    @abc.abstractmethod
    async def get_ticket(self, ticket_id: int) -> Ticket: ...

    @abc.abstractmethod
    async def ticket_posts(self, ticket_id: int, *, offset: int = 0,
                           limit: int = 50) -> Page[TicketPost]:
        """The thread, oldest first (client posts, staff replies, internal notes)."""

    # -- tickets (write side): Capability.TICKET_FILTERS and TICKET_EDITS; the defaults say the
    # server cannot.

    async def list_tickets_filtered(self, *, status: TicketStatus | None = None,
                                    priority: TicketPriority | None = None, mine: bool = False,
                                    my_departments: bool = False, client_id: int | None = None,
                                    offset: int = 0, limit: int = 50) -> Page[Ticket]:
        """The tickets tab's list: ``mine`` (assigned to me), ``my_departments`` (in one of my
        departments), status, priority, one client's."""
        if my_departments or client_id is not None:
            raise _unsupported("This server cannot filter tickets that way.")
        return await self.list_tickets(status=status, priority=priority, mine=mine,
                                       offset=offset, limit=limit)

    async def create_ticket(self, *, client_id: int, subject: str, department_id: int,
                            priority: TicketPriority | str, text: str,
                            client_msg_id: str | None = None) -> Ticket:
        """A ticket for the client with its first post (a reply the client sees)."""
        raise _unsupported("This server cannot create tickets.")

    async def update_ticket(self, ticket_id: int, version: int, **changes: Any) -> Ticket:
        """Change status/priority/department_id/assignee_id. ``Conflict`` (code
        ``version_conflict``, ``details["current"]`` the ticket now) when ``version`` is stale."""
        raise _unsupported("This server cannot change tickets.")

    async def add_ticket_post(self, ticket_id: int, kind: str, text: str,
                              client_msg_id: str) -> TicketPost:
        """A reply (``kind="staff"``) or internal note (``"note"``); idempotent per
        ``client_msg_id``."""
        raise _unsupported("This server cannot add ticket posts.")

    # -- pre-defined replies and change log

    @abc.abstractmethod
    async def replies(self, context: str | None = None, *, offset: int = 0,
                      limit: int = 100) -> Page[PredefinedReply]:
        """Department and personal replies; ``context="ticket"`` leaves out chat-only ones."""

    # Writing replies: Capability.REPLY_EDITS; the defaults say the server cannot do it.

    async def create_reply(self, *, title: str, text: str, scope: str = "personal",
                           department_id: int | None = None,
                           chat_only: bool = False) -> PredefinedReply:
        """Save a reply: ``scope="department"`` needs one of my departments' ids."""
        raise _unsupported("This server cannot save pre-defined replies.")

    async def update_reply(self, reply_id: int, version: int, **changes: Any) -> PredefinedReply:
        """Change title/text/scope/department_id/chat_only; Conflict when ``version`` is stale."""
        raise _unsupported("This server cannot change pre-defined replies.")

    async def delete_reply(self, reply_id: int) -> None:
        raise _unsupported("This server cannot delete pre-defined replies.")

    @abc.abstractmethod
    async def changelog(self, *, offset: int = 0, limit: int = 50) -> Page[ChangelogEntry]:
        """Release notes, newest first."""


BackendFactory = Callable[[str], Backend]
"""Makes the backend for a server address (``app.py`` injects it into ``core.session``); raises
``ValidationFailed`` for an address or a setting it cannot use."""

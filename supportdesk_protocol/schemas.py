"""Request, response and shared value shapes of the HTTP API (``/api/v1``).

Conventions:

* Every timestamp is an ISO 8601 string in UTC with offset (``2026-11-29T10:00:00Z``).
* Money is a decimal string (``"12.50"``) plus a three-letter currency code, never a float.
* Request models forbid unknown fields (``extra="forbid"``): a typo is a 422, not silently ignored.
* Response models ignore unknown fields, so an older client keeps working against a newer server
  that adds fields (see "Versioning" in docs/protocol.md).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from supportdesk_protocol import limits as L


class Request(BaseModel):
    """Base of every body a client sends."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class Response(BaseModel):
    """Base of every body the server sends."""

    model_config = ConfigDict(extra="ignore", from_attributes=True)


# --- enums -------------------------------------------------------------------------------------


class Role(StrEnum):
    AGENT = "agent"
    HEAD = "head"          # department head
    ADMIN = "admin"


class AgentStatus(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"


class ChatState(StrEnum):
    WAITING = "waiting"    # in the list of chats, nobody assigned
    ACTIVE = "active"      # assigned to an agent
    CLOSED = "closed"


class AuthorKind(StrEnum):
    VISITOR = "visitor"
    AGENT = "agent"
    SYSTEM = "system"


class TicketStatus(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"    # waiting for the client
    CLOSED = "closed"


class TicketPriority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class TicketPostKind(StrEnum):
    CLIENT = "client"      # written by the client
    STAFF = "staff"        # reply by an agent, visible to the client
    NOTE = "note"          # internal note, agents only


class ClientStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class PaymentStatus(StrEnum):
    NEW = "new"
    PAID = "paid"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class ServiceStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    PENDING = "pending"
    DELETED = "deleted"


class ReplyScope(StrEnum):
    DEPARTMENT = "department"   # every agent of the department sees it
    PERSONAL = "personal"       # only its author


# --- constrained strings -----------------------------------------------------------------------

def _no_nul(value: str) -> str:
    # U+0000 cannot be stored in PostgreSQL text and is never meant: refuse it (a 422), do not
    # let it become a database error. (Lone surrogates are refused by pydantic itself.)
    if "\x00" in value:
        raise ValueError("must not contain the NUL character (U+0000)")
    return value


NoNul = AfterValidator(_no_nul)

Login = Annotated[str, StringConstraints(min_length=1, max_length=L.MAX_LOGIN), NoNul]
Password = Annotated[str, StringConstraints(min_length=1, max_length=L.MAX_PASSWORD), NoNul]
MessageText = Annotated[str, StringConstraints(min_length=1, max_length=L.MAX_MESSAGE_TEXT),
                        NoNul]
ClientMsgId = Annotated[str, StringConstraints(min_length=1, max_length=L.MAX_CLIENT_MSG_ID,
                                               pattern=r"^[A-Za-z0-9._:-]+$")]
ShortText = Annotated[str, StringConstraints(max_length=L.MAX_NAME), NoNul]
LongText = Annotated[str, StringConstraints(max_length=L.MAX_SUMMARY), NoNul]
UrlText = Annotated[str, StringConstraints(max_length=L.MAX_URL), NoNul]
Id = Annotated[int, Field(ge=1, le=2**53)]


# --- errors and pages ----------------------------------------------------------------------------


class ErrorBody(Response):
    """Every 4xx/5xx answer has this body.

    ``code`` is a stable machine-readable identifier (``validation_error``, ``not_found``,
    ``unauthorized``, ``forbidden``, ``conflict``, ``already_taken``, ``rate_limited``,
    ``payload_too_large``, ``bad_request``); ``message`` a human sentence; ``details`` optional,
    e.g. the list of field errors for ``validation_error``.
    """

    code: str
    message: str
    details: Any = None


T = TypeVar("T")


class Page(Response, Generic[T]):
    """A page of a list endpoint. Ask with ``?offset=&limit=`` (limit 1..500, default 50)."""

    items: list[T]
    total: int
    offset: int
    limit: int


# --- auth and agents ---------------------------------------------------------------------------


class LoginRequest(Request):
    username: Login
    password: Password


class Agent(Response):
    id: int
    login: str
    display_name: str
    avatar_url: str | None = None
    role: Role
    department_ids: list[int]
    status: AgentStatus
    # Effective rights on clients' billing records (always true for admins): without them the
    # client tab shows payments / services read-only, and the server answers 403.
    can_edit_payments: bool = False
    can_edit_services: bool = False


class LoginResponse(Response):
    token: str
    expires_at: datetime
    agent: Agent
    protocol_version: int = L.PROTOCOL_VERSION


class StatusUpdate(Request):
    status: AgentStatus


class Department(Response):
    id: int
    name: str
    online_count: int


class ServerInfo(Response):
    """``GET /api/v1/info``: no auth; lets a client check it talks to a SupportDesk server."""

    name: str = "supportdesk"
    version: str
    protocol_version: int = L.PROTOCOL_VERSION
    last_seq: int


# --- chats -------------------------------------------------------------------------------------


class VisitorInfo(Response):
    ip: str | None = None
    page_url: str | None = None
    page_title: str | None = None
    referrer: str | None = None
    user_agent: str | None = None
    language: str | None = None
    timezone_offset_minutes: int | None = None   # visitor's local time = UTC - offset (JS convention)


class ChatMessage(Response):
    id: int
    chat_id: int
    seq: int                       # position in its chat, 1, 2, 3 ... (paging key)
    author_kind: AuthorKind
    author_id: int | None = None   # agent id for agent messages
    author_name: str
    text: str
    client_msg_id: str | None = None
    created_at: datetime


class Chat(Response):
    id: int
    state: ChatState
    department_id: int
    assignee_id: int | None = None
    visitor_id: str
    visitor_name: str
    client_id: int | None = None          # set when the visitor is an authorized client
    client_name: str | None = None
    project_name: str | None = None
    name: str = ""                         # agent-editable chat name
    summary: str = ""                      # agent-editable summary
    forwarded: bool = False
    forwarded_from_department_id: int | None = None
    forwarded_by_agent_id: int | None = None
    forward_comment: str = ""
    forward_deadline: datetime | None = None
    created_at: datetime
    updated_at: datetime
    waiting_since: datetime | None = None  # when it last entered the list of chats
    closed_at: datetime | None = None
    last_message_at: datetime | None = None
    last_message_preview: str = ""         # at most 200 characters of the last message
    message_count: int = 0
    visitor: VisitorInfo = Field(default_factory=VisitorInfo)
    version: int = 1


class ChatEventKind(StrEnum):
    """What happened to a chat (``GET /chats/{id}/events``)."""

    JOINED = "joined"          # an agent took it
    RELEASED = "released"      # the agent gave it back to the list of chats (or went offline)
    FORWARDED = "forwarded"    # to another department
    RETURNED = "returned"      # a forward nobody took in time went back
    CLOSED = "closed"          # by an agent or by the visitor


class ChatEvent(Response):
    """One thing that happened to a chat, with who and where, for the agent's transcript.

    ``after_seq``: the ``seq`` of the newest message written before it (0: before the first),
    so a client places it among the messages. ``agent_name`` is "" when nobody did it by hand
    (a forward returning by itself) or the visitor did (``by_visitor``). ``department_name``:
    for ``forwarded`` where it went, for ``returned`` where it came back to.
    """

    id: int
    chat_id: int
    kind: ChatEventKind
    at: datetime
    after_seq: int = 0
    agent_id: int | None = None
    agent_name: str = ""
    by_visitor: bool = False
    department_id: int | None = None
    department_name: str = ""
    comment: str = ""                     # the forward's comment to colleagues
    reason: str = ""                      # released: "offline" when the agent went offline


class ChatEventList(Response):
    """``GET /chats/{id}/events``: the chat's events, oldest first (at most the newest 500)."""

    items: list[ChatEvent]


class MessagePage(Response):
    """``GET /chats/{id}/messages?before_seq=&limit=``: messages in ascending ``seq`` order."""

    items: list[ChatMessage]
    has_more: bool                        # older messages exist before items[0]


class SendMessageRequest(Request):
    client_msg_id: ClientMsgId
    text: MessageText


class TypingRequest(Request):
    typing: bool


class ChatPatch(Request):
    name: ShortText | None = None
    summary: LongText | None = None


class ForwardRequest(Request):
    department_id: Id
    comment: LongText = ""


class CloseRequest(Request):
    reason: ShortText = ""


# --- clients and billing -------------------------------------------------------------------------


class ClientSummary(Response):
    id: int
    name: str
    email: str
    phone: str = ""
    project_name: str = ""
    status: ClientStatus
    balance: Decimal
    currency: str


class SearchHit(Response):
    client: ClientSummary
    matched_field: str     # login, email, client_id, service_id, domain, payment_number, ticket_id, ip, phone, name
    matched_value: str


class SearchResult(Response):
    query: str
    items: list[SearchHit]
    total: int


class Client(ClientSummary):
    created_at: datetime
    version: int


class ClientUser(Response):
    id: int
    client_id: int
    login: str
    email: str
    full_name: str
    enabled: bool
    version: int


class Payment(Response):
    id: int
    client_id: int
    number: str
    amount: Decimal
    currency: str
    status: PaymentStatus
    method: str
    note: str = ""
    created_at: datetime
    paid_at: datetime | None = None
    version: int


class Service(Response):
    id: int
    client_id: int
    name: str
    type: str
    domain: str = ""
    ip: str = ""
    price: Decimal
    currency: str
    status: ServiceStatus
    expires_at: datetime | None = None
    version: int


class Expense(Response):
    id: int
    client_id: int
    description: str
    amount: Decimal
    currency: str
    created_at: datetime


class Project(Response):
    id: int
    client_id: int
    name: str
    enabled: bool
    version: int


class Ticket(Response):
    id: int
    client_id: int | None
    subject: str
    department_id: int
    priority: TicketPriority
    status: TicketStatus
    assignee_id: int | None = None
    created_at: datetime
    updated_at: datetime
    version: int


class TicketPost(Response):
    id: int
    ticket_id: int
    kind: TicketPostKind
    author_name: str
    author_agent_id: int | None = None
    text: str
    client_msg_id: str | None = None
    created_at: datetime


# --- pre-defined replies and change log --------------------------------------------------------


class PredefinedReply(Response):
    id: int
    title: str
    text: str
    scope: ReplyScope
    department_id: int | None
    owner_id: int
    chat_only: bool
    version: int


class ReplyCreate(Request):
    """``POST /api/v1/replies``: a department reply needs ``department_id`` (one of the agent's
    departments); a personal one must not have it."""

    title: Annotated[str, StringConstraints(min_length=1, max_length=L.MAX_NAME)]
    text: MessageText
    scope: ReplyScope = ReplyScope.PERSONAL
    department_id: Id | None = None
    chat_only: bool = False


class ReplyPatch(Request):
    """``PATCH /api/v1/replies/{id}``: ``version`` is the one the client saw (409 if it changed)."""

    version: Annotated[int, Field(ge=1)]
    title: Annotated[str, StringConstraints(min_length=1, max_length=L.MAX_NAME)] | None = None
    text: MessageText | None = None
    scope: ReplyScope | None = None
    department_id: Id | None = None
    chat_only: bool | None = None


class ChangelogEntry(Response):
    id: int
    version: str
    published_at: datetime
    title: str
    body: str


# --- tickets (write side) -------------------------------------------------------------------------

Subject = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=L.MAX_NAME),
                    NoNul]


class TicketCreate(Request):
    """``POST /api/v1/tickets``: a ticket for a client with its first post (a staff reply, i.e.
    visible to the client). ``department_id`` must be one of the agent's departments (admins: any).
    ``client_msg_id`` makes a retry answer the ticket the first attempt created."""

    client_id: Id
    subject: Subject
    department_id: Id
    priority: TicketPriority = TicketPriority.NORMAL
    text: MessageText
    client_msg_id: ClientMsgId | None = None


class TicketPatch(Request):
    """``PATCH /api/v1/tickets/{id}``: change any of status, priority, department, assignee.
    ``version`` is the one the agent saw: 409 ``version_conflict`` (``details.current`` = the
    ticket now) when a colleague changed it meanwhile. ``assignee_id: null`` unassigns."""

    version: Annotated[int, Field(ge=1)]
    status: TicketStatus | None = None
    priority: TicketPriority | None = None
    department_id: Id | None = None
    assignee_id: Id | None = None


class TicketPostCreate(Request):
    """``POST /api/v1/tickets/{id}/posts`` by an agent: ``kind`` ``staff`` (a reply the client sees)
    or ``note`` (internal). Idempotent per ``(ticket, client_msg_id)``."""

    kind: TicketPostKind
    text: MessageText
    client_msg_id: ClientMsgId


class ClientTicketPostCreate(Request):
    """``POST /api/v1/client/tickets/{id}/posts`` by the client (HTTP Basic, a client user's login
    and password): the billing panel's integration point."""

    text: MessageText
    client_msg_id: ClientMsgId


# --- clients (write side) -------------------------------------------------------------------------
# Every PATCH carries the ``version`` the agent edited: a newer one on the server answers 409
# ``version_conflict`` with ``details.current`` = the record as it is now. A field left out (or
# ``null`` where null is not a value) is not changed.

ClientName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                              max_length=L.MAX_NAME)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64,
                                         pattern=r"^[0-9+()./ -]*$")]
Email = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=320,
                                         pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
UserLogin = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=L.MAX_LOGIN,
                                             pattern=r"^[A-Za-z0-9._@+-]+$")]
NewPassword = Annotated[str, StringConstraints(min_length=8, max_length=L.MAX_PASSWORD)]
Amount = Annotated[Decimal, Field(ge=0, le=Decimal("999999999999.99"), max_digits=14,
                                  decimal_places=2)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]


class ClientPatch(Request):
    """``PATCH /api/v1/clients/{id}``: the client's name and phone."""

    version: Version
    name: ClientName | None = None
    phone: Phone | None = None


class ClientUserCreate(Request):
    """``POST /api/v1/clients/{id}/users``: a new login user of the client (enabled)."""

    login: UserLogin
    email: Email
    full_name: ShortText = ""
    password: NewPassword | None = None


class ClientUserPatch(Request):
    """``PATCH /api/v1/clients/{id}/users/{user_id}``; ``password`` resets it (never shown back);
    ``enabled: false`` disables the user."""

    version: Version
    login: UserLogin | None = None
    email: Email | None = None
    full_name: ShortText | None = None
    password: NewPassword | None = None
    enabled: bool | None = None


class PaymentPatch(Request):
    """``PATCH /api/v1/clients/{id}/payments/{payment_id}`` (needs ``can_edit_payments``)."""

    version: Version
    status: PaymentStatus | None = None
    amount: Amount | None = None
    note: LongText | None = None


class ServicePatch(Request):
    """``PATCH /api/v1/clients/{id}/services/{service_id}`` (needs ``can_edit_services``);
    ``expires_at: null`` removes the expiry."""

    version: Version
    name: ClientName | None = None
    price: Amount | None = None
    status: ServiceStatus | None = None
    expires_at: datetime | None = None


class ProjectPatch(Request):
    """``PATCH /api/v1/clients/{id}/projects/{project_id}``: enable or disable."""

    version: Version
    enabled: bool


# --- chat authorization, client history, client area (issue 4: seed items 2, 7, 8) -----------------


class VisitorAuthKind(StrEnum):
    LOGIN = "login"            # the Login button: the widget opens the login form at once
    AUTHORIZE = "authorize"    # "Ask to authorize": the widget asks, the visitor may say not now
    REGISTER = "register"      # "Register a new client": the widget opens the registration form


class VisitorAuthRequest(Request):
    """``POST /api/v1/chats/{id}/auth-request``: ask the visitor of an active, not yet authorized
    chat to log in to the client area (or to register)."""

    kind: VisitorAuthKind = VisitorAuthKind.LOGIN


class ClientAreaLinkRequest(Request):
    """``POST /api/v1/client-area/links``: a one-time link that opens the client's area as that
    client. ``chat_id``: the chat the agent is answering, authorized as this client (lets an agent
    who cannot see the client's department open it from that chat)."""

    client_id: Id
    chat_id: Id | None = None
    ttl_seconds: Annotated[int, Field(ge=1, le=60)] = 60   # the link works this long (at most 60 s)


class ClientAreaLink(Response):
    url: str                    # absolute; works once, until expires_at
    expires_at: datetime

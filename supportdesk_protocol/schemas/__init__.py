"""Request, response and shared value shapes of the HTTP API (``/api/v1``), one module per concern:

* ``base``: ``Request`` / ``Response`` bases, constrained strings and ids, ``Page``;
* ``errors``: ``ErrorBody``;
* ``agents``: login, agents, departments, server info;
* ``chats``: chats, messages, chat events, requests on a chat;
* ``clients``: clients, billing records, search, client area links;
* ``tickets``: tickets and posts;
* ``replies``: pre-defined replies and the change log.

Everything is re-exported here, so ``from supportdesk_protocol.schemas import Chat`` (and
``schemas.Chat``) is the one way to import a shape. The WebSocket frames and event payloads are in
``supportdesk_protocol.events``.

Conventions:

* Every timestamp is an ISO 8601 string in UTC with offset (``2026-11-29T10:00:00Z``).
* Money is a decimal string (``"12.50"``) plus a three-letter currency code, never a float.
* Request models forbid unknown fields (``extra="forbid"``): a typo is a 422, not silently ignored.
* Response models ignore unknown fields, so an older client keeps working against a newer server
  that adds fields (see "Versioning" in docs/protocol.md).
"""

from supportdesk_protocol.schemas.base import (
    Request,
    Response,
    NoNul,
    Login,
    Password,
    MessageText,
    ClientMsgId,
    ShortText,
    LongText,
    UrlText,
    Id,
    Page,
)
from supportdesk_protocol.schemas.errors import ErrorBody
from supportdesk_protocol.schemas.agents import (
    Role,
    AgentStatus,
    LoginRequest,
    Agent,
    LoginResponse,
    StatusUpdate,
    Department,
    ServerInfo,
)
from supportdesk_protocol.schemas.chats import (
    ChatState,
    AuthorKind,
    VisitorInfo,
    ChatMessage,
    Chat,
    ChatEventKind,
    ChatEvent,
    ChatEventList,
    MessagePage,
    SendMessageRequest,
    TypingRequest,
    ChatPatch,
    ForwardRequest,
    CloseRequest,
    VisitorAuthKind,
    VisitorAuthRequest,
)
from supportdesk_protocol.schemas.clients import (
    ClientStatus,
    PaymentStatus,
    ServiceStatus,
    ClientSummary,
    SearchHit,
    SearchResult,
    Client,
    ClientUser,
    Payment,
    Service,
    Expense,
    Project,
    ClientName,
    Phone,
    Email,
    UserLogin,
    NewPassword,
    Amount,
    Version,
    ClientPatch,
    ClientUserCreate,
    ClientUserPatch,
    PaymentPatch,
    ServicePatch,
    ProjectPatch,
    ClientAreaLinkRequest,
    ClientAreaLink,
)
from supportdesk_protocol.schemas.tickets import (
    TicketStatus,
    TicketPriority,
    TicketPostKind,
    Ticket,
    TicketPost,
    Subject,
    TicketCreate,
    TicketPatch,
    TicketPostCreate,
    ClientTicketPostCreate,
)
from supportdesk_protocol.schemas.replies import (
    ReplyScope,
    PredefinedReply,
    ReplyCreate,
    ReplyPatch,
    ChangelogEntry,
)

__all__ = [
    "Request", "Response", "NoNul", "Login", "Password", "MessageText", "ClientMsgId", "ShortText",
    "LongText", "UrlText", "Id", "Page", "ErrorBody", "Role", "AgentStatus", "LoginRequest",
    "Agent", "LoginResponse", "StatusUpdate", "Department", "ServerInfo", "ChatState",
    "AuthorKind", "VisitorInfo", "ChatMessage", "Chat", "ChatEventKind", "ChatEvent",
    "ChatEventList", "MessagePage", "SendMessageRequest", "TypingRequest", "ChatPatch",
    "ForwardRequest", "CloseRequest", "VisitorAuthKind", "VisitorAuthRequest", "ClientStatus",
    "PaymentStatus", "ServiceStatus", "ClientSummary", "SearchHit", "SearchResult", "Client",
    "ClientUser", "Payment", "Service", "Expense", "Project", "ClientName", "Phone", "Email",
    "UserLogin", "NewPassword", "Amount", "Version", "ClientPatch", "ClientUserCreate",
    "ClientUserPatch", "PaymentPatch", "ServicePatch", "ProjectPatch", "ClientAreaLinkRequest",
    "ClientAreaLink", "TicketStatus", "TicketPriority", "TicketPostKind", "Ticket", "TicketPost",
    "Subject", "TicketCreate", "TicketPatch", "TicketPostCreate", "ClientTicketPostCreate",
    "ReplyScope", "PredefinedReply", "ReplyCreate", "ReplyPatch", "ChangelogEntry",
]

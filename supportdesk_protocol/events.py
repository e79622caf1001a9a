"""Agent event stream and visitor socket frames.

Agent socket ``/api/v1/agent/ws``
---------------------------------
Every frame is one JSON object with an ``op``. The client speaks first::

    -> {"op": "auth", "token": "<bearer>", "resume_after": 1234 | null}
    <- {"op": "ready", "agent": {...}, "last_seq": 1300, "resumed": true}
    <- {"op": "event", "seq": 1235, "type": "chat.message", "ts": "...", "data": {...}}
    ...                                                   (every missed event, then live ones)
    -> {"op": "ping", "nonce": "x"}      <- {"op": "pong", "nonce": "x"}

``seq`` is global and strictly increasing; an agent sees a filtered subset (what its departments
and role may see), so the seqs it receives have gaps and that is normal. A client remembers the
highest seq it has *applied* and sends it as ``resume_after`` on reconnect; the server replays
every visible event after it, then continues live, without gap or duplicate. When the server can
no longer fill the gap (the log was pruned past ``resume_after``), it answers ``reset`` instead of
``ready``+replay, and the client reloads its state over HTTP and continues from ``last_seq``.

``supportdesk_protocol.asyncapi`` turns these models into the AsyncAPI 3 document of both sockets.

Visitor socket ``/api/v1/visitor/ws``
-------------------------------------
    -> {"op": "hello", "visitor_token": "<token from POST /visitor/session>", "after_seq": 0}
    <- {"op": "welcome", "visitor_id": "...", "chat": {...} | null, "departments": [...]}
    <- {"op": "message", ...VisitorMessage}   (history after after_seq, then live)
    -> {"op": "start", "department_id": 1, "name": "Ann", "text": "first message", "client_msg_id": "..."}
    -> {"op": "message", "client_msg_id": "...", "text": "..."}
    -> {"op": "typing", "typing": true}
    -> {"op": "page", "url": "...", "title": "...", "referrer": "..."}
    -> {"op": "close"}
    <- {"op": "chat", "chat": VisitorChat}       (state / department / agent changed)
    <- {"op": "typing", "typing": true, "author_name": "Agent"}
    <- {"op": "ack", "client_msg_id": "...", "message": VisitorMessage}
    <- {"op": "error", "code": "...", "message": "...", "details": ..., "client_msg_id": "..."}
       (client_msg_id: the refused frame's, when it had a valid one; a start while a chat is
       open is refused with code "chat_already_open", details {"chat_id", "department_id"})
    <- {"op": "auth_prompt", "kind": "login"|"authorize"|"register", "agent_name": "...",
        "again": false}     (again: true = the outstanding ask, resent after the replay)
    -> {"op": "auth_dismissed"}                  ("Not now": no re-prompt on reconnect)
    -> {"op": "login", "login": "...", "password": "..."}
    -> {"op": "register", "name": "...", "email": "...", "phone": "", "login": "...", "password": "..."}
    <- {"op": "auth_result", "action": "login"|"register", "ok": true|false, "client_name": ...,
        "code": "...", "message": "...", "errors": [{"field", "message"}], "retry_after": ...}
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from supportdesk_protocol.schemas import (
    Agent,
    AuthorKind,
    Chat,
    ChatMessage,
    ChatState,
    ClientMsgId,
    Department,
    Id,
    MessageText,
    Response,
    ShortText,
    Ticket,
    TicketPost,
    UrlText,
)


class EventType:
    """Names of agent events (the ``type`` field). Data shape in brackets."""

    CHAT_CREATED = "chat.created"              # Chat: a new chat entered the list of chats
    CHAT_UPDATED = "chat.updated"              # Chat: any change of state, assignee, name, visitor info...
    CHAT_MESSAGE = "chat.message"              # ChatMessageEvent
    CHAT_TYPING = "chat.typing"                # TypingEvent
    CHAT_FORWARDED = "chat.forwarded"          # ForwardEvent: to a department (seen by its agents)
    CHAT_FORWARD_RETURNED = "chat.forward_returned"  # ForwardEvent: nobody took it in time
    DEPARTMENT_ONLINE = "department.online"    # Department: online_count changed
    AGENT_STATUS = "agent.status"              # Agent: online / offline
    TICKET_CREATED = "ticket.created"          # Ticket
    TICKET_UPDATED = "ticket.updated"          # Ticket
    TICKET_POST = "ticket.post"                # TicketPost
    CLIENT_UPDATED = "client.updated"          # ClientChanged
    REPLY_CHANGED = "reply.changed"            # ReplyChanged
    CHAT_AUTHORIZED = "chat.authorized"        # ChatAuthorizedEvent: the visitor logged in / registered

    ALL = (
        CHAT_CREATED, CHAT_UPDATED, CHAT_MESSAGE, CHAT_TYPING, CHAT_FORWARDED,
        CHAT_FORWARD_RETURNED, DEPARTMENT_ONLINE, AGENT_STATUS, TICKET_CREATED,
        TICKET_UPDATED, TICKET_POST, CLIENT_UPDATED, REPLY_CHANGED, CHAT_AUTHORIZED,
    )


AUTH_FIELD_MAX = 1024   # hard cap per login/registration field; the server checks real limits


class Frame(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ServerFrame(BaseModel):
    """Base of every frame the server sends; as for ``Response``, every field is always sent."""

    model_config = ConfigDict(extra="ignore", json_schema_serialization_defaults_required=True)


def _optional_client_msg_id(schema: dict[str, Any]) -> None:
    # the one field a server frame leaves out (rather than sending null): see ErrorFrame
    if "client_msg_id" in schema.get("required", ()):
        schema["required"].remove("client_msg_id")


# --- event payloads ------------------------------------------------------------------------------


class ChatMessageEvent(Response):
    chat: Chat
    message: ChatMessage


class TypingEvent(Response):
    chat_id: int
    author_kind: AuthorKind
    author_name: str
    typing: bool


class ForwardEvent(Response):
    chat: Chat
    from_department_id: int
    to_department_id: int
    by_agent_id: int | None
    comment: str = ""


class ClientChanged(Response):
    """A colleague changed a client or one of its records (``client.updated``).

    ``entity`` says which: ``client``, ``user``, ``payment``, ``service`` or ``project``;
    ``entity_id`` and ``version`` are that record's (for ``client``: the client's own);
    ``record`` is the record as it is now (the shape of ``Client``, ``ClientUser``, ``Payment``,
    ``Service`` or ``Project``), absent when ``deleted``. ``by_agent_id``: who changed it.
    """

    client_id: int
    version: int
    entity: str = "client"
    entity_id: int | None = None
    deleted: bool = False
    record: dict[str, Any] | None = None
    by_agent_id: int | None = None


class ReplyChanged(Response):
    reply_id: int
    deleted: bool = False


class ChatAuthorizedEvent(Response):
    """The chat's visitor logged in to the client area (``registered``: as a client they just
    created). ``chat`` carries the new ``client_id``, ``client_name`` and ``project_name``."""

    chat: Chat
    client_id: int
    login: str
    registered: bool = False


EVENT_DATA_MODELS: dict[str, type[BaseModel]] = {
    EventType.CHAT_CREATED: Chat,
    EventType.CHAT_UPDATED: Chat,
    EventType.CHAT_MESSAGE: ChatMessageEvent,
    EventType.CHAT_TYPING: TypingEvent,
    EventType.CHAT_FORWARDED: ForwardEvent,
    EventType.CHAT_FORWARD_RETURNED: ForwardEvent,
    EventType.DEPARTMENT_ONLINE: Department,
    EventType.AGENT_STATUS: Agent,
    EventType.TICKET_CREATED: Ticket,
    EventType.TICKET_UPDATED: Ticket,
    EventType.TICKET_POST: TicketPost,
    EventType.CLIENT_UPDATED: ClientChanged,
    EventType.REPLY_CHANGED: ReplyChanged,
    EventType.CHAT_AUTHORIZED: ChatAuthorizedEvent,
}


# --- agent socket frames -------------------------------------------------------------------------


class AuthFrame(Frame):
    op: Literal["auth"]
    token: Annotated[str, Field(min_length=1, max_length=256)]
    resume_after: Annotated[int, Field(ge=0)] | None = None


class PingFrame(Frame):
    op: Literal["ping"]
    nonce: Annotated[str, Field(max_length=64)] = ""


AgentClientFrame = Annotated[AuthFrame | PingFrame, Field(discriminator="op")]
agent_client_frame = TypeAdapter(AgentClientFrame)


class ReadyFrame(ServerFrame):
    op: Literal["ready"] = "ready"
    agent: Agent
    last_seq: int        # the newest seq in the whole log at the moment of ready
    resumed: bool        # True: every visible event after resume_after follows


class ResetFrame(ServerFrame):
    op: Literal["reset"] = "reset"
    agent: Agent
    last_seq: int
    reason: str          # "gap": the log no longer holds events after resume_after


class EventFrame(ServerFrame):
    op: Literal["event"] = "event"
    seq: int
    type: str
    ts: datetime
    data: dict[str, Any]

    def parsed(self) -> BaseModel | dict[str, Any]:
        """The typed payload, or the raw dict for an event type this client does not know."""
        model = EVENT_DATA_MODELS.get(self.type)
        return model.model_validate(self.data) if model else self.data


class PongFrame(ServerFrame):
    op: Literal["pong"] = "pong"
    nonce: str = ""


class ErrorFrame(ServerFrame):
    """A refused frame or a failure (both sockets). ``client_msg_id``: the one of the frame that
    caused it, when that frame carried a valid one (absent otherwise), so a client with several
    messages in flight knows which to resend."""

    model_config = ConfigDict(json_schema_extra=_optional_client_msg_id)

    op: Literal["error"] = "error"
    code: str
    message: str
    details: Any = None
    client_msg_id: ClientMsgId | None = Field(default=None, exclude_if=lambda v: v is None)


AgentServerFrame = Annotated[
    ReadyFrame | ResetFrame | EventFrame | PongFrame | ErrorFrame, Field(discriminator="op")
]
agent_server_frame = TypeAdapter(AgentServerFrame)


# --- visitor side --------------------------------------------------------------------------------


class VisitorSessionRequest(BaseModel):
    """``POST /api/v1/visitor/session``: body may be empty; a known token is refreshed."""

    model_config = ConfigDict(extra="forbid")
    visitor_token: Annotated[str, Field(max_length=128)] | None = None


class VisitorSession(Response):
    visitor_id: str
    visitor_token: str


class VisitorMessage(Response):
    """A chat message as a visitor sees it (no agent ids)."""

    seq: int
    author_kind: AuthorKind
    author_name: str
    text: str
    client_msg_id: str | None = None
    created_at: datetime


class VisitorChat(Response):
    id: int
    state: ChatState
    department_id: int
    department_name: str
    agent_name: str | None = None     # who is answering, when assigned
    forwarded: bool = False
    authorized_client_name: str | None = None


class HelloFrame(Frame):
    op: Literal["hello"]
    visitor_token: Annotated[str, Field(min_length=1, max_length=128)]
    after_seq: Annotated[int, Field(ge=0)] = 0
    page_url: UrlText = ""
    page_title: ShortText = ""
    referrer: UrlText = ""
    language: Annotated[str, Field(max_length=35)] = ""
    timezone_offset_minutes: Annotated[int, Field(ge=-840, le=840)] | None = None


class StartFrame(Frame):
    op: Literal["start"]
    department_id: Id
    name: ShortText = ""
    text: MessageText
    client_msg_id: ClientMsgId


class VisitorMessageFrame(Frame):
    op: Literal["message"]
    client_msg_id: ClientMsgId
    text: MessageText


class VisitorTypingFrame(Frame):
    op: Literal["typing"]
    typing: bool


class PageFrame(Frame):
    op: Literal["page"]
    url: UrlText
    title: ShortText = ""
    referrer: UrlText = ""


class VisitorCloseFrame(Frame):
    op: Literal["close"]


class VisitorPingFrame(Frame):
    op: Literal["ping"]
    nonce: Annotated[str, Field(max_length=64)] = ""


class VisitorLoginFrame(Frame):
    """Log in to the client area with a client user's login and password; the open chat (and the
    visitor's later chats) become authorized. Answered by ``auth_result``."""

    op: Literal["login"]
    login: Annotated[str, Field(max_length=AUTH_FIELD_MAX)]
    password: Annotated[str, Field(max_length=AUTH_FIELD_MAX)]


class VisitorAuthDismissedFrame(Frame):
    """The visitor answered the agent's ``auth_prompt`` with "Not now" (or went back to the
    chat): recorded, so reconnecting does not show the prompt again until the agent asks anew.
    No answer; ignored when nothing is outstanding. Rate-limited like ``message``."""

    op: Literal["auth_dismissed"]


class VisitorRegisterFrame(Frame):
    """Create a client (in the open chat's department) with one login user, and authorize the
    chat. Fields are checked by the server, which answers ``auth_result`` with one sentence per
    wrong field."""

    op: Literal["register"]
    name: Annotated[str, Field(max_length=AUTH_FIELD_MAX)]
    email: Annotated[str, Field(max_length=AUTH_FIELD_MAX)]
    phone: Annotated[str, Field(max_length=AUTH_FIELD_MAX)] = ""
    login: Annotated[str, Field(max_length=AUTH_FIELD_MAX)]
    password: Annotated[str, Field(max_length=AUTH_FIELD_MAX)]


VisitorClientFrame = Annotated[
    HelloFrame | StartFrame | VisitorMessageFrame | VisitorTypingFrame | PageFrame
    | VisitorCloseFrame | VisitorPingFrame | VisitorLoginFrame | VisitorRegisterFrame
    | VisitorAuthDismissedFrame,
    Field(discriminator="op"),
]
visitor_client_frame = TypeAdapter(VisitorClientFrame)


class WelcomeFrame(ServerFrame):
    op: Literal["welcome"] = "welcome"
    visitor_id: str
    chat: VisitorChat | None
    departments: list[Department]


class VisitorMessageOut(ServerFrame):
    op: Literal["message"] = "message"
    message: VisitorMessage


class VisitorChatFrame(ServerFrame):
    op: Literal["chat"] = "chat"
    chat: VisitorChat


class VisitorTypingOut(ServerFrame):
    op: Literal["typing"] = "typing"
    typing: bool
    author_name: str = ""


class AckFrame(ServerFrame):
    op: Literal["ack"] = "ack"
    client_msg_id: str
    message: VisitorMessage


class AuthPromptFrame(ServerFrame):
    """The agent asks the visitor to log in (``kind`` ``login``: show the login form;
    ``authorize``: ask first, the visitor may decline) or to register (``register``).
    ``again``: not a new ask but the outstanding one, sent again right after the history replay
    of a (re)connecting socket (a widget that already shows the form keeps it as it is)."""

    op: Literal["auth_prompt"] = "auth_prompt"
    kind: str
    agent_name: str = ""
    again: bool = False


class AuthFieldError(ServerFrame):
    field: str            # name, email, phone, login, password ("" = the form as a whole)
    message: str          # a sentence to show next to the field


class AuthResultFrame(ServerFrame):
    """The answer to ``login`` / ``register``. ``ok``: the visitor is now ``client_name``. Else
    ``code`` (``unauthorized``, ``forbidden``, ``validation_error``, ``conflict``,
    ``rate_limited``) with a ``message`` and, for registration, ``errors`` per field."""

    op: Literal["auth_result"] = "auth_result"
    action: str                       # login / register
    ok: bool
    client_name: str | None = None
    code: str = ""
    message: str = ""
    errors: list[AuthFieldError] = Field(default_factory=list)
    retry_after: int | None = None


__all__ = [name for name in dir() if not name.startswith("_")]

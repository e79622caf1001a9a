"""Chats, their messages and events, and the agent's requests on a chat (including asking the
visitor to log in)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from supportdesk_protocol.schemas.base import (
    ClientMsgId,
    Id,
    LongText,
    MessageText,
    Request,
    Response,
    ShortText,
)


class ChatState(StrEnum):
    WAITING = "waiting"    # in the list of chats, nobody assigned
    ACTIVE = "active"      # assigned to an agent
    CLOSED = "closed"


class AuthorKind(StrEnum):
    VISITOR = "visitor"
    AGENT = "agent"
    SYSTEM = "system"


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


class VisitorAuthKind(StrEnum):
    LOGIN = "login"            # the Login button: the widget opens the login form at once
    AUTHORIZE = "authorize"    # "Ask to authorize": the widget asks, the visitor may say not now
    REGISTER = "register"      # "Register a new client": the widget opens the registration form


class VisitorAuthRequest(Request):
    """``POST /api/v1/chats/{id}/auth-request``: ask the visitor of an active, not yet authorized
    chat to log in to the client area (or to register)."""

    kind: VisitorAuthKind = VisitorAuthKind.LOGIN


__all__ = [
    "ChatState", "AuthorKind", "VisitorInfo", "ChatMessage", "Chat", "ChatEventKind", "ChatEvent",
    "ChatEventList", "MessagePage", "SendMessageRequest", "TypingRequest", "ChatPatch",
    "ForwardRequest", "CloseRequest", "VisitorAuthKind", "VisitorAuthRequest",
]

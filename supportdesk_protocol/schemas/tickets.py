"""Tickets and their posts: what agents and clients read and write."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from supportdesk_protocol import limits as L
from supportdesk_protocol.schemas.base import ClientMsgId, Id, MessageText, NoNul, Request, Response


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


__all__ = [
    "TicketStatus", "TicketPriority", "TicketPostKind", "Ticket", "TicketPost", "Subject",
    "TicketCreate", "TicketPatch", "TicketPostCreate", "ClientTicketPostCreate",
]

"""Clients and their billing records (read and write side), client search, the client area link.

Every PATCH carries the ``version`` the agent edited: a newer one on the server answers 409
``version_conflict`` with ``details.current`` = the record as it is now. A field left out (or
``null`` where null is not a value) is not changed.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from supportdesk_protocol import limits as L
from supportdesk_protocol.schemas.base import Id, LongText, Request, Response, ShortText


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


__all__ = [
    "ClientStatus", "PaymentStatus", "ServiceStatus", "ClientSummary", "SearchHit", "SearchResult",
    "Client", "ClientUser", "Payment", "Service", "Expense", "Project", "ClientName", "Phone",
    "Email", "UserLogin", "NewPassword", "Amount", "Version", "ClientPatch", "ClientUserCreate",
    "ClientUserPatch", "PaymentPatch", "ServicePatch", "ProjectPatch", "ClientAreaLinkRequest",
    "ClientAreaLink",
]

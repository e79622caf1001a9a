"""The reference server's data model (SQLAlchemy 2, typed declarative mapping).

Complete from day one: later features add behaviour, not tables. Every record an agent can edit
carries a ``version`` for optimistic concurrency. Times are stored as timezone-aware UTC.
Money is ``Numeric(14, 2)``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """DateTime that always comes back timezone-aware UTC (SQLite forgets the zone).

    A TypeDecorator (not a DateTime subclass): the dialect adapts a DateTime subclass into its own
    DATETIME type and would drop an overridden ``result_processor``. Aware values are converted
    to UTC before they are stored, naive ones are taken as UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: ANN001
        if isinstance(value, datetime):
            value = value.replace(tzinfo=timezone.utc) if value.tzinfo is None \
                else value.astimezone(timezone.utc)
        return value

    def process_result_value(self, value, dialect):  # noqa: ANN001
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        elif value is not None:
            value = value.astimezone(timezone.utc)
        return value


# BigInteger ids on PostgreSQL, INTEGER PRIMARY KEY (rowid alias) on SQLite.
BigId = BigInteger().with_variant(Integer, "sqlite")
Money = Numeric(14, 2, asdecimal=True)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), Decimal: Money}


# --- staff ------------------------------------------------------------------------------------------


class Department(Base):
    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # Departments that may forward chats here / receive chats from other departments.
    accepts_forwards: Mapped[bool] = mapped_column(Boolean, default=True)
    # Administration (docs/administration.md): archived ones are neither offered to visitors nor
    # forward targets; working hours {timezone, periods} (null: always open); the offline form.
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    shown_in_widget: Mapped[bool] = mapped_column(Boolean, default=True)
    working_hours: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    offline_form: Mapped[dict | None] = mapped_column(JSON, nullable=True)


class Agent(Base):
    __tablename__ = "agents"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    avatar_url: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    role: Mapped[str] = mapped_column(String(16), default="agent")  # agent / head / admin
    password_hash: Mapped[str] = mapped_column(String(256))
    status: Mapped[str] = mapped_column(String(16), default="offline")  # online / offline
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Editable chat permissions (role rules for payments/services; see docs/security.md later).
    can_edit_payments: Mapped[bool] = mapped_column(Boolean, default=False)
    can_edit_services: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # Account security (docs/administration.md): a one-time password must be changed first;
    # an invitation (SHA-256 of its token); TOTP secret (base32), a pending one during set-up,
    # and the last accepted time step (a code is good once).
    password_change_required: Mapped[bool] = mapped_column(Boolean, default=False)
    invitation_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    invitation_expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    totp_pending_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger, nullable=True)

    departments: Mapped[list[Department]] = relationship(
        secondary="agent_departments", lazy="selectin", order_by="Department.id"
    )


class AgentDepartment(Base):
    __tablename__ = "agent_departments"
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), primary_key=True)
    department_id: Mapped[int] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True
    )


class AuthToken(Base):
    """Agent bearer tokens. Only the SHA-256 of the token is stored."""

    __tablename__ = "auth_tokens"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    user_agent: Mapped[str] = mapped_column(String(512), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    last_used_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # "full", or restricted: "password_change" / "totp_setup" (docs/administration.md)
    scope: Mapped[str] = mapped_column(String(16), default="full")


class RecoveryCode(Base):
    """Two-factor recovery codes: argon2 hashes, each usable once."""

    __tablename__ = "recovery_codes"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(256))
    used_at: Mapped[datetime | None] = mapped_column(nullable=True)


class Site(Base):
    """A web site allowed to embed the widget (its origin); the live origin allow-list."""

    __tablename__ = "sites"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    origin: Mapped[str] = mapped_column(String(300), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ServerSetting(Base):
    """Server-wide settings changed at run time (e.g. the security policy)."""

    __tablename__ = "server_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON, default=dict)


# --- clients and billing ------------------------------------------------------------------------------


class Client(Base):
    __tablename__ = "clients"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    phone: Mapped[str] = mapped_column(String(64), default="", index=True)
    project_name: Mapped[str] = mapped_column(String(200), default="")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True, index=True)
    balance: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)


class ClientUser(Base):
    """A login user of a client's account (one client can have several)."""

    __tablename__ = "client_users"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(256), default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    last_ip: Mapped[str] = mapped_column(String(64), default="", index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)


class Payment(Base):
    __tablename__ = "payments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    amount: Mapped[Decimal] = mapped_column()
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    status: Mapped[str] = mapped_column(String(16), default="new")
    method: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    paid_at: Mapped[datetime | None] = mapped_column(nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)


class Service(Base):
    __tablename__ = "services"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(32))  # hosting, vps, dedicated, domain, ssl ...
    domain: Mapped[str] = mapped_column(String(255), default="", index=True)
    ip: Mapped[str] = mapped_column(String(64), default="", index=True)
    price: Mapped[Decimal] = mapped_column()
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    status: Mapped[str] = mapped_column(String(16), default="active")
    expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)


class Expense(Base):
    __tablename__ = "expenses"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(500))
    amount: Mapped[Decimal] = mapped_column()
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Project(Base):
    __tablename__ = "projects"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)


class Ticket(Base):
    __tablename__ = "tickets"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    status: Mapped[str] = mapped_column(String(16), default="new")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)


class TicketPost(Base):
    """A ticket message: client post, staff reply or internal note (``kind``)."""

    __tablename__ = "ticket_posts"
    __table_args__ = (UniqueConstraint("ticket_id", "client_msg_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # client / staff / note
    author_name: Mapped[str] = mapped_column(String(200))
    author_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    client_msg_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- chats ----------------------------------------------------------------------------------------


class Visitor(Base):
    """A browser that opened the widget: identified by a cookie-held token (stored hashed)."""

    __tablename__ = "visitors"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # public visitor id (uuid4)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"), nullable=True)


class Chat(Base):
    __tablename__ = "chats"
    __table_args__ = (Index("ix_chats_state_department", "state", "department_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    visitor_id: Mapped[str] = mapped_column(ForeignKey("visitors.id"), index=True)
    visitor_name: Mapped[str] = mapped_column(String(200), default="")
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"),
                                                  nullable=True, index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True, index=True)
    state: Mapped[str] = mapped_column(String(16), default="waiting")  # waiting / active / closed
    name: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    # Forwarding: set while the chat sits in another department's list after a forward.
    forwarded_from_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    forwarded_by_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    forward_comment: Mapped[str] = mapped_column(Text, default="")
    forward_deadline: Mapped[datetime | None] = mapped_column(nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    waiting_since: Mapped[datetime | None] = mapped_column(nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_message_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_message_preview: Mapped[str] = mapped_column(String(200), default="")
    message_count: Mapped[int] = mapped_column(Integer, default=0)
    # Visitor info (latest values reported by the widget).
    ip: Mapped[str] = mapped_column(String(64), default="")
    page_url: Mapped[str] = mapped_column(String(2048), default="")
    page_title: Mapped[str] = mapped_column(String(200), default="")
    referrer: Mapped[str] = mapped_column(String(2048), default="")
    user_agent: Mapped[str] = mapped_column(String(512), default="")
    language: Mapped[str] = mapped_column(String(35), default="")
    timezone_offset_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)


class ChatMessage(Base):
    __tablename__ = "chat_messages"
    __table_args__ = (
        UniqueConstraint("chat_id", "seq"),
        UniqueConstraint("chat_id", "author_kind", "client_msg_id"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    author_kind: Mapped[str] = mapped_column(String(16))  # visitor / agent / system
    author_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    author_name: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    client_msg_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- replies, change log, audit, events --------------------------------------------------------------


class PredefinedReply(Base):
    __tablename__ = "predefined_replies"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(String(16), default="department")  # department / personal
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True, index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), index=True)
    chat_only: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)


class ChangelogEntry(Base):
    __tablename__ = "changelog_entries"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    version: Mapped[str] = mapped_column(String(32))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")


class AuditLog(Base):
    """Who changed what: one row per change made through the API."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)   # a chat's events
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(64))           # e.g. chat.take, payment.update
    entity: Mapped[str] = mapped_column(String(32))           # table name
    entity_id: Mapped[str] = mapped_column(String(64))
    changes: Mapped[dict] = mapped_column(JSON, default=dict)  # {"field": [old, new], ...}
    ip: Mapped[str] = mapped_column(String(64), default="")           # from where
    user_agent: Mapped[str] = mapped_column(String(512), default="")


class Event(Base):
    """The agent event log. ``seq`` is the global, strictly increasing sequence number.

    ``audience`` says who may see the event: a list of ``"*"`` (every agent), ``"d:<department id>"``
    or ``"a:<agent id>"``. Admins see everything.
    """

    __tablename__ = "events"
    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    type: Mapped[str] = mapped_column(String(64))
    ts: Mapped[datetime] = mapped_column(default=utcnow)
    audience: Mapped[list] = mapped_column(JSON, default=list)
    data: Mapped[dict] = mapped_column(JSON, default=dict)


__all__ = [
    "Base", "Department", "Agent", "AgentDepartment", "AuthToken", "Client", "ClientUser",
    "Payment", "Service", "Expense", "Project", "Ticket", "TicketPost", "Visitor", "Chat",
    "ChatMessage", "PredefinedReply", "ChangelogEntry", "AuditLog", "Event", "utcnow",
    "RecoveryCode", "Site", "ServerSetting",
]

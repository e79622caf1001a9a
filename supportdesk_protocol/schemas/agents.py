"""Authentication, agents, departments and the server info."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from supportdesk_protocol import limits as L
from supportdesk_protocol.schemas.base import Login, Password, Request, Response


class Role(StrEnum):
    AGENT = "agent"
    HEAD = "head"          # department head
    ADMIN = "admin"


class AgentStatus(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"


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


__all__ = [
    "Role", "AgentStatus", "LoginRequest", "Agent", "LoginResponse", "StatusUpdate", "Department",
    "ServerInfo",
]

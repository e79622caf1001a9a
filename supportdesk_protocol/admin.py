"""Administration and account security: request and response shapes (docs/administration.md).

Agents, departments, web sites, two-factor sign-in, sessions and the audit log. The same
conventions as ``supportdesk_protocol.schemas``: requests forbid unknown fields, responses
ignore them; times are UTC ISO 8601.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from supportdesk_protocol import limits as L
from supportdesk_protocol.schemas import (
    Agent,
    Id,
    LoginRequest,
    LoginResponse,
    NoNul,
    Password,
    Request,
    Response,
    Role,
    ShortText,
    UrlText,
)

MIN_PASSWORD_LENGTH = 10
INVITATION_TTL_SECONDS = 72 * 3600
RECOVERY_CODE_COUNT = 10

#: every audit ``action`` this part of the server writes (docs/administration.md, "Audit")
AUDIT_ACTIONS = (
    "agent.create", "agent.update", "agent.deactivate", "agent.reactivate",
    "agent.password_reset", "agent.invitation", "agent.invitation_accept",
    "agent.password_change", "agent.totp_enable", "agent.totp_disable", "agent.totp_reset",
    "agent.sessions_end", "session.end",
    "department.create", "department.update", "department.archive", "department.restore",
    "department.delete",
    "site.create", "site.update", "site.delete",
    "security.update",
)

AgentLogin = Annotated[str, StringConstraints(min_length=1, max_length=L.MAX_LOGIN,
                                              pattern=r"^[A-Za-z0-9._@-]+$")]
DisplayName = Annotated[str, StringConstraints(min_length=1, max_length=L.MAX_NAME), NoNul]
TotpCode = Annotated[str, StringConstraints(min_length=6, max_length=32,
                                            pattern=r"^[A-Za-z0-9 -]+$")]
HourMinute = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$")]
OriginText = Annotated[str, StringConstraints(min_length=1, max_length=L.MAX_URL), NoNul]


# --- sign-in ----------------------------------------------------------------------------------


class SignInRequest(LoginRequest):
    """``POST /auth/login``: ``totp_code`` (six digits, or a recovery code) when the agent has
    two-factor sign-in; without it such a login answers 401 ``totp_required``."""

    totp_code: TotpCode | None = None


class SignInResponse(LoginResponse):
    """The login answer. When ``password_change_required`` or ``totp_setup_required`` is true
    the token is restricted: only the endpoints named in docs/administration.md work with it
    (everything else answers 403 ``password_change_required`` / ``totp_setup_required``)."""

    password_change_required: bool = False
    totp_setup_required: bool = False


class PasswordChange(Request):
    current_password: Password
    new_password: Password


class InvitationInfo(Response):
    login: str
    display_name: str
    expires_at: datetime


class InvitationAccept(Request):
    password: Password


# --- agents -----------------------------------------------------------------------------------


class Onboarding(StrEnum):
    PASSWORD = "password"       # a one-time initial password (generated unless given)
    INVITATION = "invitation"   # an invitation link; the agent sets the password


class AdminAgent(Agent):
    """An agent as the Administration area sees it."""

    enabled: bool = True
    totp_enabled: bool = False
    password_change_required: bool = False
    invitation_pending: bool = False
    created_at: datetime | None = None
    last_seen_at: datetime | None = None


class AgentCreate(Request):
    login: AgentLogin
    display_name: DisplayName
    role: Role = Role.AGENT
    department_ids: list[Id] = Field(min_length=1, max_length=100)
    avatar_url: UrlText | None = None
    can_edit_payments: bool = False
    can_edit_services: bool = False
    onboarding: Onboarding = Onboarding.PASSWORD
    initial_password: Password | None = None    # only with onboarding "password"


class AgentPatch(Request):
    display_name: DisplayName | None = None
    avatar_url: UrlText | None = None
    role: Role | None = None
    department_ids: list[Id] | None = Field(default=None, min_length=1, max_length=100)
    can_edit_payments: bool | None = None
    can_edit_services: bool | None = None


class Invitation(Response):
    token: str
    url: str                    # <server>/invite#<token>; the desk opens it as a sign-up page
    expires_at: datetime


class AgentCreated(Response):
    agent: AdminAgent
    initial_password: str | None = None   # shown once; the agent must change it at sign-in
    invitation: Invitation | None = None


class PasswordReset(Response):
    initial_password: str


# --- departments ------------------------------------------------------------------------------


class WorkingPeriod(Request):
    day: int = Field(ge=0, le=6)            # 0 = Monday ... 6 = Sunday
    start: HourMinute
    end: HourMinute


class WorkingHours(Request):
    timezone: Annotated[str, StringConstraints(min_length=1, max_length=64)] = "UTC"
    periods: list[WorkingPeriod] = Field(default_factory=list, max_length=70)


class OfflineForm(Request):
    enabled: bool = True
    message: Annotated[str, StringConstraints(max_length=L.MAX_SUMMARY), NoNul] = ""


class AdminDepartment(Response):
    id: int
    name: str
    archived: bool = False
    shown_in_widget: bool = True
    accepts_forwards: bool = True
    working_hours: WorkingHours | None = None   # null: always open
    offline_form: OfflineForm = Field(default_factory=OfflineForm)
    agent_count: int = 0
    online_count: int = 0


class DepartmentCreate(Request):
    name: DisplayName
    shown_in_widget: bool = True
    accepts_forwards: bool = True
    working_hours: WorkingHours | None = None
    offline_form: OfflineForm | None = None


class DepartmentPatch(Request):
    name: DisplayName | None = None
    shown_in_widget: bool | None = None
    accepts_forwards: bool | None = None
    working_hours: WorkingHours | None = None
    clear_working_hours: bool = False           # true: always open again
    offline_form: OfflineForm | None = None


class VisitorOfflineMessage(Request):
    """``POST /visitor/offline-message``: the widget's offline form; becomes a ticket."""

    department_id: Id
    name: DisplayName
    email: Annotated[str, StringConstraints(min_length=3, max_length=320,
                                            pattern=r"^[^@\s]+@[^@\s]+$")]
    text: Annotated[str, StringConstraints(min_length=1, max_length=L.MAX_MESSAGE_TEXT), NoNul]


class OfflineMessageAccepted(Response):
    ticket_id: int


# --- web sites --------------------------------------------------------------------------------


class Site(Response):
    id: int
    origin: str
    name: str
    created_at: datetime
    embed_snippet: str


class SiteCreate(Request):
    origin: OriginText
    name: ShortText = ""


class SitePatch(Request):
    origin: OriginText | None = None
    name: ShortText | None = None


# --- two-factor sign-in -----------------------------------------------------------------------


class TotpStatus(Response):
    enabled: bool
    pending: bool                     # set up, not confirmed yet
    recovery_codes_left: int = 0
    required: bool = False            # the security policy requires it for this agent's role


class TotpSetup(Response):
    secret: str                       # base32
    otpauth_uri: str                  # otpauth://totp/SupportDesk:login?secret=...&issuer=...
    digits: int = 6
    period: int = 30


class TotpConfirm(Request):
    code: TotpCode


class RecoveryCodes(Response):
    recovery_codes: list[str]         # shown once; stored hashed


class TotpDisable(Request):
    current_password: Password


class SecurityPolicy(Response):
    totp_required_roles: list[Role] = Field(default_factory=list)


class SecurityPolicyUpdate(Request):
    totp_required_roles: list[Role] = Field(max_length=3)


# --- sessions ---------------------------------------------------------------------------------


class SessionInfo(Response):
    id: int
    created_at: datetime
    last_used_at: datetime | None = None
    expires_at: datetime
    user_agent: str = ""
    ip: str = ""
    current: bool = False


# --- audit ------------------------------------------------------------------------------------


class AuditEntry(Response):
    id: int
    at: datetime
    agent_id: int | None = None
    agent_login: str | None = None
    action: str
    entity: str
    entity_id: str
    changes: dict[str, Any] = Field(default_factory=dict)
    ip: str = ""
    user_agent: str = ""

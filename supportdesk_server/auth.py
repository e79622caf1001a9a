"""Agent authentication: argon2 passwords, opaque bearer tokens stored as SHA-256 with expiry."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk_protocol import schemas as S
from supportdesk_server.store import models as M

_hasher = PasswordHasher()
# Verified when the login is unknown, so a wrong login costs as much as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password-" + secrets.token_hex(8))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches any argon2 hash (argon2id/i/d, any parameters)."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError, ValueError):
        return False


async def verify_password_async(password_hash: str | None, password: str) -> bool:
    """Argon2 costs tens of milliseconds of CPU: run it off the event loop."""
    ok = await asyncio.to_thread(verify_password, password_hash or _DUMMY_HASH, password)
    return ok and password_hash is not None


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AgentContext:
    """The authenticated agent of one request or socket (a snapshot, usable outside sessions)."""

    id: int
    login: str
    display_name: str
    role: str
    department_ids: frozenset[int]
    token_hash: str = ""
    token_expires_at: datetime | None = None
    token_id: int = 0
    scope: str = "full"          # "full", or a restricted token (docs/administration.md)

    @property
    def is_admin(self) -> bool:
        return self.role == S.Role.ADMIN


def agent_schema(agent: M.Agent) -> S.Agent:
    return S.Agent(id=agent.id, login=agent.login, display_name=agent.display_name,
                   avatar_url=agent.avatar_url, role=S.Role(agent.role),
                   department_ids=[d.id for d in agent.departments],
                   status=S.AgentStatus(agent.status),
                   can_edit_payments=bool(agent.can_edit_payments) or agent.role == S.Role.ADMIN,
                   can_edit_services=bool(agent.can_edit_services) or agent.role == S.Role.ADMIN)


async def agent_for_token(session: AsyncSession, token: str, *, allow_restricted: bool = False
                          ) -> tuple[M.Agent, M.AuthToken] | None:
    """The agent and token row of a valid bearer token. A restricted token (one-time password
    not changed yet, two-factor set-up pending) counts only with ``allow_restricted``: the
    agent socket never accepts one; the REST dependency checks the path itself."""
    if not token or len(token) > 256:
        return None
    h = token_hash(token)
    row = (await session.execute(
        select(M.AuthToken, M.Agent).join(M.Agent, M.Agent.id == M.AuthToken.agent_id)
        .where(M.AuthToken.token_hash == h))).first()
    if row is None:
        return None
    tok, agent = row
    if tok.revoked_at is not None or tok.expires_at <= M.utcnow() or not agent.enabled:
        return None
    if tok.scope != "full" and not allow_restricted:
        return None
    return agent, tok


def context_for(agent: M.Agent, tok: M.AuthToken | None = None) -> AgentContext:
    return AgentContext(id=agent.id, login=agent.login, display_name=agent.display_name,
                        role=agent.role, department_ids=frozenset(d.id for d in agent.departments),
                        token_hash=tok.token_hash if tok else "",
                        token_expires_at=tok.expires_at if tok else None,
                        token_id=tok.id if tok else 0, scope=tok.scope if tok else "full")


async def issue_token(session: AsyncSession, agent: M.Agent, ttl_seconds: int,
                      user_agent: str = "", *, ip: str = "", scope: str = "full"
                      ) -> tuple[str, datetime]:
    token = new_token()
    now = M.utcnow()
    expires = now + timedelta(seconds=ttl_seconds)
    session.add(M.AuthToken(token_hash=token_hash(token), agent_id=agent.id, expires_at=expires,
                            user_agent=user_agent[:512], ip=ip[:64], scope=scope,
                            created_at=now, last_used_at=now))
    agent.last_seen_at = now
    return token, expires


_COMMON_PASSWORDS = frozenset("""
password passw0rd password1 password123 1234567890 12345678910 123456789 qwertyuiop
qwerty12345 qwerty123456 iloveyou12 letmein123 welcome123 administrator supportdesk
changeme123 abc1234567 1q2w3e4r5t 0987654321 trustno1234 football12 monkey12345
""".split())


def password_problem(password: str, *, login: str = "", display_name: str = "",
                     current: str | None = None) -> str | None:
    """Why ``password`` is too weak (a sentence for the user), else None."""
    from supportdesk_protocol.admin import MIN_PASSWORD_LENGTH

    low = password.lower()
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
    if len(set(password)) < 4:
        return "the password must not be one character (or a few) repeated"
    if login and low == login.lower() or display_name and low == display_name.lower():
        return "the password must not be the login or the display name"
    if low in _COMMON_PASSWORDS:
        return "the password is one of the most common passwords; choose another"
    if current is not None and password == current:
        return "the new password must differ from the current one"
    return None


async def bootstrap_admin(session: AsyncSession, spec: str) -> bool:
    """``--bootstrap-admin LOGIN:PASSWORD``: on a database without agents, create that admin and
    a first department "General". Returns False (and changes nothing) when agents exist."""
    login, sep, password = spec.partition(":")
    if not sep or not login or not password:
        raise ValueError("--bootstrap-admin expects LOGIN:PASSWORD")
    if await session.scalar(select(func.count()).select_from(M.Agent)):
        return False
    dept = await session.scalar(select(M.Department).order_by(M.Department.id).limit(1))
    if dept is None:
        dept = M.Department(name="General")
        session.add(dept)
        await session.flush()
    admin = M.Agent(login=login, display_name=login, role="admin",
                    password_hash=hash_password(password))
    session.add(admin)
    await session.flush()
    session.add(M.AgentDepartment(agent_id=admin.id, department_id=dept.id))
    await session.commit()
    return True

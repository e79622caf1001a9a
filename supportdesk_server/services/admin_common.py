"""Shared pieces of the administration services (docs/administration.md): who acts and from
where, the audit row, the role rules, restricted tokens, the security policy, session ends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk_protocol import admin as A
from supportdesk_protocol import schemas as S
from supportdesk_server.auth import AgentContext, agent_schema
from supportdesk_server.errors import ApiError, forbidden, not_found
from supportdesk_server.services.runtime import Hub, Tx
from supportdesk_server.store import models as M

API = "/api/v1"
# what a restricted token may still call (method, path)
_RESTRICTED: dict[str, set[tuple[str, str]]] = {
    "password_change": {("GET", f"{API}/me"), ("POST", f"{API}/auth/logout"),
                        ("POST", f"{API}/me/password")},
    "totp_setup": {("GET", f"{API}/me"), ("POST", f"{API}/auth/logout"),
                   ("POST", f"{API}/me/password"), ("GET", f"{API}/me/totp"),
                   ("POST", f"{API}/me/totp/setup"), ("POST", f"{API}/me/totp/confirm")},
}
_RESTRICTED_MESSAGE = {
    "password_change": "change your one-time password first (POST /me/password)",
    "totp_setup": "set up two-factor sign-in first (POST /me/totp/setup)",
}
TOKEN_USE_RESOLUTION = timedelta(seconds=60)


def restricted_refusal(scope: str, method: str, path: str) -> ApiError | None:
    if (method.upper(), path.rstrip("/")) in _RESTRICTED.get(scope, set()):
        return None
    return ApiError(403, f"{scope}_required",
                    _RESTRICTED_MESSAGE.get(scope, "this token may not be used here"))


async def note_token_use(hub: Hub, tok: M.AuthToken) -> None:
    """``last_used_at`` of a session, written at most once a minute per token."""
    now = M.utcnow()
    if tok.last_used_at is not None and now - tok.last_used_at < TOKEN_USE_RESOLUTION:
        return
    async with hub.write() as tx:
        await tx.session.execute(update(M.AuthToken).where(M.AuthToken.id == tok.id)
                                 .values(last_used_at=now))
        await tx.session.execute(update(M.Agent).where(M.Agent.id == tok.agent_id)
                                 .values(last_seen_at=now))


@dataclass(frozen=True)
class Actor:
    """Who does an administrative action and from where (the audit row's who/where)."""

    agent_id: int | None
    ip: str = ""
    user_agent: str = ""
    via: str = "api"          # "cli" on the command line


def record(tx: Tx, actor: Actor, action: str, entity: str, entity_id: object,
           **changes: Any) -> None:
    """The one audit row of an administrative action. Never pass secrets in ``changes``."""
    assert action in A.AUDIT_ACTIONS, action
    if actor.via != "api":
        changes["via"] = actor.via
    tx.session.add(M.AuditLog(agent_id=actor.agent_id, action=action, entity=entity,
                              entity_id=str(entity_id), changes=changes, ip=actor.ip[:64],
                              user_agent=actor.user_agent[:512]))


# --- role rules -------------------------------------------------------------------------------


def is_manager(ctx: AgentContext) -> bool:
    return ctx.role in (S.Role.ADMIN, S.Role.HEAD)


def require_manager(ctx: AgentContext) -> None:
    if not is_manager(ctx):
        raise forbidden("administrators and department heads only")


def require_admin(ctx: AgentContext) -> None:
    if not ctx.is_admin:
        raise forbidden("administrators only")


def agent_visible(ctx: AgentContext, agent: M.Agent) -> bool:
    return ctx.is_admin or bool({d.id for d in agent.departments} & ctx.department_ids) \
        or agent.id == ctx.id


def may_manage(ctx: AgentContext, agent: M.Agent) -> bool:
    if ctx.is_admin:
        return True
    depts = {d.id for d in agent.departments}
    return (ctx.role == S.Role.HEAD and agent.role == S.Role.AGENT and bool(depts)
            and depts <= ctx.department_ids)


async def managed_agent(session: AsyncSession, ctx: AgentContext, agent_id: int) -> M.Agent:
    """The agent ``ctx`` may manage: 404 when not visible, 403 when visible but not theirs."""
    require_manager(ctx)
    agent = await session.get(M.Agent, agent_id, populate_existing=True)
    if agent is None or not agent_visible(ctx, agent):
        raise not_found("agent")
    if not may_manage(ctx, agent):
        raise forbidden("you may manage only agents of your own departments")
    return agent


def admin_agent(agent: M.Agent) -> A.AdminAgent:
    now = M.utcnow()
    return A.AdminAgent(
        **agent_schema(agent).model_dump(), enabled=bool(agent.enabled),
        totp_enabled=agent.totp_secret is not None,
        password_change_required=bool(agent.password_change_required),
        invitation_pending=agent.invitation_hash is not None
        and (agent.invitation_expires_at or now) > now,
        created_at=agent.created_at, last_seen_at=agent.last_seen_at)


# --- security policy --------------------------------------------------------------------------


async def security_policy(session: AsyncSession) -> A.SecurityPolicy:
    row = await session.get(M.ServerSetting, "security")
    return A.SecurityPolicy.model_validate(row.value if row else {})


async def totp_required(session: AsyncSession, role: str) -> bool:
    return role in (await security_policy(session)).totp_required_roles


# --- sessions ---------------------------------------------------------------------------------


async def end_sessions(tx: Tx, hub: Hub, agent_id: int, *, except_hash: str = "",
                       only_id: int | None = None) -> int:
    """Revoke the agent's live tokens (all, all but one, or one) and close their sockets after
    the commit. Returns how many were ended."""
    now = M.utcnow()
    stmt = select(M.AuthToken).where(M.AuthToken.agent_id == agent_id,
                                     M.AuthToken.revoked_at.is_(None),
                                     M.AuthToken.expires_at > now)
    if only_id is not None:
        stmt = stmt.where(M.AuthToken.id == only_id)
    hashes = []
    for tok in (await tx.session.scalars(stmt)).all():
        if tok.token_hash == except_hash:
            continue
        tok.revoked_at = now
        hashes.append(tok.token_hash)

    def close() -> None:
        for h in hashes:
            hub.agent_sockets.revoke(h)

    tx.after_commit(close)
    return len(hashes)


async def count_enabled_admins(session: AsyncSession) -> int:
    from sqlalchemy import func

    return int(await session.scalar(select(func.count()).select_from(M.Agent).where(
        M.Agent.role == S.Role.ADMIN, M.Agent.enabled.is_(True))) or 0)

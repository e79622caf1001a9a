"""Agent administration (docs/administration.md, "Agents"): create with a one-time password or
an invitation, edit, deactivate (sessions ended, sockets closed, chats back in the list),
reactivate, reset a password, new invitation, reset two-factor sign-in.

Each function is one write unit with exactly one audit row. ``ctx`` is None on the command line
(which may do everything an admin may)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, func, select

from supportdesk_protocol import admin as A
from supportdesk_protocol import schemas as S
from supportdesk_server.auth import AgentContext, context_for, hash_password, password_problem, \
    token_hash
from supportdesk_server.errors import ApiError, conflict, forbidden
from supportdesk_server.services import chats as chat_ops
from supportdesk_server.services.admin_common import (
    Actor,
    admin_agent,
    count_enabled_admins,
    end_sessions,
    managed_agent,
    record,
    require_manager,
)
from supportdesk_server.services.runtime import Hub, Tx
from supportdesk_server.store import models as M


def weak_password(problem: str) -> ApiError:
    return ApiError(422, "weak_password", problem)


def one_time_password() -> str:
    return secrets.token_urlsafe(12)


async def _departments(tx: Tx, ids: list[int]) -> list[M.Department]:
    wanted = sorted(set(ids))
    rows = (await tx.session.scalars(select(M.Department).where(
        M.Department.id.in_(wanted), M.Department.archived.is_(False)))).all()
    if len(rows) != len(wanted):
        missing = sorted(set(wanted) - {d.id for d in rows})
        raise ApiError(422, "unknown_department", f"no such department: {missing[0]}",
                       {"department_ids": missing})
    return list(rows)


def _head_limits(ctx: AgentContext | None, role: S.Role | None, dept_ids: list[int] | None
                 ) -> None:
    if ctx is None or ctx.is_admin:
        return
    if role is not None and role != S.Role.AGENT:
        raise forbidden("department heads may give only the role 'agent'")
    if dept_ids is not None and not set(dept_ids) <= ctx.department_ids:
        raise forbidden("department heads may assign only their own departments")


async def _set_departments(tx: Tx, agent: M.Agent, ids: list[int]) -> None:
    await _departments(tx, ids)
    await tx.session.execute(delete(M.AgentDepartment).where(
        M.AgentDepartment.agent_id == agent.id))
    for d in sorted(set(ids)):
        tx.session.add(M.AgentDepartment(agent_id=agent.id, department_id=d))
    await tx.session.flush()
    await tx.session.refresh(agent, ["departments"])


def _new_invitation(agent: M.Agent, base_url: str) -> A.Invitation:
    token = secrets.token_urlsafe(32)
    agent.invitation_hash = token_hash(token)
    agent.invitation_expires_at = M.utcnow() + timedelta(seconds=A.INVITATION_TTL_SECONDS)
    return A.Invitation(token=token, url=f"{base_url.rstrip('/')}/invite#{token}",
                        expires_at=agent.invitation_expires_at)


async def create(hub: Hub, ctx: AgentContext | None, actor: Actor, req: A.AgentCreate,
                 base_url: str) -> A.AgentCreated:
    if ctx is not None:
        require_manager(ctx)
    _head_limits(ctx, req.role, req.department_ids)
    password = None
    if req.onboarding == A.Onboarding.PASSWORD:
        password = req.initial_password or one_time_password()
        problem = password_problem(password, login=req.login, display_name=req.display_name)
        if problem:
            raise weak_password(problem)
    elif req.initial_password is not None:
        raise ApiError(422, "validation_error",
                       "initial_password goes with onboarding 'password' only")
    pw_hash = hash_password(password) if password else ""
    async with hub.write() as tx:
        taken = await tx.session.scalar(select(M.Agent.id).where(
            func.lower(M.Agent.login) == req.login.lower()))
        if taken is not None:
            raise conflict(f"the login {req.login!r} is taken", "login_taken")
        await _departments(tx, req.department_ids)
        agent = M.Agent(login=req.login, display_name=req.display_name, role=req.role,
                        avatar_url=req.avatar_url, password_hash=pw_hash,
                        can_edit_payments=req.can_edit_payments,
                        can_edit_services=req.can_edit_services,
                        password_change_required=password is not None, enabled=True,
                        status="offline", created_at=M.utcnow())
        tx.session.add(agent)
        await tx.session.flush()
        await _set_departments(tx, agent, req.department_ids)
        invitation = _new_invitation(agent, base_url) if password is None else None
        record(tx, actor, "agent.create", "agents", agent.id, login=req.login,
               display_name=req.display_name, role=str(req.role),
               department_ids=sorted(set(req.department_ids)),
               onboarding=str(req.onboarding))
        out = A.AgentCreated(agent=admin_agent(agent), initial_password=password,
                             invitation=invitation)
    return out


async def patch(hub: Hub, ctx: AgentContext | None, actor: Actor, agent_id: int,
                req: A.AgentPatch) -> A.AdminAgent:
    _head_limits(ctx, req.role, req.department_ids)
    async with hub.write() as tx:
        agent = await _target(tx, ctx, agent_id)
        changes: dict[str, list] = {}
        for field in ("display_name", "avatar_url", "role", "can_edit_payments",
                      "can_edit_services"):
            value = getattr(req, field)
            if field in req.model_fields_set and field != "avatar_url" and value is None:
                continue
            if field in req.model_fields_set and getattr(agent, field) != value:
                changes[field] = [getattr(agent, field), value]
        if "role" in changes and agent.role == S.Role.ADMIN and agent.enabled \
                and await count_enabled_admins(tx.session) <= 1:
            raise conflict("the last admin cannot be given another role", "last_admin")
        for field, (_, new) in changes.items():
            setattr(agent, field, str(new) if field == "role" else new)
        if req.department_ids is not None:
            before = sorted(d.id for d in agent.departments)
            after = sorted(set(req.department_ids))
            if before != after:
                await _set_departments(tx, agent, after)
                changes["department_ids"] = [before, after]
        if changes:
            record(tx, actor, "agent.update", "agents", agent.id,
                   **{k: [str(v[0]) if k == "role" else v[0], str(v[1]) if k == "role" else v[1]]
                      for k, v in changes.items()})
        out = admin_agent(agent)
    return out


async def _target(tx: Tx, ctx: AgentContext | None, agent_id: int) -> M.Agent:
    if ctx is None:
        agent = await tx.session.get(M.Agent, agent_id, populate_existing=True)
        if agent is None:
            raise ApiError(404, "not_found", "agent not found")
        return agent
    return await managed_agent(tx.session, ctx, agent_id)


async def deactivate(hub: Hub, ctx: AgentContext | None, actor: Actor, agent_id: int
                     ) -> A.AdminAgent:
    """At once: tokens revoked and sockets closed (after the commit), then the agent goes offline
    and every active chat returns to the list with the usual events."""
    async with hub.write() as tx:
        agent = await _target(tx, ctx, agent_id)
        if ctx is not None and agent.id == ctx.id:
            raise conflict("you cannot deactivate yourself", "cannot_deactivate_self")
        if agent.role == S.Role.ADMIN and agent.enabled \
                and await count_enabled_admins(tx.session) <= 1:
            raise conflict("the last admin cannot be deactivated", "last_admin")
        was = bool(agent.enabled)
        agent.enabled = False
        ended = await end_sessions(tx, hub, agent.id)
        record(tx, actor, "agent.deactivate", "agents", agent.id, enabled=[was, False],
               sessions_ended=ended)
        target_ctx = context_for(agent)
        out = admin_agent(agent)
    await chat_ops.set_status(hub, target_ctx, S.AgentStatus.OFFLINE)
    out.status = S.AgentStatus.OFFLINE
    return out


async def reactivate(hub: Hub, ctx: AgentContext | None, actor: Actor, agent_id: int
                     ) -> A.AdminAgent:
    async with hub.write() as tx:
        agent = await _target(tx, ctx, agent_id)
        was = bool(agent.enabled)
        agent.enabled = True
        record(tx, actor, "agent.reactivate", "agents", agent.id, enabled=[was, True])
        out = admin_agent(agent)
    return out


async def reset_password(hub: Hub, ctx: AgentContext | None, actor: Actor, agent_id: int,
                         password: str | None = None) -> A.PasswordReset:
    """A one-time password the agent must change at the next sign-in; their sessions end."""
    password = password or one_time_password()
    pw_hash = hash_password(password)
    async with hub.write() as tx:
        agent = await _target(tx, ctx, agent_id)
        agent.password_hash = pw_hash
        agent.password_change_required = True
        ended = await end_sessions(tx, hub, agent.id)
        record(tx, actor, "agent.password_reset", "agents", agent.id, sessions_ended=ended)
    return A.PasswordReset(initial_password=password)


async def invite(hub: Hub, ctx: AgentContext | None, actor: Actor, agent_id: int,
                 base_url: str) -> A.Invitation:
    async with hub.write() as tx:
        agent = await _target(tx, ctx, agent_id)
        out = _new_invitation(agent, base_url)
        record(tx, actor, "agent.invitation", "agents", agent.id,
               expires_at=out.expires_at.isoformat())
    return out


async def reset_totp(hub: Hub, ctx: AgentContext | None, actor: Actor, agent_id: int) -> None:
    async with hub.write() as tx:
        agent = await _target(tx, ctx, agent_id)
        had = agent.totp_secret is not None
        agent.totp_secret = agent.totp_pending_secret = None
        agent.totp_last_step = None
        await tx.session.execute(delete(M.RecoveryCode).where(
            M.RecoveryCode.agent_id == agent.id))
        record(tx, actor, "agent.totp_reset", "agents", agent.id, totp_enabled=[had, False])


async def end_agent_sessions(hub: Hub, ctx: AgentContext | None, actor: Actor, agent_id: int
                             ) -> int:
    async with hub.write() as tx:
        agent = await _target(tx, ctx, agent_id)
        ended = await end_sessions(tx, hub, agent.id)
        record(tx, actor, "agent.sessions_end", "agents", agent.id, sessions_ended=ended)
    return ended

"""Account security (docs/administration.md): own password change, invitations, TOTP set-up,
confirmation, disabling, the login's second factor, the security policy."""

from __future__ import annotations

from sqlalchemy import delete, select

from supportdesk_protocol import admin as A
from supportdesk_server import totp
from supportdesk_server.auth import (
    AgentContext,
    hash_password,
    password_problem,
    token_hash,
    verify_password_async,
)
from supportdesk_server.errors import ApiError, conflict, not_found
from supportdesk_server.services.admin_agents import weak_password
from supportdesk_server.services.admin_common import (
    Actor,
    end_sessions,
    record,
    security_policy,
    totp_required,
)
from supportdesk_server.services.runtime import Hub
from supportdesk_server.store import models as M


def wrong_password() -> ApiError:
    return ApiError(403, "wrong_password", "the current password is wrong")


async def change_password(hub: Hub, ctx: AgentContext, actor: Actor, req: A.PasswordChange
                          ) -> None:
    """Checks the current password, the new one's strength; ends every other session and
    lifts the token's ``password_change`` restriction."""
    async with hub.read() as session:
        agent = await session.get(M.Agent, ctx.id)
        stored = agent.password_hash if agent else None
    if not await verify_password_async(stored or None, req.current_password):
        raise wrong_password()
    assert agent is not None
    problem = password_problem(req.new_password, login=agent.login,
                               display_name=agent.display_name, current=req.current_password)
    if problem:
        raise weak_password(problem)
    new_hash = hash_password(req.new_password)
    async with hub.write() as tx:
        agent = await tx.session.get(M.Agent, ctx.id, populate_existing=True)
        assert agent is not None
        was_required = bool(agent.password_change_required)
        agent.password_hash = new_hash
        agent.password_change_required = False
        ended = await end_sessions(tx, hub, agent.id, except_hash=ctx.token_hash)
        tok = await tx.session.scalar(select(M.AuthToken).where(
            M.AuthToken.token_hash == ctx.token_hash))
        if tok is not None and tok.scope == "password_change":
            need_totp = agent.totp_secret is None and await totp_required(tx.session,
                                                                          agent.role)
            tok.scope = "totp_setup" if need_totp else "full"
        record(tx, actor, "agent.password_change", "agents", agent.id,
               one_time=was_required, sessions_ended=ended)


async def invitation_agent(session, token: str) -> M.Agent:  # noqa: ANN001
    agent = await session.scalar(select(M.Agent).where(
        M.Agent.invitation_hash == token_hash(token)))
    if agent is None or not agent.enabled or agent.invitation_expires_at is None \
            or agent.invitation_expires_at <= M.utcnow():
        raise ApiError(404, "invitation_invalid",
                       "this invitation is unknown, already used or expired; ask for a new one")
    return agent


async def accept_invitation(hub: Hub, token: str, password: str, actor: Actor) -> M.Agent:
    async with hub.read() as session:
        agent = await invitation_agent(session, token)
    problem = password_problem(password, login=agent.login, display_name=agent.display_name)
    if problem:
        raise weak_password(problem)
    pw_hash = hash_password(password)
    async with hub.write() as tx:
        agent = await invitation_agent(tx.session, token)
        agent.password_hash = pw_hash
        agent.password_change_required = False
        agent.invitation_hash = None
        agent.invitation_expires_at = None
        record(tx, Actor(agent.id, actor.ip, actor.user_agent), "agent.invitation_accept",
               "agents", agent.id)
    return agent


# --- TOTP -------------------------------------------------------------------------------------


async def status(hub: Hub, ctx: AgentContext) -> A.TotpStatus:
    async with hub.read() as session:
        agent = await session.get(M.Agent, ctx.id)
        if agent is None:
            raise not_found("agent")
        left = len((await session.scalars(select(M.RecoveryCode.id).where(
            M.RecoveryCode.agent_id == ctx.id, M.RecoveryCode.used_at.is_(None)))).all())
        return A.TotpStatus(enabled=agent.totp_secret is not None,
                            pending=agent.totp_pending_secret is not None,
                            recovery_codes_left=left,
                            required=await totp_required(session, agent.role))


async def setup(hub: Hub, ctx: AgentContext) -> A.TotpSetup:
    """A new pending secret (not yet used at sign-in; confirm it with a code)."""
    secret = totp.new_secret()
    async with hub.write() as tx:
        agent = await tx.session.get(M.Agent, ctx.id, populate_existing=True)
        assert agent is not None
        if agent.totp_secret is not None:
            raise conflict("two-factor sign-in is already on; disable it first",
                           "totp_already_enabled")
        agent.totp_pending_secret = secret
        login = agent.login
    return A.TotpSetup(secret=secret, otpauth_uri=totp.otpauth_uri(secret, login),
                       digits=totp.DIGITS, period=totp.PERIOD)


def _limit(hub: Hub, ctx: AgentContext, ip: str) -> tuple:
    from supportdesk_server.errors import rate_limited

    key = (ip, ctx.login.lower())
    wait = hub.login_limiter.retry_after(key)
    if wait > 0:
        raise rate_limited(wait, "too many wrong codes; try again later")
    return key


async def confirm(hub: Hub, ctx: AgentContext, actor: Actor, code: str) -> A.RecoveryCodes:
    key = _limit(hub, ctx, actor.ip)
    codes = totp.new_recovery_codes(A.RECOVERY_CODE_COUNT)
    async with hub.write() as tx:
        agent = await tx.session.get(M.Agent, ctx.id, populate_existing=True)
        assert agent is not None
        if agent.totp_pending_secret is None:
            raise conflict("set up two-factor sign-in first (POST /me/totp/setup)",
                           "totp_not_pending")
        step = totp.verify(agent.totp_pending_secret, code)
        if step is None:
            hub.login_limiter.hit(key)
            raise ApiError(422, "totp_invalid", "the code is wrong; check the authenticator "
                                                "app's clock and try the current code")
        agent.totp_secret = agent.totp_pending_secret
        agent.totp_pending_secret = None
        agent.totp_last_step = step
        await tx.session.execute(delete(M.RecoveryCode).where(
            M.RecoveryCode.agent_id == agent.id))
        for c in codes:
            tx.session.add(M.RecoveryCode(agent_id=agent.id,
                                          code_hash=token_hash(totp.normalize_recovery_code(c))))
        tok = await tx.session.scalar(select(M.AuthToken).where(
            M.AuthToken.token_hash == ctx.token_hash))
        if tok is not None and tok.scope == "totp_setup":
            tok.scope = "full"
        record(tx, actor, "agent.totp_enable", "agents", agent.id, totp_enabled=[False, True])
    hub.login_limiter.reset(key)
    return A.RecoveryCodes(recovery_codes=codes)


async def disable(hub: Hub, ctx: AgentContext, actor: Actor, current_password: str) -> None:
    async with hub.read() as session:
        agent = await session.get(M.Agent, ctx.id)
        stored = agent.password_hash if agent else None
        required = agent is not None and await totp_required(session, agent.role)
    if not await verify_password_async(stored or None, current_password):
        raise wrong_password()
    if required:
        raise conflict("the security policy requires two-factor sign-in for your role",
                       "totp_required_by_policy")
    async with hub.write() as tx:
        agent = await tx.session.get(M.Agent, ctx.id, populate_existing=True)
        assert agent is not None
        had = agent.totp_secret is not None
        agent.totp_secret = agent.totp_pending_secret = None
        await tx.session.execute(delete(M.RecoveryCode).where(
            M.RecoveryCode.agent_id == agent.id))
        record(tx, actor, "agent.totp_disable", "agents", agent.id, totp_enabled=[had, False])


async def second_factor(tx, agent: M.Agent, code: str) -> str | None:  # noqa: ANN001
    """Inside the login's write unit: None when ``code`` is good (the step or recovery code is
    used up), else the error code ``totp_invalid`` / ``totp_replayed``."""
    assert agent.totp_secret is not None
    step = totp.verify(agent.totp_secret, code)
    if step is not None:
        if agent.totp_last_step is not None and step <= agent.totp_last_step:
            return "totp_replayed"
        agent.totp_last_step = step
        return None
    h = token_hash(totp.normalize_recovery_code(code))
    row = await tx.session.scalar(select(M.RecoveryCode).where(
        M.RecoveryCode.agent_id == agent.id, M.RecoveryCode.code_hash == h))
    if row is None:
        return "totp_invalid"
    if row.used_at is not None:
        return "totp_replayed"
    row.used_at = M.utcnow()
    return None


async def update_policy(hub: Hub, actor: Actor, req: A.SecurityPolicyUpdate
                        ) -> A.SecurityPolicy:
    new = A.SecurityPolicy(totp_required_roles=sorted(set(req.totp_required_roles)))
    async with hub.write() as tx:
        before = await security_policy(tx.session)
        row = await tx.session.get(M.ServerSetting, "security")
        if row is None:
            tx.session.add(M.ServerSetting(key="security", value=new.model_dump(mode="json")))
        else:
            row.value = new.model_dump(mode="json")
        record(tx, actor, "security.update", "server_settings", "security",
               totp_required_roles=[[str(r) for r in before.totp_required_roles],
                                    [str(r) for r in new.totp_required_roles]])
    return new

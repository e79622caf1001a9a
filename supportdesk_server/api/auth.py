from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy import select, update

from supportdesk_protocol import admin as A
from supportdesk_protocol import schemas as S
from supportdesk_server.api.deps import CurrentAgent, HubDep, client_ip
from supportdesk_server.auth import agent_schema, issue_token, verify_password_async
from supportdesk_server.errors import ApiError, rate_limited, unauthorized
from supportdesk_server.services.admin_common import totp_required
from supportdesk_server.services.admin_security import second_factor
from supportdesk_server.services.runtime import Hub
from supportdesk_server.services import chats as chat_ops
from supportdesk_server.store import models as M

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post("/login", response_model=A.SignInResponse,
             responses={401: {"model": S.ErrorBody}, 429: {"model": S.ErrorBody}})
async def login(body: A.SignInRequest, request: Request, hub: HubDep) -> A.SignInResponse:
    """Password, then (when the agent has two-factor sign-in) ``totp_code``: 401
    ``totp_required`` / ``totp_invalid`` / ``totp_replayed`` (docs/administration.md)."""
    ip = client_ip(request, hub.settings.trusted_proxies)
    key = (ip, body.username.lower())
    wait = max(hub.login_limiter.retry_after(key), hub.login_ip_limiter.retry_after(ip))
    if wait > 0:
        raise rate_limited(wait, "too many failed logins; try again later")
    async with hub.read() as session:
        agent = await session.scalar(select(M.Agent).where(M.Agent.login == body.username))
        stored_hash = agent.password_hash if agent is not None and agent.enabled else None
    if not await verify_password_async(stored_hash or None, body.password):
        hub.login_limiter.hit(key)
        hub.login_ip_limiter.hit(ip)
        raise unauthorized("wrong username or password")
    assert agent is not None
    if agent.totp_secret is not None:
        if not body.totp_code:
            raise ApiError(401, "totp_required",
                           "enter the code of your authenticator app (or a recovery code)")
        async with hub.write() as tx:
            fresh = await tx.session.get(M.Agent, agent.id, populate_existing=True)
            assert fresh is not None
            problem = await second_factor(tx, fresh, body.totp_code)
        if problem is not None:
            hub.login_limiter.hit(key)
            hub.login_ip_limiter.hit(ip)
            raise ApiError(401, problem, "this code was already used; wait for the next one"
                           if problem == "totp_replayed" else "the code is wrong")
    hub.login_limiter.reset(key)
    return await sign_in(hub, agent.id, request)


async def sign_in(hub: Hub, agent_id: int, request: Request) -> A.SignInResponse:
    """A token for an agent whose credentials were checked; restricted while a one-time
    password must be changed or the policy's two-factor set-up is pending."""
    async with hub.write() as tx:
        agent = await tx.session.get(M.Agent, agent_id, populate_existing=True)
        assert agent is not None
        change = bool(agent.password_change_required)
        setup = agent.totp_secret is None and await totp_required(tx.session, agent.role)
        scope = "password_change" if change else "totp_setup" if setup else "full"
        token, expires = await issue_token(
            tx.session, agent, hub.settings.token_ttl_seconds,
            request.headers.get("user-agent", ""),
            ip=client_ip(request, hub.settings.trusted_proxies), scope=scope)
        out = agent_schema(agent)
    return A.SignInResponse(token=token, expires_at=expires, agent=out,
                            password_change_required=change, totp_setup_required=setup)


@router.post("/logout", status_code=204, response_class=Response)
async def logout(agent: CurrentAgent, hub: HubDep) -> Response:
    """Revoke this token (and close the sockets it opened). The last session of an agent going
    away also takes the agent offline, so chats are not forwarded to nobody."""
    now = M.utcnow()
    async with hub.write() as tx:
        await tx.session.execute(update(M.AuthToken)
                                 .where(M.AuthToken.token_hash == agent.token_hash)
                                 .values(revoked_at=now))
        others = await tx.session.scalar(
            select(M.AuthToken.id).where(M.AuthToken.agent_id == agent.id,
                                         M.AuthToken.revoked_at.is_(None),
                                         M.AuthToken.expires_at > now).limit(1))
    hub.agent_sockets.revoke(agent.token_hash)
    if others is None:
        await chat_ops.set_status(hub, agent, S.AgentStatus.OFFLINE)
    return Response(status_code=204)

"""``/me/password``, ``/me/sessions``, ``/me/totp``, ``/auth/invitations``, ``/admin/security``:
every agent's own account security (docs/administration.md)."""

from __future__ import annotations

from fastapi import APIRouter, Path, Request, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk_protocol import admin as A
from supportdesk_protocol import schemas as S
from supportdesk_server.api.admin_agents import actor_of
from supportdesk_server.api.deps import (
    CurrentAgent,
    HubDep,
    IdPath,
    PageDep,
    PageParams,
    SessionDep,
    client_ip,
    paginate,
)
from supportdesk_server.errors import not_found
from supportdesk_server.services import admin_security as sec
from supportdesk_server.services.admin_common import (
    Actor,
    end_sessions,
    record,
    require_admin,
    security_policy,
)
from supportdesk_server.store import models as M

router = APIRouter(prefix="/api/v1", tags=["account security"])

InvitationToken = Path(min_length=8, max_length=256, pattern=r"^[A-Za-z0-9_-]+$")


async def sessions_page(session: AsyncSession, agent_id: int, current_hash: str,
                        page: PageParams) -> dict:
    stmt = (select(M.AuthToken).where(M.AuthToken.agent_id == agent_id,
                                      M.AuthToken.revoked_at.is_(None),
                                      M.AuthToken.expires_at > M.utcnow())
            .order_by(M.AuthToken.id.desc()))
    return await paginate(session, stmt, page, lambda t: A.SessionInfo(
        id=t.id, created_at=t.created_at, last_used_at=t.last_used_at, expires_at=t.expires_at,
        user_agent=t.user_agent or "", ip=t.ip or "", current=t.token_hash == current_hash))


@router.post("/me/password", status_code=204, response_class=Response)
async def change_password(body: A.PasswordChange, agent: CurrentAgent, hub: HubDep,
                          request: Request) -> Response:
    from supportdesk_server.errors import rate_limited

    ip = client_ip(request, hub.settings.trusted_proxies)
    key = (ip, agent.login.lower())
    wait = hub.login_limiter.retry_after(key)
    if wait > 0:
        raise rate_limited(wait, "too many wrong passwords; try again later")
    try:
        await sec.change_password(hub, agent, actor_of(agent, request, hub), body)
    except Exception as exc:
        if getattr(exc, "code", "") == "wrong_password":
            hub.login_limiter.hit(key)
        raise
    return Response(status_code=204)


@router.get("/me/sessions", response_model=S.Page[A.SessionInfo])
async def my_sessions(agent: CurrentAgent, session: SessionDep, page: PageDep) -> dict:
    return await sessions_page(session, agent.id, agent.token_hash, page)


@router.delete("/me/sessions/{session_id}", status_code=204, response_class=Response)
async def end_my_session(session_id: IdPath, agent: CurrentAgent, hub: HubDep,
                         request: Request) -> Response:
    async with hub.write() as tx:
        ended = await end_sessions(tx, hub, agent.id, only_id=session_id)
        if not ended:
            raise not_found("session")
        record(tx, actor_of(agent, request, hub), "session.end", "auth_tokens", session_id)
    return Response(status_code=204)


@router.get("/me/totp", response_model=A.TotpStatus)
async def totp_status(agent: CurrentAgent, hub: HubDep) -> A.TotpStatus:
    return await sec.status(hub, agent)


@router.post("/me/totp/setup", response_model=A.TotpSetup)
async def totp_setup(agent: CurrentAgent, hub: HubDep) -> A.TotpSetup:
    return await sec.setup(hub, agent)


@router.post("/me/totp/confirm", response_model=A.RecoveryCodes)
async def totp_confirm(body: A.TotpConfirm, agent: CurrentAgent, hub: HubDep,
                       request: Request) -> A.RecoveryCodes:
    return await sec.confirm(hub, agent, actor_of(agent, request, hub), body.code)


@router.post("/me/totp/disable", status_code=204, response_class=Response)
async def totp_disable(body: A.TotpDisable, agent: CurrentAgent, hub: HubDep,
                       request: Request) -> Response:
    await sec.disable(hub, agent, actor_of(agent, request, hub), body.current_password)
    return Response(status_code=204)


@router.get("/admin/security", response_model=A.SecurityPolicy)
async def get_policy(agent: CurrentAgent, session: SessionDep) -> A.SecurityPolicy:
    require_admin(agent)
    return await security_policy(session)


@router.put("/admin/security", response_model=A.SecurityPolicy)
async def put_policy(body: A.SecurityPolicyUpdate, agent: CurrentAgent, hub: HubDep,
                     request: Request) -> A.SecurityPolicy:
    require_admin(agent)
    return await sec.update_policy(hub, actor_of(agent, request, hub), body)


@router.get("/auth/invitations/{token}", response_model=A.InvitationInfo)
async def invitation(hub: HubDep, token: str = InvitationToken) -> A.InvitationInfo:
    async with hub.read() as session:
        agent = await sec.invitation_agent(session, token)
        return A.InvitationInfo(login=agent.login, display_name=agent.display_name,
                                expires_at=agent.invitation_expires_at)


@router.post("/auth/invitations/{token}/accept", response_model=A.SignInResponse)
async def accept_invitation(body: A.InvitationAccept, hub: HubDep, request: Request,
                            token: str = InvitationToken) -> A.SignInResponse:
    from supportdesk_server.api.auth import sign_in

    actor = Actor(None, client_ip(request, hub.settings.trusted_proxies),
                  request.headers.get("user-agent", ""))
    agent = await sec.accept_invitation(hub, token, body.password, actor)
    return await sign_in(hub, agent.id, request)

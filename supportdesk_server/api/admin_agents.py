"""``/admin/agents``: agent administration for admins and department heads
(docs/administration.md, "Agents")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import func, or_, select

from supportdesk_protocol import admin as A
from supportdesk_protocol import schemas as S
from supportdesk_server.api.deps import (
    CurrentAgent,
    HubDep,
    IdPath,
    MAX_ID,
    PageDep,
    SessionDep,
    client_ip,
    paginate,
)
from supportdesk_server.services import admin_agents as ops
from supportdesk_server.services.admin_common import (
    Actor,
    admin_agent,
    managed_agent,
    require_manager,
)
from supportdesk_server.store import models as M

router = APIRouter(prefix="/api/v1/admin/agents", tags=["administration"])


def actor_of(agent: CurrentAgent, request: Request, hub: HubDep) -> Actor:
    return Actor(agent.id, client_ip(request, hub.settings.trusted_proxies),
                 request.headers.get("user-agent", ""))


def _base_url(request: Request) -> str:
    return str(request.base_url)


@router.get("", response_model=S.Page[A.AdminAgent])
async def list_agents(agent: CurrentAgent, session: SessionDep, page: PageDep,
                      q: Annotated[str, Query(max_length=200)] = "",
                      department_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
                      include_disabled: bool = False) -> dict:
    require_manager(agent)
    stmt = select(M.Agent).order_by(M.Agent.id)
    if not include_disabled:
        stmt = stmt.where(M.Agent.enabled.is_(True))
    if q.strip():
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(M.Agent.login).like(like),
                              func.lower(M.Agent.display_name).like(like)))
    depts = None if agent.is_admin else sorted(agent.department_ids)
    if department_id is not None:
        depts = [department_id] if depts is None or department_id in depts else []
    if depts is not None:
        members = select(M.AgentDepartment.agent_id).where(
            M.AgentDepartment.department_id.in_(depts))
        stmt = stmt.where(M.Agent.id.in_(members))
    return await paginate(session, stmt, page, admin_agent)


@router.post("", response_model=A.AgentCreated, status_code=201)
async def create_agent(body: A.AgentCreate, agent: CurrentAgent, hub: HubDep,
                       request: Request) -> A.AgentCreated:
    return await ops.create(hub, agent, actor_of(agent, request, hub), body, _base_url(request))


@router.get("/{agent_id}", response_model=A.AdminAgent)
async def get_agent(agent_id: IdPath, agent: CurrentAgent, session: SessionDep) -> A.AdminAgent:
    return admin_agent(await managed_agent(session, agent, agent_id))


@router.patch("/{agent_id}", response_model=A.AdminAgent)
async def patch_agent(agent_id: IdPath, body: A.AgentPatch, agent: CurrentAgent, hub: HubDep,
                      request: Request) -> A.AdminAgent:
    return await ops.patch(hub, agent, actor_of(agent, request, hub), agent_id, body)


@router.post("/{agent_id}/deactivate", response_model=A.AdminAgent)
async def deactivate_agent(agent_id: IdPath, agent: CurrentAgent, hub: HubDep,
                           request: Request) -> A.AdminAgent:
    return await ops.deactivate(hub, agent, actor_of(agent, request, hub), agent_id)


@router.post("/{agent_id}/reactivate", response_model=A.AdminAgent)
async def reactivate_agent(agent_id: IdPath, agent: CurrentAgent, hub: HubDep,
                           request: Request) -> A.AdminAgent:
    return await ops.reactivate(hub, agent, actor_of(agent, request, hub), agent_id)


@router.post("/{agent_id}/password-reset", response_model=A.PasswordReset)
async def reset_password(agent_id: IdPath, agent: CurrentAgent, hub: HubDep,
                         request: Request) -> A.PasswordReset:
    return await ops.reset_password(hub, agent, actor_of(agent, request, hub), agent_id)


@router.post("/{agent_id}/invitation", response_model=A.Invitation)
async def new_invitation(agent_id: IdPath, agent: CurrentAgent, hub: HubDep,
                         request: Request) -> A.Invitation:
    return await ops.invite(hub, agent, actor_of(agent, request, hub), agent_id,
                            _base_url(request))


@router.post("/{agent_id}/totp/reset", status_code=204, response_class=Response)
async def reset_totp(agent_id: IdPath, agent: CurrentAgent, hub: HubDep,
                     request: Request) -> Response:
    await ops.reset_totp(hub, agent, actor_of(agent, request, hub), agent_id)
    return Response(status_code=204)


@router.get("/{agent_id}/sessions", response_model=S.Page[A.SessionInfo])
async def agent_sessions(agent_id: IdPath, agent: CurrentAgent, session: SessionDep,
                         page: PageDep) -> dict:
    from supportdesk_server.api.admin_me import sessions_page

    target = await managed_agent(session, agent, agent_id)
    return await sessions_page(session, target.id, "", page)


@router.delete("/{agent_id}/sessions", status_code=204, response_class=Response)
async def end_agent_sessions(agent_id: IdPath, agent: CurrentAgent, hub: HubDep,
                             request: Request) -> Response:
    await ops.end_agent_sessions(hub, agent, actor_of(agent, request, hub), agent_id)
    return Response(status_code=204)

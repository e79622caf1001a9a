from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from supportdesk_protocol import schemas as S
from supportdesk_server.api.deps import CurrentAgent, HubDep, PageDep, SessionDep, paginate
from supportdesk_server.auth import agent_schema
from supportdesk_server.errors import not_found
from supportdesk_server.services import chats as chat_ops
from supportdesk_server.services.snapshots import departments_with_counts
from supportdesk_server.store import models as M

router = APIRouter(prefix="/api/v1", tags=["agents"])


@router.get("/me", response_model=S.Agent)
async def me(agent: CurrentAgent, session: SessionDep) -> S.Agent:
    row = await session.get(M.Agent, agent.id)
    if row is None:
        raise not_found("agent")
    return agent_schema(row)


@router.put("/me/status", response_model=S.Agent)
async def set_status(body: S.StatusUpdate, agent: CurrentAgent, hub: HubDep) -> S.Agent:
    """Going offline returns every active chat of the agent to the list of chats."""
    return await chat_ops.set_status(hub, agent, body.status)


@router.get("/departments", response_model=S.Page[S.Department])
async def departments(agent: CurrentAgent, session: SessionDep, page: PageDep) -> dict:
    """Every department (forward targets), with the number of online agents."""
    items = await departments_with_counts(session)
    return {"items": items[page.offset:page.offset + page.limit], "total": len(items),
            "offset": page.offset, "limit": page.limit}


@router.get("/agents", response_model=S.Page[S.Agent])
async def agents(agent: CurrentAgent, session: SessionDep, page: PageDep) -> dict:
    stmt = select(M.Agent).where(M.Agent.enabled.is_(True)).order_by(M.Agent.id)
    return await paginate(session, stmt, page, agent_schema)

"""Pre-defined replies (list, create, edit, delete) and the change log (read-only)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy import and_, or_, select

from supportdesk_protocol import schemas as S
from supportdesk_server.api.deps import (
    CurrentAgent,
    HubDep,
    IdPath,
    PageDep,
    SessionDep,
    paginate,
)
from supportdesk_server.services import replies as reply_ops
from supportdesk_server.store import models as M

router = APIRouter(prefix="/api/v1", tags=["replies", "changelog"])


class ReplyContext(StrEnum):
    CHAT = "chat"
    TICKET = "ticket"


@router.get("/replies", response_model=S.Page[S.PredefinedReply])
async def replies(agent: CurrentAgent, session: SessionDep, page: PageDep,
                  context: Annotated[ReplyContext | None, Query()] = None) -> dict:
    """Department replies of the agent's departments and the agent's personal ones.
    ``context=ticket`` leaves out chat-only replies."""
    R = M.PredefinedReply
    own = and_(R.scope == S.ReplyScope.PERSONAL, R.owner_id == agent.id)
    if agent.is_admin:
        dept = R.scope == S.ReplyScope.DEPARTMENT
    elif agent.department_ids:
        dept = and_(R.scope == S.ReplyScope.DEPARTMENT,
                    R.department_id.in_(sorted(agent.department_ids)))
    else:
        dept = None
    stmt = select(R).where(or_(own, dept) if dept is not None else own)
    if context == ReplyContext.TICKET:
        stmt = stmt.where(R.chat_only.is_(False))
    stmt = stmt.order_by(R.title, R.id)
    return await paginate(session, stmt, page, S.PredefinedReply.model_validate)


ERRORS = {404: {"model": S.ErrorBody}, 409: {"model": S.ErrorBody}, 403: {"model": S.ErrorBody},
          422: {"model": S.ErrorBody}}


@router.post("/replies", response_model=S.PredefinedReply, status_code=201, responses=ERRORS)
async def create_reply(body: S.ReplyCreate, agent: CurrentAgent, hub: HubDep) -> S.PredefinedReply:
    """A department reply (``department_id`` one of the agent's departments) or a personal one."""
    return await reply_ops.create(hub, agent, body)


@router.patch("/replies/{reply_id}", response_model=S.PredefinedReply, responses=ERRORS)
async def patch_reply(reply_id: IdPath, body: S.ReplyPatch, agent: CurrentAgent,
                      hub: HubDep) -> S.PredefinedReply:
    """Author, a head of the reply's department, or an admin; 409 when ``version`` is stale."""
    return await reply_ops.update(hub, agent, reply_id, body)


@router.delete("/replies/{reply_id}", status_code=204, response_class=Response, responses=ERRORS)
async def delete_reply(reply_id: IdPath, agent: CurrentAgent, hub: HubDep) -> Response:
    await reply_ops.delete(hub, agent, reply_id)
    return Response(status_code=204)


@router.get("/changelog", response_model=S.Page[S.ChangelogEntry])
async def changelog(agent: CurrentAgent, session: SessionDep, page: PageDep) -> dict:
    stmt = select(M.ChangelogEntry).order_by(M.ChangelogEntry.published_at.desc(),
                                             M.ChangelogEntry.id.desc())
    return await paginate(session, stmt, page, S.ChangelogEntry.model_validate)

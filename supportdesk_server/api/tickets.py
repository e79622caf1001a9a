"""Tickets (read side): lists with filters, one ticket, its posts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import or_, select

from supportdesk_protocol import schemas as S
from supportdesk_server.api.deps import (
    MAX_ID,
    AgentContext,
    CurrentAgent,
    IdPath,
    PageDep,
    SessionDep,
    department_filter,
    department_visible,
    not_found,
    paginate,
)
from supportdesk_server.store import models as M

router = APIRouter(prefix="/api/v1/tickets", tags=["tickets"])

ERRORS = {404: {"model": S.ErrorBody}}


def _visible(agent: AgentContext):
    T = M.Ticket
    return or_(department_filter(agent, T.department_id), T.assignee_id == agent.id)


@router.get("", response_model=S.Page[S.Ticket])
async def list_tickets(agent: CurrentAgent, session: SessionDep, page: PageDep,
                       status: Annotated[S.TicketStatus | None, Query()] = None,
                       priority: Annotated[S.TicketPriority | None, Query()] = None,
                       department_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
                       mine: Annotated[bool, Query()] = False) -> dict:
    """Visible tickets, most recently updated first."""
    T = M.Ticket
    stmt = select(T).where(_visible(agent))
    if status is not None:
        stmt = stmt.where(T.status == status)
    if priority is not None:
        stmt = stmt.where(T.priority == priority)
    if department_id is not None:
        stmt = stmt.where(T.department_id == department_id)
    if mine:
        stmt = stmt.where(T.assignee_id == agent.id)
    stmt = stmt.order_by(T.updated_at.desc(), T.id.desc())
    return await paginate(session, stmt, page, S.Ticket.model_validate)


async def _visible_ticket(session: SessionDep, agent: AgentContext, ticket_id: int) -> M.Ticket:
    row = await session.get(M.Ticket, ticket_id)
    if row is None or not (department_visible(agent, row.department_id) or row.assignee_id == agent.id):
        raise not_found("ticket")
    return row


@router.get("/{ticket_id}", response_model=S.Ticket, responses=ERRORS)
async def get_ticket(ticket_id: IdPath, agent: CurrentAgent, session: SessionDep) -> S.Ticket:
    return S.Ticket.model_validate(await _visible_ticket(session, agent, ticket_id))


@router.get("/{ticket_id}/posts", response_model=S.Page[S.TicketPost], responses=ERRORS)
async def ticket_posts(ticket_id: IdPath, agent: CurrentAgent, session: SessionDep,
                       page: PageDep) -> dict:
    """The thread, oldest first: client posts, staff replies and internal notes (``kind``)."""
    await _visible_ticket(session, agent, ticket_id)
    P = M.TicketPost
    stmt = select(P).where(P.ticket_id == ticket_id).order_by(P.created_at, P.id)
    return await paginate(session, stmt, page, S.TicketPost.model_validate)

"""Tickets: lists with filters, one ticket, its posts; create, edit (version-checked), reply and
internal notes (agents); and the client's side: ``/api/v1/client/tickets`` with a client user's
login and password (HTTP Basic) — the integration point a billing panel calls to list the
client's tickets and post on them. The writes are in :mod:`supportdesk_server.services.tickets`."""

from __future__ import annotations

from typing import Annotated

import base64
import binascii

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import or_, select

from supportdesk_protocol import schemas as S
from supportdesk_server.api.deps import (
    MAX_ID,
    AgentContext,
    CurrentAgent,
    HubDep,
    IdPath,
    PageDep,
    SessionDep,
    client_ip,
    department_filter,
    department_visible,
    not_found,
    paginate,
    unauthorized,
)
from supportdesk_server.auth import verify_password_async
from supportdesk_server.errors import ApiError, rate_limited
from supportdesk_server.services import tickets as svc
from supportdesk_server.store import models as M

# No prefix: the agent side is under /api/v1/tickets, the client side under /api/v1/client.
router = APIRouter(tags=["tickets"])
BASE = "/api/v1/tickets"
CLIENT_BASE = "/api/v1/client/tickets"

ERRORS = {404: {"model": S.ErrorBody}}
WRITE_ERRORS = {403: {"model": S.ErrorBody}, 404: {"model": S.ErrorBody},
                409: {"model": S.ErrorBody}, 422: {"model": S.ErrorBody}}


def _visible(agent: AgentContext):
    T = M.Ticket
    return or_(department_filter(agent, T.department_id), T.assignee_id == agent.id)


@router.get(BASE, response_model=S.Page[S.Ticket])
async def list_tickets(agent: CurrentAgent, session: SessionDep, page: PageDep,
                       status: Annotated[S.TicketStatus | None, Query()] = None,
                       priority: Annotated[S.TicketPriority | None, Query()] = None,
                       department_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
                       mine: Annotated[bool, Query()] = False,
                       my_departments: Annotated[bool, Query()] = False,
                       client_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None) -> dict:
    """Visible tickets, most recently updated first. ``mine``: assigned to me;
    ``my_departments``: in one of my departments (also for an admin); ``client_id``: one client's."""
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
    if my_departments:
        stmt = stmt.where(T.department_id.in_(sorted(agent.department_ids) or [0]))
    if client_id is not None:
        stmt = stmt.where(T.client_id == client_id)
    stmt = stmt.order_by(T.updated_at.desc(), T.id.desc())
    return await paginate(session, stmt, page, S.Ticket.model_validate)


async def _visible_ticket(session: SessionDep, agent: AgentContext, ticket_id: int) -> M.Ticket:
    row = await session.get(M.Ticket, ticket_id)
    if row is None or not (department_visible(agent, row.department_id) or row.assignee_id == agent.id):
        raise not_found("ticket")
    return row


@router.get(BASE + "/{ticket_id}", response_model=S.Ticket, responses=ERRORS)
async def get_ticket(ticket_id: IdPath, agent: CurrentAgent, session: SessionDep) -> S.Ticket:
    return S.Ticket.model_validate(await _visible_ticket(session, agent, ticket_id))


@router.get(BASE + "/{ticket_id}/posts", response_model=S.Page[S.TicketPost], responses=ERRORS)
async def ticket_posts(ticket_id: IdPath, agent: CurrentAgent, session: SessionDep,
                       page: PageDep) -> dict:
    """The thread, oldest first: client posts, staff replies and internal notes (``kind``)."""
    await _visible_ticket(session, agent, ticket_id)
    P = M.TicketPost
    stmt = select(P).where(P.ticket_id == ticket_id).order_by(P.created_at, P.id)
    return await paginate(session, stmt, page, S.TicketPost.model_validate)


# --- agent writes --------------------------------------------------------------------------------


@router.post(BASE, response_model=S.Ticket, status_code=201, responses=WRITE_ERRORS)
async def create_ticket(req: S.TicketCreate, agent: CurrentAgent, hub: HubDep) -> S.Ticket:
    """A ticket for a client with its first post (a reply the client sees); ``ticket.created``
    and ``ticket.post`` go to the department's agents."""
    return await svc.create(hub, agent, req)


@router.patch(BASE + "/{ticket_id}", response_model=S.Ticket, responses=WRITE_ERRORS)
async def update_ticket(ticket_id: IdPath, req: S.TicketPatch, agent: CurrentAgent,
                        hub: HubDep) -> S.Ticket:
    """Status, priority, department, assignee; 409 ``version_conflict`` with ``details.current``
    when ``version`` is not the ticket's current one."""
    return await svc.update(hub, agent, ticket_id, req)


@router.post(BASE + "/{ticket_id}/posts", response_model=S.TicketPost, status_code=201,
             responses=WRITE_ERRORS)
async def add_post(ticket_id: IdPath, req: S.TicketPostCreate, agent: CurrentAgent,
                   hub: HubDep, response: Response) -> S.TicketPost:
    """A reply (``kind: staff``) or internal note (``kind: note``). A retry with the same
    ``client_msg_id`` answers 200 with the post the first attempt made."""
    post, created = await svc.add_post(hub, agent, ticket_id, req)
    if not created:
        response.status_code = 200
    return post


# --- the client's side (billing panel integration) --------------------------------------------


async def client_user(request: Request, hub: HubDep, session: SessionDep) -> M.ClientUser:
    """HTTP Basic with a client user's login and password (argon2-verified like agents'),
    rate-limited per login like the agent login. 401 otherwise."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value.strip():
        raise ApiError(401, "unauthorized", "client login and password required (HTTP Basic)",
                       headers={"WWW-Authenticate": 'Basic realm="client"'})
    try:
        login, sep, password = base64.b64decode(value.strip(), validate=True).decode(
            "utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ApiError(401, "unauthorized", "malformed Basic credentials",
                       headers={"WWW-Authenticate": 'Basic realm="client"'}) from None
    if (not sep or not login or len(login) > 64 or len(password) > 256
            or "\x00" in login or "\x00" in password):
        raise unauthorized("malformed Basic credentials")
    key = ("client", login.lower())
    ip = client_ip(request, hub.settings.trusted_proxies)
    # per login, and per address whatever the login (password spraying; shared with agents)
    wait = max(hub.login_limiter.retry_after(key), hub.login_ip_limiter.retry_after(ip))
    if wait > 0:
        raise rate_limited(wait, "too many failed client logins; try again later")
    user = await session.scalar(select(M.ClientUser).where(M.ClientUser.login == login))
    ok = await verify_password_async(user.password_hash if user and user.password_hash else None,
                                     password)
    if user is None or not ok or not user.enabled:
        hub.login_limiter.hit(key)
        hub.login_ip_limiter.hit(ip)
        raise ApiError(401, "unauthorized", "wrong client login or password",
                       headers={"WWW-Authenticate": 'Basic realm="client"'})
    hub.login_limiter.reset(key)
    return user


@router.get(CLIENT_BASE, response_model=S.Page[S.Ticket], tags=["client"])
async def client_tickets(request: Request, hub: HubDep, session: SessionDep, page: PageDep
                         ) -> dict:
    """The client's own tickets (the user's client account), most recently updated first."""
    user = await client_user(request, hub, session)
    T = M.Ticket
    stmt = (select(T).where(T.client_id == user.client_id)
            .order_by(T.updated_at.desc(), T.id.desc()))
    return await paginate(session, stmt, page, S.Ticket.model_validate)


@router.get(CLIENT_BASE + "/{ticket_id}/posts", response_model=S.Page[S.TicketPost],
            tags=["client"], responses=ERRORS)
async def client_ticket_posts(ticket_id: IdPath, request: Request, hub: HubDep,
                              session: SessionDep, page: PageDep) -> dict:
    """The thread as the client sees it: their posts and staff replies, never internal notes."""
    user = await client_user(request, hub, session)
    ticket = await session.get(M.Ticket, ticket_id)
    if ticket is None or ticket.client_id != user.client_id:
        raise not_found("ticket")
    P = M.TicketPost
    stmt = (select(P).where(P.ticket_id == ticket_id, P.kind != S.TicketPostKind.NOTE)
            .order_by(P.created_at, P.id))
    return await paginate(session, stmt, page, S.TicketPost.model_validate)


@router.post(CLIENT_BASE + "/{ticket_id}/posts", response_model=S.TicketPost, status_code=201,
             tags=["client"], responses=WRITE_ERRORS)
async def client_add_post(ticket_id: IdPath, req: S.ClientTicketPostCreate, request: Request,
                          hub: HubDep, session: SessionDep, response: Response) -> S.TicketPost:
    """The client posts on one of their tickets (``kind: client``); the department's agents and
    the assignee get ``ticket.post``. Same ``client_msg_id`` again: 200 with the existing post."""
    user = await client_user(request, hub, session)
    await session.close()
    post, created = await svc.add_client_post(hub, user, ticket_id, req)
    if not created:
        response.status_code = 200
    return post

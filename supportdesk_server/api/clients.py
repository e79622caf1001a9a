"""Clients: search by any field, the account and its lists (read side).

Editing (name and phone, login users, payments, services, projects) is at the end: thin routes
over ``supportdesk_server.services.clients`` (visibility, rights, versions, audit, events).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy import func, select

from supportdesk_protocol import limits as L
from supportdesk_protocol import schemas as S
from supportdesk_server.api import list_filters as LF
from supportdesk_server.api.deps import (
    AgentContext,
    CurrentAgent,
    HubDep,
    IdPath,
    PageDep,
    SessionDep,
    department_filter,
    department_visible,
    not_found,
    paginate,
)
from supportdesk_server.services import clients as client_ops
from supportdesk_server.services import search as search_service
from supportdesk_server.store import models as M

router = APIRouter(prefix="/api/v1/clients", tags=["clients"])

ERRORS = {404: {"model": S.ErrorBody}}
SEARCH_LIMIT = search_service.SEARCH_LIMIT


def _summary(row: M.Client) -> S.ClientSummary:
    return S.ClientSummary.model_validate(row)


@router.get("/search", response_model=S.SearchResult)
async def search(agent: CurrentAgent, session: SessionDep,
                 q: Annotated[str, Query(min_length=1, max_length=L.MAX_SEARCH_QUERY)]
                 ) -> S.SearchResult:
    """Find clients by login, email, client id, service id, domain, payment number, ticket id,
    IP address, phone or name. Exact identifiers first, then prefixes, then substrings.
    Each hit says which field matched. See supportdesk_server.services.search."""
    text = search_service.clean_query(q)
    if not text:
        return S.SearchResult(query=text, items=[], total=0)
    departments = None if agent.is_admin else agent.department_ids
    hits = await search_service.search_clients(session, text, departments, SEARCH_LIMIT)
    items = [S.SearchHit(client=_summary(h.client), matched_field=h.matched_field,
                         matched_value=h.matched_value) for h in hits]
    return S.SearchResult(query=text, items=items, total=len(items))


async def _visible_client(session: SessionDep, agent: AgentContext, client_id: int) -> M.Client:
    row = await session.get(M.Client, client_id)
    if row is None or not department_visible(agent, row.department_id):
        raise not_found("client")
    return row


@router.get("/{client_id}", response_model=S.Client, responses=ERRORS)
async def get_client(client_id: IdPath, agent: CurrentAgent, session: SessionDep) -> S.Client:
    return S.Client.model_validate(await _visible_client(session, agent, client_id))


def _list_route(path: str, model: type, schema: type, order: Any, search: LF.ListSearch) -> None:
    async def endpoint(client_id: IdPath, agent: CurrentAgent, session: SessionDep,
                       page: PageDep, where: list) -> dict:
        await _visible_client(session, agent, client_id)
        stmt = select(model).where(model.client_id == client_id, *where).order_by(*order)
        return await paginate(session, stmt, page, schema.model_validate)

    # ?q= (and ?status= where the rows have one) differ per list: see api/list_filters.py
    endpoint.__annotations__["where"] = Annotated[list, Depends(LF.dependency(search))]
    endpoint.__name__ = f"client_{path}"
    endpoint.__doc__ = f"The client's {path}, paged; ``?q=`` filters (and ``?status=``, if any)."
    router.add_api_route(f"/{{client_id}}/{path}", endpoint, methods=["GET"],
                         response_model=S.Page[schema], responses=LIST_ERRORS)


LIST_ERRORS = {404: {"model": S.ErrorBody}, 422: {"model": S.ErrorBody}}
_U, _P, _Sv, _T, _E, _Pr = M.ClientUser, M.Payment, M.Service, M.Ticket, M.Expense, M.Project
_list_route("users", _U, S.ClientUser, (_U.id,),
            LF.ListSearch((_U.login, _U.email, _U.full_name), id_column=_U.id))
_list_route("payments", _P, S.Payment, (_P.created_at.desc(), _P.id.desc()),
            LF.ListSearch((_P.number, _P.method, _P.note), enums=(_P.status,),
                          status=(_P.status, S.PaymentStatus)))
_list_route("services", _Sv, S.Service, (_Sv.id,),
            LF.ListSearch((_Sv.name, _Sv.domain, _Sv.ip, _Sv.type), enums=(_Sv.status,),
                          id_column=_Sv.id, status=(_Sv.status, S.ServiceStatus)))
_list_route("tickets", _T, S.Ticket, (_T.updated_at.desc(), _T.id.desc()),
            LF.ListSearch((_T.subject,), enums=(_T.status, _T.priority), id_column=_T.id,
                          status=(_T.status, S.TicketStatus)))
_list_route("expenses", _E, S.Expense, (_E.created_at.desc(), _E.id.desc()),
            LF.ListSearch((_E.description,)))
_list_route("projects", _Pr, S.Project, (_Pr.id,),
            LF.ListSearch((_Pr.name,), id_column=_Pr.id))


# --- editing (services/clients.py: visibility, rights, versions, audit, events) ------------------

EDIT_ERRORS = {403: {"model": S.ErrorBody}, 404: {"model": S.ErrorBody},
               409: {"model": S.ErrorBody}, 422: {"model": S.ErrorBody}}


@router.patch("/{client_id}", response_model=S.Client, responses=EDIT_ERRORS)
async def patch_client(client_id: IdPath, body: S.ClientPatch, agent: CurrentAgent,
                       hub: HubDep) -> S.Client:
    """The client's name and phone; 409 ``version_conflict`` when ``version`` is stale."""
    return await client_ops.update_client(hub, agent, client_id, body)


@router.post("/{client_id}/users", response_model=S.ClientUser, status_code=201,
             responses=EDIT_ERRORS)
async def create_client_user(client_id: IdPath, body: S.ClientUserCreate, agent: CurrentAgent,
                             hub: HubDep) -> S.ClientUser:
    """A new login user; 422 on ``login`` when it is taken."""
    return await client_ops.create_user(hub, agent, client_id, body)


@router.patch("/{client_id}/users/{user_id}", response_model=S.ClientUser, responses=EDIT_ERRORS)
async def patch_client_user(client_id: IdPath, user_id: IdPath, body: S.ClientUserPatch,
                            agent: CurrentAgent, hub: HubDep) -> S.ClientUser:
    """Login, email, full name, a new password, enabled/disabled."""
    return await client_ops.update_user(hub, agent, client_id, user_id, body)


@router.patch("/{client_id}/payments/{payment_id}", response_model=S.Payment,
              responses=EDIT_ERRORS)
async def patch_payment(client_id: IdPath, payment_id: IdPath, body: S.PaymentPatch,
                        agent: CurrentAgent, hub: HubDep) -> S.Payment:
    """Status, amount, note; needs ``can_edit_payments`` (403 otherwise)."""
    return await client_ops.update_payment(hub, agent, client_id, payment_id, body)


@router.patch("/{client_id}/services/{service_id}", response_model=S.Service,
              responses=EDIT_ERRORS)
async def patch_service(client_id: IdPath, service_id: IdPath, body: S.ServicePatch,
                        agent: CurrentAgent, hub: HubDep) -> S.Service:
    """Name, price, status, expiry; needs ``can_edit_services`` (403 otherwise)."""
    return await client_ops.update_service(hub, agent, client_id, service_id, body)


@router.delete("/{client_id}/services/{service_id}", status_code=204, response_class=Response,
               responses=EDIT_ERRORS)
async def delete_service(client_id: IdPath, service_id: IdPath, agent: CurrentAgent, hub: HubDep,
                         version: Annotated[int, Query(ge=1, le=2**31 - 1)]) -> Response:
    """Delete a service the agent saw at ``?version=``; needs ``can_edit_services``."""
    await client_ops.delete_service(hub, agent, client_id, service_id, version)
    return Response(status_code=204)


@router.patch("/{client_id}/projects/{project_id}", response_model=S.Project,
              responses=EDIT_ERRORS)
async def patch_project(client_id: IdPath, project_id: IdPath, body: S.ProjectPatch,
                        agent: CurrentAgent, hub: HubDep) -> S.Project:
    """Enable or disable the client's project."""
    return await client_ops.update_project(hub, agent, client_id, project_id, body)

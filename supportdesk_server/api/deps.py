"""Dependencies and helpers every router uses.

* ``SessionDep`` — an ``AsyncSession`` for reads (writes go through ``hub.write()``).
* ``HubDep`` — the runtime (settings, event log, sockets).
* ``CurrentAgent`` — the authenticated ``AgentContext`` (401 ``unauthorized`` otherwise).
* ``PageParams`` + ``paginate()`` — ``?offset=&limit=`` and the ``Page`` answer.
* ``IdPath`` — a path id validated to 1..2**53 (a huge id is a 422, not a 500).
* visibility: ``chat_visibility()``, ``can_see()``, ``department_filter()``.
* errors: ``not_found()``, ``forbidden()``, ``conflict()`` from ``supportdesk_server.errors``.

A new router (e.g. clients) looks like::

    router = APIRouter(prefix="/api/v1/clients", tags=["clients"])

    @router.get("/{client_id}", response_model=S.Client)
    async def get_client(client_id: IdPath, agent: CurrentAgent, session: SessionDep):
        row = await session.get(M.Client, client_id)
        if row is None or not department_visible(agent, row.department_id):
            raise not_found("client")
        return S.Client.model_validate(row)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, AsyncIterator, Callable, TypeVar

from fastapi import Depends, Path, Query, Request, WebSocket
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select

from supportdesk_protocol import limits as L
from supportdesk_protocol import schemas as S
from supportdesk_server.auth import AgentContext, agent_for_token, context_for
from supportdesk_server.errors import ApiError, conflict, forbidden, not_found, unauthorized
from supportdesk_server.services.chats import can_see, chat_visibility
from supportdesk_server.services.runtime import Hub

__all__ = [
    "AgentContext", "ApiError", "CurrentAgent", "HubDep", "IdPath", "MAX_ID", "PageDep",
    "PageParams", "SessionDep", "can_see", "chat_visibility", "conflict", "department_filter",
    "department_visible", "forbidden", "get_hub", "not_found", "paginate", "require_admin",
    "unauthorized",
]

MAX_ID = 2**53
T = TypeVar("T")


def get_hub(request: Request) -> Hub:
    return request.app.state.hub


HubDep = Annotated[Hub, Depends(get_hub)]


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.hub.sessionmaker() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized("missing bearer token")
    return token.strip()


async def current_agent(request: Request, session: SessionDep) -> AgentContext:
    found = await agent_for_token(session, bearer_token(request), allow_restricted=True)
    if found is None:
        raise unauthorized()
    agent, tok = found
    if tok.scope != "full":
        from supportdesk_server.services.admin_common import restricted_refusal

        refusal = restricted_refusal(tok.scope, request.method, request.url.path)
        if refusal is not None:
            raise refusal
    from supportdesk_server.services.admin_common import note_token_use

    await note_token_use(request.app.state.hub, tok)
    return context_for(agent, tok)


CurrentAgent = Annotated[AgentContext, Depends(current_agent)]


def require_admin(agent: CurrentAgent) -> AgentContext:
    if not agent.is_admin:
        raise forbidden("admins only")
    return agent


IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="a positive id")]


@dataclass(frozen=True)
class PageParams:
    offset: int
    limit: int


def page_params(offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
                limit: Annotated[int, Query(ge=1, le=L.MAX_PAGE_LIMIT)] = L.DEFAULT_PAGE_LIMIT,
                ) -> PageParams:
    return PageParams(offset, limit)


PageDep = Annotated[PageParams, Depends(page_params)]


async def paginate(session: AsyncSession, stmt: Select, page: PageParams,
                   convert: Callable[[Any], T] | None = None, *, scalars: bool = True
                   ) -> dict[str, Any]:
    """Run ``stmt`` (already ordered) for one page; returns the ``Page`` dict. ``convert`` maps a
    row (an ORM object when ``scalars``) to its answer model."""
    total = await session.scalar(select(func.count()).select_from(
        stmt.order_by(None).subquery()))
    paged = stmt.offset(page.offset).limit(page.limit)
    rows = (await session.scalars(paged)).all() if scalars else (await session.execute(paged)).all()
    items = [convert(r) for r in rows] if convert else list(rows)
    return {"items": items, "total": int(total or 0), "offset": page.offset, "limit": page.limit}


def department_visible(agent: AgentContext, department_id: int | None) -> bool:
    """Clients, tickets and replies: visible in the agent's departments (admins: all)."""
    return agent.is_admin or (department_id is not None and department_id in agent.department_ids)


def department_filter(agent: AgentContext, column: Any) -> Any:
    """SQL condition for ``column`` (a department id column) visible to ``agent``."""
    from sqlalchemy import false, true

    if agent.is_admin:
        return true()
    if not agent.department_ids:
        return false()
    return column.in_(sorted(agent.department_ids))


def client_ip(conn: Request | WebSocket, trusted_proxies: tuple[str, ...] = ()) -> str:
    peer = conn.client.host if conn.client else ""
    if peer and peer in trusted_proxies:
        fwd = conn.headers.get("x-forwarded-for", "")
        if fwd:
            return fwd.split(",")[0].strip()[:64]
    return peer[:64]


__all__ += ["S", "client_ip", "current_agent", "get_session", "page_params"]

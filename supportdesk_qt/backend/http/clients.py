"""The client endpoints of :class:`~supportdesk_qt.backend.http.HttpBackend` (``/clients``):
search, one client and its lists (users, payments, services, tickets, expenses, projects), and
the edits. Every edit carries the ``version`` the agent saw; its fields are those of the
protocol's patch model (an unknown one is refused with ``ValidationFailed``)."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from supportdesk_protocol.schemas import (
    Client,
    ClientPatch,
    ClientUser,
    ClientUserCreate,
    ClientUserPatch,
    Expense,
    Page,
    Payment,
    PaymentPatch,
    Project,
    ProjectPatch,
    SearchResult,
    Service,
    ServicePatch,
    Ticket,
)
from supportdesk_qt.backend.http.transport import HttpTransport

M = TypeVar("M", bound=BaseModel)


class ClientEndpoints:
    """Mixed into ``HttpBackend``; talks through its transport ``_t``."""

    _t: HttpTransport

    # -- read side

    async def search_clients(self, q: str) -> SearchResult:
        return await self._t.get(SearchResult, "/clients/search", q=q)

    async def get_client(self, client_id: int) -> Client:
        return await self._t.get(Client, f"/clients/{int(client_id)}")

    async def _client_list(self, model: type[M], client_id: int, kind: str, offset: int,
                           limit: int, q: str | None = None, status: str | None = None) -> M:
        # an empty filter is no filter: sent as nothing, like None
        return await self._t.get(model, f"/clients/{int(client_id)}/{kind}", offset=offset,
                                 limit=limit, q=q or None, status=status or None)

    async def client_users(self, client_id: int, *, offset: int = 0,
                           limit: int = 50, q: str | None = None) -> Page[ClientUser]:
        return await self._client_list(Page[ClientUser], client_id, "users", offset, limit, q)

    async def client_payments(self, client_id: int, *, offset: int = 0,
                              limit: int = 50, q: str | None = None,
                              status: str | None = None) -> Page[Payment]:
        return await self._client_list(Page[Payment], client_id, "payments", offset, limit,
                                       q, status)

    async def client_services(self, client_id: int, *, offset: int = 0,
                              limit: int = 50, q: str | None = None,
                              status: str | None = None) -> Page[Service]:
        return await self._client_list(Page[Service], client_id, "services", offset, limit,
                                       q, status)

    async def client_tickets(self, client_id: int, *, offset: int = 0,
                             limit: int = 50, q: str | None = None,
                             status: str | None = None) -> Page[Ticket]:
        return await self._client_list(Page[Ticket], client_id, "tickets", offset, limit,
                                       q, status)

    async def client_expenses(self, client_id: int, *, offset: int = 0,
                              limit: int = 50, q: str | None = None) -> Page[Expense]:
        return await self._client_list(Page[Expense], client_id, "expenses", offset, limit, q)

    async def client_projects(self, client_id: int, *, offset: int = 0,
                              limit: int = 50, q: str | None = None) -> Page[Project]:
        return await self._client_list(Page[Project], client_id, "projects", offset, limit, q)

    # -- write side

    async def update_client(self, client_id: int, version: int, **changes: Any) -> Client:
        return await self._t.send("PATCH", f"/clients/{int(client_id)}", Client, ClientPatch,
                                  version=version, **changes)

    async def create_client_user(self, client_id: int, *, login: str, email: str,
                                 full_name: str = "", password: str | None = None) -> ClientUser:
        extra = {"password": password} if password else {}   # none: the user sets one later
        return await self._t.send("POST", f"/clients/{int(client_id)}/users", ClientUser,
                                  ClientUserCreate, login=login, email=email,
                                  full_name=full_name, **extra)

    async def update_client_user(self, client_id: int, user_id: int, version: int,
                                 **changes: Any) -> ClientUser:
        return await self._t.send("PATCH", f"/clients/{int(client_id)}/users/{int(user_id)}",
                                  ClientUser, ClientUserPatch, version=version, **changes)

    async def update_payment(self, client_id: int, payment_id: int, version: int,
                             **changes: Any) -> Payment:
        return await self._t.send(
            "PATCH", f"/clients/{int(client_id)}/payments/{int(payment_id)}", Payment,
            PaymentPatch, version=version, **changes)

    async def update_service(self, client_id: int, service_id: int, version: int,
                             **changes: Any) -> Service:
        return await self._t.send(
            "PATCH", f"/clients/{int(client_id)}/services/{int(service_id)}", Service,
            ServicePatch, version=version, **changes)

    async def delete_service(self, client_id: int, service_id: int, version: int) -> None:
        await self._t.request("DELETE", f"/clients/{int(client_id)}/services/{int(service_id)}",
                              params={"version": int(version)})

    async def set_project_enabled(self, client_id: int, project_id: int, version: int,
                                  enabled: bool) -> Project:
        return await self._t.send(
            "PATCH", f"/clients/{int(client_id)}/projects/{int(project_id)}", Project,
            ProjectPatch, version=version, enabled=bool(enabled))

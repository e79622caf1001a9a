"""The ticket, reply and change-log endpoints of :class:`~supportdesk_qt.backend.http.HttpBackend`
(``/tickets``, ``/replies``, ``/changelog``)."""

from __future__ import annotations

from typing import Any

from supportdesk_protocol.schemas import (
    ChangelogEntry,
    Page,
    PredefinedReply,
    ReplyCreate,
    ReplyPatch,
    Ticket,
    TicketCreate,
    TicketPatch,
    TicketPost,
    TicketPostCreate,
    TicketPriority,
    TicketStatus,
)
from supportdesk_qt.backend.http.transport import HttpTransport


def _value(enum: type[TicketStatus] | type[TicketPriority], value: Any) -> str | None:
    return enum(value).value if value is not None else None


class TicketEndpoints:
    """Mixed into ``HttpBackend``; talks through its transport ``_t``."""

    _t: HttpTransport

    # -- tickets (read side)

    async def list_tickets(self, *, status: TicketStatus | None = None,
                           priority: TicketPriority | None = None,
                           department_id: int | None = None, mine: bool = False,
                           offset: int = 0, limit: int = 50) -> Page[Ticket]:
        return await self._t.get(
            Page[Ticket], "/tickets", status=_value(TicketStatus, status),
            priority=_value(TicketPriority, priority),
            department_id=int(department_id) if department_id is not None else None,
            mine="true" if mine else None, offset=offset, limit=limit)

    async def list_tickets_filtered(self, *, status: TicketStatus | None = None,
                                    priority: TicketPriority | None = None, mine: bool = False,
                                    my_departments: bool = False, client_id: int | None = None,
                                    offset: int = 0, limit: int = 50) -> Page[Ticket]:
        return await self._t.get(
            Page[Ticket], "/tickets", status=_value(TicketStatus, status),
            priority=_value(TicketPriority, priority),
            mine="true" if mine else None, my_departments="true" if my_departments else None,
            client_id=int(client_id) if client_id is not None else None,
            offset=offset, limit=limit)

    async def get_ticket(self, ticket_id: int) -> Ticket:
        return await self._t.get(Ticket, f"/tickets/{int(ticket_id)}")

    async def ticket_posts(self, ticket_id: int, *, offset: int = 0,
                           limit: int = 50) -> Page[TicketPost]:
        return await self._t.get(Page[TicketPost], f"/tickets/{int(ticket_id)}/posts",
                                 offset=offset, limit=limit)

    # -- tickets (write side)

    async def create_ticket(self, *, client_id: int, subject: str, department_id: int,
                            priority: TicketPriority | str, text: str,
                            client_msg_id: str | None = None) -> Ticket:
        return await self._t.send("POST", "/tickets", Ticket, TicketCreate, client_id=client_id,
                                  subject=subject, department_id=department_id,
                                  priority=priority, text=text, client_msg_id=client_msg_id)

    async def update_ticket(self, ticket_id: int, version: int, **changes: Any) -> Ticket:
        return await self._t.send("PATCH", f"/tickets/{int(ticket_id)}", Ticket, TicketPatch,
                                  version=version, **changes)

    async def add_ticket_post(self, ticket_id: int, kind: str, text: str,
                              client_msg_id: str) -> TicketPost:
        return await self._t.send("POST", f"/tickets/{int(ticket_id)}/posts", TicketPost,
                                  TicketPostCreate, kind=kind, text=text,
                                  client_msg_id=client_msg_id)

    # -- pre-defined replies and change log

    async def replies(self, context: str | None = None, *, offset: int = 0,
                      limit: int = 100) -> Page[PredefinedReply]:
        return await self._t.get(Page[PredefinedReply], "/replies", context=context,
                                 offset=offset, limit=limit)

    async def create_reply(self, *, title: str, text: str, scope: str = "personal",
                           department_id: int | None = None,
                           chat_only: bool = False) -> PredefinedReply:
        return await self._t.send("POST", "/replies", PredefinedReply, ReplyCreate, title=title,
                                  text=text, scope=scope, department_id=department_id,
                                  chat_only=bool(chat_only))

    async def update_reply(self, reply_id: int, version: int, **changes: Any) -> PredefinedReply:
        return await self._t.send("PATCH", f"/replies/{int(reply_id)}", PredefinedReply,
                                  ReplyPatch, version=version, **changes)

    async def delete_reply(self, reply_id: int) -> None:
        await self._t.request("DELETE", f"/replies/{int(reply_id)}")

    async def changelog(self, *, offset: int = 0, limit: int = 50) -> Page[ChangelogEntry]:
        return await self._t.get(Page[ChangelogEntry], "/changelog", offset=offset,
                                 limit=limit)

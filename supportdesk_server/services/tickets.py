"""Ticket operations: create (with the first post), edit (version-checked), add posts (agents'
replies and internal notes, the client's posts). Each public function is one write unit
(``hub.write()``): rows, an audit row for every edit and the agent events, atomically.

Who sees a ticket: agents of its department, its assignee, admins. Events go to the same audience
(``d:<department>`` + ``a:<assignee>``; admins see everything). When a ticket moves to another
department, the ``ticket.updated`` event also reaches the old department, so its lists drop it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from supportdesk_protocol import schemas as S
from supportdesk_protocol.events import EventType as ET
from supportdesk_server.auth import AgentContext
from supportdesk_server.errors import ApiError, forbidden, not_found
from supportdesk_server.services.runtime import Hub, Tx
from supportdesk_server.store import models as M


def invalid(field: str, msg: str) -> ApiError:
    return ApiError(422, "validation_error", f"{field}: {msg}",
                    [{"loc": [field], "msg": msg, "type": "value_error"}])


def can_see(ctx: AgentContext, ticket: M.Ticket) -> bool:
    return (ctx.is_admin or ticket.department_id in ctx.department_ids
            or (ticket.assignee_id is not None and ticket.assignee_id == ctx.id))


def audience(ticket: M.Ticket, *extra: str) -> set[str]:
    aud = {f"d:{ticket.department_id}"}
    if ticket.assignee_id:
        aud.add(f"a:{ticket.assignee_id}")
    aud.update(extra)
    return aud


def _audit(tx: Tx, agent_id: int | None, action: str, entity: str, entity_id: int,
           **changes: Any) -> None:
    tx.session.add(M.AuditLog(agent_id=agent_id, action=action, entity=entity,
                              entity_id=str(entity_id), changes=changes))


async def _visible(tx: Tx, ctx: AgentContext, ticket_id: int) -> M.Ticket:
    ticket = await tx.session.get(M.Ticket, ticket_id, populate_existing=True)
    if ticket is None or not can_see(ctx, ticket):
        raise not_found("ticket")
    return ticket


def _post_schema(post: M.TicketPost) -> S.TicketPost:
    return S.TicketPost.model_validate(post)


async def _find_post(tx: Tx, ticket_id: int, client_msg_id: str) -> M.TicketPost | None:
    return await tx.session.scalar(select(M.TicketPost).where(
        M.TicketPost.ticket_id == ticket_id, M.TicketPost.client_msg_id == client_msg_id))


async def _add_post(tx: Tx, ticket: M.Ticket, *, kind: str, text: str, author_name: str,
                    agent_id: int | None, client_msg_id: str | None) -> M.TicketPost:
    now = M.utcnow()
    post = M.TicketPost(ticket_id=ticket.id, kind=kind, author_name=author_name,
                        author_agent_id=agent_id, text=text, client_msg_id=client_msg_id,
                        created_at=now)
    tx.session.add(post)
    ticket.updated_at = now
    await tx.session.flush()
    return post


# --- agent operations ---------------------------------------------------------------------------


async def create(hub: Hub, ctx: AgentContext, req: S.TicketCreate) -> S.Ticket:
    if not ctx.is_admin and req.department_id not in ctx.department_ids:
        raise forbidden("you can create tickets only in your own departments")
    async with hub.write() as tx:
        client = await tx.session.get(M.Client, req.client_id)
        if client is None or not (ctx.is_admin or client.department_id in ctx.department_ids):
            raise invalid("client_id", "no such client")
        if await tx.session.get(M.Department, req.department_id) is None:
            raise invalid("department_id", "no such department")
        if req.client_msg_id is not None:
            # A retry of a create that reached the server: answer the ticket it made.
            existing = await tx.session.scalar(
                select(M.Ticket).join(M.TicketPost, M.TicketPost.ticket_id == M.Ticket.id)
                .where(M.TicketPost.client_msg_id == req.client_msg_id,
                       M.TicketPost.author_agent_id == ctx.id, M.Ticket.client_id == req.client_id)
                .limit(1))
            if existing is not None:
                return S.Ticket.model_validate(existing)
        now = M.utcnow()
        ticket = M.Ticket(client_id=req.client_id, subject=req.subject,
                          department_id=req.department_id, priority=str(req.priority),
                          status=str(S.TicketStatus.NEW), assignee_id=None, created_at=now,
                          updated_at=now, version=1)
        tx.session.add(ticket)
        await tx.session.flush()
        post = await _add_post(tx, ticket, kind=str(S.TicketPostKind.STAFF), text=req.text,
                               author_name=ctx.display_name, agent_id=ctx.id,
                               client_msg_id=req.client_msg_id)
        _audit(tx, ctx.id, "ticket.create", "tickets", ticket.id, subject=req.subject,
               client_id=req.client_id, department_id=req.department_id,
               priority=str(req.priority))
        snap = S.Ticket.model_validate(ticket)
        tx.emit(ET.TICKET_CREATED, audience(ticket), snap)
        tx.emit(ET.TICKET_POST, audience(ticket), _post_schema(post))
        return snap


async def update(hub: Hub, ctx: AgentContext, ticket_id: int, req: S.TicketPatch) -> S.Ticket:
    async with hub.write() as tx:
        ticket = await _visible(tx, ctx, ticket_id)
        if ticket.version != req.version:
            raise ApiError(409, "version_conflict",
                           "a colleague changed this ticket meanwhile; look at the current values "
                           "and change it again",
                           {"current": S.Ticket.model_validate(ticket).model_dump(mode="json")})
        changes: dict[str, list[Any]] = {}
        if req.department_id is not None and req.department_id != ticket.department_id:
            if await tx.session.get(M.Department, req.department_id) is None:
                raise invalid("department_id", "no such department")
        dept = req.department_id or ticket.department_id
        if "assignee_id" in req.model_fields_set and req.assignee_id is not None:
            assignee = await tx.session.get(M.Agent, req.assignee_id)
            if assignee is None or not assignee.enabled:
                raise invalid("assignee_id", "no such agent")
            if assignee.role != S.Role.ADMIN and dept not in {d.id for d in assignee.departments}:
                raise invalid("assignee_id", "the agent is not in the ticket's department")
        old_audience = audience(ticket)
        for field in ("status", "priority"):
            value = getattr(req, field)
            if value is not None and str(value) != getattr(ticket, field):
                changes[field] = [getattr(ticket, field), str(value)]
                setattr(ticket, field, str(value))
        if dept != ticket.department_id:
            changes["department_id"] = [ticket.department_id, dept]
            ticket.department_id = dept
            if ("assignee_id" not in req.model_fields_set and ticket.assignee_id is not None):
                # The assignee stays only if they work in the new department too.
                current = await tx.session.get(M.Agent, ticket.assignee_id)
                if current is None or (current.role != S.Role.ADMIN and dept not in
                                       {d.id for d in current.departments}):
                    changes["assignee_id"] = [ticket.assignee_id, None]
                    ticket.assignee_id = None
        if "assignee_id" in req.model_fields_set and req.assignee_id != ticket.assignee_id:
            changes["assignee_id"] = [ticket.assignee_id, req.assignee_id]
            ticket.assignee_id = req.assignee_id
        if changes:
            ticket.version += 1
            ticket.updated_at = M.utcnow()
            await tx.session.flush()
            _audit(tx, ctx.id, "ticket.update", "tickets", ticket.id, **changes)
            tx.emit(ET.TICKET_UPDATED, old_audience | audience(ticket),
                    S.Ticket.model_validate(ticket))
        return S.Ticket.model_validate(ticket)


async def add_post(hub: Hub, ctx: AgentContext, ticket_id: int, req: S.TicketPostCreate
                   ) -> tuple[S.TicketPost, bool]:
    """The post and whether it is new (``False``: a retry answered with the existing post)."""
    if req.kind == S.TicketPostKind.CLIENT:
        raise invalid("kind", "agents post 'staff' (a reply) or 'note' (internal)")
    async with hub.write() as tx:
        ticket = await _visible(tx, ctx, ticket_id)
        existing = await _find_post(tx, ticket.id, req.client_msg_id)
        if existing is not None:
            return _post_schema(existing), False
        post = await _add_post(tx, ticket, kind=str(req.kind), text=req.text,
                               author_name=ctx.display_name, agent_id=ctx.id,
                               client_msg_id=req.client_msg_id)
        _audit(tx, ctx.id, "ticket.post", "ticket_posts", post.id, ticket_id=ticket.id,
               kind=str(req.kind))
        tx.emit(ET.TICKET_POST, audience(ticket), _post_schema(post))
        tx.emit(ET.TICKET_UPDATED, audience(ticket), S.Ticket.model_validate(ticket))
        return _post_schema(post), True


# --- the client's side --------------------------------------------------------------------------


async def add_client_post(hub: Hub, user: M.ClientUser, ticket_id: int,
                          req: S.ClientTicketPostCreate) -> tuple[S.TicketPost, bool]:
    """A post by a client user on one of their client's tickets. A closed or waiting ticket
    is reopened (status ``in_progress``; ``new`` stays ``new``)."""
    async with hub.write() as tx:
        ticket = await tx.session.get(M.Ticket, ticket_id, populate_existing=True)
        if ticket is None or ticket.client_id != user.client_id:
            raise not_found("ticket")
        existing = await _find_post(tx, ticket.id, req.client_msg_id)
        if existing is not None:
            return _post_schema(existing), False
        post = await _add_post(tx, ticket, kind=str(S.TicketPostKind.CLIENT), text=req.text,
                               author_name=user.full_name or user.login, agent_id=None,
                               client_msg_id=req.client_msg_id)
        changes: dict[str, Any] = {"ticket_id": ticket.id, "client_user_id": user.id}
        if ticket.status in (S.TicketStatus.WAITING, S.TicketStatus.CLOSED):
            changes["status"] = [ticket.status, str(S.TicketStatus.IN_PROGRESS)]
            ticket.status = str(S.TicketStatus.IN_PROGRESS)
            ticket.version += 1     # posts alone leave the version alone: no needless conflicts
        _audit(tx, None, "ticket.client_post", "ticket_posts", post.id, **changes)
        tx.emit(ET.TICKET_POST, audience(ticket), _post_schema(post))
        tx.emit(ET.TICKET_UPDATED, audience(ticket), S.Ticket.model_validate(ticket))
        return _post_schema(post), True


__all__ = ["add_client_post", "add_post", "audience", "can_see", "create", "invalid", "update"]

"""Chat operations shared by the REST API, the visitor socket and (through the socket) the
simulator. Each public function is one write unit (``hub.write()``): it changes rows, appends the
events agents must see and queues the frames the visitor must get, atomically."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import false, func, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk_protocol import events as E
from supportdesk_protocol import schemas as S
from supportdesk_protocol.events import EventType as ET
from supportdesk_server.auth import AgentContext, agent_schema
from supportdesk_server.errors import ApiError, conflict, forbidden, not_found
from supportdesk_server.services.runtime import Hub, Tx
from supportdesk_server.services.snapshots import (
    chat_snapshot,
    department_schema,
    message_schema,
    visitor_chat,
    visitor_message,
)
from supportdesk_server.store import models as M

log = logging.getLogger(__name__)

PREVIEW = 200


# --- visibility -------------------------------------------------------------------------------


def chat_visibility(ctx: AgentContext):  # noqa: ANN201
    """SQL condition: chats ``ctx`` may see (its departments, assigned to it, forwarded by it or
    out of its departments while the forward is pending). Admins see all."""
    if ctx.is_admin:
        return true()
    depts = list(ctx.department_ids)
    conds = [M.Chat.assignee_id == ctx.id, M.Chat.forwarded_by_agent_id == ctx.id]
    if depts:
        conds += [M.Chat.department_id.in_(depts), M.Chat.forwarded_from_department_id.in_(depts)]
    return or_(*conds) if conds else false()


def can_see(ctx: AgentContext, chat: M.Chat) -> bool:
    return (ctx.is_admin or chat.department_id in ctx.department_ids
            or chat.assignee_id == ctx.id or chat.forwarded_by_agent_id == ctx.id
            or chat.forwarded_from_department_id in ctx.department_ids)


def in_department(ctx: AgentContext, chat: M.Chat) -> bool:
    return ctx.is_admin or chat.department_id in ctx.department_ids


def audience(chat: M.Chat, *extra: str) -> set[str]:
    aud = {f"d:{chat.department_id}"}
    if chat.assignee_id:
        aud.add(f"a:{chat.assignee_id}")
    if chat.forwarded_from_department_id:
        aud.add(f"d:{chat.forwarded_from_department_id}")
    if chat.forwarded_by_agent_id:
        aud.add(f"a:{chat.forwarded_by_agent_id}")
    aud.update(extra)
    return aud


async def get_visible_chat(session: AsyncSession, ctx: AgentContext, chat_id: int) -> M.Chat:
    chat = await session.get(M.Chat, chat_id, populate_existing=True)
    if chat is None or not can_see(ctx, chat):
        raise not_found("chat")
    return chat


def touch(chat: M.Chat, now: datetime | None = None) -> None:
    chat.version = (chat.version or 0) + 1
    chat.updated_at = now or M.utcnow()


def audit(tx: Tx, agent_id: int | None, action: str, chat: M.Chat, **changes: object) -> None:
    tx.session.add(M.AuditLog(agent_id=agent_id, action=action, entity="chats",
                              entity_id=str(chat.id), changes=changes))


async def emit_chat(tx: Tx, chat: M.Chat, type_: str = ET.CHAT_UPDATED, *extra: str) -> S.Chat:
    snap = await chat_snapshot(tx.session, chat)
    tx.emit(type_, audience(chat, *extra), snap)
    return snap


async def push_visitor_chat(hub: Hub, tx: Tx, chat: M.Chat) -> None:
    frame = E.VisitorChatFrame(chat=await visitor_chat(tx.session, chat))
    visitor_id = chat.visitor_id
    tx.after_commit(lambda: hub.visitor_sockets.send(visitor_id, frame))


async def add_message(tx: Tx, chat: M.Chat, *, kind: str, text: str, author_name: str,
                      agent_id: int | None = None, client_msg_id: str | None = None
                      ) -> M.ChatMessage:
    now = M.utcnow()
    seq = (chat.message_count or 0) + 1
    msg = M.ChatMessage(chat_id=chat.id, seq=seq, author_kind=kind, author_agent_id=agent_id,
                        author_name=author_name, text=text, client_msg_id=client_msg_id,
                        created_at=now)
    tx.session.add(msg)
    chat.message_count = seq
    chat.last_message_at = now
    chat.last_message_preview = " ".join(text.split())[:PREVIEW]
    touch(chat, now)
    await tx.session.flush()
    return msg


async def find_message(session: AsyncSession, chat_id: int, kind: str, client_msg_id: str
                       ) -> M.ChatMessage | None:
    return await session.scalar(select(M.ChatMessage).where(
        M.ChatMessage.chat_id == chat_id, M.ChatMessage.author_kind == kind,
        M.ChatMessage.client_msg_id == client_msg_id))


def _require_assignee(ctx: AgentContext, chat: M.Chat, action: str) -> None:
    if chat.state == S.ChatState.CLOSED:
        raise conflict(f"the chat is closed; cannot {action}")
    if chat.state == S.ChatState.WAITING:
        raise conflict(f"the chat is waiting; take it before you {action}")
    if chat.assignee_id != ctx.id:
        raise forbidden(f"only the agent who has the chat may {action}")


# --- agent operations -------------------------------------------------------------------------


async def take(hub: Hub, ctx: AgentContext, chat_id: int) -> S.Chat:
    async with hub.write() as tx:
        chat = await get_visible_chat(tx.session, ctx, chat_id)
        if not in_department(ctx, chat):
            raise forbidden("the chat waits in a department you do not belong to")
        now = M.utcnow()
        # Race-safe across processes too: only the UPDATE that still sees 'waiting' wins.
        result = await tx.session.execute(
            update(M.Chat).where(M.Chat.id == chat_id, M.Chat.state == S.ChatState.WAITING)
            .values(state=S.ChatState.ACTIVE, assignee_id=ctx.id, forward_deadline=None,
                    updated_at=now, version=M.Chat.version + 1)
            .execution_options(synchronize_session=False))
        chat = await tx.session.get(M.Chat, chat_id, populate_existing=True)
        assert chat is not None
        if result.rowcount != 1:
            if chat.state == S.ChatState.ACTIVE and chat.assignee_id == ctx.id:
                return await chat_snapshot(tx.session, chat)   # taking twice is harmless
            if chat.state == S.ChatState.ACTIVE:
                raise conflict("a colleague has already taken this chat", code="already_taken")
            raise conflict("the chat is closed")
        audit(tx, ctx.id, "chat.take", chat, assignee_id=[None, ctx.id])
        snap = await emit_chat(tx, chat)
        await push_visitor_chat(hub, tx, chat)
    return snap


async def release(hub: Hub, ctx: AgentContext, chat_id: int) -> S.Chat:
    async with hub.write() as tx:
        chat = await get_visible_chat(tx.session, ctx, chat_id)
        _require_assignee(ctx, chat, "release it")
        chat.state = S.ChatState.WAITING
        chat.assignee_id = None
        chat.waiting_since = M.utcnow()
        touch(chat)
        audit(tx, ctx.id, "chat.release", chat, assignee_id=[ctx.id, None])
        snap = await emit_chat(tx, chat, ET.CHAT_UPDATED, f"a:{ctx.id}")
        await push_visitor_chat(hub, tx, chat)
    return snap


async def send_message(hub: Hub, ctx: AgentContext, chat_id: int, req: S.SendMessageRequest
                       ) -> tuple[S.ChatMessage, bool]:
    """Returns (message, created). A known ``client_msg_id`` returns the stored message."""
    async with hub.write() as tx:
        chat = await get_visible_chat(tx.session, ctx, chat_id)
        existing = await find_message(tx.session, chat.id, "agent", req.client_msg_id)
        if existing is not None:
            return message_schema(existing), False
        _require_assignee(ctx, chat, "write in it")
        msg = await add_message(tx, chat, kind="agent", text=req.text,
                                author_name=ctx.display_name, agent_id=ctx.id,
                                client_msg_id=req.client_msg_id)
        out = message_schema(msg)
        snap = await chat_snapshot(tx.session, chat)
        tx.emit(ET.CHAT_MESSAGE, audience(chat), E.ChatMessageEvent(chat=snap, message=out))
        frame = E.VisitorMessageOut(message=visitor_message(msg))
        visitor_id, cid = chat.visitor_id, chat.id
        tx.after_commit(lambda: hub.visitor_sockets.send_message(visitor_id, cid, frame))
    return out, True


async def agent_typing(hub: Hub, ctx: AgentContext, chat_id: int, typing: bool) -> None:
    async with hub.write() as tx:
        chat = await get_visible_chat(tx.session, ctx, chat_id)
        _require_assignee(ctx, chat, "type in it")
        tx.emit(ET.CHAT_TYPING, audience(chat),
                E.TypingEvent(chat_id=chat.id, author_kind=S.AuthorKind.AGENT,
                              author_name=ctx.display_name, typing=typing))
        frame = E.VisitorTypingOut(typing=typing, author_name=ctx.display_name)
        visitor_id = chat.visitor_id
        tx.after_commit(lambda: hub.visitor_sockets.send(visitor_id, frame))


async def patch(hub: Hub, ctx: AgentContext, chat_id: int, req: S.ChatPatch) -> S.Chat:
    async with hub.write() as tx:
        chat = await get_visible_chat(tx.session, ctx, chat_id)
        changes: dict[str, list[str]] = {}
        for field in ("name", "summary"):
            value = getattr(req, field)
            if value is not None and value != getattr(chat, field):
                changes[field] = [getattr(chat, field), value]
                setattr(chat, field, value)
        if not changes:
            return await chat_snapshot(tx.session, chat)
        touch(chat)
        audit(tx, ctx.id, "chat.update", chat, **changes)
        return await emit_chat(tx, chat)


async def close(hub: Hub, ctx: AgentContext, chat_id: int, reason: str = "") -> S.Chat:
    async with hub.write() as tx:
        chat = await get_visible_chat(tx.session, ctx, chat_id)
        if chat.state == S.ChatState.CLOSED:
            raise conflict("the chat is already closed")
        if chat.state == S.ChatState.ACTIVE and chat.assignee_id != ctx.id and not ctx.is_admin:
            raise forbidden("only the agent who has the chat may close it")
        if chat.state == S.ChatState.WAITING and not in_department(ctx, chat):
            raise forbidden("the chat waits in a department you do not belong to")
        now = M.utcnow()
        chat.state = S.ChatState.CLOSED
        chat.closed_at = now
        chat.forward_deadline = None
        touch(chat, now)
        audit(tx, ctx.id, "chat.close", chat, state=["open", "closed"], reason=reason)
        snap = await emit_chat(tx, chat)
        await push_visitor_chat(hub, tx, chat)
    return snap


async def forward(hub: Hub, ctx: AgentContext, chat_id: int, req: S.ForwardRequest) -> S.Chat:
    async with hub.write() as tx:
        chat = await get_visible_chat(tx.session, ctx, chat_id)
        if chat.state == S.ChatState.CLOSED:
            raise conflict("the chat is closed")
        if chat.state == S.ChatState.ACTIVE and chat.assignee_id != ctx.id and not ctx.is_admin:
            raise forbidden("only the agent who has the chat may forward it")
        if chat.state == S.ChatState.WAITING and not in_department(ctx, chat):
            raise forbidden("the chat waits in a department you do not belong to")
        target = await tx.session.get(M.Department, req.department_id)
        if target is None:
            raise ApiError(404, "not_found", "department not found")
        if target.id == chat.department_id:
            raise conflict("the chat is already in that department")
        if not target.accepts_forwards:
            raise conflict(f"department {target.name!r} does not accept forwarded chats")
        online = await tx.session.scalar(
            select(func.count(func.distinct(M.Agent.id)))
            .join(M.AgentDepartment, M.AgentDepartment.agent_id == M.Agent.id)
            .where(M.AgentDepartment.department_id == target.id, M.Agent.status == "online",
                   M.Agent.enabled.is_(True), M.Agent.id != ctx.id))
        if not online:
            raise conflict(f"nobody is online in department {target.name!r}; "
                           "forward to a department with online agents")
        now = M.utcnow()
        from_dept = chat.department_id
        previous_assignee = chat.assignee_id
        chat.forwarded_from_department_id = from_dept
        chat.forwarded_by_agent_id = ctx.id
        chat.forward_comment = req.comment
        chat.forward_deadline = now + timedelta(seconds=hub.settings.forward_return_seconds)
        chat.department_id = target.id
        chat.state = S.ChatState.WAITING
        chat.assignee_id = None
        chat.waiting_since = now
        touch(chat, now)
        audit(tx, ctx.id, "chat.forward", chat, department_id=[from_dept, target.id],
              comment=req.comment)
        extra = (f"a:{previous_assignee}",) if previous_assignee else ()
        snap = await emit_chat(tx, chat, ET.CHAT_UPDATED, *extra)
        tx.emit(ET.CHAT_FORWARDED, audience(chat, *extra),
                E.ForwardEvent(chat=snap, from_department_id=from_dept,
                               to_department_id=target.id, by_agent_id=ctx.id,
                               comment=req.comment))
        await push_visitor_chat(hub, tx, chat)
    hub.forward_wakeup.set()
    return snap


async def next_forward_deadline(hub: Hub) -> datetime | None:
    async with hub.read() as session:
        return await session.scalar(
            select(func.min(M.Chat.forward_deadline))
            .where(M.Chat.state == S.ChatState.WAITING, M.Chat.forward_deadline.is_not(None)))


async def return_overdue_forwards(hub: Hub) -> int:
    """Send forwarded chats nobody took in time back to the department they came from."""
    now = M.utcnow()
    async with hub.read() as session:
        ids = list((await session.scalars(
            select(M.Chat.id).where(M.Chat.state == S.ChatState.WAITING,
                                    M.Chat.forward_deadline.is_not(None),
                                    M.Chat.forward_deadline <= now)
            .order_by(M.Chat.forward_deadline).limit(200))).all())
    returned = 0
    for chat_id in ids:
        async with hub.write() as tx:
            chat = await tx.session.get(M.Chat, chat_id, populate_existing=True)
            if (chat is None or chat.state != S.ChatState.WAITING or chat.forward_deadline is None
                    or chat.forward_deadline > M.utcnow()
                    or chat.forwarded_from_department_id is None):
                continue
            origin = chat.forwarded_from_department_id
            target = chat.department_id
            by_agent = chat.forwarded_by_agent_id
            comment = chat.forward_comment
            aud = audience(chat)   # both departments and the forwarding agent
            chat.department_id = origin
            chat.forwarded_from_department_id = None
            chat.forwarded_by_agent_id = None
            chat.forward_comment = ""
            chat.forward_deadline = None
            chat.waiting_since = M.utcnow()
            touch(chat)
            audit(tx, None, "chat.forward_return", chat, department_id=[target, origin])
            snap = await chat_snapshot(tx.session, chat)
            tx.emit(ET.CHAT_UPDATED, aud, snap)
            tx.emit(ET.CHAT_FORWARD_RETURNED, aud,
                    E.ForwardEvent(chat=snap, from_department_id=origin, to_department_id=target,
                                   by_agent_id=by_agent, comment=comment))
            await push_visitor_chat(hub, tx, chat)
            returned += 1
    return returned


async def set_status(hub: Hub, ctx: AgentContext, status: S.AgentStatus) -> S.Agent:
    async with hub.write() as tx:
        agent = await tx.session.get(M.Agent, ctx.id, populate_existing=True)
        if agent is None:
            raise not_found("agent")
        changed = agent.status != status
        if changed:
            agent.status = status
            agent.status_changed_at = M.utcnow()
        if status == S.AgentStatus.OFFLINE:
            # Going offline hands every active chat back to the list of chats.
            chats = (await tx.session.scalars(select(M.Chat).where(
                M.Chat.assignee_id == agent.id, M.Chat.state == S.ChatState.ACTIVE))).all()
            for chat in chats:
                chat.state = S.ChatState.WAITING
                chat.assignee_id = None
                chat.waiting_since = M.utcnow()
                touch(chat)
                audit(tx, agent.id, "chat.release", chat, assignee_id=[agent.id, None],
                      reason="offline")
                await emit_chat(tx, chat, ET.CHAT_UPDATED, f"a:{agent.id}")
                await push_visitor_chat(hub, tx, chat)
        out = agent_schema(agent)
        if changed:
            await tx.session.flush()
            tx.emit(ET.AGENT_STATUS, {"*"}, out)
            for dept in agent.departments:
                tx.emit(ET.DEPARTMENT_ONLINE, {"*"}, await department_schema(tx.session, dept))
    return out


# --- visitor operations -----------------------------------------------------------------------


async def open_chat_of(session: AsyncSession, visitor_id: str) -> M.Chat | None:
    return await session.scalar(
        select(M.Chat).where(M.Chat.visitor_id == visitor_id,
                             M.Chat.state != S.ChatState.CLOSED)
        .order_by(M.Chat.id.desc()).limit(1))


def apply_visitor_info(chat: M.Chat, info: dict[str, object]) -> bool:
    """Copy the reported visitor info onto the chat; True when something changed."""
    changed = False
    for key, value in info.items():
        if value is None and key != "timezone_offset_minutes":
            continue
        if getattr(chat, key) != value:
            setattr(chat, key, value)
            changed = True
    return changed


async def visitor_message_in(hub: Hub, tx: Tx, chat: M.Chat, name: str, text: str,
                             client_msg_id: str) -> M.ChatMessage:
    msg = await add_message(tx, chat, kind="visitor", text=text,
                            author_name=name or chat.visitor_name or "Visitor",
                            client_msg_id=client_msg_id)
    snap = await chat_snapshot(tx.session, chat)
    tx.emit(ET.CHAT_MESSAGE, audience(chat),
            E.ChatMessageEvent(chat=snap, message=message_schema(msg)))
    return msg


async def visitor_start(hub: Hub, visitor_id: str, frame: E.StartFrame, info: dict[str, object]
                        ) -> tuple[M.Chat, M.ChatMessage, E.VisitorChat, bool]:
    """Open a chat. Returns (chat, message, visitor view, chat_created).

    One open chat per visitor: when one is open, a resend of the ``start`` that opened it (its
    ``client_msg_id`` is stored there) answers the stored message again; any other ``start`` is
    refused with ``chat_already_open`` naming the open chat, and nothing is stored (the text
    must not land in that chat under another department's name)."""
    async with hub.write() as tx:
        chat = await open_chat_of(tx.session, visitor_id)
        if chat is not None:
            existing = await find_message(tx.session, chat.id, "visitor", frame.client_msg_id)
            if existing is not None:
                return chat, existing, await visitor_chat(tx.session, chat), False
            raise ApiError(409, "chat_already_open",
                           f"chat {chat.id} is still open; send the text as a message, or close "
                           "that chat first", {"chat_id": chat.id,
                                               "department_id": chat.department_id})
        dept = await tx.session.get(M.Department, frame.department_id)
        if dept is None:
            raise ApiError(404, "not_found", "department not found")
        visitor = await tx.session.get(M.Visitor, visitor_id)
        now = M.utcnow()
        chat = M.Chat(visitor_id=visitor_id, visitor_name=frame.name.strip() or "Visitor",
                      client_id=visitor.client_id if visitor else None,
                      department_id=dept.id, state=S.ChatState.WAITING, created_at=now,
                      updated_at=now, waiting_since=now, message_count=0, version=1)
        apply_visitor_info(chat, info)
        tx.session.add(chat)
        await tx.session.flush()
        msg = await add_message(tx, chat, kind="visitor", text=frame.text,
                                author_name=chat.visitor_name, client_msg_id=frame.client_msg_id)
        chat.version = 1
        snap = await chat_snapshot(tx.session, chat)
        tx.emit(ET.CHAT_CREATED, audience(chat), snap)
        tx.emit(ET.CHAT_MESSAGE, audience(chat),
                E.ChatMessageEvent(chat=snap, message=message_schema(msg)))
        view = await visitor_chat(tx.session, chat)
    return chat, msg, view, True


async def visitor_send(hub: Hub, visitor_id: str, frame: E.VisitorMessageFrame
                       ) -> tuple[M.Chat, M.ChatMessage, bool]:
    """Returns (chat, message, created)."""
    async with hub.write() as tx:
        chat = await open_chat_of(tx.session, visitor_id)
        if chat is None:
            # A resend after the chat was closed: acknowledge the stored message again.
            last = await tx.session.scalar(select(M.Chat).where(M.Chat.visitor_id == visitor_id)
                                           .order_by(M.Chat.id.desc()).limit(1))
            if last is not None:
                existing = await find_message(tx.session, last.id, "visitor", frame.client_msg_id)
                if existing is not None:
                    return last, existing, False
            raise conflict("no open chat; start one first")
        existing = await find_message(tx.session, chat.id, "visitor", frame.client_msg_id)
        if existing is not None:
            return chat, existing, False
        msg = await visitor_message_in(hub, tx, chat, "", frame.text, frame.client_msg_id)
    return chat, msg, True


async def visitor_typing(hub: Hub, visitor_id: str, typing: bool) -> bool:
    async with hub.write() as tx:
        chat = await open_chat_of(tx.session, visitor_id)
        if chat is None:
            return False
        tx.emit(ET.CHAT_TYPING, audience(chat),
                E.TypingEvent(chat_id=chat.id, author_kind=S.AuthorKind.VISITOR,
                              author_name=chat.visitor_name or "Visitor", typing=typing))
    return True


async def visitor_info_update(hub: Hub, visitor_id: str, info: dict[str, object]) -> bool:
    """New page URL / title / referrer (or IP, user agent on reconnect): chat.updated so the
    agent sees it live."""
    async with hub.write() as tx:
        chat = await open_chat_of(tx.session, visitor_id)
        if chat is None or not apply_visitor_info(chat, info):
            return False
        touch(chat)
        await emit_chat(tx, chat)
    return True


async def visitor_close(hub: Hub, visitor_id: str) -> M.Chat | None:
    async with hub.write() as tx:
        chat = await open_chat_of(tx.session, visitor_id)
        if chat is None:
            return None
        now = M.utcnow()
        chat.state = S.ChatState.CLOSED
        chat.closed_at = now
        chat.forward_deadline = None
        touch(chat, now)
        audit(tx, None, "chat.close", chat, state=["open", "closed"], by="visitor")
        await emit_chat(tx, chat)
        await push_visitor_chat(hub, tx, chat)
    return chat

"""A chat's events for the agent's transcript (``GET /chats/{id}/events``), read from the audit
log: every take, release, forward, forward return and close is audited there anyway (one row
per change, services/chats.py), so nothing new is written and the visitor's conversation (the
messages, their ``seq``) stays as it is: the widget keeps drawing its own notices.

Each event carries ``after_seq``, the newest message written before it, so the desk places it
among the messages in the order things happened.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk_protocol import schemas as S
from supportdesk_server.store import models as M

MAX_EVENTS = 500

#: audit action -> event kind
ACTIONS = {
    "chat.take": S.ChatEventKind.JOINED,
    "chat.release": S.ChatEventKind.RELEASED,
    "chat.forward": S.ChatEventKind.FORWARDED,
    "chat.forward_return": S.ChatEventKind.RETURNED,
    "chat.close": S.ChatEventKind.CLOSED,
}


def _moved_to(changes: dict) -> int | None:
    """The department a forward (or its return) went to: ``department_id: [from, to]``."""
    pair = changes.get("department_id")
    if isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], int):
        return pair[1]
    return None


async def chat_events(session: AsyncSession, chat_id: int) -> list[S.ChatEvent]:
    """The newest ``MAX_EVENTS`` events of chat ``chat_id``, oldest first (visibility is the
    caller's check)."""
    before = (select(func.coalesce(func.max(M.ChatMessage.seq), 0))
              .where(M.ChatMessage.chat_id == chat_id, M.ChatMessage.created_at <= M.AuditLog.at)
              .correlate(M.AuditLog).scalar_subquery())
    rows = (await session.execute(
        select(M.AuditLog, before)
        .where(M.AuditLog.entity == "chats", M.AuditLog.entity_id == str(int(chat_id)),
               M.AuditLog.action.in_(list(ACTIONS)))
        .order_by(M.AuditLog.id.desc()).limit(MAX_EVENTS))).all()
    rows.reverse()
    agent_ids = {a.agent_id for a, _ in rows if a.agent_id is not None}
    dept_ids = {d for a, _ in rows if (d := _moved_to(a.changes or {})) is not None}
    agents = dict((await session.execute(
        select(M.Agent.id, M.Agent.display_name).where(M.Agent.id.in_(agent_ids)))).all()
    ) if agent_ids else {}
    departments = dict((await session.execute(
        select(M.Department.id, M.Department.name).where(M.Department.id.in_(dept_ids)))).all()
    ) if dept_ids else {}
    out = []
    for entry, after_seq in rows:
        changes = entry.changes or {}
        kind = ACTIONS[entry.action]
        dept = _moved_to(changes) if kind in (S.ChatEventKind.FORWARDED,
                                              S.ChatEventKind.RETURNED) else None
        by_visitor = changes.get("by") == "visitor"
        out.append(S.ChatEvent(
            id=entry.id, chat_id=chat_id, kind=kind, at=entry.at, after_seq=int(after_seq or 0),
            agent_id=entry.agent_id,
            agent_name="" if by_visitor else agents.get(entry.agent_id, ""),
            by_visitor=by_visitor, department_id=dept,
            department_name=departments.get(dept, "") if dept is not None else "",
            comment=str(changes.get("comment") or "") if kind == S.ChatEventKind.FORWARDED else "",
            reason=str(changes.get("reason") or "") if kind == S.ChatEventKind.RELEASED else ""))
    return out

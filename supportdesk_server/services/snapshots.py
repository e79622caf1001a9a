"""Rows -> protocol models (the full snapshots that events and answers carry)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk_protocol import events as E
from supportdesk_protocol import schemas as S
from supportdesk_server.store import models as M


def chat_schema(chat: M.Chat, client: M.Client | None = None) -> S.Chat:
    return S.Chat(
        id=chat.id, state=S.ChatState(chat.state), department_id=chat.department_id,
        assignee_id=chat.assignee_id, visitor_id=chat.visitor_id, visitor_name=chat.visitor_name,
        client_id=chat.client_id,
        client_name=client.name if client is not None else None,
        project_name=(client.project_name or None) if client is not None else None,
        name=chat.name, summary=chat.summary,
        forwarded=chat.forwarded_from_department_id is not None,
        forwarded_from_department_id=chat.forwarded_from_department_id,
        forwarded_by_agent_id=chat.forwarded_by_agent_id,
        forward_comment=chat.forward_comment or "",
        forward_deadline=chat.forward_deadline,
        created_at=chat.created_at, updated_at=chat.updated_at,
        waiting_since=chat.waiting_since, closed_at=chat.closed_at,
        last_message_at=chat.last_message_at,
        last_message_preview=chat.last_message_preview or "",
        message_count=chat.message_count,
        visitor=S.VisitorInfo(
            ip=chat.ip or None, page_url=chat.page_url or None, page_title=chat.page_title or None,
            referrer=chat.referrer or None, user_agent=chat.user_agent or None,
            language=chat.language or None, timezone_offset_minutes=chat.timezone_offset_minutes),
        version=chat.version,
    )


async def chat_snapshot(session: AsyncSession, chat: M.Chat) -> S.Chat:
    client = await session.get(M.Client, chat.client_id) if chat.client_id else None
    return chat_schema(chat, client)


def message_schema(msg: M.ChatMessage) -> S.ChatMessage:
    return S.ChatMessage(id=msg.id, chat_id=msg.chat_id, seq=msg.seq,
                         author_kind=S.AuthorKind(msg.author_kind), author_id=msg.author_agent_id,
                         author_name=msg.author_name, text=msg.text,
                         client_msg_id=msg.client_msg_id, created_at=msg.created_at)


def visitor_message(msg: M.ChatMessage) -> E.VisitorMessage:
    return E.VisitorMessage(seq=msg.seq, author_kind=S.AuthorKind(msg.author_kind),
                            author_name=msg.author_name, text=msg.text,
                            client_msg_id=msg.client_msg_id if msg.author_kind == "visitor" else None,
                            created_at=msg.created_at)


async def visitor_chat(session: AsyncSession, chat: M.Chat) -> E.VisitorChat:
    dept = await session.get(M.Department, chat.department_id)
    agent = await session.get(M.Agent, chat.assignee_id) if chat.assignee_id else None
    client = await session.get(M.Client, chat.client_id) if chat.client_id else None
    return E.VisitorChat(id=chat.id, state=S.ChatState(chat.state),
                         department_id=chat.department_id,
                         department_name=dept.name if dept else "",
                         agent_name=agent.display_name if agent else None,
                         forwarded=chat.forwarded_from_department_id is not None,
                         authorized_client_name=client.name if client else None)


def online_count_query(department_id: int):  # noqa: ANN201
    return (select(func.count(func.distinct(M.Agent.id)))
            .join(M.AgentDepartment, M.AgentDepartment.agent_id == M.Agent.id)
            .where(M.AgentDepartment.department_id == department_id,
                   M.Agent.status == "online", M.Agent.enabled.is_(True)))


async def department_schema(session: AsyncSession, dept: M.Department) -> S.Department:
    count = await session.scalar(online_count_query(dept.id))
    return S.Department(id=dept.id, name=dept.name, online_count=int(count or 0))


async def departments_with_counts(session: AsyncSession) -> list[S.Department]:
    counts = dict((await session.execute(
        select(M.AgentDepartment.department_id, func.count(func.distinct(M.Agent.id)))
        .join(M.Agent, M.Agent.id == M.AgentDepartment.agent_id)
        .where(M.Agent.status == "online", M.Agent.enabled.is_(True))
        .group_by(M.AgentDepartment.department_id))).all())
    depts = (await session.scalars(select(M.Department).order_by(M.Department.id))).all()
    return [S.Department(id=d.id, name=d.name, online_count=int(counts.get(d.id, 0)))
            for d in depts]

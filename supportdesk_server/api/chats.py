from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy import func, select

from supportdesk_protocol import limits as L
from supportdesk_protocol import schemas as S
from supportdesk_server.api.deps import (
    MAX_ID,
    CurrentAgent,
    HubDep,
    IdPath,
    PageDep,
    SessionDep,
    chat_visibility,
    paginate,
)
from supportdesk_server.services import chat_events
from supportdesk_server.services import chats as chat_ops
from supportdesk_server.services.snapshots import chat_schema, chat_snapshot, message_schema
from supportdesk_server.store import models as M

router = APIRouter(prefix="/api/v1/chats", tags=["chats"])

MAX_SEQ = 2**31 - 1
ERRORS = {404: {"model": S.ErrorBody}, 409: {"model": S.ErrorBody}, 403: {"model": S.ErrorBody}}


@router.get("", response_model=S.Page[S.Chat])
async def list_chats(agent: CurrentAgent, session: SessionDep, page: PageDep,
                     state: Annotated[S.ChatState | None, Query()] = None,
                     mine: Annotated[bool | None, Query()] = None) -> dict:
    """Visible chats, newest activity first. ``state=waiting`` is the list of chats the agent may
    take (waiting in one of its departments); ``mine=true`` only chats assigned to the agent."""
    stmt = (select(M.Chat, M.Client).outerjoin(M.Client, M.Client.id == M.Chat.client_id)
            .where(chat_visibility(agent)))
    if state is not None:
        stmt = stmt.where(M.Chat.state == state)
        if state == S.ChatState.WAITING and not agent.is_admin:
            stmt = stmt.where(M.Chat.department_id.in_(sorted(agent.department_ids) or [-1]))
    if mine is True:
        stmt = stmt.where(M.Chat.assignee_id == agent.id)
    elif mine is False:
        stmt = stmt.where((M.Chat.assignee_id.is_(None)) | (M.Chat.assignee_id != agent.id))
    activity = func.coalesce(M.Chat.last_message_at, M.Chat.created_at)
    stmt = stmt.order_by(activity.desc(), M.Chat.id.desc())
    return await paginate(session, stmt, page, lambda row: chat_schema(row[0], row[1]),
                          scalars=False)


@router.get("/{chat_id}", response_model=S.Chat, responses=ERRORS)
async def get_chat(chat_id: IdPath, agent: CurrentAgent, session: SessionDep) -> S.Chat:
    chat = await chat_ops.get_visible_chat(session, agent, chat_id)
    return await chat_snapshot(session, chat)


@router.get("/{chat_id}/messages", response_model=S.MessagePage, responses=ERRORS)
async def messages(chat_id: IdPath, agent: CurrentAgent, session: SessionDep,
                   before_seq: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
                   limit: Annotated[int, Query(ge=1, le=L.MAX_PAGE_LIMIT)] = L.DEFAULT_PAGE_LIMIT,
                   ) -> S.MessagePage:
    """Up to ``limit`` messages with ``seq < before_seq`` (the newest when absent), ascending."""
    await chat_ops.get_visible_chat(session, agent, chat_id)
    stmt = select(M.ChatMessage).where(M.ChatMessage.chat_id == chat_id)
    if before_seq is not None:
        # seq is a 32-bit column; anything above its range means "the newest page"
        stmt = stmt.where(M.ChatMessage.seq < min(before_seq, MAX_SEQ))
    rows = list((await session.scalars(
        stmt.order_by(M.ChatMessage.seq.desc()).limit(limit + 1))).all())
    has_more = len(rows) > limit
    rows = rows[:limit]
    rows.reverse()
    return S.MessagePage(items=[message_schema(r) for r in rows], has_more=has_more)


@router.get("/{chat_id}/events", response_model=S.ChatEventList, responses=ERRORS)
async def events(chat_id: IdPath, agent: CurrentAgent, session: SessionDep) -> S.ChatEventList:
    """What happened to the chat (taken, released, forwarded, returned, closed), oldest first,
    each with ``after_seq`` (the newest message before it). Read from the audit log."""
    await chat_ops.get_visible_chat(session, agent, chat_id)
    return S.ChatEventList(items=await chat_events.chat_events(session, chat_id))


@router.post("/{chat_id}/take", response_model=S.Chat, responses=ERRORS)
async def take(chat_id: IdPath, agent: CurrentAgent, hub: HubDep) -> S.Chat:
    return await chat_ops.take(hub, agent, chat_id)


@router.post("/{chat_id}/release", response_model=S.Chat, responses=ERRORS)
async def release(chat_id: IdPath, agent: CurrentAgent, hub: HubDep) -> S.Chat:
    return await chat_ops.release(hub, agent, chat_id)


@router.post("/{chat_id}/messages", response_model=S.ChatMessage, status_code=201,
             responses={200: {"model": S.ChatMessage,
                              "description": "already stored (same client_msg_id)"}, **ERRORS})
async def send_message(chat_id: IdPath, body: S.SendMessageRequest, agent: CurrentAgent,
                       hub: HubDep, response: Response) -> S.ChatMessage:
    msg, created = await chat_ops.send_message(hub, agent, chat_id, body)
    if not created:
        response.status_code = 200
    return msg


@router.post("/{chat_id}/typing", status_code=204, response_class=Response, responses=ERRORS)
async def typing(chat_id: IdPath, body: S.TypingRequest, agent: CurrentAgent,
                 hub: HubDep) -> Response:
    await chat_ops.agent_typing(hub, agent, chat_id, body.typing)
    return Response(status_code=204)


@router.patch("/{chat_id}", response_model=S.Chat, responses=ERRORS)
async def patch_chat(chat_id: IdPath, body: S.ChatPatch, agent: CurrentAgent,
                     hub: HubDep) -> S.Chat:
    return await chat_ops.patch(hub, agent, chat_id, body)


@router.post("/{chat_id}/close", response_model=S.Chat, responses=ERRORS)
async def close(chat_id: IdPath, agent: CurrentAgent, hub: HubDep,
                body: S.CloseRequest | None = None) -> S.Chat:
    return await chat_ops.close(hub, agent, chat_id, body.reason if body else "")


@router.post("/{chat_id}/forward", response_model=S.Chat, responses=ERRORS)
async def forward(chat_id: IdPath, body: S.ForwardRequest, agent: CurrentAgent,
                  hub: HubDep) -> S.Chat:
    """To a department with online agents (else 409 ``conflict``). Nobody taking it within the
    forward window sends it back (``chat.forward_returned``)."""
    return await chat_ops.forward(hub, agent, chat_id, body)

"""``/api/v1/visitor/ws``: the widget's socket (see supportdesk_protocol.events).

The visitor token (from ``POST /api/v1/visitor/session``) is the only credential; a socket can
touch only the chats of its visitor. Every frame is validated; a bad frame gets an ``error``
frame and the socket stays open; a frame over 64 KiB closes it with 1009.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from fastapi import WebSocket
from sqlalchemy import select
from starlette.websockets import WebSocketDisconnect, WebSocketState

from supportdesk_protocol import events as E
from supportdesk_protocol import limits as L
from supportdesk_server.api.deps import client_ip
from supportdesk_server.auth import token_hash
from supportdesk_server.errors import ApiError
from supportdesk_server.realtime.common import (
    AUTH_TIMEOUT_SECONDS,
    CLOSE_TOO_BIG,
    CLOSE_UNAUTHORIZED,
    FrameError,
    TooBig,
    close_after_failure,
    parse_frame,
    receive_json,
)
from supportdesk_server.realtime.sockets import Outbox
from supportdesk_server.services import chats as ops
from supportdesk_server.services import client_area
from supportdesk_server.services.snapshots import (
    departments_with_counts,
    visitor_chat,
    visitor_message,
)
from supportdesk_server.store import models as M
from supportdesk_server.store.db import db_fault

log = logging.getLogger(__name__)


async def _refuse(ws: WebSocket, message: str, code: str = "unauthorized",
                  close_code: int = CLOSE_UNAUTHORIZED) -> None:
    with contextlib.suppress(Exception):
        await ws.send_text(E.ErrorFrame(code=code, message=message).model_dump_json())
        await ws.close(close_code, message[:120])


async def visitor_socket(ws: WebSocket) -> None:
    hub = ws.app.state.hub
    await ws.accept()
    try:
        data = await asyncio.wait_for(receive_json(ws), AUTH_TIMEOUT_SECONDS)
        hello = parse_frame(E.visitor_client_frame, data)
    except asyncio.TimeoutError:
        await _refuse(ws, f"no hello frame within {AUTH_TIMEOUT_SECONDS:.0f} seconds")
        return
    except WebSocketDisconnect:
        return
    except TooBig:
        await _refuse(ws, "frame too large", "payload_too_large", CLOSE_TOO_BIG)
        return
    except FrameError as exc:
        await _refuse(ws, f"the first frame must be hello ({exc.message})")
        return
    if not isinstance(hello, E.HelloFrame):
        await _refuse(ws, "the first frame must be hello")
        return
    async with hub.write() as tx:
        visitor = await tx.session.scalar(
            select(M.Visitor).where(M.Visitor.token_hash == token_hash(hello.visitor_token)))
        if visitor is not None:
            visitor.last_seen = M.utcnow()
    if visitor is None:
        await _refuse(ws, "unknown visitor token; ask POST /api/v1/visitor/session for one")
        return
    visitor_id = visitor.id
    info: dict[str, Any] = {
        "ip": client_ip(ws, hub.settings.trusted_proxies),
        "user_agent": ws.headers.get("user-agent", "")[:L.MAX_USER_AGENT],
        "page_url": hello.page_url, "page_title": hello.page_title, "referrer": hello.referrer,
        "language": hello.language, "timezone_offset_minutes": hello.timezone_offset_minutes,
    }

    outbox = Outbox()
    hub.visitor_sockets.add(visitor_id, outbox)   # before reading history: nothing is missed
    tasks: list[asyncio.Task] = []
    try:
        await ops.visitor_info_update(hub, visitor_id, info)
        async with hub.read() as session:
            chat = await ops.open_chat_of(session, visitor_id)
            view = await visitor_chat(session, chat) if chat else None
            departments = await departments_with_counts(session)
            history = []
            if chat is not None:
                history = list((await session.scalars(
                    select(M.ChatMessage).where(M.ChatMessage.chat_id == chat.id,
                                                M.ChatMessage.seq > min(hello.after_seq,
                                                                        2**31 - 1))
                    .order_by(M.ChatMessage.seq))).all())
            # the agent asked to log in while this visitor was away (page reload, navigation,
            # lost link): ask again right after the replay, so the widget shows the form
            prompt = await client_area.outstanding_prompt(session, chat)
        await ws.send_text(E.WelcomeFrame(visitor_id=visitor_id, chat=view,
                                          departments=departments).model_dump_json())
        sent: tuple[int, int] | None = None
        for msg in history:
            await ws.send_text(E.VisitorMessageOut(message=visitor_message(msg)).model_dump_json())
            sent = (msg.chat_id, msg.seq)
        if prompt is not None:
            await ws.send_text(prompt.model_dump_json())
        tasks = [asyncio.create_task(_writer(ws, outbox, sent)),
                 asyncio.create_task(_reader(ws, hub, visitor_id, info, outbox))]
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if not task.cancelled() and task.exception() is not None:
                exc = task.exception()
                if not isinstance(exc, (WebSocketDisconnect, RuntimeError, OSError)):
                    log.error("visitor socket task failed", exc_info=exc)
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass
    except Exception as exc:  # a bug (1011) or the database failed (1013)
        await close_after_failure(ws, exc, "visitor socket")
    finally:
        hub.visitor_sockets.remove(visitor_id, outbox)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):
                await task
        if ws.application_state != WebSocketState.DISCONNECTED:
            with contextlib.suppress(Exception):
                await ws.close(1000)


async def _writer(ws: WebSocket, outbox: Outbox, history_end: tuple[int, int] | None) -> None:
    while True:
        kind, value = await outbox.get()
        if kind == "text":
            await ws.send_text(value)
        elif kind == "message":
            chat_id, seq, text = value
            if history_end is not None and chat_id == history_end[0] and seq <= history_end[1]:
                continue   # already in the history this socket sent
            await ws.send_text(text)
        elif kind == "close":
            code, reason = value
            await ws.close(code, reason)
            return


def _error(outbox: Outbox, frame: Any, code: str, message: str, details: Any = None) -> None:
    """An error caused by ``frame``: carries its ``client_msg_id`` back (when it has one)."""
    outbox.put(E.ErrorFrame(code=code, message=message, details=details,
                            client_msg_id=getattr(frame, "client_msg_id", None)))


async def _reader(ws: WebSocket, hub, visitor_id: str, info: dict[str, Any],  # noqa: ANN001
                  outbox: Outbox) -> None:
    last_typing: tuple[bool, float] | None = None
    while True:
        try:
            data = await receive_json(ws)
            frame = parse_frame(E.visitor_client_frame, data)
        except TooBig:
            outbox.close(CLOSE_TOO_BIG, "frame too large")
            await asyncio.Event().wait()
        except FrameError as exc:
            outbox.put(exc.frame())
            continue
        if isinstance(frame, E.VisitorTypingFrame):
            # The widget repeats "typing: true" every couple of seconds; one event per state
            # change (or per interval) is enough for the agent and keeps the log small.
            now = time.monotonic()
            if last_typing is not None and last_typing[0] == frame.typing \
                    and now - last_typing[1] < L.TYPING_MIN_INTERVAL_SECONDS / 2:
                continue
            last_typing = (frame.typing, now)
        try:
            await _handle(hub, visitor_id, info, outbox, frame)
        except ApiError as exc:
            _error(outbox, frame, exc.code, exc.message, exc.details)
        except Exception as exc:  # a bug, or the database failed; an error frame, and go on
            fault = db_fault(exc)
            if fault is not None:   # locked / disk full: not a bug; resend later, same id
                log.error("visitor frame %r: %s", getattr(frame, "op", "?"), fault.code)
                _error(outbox, frame, fault.code, fault.message,
                       {"retry_after": fault.retry_after})
                continue
            log.exception("visitor frame %r failed", getattr(frame, "op", "?"))
            _error(outbox, frame, "internal_error", "internal server error (this is a bug)")


def _rate_limited(hub, visitor_id: str, outbox: Outbox, frame: Any) -> bool:  # noqa: ANN001
    wait = hub.visitor_limiter.retry_after(visitor_id)
    if wait > 0:
        _error(outbox, frame, "rate_limited", "too many messages; slow down",
               {"retry_after": max(1, int(wait + 0.999))})
        return True
    hub.visitor_limiter.hit(visitor_id)
    return False


async def _handle(hub, visitor_id: str, info: dict[str, Any], outbox: Outbox,  # noqa: ANN001
                  frame: Any) -> None:
    sockets = hub.visitor_sockets
    if isinstance(frame, E.VisitorPingFrame):
        outbox.put(E.PongFrame(nonce=frame.nonce))
    elif isinstance(frame, E.StartFrame):
        if _rate_limited(hub, visitor_id, outbox, frame):
            return
        chat, msg, view, created = await ops.visitor_start(hub, visitor_id, frame, info)
        sockets.send(visitor_id, E.VisitorChatFrame(chat=view))
        vm = visitor_message(msg)
        outbox.put(E.AckFrame(client_msg_id=frame.client_msg_id, message=vm))
        sockets.send_message(visitor_id, chat.id, E.VisitorMessageOut(message=vm), exclude=outbox)
    elif isinstance(frame, E.VisitorMessageFrame):
        if _rate_limited(hub, visitor_id, outbox, frame):
            return
        chat, msg, created = await ops.visitor_send(hub, visitor_id, frame)
        vm = visitor_message(msg)
        outbox.put(E.AckFrame(client_msg_id=frame.client_msg_id, message=vm))
        if created:
            sockets.send_message(visitor_id, chat.id, E.VisitorMessageOut(message=vm),
                                 exclude=outbox)
    elif isinstance(frame, E.VisitorTypingFrame):
        await ops.visitor_typing(hub, visitor_id, frame.typing)
    elif isinstance(frame, E.PageFrame):
        info.update(page_url=frame.url, page_title=frame.title, referrer=frame.referrer)
        # a flood of page frames must not become a flood of writes and agent events: past the
        # limit the page is only remembered here and written with the next allowed frame
        if hub.visitor_page_limiter.retry_after(visitor_id) > 0:
            return
        hub.visitor_page_limiter.hit(visitor_id)
        await ops.visitor_info_update(hub, visitor_id, info)
    elif isinstance(frame, E.VisitorCloseFrame):
        if await ops.visitor_close(hub, visitor_id) is None:
            _error(outbox, frame, "conflict", "no open chat to close")
    elif isinstance(frame, E.VisitorLoginFrame):
        outbox.put(await client_area.visitor_login(hub, visitor_id, frame, info["ip"]))
    elif isinstance(frame, E.VisitorRegisterFrame):
        outbox.put(await client_area.visitor_register(hub, visitor_id, frame, info["ip"]))
    elif isinstance(frame, E.VisitorAuthDismissedFrame):
        if _rate_limited(hub, visitor_id, outbox, frame):
            return
        await client_area.visitor_dismiss(hub, visitor_id)
    elif isinstance(frame, E.HelloFrame):
        _error(outbox, frame, "bad_request", "hello was already received")

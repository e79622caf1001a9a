"""``/api/v1/agent/ws``: auth, ready/reset, replay after ``resume_after``, then live.

No gap, no duplicate: the socket subscribes to the bus BEFORE it reads the backlog; live events
collect in its outbox meanwhile; the backlog is sent from the database; then the outbox is
drained, skipping every seq already sent. Events are published in seq order (see eventlog.py),
so everything stays in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketDisconnect, WebSocketState

from supportdesk_protocol import events as E
from supportdesk_protocol import limits as L
from supportdesk_server.auth import AgentContext, agent_for_token, agent_schema, context_for
from supportdesk_server.realtime.bus import StoredEvent
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
from supportdesk_server.store import models as M

log = logging.getLogger(__name__)
router = APIRouter()


async def _refuse(ws: WebSocket, message: str, code: str = "unauthorized",
                  close_code: int = CLOSE_UNAUTHORIZED) -> None:
    with contextlib.suppress(Exception):
        await ws.send_text(E.ErrorFrame(code=code, message=message).model_dump_json())
        await ws.close(close_code, message[:120])


@router.websocket("/api/v1/agent/ws")
async def agent_socket(ws: WebSocket) -> None:
    hub = ws.app.state.hub
    await ws.accept()
    try:
        data = await asyncio.wait_for(receive_json(ws), AUTH_TIMEOUT_SECONDS)
        frame = parse_frame(E.agent_client_frame, data)
    except asyncio.TimeoutError:
        await _refuse(ws, f"no auth frame within {AUTH_TIMEOUT_SECONDS:.0f} seconds")
        return
    except WebSocketDisconnect:
        return
    except TooBig:
        await _refuse(ws, "frame too large", "payload_too_large", CLOSE_TOO_BIG)
        return
    except FrameError as exc:
        await _refuse(ws, f"the first frame must be auth ({exc.message})")
        return
    if not isinstance(frame, E.AuthFrame):
        await _refuse(ws, "the first frame must be auth")
        return
    async with hub.read() as session:
        found = await agent_for_token(session, frame.token)
        if found is None:
            await _refuse(ws, "invalid, expired or revoked token")
            return
        agent_row, tok = found
        agent_out = agent_schema(agent_row)
        ctx = context_for(agent_row, tok)

    outbox = Outbox()
    hub.agent_sockets.add(ctx.token_hash, outbox)
    depts = ctx.department_ids

    def on_event(ev: StoredEvent) -> None:
        if ev.visible_to(ctx.id, depts, ctx.is_admin):
            outbox.put_item("event", ev)

    unsubscribe = hub.bus.subscribe(on_event)
    tasks: list[asyncio.Task] = []
    try:
        last_seq = hub.events.last_seq
        resume = frame.resume_after
        gap = False
        if resume is not None:
            oldest = await hub.events.oldest_seq()
            gap = resume > last_seq or (oldest is not None and resume < oldest - 1)
        if resume is None or gap:
            if gap:
                await ws.send_text(E.ResetFrame(agent=agent_out, last_seq=last_seq,
                                                reason="gap").model_dump_json())
            else:
                await ws.send_text(E.ReadyFrame(agent=agent_out, last_seq=last_seq,
                                                resumed=False).model_dump_json())
            last_sent = last_seq
        else:
            await ws.send_text(E.ReadyFrame(agent=agent_out, last_seq=last_seq,
                                            resumed=True).model_dump_json())
            last_sent = await _replay(ws, hub, ctx, resume)
        tasks = [asyncio.create_task(_writer(ws, outbox, last_sent)),
                 asyncio.create_task(_reader(ws, outbox))]
        if ctx.token_expires_at is not None:
            tasks.append(asyncio.create_task(_expire(outbox, ctx)))
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if not task.cancelled() and task.exception() is not None:
                exc = task.exception()
                if not isinstance(exc, (WebSocketDisconnect, RuntimeError, OSError)):
                    log.error("agent socket task failed", exc_info=exc)
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass
    except Exception as exc:  # a bug (1011) or the database failed (1013)
        await close_after_failure(ws, exc, "agent socket")
    finally:
        unsubscribe()
        hub.agent_sockets.remove(ctx.token_hash, outbox)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):
                await task
        if ws.application_state != WebSocketState.DISCONNECTED:
            with contextlib.suppress(Exception):
                await ws.close(1000)


async def _replay(ws: WebSocket, hub, ctx: AgentContext, after: int) -> int:  # noqa: ANN001
    last_sent = after
    cursor = after
    while True:
        batch = await hub.events.read_after(cursor, L.RESUME_BATCH)
        if not batch:
            return last_sent
        for ev in batch:
            if ev.visible_to(ctx.id, ctx.department_ids, ctx.is_admin):
                await ws.send_text(ev.frame)
                last_sent = ev.seq
        cursor = batch[-1].seq


async def _writer(ws: WebSocket, outbox: Outbox, last_sent: int) -> None:
    while True:
        kind, value = await outbox.get()
        if kind == "event":
            if value.seq <= last_sent:
                continue   # already sent by the replay
            await ws.send_text(value.frame)
            last_sent = value.seq
        elif kind == "text":
            await ws.send_text(value)
        elif kind == "error":
            code, message = value
            await ws.send_text(E.ErrorFrame(code=code, message=message).model_dump_json())
        elif kind == "close":
            code, reason = value
            await ws.close(code, reason)
            return


async def _reader(ws: WebSocket, outbox: Outbox) -> None:
    while True:
        try:
            data = await receive_json(ws)
            frame = parse_frame(E.agent_client_frame, data)
        except TooBig:
            outbox.close(CLOSE_TOO_BIG, "frame too large")
            await asyncio.Event().wait()   # the writer sends the close and ends the socket
        except FrameError as exc:
            outbox.put(exc.frame())
            continue
        if isinstance(frame, E.PingFrame):
            outbox.put(E.PongFrame(nonce=frame.nonce))
        else:
            outbox.put(E.ErrorFrame(code="bad_request", message="already authenticated"))


async def _expire(outbox: Outbox, ctx: AgentContext) -> None:
    assert ctx.token_expires_at is not None
    delay = (ctx.token_expires_at - M.utcnow()).total_seconds()
    await asyncio.sleep(max(0.0, delay))
    outbox.put_item("error", ("unauthorized", "token expired"))
    outbox.close(CLOSE_UNAUTHORIZED, "token expired")
    await asyncio.Event().wait()   # let the writer send the close

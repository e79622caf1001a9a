"""The FastAPI application: routers, error handlers, body limit, background tasks."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import FastAPI

from supportdesk_server.config import server_version
from supportdesk_server.errors import BodySizeLimitMiddleware, install_error_handlers
from supportdesk_server.openapi import install_openapi
from supportdesk_server.realtime.origin import WidgetOriginMiddleware
from supportdesk_server.services import chats as chat_ops
from supportdesk_server.services.runtime import Hub
from supportdesk_server.store import models as M

log = logging.getLogger(__name__)


async def _forward_returner(hub: Hub) -> None:
    """Return forwarded chats nobody took by their deadline. Deadlines live in the database, so
    they survive a restart; the loop sleeps until the next one (or until a new forward)."""
    while True:
        try:
            await chat_ops.return_overdue_forwards(hub)
            nxt = await chat_ops.next_forward_deadline(hub)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("returning forwarded chats failed")
            nxt = None
        delay = 30.0 if nxt is None else max(0.05, (nxt - M.utcnow()).total_seconds() + 0.01)
        hub.forward_wakeup.clear()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(hub.forward_wakeup.wait(), min(delay, 30.0))


async def _pruner(hub: Hub) -> None:
    s = hub.settings
    while True:
        try:
            await hub.events.prune(max_age_seconds=s.event_retention_seconds,
                                   keep_newest=s.event_retention_count)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("pruning the event log failed")
        await asyncio.sleep(s.prune_interval_seconds)


def create_app(hub: Hub) -> FastAPI:
    """``hub`` must be ready (migrated database, ``hub.events.load()`` done)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(_forward_returner(hub), name="forward-returner"),
                 asyncio.create_task(_pruner(hub), name="event-pruner")]
        app.state.background = tasks
        try:
            yield
        finally:
            hub.shutting_down = True
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(BaseException):
                    await task

    app = FastAPI(title="SupportDesk reference server", version=server_version(),
                  summary="HTTP + WebSocket protocol v1 (see docs/protocol.md)",
                  lifespan=lifespan, docs_url="/docs", redoc_url=None)
    app.state.hub = hub
    install_error_handlers(app)
    install_openapi(app)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=hub.settings.max_body_bytes)
    app.add_middleware(WidgetOriginMiddleware, allowed=hub.settings.widget_origins)

    from supportdesk_server.api import routers
    from supportdesk_server.realtime.agent_ws import router as agent_ws_router

    for router in routers():
        app.include_router(router)
    app.include_router(agent_ws_router)
    try:
        from supportdesk_server.widget import router as widget_router
    except ImportError as exc:  # the widget package is developed separately
        log.warning("visitor widget not available: %s", exc)
    else:
        app.include_router(widget_router)
    return app

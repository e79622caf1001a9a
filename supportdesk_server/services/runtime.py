"""The server's runtime: settings, database, event log, socket registries and the write unit.

``Hub.write()`` is the one way to change data: it takes the event-log lock, opens a session, lets
the caller change rows and ``emit`` events, inserts those events in the same transaction, commits,
then publishes the events and runs after-commit actions (pushes to visitor sockets). One lock for
all writes keeps seqs ordered and also matches SQLite's single writer.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict, deque
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Awaitable, Callable

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from supportdesk_server.config import Settings
from supportdesk_server.realtime.bus import EventBus
from supportdesk_server.realtime.eventlog import EventLog
from supportdesk_server.realtime.sockets import AgentSockets, VisitorSockets

log = logging.getLogger(__name__)

AfterCommit = Callable[[], Awaitable[None] | None]


@dataclass
class Tx:
    session: AsyncSession
    events: list[tuple[str, list[str], dict[str, Any]]] = field(default_factory=list)
    after: list[AfterCommit] = field(default_factory=list)

    def emit(self, type_: str, audience: list[str] | set[str], data: BaseModel | dict[str, Any]
             ) -> None:
        payload = data.model_dump(mode="json") if isinstance(data, BaseModel) else data
        self.events.append((type_, sorted(audience), payload))

    def after_commit(self, action: AfterCommit) -> None:
        self.after.append(action)


class RateLimiter:
    """Sliding-window counter per key, in memory."""

    def __init__(self, max_hits: int, window_seconds: float) -> None:
        self.max_hits = max_hits
        self.window = window_seconds
        self._hits: dict[Any, deque[float]] = defaultdict(deque)

    def _trim(self, key: Any, now: float) -> deque[float]:
        hits = self._hits[key]
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if not hits:
            self._hits.pop(key, None)
            hits = self._hits[key]
        return hits

    def retry_after(self, key: Any) -> float:
        """Seconds until ``key`` may try again; 0 when allowed now."""
        now = time.monotonic()
        hits = self._trim(key, now)
        if len(hits) < self.max_hits:
            if not hits:
                self._hits.pop(key, None)
            return 0.0
        return hits[0] + self.window - now

    def hit(self, key: Any) -> None:
        now = time.monotonic()
        self._trim(key, now).append(now)
        if len(self._hits) > 100_000:  # bound memory under a flood of distinct keys
            for k in list(self._hits)[:50_000]:
                self._hits.pop(k, None)

    def reset(self, key: Any) -> None:
        self._hits.pop(key, None)


class Hub:
    def __init__(self, settings: Settings, engine: AsyncEngine,
                 sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.settings = settings
        self.engine = engine
        self.sessionmaker = sessionmaker
        self.bus = EventBus()
        self.events = EventLog(sessionmaker, self.bus)
        self.visitor_sockets = VisitorSockets()
        self.agent_sockets = AgentSockets()
        self.login_limiter = RateLimiter(settings.login_max_failures, settings.login_window_seconds)
        self.visitor_limiter = RateLimiter(settings.visitor_max_messages,
                                           settings.visitor_window_seconds)
        # per address, whatever the username (password spraying); new visitors per address
        self.login_ip_limiter = RateLimiter(max(20, 4 * settings.login_max_failures),
                                            settings.login_window_seconds)
        self.visitor_session_limiter = RateLimiter(settings.visitor_sessions_per_minute, 60.0)
        self.visitor_page_limiter = RateLimiter(20, 10.0)   # page frames written per visitor
        self.forward_wakeup = asyncio.Event()
        self.shutting_down = False

    @asynccontextmanager
    async def write(self) -> AsyncIterator[Tx]:
        async with self.events.lock:
            async with self.sessionmaker() as session:
                tx = Tx(session)
                yield tx
                published = await self.events.insert(session, tx.events)
                await session.commit()
            self.events.published(published)
        for action in tx.after:
            try:
                result = action()
                if asyncio.iscoroutine(result):
                    await result
            except Exception:
                log.exception("after-commit action failed")

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self.sessionmaker() as session:
            yield session

"""The agent event log: append (serialised, in the caller's transaction), read back, prune.

``seq`` is the primary key of ``events``. Appends happen under one asyncio lock held from insert to
commit to publish, so seqs become visible (committed and published) strictly in order and a
socket that subscribed before reading the backlog can merge both without gap or duplicate.
This is correct for ONE server process. Several processes need a cross-process ordering point
(e.g. Redis INCR + pub/sub, or a PostgreSQL advisory lock + LISTEN/NOTIFY) — later.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from supportdesk_server.realtime.bus import EventBus, StoredEvent
from supportdesk_server.store.models import Event, utcnow

log = logging.getLogger(__name__)


class EventLog:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], bus: EventBus) -> None:
        self.sessionmaker = sessionmaker
        self.bus = bus
        self.lock = asyncio.Lock()   # serialises every write transaction that appends events
        self.last_seq = 0            # newest committed seq (published)

    async def load(self) -> None:
        async with self.sessionmaker() as session:
            self.last_seq = int(await session.scalar(select(func.max(Event.seq))) or 0)

    @staticmethod
    async def insert(session: AsyncSession, pending: list[tuple[str, list[str], dict[str, Any]]]
                     ) -> list[StoredEvent]:
        """Insert ``pending`` events in the session's transaction (caller holds ``lock``)."""
        rows = []
        now = utcnow()
        for type_, audience, data in pending:
            row = Event(type=type_, ts=now, audience=sorted(set(audience)), data=data)
            session.add(row)
            rows.append(row)
        if rows:
            await session.flush()
        return [StoredEvent.build(r.seq, r.type, r.ts, r.audience, r.data) for r in rows]

    def published(self, events: list[StoredEvent]) -> None:
        """After commit (still under ``lock``): advance ``last_seq`` and fan out."""
        for ev in events:
            self.last_seq = max(self.last_seq, ev.seq)
            self.bus.publish(ev)

    async def read_after(self, after: int, limit: int) -> list[StoredEvent]:
        async with self.sessionmaker() as session:
            rows = (await session.scalars(
                select(Event).where(Event.seq > after).order_by(Event.seq).limit(limit))).all()
        return [StoredEvent.build(r.seq, r.type, r.ts, r.audience, r.data) for r in rows]

    async def oldest_seq(self) -> int | None:
        async with self.sessionmaker() as session:
            value = await session.scalar(select(func.min(Event.seq)))
        return int(value) if value is not None else None

    async def prune(self, *, max_age_seconds: float, keep_newest: int) -> int:
        """Delete events that are older than ``max_age_seconds`` AND not among the newest
        ``keep_newest``. The newest event is always kept, so seqs never restart."""
        keep_newest = max(1, keep_newest)
        async with self.lock:
            async with self.sessionmaker() as session:
                newest = await session.scalar(select(func.max(Event.seq)))
                if newest is None:
                    return 0
                boundary = int(newest) - keep_newest + 1
                cutoff: datetime = utcnow() - timedelta(seconds=max_age_seconds)
                result = await session.execute(
                    delete(Event).where(Event.seq < boundary, Event.ts < cutoff))
                await session.commit()
        deleted = result.rowcount or 0
        if deleted:
            log.info("pruned %d events from the event log", deleted)
        return deleted

"""The client outbox: every outgoing message is on disk before it is sent (issue 6).

Qt-free. One SQLite file per server + agent in the data dir (``outbox-<hash>.sqlite3``, WAL,
``synchronous=FULL``): a row per message with the client-generated ``client_msg_id``
(core/ids.py), the text, when it was written, how many attempts failed, the last error and its
state:

* ``pending``: written, not yet confirmed by the server (being sent, or waiting to be retried);
* ``sent``: the server answered 200/201 (kept a few days for diagnosis, then pruned);
* ``failed-permanent``: the server refused it (422 validation, 404 chat gone, 409 chat closed,
  403); ``last_error`` is the server's sentence. The agent retries (same ``client_msg_id``) or
  discards it.

Delivery: one worker task per conversation (``kind`` + ``target_id``) sends that conversation's
pending rows oldest first, one at a time, so order is kept. A retryable error
(``backend.base.is_retryable``: network, 5xx, 429) leaves the row pending and the worker waits
(exponential backoff with jitter, or ``Retry-After``) — or less, when :meth:`Outbox.flush` wakes it
on reconnect. :meth:`flush` starts workers for every conversation with pending rows and waits
until each row is delivered or failed for good: the app calls it after sign-in and whenever the
event stream is (re)connected.

Exactly once: the row is written (and committed) before the first attempt, and marked ``sent``
only after the server's answer; a crash in between leaves it ``pending`` and it is sent again
with the same ``client_msg_id``, which the server de-duplicates (docs/protocol.md: 200 "already
stored"). So every message written is stored by the server once, whatever fails in between.

SQLite runs on one dedicated thread (a single-worker executor): the GUI thread never waits on the
disk, the connection stays on the thread that made it, and writes are serialised by construction.

``kind`` says what a row is: ``chat_message`` (``target_id`` = chat id), ``ticket_reply`` and
``ticket_note`` (``target_id`` = ticket id); each kind has a sender (:attr:`Outbox.SENDERS`). The
existing ``kind`` column holds them, so older outbox files need no migration.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import sqlite3
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from pathlib import Path
from typing import Any

from supportdesk_qt.backend.base import AuthError, Backend, BackendError, RateLimited, is_retryable
from supportdesk_qt.core.ids import new_client_msg_id

log = logging.getLogger("supportdesk.outbox")

CHAT_MESSAGE = "chat_message"
TICKET_REPLY = "ticket_reply"   # a staff reply on a ticket (the ``kind`` column needs no migration)
TICKET_NOTE = "ticket_note"     # an internal note on a ticket
SCHEMA_VERSION = 1
KEEP_SENT = timedelta(days=3)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,  -- write order (= send order per target)
    kind          TEXT    NOT NULL,                   -- chat_message (ticket_reply, note later)
    target_id     INTEGER NOT NULL,                   -- chat id for chat_message
    client_msg_id TEXT    NOT NULL UNIQUE,
    text          TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,                   -- ISO 8601, UTC
    attempts      INTEGER NOT NULL DEFAULT 0,         -- failed attempts so far
    last_error    TEXT    NOT NULL DEFAULT '',
    state         TEXT    NOT NULL DEFAULT 'pending', -- pending | sent | failed-permanent
    updated_at    TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_by_target ON outbox (state, kind, target_id, seq);
"""


class OutboxState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed-permanent"


class OutboxClosed(RuntimeError):
    """The outbox was closed (sign-out, shutdown)."""


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    seq: int
    kind: str
    target_id: int
    client_msg_id: str
    text: str
    created_at: datetime
    attempts: int
    last_error: str
    state: OutboxState

    @property
    def chat_id(self) -> int:
        return self.target_id


#: Called on the event loop's thread whenever an entry changes: (entry, result). ``result`` is the
#: server's answer (a ``ChatMessage`` for chat messages) when the entry turned ``sent``, else None.
Listener = Callable[[OutboxEntry, Any], None]

_COLUMNS = "seq, kind, target_id, client_msg_id, text, created_at, attempts, last_error, state"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _entry(row: tuple | None) -> OutboxEntry | None:
    if row is None:
        return None
    seq, kind, target, cid, text, created, attempts, error, state = row
    return OutboxEntry(int(seq), kind, int(target), cid, text, datetime.fromisoformat(created),
                       int(attempts), error, OutboxState(state))


# -- SQL, run on the outbox thread only ------------------------------------------------------------

def _insert(db: sqlite3.Connection, kind: str, target: int, cid: str, text: str,
            created: datetime) -> OutboxEntry:
    with db:
        db.execute("INSERT INTO outbox (kind, target_id, client_msg_id, text, created_at, "
                   "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                   (kind, target, cid, text, created.isoformat(), _now().isoformat()))
    return _get(db, cid)


def _get(db: sqlite3.Connection, cid: str) -> OutboxEntry | None:
    return _entry(db.execute(f"SELECT {_COLUMNS} FROM outbox WHERE client_msg_id = ?",
                             (cid,)).fetchone())


def _select(db: sqlite3.Connection, kind: str, target: int | None,
            states: tuple[str, ...]) -> list[OutboxEntry]:
    marks = ",".join("?" * len(states))
    sql = f"SELECT {_COLUMNS} FROM outbox WHERE kind = ? AND state IN ({marks})"
    args: list[Any] = [kind, *states]
    if target is not None:
        sql += " AND target_id = ?"
        args.append(target)
    return [_entry(r) for r in db.execute(sql + " ORDER BY seq", args)]


def _oldest_pending(db: sqlite3.Connection, kind: str, target: int) -> OutboxEntry | None:
    return _entry(db.execute(
        f"SELECT {_COLUMNS} FROM outbox WHERE state = 'pending' AND kind = ? AND target_id = ? "
        "ORDER BY seq LIMIT 1", (kind, target)).fetchone())


def _pending_targets(db: sqlite3.Connection) -> list[tuple[str, int]]:
    return [(k, int(t)) for k, t in db.execute(
        "SELECT kind, target_id FROM outbox WHERE state = 'pending' "
        "GROUP BY kind, target_id ORDER BY MIN(seq)")]


def _update(db: sqlite3.Connection, cid: str, sql_set: str, args: tuple,
            where: str = "") -> OutboxEntry | None:
    with db:
        cur = db.execute(f"UPDATE outbox SET {sql_set}, updated_at = ? WHERE client_msg_id = ?"
                         + where, (*args, _now().isoformat(), cid))
    return _get(db, cid) if cur.rowcount else None


def _delete(db: sqlite3.Connection, cid: str) -> bool:
    with db:
        return db.execute("DELETE FROM outbox WHERE client_msg_id = ? AND state != 'sent'",
                          (cid,)).rowcount > 0


def _send_chat_message(backend: Backend, entry: OutboxEntry) -> Awaitable[Any]:
    return backend.send_message(entry.target_id, entry.text, entry.client_msg_id)


def _send_ticket_reply(backend: Backend, entry: OutboxEntry) -> Awaitable[Any]:
    return backend.add_ticket_post(entry.target_id, "staff", entry.text, entry.client_msg_id)


def _send_ticket_note(backend: Backend, entry: OutboxEntry) -> Awaitable[Any]:
    return backend.add_ticket_post(entry.target_id, "note", entry.text, entry.client_msg_id)


class Outbox:
    """Outgoing messages of one agent on one server, persisted before they are sent."""

    #: How each kind is delivered: ``(backend, entry) -> awaitable result``. Idempotent by
    #: ``entry.client_msg_id`` on the server, or the outbox cannot promise exactly-once.
    SENDERS: dict[str, Callable[[Backend, OutboxEntry], Awaitable[Any]]] = {
        CHAT_MESSAGE: _send_chat_message,
        TICKET_REPLY: _send_ticket_reply,      # target_id = ticket id; answer: TicketPost
        TICKET_NOTE: _send_ticket_note,
    }

    def __init__(self, path: Path | str, backend: Backend | None = None, *,
                 backoff_base: float = 0.5, backoff_cap: float = 15.0,
                 keep_sent: timedelta = KEEP_SENT) -> None:
        self.path = Path(path)
        self.backend = backend
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.keep_sent = keep_sent
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox")
        self._db: sqlite3.Connection | None = None        # lives on the executor's thread
        self._workers: dict[tuple[str, int], asyncio.Task[None]] = {}
        self._wake: dict[tuple[str, int], asyncio.Event] = {}
        self._listeners: list[Listener] = []
        self._closed = False

    @staticmethod
    def path_for(server_url: str, login: str, directory: Path | None = None) -> Path:
        """``<data dir>/outbox-<hash>.sqlite3``: one file per server + agent login."""
        if directory is None:
            from supportdesk_qt.core import paths

            directory = paths.data_dir()
        key = f"{server_url.rstrip('/').lower()}\n{login}".encode()
        return Path(directory) / f"outbox-{hashlib.sha256(key).hexdigest()[:16]}.sqlite3"

    @classmethod
    def for_account(cls, server_url: str, login: str, backend: Backend | None = None,
                    **kwargs: Any) -> Outbox:
        return cls(cls.path_for(server_url, login), backend, **kwargs)

    # -- the database thread

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        db = sqlite3.connect(self.path, isolation_level=None, timeout=10.0)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")          # a committed message survives power loss
        db.executescript(_SCHEMA)
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        cutoff = (_now() - self.keep_sent).isoformat()
        with db:
            db.execute("DELETE FROM outbox WHERE state = 'sent' AND updated_at < ?", (cutoff,))
        return db

    def _call(self, fn: Callable[..., Any], args: tuple) -> Any:
        if self._db is None:
            self._db = self._connect()
        return fn(self._db, *args)

    async def _run(self, fn: Callable[..., Any], *args: Any) -> Any:
        if self._closed:
            raise OutboxClosed("the outbox is closed")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._call, fn, args)

    # -- listeners

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(entry, result)`` on every change; returns the unsubscribe function."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)
        return unsubscribe

    def _notify(self, entry: OutboxEntry, result: Any = None) -> None:
        for listener in list(self._listeners):
            try:
                listener(entry, result)
            except Exception:
                log.exception("outbox listener failed")

    # -- writing and reading

    async def add(self, target_id: int, text: str, *, kind: str = CHAT_MESSAGE,
                  client_msg_id: str | None = None, created_at: datetime | None = None,
                  deliver: bool = True) -> OutboxEntry:
        """Write a message (committed to disk when this returns), then start delivering it.

        Raises ``sqlite3.Error``/``OSError`` when it could not be written: then nothing was sent
        and the caller keeps the text."""
        if kind not in self.SENDERS:
            raise ValueError(f"unknown outbox kind {kind!r}")
        entry = await self._run(_insert, kind, int(target_id), client_msg_id or new_client_msg_id(),
                                text, created_at or _now())
        self._notify(entry)
        if deliver:
            self._ensure_worker((kind, entry.target_id))
        return entry

    async def get(self, client_msg_id: str) -> OutboxEntry | None:
        return await self._run(_get, client_msg_id)

    async def entries(self, target_id: int | None = None, *, kind: str = CHAT_MESSAGE,
                      states: tuple[OutboxState, ...] = (OutboxState.PENDING, OutboxState.FAILED),
                      ) -> list[OutboxEntry]:
        """Entries (by default the unsent ones) in write order."""
        return await self._run(_select, kind, target_id, tuple(str(s) for s in states))

    async def retry(self, client_msg_id: str) -> bool:
        """A failed message goes back to pending (same ``client_msg_id``) and is sent again."""
        entry = await self._run(_update, client_msg_id, "state = 'pending', last_error = ''", (),
                                " AND state = 'failed-permanent'")
        if entry is None:
            return False
        self._notify(entry)
        self._ensure_worker((entry.kind, entry.target_id))
        return True

    async def discard(self, client_msg_id: str) -> bool:
        """Forget an unsent message (the agent gave up on it)."""
        return await self._run(_delete, client_msg_id)

    # -- delivering

    async def flush(self) -> None:
        """Send every pending message (per conversation oldest first) until each is delivered or
        failed for good. Workers already running are woken (their backoff wait ends at once)."""
        try:
            targets = await self._run(_pending_targets)
        except OutboxClosed:
            return                                # signed out meanwhile: next session's flush
        for key in targets:
            self._ensure_worker(key)
        for event in self._wake.values():
            event.set()
        workers = [t for t in self._workers.values() if not t.done()]
        if workers:
            # shielded: cancelling a flush (a tab closing, a newer flush) must not stop delivery
            await asyncio.shield(asyncio.gather(*workers, return_exceptions=True))

    def _ensure_worker(self, key: tuple[str, int]) -> None:
        if self._closed or self.backend is None:
            return
        task = self._workers.get(key)
        if task is not None and not task.done():
            self._wake.setdefault(key, asyncio.Event()).set()
            return
        task = asyncio.get_running_loop().create_task(self._work(key),
                                                      name=f"outbox-{key[0]}-{key[1]}")
        self._workers[key] = task
        task.add_done_callback(self._worker_done)

    def _worker_done(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("outbox worker %s failed", task.get_name(), exc_info=task.exception())

    async def _work(self, key: tuple[str, int]) -> None:
        kind, target = key
        wake = self._wake.setdefault(key, asyncio.Event())
        attempt = 0
        sender = self.SENDERS[kind]
        while not self._closed and self.backend is not None:
            try:
                entry = await self._run(_oldest_pending, kind, target)
            except OutboxClosed:
                return
            if entry is None:
                return
            wake.clear()
            try:
                result = await sender(self.backend, entry)
            except AuthError as exc:
                # signed out or the token expired: it stays pending; the flush after the next
                # sign-in sends it
                log.info("outbox %s: not sent (%s); waiting for a new sign-in", key, exc.message)
                return
            except BackendError as exc:
                if not is_retryable(exc):
                    entry = await self._mark(entry, "state = 'failed-permanent', last_error = ?, "
                                                    "attempts = attempts + 1", (exc.message,))
                    log.warning("outbox: message %s refused: %s", entry.client_msg_id, exc.message)
                    attempt = 0
                    continue
                await self._mark(entry, "last_error = ?, attempts = attempts + 1", (exc.message,))
                delay = self._delay(attempt, exc)
                attempt += 1
                try:
                    await asyncio.wait_for(wake.wait(), delay)
                except TimeoutError:
                    pass
                continue
            attempt = 0
            await self._mark(entry, "state = 'sent', last_error = ''", (), result)

    async def _mark(self, entry: OutboxEntry, sql_set: str, args: tuple,
                    result: Any = None) -> OutboxEntry:
        try:
            updated = await self._run(_update, entry.client_msg_id, sql_set, args)
        except OutboxClosed:
            raise asyncio.CancelledError from None
        if updated is None:                      # discarded meanwhile
            updated = replace(entry, state=OutboxState.SENT if result is not None else entry.state)
        self._notify(updated, result)
        return updated

    def _delay(self, attempt: int, exc: BackendError) -> float:
        import random

        ceiling = min(self.backoff_cap, self.backoff_base * (2 ** min(attempt, 30)))
        delay = ceiling / 2 + random.random() * ceiling / 2      # "equal jitter": never ~0
        if isinstance(exc, RateLimited) and exc.retry_after:
            delay = max(delay, float(exc.retry_after))
        return delay

    # -- lifecycle

    async def close(self) -> None:
        """Stop delivering and close the file. Pending rows stay for the next session."""
        if self._closed:
            return
        workers = [t for t in self._workers.values() if not t.done()]
        for t in workers:
            t.cancel()
        if workers:
            await asyncio.gather(*workers, return_exceptions=True)
        self._closed = True
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._close_db)
        self._executor.shutdown(wait=False)
        self._listeners.clear()

    def close_nowait(self) -> None:
        """:meth:`close` for callers without a running loop (or that cannot wait): the workers are
        cancelled and the file is closed on the outbox thread after what is queued there."""
        if self._closed:
            return
        for t in self._workers.values():
            if not t.done():
                t.cancel()
        self._closed = True
        self._executor.submit(self._close_db)
        self._executor.shutdown(wait=False)
        self._listeners.clear()

    def _close_db(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

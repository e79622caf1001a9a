"""One conversation's outgoing messages in the outbox, one row each with its state.

The composer (ui/compose/box.py) writes through an :class:`OutboxFeed`; the thread model of the
tab (the chat's :class:`MessageModel`, the ticket's :class:`TicketPostsModel`) shows its rows by
implementing :class:`OutgoingRows` and being :meth:`attached <OutboxFeed.attach>`:

* :meth:`OutboxFeed.add`: the row is shown as pending at once, then written to the outbox file
  (core/outbox.py); ``on_saved`` runs once it is on disk (the composer clears then). A write that
  fails removes the row and says why (``writeFailed``): nothing was sent, the text stays. While
  a write is under way another add is refused (a double Enter sends once).
* The outbox's changes for this conversation (its ``kind`` s and ``target_id``) are followed:
  still pending (retrying by itself, ``error`` says why it is not sent yet), failed for good
  (``sendFailed`` with the server's sentence), sent (``sent`` with the server's answer).
* :meth:`restore`: what the outbox still holds for this conversation (written before a restart
  or a crash) is shown as pending or failed rows, in write order.
* :meth:`retry` sends a failed row again with the same ``client_msg_id``; :meth:`discard` gives up
  on it (the row goes, the outbox forgets it).

There is no other way to send: every message of the desk is on disk before it is sent.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from enum import StrEnum
from typing import Any, Protocol

from supportdesk_qt.core.ids import new_client_msg_id
from supportdesk_qt.core.outbox import Outbox, OutboxEntry, OutboxState
from supportdesk_qt.qt import QObject, Signal
from supportdesk_qt.ui.tasks import TaskRegistry, TaskScope

log = logging.getLogger("supportdesk.ui.compose")

_provisional_seq = itertools.count(1)      # order of rows not yet written (the outbox's seq later)


class RowState(StrEnum):
    PENDING = "pending"    # written (or being written), not confirmed by the server yet
    FAILED = "failed"      # refused by the server (or not written): retry or discard


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One of our messages the server has not stored yet."""

    client_msg_id: str
    kind: str                  # the outbox kind (chat_message, ticket_reply, ticket_note)
    target_id: int             # chat id / ticket id
    text: str
    created_at: datetime       # aware, UTC
    seq: int                   # write order
    state: RowState = RowState.PENDING
    error: str = ""            # why the last attempt failed ("" when none did)


class OutgoingRows(Protocol):
    """What a thread model implements to show a feed's rows."""

    def show_outgoing(self, row: Outgoing) -> None: ...        # new, or its state changed
    def show_sent(self, row: Outgoing, result: Any) -> None: ...   # stored: result = server's answer
    def remove_outgoing(self, client_msg_id: str) -> None: ...


def _aware(dt: datetime) -> datetime:
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt


def _row_of(entry: OutboxEntry) -> Outgoing:
    failed = entry.state == OutboxState.FAILED
    return Outgoing(entry.client_msg_id, entry.kind, entry.target_id, entry.text,
                    _aware(entry.created_at), entry.seq,
                    RowState.FAILED if failed else RowState.PENDING, entry.last_error)


class OutboxFeed(QObject):
    #: A row is new, or its state or error changed.
    changed = Signal(object)                # Outgoing
    #: The server stored it: (Outgoing, the server's answer: ChatMessage / TicketPost).
    sent = Signal(object, object)
    #: The row is gone (discarded, or its write failed).
    removed = Signal(str)
    #: The server refused it for good: (client_msg_id, the server's sentence).
    sendFailed = Signal(str, str)
    #: It could not be written to this computer's outbox: (client_msg_id, a sentence).
    writeFailed = Signal(str, str)

    def __init__(self, outbox: Outbox, tasks: TaskRegistry, target_id: int, kinds: tuple[str, ...],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.outbox, self.tasks = outbox, tasks
        #: the feed's lifetime: reading the outbox ends with it; a write or a retry is the
        #: app's (``tasks``) and only reports back while the scope is alive
        self.scope = TaskScope(self, tasks, name=f"outbox-feed-{target_id}")
        self.target_id = int(target_id)
        self.kinds = tuple(kinds)
        self._rows: dict[str, Outgoing] = {}
        self._writing = False
        ref = weakref.WeakMethod(self._outbox_changed)   # a closed tab's feed is not kept alive

        def listener(entry: OutboxEntry, result: Any) -> None:
            method = ref()
            if method is not None:
                method(entry, result)

        # destroyed (or closed): the outbox forgets it
        self.scope.on_close(outbox.subscribe(listener))

    def attach(self, rows: OutgoingRows) -> None:
        """Show this feed's rows in ``rows`` (a thread model)."""
        self.changed.connect(rows.show_outgoing)
        self.sent.connect(rows.show_sent)
        self.removed.connect(rows.remove_outgoing)

    def close(self) -> None:
        """Stop following the outbox (the tab goes; delivery goes on without it)."""
        self.scope.close()

    # -- reading -------------------------------------------------------------------------------

    def state(self, client_msg_id: str | None) -> RowState | None:
        row = self._rows.get(client_msg_id or "")
        return row.state if row is not None else None

    def rows(self) -> list[Outgoing]:
        return sorted(self._rows.values(), key=lambda r: r.seq)

    @property
    def writing(self) -> bool:
        return self._writing

    def restore(self) -> asyncio.Task:
        """Show what the outbox still holds for this conversation (kept across a restart)."""
        return self.scope.spawn(self._restore(), name="restore")

    async def _restore(self) -> None:
        entries: list[OutboxEntry] = []
        try:
            for kind in self.kinds:
                entries += await self.outbox.entries(self.target_id, kind=kind)
        except Exception as exc:          # OutboxClosed (signed out), sqlite3.Error, OSError
            log.warning("%s: cannot read the outbox: %s", self.target_id, exc)
            return
        for entry in sorted(entries, key=lambda e: e.seq):
            if entry.client_msg_id not in self._rows:
                self._put(_row_of(entry))

    # -- writing -------------------------------------------------------------------------------

    def add(self, text: str, kind: str | None = None,
            on_saved: Callable[[str], None] | None = None) -> str:
        """Show ``text`` as a pending row and write it to the outbox (which sends it). Returns its
        ``client_msg_id``, or "" while the previous write is still under way."""
        if not text.strip():
            raise ValueError("empty message")
        if self._writing:
            return ""
        kind = kind or self.kinds[0]
        row = Outgoing(new_client_msg_id(), kind, self.target_id, text,
                       datetime.now(timezone.utc), next(_provisional_seq))
        self._put(row)
        self._writing = True
        self.tasks.spawn(self._write(row, on_saved), name=f"outbox-feed-{self.target_id}-write")
        return row.client_msg_id

    async def _write(self, row: Outgoing, on_saved: Callable[[str], None] | None) -> None:
        try:
            await self.outbox.add(row.target_id, row.text, kind=row.kind,
                                  client_msg_id=row.client_msg_id, created_at=row.created_at)
        except Exception as exc:       # sqlite3.Error, OSError (disk full), OutboxClosed
            log.warning("%s: cannot write to the outbox: %s", row.target_id, exc)
            if self.scope.alive:         # the write is the app's; the feed may be gone
                self._rows.pop(row.client_msg_id, None)
                self.removed.emit(row.client_msg_id)
                self.writeFailed.emit(row.client_msg_id, self.tr(
                    "The message could not be saved on this computer (%1), so it was not sent. "
                    "It is still in the message field; try again.").replace("%1", str(exc)))
            return
        finally:
            self._writing = False
        if on_saved is not None:
            try:
                on_saved(row.client_msg_id)
            except RuntimeError:       # the composer went meanwhile
                pass

    def retry(self, client_msg_id: str) -> bool:
        """Send a failed row again with the same ``client_msg_id``."""
        row = self._rows.get(client_msg_id)
        if row is None or row.state != RowState.FAILED:
            return False
        self._put(replace(row, state=RowState.PENDING, error=""))
        self.tasks.spawn(self._retry(row), name=f"outbox-feed-{self.target_id}-retry")
        return True

    async def _retry(self, row: Outgoing) -> None:
        try:
            if not await self.outbox.retry(row.client_msg_id):
                if await self.outbox.get(row.client_msg_id) is None:   # never reached the file
                    await self.outbox.add(row.target_id, row.text, kind=row.kind,
                                          client_msg_id=row.client_msg_id,
                                          created_at=row.created_at)
        except Exception as exc:
            log.warning("%s: cannot write to the outbox: %s", row.target_id, exc)
            if self.scope.alive and row.client_msg_id in self._rows:
                message = self.tr("The message could not be saved on this computer (%1)."
                                  ).replace("%1", str(exc))
                self._put(replace(row, state=RowState.FAILED, error=message))
                self.sendFailed.emit(row.client_msg_id, message)

    def discard(self, client_msg_id: str) -> bool:
        """Give up on a failed row: it goes, and the outbox forgets it."""
        row = self._rows.get(client_msg_id)
        if row is None or row.state != RowState.FAILED:
            return False
        del self._rows[client_msg_id]
        self.removed.emit(client_msg_id)
        self.tasks.spawn(self._discard(client_msg_id), name=f"outbox-feed-{self.target_id}-discard")
        return True

    async def _discard(self, client_msg_id: str) -> None:
        try:
            await self.outbox.discard(client_msg_id)
        except Exception as exc:     # closed (signed out) or the disk: it stays "failed" there
            log.warning("cannot discard %s from the outbox: %s", client_msg_id, exc)

    # -- following the outbox ------------------------------------------------------------------

    def _put(self, row: Outgoing) -> None:
        self._rows[row.client_msg_id] = row
        self.changed.emit(row)

    def _outbox_changed(self, entry: OutboxEntry, result: Any) -> None:
        if entry.kind not in self.kinds or entry.target_id != self.target_id:
            return
        known = self._rows.get(entry.client_msg_id)
        if entry.state == OutboxState.SENT:
            self._rows.pop(entry.client_msg_id, None)
            if result is not None:
                self.sent.emit(known or _row_of(entry), result)
            return
        row = _row_of(entry)
        if known is not None:
            row = replace(row, seq=known.seq)            # keep the shown order
            if (known.state, known.error) == (row.state, row.error):
                self._rows[row.client_msg_id] = row
                return
        self._put(row)
        if row.state == RowState.FAILED:
            self.sendFailed.emit(row.client_msg_id, row.error)

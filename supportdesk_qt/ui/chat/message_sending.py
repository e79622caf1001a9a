"""Sending from one chat's conversation (a part of :class:`~.message_model.MessageModel`).

* :meth:`send_text` puts a *pending* row in the model with a fresh ``client_msg_id`` before any
  request is made; success turns it "sent", failure "failed"; :meth:`retry` sends the same
  ``client_msg_id`` again (the server de-duplicates); :meth:`discard` gives up on it.
* With an outbox (:meth:`set_outbox`, core/outbox.py, issue 6) the message is first written to
  the outbox file; only then is the composer told to clear (``on_saved``) and the outbox delivers
  it, retrying network/5xx/429 failures by itself (the row stays "pending" meanwhile) and marking
  refusals "failed" with the server's sentence. The model follows the outbox's changes for its
  chat, and a freshly opened model shows the messages the outbox still holds (kept across a
  restart) as pending or failed rows. :func:`flush_outbox_on_reconnect` makes the outbox resend
  whenever the event stream is (re)connected. Without an outbox, :meth:`_deliver` sends directly.

The rows themselves (finding, storing, states) are the model's; this mixin only decides what to
send and when.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from supportdesk_protocol.schemas import Agent, AuthorKind, ChatMessage
from supportdesk_qt.backend.base import Backend, BackendError, ConnectionChanged, ConnectionState
from supportdesk_qt.core.ids import new_client_msg_id
from supportdesk_qt.core.outbox import CHAT_MESSAGE, Outbox, OutboxEntry, OutboxState
from supportdesk_qt.qt import QModelIndex
from supportdesk_qt.ui.chat.message_rows import MessageRow, OutgoingMessage, SendState, aware
from supportdesk_qt.ui.tasks import TaskRegistry

log = logging.getLogger("supportdesk.ui.chat")


class MessageSending:
    """Mixed into MessageModel, which provides these (and the row helpers ``_find_unstored``,
    ``_store_pending``, ``row_of_client_msg_id``, and the ``sendFailed`` signal)."""

    chat_id: int
    _backend: Backend
    _tasks: TaskRegistry
    _agent: Agent | None
    _outbox: Outbox | None
    _saving: bool
    _delivering: dict[str, asyncio.Task]
    _unsubscribe: Callable[[], None] | None
    _rows: list[MessageRow]
    _ids: set[int]

    def send_text(self, text: str, on_saved: Callable[[], None] | None = None) -> str:
        """Add ``text`` as a pending row, then deliver it. Returns its ``client_msg_id``.

        With an outbox the text is written to it first; ``on_saved`` is called once it is on
        disk (the composer clears then). If the write fails the row goes, ``sendFailed`` says
        why, and ``on_saved`` is not called: the text stays in the composer. While a write is
        under way another send is refused (returns ""): a double Enter sends once."""
        if not text.strip():
            raise ValueError("empty message")
        if self._outbox is not None and self._saving:
            return ""
        outgoing = OutgoingMessage(self.chat_id, new_client_msg_id(), text,
                                   datetime.now(timezone.utc))
        self.restore_pending(outgoing)
        if self._outbox is None:
            self._start_delivery(outgoing.client_msg_id)
            if on_saved is not None:
                on_saved()
        else:
            self._saving = True
            self._tasks.spawn(self._save_and_send(self._outbox, outgoing, on_saved),
                              name=f"chat-{self.chat_id}-outbox-write")
        return outgoing.client_msg_id

    async def _save_and_send(self, outbox: Outbox, outgoing: OutgoingMessage,
                             on_saved: Callable[[], None] | None) -> None:
        try:
            await outbox.add(self.chat_id, outgoing.text, client_msg_id=outgoing.client_msg_id,
                             created_at=outgoing.created_at)
        except Exception as exc:       # sqlite3.Error, OSError (disk full), OutboxClosed
            log.warning("chat %s: cannot write to the outbox: %s", self.chat_id, exc)
            i = self._find_unstored(outgoing.client_msg_id)
            if i >= 0:
                self.beginRemoveRows(QModelIndex(), i, i)
                del self._rows[i]
                self.endRemoveRows()
            self.sendFailed.emit(outgoing.client_msg_id, self.tr(
                "The message could not be saved on this computer (%1), so it was not sent. "
                "It is still in the message field; try again.").replace("%1", str(exc)))
            return
        finally:
            self._saving = False
        if on_saved is not None:
            try:
                on_saved()
            except RuntimeError:       # the tab (and its composer) went meanwhile
                pass

    def restore_pending(self, outgoing: OutgoingMessage, state: SendState = SendState.PENDING,
                        error: str = "") -> None:
        """Show an unstored message of ours (new, or one the outbox kept across a restart)."""
        name = self._agent.display_name if self._agent is not None else ""
        row = MessageRow(author_kind=AuthorKind.AGENT, author_name=name, text=outgoing.text,
                         author_id=self._agent.id if self._agent is not None else None,
                         created_at=outgoing.created_at, client_msg_id=outgoing.client_msg_id,
                         state=state, error=error)
        at = len(self._rows)
        self.beginInsertRows(QModelIndex(), at, at)
        self._rows.append(row)
        self.endInsertRows()

    def retry(self, client_msg_id: str) -> bool:
        """Send a failed message again with the same ``client_msg_id``."""
        i = self._find_unstored(client_msg_id)
        if i < 0 or self._rows[i].state != SendState.FAILED:
            return False
        self._set_state(i, SendState.PENDING, "")
        if self._outbox is not None:
            row = self._rows[i]
            self._tasks.spawn(self._retry_in_outbox(self._outbox, OutgoingMessage(
                self.chat_id, client_msg_id, row.text, row.created_at)),
                name=f"chat-{self.chat_id}-retry")
        else:
            self._start_delivery(client_msg_id)
        return True

    async def _retry_in_outbox(self, outbox: Outbox, outgoing: OutgoingMessage) -> None:
        try:
            if not await outbox.retry(outgoing.client_msg_id):
                if await outbox.get(outgoing.client_msg_id) is None:   # failed before the outbox
                    await outbox.add(self.chat_id, outgoing.text,
                                     client_msg_id=outgoing.client_msg_id,
                                     created_at=outgoing.created_at)
        except Exception as exc:
            log.warning("chat %s: cannot write to the outbox: %s", self.chat_id, exc)
            i = self._find_unstored(outgoing.client_msg_id)
            if i >= 0:
                message = self.tr("The message could not be saved on this computer (%1).").replace(
                    "%1", str(exc))
                self._set_state(i, SendState.FAILED, message)
                self.sendFailed.emit(outgoing.client_msg_id, message)

    def discard(self, client_msg_id: str) -> bool:
        """Give up on a failed message: its row goes, and the outbox forgets it."""
        i = self._find_unstored(client_msg_id)
        if i < 0 or self._rows[i].state != SendState.FAILED:
            return False
        self.beginRemoveRows(QModelIndex(), i, i)
        del self._rows[i]
        self.endRemoveRows()
        if self._outbox is not None:
            self._tasks.spawn(self._discard_in_outbox(self._outbox, client_msg_id),
                              name=f"chat-{self.chat_id}-discard")
        return True

    async def _discard_in_outbox(self, outbox: Outbox, client_msg_id: str) -> None:
        try:
            await outbox.discard(client_msg_id)
        except Exception as exc:     # closed (signed out) or the disk: it stays "failed" there
            log.warning("chat %s: cannot discard %s from the outbox: %s", self.chat_id,
                        client_msg_id, exc)

    # -- the outbox -----------------------------------------------------------------------------

    def set_outbox(self, outbox: Outbox | None) -> None:
        """Send through ``outbox`` from now on, follow its changes for this chat, and show what it
        still holds for this chat (messages not delivered before a restart)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._outbox = outbox
        if outbox is None:
            return
        ref = weakref.WeakMethod(self._outbox_changed)   # a closed tab's model is not kept alive
        unsubscribe: Callable[[], None] = lambda: None

        def listener(entry: OutboxEntry, result: Any) -> None:
            method = ref()
            if method is None:
                unsubscribe()
            else:
                method(entry, result)

        unsubscribe = outbox.subscribe(listener)
        self._unsubscribe = unsubscribe
        self._tasks.spawn(self._restore_from_outbox(outbox), name=f"chat-{self.chat_id}-outbox")

    async def _restore_from_outbox(self, outbox: Outbox) -> None:
        try:
            entries = await outbox.entries(self.chat_id)
        except Exception as exc:
            log.warning("chat %s: cannot read the outbox: %s", self.chat_id, exc)
            return
        for e in entries:
            if self._outbox is not outbox or self.row_of_client_msg_id(e.client_msg_id) >= 0:
                continue                  # already shown (sent meanwhile, or on the first page)
            failed = e.state == OutboxState.FAILED
            self.restore_pending(OutgoingMessage(self.chat_id, e.client_msg_id, e.text,
                                                 aware(e.created_at)),
                                 SendState.FAILED if failed else SendState.PENDING,
                                 e.last_error if failed else "")

    def _outbox_changed(self, entry: OutboxEntry, result: Any) -> None:
        if entry.kind != CHAT_MESSAGE or entry.target_id != self.chat_id:
            return
        i = self._find_unstored(entry.client_msg_id)
        if i < 0:
            return
        if entry.state == OutboxState.SENT and isinstance(result, ChatMessage):
            if result.id in self._ids:                  # already shown as stored: drop the copy
                self.beginRemoveRows(QModelIndex(), i, i)
                del self._rows[i]
                self.endRemoveRows()
            else:
                self._store_pending(i, result)
        elif entry.state == OutboxState.FAILED:
            self._set_state(i, SendState.FAILED, entry.last_error)
            self.sendFailed.emit(entry.client_msg_id, entry.last_error)
        elif entry.state == OutboxState.PENDING:
            # retrying by itself: still pending; the last error says why it is not sent yet
            if self._rows[i].state != SendState.PENDING or self._rows[i].error != entry.last_error:
                self._set_state(i, SendState.PENDING, entry.last_error)

    def _start_delivery(self, client_msg_id: str) -> None:
        self._delivering[client_msg_id] = self._tasks.spawn(
            self._deliver(client_msg_id), name=f"chat-{self.chat_id}-send")

    async def _deliver(self, client_msg_id: str) -> None:
        try:
            i = self._find_unstored(client_msg_id)
            if i < 0:
                return
            text = self._rows[i].text
            try:
                message = await self._backend.send_message(self.chat_id, text, client_msg_id)
            except BackendError as exc:
                i = self._find_unstored(client_msg_id)
                if i >= 0:
                    self._set_state(i, SendState.FAILED, exc.message)
                    self.sendFailed.emit(client_msg_id, exc.message)
                return
            if message.id in self._ids:
                return                                  # the event was faster
            i = self._find_unstored(client_msg_id)
            if i >= 0:
                self._store_pending(i, message)
        finally:
            self._delivering.pop(client_msg_id, None)

    def _set_state(self, i: int, state: SendState, error: str) -> None:
        row = self._rows[i]
        row.state, row.error = state, error
        idx = self.index(i)
        self.dataChanged.emit(idx, idx, [self.SendStateRole, self.ErrorRole])

    def pending_messages(self) -> list[OutgoingMessage]:
        """Our messages not stored yet (what the outbox must keep)."""
        return [OutgoingMessage(self.chat_id, r.client_msg_id or "", r.text, r.created_at)
                for r in self._rows[self._n_stored:]]


def flush_outbox_on_reconnect(bridge: Any, outbox: Outbox, tasks: TaskRegistry) -> Callable[[], None]:
    """Resend the outbox whenever the event stream is (re)connected (``Resynced`` follows every
    connect, the first one after sign-in included). Returns a function that undoes the wiring."""

    def flush(*_: Any) -> None:
        tasks.spawn(outbox.flush(), name="outbox-flush")

    def on_connection(change: ConnectionChanged) -> None:
        if change.state == ConnectionState.CONNECTED:
            flush()

    bridge.resynced.connect(flush)
    bridge.connectionChanged.connect(on_connection)

    def undo() -> None:
        for signal, slot in ((bridge.resynced, flush), (bridge.connectionChanged, on_connection)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
    return undo

"""One chat's conversation as a list model holding a *window* of its history.

* Opening loads only the newest page (``FIRST_PAGE`` messages); a chat with 100,000 messages opens
  as fast as one with ten. Older pages come in through ``canFetchMore``/``fetchMore``: one
  asynchronous ``Backend.chat_messages(before_seq=<oldest loaded>)`` at a time (a guard flag, as
  Nheko's pagination-in-progress), prepended with one ``beginInsertRows``.
* Live messages come from ``Bridge.serverEvent`` (``chat.message`` for this chat), collected for
  ``FLUSH_MS`` and inserted as one ``beginInsertRows`` per contiguous run, de-duplicated
  by message id, and by ``client_msg_id`` against our own pending rows (the pending row turns
  "sent" in place instead of a second row appearing).
* Bounded: while the view follows the tail (``set_following_tail(True)``) and the window grows
  beyond ``MAX_ROWS``, the oldest rows are dropped; they can be paged in again.
* Our own messages not stored yet come from the composer's outbox feed
  (ui/compose/outbox_feed.py; this model implements its ``OutgoingRows``): pending or failed rows
  after the stored ones, turning "sent" in place when the server stores them.
  The workspace (core/workspace.py) makes the outbox resend once each time the event stream
  is (re)connected.

* System lines: what happened to the chat (joined, forwarded, returned, closed) comes from
  ``Backend.chat_events`` when the chat opens, after a resync, and whenever an event says its
  state, assignee or department moved; each line goes right after the message it followed
  (``ChatEvent.after_seq``), worded by ui/chat/event_lines.py.

Rows (ui/chat/message_rows.py) are the stored messages and system lines in the order things
happened, followed by our own not-yet-stored messages in the order they were written.
"""

from __future__ import annotations

import asyncio
import bisect
import logging
from typing import Any

from supportdesk_protocol.events import ChatMessageEvent, EventType
from supportdesk_protocol.schemas import Agent, AuthorKind, Chat, ChatEvent, ChatMessage
from supportdesk_qt.backend.base import (
    Backend,
    BackendError,
    Resynced,
    ServerEvent,
)
from supportdesk_qt.qt import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from supportdesk_qt.ui.chat.message_rows import MessageRow, SendState, aware
from supportdesk_qt.ui.compose.outbox_feed import Outgoing, RowState
from supportdesk_qt.ui.tasks import TaskRegistry

__all__ = ["MessageModel", "MessageRow", "SendState"]

log = logging.getLogger("supportdesk.ui.chat")

_ROLE = Qt.ItemDataRole.UserRole
FIRST_PAGE = 40      # enough to fill a tall screen; every row loaded is a row the view measures
PAGE_SIZE = 100      # older pages, fetched as the agent scrolls up
MAX_ROWS = 2000
FLUSH_MS = 30        # live messages arriving within this are inserted as one batch
#: events after which the system lines are fetched again (if state, assignee or department moved)
_CHAT_CHANGES = (EventType.CHAT_UPDATED, EventType.CHAT_FORWARDED,
                 EventType.CHAT_FORWARD_RETURNED)


class MessageModel(QAbstractListModel):
    IdRole = _ROLE + 1
    SeqRole = _ROLE + 2
    AuthorKindRole = _ROLE + 3      # AuthorKind
    AuthorNameRole = _ROLE + 4
    TextRole = _ROLE + 5            # same as DisplayRole: the plain text, never markup
    TimeRole = _ROLE + 6            # datetime, UTC
    SendStateRole = _ROLE + 7       # SendState
    ClientMsgIdRole = _ROLE + 8
    KeyRole = _ROLE + 9             # stable row key (survives pending -> sent): delegate caches
    ErrorRole = _ROLE + 10          # why the last send failed ("" otherwise)
    OwnRole = _ROLE + 11            # written by this agent

    #: The first page arrived (or failed: ``loadFailed``).
    loaded = Signal()
    loadFailed = Signal(str)
    #: A page fetch started (True) / ended (False).
    fetchingChanged = Signal(bool)
    #: A message from someone else was appended live (for "unread").
    incoming = Signal()

    def __init__(self, backend: Backend, tasks: TaskRegistry, chat_id: int,
                 agent: Agent | None = None, parent: QObject | None = None, *,
                 page_size: int = PAGE_SIZE, first_page: int = FIRST_PAGE,
                 max_rows: int = MAX_ROWS) -> None:
        super().__init__(parent)
        self._backend = backend
        self._tasks = tasks
        self.chat_id = int(chat_id)
        self._agent = agent
        self.page_size = page_size
        self.first_page = min(first_page, page_size)
        self.max_rows = max(page_size, max_rows)
        self._rows: list[MessageRow] = []
        self._n_stored = 0                       # rows[:n_stored] are server rows (by .order)
        self._ids: set[int] = set()
        self._events: dict[int, ChatEvent] = {}  # every event known (the server sends <= 500)
        self._shown_events: set[int] = set()     # those in the window
        self._events_task: asyncio.Task | None = None
        self._events_again = False               # another refresh was asked while one ran
        self._chat_marks: tuple | None = None    # (state, assignee, department) last seen
        self._has_more = False
        self._loaded = False
        self._fetching = False
        self._following_tail = True
        self._early: list[ChatMessage] = []      # live messages seen before the first page
        self.fetch_gate = None                   # optional callable: may the view fetch now?
        self._batch: list[ChatMessage] = []
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_MS)
        self._flush_timer.timeout.connect(self.flush)

    # -- reading -------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def roleNames(self) -> dict[int, bytes]:
        names = dict(super().roleNames())
        names.update({self.IdRole: b"id", self.SeqRole: b"seq", self.AuthorKindRole: b"authorKind",
                      self.AuthorNameRole: b"authorName", self.TextRole: b"text",
                      self.TimeRole: b"time", self.SendStateRole: b"sendState",
                      self.ClientMsgIdRole: b"clientMsgId", self.KeyRole: b"key",
                      self.ErrorRole: b"error", self.OwnRole: b"own"})
        return names

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid() or index.parent().isValid() or index.row() >= len(self._rows):
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        r = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, self.TextRole):
            return r.text
        if role == self.IdRole:
            return r.id
        if role == self.SeqRole:
            return r.seq
        if role == self.AuthorKindRole:
            return r.author_kind
        if role == self.AuthorNameRole:
            return r.author_name
        if role == self.TimeRole:
            return r.created_at
        if role == self.SendStateRole:
            return r.state
        if role == self.ClientMsgIdRole:
            return r.client_msg_id
        if role == self.KeyRole:
            return r.key
        if role == self.ErrorRole:
            return r.error
        if role == self.OwnRole:
            return self._is_own(r)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{r.author_name}: {r.text}" if r.author_name else r.text
        return None

    def _is_own(self, r: MessageRow) -> bool:
        if r.author_kind != AuthorKind.AGENT:
            return False
        if r.state != SendState.SENT:
            return True
        return self._agent is not None and r.author_id == self._agent.id

    def row(self, i: int) -> MessageRow:
        return self._rows[i]

    def rows(self) -> list[MessageRow]:
        return list(self._rows)

    def row_of_client_msg_id(self, client_msg_id: str) -> int:
        for i in range(len(self._rows) - 1, -1, -1):
            if self._rows[i].client_msg_id == client_msg_id:
                return i
        return -1

    @property
    def is_loaded(self) -> bool:
        return self._loaded

    @property
    def fetching(self) -> bool:
        return self._fetching

    @property
    def has_more(self) -> bool:
        return self._has_more

    def oldest_seq(self) -> int | None:
        """The seq of the oldest message in the window (events have none)."""
        for r in self._rows[:self._n_stored]:
            if r.seq is not None:
                return r.seq
        return None

    def _newest_seq(self) -> int:
        for i in range(self._n_stored - 1, -1, -1):
            if self._rows[i].seq is not None:
                return self._rows[i].seq
        return 0

    def _stored_at(self, row: MessageRow) -> int:
        """Where ``row`` goes among the stored rows."""
        return bisect.bisect_left([r.order for r in self._rows[:self._n_stored]], row.order)

    # -- loading ---------------------------------------------------------------------------------

    def load(self) -> asyncio.Task:
        """Load the newest page (in the background). Call once after construction."""
        return self._tasks.spawn(self._load_newest(), name=f"chat-{self.chat_id}-load")

    async def _load_newest(self) -> None:
        self._set_fetching(True)
        self.refresh_events()               # at the same time as the page, shown with it
        events = self._events_task
        try:
            messages, has_more = await self._backend.chat_messages(self.chat_id,
                                                                   limit=self.first_page)
            if events is not None:
                await asyncio.wait([events])     # its failure is its own (logged): no lines
        except BackendError as exc:
            self.loadFailed.emit(exc.message)
            return
        finally:
            self._set_fetching(False)
        self._reset_to(messages, has_more)
        early, self._early = self._early, []
        for m in early:
            self._apply_message(m, live=False)
        self.loaded.emit()

    def _reset_to(self, messages: list[ChatMessage], has_more: bool) -> None:
        """The window becomes ``messages`` (newest page), our unstored rows kept after them."""
        self.beginResetModel()
        pending = self._rows[self._n_stored:]
        self._rows = sorted((MessageRow.from_message(m) for m in messages), key=lambda r: r.seq)
        self._n_stored = len(self._rows)
        self._ids = {r.id for r in self._rows}
        self._shown_events = set()
        self._rows.extend(p for p in pending if not (p.client_msg_id and any(
            r.client_msg_id == p.client_msg_id and r.author_kind == p.author_kind
            for r in self._rows)))
        self._has_more = has_more
        self._loaded = True
        self.endResetModel()
        self._show_events()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        if parent.isValid() or not self._loaded or self._fetching or not self._has_more:
            return False
        gate = self.fetch_gate
        return gate() if gate is not None else True

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        self._set_fetching(True)               # the guard: set before the task even starts
        self._tasks.spawn(self._fetch_older(), name=f"chat-{self.chat_id}-older")

    async def _fetch_older(self) -> None:
        try:
            before = self.oldest_seq()
            try:
                messages, has_more = await self._backend.chat_messages(
                    self.chat_id, before_seq=before, limit=self.page_size)
            except BackendError as exc:
                log.warning("chat %s: loading older messages failed: %s", self.chat_id, exc.message)
                return
            oldest = self.oldest_seq()
            new = sorted((MessageRow.from_message(m) for m in messages
                          if m.id not in self._ids and (oldest is None or m.seq < oldest)),
                         key=lambda r: r.seq)
            self._has_more = has_more
            if new:
                # the system lines of the older page go in with it: one insertion at the top
                first = self._rows[0].order if self._n_stored else None
                lines = [e for e in self._events_due(new[0].seq)
                         if first is None or MessageRow.from_event(e).order < first]
                self._shown_events.update(e.id for e in lines)
                new = sorted(new + [MessageRow.from_event(e) for e in lines],
                             key=lambda r: r.order)
                self.beginInsertRows(QModelIndex(), 0, len(new) - 1)
                self._rows[0:0] = new
                self._n_stored += len(new)
                self._ids.update(r.id for r in new if r.id is not None)
                self.endInsertRows()
            self._show_events()
        finally:
            self._set_fetching(False)
            self._trim()     # rows that arrived while this page loaded were kept; drop them now

    def _set_fetching(self, value: bool) -> None:
        if self._fetching != value:
            self._fetching = value
            self.fetchingChanged.emit(value)

    def set_following_tail(self, following: bool) -> None:
        """The view tells whether the user is at the bottom (then the oldest rows may be dropped)."""
        self._following_tail = following
        if following:
            self._trim()

    def _trim(self) -> None:
        excess = len(self._rows) - self.max_rows
        excess = min(excess, self._n_stored)
        if excess <= 0 or not self._following_tail or self._fetching:
            return
        self.beginRemoveRows(QModelIndex(), 0, excess - 1)
        dropped = self._rows[:excess]
        del self._rows[:excess]
        self._n_stored -= excess
        self._ids.difference_update(r.id for r in dropped)
        self._shown_events.difference_update(r.event_id for r in dropped)
        self._has_more = True
        self.endRemoveRows()

    # -- live events --------------------------------------------------------------------------------

    def apply_event(self, event: ServerEvent) -> None:
        """Slot for ``Bridge.serverEvent``: this chat's messages, and the changes of its state,
        assignee or department (their system lines are fetched again)."""
        if event.type in _CHAT_CHANGES:
            chat = getattr(event.data, "chat", event.data)
            if isinstance(chat, Chat) and chat.id == self.chat_id:
                marks = (chat.state, chat.assignee_id, chat.department_id)
                if marks != self._chat_marks:
                    self._chat_marks = marks
                    self.refresh_events()
            return
        if event.type != EventType.CHAT_MESSAGE or not isinstance(event.data, ChatMessageEvent):
            return
        message = event.data.message
        if message.chat_id != self.chat_id:
            return
        if not self._loaded:
            self._early.append(message)
            return
        self._batch.append(message)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def flush(self) -> None:
        """Apply the live messages collected so far: own pending rows turn "sent" in place, new
        messages after the newest stored one go in as one insertion, stragglers one by one."""
        self._flush_timer.stop()
        batch, self._batch = self._batch, []
        if not batch:
            return
        seen: set[int] = set()
        run: list[MessageRow] = []
        others = False
        last = self._rows[self._n_stored - 1].order if self._n_stored else (0, 0, 0)
        for m in sorted(batch, key=lambda m: m.seq):
            if m.id in self._ids or m.id in seen:
                continue
            seen.add(m.id)
            own_pending = (m.client_msg_id and m.author_kind == AuthorKind.AGENT
                           and self._find_unstored(m.client_msg_id) >= 0)
            row = MessageRow.from_message(m)
            if not own_pending and row.order > last:
                run.append(row)
                last = row.order
            else:
                self._insert_run(run)
                run = []
                self._apply_message(m, live=True)
                last = self._rows[self._n_stored - 1].order if self._n_stored else (0, 0, 0)
            others = others or not self._is_own(row)
        self._insert_run(run)
        if others:
            self.incoming.emit()
        self._trim()

    def _insert_run(self, run: list[MessageRow]) -> None:
        if not run:
            return
        at = self._n_stored
        self.beginInsertRows(QModelIndex(), at, at + len(run) - 1)
        self._rows[at:at] = run
        self._n_stored += len(run)
        self._ids.update(r.id for r in run)
        self.endInsertRows()

    def apply_resync(self, item: Resynced) -> None:
        """Slot for ``Bridge.resynced``: fill whatever the stream could not replay."""
        if self._loaded:
            self._tasks.spawn(self._refresh_tail(), name=f"chat-{self.chat_id}-resync")

    async def _refresh_tail(self) -> None:
        try:
            messages, has_more = await self._backend.chat_messages(self.chat_id,
                                                                   limit=self.page_size)
        except BackendError as exc:
            log.warning("chat %s: refreshing after a reconnect failed: %s", self.chat_id, exc.message)
            return
        self.refresh_events()
        newest = self._newest_seq()
        if messages and has_more and messages[0].seq > newest + 1:
            # more was missed than one page holds: a hole would open in the window, so the
            # window restarts at the newest page (older ones page in again as usual)
            self._reset_to(messages, has_more)
            return
        for m in messages:
            self._apply_message(m, live=False)

    def _apply_message(self, m: ChatMessage, *, live: bool) -> None:
        if m.id in self._ids:
            return
        oldest = self.oldest_seq()
        if oldest is not None and m.seq < oldest:
            return                                  # older than the window: paging brings it
        # our own pending message coming back: the row turns "sent" in place
        if m.client_msg_id and m.author_kind == AuthorKind.AGENT:
            i = self._find_unstored(m.client_msg_id)
            if i >= 0:
                self._store_pending(i, m)
                return
        self._ids.add(m.id)
        self._insert_stored(MessageRow.from_message(m))
        self._trim()

    def _insert_stored(self, row: MessageRow) -> None:
        """One stored row (message or system line) into its place."""
        at = self._stored_at(row)
        self.beginInsertRows(QModelIndex(), at, at)
        self._rows.insert(at, row)
        self._n_stored += 1
        self.endInsertRows()

    def _find_unstored(self, client_msg_id: str) -> int:
        for i in range(self._n_stored, len(self._rows)):
            if self._rows[i].client_msg_id == client_msg_id:
                return i
        return -1

    def _store_pending(self, i: int, m: ChatMessage) -> None:
        """Row ``i`` (unstored) is now stored as ``m``: move it into the seq-ordered part."""
        row = self._rows[i]
        row.id, row.seq, row.state, row.error = m.id, m.seq, SendState.SENT, ""
        row.created_at = aware(m.created_at)
        row.author_name, row.author_id = m.author_name, m.author_id
        self._ids.add(m.id)
        at = self._stored_at(row)
        if at != i:
            self.beginMoveRows(QModelIndex(), i, i, QModelIndex(), at)
            self._rows.insert(at, self._rows.pop(i))
            self._n_stored += 1
            self.endMoveRows()
        else:
            self._n_stored += 1
        idx = self.index(at)
        self.dataChanged.emit(idx, idx, [self.IdRole, self.SeqRole, self.SendStateRole,
                                         self.TimeRole, self.ErrorRole, self.AuthorNameRole])

    # -- system lines: what happened to the chat (ui/chat/event_lines.py) -----------------------

    def refresh_events(self) -> None:
        """Fetch the chat's events again (in the background; one fetch at a time, and one more
        after it when asked meanwhile) and show the new ones where they happened."""
        if self._events_task is not None and not self._events_task.done():
            self._events_again = True
            return
        self._events_again = False
        self._events_task = self._tasks.spawn(self._fetch_events(),
                                              name=f"chat-{self.chat_id}-events")

    async def _fetch_events(self) -> None:
        again = True
        while again:
            try:
                events = await self._backend.chat_events(self.chat_id)
            except BackendError as exc:
                log.info("chat %s: loading its events failed: %s", self.chat_id, exc.message)
                return
            for e in events:
                self._events[e.id] = e
            self._show_events()
            again, self._events_again = self._events_again, False

    def _show_events(self) -> None:
        """Insert the known events that belong in the window and are not shown yet: all of them
        when the whole history is loaded, else those after the oldest message loaded."""
        if not self._loaded:
            return
        for e in self._events_due(self.oldest_seq()):
            self._shown_events.add(e.id)
            self._insert_stored(MessageRow.from_event(e))

    def _events_due(self, oldest: int | None) -> list[ChatEvent]:
        """Known events not shown yet that belong in a window starting at message ``oldest``."""
        return [e for e in sorted(self._events.values(), key=lambda e: e.id)
                if e.id not in self._shown_events
                and not (self._has_more and (oldest is None or e.after_seq < oldest - 1))]

    # -- our messages not stored yet (ui/compose/outbox_feed.py: OutgoingRows) ---------------------

    def show_outgoing(self, row: Outgoing) -> None:
        """A message of ours the server has not stored (new, restored from the outbox, or its
        state changed): a pending or failed row after the stored ones."""
        state = SendState.FAILED if row.state == RowState.FAILED else SendState.PENDING
        i = self._find_unstored(row.client_msg_id)
        if i >= 0:
            if (self._rows[i].state, self._rows[i].error) != (state, row.error):
                self._set_state(i, state, row.error)
            return
        if self.row_of_client_msg_id(row.client_msg_id) >= 0:
            return                        # already shown as stored (sent meanwhile, first page)
        name = self._agent.display_name if self._agent is not None else ""
        new = MessageRow(author_kind=AuthorKind.AGENT, author_name=name, text=row.text,
                         author_id=self._agent.id if self._agent is not None else None,
                         created_at=aware(row.created_at), client_msg_id=row.client_msg_id,
                         state=state, error=row.error)
        at = len(self._rows)
        self.beginInsertRows(QModelIndex(), at, at)
        self._rows.append(new)
        self.endInsertRows()

    def show_sent(self, row: Outgoing, result: Any) -> None:
        """The server stored it: the pending row turns "sent" in place (or goes, when the
        ``chat.message`` event was faster and the message is already shown)."""
        i = self._find_unstored(row.client_msg_id)
        if i < 0 or not isinstance(result, ChatMessage):
            return
        if result.id in self._ids:
            self.beginRemoveRows(QModelIndex(), i, i)
            del self._rows[i]
            self.endRemoveRows()
        else:
            self._store_pending(i, result)

    def remove_outgoing(self, client_msg_id: str) -> None:
        """Discarded, or it could not be written: the row goes."""
        i = self._find_unstored(client_msg_id)
        if i >= 0:
            self.beginRemoveRows(QModelIndex(), i, i)
            del self._rows[i]
            self.endRemoveRows()

    def _set_state(self, i: int, state: SendState, error: str) -> None:
        row = self._rows[i]
        row.state, row.error = state, error
        idx = self.index(i)
        self.dataChanged.emit(idx, idx, [self.SendStateRole, self.ErrorRole])

"""The list of chats waiting for an agent (the "queue"), as a list model.

Rows are :class:`~supportdesk_protocol.schemas.Chat` snapshots, longest waiting first. A chat is
in the queue while ``state == waiting`` and its department is one of the agent's (admins see all),
as docs/protocol.md says. Every chat event carries a full ``Chat`` snapshot, so the model does not
interpret event types beyond finding the snapshot: it keeps the newest snapshot per chat (by
``version``, then ``updated_at``) and shows it when it qualifies.

Events are not applied one by one: :meth:`apply_event` collects snapshots and a short single-shot
timer (``FLUSH_MS``) applies them as one batch: removals, in-place updates with ``dataChanged`` for
the changed roles only, and insertions grouped into contiguous runs (new chats wait the shortest,
so a burst of new chats is one ``beginInsertRows`` at the end).

The waiting time ticks: one shared 1 s timer emits ``dataChanged`` for ``WaitingSecondsRole`` only.

A chat that leaves the list because of someone else (a colleague took it, the visitor left, it
was forwarded away) does not vanish under the agent's cursor: its row stays for ``LINGER_MS``,
marked by :attr:`QueueModel.LeavingRole` ("Taken by Sam Carter"), and is then removed with
``beginRemoveRows``, so views keep their selection by persistent index. Lingering rows are not
counted (:meth:`QueueModel.waiting_count`) and :meth:`QueueModel.chat` no longer returns them.
The colleague's name comes from the agents the model knows (the workspace's cache of agents,
``set_agent_names``, and ``agent.status`` events); without it the row says "Taken by a colleague".
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

from supportdesk_protocol.events import EventType
from supportdesk_protocol.schemas import Agent, Chat, ChatState, Department, Role
from supportdesk_qt.backend.base import Backend, ServerEvent
from supportdesk_qt.qt import (
    QAbstractListModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from supportdesk_qt.ui.formatting import isolate
from supportdesk_qt.ui.models.leaving_rows import LeavingRows
from supportdesk_qt.ui.models.queue_rules import (
    came_back,
    chat_of_event,
    format_waiting,
    newer_or_same,
    shows_forwarded,
    snapshot_version,
    sort_key,
    waiting_since,
)
from supportdesk_qt.ui.panels._common import plain_tooltip

log = logging.getLogger("supportdesk.ui.queue")

_UTC = timezone.utc
_ROLE = Qt.ItemDataRole.UserRole

PAGE_LIMIT = 200
MAX_PREVIEW = 200   # characters kept for display (the server already caps at 200)
MAX_DROPPED = 1000  # remembered rows dropped without an event (taken by a colleague)
LINGER_MS = 2500    # how long a row someone else removed stays, marked, before it goes


class QueueModel(QAbstractListModel):
    ChatIdRole = _ROLE + 1
    VisitorNameRole = _ROLE + 2
    DepartmentRole = _ROLE + 3          # department name (or "#id" until departments are known)
    WaitingSinceRole = _ROLE + 4        # datetime (UTC)
    PreviewRole = _ROLE + 5
    ForwardedRole = _ROLE + 6
    ChatRole = _ROLE + 7                # the Chat snapshot
    WaitingSecondsRole = _ROLE + 8      # int, ticks every second
    ProjectRole = _ROLE + 9             # client's project name, "" if none
    ChatNameRole = _ROLE + 10           # agent-given chat name ("" if none)
    LeavingRole = _ROLE + 11            # why the row is about to go ("Taken by …"), "" if waiting

    FLUSH_MS = 30
    TICK_MS = 1000
    LINGER_MS = LINGER_MS

    #: The number of waiting chats changed (also after a reload).
    countChanged = Signal(int)
    #: A reload over HTTP started (True) / finished (False).
    loadingChanged = Signal(bool)
    #: Chats that were not in the queue before: inserted by an event, or found by a reload
    #: (e.g. they came in while the desk was offline, or during the first load after sign-in).
    #: A list of Chat snapshots, in queue order.
    arrived = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Chat] = []
        self._keys: list[tuple[datetime, int]] = []     # sort keys, parallel to _rows
        self._by_id: dict[int, Chat] = {}
        self._pending: dict[int, Chat] = {}
        self._dropped: dict[int, tuple[int, datetime | None]] = {}
        self._agent: Agent | None = None
        self._departments: dict[int, str] = {}
        self._loading = False
        self._loaded_during: dict[int, Chat] | None = None  # snapshots seen while a reload runs
        self._now = lambda: datetime.now(_UTC)          # tests may replace the clock
        self._last_count = 0
        self._leaving = LeavingRows()       # rows on their way out (ui/models/leaving_rows.py)
        self._agent_names: dict[int, str] = {}
        self._linger_timer = QTimer(self)
        self._linger_timer.setSingleShot(True)
        self._linger_timer.timeout.connect(self._expire_leaving)

        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(self.FLUSH_MS)
        self._flush_timer.timeout.connect(self.flush)

        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(self.TICK_MS)
        self._tick_timer.setTimerType(Qt.TimerType.CoarseTimer)
        self._tick_timer.timeout.connect(self._tick)

    # -- configuration -------------------------------------------------------------------------

    @property
    def agent(self) -> Agent | None:
        return self._agent

    def set_agent(self, agent: Agent | None) -> None:
        """Whose queue this is (departments, role). Rows that no longer qualify are dropped."""
        self._agent = agent
        stale = [c.id for c in self._rows if not self.qualifies(c)]
        if stale:
            self._remove_ids(stale)
            self._count_maybe_changed()

    def set_departments(self, departments: Iterable[Department]) -> None:
        self._departments = {d.id: d.name for d in departments}
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1),
                                  [self.DepartmentRole, Qt.ItemDataRole.ToolTipRole])

    def department_name(self, department_id: int) -> str:
        return self._departments.get(department_id) or self.tr("Department %1").replace(
            "%1", QLocale().toString(department_id))

    def qualifies(self, chat: Chat) -> bool:
        if chat.state != ChatState.WAITING:
            return False
        agent = self._agent
        if agent is None:
            return False
        return agent.role == Role.ADMIN or chat.department_id in agent.department_ids

    # -- reading -------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def roleNames(self) -> dict[int, bytes]:
        names = dict(super().roleNames())
        names.update({
            self.ChatIdRole: b"chatId", self.VisitorNameRole: b"visitorName",
            self.DepartmentRole: b"department", self.WaitingSinceRole: b"waitingSince",
            self.PreviewRole: b"preview", self.ForwardedRole: b"forwarded",
            self.ChatRole: b"chat", self.WaitingSecondsRole: b"waitingSeconds",
            self.ProjectRole: b"project", self.ChatNameRole: b"chatName",
            self.LeavingRole: b"leaving",
        })
        return names

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid() or index.parent().isValid() or index.row() >= len(self._rows):
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        chat = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole or role == self.VisitorNameRole:
            return self.visitor_label(chat)
        if role == self.ChatIdRole:
            return chat.id
        if role == self.DepartmentRole:
            return self.department_name(chat.department_id)
        if role == self.WaitingSinceRole:
            return waiting_since(chat)
        if role == self.WaitingSecondsRole:
            return max(0, int((self._now() - waiting_since(chat)).total_seconds()))
        if role == self.PreviewRole:
            return chat.last_message_preview[:MAX_PREVIEW]
        if role == self.ForwardedRole:
            return shows_forwarded(chat)
        if role == self.LeavingRole:
            return self.leaving_reason(chat.id)
        if role == self.ChatRole:
            return chat
        if role == self.ProjectRole:
            return chat.project_name or ""
        if role == self.ChatNameRole:
            return chat.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self.details_text(chat))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            leaving = self.leaving_reason(chat.id)
            if leaving:
                return self.tr("%1, %2").replace("%1", isolate(self.visitor_label(chat))).replace(
                    "%2", leaving)
            return self.tr("%1, %2, waiting %3").replace("%1", self.visitor_label(chat)).replace(
                "%2", self.department_name(chat.department_id)).replace(
                "%3", format_waiting(int((self._now() - waiting_since(chat)).total_seconds())))
        return None

    def visitor_label(self, chat: Chat) -> str:
        name = (chat.client_name or chat.visitor_name or "").strip()
        return name or self.tr("Visitor")

    def details_text(self, chat: Chat) -> str:
        """The row's details as plain text (the first part of every queue tooltip)."""
        lines = [self.visitor_label(chat), self.department_name(chat.department_id)]
        leaving = self.leaving_reason(chat.id)
        if leaving:
            lines.append(leaving)
        if chat.forwarded:
            lines.append(self.tr("Forwarded") + (f": {chat.forward_comment}" if chat.forward_comment else ""))
        elif came_back(chat):
            lines.append(self.tr("Back in the list: a colleague could not answer it"))
        if chat.name:
            lines.append(chat.name)
        if chat.summary:
            lines.append(chat.summary[:300])
        if chat.visitor.page_url:
            lines.append(chat.visitor.page_url[:200])
        if chat.last_message_preview:
            lines.append("“" + chat.last_message_preview[:MAX_PREVIEW] + "”")
        return "\n".join(lines)

    def chat(self, chat_id: int) -> Chat | None:
        """The waiting chat with this id (None once it left, even while its row lingers)."""
        return None if chat_id in self._leaving else self._by_id.get(chat_id)

    def shown_chat(self, chat_id: int) -> Chat | None:
        """The chat a row shows, waiting or lingering."""
        return self._by_id.get(chat_id)

    def chats(self) -> list[Chat]:
        return [c for c in self._rows if c.id not in self._leaving]

    def waiting_count(self) -> int:
        """Rows that can be taken (lingering rows are not counted)."""
        return len(self._rows) - len(self._leaving)

    def leaving_reason(self, chat_id: int) -> str:
        """Why the chat's row is about to go ("Taken by Sam Carter"), "" if it still waits."""
        return self._leaving.reason(chat_id)

    def taken_by_colleague(self, chat_id: int) -> bool:
        """The lingering row's chat was taken by a colleague (not closed or forwarded away)."""
        hit = self._leaving.get(chat_id)
        return hit is not None and hit.taken

    def set_agent_names(self, agents: Iterable[Agent]) -> None:
        """The colleagues the desk knows, to say who took a chat."""
        for a in agents:
            self._agent_names[a.id] = a.display_name

    def row_of(self, chat_id: int) -> int:
        chat = self._by_id.get(chat_id)
        if chat is None:
            return -1
        i = bisect.bisect_left(self._keys, sort_key(chat))
        return i if i < len(self._rows) and self._rows[i].id == chat_id else -1

    @property
    def loading(self) -> bool:
        return self._loading

    # -- applying changes ------------------------------------------------------------------------

    def apply_event(self, event: ServerEvent) -> None:
        """Slot for ``Bridge.serverEvent``: queue the event's chat snapshot for the next flush."""
        if event.type == EventType.AGENT_STATUS and isinstance(event.data, Agent):
            self._agent_names[event.data.id] = event.data.display_name
            return
        chat = chat_of_event(event)
        if chat is not None:
            self.upsert(chat)

    def upsert(self, chat: Chat) -> None:
        """Queue a snapshot: shown if it qualifies, dropped if it does not. Applied on flush."""
        if self._loaded_during is not None:
            prev = self._loaded_during.get(chat.id)
            if prev is None or newer_or_same(chat, prev):
                self._loaded_during[chat.id] = chat
        prev = self._pending.get(chat.id)
        if prev is None or newer_or_same(chat, prev):
            self._pending[chat.id] = chat
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def remove_chat(self, chat_id: int) -> None:
        """Drop a row now (this agent took the chat)."""
        self._pending.pop(chat_id, None)
        chat = self._by_id.get(chat_id)
        if chat is None:
            return
        hit = self._leaving.pop(chat_id)
        self._remember_dropped(chat_id, hit.version if hit else snapshot_version(chat))
        self._remove_ids([chat_id])
        self._count_maybe_changed()

    def mark_taken(self, chat_id: int) -> None:
        """A colleague took the chat (we learnt it from a 409, not an event): mark its row
        "Taken by a colleague" and let it go after ``LINGER_MS``. A snapshot still pending (the
        event of that take) stays queued: it names the colleague when it is applied."""
        chat = self._by_id.get(chat_id)
        if chat is None or chat_id in self._leaving:
            return
        self._start_leaving(chat, self.tr("Taken by a colleague"), snapshot_version(chat), taken=True)
        self._count_maybe_changed()

    def _remember_dropped(self, chat_id: int, version: tuple[int, datetime | None]) -> None:
        # a snapshot no newer than what we dropped must not bring the row back
        self._dropped[chat_id] = version
        if len(self._dropped) > MAX_DROPPED:
            del self._dropped[next(iter(self._dropped))]

    def _leave_reason(self, chat: Chat) -> str:
        if chat.state == ChatState.CLOSED:
            return self.tr("Closed: the visitor left or a colleague ended it")
        if chat.state == ChatState.ACTIVE:
            name = self._agent_names.get(chat.assignee_id) if chat.assignee_id else None
            if name:
                return self.tr("Taken by %1").replace("%1", isolate(name))
            return self.tr("Taken by a colleague")
        if chat.state == ChatState.WAITING:
            return self.tr("Forwarded to %1").replace(
                "%1", isolate(self.department_name(chat.department_id)))
        return self.tr("No longer waiting")

    def _start_leaving(self, shown: Chat, reason: str, version: tuple[int, datetime | None],
                       *, taken: bool) -> None:
        """Mark a row as going; it stays (same snapshot, same place) until its deadline."""
        new = self._leaving.start(shown.id, reason, version, taken=taken,
                                  linger_s=self.LINGER_MS / 1000)
        row = self.row_of(shown.id)
        if row >= 0:
            idx = self.index(row)
            self.dataChanged.emit(idx, idx, [self.LeavingRole, self.ForwardedRole,
                                             Qt.ItemDataRole.ToolTipRole,
                                             Qt.ItemDataRole.AccessibleTextRole])
        if new:
            self._arm_linger()

    def _arm_linger(self) -> None:
        ms = self._leaving.ms_to_next()
        if ms is None:
            self._linger_timer.stop()
        else:
            self._linger_timer.start(ms)

    def _expire_leaving(self) -> None:
        due = self._leaving.pop_due()
        for cid, hit in due.items():
            self._remember_dropped(cid, hit.version)
        self._remove_ids(list(due))
        self._arm_linger()
        self._count_maybe_changed()

    def flush(self) -> None:
        """Apply every queued snapshot as one batch."""
        self._flush_timer.stop()
        if not self._pending:
            return
        batch, self._pending = list(self._pending.values()), {}
        self._apply_batch(batch)

    def _apply_batch(self, batch: list[Chat]) -> None:
        removes: list[int] = []           # ids
        inserts: list[Chat] = []
        updates: list[tuple[Chat, Chat]] = []  # (old, new) with the same sort key
        leaving: list[tuple[Chat, Chat]] = []  # (shown, new) rows someone else took away
        back: list[int] = []                # lingering rows whose chat waits again
        mine = self._agent.id if self._agent is not None else None
        for chat in batch:
            old = self._by_id.get(chat.id)
            if old is not None and not newer_or_same(chat, old):
                continue                   # stale snapshot (older than what we show)
            gone = self._leaving.get(chat.id)
            if gone is not None and snapshot_version(chat) < gone.version:
                continue                   # older than the snapshot that took the row away
            dropped = self._dropped.get(chat.id)
            if dropped is not None:
                if snapshot_version(chat) <= dropped:
                    continue               # we dropped this row on purpose; this is no news
                del self._dropped[chat.id]
            keep = self.qualifies(chat)
            if gone is not None and keep:
                self._leaving.pop(chat.id)
                back.append(chat.id)
            if old is None:
                if keep:
                    inserts.append(chat)
            elif not keep:
                if chat.state == ChatState.ACTIVE and chat.assignee_id == mine:
                    removes.append(chat.id)            # I took it: my tab opens, no linger
                else:
                    leaving.append((old, chat))
            elif sort_key(old) != sort_key(chat):
                removes.append(chat.id)    # moved: remove and insert at its new place
                inserts.append(chat)
            else:
                updates.append((old, chat))

        for cid in removes:
            self._leaving.pop(cid)
        self._remove_ids(removes)
        for shown, new in leaving:
            self._start_leaving(shown, self._leave_reason(new), snapshot_version(new),
                                taken=new.state == ChatState.ACTIVE)
        for old, new in updates:
            row = self.row_of(old.id)
            self._rows[row] = new
            self._by_id[new.id] = new
            roles = self._changed_roles(old, new)
            if new.id in back:
                roles += [self.LeavingRole, Qt.ItemDataRole.AccessibleTextRole]
            if roles:
                idx = self.index(row)
                self.dataChanged.emit(idx, idx, roles)
        self._insert(inserts)
        self._count_maybe_changed()

    def _changed_roles(self, old: Chat, new: Chat) -> list[int]:
        roles: list[int] = [self.ChatRole, Qt.ItemDataRole.ToolTipRole]
        if self.visitor_label(old) != self.visitor_label(new):
            roles += [Qt.ItemDataRole.DisplayRole, self.VisitorNameRole,
                      Qt.ItemDataRole.AccessibleTextRole]
        if old.department_id != new.department_id:
            roles += [self.DepartmentRole, Qt.ItemDataRole.AccessibleTextRole]
        if old.last_message_preview != new.last_message_preview:
            roles.append(self.PreviewRole)
        if shows_forwarded(old) != shows_forwarded(new):
            roles.append(self.ForwardedRole)
        if (old.project_name or "") != (new.project_name or ""):
            roles.append(self.ProjectRole)
        if old.name != new.name:
            roles.append(self.ChatNameRole)
        return roles

    def _remove_ids(self, ids: list[int]) -> None:
        rows = sorted((r for r in (self.row_of(i) for i in ids) if r >= 0), reverse=True)
        # contiguous runs, from the bottom up, so earlier row numbers stay valid
        i = 0
        while i < len(rows):
            last = first = rows[i]
            while i + 1 < len(rows) and rows[i + 1] == first - 1:
                i += 1
                first = rows[i]
            self.beginRemoveRows(QModelIndex(), first, last)
            for chat in self._rows[first:last + 1]:
                del self._by_id[chat.id]
            del self._rows[first:last + 1]
            del self._keys[first:last + 1]
            self.endRemoveRows()
            i += 1

    def _insert(self, chats: list[Chat]) -> None:
        if not chats:
            return
        chats.sort(key=sort_key)
        # group into runs that land at the same position of the current rows
        runs: list[tuple[int, list[Chat]]] = []
        for chat in chats:
            pos = bisect.bisect_left(self._keys, sort_key(chat))
            if runs and runs[-1][0] == pos:
                runs[-1][1].append(chat)
            else:
                runs.append((pos, [chat]))
        offset = 0
        for pos, run in runs:
            at = pos + offset
            self.beginInsertRows(QModelIndex(), at, at + len(run) - 1)
            self._rows[at:at] = run
            self._keys[at:at] = [sort_key(c) for c in run]
            for c in run:
                self._by_id[c.id] = c
            self.endInsertRows()
            offset += len(run)
        self.arrived.emit(list(chats))

    def reset(self, chats: Iterable[Chat]) -> None:
        """Replace every row (after a full reload)."""
        rows = sorted((c for c in chats if self.qualifies(c)), key=sort_key)
        self.beginResetModel()
        self._leaving.clear()
        self._linger_timer.stop()
        self._rows = rows
        self._keys = [sort_key(c) for c in rows]
        self._by_id = {c.id: c for c in rows}
        self.endResetModel()
        self._count_maybe_changed()

    def clear(self) -> None:
        self._pending.clear()
        self._dropped.clear()
        self.reset([])

    async def reload(self, backend: Backend) -> None:
        """Load every waiting chat over HTTP (all pages) and replace the rows.

        Events that arrive while the pages load are kept and laid over the loaded snapshots, so
        nothing that happened during the reload is lost (snapshots compare by version).
        """
        if self._loaded_during is not None:
            return                        # one reload at a time; the running one sees new events
        self._loaded_during = {}
        self._set_loading(True)
        try:
            chats: dict[int, Chat] = {}
            offset = 0
            while True:
                page = await backend.list_chats(state=ChatState.WAITING, offset=offset,
                                                limit=PAGE_LIMIT)
                for c in page.items:
                    chats[c.id] = c
                offset += len(page.items)
                if not page.items or offset >= page.total:
                    break
            for c in self._loaded_during.values():
                prev = chats.get(c.id)
                if prev is None or newer_or_same(c, prev):
                    chats[c.id] = c
            self._pending.clear()   # everything pending is in _loaded_during, now applied
            before = set(self._by_id)
            self.reset(chats.values())
            new = [c for c in self._rows if c.id not in before]
            if new:
                self.arrived.emit(new)
            log.info("queue reloaded: %d waiting chats", len(self._rows))
        finally:
            self._loaded_during = None
            self._set_loading(False)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loadingChanged.emit(loading)

    def _count_maybe_changed(self) -> None:
        n = self.waiting_count()
        if self._rows and not self._tick_timer.isActive():
            self._tick_timer.start()
        elif not self._rows:
            self._tick_timer.stop()
        if n != self._last_count:
            self._last_count = n
            self.countChanged.emit(n)

    def _tick(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1),
                                  [self.WaitingSecondsRole])

"""History of the client's chats (seed item 7): the visitor's earlier chats from the same browser
(the widget's cookie) and the chats in which the same client was authorized.

:class:`ChatHistoryModel` is a list model over ``backend.chat_history`` pages (``canFetchMore`` /
``fetchMore`` load the next page, one fetch at a time); each row is a :class:`Chat` snapshot. Texts
a visitor controls (preview, chat name) are data for the view's default delegate, which paints
them as plain text.
"""

from __future__ import annotations

import asyncio
import logging

from supportdesk_protocol.schemas import Chat, ChatState
from supportdesk_qt.backend.base import Backend, BackendError
from supportdesk_qt.qt import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from supportdesk_qt.ui.common.datetime import format_datetime
from supportdesk_qt.ui.common.tooltips import plain_tooltip
from supportdesk_qt.ui.tasks import TaskRegistry, TaskScope

log = logging.getLogger("supportdesk.ui.chat.history")

PAGE = 30
PREVIEW = 80


def _short(text: str, n: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


class ChatHistoryModel(QAbstractListModel):
    ChatRole = Qt.ItemDataRole.UserRole + 1        # the Chat snapshot
    ReasonRole = Qt.ItemDataRole.UserRole + 2      # "browser" / "client" / "both"

    #: The first page arrived (row count may be 0).
    loaded = Signal()
    #: Loading failed: a sentence.
    loadFailed = Signal(str)

    def __init__(self, backend: Backend, tasks: TaskRegistry, chat: Chat,
                 parent: QObject | None = None, *, page_size: int = PAGE) -> None:
        super().__init__(parent)
        self._backend, self._tasks = backend, TaskScope(self, tasks)   # gone with the model
        self._chat = chat
        self._rows: list[Chat] = []
        self._total = 0
        self._loaded = False
        self._task: asyncio.Task | None = None
        self._generation = 0
        self.page_size = page_size

    # -- reading -------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def chat_at(self, row: int) -> Chat:
        return self._rows[row]

    @property
    def is_loaded(self) -> bool:
        return self._loaded

    @property
    def total(self) -> int:
        return self._total

    def reason(self, c: Chat) -> str:
        browser = c.visitor_id == self._chat.visitor_id
        client = self._chat.client_id is not None and c.client_id == self._chat.client_id
        return "both" if browser and client else "browser" if browser else "client"

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        c = self._rows[index.row()]
        if role == self.ChatRole:
            return c
        if role == self.ReasonRole:
            return self.reason(c)
        if role == Qt.ItemDataRole.DisplayRole:
            date = format_datetime(c.created_at)
            what = _short(c.name or c.last_message_preview, PREVIEW) or self.tr("(no messages)")
            state = "" if c.state == ChatState.CLOSED else " · " + (
                self.tr("open") if c.state == ChatState.ACTIVE else self.tr("waiting"))
            return f"{date}{state}\n{what}"
        if role == Qt.ItemDataRole.ToolTipRole:
            reason = {"browser": self.tr("From the same browser"),
                      "client": self.tr("The same client was logged in"),
                      "both": self.tr("Same browser, same client")}[self.reason(c)]
            who = c.client_name or c.visitor_name or ""
            lines = [reason, _short(who, 120), _short(c.summary, 300)]
            # the visitor's name and the summary are user data: never let QToolTip guess HTML
            return plain_tooltip("\n".join(line for line in lines if line))
        return None

    # -- loading -------------------------------------------------------------------------------

    def set_chat(self, chat: Chat) -> None:
        """A newer snapshot of the open chat: reload when it became another client's."""
        old = self._chat
        self._chat = chat
        if chat.client_id != old.client_id and self._loaded:
            self.reload()

    def reload(self) -> None:
        self._generation += 1
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None
        self.beginResetModel()
        self._rows, self._total, self._loaded = [], 0, False
        self.endResetModel()
        self._fetch()

    def load(self) -> None:
        if not self._loaded and self._task is None:
            self._fetch()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        return (not parent.isValid() and self._loaded and len(self._rows) < self._total
                and (self._task is None or self._task.done()))

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self._fetch()

    def _fetch(self) -> None:
        gen = self._generation
        self._task = self._tasks.spawn(self._page(gen, len(self._rows)),
                                       name=f"chat-{self._chat.id}-history")

    async def _page(self, gen: int, offset: int) -> None:
        try:
            page = await self._backend.chat_history(self._chat.id, offset=offset,
                                                    limit=self.page_size)
        except BackendError as exc:
            if gen == self._generation:
                self._task = None
                self.loadFailed.emit(exc.message)
            return
        if gen != self._generation:
            return
        self._task = None
        known = {c.id for c in self._rows}
        new = [c for c in page.items if c.id not in known]
        self._total = page.total
        if new:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()
        if not self._loaded:
            self._loaded = True
            self.loaded.emit()

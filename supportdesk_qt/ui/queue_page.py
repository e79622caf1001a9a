"""The list of waiting chats as the agent sees it: one view class for the Waiting chats tab and
the counter's pop-up, and the one tooltip both show.

:class:`QueueView` keeps what is under the agent's eyes tied to a *chat*, not a row number:

- when the current chat's row goes (the agent took it, or a colleague's row finished lingering),
  the selection is cleared instead of sliding onto the next chat, so a second Enter takes
  nothing until the agent moves;
- the hover tooltip belongs to the chat it was shown for: it is hidden when that chat's row is
  marked as leaving or removed, and a history that arrives late is shown only if the same chat
  is still under the mouse.

:class:`QueueHistory` fetches and caches each chat's recent messages
(``backend.chat_messages(chat_id, limit=HISTORY_LIMIT)``, kept ``HISTORY_TTL_S``), shared by
both views. :func:`queue_tooltip_text` is the tooltip: the model's details of the chat, then its
history (or "Loading the history…"). Every line comes from visitors: it is escaped and wrapped
by :func:`~supportdesk_qt.ui.common.tooltips.plain_tooltip`, so ``<b>x</b>`` shows as typed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable

from supportdesk_protocol.schemas import AuthorKind, ChatMessage
from supportdesk_qt.backend.base import Backend, BackendError
from supportdesk_qt.qt import (
    QAbstractItemView,
    QEvent,
    QFrame,
    QItemSelectionModel,
    QLabel,
    QListView,
    QLocale,
    QModelIndex,
    QObject,
    QPoint,
    QStackedWidget,
    Qt,
    QToolTip,
    QVBoxLayout,
    QWidget,
    Signal,
    translate,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.delegates.queue_delegate import QueueDelegate
from supportdesk_qt.ui.common.text import isolate
from supportdesk_qt.ui.models.queue_model import QueueModel
from supportdesk_qt.ui.common.datetime import format_time
from supportdesk_qt.ui.common.tooltips import plain_tooltip
from supportdesk_qt.ui.tabs import Tab, TabContext
from supportdesk_qt.ui.tasks import TaskRegistry

log = logging.getLogger("supportdesk.ui.queue")

HISTORY_LIMIT = 10
HISTORY_TTL_S = 20.0
HISTORY_CACHE = 64
MAX_LINE = 300


def history_lines(messages: list[ChatMessage]) -> list[str]:
    """One ``time  author: text`` line per message; system lines (events) have no author."""
    if not messages:
        return [translate("QueueView", "No messages yet.")]
    lines = []
    for m in messages:
        text = " ".join(m.text.split())
        if len(text) > MAX_LINE:
            text = text[:MAX_LINE - 1] + "…"
        when = format_time(m.created_at)
        if m.author_kind == AuthorKind.SYSTEM:
            lines.append(f"{when}  {text}")
            continue
        if m.author_kind == AuthorKind.VISITOR:
            who = m.author_name or translate("QueueView", "Visitor")
        else:
            who = m.author_name or translate("QueueView", "Agent")
        lines.append(f"{when}  {isolate(who)}: {isolate(text)}")
    return lines


def queue_tooltip_text(details: str, history: str | None) -> str:
    """The tooltip of a waiting chat, in the tab and the pop-up alike: details, then history."""
    return "\n".join([details, "", history if history is not None
                      else translate("QueueView", "Loading the history…")])


class QueueHistory(QObject):
    """Recent messages of waiting chats, fetched on hover and cached for both queue views."""

    #: (chat id) the history of a chat is now in the cache.
    loaded = Signal(int)

    def __init__(self, tasks: TaskRegistry, backend: Callable[[], Backend | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._backend = backend
        self._cache: OrderedDict[int, tuple[float, str]] = OrderedDict()
        self._fetching: dict[int, asyncio.Task] = {}

    def cached(self, chat_id: int) -> str | None:
        hit = self._cache.get(chat_id)
        if hit is None or time.monotonic() - hit[0] > HISTORY_TTL_S:
            return None
        return hit[1]

    def fetch(self, chat_id: int) -> None:
        backend = self._backend()
        if backend is None or chat_id in self._fetching:
            return
        task = self._tasks.spawn(self._fetch(backend, chat_id), name=f"queue-history-{chat_id}")
        self._fetching[chat_id] = task
        task.add_done_callback(lambda _t, cid=chat_id: self._fetching.pop(cid, None))

    async def _fetch(self, backend: Backend, chat_id: int) -> None:
        try:
            messages, _older = await backend.chat_messages(chat_id, limit=HISTORY_LIMIT)
        except BackendError as exc:
            text = self.tr("The history could not be loaded: %1").replace("%1", exc.message)
            stamp = time.monotonic() - HISTORY_TTL_S + 3   # retry soon
        else:
            text = "\n".join(history_lines(messages[-HISTORY_LIMIT:]))
            stamp = time.monotonic()
        self._cache[chat_id] = (stamp, text)
        self._cache.move_to_end(chat_id)
        while len(self._cache) > HISTORY_CACHE:
            self._cache.popitem(last=False)
        self.loaded.emit(chat_id)


class QueueView(QListView):
    """The list of waiting chats. Enter and double-click both "activate" (take) a chat."""

    #: A history tooltip was shown (tests): the plain-text source and the rich-text shell.
    historyShown = Signal(str, str)

    def __init__(self, model: QueueModel, history: QueueHistory | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queueView")
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMouseTracking(True)
        self.setSpacing(0)
        self.queue_model = model
        self.history = history
        self._tip_chat: int | None = None     # the chat whose tooltip is up
        self._tip_at = (QPoint(), QPoint())     # where it was asked for (viewport, global)
        self._tip_wanted = False                # the mouse still rests there
        self._current_going = False
        # connected before setModel, so this runs before the selection model moves the current
        # row onto a neighbour; _rows_gone then runs after it and undoes that move
        model.rowsAboutToBeRemoved.connect(self._rows_about_to_go)
        self.setModel(model)
        self.setItemDelegate(QueueDelegate(self))
        model.rowsRemoved.connect(self._rows_gone)
        model.modelReset.connect(self._hide_tip)
        model.dataChanged.connect(self._data_changed)
        if history is not None:
            history.loaded.connect(self._history_loaded)
        self.viewport().installEventFilter(self)

    # -- the selection follows the chat -----------------------------------------------------------

    def _rows_about_to_go(self, parent: QModelIndex, first: int, last: int) -> None:
        current = self.currentIndex()
        if current.isValid() and first <= current.row() <= last:
            self._current_going = True
        if self._tip_chat is not None:
            row = self.queue_model.row_of(self._tip_chat)
            if first <= row <= last:
                self._hide_tip()

    def _rows_gone(self, *_: object) -> None:
        if self._current_going:
            # Qt moved the current (and selected) row onto a neighbour: another chat, which a
            # second Enter would take. Select nothing until the agent moves.
            self._current_going = False
            self.selectionModel().setCurrentIndex(QModelIndex(),
                                                  QItemSelectionModel.SelectionFlag.Clear)

    def _data_changed(self, top: QModelIndex, bottom: QModelIndex, roles: list[int]) -> None:
        if self._tip_chat is None or (roles and QueueModel.LeavingRole not in roles):
            return
        row = self.queue_model.row_of(self._tip_chat)
        if top.row() <= row <= bottom.row() and self.queue_model.leaving_reason(self._tip_chat):
            self._hide_tip()

    # -- the tooltip belongs to a chat ------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.viewport():
            if event.type() == QEvent.Type.ToolTip:
                self.show_tooltip(event.pos(), event.globalPos())
                return True
            if event.type() == QEvent.Type.Leave:
                # the mouse left (or the tooltip window came up under it): a history that
                # arrives now is not shown, but the tooltip still belongs to its chat
                self._tip_wanted = False
        return super().eventFilter(obj, event)

    def _chat_at(self, pos: QPoint) -> int | None:
        index = self.indexAt(pos)
        chat_id = index.data(QueueModel.ChatIdRole) if index.isValid() else None
        return int(chat_id) if chat_id is not None else None

    def show_tooltip(self, pos: QPoint, global_pos: QPoint) -> None:
        chat_id = self._chat_at(pos)
        chat = self.queue_model.shown_chat(chat_id) if chat_id is not None else None
        if chat is None:
            self._hide_tip()
            return
        self._tip_chat = chat_id
        self._tip_wanted = True
        self._tip_at = (QPoint(pos), QPoint(global_pos))
        history = self.history.cached(chat_id) if self.history is not None else None
        text = queue_tooltip_text(self.queue_model.details_text(chat), history)
        shell = plain_tooltip(text)
        QToolTip.showText(global_pos, shell, self.viewport())
        if history is not None:
            self.historyShown.emit(text, shell)
        elif self.history is not None:
            self.history.fetch(chat_id)

    def _history_loaded(self, chat_id: int) -> None:
        if chat_id != self._tip_chat or not self._tip_wanted or not self.isVisible():
            return
        pos, global_pos = self._tip_at
        if self._chat_at(pos) != chat_id:       # the row under the mouse is another chat now
            self._hide_tip()
            return
        self.show_tooltip(pos, global_pos)

    def _hide_tip(self, *_: object) -> None:
        if self._tip_chat is not None:
            self._tip_chat = None
            QToolTip.hideText()


class QueuePage(QWidget, Tab):
    """The queue tab: the list, or a friendly empty state when nobody is waiting. The window's
    first tab, always there (never closed, never saved); its model hears the events itself."""

    kind = "queue"
    restorable = False

    def __init__(self, context: TabContext, model: QueueModel,
                 history: QueueHistory | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queuePage")
        self.init_tab(context)
        self.model = model
        self._count = model.waiting_count()
        self.view = QueueView(model, history, self)

        self.empty = QLabel(self)
        self.empty.setObjectName("queueEmpty")
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        theme.tint(self.empty, theme.muted_text)

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        model.countChanged.connect(self._update)
        model.modelReset.connect(self._update)
        model.rowsRemoved.connect(self._update)
        model.rowsInserted.connect(self._update)   # a moved row is removed, then inserted
        model.loadingChanged.connect(self._update)
        model.countChanged.connect(self._count_changed)
        self._update()

    def title(self) -> str:
        if not self._count:
            return self.tr("Waiting chats")
        return self.tr("Waiting chats (%1)").replace("%1", QLocale().toString(self._count))

    def request_close(self) -> bool:
        return False

    def _count_changed(self, count: int) -> None:
        if count != self._count:
            self._count = count
            self.titleChanged.emit(self.title())

    def _update(self, *_: object) -> None:
        if self.model.rowCount():
            self.stack.setCurrentWidget(self.view)
            return
        if self.model.loading:
            self.empty.setText(self.tr("Loading the chats waiting for you…"))
        else:
            self.empty.setText(self.tr("No chats are waiting.\n"
                                       "A new chat shows up here the moment a visitor writes."))
        self.stack.setCurrentWidget(self.empty)

"""The list of chats as a pop-up under the chat counter (the seed's "List of available chats").

:class:`QueuePopup` is a ``Qt.Popup`` frame with a :class:`QListView` over the window's one
:class:`~supportdesk_qt.ui.models.queue_model.QueueModel`, painted by the same
:class:`~supportdesk_qt.ui.delegates.queue_delegate.QueueDelegate` as the queue tab: visitor or
client name, department, the ticking waiting time, the last message preview and the arrows marker
of a forwarded chat. A click (or Enter) emits :attr:`QueuePopup.chatActivated`; the main window
takes the chat and then either hides the pop-up (the chat opened in a tab) or calls
:meth:`QueuePopup.show_notice` (a colleague was faster; the row is already gone).

Hovering a row shows the chat's recent history as a tooltip. The history is fetched on hover
(``backend.chat_messages(chat_id, limit=HISTORY_LIMIT)``) and cached for ``HISTORY_TTL_S``, so
moving the mouse up and down the list does not fire a request per pixel; the tooltip shows
the model's summary with "Loading…" until the messages arrive, then the history if the mouse is
still over the same row. Every line comes from visitors: the text is escaped and wrapped by
:func:`~supportdesk_qt.ui.panels._common.plain_tooltip`, so ``<b>x</b>`` shows as typed.
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
    QLabel,
    QListView,
    QLocale,
    QModelIndex,
    QObject,
    QPalette,
    QPoint,
    Qt,
    QToolTip,
    QVBoxLayout,
    QWidget,
    Signal,
    tr,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.delegates.queue_delegate import QueueDelegate
from supportdesk_qt.ui.models.queue_model import QueueModel
from supportdesk_qt.ui.panels._common import format_time, plain_tooltip
from supportdesk_qt.ui.tasks import TaskRegistry

log = logging.getLogger("supportdesk.ui.queue_popup")

HISTORY_LIMIT = 10
HISTORY_TTL_S = 20.0
HISTORY_CACHE = 64
MAX_LINE = 300
MAX_VISIBLE_ROWS = 7
WIDTH = 440


def history_text(title: str, messages: list[ChatMessage]) -> str:
    """The tooltip's plain text: a title line, then one ``time  author: text`` line per message."""
    lines = [title, ""]
    if not messages:
        lines.append(tr("QueuePopup", "No messages yet."))
    for m in messages:
        who = m.author_name or (tr("QueuePopup", "Visitor") if m.author_kind == AuthorKind.VISITOR
                                else tr("QueuePopup", "Agent"))
        text = " ".join(m.text.split())
        if len(text) > MAX_LINE:
            text = text[:MAX_LINE - 1] + "…"
        lines.append(f"{format_time(m.created_at, seconds=False)}  {who}: {text}")
    return "\n".join(lines)


class QueuePopup(QFrame):
    #: The agent clicked (or pressed Enter on) a chat: take it.
    chatActivated = Signal(int)
    #: A history tooltip was shown (tests): the plain-text source and the rich-text shell.
    historyShown = Signal(str, str)

    def __init__(self, model: QueueModel, tasks: TaskRegistry,
                 backend: Callable[[], Backend | None], parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("queuePopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.model = model
        self._tasks = tasks
        self._backend = backend
        self._history: OrderedDict[int, tuple[float, str]] = OrderedDict()
        self._fetching: dict[int, asyncio.Task] = {}
        self._hover_id: int | None = None
        self._busy: set[int] = set()

        self.header = QLabel(self)
        self.header.setObjectName("queuePopupHeader")
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setContentsMargins(10, 8, 10, 6)
        f = self.header.font()
        f.setBold(True)
        self.header.setFont(f)

        self.view = QListView(self)
        self.view.setObjectName("queuePopupView")
        self.view.setModel(model)
        self.view.setItemDelegate(QueueDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setMouseTracking(True)
        self.view.clicked.connect(self._activate)
        self.view.activated.connect(self._activate)   # Enter (and double-click on some styles)
        self.view.viewport().installEventFilter(self)

        self.notice = QLabel(self)
        self.notice.setObjectName("queuePopupNotice")
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setWordWrap(True)
        self.notice.setContentsMargins(10, 6, 10, 8)
        self.notice.hide()

        self.empty = QLabel(self.tr("No chats are waiting. A new chat shows up here the moment "
                                    "a visitor writes."), self)
        self.empty.setObjectName("queuePopupEmpty")
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setContentsMargins(16, 18, 16, 18)
        pal = self.empty.palette()
        pal.setColor(QPalette.ColorRole.WindowText, theme.muted_text(self.palette()))
        self.empty.setPalette(pal)
        self.header.setPalette(pal)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(1, 1, 1, 1)
        lay.setSpacing(0)
        lay.addWidget(self.header)
        lay.addWidget(self.view)
        lay.addWidget(self.empty)
        lay.addWidget(self.notice)

        model.countChanged.connect(self._relayout)
        model.modelReset.connect(self._relayout)
        model.rowsRemoved.connect(self._relayout)
        model.rowsInserted.connect(self._relayout)

    # -- showing -----------------------------------------------------------------------------------

    def popup_under(self, anchor: QWidget) -> None:
        """Open below ``anchor`` (the counter), right-aligned with it, inside the screen."""
        self._anchor = anchor
        self.notice.hide()
        self._relayout()
        below = anchor.mapToGlobal(QPoint(anchor.width() - self.width(), anchor.height() + 2))
        screen = anchor.screen().availableGeometry() if anchor.screen() else None
        if screen is not None:
            below.setX(max(screen.left(), min(below.x(), screen.right() - self.width())))
        self.move(below)
        self.show()
        self.view.setFocus(Qt.FocusReason.PopupFocusReason)
        if self.model.rowCount() and not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.model.index(0))

    def _relayout(self, *_: object) -> None:
        n = self.model.rowCount()
        if n == 0:
            self.header.setText(self.tr("Waiting chats"))
        elif n == 1:
            self.header.setText(self.tr("1 chat waiting — click it to take it"))
        else:
            self.header.setText(self.tr("%1 chats waiting — click one to take it").replace(
                "%1", QLocale().toString(n)))
        self.view.setVisible(n > 0)
        self.empty.setVisible(n == 0)
        rows = min(n, MAX_VISIBLE_ROWS)
        row_h = self.view.sizeHintForRow(0) if n else 0
        self.view.setFixedHeight(rows * row_h + (2 if rows else 0))
        self.setFixedWidth(WIDTH)
        self.adjustSize()

    def show_notice(self, sentence: str) -> None:
        """A one-line outcome under the list (e.g. a colleague took the chat first)."""
        self.notice.setText(sentence)
        self.notice.show()
        self._relayout()

    def set_busy(self, chat_id: int, busy: bool) -> None:
        if busy:
            self._busy.add(chat_id)
            self.notice.setText(self.tr("Taking the chat…"))
            self.notice.show()
        else:
            self._busy.discard(chat_id)
        self._relayout()

    def _activate(self, index: QModelIndex) -> None:
        chat_id = index.data(QueueModel.ChatIdRole)
        if chat_id is not None and int(chat_id) not in self._busy:
            self.chatActivated.emit(int(chat_id))

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._activate(self.view.currentIndex())
            return
        super().keyPressEvent(event)

    # -- history tooltip ---------------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.view.viewport():
            if event.type() == QEvent.Type.ToolTip:
                self._tooltip(event.pos(), event.globalPos())
                return True
            if event.type() == QEvent.Type.Leave:
                self._hover_id = None
        return super().eventFilter(obj, event)

    def cached_history(self, chat_id: int) -> str | None:
        hit = self._history.get(chat_id)
        if hit is None or time.monotonic() - hit[0] > HISTORY_TTL_S:
            return None
        return hit[1]

    def _tooltip(self, pos: QPoint, global_pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            self._hover_id = None
            QToolTip.hideText()
            return
        chat_id = int(index.data(QueueModel.ChatIdRole))
        self._hover_id = chat_id
        text = self.cached_history(chat_id)
        if text is not None:
            self._show_history(chat_id, text, global_pos)
            return
        title = str(index.data(QueueModel.VisitorNameRole) or "")
        preview = str(index.data(QueueModel.PreviewRole) or "")
        self._show_history(chat_id, "\n".join([title, "", preview, "", self.tr("Loading the history…")]),
                           global_pos, emit=False)
        self.fetch_history(chat_id, title, global_pos)

    def fetch_history(self, chat_id: int, title: str, global_pos: QPoint | None = None) -> None:
        backend = self._backend()
        if backend is None or chat_id in self._fetching:
            return
        task = self._tasks.spawn(self._fetch(backend, chat_id, title, global_pos),
                                 name=f"queue-history-{chat_id}")
        self._fetching[chat_id] = task
        task.add_done_callback(lambda _t, cid=chat_id: self._fetching.pop(cid, None))

    async def _fetch(self, backend: Backend, chat_id: int, title: str,
                     global_pos: QPoint | None) -> None:
        try:
            messages, _older = await backend.chat_messages(chat_id, limit=HISTORY_LIMIT)
        except BackendError as exc:
            text = "\n".join([title, "", self.tr("The history could not be loaded: %1")
                              .replace("%1", exc.message)])
            ttl_stamp = time.monotonic() - HISTORY_TTL_S + 3   # retry soon
        else:
            text = history_text(title, messages[-HISTORY_LIMIT:])
            ttl_stamp = time.monotonic()
        self._history[chat_id] = (ttl_stamp, text)
        self._history.move_to_end(chat_id)
        while len(self._history) > HISTORY_CACHE:
            self._history.popitem(last=False)
        if self.isVisible() and self._hover_id == chat_id and global_pos is not None:
            self._show_history(chat_id, text, global_pos)

    def _show_history(self, chat_id: int, text: str, global_pos: QPoint, emit: bool = True) -> None:
        shell = plain_tooltip(text)
        QToolTip.showText(global_pos, shell, self.view.viewport())
        if emit:
            self.historyShown.emit(text, shell)

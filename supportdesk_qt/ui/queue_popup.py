"""The list of chats as a pop-up under the chat counter (the seed's "List of available chats").

:class:`QueuePopup` is a ``Qt.Popup`` frame with a :class:`QListView` over the window's one
:class:`~supportdesk_qt.ui.models.queue_model.QueueModel`, painted by the same
:class:`~supportdesk_qt.ui.delegates.queue_delegate.QueueDelegate` as the queue tab: visitor or
client name, department, the ticking waiting time, the last message preview and the arrows marker
of a forwarded chat. A click (or Enter) emits :attr:`QueuePopup.chatActivated`; the main window
takes the chat and then either hides the pop-up (the chat opened in a tab) or calls
:meth:`QueuePopup.show_notice` (a colleague was faster; the row is already gone).

The list is the same :class:`~supportdesk_qt.ui.queue_page.QueueView` as the tab's, so both show
the same tooltip (details and recent history), keep the selection on a chat rather than a row
number, and show a row a colleague took as "Taken by …" for a moment before it goes. Enter or a
click on such a row takes nothing: the main window says the chat is gone.
"""

from __future__ import annotations

import logging

from supportdesk_qt.qt import (
    QFrame,
    QLabel,
    QModelIndex,
    QPoint,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.models.queue_model import QueueModel
from supportdesk_qt.ui.queue_page import QueueHistory, QueueView

log = logging.getLogger("supportdesk.ui.queue_popup")

MAX_VISIBLE_ROWS = 7
WIDTH = 440


class QueuePopup(QFrame):
    #: The agent clicked (or pressed Enter on) a chat: take it.
    chatActivated = Signal(int)
    #: A history tooltip was shown (tests): the plain-text source and the rich-text shell.
    historyShown = Signal(str, str)

    def __init__(self, model: QueueModel, history: QueueHistory | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("queuePopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.model = model
        self._busy: set[int] = set()

        self.header = QLabel(self)
        self.header.setObjectName("queuePopupHeader")
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setContentsMargins(10, 8, 10, 6)
        f = self.header.font()
        f.setBold(True)
        self.header.setFont(f)

        self.view = QueueView(model, history, self)
        self.view.setObjectName("queuePopupView")
        self.view.clicked.connect(self._activate)
        self.view.activated.connect(self._activate)   # Enter (and double-click on some styles)
        self.view.historyShown.connect(self.historyShown)

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
        theme.tint(self.empty, theme.muted_text)
        theme.tint(self.header, theme.muted_text)

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
        n = self.model.rowCount()          # lingering "taken by" rows included
        waiting = self.model.waiting_count()
        if waiting == 0:
            self.header.setText(self.tr("Waiting chats"))
        elif waiting == 1:
            self.header.setText(self.tr("1 chat waiting — click it to take it"))
        else:
            self.header.setText(self.tr("%Ln chat(s) waiting — click one to take it", "",
                                        waiting))
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

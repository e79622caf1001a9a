"""History of the client's chats in the chat panel (seed item 7) and one of them, read-only, in a
tab of its own.

* :class:`ChatHistoryList`: a caption, a :class:`QListView` over
  :class:`~supportdesk_qt.ui.chat.history_model.ChatHistoryModel` and a line that says "none" or
  why loading failed. Double-click or Enter emits :attr:`ChatHistoryList.openChat`.
* :class:`ChatHistoryTab`: the conversation of an earlier chat (the chat tab's message model and
  view, no composer, no buttons that change anything); the main window shows it under the key
  ``history:<chat id>``.
"""

from __future__ import annotations

from supportdesk_protocol.schemas import Chat, ChatState
from supportdesk_qt.backend.base import Backend, Capability
from supportdesk_qt.qt import (
    QAbstractItemView,
    QFont,
    QFrame,
    QLabel,
    QListView,
    QModelIndex,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.chat.history_model import ChatHistoryModel
from supportdesk_qt.ui.chat.message_delegate import MessageView
from supportdesk_qt.ui.chat.message_model import MessageModel
from supportdesk_qt.ui.common.datetime import format_datetime
from supportdesk_qt.ui.common.text import isolate
from supportdesk_qt.ui.tabs import Tab, TabContext
from supportdesk_qt.ui.tasks import TaskRegistry

LIST_ROWS = 4          # visible rows before the list scrolls
MAX_TITLE = 40


def _muted(label: QLabel) -> QLabel:
    theme.tint(label, theme.muted_text)
    return label


class ChatHistoryList(QWidget):
    #: The agent wants to read an earlier chat (its snapshot).
    openChat = Signal(object)

    def __init__(self, backend: Backend, tasks: TaskRegistry, chat: Chat,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatHistory")
        self.model = ChatHistoryModel(backend, tasks, chat, self)
        vl = QVBoxLayout(self)
        vl.setContentsMargins(0, 0, 0, 0)
        vl.setSpacing(4)
        cap = _muted(QLabel(self.tr("Earlier chats of this visitor or client"), self))
        cap.setWordWrap(True)     # unwrapped, it made the panel wider than its scroll area
        vl.addWidget(cap)
        self.view = QListView(self)
        self.view.setObjectName("chatHistoryList")
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setUniformItemSizes(True)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._row_height = self.view.fontMetrics().lineSpacing() * 2 + 6
        self.view.setFixedHeight(self._row_height * LIST_ROWS + 6)
        self.view.setToolTip(self.tr("Double-click to read the chat"))
        # a click selects a row without taking the focus from the composer (Tab reaches it)
        self.view.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        cap.setBuddy(self.view)
        vl.addWidget(self.view)
        self.status_label = QLabel("", self)
        self.status_label.setObjectName("chatHistoryStatus")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        vl.addWidget(self.status_label)
        self.view.activated.connect(self._activated)      # double-click or Enter (per style)
        self.model.loaded.connect(self._update)
        self.model.rowsInserted.connect(self._update)
        self.model.modelReset.connect(self._update)
        self.model.loadFailed.connect(self._failed)
        self._update()
        # A backend without chat history (Capability.CHAT_HISTORY) shows no section.
        self.supported = Capability.CHAT_HISTORY in backend.capabilities
        self.setVisible(self.supported)
        if self.supported:
            self.model.load()

    def apply_chat(self, chat: Chat) -> None:
        if self.supported:
            self.model.set_chat(chat)

    def _update(self, *_: object) -> None:
        if not self.model.is_loaded:
            _muted(self.status_label).setText(self.tr("Loading…"))
            self.view.hide()
        elif self.model.rowCount() == 0:
            _muted(self.status_label).setText(self.tr("No earlier chats."))
            self.view.hide()
        else:
            self.status_label.setText("")
            rows = min(self.model.rowCount(), LIST_ROWS)
            self.view.setFixedHeight(self._row_height * rows + 6)   # no empty box for one row
            self.view.show()

    def _failed(self, message: str) -> None:
        theme.tint(self.status_label, theme.error_text)
        self.status_label.setText(self.tr("The earlier chats could not be loaded: %1")
                                  .replace("%1", message))

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.openChat.emit(self.model.chat_at(index.row()))


class ChatHistoryTab(QWidget, Tab):
    """An earlier chat, read-only: header (who, when, state) and the conversation."""

    kind = "history"

    def __init__(self, context: TabContext, chat: Chat, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatHistoryTab")
        self.init_tab(context)
        self.chat = chat
        self.chat_id = chat.id
        # No Qt parent (as in ChatTab): a page still loading when the tab goes away finds its
        # model alive instead of a deleted C++ object; its pages load in the tab's scope.
        self.model = MessageModel(self.backend, self.scope, chat.id, None)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        header = QFrame(self)
        hl = QVBoxLayout(header)
        hl.setContentsMargins(14, 8, 10, 8)
        hl.setSpacing(1)
        self.name_label = QLabel(self.title(), header)
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.name_label.font())
        font.setBold(True)
        self.name_label.setFont(font)
        hl.addWidget(self.name_label)
        state = {ChatState.WAITING: self.tr("waiting"), ChatState.ACTIVE: self.tr("open"),
                 ChatState.CLOSED: self.tr("closed")}.get(chat.state, str(chat.state))
        sub = self.tr("Chat of %1 (%2) · read-only").replace(
            "%1", format_datetime(chat.created_at)).replace("%2", state)
        if chat.name:
            sub = f"{isolate(chat.name[:120])} · {sub}"
        self.sub_label = _muted(QLabel(sub, header))
        self.sub_label.setTextFormat(Qt.TextFormat.PlainText)
        hl.addWidget(self.sub_label)
        outer.addWidget(header)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        outer.addWidget(line)
        self.view = MessageView(self)
        self.view.setModel(self.model)
        outer.addWidget(self.view, 1)
        self.notice_label = QLabel("", self)
        self.notice_label.setTextFormat(Qt.TextFormat.PlainText)
        self.notice_label.setWordWrap(True)
        self.notice_label.setContentsMargins(14, 4, 14, 6)
        self.notice_label.hide()
        outer.addWidget(self.notice_label)
        self.model.loadFailed.connect(self._failed)
        self.model.load()

    @classmethod
    def from_key(cls, context: TabContext, ident: str,
                 snapshot: object = None) -> ChatHistoryTab | None:
        return cls(context, snapshot) if isinstance(snapshot, Chat) else None

    @property
    def key(self) -> str:
        return f"history:{self.chat_id}"

    def title(self) -> str:
        name = (self.chat.client_name or self.chat.visitor_name or "").strip() or self.tr("Visitor")
        name = name if len(name) <= MAX_TITLE else name[: MAX_TITLE - 1] + "…"
        return self.tr("%1 (earlier chat)").replace("%1", isolate(name))

    def _failed(self, message: str) -> None:
        self.notice_label.setText(self.tr("The conversation could not be loaded: %1")
                                  .replace("%1", message))
        self.notice_label.show()

"""Pre-defined replies picker of every composer (seed: "Pre-defined replies").

A popup with a search field over a list (model + proxy + delegate) of the agent's replies for the
composer's context: in chats department replies, personal ones and chat-only ones
(``backend.replies(context="chat")``); in tickets the same without the chat-only ones.
Choosing one emits :attr:`RepliesPopup.chosen` with its text; the composer replaces the
placeholders (:func:`expand`). Opened by the button next to Send, or "/" typed at the start of an
empty composer.
"""

from __future__ import annotations

import asyncio
import logging

from supportdesk_protocol.schemas import PredefinedReply, ReplyScope
from supportdesk_qt.backend.base import Backend, BackendError
from supportdesk_qt.qt import (
    QAbstractListModel,
    QEvent,
    QFont,
    QFontMetrics,
    QFrame,
    QLabel,
    QLineEdit,
    QListView,
    QModelIndex,
    QPalette,
    QPoint,
    QSize,
    QSortFilterProxyModel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.common.filtering import change_filter
from supportdesk_qt.ui.common.tooltips import plain_tooltip
from supportdesk_qt.ui.tasks import TaskRegistry, TaskScope

log = logging.getLogger("supportdesk.ui.compose.replies")

PLACEHOLDERS = ("{client_name}", "{agent_name}", "{department}")
PREVIEW_CHARS = 300


def expand(text: str, *, client_name: str, agent_name: str, department: str) -> str:
    """Replace the placeholders (plain substitution: a reply's other braces stay as they are)."""
    for key, value in (("{client_name}", client_name), ("{agent_name}", agent_name),
                       ("{department}", department)):
        text = text.replace(key, value)
    return text


class RepliesModel(QAbstractListModel):
    TitleRole = Qt.ItemDataRole.UserRole + 1
    TextRole = Qt.ItemDataRole.UserRole + 2
    ScopeRole = Qt.ItemDataRole.UserRole + 3
    ChatOnlyRole = Qt.ItemDataRole.UserRole + 4
    IdRole = Qt.ItemDataRole.UserRole + 5

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[PredefinedReply] = []

    def set_replies(self, replies: list[PredefinedReply]) -> None:
        self.beginResetModel()
        self._rows = list(replies)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, self.TitleRole):
            return r.title
        if role == self.TextRole:
            return r.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(r.text[:PREVIEW_CHARS])
        if role == self.ScopeRole:
            return str(r.scope)
        if role == self.ChatOnlyRole:
            return r.chat_only
        if role == self.IdRole:
            return r.id
        return None


class RepliesFilter(QSortFilterProxyModel):
    """Every word of the search must occur in the title or the text (case-insensitive)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def set_search(self, text: str) -> None:
        words = text.casefold().split()
        change_filter(self, lambda: setattr(self, "_words", words))

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802
        if not self._words:
            return True
        ix = self.sourceModel().index(row, 0, parent)
        hay = (f"{ix.data(RepliesModel.TitleRole)}\n{ix.data(RepliesModel.TextRole)}").casefold()
        return all(w in hay for w in self._words)


class ReplyDelegate(QStyledItemDelegate):
    """Title in bold, a one-line preview of the text below, a muted tag for the scope."""

    PAD = 6

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        fm = QFontMetrics(option.font)
        return QSize(200, fm.lineSpacing() * 2 + self.PAD * 2 + 2)

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        pal = opt.palette
        fg = pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = fg if selected else theme.muted_text(pal)
        r = opt.rect.adjusted(self.PAD + 2, self.PAD, -self.PAD - 2, -self.PAD)
        fm = QFontMetrics(opt.font)
        painter.save()
        tag = ""
        if index.data(RepliesModel.ScopeRole) == ReplyScope.PERSONAL:
            tag = "personal"
        if index.data(RepliesModel.ChatOnlyRole):
            tag = (tag + " · " if tag else "") + "chat only"
        tag_w = fm.horizontalAdvance(tag) + 8 if tag else 0
        bold = QFont(opt.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(fg)
        bfm = QFontMetrics(bold)
        title = bfm.elidedText(index.data(RepliesModel.TitleRole) or "", Qt.TextElideMode.ElideRight,
                               max(10, r.width() - tag_w))
        painter.drawText(r.x(), r.y() + bfm.ascent(), title)
        painter.setFont(opt.font)
        painter.setPen(muted)
        if tag:
            painter.drawText(r.right() - tag_w + 8, r.y() + fm.ascent(), tag)
        text = " ".join((index.data(RepliesModel.TextRole) or "")[:PREVIEW_CHARS].split())
        text = fm.elidedText(text, Qt.TextElideMode.ElideRight, r.width())
        painter.drawText(r.x(), r.y() + fm.lineSpacing() + fm.ascent(), text)
        painter.restore()


class RepliesPopup(QFrame):
    """The picker: search field on top, the replies below. Enter or a click chooses."""

    #: The chosen reply's text (placeholders not yet replaced).
    chosen = Signal(str)

    def __init__(self, backend: Backend, tasks: TaskRegistry, parent: QWidget | None = None, *,
                 context: str = "chat") -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("repliesPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.backend, self.tasks = backend, TaskScope(self, tasks)   # loads end with the popup
        #: Where the replies are used (the ``context`` of GET /replies): "chat" or "ticket".
        self.context = context
        self._load_task: asyncio.Task | None = None
        vl = QVBoxLayout(self)
        vl.setContentsMargins(6, 6, 6, 6)
        vl.setSpacing(4)
        self.search = QLineEdit(self)
        self.search.setObjectName("repliesSearch")
        self.search.setPlaceholderText(self.tr("Search replies — ↑↓ to pick, Enter to insert"))
        self.search.setClearButtonEnabled(True)
        vl.addWidget(self.search)
        self.model = RepliesModel(self)
        self.proxy = RepliesFilter(self)
        self.proxy.setSourceModel(self.model)
        self.list = QListView(self)
        self.list.setObjectName("repliesList")
        self.list.setModel(self.proxy)
        self.list.setItemDelegate(ReplyDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        vl.addWidget(self.list, 1)
        self.empty_label = QLabel("", self)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()
        vl.addWidget(self.empty_label)
        self.search.textChanged.connect(self._search)
        self.search.installEventFilter(self)
        self.list.activated.connect(self._choose)
        self.list.clicked.connect(self._choose)
        self.resize(440, 300)

    @property
    def is_loaded(self) -> bool:
        return self._load_task is not None and self._load_task.done()

    def popup_above(self, anchor: QWidget) -> None:
        """Open just above ``anchor`` (the composer), about as wide as it."""
        top_left = anchor.mapToGlobal(QPoint(0, 0))
        self.resize(max(360, min(anchor.width(), 560)), self.height())
        self.popup(QPoint(top_left.x(), max(0, top_left.y() - self.height() - 4)))

    def popup(self, pos: QPoint) -> None:
        self.search.clear()
        self.move(pos)
        self.show()
        self.search.setFocus(Qt.FocusReason.PopupFocusReason)
        self._load_task = self.tasks.spawn(self._load(), name="replies-load")

    async def _load(self) -> None:
        try:
            page = await self.backend.replies(context=self.context, limit=500)
        except BackendError as exc:
            self._say(self.tr("The replies could not be loaded: %1").replace("%1", exc.message))
            return
        self.model.set_replies([r for r in page.items if self.usable(r)])
        self._search(self.search.text())

    def usable(self, reply: PredefinedReply) -> bool:
        """Whether ``reply`` is offered here: a chat-only reply is not offered in tickets."""
        return self.context == "chat" or not reply.chat_only

    def _say(self, text: str) -> None:
        self.empty_label.setText(text)
        self.empty_label.setVisible(bool(text))

    def _search(self, text: str) -> None:
        self.proxy.set_search(text)
        if self.proxy.rowCount():
            self.list.setCurrentIndex(self.proxy.index(0, 0))
            self._say("")
        elif self.model.rowCount():
            self._say(self.tr("No reply matches."))
        else:
            self._say(self.tr("No pre-defined replies yet: right-click a message and choose "
                              "\u201cSave as pre-defined reply\u2026\u201d."))

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if obj is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self.list.setFocus()
                self.list.keyPressEvent(event)      # move in the list, keep typing in the field
                self.search.setFocus()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._choose(self.list.currentIndex())
                return True
        return super().eventFilter(obj, event)

    def _choose(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        text = index.data(RepliesModel.TextRole) or ""
        self.hide()
        self.chosen.emit(text)

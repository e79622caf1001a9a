"""The notifications log: every notification the desk raised, newest first, searchable.

Wiring (main window / user menu)::

    log_panel = NotificationLogPanel(parent=window)        # a tool window, hidden until shown
    notifier.raised.connect(log_panel.model.append)        # NotificationRecord from the notifier
    log_panel.openRequested.connect(window.navigator.open_key)     # "chat:12" / "ticket:7"
    user_menu_action.triggered.connect(log_panel.show_panel)

or, without the platform notifier, ``log_panel.model.add(kind, title, body, key)``.

Titles and bodies come from visitors (names, first messages): the default view draws
``DisplayRole`` as plain text, and tooltips are escaped (``common.tooltips.plain_tooltip``), so
``<b>x</b>`` shows as exactly that. The log keeps ``capacity`` rows (default 500); the oldest
leave first.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from supportdesk_qt.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.common.datetime import format_datetime, format_time
from supportdesk_qt.ui.common.filtering import change_filter
from supportdesk_qt.ui.common.text import one_line
from supportdesk_qt.ui.common.tooltips import plain_tooltip
from supportdesk_qt.ui.panels.window import make_panel_window, show_panel_window

_ROLE = Qt.ItemDataRole.UserRole

#: The kinds of notification, in the order the kind filter lists them.
KINDS = ("new_chat", "message", "forwarded", "forward_returned", "error", "ticket_post")


class NotificationEntry:
    """One row. Plain attributes; ``kind`` is one of :data:`KINDS` (other strings are kept)."""

    __slots__ = ("kind", "title", "body", "key", "when")

    def __init__(self, kind: str, title: str, body: str, key: str, when: datetime) -> None:
        self.kind, self.title, self.body, self.key, self.when = kind, title, body, key, when


class NotificationLogModel(QAbstractTableModel):
    COL_TIME, COL_KIND, COL_TITLE, COL_BODY = range(4)
    COLUMN_COUNT = 4

    KindRole = _ROLE + 1        # "new_chat", ...
    KeyRole = _ROLE + 2         # "chat:12", "ticket:7" or ""
    TimeRole = _ROLE + 3        # datetime (UTC)
    TitleRole = _ROLE + 4       # full title
    BodyRole = _ROLE + 5        # full body
    SearchTextRole = _ROLE + 6  # title + body, case-folded (what the search matches)

    DEFAULT_CAPACITY = 500

    def __init__(self, parent: QObject | None = None, *, capacity: int = DEFAULT_CAPACITY) -> None:
        super().__init__(parent)
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self._capacity = capacity
        self._rows: list[NotificationEntry] = []       # newest first
        self._search: list[str] = []
        self._locale = QLocale()
        self._headers = (self.tr("Time"), self.tr("Kind"), self.tr("Title"), self.tr("Text"))

    def kind_label(self, kind: str) -> str:
        return {
            "new_chat": self.tr("New chat"),
            "message": self.tr("Message"),
            "forwarded": self.tr("Forwarded"),
            "forward_returned": self.tr("Forward returned"),
            "error": self.tr("Error"),
            "ticket_post": self.tr("Ticket post"),
        }.get(kind, kind)

    # -- feeding ---------------------------------------------------------------------------------

    @property
    def capacity(self) -> int:
        return self._capacity

    def add(self, kind: str, title: str, body: str, key: str = "",
            when: datetime | None = None) -> None:
        """Log one notification at the top (newest first)."""
        entry = NotificationEntry(str(kind), str(title or ""), str(body or ""), str(key or ""),
                                  when or datetime.now(timezone.utc))
        if len(self._rows) >= self._capacity:
            first = self._capacity - 1
            self.beginRemoveRows(QModelIndex(), first, len(self._rows) - 1)
            del self._rows[first:]
            del self._search[first:]
            self.endRemoveRows()
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._rows.insert(0, entry)
        self._search.insert(0, (entry.title + "\n" + entry.body).casefold())
        self.endInsertRows()

    def append(self, record: Any) -> None:
        """Slot for ``Notifier.raised(NotificationRecord)`` (kind, title, body, key, time)."""
        self.add(str(getattr(record, "kind", "")), getattr(record, "title", ""),
                 getattr(record, "body", ""), getattr(record, "key", ""),
                 getattr(record, "time", None))

    def clear(self) -> None:
        if self._rows:
            self.beginResetModel()
            self._rows.clear()
            self._search.clear()
            self.endResetModel()

    def entry(self, row: int) -> NotificationEntry | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # -- reading ---------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < self.COLUMN_COUNT):
            return self._headers[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not self._valid(index):
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)

    def _valid(self, index: QModelIndex | QPersistentModelIndex) -> bool:
        return (index.isValid() and not index.parent().isValid()
                and 0 <= index.row() < len(self._rows) and 0 <= index.column() < self.COLUMN_COUNT)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        row, col = index.row(), index.column()
        e = self._rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_TIME:
                return format_time(e.when, self._locale)
            if col == self.COL_KIND:
                return self.kind_label(e.kind)
            if col == self.COL_TITLE:
                return one_line(e.title, 200)
            return one_line(e.body)
        if role == self.KindRole:
            return e.kind
        if role == self.KeyRole:
            return e.key
        if role == self.TimeRole:
            return e.when
        if role == self.TitleRole:
            return e.title
        if role == self.BodyRole:
            return e.body
        if role == self.SearchTextRole:
            return self._search[row]
        if role == Qt.ItemDataRole.ForegroundRole:
            if e.kind == "error":
                return theme.error_text(theme.app_palette())
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.COL_TIME:
                return format_datetime(e.when, self._locale)
            text = e.title + ("\n\n" + e.body if e.body else "")
            return plain_tooltip(text) if text else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.kind_label(e.kind)}: {e.title}. {e.body}"
        return None


class NotificationFilterProxy(QSortFilterProxyModel):
    """Search over title + body (case-insensitive substring) and one kind (or all)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self._kind = ""

    def set_search(self, text: str) -> None:
        needle = text.strip().casefold()
        if needle != self._needle:
            change_filter(self, lambda: setattr(self, "_needle", needle))

    def set_kind(self, kind: str) -> None:
        """``""`` for every kind."""
        if kind != self._kind:
            change_filter(self, lambda: setattr(self, "_kind", kind))

    def filterAcceptsRow(self, source_row: int,
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        index = self.sourceModel().index(source_row, 0, source_parent)
        if self._kind and index.data(NotificationLogModel.KindRole) != self._kind:
            return False
        if self._needle and self._needle not in (index.data(NotificationLogModel.SearchTextRole)
                                                 or ""):
            return False
        return True


class NotificationLogPanel(QWidget):
    """A non-modal tool window with the log. Activating a row emits :attr:`openRequested`."""

    #: The key of the activated row ("chat:12", "ticket:7"); rows without a key emit nothing.
    openRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None, *,
                 model: NotificationLogModel | None = None) -> None:
        super().__init__(parent)
        if parent is not None:
            self.setWindowFlags(Qt.WindowType.Tool)
        make_panel_window(self)                          # Esc closes it
        self.setObjectName("notificationsLogPanel")
        self.setWindowTitle(self.tr("Notifications"))
        self.model = model if model is not None else NotificationLogModel(self)
        self.proxy = NotificationFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("notificationsSearch")
        self.search_edit.setPlaceholderText(self.tr("Search titles and texts…"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self.proxy.set_search)

        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("notificationsKind")
        self.kind_combo.addItem(self.tr("All kinds"), "")
        for kind in KINDS:
            self.kind_combo.addItem(self.model.kind_label(kind), kind)
        self.kind_combo.currentIndexChanged.connect(
            lambda _i: self.proxy.set_kind(self.kind_combo.currentData() or ""))

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.kind_combo)

        self.view = QTableView(self)
        self.view.setObjectName("notificationsView")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.setShowGrid(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        vh = self.view.verticalHeader()
        vh.hide()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 10)
        hh = self.view.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setStretchLastSection(True)
        hh.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        fm = self.fontMetrics()
        self.view.setColumnWidth(NotificationLogModel.COL_TIME, fm.horizontalAdvance("00:00 PM") + 20)
        self.view.setColumnWidth(NotificationLogModel.COL_KIND,
                                 fm.horizontalAdvance(self.model.kind_label("forward_returned")) + 20)
        self.view.setColumnWidth(NotificationLogModel.COL_TITLE, fm.horizontalAdvance("x" * 26))
        self.view.activated.connect(self._activated)

        self.hint = QLabel(self.tr("Double-click a notification (or press Enter) to open its chat "
                                   "or ticket."), self)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        theme.tint(self.hint, theme.muted_text)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 8)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hint)
        self.resize(760, 420)

    def _activated(self, index: QModelIndex) -> None:
        key = index.data(NotificationLogModel.KeyRole) if index.isValid() else ""
        if key:
            self.openRequested.emit(str(key))

    def show_panel(self) -> None:
        show_panel_window(self, self.search_edit)

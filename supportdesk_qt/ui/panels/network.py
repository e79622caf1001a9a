"""The network request statuses panel: recent HTTP requests and socket operations.

Wiring (main window / user menu)::

    panel = NetworkPanel(parent=window)                   # a tool window, hidden until shown
    panel.model.extend(backend.request_log)               # what happened before the panel existed
    bridge.requestLogged.connect(panel.model.add)         # every new RequestRecord
    user_menu_action.triggered.connect(panel.show_panel)  # show, raise, focus
    status_button.clicked.connect(panel.show_panel)       # the chat status icon opens it too

:class:`RequestLogModel` is a bounded ring buffer (``capacity`` rows, default 1000; the oldest rows
leave with one ``beginRemoveRows``). Records are not inserted one by one: :meth:`add` collects them
and a single-shot timer (``FLUSH_MS``) inserts each batch with one ``beginInsertRows`` (a reconnect
storm logs hundreds of records a second). A failed request (HTTP status >= 400, an error text, or
an HTTP request without a status: it never got an answer) is drawn in the palette's red on a faint
red wash (``theme.failed_background``). Every cell is plain text.

:class:`NetworkPanel` shows the model in a ``QTableView`` behind a filter proxy (text over every
column, "failed only"), and follows the tail only while the user is already at the bottom
(Picard's log view): scrolled up to read something, new rows do not pull the view away.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Any

from supportdesk_qt.backend.base import RequestRecord
from supportdesk_qt.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPushButton,
    QSortFilterProxyModel,
    Qt,
    QTableView,
    QTimer,
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


def is_failed(record: RequestRecord) -> bool:
    """Status >= 400, an error text, or an HTTP request that got no answer at all."""
    if record.error:
        return True
    if record.status is None:
        return record.kind == "http"
    return record.status >= 400


class RequestLogModel(QAbstractTableModel):
    COL_TIME, COL_KIND, COL_METHOD, COL_PATH, COL_STATUS, COL_DURATION, COL_ERROR = range(7)
    COLUMN_COUNT = 7

    RecordRole = _ROLE + 1      # the RequestRecord
    FailedRole = _ROLE + 2      # bool

    FLUSH_MS = 50
    DEFAULT_CAPACITY = 1000

    #: Rows were appended (after a flush), with the number appended.
    flushed = Signal(int)

    def __init__(self, parent: QObject | None = None, *, capacity: int = DEFAULT_CAPACITY) -> None:
        super().__init__(parent)
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self._capacity = capacity
        self._rows: list[RequestRecord] = []
        self._failed: list[bool] = []
        self._pending: deque[RequestRecord] = deque(maxlen=capacity)
        self._locale = QLocale()
        self._headers = (self.tr("Time"), self.tr("Kind"), self.tr("Method"), self.tr("Path"),
                         self.tr("Status"), self.tr("Duration"), self.tr("Error"))
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(self.FLUSH_MS)
        self._flush_timer.timeout.connect(self.flush)

    # -- feeding ---------------------------------------------------------------------------------

    @property
    def capacity(self) -> int:
        return self._capacity

    def add(self, record: RequestRecord) -> None:
        """Slot for ``Bridge.requestLogged``: queue one record for the next flush."""
        if not isinstance(record, RequestRecord):
            return
        self._pending.append(record)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def extend(self, records: Iterable[RequestRecord]) -> None:
        """Preload (e.g. ``backend.request_log``): queued like :meth:`add`, inserted in one batch."""
        for record in records:
            self.add(record)

    def flush(self) -> None:
        """Insert every queued record now, as one batch (the timer calls this)."""
        self._flush_timer.stop()
        if not self._pending:
            return
        batch = list(self._pending)
        self._pending.clear()
        overflow = len(self._rows) + len(batch) - self._capacity
        if overflow > 0:
            drop = min(overflow, len(self._rows))
            if drop:
                self.beginRemoveRows(QModelIndex(), 0, drop - 1)
                del self._rows[:drop]
                del self._failed[:drop]
                self.endRemoveRows()
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
        self._rows.extend(batch)
        self._failed.extend(is_failed(r) for r in batch)
        self.endInsertRows()
        self.flushed.emit(len(batch))

    def clear(self) -> None:
        self._pending.clear()
        self._flush_timer.stop()
        if self._rows:
            self.beginResetModel()
            self._rows.clear()
            self._failed.clear()
            self.endResetModel()

    def record(self, row: int) -> RequestRecord | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def records(self) -> list[RequestRecord]:
        return list(self._rows)

    # -- reading ---------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < self.COLUMN_COUNT:
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section in (self.COL_STATUS,
                                                                         self.COL_DURATION):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
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
        record = self._rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(record, col)
        if role == self.RecordRole:
            return record
        if role == self.FailedRole:
            return self._failed[row]
        if role == Qt.ItemDataRole.ForegroundRole:
            return theme.error_text(theme.app_palette()) if self._failed[row] else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return theme.failed_background(theme.app_palette()) if self._failed[row] else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col in (self.COL_STATUS, self.COL_DURATION):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.COL_ERROR and record.error:
                return plain_tooltip(record.error)
            if col == self.COL_PATH and record.path:
                return plain_tooltip(record.path)
            if col == self.COL_TIME:
                return format_datetime(record.at, self._locale)
            return None
        return None

    def _display(self, record: RequestRecord, col: int) -> str:
        loc = self._locale
        if col == self.COL_TIME:
            return format_time(record.at, loc, seconds=True)
        if col == self.COL_KIND:
            return record.kind.upper() if record.kind in ("http", "ws") else one_line(record.kind, 20)
        if col == self.COL_METHOD:
            return one_line(record.method, 20)
        if col == self.COL_PATH:
            return one_line(record.path)
        if col == self.COL_STATUS:
            if record.status is not None:
                return loc.toString(record.status)
            return self.tr("no answer") if record.kind == "http" else "—"
        if col == self.COL_DURATION:
            return self.tr("%1 ms").replace("%1", loc.toString(float(record.duration_ms), "f", 0))
        if col == self.COL_ERROR:
            return one_line(record.error)
        return ""


class RequestFilterProxy(QSortFilterProxyModel):
    """Text over every column (case-insensitive) and, optionally, failed rows only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._failed_only = False
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    @property
    def failed_only(self) -> bool:
        return self._failed_only

    def set_failed_only(self, on: bool) -> None:
        if on != self._failed_only:
            change_filter(self, lambda: setattr(self, "_failed_only", on))

    def filterAcceptsRow(self, source_row: int,
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self._failed_only:
            model = self.sourceModel()
            if not model.index(source_row, 0, source_parent).data(RequestLogModel.FailedRole):
                return False
        return super().filterAcceptsRow(source_row, source_parent)


class NetworkPanel(QWidget):
    """A non-modal tool window with the request log. See the module docstring for the wiring."""

    def __init__(self, parent: QWidget | None = None, *,
                 model: RequestLogModel | None = None) -> None:
        super().__init__(parent)
        if parent is not None:
            self.setWindowFlags(Qt.WindowType.Tool)      # its own window, above the desk
        make_panel_window(self)                          # Esc closes it
        self.setObjectName("networkPanel")
        self.setWindowTitle(self.tr("Network requests"))
        self.model = model if model is not None else RequestLogModel(self)
        self.proxy = RequestFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._following = True

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("networkFilter")
        self.filter_edit.setPlaceholderText(self.tr("Filter by path, status, error…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)

        self.failed_only = QCheckBox(self.tr("Failed only"), self)
        self.failed_only.setObjectName("networkFailedOnly")
        self.failed_only.toggled.connect(self.proxy.set_failed_only)

        self.clear_button = QPushButton(self.tr("Clear"), self)
        self.clear_button.setObjectName("networkClear")
        self.clear_button.setToolTip(self.tr("Remove every row from the list"))
        self.clear_button.clicked.connect(self.model.clear)

        self.count_label = QLabel(self)
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        theme.tint(self.count_label, theme.muted_text)

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.failed_only)
        top.addWidget(self.clear_button)

        self.view = QTableView(self)
        self.view.setObjectName("networkView")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(False)       # the red wash must stay readable
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        vh = self.view.verticalHeader()
        vh.hide()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)   # uniform rows: nothing measured
        vh.setDefaultSectionSize(self.fontMetrics().height() + 8)
        hh = self.view.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setStretchLastSection(True)
        hh.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        fm = self.fontMetrics()
        widths = {RequestLogModel.COL_TIME: fm.horizontalAdvance("00:00:00 PM") + 16,
                  RequestLogModel.COL_KIND: fm.horizontalAdvance("HTTP") + 20,
                  RequestLogModel.COL_METHOD: fm.horizontalAdvance("DELETE") + 20,
                  RequestLogModel.COL_PATH: fm.horizontalAdvance("x" * 40),
                  RequestLogModel.COL_STATUS: fm.horizontalAdvance("no answer") + 16,
                  RequestLogModel.COL_DURATION: fm.horizontalAdvance("00,000 ms") + 32}
        for col, w in widths.items():
            self.view.setColumnWidth(col, w)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 8)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)

        sb = self.view.verticalScrollBar()
        sb.valueChanged.connect(self._scrolled)
        sb.rangeChanged.connect(self._range_changed)
        self.proxy.rowsRemoved.connect(self._rows_removed)
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                       self.proxy.layoutChanged):
            signal.connect(self._update_count)
        self._update_count()
        self.resize(900, 420)

    # -- following the tail ------------------------------------------------------------------------

    @property
    def following(self) -> bool:
        """True while the view sticks to the newest row (the user is at the bottom)."""
        return self._following

    def _scrolled(self, value: int) -> None:
        self._following = value >= self.view.verticalScrollBar().maximum()

    def _range_changed(self, _minimum: int, maximum: int) -> None:
        if self._following:
            self.view.verticalScrollBar().setValue(maximum)

    def _rows_removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        """The ring buffer dropped its oldest rows: while the user reads further down, keep the
        rows they are reading where they are instead of letting them slide up."""
        if self._following or first != 0:
            return
        sb = self.view.verticalScrollBar()
        height = self.view.verticalHeader().defaultSectionSize()
        sb.setValue(max(0, sb.value() - (last - first + 1) * height))

    # -- the rest ------------------------------------------------------------------------------------

    def _update_count(self, *_args: object) -> None:
        loc = QLocale()
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if shown == total:
            text = self.tr("%Ln request(s) (the last %1 are kept)", "", total)
        else:
            text = self.tr("%2 of %Ln request(s) shown (the last %1 are kept)", "", total)
        self.count_label.setText(text.replace("%1", loc.toString(self.model.capacity)).replace(
            "%2", loc.toString(shown)))

    def show_panel(self) -> None:
        """Show the window (or bring it to the front, within the screen's available area) and
        put the cursor in the filter."""
        show_panel_window(self, self.filter_edit)

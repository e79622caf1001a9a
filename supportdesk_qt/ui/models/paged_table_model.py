"""One table model for every server list that comes in pages (payments, services, tickets...).

``PagedTableModel(columns, fetch)`` shows rows of pydantic items. ``columns`` says what each column
shows (``Column``: a title, a function from item to display text, optionally a sort key and an
alignment); ``fetch(offset, limit)`` is a coroutine returning a ``Page``. The view asks for more
with ``canFetchMore``/``fetchMore`` when it scrolls to the end (also through a
``QSortFilterProxyModel``, which forwards both); only one page fetch runs at a time, and each page
is one ``beginInsertRows``. A failed fetch stops the automatic paging (no retry storm) and says so
through ``errorOccurred``; ``reload()`` starts again.

Filtering on the server: ``set_filter(text)`` remembers the text and reloads; while it is not
empty every page is fetched as ``fetch(offset, limit, q=text)`` (so only a model that is filtered
needs a fetch taking ``q``), ``total`` is the number of matching rows and ``filterChanged``
tells. A page that was asked before the filter changed is dropped when it arrives.
``set_status(status)`` (or ``set_filter(text, status=...)``) adds an exact status the same way:
while set, pages are fetched with ``status=`` too (combined with ``q``), ``statusChanged`` tells;
``set_filter(text)`` without ``status`` keeps the status, and ``filtered`` is True while either is set.

Roles: ``DisplayRole`` (the raw string: views paint it as plain text), ``SortRole`` (a comparable
value: numbers stay numbers), ``ItemRole`` (the pydantic item), ``ToolTipRole`` for long cells.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from supportdesk_protocol.schemas import Page
from supportdesk_qt.backend.base import BackendError
from supportdesk_qt.qt import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from supportdesk_qt.ui.common.tooltips import plain_tooltip
from supportdesk_qt.ui.tasks import TaskRegistry, TaskScope

log = logging.getLogger("supportdesk.ui.paged")

_ROLE = Qt.ItemDataRole.UserRole
MAX_CELL = 500          # characters shown in one cell (the tooltip has up to MAX_TOOLTIP)
MAX_TOOLTIP = 2000

Fetch = Callable[[int, int], Awaitable[Page]]
_KEEP: Any = object()     # set_filter(text) without a status: the status stays


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None     # default: the display text, case-folded
    align_right: bool = False


class PagedTableModel(QAbstractTableModel):
    SortRole = _ROLE + 1
    ItemRole = _ROLE + 2

    loadingChanged = Signal(bool)
    errorOccurred = Signal(str)       # a sentence for a person
    totalChanged = Signal(int)
    filterChanged = Signal(str)
    statusChanged = Signal(str)       # "" when no status filter

    def __init__(self, columns: Sequence[Column], fetch: Fetch, *, page_size: int = 50,
                 tasks: TaskRegistry | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._fetch = fetch
        self.page_size = page_size
        self._tasks = TaskScope(self, tasks or TaskRegistry())   # fetches end with the model
        self._rows: list[Any] = []
        self._total: int | None = None     # None: nothing asked yet
        self._task: asyncio.Task | None = None
        self._error = ""
        self.fetch_count = 0               # pages requested (tests, diagnostics)
        self._filter = ""
        self._status: str | None = None    # the exact status asked for, or None: any
        self._generation = 0               # bumped by reload(): older pages are dropped

    # -- state

    @property
    def total(self) -> int | None:
        return self._total

    @property
    def loading(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def error(self) -> str:
        return self._error

    @property
    def filter_text(self) -> str:
        return self._filter

    @property
    def status_filter(self) -> str | None:
        return self._status

    @property
    def filtered(self) -> bool:
        """A text or a status filter is set (``total`` counts the matching rows only)."""
        return bool(self._filter) or self._status is not None

    def set_filter(self, text: str, status: Any = _KEEP) -> bool:
        """Show only the rows the server finds for ``text`` (stripped; "" shows every row) and,
        when given, ``status`` (an enum or its value; None: any status; omitted: unchanged).
        Reloads and answers True when the filter changed; False (nothing happens) otherwise."""
        text = (text or "").strip()
        if status is _KEEP:
            status = self._status
        elif status is not None:
            status = str(getattr(status, "value", status)) or None
        if text == self._filter and status == self._status:
            return False
        text_changed, status_changed = text != self._filter, status != self._status
        self._filter, self._status = text, status
        if text_changed:
            self.filterChanged.emit(text)
        if status_changed:
            self.statusChanged.emit(status or "")
        self.reload()
        return True

    def set_status(self, status: Any) -> bool:
        """Only rows with this exact status (None: any); the text filter stays."""
        return self.set_filter(self._filter, status)

    def item(self, row: int) -> Any:
        return self._rows[row]

    def items(self) -> list[Any]:
        return list(self._rows)

    def find_row(self, match: Callable[[Any], bool]) -> int:
        """The row of the first loaded item ``match`` accepts, or -1."""
        for row, item in enumerate(self._rows):
            if match(item):
                return row
        return -1

    def replace_item(self, row: int, item: Any) -> None:
        """Put ``item`` in ``row`` (an edit saved, or a colleague's change arrived)."""
        if not 0 <= row < len(self._rows):
            return
        self._rows[row] = item
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._columns) - 1))

    def remove_item(self, row: int) -> None:
        """Drop ``row`` (the record was deleted); the total goes down by one."""
        if not 0 <= row < len(self._rows):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        if self._total is not None:
            self._total = max(self._total - 1, len(self._rows))
            self.totalChanged.emit(self._total)

    # -- Qt model API

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self._columns)):
            return self._columns[section].title
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) \
                or not (0 <= index.column() < len(self._columns)):
            return None
        item = self._rows[index.row()]
        col = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(item)[:MAX_CELL]
        if role == self.SortRole:
            if col.sort is not None:
                return col.sort(item)
            return col.text(item).casefold()
        if role == self.ItemRole:
            return item
        if role == Qt.ItemDataRole.ToolTipRole:
            text = col.text(item)
            # client and billing fields are user data: escaped, QToolTip would render HTML
            return plain_tooltip(text[:MAX_TOOLTIP]) if len(text) > 40 else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            h = Qt.AlignmentFlag.AlignRight if col.align_right else Qt.AlignmentFlag.AlignLeft
            return int(h | Qt.AlignmentFlag.AlignVCenter)
        return None

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        if parent.isValid() or self._error:
            return False
        return self._total is None or len(self._rows) < self._total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:
        if parent.isValid() or self.loading or not self.canFetchMore():
            return
        self._start()

    # -- loading

    def _loaded_page(self) -> None:
        self._task = None
        self.loadingChanged.emit(False)

    def cancel(self) -> None:
        """Stop a fetch under way (the view holding this model is going away). Nothing is
        emitted for it afterwards."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()

    def reload(self) -> None:
        """Forget every row and load the first page again."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._total = None
        self._error = ""
        self.endResetModel()
        self._start()

    def _start(self) -> None:
        self.fetch_count += 1
        self._task = self._tasks.spawn(self._load_page(len(self._rows)), name="paged-fetch")
        self.loadingChanged.emit(True)

    async def _load_page(self, offset: int) -> None:
        # Runs in the model's task scope: when the model is deleted, the fetch is cancelled at
        # its await, so nothing below runs on a deleted model (and there is no ``finally``).
        me = asyncio.current_task()
        generation, text, status = self._generation, self._filter, self._status
        # only what is set is passed: an unfiltered model's fetch needs no q/status parameter
        kwargs: dict[str, str] = {}
        if text:
            kwargs["q"] = text
        if status is not None:
            kwargs["status"] = status
        try:
            page = await self._fetch(offset, self.page_size, **kwargs)
        except BackendError as exc:
            if self._task is not me:
                return                        # cancelled / replaced meanwhile
            self._error = exc.message
            log.info("page fetch failed: %s", exc.message)
            self.errorOccurred.emit(exc.message)
            self._loaded_page()
            return
        if self._task is me:
            self._loaded_page()
        if offset != len(self._rows) or generation != self._generation:   # reloaded meanwhile
            return
        items = list(page.items)
        if items:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(items) - 1)
            self._rows.extend(items)
            self.endInsertRows()
        total = page.total if items else len(self._rows)   # an empty page ends the list
        if total != self._total:
            self._total = total
            self.totalChanged.emit(total)

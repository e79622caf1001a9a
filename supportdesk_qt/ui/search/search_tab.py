"""The full search tab: every hit of a query in a sortable table.

``SearchTab(context, query)`` (the tab contract, ui/tabs/) starts the search itself; double-click
(or Enter) on a row emits ``clientActivated(id)``. ``title()`` is the tab text.
"""

from __future__ import annotations

import asyncio

from supportdesk_qt.backend.base import BackendError
from supportdesk_qt.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QModelIndex,
    QPushButton,
    QSortFilterProxyModel,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.search.models import SearchResultsTableModel
from supportdesk_qt.ui.tabs import Tab, TabContext


class SearchTab(QWidget, Tab):
    kind = "search"

    clientActivated = Signal(int)
    loaded = Signal(int)                   # number of hits (tests)

    def __init__(self, context: TabContext, query: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchTab")
        self.init_tab(context)
        self.query = query.strip()
        self._task: asyncio.Task | None = None
        self.clientActivated.connect(lambda client_id: self.openRequested.emit(
            f"client:{client_id}", None))

        self.model = SearchResultsTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SearchResultsTableModel.SortRole)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setObjectName("searchSummary")
        theme.tint(self.summary, theme.muted_text)
        self.retry_button = QPushButton(self.tr("Search again"), self)
        self.retry_button.clicked.connect(self.reload)
        self.retry_button.hide()

        self.view = QTableView(self)
        self.view.setObjectName("searchResultsTable")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)   # server order until clicked
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setHighlightSections(False)
        self.view.doubleClicked.connect(self._activate)
        self.view.activated.connect(self._activate)

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.retry_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.view, 1)
        self.reload()

    # -- the tab contract

    @classmethod
    def from_key(cls, context: TabContext, ident: str, snapshot: object = None) -> SearchTab | None:
        return cls(context, ident) if ident.strip() else None

    @property
    def key(self) -> str:
        return f"search:{self.query}"

    def save_state(self) -> dict:
        header = self.view.horizontalHeader()
        column = header.sortIndicatorSection()
        if column < 0 or column >= self.model.columnCount():
            return {}
        return {"sort": column, "descending": header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder}

    def restore(self, state: dict) -> None:
        column = state.get("sort")
        if type(column) is int and 0 <= column < self.model.columnCount():
            self.view.sortByColumn(column, Qt.SortOrder.DescendingOrder if state.get("descending")
                                   else Qt.SortOrder.AscendingOrder)

    def title(self) -> str:
        return self.tr("Search: {query}").format(query=self.query[:40])

    @property
    def loading(self) -> bool:
        return self._task is not None and not self._task.done()

    def reload(self) -> None:
        if self.loading:
            self._task.cancel()
        self.retry_button.hide()
        self.summary.setText(self.tr("Searching for “{query}”…").format(query=self.query))
        self._task = self.scope.spawn(self._load(), name="search-tab")

    async def _load(self) -> None:
        try:
            result = await self.backend.search_clients(self.query)
        except BackendError as exc:
            self.summary.setText(exc.message)
            self.retry_button.show()
            return
        self.model.set_hits(result.items)
        self.view.resizeColumnsToContents()
        for col in range(self.model.columnCount()):
            self.view.setColumnWidth(col, min(self.view.columnWidth(col) + 18, 320))
        n = len(result.items)
        if n:
            self.summary.setText(self.tr("%Ln client(s) match “{query}”. Double-click one to "
                                         "open it.", "", n).format(query=self.query))
        else:
            self.summary.setText(self.tr("No client matches “{query}”.").format(query=self.query))
        self.loaded.emit(n)

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.clientActivated.emit(int(index.data(SearchResultsTableModel.ClientIdRole)))

"""The desk's read-only tables: the lists of a client tab and the tickets tab look and sort alike."""

from __future__ import annotations

from supportdesk_qt.qt import (
    QAbstractItemView,
    QHeaderView,
    QSortFilterProxyModel,
    Qt,
    QTableView,
    QtCore,
    QWidget,
)


def make_table(model: QtCore.QAbstractItemModel, parent: QWidget, *,
               sort_role: int) -> tuple[QTableView, QSortFilterProxyModel]:
    """A read-only, row-selecting, sortable table over ``model`` (sorted by ``sort_role``, the
    server's order until a header is clicked)."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(sort_role)
    view = QTableView(parent)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)     # the server's order until clicked
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setShowGrid(False)
    view.verticalHeader().hide()
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return view, proxy

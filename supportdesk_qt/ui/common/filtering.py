"""Re-filtering a ``QSortFilterProxyModel`` across Qt versions."""

from __future__ import annotations

from collections.abc import Callable

from supportdesk_qt.qt import QSortFilterProxyModel


def change_filter(proxy: QSortFilterProxyModel, change: Callable[[], None]) -> None:
    """Run ``change`` (which alters what ``filterAcceptsRow`` accepts) and re-filter the rows.

    Qt 6.10 deprecates ``invalidateFilter()`` for ``beginFilterChange()``/``endFilterChange()``;
    older bindings (pyproject allows 6.6) only have the former.
    """
    if hasattr(proxy, "endFilterChange"):
        proxy.beginFilterChange()
        change()
        proxy.endFilterChange(QSortFilterProxyModel.Direction.Rows)
    else:
        change()
        proxy.invalidateFilter()

"""Search hits as a list model (the search bar's drop-down) and as a table model (the search tab).

Both hold :class:`~supportdesk_protocol.schemas.SearchHit` rows and replace them wholesale per
answer (one reset: an answer is at most 50 hits). Every string is returned raw in ``DisplayRole``
and the custom roles; delegates and views draw it as plain text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from supportdesk_protocol.schemas import SearchHit
from supportdesk_qt.qt import (
    QAbstractListModel,
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    translate,
)
from supportdesk_qt.ui.common import formatting

_ROLE = Qt.ItemDataRole.UserRole


class SearchResultsModel(QAbstractListModel):
    ClientIdRole = _ROLE + 1
    NameRole = _ROLE + 2
    EmailRole = _ROLE + 3
    ProjectRole = _ROLE + 4
    MatchedFieldRole = _ROLE + 5      # the wire name: "email", "payment_number"...
    MatchedValueRole = _ROLE + 6
    MatchedLabelRole = _ROLE + 7      # "matched: email = ann@example.com", translated
    HitRole = _ROLE + 8

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self.query = ""

    def set_hits(self, query: str, hits: Iterable[SearchHit]) -> None:
        self.beginResetModel()
        self.query = query
        self._hits = list(hits)
        self.endResetModel()

    def clear(self) -> None:
        self.set_hits("", [])

    def hit(self, row: int) -> SearchHit:
        return self._hits[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._hits)):
            return None
        hit = self._hits[index.row()]
        c = hit.client
        if role in (Qt.ItemDataRole.DisplayRole, self.NameRole):
            return c.name
        if role == self.ClientIdRole:
            return c.id
        if role == self.EmailRole:
            return c.email
        if role == self.ProjectRole:
            return c.project_name
        if role == self.MatchedFieldRole:
            return hit.matched_field
        if role == self.MatchedValueRole:
            return hit.matched_value
        if role == self.MatchedLabelRole:
            return matched_label(hit)
        if role == self.HitRole:
            return hit
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{c.name}, {c.email}, {matched_label(hit)}"
        return None


def matched_label(hit: SearchHit) -> str:
    return matched_text(hit.matched_field, hit.matched_value)


def matched_text(field: str, value: str) -> str:
    """"matched: email = ann@example.com" (``value`` as given: the delegate elides it)."""
    return translate("Search", "matched: {field} = {value}").format(
        field=formatting.matched_field_label(field), value=value)


class SearchResultsTableModel(QAbstractTableModel):
    """Columns: id, name, email, phone, project, status, balance, matched field, matched value."""

    SortRole = _ROLE + 1
    ClientIdRole = _ROLE + 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self._titles = [self.tr("ID"), self.tr("Name"), self.tr("Email"), self.tr("Phone"),
                        self.tr("Project"), self.tr("Status"), self.tr("Balance"),
                        self.tr("Matched field"), self.tr("Matched value")]

    def set_hits(self, hits: Iterable[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> SearchHit:
        return self._hits[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._titles)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self._titles)):
            return self._titles[section]
        return None

    def _text(self, hit: SearchHit, col: int) -> str:
        c = hit.client
        loc = QLocale()
        return [
            lambda: formatting.number(c.id, loc), lambda: c.name, lambda: c.email,
            lambda: c.phone, lambda: c.project_name, lambda: formatting.enum_label(c.status),
            lambda: formatting.money(c.balance, c.currency, loc),
            lambda: formatting.matched_field_label(hit.matched_field),
            lambda: hit.matched_value,
        ][col]()

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._hits)) \
                or not (0 <= index.column() < len(self._titles)):
            return None
        hit = self._hits[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(hit, col)
        if role == self.SortRole:
            if col == 0:
                return hit.client.id
            if col == 6:
                return float(hit.client.balance)
            return self._text(hit, col).casefold()
        if role == self.ClientIdRole:
            return hit.client.id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            right = col in (0, 6)
            h = Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft
            return int(h | Qt.AlignmentFlag.AlignVCenter)
        return None

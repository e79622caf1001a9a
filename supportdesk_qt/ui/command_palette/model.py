"""What the command palette lists, and in which order (``ui/command_palette/``).

An :class:`Entry` is one thing the palette can do: run a command of the action registry, bring
an open tab to the front, take a waiting chat, open a client found by the server's client
search, or open the full search. :class:`PaletteModel` holds the entries of the moment and
shows those matching the typed text, best first (``core/fuzzy.py``): the local entries
(commands, tabs, chats) by score, then the clients the server found (already in its order),
then "Search clients for …". Rows are painted by :class:`~.delegate.PaletteDelegate`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from supportdesk_qt.core import fuzzy
from supportdesk_qt.qt import QAbstractListModel, QModelIndex, Qt, QObject

#: kinds of entry, in the order they are listed while nothing is typed
COMMAND, TAB, CHAT, CLIENT, SEARCH = "command", "tab", "chat", "client", "search"
LOCAL_KINDS = (COMMAND, TAB, CHAT)
#: at most this many rows (every command, tab and chat fit; a long list of chats is cut)
MAX_ROWS = 200


@dataclass(frozen=True)
class Entry:
    kind: str
    title: str                       # what is matched and shown (plain text)
    run: Callable[[], object] = field(compare=False)
    detail: str = ""                 # shown muted after the title; matched when the title is not
    shortcut: str = ""               # shown at the right edge
    key: str = ""                    # stable identity: "command:tab.close", "client:12"


@dataclass(frozen=True)
class Row:
    entry: Entry
    positions: tuple[int, ...]       # matched characters of the title (bold)


def rank(query: str, entries: Sequence[Entry]) -> list[Row]:
    """The entries matching ``query``, best first; every one, in order, for an empty query.
    A match in the title beats one that needs the detail too."""
    if not query.strip():
        return [Row(e, ()) for e in entries]
    scored: list[tuple[float, int, Row]] = []
    for order, entry in enumerate(entries):
        found = fuzzy.match(query, entry.title)
        if found is not None:
            scored.append((found.score, order, Row(entry, found.positions)))
            continue
        if entry.detail:
            found = fuzzy.match(query, f"{entry.title} {entry.detail}")
            if found is not None:
                inside = tuple(p for p in found.positions if p < len(entry.title))
                scored.append((found.score / 2, order, Row(entry, inside)))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [row for _score, _order, row in scored]


def _positions(query: str, title: str) -> tuple[int, ...]:
    found = fuzzy.match(query, title)
    return found.positions if found is not None else ()


class PaletteModel(QAbstractListModel):
    KindRole = Qt.ItemDataRole.UserRole + 1
    DetailRole = Qt.ItemDataRole.UserRole + 2
    ShortcutRole = Qt.ItemDataRole.UserRole + 3
    PositionsRole = Qt.ItemDataRole.UserRole + 4
    KeyRole = Qt.ItemDataRole.UserRole + 5

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._local: list[Entry] = []
        self._remote: list[Entry] = []      # clients found for ``_remote_query``
        self._remote_query = ""
        self._tail: list[Entry] = []        # "Search clients for …"
        self._query = ""
        self._rows: list[Row] = []

    # -- filling ---------------------------------------------------------------------------------

    def set_local(self, entries: Sequence[Entry]) -> None:
        """The commands, tabs and chats of the moment (the palette opens)."""
        self._local = list(entries)
        self._remote, self._remote_query, self._tail = [], "", []
        self._refilter()

    def set_query(self, query: str, tail: Sequence[Entry] = ()) -> None:
        self._query = query
        self._tail = list(tail)
        if query.strip() != self._remote_query:
            self._remote = []               # clients found for another text
        self._refilter()

    def set_remote(self, query: str, entries: Sequence[Entry]) -> None:
        """Clients found by the server for ``query``; dropped when the text moved on."""
        if query != self._query.strip():
            return
        self._remote_query = query
        self._remote = list(entries)
        self._refilter()

    @property
    def query(self) -> str:
        return self._query

    def _refilter(self) -> None:
        rows = rank(self._query, self._local)[:MAX_ROWS]
        rows += [Row(e, _positions(self._query, e.title)) for e in self._remote]
        rows += [Row(e, ()) for e in self._tail]
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    # -- reading ---------------------------------------------------------------------------------

    def entry(self, row: int) -> Entry | None:
        return self._rows[row].entry if 0 <= row < len(self._rows) else None

    def entries(self) -> list[Entry]:
        return [r.entry for r in self._rows]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        e = row.entry
        if role == Qt.ItemDataRole.DisplayRole:
            return e.title
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return " · ".join(p for p in (e.title, e.detail, e.shortcut) if p)
        if role == self.KindRole:
            return e.kind
        if role == self.DetailRole:
            return e.detail
        if role == self.ShortcutRole:
            return e.shortcut
        if role == self.PositionsRole:
            return row.positions
        if role == self.KeyRole:
            return e.key
        return None

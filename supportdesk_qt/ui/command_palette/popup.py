"""The command palette (Ctrl+K): a text field over one list of everything the agent can do or
go to — commands (with their shortcuts), open tabs, waiting chats, and clients found by the
server's client search.

* Type: the list narrows and sorts by fuzzy score (``core/fuzzy.py``) on every keystroke; the
  client search starts once the text is :data:`MIN_CLIENT_QUERY` characters long and the agent
  paused for :data:`DEBOUNCE_MS` (one search at a time; an answer for older text is dropped).
* Up/Down, PageUp/PageDown move; Enter runs the row in front; a click runs a row; Esc, or a
  click outside, closes. The palette closes before the entry runs, so the focus is back in the
  window when a command wants it.
* A ``Qt.Popup`` frame (as the replies picker and the search drop-down) with a ``QListView``
  over :class:`~.model.PaletteModel`, painted by :class:`~.delegate.PaletteDelegate`.
"""

from __future__ import annotations

import asyncio
import logging

from supportdesk_qt.backend.base import BackendError
from supportdesk_qt.qt import (
    QAbstractItemView,
    QEvent,
    QFrame,
    QLineEdit,
    QListView,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from supportdesk_qt.ui.command_palette import sources
from supportdesk_qt.ui.command_palette.delegate import PaletteDelegate
from supportdesk_qt.ui.command_palette.model import PaletteModel
from supportdesk_qt.ui.common.labels import muted_label
from supportdesk_qt.ui.tasks import TaskRegistry, TaskScope

log = logging.getLogger("supportdesk.ui.palette")

DEBOUNCE_MS = 250
MIN_CLIENT_QUERY = 2
VISIBLE_ROWS = 12
WIDTH = 640
_STEPS = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: VISIBLE_ROWS,
          Qt.Key.Key_PageUp: -VISIBLE_ROWS}
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class CommandPalette(QFrame):
    #: An entry ran (its key: "command:tab.close", "tab:client:7", "chat:12", "client:7", …).
    ran = Signal(str)
    #: The clients found for the text typed arrived (how many).
    clientsShown = Signal(int)

    def __init__(self, host: sources.PaletteHost, tasks: TaskRegistry,
                 parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("commandPalette")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Command palette"))
        self.host = host
        self.scope = TaskScope(self, tasks, "palette")
        self.edit = QLineEdit(self)
        self.edit.setObjectName("commandPaletteEdit")
        self.edit.setPlaceholderText(self.tr(
            "Type a command, a tab, a visitor's name or a client…"))
        self.edit.setAccessibleName(self.tr("Command palette search"))
        self.edit.setClearButtonEnabled(True)
        self.edit.installEventFilter(self)
        self.edit.textEdited.connect(self._edited)
        self.model = PaletteModel(self)
        self.view = QListView(self)
        self.view.setObjectName("commandPaletteList")
        self.view.setAccessibleName(self.tr("Commands, tabs, chats and clients"))
        self.view.setModel(self.model)
        self.view.setItemDelegate(PaletteDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.clicked.connect(self._run_index)
        self.status = muted_label("", self)
        self.status.setObjectName("commandPaletteStatus")
        self.status.setContentsMargins(8, 2, 8, 4)
        self.status.hide()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.setSpacing(4)
        lay.addWidget(self.edit)
        lay.addWidget(self.view)
        lay.addWidget(self.status)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._search_clients)
        self._generation = 0
        self._moved = False                 # the agent chose a row with the arrow keys
        self._task: asyncio.Task | None = None
        self.last_error = ""

    # -- opening ---------------------------------------------------------------------------------

    def open_palette(self) -> None:
        """Show the palette over the window, with the entries of this moment."""
        self._cancel_search()
        self.edit.clear()
        self._moved = False
        self.status.hide()
        self.model.set_local(sources.local_entries(self.host))
        self._select(0)
        window = self.parentWidget().window()
        width = min(WIDTH, max(360, window.width() - 40))
        row_h = self.view.sizeHintForRow(0) if self.model.rowCount() else 24
        self.view.setFixedHeight(VISIBLE_ROWS * row_h + 2)
        self.setFixedWidth(width)
        self.adjustSize()
        top_left = window.mapToGlobal(QPoint((window.width() - width) // 2, 48))
        self.move(top_left)
        self.show()
        self.raise_()
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)

    # -- typing ----------------------------------------------------------------------------------

    def _edited(self, text: str) -> None:
        self.model.set_query(text, sources.search_entry(self.host, text))
        self._moved = False
        self._select(0)                     # the best match is in front
        self._cancel_search()
        self.status.hide()
        if len(text.strip()) >= MIN_CLIENT_QUERY and self.host.backend is not None:
            self._timer.start()             # restarts the debounce

    def _cancel_search(self) -> None:
        self._timer.stop()
        self._generation += 1
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None

    def _search_clients(self) -> None:
        query = self.edit.text().strip()
        backend = self.host.backend
        if len(query) < MIN_CLIENT_QUERY or backend is None:
            return
        gen = self._generation
        self._task = self.scope.spawn(self._search(gen, backend, query), name="clients")

    async def _search(self, gen: int, backend, query: str) -> None:
        try:
            result = await backend.search_clients(query)
        except BackendError as exc:
            if gen == self._generation:
                self.last_error = exc.message
                self.status.setText(self.tr("Clients could not be searched: %1").replace(
                    "%1", exc.message))
                self.status.show()
            return
        if gen != self._generation:         # the text changed meanwhile
            return
        self.last_error = ""
        current = self._current_key()
        self.model.set_remote(query, sources.client_entries(self.host, result.items))
        self._reselect(current)
        self.clientsShown.emit(len(result.items))

    # -- keys ------------------------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if obj is self.edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in _STEPS:
                self._move(_STEPS[key])
                return True
            if key in _ENTER:
                self._run_index(self.view.currentIndex())
                return True
            if key == Qt.Key.Key_Escape:
                self.close_palette()
                return True
        return super().eventFilter(obj, event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.key() == Qt.Key.Key_Escape:
            self.close_palette()
            return
        super().keyPressEvent(event)

    def _move(self, step: int) -> None:
        n = self.model.rowCount()
        if not n:
            return
        row = self.view.currentIndex().row() if self.view.currentIndex().isValid() else -1
        self._moved = True
        self._select(max(0, min(n - 1, row + step)))

    def _select(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            index = self.model.index(row)
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)
        else:
            self.view.setCurrentIndex(QModelIndex())

    def _current_key(self) -> str:
        index = self.view.currentIndex()
        return str(index.data(PaletteModel.KeyRole) or "") if index.isValid() else ""

    def _reselect(self, key: str) -> None:
        """After the clients arrived: the row the agent moved to stays in front while it is
        still listed (an answer does not take their choice away); otherwise the best row."""
        keys = [e.key for e in self.model.entries()]
        self._select(keys.index(key) if self._moved and key in keys else 0)

    # -- running ---------------------------------------------------------------------------------

    def _run_index(self, index: QModelIndex) -> None:
        entry = self.model.entry(index.row()) if index.isValid() else None
        if entry is None:
            return
        self.close_palette()
        log.info("palette runs %s", entry.key)
        entry.run()
        self.ran.emit(entry.key)

    def close_palette(self) -> None:
        self._cancel_search()
        self.hide()

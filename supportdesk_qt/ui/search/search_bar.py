"""The client search bar: type, and the matching clients drop down.

* Debounced: every edit restarts a single-shot ``DEBOUNCE_MS`` timer; only when the agent pauses
  does a search start.
* Only the latest query's answer is shown: starting a search cancels the previous one, and a
  generation counter drops any answer that still arrives for an older query.
* The drop-down is a ``Qt.Popup`` frame with a ``QListView`` over :class:`SearchResultsModel`,
  painted by :class:`SearchHitDelegate`. Keys typed while it is open are forwarded to the line edit
  (as ``QCompleter`` does), so typing goes on; Down/Up move through the results, Enter on a result
  emits ``clientActivated(id)``, Enter with none selected emits ``searchRequested(text)`` (open the
  full search tab), Esc closes. A click on a result emits ``clientActivated`` too.
* Errors are a sentence in the drop-down; the typed text stays.
"""

from __future__ import annotations

import asyncio
import logging

from supportdesk_qt.backend.base import Backend, BackendError
from supportdesk_qt.qt import (
    QAbstractItemView,
    QApplication,
    QEvent,
    QFrame,
    QLabel,
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
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.search.models import SearchResultsModel
from supportdesk_qt.ui.search.search_delegate import SearchHitDelegate
from supportdesk_qt.ui.tasks import TaskRegistry

log = logging.getLogger("supportdesk.ui.search")

DEBOUNCE_MS = 30
MAX_VISIBLE_ROWS = 8
_NAV_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class SearchPopup(QFrame):
    """The drop-down: a results list and a one-line status (nothing found, error)."""

    def __init__(self, bar: "ClientSearchBar") -> None:
        super().__init__(bar, Qt.WindowType.Popup)
        self.setObjectName("clientSearchPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFocusProxy(bar)
        self.bar = bar
        self.view = QListView(self)
        self.view.setObjectName("clientSearchResults")
        self.view.setUniformItemSizes(True)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setMouseTracking(True)
        self.status = QLabel(self)
        self.status.setObjectName("clientSearchStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setMargin(8)
        theme.tint(self.status, theme.muted_text)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(1, 1, 1, 1)
        lay.setSpacing(0)
        lay.addWidget(self.view)
        lay.addWidget(self.status)
        self.view.installEventFilter(self)
        self.view.viewport().installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            # everything typed goes to the line edit, which also handles the navigation keys
            QApplication.sendEvent(self.bar, event)
            return True
        return super().eventFilter(obj, event)

    def keyPressEvent(self, event) -> None:
        QApplication.sendEvent(self.bar, event)

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.bar._popup_hidden()


class ClientSearchBar(QLineEdit):
    clientActivated = Signal(int)
    searchRequested = Signal(str)
    resultsShown = Signal(int)        # number of hits shown for the latest query (tests, metrics)

    def __init__(self, backend: Backend, tasks: TaskRegistry | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientSearchBar")
        self.backend = backend
        self._tasks = tasks or TaskRegistry()
        self.setPlaceholderText(self.tr(
            "Search clients: login, email, id, domain, payment, IP, phone…"))
        self.setClearButtonEnabled(True)
        self.setToolTip(self.tr("Find a client by login, email, client id, service id, domain, "
                                "payment number, ticket id, IP address, phone or name. "
                                "Enter opens every result in a tab."))
        self.model = SearchResultsModel(self)
        self.popup = SearchPopup(self)
        self.popup.view.setModel(self.model)
        self.popup.view.setItemDelegate(SearchHitDelegate(self.popup.view))
        self.popup.view.clicked.connect(self._activate_index)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._fire)
        self.textEdited.connect(self._edited)

        self._generation = 0
        self._task: asyncio.Task | None = None
        self.last_error = ""

    # -- public

    @property
    def searching(self) -> bool:
        return self._task is not None and not self._task.done()

    def search_now(self) -> None:
        """Skip the debounce (e.g. a programmatic search)."""
        self._timer.stop()
        self._fire()

    def hide_popup(self) -> None:
        self.popup.hide()

    # -- typing and searching

    def _edited(self, text: str) -> None:
        if not text.strip():
            self._timer.stop()
            self._cancel()
            self.popup.hide()
            self.model.clear()
            return
        self._timer.start()           # restarts the debounce

    def _cancel(self) -> None:
        self._generation += 1
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None

    def _fire(self) -> None:
        query = self.text().strip()
        self._cancel()
        if not query:
            return
        gen = self._generation
        self._task = self._tasks.spawn(self._search(gen, query), name="client-search")

    async def _search(self, gen: int, query: str) -> None:
        try:
            result = await self.backend.search_clients(query)
        except BackendError as exc:
            if gen == self._generation:
                self.last_error = exc.message
                self.model.set_hits(query, [])
                self._show_status(exc.message)
            return
        if gen != self._generation:   # a newer query was typed meanwhile
            return
        self.last_error = ""
        self.model.set_hits(query, result.items)
        if result.items:
            self.popup.status.hide()
            self.popup.view.show()
            self._show_popup()
        else:
            self._show_status(self.tr("No client matches “{query}”.").format(query=query))
        self.resultsShown.emit(len(result.items))

    def _show_status(self, sentence: str) -> None:
        self.popup.view.setVisible(self.model.rowCount() > 0)
        self.popup.status.setText(sentence)
        self.popup.status.show()
        self._show_popup()

    def _show_popup(self) -> None:
        if not self.popup.isVisible() and not (self.isVisible() and self.hasFocus()):
            return        # the agent moved on (another tab, the chat composer): do not grab keys
        view = self.popup.view
        rows = min(self.model.rowCount(), MAX_VISIBLE_ROWS)
        row_h = view.sizeHintForRow(0) if rows else 0
        height = rows * row_h + 2
        if self.popup.status.isVisible():
            self.popup.status.setFixedWidth(max(self.width(), 360) - 2)
            height += self.popup.status.sizeHint().height()
        view.setFixedHeight(rows * row_h + (2 if rows else 0))
        width = max(self.width(), 420)
        # the layout's minimum is still the one of the previous (maybe longer) list until it is
        # activated: without this the pop-up cannot get smaller than its last size
        self.popup.layout().activate()
        self.popup.resize(width, height + 2)
        self.popup.move(self.mapToGlobal(QPoint(0, self.height())))
        if not self.popup.isVisible():
            self.popup.show()
            self.setFocus(Qt.FocusReason.PopupFocusReason)

    def _popup_hidden(self) -> None:
        self.popup.view.clearSelection()
        self.popup.view.setCurrentIndex(QModelIndex())

    # -- keys

    def keyPressEvent(self, event) -> None:
        key = event.key()
        open_ = self.popup.isVisible()
        if open_ and key in _NAV_KEYS and self.model.rowCount():
            self._move(key)
            return
        if not open_ and key == Qt.Key.Key_Down and self.model.rowCount() and self.text().strip():
            self._show_popup()
            self._move(key)
            return
        if key in _ENTER_KEYS:
            current = self.popup.view.currentIndex() if open_ else QModelIndex()
            if current.isValid():
                self._activate_index(current)
            elif self.text().strip():
                self.popup.hide()
                self.searchRequested.emit(self.text().strip())
            return
        if key == Qt.Key.Key_Escape and open_:
            self.popup.hide()
            return
        super().keyPressEvent(event)

    def _move(self, key) -> None:
        view = self.popup.view
        n = self.model.rowCount()
        row = view.currentIndex().row() if view.currentIndex().isValid() else -1
        step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1,
                Qt.Key.Key_PageDown: MAX_VISIBLE_ROWS, Qt.Key.Key_PageUp: -MAX_VISIBLE_ROWS}[key]
        new = row + step
        if new < 0:
            if row >= 0 and key == Qt.Key.Key_Up:     # above the first row: back to the text
                view.clearSelection()
                view.setCurrentIndex(QModelIndex())
                return
            new = 0
        new = min(new, n - 1)
        idx = self.model.index(new)
        view.setCurrentIndex(idx)
        view.scrollTo(idx)

    def _activate_index(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        client_id = int(index.data(SearchResultsModel.ClientIdRole))
        self.popup.hide()
        self.clientActivated.emit(client_id)

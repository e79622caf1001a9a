"""The client tab's list filter: one line edit at the right of the lists' tab bar.

It filters the list that is showing, on the server (``PagedTableModel.set_filter``: the model
reloads from the first page with ``?q=``; the view's sort order stays). Each list keeps its own
filter: switching lists shows that list's text, and switching back finds it again. Typing waits
for a pause (``DEBOUNCE_MS``) before asking; Enter asks at once; the clear button and Escape
clear it; ↓ moves to the table. A filtered list with no rows says so inside the table
("No payments match “…”."), as plain text, and its tab's title says "(n, filtered)". Pages
without a table (the ticket form) disable the box.

Payments, services and tickets also have a status drop-down left of the box ("Any status" and
each status of the list's enum, ``STATUS_ENUMS``): the server's ``?status=``, combined with the
text (``PagedTableModel.set_status``), kept per list like the text. Lists without a status
filter (users, expenses, projects) and the ticket form hide it. The "(n, filtered)" title, its
tooltip and the empty-result sentence ("No payments with status “Paid” match “…”.") count it.

Hooked into the client tab with one line: ``self.list_filters = ClientListFilters(self)``.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from supportdesk_protocol import limits as L
from supportdesk_protocol.schemas import PaymentStatus, ServiceStatus, TicketStatus
from supportdesk_qt.qt import (
    QEvent,
    QHBoxLayout,
    QComboBox,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QObject,
    Qt,
    QTableView,
    QTimer,
    QWidget,
    Signal,
    qt_is_valid,
)
from supportdesk_qt.ui.common import formatting as F
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.models.paged_table_model import PagedTableModel
from supportdesk_qt.ui.common.tooltips import plain_tooltip

DEBOUNCE_MS = 200
MAX_SHOWN = 60          # characters of the filter quoted in the "no match" sentence
# the lists the server filters by ``?status=`` (supportdesk_server/api/list_filters.py)
STATUS_ENUMS = {"payments": PaymentStatus, "services": ServiceStatus, "tickets": TicketStatus}


class FilterBox(QLineEdit):
    """A line edit that emits ``filterRequested(text)`` once typing pauses."""

    filterRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientListFilter")
        self.setClearButtonEnabled(True)
        self.setMaxLength(L.MAX_SEARCH_QUERY)
        self.setMinimumWidth(170)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.flush)
        self.textChanged.connect(self._changed)
        self.returnPressed.connect(self.flush)

    def _changed(self, text: str) -> None:
        if text.strip():
            self.timer.start()             # restarts: one request after the last key
        else:
            self.flush()                   # cleared: show everything at once

    def flush(self) -> None:
        self.timer.stop()
        self.filterRequested.emit(self.text())

    def set_text_quietly(self, text: str) -> None:
        """Show ``text`` without asking for anything (another list became current)."""
        self.timer.stop()
        self.blockSignals(True)
        self.setText(text)
        self.blockSignals(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()                   # textChanged -> flush
            event.accept()
            return
        super().keyPressEvent(event)


class ClientListFilters(QObject):
    """The filter box over a :class:`ClientTab`'s lists and the "no match" sentences."""

    def __init__(self, tab: Any) -> None:
        super().__init__(tab)
        self.tab = tab
        corner = QWidget(tab)
        corner.setObjectName("clientListFilterCorner")
        lay = QHBoxLayout(corner)
        lay.setContentsMargins(0, 0, 0, 0)
        self.status_box = QComboBox(corner)
        self.status_box.setObjectName("clientListStatus")
        self.status_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.status_box.hide()
        lay.addWidget(self.status_box)
        lay.setSpacing(6)
        self.box = FilterBox(corner)
        lay.addWidget(self.box)
        # a row of its own, right-aligned above the lists: as the tab widget's corner widget it
        # took the room of the list tabs, which then hid behind scroll arrows on a 1000 px tab
        outer = tab.layout()
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(corner)
        outer.insertLayout(max(0, outer.indexOf(tab.tabs)), row)
        self.box.filterRequested.connect(self._apply)
        self.status_box.currentIndexChanged.connect(self._status_chosen)
        self.box.installEventFilter(self)
        self._kind: str | None = None
        self.notes: dict[str, QLabel] = {}
        for kind, view in tab.views.items():
            model: PagedTableModel = tab.models[kind]
            note = QLabel(view.viewport())
            note.setObjectName(f"client_{kind}_empty")
            note.setTextFormat(Qt.TextFormat.PlainText)     # it quotes what the agent typed
            note.setAlignment(Qt.AlignmentFlag.AlignCenter)
            note.setWordWrap(True)
            note.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            theme.tint(note, theme.muted_text)
            note.hide()
            self.notes[kind] = note
            view.viewport().installEventFilter(self)
            update = partial(self._update_note, kind)
            for signal in (model.totalChanged, model.loadingChanged, model.modelReset,
                           model.rowsInserted, model.rowsRemoved, model.errorOccurred):
                signal.connect(update)
            # after the tab's own "Payments (n)": a filtered list says so in its tab's title
            model.totalChanged.connect(partial(self._title, kind))
        tab.tabs.currentChanged.connect(self._current_changed)
        self._current_changed()

    # -- which list

    def current_kind(self) -> str | None:
        page = self.tab.tabs.currentWidget()
        for kind, view in self.tab.views.items():
            if view is page:
                return kind
        return None

    def placeholder(self, kind: str | None) -> str:
        texts = {"users": self.tr("Filter users…"), "payments": self.tr("Filter payments…"),
                 "services": self.tr("Filter services…"), "tickets": self.tr("Filter tickets…"),
                 "expenses": self.tr("Filter expenses…"), "projects": self.tr("Filter projects…")}
        return texts.get(kind or "", self.tr("Filter…"))

    def no_match(self, kind: str, text: str) -> str:
        shown = text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 1] + "…"
        texts = {"users": self.tr("No users match “{text}”."),
                 "payments": self.tr("No payments match “{text}”."),
                 "services": self.tr("No services match “{text}”."),
                 "tickets": self.tr("No tickets match “{text}”."),
                 "expenses": self.tr("No expenses match “{text}”."),
                 "projects": self.tr("No projects match “{text}”.")}
        return texts.get(kind, self.tr("Nothing matches “{text}”.")).format(text=shown)

    def no_match_status(self, kind: str, status: str, text: str) -> str:
        """The "no match" sentence when a status is chosen (``text`` may be "")."""
        shown = text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 1] + "…"
        label = F.enum_label(status)
        if text:
            texts = {"payments": self.tr("No payments with status “{status}” match “{text}”."),
                     "services": self.tr("No services with status “{status}” match “{text}”."),
                     "tickets": self.tr("No tickets with status “{status}” match “{text}”.")}
            fallback = self.tr("Nothing with status “{status}” matches “{text}”.")
        else:
            texts = {"payments": self.tr("No payments with status “{status}”."),
                     "services": self.tr("No services with status “{status}”."),
                     "tickets": self.tr("No tickets with status “{status}”.")}
            fallback = self.tr("Nothing with status “{status}”.")
        return texts.get(kind, fallback).format(status=label, text=shown)

    def _fill_status_box(self, kind: str | None) -> None:
        """The current list's statuses in the drop-down (quietly), its choice selected."""
        enum = STATUS_ENUMS.get(kind or "")
        box = self.status_box
        box.blockSignals(True)
        box.clear()
        if enum is not None and kind is not None:
            box.addItem(self.tr("Any status"), None)
            for value in enum:
                box.addItem(F.enum_label(value), value.value)
            i = box.findData(self.tab.models[kind].status_filter)
            box.setCurrentIndex(max(i, 0))
        box.blockSignals(False)
        box.setVisible(enum is not None)
        box.setToolTip(self.tr("Shows only the rows with this status (with the text, if any).")
                       if enum is not None else "")

    def _current_changed(self, *_: Any) -> None:
        if self.box.timer.isActive() and self._kind is not None:
            self._set(self._kind, self.box.text())      # typed, then switched at once
        kind = self._kind = self.current_kind()
        self.box.setEnabled(kind is not None)
        self.box.setPlaceholderText(self.placeholder(kind))
        self.box.set_text_quietly(self.tab.models[kind].filter_text if kind else "")
        self._fill_status_box(kind)
        tip = self.tr("Shows only the rows containing this text in a text column (number, "
                      "name, domain, status…), in any case. Esc clears it.")
        self.box.setToolTip(tip if kind else "")

    # -- filtering

    def _apply(self, text: str) -> None:
        if self._kind is not None:
            self._set(self._kind, text)

    def _set(self, kind: str, text: str, **status: Any) -> None:
        model: PagedTableModel = self.tab.models[kind]
        if model.set_filter(text, **status):
            self.tab.views[kind].scrollToTop()

    def _status_chosen(self, index: int) -> None:
        if self._kind is None or self._kind not in STATUS_ENUMS or index < 0:
            return
        # one reload for both when the text was still waiting for its pause
        self.box.timer.stop()
        self._set(self._kind, self.box.text(), status=self.status_box.itemData(index))

    def set_status(self, kind: str, status: Any) -> None:
        """Filter ``kind`` by ``status`` (None: any; shown in the drop-down when it is showing)."""
        if kind not in STATUS_ENUMS:
            raise ValueError(f"the {kind} list has no status filter")
        self._set(kind, self.tab.models[kind].filter_text, status=status)
        if kind == self._kind:
            self._fill_status_box(kind)

    def set_filter(self, kind: str, text: str) -> None:
        """Filter ``kind`` (and show the text in the box when that list is showing)."""
        self._set(kind, text)
        if kind == self._kind:
            self.box.set_text_quietly(self.tab.models[kind].filter_text)

    def _title(self, kind: str, total: int) -> None:
        model: PagedTableModel = self.tab.models[kind]
        i = self.tab.tabs.indexOf(self.tab.views[kind])
        if i < 0:
            return
        if not model.filtered:
            self.tab.tabs.setTabToolTip(i, "")
            return
        title = self.tab._titles[kind]
        self.tab.tabs.setTabText(i, self.tr("{title} ({n}, filtered)").format(
            title=title, n=F.number(total)))
        lines = []
        if model.status_filter is not None:
            lines.append(self.tr("Status: {status}").format(
                status=F.enum_label(model.status_filter)))
        if model.filter_text:
            lines.append(self.tr("Filtered by “{text}”").format(text=model.filter_text))
        self.tab.tabs.setTabToolTip(i, plain_tooltip("\n".join(lines)))

    def _update_note(self, kind: str, *_: Any) -> None:
        model: PagedTableModel = self.tab.models[kind]
        note = self.notes[kind]
        # Not a task: the model's signals (reset, rows removed) also fire while Qt tears the
        # tab down, after the note (a child of the view's viewport) is already deleted and
        # before any scope of the tab could disconnect them. Only Qt knows the note is gone.
        if not qt_is_valid(note):
            return
        empty = (model.filtered and not model.loading and not model.error
                 and model.total == 0 and model.rowCount() == 0)
        if empty:
            if model.status_filter is not None:
                note.setText(self.no_match_status(kind, model.status_filter, model.filter_text))
            else:
                note.setText(self.no_match(kind, model.filter_text))
            note.setGeometry(note.parentWidget().rect().adjusted(12, 12, -12, -12))
            note.show()
        else:
            note.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            for note in self.notes.values():
                if note.parentWidget() is watched:
                    note.setGeometry(watched.rect().adjusted(12, 12, -12, -12))
        elif (watched is self.box and event.type() == QEvent.Type.KeyPress
              and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down
              and self._kind is not None):
            view: QTableView = self.tab.views[self._kind]
            view.setFocus(Qt.FocusReason.ShortcutFocusReason)
            if view.model().rowCount() and not view.currentIndex().isValid():
                view.setCurrentIndex(view.model().index(0, 0))
            return True
        return super().eventFilter(watched, event)

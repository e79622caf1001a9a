"""The tickets tab: find tickets to work on (issue 5, "A tickets search tab").

Scope (my tickets = assigned to me / my departments' / every ticket I can see), status and
priority filters, over a :class:`PagedTableModel` (pages come from the server as the agent
scrolls; ``backend.list_tickets_filtered``). Double-click or Enter opens a ticket
(``openTicket(id)``). Ticket events (created / updated / post) refresh the list, batched by a
short timer so a burst costs one reload.
"""

from __future__ import annotations

from supportdesk_protocol.events import EventType
from supportdesk_protocol.schemas import TicketPriority, TicketStatus
from supportdesk_qt.backend.base import Capability, ServerEvent
from supportdesk_qt.qt import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QModelIndex,
    QPushButton,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from supportdesk_qt.ui.common import formatting as F
from supportdesk_qt.ui.models import columns as C
from supportdesk_qt.ui.models.paged_table_model import Column, PagedTableModel
from supportdesk_qt.ui.common.labels import error_label
from supportdesk_qt.ui.common.tables import make_table
from supportdesk_qt.ui.tabs import Tab, TabContext

PAGE_SIZE = 50
RELOAD_DELAY_MS = 400
SCOPES = ("mine", "departments", "all")


class TicketsTab(QWidget, Tab):
    kind = "tickets"
    event_types = frozenset({EventType.TICKET_CREATED, EventType.TICKET_UPDATED,
                             EventType.TICKET_POST})
    capability = Capability.TICKET_FILTERS      # its list is list_tickets_filtered

    openTicket = Signal(int)

    def __init__(self, context: TabContext, parent: QWidget | None = None, *,
                 page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self.setObjectName("ticketsTab")
        self.init_tab(context)
        self._tasks = self.scope
        self.openTicket.connect(lambda ticket_id: self.openRequested.emit(f"ticket:{ticket_id}",
                                                                          None))

        self.scope_combo = QComboBox(self)
        self.scope_combo.setObjectName("ticketsScope")
        for key, label in (("mine", self.tr("My tickets")),
                           ("departments", self.tr("My departments' tickets")),
                           ("all", self.tr("All tickets I can see"))):
            self.scope_combo.addItem(label, key)
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("ticketsStatus")
        self.status_combo.addItem(self.tr("Any status"), None)
        for st in TicketStatus:
            self.status_combo.addItem(F.enum_label(st), st.value)
        self.priority_combo = QComboBox(self)
        self.priority_combo.setObjectName("ticketsPriority")
        self.priority_combo.addItem(self.tr("Any priority"), None)
        for pr in TicketPriority:
            self.priority_combo.addItem(F.enum_label(pr), pr.value)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.clicked.connect(self.reload)
        self.count_label = QLabel(self)
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label = error_label(self, "ticketsError")

        cols = C.ticket_columns()
        cols.insert(2, Column(self.tr("Client"), lambda t: F.number(t.client_id)
                              if t.client_id is not None else "—",
                              sort=lambda t: t.client_id or 0, align_right=True))
        self.model = PagedTableModel(cols, self._fetch, page_size=page_size, tasks=self._tasks,
                                     parent=self)
        self.view, self.proxy = make_table(self.model, self, sort_role=PagedTableModel.SortRole)
        self.view.setObjectName("ticketsView")
        self.view.setToolTip(self.tr("Double-click a ticket to open it."))
        self.view.doubleClicked.connect(self._open)
        self.view.activated.connect(self._open)
        self.model.totalChanged.connect(self._total_changed)
        self.model.errorOccurred.connect(self._error)
        for combo in (self.scope_combo, self.status_combo, self.priority_combo):
            combo.currentIndexChanged.connect(lambda _i: self.reload())

        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)

        top = QHBoxLayout()
        for label, combo in ((self.tr("&Show"), self.scope_combo),
                             (self.tr("S&tatus"), self.status_combo),
                             (self.tr("&Priority"), self.priority_combo)):
            cap = QLabel(label, self)
            cap.setBuddy(combo)
            top.addWidget(cap)
            top.addWidget(combo)
        top.addStretch(1)
        top.addWidget(self.count_label)
        top.addWidget(self.refresh_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.addLayout(top)
        lay.addWidget(self.error_label)
        lay.addWidget(self.view, 1)
        self.model.reload()

    # -- the tab contract

    @classmethod
    def from_key(cls, context: TabContext, ident: str, snapshot: object = None) -> TicketsTab:
        return cls(context)

    def title(self) -> str:
        return self.tr("Tickets")

    def on_event(self, event: ServerEvent) -> None:
        """A ticket was created, changed or got a post: the list reloads soon."""
        self.schedule_reload()

    def save_state(self) -> dict:
        return {"scope": self.scope_combo.currentData(), "status": self.status_combo.currentData(),
                "priority": self.priority_combo.currentData()}

    def restore(self, state: dict) -> None:
        changed = False
        for name, combo in (("scope", self.scope_combo), ("status", self.status_combo),
                            ("priority", self.priority_combo)):
            value = state.get(name, combo)          # absent: left as it is
            i = combo.findData(value) if value is None or isinstance(value, str) else -1
            if i >= 0 and i != combo.currentIndex():
                combo.blockSignals(True)            # one reload for all three
                combo.setCurrentIndex(i)
                combo.blockSignals(False)
                changed = True
        if changed:
            self.reload()

    @property
    def filters(self) -> dict:
        scope = self.scope_combo.currentData()
        return {"mine": scope == "mine", "my_departments": scope == "departments",
                "status": self.status_combo.currentData(),
                "priority": self.priority_combo.currentData()}

    async def _fetch(self, offset: int, limit: int):
        return await self.backend.list_tickets_filtered(offset=offset, limit=limit, **self.filters)

    def reload(self) -> None:
        self._reload_timer.stop()
        self.error_label.hide()
        self.model.reload()

    def schedule_reload(self) -> None:
        """A ticket changed somewhere: reload soon (a burst of events makes one reload)."""
        if not self._reload_timer.isActive():
            self._reload_timer.start()

    def _total_changed(self, total: int) -> None:
        self.count_label.setText(self.tr("%Ln ticket(s)", "", total))
        if total and not self.view.property("sized"):
            self.view.resizeColumnsToContents()
            for col in range(self.proxy.columnCount()):
                self.view.setColumnWidth(col, min(max(self.view.columnWidth(col) + 18, 60), 420))
            self.view.setProperty("sized", True)

    def _error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _open(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        ticket = index.data(PagedTableModel.ItemRole)
        if ticket is not None:
            self.openTicket.emit(int(ticket.id))


__all__ = ["TicketsTab"]

"""The client tab (read-only first cut of the "Clients & tickets" issue).

A header with who the client is (name, email, phone, project, status, balance) and one tab per
list: users, payments, services, tickets, expenses, projects. Every list is a
:class:`PagedTableModel` behind a ``QSortFilterProxyModel`` in a ``QTableView``: pages load as the
agent scrolls; a click on a header sorts the rows loaded so far; the filter box at the right of the
tab bar (and, for payments, services and tickets, a status drop-down beside it) filters the
current list on the server (``list_filter.py``). Double-click (or Enter) on a
ticket emits ``openTicket(id)``.

Editing (name and phone, users, payments, services, projects; permissions; conflicts; live
changes from colleagues through ``apply_event``) is in ``edit_sections.ClientEditing``.

Reconnect policy (``on_resynced``): after a resume without a gap nothing is reloaded (the
``client.updated`` events were replayed); after a ``reset`` the client and each of its lists
reload once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial

from supportdesk_protocol.events import EventType
from supportdesk_protocol.schemas import Client
from supportdesk_qt.backend.base import BackendError, ConnectionState, Resynced, ServerEvent
from supportdesk_qt.core.workspace import needs_reload
from supportdesk_qt.qt import (
    QFont,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QModelIndex,
    QPalette,
    QPushButton,
    QSortFilterProxyModel,
    Qt,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from supportdesk_qt.ui.common import formatting as F
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.common.labels import plain_label
from supportdesk_qt.ui.common.tables import make_table
from supportdesk_qt.ui.models import columns as C
from supportdesk_qt.ui.client.edit_sections import ClientEditing
from supportdesk_qt.ui.client.list_filter import ClientListFilters
from supportdesk_qt.ui.client.status_line import ListStatusLine
from supportdesk_qt.ui.models.paged_table_model import PagedTableModel
from supportdesk_qt.ui.tabs import Tab, TabContext

PAGE_SIZE = 50
KINDS = ("users", "payments", "services", "tickets", "expenses", "projects")


class ClientTab(QWidget, Tab):
    kind = "client"
    event_types = frozenset({EventType.CLIENT_UPDATED})

    openTicket = Signal(int)
    loaded = Signal()                      # the client record arrived (tests)

    def __init__(self, context: TabContext, client_id: int, parent: QWidget | None = None, *,
                 page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self.setObjectName("clientTab")
        self.init_tab(context)
        backend = self.backend
        self.client_id = int(client_id)
        self.client: Client | None = None
        self._tasks = self.scope           # every load and save of the tab, its lists', its dialogs'
        self._task: asyncio.Task | None = None
        self.openTicket.connect(lambda ticket_id: self.openRequested.emit(f"ticket:{ticket_id}",
                                                                          None))

        # -- header
        self.name_label = plain_label("", self, selectable=True)
        self.name_label.setObjectName("clientName")
        f = QFont(self.font())
        f.setPointSizeF(f.pointSizeF() * 1.35)
        f.setBold(True)
        self.name_label.setFont(f)
        self.status_label = plain_label("", self, selectable=True)
        self.status_label.setObjectName("clientStatus")
        self.balance_label = plain_label("", self, selectable=True)
        self.balance_label.setObjectName("clientBalance")
        bf = QFont(self.font())
        bf.setPointSizeF(bf.pointSizeF() * 1.2)
        bf.setBold(True)
        self.balance_label.setFont(bf)
        self.balance_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.email_label = plain_label("", self, selectable=True)
        self.phone_label = plain_label("", self, selectable=True)
        self.project_label = plain_label("", self, selectable=True)
        self.id_label = plain_label("", self, selectable=True)
        self.error_label = QLabel(self)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setObjectName("clientError")
        theme.tint(self.error_label, theme.error_text)
        self.error_label.hide()
        self.retry_button = QPushButton(self.tr("Try again"), self)
        self.retry_button.clicked.connect(self.reload)
        self.retry_button.hide()

        muted = theme.muted_text(self.palette())
        captions = []
        for text in (self.tr("Email"), self.tr("Phone"), self.tr("Project"), self.tr("Client ID")):
            cap = QLabel(text, self)
            pal = cap.palette()
            pal.setColor(QPalette.ColorRole.WindowText, muted)
            cap.setPalette(pal)
            captions.append(cap)
        balance_caption = QLabel(self.tr("Balance"), self)
        balance_caption.setPalette(captions[0].palette())
        balance_caption.setAlignment(Qt.AlignmentFlag.AlignRight)

        header = QFrame(self)
        header.setObjectName("clientHeader")
        header.setFrameShape(QFrame.Shape.StyledPanel)
        header.setAutoFillBackground(True)
        hpal = header.palette()
        hpal.setColor(QPalette.ColorRole.Window, hpal.color(QPalette.ColorRole.Base))
        header.setPalette(hpal)
        grid = QGridLayout(header)
        grid.setContentsMargins(14, 10, 14, 10)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(2)
        title_row = QHBoxLayout()
        title_row.setSpacing(10)
        title_row.addWidget(self.name_label)
        title_row.addWidget(self.status_label)
        title_row.addStretch(1)
        grid.addLayout(title_row, 0, 0, 1, 4)
        for col, (cap, val) in enumerate(zip(captions, (self.email_label, self.phone_label,
                                                         self.project_label, self.id_label))):
            grid.addWidget(cap, 1, col)
            grid.addWidget(val, 2, col)
        grid.addWidget(balance_caption, 1, 4)
        grid.addWidget(self.balance_label, 2, 4)
        grid.setColumnStretch(3, 1)

        # -- lists
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("clientLists")
        self.tabs.setDocumentMode(True)
        self.models: dict[str, PagedTableModel] = {}
        self.views: dict[str, QTableView] = {}
        self.proxies: dict[str, QSortFilterProxyModel] = {}
        self._titles = {"users": self.tr("Users"), "payments": self.tr("Payments"),
                        "services": self.tr("Services"), "tickets": self.tr("Tickets"),
                        "expenses": self.tr("Expenses"), "projects": self.tr("Projects")}
        specs: dict[str, tuple[list, Callable]] = {
            "users": (C.user_columns(), backend.client_users),
            "payments": (C.payment_columns(), backend.client_payments),
            "services": (C.service_columns(), backend.client_services),
            "tickets": (C.ticket_columns(), backend.client_tickets),
            "expenses": (C.expense_columns(), backend.client_expenses),
            "projects": (C.project_columns(), backend.client_projects),
        }
        for kind in KINDS:
            cols, method = specs[kind]
            fetch = partial(self._fetch, method)
            model = PagedTableModel(cols, fetch, page_size=page_size, tasks=self._tasks,
                                    parent=self)
            view, proxy = make_table(model, self, sort_role=PagedTableModel.SortRole)
            view.setObjectName(f"client_{kind}")
            self.models[kind], self.views[kind], self.proxies[kind] = model, view, proxy
            model.totalChanged.connect(partial(self._total_changed, kind))
            model.errorOccurred.connect(self._list_error)
            self.tabs.addTab(view, self._titles[kind])
        self.views["tickets"].doubleClicked.connect(self._open_ticket)
        self.views["tickets"].activated.connect(self._open_ticket)
        self.views["tickets"].setToolTip(self.tr("Double-click a ticket to open it."))
        # Editing: actions under users/payments/services/projects, the header's edit button,
        # colleagues' changes applied live (edit_sections.py).
        # one reserved line under the lists for what the last action did (status_line.py)
        self.status_line = ListStatusLine(self)
        self.editing = ClientEditing(self)
        title_row.addWidget(self.editing.edit_client_button)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.setSpacing(8)
        lay.addWidget(header)
        err_row = QHBoxLayout()
        err_row.addWidget(self.error_label, 1)
        err_row.addWidget(self.retry_button)
        lay.addLayout(err_row)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.editing.actions)
        lay.addWidget(self.status_line)
        # item 1 (ticket form) and item 5 (priority in place): ui/tickets/client_tickets.py
        from supportdesk_qt.ui.tickets.client_tickets import ClientTicketsSection
        self.ticket_section = ClientTicketsSection(self)
        # the form is the first page, but a client tab opens on the client's tickets (item 4)
        self.tabs.setCurrentWidget(self.views["tickets"])
        # a filter box at the right of the lists' tab bar, one filter per list (server-side)
        self.list_filters = ClientListFilters(self)
        self._show_client(None)
        self.reload()

    async def _fetch(self, method: Callable, offset: int, limit: int, q: str | None = None,
                     status: str | None = None):
        # the list's filter (list_filter.py): only what is set is sent; unfiltered calls stay
        kwargs = {k: v for k, v in (("q", q), ("status", status)) if v}
        return await method(self.client_id, offset=offset, limit=limit, **kwargs)

    # -- the tab contract

    @classmethod
    def from_key(cls, context: TabContext, ident: str, snapshot: object = None) -> ClientTab | None:
        return cls(context, int(ident)) if ident.isdigit() else None

    @property
    def key(self) -> str:
        return f"client:{self.client_id}"

    def save_state(self) -> dict:
        current = self.tabs.currentWidget()
        kind = next((k for k, v in self.views.items() if v is current), None)
        return {"list": kind} if kind else {}

    def restore(self, state: dict) -> None:
        kind = state.get("list")
        view = self.views.get(kind) if isinstance(kind, str) else None
        if view is not None:
            self.tabs.setCurrentWidget(view)

    def on_event(self, event: ServerEvent) -> None:
        """``client.updated`` of this client refreshes the header or the changed row."""
        self.editing.apply_event(event)

    apply_event = on_event

    def on_resynced(self, item: Resynced) -> None:
        """The workspace's reconnect policy: a ``reset`` reloads the client and its lists
        once; a gap-free resume reloads nothing."""
        if needs_reload(item):
            self.reload()

    def title(self) -> str:
        if self.client is None:
            return self.tr("Client #{id}").format(id=self.client_id)
        return self.client.name[:40]

    @property
    def loading(self) -> bool:
        return (self._task is not None and not self._task.done()) or any(
            m.loading for m in self.models.values())

    def reload(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self.error_label.hide()
        self.retry_button.hide()
        self._task = self._tasks.spawn(self._load_client(), name="client-tab")
        for model in self.models.values():
            model.reload()

    # -- loading

    async def _load_client(self) -> None:
        try:
            client = await self.backend.get_client(self.client_id)
        except BackendError as exc:
            self._list_error(exc.message)
            return
        self.client = client
        self._show_client(client)
        self.titleChanged.emit(self.title())
        self.loaded.emit()

    def _show_client(self, c: Client | None) -> None:
        dash = "—"
        if c is None:
            self.name_label.setText(self.title())
            for lab in (self.email_label, self.phone_label, self.project_label, self.id_label,
                        self.balance_label, self.status_label):
                lab.setText(dash if lab is not self.status_label else "")
            return
        self.name_label.setText(c.name or dash)
        self.email_label.setText(c.email or dash)
        self.phone_label.setText(c.phone or dash)
        self.project_label.setText(c.project_name or dash)
        self.id_label.setText(F.number(c.id))
        self.balance_label.setText(F.money(c.balance, c.currency))
        theme.tint(self.balance_label, theme.error_text if c.balance < 0 else theme.plain_text)
        self.status_label.setText(F.enum_label(c.status))
        state = {"active": ConnectionState.CONNECTED, "suspended": ConnectionState.CONNECTING,
                 "closed": ConnectionState.FAILED}.get(str(c.status.value))
        if state is not None:
            theme.tint(self.status_label, lambda pal: theme.status_color(state, pal))

    def _total_changed(self, kind: str, total: int) -> None:
        i = self.tabs.indexOf(self.views[kind])
        self.tabs.setTabText(i, self.tr("{title} ({n})").format(title=self._titles[kind],
                                                               n=F.number(total)))
        view = self.views[kind]
        if total and view.model().rowCount() and not view.property("sized"):
            view.resizeColumnsToContents()
            for col in range(view.model().columnCount()):
                view.setColumnWidth(col, min(max(view.columnWidth(col) + 18, 60), 360))
            view.setProperty("sized", True)

    def _list_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        self.retry_button.show()

    def _open_ticket(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        ticket = index.data(PagedTableModel.ItemRole)
        if ticket is not None:
            self.openTicket.emit(int(ticket.id))

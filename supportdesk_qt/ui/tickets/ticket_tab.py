"""The ticket tab (read-only first cut): the ticket's facts and its thread.

Header: subject, then status, priority, department and assignee. Below, the thread: a
``QListView`` over :class:`TicketPostsModel` painted by :class:`TicketPostDelegate` (client posts,
staff replies and internal notes told apart by colour and label; word-wrapped plain text; heights
cached per width). Older-to-newer, further pages load as the agent scrolls down.

The composer (reply, internal note, drafts, templates) and edits of status/priority are the
"Clients & tickets" issue's next step. ``openClient(id)`` is emitted by the client link.
"""

from __future__ import annotations

import asyncio

from supportdesk_protocol.schemas import Ticket
from supportdesk_qt.backend.base import Backend, BackendError, ConnectionState
from supportdesk_qt.qt import (
    QAbstractItemView,
    QFont,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPalette,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from supportdesk_qt.ui import formatting as F
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.tasks import TaskRegistry
from supportdesk_qt.ui.tickets.post_delegate import TicketPostDelegate
from supportdesk_qt.ui.tickets.posts_model import TicketPostsModel

PAGE_SIZE = 50

_PRIORITY_STATE = {"high": ConnectionState.CONNECTING, "urgent": ConnectionState.FAILED}


class _Fact(QLabel):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)


class TicketTab(QWidget):
    openClient = Signal(int)
    titleChanged = Signal(str)
    loaded = Signal()

    def __init__(self, backend: Backend, ticket_id: int, tasks: TaskRegistry | None = None,
                 parent: QWidget | None = None, *, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self.setObjectName("ticketTab")
        self.backend = backend
        self.ticket_id = int(ticket_id)
        self.ticket: Ticket | None = None
        self._tasks = tasks or TaskRegistry()
        self._task: asyncio.Task | None = None

        self.subject_label = _Fact(self)
        self.subject_label.setObjectName("ticketSubject")
        self.subject_label.setWordWrap(True)
        f = QFont(self.font())
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        self.subject_label.setFont(f)
        self.status_label = _Fact(self)
        self.priority_label = _Fact(self)
        self.department_label = _Fact(self)
        self.assignee_label = _Fact(self)
        self.id_label = _Fact(self)
        self.client_button = QPushButton(self)
        self.client_button.setObjectName("ticketClientButton")
        self.client_button.setFlat(True)
        self.client_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.client_button.clicked.connect(self._open_client)
        self.client_button.hide()
        self.error_label = QLabel(self)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        epal = self.error_label.palette()
        epal.setColor(QPalette.ColorRole.WindowText,
                      theme.status_color(ConnectionState.FAILED, self.palette()))
        self.error_label.setPalette(epal)
        self.error_label.hide()
        self.retry_button = QPushButton(self.tr("Try again"), self)
        self.retry_button.clicked.connect(self.reload)
        self.retry_button.hide()

        muted = theme.muted_text(self.palette())
        facts = QHBoxLayout()
        facts.setSpacing(16)
        for caption, label in ((self.tr("Status"), self.status_label),
                               (self.tr("Priority"), self.priority_label),
                               (self.tr("Department"), self.department_label),
                               (self.tr("Assignee"), self.assignee_label),
                               (self.tr("Ticket"), self.id_label)):
            box = QVBoxLayout()
            box.setSpacing(0)
            cap = QLabel(caption, self)
            pal = cap.palette()
            pal.setColor(QPalette.ColorRole.WindowText, muted)
            cap.setPalette(pal)
            box.addWidget(cap)
            box.addWidget(label)
            facts.addLayout(box)
        facts.addStretch(1)
        facts.addWidget(self.client_button, 0, Qt.AlignmentFlag.AlignBottom)

        header = QFrame(self)
        header.setObjectName("ticketHeader")
        header.setFrameShape(QFrame.Shape.StyledPanel)
        header.setAutoFillBackground(True)
        hpal = header.palette()
        hpal.setColor(QPalette.ColorRole.Window, hpal.color(QPalette.ColorRole.Base))
        header.setPalette(hpal)
        hl = QVBoxLayout(header)
        hl.setContentsMargins(14, 10, 14, 10)
        hl.setSpacing(8)
        hl.addWidget(self.subject_label)
        hl.addLayout(facts)

        self.model = TicketPostsModel(self._fetch_posts, page_size=page_size, tasks=self._tasks,
                                      parent=self)
        self.delegate = TicketPostDelegate(self)
        self.view = QListView(self)
        self.view.setObjectName("ticketThread")
        self.view.setModel(self.model)
        self.view.setItemDelegate(self.delegate)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setSpacing(0)
        self.delegate.card_palette = self.palette()
        tpal = self.view.palette()
        tpal.setColor(QPalette.ColorRole.Base, tpal.color(QPalette.ColorRole.Window))
        self.view.setPalette(tpal)
        self.model.errorOccurred.connect(self._error)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.setSpacing(6)
        lay.addWidget(header)
        err = QHBoxLayout()
        err.addWidget(self.error_label, 1)
        err.addWidget(self.retry_button)
        lay.addLayout(err)
        lay.addWidget(self.view, 1)
        self._show_ticket(None)
        self.reload()

    async def _fetch_posts(self, offset: int, limit: int):
        return await self.backend.ticket_posts(self.ticket_id, offset=offset, limit=limit)

    def title(self) -> str:
        if self.ticket is None:
            return self.tr("Ticket #{id}").format(id=self.ticket_id)
        return self.tr("#{id} {subject}").format(id=self.ticket_id,
                                                 subject=self.ticket.subject[:40])

    @property
    def loading(self) -> bool:
        return (self._task is not None and not self._task.done()) or self.model.loading

    def reload(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self.error_label.hide()
        self.retry_button.hide()
        self.delegate.clear_cache()
        self._task = self._tasks.spawn(self._load(), name="ticket-tab")
        self.model.reload()

    async def _load(self) -> None:
        try:
            ticket = await self.backend.get_ticket(self.ticket_id)
        except BackendError as exc:
            self._error(exc.message)
            return
        self.ticket = ticket
        self._show_ticket(ticket)
        self.titleChanged.emit(self.title())
        self.loaded.emit()
        try:
            departments = {d.id: d.name for d in await self.backend.departments()}
        except BackendError:
            departments = {}
        self.department_label.setText(departments.get(ticket.department_id)
                                      or self.tr("#{id}").format(id=ticket.department_id))
        if ticket.assignee_id is not None:
            name = await self._agent_name(ticket.assignee_id)
            self.assignee_label.setText(name)

    async def _agent_name(self, agent_id: int) -> str:
        me = self.backend.agent
        if me is not None and me.id == agent_id:
            return self.tr("{name} (me)").format(name=me.display_name)
        agents = getattr(self.backend, "agents", None)   # not every backend lists colleagues
        if agents is not None:
            try:
                for a in await agents():
                    if a.id == agent_id:
                        return a.display_name
            except BackendError:
                pass
        return self.tr("Agent #{id}").format(id=agent_id)

    def _show_ticket(self, t: Ticket | None) -> None:
        dash = "—"
        if t is None:
            self.subject_label.setText(self.title())
            for lab in (self.status_label, self.priority_label, self.department_label,
                        self.assignee_label):
                lab.setText(dash)
            self.id_label.setText(F.number(self.ticket_id))
            return
        self.subject_label.setText(t.subject)
        self.status_label.setText(F.enum_label(t.status))
        self.priority_label.setText(F.enum_label(t.priority))
        state = _PRIORITY_STATE.get(str(t.priority.value))
        pal = self.priority_label.palette()
        pal.setColor(QPalette.ColorRole.WindowText,
                     theme.status_color(state, self.palette()) if state is not None
                     else self.palette().color(QPalette.ColorRole.WindowText))
        self.priority_label.setPalette(pal)
        self.department_label.setText(self.tr("#{id}").format(id=t.department_id))
        self.assignee_label.setText(self.tr("Unassigned") if t.assignee_id is None
                                    else self.tr("Agent #{id}").format(id=t.assignee_id))
        self.id_label.setText(F.number(t.id))
        if t.client_id is not None:
            self.client_button.setText(self.tr("Open client #{id}").format(id=t.client_id))
            self.client_button.show()
        else:
            self.client_button.hide()

    def _error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        self.retry_button.show()

    def _open_client(self) -> None:
        if self.ticket is not None and self.ticket.client_id is not None:
            self.openClient.emit(int(self.ticket.client_id))

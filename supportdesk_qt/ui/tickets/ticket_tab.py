"""The ticket tab: the ticket's facts (editable), its thread and a composer.

Header: subject, then status, priority, department and assignee as combo boxes. A change is sent
at once with the version the tab holds (``backend.update_ticket``); when a colleague changed the
ticket meanwhile (409 ``version_conflict``) the controls show the ticket as it is now and a
sentence says what the colleague changed and that ours was not saved: the agent decides again.

The thread: a ``QListView`` over :class:`TicketPostsModel` painted by :class:`TicketPostDelegate`
(client posts, staff replies and internal notes told apart by colour and label; word-wrapped plain
text; heights cached per width). Right-click a post: copy, "Save as pre-defined reply…", and
retry / discard for a post that could not be sent (the composer's message menu).

The composer is the desk's one composer (ui/compose/): "Reply" (the client sees it) or "Internal
note" (agents only), the ticket send key (Ctrl+Enter unless the preferences say Enter); the
pre-defined reply picker (button, or "/" in an empty composer) offers only replies not marked
chat-only. The draft of each ticket is kept in a :class:`DraftStore` of its own
(``ticket-drafts.json``) across tab switches and restarts. A post goes through the outbox
(core/outbox.py, kinds ``ticket_reply`` / ``ticket_note``): on disk before it is sent, retried
with the same ``client_msg_id``, so it survives a crash; each shows sending / sent / failed in
the thread; what the outbox still holds shows once the thread is loaded.

Live (the tab contract, ui/tabs/): :meth:`on_event` takes ``ticket.post`` (a client's new post
appears) and ``ticket.updated`` (a colleague's status/priority/department/assignee change) for
this ticket. ``openClient(id)`` is emitted by the client link. Loads and saves run in the tab's
task scope (cancelled with it); a post being sent outlives the tab.

Department and assignee names come from the workspace's one cache (``context.directory``,
``core/directory.py``), followed while the tab is open (a department renamed or added by an event
shows in the combo box); the tab never asks the backend for ``departments()`` / ``agents()``.
Reconnect policy (``on_resynced``): after a resume without a gap nothing is reloaded (the events
carried every change); after a ``reset`` the ticket and its thread reload once.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from supportdesk_protocol.events import EventType
from supportdesk_protocol.schemas import (
    Ticket,
    TicketPost,
    TicketPriority,
    TicketStatus,
)
from supportdesk_qt.backend.base import BackendError, Conflict, ConnectionState, Resynced, ServerEvent
from supportdesk_qt.core.outbox import TICKET_NOTE, TICKET_REPLY, Outbox
from supportdesk_qt.core.workspace import needs_reload
from supportdesk_qt.qt import (
    QAbstractItemView,
    QComboBox,
    QFont,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPalette,
    QPoint,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from supportdesk_qt.ui.common import formatting as F
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.common.combos import set_choices
from supportdesk_qt.ui.common.labels import plain_label
from supportdesk_qt.ui.compose import ComposeBox, Mode
from supportdesk_qt.ui.tabs import Tab, TabContext
from supportdesk_qt.ui.tickets.post_delegate import TicketPostDelegate
from supportdesk_qt.ui.tickets.posts_model import TicketPostsModel

log = logging.getLogger("supportdesk.ui.tickets")

PAGE_SIZE = 50

_PRIORITY_STATE = {"high": ConnectionState.CONNECTING, "urgent": ConnectionState.FAILED}


class _Choice(QComboBox):
    """A header control; ``text()`` is the shown choice (what the read-only labels said)."""

    def text(self) -> str:
        return self.currentText()


class TicketTab(QWidget, Tab):
    kind = "ticket"
    event_types = frozenset({EventType.TICKET_POST, EventType.TICKET_UPDATED})

    openClient = Signal(int)
    loaded = Signal()
    ticketChanged = Signal(object)        # Ticket: saved by me or changed by a colleague
    postAdded = Signal(object)            # TicketPost now shown (live or sent)

    def __init__(self, context: TabContext, ticket_id: int, parent: QWidget | None = None, *,
                 page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self.setObjectName("ticketTab")
        self.init_tab(context)
        backend = self.backend
        self.ticket_id = int(ticket_id)
        self.ticket: Ticket | None = None
        self._tasks = self.scope                 # loads and saves: cancelled with the tab
        self._task: asyncio.Task | None = None
        self._save_task: asyncio.Task | None = None
        self.drafts = drafts = context.ticket_drafts
        self.outbox: Outbox | None = context.outbox
        outbox = self.outbox
        self.openClient.connect(lambda client_id: self.openRequested.emit(f"client:{client_id}",
                                                                          None))
        self.directory = directory = context.directory      # departments and colleagues
        for changed in (directory.departments_changed, directory.agents_changed):
            self.scope.on_close(changed.connect(self._directory_changed))

        self.subject_label = plain_label("", self, selectable=True)
        self.subject_label.setObjectName("ticketSubject")
        self.subject_label.setWordWrap(True)
        f = QFont(self.font())
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        self.subject_label.setFont(f)
        self.status_combo = _Choice(self)
        self.status_combo.setObjectName("ticketStatusCombo")
        for st in TicketStatus:
            self.status_combo.addItem(F.enum_label(st), st.value)
        self.priority_combo = _Choice(self)
        self.priority_combo.setObjectName("ticketPriorityCombo")
        for pr in TicketPriority:
            self.priority_combo.addItem(F.enum_label(pr), pr.value)
        self.department_combo = _Choice(self)
        self.department_combo.setObjectName("ticketDepartmentCombo")
        self.assignee_combo = _Choice(self)
        self.assignee_combo.setObjectName("ticketAssigneeCombo")
        self.assignee_combo.setMinimumContentsLength(12)
        self._combos = {"status": self.status_combo, "priority": self.priority_combo,
                        "department_id": self.department_combo,
                        "assignee_id": self.assignee_combo}
        for field, combo in self._combos.items():
            combo.setEnabled(False)
            combo.activated.connect(lambda _i, f=field: self._control_changed(f))
        # the old read-only names, for code and tests that look at the text
        self.status_label = self.status_combo
        self.priority_label = self.priority_combo
        self.department_label = self.department_combo
        self.assignee_label = self.assignee_combo
        self.id_label = plain_label("", self, selectable=True)
        self.notice_label = QLabel(self)
        self.notice_label.setObjectName("ticketNotice")
        self.notice_label.setTextFormat(Qt.TextFormat.PlainText)
        self.notice_label.setWordWrap(True)
        self.notice_label.hide()
        self.client_button = QPushButton(self)
        self.client_button.setObjectName("ticketClientButton")
        self.client_button.setFlat(True)
        self.client_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.client_button.clicked.connect(self._open_client)
        self.client_button.hide()
        self.error_label = QLabel(self)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        theme.tint(self.error_label, theme.error_text)
        self.error_label.hide()
        self.retry_button = QPushButton(self.tr("Try again"), self)
        self.retry_button.clicked.connect(self.reload)
        self.retry_button.hide()

        muted = theme.muted_text(self.palette())
        facts = QHBoxLayout()
        facts.setSpacing(16)
        for caption, label in ((self.tr("Status"), self.status_combo),
                               (self.tr("Priority"), self.priority_combo),
                               (self.tr("Department"), self.department_combo),
                               (self.tr("Assignee"), self.assignee_combo),
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
        hl.addWidget(self.notice_label)

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
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._post_menu)
        self.model.rowsInserted.connect(self._scroll_to_end)

        # -- the composer: reply or note, draft, length guard, outbox, replies (ui/compose/)
        self.compose = ComposeBox(   # the app's registry: a post being sent outlives the tab
            backend, context.tasks, "ticket", self, drafts=drafts, draft_key=self.ticket_id,
            agent=backend.agent, directory=directory, lines=5, placeholders=self._placeholders, modes=[
                Mode(TICKET_REPLY, self.tr("Reply"), self.tr("Send reply"),
                     self.tr("Reply to the client")),
                Mode(TICKET_NOTE, self.tr("Internal note"), self.tr("Add note"),
                     self.tr("Internal note: only agents see it"), tinted=True)])
        self.compose.mode_bar.setToolTip(self.tr("A reply is sent to the client; an internal "
                                                 "note is seen by agents only"))
        self.compose.notice.connect(self._say)
        self.compose.sent.connect(self._scroll_to_end)
        self.composer = self.compose.edit
        self.mode_bar = self.compose.mode_bar
        self.send_button = self.compose.send_button
        self.replies_button = self.compose.replies_button
        self.composer_error = self.compose.error_label

        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.setSpacing(6)
        lay.addWidget(header)
        err = QHBoxLayout()
        err.addWidget(self.error_label, 1)
        err.addWidget(self.retry_button)
        lay.addLayout(err)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.compose)
        self._show_ticket(None)
        self.model.own_name = backend.agent.display_name if backend.agent is not None else ""
        self.compose.set_outbox(outbox, rows=self.model, restore=False)
        if self.compose.feed is not None:
            self.compose.feed.sent.connect(lambda _row, post: self.postAdded.emit(post))
        self.model.totalChanged.connect(self._thread_loaded)
        self.reload()

    async def _fetch_posts(self, offset: int, limit: int):
        return await self.backend.ticket_posts(self.ticket_id, offset=offset, limit=limit)

    # -- the tab contract

    @classmethod
    def from_key(cls, context: TabContext, ident: str, snapshot: object = None) -> TicketTab | None:
        return cls(context, int(ident)) if ident.isdigit() else None

    @property
    def key(self) -> str:
        return f"ticket:{self.ticket_id}"

    def save_state(self) -> dict:
        return {"mode": self.compose.mode.kind}          # reply or internal note

    def restore(self, state: dict) -> None:
        kinds = [m.kind for m in self.compose.modes]
        if state.get("mode") in kinds:
            self.mode_bar.setCurrentIndex(kinds.index(state["mode"]))

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
        self.send_button.setEnabled(True)
        self._show_ticket(ticket)
        self.titleChanged.emit(self.title())
        self.loaded.emit()
        try:
            await self.directory.load()      # the one cache: no request once it is loaded
        except BackendError as exc:          # names unknown: the combo boxes say "#id"
            log.info("ticket %s: departments not known: %s", self.ticket_id, exc.message)
        self._fill_combos()
        for combo in self._combos.values():
            combo.setEnabled(True)

    @property
    def _departments(self) -> dict[int, str]:
        return {d.id: d.name for d in self.directory.departments.values()}

    def _directory_changed(self) -> None:
        """The cache changed (a department renamed or added, a colleague's name): the combo
        boxes follow; nothing changes while only an online count moved."""
        if self.ticket is not None and not self.saving:
            self._fill_combos()

    def _fill_combos(self) -> None:
        t = self.ticket
        depts = sorted(self._departments.items(), key=lambda kv: kv[1].casefold())
        if t is not None and t.department_id not in self._departments:
            depts.append((t.department_id, self.tr("#{id}").format(id=t.department_id)))
        set_choices(self.department_combo, depts)
        people: list[tuple[int, str]] = [(0, self.tr("Unassigned"))]
        me = self.backend.agent
        dept = t.department_id if t is not None else None
        for a in sorted(self.directory.agents.values(), key=lambda a: a.display_name.casefold()):
            if dept is not None and dept not in a.department_ids and str(a.role) != "admin":
                continue
            mine = me is not None and a.id == me.id
            people.append((a.id, self.tr("{name} (me)").format(name=a.display_name) if mine
                           else a.display_name))
        if t is not None and t.assignee_id and t.assignee_id not in dict(people):
            people.append((t.assignee_id, self.tr("Agent #{id}").format(id=t.assignee_id)))
        set_choices(self.assignee_combo, people)
        if t is not None:
            self._show_ticket(t)

    @staticmethod
    def _select(combo: QComboBox, value: Any) -> None:
        i = combo.findData(value)
        if i >= 0:
            combo.setCurrentIndex(i)

    def _show_ticket(self, t: Ticket | None) -> None:
        if t is None:
            self.subject_label.setText(self.title())
            self.id_label.setText(F.number(self.ticket_id))
            return
        self.subject_label.setText(t.subject)
        self._select(self.status_combo, t.status.value)
        self._select(self.priority_combo, t.priority.value)
        state = _PRIORITY_STATE.get(str(t.priority.value))
        pal = self.priority_combo.palette()
        pal.setColor(QPalette.ColorRole.ButtonText,
                     theme.status_color(state, self.palette()) if state is not None
                     else self.palette().color(QPalette.ColorRole.ButtonText))
        self.priority_combo.setPalette(pal)
        if self.department_combo.findData(t.department_id) < 0:
            self.department_combo.addItem(self.tr("#{id}").format(id=t.department_id),
                                          t.department_id)
        self._select(self.department_combo, t.department_id)
        if t.assignee_id and self.assignee_combo.findData(t.assignee_id) < 0:
            self.assignee_combo.addItem(self.tr("Agent #{id}").format(id=t.assignee_id),
                                        t.assignee_id)
        self._select(self.assignee_combo, t.assignee_id or 0)
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
        if self.ticket is None:                # nothing to reply to: say so, keep the draft
            self.send_button.setEnabled(False)

    def _open_client(self) -> None:
        if self.ticket is not None and self.ticket.client_id is not None:
            self.openClient.emit(int(self.ticket.client_id))

    # -- status / priority / department / assignee ---------------------------------------------

    def _value_of(self, field: str) -> Any:
        value = self._combos[field].currentData()
        if field == "assignee_id":
            return int(value) or None if value is not None else None
        return value

    def _current_of(self, t: Ticket, field: str) -> Any:
        value = getattr(t, field)
        return getattr(value, "value", value)

    @property
    def saving(self) -> bool:
        return self._save_task is not None and not self._save_task.done()

    def _control_changed(self, field: str) -> None:
        t = self.ticket
        if t is None:
            return
        value = self._value_of(field)
        if value == self._current_of(t, field):
            return
        if self.saving:                    # one change at a time; show what the server has
            self._show_ticket(t)
            return
        self._say(self.tr("Saving…"))
        for combo in self._combos.values():
            combo.setEnabled(False)
        self._save_task = self._tasks.spawn(self._save(field, value, t),
                                            name=f"ticket-{self.ticket_id}-save")

    async def _save(self, field: str, value: Any, seen: Ticket) -> None:
        try:
            ticket = await self.backend.update_ticket(self.ticket_id, seen.version,
                                                      **{field: value})
        except Conflict as exc:
            current = (exc.details or {}).get("current") if isinstance(exc.details, dict) else None
            if current is not None:
                now = Ticket.model_validate(current)
                self._set_ticket(now)
                self._say(self.tr("Not saved: a colleague changed this ticket meanwhile ({what}). "
                                  "It now shows their values; change it again if you still "
                                  "want to.").format(what=self._describe_changes(seen, now)),
                          error=True)
            else:
                self._show_ticket(seen)
                self._say(self.tr("Not saved: {error}").format(error=exc.message), error=True)
            self._enable_controls()
            return
        except BackendError as exc:
            self._show_ticket(seen)               # revert to what the server has
            self._say(self.tr("Not saved: {error}").format(error=exc.message), error=True)
            self._enable_controls()
            return
        self._set_ticket(ticket)
        self._say(self.tr("Saved."))
        self._enable_controls()

    def _enable_controls(self) -> None:
        self._fill_combos()          # what the cache learnt while the save ran
        for combo in self._combos.values():
            combo.setEnabled(True)

    def _describe_changes(self, old: Ticket, new: Ticket) -> str:
        names = {"status": self.tr("status"), "priority": self.tr("priority"),
                 "department_id": self.tr("department"), "assignee_id": self.tr("assignee")}
        parts = []
        for field, label in names.items():
            a, b = self._current_of(old, field), self._current_of(new, field)
            if a != b:
                if field in ("status", "priority"):
                    parts.append(self.tr("{field}: {old} → {new}").format(
                        field=label, old=F.enum_label(a), new=F.enum_label(b)))
                elif field == "department_id":
                    parts.append(self.tr("{field}: {new}").format(
                        field=label, new=self._departments.get(b, str(b))))
                else:
                    parts.append(self.tr("{field} changed").format(field=label))
        return ", ".join(parts) or self.tr("no visible change")

    def _say(self, text: str, *, error: bool = False) -> None:
        theme.tint(self.notice_label, theme.error_text if error else theme.muted_text)
        self.notice_label.setText(text)
        self.notice_label.setVisible(bool(text))

    def _set_ticket(self, ticket: Ticket) -> None:
        dept_changed = self.ticket is None or ticket.department_id != self.ticket.department_id
        self.ticket = ticket
        if dept_changed:
            self._fill_combos()
        self._show_ticket(ticket)
        self.titleChanged.emit(self.title())
        self.ticketChanged.emit(ticket)

    # -- live updates ----------------------------------------------------------------------------

    def on_event(self, event: ServerEvent) -> None:
        """A ``ticket.post`` / ``ticket.updated`` event (the router's; this ticket's count)."""
        data = getattr(event, "data", None)
        if event.type == EventType.TICKET_POST and isinstance(data, TicketPost):
            if data.ticket_id == self.ticket_id and self.model.add_post(data):
                self.postAdded.emit(data)
        elif event.type == EventType.TICKET_UPDATED and isinstance(data, Ticket):
            if data.id != self.ticket_id:
                return
            if self.ticket is not None and data.version < self.ticket.version:
                return                                # older than what we show
            if self.saving:
                self.ticket = data                    # our save's answer will show it
                return
            self._set_ticket(data)

    apply_event = on_event

    def on_resynced(self, item: Resynced) -> None:
        """The reconnect policy (``core/workspace.py``): after a gap-free resume the events
        carried every change, so nothing is reloaded; after a ``reset`` the ticket and its
        thread reload once."""
        if needs_reload(item):
            self.reload()

    # -- composer (ui/compose/) -------------------------------------------------------------------

    def _thread_loaded(self, _total: int) -> None:
        """The thread is loaded: show what the outbox still holds for this ticket."""
        if self.compose.feed is not None and self.model.complete:
            self.compose.feed.restore()

    def _scroll_to_end(self, *_args) -> None:
        if self.model.complete:
            self.view.scrollToBottom()

    # -- pre-defined replies, post menu ---------------------------------------------------------------

    def open_replies(self) -> None:
        self.compose.open_replies()

    def _placeholders(self) -> dict[str, str]:
        me = self.backend.agent
        client = ""
        for i in range(self.model.rowCount()):
            p = self.model.item(i)
            if str(p.kind.value) == "client":
                client = p.author_name
                break
        return {"client_name": client, "agent_name": me.display_name if me else "",
                "department": self._departments.get(self.ticket.department_id, "")
                if self.ticket else ""}

    def _post_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid():
            self.compose.open_message_menu(
                self.view, pos, index.data(TicketPostsModel.TextRole) or "",
                index.data(TicketPostsModel.ClientMsgIdRole),
                self.ticket.department_id if self.ticket is not None else None)

    # -- lifetime ------------------------------------------------------------------------------------

    def dispose(self) -> None:
        """The tab is closing: keep the draft, stop listening to the outbox, cancel loads."""
        if not self.disposed:
            self.compose.dispose()
        super().dispose()

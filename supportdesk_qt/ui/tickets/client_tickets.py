"""The client tab's ticket parts (seed: client tab items 1 and 5), kept here so the client tab
needs one line: ``self.ticket_section = ClientTicketsSection(self)``.

* "New ticket": a :class:`TicketForm` for this client as the first page of the client's lists;
  once created, the ticket opens in its tab (``client_tab.openTicket``) and the list reloads.
* Tickets list: double-click / Enter opens a ticket (the client tab does that); a click on the
  priority cell (or F2 on the selected row) opens a combo box in place. Choosing a priority
  sends it with the ticket's version (``backend.update_ticket``). On success the row shows the
  new ticket; on an error or a colleague's change (409) the row keeps (or shows) what the server
  has and a sentence under the list says why.
"""

from __future__ import annotations

from typing import Any

from supportdesk_protocol.schemas import Ticket, TicketPriority
from supportdesk_qt.backend.base import BackendError, Conflict
from supportdesk_qt.qt import (
    QComboBox,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from supportdesk_qt.ui.common import formatting as F
from supportdesk_qt.ui.models.paged_table_model import PagedTableModel
from supportdesk_qt.ui.forms.ticket_form import TicketForm

PRIORITY_COLUMN = 3            # ui/models/columns.py ticket_columns(): ID, Subject, Status, Priority


class PriorityDelegate(QStyledItemDelegate):
    """A combo box editor over the priority column; choosing emits ``priorityChosen(ticket,
    value)`` and never writes to the model (the server's answer does)."""

    priorityChosen = Signal(object, str)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        combo = QComboBox(parent)
        combo.setObjectName("ticketPriorityEditor")
        for p in TicketPriority:
            combo.addItem(F.enum_label(p), p.value)
        combo.activated.connect(lambda _i, c=combo: self._chosen(c))
        return combo

    def setEditorData(self, editor: QWidget, index) -> None:  # noqa: N802
        ticket = index.data(PagedTableModel.ItemRole)
        if isinstance(editor, QComboBox) and ticket is not None:
            editor.setProperty("ticket", ticket)
            i = editor.findData(ticket.priority.value)
            if i >= 0:
                editor.setCurrentIndex(i)

    def setModelData(self, editor: QWidget, model, index) -> None:  # noqa: N802
        return                                   # the PATCH answer updates the row

    def _chosen(self, combo: QComboBox) -> None:
        ticket = combo.property("ticket")
        value = combo.currentData()
        if ticket is not None and value != ticket.priority.value:
            self.priorityChosen.emit(ticket, value)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)


class ClientTicketsSection(QObject):
    def __init__(self, client_tab: Any) -> None:
        super().__init__(client_tab)
        self.tab = client_tab
        backend = client_tab.backend
        self.backend = backend
        tabs = client_tab.tabs

        # 1. the ticket creation form, first page of the client's lists
        self.form = TicketForm(backend, client_tab.client_id, client_tab._tasks, tabs,
                               directory=client_tab.context.directory)
        self.form.created.connect(self._created)
        page = QWidget(tabs)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.addWidget(self.form)
        tabs.insertTab(0, page, self.tr("New ticket"))
        self.form_page = page
        client_tab.loaded.connect(self._client_loaded)

        # 5. the tickets list: priority in place, a line saying what happened
        self.view = client_tab.views["tickets"]
        self.model: PagedTableModel = client_tab.models["tickets"]
        self.delegate = PriorityDelegate(self.view)
        self.delegate.priorityChosen.connect(self._priority_chosen)
        self.view.setItemDelegateForColumn(PRIORITY_COLUMN, self.delegate)
        self.view.clicked.connect(self._clicked)
        self.view.installEventFilter(self)         # F2: change the selected ticket's priority
        self.notice = client_tab.status_line           # under the lists (ui/client/status_line.py)
        self.view.setToolTip(self.tr("Double-click a ticket to open it; click its priority "
                                           "to change it."))
        self._open_index: QPersistentModelIndex | None = None

    # -- priority in place

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if (obj is self.view and event.type() == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_F2):
            current = self.view.currentIndex()
            if current.isValid():
                self.edit_priority(current.siblingAtColumn(PRIORITY_COLUMN))   # ↑/↓ choose
                return True
        return super().eventFilter(obj, event)

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() == PRIORITY_COLUMN:
            self.edit_priority(index)

    def edit_priority(self, index: QModelIndex) -> QComboBox | None:
        """Open the combo box over ``index`` (a proxy index of the tickets view)."""
        self.view.setCurrentIndex(index)
        self.view.openPersistentEditor(index)
        editor = self.view.indexWidget(index)
        if isinstance(editor, QComboBox):
            editor.setFocus(Qt.FocusReason.OtherFocusReason)
            self._open_index = QPersistentModelIndex(index)
            self.delegate.closeEditor.connect(self._close_editor)
            return editor
        return None

    def _close_editor(self, *_args) -> None:
        """Chosen, or focus left the combo: close it — on the next turn of the event loop, as
        the combo is still inside its own key or mouse handler now."""
        try:
            self.delegate.closeEditor.disconnect(self._close_editor)
        except (RuntimeError, TypeError):
            pass
        index, self._open_index = self._open_index, None
        if index is not None:
            view = self.view                 # the timer goes with the view if it is deleted first
            QTimer.singleShot(0, view, lambda: index.isValid()
                              and view.closePersistentEditor(QModelIndex(index)))

    def _priority_chosen(self, ticket: Ticket, value: str) -> None:
        self._say(self.tr("Saving…"))
        self.tab._tasks.spawn(self._save_priority(ticket, value), name="client-ticket-priority")

    async def _save_priority(self, ticket: Ticket, value: str) -> None:
        try:
            saved = await self.backend.update_ticket(ticket.id, ticket.version, priority=value)
        except Conflict as exc:
            current = exc.details.get("current") if isinstance(exc.details, dict) else None
            if current is not None:
                now = Ticket.model_validate(current)
                self._replace(now)
                self._say(self.tr("Not saved: a colleague changed ticket #{id} meanwhile "
                                      "(priority now {priority}, status {status}). Change it "
                                      "again if you still want to.").format(
                    id=now.id, priority=F.enum_label(now.priority), status=F.enum_label(now.status)),
                    error=True)
            else:
                self._say(self.tr("Not saved: {error}").format(error=exc.message), error=True)
            return
        except BackendError as exc:
            self._say(self.tr("Not saved: {error}").format(error=exc.message), error=True)
            return
        self._replace(saved)
        self._say(self.tr("Ticket #{id}: priority {priority}.").format(
            id=saved.id, priority=F.enum_label(saved.priority)))

    def _replace(self, ticket: Ticket) -> None:
        """Show ``ticket`` in its row."""
        row = self.model.find_row(lambda t: t.id == ticket.id)
        if row >= 0:
            self.model.replace_item(row, ticket)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.notice.say("tickets", text, error=error)

    # -- the form

    def _client_loaded(self) -> None:
        client = self.tab.client
        if client is not None and client.name:
            self.form.client_label.setText(client.name)

    def _created(self, ticket: Ticket) -> None:
        self.model.reload()
        self.tab.openTicket.emit(int(ticket.id))


__all__ = ["ClientTicketsSection", "PriorityDelegate", "PRIORITY_COLUMN"]

"""The ticket creation form: subject, department, priority, first message (seed: client tab item 1,
chat tab item 9).

:class:`TicketForm` is a plain widget: the client tab embeds it, :class:`TicketFormDialog` wraps it
for the chat tab's "Create ticket" (prefilled with the client and the chat transcript). Checks
happen next to each field before anything is sent (an empty subject or message, too long a text);
the server's answer is mapped back to the field it names (``details[0].loc``). Whatever happens,
what was typed stays. One ``client_msg_id`` per ticket being written: pressing Create again after
a network error cannot make two tickets (the server answers the first one).

``created(Ticket)`` is emitted once the server has the ticket; the form then empties itself.
The departments offered (the agent's own; all for an admin) come from the workspace's one cache
(``core/directory.py``), followed while the form lives: a department renamed or added by an event
shows at once, and opening a form asks the backend for nothing.
"""

from __future__ import annotations

import asyncio

from supportdesk_protocol import limits as L
from supportdesk_protocol.schemas import Department, Ticket, TicketPriority
from supportdesk_qt.backend.base import Backend, BackendError
from supportdesk_qt.core.directory import Directory
from supportdesk_qt.core.ids import new_client_msg_id
from supportdesk_qt.qt import (
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QLocale,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from supportdesk_qt.ui.common import formatting as F
from supportdesk_qt.ui.common.combos import set_choices
from supportdesk_qt.ui.tasks import TaskRegistry, TaskScope
from supportdesk_qt.ui.common.labels import error_label

PRIORITIES = [p.value for p in TicketPriority]


class TicketForm(QWidget):
    created = Signal(object)          # Ticket

    def __init__(self, backend: Backend, client_id: int, tasks: TaskRegistry | None = None,
                 parent: QWidget | None = None, *, directory: Directory, client_name: str = "",
                 department_id: int | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticketForm")
        self.directory = directory
        #: chosen once the departments arrive (a ticket from a chat: the chat's department)
        self._default_department = department_id
        self.backend = backend
        self.client_id = int(client_id)
        self._tasks = TaskScope(self, tasks or TaskRegistry())   # gone with the form
        self._task: asyncio.Task | None = None
        self._client_msg_id = new_client_msg_id("t")
        self._refocus = False          # the Create button had the focus when pressed

        self.client_label = QLabel(self)
        self.client_label.setTextFormat(Qt.TextFormat.PlainText)
        self.client_label.setText(client_name or self.tr("Client #{id}").format(id=self.client_id))
        self.subject_edit = QLineEdit(self)
        self.subject_edit.setObjectName("ticketSubjectEdit")
        self.subject_edit.setMaxLength(L.MAX_NAME)
        self.subject_edit.setPlaceholderText(self.tr("What the ticket is about"))
        self.department_combo = QComboBox(self)
        self.department_combo.setObjectName("ticketDepartmentCombo")
        self.priority_combo = QComboBox(self)
        self.priority_combo.setObjectName("ticketPriorityCombo")
        for p in PRIORITIES:
            self.priority_combo.addItem(F.enum_label(p), p)
        self.priority_combo.setCurrentIndex(PRIORITIES.index("normal"))
        self.message_edit = QPlainTextEdit(self)
        self.message_edit.setObjectName("ticketMessageEdit")
        self.message_edit.setTabChangesFocus(True)
        self.message_edit.setPlaceholderText(self.tr("The first message, which the client sees"))
        self.errors = {k: error_label(self, f"ticketForm_{k}_error")
                       for k in ("subject", "department_id", "priority", "text", "form")}
        self.create_button = QPushButton(self.tr("Create ticket"), self)
        self.create_button.setObjectName("ticketCreateButton")
        self.create_button.setAutoDefault(False)
        self.create_button.clicked.connect(self.submit)
        self.status_label = QLabel(self)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)

        form = QFormLayout()
        form.addRow(self.tr("Client"), self.client_label)
        for caption, field, key in ((self.tr("&Subject"), self.subject_edit, "subject"),
                                    (self.tr("&Department"), self.department_combo,
                                     "department_id"),
                                    (self.tr("&Priority"), self.priority_combo, "priority"),
                                    (self.tr("&Message"), self.message_edit, "text")):
            label = QLabel(caption, self)
            label.setBuddy(field)                  # Alt+letter goes to the field itself
            form.addRow(label, self._with_error(field, key))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(form, 1)
        lay.addWidget(self.errors["form"])
        row = QHBoxLayout()
        row.addWidget(self.status_label, 1)
        row.addWidget(self.create_button)
        lay.addLayout(row)
        self._tasks.on_close(directory.watch(self._show_departments, spawn=self._tasks.spawn,
                                             on_error=lambda exc: self._error("department_id",
                                                                              exc.message)))

    def _with_error(self, field: QWidget, key: str) -> QWidget:
        box = QWidget(self)
        vl = QVBoxLayout(box)
        vl.setContentsMargins(0, 0, 0, 0)
        vl.setSpacing(2)
        vl.addWidget(field)
        vl.addWidget(self.errors[key])
        return box

    def _show_departments(self) -> None:
        me = self.backend.agent
        mine = set(me.department_ids) if me is not None and str(me.role) != "admin" else None
        departments = sorted(self.directory.departments.values(), key=lambda d: d.id)
        self.set_departments([d for d in departments if mine is None or d.id in mine])

    def set_departments(self, departments: list[Department]) -> None:
        keep = self.department_combo.currentData()
        if keep is None:              # first load: the default, if the agent may choose it
            keep = self._default_department
        set_choices(self.department_combo, [(d.id, d.name) for d in departments], keep)

    # -- filling and checking

    def prefill(self, *, subject: str = "", text: str = "") -> None:
        if subject:
            self.subject_edit.setText(subject[:L.MAX_NAME])
        if text:
            self.message_edit.setPlainText(text[:L.MAX_MESSAGE_TEXT])

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    def _clear_errors(self) -> None:
        for label in self.errors.values():
            label.hide()
            label.clear()

    def _error(self, key: str, message: str) -> None:
        label = self.errors.get(key, self.errors["form"])
        label.setText(message)
        label.show()

    def validate(self) -> bool:
        self._clear_errors()
        ok = True
        if not self.subject_edit.text().strip():
            self._error("subject", self.tr("Write a subject."))
            ok = False
        if self.department_combo.currentData() is None:
            self._error("department_id", self.tr("Choose a department."))
            ok = False
        text = self.message_edit.toPlainText()
        if not text.strip():
            self._error("text", self.tr("Write the first message."))
            ok = False
        elif len(text) > L.MAX_MESSAGE_TEXT:
            self._error("text", self.tr("The message is too long (%Ln character(s); at most %1).",
                                        "", len(text))
                        .replace("%1", QLocale().toString(L.MAX_MESSAGE_TEXT)))
            ok = False
        return ok

    # -- sending

    def submit(self) -> None:
        if self.busy or not self.validate():
            return
        # Disabling the focused button (Tab, Space) would pass the focus on to the subject with
        # its text selected, and the next keys would replace it: nobody has the focus meanwhile.
        self._refocus = self.create_button.hasFocus()
        if self._refocus:
            self.create_button.clearFocus()
        self.create_button.setEnabled(False)
        self.status_label.setText(self.tr("Creating…"))
        self._task = self._tasks.spawn(self._create(), name="ticket-form-create")

    async def _create(self) -> None:
        try:
            ticket = await self.backend.create_ticket(
                client_id=self.client_id, subject=self.subject_edit.text().strip(),
                department_id=int(self.department_combo.currentData()),
                priority=self.priority_combo.currentData(), text=self.message_edit.toPlainText(),
                client_msg_id=self._client_msg_id)
        except BackendError as exc:
            self.create_button.setEnabled(True)
            if self._refocus and QApplication.focusWidget() is None:
                self.create_button.setFocus(Qt.FocusReason.OtherFocusReason)
            self.status_label.clear()
            self._error(self._field_of(exc), exc.message)
            return
        self.create_button.setEnabled(True)
        self.status_label.setText(self.tr("Ticket #{id} created.").format(id=ticket.id))
        self.subject_edit.clear()
        self.message_edit.clear()
        self._client_msg_id = new_client_msg_id("t")   # the next ticket is a new one
        self.created.emit(ticket)

    @staticmethod
    def _field_of(exc: BackendError) -> str:
        details = exc.details if isinstance(exc.details, list) else []
        if details and isinstance(details[0], dict):
            loc = details[0].get("loc") or []
            if loc and loc[-1] in ("subject", "department_id", "priority", "text"):
                return str(loc[-1])
        return "form"


class TicketFormDialog(QDialog):
    """The form in a window of its own (the chat tab's "Create ticket"); shown with ``show()``,
    closes itself once the ticket exists."""

    created = Signal(object)

    def __init__(self, backend: Backend, client_id: int, tasks: TaskRegistry | None = None,
                 parent: QWidget | None = None, *, directory: Directory, client_name: str = "",
                 department_id: int | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticketFormDialog")
        self.setWindowTitle(self.tr("New ticket"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.form = TicketForm(backend, client_id, tasks, self, directory=directory,
                               client_name=client_name, department_id=department_id)
        self.form.created.connect(self._created)
        lay = QVBoxLayout(self)
        lay.addWidget(self.form)
        self.resize(620, 520)
        self.form.subject_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def setVisible(self, visible: bool) -> None:  # noqa: N802 (Qt naming)
        """The subject has the focus when the window comes up, with the cursor at its end and
        nothing selected: keys typed while it opens add to the prefilled subject instead of
        replacing it. (QDialog gives its focus widget a Tab-reason focus on show, which makes a
        line edit select all its text.)"""
        super().setVisible(visible)
        if visible:
            self.form.subject_edit.deselect()
            self.form.subject_edit.end(False)

    def _created(self, ticket: Ticket) -> None:
        self.created.emit(ticket)
        self.accept()


__all__ = ["TicketForm", "TicketFormDialog"]

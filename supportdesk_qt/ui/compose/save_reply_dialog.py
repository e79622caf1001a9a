"""Save a chat message or a ticket post as a pre-defined reply (seed: "Any post in a chat ... can
be saved as a pre-defined reply, which can be modified according to your needs").

Non-modal (``show()``, never ``exec()``): the agent can go on chatting while writing the title.
The text is prefilled with the message and editable; the scope is "my department" (one of the
agent's departments, the chat's or ticket's own by default) or "only me"; "Only in chats" keeps
it out of tickets (checked when saved from a chat, unchecked from a ticket). A refusal from the server is shown in the dialog and everything typed stays.
The departments offered are the agent's, read from the workspace's one cache
(``core/directory.py``) and followed while the dialog is open: opening it asks the backend for
nothing. The save runs in the dialog's task scope: closing the dialog cancels it.
"""

from __future__ import annotations

import asyncio

from supportdesk_protocol import limits as L
from supportdesk_protocol.schemas import Agent, PredefinedReply, ReplyScope
from supportdesk_qt.backend.base import Backend, BackendError
from supportdesk_qt.core.directory import Directory
from supportdesk_qt.qt import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QtWidgets,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.common.combos import set_choices
from supportdesk_qt.ui.common.labels import error_label
from supportdesk_qt.ui.tasks import TaskRegistry, TaskScope

TITLE_CHARS = 60


def suggested_title(text: str) -> str:
    words = " ".join(text.split())
    if len(words) <= TITLE_CHARS:
        return words
    return words[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"


class SaveReplyDialog(QDialog):
    #: The reply was saved on the server.
    saved = Signal(object)

    def __init__(self, backend: Backend, directory: Directory, tasks: TaskRegistry, text: str,
                 agent: Agent | None, department_id: int | None, parent: QWidget | None = None,
                 *, context: str = "chat") -> None:
        super().__init__(parent)
        self.setObjectName("saveReplyDialog")
        self.setWindowTitle(self.tr("Save as pre-defined reply"))
        self.backend, self.directory, self.agent = backend, directory, agent
        self.tasks = TaskScope(self, tasks)              # gone with the dialog
        self._preferred_dept = department_id
        self._task: asyncio.Task | None = None

        vl = QVBoxLayout(self)
        form = QFormLayout()
        self.title_edit = QLineEdit(suggested_title(text), self)
        self.title_edit.setObjectName("replyTitle")
        self.title_edit.setMaxLength(L.MAX_NAME)
        form.addRow(self.tr("Title"), self.title_edit)
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setObjectName("replyText")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setPlainText(text)
        form.addRow(self.tr("Text"), self.text_edit)
        vl.addLayout(form)
        hint = QLabel(self.tr("Placeholders: {client_name}, {agent_name}, {department}"), self)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        theme.tint(hint, theme.muted_text)
        vl.addWidget(hint)

        scope_row = QHBoxLayout()
        self.department_radio = QtWidgets.QRadioButton(self.tr("Department:"), self)
        self.department_radio.setObjectName("replyScopeDepartment")
        self.department_combo = QtWidgets.QComboBox(self)
        self.department_combo.setObjectName("replyDepartment")
        self.personal_radio = QtWidgets.QRadioButton(self.tr("Only me"), self)
        self.personal_radio.setObjectName("replyScopePersonal")
        self.department_radio.setChecked(True)
        scope_row.addWidget(self.department_radio)
        scope_row.addWidget(self.department_combo, 1)
        scope_row.addSpacing(12)
        scope_row.addWidget(self.personal_radio)
        vl.addLayout(scope_row)
        self.chat_only = QCheckBox(self.tr("Only in chats (not offered in tickets)"), self)
        self.chat_only.setObjectName("replyChatOnly")
        self.chat_only.setChecked(context == "chat")
        vl.addWidget(self.chat_only)

        self.error_label = error_label(self, "saveReplyError")
        vl.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.addButton(self.tr("Save reply"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveReplyButton")
        self.buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.submit)
        vl.addWidget(self.buttons)
        self.resize(460, 380)

        self.title_edit.textChanged.connect(self._update_state)
        self.text_edit.textChanged.connect(self._update_state)
        self.department_radio.toggled.connect(self._update_state)
        self._update_state()
        self.tasks.on_close(directory.watch(self._show_departments, spawn=self.tasks.spawn,
                                            on_error=lambda exc: self._show_error(exc.message)))

    @property
    def is_loaded(self) -> bool:
        return self.directory.loaded

    def _show_departments(self) -> None:
        mine = set(self.agent.department_ids) if self.agent else set()
        depts = sorted((d for d in self.directory.departments.values() if d.id in mine),
                       key=lambda d: d.id)
        combo = self.department_combo
        keep = combo.currentData() if combo.count() else self._preferred_dept
        if not set_choices(combo, [(d.id, d.name) for d in depts], keep):
            return                       # only an online count moved
        self.department_radio.setEnabled(bool(depts))
        if not depts:
            self.personal_radio.setChecked(True)
        self._update_state()

    def _update_state(self, *_args) -> None:
        self.department_combo.setEnabled(self.department_radio.isChecked())
        text = self.text_edit.toPlainText()
        busy = self._task is not None and not self._task.done()
        ok = (bool(self.title_edit.text().strip()) and bool(text.strip())
              and len(text) <= L.MAX_MESSAGE_TEXT
              and (self.personal_radio.isChecked() or self.department_combo.currentIndex() >= 0))
        self.save_button.setEnabled(ok and not busy)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def submit(self) -> None:
        if not self.save_button.isEnabled():
            return
        department = self.department_radio.isChecked()
        self.error_label.hide()
        self._task = self.tasks.spawn(self._save(
            title=self.title_edit.text().strip(), text=self.text_edit.toPlainText(),
            scope=ReplyScope.DEPARTMENT if department else ReplyScope.PERSONAL,
            department_id=self.department_combo.currentData() if department else None,
            chat_only=self.chat_only.isChecked()), name="save-reply")
        self._update_state()

    async def _save(self, **fields) -> None:
        try:
            reply: PredefinedReply = await self.backend.create_reply(**fields)
        except BackendError as exc:
            self._task = None
            self._show_error(self.tr("The reply was not saved: %1").replace("%1", exc.message))
            self._update_state()
            return
        self._task = None
        self.saved.emit(reply)
        self.accept()

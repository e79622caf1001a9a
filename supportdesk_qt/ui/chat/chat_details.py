"""The chat's name and summary, editable in the chat tab's right panel (seed items 3 and 6).

Colleagues see both in the list of chats (and when the chat is forwarded to them). Saving:

* the name when editing finishes (Enter or focus leaves the field), the summary a moment after the
  agent stops typing (debounced) — and both at once with the Save button;
* only fields that differ from what the server has are sent (``backend.update_chat``);
* one save at a time: edits made while a save runs go in the next one;
* on error the typed text stays and a sentence says what happened.

Live updates (``chat.updated`` from a colleague) replace a field's text only when the agent is not
editing it right now (focus in it, or unsaved changes).
"""

from __future__ import annotations

import asyncio
import logging

from supportdesk_protocol import limits as L
from supportdesk_protocol.schemas import Chat
from supportdesk_qt.backend.base import Backend, BackendError
from supportdesk_qt.qt import (
    QColor,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QLocale,
    QPalette,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    qt_is_valid,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.formatting import to_qdatetime
from supportdesk_qt.ui.tasks import TaskRegistry
from supportdesk_qt.ui.tickets.ticket_form import TicketFormDialog

log = logging.getLogger("supportdesk.ui.chat.details")

MAX_NAME = L.MAX_NAME
MAX_SUMMARY = L.MAX_SUMMARY
SUMMARY_SAVE_MS = 1200


class ChatDetailsEditor(QWidget):
    #: seed item 9: a ticket was created from this chat (the window opens it)
    ticketCreated = Signal(object)

    def __init__(self, backend: Backend, tasks: TaskRegistry, chat: Chat,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatDetails")
        self.backend, self.tasks = backend, tasks
        self.chat_id = chat.id
        self._server = {"name": chat.name, "summary": chat.summary}
        self._task: asyncio.Task | None = None
        self._again = False

        vl = QVBoxLayout(self)
        vl.setContentsMargins(0, 0, 0, 0)
        vl.setSpacing(4)
        muted = theme.muted_text(self.palette())
        cap = QLabel(self.tr("Chat name"), self)
        self._mute(cap, muted)
        vl.addWidget(cap)
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("chatNameEdit")
        self.name_edit.setMaxLength(MAX_NAME)
        self.name_edit.setPlaceholderText(self.tr("What the chat is about"))
        self.name_edit.setToolTip(self.tr("Colleagues see the name in the list of chats"))
        self.name_edit.setText(chat.name)
        cap.setBuddy(self.name_edit)
        vl.addWidget(self.name_edit)
        cap = QLabel(self.tr("Summary"), self)
        self._mute(cap, muted)
        vl.addWidget(cap)
        self.summary_edit = QPlainTextEdit(self)
        self.summary_edit.setObjectName("chatSummaryEdit")
        self.summary_edit.setTabChangesFocus(True)
        self.summary_edit.setPlaceholderText(self.tr("Shown with the name when the chat is forwarded"))
        self.summary_edit.setPlainText(chat.summary)
        lh = self.summary_edit.fontMetrics().lineSpacing()
        self.summary_edit.setFixedHeight(lh * 4 + 14)
        cap.setBuddy(self.summary_edit)
        vl.addWidget(self.summary_edit)
        row = QHBoxLayout()
        self.status_label = QLabel("", self)
        self.status_label.setObjectName("chatDetailsStatus")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        row.addWidget(self.status_label, 1)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setObjectName("chatDetailsSave")
        self.save_button.setAutoDefault(False)
        row.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        vl.addLayout(row)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SUMMARY_SAVE_MS)
        self._timer.timeout.connect(self.save)
        self.name_edit.editingFinished.connect(self.save)
        self.summary_edit.textChanged.connect(self._summary_edited)
        self.name_edit.textEdited.connect(lambda _t: self._update_state())
        self.save_button.clicked.connect(self.save)
        # seed item 9: "Create ticket", shown only while the chat is authorized (client known)
        self._chat = chat
        self.ticket_dialog: TicketFormDialog | None = None
        self.create_ticket_button = QPushButton(self.tr("Create ticket…"), self)
        self.create_ticket_button.setObjectName("createTicketButton")
        self.create_ticket_button.setAutoDefault(False)
        self.create_ticket_button.setToolTip(
            self.tr("A ticket for this client, with the chat's transcript as its first message"))
        self.create_ticket_button.clicked.connect(self.open_ticket_form)
        self.create_ticket_button.setVisible(chat.client_id is not None)
        vl.addWidget(self.create_ticket_button)
        self._update_state()

    @staticmethod
    def _mute(label: QLabel, color: QColor) -> None:
        pal = label.palette()
        pal.setColor(QPalette.ColorRole.WindowText, color)
        label.setPalette(pal)

    # -- state -----------------------------------------------------------------------------------

    def _values(self) -> dict[str, str]:
        return {"name": self.name_edit.text(), "summary": self.summary_edit.toPlainText()}

    def changed_fields(self) -> dict[str, str]:
        return {k: v for k, v in self._values().items() if v != self._server[k]}

    @property
    def saving(self) -> bool:
        return self._task is not None and not self._task.done()

    def _summary_edited(self) -> None:
        self._update_state()
        if self.summary_edit.toPlainText() != self._server["summary"]:
            self._timer.start()

    def _update_state(self) -> None:
        self.save_button.setEnabled(bool(self.changed_fields()))
        n = len(self.summary_edit.toPlainText())
        if n > MAX_SUMMARY:
            self._say(self.tr("The summary is too long (%1 characters; at most %2).")
                      .replace("%1", QLocale().toString(n))
                      .replace("%2", QLocale().toString(MAX_SUMMARY)), error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        pal = self.status_label.palette()
        if error:
            color = theme.error_text(self.palette())
        else:
            color = theme.muted_text(self.palette())
        pal.setColor(QPalette.ColorRole.WindowText, color)
        self.status_label.setPalette(pal)
        self.status_label.setText(text)

    # -- saving ----------------------------------------------------------------------------------

    def save(self) -> None:
        self._timer.stop()
        if self.saving:
            self._again = True
            return
        fields = self.changed_fields()
        if not fields:
            return
        if len(fields.get("summary", "")) > MAX_SUMMARY:
            self._update_state()
            return
        self._say(self.tr("Saving…"))
        self._task = self.tasks.spawn(self._save(fields), name=f"chat-{self.chat_id}-details")

    async def _save(self, fields: dict[str, str]) -> None:
        try:
            chat = await self.backend.update_chat(self.chat_id, **fields)
        except BackendError as exc:
            if qt_is_valid(self):
                self._say(self.tr("Not saved: %1").replace("%1", exc.message), error=True)
                self._task = None
                self._again = False
            return
        if not qt_is_valid(self):
            return
        self._task = None
        self._server = {"name": chat.name, "summary": chat.summary}
        self._say(self.tr("Saved"))
        self._update_state()
        if self._again:
            self._again = False
            self.save()

    # -- live updates ----------------------------------------------------------------------------

    def _editing(self, widget: QWidget, key: str) -> bool:
        current = self._values()[key]
        return widget.hasFocus() or current != self._server[key]

    def apply_chat(self, chat: Chat) -> None:
        """A newer snapshot of the chat: take a colleague's name/summary unless we edit it."""
        if chat.id != self.chat_id:
            return
        for key, widget in (("name", self.name_edit), ("summary", self.summary_edit)):
            new = getattr(chat, key)
            editing = self._editing(widget, key)
            self._server[key] = new
            if editing or self._values()[key] == new:
                continue
            if key == "name":
                self.name_edit.setText(new)
            else:
                self.summary_edit.blockSignals(True)
                self.summary_edit.setPlainText(new)
                self.summary_edit.blockSignals(False)
        self._update_state()
        self._chat = chat
        self.create_ticket_button.setVisible(chat.client_id is not None)

    # -- create ticket (seed item 9) ----------------------------------------------------------------

    def open_ticket_form(self) -> None:
        """The ticket form for the chat's client, prefilled with the transcript (the messages
        are fetched from the server, so the whole chat is in it, not only the loaded page)."""
        if self._chat.client_id is None:
            return
        self.create_ticket_button.setEnabled(False)
        self.tasks.spawn(self._open_ticket_form(), name=f"chat-{self.chat_id}-ticket-form")

    async def _open_ticket_form(self) -> None:
        chat = self._chat
        try:
            transcript = await self.transcript()
        except BackendError as exc:
            if qt_is_valid(self):
                self.create_ticket_button.setEnabled(True)
                self._say(self.tr("The transcript could not be loaded: %1").replace(
                    "%1", exc.message), error=True)
            return
        if not qt_is_valid(self):
            return
        self.create_ticket_button.setEnabled(True)
        if self.ticket_dialog is not None and qt_is_valid(self.ticket_dialog):
            self.ticket_dialog.close()
        dlg = TicketFormDialog(self.backend, int(chat.client_id), self.tasks, self,
                               client_name=chat.client_name or chat.visitor_name)
        subject = chat.name or self.tr("Chat with %1").replace(
            "%1", chat.client_name or chat.visitor_name)
        dlg.form.prefill(subject=subject, text=transcript)
        dlg.created.connect(self.ticketCreated)
        self.ticket_dialog = dlg
        dlg.setModal(False)
        dlg.show()

    async def transcript(self, max_messages: int = 2000) -> str:
        """The chat as plain text, one "[time] Name: text" line per message, oldest first."""
        messages: list = []
        before: int | None = None
        while len(messages) < max_messages:
            page, more = await self.backend.chat_messages(self.chat_id, before_seq=before,
                                                          limit=200)
            messages[:0] = page
            if not more or not page:
                break
            before = page[0].seq
        locale = QLocale()
        lines = []
        for m in messages[-max_messages:]:
            when = locale.toString(to_qdatetime(m.created_at).toLocalTime().time(),
                                   QLocale.FormatType.ShortFormat)
            lines.append(f"[{when}] {m.author_name}: {m.text}")
        text = "\n".join(lines)
        return text[-L.MAX_MESSAGE_TEXT:]

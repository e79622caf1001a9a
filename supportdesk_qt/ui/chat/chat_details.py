"""The chat's name and summary, editable in the chat tab's right panel (seed items 3 and 6).

Colleagues see both in the list of chats (and when the chat is forwarded to them). Saving:

* the name when editing finishes (Enter or focus leaves the field), the summary a moment after the
  agent stops typing (debounced) — and both at once with the Save button;
* only fields that differ from what the server has are sent (``backend.update_chat``);
* one save at a time: edits made while a save runs go in the next one;
* on error the typed text stays and a sentence says what happened.

Focus: the panel's buttons never keep the keyboard focus (:func:`panel_button`), and before one
that has it (the agent tabbed to it) is disabled or hidden :attr:`focusReturn` is emitted, so the
chat tab gives the focus back to the composer. Otherwise Qt would hand it to the next widget of
the focus chain, the chat name, with its text selected: the agent's next keystrokes would replace
the name.

Live updates (``chat.updated`` from a colleague) replace a field's text only when the agent is not
editing it right now (focus in it, or unsaved changes).
"""

from __future__ import annotations

import asyncio
import logging
import re

from supportdesk_protocol import limits as L
from supportdesk_protocol.schemas import AuthorKind, Chat, ChatState
from supportdesk_qt.backend.base import Backend, BackendError
from supportdesk_qt.core.directory import Directory
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
)
from supportdesk_qt.backend.base import Capability   # the optional abilities offered
from supportdesk_qt.ui import theme
from supportdesk_qt.qt import (  # chat auth
    QApplication,
    QDesktopServices,
    QFont,
    QGuiApplication,
    QSizePolicy,
    QToolButton,
    QUrl,
)
from supportdesk_qt.ui.chat.history_view import ChatHistoryList
from supportdesk_qt.ui.tasks import TaskRegistry, TaskScope, hold
from supportdesk_qt.ui.common.text import isolate
from supportdesk_qt.ui.common.datetime import format_time
from supportdesk_qt.ui.common.labels import ElidedLabel
from supportdesk_qt.ui.forms.ticket_form import TicketFormDialog

log = logging.getLogger("supportdesk.ui.chat.details")

MAX_NAME = L.MAX_NAME
MAX_SUMMARY = L.MAX_SUMMARY
SUMMARY_SAVE_MS = 1200


def panel_button(button: QPushButton | QToolButton) -> QPushButton | QToolButton:
    """A button of the chat panel: a mouse click does not take the keyboard focus from where the
    agent is typing (the composer); Tab still reaches it (``Qt.TabFocus``)."""
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    if isinstance(button, QPushButton):
        button.setAutoDefault(False)
    return button


def _fill(template: str, *args: str) -> str:
    """``%1``, ``%2``… of a translated ``template`` replaced in one pass (a ``%2`` inside the
    first value, typed by a visitor, stays as typed)."""
    return re.sub(r"%([1-9])", lambda m: args[int(m.group(1)) - 1]
                  if int(m.group(1)) <= len(args) else m.group(0), template)


def holds_focus(*widgets: QWidget) -> bool:
    """One of ``widgets`` has the keyboard focus (it must give it back before it goes away)."""
    fw = QApplication.focusWidget()
    return fw is not None and any(fw is w for w in widgets)


class ChatDetailsEditor(QWidget):
    #: seed item 9: a ticket was created from this chat (the window opens it)
    ticketCreated = Signal(object)
    #: A panel action is done (or a focused panel button goes away): the keyboard focus belongs
    #: in the composer again (the chat tab moves it there unless the agent chose another field).
    focusReturn = Signal()

    def __init__(self, backend: Backend, tasks: TaskRegistry, chat: Chat,
                 parent: QWidget | None = None, *, directory: Directory) -> None:
        super().__init__(parent)
        self.setObjectName("chatDetails")
        self.backend, self.tasks = backend, TaskScope(self, tasks)   # gone with the panel
        self.directory = directory        # the workspace's departments (for the ticket form)
        self.chat_id = chat.id
        self._server = {"name": chat.name, "summary": chat.summary}
        self._task: asyncio.Task | None = None
        self._again = False

        vl = QVBoxLayout(self)
        vl.setContentsMargins(0, 0, 0, 0)
        vl.setSpacing(4)
        # -- the client, drill down, login / register / ask to authorize (items 1, 2, 8) --
        self.client_section = ChatClientSection(backend, tasks, chat, self)
        self.client_section.focusReturn.connect(self.focusReturn)
        vl.addWidget(self.client_section)
        vl.addSpacing(8)
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
        panel_button(self.save_button)
        row.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        vl.addLayout(row)
        # -- history of the client's chats (seed item 7; ui/chat/history_view.py) --
        vl.addSpacing(8)
        self.history = ChatHistoryList(backend, tasks, chat, self)
        vl.addWidget(self.history)

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
        panel_button(self.create_ticket_button)
        self.create_ticket_button.setToolTip(
            self.tr("A ticket for this client, with the chat's transcript as its first message"))
        self.create_ticket_button.clicked.connect(self.open_ticket_form)
        self.create_ticket_button.setVisible(self._can_create_ticket(chat))
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
        changed = bool(self.changed_fields())
        if not changed and holds_focus(self.save_button):     # saved with the keyboard
            self.focusReturn.emit()
        self.save_button.setEnabled(changed)
        n = len(self.summary_edit.toPlainText())
        if n > MAX_SUMMARY:
            self._say(self.tr("The summary is too long (%Ln characters; at most %1).", "", n)
                      .replace("%1", QLocale().toString(MAX_SUMMARY)), error=True)

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
            self._say(self.tr("Not saved: %1").replace("%1", exc.message), error=True)
            self._task = None
            self._again = False
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
        self.client_section.apply_chat(chat)
        self.history.apply_chat(chat)
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
        if chat.client_id is None and holds_focus(self.create_ticket_button):
            self.focusReturn.emit()
        self.create_ticket_button.setVisible(self._can_create_ticket(chat))

    # -- create ticket (seed item 9) ----------------------------------------------------------------

    def _can_create_ticket(self, chat: Chat) -> bool:
        """A client to file it for, and a backend that creates tickets."""
        return chat.client_id is not None and Capability.TICKET_EDITS in self.backend.capabilities

    def open_ticket_form(self) -> None:
        """The ticket form for the chat's client, prefilled with the transcript (the messages
        are fetched from the server, so the whole chat is in it, not only the loaded page)."""
        if self._chat.client_id is None:
            return
        if holds_focus(self.create_ticket_button):
            self.focusReturn.emit()
        self.create_ticket_button.setEnabled(False)
        self.tasks.spawn(self._open_ticket_form(), name=f"chat-{self.chat_id}-ticket-form")

    async def _open_ticket_form(self) -> None:
        chat = self._chat
        try:
            transcript = await self.transcript()
        except BackendError as exc:
            self.create_ticket_button.setEnabled(True)
            self._say(self.tr("The transcript could not be loaded: %1").replace(
                "%1", exc.message), error=True)
            return
        self.create_ticket_button.setEnabled(True)
        if self.ticket_dialog is not None:
            self.ticket_dialog.close()
        dlg = TicketFormDialog(self.backend, int(chat.client_id), self.tasks, self,
                               directory=self.directory,
                               client_name=chat.client_name or chat.visitor_name,
                               department_id=chat.department_id)
        subject = chat.name or self.tr("Chat with %1").replace(
            "%1", chat.client_name or chat.visitor_name)
        dlg.form.prefill(subject=subject, text=transcript)
        dlg.created.connect(self.ticketCreated)
        dlg.finished.connect(lambda _r: self.focusReturn.emit())     # created or cancelled
        hold(self, "ticket_dialog", dlg)
        dlg.setModal(False)
        dlg.show()

    async def transcript(self, max_messages: int = 2000) -> str:
        """The chat as plain text, one "[time] Name: text" line per message, oldest first; a
        system line (what the desk or the widget did: "Dana Demo asked you to log in…") has no
        author: "[time] text". Names are isolated (a right-to-left name must not reorder the
        line)."""
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
            when = format_time(m.created_at, locale)
            author = (m.author_name or "").strip()
            if m.author_kind == AuthorKind.SYSTEM or not author:
                author = {AuthorKind.VISITOR: self.tr("Visitor"),
                          AuthorKind.AGENT: self.tr("Agent")}.get(m.author_kind, "")
            if author:
                lines.append(_fill(self.tr("[%1] %2: %3"), when, isolate(author), m.text))
            else:
                lines.append(_fill(self.tr("[%1] %2"), when, m.text))
        text = "\n".join(lines)
        return text[-L.MAX_MESSAGE_TEXT:]


# -- the client (seed items 1, 2, 8 and the "not authorized" icons) --------------------------------


class ChatClientSection(QWidget):
    """Who the visitor is: the client and project when the chat is authorized, with "Open client
    area" (drill down to user level); otherwise the Login button and the Register / Ask to
    authorize icons, which make the widget show its login or registration form.

    ``url_opener`` opens the one-time client-area link (``QDesktopServices.openUrl``); tests
    replace it."""

    #: The client-area link was opened (its URL).
    linkOpened = Signal(str)
    #: The keyboard focus belongs in the composer again (see the module docstring).
    focusReturn = Signal()

    url_opener = staticmethod(QDesktopServices.openUrl)

    def __init__(self, backend: Backend, tasks: TaskRegistry, chat: Chat,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatClient")
        self.backend, self.tasks = backend, TaskScope(self, tasks)   # gone with the section
        self.chat = chat
        self._busy = False
        self._link = ""           # the client-area link no browser opened (Copy link)
        vl = QVBoxLayout(self)
        vl.setContentsMargins(0, 0, 0, 0)
        vl.setSpacing(4)
        self.client_label = ElidedLabel(self)
        self.client_label.setObjectName("chatClientName")
        font = QFont(self.client_label.font())
        font.setBold(True)
        self.client_label.setFont(font)
        vl.addWidget(self.client_label)
        self.project_label = ElidedLabel(self)
        self.project_label.setObjectName("chatClientProject")
        vl.addWidget(self.project_label)

        row = QHBoxLayout()
        row.setSpacing(4)
        self.drill_button = QPushButton(self.tr("Open client area"), self)
        self.drill_button.setObjectName("drillDownButton")
        self.drill_button.setToolTip(self.tr("Open the client's area in the browser, logged in as "
                                             "the client (a one-time link)"))
        row.addWidget(self.drill_button)
        self.login_button = QPushButton(self.tr("Ask to log in"), self)
        self.login_button.setObjectName("askLoginButton")
        self.login_button.setToolTip(self.tr("Show the visitor the login form of the client area"))
        row.addWidget(self.login_button)
        self.register_button = self._tool("registerClientButton", "client-register",
                                          self.tr("Register a new client"),
                                          self.tr("Show the visitor the registration form: a new "
                                                  "client in this chat's department"))
        row.addWidget(self.register_button)
        self.authorize_button = self._tool("askAuthorizeButton", "client-authorize",
                                           self.tr("Ask to authorize"),
                                           self.tr("Ask the visitor to confirm who they are by "
                                                   "logging in (they may decline)"))
        row.addWidget(self.authorize_button)
        row.addStretch(1)
        vl.addLayout(row)
        self.status_label = QLabel("", self)
        self.status_label.setObjectName("chatClientStatus")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        self.status_label.hide()
        vl.addWidget(self.status_label)
        # no browser opened the one-time link: the agent can paste it into one
        self.copy_link_button = QPushButton(self.tr("Copy link"), self)
        self.copy_link_button.setObjectName("copyClientAreaLink")
        self.copy_link_button.setToolTip(self.tr("Put the client-area link on the clipboard, to "
                                                 "paste it into a browser (it works once)"))
        self.copy_link_button.hide()
        vl.addWidget(self.copy_link_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._buttons = (self.drill_button, self.login_button, self.register_button,
                         self.authorize_button, self.copy_link_button)
        for button in self._buttons:    # a crowded panel must not squash them
            button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            panel_button(button)

        # Optional abilities (the backend's Capability set): what it cannot do is not offered.
        self._can_ask = Capability.VISITOR_AUTH in backend.capabilities
        self._can_drill = Capability.CLIENT_AREA in backend.capabilities
        self.drill_button.clicked.connect(self.drill_down)
        self.login_button.clicked.connect(lambda: self.ask("login"))
        self.register_button.clicked.connect(lambda: self.ask("register"))
        self.authorize_button.clicked.connect(lambda: self.ask("authorize"))
        self.copy_link_button.clicked.connect(self.copy_link)
        self.apply_chat(chat)

    def _tool(self, name: str, icon: str, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        theme.follow(button, lambda: button.setIcon(theme.icon(icon, button.palette())))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        button.setToolTip(f"{text}: {tip}")
        button.setAccessibleName(text)
        button.setAutoRaise(True)
        return button

    @property
    def authorized(self) -> bool:
        return self.chat.client_id is not None

    def apply_chat(self, chat: Chat) -> None:
        was = self.chat.client_id
        self.chat = chat
        authorized = chat.client_id is not None
        active = chat.state == ChatState.ACTIVE
        if authorized:
            if chat.client_name:
                self.client_label.set_value(chat.client_name)
            else:
                self.client_label.set_value("", self.tr("Client %1").replace(
                    "%1", QLocale().toString(chat.client_id)))
            if chat.project_name:       # "Project: " is ours, the name is the client's
                prefix, _, suffix = self.tr("Project: %1").partition("%1")
                self.project_label.set_value(chat.project_name, prefix, suffix)
            else:
                self.project_label.set_value("", self.tr("No project name"))
            self._mute(self.project_label, False)
            if was != chat.client_id and was is None:
                self._say(self.tr("The visitor logged in."), error=False)
        else:
            self.client_label.set_value("", self.tr("Not logged in"))
            self.project_label.set_value("", self.tr("The visitor has not logged in to the "
                                                     "client area in this chat."))
            self._mute(self.project_label, True)
        asking = not authorized and chat.state != ChatState.CLOSED and self._can_ask
        state = {self.drill_button: (authorized and self._can_drill, not self._busy)}
        for button in (self.login_button, self.register_button, self.authorize_button):
            state[button] = (asking, active and not self._busy)
        if any(holds_focus(b) and not (shown and enabled) for b, (shown, enabled) in state.items()):
            self.focusReturn.emit()     # before Qt hands the focus to the chat name
        for button, (shown, enabled) in state.items():
            button.setVisible(shown)
            button.setEnabled(enabled)
        if not authorized or chat.state == ChatState.CLOSED:
            self._show_copy_link("")

    def _mute(self, label: QLabel, muted: bool) -> None:
        theme.tint(label, theme.muted_text if muted else theme.plain_text)

    def _say(self, text: str, *, error: bool) -> None:
        theme.tint(self.status_label, theme.error_text if error else theme.muted_text)
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.apply_chat(self.chat)

    # -- asking the visitor ------------------------------------------------------------------------

    def ask(self, kind: str) -> None:
        if self._busy or self.authorized or self.chat.state != ChatState.ACTIVE:
            return
        self.focusReturn.emit()
        self._set_busy(True)
        self.tasks.spawn(self._ask(kind), name=f"chat-{self.chat.id}-auth-{kind}")

    async def _ask(self, kind: str) -> None:
        try:
            chat = await self.backend.request_visitor_auth(self.chat.id, kind)
        except BackendError as exc:
            self._set_busy(False)
            self._say(self.tr("The visitor was not asked: %1").replace("%1", exc.message),
                      error=True)
            return
        self._busy = False
        if (chat.version, chat.updated_at) >= (self.chat.version, self.chat.updated_at):
            self.chat = chat
        self.apply_chat(self.chat)
        self._say({"login": self.tr("The visitor sees the login form now."),
                   "authorize": self.tr("The visitor was asked to confirm who they are (they "
                                        "may log in or decline)."),
                   "register": self.tr("The visitor sees the registration form now.")}[kind],
                  error=False)

    # -- drill down to user level ------------------------------------------------------------------

    def drill_down(self) -> None:
        if self._busy or not self.authorized:
            return
        self.focusReturn.emit()
        self._show_copy_link("")
        self._set_busy(True)
        self._say(self.tr("Opening the client area…"), error=False)
        self.tasks.spawn(self._drill_down(), name=f"chat-{self.chat.id}-client-area")

    async def _drill_down(self) -> None:
        client_id = self.chat.client_id
        try:
            link = await self.backend.client_area_link(int(client_id), self.chat.id)
        except BackendError as exc:
            self._set_busy(False)
            self._say(self.tr("The client area could not be opened: %1")
                      .replace("%1", exc.message), error=True)
            return
        self._set_busy(False)
        if not type(self).url_opener(QUrl(link.url)):
            self._say(self.tr("No web browser could be started to open the client area. Copy "
                              "the link and paste it into a browser: it works once, for a "
                              "minute."), error=True)
            self._show_copy_link(link.url)
            return
        # openUrl() says a browser was started, not that a page is showing
        self._say(self.tr("The client area was handed to your web browser (the link works "
                          "once)."), error=False)
        self.linkOpened.emit(link.url)

    def _show_copy_link(self, url: str) -> None:
        if not url and holds_focus(self.copy_link_button):
            self.focusReturn.emit()
        self._link = url
        self.copy_link_button.setVisible(bool(url))

    def copy_link(self) -> None:
        if not self._link:
            return
        QGuiApplication.clipboard().setText(self._link)
        self._say(self.tr("The link is on the clipboard: paste it into your browser's address "
                          "bar (it works once, for a minute)."), error=False)
        self.focusReturn.emit()

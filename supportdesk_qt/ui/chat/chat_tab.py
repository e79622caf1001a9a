"""One taken chat: header, conversation, typing line, composer, and visitor information.

A tab of the window (the tab contract, ``ui/tabs/contract.py``), one per open chat::

    tab = ChatTab(context, chat, department="Billing")    # context: ui/tabs/context.py
    tab.closed.connect(...)      # the chat was closed (by us, the visitor or a colleague)
    tab.unread.connect(...)      # a message came in while the tab was hidden
    ...
    tab.set_outbox(outbox)       # sends through it (the composer, ui/compose/)
    ...
    tab.dispose()                # before removing the tab: saves the draft, stops typing
Events come from the router (``event_types``); loads run in its task scope; sends outlive it.

Everything a visitor controls (name, messages, page URL, referrer, user agent, language) is shown
as plain text: every label here has ``Qt.TextFormat.PlainText``, messages are painted by the
delegate from plain strings.
"""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from datetime import datetime, timezone

from supportdesk_protocol.events import EventType, TypingEvent
from supportdesk_protocol.schemas import Agent, AuthorKind, Chat, ChatState
from supportdesk_qt.backend.base import Backend, BackendError, Resynced, ServerEvent
from supportdesk_qt.core.outbox import CHAT_MESSAGE, Outbox
from supportdesk_qt.core.workspace import needs_reload
from supportdesk_qt.qt import (
    QApplication,
    QFont,
    QFrame,
    QHBoxLayout,
    QLocale,
    QMessageBox,
    QPalette,
    QPoint,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    Qt,
    QTimer,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from supportdesk_qt.ui.tabs import Tab, TabContext
from supportdesk_qt.ui.tasks import hold
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.common.labels import plain_label
from supportdesk_qt.ui.common.text import isolate
from supportdesk_qt.ui.chat.chat_details import ChatDetailsEditor, panel_button
from supportdesk_qt.ui.chat.forward_dialog import ForwardDialog
from supportdesk_qt.ui.chat.visitor_info import VisitorInfo
from supportdesk_qt.ui.common.text import cap as _cap
from supportdesk_qt.ui.chat.message_delegate import MessageView
from supportdesk_qt.ui.chat.message_model import MessageModel
from supportdesk_qt.ui.compose import ComposeBox, Mode
from supportdesk_qt.ui.models.queue_rules import CHAT_EVENTS, chat_of_event

log = logging.getLogger("supportdesk.ui.chat")

TYPING_STALE_MS = 6000
MAX_TITLE = 40


class ChatTab(QWidget, Tab):
    kind = "chat"
    event_types = CHAT_EVENTS | {EventType.CHAT_TYPING}

    #: The chat was closed (by anyone). Emitted once.
    closed = Signal(int)
    #: A message from someone else arrived while this tab was not visible.
    unread = Signal(int)
    #: The chat was forwarded to another department (chat id, department name): it left me.
    forwarded = Signal(int, str)

    def __init__(self, context: TabContext, chat: Chat, parent: QWidget | None = None, *,
                 department: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatTab")
        self.init_tab(context)
        self.bridge, self.tasks = context.bridge, context.tasks
        self.chat = chat
        self.chat_id = chat.id
        self.drafts = context.drafts
        self.agent: Agent | None = context.agent
        self._department = (department if department is not None
                            else context.department_name(chat.department_id))
        self._closed_emitted = False
        self._closing = False            # the agent closes the tab: it goes once the chat ended
        self.close_box: QMessageBox | None = None
        self.forward_dialog: ForwardDialog | None = None
        self.scope.on_close(self.drafts.save)     # disposed or destroyed: the draft is kept

        # No Qt parent: a send still under way when the tab goes away keeps its model alive
        # until the request ends (the message is not lost, and nothing touches a deleted object).
        self.model = MessageModel(self.backend, self.tasks, chat.id, self.agent)
        self._build()
        self._apply_chat(chat)

        self.composer.typingChanged.connect(self._send_typing)
        self.compose.sent.connect(self._message_sent)
        self.compose.sendFailed.connect(self._send_failed)
        self.compose.notice.connect(self._show_notice)
        self.view.retryClicked.connect(self.compose.retry)
        self.close_button.clicked.connect(self.ask_close)
        self.forward_button.clicked.connect(self.open_forward)
        if context.commands is not None:   # the tooltips name the commands' current keys
            for button, command in ((self.forward_button, "chat.forward"),
                                    (self.close_button, "chat.close"),
                                    (self.compose.replies_button, "reply.insert")):
                # the button acts on its own tab, which is the tab in front when it is clicked
                context.commands.bind_button(button, command, tip=button.toolTip(), run=False)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._message_menu)
        self.details.focusReturn.connect(self.focus_composer)
        self.details.ticketCreated.connect(  # "Create ticket" (seed item 9) opens it
            lambda t: self.openRequested.emit(f"ticket:{int(t.id)}", None))
        self.details.history.openChat.connect(   # item 7: an earlier chat, read-only
            lambda c: self.openRequested.emit(f"history:{c.id}", c))

        self._typing_timer = QTimer(self)
        self._typing_timer.setSingleShot(True)
        self._typing_timer.setInterval(TYPING_STALE_MS)
        self._typing_timer.timeout.connect(self._hide_typing)

        self.model.incoming.connect(self._incoming)
        self.model.loadFailed.connect(self._show_notice)
        self.model.load()
        if context.outbox is not None:
            self.set_outbox(context.outbox)          # send through it; show what it still holds

    # -- building --------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        header = QFrame(self)
        header.setObjectName("chatHeader")
        header.setFrameShape(QFrame.Shape.NoFrame)
        header.setAutoFillBackground(True)
        hl = QHBoxLayout(header)
        hl.setContentsMargins(14, 8, 10, 8)
        names = QVBoxLayout()
        names.setSpacing(1)
        self.name_label = plain_label("", header)
        font = QFont(self.name_label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15 if font.pointSizeF() > 0 else 11)
        self.name_label.setFont(font)
        self.sub_label = plain_label("", header)
        theme.tint(self.sub_label, theme.muted_text)
        names.addWidget(self.name_label)
        names.addWidget(self.sub_label)
        hl.addLayout(names, 1)
        self.close_button = QPushButton(self.tr("Close chat"), header)
        self.close_button.setToolTip(self.tr("End the conversation; the visitor is told"))
        # -- forward (seed item 10) --
        self.forward_button = QPushButton(self.tr("Forward…"), header)
        self.forward_button.setObjectName("forwardChatButton")
        self.forward_button.setToolTip(self.tr("Hand the chat to another department"))
        hl.addWidget(self.forward_button, 0, Qt.AlignmentFlag.AlignVCenter)
        hl.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignVCenter)
        outer.addWidget(header)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        outer.addWidget(line)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("chatSplitter")
        self.splitter.setChildrenCollapsible(False)
        left = QWidget(self.splitter)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 6)
        ll.setSpacing(4)
        self.view = MessageView(left)
        self.view.setModel(self.model)
        self.view.setAutoFillBackground(True)
        vp = self.view.viewport().palette()
        vp.setColor(QPalette.ColorRole.Base, self.palette().color(QPalette.ColorRole.Base))
        ll.addWidget(self.view, 1)

        self.typing_label = plain_label("", left)
        tf = QFont(self.typing_label.font())
        tf.setItalic(True)
        self.typing_label.setFont(tf)
        theme.tint(self.typing_label, theme.muted_text)
        self.typing_label.setContentsMargins(14, 0, 14, 0)
        self.typing_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.typing_label.setMinimumHeight(self.typing_label.fontMetrics().height())
        ll.addWidget(self.typing_label)

        self.notice_label = plain_label("", left)
        self.notice_label.setWordWrap(True)
        self.notice_label.setContentsMargins(14, 0, 14, 0)
        self.notice_label.hide()
        ll.addWidget(self.notice_label)

        # -- the composer: draft, length guard, outbox, pre-defined replies (ui/compose/) --
        self.compose = ComposeBox(
            self.backend, self.tasks, "chat", left, drafts=self.drafts, draft_key=self.chat_id,
            agent=self.agent, directory=self.context.directory, placeholders=self._placeholders,
            modes=[Mode(CHAT_MESSAGE, "", self.tr("Send"), self.tr("Type a reply"))])
        self.compose.setContentsMargins(10, 0, 10, 0)
        self.composer = self.compose.edit
        self.send_button = self.compose.send_button
        self.replies_button = self.compose.replies_button
        ll.addWidget(self.compose)

        self.info_panel = self._build_info(self.splitter)
        # the panel scrolls when the window is not tall enough for it (nothing is squeezed)
        self.info_scroll = QScrollArea(self.splitter)
        self.info_scroll.setObjectName("visitorInfoScroll")
        self.info_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.info_scroll.setWidgetResizable(True)
        self.info_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A click on a panel button (which takes no focus) would give the focus to the first
        # parent that takes it: this scroll area. Tab into the panel still scrolls to the field.
        self.info_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.info_scroll.setWidget(self.info_panel)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.info_scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([700, 260])
        outer.addWidget(self.splitter, 1)
        self.setFocusProxy(self.composer)
        # a click on a button leaves the focus where the agent types (Tab still reaches them)
        for button in (self.close_button, self.forward_button, self.send_button,
                       self.replies_button):
            panel_button(button)

    def _build_info(self, parent: QWidget) -> QFrame:
        panel = QFrame(parent)
        panel.setObjectName("visitorInfo")
        panel.setFrameShape(QFrame.Shape.NoFrame)
        panel.setMinimumWidth(180)
        vl = QVBoxLayout(panel)
        vl.setContentsMargins(12, 10, 12, 10)
        # -- chat name and summary (seed items 3 and 6; ui/chat/chat_details.py) --
        self.details = ChatDetailsEditor(self.backend, self.scope, self.chat, panel,
                                         directory=self.context.directory)
        vl.addWidget(self.details)
        vl.addSpacing(10)
        # -- who the visitor is and where (ui/chat/visitor_info.py) --
        self.visitor_info = VisitorInfo(panel)
        self.info = self.visitor_info.values
        vl.addWidget(self.visitor_info)
        vl.addStretch(1)
        return panel

    # -- the tab contract ------------------------------------------------------------------------

    @classmethod
    def from_key(cls, context: TabContext, ident: str, snapshot: object = None) -> ChatTab | None:
        return cls(context, snapshot) if isinstance(snapshot, Chat) else None

    @property
    def key(self) -> str:
        return f"chat:{self.chat_id}"

    def take_focus(self) -> None:
        self.composer.setFocus(Qt.FocusReason.OtherFocusReason)

    def save_state(self) -> dict:
        return {"split": self.splitter.sizes()}

    def restore(self, state: dict) -> None:
        sizes = state.get("split")
        if isinstance(sizes, list) and len(sizes) == 2 and all(type(n) is int for n in sizes):
            self.splitter.setSizes(sizes)

    def request_close(self) -> bool:
        """Closing the tab of an open chat ends the chat: ask; it goes once the chat closed."""
        if self.is_closed:
            return True
        self._closing = True
        self.ask_close()
        return False

    def title(self) -> str:
        name = (self.chat.client_name or self.chat.visitor_name or "").strip()
        return _cap(name or self.tr("Visitor"), MAX_TITLE)

    @property
    def is_closed(self) -> bool:
        return self.chat.state == ChatState.CLOSED

    def set_department_name(self, name: str) -> None:
        self._department = name
        self._apply_chat(self.chat)

    def _spawn(self, coro: Coroutine, name: str) -> None:
        """A task of this tab's widgets (typing, close, reload): cancelled with the tab."""
        self.scope.spawn(coro, name=f"{self.chat_id}-{name}")

    def dispose(self) -> None:
        """Before the tab goes away: save the draft, stop typing, stop listening. Idempotent
        (a tab destroyed without it already stopped its tasks and saved its drafts).

        Messages being sent are not cancelled (their model outlives the tab until they end)."""
        if self.disposed:
            return
        self.model.fetch_gate = None
        self.compose.dispose()
        if self.composer.typing:
            self.composer.stop_typing()
            if not self.is_closed:       # tell the visitor we stopped (outlives the tab)
                self.tasks.spawn(self._typing_request(False, self.backend),   # this session's
                                 name=f"chat-{self.chat_id}-typing")
        super().dispose()                # loads cancelled, events no longer routed, drafts saved

    # -- chat snapshot ---------------------------------------------------------------------------

    def _apply_chat(self, chat: Chat) -> None:
        old_title = self.title()
        self.chat = chat
        self.name_label.setText(self.title())
        state = {ChatState.WAITING: self.tr("Waiting"), ChatState.ACTIVE: self.tr("Active"),
                 ChatState.CLOSED: self.tr("Closed")}.get(chat.state, str(chat.state))
        parts = [p for p in (isolate(_cap(chat.project_name or "", 80)), self._department or
                             self.tr("Department %1").replace("%1", QLocale().toString(chat.department_id)),
                             state) if p]
        self.sub_label.setText(" · ".join(parts))
        self.details.apply_chat(chat)
        self.visitor_info.apply_chat(chat)
        if self.title() != old_title:
            self.titleChanged.emit(self.title())
        if chat.state == ChatState.CLOSED:
            self._set_closed()

    def _set_closed(self) -> None:
        self.compose.close_for_sending()
        self.close_button.setEnabled(False)
        self.forward_button.setEnabled(False)
        self._hide_typing()
        self._show_notice(self.tr("This chat is closed. The conversation stays here to read; "
                                  "new messages cannot be sent."))
        if not self._closed_emitted:
            self._closed_emitted = True
            self.closed.emit(self.chat_id)
            self.statusMessage.emit(self.tr("The chat with %1 has ended.").replace(
                "%1", self.title()))
            if self._closing:            # the agent closed the tab; else it stays, read-only
                self.removeRequested.emit()

    # -- events ----------------------------------------------------------------------------------

    def on_event(self, event: ServerEvent) -> None:
        if event.type == EventType.CHAT_TYPING:
            data = event.data
            if isinstance(data, TypingEvent) and data.chat_id == self.chat_id:
                self._typing_event(event, data)
            return
        chat = chat_of_event(event)
        if chat is None or chat.id != self.chat_id:
            return
        self.model.apply_event(event)       # messages, and the system lines of what happened
        if event.type == EventType.CHAT_MESSAGE:
            message = getattr(event.data, "message", None)
            if message is not None and message.author_kind == AuthorKind.VISITOR:
                self._hide_typing()
        if (chat.version, chat.updated_at) >= (self.chat.version, self.chat.updated_at):
            self._apply_chat(chat)

    def _typing_event(self, event: ServerEvent, data: TypingEvent) -> None:
        if data.author_kind != AuthorKind.VISITOR:
            return
        ts = event.ts if event.ts.tzinfo else event.ts.replace(tzinfo=timezone.utc)
        stale = (datetime.now(timezone.utc) - ts).total_seconds() * 1000 > TYPING_STALE_MS
        if not data.typing or stale or self.is_closed:
            self._hide_typing()
            return
        name = _cap((data.author_name or "").strip() or self.title(), MAX_TITLE)
        self.typing_label.setText(self.tr("%1 is typing…").replace("%1", name))
        self._typing_timer.start()

    def _hide_typing(self) -> None:
        self._typing_timer.stop()
        self.typing_label.setText("")

    @property
    def visitor_typing(self) -> bool:
        return bool(self.typing_label.text())

    def on_resynced(self, item: Resynced) -> None:
        if not needs_reload(item):
            return         # the workspace's policy: a resume without a gap carried every change
        self.model.apply_resync(item)
        self._spawn(self._reload_chat(), "reload")

    async def _reload_chat(self) -> None:
        try:
            chat = await self.backend.get_chat(self.chat_id)
        except BackendError as exc:
            log.info("chat %s: reload failed: %s", self.chat_id, exc.message)
            return
        self._apply_chat(chat)

    def _incoming(self) -> None:
        if not self.isVisible():
            self.unread.emit(self.chat_id)

    # -- composer (ui/compose/) -------------------------------------------------------------------

    def set_outbox(self, outbox: Outbox | None) -> None:
        """Send through ``outbox``; show what it still holds for this chat."""
        self.compose.set_outbox(outbox, rows=self.model)

    def _message_sent(self, _client_msg_id: str) -> None:
        self.notice_label.hide()
        self.view.scroll_to_bottom()

    def _placeholders(self) -> dict[str, str]:
        return {"client_name": (self.chat.client_name or self.chat.visitor_name or "").strip(),
                "agent_name": self.agent.display_name if self.agent else "",
                "department": self._department}

    def _send_typing(self, typing: bool) -> None:
        if self.is_closed or self.disposed:
            return
        self._spawn(self._typing_request(typing), "typing")

    async def _typing_request(self, typing: bool, backend: Backend | None = None) -> None:
        try:
            await (backend or self.backend).set_typing(self.chat_id, typing)
        except BackendError as exc:
            log.debug("chat %s: typing %s not sent: %s", self.chat_id, typing, exc.message)

    def _send_failed(self, client_msg_id: str, message: str) -> None:
        self._show_notice(self.tr("A message was not sent: %1 Click it to try again.")
                          .replace("%1", message))

    def _show_notice(self, text: str) -> None:
        self.notice_label.setText(text)
        self.notice_label.show()

    def open_replies(self) -> None:
        if not self.is_closed:
            self.compose.open_replies()

    def _message_menu(self, pos: QPoint) -> None:
        """A message's menu: copy, save as a pre-defined reply, retry / discard when not sent."""
        index = self.view.indexAt(pos)
        text = index.data(MessageModel.TextRole) if index.isValid() else None
        if text:
            self.compose.open_message_menu(self.view, pos, text,
                                           index.data(MessageModel.ClientMsgIdRole),
                                           self.chat.department_id)

    # -- forwarding (ui/chat/forward_dialog.py) ---------------------------------------------------

    def open_forward(self) -> None:
        """Open the (non-modal) forward dialog; a second click raises the open one."""
        if self.is_closed:
            return
        if self.forward_dialog is not None:
            self.forward_dialog.raise_()
            return
        dlg = hold(self, "forward_dialog",
                   ForwardDialog(self.backend, self.context.directory, self.scope, self.chat,
                                 self.agent, self))
        dlg.forwarded.connect(self._forwarded)
        dlg.finished.connect(self._forward_finished)
        # Not open(): that makes it window-modal, and the agent must keep answering the visitor
        # while picking a department. show() is non-blocking too (no nested loop, no exec()).
        dlg.setModal(False)
        dlg.show()

    def _forward_finished(self, _result: int) -> None:
        dlg, self.forward_dialog = self.forward_dialog, None
        if dlg is not None:
            dlg.deleteLater()
        self.focus_composer()

    def focus_composer(self) -> None:
        """A panel action is done (Ask to log in, Open client area, Create ticket, Forward…):
        the keyboard focus goes back to the composer, where the agent was typing — unless it is
        in a field the agent chose meanwhile (the summary, say). A button, a hidden or disabled
        widget, or none at all is not such a field."""
        if self.disposed or not self.composer.isEnabled() or not self.composer.isVisible():
            return          # another tab is in front (the new ticket's, say): leave its focus
        fw = QApplication.focusWidget()
        chosen = (fw is not None and fw.isVisible() and fw.isEnabled()
                  and fw.focusPolicy() & Qt.FocusPolicy.ClickFocus
                  and not isinstance(fw, (QPushButton, QToolButton)))
        if not chosen:
            self.composer.setFocus(Qt.FocusReason.OtherFocusReason)

    def _forwarded(self, chat: Chat, department: str) -> None:
        self.compose.close_for_sending()
        self.forward_button.setEnabled(False)
        self.forwarded.emit(self.chat_id, department)
        # it is no longer mine, so its tab goes
        self.statusMessage.emit(self.tr("The chat with %1 was forwarded to %2.")
                                .replace("%1", self.title()).replace("%2", department))
        self.removeRequested.emit()

    # -- closing ---------------------------------------------------------------------------------

    def ask_close(self) -> None:
        """Ask (non-blocking) and close the chat on Yes."""
        if self.is_closed or self.close_box is not None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Close chat"),
                          self.tr("Close the chat with %1? The visitor is told the chat has ended.")
                          .replace("%1", self.title()),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Close chat"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(self._close_answered)
        self.close_box = box
        box.open()

    def _close_answered(self, result: int) -> None:
        box, self.close_box = self.close_box, None
        if box is not None:
            box.deleteLater()
        if result == QMessageBox.StandardButton.Yes:
            self.close_button.setEnabled(False)
            self._spawn(self._close(), "close")
        else:
            self._closing = False

    async def _close(self) -> None:
        try:
            chat = await self.backend.close_chat(self.chat_id)
        except BackendError as exc:
            self.close_button.setEnabled(not self.is_closed)
            self._show_notice(self.tr("The chat could not be closed: %1").replace("%1", exc.message))
            return
        if (chat.version, chat.updated_at) >= (self.chat.version, self.chat.updated_at):
            self._apply_chat(chat)


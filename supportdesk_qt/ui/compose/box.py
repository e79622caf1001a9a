"""The composer of every tab that writes: chat tabs and ticket tabs alike.

::

    box = ComposeBox(backend, tasks, "chat", parent, drafts=drafts, draft_key=chat.id,
                     agent=agent, directory=context.directory,
                     placeholders=lambda: {"client_name": ..., ...})
    box.set_outbox(outbox, rows=model)     # send through it; show its rows in the thread model
    box.sent.connect(...)                  # a message is on disk (the tab scrolls)
    box.sendFailed.connect(...)            # the server refused one (the tab says so)
    box.dispose()                          # the tab goes: keeps the draft, leaves the outbox

What it holds, once for every tab:

* the text field (:class:`ComposeEdit`): the send key of its kind (Preferences ``chat_send_key``
  / ``ticket_send_key``, ui/compose/send_keys.py), "/" in an empty box opens the replies;
* modes (a ticket's "Reply" / "Internal note"): each with its outbox kind, button and hint;
* the draft: handed to the :class:`DraftStore` under ``draft_key`` on every edit
  (``set`` + ``save``); the one debounce is the persist writer's (``core/persist.py``: 0.4 s after
  the last change, at most 2 s, on its own thread), so the box keeps no timer of its own; on a
  crash-safe point (the text is in the outbox) ``save(now=True)`` skips the delay; restored when
  the box is made;
* one length guard: a text over ``MAX_TEXT`` is not sent and one sentence says so under the field;
  the sentence goes as soon as the text is short enough again or the box is cleared;
* sending through the outbox (ui/compose/outbox_feed.py): cleared once the text is on disk;
  retry and discard of a failed row;
* the pre-defined replies picker and "Save as pre-defined reply…" (with the message menu: copy,
  save, and retry / discard for a row that was not sent).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from supportdesk_protocol import limits as L
from supportdesk_protocol.schemas import Agent
from supportdesk_qt.backend.base import Backend
from supportdesk_qt.core.directory import Directory
from supportdesk_qt.core.drafts import DraftStore
from supportdesk_qt.core.outbox import Outbox
from supportdesk_qt.qt import (
    QGuiApplication,
    QHBoxLayout,
    QLocale,
    QMenu,
    QPalette,
    QPoint,
    QPushButton,
    Qt,
    QTabBar,
    QVBoxLayout,
    QWidget,
    Signal,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.compose.edit import ComposeEdit
from supportdesk_qt.ui.compose.outbox_feed import OutboxFeed, OutgoingRows, RowState
from supportdesk_qt.ui.compose.replies_picker import RepliesPopup, expand
from supportdesk_qt.ui.compose.save_reply_dialog import SaveReplyDialog
from supportdesk_qt.ui.compose.send_keys import CTRL_ENTER, send_keys
from supportdesk_qt.ui.tasks import TaskRegistry, TaskScope, hold
from supportdesk_qt.ui.common.labels import plain_label

MAX_TEXT = L.MAX_MESSAGE_TEXT


@dataclass(frozen=True, slots=True)
class Mode:
    kind: str            # the outbox kind written in this mode
    label: str           # the mode bar's tab ("" with a single mode)
    button: str          # the send button's text
    hint: str            # the field's placeholder, before the send-key hint
    tinted: bool = False  # the field is tinted (an internal note: agents only)


class ComposeBox(QWidget):
    #: A message is on disk in the outbox (client_msg_id); the field was cleared.
    sent = Signal(str)
    #: The server refused a message for good: (client_msg_id, its sentence).
    sendFailed = Signal(str, str)
    #: A message could not be written on this computer: (client_msg_id, a sentence).
    writeFailed = Signal(str, str)
    #: A sentence for the tab's notice line ("Saved as pre-defined reply …").
    notice = Signal(str)

    def __init__(self, backend: Backend, tasks: TaskRegistry, kind: str,
                 parent: QWidget | None = None, *, modes: list[Mode],
                 directory: Directory, drafts: DraftStore | None = None, draft_key: int = 0,
                 agent: Agent | None = None, lines: int = 3,
                 placeholders: Callable[[], dict[str, str]] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{kind}ComposeBox")
        # ``tasks``: the app's registry (a message being written outlives the tab); ``scope``:
        # the box's lifetime (what reports back to the box after an await checks it)
        self.backend, self.tasks, self.kind = backend, tasks, kind
        self.scope = TaskScope(self, tasks, name=f"{kind}-compose")
        self.directory = directory
        self.agent = agent
        self.drafts, self.draft_key = drafts, int(draft_key)
        self.modes = list(modes)
        self.placeholders = placeholders or dict
        self.feed: OutboxFeed | None = None
        self.replies_popup: RepliesPopup | None = None
        self.save_reply_dialog: SaveReplyDialog | None = None
        self.message_menu: QMenu | None = None
        self._error_kind = ""          # what the error line says: "too_long", "blank", "write"
        self._build(lines)
        if drafts is not None:
            self.edit.set_text_silently(drafts.get(self.draft_key))
        self.edit.textChanged.connect(self._edited)
        self.edit.submitted.connect(self.submit)
        self.edit.repliesRequested.connect(self.open_replies)
        self.send_button.clicked.connect(self.send)
        self.replies_button.clicked.connect(self.open_replies)
        self.mode_bar.currentChanged.connect(self._mode_changed)
        self.scope.connect(send_keys().changed, self._send_key_changed)
        self._apply_send_key(send_keys().key(kind))

    def _build(self, lines: int) -> None:
        self.mode_bar = QTabBar(self)
        self.mode_bar.setObjectName(f"{self.kind}ComposerMode")
        for mode in self.modes:
            self.mode_bar.addTab(mode.label)
        self.mode_bar.setExpanding(False)
        self.mode_bar.setDrawBase(False)
        self.mode_bar.setVisible(len(self.modes) > 1)
        self.edit = ComposeEdit(self, lines=lines)
        self.replies_button = QPushButton(self.tr("Replies…"), self)
        self.replies_button.setObjectName(f"{self.kind}RepliesButton")
        self.replies_button.setToolTip(self.tr("Insert a pre-defined reply (or type / in an "
                                               "empty box)"))
        self.replies_button.setAutoDefault(False)
        self.send_button = QPushButton(self.modes[0].button, self)
        self.send_button.setObjectName(f"{self.kind}SendButton")
        self.send_button.setAutoDefault(False)
        self.error_label = plain_label("", self)
        self.error_label.setObjectName("composerError")
        self.error_label.setWordWrap(True)
        theme.tint(self.error_label, theme.error_text)
        self.error_label.hide()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.mode_bar)
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(self.replies_button, 0, Qt.AlignmentFlag.AlignBottom)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        lay.addLayout(row)
        lay.addWidget(self.error_label)

    # -- modes and send keys -------------------------------------------------------------------

    @property
    def mode(self) -> Mode:
        return self.modes[max(0, self.mode_bar.currentIndex())]

    def _mode_changed(self, _index: int) -> None:
        mode = self.mode
        self.send_button.setText(mode.button)
        self._apply_send_key(self.edit.send_key)
        theme.tint(self.edit, theme.note_background if mode.tinted
                   else lambda pal: pal.color(QPalette.ColorRole.Base), QPalette.ColorRole.Base)

    def _send_key_changed(self, kind: str, key: str) -> None:
        if kind == self.kind:          # disconnected when the box goes (its scope)
            self._apply_send_key(key)

    def _apply_send_key(self, key: str) -> None:
        self.edit.send_key = key
        if key == CTRL_ENTER:
            hint = self.tr("Ctrl+Enter sends, Enter adds a line")
            self.send_button.setToolTip(self.tr("Ctrl+Enter"))
        else:
            hint = self.tr("Enter sends, Shift+Enter adds a line")
            self.send_button.setToolTip(self.tr("Enter"))
        self.edit.setPlaceholderText(self.tr("%1 — %2").replace("%1", self.mode.hint)
                                     .replace("%2", hint))

    # -- the draft and the length guard --------------------------------------------------------

    def _edited(self) -> None:
        text = self.edit.toPlainText()
        if self.drafts is not None:        # the writer debounces (one delay, off the GUI thread)
            self.drafts.set(self.draft_key, text)
            self.drafts.save()
        if self._error_kind == "too_long":
            if len(text) <= MAX_TEXT:          # short enough again (or cleared): the sentence goes
                self.say("")
        elif self._error_kind:
            self.say("")                       # any edit answers "write something first" & co

    def save_draft(self, now: bool = False) -> None:
        """Hand the draft to the writer; ``now`` skips its delay (a crash-safe point)."""
        if self.drafts is not None:
            self.drafts.set(self.draft_key, self.edit.toPlainText())
            self.drafts.save(now=now)

    def too_long(self, text: str) -> str:
        """The one sentence for a text over the limit ("" when it fits)."""
        if len(text) <= MAX_TEXT:
            return ""
        return self.tr("The text is too long: at most %Ln characters fit in one message, this one "
                       "has %1. Shorten it or split it in two.", "", MAX_TEXT).replace(
            "%1", QLocale().toString(len(text)))

    def say(self, text: str, kind: str = "") -> None:
        """Show (or with "" hide) a sentence under the field."""
        self._error_kind = kind if text else ""
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    @property
    def error(self) -> str:
        return self.error_label.text() if self.error_label.isVisible() else ""

    # -- sending --------------------------------------------------------------------------------

    def set_outbox(self, outbox: Outbox | None, rows: OutgoingRows | None = None, *,
                   restore: bool = True) -> None:
        """Send through ``outbox`` from now on and show its rows for ``draft_key`` (the chat or
        ticket id) in ``rows``; ``restore``: show what it still holds at once (else call
        ``feed.restore()`` when the thread is ready)."""
        if self.feed is not None:
            self.feed.close()
            self.feed.deleteLater()
            self.feed = None
        if outbox is None:
            return
        feed = OutboxFeed(outbox, self.tasks, self.draft_key,
                          tuple(dict.fromkeys(m.kind for m in self.modes)), self)
        if rows is not None:
            feed.attach(rows)
        feed.sendFailed.connect(self.sendFailed)
        feed.writeFailed.connect(self._write_failed)
        self.feed = feed
        if restore:
            feed.restore()

    def send(self) -> None:
        """The send button: like the send key, and says so when there is nothing to send."""
        text = self.edit.toPlainText()
        if not text.strip():
            self.say(self.tr("Write something first."), "blank")
            return
        self.submit(text)

    def submit(self, text: str) -> None:
        if not self.isEnabled() or not self.send_button.isEnabled() or not text.strip():
            return
        sentence = self.too_long(text)
        if sentence:
            self.say(sentence, "too_long")
            return
        if self.feed is None:
            self.say(self.tr("Not sent: you are not signed in. Sign in and send it again."),
                     "write")
            return
        if self.feed.add(text, self.mode.kind, on_saved=lambda cid: self._saved(cid, text)):
            self.say("")

    def _saved(self, client_msg_id: str, text: str) -> None:
        if self.scope.closed:                  # the box went while the text was written
            if self.drafts is not None and self.drafts.get(self.draft_key) == text:
                self.drafts.clear(self.draft_key)
                self.drafts.save(now=True)     # sent: it must not come back as a draft
            return
        if self.edit.toPlainText() == text:
            self.edit.clear_sent()
        else:
            self.edit.stop_typing()            # typed on meanwhile: keep the new text
        self.save_draft(now=True)              # the sent text must not come back after a crash
        self.sent.emit(client_msg_id)

    def _write_failed(self, client_msg_id: str, sentence: str) -> None:
        self.say(sentence, "write")
        self.writeFailed.emit(client_msg_id, sentence)

    def retry(self, client_msg_id: str) -> bool:
        return self.feed is not None and self.feed.retry(client_msg_id)

    def discard(self, client_msg_id: str) -> bool:
        return self.feed is not None and self.feed.discard(client_msg_id)

    def close_for_sending(self) -> None:
        """The conversation is closed (or left me): nothing more can be sent from here."""
        self.edit.stop_typing()
        self.setEnabled(False)

    # -- pre-defined replies -------------------------------------------------------------------

    def open_replies(self) -> None:
        if not self.isEnabled() or not self.edit.isEnabled():
            return
        if self.replies_popup is None:
            self.replies_popup = RepliesPopup(self.backend, self.tasks, self, context=self.kind)
            self.replies_popup.chosen.connect(self.insert_reply)
        self.replies_popup.popup_above(self.edit)

    def insert_reply(self, text: str) -> None:
        values = {"client_name": "", "agent_name": "", "department": ""} | self.placeholders()
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.edit.insertPlainText(expand(text, **values))

    def open_save_reply(self, text: str, department_id: int | None) -> None:
        if self.save_reply_dialog is not None:       # hold(): None once it is deleted
            self.save_reply_dialog.close()
        dlg = SaveReplyDialog(self.backend, self.directory, self.tasks, text, self.agent,
                              department_id, self, context=self.kind)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.saved.connect(lambda reply: self.notice.emit(
            self.tr("Saved as pre-defined reply “%1”.").replace("%1", reply.title)))
        hold(self, "save_reply_dialog", dlg)
        dlg.setModal(False)
        dlg.show()                                   # never exec(): the agent goes on writing

    def open_message_menu(self, view: QWidget, pos: QPoint, text: str, client_msg_id: str | None,
                          department_id: int | None) -> QMenu:
        """A message's (post's) menu at ``pos`` of ``view``'s viewport: copy, save as a reply,
        and retry / discard when it was not sent."""
        if self.message_menu is not None:            # hold(): None once it is deleted
            self.message_menu.deleteLater()
        menu = QMenu(self)
        menu.setObjectName("messageMenu")
        copy = menu.addAction(self.tr("Copy text"))
        copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(text))
        save = menu.addAction(self.tr("Save as pre-defined reply…"))
        save.setObjectName("saveAsReplyAction")
        save.triggered.connect(lambda: self.open_save_reply(text, department_id))
        if client_msg_id and self.feed is not None \
                and self.feed.state(client_msg_id) == RowState.FAILED:
            retry = menu.addAction(self.tr("Retry sending"))
            retry.setObjectName("retryPostAction")
            retry.triggered.connect(lambda: self.retry(client_msg_id))
            drop = menu.addAction(self.tr("Discard"))
            drop.setObjectName("discardPostAction")
            drop.triggered.connect(lambda: self.discard(client_msg_id))
        hold(self, "message_menu", menu)
        menu.popup(view.viewport().mapToGlobal(pos))     # not exec(): no nested loop
        return menu

    # -- lifetime --------------------------------------------------------------------------------

    def dispose(self) -> None:
        """The tab goes: keep the draft, stop following the outbox (delivery goes on)."""
        self.save_draft()
        if self.feed is not None:
            self.feed.close()
        self.scope.close()

    def hideEvent(self, event) -> None:  # noqa: N802
        self.save_draft()
        super().hideEvent(event)

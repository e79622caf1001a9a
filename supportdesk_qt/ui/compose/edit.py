"""The text field of every composer: the send key sends, "/" opens the replies; typing pings.

The field never sends and never clears itself: it emits :attr:`ComposeEdit.submitted` with the
text, and the composer (ui/compose/box.py) clears it only once the message is on disk in the
outbox, so typed text cannot be lost between the key press and the outbox.

Send keys (``send_key``, a Preferences option per composer, ui/compose/send_keys.py):

* ``"enter"``: Enter sends, Shift+Enter adds a line (Ctrl+Enter sends too);
* ``"ctrl_enter"``: Ctrl+Enter sends, Enter and Shift+Enter add a line.

Typing out (docs/protocol.md: a ``typing: true`` older than ~6 s is stale): ``typingChanged(True)``
at most every ``TYPING_EVERY_MS`` while the agent types, ``typingChanged(False)`` after
``TYPING_IDLE_MS`` without a keystroke, when the text is emptied, or on send.
"""

from __future__ import annotations

import time

from supportdesk_qt.qt import (
    QFontMetrics,
    QKeyEvent,
    QPlainTextEdit,
    QSize,
    Qt,
    QTimer,
    QWidget,
    Signal,
)
from supportdesk_qt.ui.compose.send_keys import CTRL_ENTER, ENTER

TYPING_EVERY_MS = 2000
TYPING_IDLE_MS = 5000


class ComposeEdit(QPlainTextEdit):
    #: The send key was pressed with this (non-blank) text.
    submitted = Signal(str)
    #: Tell the other side we are typing (True) / stopped (False).
    typingChanged = Signal(bool)
    #: "/" typed at the start of an empty composer: open the pre-defined replies picker.
    repliesRequested = Signal()

    def __init__(self, parent: QWidget | None = None, *, lines: int = 3) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.send_key = ENTER
        self._lines = lines
        self._typing = False
        self._last_ping = 0.0
        self._loading = False
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(TYPING_IDLE_MS)
        self._idle.timeout.connect(self.stop_typing)
        self.textChanged.connect(self._edited)
        self._clock = time.monotonic            # tests may replace the clock

    def sizeHint(self) -> QSize:  # noqa: D102
        fm = QFontMetrics(self.font())
        return QSize(super().sizeHint().width(), fm.lineSpacing() * self._lines + 18)

    def minimumSizeHint(self) -> QSize:  # noqa: D102
        fm = QFontMetrics(self.font())
        return QSize(80, fm.lineSpacing() * 2 + 14)

    # -- text ----------------------------------------------------------------------------------

    def set_text_silently(self, text: str) -> None:
        """Put a restored draft in without a typing ping."""
        self._loading = True
        try:
            self.setPlainText(text)
            self.moveCursor(self.textCursor().MoveOperation.End)
        finally:
            self._loading = False

    def clear_sent(self) -> None:
        """The message is on disk: empty the field (and stop the typing indicator)."""
        self._loading = True
        try:
            self.clear()
        finally:
            self._loading = False
        self.stop_typing()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.text() == "/" and not self.toPlainText() and not self.isReadOnly():
            event.accept()
            self.repliesRequested.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            mods = event.modifiers()
            ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
            others = mods & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier
                             | Qt.KeyboardModifier.MetaModifier)
            if not others and (ctrl or self.send_key != CTRL_ENTER):
                event.accept()
                self.submit()
                return
            if not ctrl and not mods & (Qt.KeyboardModifier.AltModifier
                                        | Qt.KeyboardModifier.MetaModifier):
                self.insertPlainText("\n")          # Shift+Enter; Enter in Ctrl+Enter mode
                event.accept()
                return
        super().keyPressEvent(event)

    def submit(self) -> None:
        text = self.toPlainText()
        if text.strip() and self.isEnabled() and not self.isReadOnly():
            self.submitted.emit(text)

    def insertFromMimeData(self, source) -> None:  # noqa: N802
        """Paste as plain text only (never rich text from a web page)."""
        if source.hasText():
            self.insertPlainText(source.text())

    # -- typing ----------------------------------------------------------------------------------

    @property
    def typing(self) -> bool:
        return self._typing

    def _edited(self) -> None:
        if self._loading or not self.isEnabled():
            return
        if not self.toPlainText().strip():
            self.stop_typing()
            self.document().setModified(False)
            return
        now = self._clock()
        if not self._typing or now - self._last_ping >= TYPING_EVERY_MS / 1000:
            self._typing = True
            self._last_ping = now
            self.typingChanged.emit(True)
        self._idle.start()

    def stop_typing(self) -> None:
        self._idle.stop()
        if self._typing:
            self._typing = False
            self._last_ping = 0.0
            self.typingChanged.emit(False)

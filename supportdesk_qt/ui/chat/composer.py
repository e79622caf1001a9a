"""The message composer: Enter sends, Shift+Enter adds a line; typing pings, throttled.

The composer never sends and never clears itself: it emits :attr:`Composer.submitted` with the
text, and the chat tab clears it (:meth:`Composer.clear_sent`) only once the message is in the
model as pending, so typed text cannot be lost between the key press and the model.

Typing out (docs/protocol.md: a ``typing: true`` older than ~6 s is stale): ``typingChanged(True)``
at most every ``TYPING_EVERY_MS`` while the agent types, ``typingChanged(False)`` after
``TYPING_IDLE_MS`` without a keystroke, when the text is emptied, or on send.
"""

from __future__ import annotations

import time

from supportdesk_protocol import limits as L
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

TYPING_EVERY_MS = 2000
TYPING_IDLE_MS = 5000
MAX_TEXT = L.MAX_MESSAGE_TEXT


class Composer(QPlainTextEdit):
    #: Enter was pressed with this (non-blank) text.
    submitted = Signal(str)
    #: Tell the visitor we are typing (True) / stopped (False).
    typingChanged = Signal(bool)
    #: "/" typed at the start of an empty composer: open the pre-defined replies picker.
    repliesRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.setTabChangesFocus(True)
        self.setPlaceholderText(self.tr("Type a reply — Enter sends, Shift+Enter adds a line"))
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
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
        return QSize(super().sizeHint().width(), fm.lineSpacing() * 3 + 18)

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
        """The message is in the model: empty the field (and stop the typing indicator)."""
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
            if mods & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
                event.accept()
                return
            if not mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                           | Qt.KeyboardModifier.MetaModifier):
                event.accept()
                self.submit()
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

"""The one status line under a client tab's lists ("Ticket #1593: priority High.", "Not
deleted: …", "A colleague changed this row meanwhile …").

A sentence belongs to the list it reports on (``say(kind, text)``) and goes away when the agent
moves on: another list becomes current, another action starts (``clear``), or, for a success,
after ``INFO_MS``. An error stays until then, as the agent may need to read it twice.

Its height is reserved for two lines whether or not it says something, so the buttons above it
and the list never move when a sentence appears or goes (issue 9, items 11a and 13).

Hooked into the client tab with one line: ``self.status_line = ListStatusLine(self)``.
"""

from __future__ import annotations

from typing import Any

from supportdesk_qt.qt import QLabel, QSizePolicy, Qt, QTimer
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.common.tooltips import plain_tooltip

INFO_MS = 8_000
LINES = 2


class ListStatusLine(QLabel):
    def __init__(self, tab: Any) -> None:
        super().__init__(tab)
        self.setObjectName("clientListStatusLine")
        self.setTextFormat(Qt.TextFormat.PlainText)       # it quotes server and client text
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(LINES * self.fontMetrics().lineSpacing() + 2)
        self._tab = tab
        self.kind: str | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(INFO_MS)
        self.timer.timeout.connect(self.clear)
        tab.tabs.currentChanged.connect(self.clear)

    def say(self, kind: str, text: str, *, error: bool = False) -> None:
        """Show ``text`` about the list ``kind``; a success clears itself after ``INFO_MS``."""
        theme.tint(self, theme.error_text if error else theme.muted_text)
        self.kind = kind if text else None
        self.setText(text)
        self.setToolTip(plain_tooltip(text))               # when two lines are not enough
        if text and not error:
            self.timer.start()
        else:
            self.timer.stop()

    def clear(self, *_args: Any) -> None:
        self.timer.stop()
        self.kind = None
        self.setText("")
        self.setToolTip("")

    def clear_for(self, kind: str) -> None:
        """Clear the line if it is about ``kind``."""
        if self.kind == kind:
            self.clear()


__all__ = ["ListStatusLine", "INFO_MS"]

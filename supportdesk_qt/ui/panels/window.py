"""The panel windows' behaviour (the notifications log, the network requests): Esc closes them,
and they are placed within the screen's available area."""

from __future__ import annotations

from supportdesk_qt.qt import QEvent, QObject, QRect, Qt, QWidget


class _EscCloses(QObject):
    """Closes the panel on an Esc that none of its children used (a filter field, a table)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape \
                and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            watched.close()
            return True
        return False


def make_panel_window(panel: QWidget) -> None:
    """Esc closes ``panel`` (a tool window: the notifications log, the network requests), from
    whichever of its fields has the keyboard (they leave Esc to their window)."""
    panel.installEventFilter(_EscCloses(panel))


def show_panel_window(panel: QWidget, focus: QWidget | None = None) -> None:
    """Show ``panel`` (or bring it to the front) within the available geometry of the screen
    its main window is on: the first time centred over the main window, later where the agent
    left it, but never under a panel of the desktop (the tray host's bar at the top or bottom,
    which ``QScreen.availableGeometry()`` leaves out) nor off the screen."""
    anchor = panel.parentWidget().window() if panel.parentWidget() is not None else None
    screen = (anchor.screen() if anchor is not None else None) or panel.screen()
    panel.show()
    if screen is not None:
        avail = screen.availableGeometry()
        frame, inner = panel.frameGeometry(), panel.geometry()
        extra_w, extra_h = frame.width() - inner.width(), frame.height() - inner.height()
        panel.resize(min(inner.width(), avail.width() - extra_w),
                     min(inner.height(), avail.height() - extra_h))
        frame = QRect(frame.topLeft(), panel.frameGeometry().size())
        if anchor is not None and not panel.property("panelPlaced"):
            frame.moveCenter(anchor.frameGeometry().center())
        x = max(avail.left(), min(frame.left(), avail.right() + 1 - frame.width()))
        y = max(avail.top(), min(frame.top(), avail.bottom() + 1 - frame.height()))
        panel.move(x, y)            # a window's move() places its frame
        panel.setProperty("panelPlaced", True)
    panel.raise_()
    panel.activateWindow()
    if focus is not None:
        focus.setFocus(Qt.FocusReason.OtherFocusReason)

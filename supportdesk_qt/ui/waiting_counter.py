"""How many chats wait, shown on the counter button of the top bar and in the window title (the
queue tab's title is the queue page's own, ``QueuePage.title``); and told to the tray
(``waitingCountChanged``: the chats this agent may take, 0 while offline)."""

from __future__ import annotations

from collections.abc import Callable

from supportdesk_qt.qt import QLocale, QObject, QWidget, Signal
from supportdesk_qt.ui.models.queue_model import QueueModel
from supportdesk_qt.ui.widgets import CounterButton


class WaitingCounter(QObject):
    #: The number of chats waiting that this agent may take (0 while offline).
    waitingCountChanged = Signal(int)

    def __init__(self, queue_model: QueueModel, button: CounterButton, window: QWidget,
                 is_online: Callable[[], bool]) -> None:
        super().__init__(window)
        self._model = queue_model
        self._button = button
        self._window = window
        self._is_online = is_online
        self.last_waiting = 0
        queue_model.countChanged.connect(self.show_count)

    def show_count(self, count: int) -> None:
        text = QLocale().toString(count)
        self._button.set_count(count, text)
        if count == 0:
            waiting = self.tr("No chats waiting")
        else:
            waiting = self.tr("%Ln chat(s) waiting", "", count)
        self._button.setToolTip(waiting + self.tr(" — click to see the list"))
        self._button.setAccessibleName(waiting)
        self._button.setProperty("waiting", count)
        self._window.setWindowTitle(self.tr("(%1) SupportDesk").replace("%1", text) if count
                                    else self.tr("SupportDesk"))
        self.emit_waiting()

    def emit_waiting(self) -> None:
        """Tell the tray when what this agent may take changed (going offline makes it 0)."""
        n = self._model.waiting_count() if self._is_online() else 0
        if n != self.last_waiting:
            self.last_waiting = n
            self.waitingCountChanged.emit(n)

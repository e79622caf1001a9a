"""The connection light of the top bar: a coloured dot, a word and a tooltip with the reason.

:class:`ConnectionLight` paints a tool button (created by the top bar) from each
``ConnectionChanged`` the bridge delivers: amber while connecting for the first time, red for a
lost connection being retried and for a failure, green when connected. The tooltip says since
when, why, and the last error with its time (so a past error is not read as the present).
"""

from __future__ import annotations

from datetime import datetime

from supportdesk_qt.backend.base import ConnectionChanged, ConnectionState
from supportdesk_qt.qt import QCursor, QObject, QToolButton, QToolTip
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.common.datetime import format_datetime, format_time
from supportdesk_qt.ui.common.tooltips import plain_tooltip


class ConnectionLight(QObject):
    def __init__(self, button: QToolButton, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.button = button
        self._last_error = ""
        self._last_error_at: datetime | None = None

    def show_change(self, change: ConnectionChanged) -> None:
        labels = {
            ConnectionState.CONNECTED: self.tr("Connected"),
            ConnectionState.CONNECTING: self.tr("Connecting…"),
            ConnectionState.FAILED: self.tr("Connection failed"),
            ConnectionState.DISCONNECTED: self.tr("Offline"),
        }
        state = change.state
        if state == ConnectionState.CONNECTED:
            self._last_error = ""
        elif change.reason:
            self._last_error = change.reason
            self._last_error_at = change.since
        if theme.is_connection_lost(state, change.reason):
            labels[state] = self.tr("Reconnecting…")
        button = self.button
        theme.follow(button, lambda: button.setIcon(theme.dot_icon(theme.connection_color(
            state, change.reason, button.palette()))), key="light")
        label = labels.get(state, state.value)
        button.setText(label)
        since = format_datetime(change.since)
        lines = [label, self.tr("Since %1").replace("%1", since)]
        if change.reason:
            lines.append(change.reason)
        if self._last_error and self._last_error != change.reason and self._last_error_at:
            # a past error, with its time: not to be read as what is happening now
            at = format_time(self._last_error_at)
            lines.append(self.tr("Last error (%2): %1").replace("%1", self._last_error)
                         .replace("%2", at))
        lines.append(self.tr("Click to see the network requests."))
        old_tip, tip = button.toolTip(), plain_tooltip("\n".join(lines))
        button.setToolTip(tip)
        if QToolTip.isVisible() and old_tip and QToolTip.text() == old_tip and tip != old_tip:
            # the agent is reading it: a shown tooltip does not follow setToolTip by itself, and
            # would keep saying "Reconnecting…" after the light turned green
            QToolTip.showText(QCursor.pos(), tip, button)
        button.setProperty("connectionState", state.value)
        button.setAccessibleName(self.tr("Connection: %1").replace("%1", labels.get(state, "")))

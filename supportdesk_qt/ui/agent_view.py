"""The signed-in agent as the window shows it, and Online/Offline as it changes.

Paints the avatar and the user menu's header (``TopBar.paint_agent``), the status bar's
"Dana · Online · desk.example.com" label and the commands' check marks (``DeskActions.refresh``);
says each confirmed status change (or a refused one) in the status bar. :attr:`onlineChanged`
fires when the agent's Online/Offline really changed (once at sign-in, ``False`` at sign-out);
:attr:`wentOffline` only when a signed-in agent went from Online to Offline (the window closes its
chat tabs then: the server put those chats back in the list).
"""

from __future__ import annotations

from collections.abc import Callable

from supportdesk_protocol.schemas import Agent, AgentStatus
from supportdesk_qt.core.workspace import Workspace
from supportdesk_qt.qt import QLabel, QMainWindow, QObject, Qt, Signal
from supportdesk_qt.ui.actions import ActionRegistry
from supportdesk_qt.ui.top_bar import TopBar
from supportdesk_qt.ui.workspace_signals import WorkspaceSignals


class AgentView(QObject):
    onlineChanged = Signal(bool)
    wentOffline = Signal()
    #: painted again (the agent, the status or the session changed)
    updated = Signal()

    def __init__(self, window: QMainWindow, top_bar: TopBar, commands: ActionRegistry,
                 signals: WorkspaceSignals, show_message: Callable[[str], None]) -> None:
        super().__init__(window)
        self._top_bar = top_bar
        self._commands = commands
        self._show_message = show_message
        self._workspace: Workspace | None = None
        self._last_online: bool | None = None
        bar = window.statusBar()
        bar.setObjectName("statusBar")
        self.label = QLabel(bar)
        self.label.setObjectName("agentLabel")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        bar.addPermanentWidget(self.label)
        signals.agentChanged.connect(lambda _agent: self.update())
        signals.statusChanged.connect(self._status_changed)
        signals.statusFailed.connect(self._status_failed)

    @property
    def agent(self) -> Agent | None:
        return self._workspace.agent if self._workspace is not None else None

    @property
    def is_online(self) -> bool:
        return self._workspace is not None and self._workspace.is_online

    def set_workspace(self, workspace: Workspace | None) -> None:
        self._workspace = workspace
        if workspace is None:
            if self._last_online:
                self.onlineChanged.emit(False)       # signed out: nobody here takes chats
            self._last_online = None
        self.update()

    def update(self) -> None:
        online, was = self.is_online, self._last_online
        if self.agent is not None and online != was:
            self._last_online = online
            self.onlineChanged.emit(online)
            if was and not online:
                self.wentOffline.emit()
        self.updated.emit()
        self.paint()

    def paint(self) -> None:
        agent = self.agent
        self._top_bar.paint_agent(agent)
        self._commands.refresh()                 # Online/Offline check marks, what is enabled
        parts = [agent.display_name, self.tr("Online") if self.is_online else self.tr("Offline")] \
            if agent is not None else []
        label = self._workspace.server_label if self._workspace is not None else ""
        if agent is not None and label:
            parts.append(label)
        self.label.setText(" · ".join(parts))

    def _status_changed(self, agent: Agent) -> None:
        self._show_message(self.tr("You are online: new chats can be assigned to you.")
                           if agent.status == AgentStatus.ONLINE else
                           self.tr("You are offline: your chats went back to the list of chats."))

    def _status_failed(self, message: str) -> None:
        self._show_message(message)
        self.paint()                             # put the check marks back to the real state


__all__ = ["AgentView"]

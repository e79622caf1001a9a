"""The UI side of the Qt-free :class:`~supportdesk_qt.core.workspace.Workspace`.

:class:`WorkspaceSignals` does three things for the main window, and nothing else:

* feeds the workspace what the bridge delivers (``serverEvent`` -> ``apply_event``, ``resynced``
  -> ``apply_resync``: the reconnect policy lives in the workspace);
* re-emits the workspace's observer lists as Qt signals on the GUI thread;
* keeps the list of chats (``QueueModel``) in step with the workspace: its agent, the department
  and colleague names from the one cache, and one reload of the list each time the policy asks
  for it (never after a resume without a gap).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from supportdesk_qt.backend.base import BackendError, Resynced, ServerEvent
from supportdesk_qt.core.workspace import Workspace
from supportdesk_qt.qt import QObject, Signal
from supportdesk_qt.ui.bridge import Bridge
from supportdesk_qt.ui.models.queue_model import QueueModel
from supportdesk_qt.ui.tasks import TaskRegistry

log = logging.getLogger("supportdesk.ui.workspace")


class WorkspaceSignals(QObject):
    #: Agent: this agent changed (status, by me or by an event)
    agentChanged = Signal(object)
    #: Agent: a status change I asked for is applied
    statusChanged = Signal(object)
    #: str: a status change failed (the backend's sentence)
    statusFailed = Signal(str)
    #: Resynced: every list and open tab reloads once (the workspace's reconnect policy)
    reloadRequested = Signal(object)
    #: str: the list of chats could not be (re)loaded (the backend's sentence)
    queueLoadFailed = Signal(str)

    def __init__(self, bridge: Bridge, tasks: TaskRegistry, queue_model: QueueModel,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._queue = queue_model
        self._workspace: Workspace | None = None
        self._unwire: list[Callable[[], None]] = []
        self._reload_task: asyncio.Task | None = None
        bridge.serverEvent.connect(self._on_event)
        bridge.resynced.connect(self._on_resynced)

    @property
    def workspace(self) -> Workspace | None:
        return self._workspace

    def set_workspace(self, workspace: Workspace | None) -> None:
        for undo in self._unwire:
            undo()
        self._unwire.clear()
        if self._reload_task is not None and not self._reload_task.done():
            self._reload_task.cancel()       # a reload for the previous session must not land
        self._reload_task = None
        self._workspace = workspace
        if workspace is None:
            return
        self._unwire = [
            workspace.agent_changed.connect(self.agentChanged.emit),
            workspace.agent_changed.connect(self._queue.set_agent),
            workspace.status_changed.connect(self.statusChanged.emit),
            workspace.status_failed.connect(self.statusFailed.emit),
            workspace.departments_changed.connect(self._departments_changed),
            workspace.agents_changed.connect(self._agents_changed),
            workspace.reload_requested.connect(self._reload_requested),
        ]
        self._departments_changed()
        self._agents_changed()

    # -- bridge -> workspace

    def _on_event(self, event: ServerEvent) -> None:
        if self._workspace is not None:
            self._workspace.apply_event(event)

    def _on_resynced(self, item: Resynced) -> None:
        if self._workspace is not None:
            self._workspace.apply_resync(item)

    # -- workspace -> the list of chats

    def _departments_changed(self) -> None:
        if self._workspace is not None and self._workspace.departments:
            self._queue.set_departments(self._workspace.departments.values())

    def _agents_changed(self) -> None:
        if self._workspace is not None:
            self._queue.set_agent_names(self._workspace.agents.values())

    def _reload_requested(self, item: Resynced) -> None:
        workspace = self._workspace
        if workspace is not None:
            self._reload_task = self._tasks.spawn(self._reload_queue(workspace),
                                                  name="queue-reload")
        self.reloadRequested.emit(item)

    async def _reload_queue(self, workspace: Workspace) -> None:
        try:
            await workspace.load_directory()      # names first; shares the policy's reload
            await self._queue.reload(workspace.backend)
        except BackendError as exc:
            log.warning("queue reload failed: %s", exc.message)
            if workspace is self._workspace:
                self.queueLoadFailed.emit(exc.message)

    @property
    def reload_task(self) -> asyncio.Task | None:
        return self._reload_task

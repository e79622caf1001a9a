"""The one object through which the UI hears from the backend.

:class:`Bridge` is the only consumer of ``Backend.items()``: one task reads the stream and re-emits
every item as a typed Qt signal (qutebrowser's message bridge, Electrum's event listener). With
qasync the task already runs on the GUI thread, so the signals are delivered directly, in stream
order. Models and widgets connect to these signals; they never iterate the stream themselves.
"""

from __future__ import annotations

import asyncio
import logging

from supportdesk_qt.backend.base import (
    Backend,
    ConnectionChanged,
    ConnectionState,
    Resynced,
    RequestRecord,
    ServerEvent,
)
from supportdesk_qt.qt import QObject, Signal
from supportdesk_qt.ui.tasks import TaskRegistry

log = logging.getLogger("supportdesk.ui.bridge")


class Bridge(QObject):
    #: ConnectionChanged — the event stream connected, is (re)connecting, or failed.
    connectionChanged = Signal(object)
    #: ServerEvent — one event of the agent stream, with its typed payload.
    serverEvent = Signal(object)
    #: Resynced — the stream is live after a (re)connect; reload lists over HTTP (``full``: gap).
    resynced = Signal(object)
    #: RequestRecord — one HTTP request or socket operation, for the network request panel.
    requestLogged = Signal(object)
    #: The stream ended (backend closed): no more items until the next :meth:`attach`.
    detached = Signal()

    def __init__(self, tasks: TaskRegistry, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._backend: Backend | None = None
        self._task: asyncio.Task | None = None
        self._connection = ConnectionChanged(ConnectionState.DISCONNECTED)

    @property
    def backend(self) -> Backend | None:
        return self._backend

    @property
    def connection(self) -> ConnectionChanged:
        """The last connection change seen (so a widget created late can show the current state)."""
        return self._connection

    def attach(self, backend: Backend) -> None:
        """Start consuming ``backend.items()``. Call once per backend (after login)."""
        if self._task is not None and not self._task.done():
            raise RuntimeError("the bridge is already attached to a backend")
        self._backend = backend
        self._task = self._tasks.spawn(self._consume(backend), name="bridge")

    async def detach(self) -> None:
        """Stop consuming (logout, shutdown). Idempotent."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
        self._backend = None

    async def _consume(self, backend: Backend) -> None:
        try:
            async for item in backend.items():
                try:
                    self._dispatch(item)
                except Exception:
                    # a broken slot must not end the stream: the desk would silently stop updating
                    log.exception("a receiver of %s failed", type(item).__name__)
        finally:
            self._set_connection(ConnectionChanged(ConnectionState.DISCONNECTED))
            self.detached.emit()

    def _dispatch(self, item: object) -> None:
        if isinstance(item, ServerEvent):
            self.serverEvent.emit(item)
        elif isinstance(item, ConnectionChanged):
            self._set_connection(item)
        elif isinstance(item, Resynced):
            self.resynced.emit(item)
        elif isinstance(item, RequestRecord):
            self.requestLogged.emit(item)
        else:
            log.debug("ignoring unknown stream item %r", type(item).__name__)

    def _set_connection(self, item: ConnectionChanged) -> None:
        if item.state != self._connection.state or item.reason != self._connection.reason:
            log.info("connection %s%s", item.state.value, f": {item.reason}" if item.reason else "")
        self._connection = item
        self.connectionChanged.emit(item)

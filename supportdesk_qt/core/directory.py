"""The one cache of departments and agents of a signed-in session (Qt-free).

The :class:`~supportdesk_qt.core.workspace.Workspace` owns one :class:`Directory`; every part of
the desk that shows a department or a colleague reads it (the list of chats, the forward dialog,
the ticket tab's department and assignee, the ticket form, "Save as pre-defined reply"), and
none of them asks the backend for ``departments()`` or ``agents()`` itself::

    directory = workspace.directory
    directory.departments                        # {id: Department}, a copy
    await directory.load()                       # once; callers at the same time share it
    remove = directory.departments_changed.connect(refill)    # loaded again, renamed, added

It is loaded once (:meth:`load`; ``force=True`` again after a gap in the event stream) and kept
current by events (:meth:`apply_event`): ``department.online`` carries the whole
:class:`Department` (a new name or a department the cache did not know is taken as it comes),
``agent.status`` the whole :class:`Agent`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from supportdesk_protocol.events import EventType
from supportdesk_protocol.schemas import Agent, Department
from supportdesk_qt.backend.base import Backend, BackendError, Capability, ServerEvent
from supportdesk_qt.core.observers import Observers

log = logging.getLogger("supportdesk.directory")

Spawn = Callable[[Coroutine[Any, Any, Any], str], asyncio.Task]


class Directory:
    """Departments and agents of one session. See the module docstring."""

    def __init__(self, backend: Backend, me: Agent | None = None, *,
                 spawn: Spawn | None = None) -> None:
        self.backend = backend
        self._me = me if me is not None else backend.agent
        self._spawn_fn = spawn
        self._departments: dict[int, Department] = {}
        self._agents: dict[int, Agent] = {self._me.id: self._me} if self._me else {}
        self._loaded = False
        self._task: asyncio.Task | None = None
        #: () the departments changed (loaded, renamed, added, an online count moved)
        self.departments_changed = Observers("departments_changed")
        #: () the agents changed (loaded, a colleague's status or name)
        self.agents_changed = Observers("agents_changed")

    # -- reading

    @property
    def departments(self) -> dict[int, Department]:
        return dict(self._departments)

    @property
    def agents(self) -> dict[int, Agent]:
        return dict(self._agents)

    @property
    def loaded(self) -> bool:
        """The departments were loaded at least once."""
        return self._loaded

    @property
    def loading(self) -> bool:
        return self._task is not None and not self._task.done()

    def department(self, department_id: int) -> Department | None:
        return self._departments.get(department_id)

    def department_name(self, department_id: int) -> str:
        """The department's name, "" while it is not known."""
        dept = self._departments.get(department_id)
        return dept.name if dept is not None else ""

    def agent(self, agent_id: int) -> Agent | None:
        return self._agents.get(agent_id)

    # -- loading

    async def load(self, *, force: bool = False) -> None:
        """Departments and agents, once (``force``: again, after a gap). Callers at the same time
        share one load. Raises the BackendError when the departments cannot be loaded."""
        task = self._task
        if task is None or (task.done() and (force or not self._loaded)):
            task = self._task = self._spawn(self._load(), "directory")
        error = await asyncio.shield(task)
        if error is not None:
            raise error

    def refresh(self) -> asyncio.Task:
        """Load again in the background (after a gap in the event stream); a failure is
        logged, the cache keeps what it had."""
        return self._spawn(self._refresh(), "directory-refresh")

    async def _refresh(self) -> None:
        try:
            await self.load(force=True)
        except BackendError as exc:
            log.warning("departments not reloaded: %s", exc.message)

    def _spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task:
        if self._spawn_fn is not None:
            return self._spawn_fn(coro, name)
        return asyncio.get_running_loop().create_task(coro, name=name)

    async def _load(self) -> BackendError | None:
        # the error is returned, not raised: a failed load is an answer for the callers, not a
        # crash of a background task
        try:
            departments = await self.backend.departments()
        except BackendError as exc:
            return exc
        self._departments = {d.id: d for d in departments}
        self._loaded = True
        self.departments_changed.emit()
        if Capability.AGENTS not in self.backend.capabilities:   # no list of colleagues
            return None
        try:
            colleagues = await self.backend.agents()
        except BackendError as exc:                       # names are a nicety: "a colleague"
            log.info("agents not loaded: %s", exc.message)
            return None
        self._agents = {a.id: a for a in colleagues}
        if self._me is not None:
            self._agents[self._me.id] = self._me
        self.agents_changed.emit()
        return None

    def watch(self, callback: Callable[[], None], *, spawn: Spawn,
              on_error: Callable[[BackendError], None] | None = None,
              agents: bool = False) -> Callable[[], None]:
        """How a view follows the cache: ``callback()`` now if the departments are known, else
        once the (shared) load ends, and again on every change of the departments (``agents``:
        of the agents too). A failed load goes to ``on_error``. ``spawn`` starts the wait (a
        widget's task scope, so it ends with the widget); returns the function that stops
        following (for the scope's ``on_close``)."""
        removers = [self.departments_changed.connect(callback)]
        if agents:
            removers.append(self.agents_changed.connect(callback))
        if self._loaded:
            callback()
        else:
            spawn(self._wait_loaded(on_error), "directory-wait")

        def stop() -> None:
            for remove in removers:
                remove()
        return stop

    async def _wait_loaded(self, on_error: Callable[[BackendError], None] | None) -> None:
        try:
            await self.load()                 # departments_changed calls the views back
        except BackendError as exc:
            if on_error is not None:
                on_error(exc)
            else:
                log.info("departments not loaded: %s", exc.message)

    # -- keeping it current

    def set_me(self, agent: Agent) -> None:
        """The signed-in agent changed (status, name, departments)."""
        self._me = agent
        self._agents[agent.id] = agent
        self.agents_changed.emit()

    def apply_event(self, event: ServerEvent) -> bool:
        """Take a ``department.online`` or ``agent.status`` event; returns whether it changed
        the cache. The signed-in agent's own ``agent.status`` is the workspace's
        (:meth:`set_me`)."""
        data = event.data
        if event.type == EventType.AGENT_STATUS and isinstance(data, Agent):
            self._agents[data.id] = data
            self.agents_changed.emit()
            return True
        if event.type == EventType.DEPARTMENT_ONLINE and isinstance(data, Department):
            self._departments[data.id] = data
            self.departments_changed.emit()
            return True
        return False


__all__ = ["Directory"]

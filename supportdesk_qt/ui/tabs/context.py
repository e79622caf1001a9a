"""What a tab is given: one :class:`TabContext` per signed-in window, shared by every tab.

    context = TabContext(tasks, backend=lambda: window.backend, bridge=bridge,
                         drafts=lambda: window.drafts, outbox=lambda: window.outbox, ...)
    tab = TicketTab(context, ticket_id)

A tab reaches the backend one way only, ``context.backend`` (the current session's), starts its
loads through a :class:`~supportdesk_qt.ui.tasks.TaskScope` over ``context.tasks``, and gets
its server events from ``context.events`` (the router). ``workspace`` is the Qt-free working
state of the agent (``core/workspace.py``) once the window has one, else ``None``.
``context.directory`` is the one cache of departments and agents (the workspace's,
``core/directory.py``): tabs and their dialogs read names from it and never ask the backend
for ``departments()`` / ``agents()`` themselves.

Tests and benches that build a tab alone use :meth:`TabContext.of` with fixed values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from supportdesk_protocol.events import EventType
from supportdesk_qt.backend.base import Backend, Resynced, ServerEvent
from supportdesk_qt.core.directory import Directory
from supportdesk_qt.ui.tabs.router import EventRouter
from supportdesk_qt.ui.tasks import TaskRegistry


def _none() -> None:
    return None


class _DirectoryFeed:
    """Keeps a context's own directory current from the router, as the workspace keeps its
    own in the window (only for a context without a workspace)."""

    event_types = frozenset({EventType.DEPARTMENT_ONLINE, EventType.AGENT_STATUS})

    def __init__(self, directory: Directory) -> None:
        self.directory = directory

    def on_event(self, event: ServerEvent) -> None:
        self.directory.apply_event(event)

    def on_resynced(self, item: Resynced) -> None:
        if item.full and self.directory.loaded:
            self.directory.refresh()


class TabContext:
    def __init__(self, tasks: TaskRegistry, *, backend: Callable[[], Backend | None],
                 bridge: Any = None, events: EventRouter | None = None,
                 drafts: Callable[[], Any] = _none, ticket_drafts: Callable[[], Any] = _none,
                 outbox: Callable[[], Any] = _none, agent: Callable[[], Any] | None = None,
                 department_name: Callable[[int], str] | None = None,
                 workspace: Any = None, commands: Any = None) -> None:
        self.tasks = tasks
        self.bridge = bridge
        self.events = events if events is not None else EventRouter(bridge)
        self.workspace = workspace
        #: the window's action registry (``ui/actions.ActionRegistry``); ``None`` for a tab
        #: built alone. A tab's buttons for the desk's commands name their keys through it.
        self.commands = commands
        self._backend = backend
        self._drafts = drafts
        self._ticket_drafts = ticket_drafts
        self._outbox = outbox
        self._agent = agent
        self._department_name = department_name
        self._own_directory: Directory | None = None    # only without a workspace (tests)

    @classmethod
    def of(cls, backend: Backend, tasks: TaskRegistry, *, bridge: Any = None,
           drafts: Any = None, ticket_drafts: Any = None, outbox: Any = None,
           agent: Any = None, departments: dict[int, str] | None = None) -> TabContext:
        """A context over fixed values (one backend, no window): tests, benches, tools."""
        names = dict(departments or {})
        return cls(tasks, backend=lambda: backend, bridge=bridge,
                   drafts=lambda: drafts, ticket_drafts=lambda: ticket_drafts,
                   outbox=lambda: outbox,
                   agent=(lambda: agent) if agent is not None else None,
                   department_name=lambda dept_id: names.get(dept_id, ""))

    @property
    def backend(self) -> Backend:
        """The signed-in session's backend (tabs exist only while there is one)."""
        backend = self._backend()
        if backend is None:
            raise RuntimeError("no backend: tabs exist only while an agent is signed in")
        return backend

    @property
    def has_backend(self) -> bool:
        return self._backend() is not None

    @property
    def drafts(self) -> Any:
        """The chat composers' :class:`~supportdesk_qt.core.drafts.DraftStore` (or None)."""
        return self._drafts()

    @property
    def ticket_drafts(self) -> Any:
        """The ticket composers' draft store (a file of its own), or None."""
        return self._ticket_drafts()

    @property
    def outbox(self) -> Any:
        """The signed-in agent's :class:`~supportdesk_qt.core.outbox.Outbox`, or None."""
        return self._outbox()

    @property
    def agent(self) -> Any:
        """The signed-in agent (as the window knows it: status changes included)."""
        if self._agent is not None:
            return self._agent()
        backend = self._backend()
        return backend.agent if backend is not None else None

    @property
    def directory(self) -> Directory:
        """The one cache of departments and agents: the workspace's; without a workspace (a
        context made by :meth:`of`) one of the context's own over its backend, made once, so
        every tab of the context still shares one cache."""
        workspace = self.workspace
        if workspace is not None:
            return workspace.directory
        backend = self.backend
        if self._own_directory is None or self._own_directory.backend is not backend:
            self._own_directory = Directory(backend, spawn=self.tasks.spawn)
            self.events.add(_DirectoryFeed(self._own_directory))
        return self._own_directory

    def department_name(self, department_id: int) -> str:
        return self._department_name(department_id) if self._department_name else ""


__all__ = ["TabContext"]

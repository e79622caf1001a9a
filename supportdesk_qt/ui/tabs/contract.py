"""The tab contract: what every tab of the window is and does.

Every tab kind (chat, earlier chat, client, ticket, tickets, search, change log, the queue) is a
``QWidget`` that also inherits :class:`Tab` and is built as ``Kind(context, key-specific args…)``::

    class TicketTab(QWidget, Tab):
        kind = "ticket"
        event_types = frozenset({EventType.TICKET_POST, EventType.TICKET_UPDATED})

        def __init__(self, context, ticket_id, parent=None):
            super().__init__(parent)
            self.init_tab(context)          # scope, events; before anything is loaded
            ...

The contract:

* ``key``: what names the tab (``ticket:12``); ``title()`` and ``titleChanged(str)``;
* ``event_types`` and ``on_event(event)``: the router hands it exactly those event types;
  ``on_resynced(item)`` after a reconnect;
* ``save_state() -> dict`` (JSON-able) and ``restore(state)``: what the tab looks like beyond its
  key (a list, a filter, a mode), saved with the open tabs and given back at the next start;
* ``dispose()``: before the tab goes. Its :attr:`scope` is closed (every load still in flight is
  cancelled), it leaves the router. Idempotent; also what happens if the widget is destroyed
  without being disposed.
* signals to the window: ``openRequested(key, snapshot)`` (open another tab: a ticket, a client,
  an earlier chat with its ``Chat``), ``removeRequested()`` (the tab is done: a chat forwarded),
  ``statusMessage(text)``;
* ``request_close() -> bool``: the agent closes the tab; ``False`` means the tab asks first and
  emits ``removeRequested`` when it may go (a chat ends the conversation on Yes);
* ``take_focus()``: the tab was opened for the agent to work in it now;
* ``needs_backend`` and ``capability``: what must be there for the tab to open (a signed-in
  backend; one of its optional abilities, ``backend.base.Capability``);
* ``from_key(context, ident, snapshot)``: the class builds a tab for a key (``None`` when the key
  needs a snapshot it was not given).
"""

from __future__ import annotations

from typing import Any

from supportdesk_qt.backend.base import Backend, Capability, Resynced, ServerEvent
from supportdesk_qt.qt import Signal
from supportdesk_qt.ui.tabs.context import TabContext
from supportdesk_qt.ui.tasks import TaskScope


def kind_of(key: str) -> str:
    return key.split(":", 1)[0]


class Tab:
    """Mixin for the tab widgets (list it after ``QWidget``). Defaults: no events, no state."""

    #: the part of the key before the colon
    kind: str = ""
    #: event types the router delivers to :meth:`on_event`
    event_types: frozenset[str] = frozenset()
    #: saved with the open tabs and opened again at the next start
    restorable: bool = True
    #: opened only while someone is signed in (the manager refuses it without a backend)
    needs_backend: bool = True
    #: the backend ability the tab cannot work without (``None``: none); the manager does not
    #: open it for a backend that does not declare it
    capability: Capability | None = None

    titleChanged = Signal(str)
    #: (key, snapshot or None): open this tab (a ticket, a client, an earlier chat)
    openRequested = Signal(str, object)
    #: the tab is done and should go (the window removes it)
    removeRequested = Signal()
    #: a sentence for the status bar
    statusMessage = Signal(str)

    context: TabContext
    scope: TaskScope

    def init_tab(self, context: TabContext) -> None:
        """Bind the tab to ``context``: a task scope over its lifetime, and its events."""
        self.context = context
        self.scope = TaskScope(self, context.tasks, name=self.kind)
        events = context.events
        if self.event_types or type(self).on_resynced is not Tab.on_resynced:
            events.add(self)
            self.scope.on_close(lambda: events.remove(self))

    @classmethod
    def from_key(cls, context: TabContext, ident: str, snapshot: Any = None) -> Tab | None:
        return None

    @property
    def key(self) -> str:
        return self.kind

    @property
    def backend(self) -> Backend:
        return self.context.backend

    @property
    def disposed(self) -> bool:
        return self.scope.closed

    def title(self) -> str:
        return ""

    def on_event(self, event: ServerEvent) -> None:
        """One server event of a type in :attr:`event_types`."""

    def on_resynced(self, item: Resynced) -> None:
        """The event stream is live again after a reconnect."""

    def save_state(self) -> dict:
        return {}

    def restore(self, state: dict) -> None:
        """Put back what :meth:`save_state` returned (unknown or bad values are ignored)."""

    def request_close(self) -> bool:
        return True

    def take_focus(self) -> None:
        """Opened for the agent to work in now (the chat tab focuses its composer)."""

    def dispose(self) -> None:
        """The tab is going: stop everything it started. Idempotent."""
        self.scope.close()


__all__ = ["Tab", "kind_of"]

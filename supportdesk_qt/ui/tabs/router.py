"""The event router: each server event goes to the tabs that declared its type.

A tab declares ``event_types`` (a frozenset of :class:`~supportdesk_protocol.events.EventType`
names) and gets :meth:`on_event` for exactly those; nobody filters the whole stream. A tab
registers itself when it is built (``Tab.init_tab``) and leaves when it is disposed or destroyed.
Anything else with ``event_types`` and ``on_event`` can listen the same way (the tab manager's
unread counts and off-screen notices do).

``resynced`` (the stream is live again after a reconnect) goes to every registered listener's
``on_resynced``.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from supportdesk_qt.backend.base import Resynced, ServerEvent

log = logging.getLogger("supportdesk.ui.tabs")


class Listener(Protocol):
    event_types: frozenset[str]

    def on_event(self, event: ServerEvent) -> None: ...
    def on_resynced(self, item: Resynced) -> None: ...


class EventRouter:
    def __init__(self, bridge: Any = None) -> None:
        self._listeners: list[Listener] = []           # in the order they registered
        self._by_type: dict[str, list[Listener]] = {}
        self.delivered = 0                             # events handed to a listener (tests)
        if bridge is not None:
            bridge.serverEvent.connect(self.route)
            bridge.resynced.connect(self.resynced)

    def add(self, listener: Listener) -> None:
        if any(existing is listener for existing in self._listeners):
            return
        self._listeners.append(listener)
        for event_type in listener.event_types:
            self._by_type.setdefault(event_type, []).append(listener)

    def remove(self, listener: Listener) -> None:
        self._listeners = [x for x in self._listeners if x is not listener]
        for event_type in list(self._by_type):
            rest = [x for x in self._by_type[event_type] if x is not listener]
            if rest:
                self._by_type[event_type] = rest
            else:
                del self._by_type[event_type]

    def listeners(self, event_type: str) -> list[Listener]:
        return list(self._by_type.get(event_type, ()))

    def route(self, event: ServerEvent) -> None:
        for listener in self.listeners(event.type):
            self.delivered += 1
            try:
                listener.on_event(event)
            except Exception:  # noqa: BLE001 - one broken tab must not starve the others
                log.exception("a tab failed on %s", event.type)

    def resynced(self, item: Resynced) -> None:
        for listener in list(self._listeners):
            try:
                listener.on_resynced(item)
            except Exception:  # noqa: BLE001
                log.exception("a tab failed on resync")


__all__ = ["EventRouter", "Listener"]

"""Saving the open tabs and opening them again at the next start.

The window state (``core.settings.WindowState``, option ``open_tabs``) holds, for the agent who
was signed in, the keys of the open tabs in their order, the current one, and each tab's
``save_state()``::

    {"login": "dana", "keys": ["chat:3", "ticket:12"], "current": "ticket:12",
     "states": {"ticket:12": {"mode": "note"}}}

At sign-in, the chats still assigned to the agent reopen (those saved first, in their place;
any others after them), then every other saved tab that can still be opened; an earlier chat
(``history:<id>``) is fetched first, and one that is gone is not reopened. Changes are saved
``SAVE_MS`` after the last one (opening twenty tabs writes once).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from supportdesk_protocol.schemas import Agent, Chat
from supportdesk_qt.backend.base import Backend, BackendError
from supportdesk_qt.qt import QObject, QTimer
from supportdesk_qt.ui.tabs.manager import TabManager
from supportdesk_qt.ui.tasks import TaskScope

log = logging.getLogger("supportdesk.ui.tabs")

OPEN_TABS_KEY = "open_tabs"
SAVE_MS = 500
MAX_RESTORED_TABS = 40


class TabMemory(QObject):
    def __init__(self, manager: TabManager, state: Any, agent: Callable[[], Agent | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.manager = manager
        self._state = state
        self._agent = agent
        self.restoring = False        # opening or closing many tabs: do not save meanwhile
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_MS)
        self._timer.timeout.connect(self.save)
        manager.tabsChanged.connect(self.changed)
        #: tasks of the window's tab handling (restoring, opening a chat by id): gone with it
        self.scope = TaskScope(self, manager.context.tasks, name="tabs")

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def changed(self) -> None:
        if not self.restoring and self._agent() is not None and self._state is not None:
            self._timer.start()

    def save(self) -> None:
        """Write the open tabs' keys, states and the current one to the window state."""
        self._timer.stop()
        agent = self._agent()
        if self._state is None or agent is None or self.restoring:
            return
        keys = self.manager.tab_keys()
        states = {}
        for key in keys:
            state = self.manager.tab(key).save_state()
            if state:
                states[key] = state
        value = {"login": agent.login, "keys": keys, "current": self.manager.current_key(),
                 "states": states}
        try:
            self._state.set(OPEN_TABS_KEY, value)
        except (KeyError, ValueError, OSError) as exc:
            log.warning("open tabs not saved: %s", exc)

    def saved(self, agent: Agent) -> tuple[list[str], str, dict[str, dict]]:
        """(keys, current key, states) saved for ``agent`` (nothing for someone else)."""
        if self._state is None:
            return [], "", {}
        try:
            saved = self._state.get(OPEN_TABS_KEY) or {}
        except (KeyError, ValueError):
            return [], "", {}
        if not isinstance(saved, dict) or saved.get("login") != agent.login:
            return [], "", {}
        keys = [k for k in saved.get("keys", []) if isinstance(k, str)][:MAX_RESTORED_TABS]
        states = saved.get("states")
        states = {k: v for k, v in states.items() if isinstance(v, dict)} \
            if isinstance(states, dict) else {}
        return keys, str(saved.get("current") or ""), states

    def close_all(self) -> None:
        """Close every tab (a session ends) without overwriting the saved list."""
        if self.pending:
            self.save()              # a change not written yet (the last tab opened) is kept
        self.restoring = True
        try:
            self.manager.remove_all()
        finally:
            self.restoring = False

    def start_restore(self, backend: Backend, agent: Agent,
                      my_chats: Callable[[], Awaitable[dict[int, Chat]]]) -> asyncio.Task:
        return self.scope.spawn(self.restore(backend, agent, my_chats), name="restore")

    async def restore(self, backend: Backend, agent: Agent,
                      my_chats: Callable[[], Awaitable[dict[int, Chat]]]) -> None:
        """At sign-in: my chats (still assigned to me) reopen, then the other saved tabs.
        ``my_chats`` lists them (an error was already told to the agent)."""
        context = self.manager.context

        def still_current() -> bool:         # this session is still the window's
            return context.has_backend and context.backend is backend

        keys, current, states = self.saved(agent)
        mine = await my_chats()
        if not still_current():
            return
        # read-only history tabs need their chat: fetch them first (one that is gone or no
        # longer mine to see is simply not reopened)
        snapshots: dict[str, Chat] = {}
        for key in keys:
            kind, _, rest = key.partition(":")
            if kind == "history" and rest.isdigit():
                try:
                    snapshots[key] = await backend.get_chat(int(rest))
                except BackendError as exc:
                    log.info("history tab %s not reopened: %s", rest, exc.message)
                if not still_current():
                    return
        manager = self.manager
        self.restoring = True
        try:
            for key in keys:
                kind, _, rest = key.partition(":")
                if not getattr(manager.kinds.get(kind), "restorable", False):
                    continue
                if kind == "chat":
                    chat = mine.pop(int(rest), None) if rest.isdigit() else None
                    if chat is None or chat.assignee_id != agent.id:
                        continue
                    snapshots[key] = chat
                elif kind == "history" and key not in snapshots:
                    continue
                tab = manager.open(key, snapshots.get(key), focus=False)
                if tab is not None and states.get(key):
                    tab.restore(states[key])
            for chat in sorted(mine.values(), key=lambda c: c.id):
                manager.open(f"chat:{chat.id}", chat, focus=False)
            i = manager.find_tab(current) if current else -1
            if i >= 0:
                manager.tabs.setCurrentIndex(i)
        finally:
            self.restoring = False
        self.save()
        if mine or keys:
            log.info("restored %d tabs", manager.tabs.count() - 1)


__all__ = ["TabMemory", "OPEN_TABS_KEY", "MAX_RESTORED_TABS"]

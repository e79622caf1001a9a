"""Going to what a key names, and the chats that reopen at sign-in.

A key is what a tab is named by (``ui/tabs/``): notifications, the notifications log and a second
launch only know keys. :meth:`Navigator.open_key` takes one to the right place::

    chat:<id>     its tab; or take it from the list; or fetch it and open it if it is still mine
    ticket:<id>   client:<id>   tickets   the tab (only while someone is signed in)
    search:<text> changelog     queue

:meth:`Navigator.my_chats` lists the chats still assigned to me when a session starts (the tabs
memory, ``ui/tabs/memory.py``, reopens them); a failure is a sentence in the status bar.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from supportdesk_protocol.schemas import Chat, ChatState
from supportdesk_qt.backend.base import Backend, BackendError
from supportdesk_qt.core.workspace import Workspace
from supportdesk_qt.qt import QObject
from supportdesk_qt.ui.models.queue_model import QueueModel
from supportdesk_qt.ui.tabs.manager import TabManager
from supportdesk_qt.ui.tasks import TaskScope

log = logging.getLogger("supportdesk.ui.navigator")


class Navigator(QObject):
    def __init__(self, manager: TabManager, scope: TaskScope, queue_model: QueueModel,
                 workspace: Callable[[], Workspace | None], *,
                 take_chat: Callable[[int], None], show_queue: Callable[[], None],
                 open_changelog: Callable[[], None], show_message: Callable[[str], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._manager = manager
        self._scope = scope
        self._queue = queue_model
        self._workspace = workspace
        self._take_chat = take_chat
        self._show_queue = show_queue
        self._open_changelog = open_changelog
        self._show_message = show_message

    def open_key(self, key: str) -> None:
        """Go to what ``key`` names (see the module docstring)."""
        kind, _, rest = key.partition(":")
        manager = self._manager
        i = manager.find_tab(key)
        workspace = self._workspace()
        if i >= 0:
            manager.tabs.setCurrentIndex(i)
        elif kind == "chat" and rest.isdigit():
            chat_id = int(rest)
            if self._queue.chat(chat_id) is not None:
                self._take_chat(chat_id)
            elif workspace is not None:
                self._scope.spawn(self._open_chat_by_id(workspace.backend, chat_id),
                                  name="open-chat")
        elif kind == "search":
            manager.open_search(rest)
        elif kind == "changelog":
            self._open_changelog()
        elif kind == "queue":
            self._show_queue()
        elif kind in ("ticket", "tickets", "client"):
            manager.open(key)          # nothing while nobody is signed in

    async def _open_chat_by_id(self, backend: Backend, chat_id: int) -> None:
        try:
            chat = await backend.get_chat(chat_id)
        except BackendError as exc:
            self._show_message(exc.message)
            return
        workspace = self._workspace()
        if workspace is None or workspace.backend is not backend:
            return                       # signed out (or in again) meanwhile
        if chat.state == ChatState.ACTIVE and chat.assignee_id == workspace.agent.id:
            self._manager.open_chat(chat)
        elif chat.state == ChatState.WAITING:
            self._take_chat(chat_id)
        elif chat.state == ChatState.CLOSED:
            self._show_message(self.tr("This chat has ended."))
        else:
            self._show_message(self.tr("A colleague is answering this chat."))

    async def my_chats(self, workspace: Workspace) -> dict[int, Chat]:
        """My chats, to reopen at sign-in (the directory first: a chat tab shows its
        department's name)."""
        try:
            await workspace.load_directory()
            return {c.id: c for c in await workspace.my_chats()}
        except BackendError as exc:
            log.warning("my chats could not be loaded: %s", exc.message)
            if workspace is self._workspace():
                self._show_message(self.tr("Your open chats could not be loaded: %1").replace(
                    "%1", exc.message))
            return {}


__all__ = ["Navigator"]

"""Taking a chat from the list, as the agent sees it.

The rule (one request per chat at a time, what a 409 or a 404 means) is the workspace's
(:meth:`Workspace.take_chat` returns a :class:`TakeResult`); :class:`ChatTaker` turns each outcome
into what the agent sees: the row busy in the pop-up while the request runs, "Taken by a colleague"
on the row for a moment, a sentence in the status bar and in the pop-up, and the chat's tab.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from supportdesk_protocol.schemas import Chat
from supportdesk_qt.core.workspace import TakeOutcome, TakeResult, Workspace
from supportdesk_qt.qt import QObject, Signal
from supportdesk_qt.ui.chat.chat_tab import ChatTab
from supportdesk_qt.ui.common.text import isolate
from supportdesk_qt.ui.models.queue_model import QueueModel
from supportdesk_qt.ui.queue_popup import QueuePopup
from supportdesk_qt.ui.tasks import TaskRegistry, TaskScope


class ChatTaker(QObject):
    #: A chat was taken by this agent (its tab is open).
    chatTaken = Signal(object)

    def __init__(self, tasks: TaskRegistry, queue_model: QueueModel, popup: QueuePopup,
                 workspace: Callable[[], Workspace | None],
                 open_chat: Callable[[Chat], ChatTab | None],
                 show_message: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = TaskScope(self, tasks, name="take")   # a take ends with the window
        self._model = queue_model
        self._popup = popup
        self._workspace = workspace
        self._open_chat = open_chat
        self._show_message = show_message

    def take(self, chat_id: int) -> None:
        workspace = self._workspace()
        if workspace is None or workspace.is_taking(chat_id) or self._tasks.closed:
            return
        gone = self._model.leaving_reason(chat_id)
        if gone:       # a row marked "Taken by …" that is about to go: nothing to take
            shown = self._model.shown_chat(chat_id)
            name = isolate(self._model.visitor_label(shown)) if shown else ""
            self._show_message(gone)
            if self._popup.isVisible():
                self._popup.show_notice(
                    self.tr("A colleague took the chat with %1 first.").replace("%1", name)
                    if self._model.taken_by_colleague(chat_id) else
                    self.tr("The chat with %1 is no longer available.").replace("%1", name))
            return
        if self._popup.isVisible():
            self._popup.set_busy(chat_id, True)
        queued = self._model.chat(chat_id)
        name = isolate(self._model.visitor_label(queued)) if queued else self.tr("this visitor")
        # the workspace marks the chat as being taken now, before the request goes out
        self._tasks.spawn(self._take(workspace, chat_id, workspace.take_chat(chat_id), name),
                          name=f"take-chat-{chat_id}")

    async def _take(self, workspace: Workspace, chat_id: int,
                    taking: Coroutine[Any, Any, TakeResult], name: str) -> None:
        result = await taking
        outcome = result.outcome
        if outcome == TakeOutcome.BUSY:
            return                           # the take under way answers for this click too
        self._popup.set_busy(chat_id, False)
        if workspace is not self._workspace():
            return
        if outcome == TakeOutcome.TAKEN_BY_COLLEAGUE:
            self._lost(chat_id, self.tr("A colleague took this chat first"),
                       self.tr("A colleague took the chat with %1 first.").replace("%1", name))
        elif outcome == TakeOutcome.GONE:
            self._lost(chat_id, self.tr("This chat is no longer available"),
                       self.tr("The chat with %1 is no longer available.").replace("%1", name))
        elif outcome == TakeOutcome.FAILED:
            self._show_message(result.message)
            if self._popup.isVisible():
                self._popup.show_notice(result.message)
        elif outcome == TakeOutcome.TAKEN and result.chat is not None:
            self._model.remove_chat(chat_id)
            self._popup.hide()
            tab = self._open_chat(result.chat)
            title = tab.title() if tab is not None else name
            self._show_message(self.tr("You took the chat with %1").replace("%1", title))
            self.chatTaken.emit(result.chat)

    def _lost(self, chat_id: int, status: str, popup: str) -> None:
        self._model.mark_taken(chat_id)     # "Taken by a colleague" for a moment, then gone
        self._show_message(status)
        if self._popup.isVisible():
            self._popup.show_notice(popup)

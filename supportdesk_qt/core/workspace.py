"""The signed-in agent's working state and its rules (Qt-free).

One :class:`Workspace` per signed-in agent, owned by the
:class:`~supportdesk_qt.core.session.Session` (created on sign-in, closed on logout and quit).
It holds

* the backend and the agent (kept current by ``agent.status`` events and by status changes);
* the outbox (``core/outbox.py``) and both draft stores (chat and ticket composers);
* the one cache of departments and agents (:attr:`Workspace.directory`, ``core/directory.py``),
  loaded once and kept current by events (``department.online``, ``agent.status``): every tab
  and dialog reads it, none asks the backend itself;
* Online/Offline with coalescing (:meth:`set_status`);
* taking a chat (:meth:`take_chat`): at most one request per chat at a time, its outcome a
  :class:`TakeResult` that the UI turns into a sentence;
* reopening my chats (:meth:`my_chats`, every page);
* the reconnect policy (:meth:`apply_resync`, :func:`needs_reload`).

It never imports Qt. The UI feeds it what the bridge delivers (:meth:`apply_event`,
:meth:`apply_resync`) and listens to its :class:`Observers` lists; ``ui/workspace_signals.py``
turns them into Qt signals.

The reconnect policy
--------------------
Every (re)connect of the event stream ends with one ``Resynced``. When it says the stream resumed
without a gap (``full`` is False), the events replayed since ``last_seq`` already carried every
change: nothing is reloaded. When it is ``full`` (the first connect after sign-in, or a ``reset``
because the server could not replay), the cache is reloaded once and
:attr:`Workspace.reload_requested` fires once, so each list and each open tab reloads exactly
once. Either way the outbox is flushed once (it resends what was written while the stream was
down).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from supportdesk_protocol.events import EventType
from supportdesk_protocol.schemas import Agent, AgentStatus, Chat, ChatState, Department
from supportdesk_qt.backend.base import (
    Backend,
    BackendError,
    Conflict,
    NotFound,
    Resynced,
    ServerEvent,
)
from supportdesk_qt.core.directory import Directory
from supportdesk_qt.core.drafts import DraftStore
from supportdesk_qt.core.observers import Observers
from supportdesk_qt.core.outbox import Outbox

log = logging.getLogger("supportdesk.workspace")

MY_CHATS_PAGE = 100
TICKET_DRAFTS_FILENAME = "ticket-drafts.json"

Spawn = Callable[[Coroutine[Any, Any, Any], str], asyncio.Task]


def needs_reload(item: Resynced) -> bool:
    """The reconnect policy in one place: reload lists and tabs only after a ``full`` resync (a
    gap, a ``reset``, or the first connect). A resume without a gap reloads nothing."""
    return item.full


class TakeOutcome(StrEnum):
    TAKEN = "taken"                      # the chat is mine now (``TakeResult.chat``)
    TAKEN_BY_COLLEAGUE = "colleague"     # 409: somebody was faster
    GONE = "gone"                        # 404: the visitor left, or it went elsewhere
    FAILED = "failed"                    # any other error (``TakeResult.message`` says why)
    BUSY = "busy"                        # a take of this chat is already under way
    CLOSED = "closed"                    # the workspace closed meanwhile (signed out)


@dataclass(frozen=True, slots=True)
class TakeResult:
    outcome: TakeOutcome
    chat: Chat | None = None
    message: str = ""                    # the backend's sentence for FAILED


async def _result(result: TakeResult) -> TakeResult:
    return result


class Workspace:
    """The working state of one signed-in agent on one server. See the module docstring."""

    def __init__(self, backend: Backend, agent: Agent, *, server_url: str = "",
                 server_label: str = "", drafts: DraftStore | None = None,
                 drafts_dir: Path | None = None, outbox: Outbox | None = None,
                 spawn: Spawn | None = None) -> None:
        self.backend = backend
        self._agent = agent
        self.server_url = server_url or backend.server_url or server_label
        self.server_label = server_label
        if drafts is None:
            drafts = DraftStore(drafts_dir / DraftStore.FILENAME if drafts_dir else None)
        self.drafts = drafts
        self.ticket_drafts = DraftStore(drafts.path.with_name(TICKET_DRAFTS_FILENAME))
        self.outbox = outbox or Outbox.for_account(self.server_url, agent.login, backend)
        self._spawn_fn = spawn
        self._tasks: set[asyncio.Task] = set()
        self._closed = False

        #: the one cache of departments and agents (core/directory.py)
        self.directory = Directory(backend, agent, spawn=self._spawn)
        self._taking: set[int] = set()
        self._wanted_status: AgentStatus | None = None
        self._status_task: asyncio.Task | None = None

        #: (Agent) this agent changed: status (by me or an event), name, departments
        self.agent_changed = Observers("agent_changed")
        #: (Agent) a status change I asked for was applied by the server
        self.status_changed = Observers("status_changed")
        #: (str) a status change failed: the backend's sentence
        self.status_failed = Observers("status_failed")
        #: () the departments cache changed (the directory's: loaded, renamed, added, counts)
        self.departments_changed = self.directory.departments_changed
        #: () the agents cache changed (the directory's: loaded, a colleague's status/name)
        self.agents_changed = self.directory.agents_changed
        #: (Resynced) the policy asks every list and every open tab to reload once
        self.reload_requested = Observers("reload_requested")

    # -- lifecycle

    @property
    def closed(self) -> bool:
        return self._closed

    def start(self) -> None:
        """Right after sign-in: resend what the outbox kept from an earlier session."""
        self._spawn(self.outbox.flush(), "outbox-flush")

    async def close(self) -> None:
        """Signed out or quitting: stop what runs, save drafts, close the outbox (pending rows
        stay in the file for the next sign-in). Idempotent."""
        if self._closed:
            return
        self._closed = True
        tasks = [t for t in self._tasks if not t.done() and t is not asyncio.current_task()]
        for t in tasks:
            t.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        self.drafts.save()
        self.ticket_drafts.save()
        await self.outbox.close()

    def _spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task:
        if self._spawn_fn is not None:
            task = self._spawn_fn(coro, name)
        else:
            task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # -- the agent

    @property
    def agent(self) -> Agent:
        return self._agent

    @property
    def is_online(self) -> bool:
        return self._agent.status == AgentStatus.ONLINE

    def _set_agent(self, agent: Agent) -> None:
        self._agent = agent
        self.agent_changed.emit(agent)
        self.directory.set_me(agent)

    def set_status(self, status: AgentStatus) -> None:
        """Ask the server for Online/Offline. Changes go one at a time and are coalesced: with a
        change still in flight only the newest wish is sent after it, so the server's final state
        and the one shown are always the agent's last choice, never a late answer to an older
        one."""
        if self._closed:
            return
        self._wanted_status = AgentStatus(status)
        if self._status_task is None or self._status_task.done():
            self._status_task = self._spawn(self._send_status(), "set-status")

    @property
    def status_in_flight(self) -> bool:
        return self._status_task is not None and not self._status_task.done()

    async def _send_status(self) -> None:
        sent: AgentStatus | None = None
        while self._wanted_status is not None and self._wanted_status != sent:
            sent = self._wanted_status
            try:
                agent = await self.backend.set_status(sent)
            except BackendError as exc:
                self._wanted_status = None
                if not self._closed:
                    self.status_failed.emit(exc.message)
                return
            if self._closed:
                return
            if self._wanted_status != sent:
                continue                         # the agent changed their mind meanwhile
            self._wanted_status = None
            self._set_agent(agent)
            self.status_changed.emit(agent)

    # -- the cache of departments and agents (core/directory.py; these read it)

    @property
    def departments(self) -> dict[int, Department]:
        return self.directory.departments

    @property
    def agents(self) -> dict[int, Agent]:
        return self.directory.agents

    @property
    def directory_loaded(self) -> bool:
        """The departments were loaded at least once."""
        return self.directory.loaded

    def department(self, department_id: int) -> Department | None:
        return self.directory.department(department_id)

    async def load_directory(self, *, force: bool = False) -> None:
        """:meth:`Directory.load`: once (``force``: again, after a gap); shared by callers at
        the same time. Raises the BackendError when the departments cannot be loaded."""
        await self.directory.load(force=force)

    # -- what the stream delivers

    def apply_event(self, event: ServerEvent) -> None:
        """Keep the agent and the cache current (slot for ``Bridge.serverEvent``)."""
        data = event.data
        if (event.type == EventType.AGENT_STATUS and isinstance(data, Agent)
                and data.id == self._agent.id):
            self._set_agent(data)
        else:
            self.directory.apply_event(event)

    def apply_resync(self, item: Resynced) -> bool:
        """The stream is live again (slot for ``Bridge.resynced``): the reconnect policy. Flushes
        the outbox once; after a ``full`` resync reloads the cache and asks every list and tab to
        reload once. Returns whether a reload was asked for."""
        if self._closed:
            return False
        self._spawn(self.outbox.flush(), "outbox-flush")
        if not needs_reload(item):
            return False
        self.directory.refresh()
        self.reload_requested.emit(item)
        return True

    # -- taking chats

    def is_taking(self, chat_id: int) -> bool:
        return chat_id in self._taking

    @property
    def taking(self) -> frozenset[int]:
        """The chats being taken right now."""
        return frozenset(self._taking)

    def take_chat(self, chat_id: int) -> Coroutine[Any, Any, TakeResult]:
        """Take a waiting chat: await the returned coroutine for the :class:`TakeResult`.

        Race-safe: the chat is marked as being taken at once (before the coroutine runs), so a
        second take of the same chat meanwhile is ``BUSY`` and sends no second request; a
        colleague who was faster is ``TAKEN_BY_COLLEAGUE``."""
        if self._closed:
            return _result(TakeResult(TakeOutcome.CLOSED))
        if chat_id in self._taking:
            return _result(TakeResult(TakeOutcome.BUSY))
        self._taking.add(chat_id)
        return self._take(chat_id)

    async def _take(self, chat_id: int) -> TakeResult:
        try:
            chat = await self.backend.take_chat(chat_id)
        except Conflict:
            return TakeResult(TakeOutcome.TAKEN_BY_COLLEAGUE)
        except NotFound:
            return TakeResult(TakeOutcome.GONE)
        except BackendError as exc:
            return TakeResult(TakeOutcome.FAILED, message=exc.message)
        finally:
            self._taking.discard(chat_id)
        if self._closed:
            return TakeResult(TakeOutcome.CLOSED, chat)
        return TakeResult(TakeOutcome.TAKEN, chat)

    # -- reopening my chats

    async def my_chats(self) -> list[Chat]:
        """The chats still assigned to me (every page), to reopen as tabs after sign-in.
        Raises the BackendError."""
        mine: dict[int, Chat] = {}
        offset = 0
        while True:
            page = await self.backend.list_chats(state=ChatState.ACTIVE, mine=True,
                                                 offset=offset, limit=MY_CHATS_PAGE)
            for chat in page.items:
                mine[chat.id] = chat
            offset += len(page.items)
            if not page.items or offset >= page.total:
                break
        me = self._agent.id
        return [c for c in mine.values() if c.assignee_id == me]

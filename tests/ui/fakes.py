"""A tiny in-memory Backend for UI tests that need no server (models, delegates, window layout).

It implements the Backend ABC with a dict of chats; ``push(item)`` feeds the ``items()`` stream.
Tests that prove the app works against the real server use ``tests.support.server`` instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone

from supportdesk_protocol.schemas import (
    Agent,
    AgentStatus,
    Chat,
    ChatMessage,
    ChatState,
    Department,
    LoginResponse,
    Page,
    Role,
    ServerInfo,
    VisitorInfo,
)
from supportdesk_qt.core.workspace import Workspace
from supportdesk_qt.backend.base import (
    AuthError,
    Backend,
    BackendItem,
    Conflict,
    ConnectionChanged,
    ConnectionState,
    NotFound,
    ServerEvent,
)

T0 = datetime(2026, 11, 29, 10, 0, tzinfo=timezone.utc)

DEPARTMENTS = [Department(id=1, name="Support", online_count=3),
               Department(id=2, name="Billing", online_count=2),
               Department(id=3, name="Sales", online_count=1)]


def open_workspace(backend: Backend, tasks, drafts_dir, label: str = "test server",
                   agent: Agent | None = None) -> Workspace:
    """What ``Session.open_workspace`` does for the app: the agent's workspace, started."""
    workspace = Workspace(backend, agent or backend.agent, server_label=label,
                          drafts_dir=drafts_dir, spawn=tasks.spawn)
    workspace.start()
    return workspace


def make_agent(**kw) -> Agent:
    base = dict(id=1, login="dana", display_name="Dana Scully", role=Role.AGENT,
                department_ids=[1, 2], status=AgentStatus.ONLINE)
    base.update(kw)
    return Agent(**base)


def make_chat(chat_id: int, *, waiting_for: float = 0.0, state: ChatState = ChatState.WAITING,
              department_id: int = 1, version: int = 1, now: datetime = T0, **kw) -> Chat:
    since = now - timedelta(seconds=waiting_for)
    base = dict(id=chat_id, state=state, department_id=department_id,
                visitor_id=f"v-{chat_id}", visitor_name=f"Visitor {chat_id}",
                created_at=since, updated_at=since + timedelta(seconds=version),
                waiting_since=since, last_message_preview=f"Hello from {chat_id}",
                version=version, visitor=VisitorInfo())
    base.update(kw)
    return Chat(**base)


def event(type_: str, data, seq: int = 1) -> ServerEvent:
    return ServerEvent(seq=seq, type=type_, ts=T0, data=data)


class FakeBackend(Backend):
    def __init__(self, agent: Agent | None = None, chats: list[Chat] | None = None) -> None:
        self._agent = agent or make_agent()
        self.chats: dict[int, Chat] = {c.id: c for c in chats or []}
        self.taken_elsewhere: set[int] = set()
        self.list_calls: list[tuple[int, int]] = []
        self._queue: asyncio.Queue[BackendItem | None] = asyncio.Queue()
        self._state = ConnectionState.DISCONNECTED
        self.closed = False

    def push(self, item: BackendItem | None) -> None:
        if isinstance(item, ConnectionChanged):
            self._state = item.state
        self._queue.put_nowait(item)

    @property
    def connection_state(self) -> ConnectionState:
        return self._state

    @property
    def last_seq(self) -> int:
        return 0

    async def server_info(self) -> ServerInfo:
        return ServerInfo(version="0.0", last_seq=0)

    async def login(self, username: str, password: str) -> LoginResponse:
        if password != "demo":
            raise AuthError("The username or password is wrong.")
        return LoginResponse(token="t", expires_at=T0, agent=self._agent)

    async def use_token(self, token: str) -> Agent:
        return self._agent

    async def logout(self) -> None:
        pass

    async def start_events(self, resume_after: int | None = None) -> None:
        pass

    async def stop_events(self) -> None:
        pass

    async def items(self) -> AsyncIterator[BackendItem]:
        while True:
            item = await self._queue.get()
            if item is None:
                return
            yield item

    async def close(self) -> None:
        self.closed = True
        self.push(None)

    @property
    def agent(self) -> Agent | None:
        return self._agent

    async def set_status(self, status: AgentStatus) -> Agent:
        self._agent = self._agent.model_copy(update={"status": status})
        return self._agent

    async def departments(self) -> list[Department]:
        return list(DEPARTMENTS)

    async def list_chats(self, *, state=None, mine=False, offset=0, limit=100) -> Page[Chat]:
        self.list_calls.append((offset, limit))
        items = [c for c in self.chats.values() if state is None or c.state == state]
        items.sort(key=lambda c: c.id)
        return Page[Chat](items=items[offset:offset + limit], total=len(items),
                          offset=offset, limit=limit)

    async def get_chat(self, chat_id: int) -> Chat:
        if chat_id not in self.chats:
            raise NotFound("This chat does not exist.")
        return self.chats[chat_id]

    async def chat_messages(self, chat_id, *, before_seq=None, limit=50):
        return [], False

    async def chat_events(self, chat_id):
        return []

    async def take_chat(self, chat_id: int) -> Chat:
        if chat_id in self.taken_elsewhere:
            raise Conflict("Another agent took this chat.", code="already_taken", status=409)
        chat = await self.get_chat(chat_id)
        chat = chat.model_copy(update={"state": ChatState.ACTIVE, "assignee_id": self._agent.id,
                                       "version": chat.version + 1})
        self.chats[chat_id] = chat
        return chat

    async def release_chat(self, chat_id: int) -> Chat:
        raise NotImplementedError

    async def send_message(self, chat_id: int, text: str, client_msg_id: str) -> ChatMessage:
        raise NotImplementedError

    async def set_typing(self, chat_id: int, typing: bool) -> None:
        pass

    async def close_chat(self, chat_id: int) -> Chat:
        chat = await self.get_chat(chat_id)
        chat = chat.model_copy(update={"state": ChatState.CLOSED, "version": chat.version + 1})
        self.chats[chat_id] = chat
        return chat

    async def update_chat(self, chat_id, *, name=None, summary=None) -> Chat:
        raise NotImplementedError

    async def forward_chat(self, chat_id, department_id, comment="") -> Chat:
        raise NotImplementedError

    # -- clients, tickets, replies, change log: empty here (the real server's tests cover them)

    async def search_clients(self, q: str):
        from supportdesk_protocol.schemas import SearchResult
        return SearchResult(query=q, items=[], total=0)

    async def get_client(self, client_id: int):
        raise NotFound("This client does not exist.", code="not_found", status=404)

    async def _empty(self, offset: int = 0, limit: int = 50) -> Page:
        return Page(items=[], total=0, offset=offset, limit=limit)

    async def client_users(self, client_id, *, offset=0, limit=50):
        return await self._empty(offset, limit)

    async def client_payments(self, client_id, *, offset=0, limit=50):
        return await self._empty(offset, limit)

    async def client_services(self, client_id, *, offset=0, limit=50):
        return await self._empty(offset, limit)

    async def client_tickets(self, client_id, *, offset=0, limit=50):
        return await self._empty(offset, limit)

    async def client_expenses(self, client_id, *, offset=0, limit=50):
        return await self._empty(offset, limit)

    async def client_projects(self, client_id, *, offset=0, limit=50):
        return await self._empty(offset, limit)

    async def list_tickets(self, *, status=None, priority=None, department_id=None, mine=False,
                           offset=0, limit=50):
        return await self._empty(offset, limit)

    async def get_ticket(self, ticket_id: int):
        raise NotFound("This ticket does not exist.", code="not_found", status=404)

    async def ticket_posts(self, ticket_id, *, offset=0, limit=50):
        return await self._empty(offset, limit)

    async def replies(self, context=None, *, offset=0, limit=100):
        return await self._empty(offset, limit)

    async def changelog(self, *, offset=0, limit=50):
        return await self._empty(offset, limit)

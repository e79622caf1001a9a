"""The Qt-free Workspace against the REAL reference server: the cache kept current by events,
Online/Offline coalescing, the take race between two agents, reopening my chats page by page, and
the reconnect policy (a resume without a gap reloads nothing; a reset reloads each list once; the
outbox is flushed once per connect). Plain pytest-asyncio; nothing waits by sleeping."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from supportdesk_protocol.schemas import AgentStatus, ChatState
from supportdesk_qt.backend.base import Resynced, ServerEvent
from supportdesk_qt.backend.http import HttpBackend
from supportdesk_qt.core import workspace as workspace_module
from supportdesk_qt.core.workspace import TakeOutcome, Workspace
from tests.core.conftest import TIMEOUT, Visitor
from tests.support.counting import count_calls


class Desk:
    """What the desk does with one agent: a backend, its workspace, and a pump that hands the
    workspace what the bridge would (events and resyncs), keeping every item seen."""

    def __init__(self, server, login: str, tmp_path) -> None:
        self.server = server
        self.login = login
        self.tmp_path = tmp_path
        self.backend = HttpBackend(server.url)
        self.workspace: Workspace | None = None
        self.items: list[Any] = []
        self._changed = asyncio.Condition()
        self._pump: asyncio.Task | None = None

    async def start(self, *, events: bool = True) -> "Desk":
        await self.backend.login(self.login, "demo")
        self.workspace = Workspace(self.backend, self.backend.agent, drafts_dir=self.tmp_path
                                   / self.login)
        self.workspace.start()
        self._pump = asyncio.create_task(self._consume())
        if events:
            await self.backend.start_events()
            await self.wait(lambda: any(isinstance(i, Resynced) for i in self.items))
        return self

    async def _consume(self) -> None:
        async for item in self.backend.items():
            if isinstance(item, ServerEvent):
                self.workspace.apply_event(item)
            elif isinstance(item, Resynced):
                self.workspace.apply_resync(item)
            async with self._changed:
                self.items.append(item)
                self._changed.notify_all()

    async def wait(self, condition: Callable[[], bool], timeout: float = TIMEOUT) -> None:
        async with asyncio.timeout(timeout):
            async with self._changed:
                await self._changed.wait_for(condition)

    def mark(self) -> int:
        return len(self.backend.request_log)

    def requests(self, since: int = 0) -> list[str]:
        """``METHOD path`` of every HTTP request answered since ``mark()`` returned ``since``."""
        return [f"{r.method} {r.path}" for r in list(self.backend.request_log)[since:]
                if r.kind == "http"]

    async def close(self) -> None:
        if self.workspace is not None:
            await self.workspace.close()
        await self.backend.close()
        if self._pump is not None:
            await asyncio.wait([self._pump], timeout=TIMEOUT)


@pytest.fixture
async def desks(server, tmp_path):
    made: list[Desk] = []

    async def make(login: str = "demo", **kw) -> Desk:
        desk = Desk(server, login, tmp_path)
        made.append(desk)
        return await desk.start(**kw)

    yield make
    for desk in made:
        await desk.close()


async def set_online(server, login: str, status: str) -> None:
    async with httpx.AsyncClient(base_url=server.api(""), timeout=15) as http:
        r = await http.post("/auth/login", json={"username": login, "password": "demo"})
        r.raise_for_status()
        http.headers["Authorization"] = f"Bearer {r.json()['token']}"
        (await http.put("/me/status", json={"status": status})).raise_for_status()


async def open_chats(server, n: int, department: str = "Technical support") -> list[int]:
    ids = []
    for i in range(n):
        async with Visitor(server) as visitor:
            dept = next(d["id"] for d in visitor.departments if d["name"] == department)
            ids.append((await visitor.start(f"Question {i}", f"Visitor {i}", dept))["id"])
    return ids


async def test_the_cache_of_departments_and_agents_follows_events(server, desks):
    desk = await desks()
    ws = desk.workspace
    changed: list[str] = []
    ws.departments_changed.connect(lambda: changed.append("departments"))
    ws.agents_changed.connect(lambda: changed.append("agents"))
    await ws.load_directory()
    assert ws.directory_loaded
    tech = next(d for d in ws.departments.values() if d.name == "Technical support")
    tom = next(a for a in ws.agents.values() if a.login == "tom")
    assert tom.status == AgentStatus.OFFLINE
    since = desk.mark()

    await set_online(server, "tom", "online")            # a colleague, over HTTP
    await desk.wait(lambda: ws.agents[tom.id].status == AgentStatus.ONLINE
                    and ws.department(tech.id).online_count == tech.online_count + 1)
    assert "agents" in changed and "departments" in changed
    # kept current by the events alone: no list was asked for again
    assert not [r for r in desk.requests(since) if "/departments" in r or "/agents" in r]
    await ws.load_directory()                            # loaded once: no second request
    assert not [r for r in desk.requests(since) if "/departments" in r]


async def test_status_changes_are_sent_one_at_a_time_and_the_last_wish_wins(server, desks):
    desk = await desks()
    ws = desk.workspace
    sent: list[AgentStatus] = []
    in_flight = asyncio.Event()
    real = desk.backend.set_status

    async def set_status(status):
        sent.append(status)
        in_flight.set()
        return await real(status)

    desk.backend.set_status = set_status
    applied: list[AgentStatus] = []
    ws.status_changed.connect(lambda agent: applied.append(agent.status))
    first = AgentStatus.OFFLINE if ws.is_online else AgentStatus.ONLINE
    last = AgentStatus.ONLINE if first == AgentStatus.OFFLINE else AgentStatus.OFFLINE
    ws.set_status(first)
    await asyncio.wait_for(in_flight.wait(), TIMEOUT)       # the first change is on the wire
    for status in (last, first, last, first, last):         # the agent clicks on and on
        ws.set_status(status)
    await desk.wait(lambda: not ws.status_in_flight)
    assert sent == [first, last]                            # the wishes in between never went
    assert applied == [last]                                # no late answer to an older wish
    assert ws.agent.status == last
    me = await desk.backend.me()
    assert me.status == last


async def test_two_agents_take_the_same_chat_one_wins(server, desks):
    await set_online(server, "tom", "online")
    dana, tom = await desks("demo"), await desks("tom")
    dana.workspace.set_status(AgentStatus.ONLINE)
    await dana.wait(lambda: not dana.workspace.status_in_flight)
    (chat_id,) = await open_chats(server, 1)
    since = dana.mark()

    first = dana.workspace.take_chat(chat_id)
    assert dana.workspace.is_taking(chat_id)                # marked before the request goes out
    again = await dana.workspace.take_chat(chat_id)         # a second click meanwhile
    assert again.outcome == TakeOutcome.BUSY
    results = await asyncio.gather(first, tom.workspace.take_chat(chat_id))
    outcomes = sorted(r.outcome for r in results)
    assert outcomes == sorted([TakeOutcome.TAKEN, TakeOutcome.TAKEN_BY_COLLEAGUE])
    winner = next(r for r in results if r.outcome == TakeOutcome.TAKEN)
    assert winner.chat.id == chat_id and winner.chat.state == ChatState.ACTIVE
    assert not dana.workspace.taking and not tom.workspace.taking
    takes = [r for r in dana.requests(since) if r == f"POST /chats/{chat_id}/take"]
    assert len(takes) == 1                                  # the busy click sent nothing

    gone = await dana.workspace.take_chat(10_000_000)
    assert gone.outcome == TakeOutcome.GONE


async def test_my_chats_are_reopened_across_pages(server, desks, monkeypatch):
    desk = await desks()
    ids = await open_chats(server, 5)
    for chat_id in ids:
        assert (await desk.workspace.take_chat(chat_id)).outcome == TakeOutcome.TAKEN
    monkeypatch.setattr(workspace_module, "MY_CHATS_PAGE", 2)
    since = desk.mark()
    mine = await desk.workspace.my_chats()
    assert set(ids) <= {c.id for c in mine}
    assert all(c.assignee_id == desk.workspace.agent.id for c in mine)
    pages = [r for r in desk.requests(since) if r.startswith("GET /chats?")]
    assert len(pages) == -(-len(mine) // 2) >= 3             # every page, each once


async def test_reconnect_policy_resume_reloads_nothing_and_reset_reloads_once(server, desks):
    desk = await desks()
    ws, backend = desk.workspace, desk.backend
    reloads: list[Resynced] = []
    ws.reload_requested.connect(reloads.append)
    flushes = count_calls(ws.outbox, "flush")
    await ws.load_directory()

    def connected_again(since: int) -> Callable[[], bool]:
        return lambda: any(isinstance(i, Resynced) for i in desk.items[since:])

    # the stream drops and resumes where it stopped: events carried everything
    seen, since = len(desk.items), desk.mark()
    await backend.stop_events()
    await backend.start_events(resume_after=backend.last_seq)
    await desk.wait(connected_again(seen))
    assert [i.full for i in desk.items[seen:] if isinstance(i, Resynced)] == [False]
    # a request the workspace would have made is on the wire before the next item arrives;
    # one round trip of our own makes sure none is still on its way
    await backend.me()
    assert reloads == []
    assert len(flushes) == 1
    assert desk.requests(since) == ["GET /me"]

    # the server cannot replay (a resume point it does not know): reset, everything once
    seen, since = len(desk.items), desk.mark()
    await backend.stop_events()
    await backend.start_events(resume_after=backend.last_seq + 1_000_000)
    await desk.wait(connected_again(seen))
    assert [i.full for i in desk.items[seen:] if isinstance(i, Resynced)] == [True]
    await desk.wait(lambda: any(r.startswith("GET /agents") for r in desk.requests(since)))
    assert len(reloads) == 1 and reloads[0].full
    assert len(flushes) == 2
    requests = desk.requests(since)
    assert len([r for r in requests if r.startswith("GET /departments")]) == 1
    assert len([r for r in requests if r.startswith("GET /agents")]) == 1

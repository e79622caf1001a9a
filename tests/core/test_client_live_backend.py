"""HttpBackend and the event stream against the REAL reference server (tests/support/server.py)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from supportdesk_protocol.events import EventType
from supportdesk_protocol.schemas import Chat, ChatState
from supportdesk_qt.backend.base import (
    AuthError,
    ConnectionChanged,
    ConnectionState,
    Conflict,
    NotFound,
    Resynced,
    ServerEvent,
    ValidationFailed,
)
from supportdesk_qt.backend.http import Backoff, HttpBackend
from supportdesk_qt.core.ids import new_client_msg_id
from tests.core.conftest import TIMEOUT, Visitor, free_port, next_item
from tests.support.server import ServerProcess


@pytest.fixture
async def demo_backend(shared_server):
    backend = HttpBackend(shared_server.url)
    await backend.login("demo", "demo")
    yield backend
    await backend.close()


async def test_login_ok_and_bad(shared_server):
    backend = HttpBackend(shared_server.url)
    try:
        info = await backend.server_info()
        assert info.protocol_version == 2
        resp = await backend.login("demo", "demo")
        assert resp.agent.login == "demo" and resp.token
        assert backend.agent == resp.agent
        assert (await backend.me()).login == "demo"
        with pytest.raises(AuthError) as info_:
            await HttpBackend(shared_server.url).login("demo", "wrong password")
        assert info_.value.message == "Wrong username or password."
        assert info_.value.status == 401 and info_.value.code == "unauthorized"
        rec = [r for r in backend.request_log]
        assert [r.path for r in rec[:2]] == ["/info", "/auth/login"]
        assert all(r.status == 200 for r in rec)
    finally:
        await backend.close()


async def test_use_token_and_a_bad_token(shared_server, demo_backend):
    other = HttpBackend(shared_server.url)
    try:
        agent = await other.use_token(demo_backend.token)
        assert agent.login == "demo"
        with pytest.raises(AuthError) as info:
            await HttpBackend(shared_server.url).use_token("not-a-token")
        assert "sign in again" in info.value.message
    finally:
        await other.close()


async def test_logout_revokes_the_token(shared_server):
    backend = HttpBackend(shared_server.url)
    await backend.login("sam", "demo")
    token = backend.token
    await backend.logout()
    assert backend.token is None and backend.agent is None
    async with httpx.AsyncClient() as http:
        r = await http.get(shared_server.api("/me"), headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    with pytest.raises(AuthError):
        await backend.use_token(token)
    await backend.close()


async def test_validation_and_not_found_are_sentences(demo_backend):
    with pytest.raises(NotFound) as nf:
        await demo_backend.get_chat(987654321)
    assert nf.value.message.endswith(".")
    with pytest.raises(ValidationFailed) as vf:
        await demo_backend.list_chats(limit=100000)
    assert vf.value.status == 422 and vf.value.message.startswith("The server rejected the data")


async def test_list_take_send_against_the_real_server(server, visitor_factory):
    demo = HttpBackend(server.url)
    sam = HttpBackend(server.url)
    try:
        await demo.login("demo", "demo")
        async with visitor_factory(server) as visitor:
            sales = next(d for d in visitor.departments if d["name"] == "Sales")
            vchat = await visitor.start("I want to buy a VPS", department_id=sales["id"])
            waiting = await demo.list_chats(state=ChatState.WAITING)
            assert vchat["id"] in [c.id for c in waiting.items]
            chat = await demo.get_chat(vchat["id"])
            assert chat.state == ChatState.WAITING and chat.visitor_name == "Ann"

            taken = await demo.take_chat(chat.id)
            assert taken.state == ChatState.ACTIVE and taken.assignee_id == demo.agent.id
            await sam.login("sam", "demo")
            with pytest.raises(Conflict) as lost:
                await sam.take_chat(chat.id)
            assert lost.value.code == "already_taken"
            assert lost.value.message == "A colleague has already taken this chat."

            cid = new_client_msg_id()
            msg = await demo.send_message(chat.id, "Hello Ann, happy to help!", cid)
            again = await demo.send_message(chat.id, "Hello Ann, happy to help!", cid)
            assert again.id == msg.id                              # de-duplicated by client id
            got = await visitor.recv("message")
            assert got["message"]["text"] == "Hello Ann, happy to help!"
            messages, has_more = await demo.chat_messages(chat.id)
            assert [m.client_msg_id for m in messages].count(cid) == 1
            assert messages[0].text == "I want to buy a VPS" and has_more is False
            mine = await demo.list_chats(state=ChatState.ACTIVE, mine=True)
            assert chat.id in [c.id for c in mine.items]
            renamed = await demo.update_chat(chat.id, name="VPS order", summary="wants a VPS")
            assert (renamed.name, renamed.summary) == ("VPS order", "wants a VPS")
            await demo.set_typing(chat.id, True)
            closed = await demo.close_chat(chat.id)
            assert closed.state == ChatState.CLOSED
            assert {d.name for d in await demo.departments()} >= {"Sales"}
    finally:
        await demo.close()
        await sam.close()


async def test_event_stream_sees_a_new_chat(server, visitor_factory):
    backend = HttpBackend(server.url)
    await backend.login("demo", "demo")
    items = backend.items()
    try:
        await backend.start_events()
        changed = await next_item(items, ConnectionChanged,
                                  where=lambda c: c.state == ConnectionState.CONNECTED)
        assert changed.state == ConnectionState.CONNECTED
        first = await next_item(items, Resynced)
        assert first.full is True and first.last_seq == backend.last_seq
        start_seq = backend.last_seq
        async with visitor_factory(server) as visitor:
            vchat = await visitor.start("Is anyone there?")
            event = await next_item(items, ServerEvent,
                                    where=lambda e: e.type == EventType.CHAT_CREATED)
        assert isinstance(event.data, Chat) and event.data.id == vchat["id"]
        assert event.seq > start_seq and backend.last_seq >= event.seq
    finally:
        await backend.close()


async def _open_chats(server, n: int, visitor_factory) -> list[int]:
    ids = []
    for i in range(n):
        async with visitor_factory(server) as visitor:
            ids.append((await visitor.start(f"chat number {i}", name=f"V{i}"))["id"])
    return ids


async def _collect_created(items, wanted: set[int], seen: list[ServerEvent],
                           states: list[ConnectionState] | None = None,
                           timeout: float = TIMEOUT) -> None:
    """Read the stream until a chat.created for every wanted chat arrived; keep every event
    (and the connection states passed on the way)."""
    got: set[int] = {e.data.id for e in seen if e.type == EventType.CHAT_CREATED}
    async with asyncio.timeout(timeout):
        while not wanted <= got:
            item = await anext(items)
            if isinstance(item, ConnectionChanged) and states is not None:
                states.append(item.state)
            if isinstance(item, ServerEvent):
                seen.append(item)
                if item.type == EventType.CHAT_CREATED:
                    got.add(item.data.id)


def _assert_exactly_once_in_order(events: list[ServerEvent]) -> None:
    seqs = [e.seq for e in events]
    assert seqs == sorted(set(seqs)), f"duplicate or out-of-order seqs: {seqs}"


async def test_resume_after_stop_delivers_missed_events_exactly_once(server, visitor_factory):
    backend = HttpBackend(server.url)
    await backend.login("demo", "demo")
    items = backend.items()
    seen: list[ServerEvent] = []
    try:
        await backend.start_events()
        await backend.wait_connected(TIMEOUT)
        before = await _open_chats(server, 2, visitor_factory)
        await _collect_created(items, set(before), seen)
        await backend.stop_events()
        paused_at = backend.last_seq
        missed = await _open_chats(server, 3, visitor_factory)      # while we are away
        await backend.start_events()
        resynced = await next_item(items, Resynced)
        assert resynced == Resynced(last_seq=paused_at, full=False)
        await _collect_created(items, set(missed), seen)
        _assert_exactly_once_in_order(seen)
        created = [e.data.id for e in seen if e.type == EventType.CHAT_CREATED]
        assert sorted(created) == sorted(before + missed)
    finally:
        await backend.close()


async def test_dropped_socket_mid_stream_resumes_without_loss(server, visitor_factory):
    backend = HttpBackend(server.url)
    await backend.login("demo", "demo")
    items = backend.items()
    seen: list[ServerEvent] = []
    states: list[ConnectionState] = []
    try:
        await backend.start_events()
        await backend.wait_connected(TIMEOUT)
        ids: list[int] = []
        for round_ in range(3):
            ids += await _open_chats(server, 2, visitor_factory)
            if round_ < 2:
                # cut the socket while the new chats' events may still be in flight; the next
                # chats are opened while the client is reconnecting
                await backend.reconnect_now(drop_current=True)
        await _collect_created(items, set(ids), seen, states)
        while states.count(ConnectionState.CONNECTED) < 3:   # the last reconnect may lag
            states.append((await next_item(items, ConnectionChanged)).state)
        assert states == [ConnectionState.CONNECTING, ConnectionState.CONNECTED] * 3
        _assert_exactly_once_in_order(seen)
        created = [e.data.id for e in seen if e.type == EventType.CHAT_CREATED]
        assert sorted(created) == sorted(ids)
        assert backend.last_seq >= seen[-1].seq
    finally:
        await backend.close()


async def test_server_killed_and_restarted_events_arrive_exactly_once(tmp_path, visitor_factory):
    srv = ServerProcess(tmp_path / "srv", demo=True, demo_clients=20, port=free_port())
    srv.start()
    backend = HttpBackend(srv.url, backoff=Backoff(base=0.1, cap=1.0))
    items = backend.items()
    events: list[ServerEvent] = []
    last_seqs: list[int] = []
    try:
        await backend.login("demo", "demo")
        await backend.start_events()
        await backend.wait_connected(TIMEOUT)
        before = await _open_chats(srv, 2, visitor_factory)
        await _collect_created(items, set(before), events)
        for cycle in range(2):
            srv.kill()                                    # SIGKILL: no goodbye on the socket
            lost = await next_item(items, ConnectionChanged)
            assert lost.state == ConnectionState.CONNECTING and lost.reason
            last_seqs.append(backend.last_seq)
            await asyncio.to_thread(srv.start)            # same port, same database
            meanwhile = await _open_chats(srv, 2, visitor_factory)
            back = await next_item(items, ConnectionChanged,
                                   where=lambda c: c.state == ConnectionState.CONNECTED)
            assert back.state == ConnectionState.CONNECTED
            resynced = await next_item(items, Resynced)
            assert resynced.full is False                  # resumed, not reset
            last_seqs.append(backend.last_seq)
            await _collect_created(items, set(meanwhile), events)
            last_seqs.append(backend.last_seq)
        _assert_exactly_once_in_order(events)
        assert last_seqs == sorted(last_seqs)             # last_seq never went backwards
        created = [e.data.id for e in events if e.type == EventType.CHAT_CREATED]
        assert len(created) == len(set(created)) == 6
    finally:
        await backend.close()
        srv.stop()


async def test_app_level_heartbeat_keeps_an_idle_stream_up(shared_server):
    """The real server answers pings: with a 1 s dead timer an idle stream must stay connected."""
    backend = HttpBackend(shared_server.url, ping_interval=0.2, dead_after=1.0)
    await backend.login("tom", "demo")
    items = backend.items()
    try:
        await backend.start_events()
        await next_item(items, ConnectionChanged,
                        where=lambda c: c.state == ConnectionState.CONNECTED)
        with pytest.raises(TimeoutError):
            await next_item(items, ConnectionChanged, timeout=3.0)
        assert backend.connection_state == ConnectionState.CONNECTED
    finally:
        await backend.close()

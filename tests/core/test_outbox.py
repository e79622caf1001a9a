"""The client outbox (supportdesk_qt/core/outbox.py) against the REAL reference server.

Write before send, de-duplication on resend, retry after the server comes back, permanent
failures with the server's sentence, order per chat, and the file surviving a restart.
No sleeps: every wait is for a coroutine or a stream item.
"""

from __future__ import annotations

import asyncio
import sqlite3

import httpx
import pytest

from supportdesk_qt.backend.base import NetworkError, NotFound
from supportdesk_qt.backend.http import HttpBackend
from supportdesk_qt.core.ids import new_client_msg_id
from supportdesk_qt.core.outbox import CHAT_MESSAGE, Outbox, OutboxState
from tests.core.conftest import TIMEOUT, Visitor, free_port
from tests.support.server import ServerProcess


@pytest.fixture
def fixed_server(tmp_path):
    """A demo server on a fixed port, so it can be stopped and started again at the same URL."""
    srv = ServerProcess(tmp_path / "server", demo=True, demo_clients=5, port=free_port())
    srv.start()
    yield srv
    srv.stop()


async def taken_chat(server, backend) -> int:
    async with Visitor(server) as visitor:
        chat = await visitor.start()
    await backend.take_chat(chat["id"])
    return chat["id"]


def server_messages(server, chat_id: int) -> list[dict]:
    token = server.login("demo")
    r = httpx.get(server.api(f"/chats/{chat_id}/messages"), params={"limit": 500},
                  headers={"Authorization": f"Bearer {token}"})
    r.raise_for_status()
    return r.json()["items"]


def agent_texts(server, chat_id: int) -> list[str]:
    return [m["text"] for m in server_messages(server, chat_id) if m["author_kind"] == "agent"]


@pytest.fixture
async def backend(fixed_server):
    b = HttpBackend(fixed_server.url, timeout=5.0)
    await b.login("demo", "demo")
    yield b
    await b.close()


def rows(path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT kind, target_id, client_msg_id, text, state, attempts, "
                          "last_error FROM outbox ORDER BY seq").fetchall()


async def test_path_is_per_server_and_agent(tmp_path):
    a = Outbox.path_for("http://h:1", "demo", tmp_path)
    assert a.parent == tmp_path and a.name.startswith("outbox-") and a.suffix == ".sqlite3"
    assert a == Outbox.path_for("http://h:1/", "demo", tmp_path)
    assert a != Outbox.path_for("http://h:1", "other", tmp_path)
    assert a != Outbox.path_for("http://h:2", "demo", tmp_path)


async def test_written_before_send_even_if_the_send_raises(fixed_server, backend, tmp_path):
    chat_id = await taken_chat(fixed_server, backend)
    calls: list[tuple] = []

    async def exploding(b, entry):
        calls.append(tuple(rows(tmp_path / "o.sqlite3")))     # what is on disk at send time
        raise NetworkError("The server cannot be reached.")

    outbox = Outbox(tmp_path / "o.sqlite3", backend, backoff_base=60)
    outbox.SENDERS = {CHAT_MESSAGE: exploding}
    attempted = asyncio.Event()
    outbox.subscribe(lambda entry, result: entry.attempts and attempted.set())
    try:
        entry = await outbox.add(chat_id, "Hello from the outbox")
        async with asyncio.timeout(TIMEOUT):
            await attempted.wait()
        assert calls[0][0][2:5] == (entry.client_msg_id, "Hello from the outbox", "pending")
        after = await outbox.get(entry.client_msg_id)
        assert after.state == OutboxState.PENDING and after.last_error == "The server cannot be reached."
    finally:
        await outbox.close()
    assert rows(tmp_path / "o.sqlite3")[0][4] == "pending"
    assert agent_texts(fixed_server, chat_id) == []


async def test_resend_after_a_crash_is_stored_once(fixed_server, backend, tmp_path):
    chat_id = await taken_chat(fixed_server, backend)
    cid = new_client_msg_id()
    # the first attempt reached the server, but the client died before marking it sent
    await backend.send_message(chat_id, "Sent once", cid)
    outbox = Outbox(tmp_path / "o.sqlite3", backend)
    try:
        await outbox.add(chat_id, "Sent once", client_msg_id=cid, deliver=False)
        await outbox.flush()
        assert (await outbox.get(cid)).state == OutboxState.SENT
    finally:
        await outbox.close()
    assert agent_texts(fixed_server, chat_id) == ["Sent once"]


async def test_retried_after_the_server_comes_back(fixed_server, backend, tmp_path):
    chat_id = await taken_chat(fixed_server, backend)
    outbox = Outbox(tmp_path / "o.sqlite3", backend, backoff_base=0.05, backoff_cap=0.5)
    seen: list[tuple[str, int, str]] = []
    failed_once = asyncio.Event()

    def listener(entry, result):
        seen.append((entry.state, entry.attempts, entry.last_error))
        if entry.attempts >= 1:
            failed_once.set()

    outbox.subscribe(listener)
    try:
        fixed_server.stop()
        entry = await outbox.add(chat_id, "Sent while the server was down")
        async with asyncio.timeout(TIMEOUT):
            await failed_once.wait()
        now = await outbox.get(entry.client_msg_id)
        assert now.state == OutboxState.PENDING and now.attempts >= 1 and now.last_error
        await asyncio.to_thread(fixed_server.start)
        async with asyncio.timeout(TIMEOUT):
            await outbox.flush()
        assert (await outbox.get(entry.client_msg_id)).state == OutboxState.SENT
        assert seen[-1][0] == OutboxState.SENT
    finally:
        await outbox.close()
    assert agent_texts(fixed_server, chat_id) == ["Sent while the server was down"]


async def test_permanent_failure_keeps_the_sentence_and_can_be_retried_or_discarded(
        fixed_server, backend, tmp_path):
    outbox = Outbox(tmp_path / "o.sqlite3", backend)
    try:
        entry = await outbox.add(999_999, "To a chat that does not exist")
        await outbox.flush()
        failed = await outbox.get(entry.client_msg_id)
        assert failed.state == OutboxState.FAILED
        with pytest.raises(NotFound) as info:
            await backend.send_message(999_999, "x", new_client_msg_id())
        assert failed.last_error == info.value.message and failed.last_error.endswith(".")
        assert [e.client_msg_id for e in await outbox.entries(999_999)] == [entry.client_msg_id]
        assert await outbox.retry(entry.client_msg_id)
        await outbox.flush()
        assert (await outbox.get(entry.client_msg_id)).state == OutboxState.FAILED
        assert await outbox.discard(entry.client_msg_id)
        assert await outbox.get(entry.client_msg_id) is None
    finally:
        await outbox.close()


async def test_order_per_chat_is_kept(fixed_server, backend, tmp_path):
    first = await taken_chat(fixed_server, backend)
    second = await taken_chat(fixed_server, backend)
    outbox = Outbox(tmp_path / "o.sqlite3", backend)
    try:
        fixed_server.stop()
        for i in range(6):
            await outbox.add(first if i % 2 == 0 else second, f"m{i}", deliver=False)
        await asyncio.to_thread(fixed_server.start)
        await outbox.flush()
        assert await outbox.entries() == []
    finally:
        await outbox.close()
    assert agent_texts(fixed_server, first) == ["m0", "m2", "m4"]
    assert agent_texts(fixed_server, second) == ["m1", "m3", "m5"]


async def test_pending_messages_survive_a_new_outbox(fixed_server, backend, tmp_path):
    chat_id = await taken_chat(fixed_server, backend)
    path = tmp_path / "o.sqlite3"
    old = Outbox(path, backend)
    written = [await old.add(chat_id, f"kept {i}", deliver=False) for i in range(3)]
    await old.close()
    new = Outbox(path, backend)
    try:
        kept = await new.entries(chat_id)
        assert [e.client_msg_id for e in kept] == [e.client_msg_id for e in written]
        assert [e.text for e in kept] == ["kept 0", "kept 1", "kept 2"]
        await new.flush()
        assert await new.entries(chat_id) == []
    finally:
        await new.close()
    assert agent_texts(fixed_server, chat_id) == ["kept 0", "kept 1", "kept 2"]


async def test_closed_outbox_keeps_pending_rows_and_flush_is_quiet(tmp_path):
    path = tmp_path / "o.sqlite3"
    outbox = Outbox(path)
    entry = await outbox.add(1, "kept", deliver=False)
    outbox.close_nowait()
    await outbox.flush()                       # no error after sign-out: the next session sends
    again = Outbox(path)
    try:
        assert [e.client_msg_id for e in await again.entries(1)] == [entry.client_msg_id]
    finally:
        await again.close()

"""Issue 6: "Kill the client with pending outbox messages; restart; all delivered once".

A child process (tests/support/outbox_child.py) signs in, writes N messages to its outbox while
the server is down and is SIGKILLed; the server comes back; a new Outbox on the same file
flushes: the server has every message exactly once, in order. No sleeps: the child says when it
is ready on its stdout.
"""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import sys
from pathlib import Path

import httpx

from supportdesk_qt.backend.http import HttpBackend
from supportdesk_qt.core.outbox import Outbox, OutboxState
from tests.core.conftest import TIMEOUT, Visitor

N = 25
ROOT = Path(__file__).resolve().parents[2]


async def read_line(proc: asyncio.subprocess.Process, expected: str) -> None:
    async with asyncio.timeout(60):
        line = (await proc.stdout.readline()).decode().strip()
    assert line == expected, f"child said {line!r}, stderr: {(await proc.stderr.read()).decode()}"


async def test_killed_client_pending_messages_are_delivered_once_in_order(server, tmp_path):
    async with Visitor(server) as visitor:
        chat = await visitor.start()
    path = tmp_path / "data" / "outbox-test.sqlite3"
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.support.outbox_child", server.url, str(path),
        str(chat["id"]), str(N), cwd=ROOT, stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        await read_line(proc, "signed-in")
        await asyncio.to_thread(server.stop)
        proc.stdin.write(b"go\n")
        await proc.stdin.drain()
        await read_line(proc, "written")
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGKILL)
        await proc.wait()
    assert proc.returncode == -signal.SIGKILL

    with sqlite3.connect(path) as db:
        left = db.execute("SELECT text, state FROM outbox ORDER BY seq").fetchall()
    assert left == [(f"offline message {i}", "pending") for i in range(N)]

    await asyncio.to_thread(server.start)                   # same port, same database
    backend = HttpBackend(server.url)
    await backend.login("demo", "demo")
    outbox = Outbox(path, backend)
    try:
        async with asyncio.timeout(TIMEOUT * 3):
            await outbox.flush()
        assert await outbox.entries() == []
        sent = await outbox.entries(states=(OutboxState.SENT,))
        assert len(sent) == N
    finally:
        await outbox.close()
        await backend.close()

    token = server.login("demo")
    r = httpx.get(server.api(f"/chats/{chat['id']}/messages"), params={"limit": 500},
                  headers={"Authorization": f"Bearer {token}"})
    r.raise_for_status()
    agent = [m for m in r.json()["items"] if m["author_kind"] == "agent"]
    assert [m["text"] for m in agent] == [f"offline message {i}" for i in range(N)]
    assert len({m["client_msg_id"] for m in agent}) == N
    assert [m["client_msg_id"] for m in agent] == [e.client_msg_id for e in sent]

"""Issue 6: "Kill the client with pending outbox messages; restart; all delivered once".

``tests/core/test_outbox_crash.py`` kills a client whose messages were written while the server
was down. This one kills it while it is DELIVERING: the server is up, the child adds messages as
fast as it can and the outbox sends them, and the test SIGKILLs it after a random number of
confirmations, so a request is in flight (sent and maybe stored, answer not yet recorded). The
next generation starts on the same outbox file and carries on. Finally the server holds every
row the outbox file ever committed exactly once, in the order they were written.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sqlite3
import sys
from pathlib import Path

import httpx
import pytest

from tests.fault.conversation import (
    FaultVisitor,
    assert_exactly_once_in_order,
    stored_messages,
)

ROOT = Path(__file__).resolve().parents[2]
LINE_TIMEOUT = 30.0


async def _child(server, path: Path, chat_id: int, generation: int, n: int):
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.fault.outbox_child", server.url, str(path), str(chat_id),
        str(generation), str(n), cwd=ROOT, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)


async def _lines(proc):
    while True:
        async with asyncio.timeout(LINE_TIMEOUT):
            line = (await proc.stdout.readline()).decode()
        if not line:
            err = (await proc.stderr.read()).decode()
            raise AssertionError(f"the child ended early (rc {proc.returncode}): {err[-2000:]}")
        yield line.strip()


async def _kill_mid_delivery(server, tmp_path, rng, generations: int) -> None:
    visitor = FaultVisitor(server.url, rng, pace=(0.1, 0.2))
    chat_id = await visitor.start()
    await visitor.close()
    token = server.login("demo")
    httpx.post(server.api(f"/chats/{chat_id}/take"),
               headers={"Authorization": f"Bearer {token}"}).raise_for_status()
    path = tmp_path / "outbox.sqlite3"
    added: list[str] = []
    for gen in range(generations):
        proc = await _child(server, path, chat_id, gen, 30)
        kill_after = rng.randint(1, 12)       # confirmations to wait for: the fault's input
        confirmations = 0
        try:
            async for line in _lines(proc):
                kind, _, text = line.partition(" ")
                if kind == "added":
                    added.append(text)
                elif kind == "sent":
                    confirmations += 1
                    if confirmations >= kill_after:
                        break
                elif kind == "flushed":
                    break
        finally:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGKILL)
            await proc.wait()
        assert proc.returncode == -signal.SIGKILL
    # the last one: no new messages, only what the killed ones left behind
    proc = await _child(server, path, chat_id, generations, 0)
    try:
        async for line in _lines(proc):
            if line == "flushed":
                break
    finally:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGKILL)
        await proc.wait()

    with contextlib.closing(sqlite3.connect(path)) as db:
        rows = db.execute("SELECT text, state FROM outbox ORDER BY seq").fetchall()
    written = [t for t, _ in rows]
    assert all(state == "sent" for _, state in rows), [r for r in rows if r[1] != "sent"][:5]
    assert set(added) <= set(written), "a row the child reported as written is missing"
    stored = [m["text"] for m in stored_messages(server, chat_id, token)
              if m["author_kind"] == "agent"]
    print(f"{generations} kills, {len(written)} messages written, {len(stored)} stored")
    assert_exactly_once_in_order(written, stored, "stored messages")


async def test_client_killed_while_delivering_delivers_everything_once(fault_server, tmp_path,
                                                                      rng):
    await _kill_mid_delivery(fault_server, tmp_path, rng, generations=6)


@pytest.mark.long
@pytest.mark.timeout(900)
async def test_client_killed_while_delivering_30_times(fault_server, tmp_path, rng):
    await _kill_mid_delivery(fault_server, tmp_path, rng, generations=30)

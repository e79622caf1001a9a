"""Issue 6: "Kill the server with SIGKILL in the middle of a two-way conversation, restart it,
repeat: every message sent by either side arrives exactly once, in order."

The agent is the desk's core (HttpBackend + Outbox), the visitor speaks the widget protocol; both
send all the time. Each cycle waits until both sides have had messages confirmed since the last
restart, then SIGKILLs the server in the middle of the traffic and starts it again on the same
port and SQLite file. 20 cycles in the normal suite, 100 with ``-m long``.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.fault.conversation import (
    FaultAgent,
    FaultVisitor,
    assert_exactly_once_in_order,
    stored_messages,
    wait_for,
)

SETTLE = 60.0   # seconds for everything to arrive after the last restart


async def _conversation_survives_kills(server, tmp_path, rng, cycles: int) -> None:
    visitor = FaultVisitor(server.url, rng, pace=(0.1, 0.35))
    chat_id = await visitor.start()
    agent = FaultAgent(server.url, tmp_path / "outbox.sqlite3", rng, pace=(0.05, 0.25))
    try:
        await agent.start(chat_id)
        visitor.start_sending()
        agent.start_sending()
        for cycle in range(cycles):
            v0, a0 = len(visitor.sent), len(agent.delivered)
            await wait_for(lambda: len(visitor.sent) >= v0 + 2 and len(agent.delivered) >= a0 + 2,
                           45, f"traffic on both sides before kill {cycle + 1}")
            await asyncio.to_thread(server.kill)            # SIGKILL mid-conversation
            await asyncio.to_thread(server.start)           # same port, same database
        visitor.stop_sending()
        agent.stop_sending()
        await wait_for(lambda: visitor.idle and not agent._sending, SETTLE,
                       "the senders to finish")
        await agent.outbox.flush()                           # wakes a worker in its backoff
        await wait_for(lambda: agent.idle, SETTLE, "every agent message to be confirmed")
        await wait_for(lambda: len(agent.received) >= len(visitor.sent)
                       and len(visitor.received) >= len(agent.added), SETTLE,
                       "every message to reach the other side")
        print(f"{cycles} kills: visitor sent {len(visitor.sent)}, agent sent "
              f"{len(agent.added)}, visitor reconnected {visitor.connects} times and saw "
              f"{visitor.repeats} repeated frames")
        assert_exactly_once_in_order(agent.added, agent.delivered, "agent's confirmations")
        assert_exactly_once_in_order(agent.added, visitor.received, "agent -> visitor")
        assert_exactly_once_in_order(visitor.sent, agent.received, "visitor -> agent")

        # and the server stored each exactly once, in order
        token = server.login("demo")
        texts = [m["text"] for m in stored_messages(server, chat_id, token)]
        assert_exactly_once_in_order(agent.added, [t for t in texts if t.startswith("agent ")],
                                     "stored agent messages")
        assert_exactly_once_in_order(visitor.sent, [t for t in texts if t.startswith("visitor ")],
                                     "stored visitor messages")
    finally:
        await visitor.close()
        await agent.close()


@pytest.mark.timeout(300)   # 20 server start-ups: about a minute alone, more on a busy machine
async def test_conversation_survives_20_server_kills(fault_server, tmp_path, rng):
    await _conversation_survives_kills(fault_server, tmp_path, rng, cycles=20)


@pytest.mark.long
@pytest.mark.timeout(1800)
async def test_conversation_survives_100_server_kills(fault_server, tmp_path, rng):
    await _conversation_survives_kills(fault_server, tmp_path, rng, cycles=100)

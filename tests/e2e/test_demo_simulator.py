"""The visitor simulator against a live server: it opens chats through the public visitor protocol
only, answers an agent, leaves by itself, and shuts down cleanly when cancelled."""

from __future__ import annotations

import asyncio

from supportdesk_server.demo.simulator import VisitorSimulator
from tests.support.agent_events import AgentEvents, agent_client


def _assert_clean_log(server) -> None:
    text = server.log_path.read_text(errors="replace")
    for marker in ("Traceback", "Exception in ASGI application", "500 Internal Server Error"):
        assert marker not in text, f"server log has {marker!r}:\n{text[-6000:]}"


async def test_simulator_opens_chats_and_talks_to_an_agent(server):
    http, token = await agent_client(server)
    # Fast visitors: many arrivals, every delay scaled down (patience 3–18 s instead of 1–6 min).
    sim = VisitorSimulator(server.url, rate_per_minute=240, seed=3, max_concurrent=4,
                           time_scale=0.05)
    task = asyncio.create_task(sim.run())
    try:
        async with AgentEvents(server, token) as events:
            chat = await events.wait("chat.created", timeout=30)
            assert chat["state"] == "waiting"
            assert chat["visitor"]["page_url"].startswith("https://www.example-hosting.test/")
            assert chat["visitor"]["user_agent"].startswith("Mozilla/5.0")
            assert chat["visitor"]["language"]
            assert chat["last_message_preview"]

            # Take it and say something: the simulated visitor answers.
            r = await http.post(f"/chats/{chat['id']}/take")
            assert r.status_code == 200, r.text
            r = await http.post(f"/chats/{chat['id']}/messages",
                                json={"client_msg_id": "a-1", "text": "Hello! How can I help?"})
            assert r.status_code == 201, r.text
            answer = await events.wait("chat.message", lambda d: d["chat"]["id"] == chat["id"]
                                       and d["message"]["author_kind"] == "visitor"
                                       and d["message"]["seq"] > 1, timeout=30)
            assert answer["message"]["text"]

            # Other visitors leave by themselves: some chat gets closed without any agent.
            await events.wait("chat.updated", lambda c: c["state"] == "closed"
                              and c["assignee_id"] is None, timeout=60)
        assert sim.stats.started >= 2
        assert sim.stats.active <= 4
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await http.aclose()
    assert task.cancelled()
    assert sim.stats.active == 0
    assert sim.stats.errors == 0, sim.stats.last_error
    _assert_clean_log(server)


async def test_simulator_survives_an_unreachable_server():
    sim = VisitorSimulator("http://127.0.0.1:9", rate_per_minute=600, seed=1, time_scale=0.01)
    task = asyncio.create_task(sim.run())
    try:
        await sim.wait_for(lambda stats: stats.errors >= 3, timeout=20)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert task.cancelled()
    assert sim.stats.started == 0

"""What protocol.md says about forwarding (issue 11, gaps): a forward needs another agent who is
*online* in the target department, and an open event stream does not make one online; who may
take the chat while the forward is pending and after it returned."""

from __future__ import annotations

import asyncio

import pytest

from tests.server.conftest import assert_no_server_errors
from tests.server.helpers import (
    SALES,
    TECH,
    Agent,
    agent_ws,
    assert_error,
    is_event,
    recv_until,
    start_basic_server,
    start_chat,
    visitor,
)


@pytest.fixture
def slow_return_server(tmp_path):
    """Forwards return only after 300 s: "pending" stays pending for the whole test."""
    srv = start_basic_server(tmp_path / "server", extra_args=["--forward-return-seconds", "300"])
    yield srv
    srv.stop()
    assert_no_server_errors(srv)


async def _forwarded_chat(srv, alice: Agent) -> tuple[object, int]:
    v = await visitor(srv)
    chat_id = await start_chat(v, SALES, "forward me")
    assert (await asyncio.to_thread(alice.post, f"/chats/{chat_id}/take")).status_code == 200
    r = await asyncio.to_thread(alice.post, f"/chats/{chat_id}/forward",
                                {"department_id": TECH, "comment": "for Tech"})
    assert r.status_code == 200, r.text
    return v, chat_id


def test_an_event_stream_does_not_make_an_agent_online_and_a_pending_forward(
        slow_return_server):
    srv = slow_return_server
    alice, bob, carol = Agent(srv, "alice"), Agent(srv, "bob"), Agent(srv, "carol")

    async def scenario() -> None:
        v = await visitor(srv)
        chat_id = await start_chat(v, SALES, "forward me")
        assert (await asyncio.to_thread(alice.post, f"/chats/{chat_id}/take")).status_code == 200
        # Carol (Tech) listens to her event stream but never set herself online
        carol_ws, ready = await agent_ws(srv, carol.token)
        assert ready["agent"]["status"] == "offline"
        r = await asyncio.to_thread(alice.post, f"/chats/{chat_id}/forward",
                                    {"department_id": TECH})
        assert "online" in assert_error(r, 409, "conflict")["message"]
        await carol_ws.close()
        await v.ws.close()
        await asyncio.to_thread(carol.online)
        v, chat_id = await _forwarded_chat(srv, alice)
        # pending: the original department and the forwarding agent see it but may not take it
        for who in (alice, bob):
            assert (await asyncio.to_thread(who.get, f"/chats/{chat_id}")).status_code == 200
            assert_error(await asyncio.to_thread(who.post, f"/chats/{chat_id}/take"),
                         403, "forbidden")
        r = await asyncio.to_thread(carol.post, f"/chats/{chat_id}/take")
        assert r.status_code == 200 and r.json()["forward_deadline"] is None
        assert r.json()["forwarded"] and r.json()["forwarded_from_department_id"] == SALES
        await v.ws.close()

    try:
        asyncio.run(scenario())
    finally:
        for a in (alice, bob, carol):
            a.close()


def test_after_a_forward_returned_the_target_department_gets_404(fresh_server):
    srv = fresh_server     # forwards return after 1 s
    alice, bob, carol = Agent(srv, "alice"), Agent(srv, "bob"), Agent(srv, "carol")

    async def scenario() -> None:
        await asyncio.to_thread(carol.online)
        carol_ws, _ = await agent_ws(srv, carol.token)
        v, chat_id = await _forwarded_chat(srv, alice)
        ret, _ = await recv_until(carol_ws, is_event("chat.forward_returned", id=chat_id),
                                  timeout=15)
        chat = ret["data"]["chat"]
        assert chat["department_id"] == SALES and chat["forwarded"] is False
        assert chat["forwarded_from_department_id"] is None and chat["forward_comment"] == ""
        # Tech no longer sees it at all; Sales can take it again
        assert_error(await asyncio.to_thread(carol.post, f"/chats/{chat_id}/take"),
                     404, "not_found")
        assert_error(await asyncio.to_thread(carol.get, f"/chats/{chat_id}"), 404, "not_found")
        r = await asyncio.to_thread(bob.post, f"/chats/{chat_id}/take")
        assert r.status_code == 200 and r.json()["assignee_id"] == bob.id
        await carol_ws.close()
        await v.ws.close()

    try:
        asyncio.run(scenario())
    finally:
        for a in (alice, bob, carol):
            a.close()


def test_resume_after_beyond_last_seq_is_a_reset_with_reason_gap(agents, basic_server):
    async def scenario() -> None:
        token = agents("alice").token
        ws, ready = await agent_ws(basic_server, token)
        last = ready["last_seq"]
        await ws.close()
        ws, same = await agent_ws(basic_server, token, resume_after=last)
        assert same["op"] == "ready" and same["resumed"] is True   # equal: a normal resume
        await ws.close()
        ws, reset = await agent_ws(basic_server, token, resume_after=last + 1000)
        assert reset["op"] == "reset" and reset["reason"] == "gap"
        assert reset["last_seq"] >= last
        await ws.close()

    asyncio.run(scenario())

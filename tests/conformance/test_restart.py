"""A server restart: the same agent token and visitor token keep working, and the stream resumes
from where the client was (docs/protocol.md: reconnect and resume; tokens are stored)."""

from __future__ import annotations

import pytest

from tests.conformance.wire import Visitor, agent_socket, closed_with, event, http, recv_until


async def test_restart_keeps_tokens_and_resume_works(target, cast):
    if target.restart is None:
        pytest.skip("restarting needs the local reference server (no restart hook for "
                    "SUPPORTDESK_CONFORMANCE_URL)")
    ws, ready = await agent_socket(target, cast.b.token)
    v = await Visitor.open(target)
    chat_id, _ = await v.start(cast.shared, "before the restart", client_msg_id="rs-1")
    seen, _ = await recv_until(ws, event("chat.message", chat_id))

    await v.close()
    target.restart()                      # same port, same database
    code, _ = await closed_with(ws)
    assert code is not None               # the socket ends (1012 or 1000), it does not hang

    async with http(target, cast.b.token) as client:
        r = await client.get("/me")
        assert r.status_code == 200, r.text
        assert r.json()["id"] == cast.b.id
    ws, again = await agent_socket(target, cast.b.token, resume_after=seen["seq"])
    try:
        assert again["op"] == "ready" and again["resumed"] is True, again
        v2 = await Visitor.open(target, token=v.token)        # the same visitor comes back
        assert v2.visitor_id == v.visitor_id
        assert v2.welcome["chat"] and v2.welcome["chat"]["id"] == chat_id, v2.welcome
        ack = await v2.say("after the restart", "rs-2")
        live, before = await recv_until(ws, event("chat.message", chat_id))
        assert live["data"]["message"]["seq"] == ack["message"]["seq"]
        assert all(f["seq"] > seen["seq"] for f in before + [live] if f["op"] == "event")
        await v2.close()
    finally:
        await ws.close()

"""The agent event stream: ready, live events in seq order, ping, resume with no loss and no
duplicate, reset (docs/protocol.md "Agent event stream")."""

from __future__ import annotations

import asyncio
import json

from tests.conformance.wire import (
    Visitor,
    agent_socket,
    event,
    http,
    recv,
    recv_until,
    still_open,
)


def _seqs(frames):
    return [f["seq"] for f in frames if f["op"] == "event"]


async def test_ready_then_the_new_chat_live_in_seq_order(target, cast):
    ws, ready = await agent_socket(target, cast.a.token)
    try:
        assert ready["op"] == "ready" and ready["resumed"] is False, ready
        assert ready["agent"]["id"] == cast.a.id
        v = await Visitor.open(target)
        chat_id, _ = await v.start(cast.shared, "Is the stream live?")
        created, before = await recv_until(ws, event("chat.created", chat_id))
        message, between = await recv_until(ws, event("chat.message", chat_id))
        assert created["data"]["id"] == chat_id and created["data"]["state"] == "waiting"
        assert message["data"]["message"]["text"] == "Is the stream live?"
        seqs = _seqs(before + [created] + between + [message])
        assert all(s > ready["last_seq"] for s in seqs)
        assert seqs == sorted(set(seqs)), seqs     # strictly increasing
        await ws.send(json.dumps({"op": "ping", "nonce": "n-1"}))
        await recv_until(ws, lambda f: f == {"op": "pong", "nonce": "n-1"})
        await v.close()
    finally:
        await ws.close()


async def test_resume_replays_what_was_missed_then_live_without_gap_or_duplicate(target, cast):
    """One socket stays connected all along (the reference); another disconnects, misses three
    messages, and resumes while more are being sent. It gets every event of the chat the
    reference got after its resume point, each once, in order."""
    reference, ready = await agent_socket(target, cast.a.token)
    v = await Visitor.open(target)
    try:
        chat_id, _ = await v.start(cast.shared, "m0", client_msg_id="r-0")
        first, _ = await recv_until(reference, event("chat.message", chat_id))
        resume_after = first["seq"]
        for i in (1, 2, 3):                      # while the second socket is away
            await v.say(f"m{i}", f"r-{i}")

        async def more() -> None:                # while it replays
            for i in range(4, 10):
                await v.say(f"m{i}", f"r-{i}")

        sender = asyncio.create_task(more())
        resumed, hello = await agent_socket(target, cast.a.token, resume_after=resume_after)
        try:
            assert hello["op"] == "ready" and hello["resumed"] is True, hello
            await sender
            last, got = await recv_until(
                resumed, lambda f: event("chat.message", chat_id)(f)
                and f["data"]["message"]["text"] == "m9")
            got.append(last)
            want_last, want = await recv_until(
                reference, lambda f: event("chat.message", chat_id)(f)
                and f["data"]["message"]["text"] == "m9")
            want.append(want_last)
            ours = [(f["seq"], f["type"]) for f in got if f["op"] == "event"
                    and event(f["type"], chat_id)(f)]
            theirs = [(f["seq"], f["type"]) for f in want if f["op"] == "event"
                      and event(f["type"], chat_id)(f)]
            assert ours == theirs
            seqs = _seqs(got)
            assert seqs == sorted(set(seqs)) and seqs[0] > resume_after, seqs
            texts = [f["data"]["message"]["text"] for f in got
                     if event("chat.message", chat_id)(f)]
            assert texts == [f"m{i}" for i in range(1, 10)]
        finally:
            await resumed.close()
    finally:
        await v.close()
        await reference.close()


async def test_resume_after_beyond_the_log_answers_reset_then_live(target, cast):
    ws, ready = await agent_socket(target, cast.a.token)
    await ws.close()
    ws, first = await agent_socket(target, cast.a.token, resume_after=ready["last_seq"] + 10**6)
    try:
        assert first["op"] == "reset" and first["reason"] == "gap", first
        assert first["agent"]["id"] == cast.a.id
        assert first["last_seq"] >= ready["last_seq"]
        v = await Visitor.open(target)
        chat_id, _ = await v.start(cast.shared, "after the reset")
        live, _ = await recv_until(ws, event("chat.created", chat_id))
        assert live["seq"] > first["last_seq"]
        await v.close()
    finally:
        await ws.close()


async def test_resume_from_the_current_end_replays_nothing(target, cast):
    ws, ready = await agent_socket(target, cast.a.token)
    await ws.close()
    ws, again = await agent_socket(target, cast.a.token, resume_after=ready["last_seq"])
    try:
        assert again["op"] == "ready" and again["resumed"] is True, again
        frames = []
        await ws.send(json.dumps({"op": "ping", "nonce": "end"}))
        while (frame := await recv(ws))["op"] != "pong":
            frames.append(frame)
        # only events newer than the resume point (other tests' may arrive), never older ones
        assert all(f["seq"] > ready["last_seq"] for f in frames if f["op"] == "event"), frames
        await still_open(ws)
    finally:
        await ws.close()


async def test_a_status_change_reaches_every_agent(target, cast):
    ws, _ = await agent_socket(target, cast.a.token)      # A is not in C's department
    try:
        async with http(target, cast.c.token) as c:
            r = await c.put("/me/status", json={"status": "online"})
            assert r.status_code == 200 and r.json()["status"] == "online", r.text
            status, _ = await recv_until(ws, lambda f: event("agent.status")(f)
                                         and f["data"]["id"] == cast.c.id)
            assert status["data"]["status"] == "online"
            dept, _ = await recv_until(ws, lambda f: event("department.online")(f)
                                       and f["data"]["id"] == cast.other)
            assert dept["data"]["online_count"] >= 1
            r = await c.put("/me/status", json={"status": "offline"})
            assert r.status_code == 200, r.text
            status, _ = await recv_until(ws, lambda f: event("agent.status")(f)
                                         and f["data"]["id"] == cast.c.id)
            assert status["data"]["status"] == "offline"
    finally:
        await ws.close()

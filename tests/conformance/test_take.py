"""Taking is race-safe: of two agents taking the same waiting chat at once, exactly one gets 200,
the other 409 already_taken."""

from __future__ import annotations

import asyncio

from tests.conformance.wire import Visitor, assert_error, http


async def test_two_agents_take_at_once_exactly_one_wins(target, cast):
    visitors = [await Visitor.open(target) for _ in range(6)]
    chat_ids = [(await w.start(cast.shared, f"race {i}"))[0] for i, w in enumerate(visitors)]
    async with http(target, cast.a.token) as a, http(target, cast.b.token) as b:
        for chat_id in chat_ids:
            ra, rb = await asyncio.gather(a.post(f"/chats/{chat_id}/take"),
                                          b.post(f"/chats/{chat_id}/take"))
            assert sorted((ra.status_code, rb.status_code)) == [200, 409], (ra.text, rb.text)
            winner, loser = (ra, rb) if ra.status_code == 200 else (rb, ra)
            assert_error(loser, 409, "already_taken")
            who = cast.a.id if winner is ra else cast.b.id
            assert winner.json()["assignee_id"] == who
            assert winner.json()["state"] == "active"
            now = (await a.get(f"/chats/{chat_id}")).json()
            assert now["assignee_id"] == who
    for w in visitors:
        await w.close()

"""Forwarding a chat to another department and its return when nobody there takes it in time
(docs/protocol.md "Chats" and the event types ``chat.forwarded`` / ``chat.forward_returned``)."""

from __future__ import annotations

import pytest

from tests.conformance.wire import Visitor, agent_socket, assert_error, event, http, recv_until

MAX_WAIT_FOR_RETURN = 30.0


async def _status(target, who, status: str) -> None:
    async with http(target, who.token) as client:
        r = await client.put("/me/status", json={"status": status})
        assert r.status_code == 200 and r.json()["status"] == status, r.text


async def _chat_of_a(target, cast, v, text: str, c_status: str) -> int:
    """C set online or offline, then a new chat from ``v`` in the shared department, taken by A."""
    await _status(target, cast.c, c_status)
    chat_id, _ = await v.start(cast.shared, text)
    async with http(target, cast.a.token) as a:
        assert (await a.post(f"/chats/{chat_id}/take")).status_code == 200
    return chat_id


async def test_forward_then_return_when_nobody_takes_it(target, cast):
    if target.forward_return_seconds > MAX_WAIT_FOR_RETURN:
        pytest.skip(f"the server's forward return time ({target.forward_return_seconds}s) is "
                    "longer than this suite waits; set SUPPORTDESK_CONFORMANCE_FORWARD_RETURN_"
                    "SECONDS to a short value the server is configured with")
    a_ws, _ = await agent_socket(target, cast.a.token)
    c_ws, _ = await agent_socket(target, cast.c.token)
    v = await Visitor.open(target)
    try:
        # forwarding needs someone online there
        chat_id = await _chat_of_a(target, cast, v, "Please pass me on", "online")
        async with http(target, cast.a.token) as a, http(target, cast.b.token) as b, \
                http(target, cast.c.token) as c:
            r = await a.post(f"/chats/{chat_id}/forward",
                             json={"department_id": cast.other, "comment": "over to you"})
            assert r.status_code == 200, r.text
            chat = r.json()
            assert (chat["state"], chat["department_id"]) == ("waiting", cast.other), chat
            assert chat["forwarded"] is True and chat["assignee_id"] is None

            # pending (first, while the return timer runs): the original department follows
            # it but cannot take it
            assert_error(await b.post(f"/chats/{chat_id}/take"), 403, "forbidden")
            assert (await b.get(f"/chats/{chat_id}")).status_code == 200
            assert (await a.get(f"/chats/{chat_id}")).status_code == 200
            waiting_c = (await c.get("/chats", params={"state": "waiting"})).json()["items"]
            assert chat_id in [x["id"] for x in waiting_c]
            waiting_b = (await b.get("/chats", params={"state": "waiting"})).json()["items"]
            assert chat_id not in [x["id"] for x in waiting_b]
            fwd, _ = await recv_until(c_ws, event("chat.forwarded", chat_id))
            assert (fwd["data"]["from_department_id"], fwd["data"]["to_department_id"],
                    fwd["data"]["by_agent_id"], fwd["data"]["comment"]) == (
                cast.shared, cast.other, cast.a.id, "over to you")

            back, _ = await recv_until(a_ws, event("chat.forward_returned", chat_id),
                                       timeout=target.forward_return_seconds + 10)
            assert (back["data"]["from_department_id"], back["data"]["to_department_id"]) == (
                cast.shared, cast.other)
            assert back["data"]["chat"]["department_id"] == cast.shared
            assert back["data"]["chat"]["state"] == "waiting"
            await recv_until(c_ws, event("chat.forward_returned", chat_id))
            # returned: the target department no longer sees it; the original takes it
            assert_error(await c.get(f"/chats/{chat_id}"), 404, "not_found")
            assert_error(await c.post(f"/chats/{chat_id}/take"), 404, "not_found")
            r = await b.post(f"/chats/{chat_id}/take")
            assert r.status_code == 200 and r.json()["assignee_id"] == cast.b.id, r.text
    finally:
        await _status(target, cast.c, "offline")
        await v.close()
        await a_ws.close()
        await c_ws.close()


async def test_the_target_department_takes_a_pending_forward(target, cast):
    v = await Visitor.open(target)
    try:
        chat_id = await _chat_of_a(target, cast, v, "Forward and take", "online")
        async with http(target, cast.a.token) as a, http(target, cast.c.token) as c:
            r = await a.post(f"/chats/{chat_id}/forward",
                             json={"department_id": cast.other, "comment": ""})
            assert r.status_code == 200, r.text
            r = await c.post(f"/chats/{chat_id}/take")
            assert r.status_code == 200, r.text
            assert (r.json()["assignee_id"], r.json()["department_id"]) == (cast.c.id, cast.other)
            frame, _ = await recv_until(v.ws, lambda f: f["op"] == "chat"
                                        and f["chat"]["state"] == "active"
                                        and f["chat"].get("department_id") == cast.other)
            r = await c.post(f"/chats/{chat_id}/messages",
                             json={"client_msg_id": "c-1", "text": "I have it now"})
            assert r.status_code == 201, r.text
            assert_error(await a.post(f"/chats/{chat_id}/messages",
                                      json={"client_msg_id": "a-9", "text": "me too"}),
                         403, "forbidden")
    finally:
        await _status(target, cast.c, "offline")
        await v.close()


async def test_forward_refusals(target, cast):
    v = await Visitor.open(target)
    try:
        chat_id = await _chat_of_a(target, cast, v, "Nobody is there", "offline")
        async with http(target, cast.a.token) as a:
            assert_error(await a.post(f"/chats/{chat_id}/forward",
                                      json={"department_id": cast.shared, "comment": ""}),
                         409, "conflict")
            assert_error(await a.post(f"/chats/{chat_id}/forward",
                                      json={"department_id": 987654, "comment": ""}),
                         404, "not_found")
            depts = (await a.get("/departments")).json()["items"]
            other = next(d for d in depts if d["id"] == cast.other)
            if other["online_count"]:
                pytest.skip("someone else is online in the other department")
            assert_error(await a.post(f"/chats/{chat_id}/forward",
                                      json={"department_id": cast.other, "comment": ""}),
                         409, "conflict")
    finally:
        await v.close()

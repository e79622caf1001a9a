"""The visitor socket as docs/protocol.md "Visitor side" describes it: the session, the replay
after ``after_seq``, one open chat per visitor, and the rate limit's error frames naming the
message they refuse."""

from __future__ import annotations

import json


from tests.conformance.wire import SYNC, Visitor, assert_error, http, recv, recv_until


async def test_an_unknown_visitor_token_gets_a_new_visitor(target):
    first = SYNC.post(target.api("/visitor/session"), json={}).json()
    same = SYNC.post(target.api("/visitor/session"),
                     json={"visitor_token": first["visitor_token"]}).json()
    assert same == first
    r = SYNC.post(target.api("/visitor/session"),
                  json={"visitor_token": "never-issued-by-this-server"})
    assert r.status_code == 200, r.text
    fresh = r.json()
    assert fresh["visitor_id"] != first["visitor_id"]
    assert fresh["visitor_token"] != "never-issued-by-this-server"


async def test_hello_after_seq_replays_the_chats_later_messages(target, cast):
    v = await Visitor.open(target)
    chat_id, ack = await v.start(cast.shared, "one", client_msg_id="h-1")
    assert ack["message"]["seq"] == 1
    for i, text in enumerate(("two", "three", "four"), start=2):
        assert (await v.say(text, f"h-{i}"))["message"]["seq"] == i
    await v.close()
    again = await Visitor.open(target, token=v.token, after_seq=2)
    try:
        assert again.welcome["chat"]["id"] == chat_id
        replay = [await recv(again.ws) for _ in range(2)]
        assert [(f["op"], f["message"]["seq"], f["message"]["text"]) for f in replay] == [
            ("message", 3, "three"), ("message", 4, "four")]
        await again.ws.send(json.dumps({"op": "ping", "nonce": "end"}))
        assert await recv(again.ws) == {"op": "pong", "nonce": "end"}   # nothing else replayed
    finally:
        await again.close()


async def test_a_second_start_is_refused_and_names_the_open_chat(target, cast):
    v = await Visitor.open(target)
    try:
        chat_id, first = await v.start(cast.shared, "first start", client_msg_id="st-1")
        await v.ws.send(json.dumps({"op": "start", "department_id": cast.other, "name": "Ann",
                                    "text": "second start", "client_msg_id": "st-2"}))
        err, _ = await recv_until(v.ws, lambda f: f["op"] in ("error", "ack"))
        assert err["op"] == "error" and err["code"] == "chat_already_open", err
        assert err["client_msg_id"] == "st-2"
        assert err["details"] == {"chat_id": chat_id, "department_id": cast.shared}, err
        # the resend of the start that opened the chat is acknowledged again
        await v.ws.send(json.dumps({"op": "start", "department_id": cast.shared, "name": "Ann",
                                    "text": "first start", "client_msg_id": "st-1"}))
        ack, _ = await recv_until(v.ws, lambda f: f["op"] in ("error", "ack"))
        assert ack["op"] == "ack" and ack["message"] == first["message"], ack
        async with http(target, cast.a.token) as a:
            chat = (await a.get(f"/chats/{chat_id}")).json()
            assert chat["department_id"] == cast.shared
            items = (await a.get(f"/chats/{chat_id}/messages")).json()["items"]
        assert [m["text"] for m in items] == ["first start"]
    finally:
        await v.close()


async def test_rate_limited_error_frames_say_which_message(target, cast):
    v = await Visitor.open(target)
    try:
        await v.start(cast.shared, "burst", client_msg_id="b-0")
        ids = [f"b-{i}" for i in range(1, 36)]
        for cmid in ids:
            await v.ws.send(json.dumps({"op": "message", "client_msg_id": cmid, "text": cmid}))
        acked, refused = [], []
        for _ in ids:                     # one answer per message
            frame, _ = await recv_until(v.ws, lambda f: f["op"] in ("ack", "error"))
            if frame["op"] == "ack":
                acked.append(frame["client_msg_id"])
            else:
                assert frame["code"] == "rate_limited", frame
                assert isinstance(frame["details"]["retry_after"], int), frame
                assert frame["details"]["retry_after"] >= 1
                refused.append(frame.get("client_msg_id"))
        assert sorted(acked + refused, key=str) == sorted(ids), (acked, refused)
        assert refused, "35 messages in a burst must hit the limit of 30 per 10 seconds"
    finally:
        await v.close()


async def test_the_visitor_closes_the_chat(target, cast):
    v = await Visitor.open(target)
    try:
        chat_id, _ = await v.start(cast.shared, "bye soon")
        await v.ws.send(json.dumps({"op": "close"}))
        frame, _ = await recv_until(v.ws, lambda f: f["op"] == "chat"
                                    and f["chat"]["state"] == "closed")
        assert frame["chat"]["id"] == chat_id
        await v.ws.send(json.dumps({"op": "message", "client_msg_id": "late", "text": "x"}))
        err, _ = await recv_until(v.ws, lambda f: f["op"] == "error")
        assert err["code"] == "conflict", err
        async with http(target, cast.a.token) as a:
            r = await a.post(f"/chats/{chat_id}/take")
            assert_error(r, 409, "conflict")
    finally:
        await v.close()

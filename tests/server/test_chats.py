"""Chats over REST: visibility, list/paging, take race, messages and de-duplication, release,
close, rename, forward (and its return), going offline."""

from __future__ import annotations

import asyncio
import threading

import httpx

from tests.server.helpers import (
    SALES,
    TECH,
    Agent,
    agent_ws,
    assert_error,
    is_event,
    new_chat,
    recv_until,
    start_chat,
    visitor,
)


def test_visibility_other_department_is_404(agents, basic_server):
    chat_id = new_chat(basic_server, SALES, "only for sales")
    carol = agents("carol")                       # Tech only
    assert_error(carol.get(f"/chats/{chat_id}"), 404, "not_found")
    assert_error(carol.get(f"/chats/{chat_id}/messages"), 404, "not_found")
    assert_error(carol.post(f"/chats/{chat_id}/take"), 404, "not_found")
    assert_error(carol.post(f"/chats/{chat_id}/messages", {"client_msg_id": "c", "text": "hi"}),
                 404, "not_found")
    assert_error(carol.patch(f"/chats/{chat_id}", {"name": "x"}), 404, "not_found")
    assert_error(carol.post(f"/chats/{chat_id}/close"), 404, "not_found")
    ids = [c["id"] for c in carol.get("/chats", params={"limit": 500}).json()["items"]]
    assert chat_id not in ids
    # sales agents and the admin see it
    assert agents("alice").get(f"/chats/{chat_id}").status_code == 200
    assert agents("admin").get(f"/chats/{chat_id}").status_code == 200
    chat = agents("alice").get(f"/chats/{chat_id}").json()
    assert chat["state"] == "waiting" and chat["department_id"] == SALES
    assert chat["visitor_name"] == "Ann" and chat["message_count"] == 1
    assert chat["last_message_preview"] == "only for sales"
    assert chat["visitor"]["user_agent"] == "TestBrowser/1.0"
    assert chat["visitor"]["ip"] == "127.0.0.1"
    assert chat["visitor"]["language"] == "en-GB"
    assert chat["created_at"].endswith("Z")


def test_list_pagination_and_filters(agents, basic_server):
    made = [new_chat(basic_server, TECH, f"paging {i}") for i in range(7)]
    carol = agents("carol")
    seen = []
    offset = 0
    while True:
        page = carol.get("/chats", params={"state": "waiting", "offset": offset, "limit": 3}).json()
        assert page["limit"] == 3 and page["offset"] == offset
        seen += [c["id"] for c in page["items"]]
        offset += 3
        if offset >= page["total"]:
            break
    assert set(made) <= set(seen) and len(seen) == len(set(seen)) == page["total"]
    # newest activity first
    newest_first = [c for c in seen if c in made]
    assert newest_first == sorted(made, reverse=True)
    assert carol.get("/chats", params={"offset": 10_000}).json()["items"] == []
    # mine
    r = carol.post(f"/chats/{made[0]}/take")
    assert r.status_code == 200
    mine = carol.get("/chats", params={"mine": "true"}).json()
    assert [c["id"] for c in mine["items"]] == [made[0]]
    waiting = [c["id"] for c in carol.get("/chats", params={"state": "waiting", "limit": 500}
                                          ).json()["items"]]
    assert made[0] not in waiting
    active = carol.get("/chats", params={"state": "active", "mine": "false"}).json()
    assert made[0] not in [c["id"] for c in active["items"]]


def test_take_race_exactly_one_winner(agents, basic_server):
    for round_ in range(5):
        chat_id = new_chat(basic_server, SALES, f"race {round_}")
        alice, bob = agents("alice"), agents("bob")
        barrier = threading.Barrier(2)
        results: dict[str, httpx.Response] = {}

        def take(agent: Agent) -> None:
            barrier.wait()
            results[agent.login] = agent.post(f"/chats/{chat_id}/take")

        threads = [threading.Thread(target=take, args=(a,)) for a in (alice, bob)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        codes = sorted(r.status_code for r in results.values())
        assert codes == [200, 409], {k: (v.status_code, v.text) for k, v in results.items()}
        loser = next(r for r in results.values() if r.status_code == 409)
        assert loser.json()["code"] == "already_taken"
        winner = next(login for login, r in results.items() if r.status_code == 200)
        chat = agents(winner).get(f"/chats/{chat_id}").json()
        assert chat["state"] == "active" and chat["assignee_id"] == agents(winner).id


def test_messages_dedupe_and_paging(agents, basic_server):
    chat_id = new_chat(basic_server, SALES, "first from visitor")
    alice = agents("alice")
    assert_error(alice.post(f"/chats/{chat_id}/messages", {"client_msg_id": "m-0", "text": "x"}),
                 409, "conflict")                 # must take first
    assert alice.post(f"/chats/{chat_id}/take").status_code == 200
    assert alice.post(f"/chats/{chat_id}/take").status_code == 200   # idempotent for the holder
    assert_error(agents("bob").post(f"/chats/{chat_id}/take"), 409, "already_taken")
    assert_error(agents("bob").post(f"/chats/{chat_id}/messages",
                                    {"client_msg_id": "b", "text": "x"}), 403, "forbidden")
    first = alice.post(f"/chats/{chat_id}/messages", {"client_msg_id": "m-1", "text": "Hi!"})
    assert first.status_code == 201, first.text
    again = alice.post(f"/chats/{chat_id}/messages", {"client_msg_id": "m-1", "text": "Hi!"})
    assert again.status_code == 200 and again.json() == first.json()
    for i in range(2, 12):
        assert alice.post(f"/chats/{chat_id}/messages",
                          {"client_msg_id": f"m-{i}", "text": f"n{i}"}).status_code == 201
    chat = alice.get(f"/chats/{chat_id}").json()
    assert chat["message_count"] == 12 and chat["last_message_preview"] == "n11"
    newest = alice.get(f"/chats/{chat_id}/messages", params={"limit": 5}).json()
    assert [m["seq"] for m in newest["items"]] == [8, 9, 10, 11, 12] and newest["has_more"]
    older = alice.get(f"/chats/{chat_id}/messages", params={"limit": 5, "before_seq": 8}).json()
    assert [m["seq"] for m in older["items"]] == [3, 4, 5, 6, 7] and older["has_more"]
    oldest = alice.get(f"/chats/{chat_id}/messages", params={"limit": 5, "before_seq": 3}).json()
    assert [m["seq"] for m in oldest["items"]] == [1, 2] and not oldest["has_more"]
    assert oldest["items"][0]["author_kind"] == "visitor"
    assert oldest["items"][1]["author_kind"] == "agent"
    assert oldest["items"][1]["author_id"] == alice.id
    assert oldest["items"][1]["author_name"] == "Alice"


def test_release_patch_close(agents, basic_server):
    chat_id = new_chat(basic_server, SALES)
    alice, bob = agents("alice"), agents("bob")
    assert_error(alice.post(f"/chats/{chat_id}/release"), 409, "conflict")
    alice.post(f"/chats/{chat_id}/take")
    assert_error(bob.post(f"/chats/{chat_id}/release"), 403, "forbidden")
    r = alice.post(f"/chats/{chat_id}/release")
    assert r.status_code == 200 and r.json()["state"] == "waiting"
    assert r.json()["assignee_id"] is None
    r = bob.patch(f"/chats/{chat_id}", {"name": "Domain transfer", "summary": "wants .com"})
    assert r.status_code == 200
    assert r.json()["name"] == "Domain transfer" and r.json()["summary"] == "wants .com"
    v = r.json()["version"]
    r = bob.patch(f"/chats/{chat_id}", {"name": "Domain transfer"})
    assert r.json()["version"] == v                       # nothing changed, no new version
    assert_error(bob.patch(f"/chats/{chat_id}", {"name": "n" * 201}), 422, "validation_error")
    bob.post(f"/chats/{chat_id}/take")
    assert_error(alice.post(f"/chats/{chat_id}/close"), 403, "forbidden")
    r = bob.post(f"/chats/{chat_id}/close", {"reason": "solved"})
    assert r.status_code == 200 and r.json()["state"] == "closed" and r.json()["closed_at"]
    assert_error(bob.post(f"/chats/{chat_id}/close"), 409, "conflict")
    assert_error(bob.post(f"/chats/{chat_id}/messages", {"client_msg_id": "z", "text": "x"}),
                 409, "conflict")
    assert_error(bob.post(f"/chats/{chat_id}/take"), 409, "conflict")
    closed = bob.get("/chats", params={"state": "closed", "limit": 500}).json()
    assert chat_id in [c["id"] for c in closed["items"]]


def test_typing_reaches_visitor(agents, basic_server):
    alice = agents("alice")

    async def scenario() -> None:
        v = await visitor(basic_server)
        chat_id = await start_chat(v, SALES, "typing test")
        assert_error(await asyncio.to_thread(alice.post, f"/chats/{chat_id}/typing",
                                             {"typing": True}), 409, "conflict")
        await asyncio.to_thread(alice.post, f"/chats/{chat_id}/take")
        frame, _ = await recv_until(v.ws, lambda f: f["op"] == "chat")
        assert frame["chat"]["state"] == "active" and frame["chat"]["agent_name"] == "Alice"
        r = await asyncio.to_thread(alice.post, f"/chats/{chat_id}/typing", {"typing": True})
        assert r.status_code == 204
        frame, _ = await recv_until(v.ws, lambda f: f["op"] == "typing")
        assert frame == {"op": "typing", "typing": True, "author_name": "Alice"}
        r = await asyncio.to_thread(alice.post, f"/chats/{chat_id}/messages",
                                    {"client_msg_id": "a-1", "text": "How can I help?"})
        frame, _ = await recv_until(v.ws, lambda f: f["op"] == "message")
        assert frame["message"]["text"] == "How can I help?"
        assert frame["message"]["author_kind"] == "agent" and frame["message"]["seq"] == 2
        await asyncio.to_thread(alice.post, f"/chats/{chat_id}/close")
        frame, _ = await recv_until(v.ws, lambda f: f["op"] == "chat")
        assert frame["chat"]["state"] == "closed"
        await v.ws.close()

    asyncio.run(scenario())


def test_forward_needs_online_agents_and_returns(fresh_server):
    srv = fresh_server
    alice, carol, bob = Agent(srv, "alice"), Agent(srv, "carol"), Agent(srv, "bob")

    async def scenario() -> None:
        v = await visitor(srv)
        chat_id = await start_chat(v, SALES, "please forward me")
        await asyncio.to_thread(alice.post, f"/chats/{chat_id}/take")
        r = await asyncio.to_thread(alice.post, f"/chats/{chat_id}/forward",
                                    {"department_id": TECH, "comment": "server issue"})
        body = assert_error(r, 409, "conflict")
        assert "online" in body["message"]
        assert_error(await asyncio.to_thread(alice.post, f"/chats/{chat_id}/forward",
                                             {"department_id": 99}), 404, "not_found")
        assert_error(await asyncio.to_thread(bob.post, f"/chats/{chat_id}/forward",
                                             {"department_id": TECH}), 403, "forbidden")
        await asyncio.to_thread(carol.online)
        ws, ready = await agent_ws(srv, carol.token)
        ws_alice, _ = await agent_ws(srv, alice.token)
        r = await asyncio.to_thread(alice.post, f"/chats/{chat_id}/forward",
                                    {"department_id": TECH, "comment": "server issue"})
        assert r.status_code == 200, r.text
        chat = r.json()
        assert chat["state"] == "waiting" and chat["department_id"] == TECH
        assert chat["forwarded"] and chat["forwarded_from_department_id"] == SALES
        assert chat["forwarded_by_agent_id"] == alice.id and chat["forward_comment"] == "server issue"
        assert chat["forward_deadline"]
        fwd, _ = await recv_until(ws, is_event("chat.forwarded", id=chat_id))
        assert fwd["data"]["from_department_id"] == SALES and fwd["data"]["to_department_id"] == TECH
        # Carol (Tech) now sees it in her list of chats; visitor is told
        waiting = await asyncio.to_thread(carol.get, "/chats", params={"state": "waiting"})
        assert chat_id in [c["id"] for c in waiting.json()["items"]]
        frame, _ = await recv_until(v.ws, lambda f: f["op"] == "chat" and f["chat"]["forwarded"])
        assert frame["chat"]["department_name"] == "Tech"
        # nobody takes it: after 1 s it returns to Sales (the forwarding agent is told too)
        ret, _ = await recv_until(ws_alice, is_event("chat.forward_returned", id=chat_id),
                                  timeout=15)
        assert ret["data"]["chat"]["department_id"] == SALES
        assert ret["data"]["chat"]["state"] == "waiting"
        assert ret["data"]["by_agent_id"] == alice.id
        await recv_until(ws, is_event("chat.forward_returned", id=chat_id))
        now = (await asyncio.to_thread(alice.get, f"/chats/{chat_id}")).json()
        assert now["department_id"] == SALES and now["forward_deadline"] is None
        # forward again, and this time Carol takes it in time: it does not come back
        await asyncio.to_thread(alice.post, f"/chats/{chat_id}/forward", {"department_id": TECH})
        r = await asyncio.to_thread(carol.post, f"/chats/{chat_id}/take")
        assert r.status_code == 200 and r.json()["forward_deadline"] is None
        await ws.close()
        await ws_alice.close()
        await v.ws.close()

    asyncio.run(scenario())


def test_forward_deadline_survives_restart(fresh_server):
    srv = fresh_server
    alice, carol = Agent(srv, "alice"), Agent(srv, "carol")
    chat_id = new_chat(srv, SALES)
    carol.online()
    alice.post(f"/chats/{chat_id}/take")
    assert alice.post(f"/chats/{chat_id}/forward", {"department_id": TECH}).status_code == 200
    srv.stop()
    srv.start()                       # the deadline passes while the server is down

    async def wait_returned() -> None:
        token = srv.login("alice", "pw")
        ws, ready = await agent_ws(srv, token, resume_after=0)
        frame, _ = await recv_until(ws, is_event("chat.forward_returned", id=chat_id), timeout=15)
        assert frame["data"]["chat"]["department_id"] == SALES
        await ws.close()

    asyncio.run(wait_returned())


def test_going_offline_returns_active_chats(fresh_server):
    srv = fresh_server
    alice = Agent(srv, "alice")
    alice.online()
    c1, c2 = new_chat(srv, SALES), new_chat(srv, SALES)
    alice.post(f"/chats/{c1}/take")
    alice.post(f"/chats/{c2}/take")

    async def scenario() -> None:
        bob = Agent(srv, "bob")
        ws, _ = await agent_ws(srv, bob.token)
        r = await asyncio.to_thread(alice.put, "/me/status", {"status": "offline"})
        assert r.status_code == 200 and r.json()["status"] == "offline"
        got = set()
        while got != {c1, c2}:
            frame, _ = await recv_until(ws, lambda f: f.get("type") == "chat.updated"
                                        and f["data"]["state"] == "waiting")
            got.add(frame["data"]["id"])
        await recv_until(ws, is_event("agent.status", login="alice"))
        dep, _ = await recv_until(ws, is_event("department.online", id=SALES))
        assert dep["data"]["online_count"] == 0
        await ws.close()
        bob.close()

    asyncio.run(scenario())
    for c in (c1, c2):
        chat = alice.get(f"/chats/{c}").json()
        assert chat["state"] == "waiting" and chat["assignee_id"] is None

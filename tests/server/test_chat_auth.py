"""Chat authorization (issue 4, seed item 8 and the "not authorized" icons): the agent asks the
visitor to log in or register, the visitor logs in / registers over the visitor socket, the chat
becomes the client's (live for the desk); and the history of the client's chats (item 7)."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from supportdesk_server.auth import hash_password
from supportdesk_server.store import models as M
from supportdesk_server.store.db import create_engine, make_sessionmaker
from tests.server.conftest import assert_no_server_errors
from tests.server.helpers import (
    SALES,
    TECH,
    Agent,
    agent_ws,
    assert_error,
    is_event,
    recv_until,
    seed_basic,
    start_chat,
    visitor,
)
from tests.support.server import ServerProcess

CLIENT_PASSWORD = "client-pw-1"


async def seed_clients(database_url: str) -> None:
    """Acme (Sales) with logins ``acme`` and a disabled ``acme.off``; Techno (Tech) with
    ``techno``; a service, a payment and a ticket for Acme (the client-area page shows them)."""
    engine = create_engine(database_url)
    try:
        sm = make_sessionmaker(engine)
        pw = hash_password(CLIENT_PASSWORD)
        async with sm() as session:
            acme = M.Client(name="Acme <b>Ltd</b>", email="ops@acme.example", phone="+1 555",
                            project_name="acme.example", department_id=SALES,
                            balance=Decimal("12.50"))
            techno = M.Client(name="Techno GmbH", email="it@techno.example",
                              project_name="techno.example", department_id=TECH)
            session.add_all([acme, techno])
            await session.flush()
            session.add_all([
                M.ClientUser(client_id=acme.id, login="acme", email="ops@acme.example",
                             full_name="Ann Acme", password_hash=pw),
                M.ClientUser(client_id=acme.id, login="acme.off", email="old@acme.example",
                             full_name="Old Acme", password_hash=pw, enabled=False),
                M.ClientUser(client_id=techno.id, login="techno", email="it@techno.example",
                             full_name="Tom Techno", password_hash=pw),
                M.Service(client_id=acme.id, name="Hosting Pro", type="hosting",
                          domain="acme.example", price=Decimal("14.99")),
                M.Payment(client_id=acme.id, number="PAY-<script>1", amount=Decimal("29.98"),
                          status="paid"),
                M.Ticket(client_id=acme.id, subject="SSL renewal", department_id=SALES),
            ])
            await session.commit()
    finally:
        await engine.dispose()


def start_auth_server(workdir) -> ServerProcess:  # noqa: ANN001
    srv = ServerProcess(workdir, demo=False)

    async def seed() -> None:
        await seed_basic(srv.database_url)
        await seed_clients(srv.database_url)

    asyncio.run(seed())
    return srv.start()


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory):
    srv = start_auth_server(tmp_path_factory.mktemp("auth-server"))
    yield srv
    srv.stop()
    assert_no_server_errors(srv)


@pytest.fixture
def agent(auth_server):
    made: dict[str, Agent] = {}

    def get(login: str) -> Agent:
        if login not in made:
            made[login] = Agent(auth_server, login)
        return made[login]

    yield get
    for a in made.values():
        a.close()


async def taken_chat(srv, agent: Agent, department: int = SALES, text: str = "Hi", token=None):
    v = await visitor(srv, token)
    chat_id = await start_chat(v, department, text)
    r = await asyncio.to_thread(agent.post, f"/chats/{chat_id}/take")
    assert r.status_code == 200, r.text
    await recv_until(v.ws, lambda f: f["op"] == "chat" and f["chat"]["state"] == "active")
    return v, chat_id


async def send_frame(v, frame: dict) -> dict:
    return (await send_frame_seen(v, frame))[0]


async def send_frame_seen(v, frame: dict) -> tuple[dict, list[dict]]:
    """The answer to ``frame`` and the frames that came before it (the ``chat`` push of a
    successful login is sent when the change is committed, before the answer)."""
    await v.ws.send(json.dumps(frame))
    return await recv_until(v.ws, lambda f: f["op"] in ("auth_result", "error"))


def test_login_authorizes_chat_live(auth_server, agent):
    alice = agent("alice")

    async def scenario() -> None:
        ws, _ = await agent_ws(auth_server, alice.token)
        v, chat_id = await taken_chat(auth_server, alice)
        r = await asyncio.to_thread(alice.post, f"/chats/{chat_id}/auth-request",
                                    {"kind": "login"})
        assert r.status_code == 200, r.text
        prompt, before = await recv_until(v.ws, lambda f: f["op"] == "auth_prompt")
        assert prompt["kind"] == "login" and prompt["agent_name"] == "Alice"
        # the system line in the conversation comes with it
        assert any(f["op"] == "message" and f["message"]["author_kind"] == "system"
                   and "log in" in f["message"]["text"] for f in before), before

        bad = await send_frame(v, {"op": "login", "login": "acme", "password": "wrong"})
        assert bad["ok"] is False and bad["code"] == "unauthorized"
        assert bad["message"] == "Wrong login or password."
        unknown = await send_frame(v, {"op": "login", "login": "nobody", "password": "x"})
        assert unknown["code"] == "unauthorized" and unknown["message"] == bad["message"]
        off = await send_frame(v, {"op": "login", "login": "acme.off",
                                    "password": CLIENT_PASSWORD})
        assert off["ok"] is False and off["code"] == "forbidden"
        empty = await send_frame(v, {"op": "login", "login": " ", "password": ""})
        assert empty["code"] == "validation_error"
        assert {e["field"] for e in empty["errors"]} == {"login", "password"}

        ok, before = await send_frame_seen(v, {"op": "login", "login": "ACME",
                                               "password": CLIENT_PASSWORD})
        assert ok["ok"] is True and ok["client_name"] == "Acme <b>Ltd</b>", ok
        chat_frames = [f for f in before if f["op"] == "chat"]
        assert chat_frames[-1]["chat"]["authorized_client_name"] == "Acme <b>Ltd</b>"
        assert any(f["op"] == "message" and "Logged in to the client area as Acme" in
                   f["message"]["text"] for f in before)

        updated, _ = await recv_until(ws, is_event("chat.authorized", id=chat_id))
        data = updated["data"]
        assert data["login"] == "acme" and data["registered"] is False
        assert data["chat"]["client_name"] == "Acme <b>Ltd</b>"
        assert data["chat"]["project_name"] == "acme.example"
        r = await asyncio.to_thread(alice.get, f"/chats/{chat_id}")
        assert r.json()["client_id"] == data["client_id"]

        # already authorized: asking again or logging in again is refused with a reason
        r = await asyncio.to_thread(alice.post, f"/chats/{chat_id}/auth-request",
                                    {"kind": "authorize"})
        assert_error(r, 409, "conflict")
        again = await send_frame(v, {"op": "login", "login": "techno",
                                     "password": CLIENT_PASSWORD})
        assert again["code"] == "conflict"

        # the visitor's next chat is the client's from the start (Visitor.client_id)
        r = await asyncio.to_thread(alice.post, f"/chats/{chat_id}/close")
        assert r.status_code == 200
        v2 = await visitor(auth_server, v.token)
        chat2 = await start_chat(v2, SALES, "me again", client_msg_id="v-2")
        r = await asyncio.to_thread(alice.get, f"/chats/{chat2}")
        assert r.json()["client_name"] == "Acme <b>Ltd</b>"
        for w in (ws, v.ws, v2.ws):
            await w.close()

    asyncio.run(scenario())


def test_auth_request_permissions_and_validation(auth_server, agent):
    alice, bob = agent("alice"), agent("bob")

    async def scenario() -> None:
        v = await visitor(auth_server)
        chat_id = await start_chat(v, SALES)
        # waiting chat: take it first
        assert_error(await asyncio.to_thread(alice.post, f"/chats/{chat_id}/auth-request",
                                             {"kind": "login"}), 409, "conflict")
        assert (await asyncio.to_thread(alice.post, f"/chats/{chat_id}/take")).status_code == 200
        assert_error(await asyncio.to_thread(bob.post, f"/chats/{chat_id}/auth-request",
                                             {"kind": "login"}), 403, "forbidden")
        assert_error(await asyncio.to_thread(agent("carol").post,
                                             f"/chats/{chat_id}/auth-request", {"kind": "login"}),
                     404, "not_found")
        assert_error(await asyncio.to_thread(alice.post, f"/chats/{chat_id}/auth-request",
                                             {"kind": "sing"}), 422, "validation_error")
        await v.ws.close()

    asyncio.run(scenario())


def test_login_rate_limited(auth_server, agent):
    alice = agent("alice")

    async def scenario() -> None:
        v, chat_id = await taken_chat(auth_server, alice)
        codes = []
        for _ in range(6):
            res = await send_frame(v, {"op": "login", "login": "ghost", "password": "nope"})
            codes.append(res["code"])
        assert codes[:5] == ["unauthorized"] * 5
        assert codes[5] == "rate_limited" and res["retry_after"] >= 1
        # an over-long field is refused by the frame limit, the socket stays open
        await v.ws.send(json.dumps({"op": "login", "login": "x" * 5000, "password": "p"}))
        err, _ = await recv_until(v.ws, lambda f: f["op"] == "error")
        assert err["code"] == "validation_error"
        await v.ws.send(json.dumps({"op": "ping", "nonce": "still-open"}))
        await recv_until(v.ws, lambda f: f["op"] == "pong")
        await v.ws.close()

    asyncio.run(scenario())


def test_register_validation_and_success(auth_server, agent):
    alice = agent("alice")

    async def scenario() -> None:
        ws, _ = await agent_ws(auth_server, alice.token)
        v, chat_id = await taken_chat(auth_server, alice)
        r = await asyncio.to_thread(alice.post, f"/chats/{chat_id}/auth-request",
                                    {"kind": "register"})
        assert r.status_code == 200
        prompt, _ = await recv_until(v.ws, lambda f: f["op"] == "auth_prompt")
        assert prompt["kind"] == "register"

        bad = await send_frame(v, {"op": "register", "name": " ", "email": "not-an-email",
                                   "phone": "call me", "login": "a!", "password": "short"})
        assert bad["ok"] is False and bad["code"] == "validation_error"
        fields = {e["field"]: e["message"] for e in bad["errors"]}
        assert set(fields) == {"name", "email", "phone", "login", "password"}, fields
        assert all(m.endswith(".") for m in fields.values())

        nul = await send_frame(v, {"op": "register", "name": "New\x00Co", "email": "a@new.example",
                                   "login": "newco", "password": "long-enough"})
        assert [e["field"] for e in nul["errors"]] == ["name"]
        nul = await send_frame(v, {"op": "login", "login": "acme\x00", "password": "x"})
        assert nul["code"] == "unauthorized"

        taken = await send_frame(v, {"op": "register", "name": "New Co", "email": "a@new.example",
                                     "login": "acme", "password": "long-enough"})
        assert [e["field"] for e in taken["errors"]] == ["login"]

        ok = await send_frame(v, {"op": "register", "name": "New Co", "email": "a@new.example",
                                  "phone": "+49 (30) 123-45", "login": "newco",
                                  "password": "long-enough"})
        assert ok["ok"] is True and ok["client_name"] == "New Co"
        ev, _ = await recv_until(ws, is_event("chat.authorized", id=chat_id))
        assert ev["data"]["registered"] is True and ev["data"]["login"] == "newco"
        client_id = ev["data"]["client_id"]
        # created in the chat's department: alice (Sales) sees it, carol (Tech) does not
        r = await asyncio.to_thread(alice.get, f"/clients/{client_id}")
        assert r.status_code == 200, r.text
        assert r.json()["name"] == "New Co" and r.json()["email"] == "a@new.example"
        assert_error(await asyncio.to_thread(agent("carol").get, f"/clients/{client_id}"),
                     404, "not_found")
        # the new login works from another browser
        await asyncio.to_thread(alice.post, f"/chats/{chat_id}/close")
        v2, chat2 = await taken_chat(auth_server, alice)
        res = await send_frame(v2, {"op": "login", "login": "newco", "password": "long-enough"})
        assert res["ok"] is True and res["client_name"] == "New Co"
        for w in (ws, v.ws, v2.ws):
            await w.close()

    asyncio.run(scenario())


def test_register_needs_open_chat(auth_server):
    async def scenario() -> None:
        v = await visitor(auth_server)
        res = await send_frame(v, {"op": "register", "name": "X", "email": "x@x.example",
                                   "login": "xxx-user", "password": "long-enough"})
        assert res["ok"] is False and res["code"] == "conflict"
        await v.ws.close()

    asyncio.run(scenario())


def test_history_same_browser_and_same_client(auth_server, agent):
    alice, carol = agent("alice"), agent("carol")

    async def scenario() -> None:
        # browser A: an earlier chat, then a second one
        a1, chat_a1 = await taken_chat(auth_server, alice, text="first from A")
        await asyncio.to_thread(alice.post, f"/chats/{chat_a1}/close")
        a2, chat_a2 = await taken_chat(auth_server, alice, token=a1.token, text="second from A")
        # browser B logs in as techno in a Sales chat; browser C logs in as techno too
        b, chat_b = await taken_chat(auth_server, alice, text="B")
        assert (await send_frame(b, {"op": "login", "login": "techno",
                                     "password": CLIENT_PASSWORD}))["ok"]
        c, chat_c = await taken_chat(auth_server, alice, text="C")
        assert (await send_frame(c, {"op": "login", "login": "techno",
                                     "password": CLIENT_PASSWORD}))["ok"]
        # an unrelated visitor
        d, chat_d = await taken_chat(auth_server, alice, text="D")

        r = await asyncio.to_thread(alice.get, f"/chats/{chat_a2}/history")
        assert r.status_code == 200, r.text
        page = r.json()
        assert [c["id"] for c in page["items"]] == [chat_a1] and page["total"] == 1

        r = await asyncio.to_thread(alice.get, f"/chats/{chat_c}/history")
        assert [c["id"] for c in r.json()["items"]] == [chat_b]
        r = await asyncio.to_thread(alice.get, f"/chats/{chat_d}/history")
        assert r.json()["items"] == []
        r = await asyncio.to_thread(alice.get, f"/chats/{chat_c}/history",
                                    params={"limit": 0})
        assert_error(r, 422, "validation_error")
        # carol (Tech) cannot see these Sales chats: 404, no existence leak
        assert_error(await asyncio.to_thread(carol.get, f"/chats/{chat_a2}/history"),
                     404, "not_found")
        for w in (a1.ws, a2.ws, b.ws, c.ws, d.ws):
            await w.close()

    asyncio.run(scenario())


# --- the outstanding ask reaches a visitor who was away (reload, navigation, lost link) ---------


async def reconnect_frames(srv, v) -> tuple[Any, list[dict]]:  # noqa: ANN001
    """Close ``v``'s socket, connect again as the same visitor (full replay), and return the new
    connection with every frame up to the answer to a ping: the replay and any re-sent
    ``auth_prompt`` come before it (the server sends them before it reads frames)."""
    await v.ws.close()
    again = await visitor(srv, v.token)
    await again.ws.send(json.dumps({"op": "ping", "nonce": "after-replay"}))
    _, frames = await recv_until(again.ws, lambda f: f["op"] == "pong")
    return again, frames


def prompts(frames: list[dict]) -> list[dict]:
    return [f for f in frames if f["op"] == "auth_prompt"]


def test_ask_while_away_is_sent_after_the_replay(auth_server, agent):
    alice = agent("alice")

    async def scenario() -> None:
        v, chat_id = await taken_chat(auth_server, alice)
        await v.ws.close()                                    # the page is reloading
        r = await asyncio.to_thread(alice.post, f"/chats/{chat_id}/auth-request",
                                    {"kind": "authorize"})
        assert r.status_code == 200, r.text

        back, frames = await reconnect_frames(auth_server, v)
        assert back.welcome["chat"]["id"] == chat_id
        asked = prompts(frames)
        assert asked == [{"op": "auth_prompt", "kind": "authorize", "agent_name": "Alice",
                          "again": True}], frames
        at = frames.index(asked[0])
        replay = frames[:at]
        assert replay and all(f["op"] == "message" for f in replay), frames
        assert "asked you to confirm who you are" in replay[-1]["message"]["text"]
        assert all(f["op"] != "message" for f in frames[at:])

        # a second reload still asks (nothing answered it); a closed chat does not
        back, frames = await reconnect_frames(auth_server, back)
        assert [p["kind"] for p in prompts(frames)] == ["authorize"]
        r = await asyncio.to_thread(alice.post, f"/chats/{chat_id}/close")
        assert r.status_code == 200, r.text
        back, frames = await reconnect_frames(auth_server, back)
        assert prompts(frames) == [], frames
        await back.ws.close()
    asyncio.run(scenario())


def test_no_prompt_on_reconnect_once_authorized(auth_server, agent):
    alice = agent("alice")

    async def scenario() -> None:
        v, chat_id = await taken_chat(auth_server, alice)
        r = await asyncio.to_thread(alice.post, f"/chats/{chat_id}/auth-request",
                                    {"kind": "login"})
        assert r.status_code == 200, r.text
        prompt, _ = await recv_until(v.ws, lambda f: f["op"] == "auth_prompt")
        assert prompt["again"] is False                       # a new ask, live
        back, frames = await reconnect_frames(auth_server, v)
        assert [p["kind"] for p in prompts(frames)] == ["login"]

        ok = await send_frame(back, {"op": "login", "login": "acme",
                                     "password": CLIENT_PASSWORD})
        assert ok["ok"] is True, ok
        back, frames = await reconnect_frames(auth_server, back)
        assert back.welcome["chat"]["authorized_client_name"] == "Acme <b>Ltd</b>"
        assert prompts(frames) == [], frames
        await back.ws.close()
    asyncio.run(scenario())


def test_dismissed_ask_is_not_repeated_until_the_agent_asks_again(auth_server, agent):
    alice = agent("alice")

    async def scenario() -> None:
        v, chat_id = await taken_chat(auth_server, alice)
        # nothing outstanding: ignored, no error, nothing recorded
        await v.ws.send(json.dumps({"op": "auth_dismissed"}))
        await v.ws.send(json.dumps({"op": "ping", "nonce": "1"}))
        _, before = await recv_until(v.ws, lambda f: f["op"] == "pong")
        assert [f for f in before if f["op"] == "error"] == [], before
        bad = await send_frame(v, {"op": "auth_dismissed", "why": "x"})
        assert bad["op"] == "error" and bad["code"] == "validation_error", bad

        r = await asyncio.to_thread(alice.post, f"/chats/{chat_id}/auth-request",
                                    {"kind": "register"})
        assert r.status_code == 200, r.text
        await recv_until(v.ws, lambda f: f["op"] == "auth_prompt")
        await v.ws.send(json.dumps({"op": "auth_dismissed"}))   # "Not now"
        # frames are handled in order: the pong means the dismissal is stored
        await v.ws.send(json.dumps({"op": "ping", "nonce": "2"}))
        _, before = await recv_until(v.ws, lambda f: f["op"] == "pong")
        assert [f for f in before if f["op"] == "error"] == [], before

        back, frames = await reconnect_frames(auth_server, v)
        assert prompts(frames) == [], frames

        # the agent asks again: live, and again after a reload
        r = await asyncio.to_thread(alice.post, f"/chats/{chat_id}/auth-request",
                                    {"kind": "login"})
        assert r.status_code == 200, r.text
        await recv_until(back.ws, lambda f: f["op"] == "auth_prompt")
        back, frames = await reconnect_frames(auth_server, back)
        assert [(p["kind"], p["again"]) for p in prompts(frames)] == [("login", True)]
        await back.ws.close()

        engine = create_engine(auth_server.database_url)
        try:
            async with make_sessionmaker(engine)() as session:
                rows = (await session.scalars(
                    select(M.AuditLog).where(M.AuditLog.entity == "chats",
                                             M.AuditLog.entity_id == str(chat_id),
                                             M.AuditLog.action == "chat.auth_dismissed"))).all()
        finally:
            await engine.dispose()
        assert [(r.agent_id, r.changes) for r in rows] == [
            (None, {"kind": "register", "by": "visitor"})]
    asyncio.run(scenario())

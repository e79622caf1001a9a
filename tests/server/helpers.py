"""Helpers for the server tests: a small fixture data set written straight into the database
(so these tests do not depend on the demo seed), an HTTP client per agent, and WebSocket
helpers that wait on frames with timeouts (never sleeps)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable

import httpx
import pytest
import websockets
from sqlalchemy.engine import make_url

from supportdesk_server.auth import hash_password
from supportdesk_server.store import models as M
from supportdesk_server.store.db import create_engine, make_sessionmaker, migrate
from tests.support.server import ServerProcess

PASSWORD = "pw"

# department name -> id (ids are assigned in this order on a fresh database)
DEPARTMENTS = ["Sales", "Tech", "Billing"]
SALES, TECH, BILLING = 1, 2, 3
# login -> (role, departments)
AGENTS = {
    "admin": ("admin", [SALES]),
    "alice": ("agent", [SALES]),
    "bob": ("agent", [SALES]),
    "carol": ("agent", [TECH]),
    "dave": ("head", [TECH, BILLING]),
    "ratelimited": ("agent", [SALES]),
}


async def seed_basic(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate(engine)
        sm = make_sessionmaker(engine)
        pw = hash_password(PASSWORD)
        async with sm() as session:
            for name in DEPARTMENTS:
                session.add(M.Department(name=name, accepts_forwards=True))
            await session.flush()
            for login, (role, depts) in AGENTS.items():
                agent = M.Agent(login=login, display_name=login.capitalize(), role=role,
                                password_hash=pw)
                session.add(agent)
                await session.flush()
                for d in depts:
                    session.add(M.AgentDepartment(agent_id=agent.id, department_id=d))
            session.add(M.ChangelogEntry(version="0.1.0", title="First", body="hello"))
            ids = {login: i for i, login in enumerate(AGENTS, start=1)}
            for title, scope, dept, owner, chat_only in [
                ("Sales greeting", "department", SALES, "admin", False),
                ("Sales chat-only", "department", SALES, "admin", True),
                ("Tech reboot", "department", TECH, "carol", False),
                ("Alice personal", "personal", None, "alice", False),
                ("Bob personal", "personal", None, "bob", False),
            ]:
                session.add(M.PredefinedReply(title=title, text=f"{title} text", scope=scope,
                                              department_id=dept, owner_id=ids[owner],
                                              chat_only=chat_only))
            await session.commit()
    finally:
        await engine.dispose()


def start_basic_server(workdir, *, database_url: str | None = None,
                       extra_args: list[str] | None = None) -> ServerProcess:
    srv = ServerProcess(workdir, demo=False, database_url=database_url,
                        extra_args=extra_args)
    asyncio.run(seed_basic(srv.database_url))
    return srv.start()


async def pg_admin(url: str, *statements: str) -> None:
    """Run statements on PostgreSQL outside a transaction (CREATE/DROP DATABASE)."""
    import asyncpg

    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(dsn, timeout=5)
    try:
        for stmt in statements:
            await conn.execute(stmt)
    finally:
        await conn.close()


@contextmanager
def seeded_server(workdir, store: str, *seeders: Callable[[str], Awaitable[None]]
                  ) -> Iterator[ServerProcess]:
    """A real server on a fresh database with the basic data set and then ``seeders`` applied:
    a SQLite file in ``workdir`` (``store="sqlite"``), or a new PostgreSQL database
    (``store="postgres"``; the test is skipped when PostgreSQL does not answer) dropped
    afterwards. Checks the server log for errors when it stops."""
    from tests.conftest import PG_URL
    from tests.server.conftest import assert_no_server_errors

    url = name = None
    if store == "postgres":
        try:
            asyncio.run(pg_admin(PG_URL, "SELECT 1"))
        except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
            pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {exc}")
        name = f"sd_test_{uuid.uuid4().hex[:12]}"
        asyncio.run(pg_admin(PG_URL, f'CREATE DATABASE "{name}"'))
        url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    srv = ServerProcess(workdir, demo=False, database_url=url)
    try:
        asyncio.run(seed_basic(srv.database_url))
        for seed in seeders:
            asyncio.run(seed(srv.database_url))
        srv.start()
        yield srv
        srv.stop()
        assert_no_server_errors(srv)
    finally:
        srv.stop()
        if name:
            asyncio.run(pg_admin(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


class Agent:
    """An HTTP client logged in as one agent."""

    def __init__(self, srv: ServerProcess, login: str) -> None:
        self.srv = srv
        self.login = login
        r = httpx.post(srv.api("/auth/login"), json={"username": login, "password": PASSWORD})
        assert r.status_code == 200, r.text
        body = r.json()
        self.token = body["token"]
        self.id = body["agent"]["id"]
        self.http = httpx.Client(base_url=srv.api(""), timeout=20,
                                 headers={"Authorization": f"Bearer {self.token}"})

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.http.get(path, **kw)

    def post(self, path: str, json_body: Any = None, **kw: Any) -> httpx.Response:
        return self.http.post(path, json=json_body, **kw)

    def put(self, path: str, json_body: Any = None) -> httpx.Response:
        return self.http.put(path, json=json_body)

    def patch(self, path: str, json_body: Any = None) -> httpx.Response:
        return self.http.patch(path, json=json_body)

    def online(self) -> None:
        r = self.put("/me/status", {"status": "online"})
        assert r.status_code == 200, r.text

    def close(self) -> None:
        self.http.close()


def assert_error(r: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/json"), r.headers
    body = r.json()
    assert set(body) == {"code", "message", "details"}, body
    assert body["code"] == code, body
    assert isinstance(body["message"], str) and body["message"]
    return body


# --- websockets -----------------------------------------------------------------------------------


async def recv_json(ws: Any, timeout: float = 10.0) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def recv_until(ws: Any, pred: Callable[[dict[str, Any]], bool], timeout: float = 10.0
                     ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Frames until one matches ``pred``; returns (match, every frame before it)."""
    seen: list[dict[str, Any]] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        left = deadline - loop.time()
        if left <= 0:
            raise AssertionError(f"no matching frame within {timeout}s; got {seen!r}"[:4000])
        frame = await recv_json(ws, left)
        if pred(frame):
            return frame, seen
        seen.append(frame)


def is_event(type_: str, **where: Any) -> Callable[[dict[str, Any]], bool]:
    def pred(frame: dict[str, Any]) -> bool:
        if frame.get("op") != "event" or frame.get("type") != type_:
            return False
        data = frame["data"]
        chat = data.get("chat", data)
        return all(chat.get(k) == v or data.get(k) == v for k, v in where.items())
    return pred


async def agent_ws(srv: ServerProcess, token: str, resume_after: int | None = None):
    ws = await websockets.connect(srv.ws_url("/agent/ws"), max_size=2**22)
    await ws.send(json.dumps({"op": "auth", "token": token, "resume_after": resume_after}))
    first = await recv_json(ws)
    return ws, first


@dataclass
class VisitorConn:
    ws: Any
    visitor_id: str
    token: str
    welcome: dict[str, Any]


async def visitor(srv: ServerProcess, token: str | None = None, *, page_url: str = "",
                  after_seq: int = 0, user_agent: str = "TestBrowser/1.0") -> VisitorConn:
    async with httpx.AsyncClient() as http:
        body = {"visitor_token": token} if token else {}
        r = await http.post(srv.api("/visitor/session"), json=body)
        assert r.status_code == 200, r.text
        sess = r.json()
    ws = await websockets.connect(srv.ws_url("/visitor/ws"), max_size=2**22,
                                  user_agent_header=user_agent)
    await ws.send(json.dumps({"op": "hello", "visitor_token": sess["visitor_token"],
                              "after_seq": after_seq, "page_url": page_url,
                              "page_title": "Home", "referrer": "https://search.example/",
                              "language": "en-GB", "timezone_offset_minutes": -60}))
    welcome = await recv_json(ws)
    assert welcome["op"] == "welcome", welcome
    return VisitorConn(ws, sess["visitor_id"], sess["visitor_token"], welcome)


async def start_chat(v: VisitorConn, department_id: int, text: str = "Hello",
                     client_msg_id: str = "v-1", name: str = "Ann") -> int:
    await v.ws.send(json.dumps({"op": "start", "department_id": department_id, "name": name,
                                "text": text, "client_msg_id": client_msg_id}))
    ack, before = await recv_until(v.ws, lambda f: f["op"] == "ack")
    chat_frames = [f for f in before if f["op"] == "chat"]
    assert chat_frames, before
    return chat_frames[-1]["chat"]["id"]


def new_chat(srv: ServerProcess, department_id: int, text: str = "Hello") -> int:
    """Open a chat as a fresh visitor (sync helper for HTTP-only tests)."""
    async def go() -> int:
        v = await visitor(srv)
        try:
            return await start_chat(v, department_id, text)
        finally:
            await v.ws.close()
    return asyncio.run(go())

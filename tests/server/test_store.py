"""The store: migrations apply (and match models.py), basic CRUD and constraints work, on
SQLite always and on PostgreSQL when it answers (SUPPORTDESK_TEST_PG_URL)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timezone

import httpx
import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from supportdesk_server.store import models as M
from supportdesk_server.store.db import create_engine, make_sessionmaker, migrate
from tests.conftest import PG_URL
from tests.server.conftest import assert_no_server_errors
from tests.server.helpers import (
    SALES,
    Agent,
    agent_ws,
    is_event,
    recv_until,
    start_basic_server,
    start_chat,
    visitor,
)


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _pg_admin(url: str, *statements: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(_asyncpg_dsn(url), timeout=5)
    try:
        for stmt in statements:
            await conn.execute(stmt)
    finally:
        await conn.close()


@pytest.fixture
def pg_url():
    """A fresh, empty PostgreSQL database for one test (dropped afterwards)."""
    try:
        asyncio.run(_pg_admin(PG_URL, "SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {exc}")
    name = f"sd_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_pg_admin(PG_URL, f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    yield url
    asyncio.run(_pg_admin(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite+aiosqlite:///{tmp_path / 'store.sqlite3'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request):
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


def _compare(connection):  # noqa: ANN001
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from supportdesk_server.services.search import is_search_table

    # the search tables are made by migration 0002 only (triggers write them), not by models.py
    ctx = MigrationContext.configure(connection, opts={
        "compare_type": True,
        "include_name": lambda name, type_, _parent: not (type_ == "table" and is_search_table(name)),
    })
    return compare_metadata(ctx, M.Base.metadata)


def _head() -> str:
    from alembic.script import ScriptDirectory

    from supportdesk_server.store.db import alembic_config

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def _migrations_match_models(url: str) -> None:
    engine = create_engine(url)
    try:
        await migrate(engine)
        await migrate(engine)                       # idempotent
        async with engine.connect() as conn:
            tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
            version = await conn.scalar(text("SELECT version_num FROM alembic_version"))
            diff = await conn.run_sync(_compare)
        assert set(M.Base.metadata.tables) <= tables
        assert version == _head()
        assert diff == [], f"migrations and models.py differ: {diff}"
    finally:
        await engine.dispose()


async def _crud(url: str) -> None:
    engine = create_engine(url)
    try:
        await migrate(engine)
        sm = make_sessionmaker(engine)
        async with sm() as s:
            dept = M.Department(name="Sales")
            s.add(dept)
            await s.flush()
            agent = M.Agent(login="ann", display_name="Ann", password_hash="x")
            s.add(agent)
            await s.flush()
            s.add(M.AgentDepartment(agent_id=agent.id, department_id=dept.id))
            v = M.Visitor(id=str(uuid.uuid4()), token_hash="h" * 64)
            s.add(v)
            await s.flush()
            chat = M.Chat(visitor_id=v.id, department_id=dept.id, visitor_name="Bo")
            s.add(chat)
            await s.flush()
            s.add(M.ChatMessage(chat_id=chat.id, seq=1, author_kind="visitor", text="hi",
                                client_msg_id="c1"))
            s.add(M.Event(type="chat.created", audience=["d:1"], data={"id": chat.id, "ü": "✓"}))
            await s.commit()
            chat_id, agent_id = chat.id, agent.id
        async with sm() as s:
            chat = await s.get(M.Chat, chat_id)
            assert chat.state == "waiting" and chat.version == 1
            assert chat.created_at.tzinfo is not None
            assert chat.created_at.utcoffset() == timezone.utc.utcoffset(None)
            agent = await s.get(M.Agent, agent_id)
            assert [d.name for d in agent.departments] == ["Sales"]
            ev = await s.scalar(select(M.Event))
            assert ev.seq >= 1 and ev.audience == ["d:1"] and ev.data["ü"] == "✓"
            chat.name = "renamed"
            await s.commit()
        async with sm() as s:
            assert (await s.get(M.Chat, chat_id)).name == "renamed"
            # unique (chat, author kind, client_msg_id): de-duplication relies on it
            s.add(M.ChatMessage(chat_id=chat_id, seq=2, author_kind="visitor", text="again",
                                client_msg_id="c1"))
            with pytest.raises(IntegrityError):
                await s.commit()
        async with sm() as s:
            # foreign keys are enforced (SQLite needs the pragma)
            s.add(M.Chat(visitor_id=str(uuid.uuid4()), department_id=999))
            with pytest.raises(IntegrityError):
                await s.commit()
        async with sm() as s:
            await s.delete(await s.get(M.Chat, chat_id))
            await s.commit()
            assert await s.scalar(select(M.ChatMessage).where(M.ChatMessage.chat_id == chat_id)) \
                is None
        if make_url(url).get_backend_name() == "sqlite":
            async with engine.connect() as conn:
                assert (await conn.scalar(text("PRAGMA journal_mode"))).lower() == "wal"
                assert await conn.scalar(text("PRAGMA foreign_keys")) == 1
    finally:
        await engine.dispose()


def test_migrations_match_models(db_url):
    asyncio.run(_migrations_match_models(db_url))


def test_basic_crud(db_url):
    asyncio.run(_crud(db_url))


@pytest.mark.postgres
def test_whole_server_on_postgres(pg_url, tmp_path):
    """The real server process against PostgreSQL: login, a visitor chat, take, reply, events."""
    srv = start_basic_server(tmp_path / "pg-server", database_url=pg_url)
    try:
        alice = Agent(srv, "alice")

        async def scenario() -> None:
            ws, ready = await agent_ws(srv, alice.token)
            assert ready["op"] == "ready"
            v = await visitor(srv)
            chat_id = await start_chat(v, SALES, "hello from postgres")
            await recv_until(ws, is_event("chat.created", id=chat_id))
            r = await asyncio.to_thread(alice.post, f"/chats/{chat_id}/take")
            assert r.status_code == 200
            r = await asyncio.to_thread(alice.post, f"/chats/{chat_id}/messages",
                                        {"client_msg_id": "pg-1", "text": "hi"})
            assert r.status_code == 201
            msg, _ = await recv_until(ws, lambda f: f.get("type") == "chat.message"
                                      and f["data"]["message"]["author_kind"] == "agent")
            assert msg["data"]["chat"]["id"] == chat_id
            frame, _ = await recv_until(v.ws, lambda f: f["op"] == "message")
            assert frame["message"]["text"] == "hi"
            # values beyond the 32-bit seq column are clamped, not a database error
            r = await asyncio.to_thread(alice.get, f"/chats/{chat_id}/messages",
                                        params={"before_seq": 2**53})
            assert r.status_code == 200 and len(r.json()["items"]) == 2
            v2 = await visitor(srv, v.token, after_seq=2**60)
            assert v2.welcome["chat"]["id"] == chat_id
            await v2.ws.close()
            page = (await asyncio.to_thread(alice.get, "/chats", params={"limit": 1})).json()
            assert page["total"] == 1 and page["items"][0]["id"] == chat_id
            await ws.close()
            await v.ws.close()

        asyncio.run(scenario())
        info = httpx.get(srv.api("/info")).json()
        assert info["last_seq"] >= 3
        alice.close()
        srv.restart()                     # migrations are idempotent on restart
        assert httpx.get(srv.api("/info")).json()["last_seq"] == info["last_seq"]
    finally:
        srv.stop()
    assert_no_server_errors(srv)

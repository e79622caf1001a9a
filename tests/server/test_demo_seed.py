"""The demo data set: big enough, realistic, deterministic, idempotent, fast, PostgreSQL-safe."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url

from supportdesk_server.demo import DEMO_AGENT, DEMO_PASSWORD
from supportdesk_server.demo.seed import seed_demo
from supportdesk_server.store import models as M
from supportdesk_server.store.db import create_engine, make_sessionmaker, migrate
from tests.conftest import PG_URL

BASE = datetime(2026, 11, 29, tzinfo=timezone.utc)

# Tables whose full content must be identical for the same seed (password hashes carry a random
# argon2 salt, so that one column is compared by verifying instead).
TABLES = [M.Department, M.Agent, M.AgentDepartment, M.Client, M.ClientUser, M.Payment, M.Service,
          M.Expense, M.Project, M.Ticket, M.TicketPost, M.Visitor, M.Chat, M.ChatMessage,
          M.PredefinedReply, M.ChangelogEntry]


async def _fresh(url: str):
    engine = create_engine(url)
    await migrate(engine)
    return engine


async def _counts(sm) -> dict[str, int]:
    async with sm() as s:
        return {m.__tablename__: await s.scalar(select(func.count()).select_from(m)) for m in TABLES}


async def _dump(sm) -> dict[str, list[tuple]]:
    out = {}
    async with sm() as s:
        for model in TABLES:
            table = model.__table__
            cols = [c for c in table.c if c.name != "password_hash"]
            rows = (await s.execute(select(*cols).order_by(*table.primary_key.columns))).all()
            out[table.name] = [tuple(r) for r in rows]
    return out


async def test_seed_counts_and_content(tmp_path):
    engine = await _fresh(f"sqlite+aiosqlite:///{tmp_path / 'a.sqlite3'}")
    try:
        sm = make_sessionmaker(engine)
        started = time.perf_counter()
        assert await seed_demo(sm, clients=2000, seed=1, base=BASE) is True
        elapsed = time.perf_counter() - started
        assert elapsed < 20, f"seeding 2000 clients took {elapsed:.1f} s"

        n = await _counts(sm)
        assert n["departments"] >= 3
        assert n["agents"] >= 8
        assert n["clients"] == 2000
        assert n["client_users"] >= 2000
        for table in ("payments", "services", "tickets", "ticket_posts", "expenses", "projects",
                      "chats", "chat_messages", "visitors", "predefined_replies", "changelog_entries"):
            assert n[table] > 0, table

        async with sm() as s:
            names = set((await s.scalars(select(M.Department.name))).all())
            assert {"Sales", "Technical support", "Billing", "Domains"} <= names
            demo = await s.scalar(select(M.Agent).where(M.Agent.login == DEMO_AGENT))
            assert demo is not None and demo.role == "head"
            assert {d.name for d in demo.departments} == names
            assert PasswordHasher().verify(demo.password_hash, DEMO_PASSWORD)
            roles = set((await s.scalars(select(M.Agent.role))).all())
            assert roles == {"agent", "head", "admin"}
            assert set((await s.scalars(select(M.Agent.status))).all()) == {"offline"}
            # one shared hash, computed once
            assert await s.scalar(select(func.count(func.distinct(M.Agent.password_hash)))) == 1

            # unique business keys and plausible content
            assert await s.scalar(select(func.count(func.distinct(M.ClientUser.login)))) == n["client_users"]
            numbers = (await s.scalars(select(M.Payment.number).limit(5))).all()
            assert all(x.startswith("PAY-") and len(x) == 10 for x in numbers)
            types = set((await s.scalars(select(M.Service.type))).all())
            assert types == {"hosting", "vps", "dedicated", "domain", "ssl"}
            assert await s.scalar(select(func.count()).where(M.Service.ip != "")) > 0
            assert await s.scalar(select(func.count()).where(M.Service.expires_at > BASE)) > 0
            assert set((await s.scalars(select(M.TicketPost.kind))).all()) == {"client", "staff", "note"}
            assert set((await s.scalars(select(M.Project.enabled))).all()) == {True, False}
            assert set((await s.scalars(select(M.Chat.state))).all()) == {"closed"}
            assert set((await s.scalars(select(M.PredefinedReply.scope))).all()) == {"department", "personal"}
            assert set((await s.scalars(select(M.PredefinedReply.chat_only))).all()) == {True, False}

            # chats are consistent with their messages
            chat = await s.scalar(select(M.Chat).order_by(M.Chat.id).limit(1))
            msgs = (await s.scalars(select(M.ChatMessage).where(M.ChatMessage.chat_id == chat.id)
                                    .order_by(M.ChatMessage.seq))).all()
            assert [m.seq for m in msgs] == list(range(1, len(msgs) + 1))
            assert chat.message_count == len(msgs)
            assert chat.last_message_preview == msgs[-1].text[:200]
            assert chat.page_url.startswith("https://") and chat.user_agent
            assert {m.author_kind for m in msgs} <= {"visitor", "agent"}

        # a second call sees the data and does nothing
        assert await seed_demo(sm, clients=2000, seed=1, base=BASE) is False
        assert await _counts(sm) == n
    finally:
        await engine.dispose()


async def test_seed_is_deterministic(tmp_path):
    dumps = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        engine = await _fresh(f"sqlite+aiosqlite:///{tmp_path / name}.sqlite3")
        try:
            sm = make_sessionmaker(engine)
            assert await seed_demo(sm, clients=150, seed=seed, base=BASE)
            dumps.append(await _dump(sm))
        finally:
            await engine.dispose()
    assert dumps[0] == dumps[1]
    assert dumps[0]["clients"] != dumps[2]["clients"]


async def test_seed_refuses_a_database_with_data(tmp_path):
    engine = await _fresh(f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}")
    try:
        sm = make_sessionmaker(engine)
        async with sm() as s:
            s.add(M.Department(name="Existing"))
            await s.commit()
        assert await seed_demo(sm, clients=10) is False
        assert (await _counts(sm))["clients"] == 0
    finally:
        await engine.dispose()


async def _own_pg_database() -> str | None:
    """A database of this test's own next to the configured test database (so concurrent
    PostgreSQL tests are not disturbed), recreated empty; None when PostgreSQL is unreachable."""
    url = make_url(PG_URL)
    name = f"{url.database or 'test'}_demo_seed"
    engine = create_engine(PG_URL)
    try:
        async with engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception:  # noqa: BLE001
        return None
    finally:
        await engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.mark.postgres
async def test_seed_on_postgres_keeps_sequences_usable():
    db_url = await _own_pg_database()
    if db_url is None:
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}")
    engine = create_engine(db_url)
    try:
        await migrate(engine)
        sm = make_sessionmaker(engine)
        assert await seed_demo(sm, clients=300, seed=1, base=BASE)
        assert await seed_demo(sm, clients=300, seed=1, base=BASE) is False
        async with sm() as s:
            # ids the database assigns after the seed must not collide with seeded ones
            for model, row in ((M.Client, dict(name="New", email="new@example.com")),
                               (M.ChangelogEntry, dict(version="9", title="t", body="")),
                               (M.ChatMessage, None)):
                if row is None:
                    chat_id = await s.scalar(select(func.min(M.Chat.id)))
                    row = dict(chat_id=chat_id, seq=10_000, author_kind="system", text="x")
                new_id = (await s.execute(insert(model).returning(model.id), [row])).scalar_one()
                assert new_id > await s.scalar(select(func.max(model.id)).where(model.id != new_id))
            await s.rollback()
    finally:
        await engine.dispose()

"""Client search (issue 5) through the real server, on SQLite and on PostgreSQL: every field, the
field that matched, case-insensitivity, prefix/substring for text and exact ids, department
visibility, the index following inserts/updates/deletes (triggers), the query plans (indexes, not
table scans), and a small run of the benchmark scripts so they keep working."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.engine import make_url

from supportdesk_server.services import search as search_service
from supportdesk_server.store import models as M
from supportdesk_server.store.db import create_engine, make_sessionmaker
from tests.conftest import PG_URL
from tests.server.conftest import assert_no_server_errors
from tests.server.helpers import SALES, TECH, Agent, start_basic_server
from tests.server.test_store import _pg_admin

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Env:
    srv: object
    url: str
    ids: dict[str, int]


async def _seed(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        async with make_sessionmaker(engine)() as s:
            a = M.Client(name="Marta Ölund-Berg", email="Marta.Olund@Example.COM",
                         phone="+49 (30) 901-82736", department_id=SALES)
            b = M.Client(name="Tobias Kern", email="tkern@techfirm.io", phone="030 555 1212",
                         department_id=TECH)
            c = M.Client(name="Martina Olsen", email="martina@olsen.dk", phone="",
                         department_id=SALES)
            s.add_all([a, b, c])
            await s.flush()
            s.add_all([
                M.ClientUser(client_id=a.id, login="mo_admin42", email="billing@olund-berg.de",
                             last_ip="198.51.100.23"),
                M.ClientUser(client_id=b.id, login="tkern", email="tkern@techfirm.io"),
            ])
            await s.flush()
            s.add_all([
                M.Service(id=7001, client_id=a.id, name="Web", type="hosting",
                          domain="Olund-Berg.de", ip="203.0.113.9", price=Decimal("5")),
                M.Service(id=7002, client_id=b.id, name="VPS", type="vps",
                          domain="kern-labs.net", ip="2001:db8::1f", price=Decimal("9")),
                M.Payment(id=8001, client_id=a.id, number="PAY-2026-000417", amount=Decimal("5")),
                M.Payment(id=8002, client_id=b.id, number="INV-77", amount=Decimal("9")),
                M.Ticket(id=9001, client_id=a.id, subject="Hello", department_id=SALES),
            ])
            await s.commit()
            return {"a": a.id, "b": b.id, "c": c.id}
    finally:
        await engine.dispose()


def _pg_database() -> str:
    try:
        asyncio.run(_pg_admin(PG_URL, "SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {exc}")
    name = f"sd_search_{uuid.uuid4().hex[:12]}"
    asyncio.run(_pg_admin(PG_URL, f'CREATE DATABASE "{name}"'))
    return name


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def env(request, tmp_path_factory):
    work = tmp_path_factory.mktemp(f"search-{request.param}")
    pg_name = None
    if request.param == "postgres":
        pg_name = _pg_database()
        url = make_url(PG_URL).set(database=pg_name).render_as_string(hide_password=False)
    else:
        url = f"sqlite+aiosqlite:///{work / 'server.sqlite3'}"
    srv = start_basic_server(work / "server", database_url=url)
    try:
        yield Env(srv, url, asyncio.run(_seed(url)))
    finally:
        srv.stop()
        if pg_name:
            asyncio.run(_pg_admin(PG_URL, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))
    assert_no_server_errors(srv)


@pytest.fixture(scope="module")
def admin(env):
    a = Agent(env.srv, "admin")
    yield a
    a.close()


def search(agent: Agent, q: str) -> list[dict]:
    r = agent.get("/clients/search", params={"q": q})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == len(body["items"])
    return body["items"]


def first_hit(agent: Agent, q: str, client_id: int) -> dict | None:
    return next((h for h in search(agent, q) if h["client"]["id"] == client_id), None)


# (query, client key, matched field, matched value)
CASES = [
    # exact identifiers
    ("{a}", "a", "client_id", "{a}"),
    ("7002", "b", "service_id", "7002"),
    ("9001", "a", "ticket_id", "9001"),
    ("pay-2026-000417", "a", "payment_number", "PAY-2026-000417"),
    ("PAY-2026-000417", "a", "payment_number", "PAY-2026-000417"),
    ("203.0.113.9", "a", "ip", "203.0.113.9"),          # a service's IP
    ("198.51.100.23", "a", "ip", "198.51.100.23"),      # a login user's last IP
    ("2001:DB8::1F", "b", "ip", "2001:db8::1f"),
    # login: exact, prefix, substring; any case; "_" is a character, not a wildcard
    ("MO_ADMIN42", "a", "login", "mo_admin42"),
    ("mo_ad", "a", "login", "mo_admin42"),
    ("ADMIN4", "a", "login", "mo_admin42"),
    ("o_a", "a", "login", "mo_admin42"),
    # email (the client's and a login user's)
    ("marta.olund@example.com", "a", "email", "Marta.Olund@Example.COM"),
    ("MARTA.OL", "a", "email", "Marta.Olund@Example.COM"),
    ("@example.c", "a", "email", "Marta.Olund@Example.COM"),
    ("lling@olund", "a", "email", "billing@olund-berg.de"),
    # domain
    ("KERN-LAB", "b", "domain", "kern-labs.net"),
    ("rn-labs", "b", "domain", "kern-labs.net"),
    ("olund-berg.DE", "a", "domain", "Olund-Berg.de"),
    # phone: digits in any punctuation, a prefix or any part
    ("+49 (30) 901", "a", "phone", "+49 (30) 901-82736"),
    ("90182736", "a", "phone", "+49 (30) 901-82736"),
    ("555-1212", "b", "phone", "030 555 1212"),
    # name: exact, prefix (even two letters), substring, any case, non-ASCII letters
    ("TOBIAS KERN", "b", "name", "Tobias Kern"),
    ("to", "b", "name", "Tobias Kern"),
    ("bias ke", "b", "name", "Tobias Kern"),
    ("ölund", "a", "name", "Marta Ölund-Berg"),
    ("ÖLUND-B", "a", "name", "Marta Ölund-Berg"),
]


@pytest.mark.parametrize("query,who,field,value", CASES,
                         ids=[f"{c[2]}:{c[0]}" for c in CASES])
def test_each_field_finds_the_client_and_says_which_field(admin, env, query, who, field, value):
    ids = {k: str(v) for k, v in env.ids.items()}
    query, value = query.format(**ids), value.format(**ids)
    hit = first_hit(admin, query, env.ids[who])
    assert hit is not None, f"{query!r} did not find client {who}: {search(admin, query)}"
    assert (hit["matched_field"], hit["matched_value"]) == (field, value)
    assert hit["client"]["name"] and hit["client"]["email"]     # the summary the desk shows


def test_most_specific_match_comes_first(admin, env):
    # "mart" is a prefix of both Martas' names; the prefix hits come before substring-only ones
    hits = search(admin, "mart")
    assert {h["client"]["id"] for h in hits} >= {env.ids["a"], env.ids["c"]}
    assert all(h["matched_field"] in ("name", "email") for h in hits)
    # a client id that is also another record's id: the client id comes first
    hits = search(admin, str(env.ids["a"]))
    assert hits[0]["client"]["id"] == env.ids["a"] and hits[0]["matched_field"] == "client_id"


@pytest.mark.parametrize("query", ["pay-2026-0004", "203.0.113", "7002x", "o%a", "zz-nobody-zz",
                                   "%", "_", "\\"])
def test_exact_identifiers_and_wildcards_do_not_over_match(admin, env, query):
    hits = search(admin, query)
    # payment numbers and IPs are exact; % and _ are characters, not wildcards
    assert not [h for h in hits if h["matched_field"] in ("payment_number", "ip", "service_id")]
    if query in ("o%a", "zz-nobody-zz", "%", "_", "\\"):
        assert hits == []


def test_odd_queries_are_answered_not_crashed_on(admin):
    for q in ("²", "١٢٣", "9" * 30, "  ", "'\"", "\"abc\"", "a\tb", "🙂🙂🙂", "NEAR(a b)", "x" * 200):
        r = admin.get("/clients/search", params={"q": q})
        assert r.status_code == 200, (q, r.text)
    r = admin.get("/clients/search", params={"q": "ab\x00c"})
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["code"] == "validation_error" and body["details"][0]["loc"] == ["q"]


def test_an_agent_finds_only_clients_of_its_departments(env):
    alice, dave = Agent(env.srv, "alice"), Agent(env.srv, "dave")    # Sales / Tech + Billing
    try:
        for q in ("tobias", "7002", "kern-labs", "555 1212", "inv-77", str(env.ids["b"])):
            assert first_hit(alice, q, env.ids["b"]) is None, q
            assert first_hit(dave, q, env.ids["b"]) is not None, q
        assert first_hit(alice, "ölund", env.ids["a"]) is not None
        assert first_hit(dave, "ölund", env.ids["a"]) is None
    finally:
        alice.close()
        dave.close()


def test_the_index_follows_inserts_updates_and_deletes(admin, env):
    async def write(*stmts, add=None):
        engine = create_engine(env.url)
        try:
            async with make_sessionmaker(engine)() as s:
                for stmt in stmts:
                    await s.execute(stmt)
                out = None
                if add is not None:
                    out = await add(s)
                await s.commit()
                return out
        finally:
            await engine.dispose()

    async def new_client(s):
        c = M.Client(name="Quentin Zephyrus", email="q@zephyrus.example", phone="+1 777 000 4242",
                     department_id=SALES)
        s.add(c)
        await s.flush()
        u = M.ClientUser(client_id=c.id, login="qzeph", email="ops@zephyrus.example",
                         last_ip="192.0.2.44")
        sv = M.Service(client_id=c.id, name="Web", type="hosting", domain="zephyrus-web.example",
                       ip="192.0.2.45", price=Decimal("1"))
        p = M.Payment(client_id=c.id, number="ZP-0001", amount=Decimal("1"))
        s.add_all([u, sv, p])
        await s.flush()
        return c.id, u.id, sv.id, p.id

    assert search(admin, "zephyrus") == []
    cid, uid, sid, pid = asyncio.run(write(add=new_client))
    found = {q: first_hit(admin, q, cid) for q in
             ("quentin", "zephyrus-web", "7770004242", "qzeph", "ops@zeph",
              "192.0.2.44", "192.0.2.45", "zp-0001")}
    assert {q: h and h["matched_field"] for q, h in found.items()} == {
        "quentin": "name", "zephyrus-web": "domain", "7770004242": "phone", "qzeph": "login",
        "ops@zeph": "email", "192.0.2.44": "ip", "192.0.2.45": "ip",
        "zp-0001": "payment_number"}

    asyncio.run(write(
        update(M.Client).where(M.Client.id == cid).values(name="Quirin Yellowstone",
                                                          phone="+1 777 999 0000"),
        update(M.ClientUser).where(M.ClientUser.id == uid).values(login="qyellow",
                                                                  last_ip="192.0.2.99"),
        update(M.Service).where(M.Service.id == sid).values(domain="yellowstone.example"),
        update(M.Payment).where(M.Payment.id == pid).values(number="YS-0002"),
    ))
    for gone in ("quentin", "7770004242", "qzeph", "192.0.2.44", "zephyrus-web", "zp-0001"):
        assert first_hit(admin, gone, cid) is None, gone
    for now in ("quirin", "yellowstone", "7779990000", "qyellow", "192.0.2.99", "ys-0002"):
        assert first_hit(admin, now, cid) is not None, now
    assert first_hit(admin, "ops@zeph", cid) is not None       # untouched values stay

    # a service moved to another client is found under that client
    asyncio.run(write(update(M.Service).where(M.Service.id == sid)
                      .values(client_id=env.ids["c"])))
    assert first_hit(admin, "yellowstone.example", env.ids["c"])["matched_field"] == "domain"
    assert first_hit(admin, "yellowstone.example", cid) is None
    assert first_hit(admin, "yellowstone", cid)["matched_field"] == "name"

    asyncio.run(write(delete(M.Payment).where(M.Payment.id == pid)))
    assert search(admin, "ys-0002") == []
    asyncio.run(write(delete(M.Service).where(M.Service.id == sid),
                      delete(M.Client).where(M.Client.id == cid)))   # users go by cascade
    for q in ("quirin", "yellowstone", "qyellow", "ops@zeph", "192.0.2.99"):
        assert search(admin, q) == [], q

    async def leftovers():
        engine = create_engine(env.url)
        try:
            async with engine.connect() as conn:
                return await conn.scalar(text(
                    "SELECT count(*) FROM search_terms WHERE client_id = :c"), {"c": cid})
        finally:
            await engine.dispose()

    assert asyncio.run(leftovers()) == 0


# --- on a generated data set (bench/gen_clients.py): query plans, and the benchmark scripts ------


def _run(*args: str, timeout: float = 300) -> str:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1")
    r = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=timeout)
    assert r.returncode == 0, f"{args} exited {r.returncode}:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return r.stdout


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def generated(request, tmp_path_factory):
    """3,000 generated clients (36,000 search terms) with planner statistics (ANALYZE)."""
    pg_name = None
    if request.param == "postgres":
        pg_name = _pg_database()
        url = make_url(PG_URL).set(database=pg_name).render_as_string(hide_password=False)
        where = ["--database-url", url]
    else:
        db = tmp_path_factory.mktemp("generated") / "bench.sqlite3"
        url = f"sqlite+aiosqlite:///{db}"
        where = ["--db", str(db)]
    try:
        out = _run("bench/gen_clients.py", *where, "--clients", "3000")
        assert "done in" in out
        yield url, where
    finally:
        if pg_name:
            asyncio.run(_pg_admin(PG_URL, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))


PLAN_QUERIES = ["12", "inv-2020-0000012", "10.0.0.24", "172.16.0.24", "jsmith", "j", "ohnso",
                "gmail", "555-12", "+1 (231)", "Linda Garcia"]


def _compiled(stmt, params, dialect) -> str:
    return str(stmt.params(**params).compile(dialect=dialect,
                                             compile_kwargs={"literal_binds": True}))


async def _plans(url: str) -> list[tuple[str, str]]:
    """(SQL, plan) of the whole search statement for each query, as an admin (every department)
    and as an agent of one department (the filter joins clients)."""
    engine = create_engine(url)
    out = []
    try:
        async with engine.connect() as conn:
            dialect = conn.dialect
            if dialect.name == "postgresql":
                # 3,000 clients still fit in a few pages, where reading everything is cheapest;
                # forbidding sequential scans shows whether an index CAN serve each probe
                await conn.execute(text("SET enable_seqscan = off"))
            for q in PLAN_QUERIES:
                for departments in (None, [1]):
                    stmt, params = search_service.search_statement(dialect.name, q, departments)
                    sql = _compiled(stmt, params, dialect)
                    if dialect.name == "sqlite":
                        rows = (await conn.execute(text("EXPLAIN QUERY PLAN " + sql))).all()
                        plan = "\n".join(r[-1] for r in rows)
                    else:
                        rows = (await conn.execute(text("EXPLAIN " + sql))).all()
                        plan = "\n".join(r[0] for r in rows)
                    out.append((sql, plan))
    finally:
        await engine.dispose()
    return out


def test_every_probe_uses_an_index_not_a_table_scan(generated):
    url, _where = generated
    plans = asyncio.run(_plans(url))
    assert len(plans) == 2 * len(PLAN_QUERIES)
    sqlite = url.startswith("sqlite")
    table_scan = re.compile(r"^(SCAN|SEARCH) (search_terms|clients|services|tickets)\b(?!.*USING)",
                            re.M)
    used = set()
    for sql, plan in plans:
        if sqlite:
            # every table is read through an index; the only SCAN is the FTS5 virtual table driven
            # by its MATCH index (and the union's own subquery results)
            assert not table_scan.search(plan), f"table scan in\n{sql}\n{plan}"
            assert not re.search(r"^SCAN (search_terms|clients|services|tickets)\b", plan, re.M)
            assert "TEMP B-TREE" not in plan, f"sort of every match in\n{sql}\n{plan}"
            used |= {name for name in ("ix_search_terms_kind_term", "VIRTUAL TABLE INDEX 0:M",
                                       "INTEGER PRIMARY KEY") if name in plan}
        else:
            assert "Seq Scan" not in plan, f"table scan in\n{sql}\n{plan}"
            used |= {name for name in ("ix_search_terms_kind_term", "ix_search_terms_trgm",
                                       "clients_pkey", "services_pkey", "tickets_pkey")
                     if name in plan}
            if " LIKE " in sql:
                assert "ix_search_terms_trgm" in plan, f"{sql}\n{plan}"
    trigram = "VIRTUAL TABLE INDEX 0:M" if sqlite else "ix_search_terms_trgm"
    assert {"ix_search_terms_kind_term", trigram} <= used, used


def test_the_search_benchmark_runs_on_a_generated_data_set(generated):
    _url, where = generated
    out = _run("bench/search.py", *where, "--per-kind", "6", "--warmup", "1",
               "--target-ms", "100000")
    assert "overall p95" in out
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    # the generated queries hit (the benchmark measures real matches), the misses miss
    for kind in ("client_id", "payment_number", "ip", "login", "email", "domain", "phone", "name",
                 "typing"):
        assert float(rows[kind][-1]) == 100, (kind, out)
    assert float(rows["miss"][-1]) == 0
    # the generator refuses to write twice into one database
    r = subprocess.run([sys.executable, "bench/gen_clients.py", *where, "--clients", "5"],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode != 0 and "already has clients" in (r.stdout + r.stderr)


def test_the_search_bar_benchmark_runs(generated):
    url, where = generated
    if not url.startswith("sqlite"):
        pytest.skip("the desk's side does not depend on the database; once is enough")
    out = _run("bench/search_bar.py", *where, "--queries", "4", "--key-interval-ms", "20",
               "--target-ms", "100000")
    assert "last keystroke -> results painted: median" in out and "(4 queries)" in out, out

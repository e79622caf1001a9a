"""Generate a big client data set for the search benchmark (issue 5: 1,000,000 clients).

    .venv/bin/python bench/gen_clients.py --db /tmp/sd-1m.sqlite3 [--clients 1000000]
    .venv/bin/python bench/gen_clients.py --database-url postgresql+asyncpg://postgres@127.0.0.1/sd_bench

Makes the schema with the server's own migrations (so the search triggers and indexes are the
real ones), then writes, per client: the client (name, email, phone, one of three departments),
one login user (every fifth client two), one service with a domain and an IP (every third client
two), two payments, and a ticket for every second client. Everything is derived from the client
number, so the same ``--clients`` gives the same data, and ``bench/search.py`` can compute queries
that hit. Rows go in through ``executemany`` in big transactions on SQLite and ``COPY`` on
PostgreSQL; the search terms are written by the triggers as for any other insert.

Also creates the agent ``bench`` (admin, password ``bench``) and ``bench-sales`` (Sales only).
Refuses to write into a database that already has clients.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy.engine import make_url  # noqa: E402

from supportdesk_server.auth import hash_password  # noqa: E402
from supportdesk_server.store.db import create_engine, migrate  # noqa: E402

PASSWORD = "bench"
DEPARTMENTS = ("Sales", "Tech", "Billing")
FIRST = ("James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara "
         "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy "
         "Matthew Betty Anthony Margaret Mark Sandra Donald Ashley Steven Kimberly Paul Emily Andrew "
         "Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Dorothy George Melissa Timothy "
         "Deborah Jürgen Zoë Łukasz Ana Søren Chloé Mateo Yuki Priya Olumide Ines Björn Nikolai "
         "Fatima Wei Aarav Sofia Lucas Emma Noah Olivia Liam Ava Ethan Mia Mason Isla Elijah Leila").split()
LAST = ("Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
        "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White "
        "Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres "
        "Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts "
        "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Kowalski Nowak "
        "Novák Svoboda Dvořák Rossi Russo Ferrari Esposito Bianchi Romano Colombo Dubois Durand "
        "Lefèvre Moreau Laurent Simon Michel Sato Suzuki Takahashi Tanaka Watanabe Ito Kim Park "
        "Chen Wang Li Zhang Liu Singh Kumar Sharma Okafor Mensah Silva Santos Oliveira Pereira "
        "Andersson Johansson Karlsson Nilsson Hansen Jensen Nielsen Virtanen Korhonen Ivanov").split()
WORDS = ("cloud shop studio media design web host apps data labs tech net works store market "
         "photo travel music games books food garden auto health fitness legal finance home").split()
TLDS = ("com", "net", "org", "de", "io", "co.uk", "fr", "nl", "eu", "info")
MAIL = ("gmail.com", "yahoo.com", "outlook.com", "mail.ru", "web.de", "proton.me", "icloud.com",
        "gmx.net", "example.org", "company.io")
SUBJECTS = ("Cannot log in", "Invoice question", "Site is down", "Renewal", "DNS change",
            "SSL certificate", "Refund request", "Upgrade plan", "Backup restore", "Email bounces")
CHUNK = 20_000


# --- the data, derived from the client number ---------------------------------------------------


def client_name(i: int) -> tuple[str, str]:
    return FIRST[(i * 7) % len(FIRST)], LAST[(i * 13 + i // 97) % len(LAST)]


def ascii_slug(s: str) -> str:
    table = str.maketrans({"ü": "ue", "ö": "oe", "ä": "ae", "ë": "e", "é": "e", "è": "e",
                           "ø": "o", "ł": "l", "Ł": "L", "ř": "r", "á": "a", "ß": "ss"})
    return s.translate(table).lower()


def client_email(i: int) -> str:
    first, last = client_name(i)
    return f"{ascii_slug(first)}.{ascii_slug(last)}{i}@{MAIL[i % len(MAIL)]}"


def client_phone(i: int) -> str:
    n = (i * 7_919_003 + 1_234_567) % 10_000_000
    area = 200 + (i * 31) % 800
    return f"+1 ({area}) {n // 10_000:03d}-{n % 10_000:04d}"


def user_logins(i: int) -> list[str]:
    first, last = client_name(i)
    base = f"{ascii_slug(first)[0]}{ascii_slug(last)}{i}"
    return [base] + ([f"{base}-admin"] if i % 5 == 0 else [])


def user_ip(i: int, k: int) -> str:
    n = i * 2 + k
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def service_domains(i: int) -> list[str]:
    _first, last = client_name(i)
    base = f"{ascii_slug(last)}-{WORDS[i % len(WORDS)]}{i}"
    out = [f"{base}.{TLDS[i % len(TLDS)]}"]
    if i % 3 == 0:
        out.append(f"{base}-shop.{TLDS[(i + 3) % len(TLDS)]}")
    return out


def service_ip(i: int, k: int) -> str:
    n = i * 2 + k
    return f"172.{16 + ((n >> 16) & 15)}.{(n >> 8) & 255}.{n & 255}"


def payment_number(i: int, k: int) -> str:
    return f"INV-{2020 + k}-{i:07d}"


def rows(first: int, last: int, ids: dict[str, int]) -> dict[str, list[tuple]]:
    """The rows of clients ``first..last`` (inclusive), ids continuing from ``ids``."""
    base = datetime(2024, 1, 1, tzinfo=timezone.utc)
    out: dict[str, list[tuple]] = {"clients": [], "client_users": [], "services": [],
                                   "payments": [], "tickets": []}
    for i in range(first, last + 1):
        first_name, last_name = client_name(i)
        created = base + timedelta(minutes=i)
        dept = i % 3 + 1
        out["clients"].append((i, f"{first_name} {last_name}", client_email(i), client_phone(i),
                               f"{WORDS[i % len(WORDS)].title()} project", dept,
                               Decimal(i % 1000) / 4, "USD", "active", created, 1))
        for k, login in enumerate(user_logins(i)):
            ids["client_users"] += 1
            out["client_users"].append((ids["client_users"], i, login,
                                        f"{login}@{MAIL[(i + k) % len(MAIL)]}",
                                        f"{first_name} {last_name}", "", True, user_ip(i, k), 1))
        for k, domain in enumerate(service_domains(i)):
            ids["services"] += 1
            out["services"].append((ids["services"], i, f"Hosting {k + 1}",
                                    "hosting" if k == 0 else "domain", domain, service_ip(i, k),
                                    Decimal("9.90"), "USD", "active", created + timedelta(days=365),
                                    1))
        for k in range(2):
            ids["payments"] += 1
            out["payments"].append((ids["payments"], i, payment_number(i, k),
                                    Decimal("9.90") * (k + 1), "USD", "paid", "card", "",
                                    created + timedelta(days=30 * k), created, 1))
        if i % 2 == 0:
            ids["tickets"] += 1
            out["tickets"].append((ids["tickets"], i, SUBJECTS[i % len(SUBJECTS)], dept, "normal",
                                   "new", None, created, created, 1))
    return out


COLUMNS = {
    "clients": ("id", "name", "email", "phone", "project_name", "department_id", "balance",
                "currency", "status", "created_at", "version"),
    "client_users": ("id", "client_id", "login", "email", "full_name", "password_hash", "enabled",
                     "last_ip", "version"),
    "services": ("id", "client_id", "name", "type", "domain", "ip", "price", "currency", "status",
                 "expires_at", "version"),
    "payments": ("id", "client_id", "number", "amount", "currency", "status", "method", "note",
                 "created_at", "paid_at", "version"),
    "tickets": ("id", "client_id", "subject", "department_id", "priority", "status", "assignee_id",
                "created_at", "updated_at", "version"),
}


def chunks(n: int) -> Iterator[tuple[int, int]]:
    for start in range(1, n + 1, CHUNK):
        yield start, min(n, start + CHUNK - 1)


def _progress(done: int, total: int, t0: float) -> None:
    rate = done / max(time.monotonic() - t0, 1e-9)
    print(f"\r  {done:>9,} / {total:,} clients  ({rate:,.0f}/s)", end="", flush=True)


# --- writers ----------------------------------------------------------------------------------------


def _sqlite_value(v):  # noqa: ANN001, ANN202
    if isinstance(v, datetime):          # SQLAlchemy's SQLite format (UTC, no zone), C-fast
        return v.replace(tzinfo=None).isoformat(" ", "microseconds")
    if isinstance(v, Decimal):
        return str(v)
    return v


def _migration_0002():  # noqa: ANN202
    """The search migration's module: its backfill SQL fills ``search_terms`` after the load, so
    the terms are exactly what the triggers would have written."""
    import importlib.util

    path = ROOT / "supportdesk_server/store/migrations/versions/0002_search_indexes.py"
    spec = importlib.util.spec_from_file_location("_sd_migration_0002", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _step(label: str, t0: float) -> float:
    now = time.monotonic()
    print(f"  {label}: {now - t0:.0f} s", flush=True)
    return now


def write_sqlite(path: str, n: int) -> None:
    """Bulk load: the search triggers and the secondary indexes of the loaded tables are taken off
    (their SQL is kept from sqlite_master), the rows go in, the search terms are written in one
    INSERT … SELECT per kind (the migration's backfill), then indexes and triggers go back."""
    mig = _migration_0002()
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-400000")       # 400 MB page cache while loading
    con.execute("PRAGMA foreign_keys=OFF")          # rows are consistent by construction
    con.execute("PRAGMA temp_store=MEMORY")
    try:
        if con.execute("select count(*) from clients").fetchone()[0]:
            raise SystemExit(f"{path} already has clients; use a new file")
        _staff_sqlite(con)
        tables = (*COLUMNS, "search_terms")
        marks = ", ".join("?" for _ in tables)
        saved = con.execute(
            f"SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
            f"AND tbl_name IN ({marks}) AND sql IS NOT NULL", tables).fetchall()
        con.execute("BEGIN")
        for type_, name, _sql in saved:
            con.execute(f"DROP {type_.upper()} {name}")
        con.execute("COMMIT")
        ids = {t: 0 for t in COLUMNS}
        t0 = t1 = time.monotonic()
        for first, last in chunks(n):
            data = rows(first, last, ids)
            con.execute("BEGIN")
            for table, cols in COLUMNS.items():
                sql = (f"INSERT INTO {table} ({', '.join(cols)}) "
                       f"VALUES ({', '.join('?' for _ in cols)})")
                con.executemany(sql, ([_sqlite_value(v) for v in r] for r in data[table]))
            con.execute("COMMIT")
            _progress(last, n, t0)
        print()
        t1 = _step("rows", t1)
        con.execute("BEGIN")
        for source, (table, _cols) in mig.SOURCES.items():
            for select in mig._term_selects(source, table, "sqlite"):
                con.execute(f"INSERT INTO search_terms ({mig.COLS}) {select}")
        con.execute("COMMIT")
        t1 = _step("search terms", t1)
        con.execute("BEGIN")
        con.execute(f"INSERT INTO search_terms_fts(rowid, term) SELECT id, term FROM search_terms "
                    f"WHERE kind IN ({mig._TEXT_KINDS_SQL})")
        con.execute("COMMIT")
        t1 = _step("trigram index", t1)
        con.execute("BEGIN")
        for type_, _name, sql in sorted(saved, key=lambda r: r[0] != "index"):
            con.execute(sql)
        con.execute("COMMIT")
        t1 = _step("b-tree indexes and triggers", t1)
        con.execute("INSERT INTO search_terms_fts(search_terms_fts) VALUES ('optimize')")
        con.execute("ANALYZE")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _step("optimize, analyze", t1)
    finally:
        con.close()


def _staff_sqlite(con: sqlite3.Connection) -> None:
    pw = hash_password(PASSWORD)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    con.execute("BEGIN")
    for d, name in enumerate(DEPARTMENTS, start=1):
        con.execute("INSERT INTO departments (id, name, accepts_forwards) VALUES (?, ?, 1)",
                    (d, name))
    for a, (login, role) in enumerate((("bench", "admin"), ("bench-sales", "agent")), start=1):
        con.execute("INSERT INTO agents (id, login, display_name, role, password_hash, status, "
                    "status_changed_at, enabled, can_edit_payments, can_edit_services, created_at)"
                    " VALUES (?, ?, ?, ?, ?, 'offline', ?, 1, 0, 0, ?)",
                    (a, login, login.title(), role, pw, now, now))
        con.execute("INSERT INTO agent_departments (agent_id, department_id) VALUES (?, 1)", (a,))
    con.execute("COMMIT")


async def write_postgres(url: str, n: int) -> None:
    import asyncpg

    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    con = await asyncpg.connect(dsn)
    try:
        if await con.fetchval("select count(*) from clients"):
            raise SystemExit(f"{url} already has clients; use a new database")
        pw = hash_password(PASSWORD)
        now = datetime.now(timezone.utc)
        async with con.transaction():
            for d, name in enumerate(DEPARTMENTS, start=1):
                await con.execute("INSERT INTO departments (id, name, accepts_forwards) "
                                  "VALUES ($1, $2, true)", d, name)
            for a, (login, role) in enumerate((("bench", "admin"), ("bench-sales", "agent")), 1):
                await con.execute(
                    "INSERT INTO agents (id, login, display_name, role, password_hash, status, "
                    "status_changed_at, enabled, can_edit_payments, can_edit_services, created_at)"
                    " VALUES ($1, $2, $3, $4, $5, 'offline', $6, true, false, false, $6)",
                    a, login, login.title(), role, pw, now)
                await con.execute("INSERT INTO agent_departments (agent_id, department_id) "
                                  "VALUES ($1, 1)", a)
        # bulk load: search triggers off and the search indexes dropped while the rows go in,
        # then the migration's backfill and the indexes (their definitions kept from pg_indexes)
        mig = _migration_0002()
        tables = list(COLUMNS)
        saved = await con.fetch(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_terms' "
            "AND indexname <> 'search_terms_pkey'")
        for table in tables:
            await con.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        for r in saved:
            await con.execute(f"DROP INDEX {r['indexname']}")
        ids = {t: 0 for t in COLUMNS}
        t0 = t1 = time.monotonic()
        for first, last in chunks(n):
            data = rows(first, last, ids)
            async with con.transaction():
                for table, cols in COLUMNS.items():
                    await con.copy_records_to_table(table, records=data[table], columns=cols)
            _progress(last, n, t0)
        print()
        t1 = _step("rows", t1)
        async with con.transaction():
            for source, (table, _cols) in mig.SOURCES.items():
                for select in mig._term_selects(source, table, "postgresql"):
                    await con.execute(f"INSERT INTO search_terms ({mig.COLS}) {select}")
        t1 = _step("search terms", t1)
        for r in saved:
            await con.execute(r["indexdef"])
        for table in tables:
            await con.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        t1 = _step("indexes (b-tree, trigram)", t1)
        for table in ("departments", "agents", *COLUMNS):
            await con.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT max(id) FROM {table}))")
        print("  analyzing …", flush=True)
        await con.execute("ANALYZE")
    finally:
        await con.close()


async def make_schema(url: str) -> None:
    engine = create_engine(url)
    try:
        await migrate(engine)
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", "--out", dest="out", metavar="FILE", help="a new SQLite file")
    where.add_argument("--database-url", metavar="URL", help="an empty PostgreSQL database "
                       "(postgresql+asyncpg://…)")
    p.add_argument("--clients", type=int, default=1_000_000, metavar="N")
    args = p.parse_args(argv)
    if args.clients < 1:
        p.error("--clients must be at least 1")
    url = args.database_url or f"sqlite+aiosqlite:///{Path(args.out).resolve()}"
    t0 = time.monotonic()
    print(f"schema (migrations) on {make_url(url).render_as_string(hide_password=True)}")
    asyncio.run(make_schema(url))
    print(f"writing {args.clients:,} clients …")
    if args.database_url:
        asyncio.run(write_postgres(url, args.clients))
    else:
        write_sqlite(str(Path(args.out).resolve()), args.clients)
    print(f"done in {time.monotonic() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

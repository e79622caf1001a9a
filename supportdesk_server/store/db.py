"""Engine, sessions and start-up migrations.

SQLite (aiosqlite) gets WAL, foreign keys and a busy timeout on every connection; PostgreSQL goes
through asyncpg. Alembic migrations are applied programmatically (no alembic.ini needed) on the
same async engine via ``run_sync``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(u, echo=echo,
                                     connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_async_engine(u, echo=echo, pool_size=10, max_overflow=20, pool_pre_ping=True)


# SQLite's own wait for a lock held by ANOTHER process (this server serialises its own writes
# under the event-log lock, so it never waits for itself). Short enough that a request behind a
# lock gets its 503 well inside a client's timeout, long enough to ride out a checkpoint or a
# quick backup step.
SQLITE_BUSY_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class DbFault:
    """An operational database failure a client should hear about as such (not as a bug)."""

    status: int        # 503 (try again) or 507 (disk full)
    code: str
    message: str
    retry_after: int   # seconds, for the Retry-After header


_BUSY = DbFault(503, "database_busy",
                "the database is locked by another process; nothing was saved, try again in a "
                "moment", 2)
_FULL = DbFault(507, "insufficient_storage",
                "the server's disk is full; nothing was saved, try again once an administrator "
                "has freed space", 30)
_IOERR = DbFault(503, "database_unavailable",
                 "the server cannot read or write its database right now; nothing was saved, "
                 "try again later", 5)


def db_fault(exc: BaseException) -> DbFault | None:
    """Classify a database exception (SQLAlchemy-wrapped or raw): a locked database, a full disk
    or an I/O error, else None (a bug: the caller answers 500 and logs it)."""
    orig = getattr(exc, "orig", None) or exc
    name = str(getattr(orig, "sqlite_errorname", "") or "")
    pgcode = str(getattr(orig, "sqlstate", "") or getattr(orig, "pgcode", "") or "")
    text = str(orig).lower()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text \
            or "database table is locked" in text:
        return _BUSY
    if name.startswith("SQLITE_FULL") or "database or disk is full" in text \
            or pgcode == "53100" or "no space left on device" in text:
        return _FULL
    if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")) or "disk i/o error" in text \
            or "unable to open database file" in text:
        return _IOERR
    return None


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _upgrade(connection: Connection, revision: str) -> None:
    command.upgrade(alembic_config(connection), revision)


async def migrate(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (default: the newest)."""
    async with engine.begin() as conn:
        await conn.run_sync(_upgrade, revision)
    log.info("database schema is at %s", revision)

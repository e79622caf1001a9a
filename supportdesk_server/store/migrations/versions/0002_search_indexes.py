"""Client search indexes: a ``search_terms`` table kept in sync by triggers, with a trigram index.

Every searchable value of a client (name, email, phone digits), of its login users (login, email,
last IP), services (domain, IP) and payments (number) is one row of ``search_terms``:
``term`` is the value normalised for matching (lower-cased; the digits only for a phone),
``value`` the value as stored (shown as "matched value"). Triggers on the four source tables keep
it in sync on every insert, update and delete, so no application code can forget it.

* a B-tree on ``(kind, term)``: exact matches and prefix ranges (``term >= q AND term < q || U+10FFFF``)
  for every kind. On PostgreSQL ``term`` uses the "C" collation so the range is a byte-wise prefix.
* substrings of the text kinds (name, email, phone, login, domain):
  - SQLite: an external-content FTS5 table ``search_terms_fts`` with the ``trigram`` tokenizer
    (SQLite >= 3.34; case-insensitive), kept in sync by triggers on ``search_terms``;
  - PostgreSQL: a GIN ``gin_trgm_ops`` index (extension pg_trgm) on the text kinds' ``term``, used by
    ``term LIKE '%q%'``. If the extension cannot be created, the migration still succeeds without
    that index (substring search then scans; see docs/architecture.md, "Search").

The table is not in models.py: nothing writes it but the triggers, and the search service reads
it through its own Core table (supportdesk_server.services.search).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

TEXT_KINDS = ("name", "email", "phone", "login", "domain")
_TEXT_KINDS_SQL = ", ".join(f"'{k}'" for k in TEXT_KINDS)
PHONE_CHARS = " -()+./"

COLS = "client_id, source, source_id, kind, term, value"


def _digits_sql(expr: str, dialect: str) -> str:
    if dialect == "postgresql":
        return f"regexp_replace({expr}, '[^0-9]', '', 'g')"
    out = expr
    for ch in PHONE_CHARS:
        out = f"replace({out}, '{ch}', '')"
    return out


def _term_selects(source: str, row: str, dialect: str) -> list[str]:
    """SELECT statements (no FROM on the trigger row, FROM the table for the backfill) producing
    the search terms of one source row. ``row`` is NEW (trigger) or the table name (backfill)."""
    r = row
    if source == "client":
        specs = [("name", f"lower({r}.name)", f"{r}.name", f"{r}.name <> ''"),
                 ("email", f"lower({r}.email)", f"{r}.email", f"{r}.email <> ''"),
                 ("phone", _digits_sql(f"{r}.phone", dialect), f"{r}.phone",
                  f"{_digits_sql(f'{r}.phone', dialect)} <> ''")]
        client = f"{r}.id"
    elif source == "user":
        specs = [("login", f"lower({r}.login)", f"{r}.login", f"{r}.login <> ''"),
                 ("email", f"lower({r}.email)", f"{r}.email", f"{r}.email <> ''"),
                 ("ip", f"lower({r}.last_ip)", f"{r}.last_ip", f"{r}.last_ip <> ''")]
        client = f"{r}.client_id"
    elif source == "service":
        specs = [("domain", f"lower({r}.domain)", f"{r}.domain", f"{r}.domain <> ''"),
                 ("ip", f"lower({r}.ip)", f"{r}.ip", f"{r}.ip <> ''")]
        client = f"{r}.client_id"
    else:
        specs = [("payment_number", f"lower({r}.number)", f"{r}.number", f"{r}.number <> ''")]
        client = f"{r}.client_id"
    return [f"SELECT {client}, '{source}', {r}.id, '{kind}', {term}, {value}"
            + ("" if row == "NEW" else f" FROM {row}") + f" WHERE {cond}"
            for kind, term, value, cond in specs]


# source -> (table, columns whose change re-indexes the row)
SOURCES = {
    "client": ("clients", ("name", "email", "phone")),
    "user": ("client_users", ("client_id", "login", "email", "last_ip")),
    "service": ("services", ("client_id", "domain", "ip")),
    "payment": ("payments", ("client_id", "number")),
}


def _sqlite_upgrade() -> None:
    op.execute(f"""CREATE VIRTUAL TABLE search_terms_fts USING fts5(
        term, content='search_terms', content_rowid='id', tokenize='trigram', detail=full)""")
    op.execute(f"""CREATE TRIGGER search_terms_ai AFTER INSERT ON search_terms
        WHEN new.kind IN ({_TEXT_KINDS_SQL}) BEGIN
        INSERT INTO search_terms_fts(rowid, term) VALUES (new.id, new.term); END""")
    op.execute(f"""CREATE TRIGGER search_terms_ad AFTER DELETE ON search_terms
        WHEN old.kind IN ({_TEXT_KINDS_SQL}) BEGIN
        INSERT INTO search_terms_fts(search_terms_fts, rowid, term)
        VALUES ('delete', old.id, old.term); END""")
    # search_terms rows are only ever inserted and deleted (see the source triggers below), but an
    # UPDATE made by hand must not leave the index stale either
    op.execute(f"""CREATE TRIGGER search_terms_au AFTER UPDATE ON search_terms BEGIN
        INSERT INTO search_terms_fts(search_terms_fts, rowid, term)
        SELECT 'delete', old.id, old.term WHERE old.kind IN ({_TEXT_KINDS_SQL});
        INSERT INTO search_terms_fts(rowid, term)
        SELECT new.id, new.term WHERE new.kind IN ({_TEXT_KINDS_SQL}); END""")
    for source, (table, columns) in SOURCES.items():
        inserts = "\n".join(f"INSERT INTO search_terms ({COLS}) {s};"
                            for s in _term_selects(source, "NEW", "sqlite"))
        delete = f"DELETE FROM search_terms WHERE source = '{source}' AND source_id = old.id;"
        op.execute(f"CREATE TRIGGER search_{table}_ai AFTER INSERT ON {table} BEGIN\n"
                   f"{inserts}\nEND")
        op.execute(f"CREATE TRIGGER search_{table}_au AFTER UPDATE OF {', '.join(columns)} "
                   f"ON {table} BEGIN\n{delete}\n{inserts}\nEND")
        op.execute(f"CREATE TRIGGER search_{table}_ad AFTER DELETE ON {table} BEGIN\n"
                   f"{delete}\nEND")


def _pg_upgrade() -> None:
    bind = op.get_bind()
    trgm = False
    try:
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        trgm = True
    except sa.exc.DBAPIError as exc:
        log.warning("pg_trgm is not available (%s): substring search will not be indexed", exc)
    if trgm:
        op.execute(f"""CREATE INDEX ix_search_terms_trgm ON search_terms
            USING gin (term gin_trgm_ops) WHERE kind IN ({_TEXT_KINDS_SQL})""")
    for source, (table, columns) in SOURCES.items():
        inserts = "\n".join(f"INSERT INTO search_terms ({COLS}) {s};"
                            for s in _term_selects(source, "NEW", "postgresql"))
        op.execute(f"""CREATE FUNCTION search_terms_{table}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP IN ('UPDATE', 'DELETE') THEN
                DELETE FROM search_terms WHERE source = '{source}' AND source_id = OLD.id;
              END IF;
              IF TG_OP IN ('INSERT', 'UPDATE') THEN
                {inserts}
              END IF;
              RETURN NULL;
            END $$""")
        op.execute(f"""CREATE TRIGGER search_{table}_sync
            AFTER INSERT OR DELETE OR UPDATE OF {', '.join(columns)} ON {table}
            FOR EACH ROW EXECUTE FUNCTION search_terms_{table}()""")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    term_type = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
    op.create_table(
        'search_terms',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('client_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('source', sa.String(length=8), nullable=False),
        sa.Column('source_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('term', term_type, nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_search_terms_kind_term', 'search_terms', ['kind', 'term'])
    op.create_index('ix_search_terms_source', 'search_terms', ['source', 'source_id'])
    if dialect == "sqlite":
        _sqlite_upgrade()
    else:
        _pg_upgrade()
    # index what is already there (a database created before this revision)
    for source, (table, _columns) in SOURCES.items():
        for s in _term_selects(source, table, dialect):
            op.execute(f"INSERT INTO search_terms ({COLS}) {s}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for _source, (table, _columns) in SOURCES.items():
        if dialect == "sqlite":
            for suffix in ("ai", "au", "ad"):
                op.execute(f"DROP TRIGGER IF EXISTS search_{table}_{suffix}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS search_{table}_sync ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS search_terms_{table}()")
    if dialect == "sqlite":
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS search_terms_{suffix}")
        op.execute("DROP TABLE IF EXISTS search_terms_fts")
    op.drop_index('ix_search_terms_source', table_name='search_terms')
    op.drop_index('ix_search_terms_kind_term', table_name='search_terms')
    op.drop_table('search_terms')

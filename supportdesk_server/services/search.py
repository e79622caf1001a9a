"""Client search: one query string against every identifier and text field of a client.

The data lives in ``search_terms`` (migration 0002): one row per searchable value, kept in sync by
triggers, with a B-tree on ``(kind, term)`` and a trigram index on the text kinds (FTS5 on SQLite,
pg_trgm GIN on PostgreSQL). A search runs a few small indexed probes, most specific first, and
stops as soon as it has ``limit`` clients:

1. numeric ids: client id, service id, ticket id (primary keys);
2. exact terms: payment number, IP, login, email, domain, name, phone (``term = lower(q)``);
3. prefixes of the text kinds (a range on the B-tree, read in index order);
4. substrings of the text kinds (3 characters or more; the trigram index).

A client found by an earlier probe keeps the field it was found by. Every probe joins ``clients``
with the agent's department filter and a LIMIT, and reads in an index's order with no sort, so
the cost is bounded by the limit, not by the size of the table.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    func,
    literal,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk_server.store import models as M

SEARCH_LIMIT = 50
MAX_ID = 2**53
# Kinds of search_terms rows. Text kinds are matched by prefix and substring, the others exactly.
TEXT_KINDS = ("name", "email", "phone", "login", "domain")
EXACT_KINDS = ("payment_number", "ip", "login", "email", "domain", "name")
PHONE_CHARS = set("0123456789 -()+./")
MIN_SUBSTRING = 3            # trigram indexes need three characters
MIN_PHONE_DIGITS = 3
# Tables that exist only in the migrations (not in models.py).
SEARCH_TABLES = ("search_terms", "search_terms_fts")

_meta = MetaData()
search_terms = Table(
    "search_terms", _meta,
    Column("id", Integer, primary_key=True),
    Column("client_id", Integer),
    Column("source", String(8)),
    Column("source_id", Integer),
    Column("kind", String(16)),
    Column("term", Text),
    Column("value", Text),
)
T = search_terms
C = M.Client
# The largest code point: ``term < prefix || MAX_CHAR`` ends a prefix range (byte-wise order on
# SQLite's BINARY and PostgreSQL's "C" collation).
MAX_CHAR = "\U0010ffff"


def is_search_table(name: str | None) -> bool:
    """For Alembic's ``include_name``: the search tables (and FTS5 shadow tables) are made by the
    migration only, so comparing models.py with the database must skip them."""
    return bool(name) and any(name == t or name.startswith(t + "_") for t in SEARCH_TABLES)


@dataclass(frozen=True)
class Hit:
    client: M.Client
    matched_field: str
    matched_value: str


def _is_ip(text_: str) -> bool:
    try:
        ipaddress.ip_address(text_)
    except ValueError:
        return False
    return True


def phone_digits(q: str) -> str:
    """The digits of ``q`` if it looks like (part of) a phone number, else ""."""
    if not q or not set(q) <= PHONE_CHARS:
        return ""
    digits = "".join(ch for ch in q if ch.isdigit())
    return digits if len(digits) >= MIN_PHONE_DIGITS else ""


def _fts_phrase(q: str) -> str:
    return '"' + q.replace('"', '""') + '"'


def _like_contains(q: str) -> str:
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class _Collector:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.hits: dict[int, Hit] = {}

    @property
    def full(self) -> bool:
        return len(self.hits) >= self.limit

    def add(self, client: M.Client, field: str, value: Any) -> None:
        if client.id not in self.hits and not self.full:
            self.hits[client.id] = Hit(client, field, str(value))


def _lower(name: str, value: str) -> Any:
    """``lower(:value)`` evaluated by the database, so the query is folded exactly as the triggers
    folded the stored terms (SQLite's lower() folds ASCII only)."""
    return func.lower(bindparam(name, value, type_=Text)).self_group()


def _terms(*where: Any) -> Any:
    return select(C, T.c.kind, T.c.value).join(C, C.id == T.c.client_id).where(*where)


def _substring_stmt(dialect: str, needle: str, kinds: list[str]) -> Any:
    kind_cond = T.c.kind.in_(kinds) if len(kinds) > 1 else T.c.kind == kinds[0]
    if dialect == "sqlite":
        fts = Table("search_terms_fts", MetaData(), Column("rowid", Integer), Column("term", Text))
        # FTS5 first (the MATCH drives the loop, in rowid order), then the term row and client
        return (select(C, T.c.kind, T.c.value)
                .select_from(fts)
                .join(T, T.c.id == fts.c.rowid)
                .join(C, C.id == T.c.client_id)
                .where(text("search_terms_fts MATCH :fts_q").bindparams(fts_q=_fts_phrase(needle)),
                       kind_cond))
    # pg_trgm: the partial GIN index covers kind IN (every text kind); repeating that predicate
    # lets the planner prove the index applies whatever subset is asked for
    return _terms(kind_cond, T.c.kind.in_(TEXT_KINDS),
                  T.c.term.like(_lower("like_q", _like_contains(needle)), escape="\\"))


async def search_clients(session: AsyncSession, query: str, visible: Any,
                         limit: int = SEARCH_LIMIT) -> list[Hit]:
    """The clients matching ``query`` (already stripped, non-empty) that pass ``visible`` (an SQL
    condition on ``clients``), most specific match first, at most ``limit``."""
    dialect = session.bind.dialect.name
    out = _Collector(limit)
    over = limit * 2           # a probe may return clients an earlier probe already found

    async def run(field: str | None, stmt: Any) -> None:
        if out.full:
            return
        rows = (await session.execute(stmt.where(visible).limit(over))).all()
        for client, kind, value in rows:
            out.add(client, field or kind, value)

    for field, stmt in probes(dialect, query):
        await run(field, stmt)
    return list(out.hits.values())


def probes(dialect: str, query: str) -> list[tuple[str | None, Any]]:
    """The statements a search runs, in order: (field or None to take the term's kind, select of
    (Client, kind, value)). Public for the EXPLAIN tests."""
    out: list[tuple[str | None, Any]] = []
    # 1. ids
    if query.isdigit() and int(query) <= MAX_ID:
        n = int(query)
        out.append(("client_id", select(C, literal("client_id"), C.id).where(C.id == n)))
        out.append(("service_id", select(C, literal("service_id"), M.Service.id)
                    .join(M.Service, M.Service.client_id == C.id).where(M.Service.id == n)))
        out.append(("ticket_id", select(C, literal("ticket_id"), M.Ticket.id)
                    .join(M.Ticket, M.Ticket.client_id == C.id).where(M.Ticket.id == n)))
    q_low = _lower("q_low", query)
    # 2. exact terms (the index's first column through IN: one seek per kind)
    exact_kinds = [k for k in EXACT_KINDS if k != "ip" or _is_ip(query)]
    out.append((None, _terms(T.c.kind.in_(exact_kinds), T.c.term == q_low)))
    digits = phone_digits(query)
    if digits:
        out.append((None, _terms(T.c.kind == "phone", T.c.term == digits)))
    # 3. prefixes: one range per kind, read in index order (no sort)
    for kind in TEXT_KINDS:
        if kind == "phone" and not digits:
            continue
        prefix = digits if kind == "phone" else q_low
        out.append((None, _terms(T.c.kind == kind, T.c.term >= prefix,
                                 T.c.term < prefix + MAX_CHAR).order_by(T.c.kind, T.c.term)))
    # 4. substrings (three characters or more: the trigram indexes need one whole trigram)
    if len(query) >= MIN_SUBSTRING:
        out.append((None, _substring_stmt(dialect, query, [k for k in TEXT_KINDS if k != "phone"])))
    if len(digits) >= MIN_SUBSTRING:
        out.append((None, _substring_stmt(dialect, digits, ["phone"])))
    return out


__all__ = ["Hit", "SEARCH_LIMIT", "search_clients", "probes", "search_terms", "is_search_table",
           "phone_digits"]

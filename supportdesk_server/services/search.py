"""Client search: one query string against every identifier and text field of a client.

The data lives in ``search_terms`` (migration 0002): one row per searchable value, kept in sync by
triggers, with a B-tree on ``(kind, term)`` and a trigram index on the text kinds (FTS5 on SQLite,
pg_trgm GIN on PostgreSQL). A search is one statement: a ``UNION ALL`` of small indexed
probes, most specific first, each with its own LIMIT:

1. numeric ids: client id, service id, ticket id (primary keys);
2. exact terms: payment number, IP, login, email, domain, name, phone (``term = lower(q)``);
3. prefixes of the text kinds (a range on the B-tree, read in index order);
4. substrings of the text kinds (3 characters or more; the trigram index).

A client found by an earlier probe keeps the field it was found by; the (at most ``limit``)
clients are then read by primary key. Every probe joins ``clients`` for the agent's department
filter (not needed for an admin), has a LIMIT and reads in an index's order with no sort, so the
cost is bounded by the limit, not by the size of the tables.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    cast,
    func,
    literal,
    select,
    text,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk_server.errors import ApiError
from supportdesk_server.store import models as M

SEARCH_LIMIT = 50
MAX_ID = 2**53
# Kinds of search_terms rows. Text kinds are matched by prefix and substring, the others exactly.
TEXT_KINDS = ("name", "email", "phone", "login", "domain")
EXACT_KINDS = ("payment_number", "ip", "login", "email", "domain", "name")
PHONE_CHARS = frozenset("0123456789 -()+./")
MIN_SUBSTRING = 3            # trigram indexes need three characters
MIN_PHONE_DIGITS = 3
# Tables that exist only in the migrations (not in models.py).
SEARCH_TABLES = ("search_terms", "search_terms_fts")
# The largest code point: ``term < prefix || MAX_CHAR`` ends a prefix range (byte-wise order on
# SQLite's BINARY and PostgreSQL's "C" collation).
MAX_CHAR = "\U0010ffff"

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
# the FTS5 table (SQLite only)
search_terms_fts = Table("search_terms_fts", _meta, Column("rowid", Integer), Column("term", Text))
T = search_terms
C = M.Client


def is_search_table(name: str | None) -> bool:
    """For Alembic's ``include_name``: the search tables (and FTS5 shadow tables) are made by the
    migration only, so comparing models.py with the database must skip them."""
    return bool(name) and any(name == t or name.startswith(t + "_") for t in SEARCH_TABLES)


@dataclass(frozen=True)
class Hit:
    client: M.Client
    matched_field: str
    matched_value: str


class Shape(NamedTuple):
    """What kinds of probes a query needs; one cached statement per shape (and dialect)."""

    ids: bool            # all digits: client, service and ticket id
    ip: bool             # an IP address: the exact IP kinds
    phone: bool          # digits and phone punctuation only, 3+ digits: phone prefix and exact
    phone_sub: bool      # ... and a substring of the phone digits
    text_sub: bool       # 3+ characters, not a phone/IP: substring of the text kinds


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


def clean_query(q: str) -> str:
    """The query as searched (stripped); 422 for a NUL character (no stored text can hold one,
    and PostgreSQL refuses it in a parameter)."""
    if "\x00" in q:
        raise ApiError(422, "validation_error", "q: must not contain a NUL character",
                       [{"loc": ["q"], "msg": "must not contain a NUL character",
                         "type": "value_error"}])
    return q.strip()


def shape_and_params(query: str) -> tuple[Shape, dict[str, Any]]:
    digits = phone_digits(query)
    is_ip = _is_ip(query)
    shape = Shape(
        ids=query.isascii() and query.isdigit() and int(query) <= MAX_ID,
        ip=is_ip,
        phone=bool(digits),
        phone_sub=len(digits) >= MIN_SUBSTRING,
        # Not for a query of digits and phone punctuation or an IP address: those are ids, phone
        # numbers and addresses (found by the other probes); their trigrams ("123", "0.1") are in
        # a large share of all emails, logins and domains: a long intersection for nothing.
        text_sub=len(query) >= MIN_SUBSTRING and not set(query) <= PHONE_CHARS and not is_ip,
    )
    params: dict[str, Any] = {"q": query, "max_char": MAX_CHAR}
    if shape.ids:
        params["n"] = int(query)
    if shape.phone:
        params["digits"] = digits
        params["digits_hi"] = digits + MAX_CHAR
    # the needles of the substring probes: an FTS5 phrase on SQLite, a LIKE pattern on PostgreSQL
    params["fts_q"] = _fts_phrase(query)
    params["like_q"] = _like_contains(query)
    params["fts_digits"] = _fts_phrase(digits)
    params["like_digits"] = _like_contains(digits)
    return shape, params


# ``lower(:q)`` is evaluated by the database, so the query is folded exactly as the triggers folded
# the stored terms (SQLite's lower() folds ASCII only; its FTS5 trigrams fold all of Unicode).
_Q_LOW = func.lower(bindparam("q", type_=Text)).self_group()


def _cols(client_id: Any, field: Any, value: Any) -> tuple[Any, Any, Any]:
    return client_id.label("client_id"), field.label("field"), value.label("value")


_TERM_COLS = _cols(T.c.client_id, T.c.kind, T.c.value)


def _terms(*where: Any) -> Any:
    return select(*_TERM_COLS).where(*where)


def _substring(dialect: str, needle: str, kinds: tuple[str, ...]) -> Any:
    """Terms of ``kinds`` containing the needle bound as ``fts_<needle>`` / ``like_<needle>``."""
    kind_cond = T.c.kind.in_(kinds) if len(kinds) > 1 else T.c.kind == kinds[0]
    if dialect == "sqlite":
        # FTS5 first (its MATCH drives the loop, in rowid order), then the term row by rowid
        return (select(*_TERM_COLS)
                .select_from(search_terms_fts)
                .join(T, T.c.id == search_terms_fts.c.rowid)
                .where(text(f"search_terms_fts MATCH :fts_{needle}")
                       .bindparams(bindparam(f"fts_{needle}", type_=Text)), kind_cond))
    # pg_trgm: the partial GIN index covers kind IN (every text kind); repeating that predicate
    # lets the planner prove the index applies whatever subset is asked for
    pattern = func.lower(bindparam(f"like_{needle}", type_=Text))
    return _terms(kind_cond, T.c.kind.in_(TEXT_KINDS), T.c.term.like(pattern, escape="\\"))


def probes(dialect: str, shape: Shape) -> list[tuple[Any, Any]]:
    """The probes of a search, most specific first: (the ``client_id`` column the department
    filter goes on, a select of (client_id, matched field, matched value))."""
    Sv, Tk = M.Service, M.Ticket
    n = bindparam("n", type_=BigInteger)
    out: list[tuple[Any, Any]] = []
    # 1. ids (primary keys)
    if shape.ids:
        out.append((C.id, select(*_cols(C.id, literal("client_id"), cast(C.id, Text)))
                    .where(C.id == n)))
        out.append((Sv.client_id, select(*_cols(Sv.client_id, literal("service_id"),
                                                cast(Sv.id, Text))).where(Sv.id == n)))
        out.append((Tk.client_id, select(*_cols(Tk.client_id, literal("ticket_id"),
                                                cast(Tk.id, Text)))
                    .where(Tk.id == n, Tk.client_id.is_not(None))))
    # 2. exact terms (the index's first column through IN: one seek per kind)
    exact_kinds = [k for k in EXACT_KINDS if k != "ip" or shape.ip]
    out.append((T.c.client_id, _terms(T.c.kind.in_(exact_kinds), T.c.term == _Q_LOW)))
    if shape.phone:
        out.append((T.c.client_id, _terms(T.c.kind == "phone",
                                          T.c.term == bindparam("digits", type_=Text))))
    # 3. prefixes: one range per kind, read in index order (no sort)
    for kind in TEXT_KINDS:
        if kind == "phone":
            if not shape.phone:
                continue
            lo, hi = bindparam("digits", type_=Text), bindparam("digits_hi", type_=Text)
        else:
            lo, hi = _Q_LOW, _Q_LOW + bindparam("max_char", type_=Text)
        out.append((T.c.client_id, _terms(T.c.kind == kind, T.c.term >= lo, T.c.term < hi)
                    .order_by(T.c.kind, T.c.term)))
    # 4. substrings (three characters or more: the trigram indexes need one whole trigram)
    if shape.text_sub:
        out.append((T.c.client_id,
                    _substring(dialect, "q", tuple(k for k in TEXT_KINDS if k != "phone"))))
    if shape.phone_sub:
        out.append((T.c.client_id, _substring(dialect, "digits", ("phone",))))
    return out


@functools.lru_cache(maxsize=512)
def _statement(dialect: str, shape: Shape, restricted: bool, limit: int) -> Any:
    """All probes in one statement: a ``UNION ALL`` of the probes, each with its own LIMIT (and
    its index order), tagged with its number to keep "most specific first". Built once per shape,
    so SQLAlchemy's compiled cache is hit; values are bound parameters."""
    per_probe = limit * 2              # a probe may return clients an earlier one already found
    arms = []
    for no, (client_col, stmt) in enumerate(probes(dialect, shape)):
        if restricted:
            if client_col is not C.id:
                stmt = stmt.join(C, C.id == client_col)
            stmt = stmt.where(C.department_id.in_(bindparam("departments", expanding=True)))
        sub = stmt.limit(per_probe).subquery(f"p{no}")
        arms.append(select(literal(no).label("probe"), sub.c.client_id, sub.c.field,
                           sub.c.value))
    return union_all(*arms).limit(per_probe * 2)


def search_statement(dialect: str, query: str, departments: Collection[int] | None,
                     limit: int = SEARCH_LIMIT) -> tuple[Any, dict[str, Any]]:
    """The statement and its parameters for ``query`` (``departments``: the ones the agent may
    see, None for all)."""
    shape, params = shape_and_params(query)
    if departments is not None:
        params["departments"] = sorted(departments)
    return _statement(dialect, shape, departments is not None, limit), params


async def search_clients(session: AsyncSession, query: str,
                         departments: Collection[int] | None,
                         limit: int = SEARCH_LIMIT) -> list[Hit]:
    """The clients matching ``query`` (stripped, non-empty) in ``departments`` (None: all), most
    specific match first, at most ``limit``."""
    if departments is not None and not departments:
        return []
    stmt, params = search_statement(session.bind.dialect.name, query, departments, limit)
    found: dict[int, tuple[str, str]] = {}
    rows = (await session.execute(stmt, params)).all()
    for _probe, client_id, field, value in sorted(rows, key=lambda r: r[0]):
        if client_id not in found:
            found[client_id] = (field, str(value))
            if len(found) >= limit:
                break
    if not found:
        return []
    clients = {c.id: c for c in await session.scalars(select(C).where(C.id.in_(found)))}
    return [Hit(clients[cid], field, value) for cid, (field, value) in found.items()
            if cid in clients]


__all__ = ["Hit", "SEARCH_LIMIT", "Shape", "clean_query", "search_clients", "search_statement", "probes",
           "search_terms", "is_search_table", "phone_digits", "shape_and_params"]

"""Filters of a client's lists (``GET /api/v1/clients/{id}/payments?q=&status=`` and the others).

``ListSearch`` says what a list can be filtered on: its text columns (``q`` is a case-insensitive
substring of any of them), its enum columns (matched with spaces read as ``_``, so "in progress"
finds ``in_progress``), whether a number in ``q`` also matches the row id, and the enum of its
``status`` column (``?status=`` is then an equality filter; lists without one have no ``status``
parameter). ``dependency(search)`` is the FastAPI dependency that validates both parameters and
answers the SQL conditions to add to the list's ``WHERE``; the list keeps its order and paging,
and its ``total`` counts the filtered rows.

LIKE wildcards the agent types (``%``, ``_``, ``\\``) are escaped: they match themselves.
Case folding is the database's: PostgreSQL's ILIKE folds all of Unicode, SQLite's lower() ASCII.

This module has no ``from __future__ import annotations`` on purpose: the dependency is built per
list, and FastAPI reads its (closure) annotations as objects.
"""

from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, Callable

from fastapi import Query
from sqlalchemy import or_

from supportdesk_protocol import limits as L
from supportdesk_server.errors import ApiError

MAX_FILTER = L.MAX_SEARCH_QUERY
MAX_ID = 2**53


@dataclass(frozen=True)
class ListSearch:
    text: tuple[Any, ...]                 # columns searched for ``q`` as a substring
    enums: tuple[Any, ...] = ()           # enum-valued columns searched too (spaces -> "_")
    id_column: Any = None                 # a number in ``q`` also matches this id exactly
    status: tuple[Any, type[Enum]] | None = None   # (column, enum) for ``?status=``


def escape_like(text: str) -> str:
    """``text`` as a LIKE pattern matching itself (escape character ``\\``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _field_error(field: str, message: str) -> ApiError:
    return ApiError(422, "validation_error", f"{field}: {message}",
                    [{"loc": [field], "msg": message, "type": "value_error"}])


def conditions(search: ListSearch, q: str | None, status: Enum | None = None) -> list[Any]:
    """The SQL conditions for ``q`` (already validated) and ``status``; [] when neither."""
    out: list[Any] = []
    text = (q or "").strip()
    if text:
        pattern = f"%{escape_like(text)}%"
        alts = [col.ilike(pattern, escape="\\") for col in search.text]
        if search.enums:
            enum_pattern = f"%{escape_like(text.replace(' ', '_'))}%"
            alts += [col.ilike(enum_pattern, escape="\\") for col in search.enums]
        if search.id_column is not None and text.isascii() and text.isdigit() \
                and 0 < int(text) <= MAX_ID:
            alts.append(search.id_column == int(text))
        out.append(or_(*alts))
    if status is not None and search.status is not None:
        out.append(search.status[0] == status.value)
    return out


def _check_q(q: str | None) -> str | None:
    if q is None:
        return None
    if "\x00" in q:        # no stored text can contain it (PostgreSQL refuses it outright)
        raise _field_error("q", "must not contain a NUL character")
    return q


def dependency(search: ListSearch) -> Callable[..., list[Any]]:
    """A FastAPI dependency answering the list's filter conditions."""
    q_doc = "case-insensitive substring of the list's text columns (wildcards are literal)"
    QParam = Annotated[str | None, Query(max_length=MAX_FILTER, description=q_doc)]

    if search.status is None:
        def list_filter(q: QParam = None) -> list[Any]:
            return conditions(search, _check_q(q))
        return list_filter

    enum = search.status[1]
    SParam = Annotated[enum | None, Query(description=f"only rows whose status is this "
                                                      f"({', '.join(e.value for e in enum)})")]

    def list_filter_status(q: QParam = None, status: SParam = None) -> list[Any]:
        return conditions(search, _check_q(q), status)
    return list_filter_status


__all__ = ["ListSearch", "MAX_FILTER", "conditions", "dependency", "escape_like"]

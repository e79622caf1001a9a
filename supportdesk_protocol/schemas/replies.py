"""Pre-defined replies and the change log."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from supportdesk_protocol import limits as L
from supportdesk_protocol.schemas.base import Id, MessageText, Request, Response


class ReplyScope(StrEnum):
    DEPARTMENT = "department"   # every agent of the department sees it
    PERSONAL = "personal"       # only its author


class PredefinedReply(Response):
    id: int
    title: str
    text: str
    scope: ReplyScope
    department_id: int | None
    owner_id: int
    chat_only: bool
    version: int


class ReplyCreate(Request):
    """``POST /api/v1/replies``: a department reply needs ``department_id`` (one of the agent's
    departments); a personal one must not have it."""

    title: Annotated[str, StringConstraints(min_length=1, max_length=L.MAX_NAME)]
    text: MessageText
    scope: ReplyScope = ReplyScope.PERSONAL
    department_id: Id | None = None
    chat_only: bool = False


class ReplyPatch(Request):
    """``PATCH /api/v1/replies/{id}``: ``version`` is the one the client saw (409 if it changed)."""

    version: Annotated[int, Field(ge=1)]
    title: Annotated[str, StringConstraints(min_length=1, max_length=L.MAX_NAME)] | None = None
    text: MessageText | None = None
    scope: ReplyScope | None = None
    department_id: Id | None = None
    chat_only: bool | None = None


class ChangelogEntry(Response):
    id: int
    version: str
    published_at: datetime
    title: str
    body: str


__all__ = [
    "ReplyScope", "PredefinedReply", "ReplyCreate", "ReplyPatch", "ChangelogEntry",
]

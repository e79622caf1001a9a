"""What every HTTP body shares: the request / response bases, the constrained strings and ids,
the page of a list endpoint."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from supportdesk_protocol import limits as L


class Request(BaseModel):
    """Base of every body a client sends."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class Response(BaseModel):
    """Base of every body the server sends. Its JSON schema (serialization) marks every field as
    required: the server always sends them all (``null`` where allowed)."""

    model_config = ConfigDict(extra="ignore", from_attributes=True,
                              json_schema_serialization_defaults_required=True)


# --- constrained strings -----------------------------------------------------------------------

def _no_nul(value: str) -> str:
    # U+0000 cannot be stored in PostgreSQL text and is never meant: refuse it (a 422), do not
    # let it become a database error. (Lone surrogates are refused by pydantic itself.)
    if "\x00" in value:
        raise ValueError("must not contain the NUL character (U+0000)")
    return value


NoNul = AfterValidator(_no_nul)

Login = Annotated[str, StringConstraints(min_length=1, max_length=L.MAX_LOGIN), NoNul]
Password = Annotated[str, StringConstraints(min_length=1, max_length=L.MAX_PASSWORD), NoNul]
MessageText = Annotated[str, StringConstraints(min_length=1, max_length=L.MAX_MESSAGE_TEXT),
                        NoNul]
ClientMsgId = Annotated[str, StringConstraints(min_length=1, max_length=L.MAX_CLIENT_MSG_ID,
                                               pattern=r"^[A-Za-z0-9._:-]+$")]
ShortText = Annotated[str, StringConstraints(max_length=L.MAX_NAME), NoNul]
LongText = Annotated[str, StringConstraints(max_length=L.MAX_SUMMARY), NoNul]
UrlText = Annotated[str, StringConstraints(max_length=L.MAX_URL), NoNul]
Id = Annotated[int, Field(ge=1, le=2**53)]


T = TypeVar("T")


class Page(Response, Generic[T]):
    """A page of a list endpoint. Ask with ``?offset=&limit=`` (limit 1..500, default 50)."""

    items: list[T]
    total: int
    offset: int
    limit: int


__all__ = [
    "Request", "Response", "NoNul", "Login", "Password", "MessageText", "ClientMsgId", "ShortText",
    "LongText", "UrlText", "Id", "Page",
]

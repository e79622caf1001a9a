"""The HTTP transport of :class:`~supportdesk_qt.backend.http.HttpBackend`: one
``httpx.AsyncClient``, the bearer token, the request log, and the queue of stream items everything
is reported on.

* Every request produces a :class:`RequestRecord`, put on the item queue and kept in
  :attr:`HttpTransport.request_log` (a ring of the last 500) for the network panel. Tokens and
  passwords never appear in records or logs.
* Every failure is a :class:`BackendError` with a sentence (``errors.py``).
* Request bodies are built from the request models of ``supportdesk_protocol.schemas``
  (:meth:`HttpTransport.send`): the model is the one allow-list of fields. A field the model does
  not have, or a value outside its limits, is refused before anything is sent, with a
  ``ValidationFailed`` that names the field (``errors.invalid_request``); nothing is dropped
  silently.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import os
import ssl
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from supportdesk_protocol.limits import API_PREFIX
from supportdesk_protocol.schemas import Request
from supportdesk_qt.backend.server_url import normalize_server_url
from supportdesk_qt.version import app_version
from supportdesk_qt.backend.base import (
    AuthError,
    BackendError,
    BackendItem,
    NetworkError,
    RequestRecord,
    ServerError,
    ValidationFailed,
)
from supportdesk_qt.backend.http.errors import (
    describe_network_error,
    error_from_response,
    invalid_request,
)

log = logging.getLogger("supportdesk.backend.http")

M = TypeVar("M", bound=BaseModel)

REQUEST_LOG_SIZE = 500


DEFAULT_USER_AGENT = f"SupportDesk/{app_version()}"


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def ssl_context(verify: bool | str) -> ssl.SSLContext:
    """System CAs (``True``), or only the CA file / directory given. Certificate verification
    cannot be turned off (docs/security.md): a self-signed server needs its CA file."""
    if verify is False:
        raise ValueError("TLS certificate verification cannot be turned off; give the CA "
                         "certificate file of the server instead")
    if isinstance(verify, str) and verify:
        if os.path.isdir(verify):
            return ssl.create_default_context(capath=verify)
        return ssl.create_default_context(cafile=verify)
    return ssl.create_default_context()


def request_body(model: type[Request], fields: dict[str, Any]) -> dict[str, Any]:
    """The JSON body of ``model`` with exactly the ``fields`` given: validated by the protocol
    model (unknown fields and bad values raise ``ValidationFailed``), then dumped with only the
    fields that were given, so a PATCH changes what it names (``None`` included: it clears)."""
    try:
        return model.model_validate(fields).model_dump(mode="json", exclude_unset=True)
    except ValidationError as exc:
        raise invalid_request(exc) from None


# --- the item queue -------------------------------------------------------------------------------

_END = object()


class ItemQueue:
    """The backend's stream of items (``Backend.items()``): one consumer, ends after :meth:`end`."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._ended = False

    def emit(self, item: BackendItem) -> None:
        if not self._ended:
            self._queue.put_nowait(item)

    def end(self) -> None:
        self._queue.put_nowait(_END)

    def __aiter__(self) -> ItemQueue:
        return self

    async def __anext__(self) -> BackendItem:
        # Unlike an async generator this survives a cancelled ``__anext__``
        # (``asyncio.wait_for(anext(it), t)`` timing out): nothing is lost, iteration simply
        # continues with the next call.
        if self._ended and self._queue.empty():
            raise StopAsyncIteration
        item = await self._queue.get()
        if item is _END:
            self._ended = True
            raise StopAsyncIteration
        return item


# --- the transport --------------------------------------------------------------------------------


class HttpTransport:
    """JSON over HTTP to one server; reports every request on ``emit``."""

    def __init__(self, server_url: str, emit: Callable[[BackendItem], None], *,
                 verify: bool | str = True, user_agent: str = DEFAULT_USER_AGENT,
                 timeout: float = 15.0, request_log_size: int = REQUEST_LOG_SIZE,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.server_url = normalize_server_url(server_url)
        self.user_agent = user_agent
        self.ssl = ssl_context(verify)
        self.request_log: collections.deque[RequestRecord] = collections.deque(
            maxlen=request_log_size)
        self.token: str | None = None     # the bearer token in use; never log it
        self.closed = False
        self._emit = emit
        self._http = httpx.AsyncClient(
            base_url=self.server_url, verify=self.ssl, timeout=timeout,
            headers={"User-Agent": user_agent, "Accept": "application/json"},
            transport=transport)

    def record(self, kind: str, method: str, path: str, status: int | None, started: float,
               error: str = "", at: datetime | None = None) -> None:
        rec = RequestRecord(at=at or utc_now(), kind=kind, method=method, path=path, status=status,
                            duration_ms=round((time.monotonic() - started) * 1000.0, 1),
                            error=error)
        self.request_log.append(rec)
        self._emit(rec)
        if error:
            log.info("%s %s %s -> %s (%.0f ms): %s", kind, method, path, status, rec.duration_ms,
                     error)
        else:
            log.debug("%s %s %s -> %s (%.0f ms)", kind, method, path, status, rec.duration_ms)

    async def request(self, method: str, path: str, *, body: dict[str, Any] | None = None,
                      params: dict[str, Any] | None = None, auth: bool = True,
                      login: bool = False) -> httpx.Response:
        if self.closed:
            raise BackendError("The connection to the server was closed.", code="closed")
        headers = {}
        if auth:
            if not self.token:
                raise AuthError("You are not signed in.", code="unauthorized")
            headers["Authorization"] = f"Bearer {self.token}"
        if params:
            params = {k: v for k, v in params.items() if v is not None}
        shown = path + ("?" + str(httpx.QueryParams(params)) if params else "")
        started = time.monotonic()
        at = utc_now()
        try:
            resp = await self._http.request(method, API_PREFIX + path, json=body, params=params,
                                            headers=headers)
        except (httpx.HTTPError, OSError, ssl.SSLError) as exc:
            message = describe_network_error(exc, self.server_url)
            self.record("http", method, shown, None, started, message, at)
            raise NetworkError(message, code="network") from exc
        if resp.status_code >= 400:
            err = error_from_response(resp, login=login)
            self.record("http", method, shown, resp.status_code, started, err.message, at)
            raise err
        self.record("http", method, shown, resp.status_code, started, "", at)
        return resp

    def parse(self, model: type[M], resp: httpx.Response) -> M:
        try:
            return model.model_validate(resp.json())
        except (ValueError, ValidationError) as exc:
            log.warning("unreadable answer to %s %s: %s", resp.request.method,
                        resp.request.url.path, str(exc)[:500])
            raise ServerError(
                "The server sent an answer this version of SupportDesk cannot read; is the "
                "server address right and the server up to date?", code="bad_response",
                status=resp.status_code) from exc

    async def get(self, model: type[M], path: str, **params: Any) -> M:
        """``GET path?params`` (``None`` values left out), answered with ``model``."""
        return self.parse(model, await self.request("GET", path, params=params))

    async def send(self, method: str, path: str, answer: type[M],
                   body: type[Request] | None = None, /, **fields: Any) -> M:
        """``method path`` with the ``body`` model built from ``fields`` (see
        :func:`request_body`), answered with ``answer``."""
        data = request_body(body, fields) if body is not None else None
        return self.parse(answer, await self.request(method, path, body=data))

    async def call(self, method: str, path: str, body: type[Request] | None = None, /,
                   **fields: Any) -> None:
        """Like :meth:`send` for an answer without a body worth reading."""
        data = request_body(body, fields) if body is not None else None
        await self.request(method, path, body=data)

    async def aclose(self) -> None:
        self.closed = True
        try:
            await self._http.aclose()
        except Exception:  # pragma: no cover - closing must not fail
            log.exception("closing the HTTP client failed")

"""Errors of the HTTP backend as sentences: network failures, error answers, invalid requests.

Every failure leaves :mod:`supportdesk_qt.backend.http` as a :class:`BackendError` subclass whose
``message`` is a sentence fit to show a person (docs/protocol.md, "Errors").
"""

from __future__ import annotations

import asyncio
import errno
import socket
import ssl
from typing import Any

import httpx
from pydantic import ValidationError

from supportdesk_qt.backend.base import (
    AuthError,
    BackendError,
    Conflict,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
    ValidationFailed,
)


def _reason_from_exception(exc: BaseException) -> str:
    """A short lowercase phrase for why a connection failed, found anywhere in the cause chain."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    found: list[BaseException] = []
    while todo:
        e = todo.pop(0)
        if id(e) in seen:
            continue
        seen.add(id(e))
        found.append(e)
        for nxt in (e.__cause__, e.__context__):
            if nxt is not None:
                todo.append(nxt)
        if isinstance(e, BaseExceptionGroup):
            todo.extend(e.exceptions)
    for e in found:
        if isinstance(e, ssl.SSLCertVerificationError):
            return f"its TLS certificate could not be verified ({e.verify_message or e})"
    for e in found:
        if isinstance(e, ssl.SSLError):
            return f"the TLS handshake failed ({e.reason or e})"
    for e in found:
        if isinstance(e, socket.gaierror):
            return "the host name could not be resolved"
    for e in found:
        if isinstance(e, ConnectionRefusedError) or getattr(e, "errno", None) == errno.ECONNREFUSED:
            return "connection refused"
    for e in found:
        code = getattr(e, "errno", None)
        if isinstance(e, ConnectionResetError) or code == errno.ECONNRESET:
            return "the connection was reset"
        if code == errno.ENETUNREACH:
            return "the network is unreachable"
        if code == errno.EHOSTUNREACH:
            return "no route to the host"
    for e in found:
        if isinstance(e, (httpx.TimeoutException, TimeoutError, asyncio.TimeoutError)):
            return "the connection timed out"
    for e in found:
        if isinstance(e, httpx.RemoteProtocolError):
            return "the server closed the connection unexpectedly"
        if isinstance(e, httpx.UnsupportedProtocol):
            return "the address must start with http:// or https://"
    for e in found:
        if "connection refused" in str(e).lower():
            return "connection refused"
    text = str(exc).strip()
    return text[:200] if text else type(exc).__name__


def describe_network_error(exc: BaseException, server_url: str) -> str:
    """``Cannot reach the server at http://host:port: connection refused.``"""
    return f"Cannot reach the server at {server_url}: {_reason_from_exception(exc)}."


def sentence(text: str) -> str:
    text = " ".join(str(text).split())
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


_STATUS_ERRORS: dict[int, type[BackendError]] = {
    400: ValidationFailed,
    401: AuthError,
    403: PermissionDenied,
    404: NotFound,
    409: Conflict,
    413: ValidationFailed,
    422: ValidationFailed,
    429: RateLimited,
}

DEFAULT_SENTENCES = {
    400: "The server could not understand the request.",
    401: "Your session is no longer valid; please sign in again.",
    403: "You are not allowed to do that.",
    404: "That item does not exist or is not visible to you.",
    409: "That cannot be done in the item's current state; reload it and try again.",
    413: "That is too large to send.",
    422: "The server rejected the data.",
    429: "Too many attempts; please wait a moment and try again.",
}

#: The sentence of a 401 answer to a login (the desk's error table knows it by this text).
WRONG_CREDENTIALS = "Wrong username or password."

_CODE_SENTENCES = {
    "already_taken": "A colleague has already taken this chat.",
}


def _retry_after(resp: httpx.Response) -> float | None:
    value = resp.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def error_from_response(resp: httpx.Response, *, login: bool = False) -> BackendError:
    """Map an error answer (``{"code", "message", "details"}``) to a BackendError with a sentence."""
    status = resp.status_code
    code, server_message, details = "", "", None
    try:
        body = resp.json()
        if isinstance(body, dict):
            code = str(body.get("code") or "")
            server_message = str(body.get("message") or "")
            details = body.get("details")
    except ValueError:
        pass
    if status in (503, 507) and code and server_message:
        # an operational fault the server names (database locked, disk full): its sentence,
        # still a ServerError, so the outbox keeps the message and tries again later
        return ServerError(sentence(f"The server could not do that: {server_message}"),
                           code=code, status=status, details=details)
    if status >= 500 or status not in _STATUS_ERRORS and status >= 400 and not code:
        return ServerError(
            f"The server failed to handle the request (HTTP {status}); try again, and tell your "
            f"administrator if it keeps happening.", code=code or "server_error", status=status,
            details=details)
    cls = _STATUS_ERRORS.get(status, BackendError)
    if status == 401 and login:
        message = WRONG_CREDENTIALS
    elif status == 401:
        message = DEFAULT_SENTENCES[401]
    elif code in _CODE_SENTENCES:
        message = _CODE_SENTENCES[code]
    elif status == 422 and server_message:
        message = sentence(f"The server rejected the data: {server_message}")
    else:
        message = sentence(server_message) or DEFAULT_SENTENCES.get(
            status, f"The request failed (HTTP {status}).")
    code = code or {401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict",
                    422: "validation_error", 429: "rate_limited"}.get(status, "error")
    if cls is RateLimited:
        retry = _retry_after(resp)
        if retry is not None and "try again in" not in message.lower():
            message = f"{message[:-1] if message.endswith('.') else message}; try again in " \
                      f"{max(1, round(retry))} seconds."
        return RateLimited(message, retry_after=retry, code=code, status=status, details=details)
    return cls(message, code=code, status=status, details=details)


def _field_errors(exc: ValidationError) -> list[dict[str, Any]]:
    """Pydantic's errors in the shape the server uses for ``details`` (``[{loc, msg, type}]``),
    so a form places a local refusal under its field exactly like the server's."""
    return [{"loc": [str(p) for p in err.get("loc", ())], "msg": str(err.get("msg", "")),
             "type": str(err.get("type", ""))} for err in exc.errors()]


def invalid_request(exc: ValidationError) -> ValidationFailed:
    """A request body the protocol model refuses, before anything is sent: a field this request
    does not have (every request model forbids unknown fields) or a value out of its limits."""
    details = _field_errors(exc)
    first = details[0] if details else {"loc": [], "msg": "invalid", "type": ""}
    where = ".".join(first["loc"])
    if first["type"] == "extra_forbidden":
        reason = f"this request has no field {where!r}"
    else:
        reason = f"{where}: {first['msg']}" if where else first["msg"]
    more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
    return ValidationFailed(sentence(f"This cannot be sent: {reason}{more}"),
                            code="validation_error", details=details)

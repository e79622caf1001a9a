"""The JSON error body ``{code, message, details}`` for every error, and the handlers that make
FastAPI/Starlette produce it (validation, HTTP errors, malformed JSON, oversized bodies, bugs)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
}


class ApiError(Exception):
    """Raise anywhere in a request to answer ``status`` with ``{code, message, details}``."""

    def __init__(self, status: int, code: str, message: str, details: Any = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers


def not_found(what: str = "resource") -> ApiError:
    return ApiError(404, "not_found", f"{what} not found")


def forbidden(message: str = "not allowed") -> ApiError:
    return ApiError(403, "forbidden", message)


def conflict(message: str, code: str = "conflict") -> ApiError:
    return ApiError(409, code, message)


def unauthorized(message: str = "missing, invalid or expired token") -> ApiError:
    return ApiError(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})


def rate_limited(retry_after: float, message: str = "too many attempts") -> ApiError:
    secs = max(1, int(retry_after + 0.999))
    return ApiError(429, "rate_limited", message, {"retry_after": secs},
                    headers={"Retry-After": str(secs)})


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details}


def error_response(status: int, code: str, message: str, details: Any = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return str(value)


def validation_details(errors: list[dict[str, Any]], *, strip_first: bool = True
                       ) -> list[dict[str, Any]]:
    """Pydantic errors -> ``[{"loc", "msg", "type"}]``, always JSON-serialisable (``ctx`` may
    carry exception objects, ``input`` may be huge; both are dropped)."""
    out = []
    for err in errors:
        loc = [_jsonable(p) for p in err.get("loc", ())]
        if strip_first and loc and loc[0] in ("body", "query", "path", "header"):
            loc = loc[1:] if len(loc) > 1 else loc
        out.append({"loc": loc, "msg": str(err.get("msg", "")), "type": str(err.get("type", ""))})
    return out


def validation_message(details: list[dict[str, Any]]) -> str:
    if not details:
        return "invalid request"
    first = details[0]
    where = ".".join(str(p) for p in first["loc"])
    msg = f"{where}: {first['msg']}" if where else first["msg"]
    if len(details) > 1:
        msg += f" (and {len(details) - 1} more)"
    return msg


_NOT_AN_OBJECT = {"model_attributes_type", "dict_type", "model_type"}


async def _validation_handler(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = list(exc.errors())
    for err in errors:
        loc = tuple(err.get("loc", ()))
        if err.get("type") == "json_invalid":
            return error_response(400, "bad_request", "malformed JSON body",
                                  [{"loc": ["body"], "msg": str(err.get("msg", "")),
                                    "type": "json_invalid"}])
        if loc == ("body",) and err.get("type") in _NOT_AN_OBJECT:
            return error_response(400, "bad_request", "the body must be a JSON object")
    details = validation_details(errors)
    return error_response(422, "validation_error", validation_message(details), details)


async def _api_error_handler(request: Request, exc: ApiError) -> JSONResponse:
    return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)


async def _http_handler(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    code = STATUS_CODES.get(exc.status_code, "error" if exc.status_code < 500 else "internal_error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    if exc.status_code == 404 and message == "Not Found":
        message = f"no such endpoint: {request.method} {request.url.path}"
    headers = dict(exc.headers) if getattr(exc, "headers", None) else None
    return error_response(exc.status_code, code, message, None, headers)


def _db_fault_response(request: Request, exc: Exception) -> JSONResponse | None:
    from supportdesk_server.store.db import db_fault

    fault = db_fault(exc)
    if fault is None:
        return None
    # locked database, full disk, I/O error: not a bug; say what it is (503/507, Retry-After)
    log.error("%s %s: %s (%s)", request.method, request.url.path, fault.code,
              str(getattr(exc, "orig", exc))[:200])
    return error_response(fault.status, fault.code, fault.message, None,
                          {"Retry-After": str(fault.retry_after)})


async def _db_error_handler(request: Request, exc: Exception) -> JSONResponse | None:
    if request.scope.get("type") == "websocket":   # a socket's handler failed on the database
        from supportdesk_server.store.db import db_fault

        fault = db_fault(exc)
        if fault is None:
            log.error("websocket %s failed", request.url.path, exc_info=exc)
        else:
            log.error("websocket %s: %s (%s)", request.url.path, fault.code,
                      str(getattr(exc, "orig", exc))[:200])
        try:   # 1013 "try again later" for a database fault, 1011 for a bug
            await request.close(1013 if fault else 1011,  # type: ignore[attr-defined]
                                fault.message[:120] if fault else "internal error")
        except Exception:  # noqa: BLE001 - already closed
            pass
        return None
    return _db_fault_response(request, exc) or await _unhandled_handler(request, exc)


async def _unhandled_handler(request: Request, exc: Exception) -> JSONResponse:
    response = _db_fault_response(request, exc)
    if response is not None:
        return response
    log.exception("internal error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "internal server error (this is a bug)")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_handler)  # type: ignore[arg-type]
    app.add_exception_handler(ApiError, _api_error_handler)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_handler)  # type: ignore[arg-type]
    app.add_exception_handler(DBAPIError, _db_error_handler)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unhandled_handler)


DRAIN_MAX_BYTES = 16 * 1024 * 1024   # read at most this much of a refused body ...
DRAIN_MAX_SECONDS = 5.0              # ... for at most this long, before answering 413


class BodySizeLimitMiddleware:
    """Refuse HTTP bodies over ``max_bytes`` with 413, whether announced by Content-Length or
    streamed (chunked). The body is buffered (at most ``max_bytes``) and replayed to the app, so
    the app never sees a partial body.

    A refused body is read to its end (bounded by ``DRAIN_MAX_BYTES`` / ``DRAIN_MAX_SECONDS``)
    before the 413 goes out: closing the connection with unread bytes in the kernel's receive
    buffer makes the kernel answer with a TCP reset, and a client still sending (httpx sends the
    whole body before it reads) then gets a ``ReadError`` instead of the 413. A declared length
    over ``DRAIN_MAX_BYTES`` is answered at once (it could not be drained anyway)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_big = f"request body over {self.max_bytes} bytes"
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    await self._reply(send, 400, "bad_request", "invalid Content-Length")
                    return
                if length > self.max_bytes:
                    if length <= DRAIN_MAX_BYTES:
                        await _drain(receive, 0)
                    await self._reply(send, 413, "payload_too_large", too_big)
                    return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            more = message.get("more_body", False)
            if size > self.max_bytes:
                if more:
                    await _drain(receive, size)
                await self._reply(send, 413, "payload_too_large", too_big)
                return
            chunks.append(body)
            if not more:
                break
        body = b"".join(chunks)
        if body and _is_api(scope) and not _is_json(scope):
            await self._reply(send, 415, "unsupported_media_type",
                              "the body must be sent as Content-Type: application/json")
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _reply(send: Send, status: int, code: str, message: str) -> None:
        body = json.dumps(error_body(code, message)).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


async def _drain(receive: Receive, already: int) -> None:
    """Read and drop the rest of a refused body, bounded in bytes and time."""
    read = already
    with contextlib.suppress(asyncio.TimeoutError):
        async with asyncio.timeout(DRAIN_MAX_SECONDS):
            while read < DRAIN_MAX_BYTES:
                message = await receive()
                if message["type"] != "http.request":
                    return
                read += len(message.get("body", b""))
                if not message.get("more_body", False):
                    return


def _is_api(scope: Scope) -> bool:
    return str(scope.get("path", "")).startswith("/api/")


def _is_json(scope: Scope) -> bool:
    """``application/json`` or ``application/<something>+json`` (any parameters)."""
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            media = value.decode("latin-1").split(";", 1)[0].strip().lower()
            return media == "application/json" or (media.startswith("application/")
                                                    and media.endswith("+json"))
    return False

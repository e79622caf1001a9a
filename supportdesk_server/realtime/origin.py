"""Widget origin allow-list: which web sites may talk to the visitor endpoints.

Browsers send an ``Origin`` header with cross-site requests and with every WebSocket handshake.
``WidgetOriginMiddleware`` checks it on everything under ``/api/v1/visitor/`` (the session
endpoint and the visitor socket):

* no ``Origin`` header (the desktop client, the demo simulator, curl): allowed — the header is a
  browser protection; a non-browser can send anything, so the visitor token and the rate limits
  are what protect the server from those;
* the server's own origin (the ``/widget`` iframe and the ``/demo-site`` pages are served by the
  server itself): always allowed;
* an origin given with ``--widget-origin`` (repeatable) or ``$SUPPORTDESK_WIDGET_ORIGINS``
  (comma- or space-separated), e.g. ``https://www.example.com``: allowed, and the HTTP answers
  carry the CORS headers for it;
* ``*`` in that list: every origin is allowed;
* anything else: HTTP 403 ``{"code": "origin_not_allowed", ...}``; a WebSocket handshake is
  refused with the same 403 JSON body (or close code 1008 where the ASGI server cannot send a
  body).

The same list sets the ``frame-ancestors`` of the widget page (``frame_ancestors()``): only allowed
sites can embed the widget iframe.
"""

from __future__ import annotations

import json
import os
from typing import Iterable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

WIDGET_ORIGINS_ENV = "SUPPORTDESK_WIDGET_ORIGINS"
VISITOR_PREFIX = "/api/v1/visitor"
CLOSE_POLICY_VIOLATION = 1008


def normalize_origin(value: str) -> str | None:
    """``"HTTPS://Example.com:443/"`` -> ``"https://example.com"``; ``*`` stays; junk -> None."""
    value = value.strip()
    if value == "*":
        return "*"
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in ("http", "https") or not host:
        return None
    if port is None or (scheme, port) in (("http", 80), ("https", 443)):
        netloc = f"[{host}]" if ":" in host else host
    else:
        netloc = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return f"{scheme}://{netloc}"


def parse_origins(values: Iterable[str]) -> tuple[str, ...]:
    """Command-line values and the environment variable -> normalized origins. A value that is
    not an origin raises ``ValueError`` (a typo should stop the server, not silently block)."""
    out: list[str] = []
    for raw in values:
        for item in raw.replace(",", " ").split():
            norm = normalize_origin(item)
            if norm is None:
                raise ValueError(f"not a web origin (scheme://host[:port]): {item!r}")
            if norm not in out:
                out.append(norm)
    return tuple(out)


def origins_from_env() -> tuple[str, ...]:
    env = os.environ.get(WIDGET_ORIGINS_ENV, "")
    return parse_origins([env]) if env.strip() else ()


def _own_origins(host_header: str) -> set[str]:
    own = set()
    for scheme in ("http", "https"):
        norm = normalize_origin(f"{scheme}://{host_header}") if host_header else None
        if norm:
            own.add(norm)
    return own


def origin_allowed(origin: str | None, host_header: str, allowed: tuple[str, ...]) -> bool:
    if origin is None:
        return True
    if "*" in allowed:
        return True
    norm = normalize_origin(origin)
    if norm is None:          # "null" (sandboxed iframes, file://) or junk
        return False
    return norm in allowed or norm in _own_origins(host_header)


def frame_ancestors(allowed: tuple[str, ...]) -> str:
    """The CSP ``frame-ancestors`` value for the widget page."""
    if "*" in allowed:
        return "*"
    return " ".join(["'self'", *allowed])


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def _refusal(origin: str) -> tuple[str, bytes]:
    message = (f"origin {origin[:200]!r} may not use the visitor endpoints; the server admin can "
               "allow it with --widget-origin")
    body = json.dumps({"code": "origin_not_allowed", "message": message,
                       "details": {"origin": origin[:200]}}).encode()
    return message, body


class WidgetOriginMiddleware:
    def __init__(self, app: ASGIApp, allowed: tuple[str, ...]) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") \
                or not scope.get("path", "").startswith(VISITOR_PREFIX):
            await self.app(scope, receive, send)
            return
        origin = _header(scope, b"origin")
        host = _header(scope, b"host") or ""
        if not origin_allowed(origin, host, self.allowed):
            message, body = _refusal(origin or "")
            if scope["type"] == "websocket":
                await self._refuse_ws(scope, send, message, body)
            else:
                await self._reply(send, 403, body)
            return
        if scope["type"] == "websocket" or origin is None \
                or normalize_origin(origin) in _own_origins(host):
            await self.app(scope, receive, send)
            return
        # an allowed foreign origin over HTTP: CORS
        cors = [(b"access-control-allow-origin", origin.encode("latin-1")),
                (b"vary", b"Origin")]
        if scope["method"] == "OPTIONS" and _header(scope, b"access-control-request-method"):
            await send({"type": "http.response.start", "status": 204, "headers": cors + [
                (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
                (b"access-control-allow-headers", b"content-type"),
                (b"access-control-max-age", b"600")]})
            await send({"type": "http.response.body", "body": b""})
            return

        async def send_with_cors(message: dict) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = list(message.get("headers", [])) + cors
            await send(message)

        await self.app(scope, receive, send_with_cors)

    @staticmethod
    async def _reply(send: Send, status: int, body: bytes) -> None:
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    @classmethod
    async def _refuse_ws(cls, scope: Scope, send: Send, message: str, body: bytes) -> None:
        if "websocket.http.response" in scope.get("extensions", {}):
            await send({"type": "websocket.http.response.start", "status": 403,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "websocket.http.response.body", "body": body})
        else:
            await send({"type": "websocket.close", "code": CLOSE_POLICY_VIOLATION,
                        "reason": message[:120]})

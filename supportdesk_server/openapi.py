"""The published ``/openapi.json`` tells the truth about errors; ``/asyncapi.json`` next to it
describes the two WebSockets.

FastAPI documents a 422 as its own ``HTTPValidationError`` shape, but this server answers every
4xx with ``ErrorBody`` (``{code, message, details}``, see ``supportdesk_server.errors``), and any
operation can answer 400 (malformed JSON), 401 (missing/expired token), 413 (body too large) or
429 (rate limited). So every operation documents ``4XX`` as ``ErrorBody`` and its 422 as
``ErrorBody`` too; clients generated from the schema and schemathesis
(``tests/server/test_schemathesis.py``) then see the real contract.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

_ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}
_ERROR_CONTENT = {"application/json": {"schema": _ERROR_REF}}


def _fix(spec: dict[str, Any]) -> dict[str, Any]:
    from supportdesk_protocol.schemas import ErrorBody

    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    if "ErrorBody" not in schemas:
        schemas["ErrorBody"] = ErrorBody.model_json_schema(ref_template="#/components/schemas/"
                                                           "{model}")
    for ops in spec.get("paths", {}).values():
        for op in ops.values():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            responses = op["responses"]
            if "422" in responses:
                responses["422"] = {"description": "Validation Error", "content": _ERROR_CONTENT}
            responses.setdefault("4XX", {"description": "Client error (any other 4xx)",
                                         "content": _ERROR_CONTENT})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    return spec


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _fix(get_openapi(
                title=app.title, version=app.version, summary=app.summary,
                description=app.description, routes=app.routes))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    asyncapi: dict[str, Any] = {}

    @app.get("/asyncapi.json", include_in_schema=False)
    async def asyncapi_json() -> JSONResponse:
        """The AsyncAPI 3 description of both WebSockets (``supportdesk_protocol.asyncapi``),
        next to ``/openapi.json``; no auth, like it."""
        if not asyncapi:
            from supportdesk_protocol.asyncapi import asyncapi_document

            asyncapi.update(asyncapi_document())
        return JSONResponse(asyncapi)

"""The error body of every 4xx/5xx answer."""

from __future__ import annotations

from typing import Any

from supportdesk_protocol.schemas.base import Response


class ErrorBody(Response):
    """Every 4xx/5xx answer has this body.

    ``code`` is a stable machine-readable identifier, one of the table under "Errors" in
    docs/protocol.md (``validation_error``, ``not_found``, ``unauthorized``, ``forbidden``,
    ``conflict``, ``already_taken``, ``version_conflict``, ``rate_limited``,
    ``payload_too_large``, ``unsupported_media_type``, ``method_not_allowed``, ``bad_request``,
    ...); ``message`` a human sentence; ``details`` optional, e.g. the list of field errors for
    ``validation_error``. The sockets' ``error`` frames use the same codes (and
    ``chat_already_open``).
    """

    code: str
    message: str
    details: Any = None


__all__ = [
    "ErrorBody",
]

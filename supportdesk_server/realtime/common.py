"""Helpers shared by the two sockets."""

from __future__ import annotations

import contextlib
import json
import logging
from typing import Any

from fastapi import WebSocket
from pydantic import TypeAdapter, ValidationError
from starlette.websockets import WebSocketDisconnect

from supportdesk_protocol import events as E
from supportdesk_protocol import limits as L
from supportdesk_protocol.schemas import ClientMsgId
from supportdesk_server.errors import validation_details, validation_message

log = logging.getLogger(__name__)

AUTH_TIMEOUT_SECONDS = 10.0
CLOSE_UNAUTHORIZED = 4401
CLOSE_TOO_BIG = 1009
CLOSE_TRY_AGAIN_LATER = 1013
CLOSE_INTERNAL_ERROR = 1011


async def close_after_failure(ws: WebSocket, exc: Exception, what: str) -> None:
    """A socket's handler failed: 1013 "try again later" when the database failed (locked, full,
    I/O error: not a bug), 1011 for a bug (logged with its traceback)."""
    from supportdesk_server.store.db import db_fault

    fault = db_fault(exc)
    if fault is not None:
        log.error("%s: %s (%s)", what, fault.code, str(getattr(exc, "orig", exc))[:200])
    else:
        log.error("%s failed", what, exc_info=exc)
    with contextlib.suppress(Exception):
        if fault is not None:
            await ws.close(CLOSE_TRY_AGAIN_LATER, fault.message[:120])
        else:
            await ws.close(CLOSE_INTERNAL_ERROR, "internal error")


_client_msg_id = TypeAdapter(ClientMsgId)


def echoed_client_msg_id(data: Any) -> str | None:
    """The ``client_msg_id`` a refused frame carried, when it is a valid one (an error frame
    carries it back so the client knows which message was refused)."""
    value = data.get("client_msg_id") if isinstance(data, dict) else None
    try:
        return _client_msg_id.validate_python(value) if isinstance(value, str) else None
    except ValidationError:
        return None


class FrameError(Exception):
    def __init__(self, code: str, message: str, details: Any = None,
                 client_msg_id: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details
        self.client_msg_id = client_msg_id

    def frame(self) -> E.ErrorFrame:
        return E.ErrorFrame(code=self.code, message=self.message, details=self.details,
                            client_msg_id=self.client_msg_id)


class TooBig(Exception):
    pass


async def receive_json(ws: WebSocket) -> Any:
    """The next frame as JSON. Raises WebSocketDisconnect, TooBig, or FrameError (bad frame;
    the socket stays usable)."""
    message = await ws.receive()
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000))
    text = message.get("text")
    if text is None:
        if message.get("bytes") is not None:
            if len(message["bytes"]) > L.MAX_WS_FRAME_BYTES:
                raise TooBig()
            raise FrameError("bad_request", "text frames only")
        raise FrameError("bad_request", "empty frame")
    if len(text) > L.MAX_WS_FRAME_BYTES or len(text.encode("utf-8")) > L.MAX_WS_FRAME_BYTES:
        raise TooBig()
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise FrameError("bad_request", f"malformed JSON: {exc}") from None
    if not isinstance(data, dict):
        raise FrameError("bad_request", "a frame must be a JSON object")
    return data


def parse_frame(adapter: Any, data: dict[str, Any]) -> Any:
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        details = validation_details(exc.errors(), strip_first=False)
        op = data.get("op")
        for d in details:   # drop the discriminator tag pydantic puts first
            if d["loc"] and d["loc"][0] == op and len(d["loc"]) > 1:
                d["loc"] = d["loc"][1:]
        raise FrameError("validation_error", validation_message(details), details,
                         echoed_client_msg_id(data)) from None

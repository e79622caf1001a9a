"""Helpers shared by the two sockets."""

from __future__ import annotations

import json
from typing import Any

from fastapi import WebSocket
from pydantic import ValidationError
from starlette.websockets import WebSocketDisconnect

from supportdesk_protocol import limits as L
from supportdesk_server.errors import validation_details, validation_message

AUTH_TIMEOUT_SECONDS = 10.0
CLOSE_UNAUTHORIZED = 4401
CLOSE_TOO_BIG = 1009


class FrameError(Exception):
    def __init__(self, code: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details

    def frame(self) -> dict[str, Any]:
        return {"op": "error", "code": self.code, "message": self.message, "details": self.details}


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
        raise FrameError("validation_error", validation_message(details), details) from None

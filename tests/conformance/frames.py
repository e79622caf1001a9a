"""Table-driven bad frames for both sockets: a case is what the client sends and what
docs/protocol.md says comes back (an ``error`` frame with a code, the socket staying open; or a
close code, maybe after an ``error`` frame). Every wait is bounded."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Union

import pytest

from tests.conformance.wire import closed_with, recv_until, still_open

BIG_FRAME = 64 * 1024 + 1          # over the 64 KiB frame limit


class BadUtf8(bytes):
    """Sent as a TEXT frame although it is not UTF-8 (a well-behaved library refuses to)."""


Sent = Union[str, bytes, dict]     # dict: JSON text; bytes: a binary frame; BadUtf8: see above


@dataclass(frozen=True)
class Error:
    code: str
    echo: str | None = None        # the client_msg_id the error must carry back (None: absent)


@dataclass(frozen=True)
class Close:
    code: int
    error: str | None = None       # the error frame's code before the close, when documented


@dataclass(frozen=True)
class FrameCase:
    id: str
    send: tuple[Sent, ...]
    expect: Error | Close
    known_defect: str | None = None    # the server does not do what the document says (yet)


def case(id_: str, *send: Sent, expect: Error | Close, known_defect: str | None = None
         ) -> FrameCase:
    return FrameCase(id_, send, expect, known_defect)


def params(cases: list[FrameCase]) -> list[Any]:
    """The cases for ``parametrize``; a known defect is a strict xfail (it fails the run once
    the server is fixed, so the mark is removed then)."""
    return [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(strict=True,
                                                               reason=c.known_defect)]
                         if c.known_defect else []) for c in cases]


# A frame over 64 KiB is refused by the WebSocket layer (uvicorn's ws_max_size) before the
# application reads it: close 1009 without the error frame docs/protocol.md promises for a first
# frame ("after an error frame payload_too_large when it is the first frame").
NO_ERROR_BEFORE_1009 = ("defect: docs/protocol.md promises an error frame payload_too_large "
                        "before close 1009 for an oversized first frame; the server closes "
                        "1009 without it (uvicorn refuses the frame before the app sees it)")


TOKEN = "{token}"     # placeholders in a case's dict frames, filled in by run()
DEPT = "{dept}"


async def run(ws: Any, bad: FrameCase, **fill: Any) -> None:
    """Send the case's frames (placeholders ``{token}``/``{dept}`` replaced from ``fill``) and
    check the answer."""
    values = {TOKEN: fill.get("token"), DEPT: fill.get("dept")}
    await _send_all(ws, tuple(
        {k: values.get(v, v) if isinstance(v, str) else v for k, v in f.items()}
        if isinstance(f, dict) else f for f in bad.send))
    await _check(ws, bad.expect)


async def _send_all(ws: Any, frames: tuple[Sent, ...]) -> None:
    for frame in frames:
        if isinstance(frame, BadUtf8):
            await ws.send(bytes(frame), text=True)
        elif isinstance(frame, bytes):
            await ws.send(frame)
        elif isinstance(frame, dict):
            await ws.send(json.dumps(frame))
        else:
            await ws.send(frame)


async def _check(ws: Any, expect: Error | Close) -> None:
    if isinstance(expect, Close):
        code, frames = await closed_with(ws)
        assert code == expect.code, (code, frames)
        if expect.error:
            errors = [f for f in frames if f["op"] == "error"]
            assert errors and errors[-1]["code"] == expect.error, frames
            assert isinstance(errors[-1]["message"], str) and errors[-1]["message"]
        return
    err, _ = await recv_until(ws, lambda f: f["op"] == "error")
    assert err["code"] == expect.code, err
    assert isinstance(err["message"], str) and err["message"], err
    if expect.echo is None:
        assert "client_msg_id" not in err, err
    else:
        assert err.get("client_msg_id") == expect.echo, err
    await still_open(ws)            # an error frame leaves the socket usable

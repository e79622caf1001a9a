"""Registries of open sockets and the per-connection outgoing queue.

Every socket has exactly one writer task draining its ``Outbox``; everything else only puts into
it without waiting, so a slow client never blocks a request handler. An outbox that overflows
closes its socket (the agent client resumes by seq; the visitor widget reconnects with
``after_seq``).
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from typing import Any

from pydantic import BaseModel

OUTBOX_LIMIT = 10_000


class Overflow(Exception):
    pass


class Outbox:
    """Frames (already serialized) waiting to be sent, or a close request."""

    def __init__(self, limit: int = OUTBOX_LIMIT) -> None:
        self._queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        self.limit = limit
        self.closed = False

    def put_text(self, text: str) -> None:
        if self.closed:
            return
        if self._queue.qsize() >= self.limit:
            self.close(1013, "too slow")
            return
        self._queue.put_nowait(("text", text))

    def put(self, frame: BaseModel | dict[str, Any]) -> None:
        if isinstance(frame, BaseModel):
            text = frame.model_dump_json()
        else:
            text = json.dumps(frame, separators=(",", ":"), ensure_ascii=False, default=str)
        self.put_text(text)

    def put_item(self, kind: str, value: Any) -> None:
        if self.closed:
            return
        if self._queue.qsize() >= self.limit:
            self.close(1013, "too slow")
            return
        self._queue.put_nowait((kind, value))

    def close(self, code: int, reason: str = "") -> None:
        if not self.closed:
            self.closed = True
            self._queue.put_nowait(("close", (code, reason)))

    async def get(self) -> tuple[str, Any]:
        return await self._queue.get()


class VisitorSockets:
    """visitor id -> the outboxes of that visitor's open sockets (several tabs are fine)."""

    def __init__(self) -> None:
        self._by_visitor: dict[str, set[Outbox]] = defaultdict(set)

    def add(self, visitor_id: str, outbox: Outbox) -> None:
        self._by_visitor[visitor_id].add(outbox)

    def remove(self, visitor_id: str, outbox: Outbox) -> None:
        boxes = self._by_visitor.get(visitor_id)
        if boxes is not None:
            boxes.discard(outbox)
            if not boxes:
                del self._by_visitor[visitor_id]

    def send(self, visitor_id: str, frame: BaseModel | dict[str, Any],
             exclude: Outbox | None = None) -> None:
        boxes = self._by_visitor.get(visitor_id)
        if not boxes:
            return
        text = frame.model_dump_json() if isinstance(frame, BaseModel) else json.dumps(frame)
        for box in list(boxes):
            if box is not exclude:
                box.put_text(text)

    def send_message(self, visitor_id: str, chat_id: int, frame: BaseModel,
                     exclude: Outbox | None = None) -> None:
        """A chat message frame; tagged with (chat id, seq) so a socket still sending its
        history can drop what the history already contained."""
        boxes = self._by_visitor.get(visitor_id)
        if not boxes:
            return
        text = frame.model_dump_json()
        seq = frame.message.seq  # type: ignore[attr-defined]
        for box in list(boxes):
            if box is not exclude:
                box.put_item("message", (chat_id, seq, text))

    def count(self, visitor_id: str | None = None) -> int:
        if visitor_id is None:
            return sum(len(b) for b in self._by_visitor.values())
        return len(self._by_visitor.get(visitor_id, ()))


class AgentSockets:
    """token hash -> outboxes, so logout (revocation) can close the sockets it authorised."""

    def __init__(self) -> None:
        self._by_token: dict[str, set[Outbox]] = defaultdict(set)

    def add(self, token_hash: str, outbox: Outbox) -> None:
        self._by_token[token_hash].add(outbox)

    def remove(self, token_hash: str, outbox: Outbox) -> None:
        boxes = self._by_token.get(token_hash)
        if boxes is not None:
            boxes.discard(outbox)
            if not boxes:
                del self._by_token[token_hash]

    def revoke(self, token_hash: str) -> None:
        for box in list(self._by_token.get(token_hash, ())):
            box.put_item("error", ("unauthorized", "token revoked"))
            box.close(4401, "token revoked")

    def count(self) -> int:
        return sum(len(b) for b in self._by_token.values())

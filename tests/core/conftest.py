"""Fixtures of the client-core tests: a visitor speaking the widget protocol, free ports."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from supportdesk_qt.backend.base import RequestRecord

TIMEOUT = 20.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Visitor:
    """A website visitor over the real visitor socket (what the widget page does)."""

    def __init__(self, server) -> None:
        self.server = server
        self.ws = None
        self.token = ""
        self.departments: list[dict[str, Any]] = []
        self.chat: dict[str, Any] | None = None
        self._n = 0

    async def __aenter__(self) -> "Visitor":
        async with httpx.AsyncClient() as http:
            r = await http.post(self.server.api("/visitor/session"), json={})
            r.raise_for_status()
            self.token = r.json()["visitor_token"]
        self.ws = await connect(self.server.ws_url("/visitor/ws"))
        await self.ws.send(json.dumps({"op": "hello", "visitor_token": self.token,
                                       "page_url": "https://example.com/pricing",
                                       "page_title": "Pricing", "language": "en-GB"}))
        welcome = await self.recv("welcome")
        self.departments = welcome["departments"]
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    async def recv(self, op: str, timeout: float = TIMEOUT) -> dict[str, Any]:
        async with asyncio.timeout(timeout):
            while True:
                frame = json.loads(await self.ws.recv())
                if frame.get("op") == "error":
                    raise AssertionError(f"visitor got an error: {frame}")
                if frame.get("op") == op:
                    return frame

    async def start(self, text: str = "Hello, my site is down", name: str = "Ann",
                    department_id: int | None = None) -> dict[str, Any]:
        self._n += 1
        cid = f"v-{self._n}"
        await self.ws.send(json.dumps({
            "op": "start", "department_id": department_id or self.departments[0]["id"],
            "name": name, "text": text, "client_msg_id": cid}))
        self.chat = (await self.recv("chat"))["chat"]
        return self.chat


@pytest.fixture
def visitor_factory():
    def make(server) -> Visitor:
        return Visitor(server)
    return make


async def next_item(items: AsyncIterator, kind: type | tuple[type, ...] | None = None,
                    timeout: float = TIMEOUT, where=None):
    """The next stream item of ``kind`` (request records are skipped unless asked for)."""
    async with asyncio.timeout(timeout):
        while True:
            item = await anext(items)
            if kind is None and isinstance(item, RequestRecord):
                continue
            if kind is not None and not isinstance(item, kind):
                continue
            if where is not None and not where(item):
                continue
            return item

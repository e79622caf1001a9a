"""A website visitor for tests: a plain ``websockets`` client speaking the visitor protocol
(docs/protocol.md, "Visitor side") exactly as the widget page does."""

from __future__ import annotations

import json
import uuid

import httpx
import websockets


class Visitor:
    def __init__(self, server_url: str) -> None:
        self.server_url = server_url.rstrip("/")
        self.ws = None
        self.departments: list[dict] = []
        self.chat: dict | None = None
        self.frames: list[dict] = []

    async def connect(self, page_url: str = "https://example-hosting.test/pricing") -> None:
        async with httpx.AsyncClient() as http:
            r = await http.post(f"{self.server_url}/api/v1/visitor/session", json={})
            r.raise_for_status()
            token = r.json()["visitor_token"]
        ws_url = self.server_url.replace("http", "ws", 1) + "/api/v1/visitor/ws"
        self.ws = await websockets.connect(ws_url)
        await self.ws.send(json.dumps({"op": "hello", "visitor_token": token, "after_seq": 0,
                                       "page_url": page_url, "page_title": "Pricing",
                                       "language": "en-GB"}))
        welcome = await self._recv_until("welcome")
        self.departments = welcome["departments"]

    def department_id(self, name: str) -> int:
        return next(d["id"] for d in self.departments if d["name"] == name)

    async def start_chat(self, department: str, name: str, text: str) -> dict:
        msg_id = f"v-{uuid.uuid4().hex[:12]}"
        await self.ws.send(json.dumps({"op": "start", "department_id": self.department_id(department),
                                       "name": name, "text": text, "client_msg_id": msg_id}))
        frame = await self._recv_until("chat")
        self.chat = frame["chat"]
        return self.chat

    async def send(self, text: str) -> dict:
        """A message in the open chat; returns the server's ack."""
        msg_id = f"v-{uuid.uuid4().hex[:12]}"
        await self.ws.send(json.dumps({"op": "message", "client_msg_id": msg_id, "text": text}))
        while True:
            frame = await self._recv_until("ack")
            if frame.get("client_msg_id") == msg_id:
                return frame

    async def _recv_until(self, op: str) -> dict:
        while True:
            frame = json.loads(await self.ws.recv())
            self.frames.append(frame)
            if frame.get("op") == "error":
                raise AssertionError(f"visitor socket error: {frame}")
            if frame.get("op") == op:
                return frame

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

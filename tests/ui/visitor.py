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
        self.token: str | None = None

    async def connect(self, page_url: str = "https://example-hosting.test/pricing",
                      token: str | None = None) -> None:
        """A new browser, or (``token``) the same browser as before (the widget's cookie)."""
        async with httpx.AsyncClient() as http:
            body = {"visitor_token": token} if token else {}
            r = await http.post(f"{self.server_url}/api/v1/visitor/session", json=body)
            r.raise_for_status()
            token = self.token = r.json()["visitor_token"]
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

    async def wait_for(self, op: str) -> dict:
        """The first frame ``op`` already received and not yet consumed, or the next one."""
        for i, frame in enumerate(self.frames):
            if frame.get("op") == op and not frame.get("_seen"):
                frame["_seen"] = True
                return frame
        frame = await self._recv_until(op)
        frame["_seen"] = True
        return frame

    async def login(self, login: str, password: str) -> dict:
        """Fill the widget's login form: the server's ``auth_result``."""
        await self.ws.send(json.dumps({"op": "login", "login": login, "password": password}))
        return await self._recv_until("auth_result")

    async def register(self, **fields: str) -> dict:
        """Fill the widget's registration form (name, email, phone, login, password)."""
        await self.ws.send(json.dumps({"op": "register"} | fields))
        return await self._recv_until("auth_result")

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

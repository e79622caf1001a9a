"""A minimal agent of the event stream for tests: log in over HTTP, open ``/api/v1/agent/ws`` and
wait for events matching a predicate, with a timeout (never a sleep)."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Callable

import httpx
import websockets

from tests.support.server import ServerProcess


class AgentEvents:
    def __init__(self, server: ServerProcess, token: str) -> None:
        self.server = server
        self.token = token
        self.ws: Any = None
        self.seen: list[dict[str, Any]] = []

    async def __aenter__(self) -> "AgentEvents":
        self.ws = await websockets.connect(self.server.ws_url("/agent/ws"), open_timeout=10)
        await self.ws.send(json.dumps({"op": "auth", "token": self.token, "resume_after": None}))
        ready = json.loads(await asyncio.wait_for(self.ws.recv(), 10))
        assert ready["op"] == "ready", ready
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.ws.close()

    async def wait(self, type_: str, pred: Callable[[dict[str, Any]], bool] = lambda d: True,
                   timeout: float = 20.0) -> dict[str, Any]:
        """The ``data`` of the first event of ``type_`` (seen before or arriving) matching ``pred``."""
        for ev in self.seen:
            if ev["type"] == type_ and pred(ev["data"]):
                self.seen.remove(ev)
                return ev["data"]
        async with asyncio.timeout(timeout):
            while True:
                frame = json.loads(await self.ws.recv())
                if frame.get("op") != "event":
                    continue
                if frame["type"] == type_ and pred(frame["data"]):
                    return frame["data"]
                self.seen.append(frame)


async def agent_client(server: ServerProcess, login: str = "demo", password: str = "demo",
                       online: bool = True) -> tuple[httpx.AsyncClient, str]:
    """An httpx client with the agent's bearer token (and the agent set online)."""
    http = httpx.AsyncClient(base_url=server.api(""), timeout=15)
    r = await http.post("/auth/login", json={"username": login, "password": password})
    r.raise_for_status()
    token = r.json()["token"]
    http.headers["Authorization"] = f"Bearer {token}"
    if online:
        (await http.put("/me/status", json={"status": "online"})).raise_for_status()
    return http, token

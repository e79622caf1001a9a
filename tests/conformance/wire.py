"""A small client of docs/protocol.md for the conformance suite, written from the document only:
raw ``httpx`` and ``websockets``, JSON in and out, and every wait bounded by a timeout (a hang is
a failure, never a stuck run)."""

from __future__ import annotations

import asyncio
import json
import ssl
from dataclasses import dataclass
from typing import Any, Callable

import httpx
import jsonschema_rs
import websockets

TIMEOUT = 10.0            # the longest any single answer may take
Frame = dict[str, Any]

# Made once: a client built per test would load the CA bundle again each time (slow), even for
# plain http:// targets.
_TLS = ssl.create_default_context()
# For plain requests: a new connection for every request (no keep-alive), so each request is
# judged on its own connection, as a fresh client would see it.
SYNC = httpx.Client(timeout=TIMEOUT, verify=_TLS,
                    limits=httpx.Limits(max_keepalive_connections=0))


@dataclass(frozen=True)
class Target:
    """The server under test and the demo credentials the suite uses: agents A and B share a
    department that agent C is not in; ``admin`` is an admin."""

    url: str
    password: str
    agent_a: str
    agent_b: str
    agent_c: str
    admin: str
    forward_return_seconds: float
    restart: Callable[[], Any] | None    # restarts the server on the same port and database

    def api(self, path: str) -> str:
        return f"{self.url}/api/v1{path}"

    def ws(self, path: str) -> str:
        return "ws" + self.api(path)[len("http"):]


def login(target: Target, username: str) -> tuple[str, dict[str, Any]]:
    """(token, Agent) for a demo agent."""
    r = SYNC.post(target.api("/auth/login"), json={"username": username,
                                                  "password": target.password})
    assert r.status_code == 200, r.text
    body = r.json()
    return body["token"], body["agent"]


def http(target: Target, token: str | None = None) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(base_url=target.api(""), headers=headers, timeout=TIMEOUT,
                             verify=_TLS)


def assert_error(r: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The documented error answer: that status, a JSON body {code, message, details}."""
    assert r.status_code == status, (r.request.method, str(r.request.url), r.status_code, r.text)
    assert r.headers.get("content-type", "").startswith("application/json"), r.headers
    body = r.json()
    assert {"code", "message", "details"} <= set(body), body
    assert body["code"] == code, body
    assert isinstance(body["message"], str) and body["message"], body
    return body


# --- the published description of the sockets ----------------------------------------------------


class Described:
    """The target's ``GET /asyncapi.json``: every frame the suite receives must be one of the
    server messages of its socket's channel (unknown fields allowed, as for any client), and
    every close code one the channel lists (``x-close-codes``)."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.frames: dict[str, dict[str, Any]] = {}
        self.close_codes: dict[str, set[int]] = {}
        for channel in doc["channels"].values():
            path = channel["address"]
            self.frames[path] = {
                name: jsonschema_rs.validator_for({**msg["payload"],
                                                   "components": doc["components"]})
                for name, msg in channel["messages"].items() if name.startswith("server.")}
            self.close_codes[path] = {c["code"] for c in channel.get("x-close-codes", [])}

    def check_frame(self, path: str, frame: Frame) -> None:
        name = (f"server.event.{frame.get('type')}" if frame["op"] == "event"
                else f"server.{frame['op']}")
        validator = self.frames.get(path, {}).get(name)
        assert validator is not None, f"{path}: {name} is not in /asyncapi.json: {frame}"
        problems = [f"{'/'.join(map(str, e.instance_path))}: {e.message}"
                    for e in validator.iter_errors(frame)]
        assert not problems, f"{path}: {name} does not match /asyncapi.json: {problems[:5]}"

    def check_close(self, path: str, code: int | None) -> None:
        assert code in self.close_codes.get(path, ()), \
            f"{path}: close code {code} is not in /asyncapi.json {sorted(self.close_codes[path])}"


_described: list[Described] = []     # set once per session by describe()


def describe(target: Target) -> Described:
    r = SYNC.get(f"{target.url}/asyncapi.json")
    assert r.status_code == 200, f"GET /asyncapi.json: {r.status_code} {r.text[:200]}"
    _described[:] = [Described(r.json())]
    return _described[0]


def _path(ws: Any) -> str:
    return ws.request.path.split("?", 1)[0]


# --- WebSockets ---------------------------------------------------------------------------------


async def connect(url: str) -> Any:
    return await websockets.connect(url, open_timeout=TIMEOUT, close_timeout=2,
                                    max_size=2**22, ping_interval=None)


async def recv(ws: Any, timeout: float = TIMEOUT) -> Frame:
    raw = await asyncio.wait_for(ws.recv(), timeout)
    assert isinstance(raw, str), f"the server sent a binary frame: {raw[:100]!r}"
    frame = json.loads(raw)
    assert isinstance(frame, dict) and isinstance(frame.get("op"), str), frame
    for described in _described:
        described.check_frame(_path(ws), frame)
    return frame


async def recv_until(ws: Any, pred: Callable[[Frame], bool], timeout: float = TIMEOUT
                     ) -> tuple[Frame, list[Frame]]:
    """Read frames until one matches ``pred``: (that frame, the frames before it)."""
    seen: list[Frame] = []
    try:
        async with asyncio.timeout(timeout):
            while not pred(frame := await recv(ws, timeout)):
                seen.append(frame)
    except TimeoutError:
        raise AssertionError(f"nothing matching within {timeout}s; got {seen!r}"[:3000]) from None
    return frame, seen


async def closed_with(ws: Any, timeout: float = TIMEOUT) -> tuple[int | None, list[Frame]]:
    """Read until the server closes: (close code, the frames before the close)."""
    frames: list[Frame] = []
    try:
        while True:
            frames.append(await recv(ws, timeout))
    except websockets.ConnectionClosed as exc:
        code = exc.rcvd.code if exc.rcvd else None
        for described in _described:
            described.check_close(_path(ws), code)
        return code, frames


async def still_open(ws: Any, nonce: str = "still-open") -> None:
    """The socket is usable: a ping gets its pong."""
    await ws.send(json.dumps({"op": "ping", "nonce": nonce}))
    await recv_until(ws, lambda f: f == {"op": "pong", "nonce": nonce})


def event(type_: str, chat_id: int | None = None) -> Callable[[Frame], bool]:
    def pred(f: Frame) -> bool:
        if f.get("op") != "event" or f.get("type") != type_:
            return False
        if chat_id is None:
            return True
        data = f["data"]
        return data.get("chat", data).get("id", data.get("chat_id")) == chat_id
    return pred


async def agent_socket(target: Target, token: str, resume_after: int | None = None
                       ) -> tuple[Any, Frame]:
    """An authenticated agent event stream and its first frame (ready or reset)."""
    ws = await connect(target.ws("/agent/ws"))
    await ws.send(json.dumps({"op": "auth", "token": token, "resume_after": resume_after}))
    return ws, await recv(ws)


@dataclass
class Visitor:
    ws: Any
    visitor_id: str
    token: str
    welcome: Frame

    @classmethod
    async def open(cls, target: Target, token: str | None = None, after_seq: int = 0
                   ) -> "Visitor":
        async with httpx.AsyncClient(timeout=TIMEOUT, verify=_TLS) as client:
            r = await client.post(target.api("/visitor/session"),
                                  json={"visitor_token": token} if token else {})
        assert r.status_code == 200, r.text
        sess = r.json()
        ws = await connect(target.ws("/visitor/ws"))
        await ws.send(json.dumps({"op": "hello", "visitor_token": sess["visitor_token"],
                                  "after_seq": after_seq, "page_url": "https://shop.example/",
                                  "page_title": "Shop", "referrer": "", "language": "en",
                                  "timezone_offset_minutes": 0}))
        welcome = await recv(ws)
        assert welcome["op"] == "welcome", welcome
        return cls(ws, sess["visitor_id"], sess["visitor_token"], welcome)

    async def start(self, department_id: int, text: str = "Hello",
                    client_msg_id: str = "v-1", name: str = "Conformance") -> tuple[int, Frame]:
        """Open a chat: (its id, the ack)."""
        await self.ws.send(json.dumps({"op": "start", "department_id": department_id,
                                       "name": name, "text": text,
                                       "client_msg_id": client_msg_id}))
        ack, before = await recv_until(self.ws, lambda f: f["op"] in ("ack", "error"))
        assert ack["op"] == "ack" and ack["client_msg_id"] == client_msg_id, ack
        chats = [f["chat"] for f in before if f["op"] == "chat"]
        assert chats, before
        return chats[-1]["id"], ack

    async def say(self, text: str, client_msg_id: str) -> Frame:
        """A message in the open chat; its ack."""
        await self.ws.send(json.dumps({"op": "message", "client_msg_id": client_msg_id,
                                       "text": text}))
        ack, _ = await recv_until(self.ws, lambda f: f["op"] in ("ack", "error"))
        assert ack["op"] == "ack" and ack["client_msg_id"] == client_msg_id, ack
        return ack

    async def close(self) -> None:
        await self.ws.close()

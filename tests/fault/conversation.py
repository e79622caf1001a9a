"""A two-way conversation that must survive faults: an agent (the real ``HttpBackend`` + the real
``Outbox``) and a website visitor (the widget protocol, reconnecting and resending as the widget
page does) both keep sending; the test breaks things in between and finally checks that every
message arrived exactly once, in order, on the other side.

Pacing between messages comes from the seeded ``random.Random`` the test passes in: it is the
test's input (how busy the conversation is), not synchronisation. Everything the test waits for
is a condition with a deadline (:meth:`Conversation.wait_for`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from websockets.asyncio.client import connect as ws_connect

from supportdesk_qt.backend.base import ConnectionChanged, ConnectionState, ServerEvent
from supportdesk_qt.backend.http import Backoff, HttpBackend
from supportdesk_qt.core.outbox import Outbox, OutboxState


async def wait_for(cond: Callable[[], bool], timeout: float, what: str,
                   poll: float = 0.02) -> float:
    """Wait until ``cond()`` holds; return how long it took; fail with ``what`` after ``timeout``."""
    start = time.monotonic()
    while not cond():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out after {timeout:.1f} s waiting for {what}")
        await asyncio.sleep(poll)   # polling a condition with a deadline, not a fixed delay
    return time.monotonic() - start


class FaultVisitor:
    """A visitor that reconnects (``after_seq`` = the newest message it saw) and resends every
    unacknowledged message with the same ``client_msg_id`` until the server acknowledges it."""

    def __init__(self, server_url: str, rng: random.Random, pace: tuple[float, float]) -> None:
        self.http_url = server_url.rstrip("/")
        self.ws_url = self.http_url.replace("http", "ws", 1) + "/api/v1/visitor/ws"
        self.rng = rng
        self.pace = pace
        self.token = ""
        self.chat_id: int | None = None
        self.after_seq = 0
        self.sent: list[str] = []              # texts acknowledged by the server, in order
        self._agent_msgs: dict[int, str] = {}  # seq -> agent text (the widget keys by seq)
        self.repeats = 0                       # frames for a seq already shown
        self.connects = 0
        self._ws = None
        self._connected = asyncio.Event()
        self._acks: dict[str, asyncio.Event] = {}
        self._pause_until = 0.0
        self._tasks: list[asyncio.Task] = []
        self._sending = False

    async def start(self, department_id: int | None = None) -> int:
        """Open a chat (before any fault) and keep a reconnecting socket from then on."""
        async with httpx.AsyncClient() as http:
            r = await http.post(f"{self.http_url}/api/v1/visitor/session", json={})
            r.raise_for_status()
            self.token = r.json()["visitor_token"]
        async with ws_connect(self.ws_url) as ws:
            await ws.send(json.dumps({"op": "hello", "visitor_token": self.token,
                                      "page_url": "https://example.com/faults"}))
            welcome = await self._recv(ws, "welcome")
            dept = department_id or welcome["departments"][0]["id"]
            await ws.send(json.dumps({"op": "start", "department_id": dept, "name": "Faulty",
                                      "text": "v-start", "client_msg_id": "v-start"}))
            got: dict[str, dict] = {}
            async with asyncio.timeout(20):
                while "chat" not in got or "ack" not in got:
                    frame = json.loads(await ws.recv())
                    if frame.get("op") == "error":
                        raise AssertionError(f"visitor socket error: {frame}")
                    got.setdefault(frame.get("op"), frame)
            self.after_seq = got["ack"]["message"]["seq"]
            self.chat_id = got["chat"]["chat"]["id"]
        self._tasks.append(asyncio.create_task(self._connection_loop(), name="visitor-conn"))
        return self.chat_id

    @staticmethod
    async def _recv(ws, op: str) -> dict:
        async with asyncio.timeout(20):
            while True:
                frame = json.loads(await ws.recv())
                if frame.get("op") == "error":
                    raise AssertionError(f"visitor socket error: {frame}")
                if frame.get("op") == op:
                    return frame

    @property
    def received(self) -> list[str]:
        """The agent's messages as the widget shows them: by seq, each seq once."""
        return [self._agent_msgs[k] for k in sorted(self._agent_msgs)]

    def start_sending(self, count: int | None = None) -> None:
        self._sending = True
        self._tasks.append(asyncio.create_task(self._send_loop(count), name="visitor-send"))

    def stop_sending(self) -> None:
        self._sending = False

    @property
    def idle(self) -> bool:
        """Every message it decided to send is acknowledged."""
        return not self._sending and all(e.is_set() for e in self._acks.values())

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(BaseException):
                await task

    async def _connection_loop(self) -> None:
        while True:
            try:
                async with ws_connect(self.ws_url, open_timeout=5, ping_interval=1.0,
                                      ping_timeout=2.5, close_timeout=1.0) as ws:
                    await ws.send(json.dumps({"op": "hello", "visitor_token": self.token,
                                              "after_seq": self.after_seq,
                                              "page_url": "https://example.com/faults"}))
                    self._ws = ws
                    self.connects += 1
                    async for raw in ws:
                        self._handle(json.loads(raw))
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - any failure: reconnect
                pass
            finally:
                self._ws = None
                self._connected.clear()
            await asyncio.sleep(self.rng.uniform(0.05, 0.3))   # retry delay with jitter

    def _handle(self, frame: dict) -> None:
        op = frame.get("op")
        if op == "welcome":
            self._connected.set()
        elif op == "message":
            # as widget.js does: one row per seq, rows sorted by seq, resume after the newest
            msg = frame["message"]
            seq = int(msg["seq"])
            self.after_seq = max(self.after_seq, seq)
            if msg["author_kind"] == "agent":
                if seq in self._agent_msgs:
                    self.repeats += 1
                    assert self._agent_msgs[seq] == msg["text"], "one seq, two texts"
                self._agent_msgs[seq] = msg["text"]
        elif op == "ack":
            self.after_seq = max(self.after_seq, frame["message"]["seq"])
            ev = self._acks.get(frame["client_msg_id"])
            if ev is not None:
                ev.set()
        elif op == "error" and frame.get("code") == "rate_limited":
            retry = float((frame.get("details") or {}).get("retry_after") or 1.0)
            self._pause_until = time.monotonic() + retry

    async def _send_loop(self, count: int | None) -> None:
        i = 0
        while self._sending and (count is None or i < count):
            text = f"visitor {i}"
            cid = f"v-{i}"
            ack = self._acks.setdefault(cid, asyncio.Event())
            while not ack.is_set():
                await self._connected.wait()
                delay = self._pause_until - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)     # the server's Retry-After
                ws = self._ws
                if ws is None:
                    continue
                with contextlib.suppress(Exception):
                    await ws.send(json.dumps({"op": "message", "client_msg_id": cid,
                                              "text": text}))
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(2.0):   # no ack: resend (same id, de-duplicated)
                        await ack.wait()
            self.sent.append(text)
            i += 1
            await asyncio.sleep(self.rng.uniform(*self.pace))  # the conversation's pace (input)
        self._sending = False


class FaultAgent:
    """The desk's Qt-free core: ``HttpBackend`` (event stream with heartbeat, resume, backoff) and
    ``Outbox`` (SQLite, retries with the same ``client_msg_id``)."""

    def __init__(self, server_url: str, outbox_path: Path, rng: random.Random,
                 pace: tuple[float, float], *, timeout: float = 5.0) -> None:
        self.backend = HttpBackend(server_url, timeout=timeout,
                                   backoff=Backoff(base=0.25, cap=2.0, rng=rng.random))
        self.outbox = Outbox(outbox_path, self.backend, backoff_base=0.1, backoff_cap=1.0)
        self.rng = rng
        self.pace = pace
        self.chat_id = 0
        self.added: list[str] = []
        self.delivered: list[str] = []           # texts the server confirmed, in order
        self.received: list[str] = []            # visitor texts from the event stream
        self.states: list[tuple[float, ConnectionState]] = []
        self._tasks: list[asyncio.Task] = []
        self._sending = False
        self.outbox.subscribe(self._on_outbox)

    def _on_outbox(self, entry, result=None) -> None:  # noqa: ANN001
        if entry.state == OutboxState.SENT and result is not None:
            self.delivered.append(entry.text)

    async def start(self, chat_id: int, login: str = "demo", password: str = "demo") -> None:
        self.chat_id = chat_id
        await self.backend.login(login, password)
        await self.backend.take_chat(chat_id)
        self._tasks.append(asyncio.create_task(self._read_loop(), name="agent-read"))
        await self.backend.start_events()
        await self.backend.wait_connected(20)

    @property
    def state(self) -> ConnectionState:
        return self.backend.connection_state

    async def _read_loop(self) -> None:
        async for item in self.backend.items():
            if isinstance(item, ConnectionChanged):
                self.states.append((time.monotonic(), item.state))
            elif isinstance(item, ServerEvent) and item.type == "chat.message":
                msg = item.data.message
                if msg.chat_id == self.chat_id and msg.author_kind == "visitor" \
                        and msg.text.startswith("visitor "):
                    self.received.append(msg.text)

    def start_sending(self, count: int | None = None) -> None:
        self._sending = True
        self._tasks.append(asyncio.create_task(self._send_loop(count), name="agent-send"))

    def stop_sending(self) -> None:
        self._sending = False

    async def _send_loop(self, count: int | None) -> None:
        i = 0
        while self._sending and (count is None or i < count):
            text = f"agent {i}"
            await self.outbox.add(self.chat_id, text)   # on disk before the first attempt
            self.added.append(text)
            i += 1
            await asyncio.sleep(self.rng.uniform(*self.pace))  # the conversation's pace (input)
        self._sending = False

    @property
    def idle(self) -> bool:
        return not self._sending and len(self.delivered) >= len(self.added)

    async def close(self) -> None:
        self._sending = False
        await self.outbox.close()
        await self.backend.close()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(BaseException):
                await task


def assert_exactly_once_in_order(sent: list[str], received: list[str], who: str) -> None:
    dups = sorted({t for t in received if received.count(t) > 1})
    missing = [t for t in sent if t not in received]
    extra = [t for t in received if t not in sent]
    assert not dups, f"{who}: duplicated {dups[:10]}"
    assert not missing, f"{who}: lost {len(missing)} of {len(sent)}: {missing[:10]}"
    assert not extra, f"{who}: got messages nobody sent: {extra[:10]}"
    assert received == sent, f"{who}: out of order"


def stored_messages(server, chat_id: int, token: str) -> list[dict]:
    """Every message of a chat as the server has it, oldest first (pages of 500)."""
    out: list[dict] = []
    before = None
    while True:
        params = {"limit": 500} | ({"before_seq": before} if before is not None else {})
        r = httpx.get(server.api(f"/chats/{chat_id}/messages"), params=params,
                      headers={"Authorization": f"Bearer {token}"}, timeout=30)
        r.raise_for_status()
        page = r.json()
        out = page["items"] + out
        if not page["has_more"] or not page["items"]:
            return out
        before = page["items"][0]["seq"]

"""Visitor simulator: keeps the demo desk alive by acting like people on a hosting company's site.

It speaks only the public visitor protocol (docs/protocol.md, "Visitor side"), exactly as the
widget does: ``POST /api/v1/visitor/session`` for a token, then the WebSocket
``/api/v1/visitor/ws`` with ``hello`` / ``start`` / ``message`` / ``typing`` / ``page`` / ``close``.
So it can be pointed at any SupportDesk server::

    python -m supportdesk_server.demo.simulator --url http://127.0.0.1:8765 --rate 6

New visitors arrive at about ``rate_per_minute`` (exponential gaps, i.e. a Poisson process), at most
``max_concurrent`` at once. Each one opens a chat in a department with a question from the
phrasebook, sometimes follows up, wanders to other pages, types, answers an agent briefly and, after
a few exchanges or after losing patience (1–6 minutes without being taken), says goodbye and closes
the chat. So the number of waiting chats goes up and down on its own.

Clients, too: given some client users' logins (``client_logins``, password ``client_password``),
now and then (``ticket_posts_per_hour``) one of them adds a post to one of their open tickets
through the client's own endpoint (``/api/v1/client/tickets``, HTTP Basic; docs/protocol.md
"Tickets"), so agents see ticket posts arrive live. In the demo server the logins are the demo
clients' (:func:`demo_client_logins`).

Errors never propagate: a visitor whose connection fails reconnects a few times, then gives up;
everything is logged at debug level. Cancelling :meth:`VisitorSimulator.run` closes every socket.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import logging
import random
import signal
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import httpx
import websockets
from websockets.exceptions import WebSocketException

from supportdesk_server.demo import phrases as P

log = logging.getLogger(__name__)

API = "/api/v1"


@dataclass
class SimulatorStats:
    started: int = 0          # visitors that sent ``start``
    taken: int = 0            # ... whose chat an agent took
    closed_by_visitor: int = 0
    closed_by_agent: int = 0
    gave_up: int = 0          # left after waiting too long
    errors: int = 0
    active: int = 0           # visitors connected right now
    last_error: str = ""
    ticket_posts: int = 0     # client posts added to tickets


@dataclass
class _Timing:
    """Every delay of a visitor, in seconds, before ``time_scale`` is applied."""

    patience: tuple[float, float] = (60.0, 360.0)        # waiting to be taken, then leave
    idle_after_agent: tuple[float, float] = (120.0, 300.0)  # agent went quiet: leave
    read: tuple[float, float] = (2.0, 8.0)               # before starting to answer
    type_per_char: float = 0.12                          # typing speed
    follow_up: tuple[float, float] = (15.0, 60.0)        # an extra message while waiting
    page_change: tuple[float, float] = (10.0, 90.0)
    exchanges: tuple[int, int] = (2, 5)                  # agent messages answered before goodbye


@dataclass
class _VisitorPlan:
    department: str
    question: str
    follow_ups: list[str]
    name: str
    page: tuple[str, str]
    referrer: str
    user_agent: str
    language: str
    tz: int
    domain: str
    ip: str
    invoice: str
    exchanges: int
    patience: float
    pages_left: list[tuple[str, str]] = field(default_factory=list)


class VisitorSimulator:
    """Opens simulated visitor chats against ``base_url`` until cancelled."""

    def __init__(self, base_url: str, rate_per_minute: float, seed: int = 1, *,
                 max_concurrent: int = 12, time_scale: float = 1.0,
                 close_on_cancel: bool = True, client_logins: list[str] | None = None,
                 client_password: str = "demo", ticket_posts_per_hour: float = 20.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.ws_url = self.base_url.replace("http", "ws", 1) + API + "/visitor/ws"
        self.rate_per_minute = max(0.0, float(rate_per_minute))
        self.seed = seed
        self.max_concurrent = max(1, max_concurrent)
        self.time_scale = max(0.001, float(time_scale))
        self.close_on_cancel = close_on_cancel
        self.timing = _Timing()
        self.stats = SimulatorStats()
        self._rng = random.Random(seed)
        self._counter = itertools.count(1)
        self._tasks: set[asyncio.Task[None]] = set()
        self._changed = asyncio.Condition()
        self.client_logins = list(client_logins or [])
        self.client_password = client_password
        self.ticket_posts_per_hour = max(0.0, float(ticket_posts_per_hour))

    async def wait_for(self, predicate: Callable[[SimulatorStats], bool], timeout: float | None = None) -> None:
        """Wait until ``predicate(self.stats)`` holds (re-checked whenever a visitor starts,
        finishes or fails); for tests and monitoring."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: predicate(self.stats)), timeout)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # -- the arrival process

    async def run(self) -> None:
        if self.rate_per_minute <= 0:
            log.info("visitor simulator idle (rate 0)")
            await asyncio.Event().wait()  # until cancelled
        log.info("visitor simulator: %.1f new visitors a minute at %s (max %d at once)",
                 self.rate_per_minute, self.base_url, self.max_concurrent)
        async with httpx.AsyncClient(base_url=self.base_url, timeout=10.0) as http:
            if self.client_logins and self.ticket_posts_per_hour > 0:
                task = asyncio.create_task(self._ticket_clients(http), name="sim-ticket-clients")
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            try:
                while True:
                    await asyncio.sleep(self._rng.expovariate(self.rate_per_minute / 60.0))
                    if len(self._tasks) >= self.max_concurrent:
                        continue  # the site is busy enough; this visitor does not open the chat
                    n = next(self._counter)
                    task = asyncio.create_task(self._visitor(http, n), name=f"sim-visitor-{n}")
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
            finally:
                tasks = list(self._tasks)
                for task in tasks:
                    task.cancel()
                if tasks:
                    await asyncio.gather(*tasks, return_exceptions=True)
                log.info("visitor simulator stopped: %s", self.stats)

    async def _visitor(self, http: httpx.AsyncClient, n: int) -> None:
        visitor = _SimVisitor(self, http, random.Random(f"{self.seed}:{n}"), n)
        self.stats.active += 1
        try:
            await visitor.live()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a simulated visitor must never take anything down
            self.stats.errors += 1
            self.stats.last_error = f"{type(exc).__name__}: {exc}"
            log.debug("simulated visitor %d failed", n, exc_info=True)
        finally:
            self.stats.active -= 1
            with contextlib.suppress(BaseException):
                await self._notify()

    # -- clients posting on their tickets

    async def _ticket_clients(self, http: httpx.AsyncClient) -> None:
        rng = random.Random(f"{self.seed}:tickets")
        while True:
            gap = rng.expovariate(self.ticket_posts_per_hour / 3600.0) * self.time_scale
            await asyncio.sleep(gap)
            try:
                await self.client_post(http, rng)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - never take the simulator down
                self.stats.errors += 1
                self.stats.last_error = f"{type(exc).__name__}: {exc}"
                log.debug("simulated ticket post failed", exc_info=True)

    async def client_post(self, http: httpx.AsyncClient, rng: random.Random | None = None
                          ) -> dict[str, Any] | None:
        """One client user (of ``client_logins``) posts on one of their open tickets; the post,
        or None when that client has no open ticket."""
        rng = rng or self._rng
        login = rng.choice(self.client_logins)
        auth = (login, self.client_password)
        r = await http.get(f"{API}/client/tickets", params={"limit": 50}, auth=auth)
        r.raise_for_status()
        open_ = [t for t in r.json()["items"] if t["status"] != "closed"]
        if not open_:
            return None
        ticket = rng.choice(open_)
        cid = f"sim-t{ticket['id']}-{rng.getrandbits(48):x}"
        r = await http.post(f"{API}/client/tickets/{ticket['id']}/posts", auth=auth,
                            json={"text": rng.choice(P.TICKET_CLIENT_POSTS), "client_msg_id": cid})
        r.raise_for_status()
        self.stats.ticket_posts += 1
        await self._notify()
        return r.json()

    def delay(self, lo_hi: tuple[float, float] | float, rng: random.Random) -> float:
        value = rng.uniform(*lo_hi) if isinstance(lo_hi, tuple) else float(lo_hi)
        return value * self.time_scale


class _Gone(Exception):
    """The chat is over (closed by either side); the visitor leaves."""


class _SimVisitor:
    MAX_RECONNECTS = 3

    def __init__(self, sim: VisitorSimulator, http: httpx.AsyncClient, rng: random.Random, n: int) -> None:
        self.sim = sim
        self.http = http
        self.rng = rng
        self.n = n
        self.token = ""
        self.plan = self._make_plan()
        self.ws: Any = None
        self.last_seq = 0
        self.msg_no = 0
        self.chat_state: str | None = None
        self.taken = False
        self.answered = 0
        self.unacked: dict[str, dict[str, Any]] = {}

    def _make_plan(self) -> _VisitorPlan:
        r = self.rng
        department, question, follow_ups, _ = r.choice(P.DIALOGUES)
        domain, ip, invoice = P.random_domain(r), P.random_ip(r), f"INV-{r.randint(10000, 99999)}"
        first, last = r.choice(P.FIRST_NAMES), r.choice(P.LAST_NAMES)
        lang, tz = r.choice(P.LANGUAGES)
        pages = list(P.PAGES)
        r.shuffle(pages)
        t = self.sim.timing
        return _VisitorPlan(
            department=department,
            question=P.fill(question, r, domain=domain, ip=ip, invoice=invoice),
            follow_ups=[P.fill(f, r, domain=domain, ip=ip, invoice=invoice) for f in follow_ups],
            name=r.choice([first, f"{first} {last}", first, ""]),
            page=pages[0], pages_left=pages[1:r.randint(1, 4)],
            referrer=r.choice(P.REFERRERS), user_agent=r.choice(P.USER_AGENTS), language=lang, tz=tz,
            domain=domain, ip=ip, invoice=invoice, exchanges=r.randint(*t.exchanges),
            patience=self.sim.delay(t.patience, r))

    # -- one visit

    async def live(self) -> None:
        r = await self.http.post(f"{API}/visitor/session", json={},
                                 headers={"User-Agent": self.plan.user_agent})
        r.raise_for_status()
        self.token = r.json()["visitor_token"]
        log.debug("visitor %d: %s in %s: %r", self.n, self.plan.name or "anonymous",
                  self.plan.department, self.plan.question)
        attempts = 0
        while True:
            try:
                await self._session(first=self.chat_state is None)
                return
            except _Gone:
                return
            except asyncio.CancelledError:
                raise
            except (OSError, asyncio.TimeoutError, WebSocketException) as exc:
                attempts += 1
                if self.chat_state == "closed" or attempts > self.MAX_RECONNECTS:
                    raise
                log.debug("visitor %d: connection lost (%s), reconnecting", self.n, exc)
                await asyncio.sleep(min(8.0, 0.5 * 2 ** attempts) * self.rng.uniform(0.5, 1.5))

    async def _session(self, *, first: bool) -> None:
        p = self.plan
        url, title = P.SITE + p.page[0], p.page[1]
        async with websockets.connect(self.sim.ws_url, user_agent_header=p.user_agent,
                                      open_timeout=10, close_timeout=2, max_size=2**20) as ws:
            self.ws = ws
            try:
                await self._send({"op": "hello", "visitor_token": self.token, "after_seq": self.last_seq,
                                  "page_url": url, "page_title": title, "referrer": p.referrer,
                                  "language": p.language, "timezone_offset_minutes": p.tz})
                welcome = await self._recv(timeout=10)
                while welcome.get("op") != "welcome":
                    if welcome.get("op") == "error":
                        raise RuntimeError(f"hello refused: {welcome}")
                    welcome = await self._recv(timeout=10)
                if first:
                    await self._start(welcome.get("departments") or [])
                else:
                    chat = welcome.get("chat")
                    if not chat or chat.get("state") == "closed":
                        raise _Gone
                    self.chat_state = chat.get("state")
                    if self.chat_state == "active" and not self.taken:
                        self.taken = True
                        self.sim.stats.taken += 1
                    for frame in list(self.unacked.values()):  # resend; the server de-duplicates
                        await self._send(frame)
                await self._converse()
            except _Gone:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(ws.close(), 2.0)   # a normal 1000 close, not 1011
                raise
            except asyncio.CancelledError:
                with contextlib.suppress(Exception):
                    if self.sim.close_on_cancel and self.chat_state in ("waiting", "active"):
                        await asyncio.wait_for(ws.send(json.dumps({"op": "close"})), 1.0)
                    await asyncio.wait_for(ws.close(1001, "visitor left"), 1.0)
                raise
            finally:
                self.ws = None

    async def _start(self, departments: list[dict[str, Any]]) -> None:
        if not departments:
            raise RuntimeError("the server offers no departments")
        dept = next((d for d in departments if d.get("name") == self.plan.department), None)
        dept = dept or self.rng.choice(departments)
        await self._type(self.plan.question)
        self.msg_no += 1
        cid = f"sim{self.n}-{self.msg_no}"
        frame = {"op": "start", "department_id": dept["id"], "name": self.plan.name,
                 "text": self.plan.question, "client_msg_id": cid}
        await self._send(frame)
        self.chat_state = "waiting"
        self.sim.stats.started += 1
        await self.sim._notify()

    async def _converse(self) -> None:
        """React to frames until the chat is over; act on our own timers in between."""
        sim, t, r = self.sim, self.sim.timing, self.rng
        now = time.monotonic
        leave_at = now() + (self.plan.patience if not self.taken else sim.delay(t.idle_after_agent, r))
        follow_up_at = now() + sim.delay(t.follow_up, r) if r.random() < 0.6 else None
        page_at = now() + sim.delay(t.page_change, r) if self.plan.pages_left else None
        reply_due: float | None = None
        while True:
            timers = [x for x in (leave_at, follow_up_at, page_at, reply_due) if x is not None]
            wait = max(0.0, min(timers) - now())
            try:
                frame = await self._recv(timeout=wait)
            except asyncio.TimeoutError:
                frame = None
            if frame is not None:
                op = frame.get("op")
                if op == "chat":
                    chat = frame.get("chat") or {}
                    state = chat.get("state")
                    if state == "active" and not self.taken:
                        self.taken = True
                        sim.stats.taken += 1
                        leave_at = now() + sim.delay(t.idle_after_agent, r)
                        follow_up_at = None
                    self.chat_state = state
                    if state == "closed":
                        sim.stats.closed_by_agent += 1
                        log.debug("visitor %d: chat closed by the desk", self.n)
                        raise _Gone
                elif op == "message":
                    msg = frame.get("message") or {}
                    self.last_seq = max(self.last_seq, int(msg.get("seq") or 0))
                    if msg.get("author_kind") == "agent":
                        if not self.taken:
                            self.taken = True
                            sim.stats.taken += 1
                        follow_up_at = None
                        leave_at = now() + sim.delay(t.idle_after_agent, r)
                        if reply_due is None:
                            reply_due = now() + sim.delay(t.read, r)
                elif op == "ack":
                    self.unacked.pop(frame.get("client_msg_id", ""), None)
                    msg = frame.get("message") or {}
                    self.last_seq = max(self.last_seq, int(msg.get("seq") or 0))
                elif op == "error":
                    log.debug("visitor %d: server error %s", self.n, frame)
                    if frame.get("code") == "conflict":  # e.g. the chat is closed already
                        raise _Gone
                continue
            # a timer fired
            if reply_due is not None and now() >= reply_due:
                reply_due = None
                self.answered += 1
                if self.answered > self.plan.exchanges:
                    await self._leave(goodbye=True)
                text = (self.plan.follow_ups.pop(0) if self.plan.follow_ups and r.random() < 0.5
                        else r.choice(P.VISITOR_REPLIES))
                await self._say(text)
            elif follow_up_at is not None and now() >= follow_up_at:
                follow_up_at = None
                if self.plan.follow_ups:
                    await self._say(self.plan.follow_ups.pop(0))
            elif page_at is not None and now() >= page_at:
                prev = P.SITE + self.plan.page[0]
                self.plan.page = self.plan.pages_left.pop(0)
                await self._send({"op": "page", "url": P.SITE + self.plan.page[0],
                                  "title": self.plan.page[1], "referrer": prev})
                page_at = now() + sim.delay(t.page_change, r) if self.plan.pages_left else None
            elif now() >= leave_at:
                if not self.taken:
                    sim.stats.gave_up += 1
                    await self._leave(goodbye=r.random() < 0.4,
                                      text="Never mind, I'll open a ticket instead.")
                else:
                    await self._leave(goodbye=r.random() < 0.7)

    async def _leave(self, *, goodbye: bool, text: str | None = None) -> None:
        if goodbye:
            words = text or self.rng.choice(P.VISITOR_GOODBYES)
            if words:
                await self._say(words)
        await self._send({"op": "close"})
        self.chat_state = "closed"
        self.sim.stats.closed_by_visitor += 1
        log.debug("visitor %d: left the chat", self.n)
        # Give the server a moment to confirm, but do not depend on it.
        with contextlib.suppress(asyncio.TimeoutError, WebSocketException):
            deadline = time.monotonic() + 2.0
            while time.monotonic() < deadline:
                frame = await self._recv(timeout=deadline - time.monotonic())
                if frame.get("op") == "chat" and (frame.get("chat") or {}).get("state") == "closed":
                    break
        raise _Gone

    async def _type(self, text: str) -> None:
        await self._send({"op": "typing", "typing": True})
        await asyncio.sleep(min(20.0, len(text) * self.sim.timing.type_per_char) * self.sim.time_scale)

    async def _say(self, text: str) -> None:
        await self._type(text)
        self.msg_no += 1
        cid = f"sim{self.n}-{self.msg_no}"
        frame = {"op": "message", "client_msg_id": cid, "text": text}
        self.unacked[cid] = frame
        await self._send(frame)

    async def _send(self, frame: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(frame))

    async def _recv(self, timeout: float) -> dict[str, Any]:
        raw = await asyncio.wait_for(self.ws.recv(), timeout=max(0.0, timeout))
        try:
            frame = json.loads(raw)
        except ValueError:
            return {}
        return frame if isinstance(frame, dict) else {}


async def demo_client_logins(sessionmaker: Any, limit: int = 200) -> list[str]:
    """Logins of enabled client users that have a ticket (the demo seed gives every client user
    the password ``demo``): what the simulator's clients log in with."""
    from sqlalchemy import select

    from supportdesk_server.store import models as M

    async with sessionmaker() as session:
        rows = await session.scalars(
            select(M.ClientUser.login)
            .join(M.Ticket, M.Ticket.client_id == M.ClientUser.client_id)
            .where(M.ClientUser.enabled.is_(True), M.ClientUser.password_hash != "")
            .group_by(M.ClientUser.login).order_by(M.ClientUser.login).limit(limit))
        return list(rows.all())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m supportdesk_server.demo.simulator",
        description="Simulate website visitors chatting with a SupportDesk server.")
    parser.add_argument("--url", default="http://127.0.0.1:8765", help="server base URL")
    parser.add_argument("--rate", type=float, default=6.0, help="new visitors per minute")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-concurrent", type=int, default=12)
    parser.add_argument("--time-scale", type=float, default=1.0,
                        help="multiply every visitor delay (0.1 = ten times faster visitors)")
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    sim = VisitorSimulator(args.url, args.rate, args.seed, max_concurrent=args.max_concurrent,
                           time_scale=args.time_scale)

    async def run() -> None:
        task = asyncio.current_task()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, task.cancel)   # visitors close their chats on the way out
        with contextlib.suppress(asyncio.CancelledError):
            await sim.run()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())


if __name__ == "__main__":
    main()

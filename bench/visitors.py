"""Website visitors for the benchmarks: the visitor protocol (docs/protocol.md, "Visitor side"),
and a load generator that runs in its own process.

    .venv/bin/python bench/visitors.py --server URL --chats chats.json --rate 100 --seconds 30 \
        --out result.json [--focus CHAT_ID --focus-rate 2.5] [--first 0 --step 1]

``chats.json`` is a list of ``{"chat_id", "token"}`` (visitor tokens of open chats). The generator
reconnects those visitors and sends ``--rate`` messages per second in total, open loop (the
schedule does not wait for answers), round robin over the chats; ``--focus`` gets its own rate
on top. Every text starts with ``[t=<ms>]``: CLOCK_MONOTONIC when it was sent, which every
process on the machine shares, so a receiver (the desk, an agent socket) can tell the latency.
Writes what was sent, acknowledged and refused, and the ack latencies.

``local_host(i)`` spreads new visitors over 127.0.0.2… : the server limits new visitors per
address and minute, and thousands of visitors from one address is not what it sees in real life.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import cpu_seconds, message_text, now_ms, percentile  # noqa: E402

HOSTS = 60


def local_host(i: int) -> str:
    return f"127.0.0.{2 + i % HOSTS}"


def stamp(text: str) -> str:
    return f"[t={now_ms():.3f}] {text}"


def sent_at(text: str) -> float | None:
    """The send time in a stamped text, or None."""
    if text.startswith("[t="):
        try:
            return float(text[3:text.index("]")])
        except ValueError:
            return None
    return None


class BenchVisitor:
    """One browser with the widget open: a session token and a socket."""

    def __init__(self, server_url: str, host: str = "127.0.0.1") -> None:
        self.server_url = server_url.rstrip("/")
        self.host = host
        self.token = ""
        self.chat: dict | None = None
        self.departments: list[dict] = []
        self.ws = None

    async def connect(self, token: str = "", page_url: str = "https://example-hosting.test/") -> None:
        transport = httpx.AsyncHTTPTransport(local_address=self.host)
        async with httpx.AsyncClient(transport=transport, timeout=60) as http:
            r = await http.post(f"{self.server_url}/api/v1/visitor/session",
                                json={"visitor_token": token} if token else {})
            r.raise_for_status()
            self.token = r.json()["visitor_token"]
        url = self.server_url.replace("http", "ws", 1) + "/api/v1/visitor/ws"
        self.ws = await websockets.connect(url, local_addr=(self.host, 0), open_timeout=60,
                                           max_queue=None)
        await self.ws.send(json.dumps({"op": "hello", "visitor_token": self.token, "after_seq": 0,
                                       "page_url": page_url, "page_title": "Bench",
                                       "language": "en"}))
        while True:
            frame = json.loads(await self.ws.recv())
            if frame.get("op") == "welcome":
                self.departments = frame["departments"]
                self.chat = frame.get("chat")
                return

    async def start_chat(self, department: str, name: str, text: str) -> dict:
        dep = next(d["id"] for d in self.departments if d["name"] == department)
        await self.ws.send(json.dumps({"op": "start", "department_id": dep, "name": name,
                                       "text": text, "client_msg_id": f"v-{uuid.uuid4().hex[:12]}"}))
        while True:
            frame = json.loads(await self.ws.recv())
            if frame.get("op") == "chat":
                self.chat = frame["chat"]
                return self.chat
            if frame.get("op") == "error":
                raise RuntimeError(f"start refused: {frame}")

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


async def open_chats(server_url: str, n: int, department: str = "Billing",
                     concurrency: int = 20, first: int = 0) -> list[dict]:
    """``n`` new chats, each by its own visitor (spread over local addresses); the visitors
    disconnect afterwards, their tokens open the same chats again."""
    sem = asyncio.Semaphore(concurrency)
    out: list[dict] = []

    async def one(i: int) -> None:
        async with sem:
            v = BenchVisitor(server_url, local_host(i))
            await v.connect(page_url=f"https://example-hosting.test/page/{i}")
            await v.start_chat(department, f"Bench Visitor {i}", f"hello, I am visitor {i}")
            out.append({"chat_id": v.chat["id"], "token": v.token})
            await v.close()

    await asyncio.gather(*(one(i) for i in range(first, first + n)))
    return sorted(out, key=lambda c: c["chat_id"])


# --- the load generator ---------------------------------------------------------------------------


class Stats:
    def __init__(self) -> None:
        self.sent = 0
        self.acked = 0
        self.refused = 0
        self.ack_ms: list[float] = []
        self.pending: dict[str, float] = {}


async def _reader(v: BenchVisitor, stats: Stats) -> None:
    try:
        async for raw in v.ws:
            frame = json.loads(raw)
            op = frame.get("op")
            if op == "ack":
                t = stats.pending.pop(frame.get("client_msg_id", ""), None)
                if t is not None:
                    stats.acked += 1
                    stats.ack_ms.append(now_ms() - t)
            elif op == "error":
                stats.refused += 1
    except websockets.ConnectionClosed:
        pass


async def _pace(visitors: list[BenchVisitor], rate: float, seconds: float, stats: Stats,
                counter: list[int]) -> None:
    """Open loop: message k is due at start + k / rate, whether or not earlier ones were answered."""
    if rate <= 0 or not visitors:
        return
    start = time.monotonic()
    k = 0
    while True:
        due = start + k / rate
        if due - start >= seconds:
            return
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        v = visitors[k % len(visitors)]
        msg_id = f"b-{uuid.uuid4().hex[:16]}"
        text = stamp(message_text(counter[0])[:120])
        counter[0] += 1
        stats.pending[msg_id] = now_ms()
        try:
            await v.ws.send(json.dumps({"op": "message", "client_msg_id": msg_id, "text": text}))
            stats.sent += 1
        except websockets.ConnectionClosed:
            stats.refused += 1
        k += 1


async def run_load(server_url: str, chats: list[dict], rate: float, seconds: float,
                   focus: int | None = None, focus_rate: float = 0.0,
                   server_pid: int = 0) -> dict:
    visitors = []
    sem = asyncio.Semaphore(50)

    async def connect(i: int, c: dict) -> BenchVisitor:
        async with sem:
            v = BenchVisitor(server_url, local_host(i))
            await v.connect(token=c["token"])
            v.chat_id = c["chat_id"]  # type: ignore[attr-defined]
            return v

    visitors = await asyncio.gather(*(connect(i, c) for i, c in enumerate(chats)))
    stats = Stats()
    readers = [asyncio.ensure_future(_reader(v, stats)) for v in visitors]
    focused = [v for v in visitors if v.chat_id == focus]          # type: ignore[attr-defined]
    others = [v for v in visitors if v.chat_id != focus] or visitors  # type: ignore[attr-defined]
    counter = [0]
    cpu0 = cpu_seconds(server_pid) if server_pid else 0.0
    t0 = time.monotonic()
    await asyncio.gather(_pace(others, rate, seconds, stats, counter),
                         _pace(focused, focus_rate, seconds, stats, counter))
    elapsed = time.monotonic() - t0
    deadline = time.monotonic() + 10
    while stats.pending and time.monotonic() < deadline:
        await asyncio.sleep(0.05)          # the last acks (a bench waiting for its own traffic)
    server_cpu = cpu_seconds(server_pid) - cpu0 if server_pid else 0.0   # sending, not connecting
    for v in visitors:
        await v.close()
    for r in readers:
        r.cancel()
    ack = stats.ack_ms or [0.0]
    return {"sent": stats.sent, "acked": stats.acked, "refused": stats.refused,
            "server_cpu_s": server_cpu,
            "lost": len(stats.pending), "seconds": elapsed,
            "ack_p50_ms": percentile(ack, 50), "ack_p99_ms": percentile(ack, 99)}


async def hold(server_url: str, n: int, seconds: float, first: int, ready_file: Path) -> dict:
    """``n`` new visitors with the widget open (no chat), held for ``seconds``; how many stayed."""
    sem = asyncio.Semaphore(50)
    t0 = time.monotonic()

    async def one(i: int) -> BenchVisitor:
        async with sem:
            v = BenchVisitor(server_url, local_host(i))
            await v.connect(page_url=f"https://example-hosting.test/browse/{i}")
            return v

    visitors = await asyncio.gather(*(one(i) for i in range(first, first + n)))
    connect_s = time.monotonic() - t0
    ready_file.write_text(str(len(visitors)))

    async def keep(v: BenchVisitor) -> bool:      # pings as the widget does while it is open
        end = time.monotonic() + seconds
        try:
            while time.monotonic() < end:
                await v.ws.send(json.dumps({"op": "ping", "nonce": "h"}))
                try:
                    while True:
                        await asyncio.wait_for(v.ws.recv(), max(0.01, min(5.0, end - time.monotonic())))
                except asyncio.TimeoutError:
                    pass
            return True
        except websockets.ConnectionClosed:
            return False

    alive = await asyncio.gather(*(keep(v) for v in visitors))
    for v in visitors:
        await v.close()
    return {"connected": len(visitors), "open_at_end": sum(alive), "connect_seconds": connect_s}


def spawn_load(server_url: str, chats_file: Path, rate: float, seconds: float, out_dir: Path,
               processes: int = 1, focus: int | None = None, focus_rate: float = 0.0,
               tag: str = "load", server_pid: int = 0) -> list[tuple[subprocess.Popen, Path]]:
    """Start ``processes`` generators sharing ``rate`` (each its slice of the chats); the focus
    chat goes to the first one."""
    out = []
    for k in range(processes):
        path = out_dir / f"{tag}-{k}.json"
        path.unlink(missing_ok=True)
        cmd = [sys.executable, str(Path(__file__).resolve()), "--server", server_url,
               "--chats", str(chats_file), "--first", str(k), "--step", str(processes),
               "--rate", str(rate / processes), "--seconds", str(seconds), "--out", str(path),
               "--server-pid", str(server_pid)]
        if focus is not None and k == 0:
            cmd += ["--focus", str(focus), "--focus-rate", str(focus_rate)]
        out.append((subprocess.Popen(cmd), path))
    return out


def collect(started: list[tuple[subprocess.Popen, Path]], timeout: float = 300) -> dict:
    """Wait for the generators; their results summed (latencies: the worst process's)."""
    total = {"sent": 0, "acked": 0, "refused": 0, "lost": 0, "seconds": 0.0, "server_cpu_s": 0.0,
             "ack_p50_ms": 0.0, "ack_p99_ms": 0.0}
    for proc, path in started:
        if proc.wait(timeout) != 0 or not path.exists():
            raise RuntimeError(f"a load generator failed ({proc.returncode})")
        r = json.loads(path.read_text())
        for k in ("sent", "acked", "refused", "lost"):
            total[k] += r[k]
        for k in ("seconds", "ack_p50_ms", "ack_p99_ms", "server_cpu_s"):   # the same window
            total[k] = max(total[k], r[k])
    return total


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--server", required=True)
    p.add_argument("--chats", default="", help="JSON list of {chat_id, token}")
    p.add_argument("--first", type=int, default=0, help="use chats[first::step]")
    p.add_argument("--step", type=int, default=1)
    p.add_argument("--rate", type=float, default=0.0, help="messages per second in total")
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--focus", type=int, default=None, help="a chat id with its own rate")
    p.add_argument("--focus-rate", type=float, default=0.0)
    p.add_argument("--out", required=True)
    p.add_argument("--server-pid", type=int, default=0, help="note this process's CPU time")
    p.add_argument("--hold", type=int, default=0, help="only hold this many new visitors open")
    args = p.parse_args(argv)
    if args.hold:
        result = asyncio.run(hold(args.server, args.hold, args.seconds, args.first,
                                  Path(args.out + ".ready")))
        Path(args.out).write_text(json.dumps(result))
        return 0
    chats = json.loads(Path(args.chats).read_text())[args.first::args.step]
    result = asyncio.run(run_load(args.server, chats, args.rate, args.seconds, args.focus,
                                  args.focus_rate, args.server_pid))
    Path(args.out).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

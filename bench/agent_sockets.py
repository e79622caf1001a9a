"""Agent sockets for the server benchmark, in their own process.

    .venv/bin/python bench/agent_sockets.py --server URL --token T --sockets 200 --out OUT.json

Opens ``--sockets`` agent event streams (``/api/v1/agent/ws``) with one bearer token; each pings
after a second without a frame, as the desk does. The first socket measures: for every
``chat.message`` whose text carries a bench stamp (bench/visitors.py) it notes the arrival time
and the latency (CLOCK_MONOTONIC, shared by every process). ``OUT.ready`` appears once every
socket is ready; on SIGTERM the samples and the number of sockets still open go to ``OUT``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from pathlib import Path

import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import now_ms  # noqa: E402
from visitors import sent_at  # noqa: E402


async def one_socket(url: str, token: str, samples: list | None, ready: asyncio.Queue,
                     open_count: list[int]) -> None:
    ws = await websockets.connect(url, open_timeout=60, max_queue=None)
    await ws.send(json.dumps({"op": "auth", "token": token, "resume_after": None}))
    first = json.loads(await ws.recv())
    if first.get("op") not in ("ready", "reset"):
        raise RuntimeError(f"agent socket refused: {first}")
    open_count[0] += 1
    await ready.put(1)
    nonce = 0
    try:
        while True:
            try:
                raw = await asyncio.wait_for(ws.recv(), 1.0)
            except asyncio.TimeoutError:
                nonce += 1
                await ws.send(json.dumps({"op": "ping", "nonce": f"b{nonce}"}))
                continue
            if samples is None:
                continue
            frame = json.loads(raw)
            if frame.get("op") == "event" and frame.get("type") == "chat.message":
                t = sent_at(frame["data"]["message"].get("text", ""))
                if t is not None:
                    now = now_ms()
                    samples.append((now, now - t))
    except websockets.ConnectionClosed:
        open_count[0] -= 1


async def run(args: argparse.Namespace) -> None:
    url = args.server.replace("http", "ws", 1).rstrip("/") + "/api/v1/agent/ws"
    samples: list = []
    ready: asyncio.Queue = asyncio.Queue()
    open_count = [0]
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    sem = asyncio.Semaphore(20)

    async def start(i: int) -> asyncio.Task:
        async with sem:
            task = asyncio.ensure_future(one_socket(url, args.token, samples if i == 0 else None,
                                                    ready, open_count))
            await ready.get()
            return task

    tasks = [await start(0)] + list(await asyncio.gather(*(start(i) for i in range(1, args.sockets))))
    Path(args.out + ".ready").write_text(str(open_count[0]))
    await stop.wait()
    Path(args.out).write_text(json.dumps({"samples": samples, "open": open_count[0]}))
    for t in tasks:
        t.cancel()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--server", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--sockets", type=int, default=1)
    p.add_argument("--out", required=True)
    asyncio.run(run(p.parse_args()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

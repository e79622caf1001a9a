"""Benchmark: one server instance, SQLite and PostgreSQL: visitor messages -> an agent socket,
connections held, and server CPU per authenticated GET and per visitor message.

    .venv/bin/python bench/server_load.py [--db sqlite,postgresql] [--rates 100,250,500,1000]
        [--seconds 20] [--senders 400] [--agents 200] [--visitors 5000] [--json OUT] [--smoke]

Per database, the real server (demo data; PostgreSQL: a fresh database ``sd_bench_load`` on
127.0.0.1:5432) and, each in its own processes: an agent socket of the demo agent that notes
when each visitor message arrives (bench/agent_sockets.py), and load generators
(bench/visitors.py) sending, open loop, each rate of ``--rates`` for ``--seconds`` across
``--senders`` waiting chats. Per rate: messages accepted (acknowledged to the visitor) and
delivered to the agent socket per second, and visitor send -> agent socket latency. Server CPU
(user + system, from /proc) per message at the 250/s step, and per ``GET /api/v1/me`` (keep-alive,
4 connections, bench/http_load.py). Then the connections: ``--agents`` agent sockets and
``--visitors`` visitors with the widget open, held at once, with how many stayed open and the
server's PSS.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (ROOT, Report, agent_token, command_line, cpu_seconds, now_ms,  # noqa: E402
                    percentile, pss_tree_mb, start_server)
from visitors import collect, open_chats, spawn_load  # noqa: E402

PG_ADMIN = "postgresql://127.0.0.1:5432/test"
PG_DB = "sd_bench_load"


async def fresh_pg_database(name: str) -> str:
    import asyncpg

    con = await asyncpg.connect(PG_ADMIN)
    try:
        await con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await con.execute(f'CREATE DATABASE "{name}"')
    finally:
        await con.close()
    return f"postgresql+asyncpg://127.0.0.1:5432/{name}"


def wait_file(path: Path, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():          # a child process's ready file
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{path.name}: the helper process did not get ready")
        time.sleep(0.05)


def start_agents(server_url: str, token: str, n: int, out: Path) -> subprocess.Popen:
    out.unlink(missing_ok=True)
    Path(str(out) + ".ready").unlink(missing_ok=True)
    proc = subprocess.Popen([sys.executable, str(ROOT / "bench" / "agent_sockets.py"), "--server",
                             server_url, "--token", token, "--sockets", str(n), "--out", str(out)])
    wait_file(Path(str(out) + ".ready"), proc, 120 + n)
    return proc


def stop_agents(proc: subprocess.Popen, out: Path) -> dict:
    proc.send_signal(signal.SIGTERM)
    proc.wait(60)
    return json.loads(out.read_text())


def get_cpu(server, token: str, requests: int, work: Path) -> float:  # noqa: ANN001
    """Server CPU ms per authenticated GET /me."""
    out = work / "http.json"
    pid = server.proc.pid
    cmd = [sys.executable, str(ROOT / "bench" / "http_load.py"), "--url", server.api("/me"),
           "--token", token, "--connections", "4", "--out", str(out)]
    subprocess.run(cmd + ["--requests", str(max(20, requests // 10))], check=True)   # warm-up
    c0 = cpu_seconds(pid)
    subprocess.run(cmd + ["--requests", str(requests)], check=True)
    return (cpu_seconds(pid) - c0) * 1000 / requests


def bench_db(db: str, args: argparse.Namespace, report: Report, work: Path) -> None:
    url = asyncio.run(fresh_pg_database(PG_DB)) if db == "postgresql" else None
    server = start_server(work / db, database_url=url)
    label = "SQLite" if db == "sqlite" else "PostgreSQL"
    try:
        token = agent_token(server.url)
        chats = asyncio.run(open_chats(server.url, args.senders))
        chats_file = work / f"{db}-chats.json"
        chats_file.write_text(json.dumps(chats))
        listen_out = work / f"{db}-listen.json"
        listener = start_agents(server.url, token, 1, listen_out)
        steps = []
        pid = server.proc.pid
        try:
            for rate in args.rates:
                procs = max(1, math.ceil(rate / 250))
                t0 = now_ms()
                load = spawn_load(server.url, chats_file, rate, args.seconds, work,
                                  processes=procs, tag=f"{db}-{rate}", server_pid=pid)
                result = collect(load, timeout=args.seconds + 300)
                steps.append((rate, t0, now_ms(), result["server_cpu_s"], result))
        finally:
            heard = stop_agents(listener, listen_out)
        samples = heard["samples"]
        cpu_msg = None
        for rate, t0, t1, cpu, result in steps:
            lat = [ms for at, ms in samples if t0 <= at - ms <= t1]   # sent during the step
            secs = result["seconds"] or args.seconds
            accepted, delivered = result["acked"] / secs, len(lat) / secs
            p50 = percentile(lat, 50) if lat else None
            p99 = percentile(lat, 99) if lat else None
            at500 = rate == 500
            report.add(f"{label}, offered {rate:g}/s: accepted / delivered", delivered, "msg/s",
                       ">= 1,000/s" if rate == max(args.rates) else "",
                       (min(accepted, delivered) >= 1000) if rate == max(args.rates) else None,
                       note=f"accepted {accepted:.0f}/s, refused {result['refused']}, "
                            f"ack p99 {result['ack_p99_ms']:.0f} ms; p50 to agent "
                            f"{'n/a' if p50 is None else f'{p50:.0f} ms'}")
            report.add(f"{label}, offered {rate:g}/s: p99 visitor -> agent socket", p99, "ms",
                       "<= 50 ms at 500/s" if at500 else "",
                       (p99 is not None and p99 <= 50) if at500 else None)
            if cpu_msg is None or rate == 250:
                cpu_msg = cpu * 1000 / max(result["acked"], 1)
        report.add(f"{label}: server CPU per visitor message", cpu_msg, "ms", "<= 1.5 ms",
                   cpu_msg is not None and cpu_msg <= 1.5,
                   note="while sending at 250/s (or the first rate): accepting, storing and "
                        "delivering to one agent socket")
        per_get = get_cpu(server, token, args.gets, work)
        report.add(f"{label}: server CPU per authenticated GET /me", per_get, "ms", "<= 1 ms",
                   per_get <= 1, note=f"{args.gets} requests")
        connections(server, token, args, report, label, work)
    finally:
        server.stop()


def connections(server, token: str, args: argparse.Namespace, report: Report,  # noqa: ANN001
                label: str, work: Path) -> None:
    out = work / "agents-held.json"
    agents = start_agents(server.url, token, args.agents, out)
    holders = []
    per_proc = 1500
    n_procs = max(1, math.ceil(args.visitors / per_proc))
    try:
        for k in range(n_procs):
            n = min(per_proc, args.visitors - k * per_proc)
            path = work / f"hold-{k}.json"
            path.unlink(missing_ok=True)
            Path(str(path) + ".ready").unlink(missing_ok=True)
            holders.append((subprocess.Popen(
                [sys.executable, str(ROOT / "bench" / "visitors.py"), "--server", server.url,
                 "--hold", str(n), "--first", str(10_000 + k * per_proc),
                 "--seconds", str(args.hold_seconds + 600), "--out", str(path)]), path))
        for proc, path in holders:
            wait_file(Path(str(path) + ".ready"), proc, 900)
        time.sleep(args.hold_seconds)          # everybody connected: hold them a while
        pss, _n = pss_tree_mb(server.proc.pid)
    finally:
        held = stop_agents(agents, out)
        for proc, _path in holders:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)
    visitors_ok = sum(int(Path(str(p) + ".ready").read_text()) for _, p in holders)
    ok = held["open"] >= args.agents and visitors_ok >= args.visitors
    report.add(f"{label}: agent sockets + visitors connected at once", held["open"] + visitors_ok,
               "connections", f">= {args.agents} agents + {args.visitors:,} visitors", ok,
               note=f"{held['open']} agent sockets open after {args.hold_seconds:g} s, "
                    f"{visitors_ok:,} visitors connected; server PSS {pss:.0f} MB")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", default="sqlite,postgresql")
    p.add_argument("--rates", default="100,250,500,1000")
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--senders", type=int, default=400)
    p.add_argument("--agents", type=int, default=200)
    p.add_argument("--visitors", type=int, default=5000)
    p.add_argument("--hold-seconds", type=float, default=10)
    p.add_argument("--gets", type=int, default=2000)
    p.add_argument("--json")
    p.add_argument("--smoke", action="store_true")
    args = p.parse_args(argv)
    if args.smoke:
        args.rates, args.seconds, args.senders, args.agents, args.visitors = "30", 1.5, 10, 3, 10
        args.hold_seconds, args.gets = 0.5, 30
    args.rates = [float(r) for r in args.rates.split(",")]
    report = Report("server", command_line("server_load.py", argv))
    work = Path(tempfile.mkdtemp(prefix="bench-server-"))
    try:
        for db in args.db.split(","):
            if db == "postgresql" and not pg_available():
                report.add("PostgreSQL", None, "", note="no PostgreSQL on 127.0.0.1:5432")
                continue
            bench_db(db, args, report, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report.write(args.json)
    return 0


def pg_available() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 5432), 1).close()
        return True
    except OSError:
        return False


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())

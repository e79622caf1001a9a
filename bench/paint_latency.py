"""Benchmark: a visitor's message -> painted in the agent's open chat, under load.

    .venv/bin/python bench/paint_latency.py [--chats 200] [--rates 10,100,500] [--seconds 30]
        [--json OUT] [--smoke]

The real server (demo data) with ``--chats`` chats taken by the demo agent; the desk starts as a
new process (remembered login, bench/desk_probe.py) and opens one of them. For each rate, load
generators (bench/visitors.py, their own processes) send that many visitor messages per second
in total across all the chats; the open chat gets a tenth of the rate (at most 2.5 per second:
the server's per-visitor limit is 3). Every message carries its send time; the bench hook in the
desk notes, for each message of the open chat, when the chat view's next paint is done, and a
10 ms timer measures the longest stall of the GUI thread while the load runs. The server (SQLite)
may not carry the higher rates: the messages it accepted per second are shown next to each.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (Report, Xvfb, agent_token, command_line, percentile,  # noqa: E402
                    server_session, take_chats, waiting_count)
from desk_run import prepare_home, run_desk  # noqa: E402
from visitors import open_chats  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--chats", type=int, default=200)
    p.add_argument("--rates", default="10,100,500")
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("--json")
    p.add_argument("--smoke", action="store_true", help="10 chats, 20 msg/s for 2 s")
    args = p.parse_args(argv)
    if args.smoke:
        args.chats, args.rates, args.seconds = 10, "20", 2
    rates = [float(r) for r in args.rates.split(",")]
    report = Report("message to paint", command_line("paint_latency.py", argv))
    with server_session("bench-paint-", report, args.json) as (work, server):
        token = agent_token(server.url)
        chats = asyncio.run(open_chats(server.url, args.chats))
        take_chats(server.url, token, [c["chat_id"] for c in chats])
        chats_file = work / "chats.json"
        chats_file.write_text(json.dumps(chats))
        env = prepare_home(work / "home", server.url, token)
        with Xvfb() as x:
            d = run_desk(env, {"mode": "paint", "server": server.url,
                               "expect_waiting": waiting_count(server.url, token),
                               "focus": chats[0]["chat_id"], "chats_file": str(chats_file),
                               "rates": rates, "seconds": args.seconds, "focus_rate_max": 2.5},
                         x.display, work, timeout=len(rates) * (args.seconds + 60) + 120)
        for step in d["steps"]:
            rate, lat, load = step["rate"], step["latencies"], step["load"]
            accepted = load["acked"] / max(load["seconds"], 1e-9)
            where = (f"{args.chats} chats; {len(lat)} messages of the open chat; server accepted "
                     f"{accepted:.0f}/s, refused {load['refused']}")
            if lat:
                p50, p99 = percentile(lat, 50), percentile(lat, 99)
                at100 = rate == 100
                report.add(f"{rate:g} msg/s: p50 message -> painted", p50, "ms",
                           "<= 10 ms at 100/s" if at100 else "", p50 <= 10 if at100 else None,
                           note=where)
                report.add(f"{rate:g} msg/s: p99 message -> painted", p99, "ms",
                           "<= 30 ms at 100/s" if at100 else "", p99 <= 30 if at100 else None)
            else:
                report.add(f"{rate:g} msg/s: message -> painted", None, "ms", note=where)
            at500 = rate == 500
            report.add(f"{rate:g} msg/s: longest GUI-thread stall", step["max_stall_ms"], "ms",
                       "<= 50 ms at 500/s" if at500 else "",
                       step["max_stall_ms"] <= 50 if at500 else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())

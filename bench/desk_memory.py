"""Benchmark: the desk's memory with 50 chats waiting and 20 chat tabs of 1,000 messages, and a soak.

    .venv/bin/python bench/desk_memory.py [--tabs 20] [--messages 1000] [--soak-seconds 1800]
        [--soak-rate 50] [--json OUT] [--smoke]

The real server (demo data) with 50 chats waiting and ``--tabs`` chats taken by the demo agent,
each with ``--messages`` messages (written into the server's SQLite file). The desk starts as a
new process with a remembered login (bench/desk_probe.py), opens every chat in a tab, and its PSS
is read once idle. The soak: a load generator (bench/visitors.py, its own process) sends
``--soak-rate`` messages per second across those chats for ``--soak-seconds`` while the desk's
PSS is sampled; "flat" compares the last sample with the one after the first tenth of the soak.
Next to it, Chromium in app mode on a static page with the same 50 rows and all the tabs'
messages (bench/browser.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import browser  # noqa: E402
from common import (Report, Xvfb, agent_token, command_line, fill_history,  # noqa: E402
                    server_session, sqlite_path, take_chats, waiting_count)
from desk_run import prepare_home, run_desk  # noqa: E402
from visitors import open_chats  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--waiting", type=int, default=50)
    p.add_argument("--tabs", type=int, default=20)
    p.add_argument("--messages", type=int, default=1000)
    p.add_argument("--soak-seconds", type=float, default=1800)
    p.add_argument("--soak-rate", type=float, default=50)
    p.add_argument("--json")
    p.add_argument("--smoke", action="store_true", help="5 waiting, 3 tabs of 100, a 2 s soak")
    args = p.parse_args(argv)
    if args.smoke:
        args.waiting, args.tabs, args.messages, args.soak_seconds, args.soak_rate = 5, 3, 100, 2, 6
    report = Report("desk memory", command_line("desk_memory.py", argv))
    with server_session("bench-mem-", report, args.json) as (work, server):
        token = agent_token(server.url)
        asyncio.run(open_chats(server.url, args.waiting))
        expect = waiting_count(server.url, token)
        mine = asyncio.run(open_chats(server.url, args.tabs, first=args.waiting))
        take_chats(server.url, token, [c["chat_id"] for c in mine])
        for c in mine:
            fill_history(sqlite_path(server), c["chat_id"], args.messages - 1)
        chats_file = work / "mine.json"
        chats_file.write_text(json.dumps(mine))
        env = prepare_home(work / "home", server.url, token)
        with Xvfb() as x:
            d = run_desk(env, {"mode": "tabs", "server": server.url, "expect_waiting": expect,
                               "chats": [c["chat_id"] for c in mine], "chats_file": str(chats_file),
                               "soak_seconds": args.soak_seconds, "soak_rate": args.soak_rate},
                         x.display, work, timeout=args.soak_seconds + 600)
            chrome = None
            if browser.available():
                beacon = browser.Beacon()
                page = browser.write_page(work / "data.html", expect, args.tabs, args.messages,
                                          port=beacon.port)
                chrome = browser.run_chromium(page, work / "chromium-profile", x.display, beacon,
                                              settle=5.0, timeout=180)
                beacon.close()
        data = f"{expect} waiting + {d['tabs']} tabs x {args.messages:,} messages"
        report.add("desk PSS idle after login", d["pss_idle_mb"], "MB", note=f"{expect} waiting")
        report.add(f"desk PSS, {data}", d["pss_tabs_mb"], "MB",
                   note=f"tabs opened in {d['tabs_open_ms']:.0f} ms")
        if chrome is not None:
            report.add(f"Chromium PSS, the same data on one page ({chrome['processes']} processes)",
                       chrome["pss_mb"], "MB", note=f"rendered in {chrome['start_ms']:.0f} ms")
            ratio = d["pss_tabs_mb"] / chrome["pss_mb"]
            report.add("desk / Chromium PSS, same data", ratio, "x", "<= 1/5 (0.2x)", ratio <= 0.2)
        samples = d.get("soak_samples") or []
        if samples:
            base = next((mb for t, mb in samples if t >= args.soak_seconds / 10), samples[0][1])
            end = samples[-1][1]
            growth = (end / base - 1) * 100
            load = d["soak_load"]
            report.add(f"desk PSS after a {args.soak_seconds / 60:.1f}-minute soak at "
                       f"{args.soak_rate:g} msg/s", end, "MB",
                       note=f"{load['acked']:,} messages accepted, {load['refused']} refused")
            report.add("soak growth (last sample vs after the first tenth)", growth, "%",
                       "flat within 10 %", abs(growth) <= 10)
    return 0


if __name__ == "__main__":
    sys.exit(main())

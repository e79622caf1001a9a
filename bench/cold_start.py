"""Benchmark: the desk's cold start next to the bare-Qt floor and Chromium, and the idle PSS.

    .venv/bin/python bench/cold_start.py [--runs 5] [--waiting 50] [--json OUT] [--smoke]
        [--compare-root CHECKOUT --compare-label before]

One real server (demo data) with ``--waiting`` chats waiting, opened by visitors. On a private
Xvfb, each run starts, one after the other: the bare PySide6 floor (bench/floor_window.py), the
desk as a new process with a remembered login until its main window is painted with "(50)
SupportDesk" (bench/desk_probe.py), and Chromium in app mode on a static page with the same 50
rows (bench/browser.py). Run 0 of each is a warm-up (disk cache, Chromium's profile) and is not
counted. Medians over the runs; the ratios are of medians from this same run. The desk's and
Chromium's PSS are taken once idle (2-3 s after the first paint). ``--compare-root`` adds, in
each run, the desk of another checkout (e.g. ``git worktree add /tmp/before main``): a
before/after of a change measured in the same run; its CPU time is reported too (user + system
of the desk process until the window is painted, less sensitive to a busy machine than wall time).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import browser  # noqa: E402
from common import (ROOT, Report, Xvfb, agent_token, command_line, median, now_ms,  # noqa: E402
                    run_json, server_session, waiting_count)
from desk_run import prepare_home, run_desk  # noqa: E402
from visitors import open_chats  # noqa: E402


def run_floor(display: str, work: Path, rows: int) -> dict:
    import os

    out = work / "floor.json"
    env = dict(os.environ, DISPLAY=display)
    env.pop("QT_QPA_PLATFORM", None)
    t0 = now_ms()
    r = run_json([sys.executable, str(ROOT / "bench" / "floor_window.py"), str(out),
                  "--rows", str(rows)], out, env=env, timeout=120)
    r["start_ms"] = r["t_painted"] - t0
    return r


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--waiting", type=int, default=50)
    p.add_argument("--json")
    p.add_argument("--smoke", action="store_true", help="one run, no warm-up, 5 chats")
    p.add_argument("--compare-root", type=Path, help="also start the desk of this checkout")
    p.add_argument("--compare-label", default="other checkout")
    args = p.parse_args(argv)
    if args.smoke:
        args.runs, args.waiting = 1, 5
    report = Report("cold start", command_line("cold_start.py", argv))
    with server_session("bench-start-", report, args.json) as (work, server):
        token = agent_token(server.url)
        asyncio.run(open_chats(server.url, args.waiting))
        expect = waiting_count(server.url, token)
        env = prepare_home(work / "home", server.url, token)
        times: dict[str, list[float]] = {"floor": [], "desk": [], "chromium": [], "other": []}
        cpu: dict[str, list[float]] = {"desk": [], "other": []}
        pss: dict[str, list[float]] = {"floor": [], "desk": [], "chromium": []}
        imports, procs = [], 0
        with Xvfb() as x:
            beacon = browser.Beacon() if browser.available() else None
            page = browser.write_page(work / "start.html", expect, port=beacon.port) if beacon else None
            warm = 0 if args.smoke else 1
            for run in range(args.runs + warm):
                counted = run >= warm
                f = run_floor(x.display, work, expect)
                d = run_desk(env, {"mode": "start", "server": server.url, "expect_waiting": expect},
                             x.display, work)
                if counted:
                    times["floor"].append(f["start_ms"])
                    pss["floor"].append(f["pss_idle_mb"])
                    times["desk"].append(d["start_ms"])
                    pss["desk"].append(d["pss_idle_mb"])
                    imports.append(d["import_ms"])
                    cpu["desk"].append(d["cpu_ms"])
                if args.compare_root:
                    o = run_desk(env, {"mode": "start", "server": server.url,
                                       "expect_waiting": expect}, x.display, work,
                                 root=args.compare_root.resolve())
                    if counted:
                        times["other"].append(o["start_ms"])
                        cpu["other"].append(o["cpu_ms"])
                if beacon is not None:
                    c = browser.run_chromium(page, work / "chromium-profile", x.display, beacon)
                    if counted:
                        times["chromium"].append(c["start_ms"])
                        pss["chromium"].append(c["pss_mb"])
                        procs = c["processes"]
                print(f"  run {run}{'' if counted else ' (warm-up)'}: floor {f['start_ms']:.0f} ms,"
                      f" desk {d['start_ms']:.0f} ms"
                      + (f", chromium {c['start_ms']:.0f} ms" if beacon else ""), flush=True)
            if beacon is not None:
                beacon.close()
        n = args.runs
        floor, desk = median(times["floor"]), median(times["desk"])
        report.add("bare PySide6 floor: start to first paint (50-row list)", floor, "ms", runs=n)
        report.add("desk: start to window painted with the waiting count", desk, "ms", runs=n,
                   note=f"{expect} waiting; interpreter + imports {median(imports):.0f} ms")
        report.add("desk / floor", desk / floor, "x", "<= 2x", desk / floor <= 2, runs=n)
        report.add("desk: CPU time until painted", median(cpu["desk"]), "ms", runs=n)
        if times["other"]:
            other = median(times["other"])
            report.add(f"desk of {args.compare_label}: start to window painted", other, "ms",
                       runs=n, note=f"CPU time {median(cpu['other']):.0f} ms")
            report.add(f"desk / desk of {args.compare_label}", desk / other, "x", runs=n,
                       note=f"CPU time {median(cpu['desk']) / median(cpu['other']):.2f}x")
        report.add("desk PSS idle after login", median(pss["desk"]), "MB", runs=n)
        report.add("floor PSS idle", median(pss["floor"]), "MB", runs=n)
        if times["chromium"]:
            chrome = median(times["chromium"])
            report.add("Chromium app mode: start to first frame (same rows)", chrome, "ms", runs=n)
            report.add("desk / Chromium start", desk / chrome, "x", "<= 1/6 (0.17x)",
                       desk / chrome <= 1 / 6, runs=n)
            cp = median(pss["chromium"])
            report.add(f"Chromium PSS idle ({procs} processes)", cp, "MB", runs=n)
            report.add("desk / Chromium PSS idle", median(pss["desk"]) / cp, "x", "<= 1/5 (0.2x)",
                       median(pss["desk"]) / cp <= 0.2, runs=n)
        else:
            report.add("Chromium app mode", None, "ms", note="no /usr/bin/chromium: not measured")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The benchmark suite (issue 13): every benchmark, a table, and docs/performance.md.

    python3 dev.py bench [--smoke] [--only NAME,...] [--soak-minutes 30] [--search-clients 1000000]
                         [--out docs/performance.md]

Runs each benchmark script of bench/ one after the other, each as its own process (and each
starts its own server, load generators and X server), collects their figures (``--json``),
prints one table and writes it, with the machine, the date, the load average around each
benchmark and the command that reproduces each figure, between the markers of
``docs/performance.md`` (the text around the markers is kept). ``--smoke`` runs every benchmark
with tiny sizes (CI: tests/bench/test_bench_smoke.py) and writes nothing unless ``--out`` is given.

Benchmarks: ``cold_start`` (desk vs bare-Qt floor vs Chromium), ``desk_memory`` (PSS idle, 20
tabs, soak), ``paint`` (visitor message -> painted, under load), ``history`` (100,000 messages),
``queue`` (pop-up with 10,000 waiting), ``server`` (SQLite and PostgreSQL: throughput, latency,
connections, CPU), ``search`` (1,000,000 clients on PostgreSQL; generated once, then kept).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, loadavg, machine  # noqa: E402

BEGIN = "<!-- bench:begin (written by `python3 dev.py bench`; edit outside the markers) -->"
END = "<!-- bench:end -->"


def benchmarks(args: argparse.Namespace) -> list[tuple[str, str, list[str], dict[str, str]]]:
    """(name, script, arguments, extra environment) in the order they run."""
    smoke = ["--smoke"] if args.smoke else []
    offscreen = {"QT_QPA_PLATFORM": "offscreen"}
    soak = [] if args.smoke else ["--soak-seconds", f"{args.soak_minutes * 60:g}"]
    search = ["--smoke"] if args.smoke else ["--pg-clients", str(args.search_clients)]
    return [
        ("cold_start", "cold_start.py", smoke, {}),
        ("desk_memory", "desk_memory.py", smoke + soak, {}),
        ("paint", "paint_latency.py", smoke, {}),
        ("history", "chat_history.py", smoke, offscreen),
        ("queue", "queue_popup.py", smoke, {}),
        ("server", "server_load.py", smoke, {}),
        ("search", "search.py", search, {}),
    ]


def run_one(script: str, argv: list[str], env_extra: dict[str, str], work: Path,
            timeout: float) -> tuple[list[dict], str, float]:
    out = work / f"{script}.json"
    out.unlink(missing_ok=True)
    env = dict(os.environ, PYTHONUNBUFFERED="1", **env_extra)
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / script), *argv, "--json", str(out)],
                          env=env, timeout=timeout, cwd=ROOT)
    took = time.monotonic() - t0
    if not out.exists():
        raise RuntimeError(f"bench/{script} wrote no figures (exit code {proc.returncode})")
    return json.loads(out.read_text()), loadavg(), took


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit in ("x",):
        return f"{value:.2f}x"
    if unit == "%":
        return f"{value:+.1f} %"
    text = f"{value:,.1f}" if abs(value) < 100 else f"{value:,.0f}"
    return f"{text} {unit}".strip()


def verdict(ok: bool | None) -> str:
    return "" if ok is None else ("PASS" if ok else "MISS")


def table(figures: list[dict]) -> list[str]:
    lines = ["| benchmark | figure | value | target | | notes |", "|---|---|---|---|---|---|"]
    for f in figures:
        note = f["note"].replace("|", "/")
        lines.append(f"| {f['bench']} | {f['name']} | {fmt(f['value'], f['unit'])} | "
                     f"{f['target']} | {verdict(f['ok'])} | {note} |")
    return lines


def render(figures: list[dict], runs: list[dict], args: argparse.Namespace, started: str) -> str:
    m = machine()
    lines = [BEGIN, "",
             f"Run of {started} (UTC){' — SMOKE sizes, not figures to judge' if args.smoke else ''}."
             f" Machine: {m['cpu']}, {m['memory']} RAM; {m['os']}; Python {m['python']}, "
             f"PySide6 {m['pyside6']}, SQLite {m['sqlite']}.", "",
             *table(figures), "",
             "How each was run (from the checkout; `python3 dev.py bench` runs them all), the load "
             "average (1, 5, 15 min) when it ended, and how long it took:", ""]
    for r in runs:
        lines.append(f"* {r['name']}: `{r['command']}` — load {r['load_before']} before, "
                     f"{r['load_after']} after; {r['seconds']:.0f} s"
                     + (f" — FAILED: {r['error']}" if r.get("error") else ""))
    lines += ["", END]
    return "\n".join(lines)


def write_doc(path: Path, block: str) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = head + block + tail
    else:
        text = (old.rstrip() + "\n\n" if old else "# Performance\n\n") + block + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--smoke", action="store_true", help="tiny sizes: each runs, nothing judged")
    p.add_argument("--only", default="", help="comma-separated benchmark names")
    p.add_argument("--skip", default="", help="comma-separated benchmark names")
    p.add_argument("--soak-minutes", type=float, default=30)
    p.add_argument("--search-clients", type=int, default=1_000_000)
    p.add_argument("--out", default=None, help="default: docs/performance.md (none with --smoke)")
    p.add_argument("--json", help="also write every figure as JSON here")
    p.add_argument("--timeout", type=float, default=7200, help="per benchmark, seconds")
    args = p.parse_args(argv)
    out = Path(args.out) if args.out else (None if args.smoke else ROOT / "docs" / "performance.md")
    only = {n for n in args.only.split(",") if n}
    skip = {n for n in args.skip.split(",") if n}
    started = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")
    figures: list[dict] = []
    runs: list[dict] = []
    failed = 0
    with tempfile.TemporaryDirectory(prefix="bench-suite-") as tmp:
        for name, script, bargs, env in benchmarks(args):
            if (only and name not in only) or name in skip:
                continue
            from common import command_line

            run = {"name": name, "command": command_line(script, bargs), "load_before": loadavg()}
            print(f"== {name}: {run['command']}  (load {run['load_before']})", flush=True)
            try:
                figs, run["load_after"], run["seconds"] = run_one(script, bargs, env, Path(tmp),
                                                                  args.timeout)
                figures += figs
            except Exception as exc:          # one broken benchmark does not hide the others
                failed += 1
                run.update(load_after=loadavg(), seconds=0.0, error=str(exc).splitlines()[0])
                print(f"!! {name} failed: {exc}", flush=True)
            runs.append(run)
    print()
    print("\n".join(table(figures)))
    if args.json:
        Path(args.json).write_text(json.dumps({"figures": figures, "runs": runs}, indent=1))
    if out is not None:
        write_doc(out, render(figures, runs, args, started))
        print(f"\nwritten: {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

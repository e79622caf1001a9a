"""The benchmark suite keeps working: each benchmark of bench/suite.py runs with tiny sizes
(``--smoke``) and writes its figures.

Not timed assertions (timings on a shared CI machine are noise, and the smoke sizes are too small
to judge anything): each test runs one script the way ``python3 dev.py bench --smoke`` does, in
its own process with its own server, load generators and X server, and checks that the figures
it promises are there, with values. The real figures: docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import suite  # noqa: E402
from server_load import pg_available  # noqa: E402

NEEDS_X = {"cold_start", "desk_memory", "paint", "queue"}


def _smoke_benchmarks() -> list[tuple[str, str, list[str], dict[str, str]]]:
    args = argparse.Namespace(smoke=True, soak_minutes=0, search_clients=0)
    return suite.benchmarks(args)


# what each benchmark must report (a part of the figure's name), with a value
EXPECTED = {
    "cold_start": ["floor: start", "desk: start", "desk / floor", "desk PSS idle"],
    "desk_memory": ["desk PSS idle", "tabs x", "soak growth"],
    "paint": ["p50 message -> painted", "longest GUI-thread stall"],
    "history": ["first paint", "scroll to the top", "PSS growth"],
    "queue": ["open the pop-up", "desk start with"],
    "server": ["accepted / delivered", "p99 visitor -> agent socket", "CPU per visitor message",
               "CPU per authenticated GET", "connected at once"],
    "search": ["p95 of", "server CPU per search request"],
}


@pytest.mark.parametrize("name,script,args,env", _smoke_benchmarks(),
                         ids=[b[0] for b in _smoke_benchmarks()])
def test_benchmark_runs_and_reports(name, script, args, env, tmp_path):
    if name in NEEDS_X and not shutil.which("Xvfb"):
        pytest.skip("needs Xvfb for the desk (and Chromium) on a private display")
    if name in ("server", "search") and not pg_available():
        pytest.skip("needs PostgreSQL on 127.0.0.1:5432")
    out = tmp_path / "figures.json"
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args, "--json", str(out)],
                          cwd=ROOT, env=dict(os.environ, **env), capture_output=True, text=True,
                          timeout=110)
    assert out.exists(), f"exit {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    figures = json.loads(out.read_text())
    for wanted in EXPECTED[name]:
        found = [f for f in figures if wanted in f["name"]]
        assert found, f"{name}: no figure {wanted!r} in {[f['name'] for f in figures]}"
        assert all(f["value"] is not None for f in found), found
        assert all(f["command"].startswith(".venv/bin/python bench/") for f in found), found


def test_suite_writes_the_table_between_its_markers(tmp_path):
    doc = tmp_path / "performance.md"
    doc.write_text("# Performance\n\nHand-written notes.\n\n" + suite.BEGIN + "\nold\n" + suite.END
                   + "\n\n## Profiles\n\nMore notes.\n")
    figures = [{"bench": "b", "name": "n", "value": 12.5, "unit": "ms", "target": "<= 10 ms",
                "ok": False, "note": "a|b", "command": "c", "runs": 3}]
    runs = [{"name": "b", "command": "c", "load_before": "1", "load_after": "2", "seconds": 3}]
    args = argparse.Namespace(smoke=False)
    suite.write_doc(doc, suite.render(figures, runs, args, "2026-12-06 23:00"))
    text = doc.read_text()
    assert text.startswith("# Performance\n\nHand-written notes.")
    assert text.rstrip().endswith("More notes.")
    assert "old" not in text
    assert "| b | n | 12.5 ms | <= 10 ms | MISS | a/b |" in text

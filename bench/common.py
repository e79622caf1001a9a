"""What the benchmarks share: figures and their JSON, process memory and CPU from /proc, a private
X server, the real server with chats opened through the visitor protocol, and bulk history.

Every benchmark script takes ``--smoke`` (tiny sizes: it runs, it produces its figures) and
``--json FILE`` (the figures for ``bench/suite.py``, which prints the table and writes
docs/performance.md). A figure is a :class:`Figure`: a name, a value, a unit, the issue's target
and whether it is met (None when the figure has no target of its own, e.g. a floor).
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for p in (str(ROOT), str(ROOT / "bench")):
    if p not in sys.path:
        sys.path.insert(0, p)

WORDS = ("invoice refund server domain renewal please thanks checking account password backup "
         "DNS record certificate migration upgrade plan yearly monthly ticket").split()


# --- figures ---------------------------------------------------------------------------------------


@dataclass
class Figure:
    bench: str                    # which benchmark (the table's group)
    name: str                     # what was measured
    value: float | None
    unit: str
    target: str = ""              # the target, as text ("<= 2x floor")
    ok: bool | None = None        # met? None: no target of its own
    note: str = ""
    command: str = ""             # how to reproduce (filled in by ``Report``)
    runs: int = 0


@dataclass
class Report:
    """The figures of one benchmark script, written as JSON with ``--json``."""

    bench: str
    command: str
    figures: list[Figure] = field(default_factory=list)

    def add(self, name: str, value: float | None, unit: str, target: str = "",
            ok: bool | None = None, note: str = "", runs: int = 0) -> Figure:
        fig = Figure(self.bench, name, value, unit, target, ok, note, self.command, runs)
        self.figures.append(fig)
        shown = "n/a" if value is None else (f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}")
        verdict = "" if ok is None else ("  PASS" if ok else "  MISS")
        print(f"  {name}: {shown} {unit}{'  (target ' + target + ')' if target else ''}{verdict}"
              f"{'  - ' + note if note else ''}", flush=True)
        return fig

    def write(self, path: str | None) -> None:
        if path:
            Path(path).write_text(json.dumps([asdict(f) for f in self.figures], indent=1))


def command_line(script: str, argv: list[str] | None) -> str:
    """How to run ``script`` again with these arguments (``--json FILE`` left out)."""
    args = list(sys.argv[1:] if argv is None else argv)
    shown, skip = [], False
    for a in args:
        if skip:
            skip = False
        elif a == "--json":
            skip = True
        elif not a.startswith("--json="):
            shown.append(a)
    return " ".join([".venv/bin/python", f"bench/{script}", *map(shlex.quote, shown)])


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def median(values: list[float]) -> float:
    return statistics.median(values)


# --- processes -------------------------------------------------------------------------------------


def pss_kb(pid: int) -> int:
    """Proportional set size of one process (kB): shared pages split between their users."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def pss_tree_mb(pid: int) -> tuple[float, int]:
    """PSS summed over ``pid`` and its descendants (MB), and how many processes that was."""
    pids = descendants(pid)
    return sum(pss_kb(p) for p in pids) / 1024, len(pids)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def machine() -> dict[str, str]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        mem_gb = f"{int(mem) / 1024 / 1024:.1f} GB"
    except (OSError, IndexError, ValueError):
        mem_gb = "?"
    from PySide6 import __version__ as pyside

    return {"cpu": f"{cpu}, {os.cpu_count()} CPUs", "memory": mem_gb,
            "os": platform.platform(), "python": sys.version.split()[0], "pyside6": pyside,
            "sqlite": sqlite3.sqlite_version}


class Xvfb:
    """A private X server for the run (the desk, the floor and Chromium all draw on it)."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.display = ""

    def __enter__(self) -> "Xvfb":
        import dev

        env: dict[str, str] = {}
        self.proc = dev._start_xvfb(env)
        if self.proc is None:
            raise RuntimeError("Xvfb did not start (is it installed?)")
        self.display = env["DISPLAY"]
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)


# --- the server and its chats --------------------------------------------------------------------


def start_server(workdir: Path, database_url: str | None = None, demo: bool = True):
    """The real server as a child process, on the demo data (agent ``demo``/``demo``)."""
    from tests.support.server import ServerProcess

    server = ServerProcess(workdir, demo=demo, demo_clients=10, database_url=database_url,
                           extra_args=["--log-level", "warning"])
    # the ready-file race: the server's own log level is set after ServerProcess's default
    return server.start()


@contextmanager
def server_session(prefix: str, report: Report, json_path: str | None, **server_args):
    """A temp dir and the real server in it for one benchmark; afterwards both are gone and
    the report's figures are written (``--json``)."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    server = start_server(work / "server", **server_args)
    try:
        yield work, server
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    report.write(json_path)


def agent_token(server_url: str, login: str = "demo", password: str = "demo") -> str:
    import httpx

    r = httpx.post(f"{server_url}/api/v1/auth/login", json={"username": login, "password": password},
                   timeout=30)
    r.raise_for_status()
    return r.json()["token"]


def take_chats(server_url: str, token: str, chat_ids: list[int]) -> None:
    import httpx

    with httpx.Client(base_url=f"{server_url}/api/v1", timeout=30,
                      headers={"Authorization": f"Bearer {token}"}) as http:
        for cid in chat_ids:
            http.post(f"/chats/{cid}/take").raise_for_status()


def waiting_count(server_url: str, token: str) -> int:
    import httpx

    r = httpx.get(f"{server_url}/api/v1/chats", params={"state": "waiting", "limit": 1},
                  headers={"Authorization": f"Bearer {token}"}, timeout=30)
    r.raise_for_status()
    body = r.json()
    return int(body.get("total", len(body.get("items", []))))


def sqlite_path(server) -> Path:  # noqa: ANN001
    return Path(server.database_url.split("///", 1)[1])


def message_text(i: int) -> str:
    length = 3 + (i * 7919) % 60
    return " ".join(WORDS[(i + k) % len(WORDS)] for k in range(length))


def fill_history(db: Path, chat_id: int, n: int) -> None:
    """Append ``n`` messages of varying length to ``chat_id`` straight into the server's SQLite
    file, in one transaction (100,000 messages through the API would measure the server)."""
    con = sqlite3.connect(db, timeout=30)
    try:
        (last,) = con.execute("select coalesce(max(seq), 0) from chat_messages where chat_id=?",
                              (chat_id,)).fetchone()
        start = datetime.utcnow() - timedelta(seconds=n)
        rows = []
        for i in range(n):
            visitor = i % 2 == 0
            rows.append((chat_id, last + 1 + i, "visitor" if visitor else "agent",
                         None if visitor else 1, "Big Visitor" if visitor else "Dana Demo",
                         message_text(i), f"bench-{chat_id}-{last + i}",
                         (start + timedelta(seconds=i)).isoformat(" ")))
        con.executemany("insert into chat_messages (chat_id, seq, author_kind, author_agent_id, "
                        "author_name, text, client_msg_id, created_at) values (?,?,?,?,?,?,?,?)",
                        rows)
        con.execute("update chats set message_count = message_count + ? where id = ?", (n, chat_id))
        con.commit()
    finally:
        con.close()


def seed_waiting_sql(db: Path, n: int, department_id: int) -> None:
    """``n`` waiting chats, each with a visitor and a first message, written into the server's
    SQLite file while the server is stopped (10,000 visitors through the widget would take
    minutes and measure the server)."""
    import uuid

    con = sqlite3.connect(db, timeout=30)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    try:
        con.execute("BEGIN")
        for i in range(n):
            vid = str(uuid.uuid4())
            at = (now - timedelta(seconds=n - i)).isoformat(" ")
            con.execute("insert into visitors (id, token_hash, first_seen, last_seen) "
                        "values (?,?,?,?)", (vid, uuid.uuid4().hex + uuid.uuid4().hex, at, at))
            text = message_text(i)[:200]
            cur = con.execute(
                "insert into chats (visitor_id, visitor_name, department_id, state, name, summary,"
                " forward_comment, created_at, updated_at, waiting_since, last_message_at,"
                " last_message_preview, message_count, ip, page_url, page_title, referrer,"
                " user_agent, language, version) values (?,?,?,'waiting','','','',?,?,?,?,?,1,"
                " '127.0.0.1','https://example-hosting.test/','Pricing','','bench','en',1)",
                (vid, f"Queued Visitor {i}", department_id, at, at, at, at, text))
            con.execute("insert into chat_messages (chat_id, seq, author_kind, author_name, text,"
                        " client_msg_id, created_at) values (?,1,'visitor',?,?,?,?)",
                        (cur.lastrowid, f"Queued Visitor {i}", text, f"q-{i}", at))
        con.execute("COMMIT")
    finally:
        con.close()


def department_id(db: Path, name: str) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute("select id from departments where name=?", (name,)).fetchone()[0]
    finally:
        con.close()


def run_json(cmd: list[str], out: Path, *, env: dict[str, str] | None = None,
             timeout: float = 600) -> dict:
    """Run a child that writes one JSON object to ``out``; its answer."""
    if out.exists():
        out.unlink()
    proc = subprocess.run(cmd, env=env, timeout=timeout, capture_output=True, text=True)
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"{' '.join(cmd[:3])} failed ({proc.returncode}):\n"
                           f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return json.loads(out.read_text())


def now_ms() -> float:
    """A clock every process on the machine shares (CLOCK_MONOTONIC), in ms."""
    return time.monotonic() * 1000

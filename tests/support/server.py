"""Run the real reference server as a child process on a free loopback port.

Used by every test that needs a server: the server is the same program a user runs
(``python -m supportdesk_server``), with a SQLite file in a temp dir (or the database URL given).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

STARTUP_TIMEOUT = 60.0


class ServerProcess:
    def __init__(self, workdir: Path, *, demo: bool = True, demo_clients: int = 40,
                 simulate_visitors: float = 0.0, database_url: str | None = None,
                 port: int = 0, extra_args: list[str] | None = None) -> None:
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.database_url = database_url or f"sqlite+aiosqlite:///{self.workdir / 'server.sqlite3'}"
        self.demo = demo
        self.demo_clients = demo_clients
        self.simulate_visitors = simulate_visitors
        self.port = port
        self.extra_args = list(extra_args or [])
        self.proc: subprocess.Popen | None = None
        self.url = ""
        self.log_path = self.workdir / "server.log"

    # -- lifecycle

    def start(self) -> "ServerProcess":
        ready = self.workdir / "ready.json"
        if ready.exists():
            ready.unlink()
        args = [sys.executable, "-m", "supportdesk_server", "--host", "127.0.0.1",
                "--port", str(self.port), "--database-url", self.database_url,
                "--ready-file", str(ready), "--log-level", "info"]
        if self.demo:
            args += ["--demo", "--demo-clients", str(self.demo_clients),
                     "--simulate-visitors", str(self.simulate_visitors)]
        args += self.extra_args
        log = open(self.log_path, "ab")
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env)
        log.close()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log()}")
            if ready.exists():
                try:
                    info = json.loads(ready.read_text())
                except ValueError:
                    info = None  # written atomically, but be tolerant
                if info:
                    self.url = info["url"]
                    self.port = int(self.url.rsplit(":", 1)[1].split("/")[0])
                    return self
            time.sleep(0.05)  # polling a child process's ready file, not synchronising tests
        self.stop()
        raise RuntimeError(f"server did not become ready in {STARTUP_TIMEOUT}s:\n{self.log()}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    def kill(self) -> None:
        self.stop(signal.SIGKILL)

    def restart(self) -> "ServerProcess":
        """Start again on the same port and database."""
        self.stop()
        return self.start()

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-8000:]
        except OSError:
            return ""

    # -- conveniences for tests

    def api(self, path: str) -> str:
        return f"{self.url}/api/v1{path}"

    def ws_url(self, path: str) -> str:
        return self.url.replace("http", "ws", 1) + "/api/v1" + path

    def login(self, username: str, password: str = "demo") -> str:
        r = httpx.post(self.api("/auth/login"), json={"username": username, "password": password})
        r.raise_for_status()
        return r.json()["token"]

    def __enter__(self) -> "ServerProcess":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

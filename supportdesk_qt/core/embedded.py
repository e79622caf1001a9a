"""The embedded demo server: the reference server as a child process (Qt-free).

Started when no server is configured (or with ``--demo``): ``python -m supportdesk_server`` on
127.0.0.1, SQLite in the user data dir, demo data and the visitor simulator. The desk signs in as
the demo agent without asking and stops the child on exit.

The port: the one of the last start when it is free, so a visitor widget page left open in a
browser finds its server again after a restart of the desk; another free one when it is taken
(by then the page must be reloaded from the new address). It is kept in ``embedded-port.json``
next to the demo database (it belongs to that demo, not to the window), read and written in a
worker thread (``asyncio.to_thread``) so the GUI loop never waits on the disk.

How the child is kept from outliving the desk:

* normal exits: :meth:`EmbeddedServer.stop` (SIGTERM, then SIGKILL after 10 s), called by
  ``Session.close()``; and an ``atexit`` hook that sends SIGTERM if the loop never got to it
  (an unhandled exception, ``sys.exit`` from somewhere);
* the desk killed outright (SIGKILL, a crash in Qt): on Linux the child is started through a
  three-line launcher that sets ``PR_SET_PDEATHSIG`` (SIGTERM) on *itself* and then ``exec``s the
  server, so the kernel signals it when we die. This avoids ``preexec_fn`` (unsafe with threads).
  It is tied to the thread that spawned the child, which is the loop's (main) thread here.
  Gap: on macOS and Windows a hard-killed desk leaves the child running until it is stopped by
  hand or the machine restarts; fixing that needs the server to watch its parent (e.g. a
  ``--parent-pid`` option or EOF on stdin), which the server does not offer yet.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

log = logging.getLogger("supportdesk.embedded")

START_TIMEOUT = 90.0
STOP_GRACE = 10.0
DB_FILENAME = "embedded-demo.sqlite3"
LOG_FILENAME = "embedded-server.log"
PORT_FILENAME = "embedded-port.json"

# Runs in the child before the server: die with the parent (Linux), then become the server.
_PDEATHSIG_LAUNCHER = (
    "import ctypes,os,signal,sys\n"
    "try:\n"
    "    ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM), 0, 0, 0)\n"
    "except Exception:\n"
    "    pass\n"
    "if os.getppid() != int(sys.argv[1]):\n"
    "    sys.exit(0)\n"
    "os.execv(sys.executable, [sys.executable] + sys.argv[2:])\n"
)


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether a server could listen on ``host:port`` now (bound as the server binds it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _port_of(url: str) -> int:
    try:
        return int(url.rsplit(":", 1)[1].split("/", 1)[0])
    except (IndexError, ValueError):
        return 0


class EmbeddedServerError(Exception):
    """The embedded server could not be started. ``str()`` is a sentence (plus the log tail)."""


class _PopenProcess:
    """asyncio.subprocess.Process look-alike over Popen, for loops without subprocess support
    (e.g. a selector loop on Windows)."""

    def __init__(self, popen: subprocess.Popen[bytes]) -> None:
        self._p = popen
        self.pid = popen.pid

    @property
    def returncode(self) -> int | None:
        return self._p.poll()

    def terminate(self) -> None:
        self._p.terminate()

    def kill(self) -> None:
        self._p.kill()

    async def wait(self) -> int:
        while self._p.poll() is None:
            await asyncio.sleep(0.05)
        return self._p.returncode


class EmbeddedServer:
    """``await start()`` returns the server URL; ``await stop()`` is idempotent.

    ``credentials`` (user name, password) are those of the demo agent the server seeds; the
    caller knows them (``app.py`` asks ``supportdesk_server.demo``): this module only starts the
    server as a program and imports nothing of it."""

    def __init__(self, data_dir: Path, *, credentials: tuple[str, str],
                 demo_clients: int = 2000,
                 simulate_visitors: float = 3.0, log_dir: Path | None = None,
                 start_timeout: float = START_TIMEOUT, extra_args: list[str] | None = None) -> None:
        self.data_dir = Path(data_dir)
        self._credentials = credentials
        self.demo_clients = demo_clients
        self.simulate_visitors = simulate_visitors
        if log_dir is None:
            from supportdesk_qt.core import paths

            log_dir = paths.log_dir()
        self.log_path = Path(log_dir) / LOG_FILENAME
        self.start_timeout = start_timeout
        self.extra_args = list(extra_args or [])
        self.url = ""
        self.port = 0                 # of the running server; the last one's before a start
        self._proc: Any = None
        self._lock = asyncio.Lock()
        self._atexit_registered = False

    # -- facts

    @property
    def credentials(self) -> tuple[str, str]:
        return self._credentials

    @property
    def database_path(self) -> Path:
        return self.data_dir / DB_FILENAME

    @property
    def database_url(self) -> str:
        return f"sqlite+aiosqlite:///{self.database_path}"

    @property
    def widget_url(self) -> str:
        """The visitor widget page: open it in a browser to chat with yourself."""
        return f"{self.url}/widget" if self.url else ""

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.returncode is None

    @property
    def port_path(self) -> Path:
        return self.data_dir / PORT_FILENAME

    def command(self, ready_file: Path, port: int = 0) -> list[str]:
        args = ["-m", "supportdesk_server", "--host", "127.0.0.1", "--port", str(port),
                "--demo", "--demo-clients", str(self.demo_clients),
                "--simulate-visitors", str(self.simulate_visitors),
                "--database-url", self.database_url, "--ready-file", str(ready_file),
                *self.extra_args]
        if sys.platform.startswith("linux"):
            return [sys.executable, "-c", _PDEATHSIG_LAUNCHER, str(os.getpid()), *args]
        return [sys.executable, *args]

    def log_tail(self, max_chars: int = 3000) -> str:
        try:
            with open(self.log_path, "rb") as fh:
                fh.seek(0, os.SEEK_END)
                size = fh.tell()
                fh.seek(max(0, size - max_chars))
                return fh.read().decode("utf-8", errors="replace").strip()
        except OSError:
            return ""

    # -- lifecycle

    async def start(self) -> str:
        async with self._lock:
            if self.running and self.url:
                return self.url
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            last = await asyncio.to_thread(self._last_port)
            wanted = last if last and await asyncio.to_thread(port_is_free, last) else 0
            try:
                self.url = await self._start_on(wanted)
            except EmbeddedServerError:
                if not wanted:
                    raise
                # taken between the check and the server's bind: any free port then
                log.info("port %s was taken meanwhile; starting on a free one", wanted)
                self.url = await self._start_on(0)
            self.port = _port_of(self.url)
            if self.port and self.port != last:
                await asyncio.to_thread(self._remember_port, self.port)
            log.info("embedded demo server up at %s (pid %s, log %s)", self.url, self.pid,
                     self.log_path)
            return self.url

    async def _start_on(self, port: int) -> str:
        tmp = Path(tempfile.mkdtemp(prefix="supportdesk-embedded-"))
        ready = tmp / "ready.json"
        try:
            await self._spawn(ready, port)
            return await self._wait_ready(ready)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    # -- the port of the last start (worker thread: file I/O)

    def _last_port(self) -> int:
        try:
            port = json.loads(self.port_path.read_text(encoding="utf-8")).get("port", 0)
        except (OSError, ValueError, AttributeError):
            return 0
        return port if isinstance(port, int) and 0 < port < 65536 else 0

    def _remember_port(self, port: int) -> None:
        tmp = self.port_path.with_name(self.port_path.name + ".tmp")
        try:
            tmp.write_text(json.dumps({"port": port}) + "\n", encoding="utf-8")
            os.replace(tmp, self.port_path)
        except OSError as exc:
            log.warning("cannot remember the demo server's port in %s (%s)", self.port_path, exc)

    async def _spawn(self, ready: Path, port: int = 0) -> None:
        cmd = self.command(ready, port)
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        with open(self.log_path, "ab") as logf:
            logf.write(f"\n--- {time.strftime('%Y-%m-%d %H:%M:%S')} starting embedded server "
                       f"(demo clients {self.demo_clients}, visitors/min "
                       f"{self.simulate_visitors})\n".encode())
            logf.flush()
            try:
                self._proc = await asyncio.create_subprocess_exec(
                    *cmd, stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT,
                    env=env)
            except NotImplementedError:
                self._proc = _PopenProcess(subprocess.Popen(
                    cmd, stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT,
                    env=env))
            except OSError as exc:
                raise EmbeddedServerError(
                    f"The embedded demo server could not be launched ({exc}).") from exc
        if not self._atexit_registered:
            atexit.register(self._terminate_at_exit)
            self._atexit_registered = True

    async def _wait_ready(self, ready: Path) -> str:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.start_timeout
        while True:
            proc = self._proc
            if proc.returncode is not None:
                code = proc.returncode
                self._proc = None
                raise EmbeddedServerError(
                    f"The embedded demo server stopped while starting (exit code {code}). "
                    f"Its log is {self.log_path}; the last lines:\n{self.log_tail()}")
            if ready.exists():
                try:
                    info = json.loads(ready.read_text(encoding="utf-8"))
                    url = str(info["url"]).rstrip("/")
                except (ValueError, KeyError, OSError, TypeError):
                    url = ""  # written atomically by the server, but be tolerant
                if url:
                    return url
            if loop.time() > deadline:
                await self.stop()
                raise EmbeddedServerError(
                    f"The embedded demo server did not start within {self.start_timeout:.0f} "
                    f"seconds. Its log is {self.log_path}; the last lines:\n{self.log_tail()}")
            # polling a child process's ready file (not test synchronisation)
            await asyncio.sleep(0.1)

    async def stop(self) -> None:
        """SIGTERM, then SIGKILL after 10 s. Safe to call any number of times."""
        proc, self._proc = self._proc, None
        self.url = ""
        if self._atexit_registered:
            atexit.unregister(self._terminate_at_exit)
            self._atexit_registered = False
        if proc is None or proc.returncode is not None:
            return
        try:
            proc.terminate()
        except ProcessLookupError:
            return
        try:
            async with asyncio.timeout(STOP_GRACE):
                await proc.wait()
        except TimeoutError:
            log.warning("embedded server (pid %s) ignored SIGTERM; killing it", proc.pid)
            try:
                proc.kill()
            except ProcessLookupError:
                return
            await proc.wait()
        log.info("embedded demo server stopped (exit code %s)", proc.returncode)

    def _terminate_at_exit(self) -> None:
        proc = self._proc
        if proc is not None and proc.returncode is None:
            try:
                os.kill(proc.pid, signal.SIGTERM)
            except OSError:
                pass

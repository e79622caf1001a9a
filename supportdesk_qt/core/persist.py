"""Writing small files off the GUI thread: one background writer, debounced, latest snapshot wins.

Qt-free. The stores (:mod:`~supportdesk_qt.core.settings`, :mod:`~supportdesk_qt.core.drafts`)
change in memory on the caller's thread and hand the writer a *snapshot* of their data
(:meth:`Writer.submit`); the writer thread turns it into bytes and writes it atomically (temp file
in the same directory, fsync, rename, fsync of the directory), so a crash leaves either the old or
the new file, never half of one.

* **Debounced**: a path is written ``delay`` seconds after its last change (at most ``max_delay``
  after the first change not yet written, so steady typing still reaches the disk).
* **Latest wins**: a newer snapshot of a path replaces one not yet written; a burst of changes is
  one write.
* **Nothing lost**: a write that fails is logged and kept; it is tried again at the next change (of
  any path: the disk may be back) and at every :meth:`Writer.flush`. :meth:`Writer.peek` hands a
  snapshot not yet on disk to a store that loads the same path, so a store made again (after a
  logout) starts from what was last set, not from an older file.
* **Flush**: :meth:`Writer.flush` writes everything pending now and waits (bounded); the app calls
  it (through :func:`aflush`, so the loop keeps running) when it quits and at crash-safe points;
  :meth:`Writer.flush_soon` only makes everything due now, without waiting. An ``atexit`` hook
  flushes the shared writer when the process ends another way.

One process-wide writer (:func:`writer`) serves every store: one thread, writes serialised.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("supportdesk.persist")

DELAY = 0.4            # seconds after the last change
MAX_DELAY = 2.0        # seconds after the first change not yet written
FLUSH_TIMEOUT = 5.0    # how long a flush waits for the disk

Encoder = Callable[[Any], bytes]


def write_atomic(path: Path, data: bytes) -> None:
    """Temp file in the same directory, fsync, rename over ``path``, fsync the directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if hasattr(os, "O_DIRECTORY"):          # the rename itself survives a power loss (POSIX)
        try:
            dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return
        try:
            os.fsync(dir_fd)
        except OSError:
            pass
        finally:
            os.close(dir_fd)


def read_json_object(path: Path, logger: logging.Logger, what: str) -> dict[str, Any] | None:
    """The JSON object in ``path``; ``None`` when there is none. Reading stays on the caller's
    thread (the stores read once, at start). A file that is not a JSON object is moved aside
    (``*.corrupt``) with a warning on ``logger``, so the next write does not destroy the evidence."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        logger.warning("cannot read %s %s (%s); starting without", what, path, exc)
        return None
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
    except ValueError as exc:
        bad = path.with_name(path.name + ".corrupt")
        logger.warning("%s is not valid %s JSON (%s); moved it to %s and starting without",
                       path, what, exc, bad.name)
        try:
            os.replace(path, bad)
        except OSError:
            pass
        return None
    return data


@dataclass
class _Job:
    snapshot: Any
    encode: Encoder
    first: float                 # when the oldest change not yet written was made
    due: float | None            # when to write; None: failed, waits for a change or a flush
    error: str = ""


class Writer:
    """One thread that writes files; see the module docstring."""

    def __init__(self, delay: float = DELAY, max_delay: float = MAX_DELAY, *,
                 name: str = "persist", write: Callable[[Path, bytes], None] = write_atomic,
                 ) -> None:
        self.delay = delay
        self.max_delay = max(delay, max_delay)
        self.name = name
        self._write = write
        self._cond = threading.Condition()
        self._jobs: dict[Path, _Job] = {}
        self._inflight: tuple[Path, _Job] | None = None
        self._thread: threading.Thread | None = None
        self._writes = 0

    # -- the caller's side

    def submit(self, path: Path, snapshot: Any, encode: Encoder, *, now: bool = False) -> None:
        """Write ``encode(snapshot)`` to ``path`` soon (``now``: without the debounce, at a
        crash-safe point). ``snapshot`` must not change afterwards (hand over a copy);
        ``encode`` runs on the writer thread."""
        path = Path(path)
        at = time.monotonic()
        with self._cond:
            old = self._jobs.get(path)
            first = old.first if old is not None and old.due is not None else at
            due = at if now else min(at + self.delay, first + self.max_delay)
            self._jobs[path] = _Job(snapshot, encode, first, due)
            for other in self._jobs.values():       # a failed write gets another try now
                if other.due is None:
                    other.due = at
            self._start()
            self._cond.notify_all()

    def peek(self, path: Path) -> Any | None:
        """The snapshot of ``path`` not yet on disk (pending, being written, or failed), or
        ``None``. A store that loads ``path`` starts from it."""
        path = Path(path)
        with self._cond:
            job = self._jobs.get(path)
            if job is None and self._inflight is not None and self._inflight[0] == path:
                job = self._inflight[1]
            return job.snapshot if job is not None else None

    def pending(self) -> dict[Path, str]:
        """The paths not yet on disk, each with its last error ("" while simply waiting)."""
        with self._cond:
            out = {p: j.error for p, j in self._jobs.items()}
            if self._inflight is not None:
                out.setdefault(self._inflight[0], self._inflight[1].error)
            return out

    @property
    def writes(self) -> int:
        """How many files were written (for tests and the log)."""
        return self._writes

    def flush_soon(self) -> None:
        """Make everything pending due now; do not wait."""
        with self._cond:
            if self._due_all(time.monotonic()):
                self._start()
                self._cond.notify_all()

    def flush(self, timeout: float = FLUSH_TIMEOUT) -> bool:
        """Write everything pending now (failed writes once more) and wait, at most ``timeout``
        seconds. True when nothing is left unwritten."""
        if threading.current_thread() is self._thread:
            raise RuntimeError("flush() on the writer thread would wait for itself")
        start = time.monotonic()
        deadline = start + timeout
        with self._cond:
            if self._due_all(start):
                self._start()
                self._cond.notify_all()

            def settled() -> bool:
                return self._inflight is None and all(
                    j.due is None or j.due > start for j in self._jobs.values())

            while not settled():
                left = deadline - time.monotonic()
                if left <= 0:
                    log.warning("%s: %d file(s) not written within %.1f s: %s", self.name,
                                len(self.pending()), timeout,
                                ", ".join(str(p) for p in self.pending()))
                    return False
                self._cond.wait(left)
            return not self._jobs

    def _due_all(self, now: float) -> bool:
        for job in self._jobs.values():
            job.due = now
        return bool(self._jobs)

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()

    # -- the writer thread

    def _next(self) -> tuple[Path, _Job]:
        with self._cond:
            while True:
                now = time.monotonic()
                due = [(j.due, p) for p, j in self._jobs.items() if j.due is not None]
                if due:
                    when, path = min(due)
                    if when <= now:
                        job = self._jobs.pop(path)
                        self._inflight = (path, job)
                        return path, job
                    self._cond.wait(when - now)
                else:
                    self._cond.wait()

    def _run(self) -> None:
        while True:
            path, job = self._next()
            error = ""
            try:
                self._write(path, job.encode(job.snapshot))
            except Exception as exc:       # OSError (disk full, read-only), or a bad snapshot
                error = f"{type(exc).__name__}: {exc}"
                log.warning("cannot write %s (%s); trying again at the next change or flush",
                            path, error)
            with self._cond:
                self._inflight = None
                if error:
                    job.error, job.due = error, None
                    self._jobs.setdefault(path, job)      # a newer snapshot stays the one to write
                else:
                    self._writes += 1
                self._cond.notify_all()


_shared: Writer | None = None
_shared_lock = threading.Lock()


def writer() -> Writer:
    """The process-wide writer (made at first use; flushed at exit)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Writer()
            atexit.register(_flush_at_exit, _shared)
        return _shared


def _flush_at_exit(w: Writer) -> None:
    if w.pending():
        w.flush()


async def aflush(timeout: float = FLUSH_TIMEOUT) -> bool:
    """:meth:`Writer.flush` of the shared writer, waited for off the event loop's thread."""
    return await asyncio.to_thread(writer().flush, timeout)

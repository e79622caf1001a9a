"""A registry of background tasks: strong references, logged failures, one place to cancel.

``asyncio`` keeps only weak references to tasks, so a task nobody holds can be garbage-collected
mid-flight; and an exception in a task nobody awaits is reported late or never. Every coroutine
the UI starts goes through :meth:`TaskRegistry.spawn`. Qt-free.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

log = logging.getLogger("supportdesk.tasks")

ErrorHandler = Callable[[BaseException, str], None]


class TaskRegistry:
    def __init__(self, on_error: ErrorHandler | None = None) -> None:
        self._tasks: set[asyncio.Task] = set()
        self._closed = False
        self.on_error = on_error

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str = "") -> asyncio.Task:
        """Run ``coro`` in the background; keep it alive; log (and report) if it fails."""
        if self._closed:
            coro.close()
            raise RuntimeError("the task registry is closed (the app is shutting down)")
        task = asyncio.get_running_loop().create_task(coro, name=name or None)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is None:
            return
        log.error("background task %r failed", task.get_name(), exc_info=exc)
        if self.on_error is not None:
            try:
                self.on_error(exc, task.get_name())
            except Exception:  # the reporter must never take the app down
                log.exception("error handler failed")

    def __len__(self) -> int:
        return len(self._tasks)

    def __bool__(self) -> bool:   # an idle registry is still one (``tasks or TaskRegistry()``)
        return True

    @property
    def closed(self) -> bool:
        return self._closed

    async def cancel_all(self, timeout: float = 5.0) -> None:
        """Cancel every tracked task (except the caller) and wait for them to finish."""
        self._closed = True
        current = asyncio.current_task()
        tasks = [t for t in self._tasks if t is not current and not t.done()]
        for t in tasks:
            t.cancel()
        if tasks:
            done, pending = await asyncio.wait(tasks, timeout=timeout)
            for t in pending:
                log.warning("task %r did not stop within %.1fs", t.get_name(), timeout)

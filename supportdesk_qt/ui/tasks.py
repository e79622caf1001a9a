"""A registry of background tasks: strong references, logged failures, one place to cancel.

``asyncio`` keeps only weak references to tasks, so a task nobody holds can be garbage-collected
mid-flight; and an exception in a task nobody awaits is reported late or never. Every coroutine
the UI starts goes through :meth:`TaskRegistry.spawn`. Qt-free.

:class:`TaskScope` binds tasks to the lifetime of a widget (a tab, a dialog, a model): when it
is disposed, or its C++ object is destroyed, every task of the scope is cancelled. A cancelled
task gets ``CancelledError`` at the ``await`` it is suspended in, even when the answer it waited
for has already arrived, so the code after that ``await`` never runs on an object that is gone:
a coroutine started through a scope needs no ``qt_is_valid()`` check after its awaits. What must
outlive the widget (a message being sent) goes to the registry itself. The scope has the
registry's ``spawn(coro, name)`` shape, so it goes wherever a registry went; scopes nest.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
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


class TaskScope:
    """``spawn`` like a :class:`TaskRegistry`; everything still running is cancelled by
    :meth:`close`, which the owner's ``destroyed`` signal calls too."""

    def __init__(self, owner: Any, tasks: TaskRegistry, name: str = "") -> None:
        self._registry = tasks
        self._name = name
        self._running: set[asyncio.Task] = set()
        self._closed = False
        self._on_close: list[Callable[[], None]] = []
        destroyed = getattr(owner, "destroyed", None)
        if destroyed is not None:
            # a closure, not a bound method of the owner: it must still run while the owner
            # is being destroyed, and keeps only the scope alive
            destroyed.connect(lambda *_: self.close())

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def alive(self) -> bool:
        return not self._closed

    @property
    def registry(self) -> TaskRegistry:
        """The app's registry, for work that must outlive the widget."""
        return self._registry

    def __len__(self) -> int:
        return len(self._running)

    def __bool__(self) -> bool:          # ``tasks or TaskRegistry()`` must keep an empty scope
        return True

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str = "") -> asyncio.Task:
        """Run ``coro`` until it ends or the scope closes. After :meth:`close`, the task
        returned is cancelled before its first step: the coroutine's body never runs."""
        full = f"{self._name}-{name}" if self._name and name else (name or self._name)
        task = self._registry.spawn(coro, name=full)
        if self._closed:
            task.cancel()
            return task
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        return task

    def on_close(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once when the scope closes (dispose or destruction)."""
        if self._closed:
            callback()
        else:
            self._on_close.append(callback)

    def connect(self, signal: Any, slot: Callable[..., Any]) -> None:
        """``signal.connect(slot)`` until the scope closes: a widget following an object that
        outlives it (the send keys, a store) is disconnected when it goes, so the slot never
        runs on a deleted widget. The signal is connected to a relay of the scope's (a plain
        function), not to the widget's method: disconnecting it needs nothing of the widget,
        which may be half destroyed by then."""
        def relay(*args: Any) -> None:
            if not self._closed:
                slot(*args)

        signal.connect(relay)

        def disconnect() -> None:
            with warnings.catch_warnings():     # the signal's owner may be gone already
                warnings.simplefilter("ignore", RuntimeWarning)
                try:
                    signal.disconnect(relay)
                except (RuntimeError, TypeError):
                    pass
        self.on_close(disconnect)

    def close(self) -> None:
        """Cancel every task still running; start nothing more. Idempotent."""
        if self._closed:
            return
        self._closed = True
        for task in list(self._running):
            task.cancel()
        callbacks, self._on_close = self._on_close, []
        for callback in callbacks:
            try:
                callback()
            except Exception:  # noqa: BLE001 - a teardown step must not stop the others
                log.exception("closing a task scope")


def hold(owner: Any, name: str, obj: Any) -> Any:
    """``owner.<name> = obj`` until ``obj`` is destroyed, then ``None``: a reference to a dialog
    or menu (deleted on close) that never points at a deleted object."""
    setattr(owner, name, obj)

    def gone(*_: object) -> None:
        if getattr(owner, name, None) is obj:
            setattr(owner, name, None)

    obj.destroyed.connect(gone)
    return obj

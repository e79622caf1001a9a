"""Tasks bound to a widget's lifetime.

A tab starts its loads through its :class:`TaskScope` instead of the app's
:class:`~supportdesk_qt.ui.tasks.TaskRegistry`. When the tab is disposed, or its C++ object is
destroyed (whichever comes first), every task of the scope is cancelled. A cancelled task gets
``CancelledError`` at the ``await`` it is suspended in, even when the answer it waited for has
already arrived, so the code after that ``await`` never runs on a widget that is gone: a
coroutine started through a scope needs no ``qt_is_valid()`` check after its awaits.

What must outlive the widget (a message being sent, "stopped typing" told to the visitor) goes
to the registry itself, not to the scope.

The scope has the registry's ``spawn(coro, name)`` shape, so models and sub-widgets of a tab
take it wherever they took the registry. Qt-free apart from the ``destroyed`` signal.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from supportdesk_qt.ui.tasks import TaskRegistry

log = logging.getLogger("supportdesk.ui.tabs")


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


__all__ = ["TaskScope", "hold"]


def hold(owner: Any, name: str, obj: Any) -> Any:
    """``owner.<name> = obj`` until ``obj`` is destroyed, then ``None``: a reference to a dialog
    or menu (deleted on close) that never points at a deleted object."""
    setattr(owner, name, obj)

    def gone(*_: object) -> None:
        if getattr(owner, name, None) is obj:
            setattr(owner, name, None)

    obj.destroyed.connect(gone)
    return obj

"""A list of plain callbacks: the Qt-free stand-in for a signal (core/ has no Qt)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger("supportdesk.observers")


class Observers:
    """Callbacks called in order by :meth:`emit`. A callback that raises is logged and the
    others still run (one broken view must not stop the rest)."""

    def __init__(self, name: str = "") -> None:
        self._name = name
        self._callbacks: list[Callable[..., Any]] = []

    def connect(self, callback: Callable[..., Any]) -> Callable[[], None]:
        """Add ``callback``; returns a function that removes it again (a widget hands it to its
        task scope's ``on_close``, so a widget that goes is never called)."""
        self._callbacks.append(callback)
        return lambda: self.disconnect(callback)

    def disconnect(self, callback: Callable[..., Any]) -> None:
        try:
            self._callbacks.remove(callback)
        except ValueError:
            pass

    def emit(self, *args: Any) -> None:
        for callback in list(self._callbacks):
            try:
                callback(*args)
            except Exception:
                log.exception("an observer of %s failed", self._name or "the workspace")

    def __len__(self) -> int:
        return len(self._callbacks)


__all__ = ["Observers"]

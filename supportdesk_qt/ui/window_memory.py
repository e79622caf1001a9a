"""What the main window keeps across runs: its geometry and dock state, and the hand-over of
everything at quit.

The geometry lives in the window state (``core.settings.WindowState``, apart from preferences),
base64 of ``saveGeometry()`` / ``saveState()``; an unreadable value is ignored with a warning.
:meth:`WindowMemory.save_everything` gives every store what it holds now (geometry, the open tabs,
the composers' drafts) and has the writer (``core/persist.py``) start at once; the app's quit
path waits for it.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from typing import Any, Protocol

from supportdesk_qt.core import persist
from supportdesk_qt.core.workspace import Workspace
from supportdesk_qt.qt import QByteArray, QMainWindow, QObject
from supportdesk_qt.ui.tabs.memory import TabMemory

log = logging.getLogger("supportdesk.ui.main")

GEOMETRY_KEY = "main_window_geometry"      # options of core.settings.WindowState
WINDOW_STATE_KEY = "main_window_state"


class StateStore(Protocol):
    """Where window state lives, apart from preferences (``core.settings.WindowState``)."""

    def get(self, key: str) -> Any: ...
    def set(self, key: str, value: Any) -> None: ...


class WindowMemory(QObject):
    def __init__(self, window: QMainWindow, state: StateStore | None, tabs: TabMemory,
                 workspace: Callable[[], Workspace | None]) -> None:
        super().__init__(window)
        self._window = window
        self._state = state
        self._tabs = tabs
        self._workspace = workspace

    def restore_geometry(self) -> None:
        if self._state is None:
            return
        try:
            geometry = self._state.get(GEOMETRY_KEY)
            if geometry:
                self._window.restoreGeometry(QByteArray(base64.b64decode(geometry)))
            state = self._state.get(WINDOW_STATE_KEY)
            if state:
                self._window.restoreState(QByteArray(base64.b64decode(state)))
        except (ValueError, TypeError):
            log.warning("ignoring unreadable saved window geometry")

    def save_geometry(self) -> None:
        if self._state is None:
            return
        w = self._window
        self._state.set(GEOMETRY_KEY, base64.b64encode(bytes(w.saveGeometry().data())).decode())
        self._state.set(WINDOW_STATE_KEY, base64.b64encode(bytes(w.saveState().data())).decode())
        if self._tabs.pending:
            self._tabs.save()

    def save_everything(self) -> None:
        """Geometry, open tabs, drafts: to the writer, which starts at once."""
        self.save_geometry()
        self._tabs.save()
        for tab in self._tabs.manager.chat_tabs():
            tab.drafts.set(tab.chat_id, tab.composer.toPlainText())
        workspace = self._workspace()
        if workspace is not None:
            for store in (workspace.drafts, workspace.ticket_drafts):
                store.save()
        persist.writer().flush_soon()


__all__ = ["WindowMemory", "StateStore", "GEOMETRY_KEY", "WINDOW_STATE_KEY"]

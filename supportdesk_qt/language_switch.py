"""Switching the desk's language while it runs, without a restart.

The ``language`` preference changes (the settings dialog's Apply or OK): the translators are
replaced (:mod:`supportdesk_qt.i18n`) and the desk **rebuilds its main window frame** instead of
asking every widget to retranslate itself. Widgets translate their strings once, where they are
built, and none of them has to know about ``QEvent.LanguageChange``; what must survive lives
outside the window and is Qt-free: the signed-in agent's workspace (outbox, drafts, caches), the
session and its event stream (the bridge stays attached), the preferences and the window state.

What the rebuild does, in order:

1. the old window hands every store what it holds (geometry, open tabs and each tab's state,
   drafts: ``save_everything``), then closes its tabs without ending a chat (``clear_session``:
   the same path as a logout, drafts kept);
2. the tray and notifications of the old window are disposed;
3. a new window is built by the desk (``Desk.build_window``: the same code as at start-up), gets
   the same workspace, and reopens the saved tabs (chats still mine, clients, tickets, searches,
   each with its saved state) in the new language;
4. it takes the old one's place on screen (same geometry, shown if the old one was shown, the
   settings dialog open again on the page it was on if it was open), and the old one is deleted.

docs/architecture.md ("Languages") says why this and not a ``changeEvent`` in every widget.
"""

from __future__ import annotations

import logging
from typing import Any

from supportdesk_qt.i18n import translations
from supportdesk_qt.qt import QTimer

log = logging.getLogger("supportdesk.language")


class LanguageSwitch:
    """Follows the ``language`` preference of ``desk`` (an ``app.Desk``)."""

    def __init__(self, desk: Any) -> None:
        self.desk = desk
        self._pending = False
        self.rebuilds = 0                     # how many times the window was rebuilt (tests)
        self._unsubscribe = desk.preferences.on_change(self._changed, "language")

    def dispose(self) -> None:
        self._unsubscribe()

    def _changed(self, _name: str, _value: Any) -> None:
        # after the settings dialog's apply() has returned: the dialog belongs to the old window
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self.apply)

    def apply(self) -> None:
        """Install the translators of the preference now and rebuild the window if it changed."""
        self._pending = False
        before = translations().language
        lang = translations().apply(self.desk.preferences.language)
        if lang != before and self.desk.window is not None:
            self.rebuild()

    def rebuild(self) -> None:
        desk = self.desk
        old, old_desktop = desk.window, desk.desktop
        workspace = old.workspace
        visible = old.isVisible()
        dialog = old.settings_dialog
        reopen_settings = dialog is not None and dialog.isVisible()
        page = dialog.pages.currentIndex() if reopen_settings else 0
        old.memory.save_everything()          # geometry, tabs, drafts
        if old_desktop is not None:
            old_desktop.dispose()
        old.set_workspace(None)               # closes every tab, as logout does (drafts kept)
        old.hide()
        desk.build_window()
        window = desk.window
        if desk.desktop is not None:
            desk.desktop.start()
        if workspace is not None:
            window.set_workspace(workspace)
        if visible:
            window.show()
            window.raise_()
            window.activateWindow()
        if reopen_settings:
            window.open_settings()
            if window.settings_dialog is not None:
                window.settings_dialog.pages.setCurrentIndex(page)
        old.deleteLater()
        if old_desktop is not None:
            old_desktop.deleteLater()
        self.rebuilds += 1
        log.info("main window rebuilt in %s", translations().language)

"""The command palette (Ctrl+K) and the shortcut sheet (F1), installed on a main window.

``install(window, tasks, prefs)`` creates both and declares their two commands through the
window's action registry — ``palette.open`` (Ctrl+K) and ``help.shortcuts`` (F1) — so they are
in the menus' registry like every other command: the settings' shortcuts page can change their
keys, the shortcut sheet lists them. See ``popup.py`` (the palette), ``model.py`` (entries and
ranking), ``sources.py`` (what is listed), ``delegate.py`` (a row) and ``ui/shortcut_sheet.py``.
"""

from __future__ import annotations

from typing import Any

from supportdesk_qt.qt import QWidget, translate
from supportdesk_qt.ui.command_palette.popup import CommandPalette
from supportdesk_qt.ui.command_palette.sources import PaletteHost
from supportdesk_qt.ui.shortcut_sheet import ShortcutSheet
from supportdesk_qt.ui.tasks import TaskRegistry

PALETTE_ID = "palette.open"
SHEET_ID = "help.shortcuts"


def install(window: PaletteHost, tasks: TaskRegistry, prefs: Any = None) -> CommandPalette:
    """The palette and the sheet for ``window`` (a ``QWidget``); returns the palette. With
    ``prefs``, the person's keys for the two new commands apply too (the registry binds again)."""
    assert isinstance(window, QWidget)
    palette = CommandPalette(window, tasks, window)
    sheet = ShortcutSheet(window.commands, window)
    help_ = translate("CommandPalette", "Help")
    window.commands.add(PALETTE_ID, translate("CommandPalette", "Command &palette…"),
                        palette.open_palette, shortcuts=("Ctrl+K",), category=help_,
                        tip=translate("CommandPalette", "Run a command, go to a tab, take a chat or "
                                                 "find a client by typing"),
                        object_name="commandPaletteAction")
    window.commands.add(SHEET_ID, translate("CommandPalette", "&Keyboard shortcuts"), sheet.open_sheet,
                        shortcuts=("F1",), category=help_,
                        object_name="shortcutSheetAction")
    if prefs is not None:
        window.commands.bind(prefs)
    window.command_palette = palette        # type: ignore[attr-defined]
    window.shortcut_sheet = sheet           # type: ignore[attr-defined]
    return palette


__all__ = ["CommandPalette", "ShortcutSheet", "install", "PALETTE_ID", "SHEET_ID"]

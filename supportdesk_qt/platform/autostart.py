"""Start the desk at login: an XDG autostart entry that follows the ``autostart`` preference.

The XDG Autostart specification: a desktop entry in ``$XDG_CONFIG_HOME/autostart`` (default
``~/.config/autostart``) named after the application id (``identity.APP_ID``) is started by the
session at login. Turning the preference on writes the entry; turning it off writes the same entry
with ``Hidden=true`` (the specification's way to switch an entry off; GNOME also reads
``X-GNOME-Autostart-enabled=false``), so both are one atomic write through the shared background
writer (``core/persist.py``): nothing touches the disk on the GUI thread. With the preference on,
each start writes the entry again, so it names the program of this install even after a move.
Whether the desk then starts hidden in the tray is the ``start_minimised`` preference.

Supported on Linux and the BSDs outside Flatpak (a sandboxed app's ``~/.config`` is its own; the
desktop's Background portal would be the way there). Qt-free.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from supportdesk_qt.core import persist
from supportdesk_qt.core.settings import Preferences
from supportdesk_qt.identity import APP_ID, APP_NAME

OPTION = "autostart"


def supported() -> bool:
    return (sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))
            and not os.environ.get("FLATPAK_ID"))


def entry_path() -> Path:
    """``$XDG_CONFIG_HOME/autostart/<app id>.desktop`` (``~/.config`` when the variable is unset
    or not absolute, as the base directory specification says)."""
    config = os.environ.get("XDG_CONFIG_HOME", "")
    base = Path(config) if config and os.path.isabs(config) else Path.home() / ".config"
    return base / "autostart" / f"{APP_ID}.desktop"


def command() -> list[str]:
    """The program that starts this install of the desk."""
    if getattr(sys, "frozen", False):                 # the PyInstaller build
        return [sys.executable]
    script = Path(sys.executable).with_name("supportdesk")   # the wheel's console script
    if script.is_file():
        return [str(script)]
    found = shutil.which("supportdesk")
    if found:
        return [found]
    return [sys.executable, "-m", "supportdesk_qt"]


def quote_exec(argv: list[str]) -> str:
    """The ``Exec`` value for ``argv`` (desktop entry specification): an argument with a
    reserved character is double-quoted, with ``"`` `` ` `` ``$`` ``\\`` backslash-escaped
    inside; ``%`` is written ``%%``."""
    out = []
    for arg in argv:
        arg = arg.replace("%", "%%")
        if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`"):
            out.append(arg)
            continue
        escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
        out.append(f'"{escaped}"')
    return " ".join(out)


def entry_text(enabled: bool, argv: list[str] | None = None) -> str:
    """The desktop entry the session starts at login (switched off with ``enabled=False``).

    Written with escapes for the string type: the values are ours, plus the program's path."""
    exec_line = quote_exec(argv or command()).replace("\\", "\\\\")
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        f"Name={APP_NAME}",
        "Comment=Start SupportDesk at login",
        f"Exec={exec_line}",
        f"Icon={APP_ID}",
        "Terminal=false",
        "X-GNOME-Autostart-enabled=" + ("true" if enabled else "false"),
    ]
    if not enabled:
        lines.append("Hidden=true")
    return "\n".join(lines) + "\n"


class Autostart:
    """Keeps the autostart entry in step with the preference (see the module docstring)."""

    def __init__(self, prefs: Preferences, writer: persist.Writer | None = None,
                 argv: Callable[[], list[str]] = command) -> None:
        self._prefs = prefs
        self._writer = writer
        self._argv = argv
        self._unsubscribe: Callable[[], None] | None = None

    def start(self) -> Autostart:
        """Listen to the preference; refresh the entry now when it is on. A no-op where autostart
        is not supported."""
        if supported() and self._unsubscribe is None:
            self._unsubscribe = self._prefs.on_change(lambda _n, value: self.write(value), OPTION)
            if self._prefs.get(OPTION):
                self.write(True)
        return self

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def write(self, enabled: bool) -> None:
        """Hand the entry to the background writer (written ``persist.DELAY`` s later)."""
        text = entry_text(bool(enabled), self._argv())
        (self._writer or persist.writer()).submit(entry_path(), text, _utf8)


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")

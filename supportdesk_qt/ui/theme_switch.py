"""Light and dark: the ``theme`` preference ("system", "light", "dark") applied to the running
application, at once.

* **System** follows the OS colour scheme (``QStyleHints.colorScheme``, Qt 6.5+) and its
  ``colorSchemeChanged`` signal. When the platform's own palette already has that scheme it is
  used as it is (the desk looks like the other apps: KDE's, GNOME's, Windows'); when the
  platform does not say (``Unknown``) the platform's palette is used too. Only when the OS asks
  for a scheme its palette does not have is the desk's own palette of that scheme applied.
* **Light** / **Dark** apply the desk's own palettes (``ui/palettes.py``), whatever the OS does;
  the platform is told the choice (``QStyleHints.setColorScheme``, Qt 6.8+) so a title bar that
  the platform draws can follow.

A change repaints everything: ``QApplication.setPalette`` reaches every widget, delegates read
the palette on each paint, colours and icons set once follow through ``theme.tint`` /
``theme.follow``, and the icon and avatar caches are dropped (``theme.clear_caches``).

One :class:`ThemeSwitch` per process (:func:`theme_switch`), bound once by the app
(``Desk.__init__``) to the preferences, as the composers' send keys are.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from supportdesk_qt.qt import QApplication, QObject, QPalette, Qt, Signal
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.palettes import dark_palette, light_palette

log = logging.getLogger("supportdesk.ui.theme")

SYSTEM, LIGHT, DARK = "system", "light", "dark"
CHOICES = (SYSTEM, LIGHT, DARK)


class ThemeSwitch(QObject):
    #: The palette in use changed: True for a dark one.
    changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._choice = SYSTEM
        self._unbind: Callable[[], None] | None = None
        self._hints_connected = False

    @property
    def choice(self) -> str:
        return self._choice

    @property
    def dark(self) -> bool:
        """The palette in use now is a dark one."""
        return theme.is_dark(QApplication.palette())

    # -- following the preference and the OS --------------------------------------------------

    def bind(self, prefs: Any) -> None:
        """Apply ``prefs.theme`` now and whenever it changes."""
        if self._unbind is not None:
            self._unbind()
        self.set_choice(prefs.get("theme"))
        self._unbind = prefs.on_change(lambda _name, value: self.set_choice(value), "theme")

    def unbind(self) -> None:
        if self._unbind is not None:
            self._unbind()
            self._unbind = None

    def set_choice(self, choice: str) -> None:
        """``"system"``, ``"light"`` or ``"dark"``; applied at once."""
        if choice not in CHOICES:
            log.warning("unknown theme %r; following the system", choice)
            choice = SYSTEM
        self._choice = choice
        app = QApplication.instance()
        if app is None:
            return
        hints = app.styleHints()
        if not self._hints_connected:
            hints.colorSchemeChanged.connect(self._system_changed)
            self._hints_connected = True
        self._tell_platform(hints, choice)
        self.apply()

    def _tell_platform(self, hints: Any, choice: str) -> None:
        if not hasattr(hints, "setColorScheme"):          # Qt < 6.8
            return
        if choice == SYSTEM:
            hints.unsetColorScheme()
        else:
            hints.setColorScheme(Qt.ColorScheme.Dark if choice == DARK else Qt.ColorScheme.Light)

    def _system_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._choice == SYSTEM:
            self.apply()

    # -- applying -----------------------------------------------------------------------------

    def wanted_dark(self) -> bool | None:
        """Dark (True), light (False), or whatever the platform's palette is (None)."""
        if self._choice != SYSTEM:
            return self._choice == DARK
        scheme = self.system_scheme()
        if scheme == Qt.ColorScheme.Dark:
            return True
        if scheme == Qt.ColorScheme.Light:
            return False
        return None

    @staticmethod
    def system_scheme() -> Qt.ColorScheme:
        """The OS colour scheme as Qt reads it (``Unknown`` where the platform does not say)."""
        app = QApplication.instance()
        return app.styleHints().colorScheme() if app is not None else Qt.ColorScheme.Unknown

    def apply(self) -> None:
        app = QApplication.instance()
        if app is None:
            return
        wanted = self.wanted_dark()
        if self._choice == SYSTEM:
            app.setPalette(QPalette())            # back to the platform's own palette
            if wanted is not None and theme.is_dark(app.palette()) != wanted:
                app.setPalette(dark_palette() if wanted else light_palette())
        else:
            app.setPalette(dark_palette() if wanted else light_palette())
        theme.clear_caches()
        dark = theme.is_dark(app.palette())
        log.info("theme %s: a %s palette", self._choice, "dark" if dark else "light")
        self.changed.emit(dark)


_instance: ThemeSwitch | None = None


def theme_switch() -> ThemeSwitch:
    global _instance
    if _instance is None:
        _instance = ThemeSwitch()
    return _instance

"""Which key sends, per composer kind: the ``chat_send_key`` / ``ticket_send_key`` preferences.

One :class:`SendKeys` per process (:func:`send_keys`), bound once to the typed
:class:`~supportdesk_qt.core.settings.Preferences` by the app (:meth:`SendKeys.bind`). Every
composer reads its kind's key when it is made and follows :attr:`SendKeys.changed`, so a change
in the settings applies to the composers already open. Unbound (widget tests), the defaults of
the options apply: Enter sends in chats, Ctrl+Enter in tickets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from supportdesk_qt.qt import QObject, Signal

ENTER = "enter"
CTRL_ENTER = "ctrl_enter"
CHOICES = (ENTER, CTRL_ENTER)
#: composer kind -> the Preferences option holding its send key
OPTIONS = {"chat": "chat_send_key", "ticket": "ticket_send_key"}
DEFAULTS = {"chat": ENTER, "ticket": CTRL_ENTER}


class SendKeys(QObject):
    #: A kind's send key changed: (kind, key).
    changed = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._keys = dict(DEFAULTS)
        self._unbind: Callable[[], None] | None = None

    def key(self, kind: str) -> str:
        return self._keys.get(kind, ENTER)

    def set_key(self, kind: str, key: str) -> None:
        if key not in CHOICES or self._keys.get(kind) == key:
            return
        self._keys[kind] = key
        self.changed.emit(kind, key)

    def bind(self, prefs: Any) -> None:
        """Follow ``prefs`` (a Preferences store) from now on."""
        if self._unbind is not None:
            self._unbind()
        for kind, option in OPTIONS.items():
            self.set_key(kind, prefs.get(option))

        def on_change(name: str, value: Any) -> None:
            for kind, option in OPTIONS.items():
                if option == name:
                    self.set_key(kind, value)

        self._unbind = prefs.on_change(on_change)


_instance: SendKeys | None = None


def send_keys() -> SendKeys:
    global _instance
    if _instance is None:
        _instance = SendKeys()
    return _instance

"""The action registry: every command of the desk declared once, as a ``QAction``.

A command has an id (``"chat.take_oldest"``), a translated text, default shortcuts, a slot, and
an enabled (and, for a checkable one, checked) state given as a callable::

    registry = ActionRegistry(window)
    registry.add("tab.close", tr("&Close tab"), window.tab_manager.close_current_tab,
                 shortcuts=("Ctrl+W",), enabled=lambda: window.tabs.count() > 1)
    menu.addAction(registry["tab.close"])         # menus and buttons use the same QAction
    registry.entries()                            # id, text, shortcuts, enabled: for the
                                                  # shortcut sheet and the command palette

Every action is added to the host widget with ``Qt.WindowShortcut``, so its shortcuts work
anywhere in that window. The enabled and checked callables are read by :meth:`refresh`
(the owner calls it when what they depend on changes, and every menu built by :meth:`fill_menu`
before it shows) and once more when the action fires: a command never runs while its callable
says no.

A button that runs a command (the chat tab's Forward and End, the composer's Replies) is bound
to it with :meth:`ActionRegistry.bind_button`: its tooltip names the command's current keys and
follows a change in the settings at once; a global button also takes the command's enabled state
and runs the command when clicked::

    registry.bind_button(tab.forward_button, "chat.forward", tip=tr("Hand the chat on"))

Shortcuts the person changed are *overrides* (``{id: "Ctrl+T"}``, Qt's portable text, several
keys separated by ``"; "``, ``""`` for none), kept in ``Preferences.shortcuts``; :meth:`bind`
applies them and follows later changes at once. Two commands never share a key:
:func:`find_conflict` is the one check, used here and by the settings page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from supportdesk_qt.qt import (
    QAbstractButton,
    QAction,
    QKeySequence,
    QMenu,
    QObject,
    Qt,
    QWidget,
    Signal,
    Slot,
    qt_is_valid,
)

if TYPE_CHECKING:
    from supportdesk_qt.core.settings import Preferences

log = logging.getLogger("supportdesk.ui.actions")

Keys = tuple[QKeySequence, ...]
KeySpec = str | QKeySequence | QKeySequence.StandardKey


def keys_of(specs: Iterable[KeySpec]) -> Keys:
    """Key sequences from portable text, sequences or standard keys (every platform binding of a
    standard key), without empties and duplicates, in order."""
    out: list[QKeySequence] = []
    for spec in specs:
        if isinstance(spec, QKeySequence.StandardKey):
            found = QKeySequence.keyBindings(spec)
        elif isinstance(spec, QKeySequence):
            found = [spec]
        else:
            found = [QKeySequence.fromString(spec, QKeySequence.SequenceFormat.PortableText)]
        out.extend(k for k in found if not k.isEmpty() and k not in out)
    return tuple(out)


def keys_to_text(keys: Sequence[QKeySequence]) -> str:
    """Portable text to store (``"Ctrl+W; Ctrl+F4"``)."""
    return "; ".join(k.toString(QKeySequence.SequenceFormat.PortableText) for k in keys)


def keys_from_text(text: str) -> Keys | None:
    """The keys stored by :func:`keys_to_text`; ``()`` for ``""``, None when unreadable."""
    parts = [p.strip() for p in text.split(";") if p.strip()]
    keys = tuple(QKeySequence.fromString(p, QKeySequence.SequenceFormat.PortableText)
                 for p in parts)
    if any(k.isEmpty() or k.toString() == "" for k in keys):
        return None
    return keys


def native_text(keys: Sequence[QKeySequence]) -> str:
    """The keys as the person reads them on this platform (``"Ctrl+W, Ctrl+F4"``)."""
    return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)


def clashes(a: QKeySequence, b: QKeySequence) -> bool:
    """The same key, or one is the start of the other (Qt could not tell them apart)."""
    if a.isEmpty() or b.isEmpty():
        return False
    none = QKeySequence.SequenceMatch.NoMatch
    return a.matches(b) != none or b.matches(a) != none


def find_conflict(assignments: Mapping[str, Sequence[QKeySequence]], action_id: str,
                  keys: Sequence[QKeySequence]) -> tuple[str, QKeySequence] | None:
    """The other command (and the key) among ``assignments`` that already uses one of ``keys``
    for ``action_id``; None when they are free."""
    for other, taken in assignments.items():
        if other == action_id:
            continue
        for key in keys:
            if any(clashes(key, t) for t in taken):
                return other, key
    return None


def plain(text: str) -> str:
    """A menu text without its mnemonic marks ("&Settings…" -> "Settings…", "&&" -> "&")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


@dataclass(frozen=True)
class ActionEntry:
    """One command as the shortcut sheet and the command palette list it."""

    id: str
    text: str                       # translated, without mnemonic
    shortcuts: Keys
    enabled: bool
    checked: bool | None            # None: not checkable
    category: str

    @property
    def shortcut_text(self) -> str:
        return native_text(self.shortcuts)


@dataclass
class _Command:
    id: str
    action: QAction
    slot: Callable[[], object]
    defaults: Keys
    enabled: Callable[[], bool] | None
    checked: Callable[[], bool] | None
    category: str
    tip: str
    keys: Keys = field(default=())


class _ButtonBinding(QObject):
    """Keeps one button's tooltip (and, when asked, its enabled state) its command's; a child of
    the button, so the connection goes with it."""

    def __init__(self, registry: ActionRegistry, button: QAbstractButton, action_id: str,
                 tip: str, follow_enabled: bool) -> None:
        super().__init__(button)
        self._registry = registry
        self._button = button
        self._id = action_id
        self._tip = tip
        self._follow_enabled = follow_enabled
        registry[action_id].changed.connect(self.sync)
        self.sync()

    @Slot()
    def sync(self) -> None:
        self._button.setToolTip(self._registry.tooltip(self._id, self._tip))
        if self._follow_enabled:
            self._button.setEnabled(self._registry[self._id].isEnabled())


class ShortcutConflict(ValueError):
    """``keys`` for ``action_id`` are already ``other_id``'s; ``sentence`` says so."""

    def __init__(self, action_id: str, other_id: str, key: QKeySequence, sentence: str) -> None:
        super().__init__(sentence)
        self.action_id = action_id
        self.other_id = other_id
        self.key = key
        self.sentence = sentence


class ActionRegistry(QObject):
    """The commands of one window. See the module docstring."""

    #: Shortcuts changed (an override was applied): the shortcut sheet redraws.
    shortcutsChanged = Signal()

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self._host = host
        self._commands: dict[str, _Command] = {}
        self._unbind: Callable[[], None] | None = None

    # -- declaring -----------------------------------------------------------------------------

    def add(self, action_id: str, text: str, slot: Callable[[], object], *,
            shortcuts: Iterable[KeySpec] = (), enabled: Callable[[], bool] | None = None,
            checked: Callable[[], bool] | None = None, category: str = "",
            tip: str = "", object_name: str = "") -> QAction:
        """Declare one command; returns its ``QAction`` (owned by the registry)."""
        if action_id in self._commands:
            raise ValueError(f"action {action_id!r} is declared twice")
        action = QAction(text, self)
        action.setObjectName(object_name or action_id)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setCheckable(checked is not None)
        command = _Command(action_id, action, slot, keys_of(shortcuts), enabled, checked,
                           category, tip)
        clash = find_conflict(self.assignments(), action_id, command.defaults)
        if clash is not None:
            raise ValueError(f"default keys of {action_id!r} clash with {clash[0]!r}")
        self._commands[action_id] = command
        action.triggered.connect(lambda _checked=False, c=command: self._run(c))
        self._set_keys(command, command.defaults)
        self._host.addAction(action)
        return action

    # -- reading ---------------------------------------------------------------------------------

    def __getitem__(self, action_id: str) -> QAction:
        return self._commands[action_id].action

    def __contains__(self, action_id: object) -> bool:
        return action_id in self._commands

    def ids(self) -> list[str]:
        return list(self._commands)

    def text(self, action_id: str) -> str:
        return plain(self._commands[action_id].action.text())

    def defaults(self, action_id: str) -> Keys:
        return self._commands[action_id].defaults

    def shortcuts(self, action_id: str) -> Keys:
        return self._commands[action_id].keys

    def assignments(self) -> dict[str, Keys]:
        """Every command's current keys, by id."""
        return {cid: c.keys for cid, c in self._commands.items()}

    def entries(self) -> list[ActionEntry]:
        """Every command in declaration order, its enabled state read now."""
        self.refresh()
        return [ActionEntry(c.id, plain(c.action.text()), c.keys, c.action.isEnabled(),
                            c.action.isChecked() if c.checked is not None else None, c.category)
                for c in self._commands.values()]

    def tooltip(self, action_id: str, tip: str = "") -> str:
        """``tip`` (default: the command's own) with the command's current keys:
        "Forward the chat… (Ctrl+Shift+F)"."""
        command = self._commands[action_id]
        tip = tip or command.tip or plain(command.action.text())
        return f"{tip} ({native_text(command.keys)})" if command.keys else tip

    def bind_button(self, button: QAbstractButton, action_id: str, *, tip: str = "",
                    run: bool = True) -> None:
        """Show ``action_id``'s current keys in ``button``'s tooltip (after ``tip``, by default
        the command's own), kept current. With ``run`` the button is the command's: a click
        runs it and the button is enabled when the command is. Without, the button keeps its own
        click and enabled state (a tab's button acting on its own tab)."""
        _ButtonBinding(self, button, action_id, tip, follow_enabled=run)
        if run:
            button.clicked.connect(lambda _checked=False: self.trigger(action_id))

    def conflict_sentence(self, key: QKeySequence, other_id: str) -> str:
        return self.tr("%1 is already the shortcut of “%2”. Choose another key, or change "
                       "that command's shortcut first.").replace(
            "%1", key.toString(QKeySequence.SequenceFormat.NativeText)).replace(
            "%2", self.text(other_id))

    # -- running ---------------------------------------------------------------------------------

    def trigger(self, action_id: str) -> None:
        """Run a command as its menu item or shortcut would."""
        command = self._commands[action_id]
        self._refresh_one(command)
        if command.action.isEnabled():
            command.action.trigger()

    def _run(self, command: _Command) -> None:
        if command.enabled is not None and not command.enabled():
            self._refresh_one(command)      # shown enabled a moment too long: now it is not
            return
        command.slot()
        self._refresh_one(command)          # a checked state follows what the slot did

    @Slot()
    def refresh(self) -> None:
        """Read every enabled and checked callable again."""
        for command in self._commands.values():
            self._refresh_one(command)

    def _refresh_one(self, command: _Command) -> None:
        if command.enabled is not None:
            command.action.setEnabled(bool(command.enabled()))
        if command.checked is not None:
            command.action.setChecked(bool(command.checked()))

    # -- menus -------------------------------------------------------------------------------------

    def fill_menu(self, menu: QMenu, ids: Iterable[str | None]) -> None:
        """Add these commands to ``menu`` (None: a separator); states are read before it shows."""
        for action_id in ids:
            if action_id is None:
                menu.addSeparator()
            else:
                menu.addAction(self[action_id])
        menu.aboutToShow.connect(self.refresh)

    # -- shortcuts ---------------------------------------------------------------------------------

    def set_shortcuts(self, action_id: str, keys: Sequence[QKeySequence]) -> None:
        """Give a command these keys now; :class:`ShortcutConflict` if another one has one."""
        clash = find_conflict(self.assignments(), action_id, keys)
        if clash is not None:
            raise ShortcutConflict(action_id, clash[0], clash[1],
                                   self.conflict_sentence(clash[1], clash[0]))
        self._set_keys(self._commands[action_id], tuple(keys))
        self.shortcutsChanged.emit()

    def apply_overrides(self, overrides: Mapping[str, str]) -> None:
        """Defaults everywhere, then the person's keys (unknown ids, unreadable keys and keys
        another command already has are skipped, with a warning in the log)."""
        for command in self._commands.values():
            command.keys = ()
        wanted: dict[str, Keys] = {}
        chosen: set[str] = set()
        for cid, command in self._commands.items():
            keys = keys_from_text(overrides[cid]) if cid in overrides else None
            if keys is None and cid in overrides:
                log.warning("shortcut %r for %s is not readable; using the default",
                            overrides[cid], cid)
            if keys is not None:
                chosen.add(cid)
            wanted[cid] = keys if keys is not None else command.defaults
        # the person's choices first, so a default never pushes out a key they chose
        order = sorted(wanted, key=lambda cid: cid not in chosen)
        for cid in order:
            command = self._commands[cid]
            clash = find_conflict(self.assignments(), cid, wanted[cid])
            if clash is not None:
                log.warning("shortcut %s of %s is already %s's; left out",
                            clash[1].toString(), cid, clash[0])
                keys = tuple(k for k in wanted[cid] if find_conflict(
                    self.assignments(), cid, (k,)) is None)
            else:
                keys = wanted[cid]
            command.keys = keys
        for command in self._commands.values():
            self._set_keys(command, command.keys)
        unknown = set(overrides) - set(self._commands)
        if unknown:
            log.info("shortcuts for unknown commands kept but not used: %s", sorted(unknown))
        self.shortcutsChanged.emit()

    def overrides_for(self, assignments: Mapping[str, Sequence[QKeySequence]]) -> dict[str, str]:
        """The overrides that give these keys: only the commands whose keys differ from their
        defaults."""
        return {cid: keys_to_text(keys) for cid, keys in assignments.items()
                if cid in self._commands and tuple(keys) != self._commands[cid].defaults}

    def bind(self, prefs: Preferences) -> None:
        """Apply ``prefs.shortcuts`` now and whenever it changes."""
        self._drop_binding()
        self.apply_overrides(prefs.shortcuts)

        def follow(_name: str, value: dict) -> None:
            if qt_is_valid(self):
                self.apply_overrides(value)
            else:                           # the window is gone: stop listening
                self._drop_binding()

        self._unbind = prefs.on_change(follow, "shortcuts")

    def _drop_binding(self) -> None:
        if self._unbind is not None:
            self._unbind()
            self._unbind = None

    def _set_keys(self, command: _Command, keys: Keys) -> None:
        command.keys = keys
        command.action.setShortcuts(list(keys))
        command.action.setToolTip(self.tooltip(command.id))

"""The settings dialog: notifications and sounds per event, tray behaviour, the keys that send in
the composers, theme and language.

Wiring (user menu)::

    dialog = SettingsDialog(prefs, window, sound_names=platform.sound.SOUND_NAMES)
    settings_action.triggered.connect(dialog.open_dialog)   # non-modal; never exec()

Every widget edits a copy; **Apply** and **OK** write all of them to the typed
:class:`~supportdesk_qt.core.settings.Preferences` in one batch (the store's change callbacks tell
the tray, notifier and sounds), **Cancel** (or Esc, or closing the window) discards the edits, and
the next :meth:`SettingsDialog.open_dialog` shows the stored values again. Invalid input cannot be
typed: check boxes, combo boxes limited to the option's choices and spin boxes limited to its range.

The theme applies as soon as it is saved (``ui/theme_switch.py`` follows the preference), and
so does the language (the app rebuilds its window: ``supportdesk_qt/language_switch.py``; the
names of the languages are written in their own language).

Given the window's action registry (``commands=``), a second page edits the keyboard shortcuts
(:mod:`.shortcuts_page`). A key two commands would share (or one that would type into text boxes)
is refused: Apply and OK save nothing, the page comes to the front with the sentence, and the form
keeps what was typed.
"""

from __future__ import annotations

from typing import Any

from supportdesk_qt.core.settings import Preferences
from supportdesk_qt.platform import autostart
from supportdesk_qt.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from supportdesk_qt.ui.actions import ActionRegistry
from supportdesk_qt.ui.panels.shortcuts_page import ShortcutsPage
from supportdesk_qt.ui.common.labels import muted_label

# event -> (tray option, sound on/off option, which-sound option); None where there is none
EVENTS: tuple[tuple[str, str, str | None, str | None], ...] = (
    ("new_chat", "notify_new_chat_tray", "notify_new_chat_sound", "new_chat_sound"),
    ("message", "notify_message_tray", "notify_message_sound", "message_sound"),
    ("forwarded", "notify_forwarded_tray", "notify_forwarded_sound", "forwarded_sound"),
    ("forward_returned", "notify_forward_returned_tray", "notify_forward_returned_sound",
     "forward_returned_sound"),
    ("error", "notify_error_tray", None, None),
)
REPEAT_OPTION = "new_chat_sound_repeat_seconds"
REPEAT_MAX = 3600
VOLUME_OPTION = "sound_volume"


class SettingsDialog(QDialog):
    #: The edits were written to the preferences (Apply or OK).
    applied = Signal()

    def __init__(self, prefs: Preferences, parent: QWidget | None = None, *,
                 sound_names: list[str] | tuple[str, ...] | None = None,
                 commands: ActionRegistry | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.setModal(False)
        self._prefs = prefs
        self._sound_names = self._usable_sounds(sound_names)
        # option name -> (getter, setter) of the widget that edits it
        self._editors: dict[str, tuple[Any, Any]] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(12)
        self.pages = QTabWidget(self)
        self.pages.setObjectName("settingsPages")
        general = QWidget(self.pages)
        column = QVBoxLayout(general)
        column.setSpacing(12)
        column.addWidget(self._notifications_box())
        column.addWidget(self._general_box())
        column.addWidget(self._writing_box())
        column.addWidget(self._appearance_box())
        column.addStretch(1)
        self.pages.addTab(general, self.tr("General"))
        self.shortcuts_page = ShortcutsPage(commands, self.pages) if commands is not None else None
        if self.shortcuts_page is not None:
            self.pages.addTab(self.shortcuts_page, self.tr("Keyboard shortcuts"))
        layout.addWidget(self.pages, 1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.RestoreDefaults, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(
            self.restore_defaults)
        layout.addWidget(self.buttons)
        self.load()

    # -- building ------------------------------------------------------------------------------

    def _usable_sounds(self, names: list[str] | tuple[str, ...] | None) -> list[str]:
        """The names offered: those passed in that every sound option accepts (so nothing
        invalid can be chosen); all the options' choices when none are passed."""
        allowed: tuple[str, ...] | None = None
        for _event, _tray, _sound, which in EVENTS:
            if which:
                choices = Preferences.option(which).choices or ()
                allowed = tuple(c for c in choices if allowed is None or c in allowed)
        allowed = allowed or ()
        if not names:
            return list(allowed)
        return [n for n in names if n in allowed] or list(allowed)

    def event_label(self, event: str) -> str:
        return {"new_chat": self.tr("New chat waiting"),
                "message": self.tr("New message"),
                "forwarded": self.tr("Chat forwarded to me"),
                "forward_returned": self.tr("Forward returned"),
                "error": self.tr("Errors (connection lost)")}[event]

    def sound_label(self, name: str) -> str:
        return {"chime": self.tr("Chime"), "bell": self.tr("Bell"),
                "ping": self.tr("Ping")}.get(name, name.replace("_", " ").capitalize())

    def _check(self, name: str, text: str = "") -> QCheckBox:
        box = QCheckBox(text, self)
        box.setObjectName(name)
        box.setToolTip(Preferences.option(name).doc)
        self._editors[name] = (box.isChecked, box.setChecked)
        return box

    def _combo(self, name: str, items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        for label, value in items:
            combo.addItem(label, value)

        def get() -> str:
            return combo.currentData()

        def put(value: str) -> None:
            i = combo.findData(value)
            combo.setCurrentIndex(i if i >= 0 else 0)

        self._editors[name] = (get, put)
        return combo

    def _spin(self, name: str, minimum: int, maximum: int, suffix: str = "") -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(minimum, maximum)
        spin.setSuffix(suffix)
        spin.setAccelerated(True)
        spin.setToolTip(Preferences.option(name).doc)
        self._editors[name] = (spin.value, spin.setValue)
        return spin

    def _label(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    def _muted(self, text: str) -> QLabel:
        return muted_label(text, self)

    def _notifications_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Notifications"), self)
        outer = QVBoxLayout(box)
        grid = QGridLayout()
        outer.addLayout(grid)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        for col, text in enumerate((self.tr("Event"), self.tr("Desktop message"), self.tr("Sound"),
                                    self.tr("Which sound"))):
            head = self._muted(text)
            head.setWordWrap(False)
            grid.addWidget(head, 0, col)
        sounds = [(self.sound_label(n), n) for n in self._sound_names]
        for row, (event, tray, sound, which) in enumerate(EVENTS, start=1):
            grid.addWidget(self._label(self.event_label(event)), row, 0)
            tray_box = self._check(tray)
            tray_box.setAccessibleName(self.tr("Desktop message: %1").replace(
                "%1", self.event_label(event)))
            grid.addWidget(tray_box, row, 1, Qt.AlignmentFlag.AlignHCenter)
            if sound and which:
                sound_box = self._check(sound)
                sound_box.setAccessibleName(self.tr("Sound: %1").replace(
                    "%1", self.event_label(event)))
                grid.addWidget(sound_box, row, 2, Qt.AlignmentFlag.AlignHCenter)
                combo = self._combo(which, sounds)
                combo.setEnabled(sound_box.isChecked())
                sound_box.toggled.connect(combo.setEnabled)
                grid.addWidget(combo, row, 3)
            else:
                none = self._muted(self.tr("no sound"))
                none.setWordWrap(False)
                grid.addWidget(none, row, 2, 1, 2, Qt.AlignmentFlag.AlignHCenter)
        grid.setColumnStretch(0, 1)
        self.persistence_note = self._muted(self.tr(
            "New chats share one desktop message that updates as more arrive. While you are "
            "away from the desk (its window hidden, minimised or not in front) chat messages "
            "stay on screen until you close them; otherwise they disappear after a few seconds."))
        self.persistence_note.setObjectName("notificationPersistenceNote")

        form = QFormLayout()
        form.setContentsMargins(0, 8, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.setHorizontalSpacing(14)
        self.repeat_spin = self._spin(REPEAT_OPTION, 0, REPEAT_MAX, self.tr(" s"))
        self.repeat_spin.setSpecialValueText(self.tr("Never"))
        self.repeat_spin.setSingleStep(5)
        form.addRow(self._label(self.tr("Repeat the new-chat sound every")), self.repeat_spin)
        self.volume_spin = self._spin(VOLUME_OPTION, 0, 100, self.tr(" %"))
        self.volume_spin.setSingleStep(5)
        form.addRow(self._label(self.tr("Sound volume")), self.volume_spin)
        outer.addWidget(self.persistence_note)
        outer.addLayout(form)
        return box

    def _general_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("General"), self)
        lay = QVBoxLayout(box)
        lay.addWidget(self._check("close_to_tray", self.tr(
            "Closing the window keeps SupportDesk running in the tray")))
        if autostart.supported():
            lay.addWidget(self._check("autostart", self.tr("Start SupportDesk when I log in")))
        lay.addWidget(self._check("start_minimised", self.tr("Start minimised to the tray")))
        return box

    def _writing_box(self) -> QGroupBox:
        """Which key sends in chats and in tickets (ui/compose/send_keys.py)."""
        box = QGroupBox(self.tr("Writing"), self)
        form = QFormLayout(box)
        keys = [(self.tr("Enter (Shift+Enter adds a line)"), "enter"),
                (self.tr("Ctrl+Enter (Enter adds a line)"), "ctrl_enter")]
        for name, text in (("chat_send_key", self.tr("Send a chat message with")),
                           ("ticket_send_key", self.tr("Send a ticket reply or note with"))):
            combo = self._combo(name, keys)
            combo.setToolTip(Preferences.option(name).doc)
            form.addRow(self._label(text), combo)
        return box

    def _appearance_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Appearance"), self)
        form = QFormLayout(box)
        self.theme_combo = self._combo("theme", [
            (self.tr("Same as the system"), "system"), (self.tr("Light"), "light"),
            (self.tr("Dark"), "dark")])
        self.theme_combo.setToolTip(self.tr("Light or dark colours; “Same as the system” "
                                            "follows the colour scheme of the desktop."))
        form.addRow(self._label(self.tr("Theme")), self.theme_combo)
        form.addRow(self._label(self.tr("Language")), self._combo("language", [
            (self.tr("Same as the system"), "system"), ("English", "en"), ("Русский", "ru")]))
        self.appearance_note = self._muted(self.tr(
            "The theme and the language apply at once."))
        form.addRow(self.appearance_note)
        return box

    # -- values ----------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What the widgets show now, by option name."""
        return {name: get() for name, (get, _put) in self._editors.items()}

    def load(self) -> None:
        """Show the stored preferences (discarding edits)."""
        for name, (_get, put) in self._editors.items():
            put(self._prefs.get(name))
        if self.shortcuts_page is not None:
            self.shortcuts_page.load()

    def restore_defaults(self) -> None:
        """Show the defaults; nothing is stored until Apply or OK."""
        for name, (_get, put) in self._editors.items():
            put(Preferences.option(name).default)
        if self.shortcuts_page is not None:
            self.shortcuts_page.restore_defaults()

    def apply(self) -> bool:
        """Write every edited value to the preferences, in one save. With a shortcut refused
        nothing is written: the shortcuts page comes to the front with the reason (False)."""
        page = self.shortcuts_page
        if page is not None and page.problem():
            self.pages.setCurrentWidget(page)
            return False
        values = self.values()
        if page is not None:
            values["shortcuts"] = page.overrides()
        changed = {name: value for name, value in values.items()
                   if self._prefs.option(name).is_valid(value) and value != self._prefs.get(name)}
        if changed:
            self._prefs.update(**changed)
        self.applied.emit()
        return True

    def open_dialog(self) -> None:
        """Show the stored values and open (non-modal); raise it if it is already open."""
        if self.isVisible():
            self.raise_()
            self.activateWindow()
            return
        self.load()
        self.open()

    # -- QDialog ---------------------------------------------------------------------------------

    def open(self) -> None:
        """Show without blocking (QDialog.open() would make it window-modal; this one is not)."""
        self.setWindowModality(Qt.WindowModality.NonModal)
        if not self.property("sized"):
            # the wrapped notes need the height for the dialog's width (height-for-width),
            # which only adjustSize() asks the layout for
            self.setProperty("sized", True)
            self.layout().activate()
            self.resize(self.width(), self.layout().totalHeightForWidth(self.width()))
        self.show()

    def accept(self) -> None:
        if self.apply():
            super().accept()

    def reject(self) -> None:
        self.load()                    # the edits are gone; the next open shows what is stored
        super().reject()

"""The settings' "Keyboard shortcuts" page: one row per command of the action registry.

Each row has the command's text, a ``QKeySequenceEdit`` with its (first) key, the other keys it
has by default (``also Ctrl+PgDown``) as long as the first one is not changed, and a button
that puts its defaults back. Typing a key another command has (in this form, not only as
stored) shows the sentence of :meth:`ActionRegistry.conflict_sentence` under the table and keeps
what was typed; :meth:`ShortcutsPage.problem` is what the dialog asks before it saves anything.
The form edits a copy: the dialog stores :meth:`ShortcutsPage.overrides` in
``Preferences.shortcuts``, and the registry, bound to it, applies them at once.
"""

from __future__ import annotations

from functools import partial

from supportdesk_qt.qt import (
    QFrame,
    QGridLayout,
    QKeySequence,
    QKeySequenceEdit,
    QLabel,
    QPushButton,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from supportdesk_qt.ui.actions import ActionRegistry, Keys, find_conflict, native_text
from supportdesk_qt.ui.panels._common import error_label, muted_label

_COMMAND_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                      | Qt.KeyboardModifier.MetaModifier)


_EDITING_KEYS = frozenset(k.value for k in (
    Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Backspace,
    Qt.Key.Key_Delete, Qt.Key.Key_Insert, Qt.Key.Key_Escape, Qt.Key.Key_Home, Qt.Key.Key_End,
    Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown))


_SEND_KEYS = frozenset(k.value for k in (Qt.Key.Key_Return, Qt.Key.Key_Enter))


def types_text(key: QKeySequence) -> bool:
    """A key the text boxes need, which a window shortcut would take from them: one that types
    or edits (a letter, a digit, Shift+letter, Enter, the arrows…) or Ctrl+Enter, a send key of
    the composers (ui/compose/send_keys.py). Free: other combinations with Ctrl, Alt or Meta,
    and keys that type nothing (F1–F35, the keyboard's Find or Close keys)."""
    if key.isEmpty():
        return False
    combo = key[0]
    code = combo.key().value
    if combo.keyboardModifiers() & _COMMAND_MODIFIERS:
        return code in _SEND_KEYS
    return code < Qt.Key.Key_Escape.value or code in _EDITING_KEYS


class ShortcutsPage(QWidget):
    """See the module docstring. ``edited`` fires on every change in the form."""

    edited = Signal()

    def __init__(self, commands: ActionRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsPage")
        self._commands = commands
        self._keys: dict[str, Keys] = {}
        self.edits: dict[str, QKeySequenceEdit] = {}
        self._also: dict[str, QLabel] = {}
        self._problem = ""

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)
        intro = self._muted(self.tr("Click a shortcut and press the new keys. Every command "
                                    "keeps keys of its own; the × in the field leaves it without one."))
        outer.addWidget(intro)
        scroll = QScrollArea(self)
        scroll.setObjectName("shortcutsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.StyledPanel)
        table = QWidget(scroll)
        grid = QGridLayout(table)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        for col, text in enumerate((self.tr("Command"), self.tr("Shortcut"), "", "")):
            grid.addWidget(self._muted(text, wrap=False), 0, col)
        row, category = 0, None
        for entry in commands.entries():
            row += 1
            if entry.category != category:          # "Chats", "Status", "Tabs", "Desk"
                category = entry.category
                head = QLabel(category, table)
                head.setTextFormat(Qt.TextFormat.PlainText)
                font = head.font()
                font.setBold(True)
                head.setFont(font)
                grid.addWidget(head, row, 0, 1, 4)
                row += 1
            label = QLabel(entry.text, table)
            label.setTextFormat(Qt.TextFormat.PlainText)
            edit = QKeySequenceEdit(table)
            edit.setObjectName(f"shortcut:{entry.id}")
            edit.setMaximumSequenceLength(1)
            edit.setClearButtonEnabled(True)
            edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("Ctrl+Shift+Backtab") + 48)
            edit.setAccessibleName(self.tr("Shortcut: %1").replace("%1", entry.text))
            label.setBuddy(edit)
            edit.keySequenceChanged.connect(partial(self._typed, entry.id))
            also = self._muted("", wrap=False)
            reset = QPushButton(self.tr("Default"), table)
            reset.setObjectName(f"resetShortcut:{entry.id}")
            reset.setAutoDefault(False)
            reset.setToolTip(self.tr("Back to %1").replace(
                "%1", native_text(commands.defaults(entry.id)) or self.tr("no shortcut")))
            reset.clicked.connect(partial(self._reset, entry.id))
            for col, widget in enumerate((label, edit, also, reset)):
                grid.addWidget(widget, row, col)
            self.edits[entry.id] = edit
            self._also[entry.id] = also
        grid.setColumnStretch(0, 1)
        grid.setRowStretch(grid.rowCount(), 1)
        scroll.setWidget(table)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(scroll, 1)
        self.conflict_label = error_label(self, "shortcutConflict")
        outer.addWidget(self.conflict_label)
        self.load()
        for cid, also in self._also.items():     # room for the longest "also …" of the defaults
            rest = commands.defaults(cid)[1:]
            if rest:
                also.setMinimumWidth(also.fontMetrics().horizontalAdvance(
                    self.tr("also %1").replace("%1", native_text(rest))))
        scroll.setMinimumWidth(table.sizeHint().width()
                               + scroll.verticalScrollBar().sizeHint().width() + 4)

    def _muted(self, text: str, *, wrap: bool = True) -> QLabel:
        return muted_label(text, self, wrap=wrap)

    # -- values ------------------------------------------------------------------------------------

    def load(self) -> None:
        """Show the keys the commands have now (discarding edits)."""
        self._show(self._commands.assignments())

    def restore_defaults(self) -> None:
        """Show every command's default keys; nothing is stored until the dialog saves."""
        self._show({cid: self._commands.defaults(cid) for cid in self.edits})

    def assignments(self) -> dict[str, Keys]:
        """What the form shows, by command id."""
        return dict(self._keys)

    def overrides(self) -> dict[str, str]:
        """What to store in ``Preferences.shortcuts`` for the form's keys."""
        return self._commands.overrides_for(self._keys)

    def problem(self) -> str:
        """The sentence that stops saving ("" when the form can be saved)."""
        return self._problem

    # -- editing -------------------------------------------------------------------------------------

    def _show(self, assignments: dict[str, Keys]) -> None:
        for cid in self.edits:
            self._put(cid, tuple(assignments.get(cid, ())))
        self._check(None)

    def _put(self, action_id: str, keys: Keys) -> None:
        self._keys[action_id] = keys
        edit = self.edits[action_id]
        edit.blockSignals(True)
        edit.setKeySequence(keys[0] if keys else QKeySequence())
        edit.blockSignals(False)
        self._paint_also(action_id)

    def _typed(self, action_id: str, key: QKeySequence) -> None:
        self._keys[action_id] = (key,) if not key.isEmpty() else ()
        self._paint_also(action_id)
        self._check(action_id)
        self.edited.emit()

    def _reset(self, action_id: str) -> None:
        self._put(action_id, self._commands.defaults(action_id))
        self._check(action_id)
        self.edited.emit()

    def _paint_also(self, action_id: str) -> None:
        rest = self._keys[action_id][1:]
        self._also[action_id].setText(
            self.tr("also %1").replace("%1", native_text(rest)) if rest else "")

    def _check(self, first: str | None) -> None:
        """The first problem in the form, looking at the row just edited first."""
        order = ([first] if first else []) + [cid for cid in self.edits if cid != first]
        self._problem = ""
        for cid in order:
            keys = self._keys[cid]
            clash = find_conflict(self._keys, cid, keys)
            if clash is not None:
                self._problem = self._commands.conflict_sentence(clash[1], clash[0])
                break
            typing = next((k for k in keys if types_text(k)), None)
            if typing is not None:
                self._problem = self.tr(
                    "%1 belongs to the text boxes (typing, editing or sending). Use another "
                    "combination with Ctrl, Alt or Meta, or a function key.").replace(
                    "%1", typing.toString(QKeySequence.SequenceFormat.NativeText))
                break
        self.conflict_label.setText(self._problem)
        self.conflict_label.setVisible(bool(self._problem))

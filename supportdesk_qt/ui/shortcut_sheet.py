"""The shortcut sheet (F1): every command of the action registry with its keys now, grouped by
category, generated from the registry (``ActionRegistry.entries()``), so a command added
anywhere is listed and a shortcut changed in the settings shows at once
(``shortcutsChanged``). A filter field narrows it (command text or key). Non-modal, so the
agent can keep it open next to the work.
"""

from __future__ import annotations

from supportdesk_qt.qt import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QSortFilterProxyModel,
    QStandardItem,
    QStandardItemModel,
    Qt,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from supportdesk_qt.ui.actions import ActionRegistry
from supportdesk_qt.ui.common.labels import muted_label

IdRole = Qt.ItemDataRole.UserRole + 1


class ShortcutSheetModel(QStandardItemModel):
    """Categories (in the registry's order) holding (command, keys) rows."""

    def __init__(self, commands: ActionRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._commands = commands
        self.setHorizontalHeaderLabels([self.tr("Command"), self.tr("Shortcut")])
        commands.shortcutsChanged.connect(self.rebuild)
        self.rebuild()

    def rebuild(self) -> None:
        self.removeRows(0, self.rowCount())       # the columns (and the view's header) stay
        groups: dict[str, QStandardItem] = {}
        for entry in self._commands.entries():
            name = entry.category or self.tr("Other")
            group = groups.get(name)
            if group is None:
                group = groups[name] = QStandardItem(name)
                group.setEditable(False)
                font = group.font()
                font.setBold(True)
                group.setFont(font)
                none = QStandardItem("")
                none.setEditable(False)
                self.appendRow([group, none])
            text = QStandardItem(entry.text)
            text.setData(entry.id, IdRole)
            text.setToolTip(entry.id)
            keys = QStandardItem(entry.shortcut_text or self.tr("none"))
            keys.setData(entry.id, IdRole)
            for item in (text, keys):
                item.setEditable(False)
            group.appendRow([text, keys])

    def shortcut_of(self, action_id: str) -> str:
        """The keys shown for a command (tests)."""
        for g in range(self.rowCount()):
            group = self.item(g, 0)
            for r in range(group.rowCount()):
                if group.child(r, 0).data(IdRole) == action_id:
                    return group.child(r, 1).text()
        raise KeyError(action_id)


class ShortcutSheet(QDialog):
    def __init__(self, commands: ActionRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutSheet")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.setModal(False)
        self.resize(620, 580)
        self._commands = commands
        self.model = ShortcutSheetModel(commands, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("shortcutSheetFilter")
        self.filter_edit.setPlaceholderText(self.tr("Filter: a command or a key"))
        self.filter_edit.setAccessibleName(self.tr("Filter the shortcuts"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter)
        self.view = QTreeView(self)
        self.view.setObjectName("shortcutSheetList")
        self.view.setAccessibleName(self.tr("Commands and their shortcuts"))
        self.view.setModel(self.proxy)
        self.view.setUniformRowHeights(True)
        self.view.setRootIsDecorated(False)
        self.view.setItemsExpandable(False)
        self.view.setAlternatingRowColors(True)
        self.view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.view.header().setStretchLastSection(False)
        self.proxy.modelReset.connect(self.view.expandAll)
        self.proxy.layoutChanged.connect(self.view.expandAll)
        self.view.expandAll()
        note = muted_label(self.tr("Change a shortcut in Settings, Keyboard shortcuts."), self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.change_button = buttons.addButton(self.tr("Change shortcuts…"),
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.change_button.setObjectName("changeShortcutsButton")
        self.change_button.clicked.connect(self._change)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.filter_edit)
        lay.addWidget(self.view, 1)
        lay.addWidget(note)
        lay.addWidget(buttons)

    def open_sheet(self) -> None:
        """Show (non-modal), or bring to the front when it is open; the filter is cleared."""
        if self.isVisible():
            self.raise_()
            self.activateWindow()
            return
        self.filter_edit.clear()
        self.model.rebuild()                 # texts and enabled states of this moment
        self.view.expandAll()
        self.show()
        self.filter_edit.setFocus()

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self.view.expandAll()

    def _change(self) -> None:
        self.hide()
        if "app.settings" in self._commands:
            self._commands.trigger("app.settings")

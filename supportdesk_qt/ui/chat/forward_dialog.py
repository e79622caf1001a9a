"""Forward a chat to another department (seed: "Forward chat to department").

Non-modal: the chat tab calls ``show()`` (never ``exec()``) and listens to :attr:`forwarded`.
The list shows every other department with the number of colleagues online there, read from the
workspace's one cache of departments (``core/directory.py``; the dialog asks the backend for
nothing but the forward) and refreshed while the dialog is open whenever the cache changes: a
``department.online`` event moves a count, renames a department or brings a new one.
Departments where nobody (but me) is online are shown disabled, "nobody online": the server
refuses those (409). When the server still refuses (the last colleague went offline meanwhile)
its sentence is shown in the dialog and the typed comment stays.
"""

from __future__ import annotations

import asyncio
import logging

from supportdesk_protocol import limits as L
from supportdesk_protocol.schemas import Agent, AgentStatus, Chat, Department
from supportdesk_qt.backend.base import Backend, BackendError
from supportdesk_qt.core.directory import Directory
from supportdesk_qt.qt import (
    QAbstractListModel,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListView,
    QLocale,
    QModelIndex,
    QPlainTextEdit,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.common.labels import error_label
from supportdesk_qt.ui.tasks import TaskRegistry, TaskScope

log = logging.getLogger("supportdesk.ui.chat.forward")

MAX_COMMENT = L.MAX_SUMMARY


class DepartmentModel(QAbstractListModel):
    """Departments a chat can be forwarded to, with the colleagues online in each."""

    IdRole = Qt.ItemDataRole.UserRole + 1
    OnlineRole = Qt.ItemDataRole.UserRole + 2      # colleagues online (me not counted)

    def __init__(self, exclude_id: int, agent: Agent | None, parent=None) -> None:
        super().__init__(parent)
        self._exclude = exclude_id
        self._agent = agent
        self._rows: list[Department] = []

    def _others_online(self, dept: Department) -> int:
        a = self._agent
        me = 1 if (a is not None and a.status == AgentStatus.ONLINE
                   and dept.id in a.department_ids) else 0
        return max(0, dept.online_count - me)

    def set_departments(self, depts: list[Department]) -> bool:
        """Show ``depts``; returns whether the rows were reset (a department came or went).
        The same departments again (a count or a name moved) only change in place, so the
        selection stays."""
        rows = [d for d in depts if d.id != self._exclude]
        if [d.id for d in rows] == [d.id for d in self._rows]:
            changed = [i for i, (a, b) in enumerate(zip(self._rows, rows)) if a != b]
            self._rows = rows
            for i in changed:
                ix = self.index(i)
                self.dataChanged.emit(ix, ix, [Qt.ItemDataRole.DisplayRole, self.OnlineRole])
            return False
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()
        return True

    def row_of(self, dept_id: int) -> int:
        return next((i for i, d in enumerate(self._rows) if d.id == dept_id), -1)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._others_online(self._rows[index.row()]) > 0:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.NoItemFlags

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        d = self._rows[index.row()]
        n = self._others_online(d)
        if role == Qt.ItemDataRole.DisplayRole:
            if n == 0:
                return self.tr("%1 — nobody online").replace("%1", d.name)
            return self.tr("%1 — %Ln online", "", n).replace("%1", d.name)
        if role == Qt.ItemDataRole.ToolTipRole and n == 0:
            return self.tr("Nobody is online in this department: a chat cannot be forwarded there")
        if role == self.IdRole:
            return d.id
        if role == self.OnlineRole:
            return n
        return None


class ForwardDialog(QDialog):
    #: The chat was forwarded: the new chat snapshot and the department's name.
    forwarded = Signal(object, str)

    def __init__(self, backend: Backend, directory: Directory, tasks: TaskRegistry, chat: Chat,
                 agent: Agent | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("forwardDialog")
        self.setWindowTitle(self.tr("Forward chat"))
        self.backend, self.directory, self.chat = backend, directory, chat
        self.tasks = TaskScope(self, tasks)          # cancelled when the dialog is deleted
        self._task: asyncio.Task | None = None

        vl = QVBoxLayout(self)
        intro = QLabel(self.tr("Forward the chat to a department with colleagues online. "
                               "If nobody takes it within 1.5 minutes it comes back."), self)
        intro.setWordWrap(True)
        vl.addWidget(intro)
        self.model = DepartmentModel(chat.department_id, agent, self)
        self.list = QListView(self)
        self.list.setObjectName("forwardDepartments")
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)
        self.list.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.list.setSpacing(3)
        vl.addWidget(self.list, 1)
        cap = QLabel(self.tr("Comment for the colleague (optional)"), self)
        vl.addWidget(cap)
        self.comment = QPlainTextEdit(self)
        self.comment.setObjectName("forwardComment")
        self.comment.setTabChangesFocus(True)
        self.comment.setPlaceholderText(self.tr("What the chat is about, what was tried…"))
        self.comment.setMaximumHeight(self.comment.fontMetrics().lineSpacing() * 5 + 14)
        cap.setBuddy(self.comment)
        vl.addWidget(self.comment)
        self.count_label = QLabel("", self)
        theme.tint(self.count_label, theme.muted_text)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        vl.addWidget(self.count_label)
        self.error_label = error_label(self, "forwardError")
        vl.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.forward_button = self.buttons.addButton(self.tr("Forward"),
                                                     QDialogButtonBox.ButtonRole.AcceptRole)
        self.forward_button.setObjectName("forwardButton")
        self.buttons.rejected.connect(self.reject)
        self.forward_button.clicked.connect(self.submit)
        vl.addWidget(self.buttons)
        self.resize(420, 360)

        self.comment.textChanged.connect(self._update_state)
        self.list.selectionModel().selectionChanged.connect(self._update_state)
        self.model.dataChanged.connect(self._update_state)
        self.model.modelReset.connect(self._update_state)
        self._update_state()
        # the cache, now and whenever it changes; followed until the dialog goes
        self.tasks.on_close(directory.watch(self._show_departments, spawn=self.tasks.spawn,
                                            on_error=self._load_failed))

    # -- data ------------------------------------------------------------------------------------

    @property
    def is_loaded(self) -> bool:
        return self.directory.loaded

    def _show_departments(self) -> None:
        selected = self.selected_department_id()
        depts = sorted(self.directory.departments.values(), key=lambda d: d.id)
        if self.model.set_departments(depts) and selected is not None:
            self.select_department(selected)

    def _load_failed(self, exc: BackendError) -> None:
        self._show_error(self.tr("The departments could not be loaded: %1")
                         .replace("%1", exc.message))

    # -- selection -------------------------------------------------------------------------------

    def selected_department_id(self) -> int | None:
        rows = self.list.selectionModel().selectedRows()
        if not rows:
            return None
        ix = rows[0]
        if not ix.flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        return ix.data(DepartmentModel.IdRole)

    def select_department(self, dept_id: int) -> None:
        row = self.model.row_of(dept_id)
        if row >= 0 and self.model.flags(self.model.index(row)) & Qt.ItemFlag.ItemIsEnabled:
            self.list.setCurrentIndex(self.model.index(row))

    def _update_state(self, *_args) -> None:
        n = len(self.comment.toPlainText())
        loc = QLocale()
        self.count_label.setText(f"{loc.toString(n)} / {loc.toString(MAX_COMMENT)}")
        busy = self._task is not None and not self._task.done()
        self.forward_button.setEnabled(not busy and self.selected_department_id() is not None
                                       and n <= MAX_COMMENT)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    # -- forwarding ------------------------------------------------------------------------------

    def submit(self) -> None:
        dept_id = self.selected_department_id()
        if dept_id is None or (self._task is not None and not self._task.done()):
            return
        comment = self.comment.toPlainText()
        if len(comment) > MAX_COMMENT:
            return
        self.error_label.hide()
        self._task = self.tasks.spawn(self._forward(dept_id, comment),
                                      name=f"forward-{self.chat.id}")
        self._update_state()

    async def _forward(self, dept_id: int, comment: str) -> None:
        name = self.model.index(self.model.row_of(dept_id)).data(Qt.ItemDataRole.DisplayRole) or ""
        name = name.split(" — ")[0]
        try:
            chat = await self.backend.forward_chat(self.chat.id, dept_id, comment.strip())
        except BackendError as exc:
            # a 409 (the last colleague went offline meanwhile): the department.online event
            # that says so has updated the cache and the list already
            self._task = None
            self._show_error(self.tr("The chat was not forwarded: %1").replace("%1", exc.message))
            self._update_state()
            return
        self._task = None
        self.forwarded.emit(chat, name)
        self.accept()

"""Forward a chat to another department (seed: "Forward chat to department").

Non-modal: the chat tab calls ``show()`` (never ``exec()``) and listens to :attr:`forwarded`.
The list shows every other department with the number of colleagues online there, refreshed
live from ``department.online`` events while the dialog is open. Departments where nobody
(but me) is online are shown disabled, "nobody online": the server refuses those (409). When
the server still refuses (the last colleague went offline meanwhile) its sentence is shown in
the dialog and the typed comment stays.
"""

from __future__ import annotations

import asyncio
import logging
import warnings

from supportdesk_protocol import limits as L
from supportdesk_protocol.events import EventType
from supportdesk_protocol.schemas import Agent, AgentStatus, Chat, Department
from supportdesk_qt.backend.base import Backend, BackendError, Conflict, ServerEvent
from supportdesk_qt.qt import (
    QAbstractListModel,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListView,
    QLocale,
    QModelIndex,
    QPalette,
    QPlainTextEdit,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.common.labels import error_label
from supportdesk_qt.ui.bridge import Bridge
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

    def set_departments(self, depts: list[Department]) -> None:
        self.beginResetModel()
        self._rows = [d for d in depts if d.id != self._exclude]
        self.endResetModel()

    def update_department(self, dept: Department) -> None:
        for i, d in enumerate(self._rows):
            if d.id == dept.id:
                self._rows[i] = dept
                ix = self.index(i)
                self.dataChanged.emit(ix, ix, [Qt.ItemDataRole.DisplayRole, self.OnlineRole])
                return

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

    def __init__(self, backend: Backend, bridge: Bridge, tasks: TaskRegistry, chat: Chat,
                 agent: Agent | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("forwardDialog")
        self.setWindowTitle(self.tr("Forward chat"))
        self.backend, self.bridge, self.chat = backend, bridge, chat
        self.tasks = TaskScope(self, tasks)          # cancelled when the dialog is deleted
        self._task: asyncio.Task | None = None
        self._load_task: asyncio.Task | None = None

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
        pal = self.count_label.palette()
        pal.setColor(QPalette.ColorRole.WindowText, theme.muted_text(self.palette()))
        self.count_label.setPalette(pal)
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
        bridge.serverEvent.connect(self._on_event)
        self.finished.connect(self._disconnect)
        self._update_state()
        self._load_task = self.tasks.spawn(self._load(), name=f"forward-{chat.id}-departments")

    # -- data ------------------------------------------------------------------------------------

    @property
    def is_loaded(self) -> bool:
        return self._load_task is not None and self._load_task.done()

    async def _load(self) -> None:
        try:
            depts = await self.backend.departments()
        except BackendError as exc:
            self._show_error(self.tr("The departments could not be loaded: %1")
                             .replace("%1", exc.message))
            return
        selected = self.selected_department_id()
        self.model.set_departments(depts)
        if selected is not None:
            self.select_department(selected)

    def _on_event(self, event: ServerEvent) -> None:
        if event.type == EventType.DEPARTMENT_ONLINE and isinstance(event.data, Department):
            self.model.update_department(event.data)

    def _disconnect(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            try:
                self.bridge.serverEvent.disconnect(self._on_event)
            except (RuntimeError, TypeError):
                pass

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
            self._task = None
            self._show_error(self.tr("The chat was not forwarded: %1").replace("%1", exc.message))
            self._update_state()
            if isinstance(exc, Conflict):       # counts changed under us: show the new ones
                self._load_task = self.tasks.spawn(self._load(),
                                                   name=f"forward-{self.chat.id}-departments")
            return
        self._task = None
        self.forwarded.emit(chat, name)
        self.accept()

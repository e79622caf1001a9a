"""One non-modal form for every client edit (name and phone, a login user, a payment, a service),
with the optimistic-concurrency conflict shown inside it.

``RecordEditDialog(fields, record, save, parse_current)`` shows one row per :class:`Field` with
the error sentence under its widget. **Save** checks every field here first (the same rules the
server has, said as sentences), then sends only what changed, with the ``version`` the agent
started from. What the server may still answer:

* 422: the sentence goes under the field the server names (``details[].loc``); the form keeps
  everything typed.
* 409 ``version_conflict``: a colleague saved this record meanwhile. The conflict panel lists
  each field that differs — the field, **their value** (now on the server), **your value** — as a
  table (``ConflictModel``), and the agent decides: **Overwrite with mine** sends the same
  changes against the colleague's version; **Take theirs** loads their record into the form
  (what the agent typed for fields the colleague did not touch stays), so the agent can look and
  edit again.
* anything else: a sentence under the form, nothing lost.

Shown with ``show()`` (never ``exec()``): the agent keeps working in the tab; ``saved(record)``
says the server accepted it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timezone
from decimal import Decimal
from typing import Any

from supportdesk_qt.backend.base import BackendError, Conflict, ValidationFailed
from supportdesk_qt.qt import (
    QAbstractTableModel,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QLocale,
    QModelIndex,
    QPushButton,
    Qt,
    QTableView,
    QtCore,
    QtWidgets,
    QVBoxLayout,
    QWidget,
    Signal,
)
from supportdesk_qt.ui.common import formatting as F
from supportdesk_qt.ui.common.datetime import date_format, format_date
from supportdesk_qt.ui.common.tooltips import plain_tooltip
from supportdesk_qt.ui.tasks import TaskRegistry, TaskScope
from supportdesk_qt.ui.common.labels import error_label

MAX_MONEY = 999_999_999_999.99


@dataclass
class Field:
    """One editable field of a record.

    ``kind``: ``text``, ``password`` (never shown back, not compared), ``money``, ``choice``
    (``choices`` = [(value, label)]), ``date`` (a datetime on the wire, a date in the form;
    ``optional`` adds "no date"), ``bool``. ``check(value) -> sentence | None`` adds rules.
    """

    name: str
    label: str
    kind: str = "text"
    required: bool = False
    max_length: int = 200
    choices: list[tuple[str, str]] = field(default_factory=list)
    optional: bool = False
    currency: str = ""
    placeholder: str = ""
    check: Callable[[Any], str | None] | None = None


def _norm(value: Any) -> Any:
    """Comparable form of a wire value (enums by value, money as Decimal, dates as dates)."""
    value = getattr(value, "value", value)
    if isinstance(value, float):
        return Decimal(f"{value:.2f}")
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).date()
    return value


class ConflictModel(QAbstractTableModel):
    """The fields that differ: field, their value (server now), your value (in the form)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str, str]] = []
        self._titles = [self.tr("Field"), self.tr("Their value"), self.tr("Your value")]

    def set_rows(self, rows: list[tuple[str, str, str]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[tuple[str, str, str]]:
        return list(self._rows)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt naming)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt naming)
        return 0 if parent.isValid() else 3

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < 3:
            return self._titles[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) \
                or not (0 <= index.column() < 3):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[index.row()][index.column()][:500]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self._rows[index.row()][index.column()][:500])
        return None


class RecordEditDialog(QDialog):
    saved = Signal(object)            # the record as the server stored it
    conflictShown = Signal()          # tests and screenshots

    def __init__(self, tasks: TaskRegistry, title: str, fields: list[Field], record: Any,
                 save: Callable[[int | None, dict[str, Any]], Awaitable[Any]],
                 parse_current: Callable[[dict], Any] | None = None,
                 parent: QWidget | None = None, *, intro: str = "",
                 save_label: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("recordEditDialog")
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.tasks = TaskScope(self, tasks)        # a save under way ends with the dialog
        self.fields = fields
        self.record = record             # None: a new record
        self._save = save
        self._parse_current = parse_current
        self._task: asyncio.Task | None = None
        self._theirs: Any = None
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.no_date: dict[str, QCheckBox] = {}

        vl = QVBoxLayout(self)
        if intro:
            note = QLabel(intro, self)
            note.setTextFormat(Qt.TextFormat.PlainText)
            note.setWordWrap(True)
            vl.addWidget(note)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for f in fields:
            w = self._make_widget(f)
            w.setObjectName(f"edit_{f.name}")
            self.widgets[f.name] = w
            err = error_label(self, f"error_{f.name}")
            self.errors[f.name] = err
            box = QWidget(self)
            bl = QVBoxLayout(box)
            bl.setContentsMargins(0, 0, 0, 0)
            bl.setSpacing(2)
            if f.kind == "date" and f.optional:
                row = QHBoxLayout()
                row.addWidget(w, 1)
                none = QCheckBox(self.tr("No expiry"), self)
                none.setObjectName(f"none_{f.name}")
                none.toggled.connect(w.setDisabled)
                self.no_date[f.name] = none
                row.addWidget(none)
                bl.addLayout(row)
            else:
                bl.addWidget(w)
            bl.addWidget(err)
            form.addRow(f.label, box)
        vl.addLayout(form)
        self._fill(record)

        # -- conflict panel
        self.conflict = QFrame(self)
        self.conflict.setObjectName("conflictPanel")
        self.conflict.setFrameShape(QFrame.Shape.StyledPanel)
        cl = QVBoxLayout(self.conflict)
        self.conflict_label = error_label(self.conflict, "conflictText")
        self.conflict_label.show()
        cl.addWidget(self.conflict_label)
        self.conflict_model = ConflictModel(self)
        self.conflict_view = QTableView(self.conflict)
        self.conflict_view.setObjectName("conflictTable")
        self.conflict_view.setModel(self.conflict_model)
        self.conflict_view.verticalHeader().hide()
        self.conflict_view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.conflict_view.setSelectionMode(QTableView.SelectionMode.NoSelection)
        self.conflict_view.horizontalHeader().setStretchLastSection(True)
        self.conflict_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.conflict_view.setWordWrap(False)
        cl.addWidget(self.conflict_view)
        crow = QHBoxLayout()
        self.mine_button = QPushButton(self.tr("Overwrite with mine"), self.conflict)
        self.mine_button.setObjectName("overwriteMine")
        self.theirs_button = QPushButton(self.tr("Take theirs and edit again"), self.conflict)
        self.theirs_button.setObjectName("takeTheirs")
        crow.addStretch(1)
        crow.addWidget(self.theirs_button)
        crow.addWidget(self.mine_button)
        cl.addLayout(crow)
        self.mine_button.clicked.connect(self.overwrite_with_mine)
        self.theirs_button.clicked.connect(self.take_theirs)
        self.conflict.hide()
        vl.addWidget(self.conflict)

        self.error_label = error_label(self, "editError")
        vl.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.addButton(save_label or self.tr("Save"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveButton")
        self.save_button.setDefault(True)
        self.buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.submit)
        vl.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())

    # -- widgets

    def _make_widget(self, f: Field) -> QWidget:
        if f.kind in ("text", "password"):
            w = QLineEdit(self)
            w.setMaxLength(max(f.max_length, 1) + 1)   # one more, so "too long" can be said
            if f.kind == "password":
                w.setEchoMode(QLineEdit.EchoMode.Password)
            if f.placeholder:
                w.setPlaceholderText(f.placeholder)
            return w
        if f.kind == "money":
            w = QtWidgets.QDoubleSpinBox(self)
            w.setLocale(QLocale())
            w.setDecimals(2)
            w.setRange(0.0, MAX_MONEY)
            w.setGroupSeparatorShown(True)
            if f.currency:
                w.setSuffix(" " + f.currency)
            w.setAlignment(Qt.AlignmentFlag.AlignRight)
            return w
        if f.kind == "choice":
            w = QComboBox(self)
            for value, label in f.choices:
                w.addItem(label, value)
            return w
        if f.kind == "date":
            w = QtWidgets.QDateEdit(self)
            w.setCalendarPopup(True)
            w.setLocale(QLocale())
            w.setDisplayFormat(date_format())
            return w
        if f.kind == "bool":
            return QCheckBox(self)
        raise ValueError(f.kind)

    def _set_value(self, f: Field, value: Any) -> None:
        w = self.widgets[f.name]
        value = getattr(value, "value", value)
        if f.kind == "text":
            w.setText("" if value is None else str(value))
        elif f.kind == "password":
            w.clear()
        elif f.kind == "money":
            w.setValue(float(value or 0))
        elif f.kind == "choice":
            i = w.findData(value)
            w.setCurrentIndex(max(i, 0))
        elif f.kind == "date":
            if value is None:
                w.setDate(QtCore.QDate.currentDate().addYears(1))
                if f.name in self.no_date:
                    self.no_date[f.name].setChecked(True)
            else:
                d = value.astimezone(timezone.utc).date() if isinstance(value, datetime) else value
                w.setDate(QtCore.QDate(d.year, d.month, d.day))
                if f.name in self.no_date:
                    self.no_date[f.name].setChecked(False)
        elif f.kind == "bool":
            w.setChecked(bool(value))

    def value(self, name: str) -> Any:
        """What the form holds for ``name``, in wire terms (str, Decimal, datetime, bool)."""
        f = next(f for f in self.fields if f.name == name)
        w = self.widgets[name]
        if f.kind in ("text", "password"):
            return w.text().strip() if f.kind == "text" else w.text()
        if f.kind == "money":
            return Decimal(f"{w.value():.2f}")
        if f.kind == "choice":
            return w.currentData()
        if f.kind == "date":
            if name in self.no_date and self.no_date[name].isChecked():
                return None
            d = w.date()
            return datetime.combine(datetime(d.year(), d.month(), d.day()).date(), time(0),
                                    tzinfo=timezone.utc)
        if f.kind == "bool":
            return w.isChecked()
        return None

    def _fill(self, record: Any, only: set[str] | None = None) -> None:
        for f in self.fields:
            if only is not None and f.name not in only:
                continue
            self._set_value(f, getattr(record, f.name, None) if record is not None else None)

    def display(self, f: Field, value: Any) -> str:
        value = getattr(value, "value", value)
        if value is None or value == "":
            return "—"
        if f.kind == "money":
            return F.money(Decimal(str(value)), f.currency)
        if f.kind == "choice":
            return dict(f.choices).get(value, str(value))
        if f.kind == "date":
            d = value if isinstance(value, datetime) else None
            return format_date(d) if d is not None else str(value)
        if f.kind == "bool":
            return self.tr("Yes") if value else self.tr("No")
        return str(value)

    # -- saving

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    def changes(self, base: Any | None = None) -> dict[str, Any]:
        """Fields whose form value differs from ``base`` (default: the record being edited);
        everything (but empty optional values) for a new record."""
        base = self.record if base is None else base
        out: dict[str, Any] = {}
        for f in self.fields:
            v = self.value(f.name)
            if f.kind == "password":
                if v:
                    out[f.name] = v
                continue
            if base is None:
                if v not in ("", None):
                    out[f.name] = v
                continue
            if _norm(v) != _norm(getattr(base, f.name, None)):
                out[f.name] = v
        return out

    def validate(self) -> bool:
        ok = True
        for f in self.fields:
            msg = self._check(f, self.value(f.name))
            self._field_error(f.name, msg)
            ok = ok and msg is None
        return ok

    def _check(self, f: Field, v: Any) -> str | None:
        if f.kind in ("text", "password") and isinstance(v, str):
            if f.required and not v:
                return self.tr("%1 cannot be empty.").replace("%1", f.label)
            if len(v) > f.max_length:
                return self.tr("%1 can be at most %Ln character(s) long.", "",
                               f.max_length).replace("%1", f.label)
        return f.check(v) if f.check is not None else None

    def _field_error(self, name: str, msg: str | None) -> None:
        label = self.errors[name]
        label.setText(msg or "")
        label.setVisible(bool(msg))

    def _general_error(self, msg: str | None) -> None:
        self.error_label.setText(msg or "")
        self.error_label.setVisible(bool(msg))

    def submit(self) -> None:
        if self.busy:
            return
        self._general_error(None)
        if not self.validate():
            return
        changes = self.changes()
        if self.record is not None and not changes:
            self._general_error(self.tr("Nothing was changed."))
            return
        version = getattr(self.record, "version", None)
        self._start(version, changes)

    def _start(self, version: int | None, changes: dict[str, Any]) -> None:
        self.save_button.setEnabled(False)
        self.mine_button.setEnabled(False)
        self._task = self.tasks.spawn(self._run(version, changes), name="client-edit")

    async def _run(self, version: int | None, changes: dict[str, Any]) -> None:
        try:
            result = await self._save(version, changes)
        except Conflict as exc:
            self._done()
            self._conflict(exc, changes)
            return
        except ValidationFailed as exc:
            self._done()
            self._server_field_errors(exc)
            return
        except BackendError as exc:
            self._done()
            self._general_error(self.tr("Not saved: %1").replace("%1", exc.message))
            return
        self._done()
        self.record = result
        self.saved.emit(result)
        self.accept()

    def _done(self) -> None:
        self._task = None
        self.save_button.setEnabled(True)
        self.mine_button.setEnabled(True)

    def _server_field_errors(self, exc: BackendError) -> None:
        placed = False
        for d in exc.details if isinstance(exc.details, list) else []:
            loc = d.get("loc") if isinstance(d, dict) else None
            name = str(loc[0]) if loc else ""
            if name in self.errors:
                self._field_error(name, self.tr("The server refused this: %1").replace(
                    "%1", _sentence(str(d.get("msg", "")))))
                placed = True
        if not placed:
            self._general_error(self.tr("Not saved: %1").replace("%1", exc.message))

    def colleague_changed(self, record: Any) -> None:
        """A colleague's newer version of this record arrived (live event): say so now; the
        differences are shown when the agent saves (the server answers 409)."""
        mine = self.record
        if mine is None or getattr(record, "id", None) != getattr(mine, "id", None) \
                or getattr(record, "version", 0) <= getattr(mine, "version", 0):
            return
        self._general_error(self.tr(
            "A colleague has just changed this record. When you save, you will see what they "
            "changed and can choose."))

    # -- conflicts

    def _conflict(self, exc: BackendError, changes: dict[str, Any]) -> None:
        current = exc.details.get("current") if isinstance(exc.details, dict) else None
        if exc.code != "version_conflict" or current is None or self._parse_current is None:
            self._general_error(self.tr("Not saved: %1").replace("%1", exc.message))
            return
        try:
            theirs = self._parse_current(current)
        except ValueError:
            self._general_error(self.tr("Not saved: %1").replace("%1", exc.message))
            return
        self._theirs = theirs
        self._pending = changes
        rows = []
        for f in self.fields:
            if f.kind == "password":
                continue
            base_v = _norm(getattr(self.record, f.name, None))
            their_v = _norm(getattr(theirs, f.name, None))
            mine_v = _norm(self.value(f.name))
            if their_v != base_v or (f.name in changes and their_v != mine_v):
                rows.append((f.label, self.display(f, getattr(theirs, f.name, None)),
                             self.display(f, self.value(f.name))))
        self.conflict_model.set_rows(rows)
        self.conflict_label.setText(self.tr(
            "A colleague changed this record while you were editing it. Compare their values "
            "with yours, then overwrite with yours or take theirs and edit again."))
        self.conflict.show()
        self.conflict_view.resizeColumnsToContents()
        view = self.conflict_view
        height = view.horizontalHeader().height() + 2 * view.frameWidth() + sum(
            view.rowHeight(r) for r in range(len(rows)))
        view.setFixedHeight(height + 2)
        self.adjustSize()
        self.save_button.setEnabled(False)
        self.conflictShown.emit()

    def overwrite_with_mine(self) -> None:
        if self._theirs is None or self.busy:
            return
        if not self.validate():
            return
        changes = self.changes(base=self._theirs)
        # what I changed against what I started from is what I mean, even where it equals theirs
        changes.update(self.changes())
        self.record = self._theirs
        self._theirs = None
        self.conflict.hide()
        self._start(self.record.version, changes)

    def take_theirs(self) -> None:
        if self._theirs is None:
            return
        theirs, started = self._theirs, self.record
        touched = {f.name for f in self.fields
                   if _norm(getattr(theirs, f.name, None)) != _norm(getattr(started, f.name, None))}
        self.record = theirs
        self._theirs = None
        self._fill(theirs, only=touched)       # my edits of fields nobody else touched stay
        self.conflict.hide()
        self.save_button.setEnabled(True)
        self._general_error(None)


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


__all__ = ["ConflictModel", "Field", "RecordEditDialog"]

"""The Qt import module and its binding workaround."""

from __future__ import annotations

import sys

from supportdesk_qt import qt
from supportdesk_qt.qt import QObject, Signal
from supportdesk_qt.ui.models.queue_model import QueueModel


class _Emitter(QObject):
    flag = Signal(bool)
    nothing = Signal()


def test_emitting_from_python_does_not_eat_references_to_true(qapp):
    """PySide6 6.12.0 returns a borrowed ``True`` from ``emit()``; unpatched, 10,000 emits take
    10,000 references from ``True`` and the interpreter aborts at exit (bool_dealloc)."""
    e = _Emitter()
    e.flag.connect(lambda value: None)
    model = QueueModel()
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(5000):
        e.flag.emit(True)
        e.nothing.emit()
        model.dataChanged.emit(model.index(0), model.index(0), [QueueModel.WaitingSecondsRole])
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before


def test_one_module_names_the_binding():
    assert qt.BINDING == "PySide6"
    assert qt.QT_VERSION.startswith("6.")

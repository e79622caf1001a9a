"""The Qt import module and its binding safety net."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from supportdesk_qt import qt

# Half a million void calls and emits: far more references than None/True start with, so a
# binding that drops one per call aborts the interpreter ("none_dealloc") unless qt.py's safety
# net is in place. A sound binding (or Python 3.12+) passes trivially.
_HAMMER = textwrap.dedent("""
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from supportdesk_qt.qt import QObject, Signal, QtGui

    class E(QObject):
        ping = Signal(bool)

    e, c = E(), QtGui.QColor()
    e.ping.connect(lambda v: None)
    for _ in range(250_000):
        c.setAlphaF(0.5)
        e.ping.emit(True)
    print("survived")
""")


def test_a_day_of_paint_calls_and_emits_does_not_abort_the_interpreter():
    proc = subprocess.run([sys.executable, "-c", _HAMMER], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "survived" in proc.stdout


def test_the_safety_net_is_only_used_where_the_binding_needs_it():
    if sys.version_info >= (3, 12):
        assert qt.SINGLETON_REFCOUNT_FIX is False
    if qt.SINGLETON_REFCOUNT_FIX:
        assert sys.getrefcount(None) > 1 << 39 and sys.getrefcount(True) > 1 << 39
    else:
        assert qt._references_dropped() == (0, 0)


def test_one_module_names_the_binding():
    assert qt.BINDING == "PySide6"
    assert qt.QT_VERSION.startswith("6.")

"""The one module that imports the Qt binding.

Everything else in ``supportdesk_qt`` imports Qt names from here (``from supportdesk_qt.qt import
QWidget, Signal``), as qutebrowser does with its own ``qt`` package: a binding change (PySide6 to
PyQt6, or a new major version) touches this file only. ``qasync`` is imported here too, after the
binding, so it binds to the same one (it picks whichever binding is already imported).
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys

os.environ.setdefault("QT_API", "pyside6")  # tells qasync which binding, before it is imported

import PySide6  # noqa: E402
from PySide6 import QtCore, QtGui, QtWidgets  # noqa: E402,F401
from PySide6.QtCore import (  # noqa: E402,F401
    QAbstractListModel,
    QByteArray,
    QCoreApplication,
    QDateTime,
    QEvent,
    QItemSelectionModel,
    QLocale,
    QMessageLogContext,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSettings,
    QSize,
    QSortFilterProxyModel,
    SignalInstance,
    Qt,
    QtMsgType,
    QTimer,
    QUrl,
    Signal,
    Slot,
    qInstallMessageHandler,
)
from PySide6.QtGui import (  # noqa: E402,F401
    QAction,
    QActionGroup,
    QBrush,
    QColor,
    QDesktopServices,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QIcon,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (  # noqa: E402,F401
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QStatusBar,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabBar,
    QTabWidget,
    QTextBrowser,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from PySide6.QtSvg import QSvgRenderer  # noqa: E402,F401

# --- platform integration (supportdesk_qt/platform/): tray, sounds, single instance ----------------
# Kept apart from the widget imports above so the platform layer's needs are visible in one place.
from PySide6.QtCore import QSocketNotifier  # noqa: E402,F401
from PySide6.QtGui import QImage  # noqa: E402,F401
from PySide6.QtNetwork import QLocalServer, QLocalSocket  # noqa: E402,F401
from PySide6.QtWidgets import QSystemTrayIcon  # noqa: E402,F401

import qasync  # noqa: E402
from qasync import QEventLoop, asyncSlot  # noqa: E402,F401

BINDING = "PySide6"
BINDING_VERSION = PySide6.__version__
QT_VERSION = QtCore.qVersion()


def tr(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``QCoreApplication.translate`` for code that is not a QObject method (``self.tr``)."""
    return QCoreApplication.translate(context, text, disambiguation, n)


# --- binding workarounds ------------------------------------------------------------------------

_log = logging.getLogger("supportdesk.qt")


def _emit_drops_a_bool_reference() -> bool:
    """PySide6 6.12.0: ``SignalInstance.emit()`` returns ``True`` without taking a reference.

    Every ``emit()`` from Python then costs ``True`` one reference; the desk emits signals all
    day (events, the 1 s waiting-time tick), and when the count reaches zero CPython aborts with
    "Fatal Python error: bool_dealloc". Measured, not assumed: a fixed binding is left alone.
    """

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    return sys.getrefcount(True) - before <= -8


def _install_emit_refcount_fix() -> bool:
    if not _emit_drops_a_bool_reference():
        return False
    incref = ctypes.pythonapi.Py_IncRef
    incref.argtypes = [ctypes.py_object]
    incref.restype = None
    original = SignalInstance.emit

    def emit(self, *args):  # type: ignore[no-untyped-def]
        result = original(self, *args)
        if result is True or result is False:
            incref(result)          # the reference the binding should have given us
        return result

    emit.__doc__ = original.__doc__
    SignalInstance.emit = emit  # type: ignore[method-assign]
    _log.debug("installed the SignalInstance.emit reference-count fix for %s %s",
               BINDING, BINDING_VERSION)
    return True


EMIT_REFCOUNT_FIX = _install_emit_refcount_fix()


def multimedia():
    """``PySide6.QtMultimedia``, imported on first use (for ``QSoundEffect``, ``QMediaDevices``).

    Not imported at start-up with the rest: loading it probes the audio back ends (and logs about a
    missing PipeWire library on machines without one), which only the sound alerts need.
    """
    from PySide6 import QtMultimedia

    return QtMultimedia

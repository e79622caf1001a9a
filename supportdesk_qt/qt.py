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
    QAbstractButton,
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
    QStyleOptionTab,
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


# --- user-menu panels (supportdesk_qt/ui/panels/): request log, notifications log, change log, settings
from PySide6.QtCore import QAbstractTableModel  # noqa: E402,F401
from PySide6.QtGui import QTextBlockFormat, QTextCharFormat, QTextCursor  # noqa: E402,F401
from PySide6.QtWidgets import (  # noqa: E402,F401
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QSpinBox,
    QTableView,
)


# --- chat tab (supportdesk_qt/ui/chat/): message layout, splitter, mouse/key events ----------------
from PySide6.QtGui import (  # noqa: E402,F401
    QCursor,
    QKeyEvent,
    QMouseEvent,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QScrollArea, QScrollBar, QSplitter  # noqa: E402,F401
from shiboken6 import isValid as qt_is_valid  # noqa: E402,F401  (is the C++ object still alive?)

# --- clients, tickets and search (supportdesk_qt/ui/search, ui/client, ui/tickets) --------------
from PySide6.QtCore import QAbstractTableModel  # noqa: E402,F401
from PySide6.QtWidgets import QGridLayout, QHeaderView, QTableView  # noqa: E402,F401

# --- workplace shell (ui/main_window.py, ui/queue_popup.py): history tooltips, tab shortcuts -------
from PySide6.QtWidgets import QToolTip  # noqa: E402,F401

# --- reconnect at once on network up / wake (ui/network_watch.py) --------------------------------
from PySide6.QtNetwork import QNetworkInformation  # noqa: E402,F401

# --- command palette and shortcut sheet (ui/command_palette/, ui/shortcut_sheet.py) --------------
from PySide6.QtGui import QStandardItem, QStandardItemModel  # noqa: E402,F401
from PySide6.QtWidgets import QTreeView  # noqa: E402,F401


# --- languages (supportdesk_qt/i18n.py): translators, Qt's own translations -----------------------
from PySide6.QtCore import QLibraryInfo, QTranslator  # noqa: E402,F401


def multimedia():
    """``PySide6.QtMultimedia``, imported on first use (for ``QSoundEffect``, ``QMediaDevices``).

    Not imported at start-up with the rest: loading it probes the audio back ends (and logs about a
    missing PipeWire library on machines without one), which only the sound alerts need.
    """
    from PySide6 import QtMultimedia

    return QtMultimedia


import qasync  # noqa: E402
from qasync import QEventLoop, asyncSlot  # noqa: E402,F401

BINDING = "PySide6"
BINDING_VERSION = PySide6.__version__
QT_VERSION = QtCore.qVersion()


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``QCoreApplication.translate`` for code that is not a QObject method (``self.tr``).

    Named ``translate`` because that is the name ``pyside6-lupdate`` reads with its context: a
    free ``tr("Ctx", "Text")`` would be extracted as the text "Ctx" in no context and never be
    found at run time (tests/unit/test_translations.py refuses it). lupdate reads no plural
    (``%n``) from ``translate``: a count goes through ``self.tr(text, "", n)`` of a QObject."""
    return QCoreApplication.translate(context, text, disambiguation, n)


tr = translate  # the old name; tests/unit/test_translations.py fails on free tr("Ctx", ...) calls


# --- binding workarounds ------------------------------------------------------------------------

_log = logging.getLogger("supportdesk.qt")


def _references_dropped() -> tuple[int, int]:
    """How many references to ``None`` and ``True`` 16 void calls and 16 emits cost (0 when sound)."""

    class _Probe(QObject):
        ping = Signal()

    probe, colour = _Probe(), QtGui.QColor()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(16):
        colour.setAlphaF(1.0)      # a C++ void method: returns None
        probe.ping.emit()          # returns True
    return none_before - sys.getrefcount(None), true_before - sys.getrefcount(True)


def _install_singleton_refcount_fix() -> bool:
    """PySide6 6.12.0 on CPython < 3.12 returns ``None`` (every void method) and ``True``
    (``Signal.emit``) without taking a reference.

    On 3.12+ these singletons are immortal and nothing happens. On 3.11 every call costs one
    reference; the desk paints and emits all day (the queue's 1 s tick alone is hundreds of calls
    per second) and within minutes CPython aborts with "Fatal Python error: none_dealloc".
    PySide6 6.11 is sound. Measured at import, so a fixed binding (or 3.12+) is left alone; when
    the defect is there, ``None``/``True``/``False`` get a reference count so large that no
    session can exhaust it, which is what CPython 3.12 does for them anyway (PEP 683).
    """
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    dropped_none, dropped_true = _references_dropped()
    if dropped_none < 16 and dropped_true < 16:
        return False
    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40
    _log.info("%s %s drops references to None/True on Python %s; applied the reference-count "
                 "safety net (use PySide6 6.11, or Python 3.12+, to avoid it)", BINDING,
                 BINDING_VERSION, sys.version.split()[0])
    return True


SINGLETON_REFCOUNT_FIX = _install_singleton_refcount_fix()

# --- labels that wrap and elide (ui/widgets.py ElidedLabel): where a line may break
from PySide6.QtCore import QTextBoundaryFinder  # noqa: E402,F401

# --- action registry and the shortcuts settings page (ui/actions.py, ui/panels/shortcuts_page.py) --
from PySide6.QtWidgets import QKeySequenceEdit  # noqa: E402,F401

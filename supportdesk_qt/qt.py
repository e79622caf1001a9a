"""The one module that imports the Qt binding.

Everything else in ``supportdesk_qt`` imports Qt names from here (``from supportdesk_qt.qt import
QWidget, Signal``), as qutebrowser does with its own ``qt`` package: a binding change (PySide6 to
PyQt6, or a new major version) touches this file only. ``qasync`` is imported here too, after the
binding, so it binds to the same one (it picks whichever binding is already imported).
"""

from __future__ import annotations

import os

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

import qasync  # noqa: E402
from qasync import QEventLoop, asyncSlot  # noqa: E402,F401

BINDING = "PySide6"
BINDING_VERSION = PySide6.__version__
QT_VERSION = QtCore.qVersion()


def tr(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``QCoreApplication.translate`` for code that is not a QObject method (``self.tr``)."""
    return QCoreApplication.translate(context, text, disambiguation, n)

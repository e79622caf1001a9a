"""Small helpers shared by the panels: time formatting, failure colours, plain-text tooltips,
muted and error labels, and the panel windows' behaviour (Esc closes, placed within the screen's
available area)."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime, timezone

from supportdesk_qt.backend.base import ConnectionState
from supportdesk_qt.qt import (
    QColor,
    QEvent,
    QObject,
    QRect,
    Qt,
    QWidget,
    QDateTime,
    QGuiApplication,
    QLabel,
    QLocale,
    QPalette,
    QSortFilterProxyModel,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.formatting import line_breaks

#: Characters of a cell's display text; the tooltip carries up to TOOLTIP_CAP.
DISPLAY_CAP = 300
TOOLTIP_CAP = 2000


def cap(text: str, limit: int = DISPLAY_CAP) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def one_line(text: str, limit: int = DISPLAY_CAP) -> str:
    """Whitespace (newlines too) collapsed, capped: what a table cell shows."""
    return cap(" ".join(text.split()), limit)


def plain_tooltip(text: str) -> str:
    """``text`` as a tooltip that shows literally.

    ``QToolTip`` guesses the format (``Qt::mightBeRichText``), so ``<b>x</b>`` from a visitor would
    render bold: escape it and wrap it in a rich-text shell of our own.
    """
    if not text:
        return ""
    body = html.escape(cap(line_breaks(text), TOOLTIP_CAP)).replace("\n", "<br>")
    return f"<qt><p style='white-space:pre-wrap'>{body}</p></qt>"


def to_qdatetime(dt: datetime) -> QDateTime:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return QDateTime.fromMSecsSinceEpoch(int(dt.timestamp() * 1000)).toLocalTime()


def format_time(dt: datetime, locale: QLocale | None = None, *, seconds: bool = True) -> str:
    """Local time of day in the locale's short format (with seconds for the request log)."""
    loc = locale or QLocale()
    fmt = loc.timeFormat(QLocale.FormatType.ShortFormat)
    if seconds and "s" not in fmt:
        fmt = fmt.replace("mm", "mm:ss", 1)
    return loc.toString(to_qdatetime(dt).time(), fmt)


def format_datetime(dt: datetime, locale: QLocale | None = None) -> str:
    loc = locale or QLocale()
    return loc.toString(to_qdatetime(dt), QLocale.FormatType.ShortFormat)


def app_palette() -> QPalette:
    return QGuiApplication.palette()


def failed_text(palette: QPalette) -> QColor:
    """Text of a failed row: the status light's red, readable on this palette."""
    return theme.status_color(ConnectionState.FAILED, palette)


def failed_background(palette: QPalette) -> QColor:
    """Background of a failed row: a faint wash of the red over the palette's base colour."""
    red = failed_text(palette)
    base = palette.color(QPalette.ColorRole.Base)
    t = 0.20 if theme.is_dark(palette) else 0.10
    return QColor.fromRgbF(base.redF() * (1 - t) + red.redF() * t,
                           base.greenF() * (1 - t) + red.greenF() * t,
                           base.blueF() * (1 - t) + red.blueF() * t)


def muted_label(text: str, parent: QWidget, *, wrap: bool = True) -> QLabel:
    """A plain-text label in the palette's muted colour (notes, column heads)."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    pal = label.palette()
    pal.setColor(QPalette.ColorRole.WindowText, theme.muted_text(pal))
    label.setPalette(pal)
    return label


def error_label(parent: QWidget, object_name: str) -> QLabel:
    """A hidden, word-wrapped, plain-text label for an error sentence, in the palette's error
    colour (dialogs show the server's sentence there and keep what was typed)."""
    label = QLabel("", parent)
    label.setObjectName(object_name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    pal = label.palette()
    pal.setColor(QPalette.ColorRole.WindowText, theme.error_text(parent.palette()))
    label.setPalette(pal)
    label.hide()
    return label


def change_filter(proxy: QSortFilterProxyModel, change: Callable[[], None]) -> None:
    """Run ``change`` (which alters what ``filterAcceptsRow`` accepts) and re-filter the rows.

    Qt 6.10 deprecates ``invalidateFilter()`` for ``beginFilterChange()``/``endFilterChange()``;
    older bindings (pyproject allows 6.6) only have the former.
    """
    if hasattr(proxy, "endFilterChange"):
        proxy.beginFilterChange()
        change()
        proxy.endFilterChange(QSortFilterProxyModel.Direction.Rows)
    else:
        change()
        proxy.invalidateFilter()


class _EscCloses(QObject):
    """Closes the panel on an Esc that none of its children used (a filter field, a table)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape \
                and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            watched.close()
            return True
        return False


def make_panel_window(panel: QWidget) -> None:
    """Esc closes ``panel`` (a tool window: the notifications log, the network requests), from
    whichever of its fields has the keyboard (they leave Esc to their window)."""
    panel.installEventFilter(_EscCloses(panel))


def show_panel_window(panel: QWidget, focus: QWidget | None = None) -> None:
    """Show ``panel`` (or bring it to the front) within the available geometry of the screen
    its main window is on: the first time centred over the main window, later where the agent
    left it, but never under a panel of the desktop (the tray host's bar at the top or bottom,
    which ``QScreen.availableGeometry()`` leaves out) nor off the screen."""
    anchor = panel.parentWidget().window() if panel.parentWidget() is not None else None
    screen = (anchor.screen() if anchor is not None else None) or panel.screen()
    panel.show()
    if screen is not None:
        avail = screen.availableGeometry()
        frame, inner = panel.frameGeometry(), panel.geometry()
        extra_w, extra_h = frame.width() - inner.width(), frame.height() - inner.height()
        panel.resize(min(inner.width(), avail.width() - extra_w),
                     min(inner.height(), avail.height() - extra_h))
        frame = QRect(frame.topLeft(), panel.frameGeometry().size())
        if anchor is not None and not panel.property("panelPlaced"):
            frame.moveCenter(anchor.frameGeometry().center())
        x = max(avail.left(), min(frame.left(), avail.right() + 1 - frame.width()))
        y = max(avail.top(), min(frame.top(), avail.bottom() + 1 - frame.height()))
        panel.move(x, y)            # a window's move() places its frame
        panel.setProperty("panelPlaced", True)
    panel.raise_()
    panel.activateWindow()
    if focus is not None:
        focus.setFocus(Qt.FocusReason.OtherFocusReason)

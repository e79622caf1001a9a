"""Small helpers shared by the panels: time formatting, failure colours, plain-text tooltips."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime, timezone

from supportdesk_qt.backend.base import ConnectionState
from supportdesk_qt.qt import (
    QColor,
    QDateTime,
    QGuiApplication,
    QLocale,
    QPalette,
    QSortFilterProxyModel,
)
from supportdesk_qt.ui import theme

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
    body = html.escape(cap(text, TOOLTIP_CAP)).replace("\n", "<br>")
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

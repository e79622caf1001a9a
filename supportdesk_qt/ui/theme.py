"""Colours and icons derived from the palette, in one place.

No widget hard-codes a colour in a stylesheet: the connection status colours, the avatar colour
and the muted text colour are computed here from the current ``QPalette`` (so a dark theme gets
lighter, readable variants), and icons are SVG files from ``resources/icons`` (assets.py)
recoloured with the palette's text colour, rendered once per (name, colour, size) and cached.
"""

from __future__ import annotations

import functools
import hashlib

from supportdesk_qt import assets
from supportdesk_qt.backend.base import ConnectionState
from supportdesk_qt.qt import (
    QByteArray,
    QColor,
    QGuiApplication,
    QIcon,
    QPainter,
    QPalette,
    QPixmap,
    QRectF,
    QSvgRenderer,
    Qt,
)

# Hues (degrees) of the traffic-light states. Saturation and lightness come from the palette.
_STATUS_HUE = {
    ConnectionState.CONNECTED: 135,   # green
    ConnectionState.CONNECTING: 38,   # amber
    ConnectionState.FAILED: 2,        # red
}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def status_color(state: ConnectionState, palette: QPalette) -> QColor:
    """The indicator colour of a connection state, readable on this palette's window colour."""
    hue = _STATUS_HUE.get(state)
    if hue is None:  # disconnected: neutral, the palette's own "disabled" text colour
        return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    lightness = 0.60 if is_dark(palette) else 0.45
    return QColor.fromHslF(hue / 360.0, 0.72, lightness)


def is_connection_lost(state: ConnectionState, reason: str = "") -> bool:
    """Reconnecting after a drop or a failed attempt (``CONNECTING`` with a reason): the agent is
    not receiving chats, so the light is red, not the amber of a first connect."""
    return state == ConnectionState.CONNECTING and bool(reason)


def connection_color(state: ConnectionState, reason: str, palette: QPalette) -> QColor:
    """The status light: :func:`status_color`, but red while a lost connection is retried."""
    if is_connection_lost(state, reason):
        state = ConnectionState.FAILED
    return status_color(state, palette)


def error_text(palette: QPalette) -> QColor:
    """Text of an error sentence next to a field: the "failed" red, readable on this palette."""
    return status_color(ConnectionState.FAILED, palette)


def failed_background(palette: QPalette) -> QColor:
    """Background of a failed row (a request, a notification): a faint wash of the
    :func:`error_text` red over the palette's base colour."""
    t = 0.20 if is_dark(palette) else 0.10
    return _mix(palette.color(QPalette.ColorRole.Base), error_text(palette), t)


def app_palette() -> QPalette:
    """The application's palette (what models without a widget colour their rows with)."""
    return QGuiApplication.palette()


def muted_text(palette: QPalette) -> QColor:
    """Secondary text (department, preview): between text and window colour."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    return _mix(text, base, 0.38)


def accent(palette: QPalette) -> QColor:
    return palette.color(QPalette.ColorRole.Highlight)


def avatar_color(key: str, palette: QPalette) -> QColor:
    """A stable colour per person (hash of the login), toned to the palette."""
    digest = hashlib.sha1(key.encode("utf-8")).digest()
    hue = digest[0] / 255.0
    return QColor.fromHslF(hue, 0.45, 0.62 if is_dark(palette) else 0.42)


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor.fromRgbF(a.redF() * (1 - t) + b.redF() * t,
                           a.greenF() * (1 - t) + b.greenF() * t,
                           a.blueF() * (1 - t) + b.blueF() * t)


# --- icons -----------------------------------------------------------------------------------------

_ICON_SIZES = (16, 20, 24, 32, 48)


@functools.lru_cache(maxsize=None)
def _svg_source(name: str) -> str:
    return assets.read_text("icons", f"{name}.svg")


@functools.lru_cache(maxsize=128)
def _icon(name: str, color_name: str) -> QIcon:
    svg = _svg_source(name).replace("currentColor", color_name).encode("utf-8")
    renderer = QSvgRenderer(QByteArray(svg))
    icon = QIcon()
    for size in _ICON_SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def icon(name: str, palette: QPalette, role: QPalette.ColorRole = QPalette.ColorRole.WindowText,
         color: QColor | None = None) -> QIcon:
    """The SVG icon ``name`` in the palette's ``role`` colour (or ``color``). Cached."""
    c = color if color is not None else palette.color(role)
    return _icon(name, c.name())


def dot_icon(color: QColor, size: int = 16) -> QIcon:
    """A filled circle (the connection status light)."""
    icon_ = QIcon()
    for s in (size, size * 2):
        pixmap = QPixmap(s, s)
        pixmap.fill(Qt.GlobalColor.transparent)
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(color)
        m = s * 0.18
        p.drawEllipse(QRectF(m, m, s - 2 * m, s - 2 * m))
        p.end()
        icon_.addPixmap(pixmap)
    return icon_


def initials(display_name: str, fallback: str = "?") -> str:
    parts = [p for p in display_name.split() if p]
    if not parts:
        return fallback
    if len(parts) == 1:
        return parts[0][:2].upper()
    return (parts[0][0] + parts[-1][0]).upper()


def avatar_icon(display_name: str, key: str, palette: QPalette, size: int = 32,
                status: QColor | None = None) -> QIcon:
    """A round avatar with the person's initials, and a small status dot when ``status`` given.

    Cached (the queue repaints its visible rows every second; the pictures do not change)."""
    return _avatar_icon(display_name, key, avatar_color(key, palette).name(),
                        palette.color(QPalette.ColorRole.Window).name(), size,
                        status.name() if status is not None else "")


@functools.lru_cache(maxsize=512)
def _avatar_icon(display_name: str, key: str, fill: str, window: str, size: int,
                 status_name: str) -> QIcon:
    status = QColor(status_name) if status_name else None
    icon_ = QIcon()
    for s in (size, size * 2):
        pixmap = QPixmap(s, s)
        pixmap.fill(Qt.GlobalColor.transparent)
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(fill))
        p.drawEllipse(QRectF(0, 0, s, s))
        font = p.font()
        font.setBold(True)
        font.setPixelSize(int(s * 0.4))
        p.setFont(font)
        p.setPen(QColor(Qt.GlobalColor.white))
        p.drawText(QRectF(0, 0, s, s), Qt.AlignmentFlag.AlignCenter, initials(display_name))
        if status is not None:
            r = s * 0.34
            p.setBrush(QColor(window))
            p.drawEllipse(QRectF(s - r, s - r, r, r))
            p.setBrush(status)
            inset = r * 0.18
            p.drawEllipse(QRectF(s - r + inset, s - r + inset, r - 2 * inset, r - 2 * inset))
        p.end()
        icon_.addPixmap(pixmap)
    return icon_


"""Colours and icons derived from the palette, in one place.

No widget hard-codes a colour in a stylesheet: the connection status colours, the avatar colour
and the muted text colour are computed here from the current ``QPalette`` (so a dark theme gets
lighter, readable variants), and icons are SVG files from ``resources/icons`` (assets.py)
recoloured with the palette's text colour, rendered once per (name, colour, size) and cached.

Every colour meant to be read is made readable on the palette it is computed for
(:func:`readable`: the hue stays, the lightness moves until the WCAG contrast is reached, 4.5:1
for text, 3:1 for a dot or a bar), so a platform's own palette, light or dark, gets readable
status colours too; ``tests/ui/test_theme.py`` measures them on both of the desk's palettes.

The theme can change while the desk runs (``ui/theme_switch.py``). What a widget paints on
every paint (delegates) follows by itself; a colour or icon *set once* on a widget does not, so
set it with :func:`tint` / :func:`follow`, which set it again whenever the widget's palette
changes.
"""

from __future__ import annotations

import functools
import hashlib

from collections.abc import Callable, Iterable

from supportdesk_qt import assets
from supportdesk_qt.backend.base import ConnectionState
from supportdesk_qt.core import contrast
from supportdesk_qt.qt import (
    QByteArray,
    QColor,
    QEvent,
    QGuiApplication,
    QIcon,
    QObject,
    QPainter,
    QPalette,
    QPixmap,
    QRectF,
    QSvgRenderer,
    Qt,
    QWidget,
)

# Hues (degrees) of the traffic-light states. Saturation and lightness come from the palette.
_STATUS_HUE = {
    ConnectionState.CONNECTED: 135,   # green
    ConnectionState.CONNECTING: 38,   # amber
    ConnectionState.FAILED: 2,        # red
}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def contrast_ratio(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    return contrast.ratio(a.getRgbF()[:3], b.getRgbF()[:3])


def readable(color: QColor, backgrounds: Iterable[QColor],
             ratio: float = contrast.AA_TEXT) -> QColor:
    """``color`` with its lightness moved (darker on light backgrounds, lighter on dark ones)
    until it has ``ratio`` against every one of ``backgrounds``; hue and saturation stay."""
    # delegates ask on every paint: the search runs once per colour, backgrounds and ratio
    return QColor.fromRgba(_readable(color.rgba(), tuple(g.rgba() for g in backgrounds), ratio))


@functools.lru_cache(maxsize=1024)
def _readable(rgba: int, ground_rgbas: tuple[int, ...], ratio: float) -> int:
    color = QColor.fromRgba(rgba)
    grounds = [QColor.fromRgba(g) for g in ground_rgbas]
    if all(contrast_ratio(color, g) >= ratio for g in grounds):
        return rgba
    dark_ground = sum(g.lightnessF() for g in grounds) / len(grounds) < 0.5
    h, s, lightness, a = color.getHslF()
    h = max(h, 0.0)                     # achromatic: hue -1
    step = 0.01 if dark_ground else -0.01
    candidate = QColor(color)
    while 0.0 <= lightness <= 1.0:
        lightness += step
        # measured as it will be stored (8 bits a channel), so rounding cannot undo the ratio
        candidate = QColor.fromRgba(QColor.fromHslF(h, s, min(1.0, max(0.0, lightness)),
                                                    a).rgba())
        if all(contrast_ratio(candidate, g) >= ratio for g in grounds):
            break
    return candidate.rgba()


def grounds(palette: QPalette) -> tuple[QColor, QColor]:
    """The two backgrounds text is read on: the window and the base (lists, fields)."""
    return (palette.color(QPalette.ColorRole.Window), palette.color(QPalette.ColorRole.Base))


def status_color(state: ConnectionState, palette: QPalette) -> QColor:
    """The colour of a state (connection light, waiting-time urgency, "failed", "sent"),
    readable as text on this palette's window and base colours."""
    hue = _STATUS_HUE.get(state)
    if hue is None:  # disconnected: neutral, the palette's own "disabled" text colour; only
        # ever a dot next to words that say it (non-text: 3:1)
        return readable(palette.color(QPalette.ColorGroup.Disabled,
                                      QPalette.ColorRole.WindowText),
                        grounds(palette), contrast.AA_LARGE_OR_GRAPHIC)
    lightness = 0.62 if is_dark(palette) else 0.40
    return readable(QColor.fromHslF(hue / 360.0, 0.72, lightness), _text_grounds(palette))


def _text_grounds(palette: QPalette) -> list[QColor]:
    """Where a status colour is read as text: window, base, the alternate row and the agent's
    own chat bubble (the base washed with the highlight)."""
    base = palette.color(QPalette.ColorRole.Base)
    return [*grounds(palette),
            _mix(base, palette.color(QPalette.ColorRole.Highlight), 0.24),
            palette.color(QPalette.ColorRole.AlternateBase)]


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
    t = 0.12 if is_dark(palette) else 0.10     # dark: a stronger wash would hide the red text
    return _mix(palette.color(QPalette.ColorRole.Base), error_text(palette), t)


def note_background(palette: QPalette) -> QColor:
    """Behind an internal note being written: a faint amber wash over the base colour (text
    stays the palette's text colour)."""
    return _mix(palette.color(QPalette.ColorRole.Base),
                status_color(ConnectionState.CONNECTING, palette), 0.12)


def app_palette() -> QPalette:
    """The application's palette (what models without a widget colour their rows with)."""
    return QGuiApplication.palette()


def muted_text(palette: QPalette) -> QColor:
    """Secondary text (department, preview): between text and window colour, still readable
    as text."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    return readable(_mix(text, base, 0.38), _text_grounds(palette))


def accent(palette: QPalette) -> QColor:
    """The highlight colour as a mark or a word on the window or base (a "new" dot, the
    forwarded arrows, a matched field): readable as text."""
    return readable(palette.color(QPalette.ColorRole.Highlight), grounds(palette))


#: the initials on an avatar (white, bold): the fill is kept dark enough for them
AVATAR_TEXT = QColor(Qt.GlobalColor.white)


def avatar_color(key: str, palette: QPalette) -> QColor:
    """A stable colour per person (hash of the login), toned to the palette; the white
    initials on it are readable (4.5:1)."""
    digest = hashlib.sha1(key.encode("utf-8")).digest()
    hue = digest[0] / 255.0
    fill = QColor.fromHslF(hue, 0.45, 0.48 if is_dark(palette) else 0.42)
    return readable(fill, (AVATAR_TEXT,))


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


def clear_caches() -> None:
    """Forget the rendered icons and avatars (the theme changed: their colours are old)."""
    _icon.cache_clear()
    _avatar_icon.cache_clear()


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



# --- colours and icons that follow a theme change ----------------------------------------------


class _Follower(QObject):
    """Runs a widget's steps again when its palette changes (one per widget). A step is kept
    under a key: setting one with the same key again replaces it (a label that turns from
    muted to red keeps one step, not both)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.setObjectName("themeFollower")
        self._steps: dict[object, Callable[[], None]] = {}
        self._busy = False
        widget.installEventFilter(self)

    def put(self, key: object, apply: Callable[[], None]) -> None:
        self._steps[key] = apply
        apply()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.PaletteChange and not self._busy:
            self._busy = True          # our own setPalette() sends one more PaletteChange
            try:
                for apply in list(self._steps.values()):
                    apply()
            finally:
                self._busy = False
        return False


def follow(widget: QWidget, apply: Callable[[], None], key: object = None) -> None:
    """Run ``apply()`` now and whenever ``widget``'s palette changes (a theme switch): for an
    icon or a colour set once, e.g. ``follow(button, lambda: button.setIcon(icon("chats",
    button.palette())))``. A later call with the same ``key`` replaces the step (None: a
    new step each time)."""
    follower = widget.findChild(_Follower, "themeFollower",
                                Qt.FindChildOption.FindDirectChildrenOnly)
    (follower or _Follower(widget)).put(object() if key is None else key, apply)


def tint(widget: QWidget, color: Callable[[QPalette], QColor],
         role: QPalette.ColorRole = QPalette.ColorRole.WindowText) -> None:
    """Give ``widget``'s ``role`` the colour ``color(palette)`` (e.g. :func:`muted_text`,
    :func:`error_text`, :func:`plain_text`), now and after every theme change; a later
    ``tint`` of the same role replaces this one. ``palette`` is the parent's (the
    application's for a window), never the widget's own, which holds the last tint."""

    def apply() -> None:
        parent = widget.parentWidget()
        wanted = color(parent.palette() if parent is not None else app_palette())
        pal = widget.palette()
        if pal.color(role) != wanted:
            pal.setColor(role, wanted)
            widget.setPalette(pal)

    follow(widget, apply, key=("tint", role))


def plain_text(palette: QPalette) -> QColor:
    """The ordinary window text colour (a tinted label back to normal)."""
    return palette.color(QPalette.ColorRole.WindowText)

"""The system tray icon: connection colour, waiting-chat badge, blinking while a chat waits.

Usage (``ui/desktop.py`` owns one)::

    menu = QMenu()
    commands.fill_menu(menu, TRAY_MENU)                # the window's action registry
    tray = TrayIcon(prefs, parent=desktop, menu=menu)  # the tray owns the menu from now on
    tray.activated.connect(window.show_and_raise)
    bridge.connectionChanged.connect(lambda ev: tray.set_state(ev.state, ev.reason))
    queue_model.waitingCountChanged.connect(tray.set_waiting)
    tray.show()

The menu's items are not the tray's: they are the desk's commands (``ui/desk_actions.py``), the
same ``QAction`` objects as the user menu's, so their texts, check marks and enabled states
cannot disagree with it. This module builds none of its own.

The icon is painted, not loaded: a disc in the connection colour (see :mod:`.status_palette`)
with the number of waiting chats as a badge ("99+" above 99). While at least one chat waits a
timer alternates that icon with an "attention" variant (the badge inverted), so a glance at the
panel tells the agent something waits even when the window is hidden. ``tray_blink`` in the
preferences turns blinking off (the badge stays).

Nothing here assumes a tray exists: on a desktop without one (``isSystemTrayAvailable()`` false)
``show()`` does nothing and the window must stay reachable (the app should then not hide to tray).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from supportdesk_qt.platform.status_palette import badge_colors, status_color
from supportdesk_qt.qt import (
    QColor,
    QFont,
    QIcon,
    QLocale,
    QMenu,
    QObject,
    QPainter,
    QPen,
    QPixmap,
    QRectF,
    QSystemTrayIcon,
    Qt,
    QTimer,
    Signal,
)

if TYPE_CHECKING:
    from supportdesk_qt.core.settings import Preferences

log = logging.getLogger("supportdesk.tray")

BLINK_INTERVAL_MS = 700
ICON_SIZES = (16, 22, 24, 32, 48, 64)


def badge_text(count: int, locale: QLocale | None = None) -> str:
    """The badge label: the count in the user's digits, capped at "99+"; empty for none."""
    if count <= 0:
        return ""
    loc = locale or QLocale()
    return loc.toString(99) + "+" if count > 99 else loc.toString(count)


def render_icon_pixmap(state: str, count: int, size: int, *, attention: bool = False,
                       locale: QLocale | None = None) -> QPixmap:
    """One tray pixmap: a status disc with the waiting count as a badge.

    ``attention`` draws the blink phase: the badge inverted (light disc, dark number) so the
    alternation is visible on light and dark panels alike.
    """
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = status_color(state)
    outline = QColor(colour).darker(170)
    inset = max(1.0, size / 16)
    disc = QRectF(inset, inset, size - 2 * inset, size - 2 * inset)
    p.setPen(QPen(outline, max(1.0, size / 16)))
    p.setBrush(colour)
    p.drawEllipse(disc)
    text = badge_text(count, locale)
    if text:
        fill, ink = badge_colors(attention)
        badge_h = size * 0.58
        font = QFont()
        font.setBold(True)
        font.setPixelSize(max(7, int(badge_h * 0.78)))
        p.setFont(font)
        text_w = p.fontMetrics().horizontalAdvance(text)
        badge_w = min(float(size), max(badge_h, text_w + badge_h * 0.45))
        badge = QRectF(size - badge_w, size - badge_h, badge_w, badge_h)
        p.setPen(QPen(ink, max(1.0, size / 24)))
        p.setBrush(fill)
        p.drawRoundedRect(badge, badge_h / 2, badge_h / 2)
        p.setPen(ink)
        p.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
    p.end()
    return pm


def render_icon(state: str, count: int, *, attention: bool = False,
                locale: QLocale | None = None) -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addPixmap(render_icon_pixmap(state, count, size, attention=attention, locale=locale))
    return icon


class TrayIcon(QObject):
    """The desk's tray icon. See the module docstring for wiring.

    Signals:
        activated(): the icon was clicked (or double-clicked): show and raise the main window.

    ``menu``: the context menu (its actions belong to whoever made them); the tray deletes the
    menu itself when it goes. Without one the icon has no menu.
    """

    activated = Signal()

    def __init__(self, prefs: Preferences | None = None, parent: QObject | None = None, *,
                 menu: QMenu | None = None) -> None:
        super().__init__(parent)
        self._prefs = prefs
        self._state = "disconnected"
        self._reason = ""
        self._waiting = 0
        self._attention = False
        self._icons: dict[tuple[str, int, bool], QIcon] = {}

        self._tray = QSystemTrayIcon(self)
        self._tray.activated.connect(self._on_activated)

        self._menu = menu
        if menu is not None:       # a tray menu has no parent widget: it goes with the tray
            self._tray.setContextMenu(menu)
            self.destroyed.connect(menu.deleteLater)

        self._blink = QTimer(self)
        self._blink.setInterval(BLINK_INTERVAL_MS)
        self._blink.timeout.connect(self._toggle_attention)
        self._unsubscribe = None
        if prefs is not None:
            self._unsubscribe = prefs.on_change(lambda _n, _v: self._update_blink(), "tray_blink")
        self._refresh()

    # -- API

    @property
    def systray(self) -> QSystemTrayIcon:
        """The wrapped ``QSystemTrayIcon`` (the notifier falls back to its ``showMessage``)."""
        return self._tray

    @property
    def menu(self) -> QMenu | None:
        return self._menu

    @staticmethod
    def is_available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> None:
        self._tray.show()

    def hide(self) -> None:
        self._tray.hide()

    def is_visible(self) -> bool:
        return self._tray.isVisible()

    def set_state(self, state: str, reason: str = "") -> None:
        """The connection state (a ``ConnectionState`` or its string value) and why."""
        state = str(getattr(state, "value", state))
        if (state, reason) == (self._state, self._reason):
            return
        self._state, self._reason = state, reason
        self._refresh()

    def set_waiting(self, count: int) -> None:
        """How many chats wait untaken. Above zero the icon shows the badge and blinks."""
        count = max(0, int(count))
        if count == self._waiting:
            return
        self._waiting = count
        self._update_blink()
        self._refresh()

    @property
    def state(self) -> str:
        return self._state

    @property
    def waiting(self) -> int:
        return self._waiting

    def is_blinking(self) -> bool:
        return self._blink.isActive()

    def is_attention_phase(self) -> bool:
        """True while the blink shows the inverted-badge icon."""
        return self._attention

    def current_icon_image(self, size: int = 32):
        """What the tray shows now, as a ``QImage`` (for tests and screenshots)."""
        return self._tray.icon().pixmap(size, size).toImage()

    def tooltip(self) -> str:
        return self._tray.toolTip()

    def badge_count(self) -> int:
        """The count the icon's badge was last drawn with (tests: it agrees with the tooltip)."""
        return getattr(self, "_painted", 0)

    # -- internals

    def _lost(self) -> bool:
        # reconnecting after a drop (a reason is given): red like the window's light
        return self._state == "connecting" and bool(self._reason)

    def _state_text(self) -> str:
        if self._lost():
            return self.tr("Reconnecting…")
        return {
            "connected": self.tr("Connected"),
            "connecting": self.tr("Connecting…"),
            "failed": self.tr("Connection failed"),
            "disconnected": self.tr("Disconnected"),
        }.get(self._state, self._state)

    def _refresh(self) -> None:
        disc = "failed" if self._lost() else self._state
        key = (disc, self._waiting, self._attention)
        icon = self._icons.get(key)
        if icon is None:
            if len(self._icons) > 64:  # counts change all day; keep the cache bounded
                self._icons.clear()
            icon = self._icons[key] = render_icon(disc, self._waiting,
                                                  attention=self._attention)
        self._tray.setIcon(icon)
        self._painted = self._waiting      # badge and tooltip are set here together, only here
        lines = [self.tr("SupportDesk — %1").replace("%1", self._state_text())]
        if self._reason:
            lines.append(self._reason)
        if self._waiting:
            # %Ln: the count in the locale's digits; the plural forms are in the .ts files
            # (English too: resources/translations/supportdesk_en.ts)
            lines.append(self.tr("%Ln chat(s) waiting", "", self._waiting))
        else:
            lines.append(self.tr("No chats waiting"))
        self._tray.setToolTip("\n".join(lines))

    def _blink_enabled(self) -> bool:
        return self._prefs is None or bool(self._prefs.tray_blink)

    def _update_blink(self) -> None:
        if self._waiting > 0 and self._blink_enabled():
            if not self._blink.isActive():
                self._blink.start()
        else:
            self._blink.stop()
            if self._attention:
                self._attention = False
                self._refresh()

    def _toggle_attention(self) -> None:
        self._attention = not self._attention
        self._refresh()

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.activated.emit()

    def dispose(self) -> None:
        """Hide the icon and stop timers (call at shutdown; also safe to skip)."""
        self._blink.stop()
        self._tray.hide()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

"""Colours for things painted outside the app's own windows (the tray icon and its badge).

The window's indicator colours come from :mod:`supportdesk_qt.ui.theme`, which derives them from
the app palette. The tray is drawn on the desktop panel instead, whose colour the app cannot know
(dark on most Linux panels and Windows 11, light on others), so these are fixed mid-lightness
colours that read on both, and painted with a darker outline. The hues match the window's
traffic light (green connected, amber connecting, red failed) so both tell the same story.
"""

from __future__ import annotations

from supportdesk_qt.qt import QColor

# Hue (degrees), saturation, lightness of each connection state on a panel of unknown colour.
_STATUS_HSL = {
    "connected": (135, 0.70, 0.42),     # green
    "connecting": (38, 0.95, 0.50),     # amber
    "failed": (2, 0.80, 0.50),          # red
    "disconnected": (0, 0.0, 0.55),     # neutral grey: not started or stopped on purpose
}

# The waiting-chat badge: a white pill with dark digits, inverted in the blink phase.
_BADGE_LIGHT = QColor.fromHslF(0.0, 0.0, 0.98)
_BADGE_DARK = QColor.fromHslF(220 / 360, 0.35, 0.16)


def status_color(state: str) -> QColor:
    """The disc colour of a connection state (``ConnectionState`` value); grey if unknown."""
    hue, sat, light = _STATUS_HSL.get(str(getattr(state, "value", state)), _STATUS_HSL["disconnected"])
    return QColor.fromHslF(hue / 360.0, sat, light)


def badge_colors(attention: bool) -> tuple[QColor, QColor]:
    """(fill, ink) of the badge; ``attention`` is the blink phase (inverted)."""
    if attention:
        return QColor(_BADGE_DARK), QColor(_BADGE_LIGHT)
    return QColor(_BADGE_LIGHT), QColor(_BADGE_DARK)

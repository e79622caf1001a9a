"""The desk's own light and dark palettes (``ui/theme_switch.py`` applies them).

Used when the person chose Light or Dark in the settings, or when the system asks for a colour
scheme its own palette does not have (the offscreen and plain X11 platforms only have a light
one). Every role is set, for the three colour groups, so nothing of the platform's palette
shows through. The text colours are chosen for WCAG AA: text, placeholder and link 4.5:1 or
more on the window, base and button colours, highlighted text on the highlight
(``tests/ui/test_theme.py`` measures them).
"""

from __future__ import annotations

from supportdesk_qt.qt import QColor, QPalette

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

_LIGHT = {
    Role.Window: "#efefef", Role.WindowText: "#1a1a1a", Role.Base: "#ffffff",
    Role.AlternateBase: "#f5f5f5", Role.Text: "#1a1a1a", Role.Button: "#efefef",
    Role.ButtonText: "#1a1a1a", Role.BrightText: "#ffffff", Role.Light: "#ffffff",
    Role.Midlight: "#cacaca", Role.Mid: "#b8b8b8", Role.Dark: "#9f9f9f", Role.Shadow: "#767676",
    Role.Highlight: "#2a6db0", Role.HighlightedText: "#ffffff", Role.Link: "#0b57c2",
    Role.LinkVisited: "#7b2fb5", Role.ToolTipBase: "#ffffdc", Role.ToolTipText: "#1a1a1a",
    Role.PlaceholderText: "#676767", Role.Accent: "#2a6db0",
}
_LIGHT_DISABLED = {
    Role.WindowText: "#9a9a9a", Role.Text: "#9a9a9a", Role.ButtonText: "#9a9a9a",
    Role.Base: "#efefef", Role.Highlight: "#919191", Role.Accent: "#919191",
    Role.PlaceholderText: "#9a9a9a",
}
_DARK = {
    Role.Window: "#2b2d31", Role.WindowText: "#e6e6e6", Role.Base: "#1e1f22",
    Role.AlternateBase: "#26282c", Role.Text: "#e6e6e6", Role.Button: "#35373c",
    Role.ButtonText: "#e6e6e6", Role.BrightText: "#ffffff", Role.Light: "#4a4d53",
    Role.Midlight: "#3e4146", Role.Mid: "#24262a", Role.Dark: "#18191c", Role.Shadow: "#000000",
    Role.Highlight: "#2f65b8", Role.HighlightedText: "#ffffff", Role.Link: "#8ab4f8",
    Role.LinkVisited: "#c58af9", Role.ToolTipBase: "#3a3d42", Role.ToolTipText: "#e6e6e6",
    Role.PlaceholderText: "#a0a3a8", Role.Accent: "#2f65b8",
}
_DARK_DISABLED = {
    Role.WindowText: "#76797f", Role.Text: "#76797f", Role.ButtonText: "#76797f",
    Role.Base: "#26282c", Role.Highlight: "#45484e", Role.Accent: "#45484e",
    Role.PlaceholderText: "#76797f",
}


def _build(colors: dict, disabled: dict) -> QPalette:
    palette = QPalette()
    for role, name in colors.items():
        palette.setColor(role, QColor(name))          # every group
    for role, name in disabled.items():
        palette.setColor(Group.Disabled, role, QColor(name))
    return palette


def light_palette() -> QPalette:
    return _build(_LIGHT, _LIGHT_DISABLED)


def dark_palette() -> QPalette:
    return _build(_DARK, _DARK_DISABLED)

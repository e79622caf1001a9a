"""Light and dark themes (ui/theme.py, ui/palettes.py, ui/theme_switch.py).

* Every status colour of ``ui/theme.py`` is measured against the backgrounds it is drawn on, in
  the desk's light and dark palettes (and Qt's own Fusion palette, what a platform without a
  theme gives "Same as the system"): WCAG AA, 4.5:1 for text, 3:1 for a dot or bar that is
  never the only carrier of the meaning (WCAG 1.4.11, non-text contrast).
* The switch in the settings, on the real window against the real server: choosing Dark and
  clicking Apply repaints at once (the application palette, a muted label, an icon, the tab
  icons), Light and "Same as the system" come back, and the choice survives a restart.
"""

from __future__ import annotations

import pytest

from supportdesk_qt.backend.base import ConnectionState
from supportdesk_qt.core import contrast
from supportdesk_qt.core.settings import Preferences
from supportdesk_qt.qt import QApplication, QColor, QComboBox, QDialogButtonBox, QPalette, Qt
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.chat.message_delegate import bubble_color
from supportdesk_qt.ui.palettes import dark_palette, light_palette
from supportdesk_qt.ui.theme_switch import theme_switch
from supportdesk_qt.ui.tickets.post_delegate import kind_colors
from tests.ui.test_shell import desk_factory  # noqa: F401  (fixture)

R = QPalette.ColorRole
TEXT, GRAPHIC = contrast.AA_TEXT, contrast.AA_LARGE_OR_GRAPHIC
WAIT = 20_000


def palettes(qapp) -> dict[str, QPalette]:
    return {"light": light_palette(), "dark": dark_palette(),
            "fusion": qapp.style().standardPalette()}


def pairs(p: QPalette) -> list[tuple[str, QColor, QColor, float]]:
    """(what, foreground, background, required ratio) for everything the theme colours."""
    window, base = p.color(R.Window), p.color(R.Base)
    own_bubble = bubble_color_of(p, own=True)
    out: list[tuple[str, QColor, QColor, float]] = []
    for state in (ConnectionState.CONNECTED, ConnectionState.CONNECTING, ConnectionState.FAILED):
        color = theme.status_color(state, p)
        # text: the waiting time in the list (base), the client status word (window), "sent" /
        # "not sent" in the agent's own bubble, error sentences
        for where, ground in (("window", window), ("base", base), ("own bubble", own_bubble),
                              ("alternate row", p.color(R.AlternateBase))):
            out.append((f"{state.name} on {where}", color, ground, TEXT))
    # disconnected: the grey dot of the light and the avatar, always next to the word that
    # says it ("Offline"): non-text, 3:1
    grey = theme.status_color(ConnectionState.DISCONNECTED, p)
    out += [("disconnected dot on window", grey, window, GRAPHIC),
            ("disconnected dot on base", grey, base, GRAPHIC)]
    error, failed = theme.error_text(p), theme.failed_background(p)
    out += [("error text on window", error, window, TEXT),
            ("error text on a failed row", error, failed, TEXT),
            ("text on a failed row", p.color(R.Text), failed, TEXT)]
    muted = theme.muted_text(p)
    out += [("muted text on window", muted, window, TEXT), ("muted text on base", muted, base, TEXT),
            ("muted text in the own bubble", muted, own_bubble, TEXT),
            ("muted text in a visitor bubble", muted, bubble_color_of(p, own=False), TEXT)]
    accent = theme.accent(p)
    out += [("accent on window", accent, window, TEXT), ("accent on base", accent, base, TEXT)]
    note = theme.note_background(p)
    out.append(("text of an internal note being written", p.color(R.Text), note, TEXT))
    for kind in ("staff", "note", "client"):
        _edge, fill = kind_colors(kind, p)
        out.append((f"text of a ticket post ({kind})", p.color(R.Text), fill, TEXT))
    for login in ("demo", "tom", "anna", "visitor:Maria Lopez12", "x", "zz"):
        out.append((f"initials on {login}'s avatar", theme.AVATAR_TEXT,
                    theme.avatar_color(login, p), TEXT))
    return out


def bubble_color_of(p: QPalette, own: bool) -> QColor:
    from supportdesk_protocol.schemas import AuthorKind
    return bubble_color(AuthorKind.AGENT if own else AuthorKind.VISITOR, own, p)


@pytest.mark.parametrize("name", ["light", "dark", "fusion"])
def test_every_status_colour_is_readable_on_its_background(qapp, name):
    p = palettes(qapp)[name]
    failures = [f"{what}: {theme.contrast_ratio(fg, bg):.2f} < {need} ({fg.name()} on {bg.name()})"
                for what, fg, bg, need in pairs(p) if theme.contrast_ratio(fg, bg) < need]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", ["light", "dark"])
def test_the_desks_palettes_are_readable_themselves(qapp, name):
    p = palettes(qapp)[name]
    assert theme.is_dark(p) == (name == "dark")
    for fg, bg in ((R.Text, R.Base), (R.WindowText, R.Window), (R.ButtonText, R.Button),
                   (R.HighlightedText, R.Highlight), (R.PlaceholderText, R.Base),
                   (R.Link, R.Base), (R.ToolTipText, R.ToolTipBase)):
        ratio = theme.contrast_ratio(p.color(fg), p.color(bg))
        assert ratio >= TEXT, (fg, bg, ratio)


def test_contrast_ratio_is_the_wcag_one():
    assert contrast.ratio((0, 0, 0), (1, 1, 1)) == pytest.approx(21.0)
    assert contrast.ratio((1, 1, 1), (1, 1, 1)) == pytest.approx(1.0)
    # #767676 on white is the classic 4.54:1 (the lightest grey that passes AA)
    grey = 0x76 / 255
    assert contrast.ratio((grey,) * 3, (1, 1, 1)) == pytest.approx(4.54, abs=0.01)


def test_readable_moves_only_the_lightness(qapp):
    pale = QColor.fromHslF(0.35, 0.7, 0.7)               # a pale green, unreadable on white
    fixed = theme.readable(pale, [QColor("white")])
    assert theme.contrast_ratio(fixed, QColor("white")) >= TEXT
    assert fixed.hslHueF() == pytest.approx(pale.hslHueF(), abs=0.01)
    assert fixed.lightnessF() < pale.lightnessF()
    dark = theme.readable(QColor.fromHslF(0.0, 0.7, 0.3), [QColor("#1e1f22")])
    assert dark.lightnessF() > 0.3
    assert theme.readable(QColor("black"), [QColor("white")]) == QColor("black")


# --- switching while the desk runs --------------------------------------------------------------


@pytest.fixture
def switch(qapp):
    s = theme_switch()
    yield s
    s.unbind()
    s.set_choice("system")          # the next tests get the platform's palette back


def pixel(icon, size=20) -> QColor:
    image = icon.pixmap(size, size).toImage()
    # the most opaque pixel: the glyph, not the transparent border
    best = max(((image.pixelColor(x, y)) for x in range(size) for y in range(size)),
               key=lambda c: c.alpha())
    return best


def choose_theme(qtbot, dialog, label: str) -> None:
    combo = dialog.findChild(QComboBox, "theme")
    index = combo.findText(label)
    assert index >= 0, label
    # focus the box and step to the entry with the arrow keys, as a person does
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    if combo.view().isVisible():
        qtbot.keyClick(combo.view(), Qt.Key.Key_Escape)
    while combo.currentIndex() != index:
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Apply),
                     Qt.MouseButton.LeftButton)


def test_choosing_dark_in_the_settings_repaints_the_running_desk(qtbot, desk_factory, switch,
                                                                 tmp_path):
    d = desk_factory()
    w = d.window
    switch.bind(d.prefs)                                   # as app.py's Desk does
    assert not switch.dark
    light_muted = w.queue_page.empty.palette().color(R.WindowText)
    light_icon = pixel(w.counter_button.icon())

    qtbot.keyClick(w, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)   # Settings…
    dialog = w.settings_dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible(), timeout=WAIT)
    with qtbot.waitSignal(switch.changed, timeout=WAIT) as changed:
        choose_theme(qtbot, dialog, dialog.tr("Dark"))
    assert changed.args == [True]
    # at once: the application palette, and (after the palette events are delivered) what was
    # coloured once at construction — the muted label, the counter's icon, the tab icons
    app_pal = QApplication.palette()
    assert theme.is_dark(app_pal) and app_pal.color(R.Window) == dark_palette().color(R.Window)
    label = w.queue_page.empty
    qtbot.waitUntil(lambda: label.palette().color(R.WindowText) == theme.muted_text(app_pal),
                    timeout=WAIT)
    assert label.palette().color(R.WindowText) != light_muted
    assert theme.contrast_ratio(label.palette().color(R.WindowText),
                                label.palette().color(R.Window)) >= TEXT
    qtbot.waitUntil(lambda: pixel(w.counter_button.icon()).lightnessF() > 0.6, timeout=WAIT)
    assert light_icon.lightnessF() < 0.4
    assert theme.is_dark(w.tabs.palette()) and theme.is_dark(dialog.palette())
    assert Preferences.load(tmp_path / "settings.json").theme == "dark"   # kept for a restart

    with qtbot.waitSignal(switch.changed, timeout=WAIT) as changed:
        choose_theme(qtbot, dialog, dialog.tr("Light"))
    assert changed.args == [False]
    assert QApplication.palette().color(R.Window) == light_palette().color(R.Window)
    qtbot.waitUntil(lambda: pixel(w.counter_button.icon()).lightnessF() < 0.4, timeout=WAIT)

    with qtbot.waitSignal(switch.changed, timeout=WAIT):
        choose_theme(qtbot, dialog, dialog.tr("Same as the system"))
    # this platform does not say (offscreen: Unknown): its own palette
    assert QApplication.palette().color(R.Window) == \
        QApplication.style().standardPalette().color(R.Window)


def test_same_as_the_system_follows_the_os_colour_scheme(qtbot, switch, monkeypatch, qapp):
    # The offscreen platform has no OS colour scheme that could change; the test replaces the
    # one function that reads it (QStyleHints.colorScheme) and emits Qt's own signal.
    scheme = {"now": Qt.ColorScheme.Light}
    monkeypatch.setattr(type(switch), "system_scheme", staticmethod(lambda: scheme["now"]))
    switch.set_choice("system")
    assert not switch.dark
    scheme["now"] = Qt.ColorScheme.Dark
    with qtbot.waitSignal(switch.changed, timeout=WAIT) as changed:
        qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert changed.args == [True] and theme.is_dark(QApplication.palette())
    # a manual choice wins over the OS
    switch.set_choice("light")
    scheme["now"] = Qt.ColorScheme.Dark
    qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert not theme.is_dark(QApplication.palette())


def test_icons_are_rendered_again_after_a_theme_change(qapp, switch):
    light = theme.icon("chats", light_palette())
    assert theme._icon.cache_info().currsize > 0
    switch.set_choice("dark")
    info = theme._icon.cache_info()
    assert info.currsize == 0                      # the cache of the old colours was dropped
    dark_icon = theme.icon("chats", QApplication.palette())
    assert pixel(dark_icon).lightnessF() > 0.6 and pixel(light).lightnessF() < 0.4

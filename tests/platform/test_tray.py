"""TrayIcon without a tray host (offscreen): the painted icon, badge, blinking, tooltip and menu.
Visibility in a real tray and real clicks are in test_desktop.py."""

from __future__ import annotations

import pytest

from supportdesk_qt.core.settings import Preferences
from supportdesk_qt.platform.status_palette import status_color
from supportdesk_qt.platform.tray import TrayIcon, badge_text, render_icon_pixmap
from supportdesk_qt.qt import QColor, QLocale, QMenu


@pytest.fixture
def prefs(tmp_path):
    return Preferences.load(tmp_path / "settings.json")


@pytest.fixture
def tray(prefs, qtbot):
    t = TrayIcon(prefs)
    yield t
    t.dispose()
    t.deleteLater()


def _centre(img) -> QColor:
    return img.pixelColor(img.width() // 2, img.height() // 3)


def _images_equal(a, b) -> bool:
    return a.convertToFormat(b.format()) == b


def test_disc_colour_follows_the_connection_state(tray):
    for state in ("connected", "connecting", "failed", "disconnected"):
        tray.set_state(state, "")
        got = _centre(tray.current_icon_image(32))
        want = status_color(state)
        assert abs(got.hueF() - want.hueF()) < 0.03 or want.hslSaturationF() == 0, state
        assert abs(got.lightnessF() - want.lightnessF()) < 0.08, state
    assert status_color("connected") != status_color("failed")


def test_a_lost_connection_being_retried_is_red_and_says_so(tray):
    tray.set_state("connecting", "")                   # first connect: amber
    first = tray.current_icon_image(32)
    assert "Connecting…" in tray.tooltip()
    tray.set_state("connecting", "The server stopped answering; reconnecting.")
    got = _centre(tray.current_icon_image(32))
    want = status_color("failed")
    assert abs(got.hueF() - want.hueF()) < 0.03 and not _images_equal(first, tray.current_icon_image(32))
    assert "Reconnecting…" in tray.tooltip() and "stopped answering" in tray.tooltip()


def test_badge_shows_the_waiting_count(tray):
    tray.set_state("connected")
    plain = tray.current_icon_image(32)
    tray.set_waiting(3)
    with_badge = tray.current_icon_image(32)
    assert not _images_equal(plain, with_badge)
    # badge sits in the lower right: that corner changed, the top left did not
    assert plain.pixelColor(4, 4) == with_badge.pixelColor(4, 4)
    assert plain.pixelColor(26, 26) != with_badge.pixelColor(26, 26)
    # different counts paint different badges
    assert not _images_equal(render_icon_pixmap("connected", 3, 32).toImage(),
                             render_icon_pixmap("connected", 8, 32).toImage())


def test_badge_text_is_localised_and_capped():
    assert badge_text(0) == ""
    assert badge_text(7, QLocale(QLocale.Language.English)) == "7"
    assert badge_text(250, QLocale(QLocale.Language.English)) == "99+"
    assert badge_text(5, QLocale(QLocale.Language.Arabic, QLocale.Country.Egypt)) == "٥"


def test_blinks_while_a_chat_waits(tray, qtbot, prefs):
    tray.set_state("connected")
    assert not tray.is_blinking()
    tray.set_waiting(2)
    assert tray.is_blinking()
    steady = tray.current_icon_image(32)
    qtbot.waitUntil(tray.is_attention_phase, timeout=3000)
    blinked = tray.current_icon_image(32)
    assert not _images_equal(steady, blinked), "the blink phase must look different"
    qtbot.waitUntil(lambda: not tray.is_attention_phase(), timeout=3000)
    assert _images_equal(steady, tray.current_icon_image(32))

    tray.set_waiting(0)                       # taken: no blinking, no badge
    assert not tray.is_blinking() and not tray.is_attention_phase()
    assert _images_equal(tray.current_icon_image(32),
                         render_icon_pixmap("connected", 0, 32).toImage())


def test_blinking_can_be_turned_off(tray, prefs, qtbot):
    tray.set_waiting(1)
    assert tray.is_blinking()
    prefs.tray_blink = False
    assert not tray.is_blinking() and not tray.is_attention_phase()
    prefs.tray_blink = True
    assert tray.is_blinking()


def test_tooltip_has_state_reason_and_count(tray):
    tray.set_state("failed", "The server refused the session; sign in again.")
    tray.set_waiting(4)
    tip = tray.tooltip()
    assert "Connection failed" in tip
    assert "The server refused the session; sign in again." in tip
    assert "4 chats waiting" in tip
    tray.set_waiting(0)
    assert "No chats waiting" in tray.tooltip()


def test_the_menu_is_the_one_it_is_given_and_goes_with_the_tray(prefs, qtbot):
    # the desk gives the tray its commands' menu (ui/desktop.py; tested there with the registry);
    # the tray builds no items of its own
    bare = TrayIcon(prefs)
    assert bare.menu is None
    bare.dispose()
    bare.deleteLater()
    menu = QMenu()
    show = menu.addAction("Show")
    tray = TrayIcon(prefs, menu=menu)
    assert tray.menu is menu and tray.systray.contextMenu() is menu
    assert menu.actions() == [show]
    with qtbot.waitSignal(menu.destroyed, timeout=1000):
        tray.dispose()
        tray.deleteLater()

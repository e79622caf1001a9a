"""Tray and notification cases on a real desktop: run by ``test_desktop.py`` in a child process.

Not collected by the normal run (the file name has no ``test_`` prefix): the parent starts a
private Xvfb, a private D-Bus session bus, dunst (the notification daemon) and trayer (an XEmbed
tray host), then runs this file with ``QT_QPA_PLATFORM=xcb`` on that display and bus, and reports
each case as its own test. Running it by hand outside that setup skips everything.

dunst is asked what it got through ``dunstctl`` on the same private bus: ``close-all`` moves the
shown notifications into its history, ``history`` prints them as JSON, ``action 0`` invokes the
default action of the first one shown (which makes dunst send ActionInvoked to the desk).
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid

import pytest

if not os.environ.get("SUPPORTDESK_DESKTOP_TEST"):
    pytest.skip("run through tests/platform/test_desktop.py (needs its private Xvfb, D-Bus, "
                "dunst and trayer)", allow_module_level=True)

from supportdesk_qt.app import Desk, parse_args  # noqa: E402
from supportdesk_qt.platform.notifications import NotificationKind, Notifier  # noqa: E402
from supportdesk_qt.platform.tray import TrayIcon  # noqa: E402
from supportdesk_qt.qt import QApplication, QSystemTrayIcon, Qt  # noqa: E402
from tests.platform.conftest import MULTIMEDIA_NOISE, start_private_bus  # noqa: E402
import tests.ui.conftest as ui_fixtures  # noqa: E402
from tests.ui.test_desk_e2e import WAIT, sign_in, wait_connected  # noqa: E402
from tests.ui.visitor import Visitor  # noqa: E402


def dunstctl(*args: str) -> str:
    return subprocess.run(["dunstctl", *args], check=True, capture_output=True, text=True,
                          timeout=10).stdout


def dunst_displayed() -> int:
    return int(dunstctl("count", "displayed").strip())


def dunst_history() -> list[dict]:
    """Everything dunst has shown and closed, newest first, as plain dicts."""
    data = json.loads(dunstctl("history"))["data"][0]
    return [{k: v["data"] for k, v in entry.items()} for entry in data]


@pytest.fixture
def clean_dunst(qtbot):
    dunstctl("close-all")
    qtbot.waitUntil(lambda: dunst_displayed() == 0, timeout=5000)


@pytest.fixture
def notifier(qtbot):
    n = Notifier()
    assert n.backend == "dbus"
    yield n
    n.shutdown()


@pytest.fixture
def tray(qtbot):
    qtbot.waitUntil(QSystemTrayIcon.isSystemTrayAvailable, timeout=10_000)
    t = TrayIcon()
    yield t
    t.dispose()


def _tray_widget():
    """Qt's XEmbed tray window (QSystemTrayIconSys), once the tray host embedded it."""
    for w in QApplication.topLevelWidgets():
        if w.metaObject().className() == "QSystemTrayIconSys" and w.isVisible():
            return w
    return None


def _x_parent(win_id: int) -> int:
    out = subprocess.run(["xwininfo", "-children", "-id", str(win_id)], check=True,
                         capture_output=True, text=True, timeout=10).stdout
    for line in out.splitlines():
        if "Parent window id:" in line:
            return int(line.split(":", 1)[1].split()[0], 16)
    raise AssertionError(out)


def _root_id() -> int:
    out = subprocess.run(["xwininfo", "-root"], check=True, capture_output=True, text=True,
                         timeout=10).stdout
    return int(out.split("Window id:", 1)[1].split()[0], 16)


def test_tray_icon_is_embedded_and_clickable(tray, qtbot):
    tray.set_state("connected")
    tray.show()
    qtbot.waitUntil(lambda: _tray_widget() is not None and tray.systray.geometry().width() > 0,
                    timeout=10_000)
    widget = _tray_widget()
    # embedded: the icon's X window now lives inside trayer's window, not on the root
    qtbot.waitUntil(lambda: _x_parent(int(widget.winId())) != _root_id(), timeout=10_000)
    assert tray.is_visible()
    # a real click (XTest, like a mouse) on the icon where X shows it: shows/raises the desk
    geo = dict(line.split("=", 1) for line in subprocess.run(
        ["xdotool", "getwindowgeometry", "--shell", str(int(widget.winId()))], check=True,
        capture_output=True, text=True, timeout=10).stdout.split())
    x = int(geo["X"]) + int(geo["WIDTH"]) // 2
    y = int(geo["Y"]) + int(geo["HEIGHT"]) // 2
    with qtbot.waitSignal(tray.activated, timeout=5000):
        subprocess.run(["xdotool", "mousemove", "--sync", str(x), str(y), "click", "1"],
                       check=True, timeout=10)


def test_tray_badge_and_blink_on_screen(tray, qtbot):
    tray.set_state("connected")
    tray.show()
    qtbot.waitUntil(lambda: _tray_widget() is not None, timeout=10_000)
    widget = _tray_widget()
    screen = widget.screen()

    def on_screen():
        return screen.grabWindow(int(widget.winId())).toImage()

    def painted():  # embedded and drawn: the disc's green is on screen
        img = on_screen()
        c = img.pixelColor(img.width() // 2, img.height() // 3)
        return c.green() > c.red() + 40

    qtbot.waitUntil(painted, timeout=10_000)
    plain = on_screen()
    tray.set_waiting(3)
    assert tray.is_blinking()
    qtbot.waitUntil(lambda: on_screen() != plain, timeout=5000)           # the badge appeared
    qtbot.waitUntil(tray.is_attention_phase, timeout=5000)
    qtbot.waitUntil(lambda: not tray.is_attention_phase(), timeout=5000)
    steady = on_screen()
    qtbot.waitUntil(tray.is_attention_phase, timeout=5000)
    qtbot.waitUntil(lambda: on_screen() != steady, timeout=5000)          # and it blinks
    tray.set_waiting(0)
    assert not tray.is_blinking()
    qtbot.waitUntil(lambda: on_screen() == plain, timeout=5000)           # back to no badge
    assert "No chats waiting" in tray.tooltip()


def test_notification_reaches_dunst_as_plain_text(notifier, clean_dunst, qtbot):
    tag = uuid.uuid4().hex[:8]
    with qtbot.waitSignal(notifier.delivered, timeout=5000) as blocker:
        rec = notifier.notify(NotificationKind.NEW_CHAT, f"Visitor <i>Anna</i> {tag}",
                              "<b>x</b> & y", key=f"chat:{tag}")
    assert rec.via == "dbus" and rec.shown
    key, nid = blocker.args
    assert key == f"chat:{tag}"
    assert dunst_displayed() == 1
    dunstctl("close-all")
    got = [e for e in dunst_history() if e["id"] == nid]
    assert len(got) == 1, dunst_history()
    entry = got[0]
    assert entry["appname"] == "SupportDesk"
    assert entry["summary"] == f"Visitor <i>Anna</i> {tag}"       # summary: plain by spec
    assert entry["body"] == "&lt;b&gt;x&lt;/b&gt; &amp; y"         # shown as "<b>x</b> & y"
    assert "<b>x</b>" not in entry["message"]                      # nothing rendered bold


def test_same_chat_updates_one_notification(notifier, clean_dunst, qtbot):
    tag = uuid.uuid4().hex[:8]
    key = f"chat:{tag}"
    with qtbot.waitSignal(notifier.delivered, timeout=5000) as first:
        notifier.notify("message", "Anna", f"first {tag}", key=key)
    with qtbot.waitSignal(notifier.delivered, timeout=5000) as second:
        notifier.notify("message", "Anna", f"second {tag}", key=key)
    assert first.args[1] == second.args[1], "the second must replace the first"
    with qtbot.waitSignal(notifier.delivered, timeout=5000):
        notifier.notify("message", "Boris", f"other {tag}", key=f"chat:other-{tag}")
    assert dunst_displayed() == 2
    dunstctl("close-all")
    bodies = [e["body"] for e in dunst_history() if tag in e["body"]]
    assert sorted(bodies) == sorted([f"second {tag}", f"other {tag}"])


def test_clicking_the_notification_opens_its_chat(notifier, clean_dunst, qtbot):
    tag = uuid.uuid4().hex[:8]
    with qtbot.waitSignal(notifier.delivered, timeout=5000):
        notifier.notify("forwarded", "Chat forwarded to you", "Billing question", key=f"chat:{tag}")
    with qtbot.waitSignal(notifier.clicked, timeout=5000) as blocker:
        dunstctl("action", "0")        # the user clicks it: dunst invokes the default action
    assert blocker.args == [f"chat:{tag}"]


def test_withdraw_closes_the_notification(notifier, clean_dunst, qtbot):
    tag = uuid.uuid4().hex[:8]
    with qtbot.waitSignal(notifier.delivered, timeout=5000):
        notifier.notify("new_chat", "Visitor", "waiting", key=f"chat:{tag}")
    assert dunst_displayed() == 1
    notifier.withdraw(f"chat:{tag}")   # a colleague took the chat
    qtbot.waitUntil(lambda: dunst_displayed() == 0, timeout=5000)


def test_without_a_notification_service_the_tray_balloon_is_used(tray, qtbot, tmp_path):
    proc, address = start_private_bus(tmp_path / "empty-bus")   # no dunst on this one
    try:
        tray.show()
        qtbot.waitUntil(lambda: _tray_widget() is not None, timeout=10_000)
        notifier = Notifier(tray=tray.systray, bus_address=address)
        with qtbot.waitSignal(notifier.backendChanged, timeout=5000) as changed:
            pass
        assert changed.args == ["tray"]
        rec = notifier.notify("new_chat", "Visitor <b>Bob</b>", "hello", key="chat:fallback")
        assert (rec.via, rec.shown) == ("tray", True)

        def balloon():
            for w in QApplication.topLevelWidgets():
                if w.metaObject().className() == "QBalloonTip" and w.isVisible():
                    return w
            return None

        qtbot.waitUntil(lambda: balloon() is not None, timeout=5000)
        with qtbot.waitSignal(notifier.clicked, timeout=5000) as clicked:
            qtbot.mouseClick(balloon(), Qt.MouseButton.LeftButton)
        assert clicked.args == ["chat:fallback"]
        notifier.shutdown()
    finally:
        proc.terminate()
        proc.wait(10)


def test_after_the_user_closes_it_the_next_one_is_new(notifier, clean_dunst, qtbot):
    tag = uuid.uuid4().hex[:8]
    key = f"chat:{tag}"
    with qtbot.waitSignal(notifier.delivered, timeout=5000) as first:
        notifier.notify("message", "Anna", f"one {tag}", key=key)
    dunstctl("close-all")                      # dismissed: dunst sends NotificationClosed
    qtbot.waitUntil(lambda: notifier.notification_id(key) is None, timeout=5000)
    with qtbot.waitSignal(notifier.delivered, timeout=5000) as second:
        notifier.notify("message", "Anna", f"two {tag}", key=key)
    assert second.args[1] != first.args[1]
    assert dunst_displayed() == 1


def test_other_applications_notifications_are_not_ours(notifier, clean_dunst, qtbot):
    # another app's clickable notification (notify-send waits for the click with -A)
    other = subprocess.Popen(["notify-send", "-a", "OtherApp", "-A", "default=Open",
                              "not the desk"], stdout=subprocess.DEVNULL)
    try:
        qtbot.waitUntil(lambda: dunst_displayed() == 1, timeout=5000)
        with qtbot.assertNotEmitted(notifier.clicked):
            dunstctl("action", "0")
            qtbot.waitUntil(lambda: dunst_displayed() == 0, timeout=5000)
            # dunst answers our next call after anything it sent us before: once this reply is
            # here, a stray ActionInvoked would have been delivered too
            with qtbot.waitSignal(notifier.delivered, timeout=5000):
                notifier.notify("message", "Anna", "ours", key="chat:ours")
    finally:
        other.terminate()
        other.wait(10)


# the qasync loop of the widget tests (tests/ui/conftest.py), for the case that runs the whole desk
_session_qloop = ui_fixtures._session_qloop
aloop = ui_fixtures.aloop
run = ui_fixtures.run


@pytest.mark.qt_log_ignore(*MULTIMEDIA_NOISE)   # the desk rings for the new chat
def test_the_desk_notifies_dunst_when_a_visitor_opens_a_chat(qapp, qtbot, aloop, run, server,
                                                              clean_dunst):
    """End to end: the real desk (Desk + DesktopIntegration, D-Bus and tray found on its own)
    signed in to the real server; three visitors open chats one after the other; dunst shows one
    notification of the desk's, updated each time (not three piled up)."""
    qtbot.waitUntil(QSystemTrayIcon.isSystemTrayAvailable, timeout=10_000)
    desk = Desk(qapp, parse_args(["--server", server.url]))
    runner = aloop.create_task(desk.run())
    try:
        sign_in(qtbot, desk)
        wait_connected(qtbot, desk)
        desktop = desk.desktop
        assert desktop.notifier.backend == "dbus" and desktop.tray.is_visible()
        delivered: list[tuple[str, int]] = []
        desktop.notifier.delivered.connect(lambda key, nid: delivered.append((key, nid)))
        tag = uuid.uuid4().hex[:6]
        visitors = []
        for i, name in enumerate(("Anna", "Boris", "Chen")):   # three new chats, one by one
            visitor = Visitor(server.url)
            run(visitor.connect())
            run(visitor.start_chat("Domains", f"{name} {tag}", "Is example.org <free>?"))
            visitors.append(visitor)
            qtbot.waitUntil(lambda: len(delivered) == i + 1, timeout=WAIT)
            assert dunst_displayed() == 1, "one notification that updates, not a pile"
        assert desktop.tray.waiting == 3 and desktop.tray.is_blinking()
        keys = {key for key, _nid in delivered}
        ids = {nid for _key, nid in delivered}
        assert keys == {"queue"} and len(ids) == 1, delivered      # replaced, not new ones
        dunstctl("close-all")
        entries = [e for e in dunst_history() if e["id"] in ids]
        assert len(entries) == 1, dunst_history()
        (entry,) = entries
        assert entry["appname"] == "SupportDesk"
        assert entry["summary"] == "3 chats are waiting"
        assert entry["body"].splitlines() == [f"Anna {tag} (Domains)", f"Boris {tag} (Domains)",
                                              f"Chen {tag} (Domains)"]
        # the agent is at the desk (its window is the active one): the popup times out; away
        # from it, it would stay until dismissed (timeout 0)
        assert not desktop.agent_away() and entry["timeout"] > 0, entry
        for visitor in visitors:
            run(visitor.close())
    finally:
        desk.request_quit()
        qtbot.waitUntil(runner.done, timeout=WAIT)
    assert runner.result() == 0 and not desk.desktop.tray.is_visible()

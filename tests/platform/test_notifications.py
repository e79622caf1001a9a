"""Notifier without a desktop: records, preferences, escaping, and falling back when the session
bus has no notification service. The real daemon (dunst) is in test_desktop.py."""

from __future__ import annotations

import logging

import pytest

from supportdesk_qt.core.settings import Preferences
from supportdesk_qt.platform.notifications import (
    NotificationKind,
    NotificationRecord,
    Notifier,
    escape_body,
)


@pytest.fixture
def prefs(tmp_path):
    return Preferences.load(tmp_path / "settings.json")


def test_escape_body_keeps_text_literal():
    assert escape_body('<b>x</b> & "q"') == '&lt;b&gt;x&lt;/b&gt; &amp; "q"'


def test_every_notification_is_recorded_even_when_switched_off(prefs, qtbot):
    n = Notifier(prefs, use_dbus=False)
    prefs.notify_message_tray = False
    with qtbot.waitSignal(n.raised, timeout=1000) as blocker:
        rec = n.notify(NotificationKind.MESSAGE, "Anna", "hi", key="chat:1")
    assert blocker.args == [rec]
    assert isinstance(rec, NotificationRecord)
    assert (rec.kind, rec.title, rec.body, rec.key, rec.shown, rec.via) == (
        NotificationKind.MESSAGE, "Anna", "hi", "chat:1", False, "none")
    assert rec.time.tzinfo is not None


def test_titles_are_one_line_and_long_text_is_capped(prefs):
    n = Notifier(prefs, use_dbus=False)
    rec = n.notify("new_chat", "Anna\nSmith", "x" * 5000)
    assert rec.title == "Anna Smith"
    assert len(rec.body) <= 400 and rec.body.endswith("…")


def test_nowhere_to_show_is_logged_once(prefs, caplog):
    caplog.set_level(logging.WARNING, logger="supportdesk.notifications")
    n = Notifier(prefs, use_dbus=False)      # no bus, no tray (offscreen has no tray)
    assert n.backend == "none"
    for i in range(3):
        n.notify("error", "Connection lost", f"try {i}")
    assert len([r for r in caplog.records if r.name == "supportdesk.notifications"]) == 1


def test_bus_without_notification_service_falls_back(prefs, qtbot, private_bus):
    n = Notifier(prefs, bus_address=private_bus)
    try:
        assert n.backend == "dbus"           # optimistic until the bus says otherwise
        with qtbot.waitSignal(n.backendChanged, timeout=5000) as blocker:
            pass
        assert blocker.args == ["none"]      # no service, and offscreen has no tray
        rec = n.notify("new_chat", "Visitor", "hello", key="chat:9")
        assert rec.via == "none" and not rec.shown
    finally:
        n.shutdown()


def test_unreachable_bus_means_no_dbus(prefs, tmp_path):
    n = Notifier(prefs, bus_address=f"unix:path={tmp_path / 'no-such-bus'}")
    assert n.backend == "none"


def test_follows_the_service_coming_and_going(prefs, qtbot, private_bus):
    """NameOwnerChanged: a daemon starting later switches to D-Bus; its exit switches back."""
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    n = Notifier(prefs, bus_address=private_bus)
    try:
        with qtbot.waitSignal(n.backendChanged, timeout=5000) as gone:
            pass
        assert gone.args == ["none"]
        daemon = open_dbus_connection(bus=private_bus)   # stands in for dunst starting
        with qtbot.waitSignal(n.backendChanged, timeout=5000) as came:
            reply = daemon.send_and_get_reply(
                message_bus.RequestName("org.freedesktop.Notifications"), timeout=5)
            assert reply.body == (1,)                      # primary owner
        assert came.args == ["dbus"] and n.backend == "dbus"
        with qtbot.waitSignal(n.backendChanged, timeout=5000) as left:
            daemon.close()                                  # the daemon exits
        assert left.args == ["none"]
    finally:
        n.shutdown()

"""The desk's tray, notifications, alert sounds, close-to-tray, single instance and log out
(ui/desktop.py wired by app.py), against the real server with a real visitor.

The offscreen platform has neither a system tray nor (here) a D-Bus session bus, so the desk is
told a tray exists (``tray_available=True``: the icon's state, badge and blink are all kept by
``TrayIcon`` whether or not a panel shows it) and the Notifier falls back; every notification is
still raised (``Notifier.raised``) and logged, which is what these tests follow. What dunst and
trayer really receive is tests/platform/desktop_cases.py. No sleeps: every wait is
``qtbot.waitUntil`` / ``waitSignal``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest

from supportdesk_protocol.events import EventType, ForwardEvent
from supportdesk_qt.app import Desk, parse_args
from supportdesk_qt.backend.base import ConnectionChanged, ConnectionState, ServerEvent
from supportdesk_qt.core.secrets import SecretStore
from supportdesk_qt.core.settings import Preferences
from supportdesk_qt.platform.notifications import NotificationKind
from supportdesk_qt.platform.single_instance import SingleInstance
from supportdesk_qt.ui.desktop import DesktopIntegration
from tests.ui.test_desk_e2e import WAIT, sign_in, wait_connected
from tests.ui.visitor import Visitor

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _no_session_bus(monkeypatch):
    # never pop real notifications on the machine running the tests
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)


@pytest.fixture
def make_desk(qapp, aloop, qtbot, server):
    """``make_desk(tray=True, **prefs)``: a Desk on ``--server`` with these preferences."""
    desks: list[Desk] = []

    def make(tray: bool = True, instance: SingleInstance | None = None, **prefs) -> Desk:
        preferences = Preferences.load()
        if prefs:
            preferences.update(**prefs)
        d = Desk(qapp, parse_args(["--server", server.url]), preferences=preferences,
                 tray_available=tray, use_dbus=False, instance=instance)
        d.records = []
        d.runner = aloop.create_task(d.run())
        qtbot.waitUntil(lambda: d.desktop is not None, timeout=WAIT)
        d.desktop.notifier.raised.connect(d.records.append)
        desks.append(d)
        return d

    yield make
    for d in desks:
        d.request_quit()
    for d in desks:
        qtbot.waitUntil(d.runner.done, timeout=WAIT)
        d.runner.result()


def records_of(desk: Desk, kind: NotificationKind, key: str) -> list:
    return [r for r in desk.records if r.kind == kind and r.key == key]


def test_a_waiting_chat_notifies_blinks_and_rings_until_taken(qtbot, run, make_desk, server):
    desk = make_desk()
    sign_in(qtbot, desk)
    w = desk.window
    wait_connected(qtbot, w)
    tray, alert = desk.desktop.tray, desk.desktop.alert
    assert tray.waiting == 0 and not tray.is_blinking() and not alert.is_repeating()
    assert tray.state == "connected"
    played: list[str] = []
    alert.played.connect(played.append)
    log_rows = w.notifications_panel.model.rowCount()

    visitor = Visitor(server.url)
    run(visitor.connect())
    run(visitor.start_chat("Billing", "Nora <b>Visitor</b>", "Where is my invoice?"))
    key = f"chat:{visitor.chat['id']}"
    qtbot.waitUntil(lambda: bool(records_of(desk, NotificationKind.NEW_CHAT, "queue")),
                    timeout=WAIT)
    (record,) = records_of(desk, NotificationKind.NEW_CHAT, "queue")
    assert "Nora <b>Visitor</b>" in record.title and "Billing" in record.title
    assert record.body == "Where is my invoice?"
    assert record.via == "none"          # offscreen: no service, no real tray; still logged
    qtbot.waitUntil(lambda: w.notifications_panel.model.rowCount() == log_rows + 1, timeout=WAIT)

    # the tray counts and blinks; the sound rang once and repeats every 30 s until taken
    assert tray.waiting == 1 and tray.is_blinking()
    assert "1 chat waiting" in tray.tooltip()
    assert played == ["new_chat"]
    assert alert.is_repeating() and alert.repeat_timer.interval() == 30_000

    withdrawn: list[str] = []
    notifier = desk.desktop.notifier
    original = notifier.withdraw
    notifier.withdraw = lambda k: (withdrawn.append(k), original(k))

    # the agent clicks the notification (the one waiting chat): it is taken and opens in a tab
    w.hide()
    notifier.clicked.emit("queue")
    qtbot.waitUntil(lambda: w.tab_manager.find_tab(key) >= 0, timeout=WAIT)
    assert w.isVisible() and w.tabs.currentIndex() == w.tab_manager.find_tab(key)
    qtbot.waitUntil(lambda: tray.waiting == 0, timeout=WAIT)
    assert not tray.is_blinking() and not alert.is_repeating()
    assert "queue" in withdrawn           # its popup is taken away
    run(visitor.close())


def test_a_colleague_taking_the_chat_withdraws_the_popup_and_stops_the_sound(
        qtbot, run, make_desk, server):
    desk = make_desk()
    sign_in(qtbot, desk)
    wait_connected(qtbot, desk.window)
    withdrawn: list[str] = []
    notifier = desk.desktop.notifier
    original = notifier.withdraw
    notifier.withdraw = lambda k: (withdrawn.append(k), original(k))

    visitor = Visitor(server.url)
    run(visitor.connect())
    run(visitor.start_chat("Technical support", "Omar", "Site down"))
    qtbot.waitUntil(lambda: bool(records_of(desk, NotificationKind.NEW_CHAT, "queue")),
                    timeout=WAIT)
    assert desk.desktop.alert.is_repeating()
    r = httpx.post(server.api(f"/chats/{visitor.chat['id']}/take"),
                   headers={"Authorization": f"Bearer {server.login('tom')}"})
    assert r.status_code == 200
    qtbot.waitUntil(lambda: "queue" in withdrawn, timeout=WAIT)
    qtbot.waitUntil(lambda: desk.desktop.tray.waiting == 0, timeout=WAIT)
    assert not desk.desktop.alert.is_repeating() and not desk.desktop.tray.is_blinking()
    run(visitor.close())


def test_a_chat_forwarded_to_my_department_is_announced(qtbot, run, make_desk, server):
    desk = make_desk()
    sign_in(qtbot, desk)
    wait_connected(qtbot, desk.window)
    played: list[str] = []
    desk.desktop.alert.played.connect(played.append)
    visitor = Visitor(server.url)
    run(visitor.connect())
    run(visitor.start_chat("Technical support", "Fiona", "Question about a refund"))
    chat_id = visitor.chat["id"]
    tom = {"Authorization": f"Bearer {server.login('tom')}"}
    assert httpx.post(server.api(f"/chats/{chat_id}/take"), headers=tom).status_code == 200
    billing = visitor.department_id("Billing")       # Dana (demo) is in every department
    r = httpx.post(server.api(f"/chats/{chat_id}/forward"), headers=tom,
                   json={"department_id": billing, "comment": "a billing question"})
    assert r.status_code == 200, r.text
    key = f"chat:{chat_id}"
    qtbot.waitUntil(lambda: bool(records_of(desk, NotificationKind.FORWARDED, key)), timeout=WAIT)
    (record,) = records_of(desk, NotificationKind.FORWARDED, key)
    assert "Fiona" in record.title
    assert "Technical support" in record.body and "a billing question" in record.body
    assert "forwarded" in played
    run(visitor.close())


def test_a_message_in_a_chat_not_on_screen_is_announced(qtbot, run, make_desk, server):
    desk = make_desk()
    sign_in(qtbot, desk)
    w = desk.window
    wait_connected(qtbot, w)
    played: list[str] = []
    desk.desktop.alert.played.connect(played.append)
    visitor = Visitor(server.url)
    run(visitor.connect())
    run(visitor.start_chat("Sales", "Mila", "first"))
    key = f"chat:{visitor.chat['id']}"
    w.take_chat(visitor.chat["id"])
    qtbot.waitUntil(lambda: w.tab_manager.find_tab(key) >= 0, timeout=WAIT)
    w.close()                                         # to the tray: the chat is not on screen
    assert not w.isVisible()
    run(visitor.ws.send(json.dumps({"op": "message", "client_msg_id": "v-second-1",
                                    "text": "are you <i>there</i>?"})))
    qtbot.waitUntil(lambda: bool(records_of(desk, NotificationKind.MESSAGE, key)), timeout=WAIT)
    (record,) = records_of(desk, NotificationKind.MESSAGE, key)
    assert record.title == "Mila" and record.body == "are you <i>there</i>?"
    assert "message" in played
    run(visitor.close())


def test_close_to_tray_hides_and_quit_really_quits(qtbot, make_desk):
    desk = make_desk(tray=True, close_to_tray=True)
    sign_in(qtbot, desk)
    w = desk.window
    wait_connected(qtbot, w)
    assert not w.close()                              # the close was refused: hidden instead
    assert not w.isVisible() and not desk.runner.done() and desk._shutdown is None
    desk.desktop.tray.activated.emit()                # click on the tray icon
    qtbot.waitUntil(w.isVisible, timeout=WAIT)
    w.quit_action.trigger()                           # Ctrl+Q / Quit in the user menu
    qtbot.waitUntil(desk.runner.done, timeout=WAIT)
    assert desk.runner.result() == 0
    assert not desk.desktop.tray.is_visible() and not desk.desktop.alert.is_repeating()


@pytest.mark.parametrize("tray, close_to_tray", [(True, False), (False, True)])
def test_close_quits_without_close_to_tray_or_without_a_tray(qtbot, make_desk, tray,
                                                             close_to_tray):
    desk = make_desk(tray=tray, close_to_tray=close_to_tray)
    sign_in(qtbot, desk)
    wait_connected(qtbot, desk.window)
    desk.window.close()
    qtbot.waitUntil(desk.runner.done, timeout=WAIT)


def tray_items(desk, *ids: str) -> list:
    """The tray menu's items for these command ids (each must be in the menu)."""
    shown = desk.desktop.tray.menu.actions()
    items = [desk.window.commands[i] for i in ids]
    assert all(any(a is s for s in shown) for a in items)
    return items


def test_the_tray_menu_is_the_registrys_commands(qtbot, make_desk):
    # the same QAction objects as the user menu: same texts, check marks and enabled states
    desk = make_desk()
    w = desk.window
    menu = desk.desktop.tray.menu
    ids = [None if a.isSeparator() else next(i for i in w.commands.ids() if w.commands[i] is a)
           for a in menu.actions()]
    assert ids == ["app.show", None, "status.online", "status.offline", None, "app.quit"]
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == [
        "&Show SupportDesk", "&Online — take new chats", "O&ffline — my chats go back to the list",
        "&Quit SupportDesk"]
    online, offline = tray_items(desk, "status.online", "status.offline")
    assert online in w.user_menu.actions() and offline in w.user_menu.actions()
    assert not online.isEnabled() and not offline.isEnabled()      # nobody signed in yet
    sign_in(qtbot, desk)
    wait_connected(qtbot, w)
    qtbot.waitUntil(lambda: online.isEnabled() and online.isChecked(), timeout=WAIT)
    w.hide()
    tray_items(desk, "app.show")[0].trigger()        # Show SupportDesk
    qtbot.waitUntil(w.isVisible, timeout=WAIT)


def test_tray_quit_runs_the_shutdown(qtbot, make_desk):
    desk = make_desk()
    sign_in(qtbot, desk)
    wait_connected(qtbot, desk.window)
    desk.desktop.tray.menu.actions()[-1].trigger()   # "Quit" in the tray menu
    qtbot.waitUntil(desk.runner.done, timeout=WAIT)
    assert desk.desktop.tray.menu.actions()[-1] is desk.window.commands["app.quit"]


def test_tray_online_item_follows_and_drives_the_agent_status(qtbot, make_desk):
    desk = make_desk()
    sign_in(qtbot, desk)
    w = desk.window
    wait_connected(qtbot, w)
    online, offline = tray_items(desk, "status.online", "status.offline")

    def status_settled() -> bool:
        # the window applies each set-status answer as it comes; one change at a time here
        # (two in flight can be answered out of order: a window matter, not the tray's)
        return not any(t.get_name() == "set-status" for t in desk.tasks._tasks)

    qtbot.waitUntil(lambda: status_settled() and w.is_online and online.isChecked(), timeout=WAIT)
    offline.trigger()                                 # Offline in the tray menu
    qtbot.waitUntil(lambda: status_settled() and not w.is_online
                    and w.offline_action.isChecked() and not online.isChecked(), timeout=WAIT)
    w.online_action.trigger()                         # the user menu: back online
    qtbot.waitUntil(lambda: online.isChecked() and not offline.isChecked(), timeout=WAIT)


@pytest.mark.parametrize("tray", [True, False])
def test_start_minimised_starts_in_the_tray_only_when_there_is_one(qtbot, make_desk, tray):
    desk = make_desk(tray=tray, start_minimised=True)
    sign_in(qtbot, desk)
    w = desk.window
    qtbot.waitUntil(lambda: w.status_button.property("connectionState") == "connected"
                    and desk.login_dialog is None, timeout=WAIT)
    if tray:
        assert not w.isVisible()
        desk.desktop.tray.activated.emit()
        qtbot.waitUntil(w.isVisible, timeout=WAIT)
    else:
        qtbot.waitUntil(w.isVisible, timeout=WAIT)


def test_log_out_revokes_the_token_deletes_the_secret_and_closes_tabs(qtbot, run, make_desk,
                                                                       server):
    desk = make_desk()
    dlg = sign_in(qtbot, desk)
    assert dlg.remember_check.isChecked()
    w = desk.window
    wait_connected(qtbot, w)
    url, username = desk.session.server_url, desk.session.username
    token = desk.session.backend.token
    assert run(SecretStore().get_token(url, username)) == token   # remembered in the keyring

    visitor = Visitor(server.url)
    run(visitor.connect())
    run(visitor.start_chat("Sales", "Tab Owner", "hello"))
    w.take_chat(visitor.chat["id"])
    qtbot.waitUntil(lambda: w.tab_manager.find_tab(f"chat:{visitor.chat['id']}") >= 0, timeout=WAIT)

    w.logout_action.trigger()
    qtbot.waitUntil(lambda: desk.login_dialog is not None and desk.login_dialog.isVisible(),
                    timeout=WAIT)
    assert not w.isVisible() and w.tabs.count() == 1          # only the list of chats
    r = httpx.get(server.api("/me"), headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    assert run(SecretStore().get_token(url, username)) is None
    assert desk.desktop.tray.waiting == 0 and not desk.desktop.alert.is_repeating()
    assert not any(a.isEnabled() for a in tray_items(desk, "status.online", "status.offline"))
    # the tray brings back the login dialog, not an empty workplace
    desk.desktop.tray.activated.emit()
    assert desk.login_dialog.isVisible() and not w.isVisible()
    run(visitor.close())


def test_a_second_launch_raises_the_first_and_exits(qtbot, make_desk, tmp_path):
    instance = SingleInstance()
    assert instance.claim()
    desk = make_desk(instance=instance)
    sign_in(qtbot, desk)
    w = desk.window
    wait_connected(qtbot, w)
    w.close()                                         # to the tray
    assert not w.isVisible()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    second = subprocess.Popen([sys.executable, "-m", "supportdesk_qt", "--server",
                               "http://127.0.0.1:9"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=WAIT)   # Qt runs meanwhile
    finally:
        if second.poll() is None:
            second.kill()
    assert second.returncode == 0, second.stdout.read()
    qtbot.waitUntil(w.isVisible, timeout=WAIT)        # the first desk showed its window
    desk.request_quit()
    qtbot.waitUntil(desk.runner.done, timeout=WAIT)
    assert not instance.is_primary()                  # released by the shutdown


# --- without a server: connection errors and returned forwards as the bridge delivers them --------


@pytest.fixture
def wired(qapp, qtbot, tasks, tmp_path):
    from supportdesk_protocol.schemas import Agent, AgentStatus, Role
    from supportdesk_qt.ui.bridge import Bridge
    from supportdesk_qt.ui.main_window import MainWindow
    from tests.ui.fakes import FakeBackend, open_workspace

    bridge = Bridge(tasks)
    window = MainWindow(bridge, tasks)
    qtbot.addWidget(window)
    agent = Agent(id=7, login="dana", display_name="Dana", role=Role.HEAD, department_ids=[1, 2],
                  status=AgentStatus.OFFLINE)
    class Unconnected(FakeBackend):       # never connected: nothing is sent anywhere
        async def departments(self):
            return []                      # and no names known: "Department 1"

    window.set_workspace(open_workspace(Unconnected(agent), tasks, tmp_path, agent=agent))
    desktop = DesktopIntegration(window, bridge, Preferences.load(), tray_available=False,
                                 use_dbus=False)
    desktop._error_timer.setInterval(0)
    records: list = []
    desktop.notifier.raised.connect(records.append)
    yield bridge, window, desktop, records
    desktop.dispose()


def test_one_error_notification_per_outage_not_per_retry(qtbot, wired):
    bridge, _window, desktop, records = wired
    errors = lambda: [r for r in records if r.kind == NotificationKind.ERROR]  # noqa: E731
    bridge.connectionChanged.emit(ConnectionChanged(ConnectionState.CONNECTED))
    for i in range(3):                                # the backoff retrying
        bridge.connectionChanged.emit(ConnectionChanged(ConnectionState.CONNECTING,
                                                        f"Cannot reach the server ({i})."))
    qtbot.waitUntil(lambda: len(errors()) == 1, timeout=WAIT)
    bridge.connectionChanged.emit(ConnectionChanged(ConnectionState.CONNECTING, "again"))
    assert not desktop._error_timer.isActive() and len(errors()) == 1   # nothing more due
    assert "lost the connection" in errors()[0].title and "(2)" in errors()[0].body   # the latest reason
    assert desktop.tray.state == "connecting"
    # back, then lost again: a new outage, a new notification
    bridge.connectionChanged.emit(ConnectionChanged(ConnectionState.CONNECTED))
    bridge.connectionChanged.emit(ConnectionChanged(ConnectionState.CONNECTING, "gone"))
    qtbot.waitUntil(lambda: len(errors()) == 2, timeout=WAIT)
    # a blip repaired within the grace period is not announced
    bridge.connectionChanged.emit(ConnectionChanged(ConnectionState.CONNECTED))
    desktop._error_timer.setInterval(60_000)
    bridge.connectionChanged.emit(ConnectionChanged(ConnectionState.CONNECTING, "blip"))
    bridge.connectionChanged.emit(ConnectionChanged(ConnectionState.CONNECTED))
    assert not desktop._error_timer.isActive() and len(errors()) == 2


def _forward_event(kind: str, by_agent_id: int, to_department_id: int) -> ServerEvent:
    from supportdesk_protocol.schemas import Chat, ChatState

    now = datetime.now(timezone.utc)
    chat = Chat(id=41, state=ChatState.WAITING, department_id=1, visitor_id="v-1",
                visitor_name="Kim", created_at=now, updated_at=now, forwarded=True)
    return ServerEvent(seq=1, type=kind, ts=now,
                       data=ForwardEvent(chat=chat, from_department_id=3,
                                         to_department_id=to_department_id,
                                         by_agent_id=by_agent_id))


def test_forward_returned_only_for_my_forwards_and_forwards_only_for_my_departments(
        qtbot, wired):
    bridge, _window, desktop, records = wired
    bridge.serverEvent.emit(_forward_event(EventType.CHAT_FORWARD_RETURNED, 99, 1))  # not mine
    bridge.serverEvent.emit(_forward_event(EventType.CHAT_FORWARDED, 99, 5))         # not my dept
    bridge.serverEvent.emit(_forward_event(EventType.CHAT_FORWARDED, 7, 1))          # by me
    assert records == []
    bridge.serverEvent.emit(_forward_event(EventType.CHAT_FORWARD_RETURNED, 7, 1))
    bridge.serverEvent.emit(_forward_event(EventType.CHAT_FORWARDED, 99, 2))
    assert [(r.kind, r.key) for r in records] == [
        (NotificationKind.FORWARD_RETURNED, "chat:41"), (NotificationKind.FORWARDED, "chat:41")]
    assert "Kim" in records[0].title


def test_per_event_switches_are_respected(qtbot, wired):
    bridge, _window, desktop, records = wired
    desktop.prefs.update(notify_forwarded_tray=False, notify_forwarded_sound=False)
    played: list[str] = []
    desktop.alert.played.connect(played.append)
    bridge.serverEvent.emit(_forward_event(EventType.CHAT_FORWARDED, 99, 2))
    assert [(r.kind, r.shown) for r in records] == [(NotificationKind.FORWARDED, False)]
    assert played == []                               # logged, but no popup and no sound


def test_a_notification_click_shows_the_window_and_opens_the_key(qtbot, wired, monkeypatch):
    _bridge, window, desktop, _records = wired
    opened: list[str] = []
    monkeypatch.setattr(window.navigator, "open_key", opened.append)
    assert not window.isVisible()
    desktop.notifier.clicked.emit("chat:41")
    assert window.isVisible() and opened == ["chat:41"]



def _chat(chat_id: int, name: str):
    from supportdesk_protocol.schemas import Chat, ChatState

    now = datetime.now(timezone.utc)
    return Chat(id=chat_id, state=ChatState.WAITING, department_id=1, visitor_id=f"v-{chat_id}",
                visitor_name=name, created_at=now, updated_at=now,
                last_message_preview=f"hello from {name}")


def test_new_chats_update_one_waiting_notification_instead_of_piling_up(qtbot, wired,
                                                                       monkeypatch):
    _bridge, window, desktop, records = wired
    window.newWaitingChat.emit(_chat(100, "Few 0"))
    qtbot.waitUntil(lambda: len(records) == 1, timeout=WAIT)
    window.newWaitingChat.emit(_chat(101, "Few 1"))    # a minute later: the same one, updated
    qtbot.waitUntil(lambda: len(records) == 2, timeout=WAIT)
    assert [r.key for r in records] == ["queue", "queue"]
    assert records[0].title == "New chat: Few 0 (Department 1)"
    assert records[0].body == "hello from Few 0"
    assert records[1].title == "2 chats are waiting"
    assert records[1].body.splitlines() == ["Few 0 (Department 1)", "Few 1 (Department 1)"]
    records.clear()
    for i in range(6):                                 # the list loaded at sign-in: one update
        window.newWaitingChat.emit(_chat(200 + i, f"Many {i}"))
    qtbot.waitUntil(lambda: len(records) == 1, timeout=WAIT)
    (summary,) = records
    assert (summary.kind, summary.key) == (NotificationKind.NEW_CHAT, "queue")
    assert "8 chats" in summary.title
    assert summary.body.splitlines() == [
        "Few 0 (Department 1)", "Few 1 (Department 1)", "Many 0 (Department 1)", "and 5 more"]
    shown: list[bool] = []
    monkeypatch.setattr(window, "show_queue", lambda: shown.append(True))
    desktop.notifier.clicked.emit("queue")             # clicking it shows the list of chats
    assert window.isVisible() and shown == [True]
    withdrawn: list[str] = []
    monkeypatch.setattr(desktop.notifier, "withdraw", withdrawn.append)
    window.waitingCountChanged.emit(0)                 # all taken: the summary goes away
    qtbot.waitUntil(lambda: "queue" in withdrawn, timeout=WAIT)


def test_the_waiting_notification_persists_only_while_the_agent_is_away(qtbot, wired,
                                                                        monkeypatch):
    _bridge, window, desktop, _records = wired
    sent: list[bool] = []
    monkeypatch.setattr(desktop.notifier, "_send",
                        lambda kind, title, body, key, persistent=False: sent.append(persistent))
    monkeypatch.setattr(type(desktop.notifier), "backend", property(lambda self: "dbus"))
    window.hide()                                      # in the tray: away
    window.newWaitingChat.emit(_chat(300, "Away"))
    qtbot.waitUntil(lambda: sent == [True], timeout=WAIT)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    window.newWaitingChat.emit(_chat(301, "Here"))     # at the desk: it times out
    qtbot.waitUntil(lambda: sent == [True, False], timeout=WAIT)


def test_the_combined_notification_isolates_visitor_names(qtbot, wired):
    from supportdesk_qt.ui.common.text import isolate
    from tests.ui.test_bidi_isolation import _runs_left_to_right

    _bridge, window, _desktop, records = wired
    hostile = "Eve\u202eevil"
    window.newWaitingChat.emit(_chat(400, hostile))
    window.newWaitingChat.emit(_chat(401, "Bob"))
    qtbot.waitUntil(lambda: len(records) == 1, timeout=WAIT)
    first = records[0].body.splitlines()[0]
    assert first == f"{isolate(hostile)} (Department 1)"
    assert _runs_left_to_right(first, "Department")   # the desk's words keep their order
    records.clear()
    window.queue_model.chat = lambda chat_id: None     # both gone from the list
    window.waitingCountChanged.emit(0)
    window.newWaitingChat.emit(_chat(402, hostile))   # the single one did it right already
    qtbot.waitUntil(lambda: len(records) == 1, timeout=WAIT)
    assert records[0].title == f"New chat: {isolate(hostile)} (Department 1)"


def test_my_own_forward_is_not_a_new_chat_and_its_return_notifies_once(qtbot, wired):
    from supportdesk_protocol.schemas import ChatState

    bridge, window, _desktop, records = wired
    # I (agent 7) forward a chat into my own department 2: the list gets it as waiting
    mine = _chat(41, "Kim").model_copy(update={
        "forwarded": True, "forwarded_by_agent_id": 7, "department_id": 2,
        "last_message_preview": "my own words"})
    bridge.serverEvent.emit(_forward_event(EventType.CHAT_FORWARDED, 7, 2))
    window.newWaitingChat.emit(mine)
    # nobody took it: it comes back (no longer marked forwarded) and arrives again
    back = mine.model_copy(update={"forwarded": False, "forwarded_by_agent_id": None,
                                   "department_id": 1, "state": ChatState.WAITING})
    bridge.serverEvent.emit(_forward_event(EventType.CHAT_FORWARD_RETURNED, 7, 2))
    window.newWaitingChat.emit(back)
    window.newWaitingChat.emit(_chat(501, "Other"))    # a real new chat still notifies
    qtbot.waitUntil(lambda: len(records) == 2, timeout=WAIT)
    assert [r.kind for r in records] == [NotificationKind.FORWARD_RETURNED,
                                         NotificationKind.NEW_CHAT]
    assert records[1].title == "New chat: Other (Department 1)"


def test_the_real_desk_opens_settings_and_keeps_online_offline_in_the_last_chosen_state(
        qtbot, run, make_desk, server):
    desk = make_desk()
    sign_in(qtbot, desk)
    w = desk.window
    wait_connected(qtbot, w)
    # Settings… is wired to the desk's own preferences
    assert w.settings_action.isEnabled()
    w.settings_action.trigger()
    qtbot.waitUntil(lambda: w.settings_dialog is not None and w.settings_dialog.isVisible(),
                    timeout=WAIT)
    w.settings_dialog.reject()
    # a burst of Online/Offline clicks ends in the last one chosen, on the server and on screen
    for online in (False, True, False, True, False):
        w.set_online(online)
    token = server.login("admin")
    me = w.agent.id

    def server_status() -> str:
        agents = httpx.get(server.api("/agents"), params={"limit": 500},
                           headers={"Authorization": f"Bearer {token}"}).json()["items"]
        return next(a["status"] for a in agents if a["id"] == me)

    qtbot.waitUntil(lambda: not w.is_online and w.workspace._status_task is not None
                    and w.workspace._status_task.done(), timeout=WAIT)
    assert server_status() == "offline"


def test_tray_badge_and_tooltip_agree_after_a_burst_of_arrivals_and_takes(qtbot, run, make_desk,
                                                                        server):
    desk = make_desk(tray_blink=False)
    sign_in(qtbot, desk)
    w = desk.window
    wait_connected(qtbot, w)
    tray = desk.desktop.tray
    visitors = []
    for i in range(4):                                 # a burst of arrivals
        v = Visitor(server.url)
        run(v.connect())
        run(v.start_chat("Technical support", f"Burst {i}", "hello"))
        visitors.append(v)
    token = server.login("tom")

    def take(v) -> None:
        r = httpx.post(server.api(f"/chats/{v.chat['id']}/take"),
                       headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200

    for v in visitors[:3]:                             # and of takes by a colleague
        take(v)

    def agree(n: int) -> bool:
        return (w.queue_model.rowCount() == n and tray.waiting == n
                and tray.badge_count() == n and w.counter_button.property("waiting") == n)

    qtbot.waitUntil(lambda: agree(1), timeout=WAIT)
    assert "1 chat waiting" in tray.tooltip()
    take(visitors[3])
    qtbot.waitUntil(lambda: agree(0), timeout=WAIT)
    assert "No chats waiting" in tray.tooltip()
    for v in visitors:
        run(v.close())


def test_forwarding_to_my_own_department_does_not_announce_a_new_chat(qtbot, run, make_desk,
                                                                       server):
    """The real desk and server: Dana (demo, in every department) takes a chat and forwards it to
    Billing, one of her own departments. It waits in her list again, but it is not news to her:
    no "New chat" with her own words; the next visitor's chat is announced on its own."""
    desk = make_desk()
    sign_in(qtbot, desk)
    w = desk.window
    wait_connected(qtbot, w)
    first = Visitor(server.url)
    run(first.connect())
    run(first.start_chat("Technical support", "Fiona", "Question about a refund"))
    chat_id = first.chat["id"]
    qtbot.waitUntil(lambda: w.queue_model.chat(chat_id) is not None, timeout=WAIT)
    me = {"Authorization": f"Bearer {server.login('demo')}"}
    assert httpx.post(server.api(f"/chats/{chat_id}/take"), headers=me).status_code == 200
    qtbot.waitUntil(lambda: w.queue_model.chat(chat_id) is None, timeout=WAIT)
    desk.records.clear()
    ben = {"Authorization": f"Bearer {server.login('ben')}"}     # a colleague online in Billing
    assert httpx.put(server.api("/me/status"), headers=ben,
                     json={"status": "online"}).status_code == 200
    second = Visitor(server.url)
    try:
        r = httpx.post(server.api(f"/chats/{chat_id}/forward"), headers=me,
                       json={"department_id": first.department_id("Billing"),
                             "comment": "my own words"})
        assert r.status_code == 200, r.text
        qtbot.waitUntil(lambda: w.queue_model.chat(chat_id) is not None, timeout=WAIT)  # waits
        run(second.connect())
        run(second.start_chat("Technical support", "Gustav", "Hello"))
        qtbot.waitUntil(lambda: bool(records_of(desk, NotificationKind.NEW_CHAT, "queue")),
                        timeout=WAIT)
        assert [r.title for r in desk.records] == ["New chat: Gustav (Technical support)"]
    finally:
        httpx.put(server.api("/me/status"), headers=ben, json={"status": "offline"})
        run(first.close())
        run(second.close())

"""The workplace window with the in-memory FakeBackend (tests/ui/fakes.py): layout behaviour that
needs no server — status light colours, counter, tabs, the take-chat outcomes, the user menu,
geometry, the error dialog. The same paths against the real server are in test_desk_e2e.py.
"""

from __future__ import annotations

import pytest

from supportdesk_protocol.events import EventType
from supportdesk_protocol.schemas import AgentStatus, ChatState
from supportdesk_qt.backend.base import ConnectionChanged, ConnectionState, Resynced
from supportdesk_qt.core.settings import WindowState
from supportdesk_qt.qt import QKeySequence, QLabel, QMessageBox, Qt
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.bridge import Bridge
from supportdesk_qt.ui.error_dialog import ErrorReporter
from supportdesk_qt.ui.main_window import MainWindow
from tests.ui.fakes import FakeBackend, event, make_agent, make_chat, open_workspace


@pytest.fixture
def setup(qtbot, aloop, tasks, tmp_path):
    backend = FakeBackend(make_agent(), [make_chat(1, waiting_for=200, visitor_name="Ann"),
                                         make_chat(2, waiting_for=100, visitor_name="Ben")])
    bridge = Bridge(tasks)
    state = WindowState.load(tmp_path / "state.json")
    window = MainWindow(bridge, tasks, state)
    qtbot.addWidget(window)
    window.set_workspace(open_workspace(backend, tasks, tmp_path))
    bridge.attach(backend)
    window.show()
    qtbot.waitExposed(window)
    yield window, backend, bridge
    backend.push(None)            # ends the bridge's stream
    qtbot.waitUntil(lambda: bridge._task is None or bridge._task.done(), timeout=5000)


def connect_and_load(qtbot, window, backend):
    backend.push(ConnectionChanged(ConnectionState.CONNECTED))
    backend.push(Resynced(0, True))
    qtbot.waitUntil(lambda: window.queue_model.rowCount() == 2 and window.workspace.directory_loaded,
                    timeout=5000)


def light(window) -> str:
    return window.status_button.icon().pixmap(16, 16).toImage().pixelColor(8, 8).name()


def test_status_light_follows_the_connection_with_reason_and_time(qtbot, setup):
    window, backend, _ = setup
    pal = window.palette()
    # (state, reason, the light's state colour, the button's text): a first connect is amber; a
    # lost connection being retried (a reason is given) is red like a failure
    for state, reason, colour, text in (
            (ConnectionState.CONNECTING, "", ConnectionState.CONNECTING, "Connecting…"),
            (ConnectionState.CONNECTING, "The server did not answer; retrying.",
             ConnectionState.FAILED, "Reconnecting…"),
            (ConnectionState.FAILED, "Please sign in again.", ConnectionState.FAILED,
             "Connection failed"),
            (ConnectionState.CONNECTED, "", ConnectionState.CONNECTED, "Connected")):
        backend.push(ConnectionChanged(state, reason))
        qtbot.waitUntil(lambda: window.status_button.property("connectionState") == state.value
                        and window.status_button.text() == text, timeout=5000)
        assert light(window) == theme.status_color(colour, pal).name()
        tip = window.status_button.toolTip()
        assert reason in tip and "Since" in tip
    amber = theme.status_color(ConnectionState.CONNECTING, pal)
    red = theme.status_color(ConnectionState.FAILED, pal)
    green = theme.status_color(ConnectionState.CONNECTED, pal)
    assert len({amber.name(), red.name(), green.name()}) == 3


def test_counter_tab_and_title_follow_the_queue(qtbot, setup):
    window, backend, _ = setup
    assert window.queue_page.stack.currentWidget() is window.queue_page.empty
    connect_and_load(qtbot, window, backend)
    assert window.counter_button.count() == 2
    assert window.tabs.tabText(0) == "Waiting chats (2)"
    assert window.windowTitle().startswith("(2)")
    assert window.queue_page.stack.currentWidget() is window.queue_view
    backend.push(event(EventType.CHAT_CREATED, make_chat(3, waiting_for=1)))
    qtbot.waitUntil(lambda: window.counter_button.count() == 3, timeout=5000)
    for chat_id in (1, 2, 3):
        backend.push(event(EventType.CHAT_UPDATED,
                           make_chat(chat_id, state=ChatState.CLOSED, version=5)))
    qtbot.waitUntil(lambda: window.counter_button.count() == 0, timeout=5000)
    assert window.tabs.tabText(0) == "Waiting chats"
    # the closed chats linger a moment, marked, before the empty page shows
    assert window.queue_model.leaving_reason(1).startswith("Closed")
    qtbot.waitUntil(lambda: window.queue_page.stack.currentWidget() is window.queue_page.empty,
                    timeout=5000)


def test_double_click_takes_the_chat_and_opens_a_tab(qtbot, setup):
    window, backend, _ = setup
    connect_and_load(qtbot, window, backend)
    view = window.queue_view
    rect = view.visualRect(window.queue_model.index(0))
    # a real double-click is press, release, double-click (QTest's DClick alone has no press,
    # and item views only activate the item that was pressed)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.tab_manager.find_tab("chat:1") >= 0, timeout=5000)
    assert window.queue_model.chat(1) is None
    assert backend.chats[1].state == ChatState.ACTIVE
    assert window.tabs.currentIndex() == window.tab_manager.find_tab("chat:1")
    # the queue tab cannot be closed; the chat tab can (Ctrl+W), after confirming that the chat ends
    bar = window.tabs.tabBar()
    assert bar.tabButton(0, bar.ButtonPosition.RightSide) is None
    qtbot.keySequence(window, QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_W))
    tab = window.tab_manager.chat_tab(1)
    qtbot.waitUntil(lambda: tab.close_box is not None and tab.close_box.isVisible(), timeout=5000)
    tab.close_box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: window.tab_manager.find_tab("chat:1") < 0, timeout=5000)
    assert backend.chats[1].state == ChatState.CLOSED
    window.tab_manager.close_tab(0)
    assert window.tabs.widget(0) is window.queue_page


def test_conflict_says_a_colleague_took_it_and_drops_the_row(qtbot, setup):
    window, backend, _ = setup
    connect_and_load(qtbot, window, backend)
    backend.taken_elsewhere.add(2)
    window.show_queue()
    window.queue_view.setCurrentIndex(window.queue_model.index(window.queue_model.row_of(2)))
    qtbot.keyClick(window.queue_view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "A colleague took this chat first",
                    timeout=5000)
    assert window.queue_model.chat(2) is None
    assert window.counter_button.count() == 1
    assert window.tab_manager.find_tab("chat:2") < 0


def test_user_menu_switches_online_and_offline(qtbot, setup):
    window, backend, _ = setup
    assert window.online_action.isChecked()
    window.offline_action.trigger()
    qtbot.waitUntil(lambda: backend.agent.status == AgentStatus.OFFLINE, timeout=5000)
    qtbot.waitUntil(lambda: "Offline" in window.agent_label.text(), timeout=5000)
    assert window.offline_action.isChecked()
    assert "Offline" in window.avatar_button.toolTip()
    window.online_action.trigger()
    qtbot.waitUntil(lambda: backend.agent.status == AgentStatus.ONLINE, timeout=5000)
    with qtbot.waitSignal(window.logoutRequested, timeout=1000):
        window.logout_action.trigger()


def test_taken_chat_page_shows_untrusted_text_as_plain_text(qtbot, setup):
    window, backend, _ = setup
    backend.chats[1] = make_chat(1, visitor_name="<b>Mallory</b>",
                                 last_message_preview="<a href='x'>click</a>")
    connect_and_load(qtbot, window, backend)
    window.take_chat(1)
    qtbot.waitUntil(lambda: window.tab_manager.find_tab("chat:1") >= 0, timeout=5000)
    page = window.tabs.widget(window.tab_manager.find_tab("chat:1"))
    # every label that shows what the visitor controls is plain text (the chat tab's own
    # captions are ours)
    labels = [lb for lb in page.findChildren(QLabel)
              if "Mallory" in lb.text() or "click" in lb.text()]
    assert labels and all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
    assert window.tabs.tabText(window.tab_manager.find_tab("chat:1")) == "<b>Mallory</b>"


def test_geometry_is_saved_to_the_state_store_and_restored(qtbot, aloop, tasks, tmp_path):
    state = WindowState.load(tmp_path / "state.json")
    first = MainWindow(Bridge(tasks), tasks, state)
    qtbot.addWidget(first)
    first.resize(640, 470)   # inside the offscreen screen (800x600): no clamping
    first.show()
    qtbot.waitExposed(first)
    first.close()
    assert WindowState.load(tmp_path / "state.json").main_window_geometry
    second = MainWindow(Bridge(tasks), tasks, WindowState.load(tmp_path / "state.json"))
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (640, 470)


def test_error_dialog_is_non_modal_and_coalesces(qtbot):
    reporter = ErrorReporter("/tmp/supportdesk.log")
    reporter.report("Something failed.", "Traceback ...")
    box = reporter.dialog
    assert box is not None and box.isVisible() and not box.isModal()
    assert box.textFormat() == Qt.TextFormat.PlainText
    reporter.report("Something else failed.")
    assert reporter.dialog is box and "1 more error" in box.informativeText()
    box.close()
    qtbot.waitUntil(lambda: reporter.dialog is None, timeout=2000)

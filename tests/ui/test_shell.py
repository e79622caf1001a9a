"""The workplace shell against the REAL server (tests/support/server.py, demo data, agent
"demo"/"demo"), with visitors speaking the public visitor protocol (tests/ui/visitor.py): search
bar -> client tab -> ticket tab, tab behaviour and restore, the status light as the server stops and
starts, the queue pop-up (take, lose the race, history tooltip shown literally), online/offline,
and the user-menu panels. Real clicks and keys; every wait is a waitUntil/waitSignal.
"""

from __future__ import annotations

import json

import httpx
import pytest

from supportdesk_protocol.schemas import AgentStatus, ChatState
from supportdesk_qt.backend.base import ConnectionState
from supportdesk_qt.backend.http import HttpBackend
from supportdesk_qt.core.drafts import DraftStore
from supportdesk_qt.core.workspace import Workspace
from supportdesk_qt.core.settings import Preferences, WindowState
from supportdesk_qt.qt import (
    QApplication,
    QEvent,
    QKeySequence,
    QMessageBox,
    Qt,
    QToolTip,
    qt_is_valid,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.bridge import Bridge
from supportdesk_qt.ui.chat.chat_tab import ChatTab
from supportdesk_qt.ui.chat.history_view import ChatHistoryTab
from supportdesk_qt.ui.client.client_tab import ClientTab
from supportdesk_qt.ui.main_window import MainWindow
from supportdesk_qt.ui.models.paged_table_model import PagedTableModel
from supportdesk_qt.ui.models.queue_model import QueueModel
from supportdesk_qt.ui.search.search_tab import SearchTab
from supportdesk_qt.ui.tickets.ticket_tab import TicketTab
from tests.ui.visitor import Visitor

WAIT = 20_000
HOSTILE = "<b>x</b>"


class Desk:
    """One signed-in window over the real backend, wired as app.py does."""

    def __init__(self, qtbot, run, tasks, server, tmp_path, state: WindowState | None = None,
                 login: str = "demo", transport=None, backend_class=HttpBackend) -> None:
        self.qtbot, self.run = qtbot, run
        # transport: a test proxy; backend_class: HttpBackend or a real subclass of it
        self.backend = backend_class(server.url, transport=transport)
        run(self.backend.login(login, "demo"))
        self.bridge = Bridge(tasks)
        self.state = state or WindowState.load(tmp_path / "state.json")
        self.prefs = Preferences.load(tmp_path / "settings.json")
        self.window = MainWindow(self.bridge, tasks, self.state, prefs=self.prefs)
        w = self.window     # not qtbot.addWidget: close() ends the session before the window goes
        self.workspace = Workspace(self.backend, self.backend.agent, server_label="test server",
                                   drafts=DraftStore(tmp_path / "drafts.json"), spawn=tasks.spawn)
        self.workspace.start()
        w.set_workspace(self.workspace)
        self.bridge.attach(self.backend)
        run(self.backend.start_events())
        if self.backend.agent.status != AgentStatus.ONLINE:
            w.set_status(AgentStatus.ONLINE)
        w.show()
        w.activateWindow()
        qtbot.waitExposed(w)
        qtbot.waitUntil(lambda: w.status_button.property("connectionState") == "connected"
                        and w.is_online and not w.queue_model.loading and w.workspace.directory_loaded
                        and w._restore_task is not None and w._restore_task.done(), timeout=WAIT)

    def close(self) -> None:
        """The logout path: every tab closes, the stream and the HTTP client stop."""
        w = self.window
        if qt_is_valid(w):
            w.set_workspace(None)
        if self.backend is not None:
            self.run(self.workspace.close())
            self.run(self.bridge.detach())
            self.run(self.backend.close())
            self.backend = None


@pytest.fixture
def desk_factory(qtbot, run, tasks, server, tmp_path):
    made: list[Desk] = []

    def make(**kw) -> Desk:
        d = Desk(qtbot, run, tasks, server, tmp_path, **kw)
        made.append(d)
        return d

    yield make
    for d in made:
        d.close()
        if qt_is_valid(d.window):
            d.window.hide()
            d.window.deleteLater()


@pytest.fixture
def visitor(server, run):
    v = Visitor(server.url)
    run(v.connect())
    yield v
    run(v.close())


def tom_token(server) -> str:
    return server.login("tom")


def light(window) -> str:
    return window.status_button.icon().pixmap(16, 16).toImage().pixelColor(8, 8).name()


def click_tab_close_button(qtbot, window, index: int) -> None:
    bar = window.tabs.tabBar()
    button = bar.tabButton(index, bar.ButtonPosition.RightSide) or bar.tabButton(
        index, bar.ButtonPosition.LeftSide)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def popup_click_row(qtbot, window, chat_id: int) -> None:
    popup = window.queue_popup
    row = window.queue_model.row_of(chat_id)
    assert row >= 0
    rect = popup.view.visualRect(window.queue_model.index(row))
    qtbot.mouseClick(popup.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def open_popup(qtbot, window) -> None:
    qtbot.mouseClick(window.counter_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.queue_popup.isVisible, timeout=WAIT)


def take_via_popup(qtbot, window, chat_id: int) -> ChatTab:
    qtbot.waitUntil(lambda: window.queue_model.chat(chat_id) is not None, timeout=WAIT)
    open_popup(qtbot, window)
    popup_click_row(qtbot, window, chat_id)
    qtbot.waitUntil(lambda: window.tab_manager.chat_tab(chat_id) is not None, timeout=WAIT)
    return window.tab_manager.chat_tab(chat_id)


def open_first_ticket(qtbot, window, tab: ClientTab) -> int:
    """Double-click the first ticket of the client tab ``tab``; its ticket tab opens (its id)."""
    tab.tabs.setCurrentWidget(tab.views["tickets"])
    view, model = tab.views["tickets"], tab.models["tickets"]
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=WAIT)
    first = view.model().index(0, 1)
    tid = first.data(PagedTableModel.ItemRole).id
    pos = view.visualRect(first).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.waitUntil(lambda: window.tab_manager.find_tab(f"ticket:{tid}") >= 0, timeout=WAIT)
    return tid


# --- search bar -> client tab -> ticket tab ----------------------------------------------------------


def test_search_bar_opens_a_client_tab_whose_ticket_opens_a_ticket_tab(qtbot, run, desk_factory):
    d = desk_factory()
    w = d.window
    tickets = run(d.backend.list_tickets(limit=200)).items
    ticket = next(t for t in tickets if t.client_id is not None)
    client = run(d.backend.get_client(ticket.client_id))

    qtbot.mouseClick(w.search_bar, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(w.search_bar, client.email)
    bar = w.search_bar
    qtbot.waitUntil(lambda: bar.popup.isVisible() and bar.model.rowCount() > 0, timeout=WAIT)
    qtbot.keyClick(bar, Qt.Key.Key_Down)
    qtbot.keyClick(bar, Qt.Key.Key_Return)
    key = f"client:{client.id}"
    qtbot.waitUntil(lambda: w.tab_manager.find_tab(key) >= 0, timeout=WAIT)
    tab = w.tabs.currentWidget()
    assert isinstance(tab, ClientTab) and tab.client_id == client.id
    qtbot.waitUntil(lambda: w.tabs.tabText(w.tab_manager.find_tab(key)) == client.name, timeout=WAIT)

    # a ticket of the client: double-click opens the ticket tab
    tid = open_first_ticket(qtbot, w, tab)
    ticket_tab = w.tabs.currentWidget()
    assert isinstance(ticket_tab, TicketTab)

    # the ticket's client button goes back to the (already open) client tab: no second tab
    qtbot.waitUntil(lambda: ticket_tab.client_button.isVisible(), timeout=WAIT)
    count = w.tabs.count()
    qtbot.mouseClick(ticket_tab.client_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.tabs.currentWidget() is tab, timeout=WAIT)
    assert w.tabs.count() == count

    # Enter with no hit selected opens the full search tab
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton)
    bar.selectAll()
    qtbot.keyClicks(bar, client.email)
    qtbot.keyClick(bar, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.tab_manager.find_tab(f"search:{client.email}") >= 0, timeout=WAIT)
    assert isinstance(w.tabs.currentWidget(), SearchTab)


# --- tabs -------------------------------------------------------------------------------------------


def test_tabs_close_by_button_middle_click_and_ctrl_w_and_cycle_with_ctrl_tab(qtbot, run,
                                                                               desk_factory):
    d = desk_factory()
    w = d.window
    ids = list(dict.fromkeys(t.client_id for t in run(d.backend.list_tickets(limit=200)).items
                             if t.client_id is not None))[:3]
    assert len(ids) == 3
    base = w.tabs.count()
    for cid in ids:
        w.tab_manager.open_client(cid)
    qtbot.waitUntil(lambda: w.tabs.count() == base + 3, timeout=WAIT)
    keys = w.tab_manager.tab_keys()[-3:]

    # Ctrl+Tab / Ctrl+Shift+Tab cycle (wrapping round)
    w.tabs.setCurrentIndex(w.tabs.count() - 1)
    qtbot.keySequence(w, QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Tab))
    assert w.tabs.currentIndex() == 0
    qtbot.keySequence(w, QKeySequence(Qt.Modifier.CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_Backtab))
    assert w.tabs.currentIndex() == w.tabs.count() - 1
    qtbot.keySequence(w, QKeySequence(Qt.Modifier.CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_Backtab))
    assert w.tabs.currentIndex() == w.tabs.count() - 2

    # close button
    click_tab_close_button(qtbot, w, w.tab_manager.find_tab(keys[0]))
    qtbot.waitUntil(lambda: w.tab_manager.find_tab(keys[0]) < 0, timeout=WAIT)
    # middle click
    bar = w.tabs.tabBar()
    rect = bar.tabRect(w.tab_manager.find_tab(keys[1]))
    qtbot.mouseClick(bar, Qt.MouseButton.MiddleButton, pos=rect.center())
    qtbot.waitUntil(lambda: w.tab_manager.find_tab(keys[1]) < 0, timeout=WAIT)
    # Ctrl+W closes the current tab, and the queue tab cannot be closed
    w.tabs.setCurrentIndex(w.tab_manager.find_tab(keys[2]))
    qtbot.keySequence(w, QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_W))
    qtbot.waitUntil(lambda: w.tab_manager.find_tab(keys[2]) < 0, timeout=WAIT)
    w.show_queue()
    qtbot.keySequence(w, QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_W))
    assert w.tabs.widget(w.tabs.currentIndex()) is w.queue_page


def test_unread_badge_appears_and_clears_and_tabs_come_back_in_a_new_window(
        qtbot, run, server, visitor, desk_factory, tmp_path):
    d = desk_factory()
    w = d.window
    run(visitor.start_chat("Technical support", "Ursula Unread", "hello?"))
    chat_id = visitor.chat["id"]
    tab = take_via_popup(qtbot, w, chat_id)
    assert w.tabs.currentWidget() is tab
    i = w.tab_manager.find_tab(f"chat:{chat_id}")
    assert w.tabs.tabText(i) == "Ursula Unread"

    # on another tab, a visitor message puts a count on the chat tab
    w.show_queue()
    with qtbot.waitSignal(w.chatMessageOffScreen, timeout=WAIT) as sig:
        run(visitor.send("are you there?"))
    assert sig.args[0].id == chat_id and sig.args[1].text == "are you there?"
    qtbot.waitUntil(lambda: w.tabs.tabText(w.tab_manager.find_tab(f"chat:{chat_id}")) == "(1) Ursula Unread",
                    timeout=WAIT)
    run(visitor.send("hello??"))
    qtbot.waitUntil(lambda: w.tabs.tabText(w.tab_manager.find_tab(f"chat:{chat_id}")) == "(2) Ursula Unread",
                    timeout=WAIT)
    # focusing the tab clears it
    qtbot.mouseClick(w.tabs.tabBar(), Qt.MouseButton.LeftButton,
                     pos=w.tabs.tabBar().tabRect(w.tab_manager.find_tab(f"chat:{chat_id}")).center())
    qtbot.waitUntil(lambda: w.tabs.tabText(w.tab_manager.find_tab(f"chat:{chat_id}")) == "Ursula Unread",
                    timeout=WAIT)
    # Ctrl+Tab works while typing in the composer too (a window shortcut, not the tab bar's)
    tab.composer.setFocus()
    at = w.tabs.currentIndex()
    qtbot.keyClick(tab.composer, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert w.tabs.currentIndex() == (at + 1) % w.tabs.count()
    assert "\t" not in tab.composer.toPlainText()

    # a client tab and a search tab too; then the same state opens them again in a new window
    client_id = next(t.client_id for t in run(d.backend.list_tickets(limit=50)).items
                     if t.client_id is not None)
    w.tab_manager.open_client(client_id)
    w.tab_manager.open_chat_history(run(d.backend.get_chat(chat_id)), focus=False)   # a read-only view
    w.tab_manager.open_search("example")
    w.tabs.setCurrentIndex(w.tab_manager.find_tab(f"client:{client_id}"))
    expected = w.tab_manager.tab_keys()
    assert expected[-3:] == [f"chat:{chat_id}", f"client:{client_id}", "search:example"][-3:] or \
        set(expected) >= {f"chat:{chat_id}", f"client:{client_id}", "search:example"}
    state = d.state
    d.close()        # logout path: every tab closes, the saved list stays
    assert w.tabs.count() == 1
    saved = state.get("open_tabs")
    assert saved["keys"] == expected and saved["current"] == f"client:{client_id}"

    d2 = desk_factory(state=state)
    w2 = d2.window
    qtbot.waitUntil(lambda: w2.tab_manager.tab_keys() == expected, timeout=WAIT)
    assert w2.tabs.currentWidget().property("tabKey") == f"client:{client_id}"
    assert isinstance(w2.tab_manager.chat_tab(chat_id), ChatTab)
    assert isinstance(w2.tabs.widget(w2.tab_manager.find_tab(f"history:{chat_id}")), ChatHistoryTab)


def test_only_chats_still_mine_come_back(qtbot, run, server, visitor, desk_factory):
    d = desk_factory()
    w = d.window
    run(visitor.start_chat("Technical support", "Gone Elsewhere", "hi"))
    chat_id = visitor.chat["id"]
    take_via_popup(qtbot, w, chat_id)
    state = d.state
    w.tab_memory.save()
    d.close()
    # while the desk is closed, the chat ends
    r = httpx.post(server.api(f"/chats/{chat_id}/close"),
                   headers={"Authorization": f"Bearer {server.login('admin')}"})
    assert r.status_code == 200
    d2 = desk_factory(state=state)
    assert d2.window.tab_manager.chat_tab(chat_id) is None


# --- status light and network panel -------------------------------------------------------------


def test_status_light_follows_the_server_stopping_and_starting_and_opens_the_network_panel(
        qtbot, server, desk_factory):
    d = desk_factory()
    w = d.window
    pal = w.palette()
    assert light(w) == theme.status_color(ConnectionState.CONNECTED, pal).name()
    assert "Connected" in w.status_button.toolTip()

    server.stop()
    qtbot.waitUntil(lambda: w.status_button.property("connectionState") in ("connecting", "failed"),
                    timeout=WAIT)
    # red: the desk is not receiving chats (a first connect would be amber)
    assert light(w) == theme.status_color(ConnectionState.FAILED, pal).name()
    assert w.status_button.text() in ("Reconnecting…", "Connection failed")
    assert light(w) != theme.status_color(ConnectionState.CONNECTED, pal).name()
    assert "Since" in w.status_button.toolTip()

    server.start()            # same port and database
    qtbot.waitUntil(lambda: w.status_button.property("connectionState") == "connected", timeout=30_000)
    assert light(w) == theme.status_color(ConnectionState.CONNECTED, pal).name()

    panel = w.network_panel
    assert not panel.isVisible()
    qtbot.mouseClick(w.status_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(panel.isVisible, timeout=WAIT)
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=WAIT)
    # the requests made before the panel was opened are there, failed ones included
    paths = [panel.model.index(r, 0).data(Qt.ItemDataRole.UserRole + 1) for r in
             range(panel.model.rowCount())]
    assert panel.model.rowCount() >= 3, paths


# --- queue pop-up ---------------------------------------------------------------------------------


def test_queue_popup_takes_a_chat_and_says_when_a_colleague_was_faster(qtbot, run, server,
                                                                       desk_factory):
    d = desk_factory()
    w = d.window
    v1, v2 = Visitor(server.url), Visitor(server.url)
    run(v1.connect())
    run(v2.connect())
    try:
        with qtbot.waitSignal(w.newWaitingChat, timeout=WAIT,
                              check_params_cb=lambda c: c.visitor_name == "Raced Visitor"):
            run(v1.start_chat("Technical support", "Raced Visitor", "site down"))
        run(v2.start_chat("Technical support", "Won Visitor", "dns?"))
        lost, won = v1.chat["id"], v2.chat["id"]
        qtbot.waitUntil(lambda: w.queue_model.chat(won) is not None, timeout=WAIT)
        open_popup(qtbot, w)
        popup = w.queue_popup
        assert popup.view.model() is w.queue_model
        assert popup.model.rowCount() == w.counter_button.count() >= 2

        # a colleague takes the first chat; we click it before our desk heard about it
        r = httpx.post(server.api(f"/chats/{lost}/take"),
                       headers={"Authorization": f"Bearer {tom_token(server)}"})
        assert r.status_code == 200
        popup_click_row(qtbot, w, lost)
        qtbot.waitUntil(lambda: "A colleague took the chat with Raced Visitor first."
                        == popup.notice.text(), timeout=WAIT)
        assert popup.isVisible() and popup.notice.isVisible()
        assert w.queue_model.chat(lost) is None
        assert w.statusBar().currentMessage() == "A colleague took this chat first"
        assert w.tab_manager.find_tab(f"chat:{lost}") < 0
        # the row stays a moment, marked with who took it, then goes
        qtbot.waitUntil(lambda: w.queue_model.leaving_reason(lost) == "Taken by Tom Becker",
                        timeout=WAIT)
        qtbot.waitUntil(lambda: w.queue_model.row_of(lost) < 0, timeout=WAIT)

        # the other chat: a click takes it, the pop-up closes and the chat tab is in front
        popup_click_row(qtbot, w, won)
        qtbot.waitUntil(lambda: w.tab_manager.chat_tab(won) is not None, timeout=WAIT)
        assert not popup.isVisible()
        assert w.tabs.currentWidget() is w.tab_manager.chat_tab(won)
        assert w.queue_model.chat(won) is None
        r = httpx.get(server.api(f"/chats/{won}"),
                      headers={"Authorization": f"Bearer {tom_token(server)}"})
        assert r.json()["state"] == "active" and r.json()["assignee_id"] == d.backend.agent.id
    finally:
        run(v1.close())
        run(v2.close())


def test_queue_popup_tooltip_shows_the_history_literally(qtbot, run, visitor, desk_factory):
    d = desk_factory()
    w = d.window
    run(visitor.start_chat("Technical support", HOSTILE, HOSTILE))
    run(visitor.send("second <i>line</i> & more"))
    chat_id = visitor.chat["id"]
    qtbot.waitUntil(lambda: (c := w.queue_model.chat(chat_id)) is not None
                    and c.message_count >= 2, timeout=WAIT)
    open_popup(qtbot, w)
    popup = w.queue_popup
    row = w.queue_model.row_of(chat_id)
    rect = popup.view.visualRect(w.queue_model.index(row))
    qtbot.mouseMove(popup.view.viewport(), rect.center())
    vp = popup.view.viewport()
    from supportdesk_qt.qt import QtGui  # noqa: PLC0415 - QHelpEvent only here

    with qtbot.waitSignal(popup.historyShown, timeout=WAIT) as sig:
        QApplication.sendEvent(vp, QtGui.QHelpEvent(QEvent.Type.ToolTip, rect.center(),
                                                    vp.mapToGlobal(rect.center())))
    text, shell = sig.args
    assert HOSTILE in text and "second <i>line</i> & more" in text     # the history, as typed
    assert "&lt;b&gt;x&lt;/b&gt;" in shell and "<b>x</b>" not in shell   # escaped for the tooltip
    assert "&lt;i&gt;line&lt;/i&gt; &amp; more" in shell
    assert QToolTip.isVisible() and QToolTip.text() == shell
    # hovering again within the cache time answers from the cache (no second request)
    before = sum(1 for r in d.backend.request_log if "/messages" in r.path)
    with qtbot.waitSignal(popup.historyShown, timeout=WAIT):
        QApplication.sendEvent(vp, QtGui.QHelpEvent(QEvent.Type.ToolTip, rect.center(),
                                                    vp.mapToGlobal(rect.center())))
    assert sum(1 for r in d.backend.request_log if "/messages" in r.path) == before
    popup.hide()


# --- online / offline --------------------------------------------------------------------------------


def test_going_offline_closes_chat_tabs_and_the_chat_returns_to_the_list(
        qtbot, run, server, visitor, desk_factory):
    d = desk_factory()
    w = d.window
    run(visitor.start_chat("Technical support", "Olga Offline", "help"))
    chat_id = visitor.chat["id"]
    tab = take_via_popup(qtbot, w, chat_id)
    qtbot.keyClicks(tab.composer, "half-written answer")

    with qtbot.waitSignal(w.onlineChanged, timeout=WAIT) as sig:
        w.offline_action.trigger()
    assert sig.args == [False]
    qtbot.waitUntil(lambda: w.tab_manager.chat_tab(chat_id) is None, timeout=WAIT)
    assert w.workspace.drafts.get(chat_id) == "half-written answer"       # the draft is kept
    assert not w.is_online

    # the server put the chat back in the list: a colleague sees it waiting
    r = httpx.get(server.api("/chats"), params={"state": "waiting"},
                  headers={"Authorization": f"Bearer {tom_token(server)}"})
    assert chat_id in [c["id"] for c in r.json()["items"]]
    # and so do we, with the next visitor message in the row
    qtbot.waitUntil(lambda: w.queue_model.chat(chat_id) is not None, timeout=WAIT)
    run(visitor.send("still waiting <3"))
    qtbot.waitUntil(lambda: w.queue_model.index(w.queue_model.row_of(chat_id)).data(
        QueueModel.PreviewRole) == "still waiting <3", timeout=WAIT)

    # back online; taking it again restores the draft
    with qtbot.waitSignal(w.onlineChanged, timeout=WAIT):
        w.online_action.trigger()
    w.take_chat(chat_id)
    qtbot.waitUntil(lambda: w.tab_manager.chat_tab(chat_id) is not None, timeout=WAIT)
    assert w.tab_manager.chat_tab(chat_id).composer.toPlainText() == "half-written answer"
    assert run(d.backend.get_chat(chat_id)).state == ChatState.ACTIVE


def test_closing_a_chat_tab_asks_and_ends_the_chat(qtbot, run, visitor, desk_factory):
    d = desk_factory()
    w = d.window
    run(visitor.start_chat("Technical support", "Carl Close", "bye soon"))
    chat_id = visitor.chat["id"]
    tab = take_via_popup(qtbot, w, chat_id)
    click_tab_close_button(qtbot, w, w.tab_manager.find_tab(f"chat:{chat_id}"))
    qtbot.waitUntil(lambda: tab.close_box is not None and tab.close_box.isVisible(), timeout=WAIT)
    tab.close_box.button(QMessageBox.StandardButton.Cancel).click()
    assert w.tab_manager.chat_tab(chat_id) is tab           # Cancel keeps the chat
    qtbot.mouseClick(w.tabs.tabBar(), Qt.MouseButton.MiddleButton,
                     pos=w.tabs.tabBar().tabRect(w.tab_manager.find_tab(f"chat:{chat_id}")).center())
    qtbot.waitUntil(lambda: tab.close_box is not None and tab.close_box.isVisible(), timeout=WAIT)
    tab.close_box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: w.tab_manager.chat_tab(chat_id) is None, timeout=WAIT)
    assert run(d.backend.get_chat(chat_id)).state == ChatState.CLOSED


def test_a_chat_the_visitor_ends_stays_readable_until_the_agent_closes_its_tab(
        qtbot, run, visitor, desk_factory):
    d = desk_factory()
    w = d.window
    run(visitor.start_chat("Technical support", "Vera Leaving", "thanks, that was all"))
    chat_id = visitor.chat["id"]
    tab = take_via_popup(qtbot, w, chat_id)
    # the agent starts closing but cancels; then the visitor ends the chat
    click_tab_close_button(qtbot, w, w.tab_manager.find_tab(f"chat:{chat_id}"))
    qtbot.waitUntil(lambda: tab.close_box is not None and tab.close_box.isVisible(), timeout=WAIT)
    tab.close_box.button(QMessageBox.StandardButton.Cancel).click()
    run(visitor.ws.send(json.dumps({"op": "close"})))
    qtbot.waitUntil(lambda: tab.is_closed, timeout=WAIT)
    assert w.tab_manager.chat_tab(chat_id) is tab                 # the transcript stays on screen
    assert not tab.composer.isEnabled()
    qtbot.waitUntil(lambda: tab.model.rowCount() >= 1, timeout=WAIT)
    # closing the tab of an ended chat asks nothing
    w.activateWindow()          # the offscreen platform does not hand activation back after a box
    qtbot.waitUntil(w.isActiveWindow, timeout=WAIT)
    qtbot.keySequence(w, QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_W))
    qtbot.waitUntil(lambda: w.tab_manager.chat_tab(chat_id) is None, timeout=WAIT)
    assert tab.close_box is None


def test_open_key_opens_tabs_and_focuses_a_chat(qtbot, run, visitor, desk_factory):
    d = desk_factory()
    w = d.window
    run(visitor.start_chat("Technical support", "Key Person", "hi"))
    chat_id = visitor.chat["id"]
    qtbot.waitUntil(lambda: w.queue_model.chat(chat_id) is not None, timeout=WAIT)
    w.navigator.open_key(f"chat:{chat_id}")           # a waiting chat: take it
    qtbot.waitUntil(lambda: w.tab_manager.chat_tab(chat_id) is not None, timeout=WAIT)
    w.show_queue()
    w.navigator.open_key(f"chat:{chat_id}")           # an open chat: its tab comes to the front
    assert w.tabs.currentWidget() is w.tab_manager.chat_tab(chat_id)
    ticket = run(d.backend.list_tickets(limit=1)).items[0]
    w.navigator.open_key(f"ticket:{ticket.id}")
    qtbot.waitUntil(lambda: w.tab_manager.find_tab(f"ticket:{ticket.id}") >= 0, timeout=WAIT)
    assert w.tab_manager.is_on_screen(f"chat:{chat_id}") is False


# --- user menu -----------------------------------------------------------------------------------


def test_user_menu_opens_the_notifications_log_settings_and_network_panel(qtbot, desk_factory):
    d = desk_factory()
    w = d.window
    menu_names = [a.objectName() for a in w.user_menu.actions() if a.objectName()]
    assert menu_names == ["onlineAction", "offlineAction", "networkAction", "notificationsAction",
                          "settingsAction", "logoutAction", "quitAction"]
    w.notifications_panel.model.add("new_chat", "Ann", HOSTILE, "chat:1")
    w.notifications_action.trigger()
    qtbot.waitUntil(w.notifications_panel.isVisible, timeout=WAIT)
    assert w.notifications_panel.model.rowCount() == 1
    w.settings_action.trigger()
    qtbot.waitUntil(lambda: w.settings_dialog is not None and w.settings_dialog.isVisible(),
                    timeout=WAIT)
    qtbot.keyClick(w.settings_dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not w.settings_dialog.isVisible(), timeout=WAIT)
    w.network_action.trigger()
    qtbot.waitUntil(w.network_panel.isVisible, timeout=WAIT)
    w.notifications_panel.hide()
    w.network_panel.hide()


def test_change_log_opens_in_a_tab_with_the_server_entries(qtbot, run, desk_factory):
    d = desk_factory()
    w = d.window
    entries = run(d.backend.changelog()).items
    qtbot.mouseClick(w.changelog_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.tab_manager.find_tab("changelog") >= 0, timeout=WAIT)
    view = w.tabs.currentWidget()
    if entries:
        first = entries[0]
        needle = (getattr(first, "title", "") or getattr(first, "text", "") or "").strip()[:20]
        qtbot.waitUntil(lambda: needle in view.toPlainText(), timeout=WAIT)
    assert not w.changelog_button.is_new
    assert d.state.changelog_seen_version


def test_waiting_count_is_zero_while_offline(qtbot, run, visitor, desk_factory):
    d = desk_factory()
    w = d.window
    run(visitor.start_chat("Technical support", "Counted", "hi"))
    qtbot.waitUntil(lambda: w.waiting_counter.last_waiting == w.queue_model.rowCount() > 0, timeout=WAIT)
    with qtbot.waitSignal(w.waitingCountChanged, timeout=WAIT,
                          check_params_cb=lambda n: n == 0):
        w.set_online(False)
    assert w.counter_button.count() > 0        # the list still shows what is waiting
    with qtbot.waitSignal(w.waitingCountChanged, timeout=WAIT,
                          check_params_cb=lambda n: n > 0):
        w.set_online(True)
    # logging out: every tab closes, nobody here takes chats any more
    w.tab_manager.open_ticket(run(d.backend.list_tickets(limit=1)).items[0].id)
    with qtbot.waitSignal(w.onlineChanged, timeout=WAIT, check_params_cb=lambda on: on is False):
        d.close()
    assert w.tabs.count() == 1 and w.tabs.widget(0) is w.queue_page
    assert w.queue_model.rowCount() == 0 and w.counter_button.count() == 0

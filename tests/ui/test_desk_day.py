"""Issue 9 ("A day at the desk"): the client tab, the workspace tabs, the search pop-up and the
status lines, driven like an agent does on the real desk against the real demo server."""

from __future__ import annotations

import httpx

from supportdesk_qt.qt import Qt
from supportdesk_qt.ui.client.client_tab import ClientTab
from tests.ui.test_desk_e2e import (WAIT, desk, sign_in, start_demo_desk,  # noqa: F401 (fixture)
                                   wait_connected)
from tests.ui.test_desk_fault_status import proxied_desk, proxy  # noqa: F401 (fixtures)
from tests.ui.test_search_opens_client import search_and_click
from tests.ui.test_shell import desk_factory, open_first_ticket, take_via_popup, visitor  # noqa: F401


def _search_and_open(qtbot, w, query: str, client_id: int) -> ClientTab:
    search_and_click(qtbot, w, query, client_id)
    qtbot.waitUntil(lambda: w.tab_manager.find_tab(f"client:{client_id}") >= 0, timeout=WAIT)
    tab = w.tabs.widget(w.tab_manager.find_tab(f"client:{client_id}"))
    assert isinstance(tab, ClientTab)
    return tab


def _signed_in(qtbot, d):
    """The agent signs in on the desk ``d``; its window once connected."""
    sign_in(qtbot, d)
    wait_connected(qtbot, d)
    return d.window


def _client(server, desk, client_id: int) -> dict:
    headers = {"Authorization": f"Bearer {desk.session.backend.token}"}
    return httpx.get(server.api(f"/clients/{client_id}"), headers=headers).json()


# -- item 4: a client tab opens on its Tickets list ---------------------------------------------

def test_a_client_tab_opens_on_its_tickets_list(qtbot, desk, server):  # noqa: F811
    w = _signed_in(qtbot, desk)
    client = _client(server, desk, 3)
    tab = _search_and_open(qtbot, w, client["email"][:6], client["id"])
    qtbot.waitUntil(lambda: tab.client is not None, timeout=WAIT)
    assert tab.tabs.tabText(0) == "New ticket"               # the form stays first in order
    assert tab.tabs.currentWidget() is tab.views["tickets"]
    assert tab.tabs.tabText(tab.tabs.currentIndex()).startswith("Tickets")
    tab.grab().save("/tmp/shots/client_tab.png")


# -- item 8: seven or more tabs stay readable ---------------------------------------------------

LONG_NAME = "Aiko Andromeda-Nakamura Kobayashi"


def test_many_tabs_keep_their_kind_an_icon_and_scroll_instead_of_shrinking(
        qtbot, run, server, visitor, desk_factory):
    from supportdesk_qt.qt import QToolButton
    from supportdesk_qt.ui import workspace_tabs as WT

    d = desk_factory()
    w = d.window
    w.resize(900, 640)
    run(visitor.start_chat("Technical support", LONG_NAME, "hello?"))
    chat_id = visitor.chat["id"]
    chat_tab = take_via_popup(qtbot, w, chat_id)
    w.tab_manager.open_chat_history(chat_tab.chat)                      # the same person's earlier chat
    tickets = run(d.backend.list_tickets(limit=50)).items
    ticket = next(t for t in tickets if t.client_id is not None)
    client = run(d.backend.get_client(ticket.client_id))
    # the search bar: Enter opens the search tab, a click on the hit the client tab
    bar = w.search_bar
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(bar, client.email)
    qtbot.waitUntil(lambda: bar.popup.isVisible() and bar.model.rowCount() > 0, timeout=WAIT)
    qtbot.keyClick(bar, Qt.Key.Key_Down)
    qtbot.keyClick(bar, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.tab_manager.find_tab(f"client:{client.id}") >= 0, timeout=WAIT)
    client_tab = w.tabs.widget(w.tab_manager.find_tab(f"client:{client.id}"))
    qtbot.waitUntil(lambda: client_tab.client is not None, timeout=WAIT)
    assert client_tab.tabs.currentWidget() is client_tab.views["tickets"]
    tid = open_first_ticket(qtbot, w, client_tab)
    qtbot.waitUntil(lambda: w.tab_manager.find_tab(f"ticket:{tid}") >= 0
                    and w.tabs.widget(w.tab_manager.find_tab(f"ticket:{tid}")).ticket is not None,
                    timeout=WAIT)
    qtbot.mouseClick(w.tickets_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.changelog_button, Qt.MouseButton.LeftButton)
    w.tab_manager.open_search(client.name)
    keys = ["queue", f"chat:{chat_id}", f"history:{chat_id}", f"client:{client.id}",
            f"ticket:{tid}", "tickets", "changelog", f"search:{client.name}"]
    qtbot.waitUntil(lambda: all(w.tab_manager.find_tab(k) >= 0 for k in keys), timeout=WAIT)
    assert w.tabs.count() >= 8

    tabs, tab_bar = w.tabs, w.tabs.tabBar()
    icons = {}
    for k in keys:
        i = w.tab_manager.find_tab(k)
        assert not tabs.tabIcon(i).isNull(), f"tab {k} has no icon"
        icons[WT.kind_of(k)] = tabs.tabIcon(i).pixmap(16, 16).toImage()
    # each kind its own picture: the chat, the earlier chat and the client do not look alike
    images = list(icons.values())
    assert all(a != b for n, a in enumerate(images) for b in images[n + 1:])

    chat_i, hist_i = w.tab_manager.find_tab(f"chat:{chat_id}"), w.tab_manager.find_tab(f"history:{chat_id}")
    # the user's text is shortened, never the kind; the full title is in the tooltip
    assert tabs.tabText(chat_i) != LONG_NAME and "…" in tabs.tabText(chat_i)
    assert tabs.tabText(chat_i).startswith("Aiko")
    assert tabs.tabText(hist_i).endswith("(earlier chat)") and tabs.tabText(hist_i).startswith("Aiko")
    assert tabs.tabText(w.tab_manager.find_tab(f"ticket:{tid}")).startswith(f"#{tid} ")
    assert tabs.tabText(w.tab_manager.find_tab(f"search:{client.name}")).startswith("Search: ")
    assert LONG_NAME in tabs.tabToolTip(chat_i) and "Chat with" in tabs.tabToolTip(chat_i)
    assert "Earlier chat with" in tabs.tabToolTip(hist_i)
    assert "Client: " in tabs.tabToolTip(w.tab_manager.find_tab(f"client:{client.id}"))
    assert tabs.tabToolTip(chat_i).startswith("<qt>")                    # plain text, escaped

    # too many for 900 px: the bar scrolls, and no tab is squeezed to "Aiko An…"
    em = tab_bar.fontMetrics().averageCharWidth()
    for i in range(tabs.count()):
        assert tab_bar.tabRect(i).width() >= WT.MIN_TAB_EM * em - 1, tabs.tabText(i)
        assert tab_bar.tabRect(i).width() <= WT.MAX_TAB_EM * em + 1, tabs.tabText(i)
    arrows = [b for b in tab_bar.findChildren(QToolButton) if b.isVisible()
              and b.arrowType() != Qt.ArrowType.NoArrow]
    assert len(arrows) == 2
    assert tabs.tabText(0).startswith("Waiting chats")
    # what the tab shows is what the text says: the bar does not cut it again
    for i in range(tabs.count()):
        text = tabs.tabText(i).replace("&&", "&")
        assert tab_bar.fontMetrics().horizontalAdvance(text) <= tab_bar.text_room(i), text
    w.grab().save("/tmp/shots/many_tabs.png")
    tabs.setCurrentIndex(hist_i)
    w.grab().save("/tmp/shots/many_tabs_start.png")


# -- item 7: the search pop-up fits its content; the matched field stays readable ----------------

def test_search_popup_shrinks_to_one_hit_and_shows_the_matched_email_readably(
        qtbot, desk, server):  # noqa: F811
    from supportdesk_qt.qt import QFontMetrics
    w = _signed_in(qtbot, desk)
    bar, popup = w.search_bar, w.search_bar.popup
    bar.setFocus()
    qtbot.keyClicks(bar, ".com")                                  # many clients
    qtbot.waitUntil(lambda: popup.isVisible() and bar.model.query == ".com"
                    and bar.model.rowCount() >= 4, timeout=WAIT)
    qtbot.waitUntil(lambda: popup.height() > 3 * popup.view.sizeHintForRow(0), timeout=WAIT)
    w.grab().save("/tmp/shots/search_many.png")
    client = _client(server, desk, 3)
    email = client["email"]
    bar.selectAll()
    qtbot.keyClicks(bar, email)                                   # exactly one
    qtbot.waitUntil(lambda: bar.model.query == email and bar.model.rowCount() == 1, timeout=WAIT)
    row_h = popup.view.sizeHintForRow(0)
    qtbot.waitUntil(lambda: popup.height() <= row_h + 12, timeout=WAIT)
    assert popup.view.height() >= row_h                           # the hit is not cut either
    index = bar.model.index(0)
    assert index.data(bar.model.MatchedFieldRole) == "email"
    delegate = popup.view.itemDelegate()
    line = delegate.matched_line(index, QFontMetrics(popup.view.font()),
                                 popup.view.viewport().width() - 20)
    assert line == f"matched: email = {email}"
    w.grab().save("/tmp/shots/search_one.png")
    popup.grab().save("/tmp/shots/search_one_popup.png")
    # a narrow pop-up cuts the middle of the value, never the field
    short = delegate.matched_line(index, QFontMetrics(popup.view.font()), 230)
    assert short.startswith("matched: email = ") and "…" in short
    assert short.endswith("com") and short.split(" = ")[1][:2] == email[:2]


# -- items 11a and 13: the status line under the lists belongs to its list and moves nothing -----

def _client_with_tickets_and_services(server, desk) -> dict:
    headers = {"Authorization": f"Bearer {desk.session.backend.token}"}
    tickets = httpx.get(server.api("/tickets"), headers=headers, params={"limit": 200}).json()
    for cid in dict.fromkeys(t["client_id"] for t in tickets["items"] if t.get("client_id")):
        services = httpx.get(server.api(f"/clients/{cid}/services"), headers=headers).json()
        if len(services["items"]) >= 2:
            return _client(server, desk, cid)
    raise AssertionError("no demo client with tickets and services")


def test_the_status_line_keeps_its_room_and_goes_when_the_agent_moves_on(
        qtbot, desk, server):  # noqa: F811
    from supportdesk_qt.qt import QMessageBox, QPushButton
    from supportdesk_qt.ui.tickets.client_tickets import PRIORITY_COLUMN
    w = _signed_in(qtbot, desk)
    client = _client_with_tickets_and_services(server, desk)
    tab = _search_and_open(qtbot, w, client["email"], client["id"])
    line = tab.status_line
    view = tab.views["tickets"]
    qtbot.waitUntil(lambda: tab.models["tickets"].rowCount() > 0, timeout=WAIT)
    before = view.geometry()

    # the agent changes a ticket's priority in place
    index = view.model().index(0, PRIORITY_COLUMN)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(index).center())
    qtbot.waitUntil(lambda: view.indexWidget(index) is not None, timeout=WAIT)
    qtbot.keyClick(view.indexWidget(index), Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: "priority" in line.text() and line.text().startswith("Ticket #"),
                    timeout=WAIT)
    said = line.text()
    tab.grab().save("/tmp/shots/client_tab_status.png")
    assert view.geometry() == before                      # item 13: nothing moved
    assert line.isVisible() and line.height() >= 2 * line.fontMetrics().lineSpacing()

    # ... then goes to the services: the tickets' sentence is not about them
    services_i = tab.tabs.indexOf(tab.views["services"])
    bar = tab.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(services_i).center())
    assert tab.tabs.currentWidget() is tab.views["services"]
    assert line.text() == ""
    sview, smodel = tab.views["services"], tab.models["services"]
    qtbot.waitUntil(lambda: smodel.rowCount() > 0, timeout=WAIT)
    count = smodel.rowCount()
    qtbot.mouseClick(sview.viewport(), Qt.MouseButton.LeftButton,
                     pos=sview.visualRect(sview.model().index(0, 1)).center())
    delete = tab.editing.buttons["deleteService"]
    qtbot.waitUntil(delete.isEnabled, timeout=WAIT)
    delete_at = delete.mapTo(tab, delete.rect().topLeft())
    qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(getattr(tab.editing, "confirm_box", None), QMessageBox)
                    and tab.editing.confirm_box.isVisible(), timeout=WAIT)
    yes = tab.editing.confirm_box.findChild(QPushButton, "confirmDelete")
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: smodel.rowCount() == count - 1, timeout=WAIT)
    assert said not in line.text()
    assert delete.mapTo(tab, delete.rect().topLeft()) == delete_at

    # a failed action says so in the same room; the next action clears it
    line.say("services", "Not deleted: the server is busy.", error=True)
    assert delete.mapTo(tab, delete.rect().topLeft()) == delete_at
    qtbot.mouseClick(sview.viewport(), Qt.MouseButton.LeftButton,
                     pos=sview.visualRect(sview.model().index(0, 2)).center())
    qtbot.waitUntil(delete.isEnabled, timeout=WAIT)
    assert line.text() == "Not deleted: the server is busy."     # choosing a row is no action
    qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
    assert line.text() == ""
    qtbot.waitUntil(lambda: tab.editing.confirm_box.isVisible(), timeout=WAIT)
    tab.editing.confirm_box.reject()

    # a success goes by itself after a while
    line.timer.setInterval(100)
    line.say("services", "Saved.")
    qtbot.waitUntil(lambda: line.text() == "", timeout=WAIT)


# -- item 11c: the connection light's tooltip tells the present, not a past state ----------------

def test_the_connection_tooltip_forgets_reconnecting_once_connected(
        qtbot, run, proxy, proxied_desk):  # noqa: F811
    from supportdesk_qt.qt import QToolTip
    from tests.ui.test_hostile_text import rendered_tooltip
    w = _signed_in(qtbot, proxied_desk)
    button = w.status_button

    async def cut():
        return proxy.cut("reset", hold=10.0, outage=0.5)

    assert run(cut()).connections >= 1
    qtbot.waitUntil(lambda: button.property("connectionState") != "connected", timeout=5000)
    lost = rendered_tooltip(button.toolTip())
    assert lost.startswith("Reconnecting…")
    # the agent rests the mouse on the light and reads its tooltip while it reconnects
    qtbot.mouseMove(button, button.rect().center())
    QToolTip.showText(button.mapToGlobal(button.rect().center()), button.toolTip(), button)
    qtbot.waitUntil(QToolTip.isVisible, timeout=WAIT)
    qtbot.waitUntil(lambda: button.property("connectionState") == "connected", timeout=WAIT)
    now = rendered_tooltip(button.toolTip())
    assert now.startswith("Connected\n")
    assert "reconnecting" not in now.lower()
    # ... and what is on screen is the present, not the "Reconnecting…" it was reading
    assert QToolTip.isVisible()
    assert rendered_tooltip(QToolTip.text()).startswith("Connected\n")
    QToolTip.hideText()


# -- item 18: the embedded demo keeps its port from one start to the next -----------------------

def _run_demo_desk(qapp, qtbot, aloop, tmp_path) -> str:
    """Start the desk in demo mode (a new process would do the same), wait until it is connected,
    quit it; the demo server's URL."""
    d, embedded = start_demo_desk(qapp, aloop, tmp_path)
    try:
        wait_connected(qtbot, d)
        url = embedded.url
        assert d.session.is_embedded and url
    finally:
        d.request_quit()
        qtbot.waitUntil(d.runner.done, timeout=WAIT)
    assert not embedded.running
    return url


def test_the_demo_server_comes_back_on_its_port_or_a_free_one(qapp, qtbot, aloop, tmp_path,
                                                              monkeypatch):
    import json
    import socket
    import threading
    from supportdesk_qt.core.embedded import EmbeddedServer
    threads = []
    for name in ("_last_port", "_remember_port"):
        real = getattr(EmbeddedServer, name)

        def spy(self, *a, _real=real):
            threads.append(threading.current_thread())
            return _real(self, *a)
        monkeypatch.setattr(EmbeddedServer, name, spy)
    first = _run_demo_desk(qapp, qtbot, aloop, tmp_path)
    assert len(threads) == 2 and threading.main_thread() not in threads   # not the GUI thread
    port = int(first.rsplit(":", 1)[1])
    assert json.loads((tmp_path / "embedded" / "embedded-port.json").read_text()) == {"port": port}
    # restarted: the widget page open in the browser finds its server at the same address
    assert _run_demo_desk(qapp, qtbot, aloop, tmp_path) == first
    # something else listens there now: the demo takes another free port and remembers that
    with socket.socket() as other:
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # past TIME_WAIT
        other.bind(("127.0.0.1", port))
        other.listen(1)
        third = _run_demo_desk(qapp, qtbot, aloop, tmp_path)
    assert third != first and third.startswith("http://127.0.0.1:")
    new_port = int(third.rsplit(":", 1)[1])
    saved = json.loads((tmp_path / "embedded" / "embedded-port.json").read_text())
    assert saved == {"port": new_port}


def test_a_restored_client_tab_opens_on_its_tickets_list_too(qtbot, desk_factory, tmp_path):
    from supportdesk_qt.core.settings import WindowState
    state = WindowState.load(tmp_path / "state.json")
    state.set("open_tabs", {"login": "demo", "keys": ["client:3", "tickets"], "current": "tickets"})
    w = desk_factory(state=state).window
    qtbot.waitUntil(lambda: w.tab_manager.find_tab("client:3") >= 0, timeout=WAIT)
    tab = w.tabs.widget(w.tab_manager.find_tab("client:3"))
    bar = w.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(w.tab_manager.find_tab("client:3")).center())
    qtbot.waitUntil(lambda: w.tabs.currentWidget() is tab and tab.client is not None, timeout=WAIT)
    assert tab.tabs.currentWidget() is tab.views["tickets"]

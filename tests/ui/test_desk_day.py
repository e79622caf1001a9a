"""Issue 9 ("A day at the desk"): the client tab, the workspace tabs, the search pop-up and the
status lines, driven like an agent does on the real desk against the real demo server."""

from __future__ import annotations

import httpx

from supportdesk_qt.qt import Qt
from supportdesk_qt.ui.client.client_tab import ClientTab
from tests.ui.test_desk_e2e import WAIT, desk, sign_in, wait_connected  # noqa: F401 (fixture)
from tests.ui.test_search_opens_client import search_and_click
from tests.ui.test_shell import desk_factory, open_first_ticket, take_via_popup, visitor  # noqa: F401


def _search_and_open(qtbot, w, query: str, client_id: int) -> ClientTab:
    search_and_click(qtbot, w, query, client_id)
    qtbot.waitUntil(lambda: w.find_tab(f"client:{client_id}") >= 0, timeout=WAIT)
    tab = w.tabs.widget(w.find_tab(f"client:{client_id}"))
    assert isinstance(tab, ClientTab)
    return tab


def _client(server, desk, client_id: int) -> dict:
    headers = {"Authorization": f"Bearer {desk.session.backend.token}"}
    return httpx.get(server.api(f"/clients/{client_id}"), headers=headers).json()


# -- item 4: a client tab opens on its Tickets list ---------------------------------------------

def test_a_client_tab_opens_on_its_tickets_list(qtbot, desk, server):  # noqa: F811
    sign_in(qtbot, desk)
    w = desk.window
    wait_connected(qtbot, w)
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
    w.open_chat_history(chat_tab.chat)                      # the same person's earlier chat
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
    qtbot.waitUntil(lambda: w.find_tab(f"client:{client.id}") >= 0, timeout=WAIT)
    client_tab = w.tabs.widget(w.find_tab(f"client:{client.id}"))
    qtbot.waitUntil(lambda: client_tab.client is not None, timeout=WAIT)
    assert client_tab.tabs.currentWidget() is client_tab.views["tickets"]
    tid = open_first_ticket(qtbot, w, client_tab)
    qtbot.waitUntil(lambda: w.find_tab(f"ticket:{tid}") >= 0
                    and w.tabs.widget(w.find_tab(f"ticket:{tid}")).ticket is not None,
                    timeout=WAIT)
    qtbot.mouseClick(w.tickets_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.changelog_button, Qt.MouseButton.LeftButton)
    w.open_search(client.name)
    keys = ["queue", f"chat:{chat_id}", f"history:{chat_id}", f"client:{client.id}",
            f"ticket:{tid}", "tickets", "changelog", f"search:{client.name}"]
    qtbot.waitUntil(lambda: all(w.find_tab(k) >= 0 for k in keys), timeout=WAIT)
    assert w.tabs.count() >= 8

    tabs, tab_bar = w.tabs, w.tabs.tabBar()
    icons = {}
    for k in keys:
        i = w.find_tab(k)
        assert not tabs.tabIcon(i).isNull(), f"tab {k} has no icon"
        icons[WT.kind_of(k)] = tabs.tabIcon(i).pixmap(16, 16).toImage()
    # each kind its own picture: the chat, the earlier chat and the client do not look alike
    images = list(icons.values())
    assert all(a != b for n, a in enumerate(images) for b in images[n + 1:])

    chat_i, hist_i = w.find_tab(f"chat:{chat_id}"), w.find_tab(f"history:{chat_id}")
    # the user's text is shortened, never the kind; the full title is in the tooltip
    assert tabs.tabText(chat_i) != LONG_NAME and "…" in tabs.tabText(chat_i)
    assert tabs.tabText(chat_i).startswith("Aiko")
    assert tabs.tabText(hist_i).endswith("(earlier chat)") and tabs.tabText(hist_i).startswith("Aiko")
    assert tabs.tabText(w.find_tab(f"ticket:{tid}")).startswith(f"#{tid} ")
    assert tabs.tabText(w.find_tab(f"search:{client.name}")).startswith("Search: ")
    assert LONG_NAME in tabs.tabToolTip(chat_i) and "Chat with" in tabs.tabToolTip(chat_i)
    assert "Earlier chat with" in tabs.tabToolTip(hist_i)
    assert "Client: " in tabs.tabToolTip(w.find_tab(f"client:{client.id}"))
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

"""The desk's search bar in the main window: type, click a hit, and that client's tab opens
(issue 5: "Clicking a found client opens the client tab"), against the real demo server."""

from __future__ import annotations

import httpx

from supportdesk_qt.qt import Qt
from supportdesk_qt.ui.client.client_tab import ClientTab
from tests.ui.test_desk_e2e import WAIT, desk, sign_in, wait_connected  # noqa: F401 (fixture)


def search_and_click(qtbot, w, query: str, client_id: int) -> int:
    """Type ``query`` into the search bar and click the hit of ``client_id`` (its row)."""
    bar = w.search_bar
    bar.setFocus()
    bar.clear()
    qtbot.keyClicks(bar, query)
    qtbot.waitUntil(lambda: bar.popup.isVisible() and bar.model.query == query
                    and bar.model.rowCount() > 0, timeout=WAIT)
    model, view = bar.model, bar.popup.view
    row = next(r for r in range(model.rowCount())
               if model.index(r).data(model.ClientIdRole) == client_id)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(model.index(row)).center())
    return row


def test_clicking_a_search_hit_opens_the_client_tab(qtbot, desk, server):  # noqa: F811
    sign_in(qtbot, desk)
    w = desk.window
    wait_connected(qtbot, w)
    headers = {"Authorization": f"Bearer {desk.session.backend.token}"}
    client = httpx.get(server.api("/clients/3"), headers=headers).json()
    query = client["email"][:6]

    row = search_and_click(qtbot, w, query, client["id"])
    bar, model = w.search_bar, w.search_bar.model
    assert model.index(row).data(model.MatchedFieldRole) == "email"

    qtbot.waitUntil(lambda: w.tab_manager.find_tab(f"client:{client['id']}") >= 0, timeout=WAIT)
    tab = w.tabs.currentWidget()
    assert isinstance(tab, ClientTab) and w.tabs.currentIndex() == w.tab_manager.find_tab(
        f"client:{client['id']}")
    qtbot.waitUntil(lambda: tab.client is not None, timeout=WAIT)
    assert tab.name_label.text() == client["name"]
    assert not bar.popup.isVisible()

"""The client tab's list filter against the REAL server (its own SQLite file, the clients of
tests/server/test_client_list_filters.py), typing like a person: the table shows only the rows the
server finds, clearing (button or Escape) brings every row back, the sort the agent chose stays,
an empty result says so inside the table, and each list keeps its own filter when the agent
switches lists. No sleeps: every wait is a waitUntil / waitSignal."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from supportdesk_qt.backend.http import HttpBackend
from supportdesk_qt.qt import QPoint, Qt, QToolButton
from supportdesk_qt.ui.client.client_tab import ClientTab
from supportdesk_qt.ui.client.list_filter import DEBOUNCE_MS
from tests.server.conftest import assert_no_server_errors
from tests.server.helpers import PASSWORD, seed_basic
from tests.server.test_client_list_filters import CLIENT, seed_filter_clients
from tests.support.server import ServerProcess

WAIT = 20_000
SHOTS = os.environ.get("SUPPORTDESK_SHOTS_DIR")
ALL_PAYMENTS = 11


@pytest.fixture(scope="module")
def filter_srv(tmp_path_factory):
    srv = ServerProcess(tmp_path_factory.mktemp("ui-filters"), demo=False)
    asyncio.run(seed_basic(srv.database_url))
    asyncio.run(seed_filter_clients(srv.database_url))
    srv.start()
    yield srv
    srv.stop()
    assert_no_server_errors(srv)


@pytest.fixture
def bob(filter_srv, run):
    b = HttpBackend(filter_srv.url)
    run(b.login("bob", PASSWORD))
    yield b
    run(b.close())


def open_tab(qtbot, backend, tasks, page_size: int = 50) -> ClientTab:
    tab = ClientTab(backend, CLIENT, tasks, page_size=page_size)
    qtbot.addWidget(tab)
    tab.resize(1000, 560)
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.waitUntil(lambda: tab.client is not None and not tab.loading, timeout=WAIT)
    return tab


def show_list(qtbot, tab: ClientTab, kind: str) -> None:
    bar = tab.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton,
                     pos=bar.tabRect(tab.tabs.indexOf(tab.views[kind])).center())
    assert tab.tabs.currentWidget() is tab.views[kind]


def shown(tab: ClientTab, kind: str, column: int = 0) -> list[str]:
    proxy = tab.proxies[kind]
    return [proxy.index(r, column).data() for r in range(proxy.rowCount())]


def type_filter(qtbot, tab: ClientTab, text: str) -> None:
    box = tab.list_filters.box
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert box.hasFocus()
    qtbot.keyClicks(box, text)


def settled(qtbot, tab: ClientTab, kind: str, total: int) -> None:
    model = tab.models[kind]
    qtbot.waitUntil(lambda: not model.loading and model.total == total
                    and tab.list_filters.box.timer.isActive() is False, timeout=WAIT)


def clear_button(tab: ClientTab) -> QToolButton:
    buttons = [b for b in tab.list_filters.box.findChildren(QToolButton) if b.isVisible()]
    assert len(buttons) == 1
    return buttons[0]


def test_typing_filters_on_the_server_and_clearing_restores(qtbot, bob, tasks):
    tab = open_tab(qtbot, bob, tasks, page_size=4)      # 4 of 11 payments loaded at first
    show_list(qtbot, tab, "payments")
    model = tab.models["payments"]
    settled(qtbot, tab, "payments", ALL_PAYMENTS)
    qtbot.waitUntil(lambda: model.rowCount() == ALL_PAYMENTS and not model.loading,
                    timeout=WAIT)                        # the view paged through them
    box = tab.list_filters.box
    assert box.isEnabled() and box.placeholderText() == "Filter payments…"
    fetches = model.fetch_count
    type_filter(qtbot, tab, "bulk")
    settled(qtbot, tab, "payments", 7)                   # the server counted the matches
    qtbot.waitUntil(lambda: model.rowCount() == 7 and not model.loading, timeout=WAIT)
    assert model.fetch_count - fetches == 2              # debounced: 2 pages of 4 for "bulk"
    assert "bulk" == model.filter_text
    assert all(n.startswith("BULK-") for n in shown(tab, "payments"))
    i = tab.tabs.indexOf(tab.views["payments"])
    assert tab.tabs.tabText(i) == "Payments (7, filtered)"      # not "the client has 7"
    assert "bulk" in tab.tabs.tabToolTip(i)

    # different case, a LIKE wildcard typed by the agent is literal
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, "DISCOUNT 50%")
    settled(qtbot, tab, "payments", 1)
    assert shown(tab, "payments") == ["INV-100-1"]

    qtbot.mouseClick(clear_button(tab), Qt.MouseButton.LeftButton)
    assert box.text() == ""
    settled(qtbot, tab, "payments", ALL_PAYMENTS)
    assert model.filter_text == ""
    assert tab.tabs.tabText(i) == "Payments (11)" and tab.tabs.tabToolTip(i) == ""


def test_escape_clears_and_enter_does_not_wait(qtbot, bob, tasks):
    tab = open_tab(qtbot, bob, tasks)
    show_list(qtbot, tab, "services")
    settled(qtbot, tab, "services", 3)
    type_filter(qtbot, tab, "example.ORG")
    qtbot.keyClick(tab.list_filters.box, Qt.Key.Key_Return)
    assert not tab.list_filters.box.timer.isActive()     # asked at once, no pause needed
    settled(qtbot, tab, "services", 1)
    assert shown(tab, "services", 1) == ["Mail box"]
    qtbot.keyClick(tab.list_filters.box, Qt.Key.Key_Escape)
    assert tab.list_filters.box.text() == ""
    settled(qtbot, tab, "services", 3)
    assert sorted(shown(tab, "services", 1)) == ["Mail box", "VPS 50%", "Web Hosting"]


def test_sort_stays_while_filtering(qtbot, bob, tasks):
    tab = open_tab(qtbot, bob, tasks)
    show_list(qtbot, tab, "payments")
    settled(qtbot, tab, "payments", ALL_PAYMENTS)
    view = tab.views["payments"]
    header = view.horizontalHeader()
    # a click on "Number" sorts ascending, a second one descending
    number = QPoint(header.sectionViewportPosition(0) + header.sectionSize(0) // 2,
                    header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=number)
    assert header.sortIndicatorSection() == 0
    order = header.sortIndicatorOrder()
    type_filter(qtbot, tab, "inv")
    settled(qtbot, tab, "payments", 3)
    rows = shown(tab, "payments")
    expected = sorted(["INV-100-1", "INV-101-1", "INV-102-1"],
                      reverse=order == Qt.SortOrder.DescendingOrder)
    assert rows == expected
    assert header.sortIndicatorSection() == 0 and header.sortIndicatorOrder() == order
    # sorting the filtered rows the other way still works
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=number)
    assert shown(tab, "payments") == list(reversed(expected))
    assert tab.models["payments"].filter_text == "inv"


def test_no_match_says_so_inside_the_table(qtbot, bob, tasks, tmp_path):
    tab = open_tab(qtbot, bob, tasks)
    show_list(qtbot, tab, "payments")
    settled(qtbot, tab, "payments", ALL_PAYMENTS)
    note = tab.list_filters.notes["payments"]
    assert not note.isVisible()
    type_filter(qtbot, tab, "<b>nothing</b>")
    settled(qtbot, tab, "payments", 0)
    qtbot.waitUntil(note.isVisible, timeout=WAIT)
    assert note.text() == "No payments match “<b>nothing</b>”."
    assert note.textFormat() == Qt.TextFormat.PlainText
    assert note.parentWidget() is tab.views["payments"].viewport()
    assert note.geometry().intersects(tab.views["payments"].viewport().rect())
    out = Path(SHOTS) if SHOTS else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    assert tab.grab().save(str(out / "client-tab-filter-empty.png"))
    qtbot.keyClick(tab.list_filters.box, Qt.Key.Key_Backspace)   # still no match
    qtbot.keyClick(tab.list_filters.box, Qt.Key.Key_Escape)
    settled(qtbot, tab, "payments", ALL_PAYMENTS)
    assert not note.isVisible()


def test_each_list_keeps_its_filter_when_switching(qtbot, bob, tasks, tmp_path):
    tab = open_tab(qtbot, bob, tasks)
    box = tab.list_filters.box
    show_list(qtbot, tab, "payments")
    settled(qtbot, tab, "payments", ALL_PAYMENTS)
    type_filter(qtbot, tab, "paypal")
    settled(qtbot, tab, "payments", 1)

    show_list(qtbot, tab, "tickets")
    assert box.text() == "" and box.placeholderText() == "Filter tickets…"
    settled(qtbot, tab, "tickets", 3)
    type_filter(qtbot, tab, "in progress")          # the status, as a person writes it
    settled(qtbot, tab, "tickets", 1)
    assert shown(tab, "tickets", 1) == ["Invoice question"]
    out = Path(SHOTS) if SHOTS else tmp_path
    assert tab.grab().save(str(out / "client-tab-filter.png"))

    show_list(qtbot, tab, "payments")
    assert box.text() == "paypal"
    assert shown(tab, "payments") == ["INV-101-1"]
    show_list(qtbot, tab, "tickets")
    assert box.text() == "in progress" and tab.models["tickets"].total == 1

    # typed, then switched before the pause ended: the text still goes to the list it was for
    show_list(qtbot, tab, "projects")
    settled(qtbot, tab, "projects", 3)
    type_filter(qtbot, tab, "main")
    assert box.timer.isActive() and box.timer.interval() == DEBOUNCE_MS
    show_list(qtbot, tab, "expenses")
    assert box.text() == ""
    settled(qtbot, tab, "projects", 2)
    assert tab.models["expenses"].filter_text == ""

    # the ticket form page has no table: the box is off
    tab.tabs.setCurrentIndex(0)
    assert tab.tabs.currentWidget() is tab.ticket_section.form_page
    assert not box.isEnabled() and box.text() == ""


def test_model_drops_a_page_asked_before_the_filter_changed(qtbot, aloop, tasks):
    """PagedTableModel alone: the unfiltered page arrives after the filter changed (a slow
    server) and is dropped; only the filtered fetch gets ``q``; old fetch signatures still work."""
    from supportdesk_protocol.schemas import Page
    from supportdesk_qt.ui.models.paged_table_model import Column, PagedTableModel

    calls: list[tuple[int, int, str | None]] = []
    gates: list[asyncio.Future] = []

    async def fetch(offset: int, limit: int, q: str | None = None) -> Page:
        calls.append((offset, limit, q))
        gate = aloop.create_future()
        gates.append(gate)
        try:
            return await asyncio.shield(gate)
        except asyncio.CancelledError:         # a late answer: the cancel came too late
            return await asyncio.shield(gate)

    model = PagedTableModel([Column("Name", str)], fetch, page_size=10, tasks=tasks)
    model.reload()
    qtbot.waitUntil(lambda: len(calls) == 1)
    first = model._task
    with qtbot.waitSignal(model.filterChanged) as changed:
        assert model.set_filter("  ab ") is True
    assert changed.args == ["ab"] and model.filter_text == "ab"
    assert model.set_filter("ab") is False                  # unchanged: no reload
    qtbot.waitUntil(lambda: len(calls) == 2)
    assert calls == [(0, 10, None), (0, 10, "ab")]
    gates[0].set_result(Page(items=["all-1", "all-2"], total=2, offset=0, limit=10))
    qtbot.waitUntil(first.done)
    assert model.rowCount() == 0                            # the stale page was dropped
    gates[1].set_result(Page(items=["ab-1"], total=1, offset=0, limit=10))
    qtbot.waitUntil(lambda: model.total == 1 and not model.loading)
    assert model.items() == ["ab-1"]

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
from supportdesk_qt.ui.tabs import TabContext
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
    tab = ClientTab(TabContext.of(backend, tasks), CLIENT, page_size=page_size)
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


# --- the status drop-down (payments, services, tickets) ------------------------------------------

STATUS_COLUMN = {"payments": 3, "services": 6, "tickets": 2}


def status_items(tab: ClientTab) -> list[str]:
    combo = tab.list_filters.status_box
    return [combo.itemText(i) for i in range(combo.count())]


def choose_status_with_mouse(qtbot, tab: ClientTab, label: str) -> None:
    """Click the drop-down, move to the entry in the popup list and press Enter. (A click on
    the entry itself is ignored by QComboBox for a double-click interval after the popup opens,
    and waiting that out would be a sleep.)"""
    combo = tab.list_filters.status_box
    assert combo.isVisible()
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    view = combo.view()
    qtbot.waitUntil(view.isVisible, timeout=WAIT)
    target = status_items(tab).index(label)
    while view.currentIndex().row() != target:
        key = Qt.Key.Key_Down if view.currentIndex().row() < target else Qt.Key.Key_Up
        qtbot.keyClick(view, key)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=WAIT)
    assert combo.currentText() == label
    # the popup was its own window; the offscreen platform gives activation back on request
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow, timeout=WAIT)


def choose_status_with_keys(qtbot, tab: ClientTab, label: str) -> None:
    """From the text box, Shift+Tab to the drop-down, then arrow keys to the entry."""
    combo, box = tab.list_filters.status_box, tab.list_filters.box
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    qtbot.keyClick(box, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert combo.hasFocus()
    target = status_items(tab).index(label)
    while combo.currentIndex() != target:
        key = Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up
        before = combo.currentIndex()
        qtbot.keyClick(combo, key)
        assert combo.currentIndex() != before
    assert combo.currentText() == label


def test_status_drop_down_filters_combines_with_text_and_any_restores(qtbot, bob, tasks,
                                                                      tmp_path):
    tab = open_tab(qtbot, bob, tasks)
    show_list(qtbot, tab, "payments")
    settled(qtbot, tab, "payments", ALL_PAYMENTS)
    model, combo = tab.models["payments"], tab.list_filters.status_box
    i = tab.tabs.indexOf(tab.views["payments"])
    assert combo.isVisible()
    assert status_items(tab) == ["Any status", "New", "Paid", "Cancelled", "Refunded"]
    assert combo.currentText() == "Any status" and model.status_filter is None

    choose_status_with_mouse(qtbot, tab, "New")
    settled(qtbot, tab, "payments", 8)
    qtbot.waitUntil(lambda: model.rowCount() == 8, timeout=WAIT)
    assert set(shown(tab, "payments", STATUS_COLUMN["payments"])) == {"New"}
    assert model.status_filter == "new" and model.filter_text == ""
    assert tab.tabs.tabText(i) == "Payments (8, filtered)"
    assert "Status: New" in tab.tabs.tabToolTip(i)

    type_filter(qtbot, tab, "inv")                      # text and status together
    settled(qtbot, tab, "payments", 1)
    assert shown(tab, "payments") == ["INV-101-1"]
    assert tab.tabs.tabText(i) == "Payments (1, filtered)"
    assert "inv" in tab.tabs.tabToolTip(i) and "New" in tab.tabs.tabToolTip(i)

    choose_status_with_keys(qtbot, tab, "Refunded")     # the text stays
    settled(qtbot, tab, "payments", 1)
    assert shown(tab, "payments") == ["INV-102-1"] and model.filter_text == "inv"

    # no row has both: the table says which status and which text found nothing
    choose_status_with_keys(qtbot, tab, "Cancelled")
    settled(qtbot, tab, "payments", 0)
    note = tab.list_filters.notes["payments"]
    qtbot.waitUntil(note.isVisible, timeout=WAIT)
    assert note.text() == "No payments with status “Cancelled” match “inv”."
    out = Path(SHOTS) if SHOTS else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    assert tab.grab().save(str(out / "client-tab-status-filter-empty.png"))
    qtbot.keyClick(tab.list_filters.box, Qt.Key.Key_Escape)      # text gone, status stays
    settled(qtbot, tab, "payments", 1)
    assert shown(tab, "payments") == ["CR-7-1"] and not note.isVisible()

    choose_status_with_mouse(qtbot, tab, "Any status")
    settled(qtbot, tab, "payments", ALL_PAYMENTS)
    assert model.status_filter is None and model.filter_text == ""
    assert tab.tabs.tabText(i) == "Payments (11)" and tab.tabs.tabToolTip(i) == ""


def test_each_list_keeps_its_status_and_others_hide_the_drop_down(qtbot, bob, tasks, tmp_path):
    tab = open_tab(qtbot, bob, tasks)
    combo = tab.list_filters.status_box
    show_list(qtbot, tab, "payments")
    settled(qtbot, tab, "payments", ALL_PAYMENTS)
    choose_status_with_keys(qtbot, tab, "Paid")
    settled(qtbot, tab, "payments", 1)
    assert shown(tab, "payments") == ["INV-100-1"]

    show_list(qtbot, tab, "services")
    settled(qtbot, tab, "services", 3)
    assert combo.isVisible() and combo.currentText() == "Any status"
    assert status_items(tab) == ["Any status", "Active", "Suspended", "Pending", "Deleted"]
    choose_status_with_mouse(qtbot, tab, "Pending")
    settled(qtbot, tab, "services", 1)
    assert shown(tab, "services", 1) == ["VPS 50%"]

    show_list(qtbot, tab, "tickets")
    settled(qtbot, tab, "tickets", 3)
    assert combo.currentText() == "Any status"
    assert status_items(tab) == ["Any status", "New", "In progress", "Waiting for client",
                                 "Closed"]
    choose_status_with_mouse(qtbot, tab, "In progress")
    settled(qtbot, tab, "tickets", 1)
    assert shown(tab, "tickets", 1) == ["Invoice question"]
    out = Path(SHOTS) if SHOTS else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    assert tab.grab().save(str(out / "client-tab-status-filter.png"))

    for kind in ("users", "expenses", "projects"):       # no status filter on the server
        show_list(qtbot, tab, kind)
        assert not combo.isVisible() and tab.list_filters.box.isEnabled()

    show_list(qtbot, tab, "payments")
    assert combo.isVisible() and combo.currentText() == "Paid"
    assert tab.models["payments"].total == 1
    show_list(qtbot, tab, "services")
    assert combo.currentText() == "Pending" and shown(tab, "services", 1) == ["VPS 50%"]
    assert tab.models["tickets"].status_filter == "in_progress"
    # switching never asked the server again for a list whose filter did not change
    fetches = {k: tab.models[k].fetch_count for k in STATUS_COLUMN}
    show_list(qtbot, tab, "tickets")
    show_list(qtbot, tab, "payments")
    assert {k: tab.models[k].fetch_count for k in STATUS_COLUMN} == fetches

    tab.tabs.setCurrentIndex(0)                           # the New-ticket form
    assert tab.tabs.currentWidget() is tab.ticket_section.form_page
    assert not combo.isVisible()


def test_model_status_filter_is_additive(qtbot, aloop, tasks):
    """PagedTableModel alone: set_status adds ``status=`` next to ``q``; set_filter(text) keeps
    the status; a fetch without a status parameter still works while no status is set."""
    from supportdesk_protocol.schemas import Page
    from supportdesk_qt.ui.models.paged_table_model import Column, PagedTableModel

    calls: list[dict] = []

    async def fetch(offset: int, limit: int, **kw) -> Page:
        calls.append(kw)
        return Page(items=[f"row-{len(calls)}"], total=1, offset=0, limit=limit)

    model = PagedTableModel([Column("Name", str)], fetch, page_size=10, tasks=tasks)
    model.reload()
    qtbot.waitUntil(lambda: len(calls) == 1 and not model.loading)
    assert not model.filtered
    with qtbot.waitSignal(model.statusChanged) as changed:
        assert model.set_status("paid") is True
    assert changed.args == ["paid"] and model.filtered
    assert model.set_status("paid") is False
    qtbot.waitUntil(lambda: len(calls) == 2 and not model.loading)
    assert model.set_filter(" x ") is True                # the status stays
    qtbot.waitUntil(lambda: len(calls) == 3 and not model.loading)
    assert model.set_filter("", status=None) is True
    qtbot.waitUntil(lambda: len(calls) == 4 and not model.loading)
    assert calls == [{}, {"status": "paid"}, {"q": "x", "status": "paid"}, {}]
    assert model.status_filter is None and not model.filtered

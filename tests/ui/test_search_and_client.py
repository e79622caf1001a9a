"""Client search bar, search tab, client tab and ticket tab against the REAL server (demo data,
agent "demo"/"demo"), driven with real keys and clicks. No sleeps: every wait is a waitUntil."""

from __future__ import annotations

import asyncio
import os
import time
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from supportdesk_protocol.schemas import (
    Client,
    ClientStatus,
    ClientSummary,
    SearchHit,
    TicketPost,
    TicketPostKind,
)
from supportdesk_qt.backend.http import HttpBackend
from supportdesk_qt.qt import (
    QImage,
    QLocale,
    QPainter,
    QPixmap,
    QPoint,
    QSortFilterProxyModel,
    QStyleOptionViewItem,
    Qt,
    QTableView,
)
from supportdesk_qt.ui.models import columns as C
from supportdesk_qt.ui.client.client_tab import KINDS, ClientTab
from supportdesk_qt.ui.models.paged_table_model import PagedTableModel
from supportdesk_qt.ui.search.models import SearchResultsModel, SearchResultsTableModel
from supportdesk_qt.ui.search.search_bar import DEBOUNCE_MS, ClientSearchBar
from supportdesk_qt.ui.search.search_delegate import SearchHitDelegate
from supportdesk_qt.ui.search.search_tab import SearchTab
from supportdesk_qt.ui.tickets.post_delegate import TicketPostDelegate
from supportdesk_qt.ui.tickets.posts_model import TicketPostsModel
from supportdesk_qt.ui.tickets.ticket_tab import TicketTab
from supportdesk_qt.ui.tabs import TabContext

WAIT = 20_000
HOSTILE = '<b>Bold</b><img src="http://evil.example/x.png"> & <a href="x">link</a>'
SHOTS = os.environ.get("SUPPORTDESK_SHOTS_DIR")


@pytest.fixture
def backend(shared_server, run):
    b = HttpBackend(shared_server.url)
    run(b.login("demo", "demo"))
    yield b
    run(b.close())


class SlowFirstBackend(HttpBackend):
    """The real backend, but the answer to ``slow_query`` arrives late (a stale in-flight search)."""

    slow_query = ""
    delay = 0.6

    async def search_clients(self, q: str):
        if q == self.slow_query:
            await asyncio.sleep(self.delay)
        return await super().search_clients(q)


def _searches(backend) -> list[str]:
    return [r.path for r in backend.request_log if r.path.startswith("/clients/search")]


@pytest.fixture
def rich_client(backend, run) -> Client:
    """A visible client with several tickets (and so posts), payments and services."""
    tickets = run(backend.list_tickets(limit=500)).items
    counts: dict[int, int] = {}
    for t in tickets:
        if t.client_id is not None:
            counts[t.client_id] = counts.get(t.client_id, 0) + 1
    best = max(counts, key=lambda cid: counts[cid])
    return run(backend.get_client(best))


def _bar(qtbot, backend, tasks) -> ClientSearchBar:
    bar = ClientSearchBar(backend, tasks)
    qtbot.addWidget(bar)
    bar.resize(480, bar.sizeHint().height())
    bar.show()
    qtbot.waitExposed(bar)
    bar.setFocus()
    return bar


def _wait_rows(qtbot, bar, query=None):
    qtbot.waitUntil(lambda: bar.popup.isVisible() and bar.model.rowCount() > 0
                    and (query is None or bar.model.query == query), timeout=WAIT)


# --- search bar -------------------------------------------------------------------------------


def test_placeholder_says_what_can_be_searched(qtbot, backend, tasks):
    bar = _bar(qtbot, backend, tasks)
    text = bar.placeholderText()
    for word in ("login", "email", "id", "domain", "payment", "IP", "phone"):
        assert word in text


def test_typing_drops_down_hits_and_down_enter_opens_the_first(qtbot, backend, tasks,
                                                               rich_client):
    bar = _bar(qtbot, backend, tasks)
    prefix = rich_client.email[:8]
    before = len(_searches(backend))
    qtbot.keyClicks(bar, prefix)
    _wait_rows(qtbot, bar, prefix)
    # debounced: typing 8 characters fast sent one search, for the whole text
    assert _searches(backend)[before:] == [f"/clients/search?q={prefix}".replace("@", "%40")]
    model = bar.model
    ids = [model.index(r).data(model.ClientIdRole) for r in range(model.rowCount())]
    assert rich_client.id in ids
    row = ids.index(rich_client.id)
    idx = model.index(row)
    assert idx.data(model.MatchedFieldRole) == "email"
    assert idx.data(model.MatchedLabelRole).startswith("matched: email = ")
    assert bar.text() == prefix and bar.popup.status.isHidden()

    for _ in range(row + 1):
        qtbot.keyClick(bar, Qt.Key.Key_Down)
    assert bar.popup.view.currentIndex().row() == row
    with qtbot.waitSignal(bar.clientActivated, timeout=WAIT) as sig:
        qtbot.keyClick(bar, Qt.Key.Key_Return)
    assert sig.args == [rich_client.id]
    assert not bar.popup.isVisible()


def test_up_from_the_first_row_returns_to_the_text_and_enter_asks_for_a_search_tab(
        qtbot, backend, tasks, rich_client):
    bar = _bar(qtbot, backend, tasks)
    word = rich_client.name.split()[-1]
    qtbot.keyClicks(bar, word)
    _wait_rows(qtbot, bar, word)
    qtbot.keyClick(bar, Qt.Key.Key_Down)
    qtbot.keyClick(bar, Qt.Key.Key_Up)
    assert not bar.popup.view.currentIndex().isValid()
    with qtbot.waitSignal(bar.searchRequested, timeout=WAIT) as sig:
        qtbot.keyClick(bar, Qt.Key.Key_Enter)
    assert sig.args == [word]
    assert not bar.popup.isVisible()


def test_escape_closes_the_popup_and_keeps_the_text(qtbot, backend, tasks, rich_client):
    bar = _bar(qtbot, backend, tasks)
    qtbot.keyClicks(bar, str(rich_client.id))
    _wait_rows(qtbot, bar)
    qtbot.keyClick(bar, Qt.Key.Key_Escape)
    assert not bar.popup.isVisible()
    assert bar.text() == str(rich_client.id)
    # Down brings the results back
    qtbot.keyClick(bar, Qt.Key.Key_Down)
    assert bar.popup.isVisible() and bar.popup.view.currentIndex().row() == 0


def test_clicking_a_result_opens_that_client(qtbot, backend, tasks, rich_client):
    bar = _bar(qtbot, backend, tasks)
    qtbot.keyClicks(bar, str(rich_client.id))
    _wait_rows(qtbot, bar)
    model, view = bar.model, bar.popup.view
    row = next(r for r in range(model.rowCount())
               if model.index(r).data(model.ClientIdRole) == rich_client.id)
    assert model.index(row).data(model.MatchedFieldRole) == "client_id"
    rect = view.visualRect(model.index(row))
    with qtbot.waitSignal(bar.clientActivated, timeout=WAIT) as sig:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert sig.args == [rich_client.id]


def test_only_the_latest_query_is_shown_and_the_stale_search_is_cancelled(
        qtbot, shared_server, run, tasks, rich_client):
    backend = SlowFirstBackend(shared_server.url)
    run(backend.login("demo", "demo"))
    try:
        bar = _bar(qtbot, backend, tasks)
        first = rich_client.name.split()[-1]
        second = str(rich_client.id)
        backend.slow_query = first
        qtbot.keyClicks(bar, first)
        qtbot.waitUntil(lambda: bar.searching, timeout=WAIT)
        stale = bar._task
        bar.selectAll()
        qtbot.keyClicks(bar, second)         # replaces the text; fires after the debounce
        _wait_rows(qtbot, bar, second)
        assert stale.cancelled()
        # even if the stale answer had come, it would have been dropped: nothing else shows
        qtbot.wait(int(backend.delay * 1000) + 100)
        assert bar.model.query == second
        assert any(bar.model.index(r).data(SearchResultsModel.ClientIdRole) == rich_client.id
                   for r in range(bar.model.rowCount()))
    finally:
        run(backend.close())


def test_results_show_within_100_ms_of_the_debounce(qtbot, backend, tasks, rich_client):
    bar = _bar(qtbot, backend, tasks)
    timings = []
    for q in (rich_client.email[:5], str(rich_client.id), rich_client.name.split()[0]):
        bar.clear()
        bar.model.clear()
        fired: list[float] = []
        bar._timer.timeout.connect(lambda: fired.append(time.perf_counter()))
        qtbot.keyClicks(bar, q)
        with qtbot.waitSignal(bar.resultsShown, timeout=WAIT):
            pass
        timings.append(time.perf_counter() - fired[-1])
        bar._timer.timeout.disconnect()
        bar._timer.timeout.connect(bar._fire)
        bar.hide_popup()
    assert min(timings) <= 0.100, timings
    assert bar._timer.interval() == DEBOUNCE_MS


def test_nothing_found_and_errors_are_sentences_in_the_popup(qtbot, backend, tasks, run):
    bar = _bar(qtbot, backend, tasks)
    qtbot.keyClicks(bar, "zz-nobody-zz")
    qtbot.waitUntil(lambda: bar.popup.isVisible() and bar.popup.status.isVisible(), timeout=WAIT)
    assert bar.popup.status.text() == "No client matches “zz-nobody-zz”."
    assert bar.popup.status.textFormat() == Qt.TextFormat.PlainText

    gone = HttpBackend("http://127.0.0.1:9")
    gone._t.token = "t"
    bar2 = _bar(qtbot, gone, tasks)
    qtbot.keyClicks(bar2, "ann")
    qtbot.waitUntil(lambda: bar2.popup.isVisible() and bar2.popup.status.isVisible(),
                    timeout=WAIT)
    sentence = bar2.popup.status.text()
    assert sentence == bar2.last_error and sentence.endswith(".") and "Traceback" not in sentence
    assert bar2.text() == "ann"
    run(gone.close())


# --- search tab -------------------------------------------------------------------------------


def test_search_tab_lists_every_hit_sorts_and_double_click_opens(qtbot, backend, tasks,
                                                                 rich_client, run):
    word = rich_client.name.split()[-1][:3]
    expected = run(backend.search_clients(word))
    assert expected.total >= 1
    tab = SearchTab(TabContext.of(backend, tasks), word)
    qtbot.addWidget(tab)
    tab.resize(1000, 500)
    tab.show()
    qtbot.waitUntil(lambda: tab.model.rowCount() == expected.total, timeout=WAIT)
    assert word in tab.title()
    headers = [tab.model.headerData(c, Qt.Orientation.Horizontal)
               for c in range(tab.model.columnCount())]
    assert headers == ["ID", "Name", "Email", "Phone", "Project", "Status", "Balance",
                       "Matched field", "Matched value"]
    # sort by balance with a click on its header: numbers, not strings
    header = tab.view.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(6) + 5, header.height() // 2))
    balances = [tab.proxy.index(r, 6).data(SearchResultsTableModel.SortRole)
                for r in range(tab.proxy.rowCount())]
    assert balances == sorted(balances) or balances == sorted(balances, reverse=True)
    # double-click the row of our client
    row = next(r for r in range(tab.proxy.rowCount())
               if tab.proxy.index(r, 0).data(SearchResultsTableModel.ClientIdRole)
               == expected.items[0].client.id)
    rect = tab.view.visualRect(tab.proxy.index(row, 1))
    with qtbot.waitSignal(tab.clientActivated, timeout=WAIT) as sig:
        # a person's double-click: a click, then the double-click event (QTest sends only the latter)
        qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert sig.args == [expected.items[0].client.id]


# --- client tab -------------------------------------------------------------------------------


def _client_tab(qtbot, backend, tasks, client_id, **kw) -> ClientTab:
    tab = ClientTab(TabContext.of(backend, tasks), client_id, **kw)
    qtbot.addWidget(tab)
    tab.resize(1100, 650)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def test_client_tab_shows_the_client_and_loads_every_list(qtbot, backend, tasks, rich_client,
                                                          run):
    tab = _client_tab(qtbot, backend, tasks, rich_client.id)
    qtbot.waitUntil(lambda: tab.client is not None, timeout=WAIT)
    assert tab.name_label.text() == rich_client.name
    assert tab.email_label.text() == rich_client.email
    assert tab.title() == rich_client.name[:40]
    assert tab.balance_label.text()  # locale currency text
    for kind in KINDS:
        tab.tabs.setCurrentWidget(tab.views[kind])
        method = getattr(backend, f"client_{kind}")
        total = run(method(rich_client.id, limit=500)).total
        model = tab.models[kind]
        qtbot.waitUntil(lambda m=model, t=total: m.total == t and m.rowCount() == t, timeout=WAIT)
        assert tab.tabs.tabText(tab.tabs.currentIndex()).endswith(f"({total})")
    assert tab.models["tickets"].rowCount() >= 2


def test_client_tab_double_click_on_a_ticket_opens_it(qtbot, backend, tasks, rich_client):
    tab = _client_tab(qtbot, backend, tasks, rich_client.id)
    view, model = tab.views["tickets"], tab.models["tickets"]
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=WAIT)
    first = view.model().index(0, 1)
    ticket = first.data(PagedTableModel.ItemRole)
    with qtbot.waitSignal(tab.openTicket, timeout=WAIT) as sig:
        pos = view.visualRect(first).center()
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert sig.args == [ticket.id]


def test_paged_model_fetches_one_page_at_a_time_and_the_view_pages_to_the_end(
        qtbot, backend, tasks, run, qtmodeltester):
    total = run(backend.list_tickets(limit=1)).total
    assert total > 12

    async def fetch(offset, limit):
        return await backend.list_tickets(offset=offset, limit=limit)

    model = PagedTableModel(C.ticket_columns(), fetch, page_size=4, tasks=tasks)
    assert model.canFetchMore() and model.rowCount() == 0
    model.fetchMore()
    model.fetchMore()                 # guarded: still one fetch in flight
    assert model.fetch_count == 1 and model.loading
    qtbot.waitUntil(lambda: not model.loading, timeout=WAIT)
    assert model.rowCount() == 4 and model.total == total and model.canFetchMore()

    # a short table view over a sort proxy pages further as it is scrolled to the end
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.resize(500, 140)
    view.show()
    qtbot.waitExposed(view)
    for _ in range(200):
        if model.rowCount() >= total:
            break
        view.scrollToBottom()
        qtbot.waitUntil(lambda: not model.loading, timeout=WAIT)
        qtbot.wait(1)
    assert model.rowCount() == total and not model.canFetchMore()
    ids = [model.item(r).id for r in range(model.rowCount())]
    assert ids == [t.id for t in run(backend.list_tickets(limit=500)).items]
    assert model.fetch_count == -(-total // 4)
    qtmodeltester.check(model, force_py=True)


def test_a_failed_page_stops_paging_and_says_why(qtbot, backend, tasks):
    async def fetch(offset, limit):
        return await backend.client_payments(2**52, offset=offset, limit=limit)

    model = PagedTableModel(C.payment_columns(), fetch, tasks=tasks)
    with qtbot.waitSignal(model.errorOccurred, timeout=WAIT) as sig:
        model.fetchMore()
    assert sig.args[0].endswith(".") and model.error == sig.args[0]
    assert not model.canFetchMore() and model.rowCount() == 0


def test_client_tab_for_a_client_that_does_not_exist(qtbot, backend, tasks):
    tab = _client_tab(qtbot, backend, tasks, 2**52)
    qtbot.waitUntil(lambda: tab.error_label.isVisible(), timeout=WAIT)
    assert tab.error_label.text().endswith(".") and tab.retry_button.isVisible()
    assert tab.error_label.textFormat() == Qt.TextFormat.PlainText


# --- ticket tab -------------------------------------------------------------------------------


def _longest_thread(backend, run, client_id):
    tickets = run(backend.client_tickets(client_id, limit=500)).items
    best = max(tickets, key=lambda t: run(backend.ticket_posts(t.id, limit=1)).total)
    return best


def _ticket_tab(qtbot, backend, tasks, ticket_id, **kw) -> TicketTab:
    tab = TicketTab(TabContext.of(backend, tasks), ticket_id, **kw)
    qtbot.addWidget(tab)
    tab.resize(900, 700)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def test_ticket_tab_shows_the_facts_and_the_whole_thread(qtbot, backend, tasks, run,
                                                         rich_client):
    ticket = _longest_thread(backend, run, rich_client.id)
    posts = run(backend.ticket_posts(ticket.id, limit=500))
    tab = _ticket_tab(qtbot, backend, tasks, ticket.id, page_size=2)
    qtbot.waitUntil(lambda: tab.ticket is not None, timeout=WAIT)
    assert tab.subject_label.text() == ticket.subject
    assert tab.subject_label.textFormat() == Qt.TextFormat.PlainText
    assert tab.status_label.text() and tab.priority_label.text()
    qtbot.waitUntil(lambda: not tab.department_label.text().startswith("#"), timeout=WAIT)
    for _ in range(100):
        if tab.model.rowCount() >= posts.total:
            break
        tab.view.scrollToBottom()
        qtbot.waitUntil(lambda: not tab.model.loading, timeout=WAIT)
        qtbot.wait(1)
    assert tab.model.rowCount() == posts.total
    m = tab.model
    got = [(m.index(r, 0).data(m.KindRole), m.index(r, 0).data(m.AuthorRole),
            m.index(r, 0).data(m.TextRole)) for r in range(m.rowCount())]
    assert got == [(p.kind.value, p.author_name, p.text) for p in posts.items]
    with qtbot.waitSignal(tab.openClient, timeout=WAIT) as sig:
        qtbot.mouseClick(tab.client_button, Qt.MouseButton.LeftButton)
    assert sig.args == [rich_client.id]


def _posts_model(tasks, posts):
    from supportdesk_protocol.schemas import Page

    async def fetch(offset, limit):
        return Page(items=posts[offset:offset + limit], total=len(posts), offset=offset,
                    limit=limit)

    return TicketPostsModel(fetch, tasks=tasks)


def _post(i, kind, text):
    return TicketPost(id=i, ticket_id=1, kind=kind, author_name=HOSTILE if i == 1 else "Dana",
                      text=text, created_at=datetime(2026, 11, 29, 10, i, tzinfo=timezone.utc))


def test_post_heights_follow_the_text_and_are_cached_per_width(qtbot, tasks, qtmodeltester):
    posts = [_post(1, TicketPostKind.CLIENT, HOSTILE),
             _post(2, TicketPostKind.STAFF, "word " * 400),
             _post(3, TicketPostKind.NOTE, "short")]
    model = _posts_model(tasks, posts)
    model.fetchMore()
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=WAIT)
    qtmodeltester.check(model, force_py=True)
    idx = model.index(0, 0)
    assert idx.data(Qt.ItemDataRole.DisplayRole) == HOSTILE       # raw, never interpreted
    assert idx.data(model.AuthorRole) == HOSTILE
    delegate = TicketPostDelegate()
    opt = QStyleOptionViewItem()
    opt.rect = opt.rect.adjusted(0, 0, 600, 0)
    h = [delegate.sizeHint(opt, model.index(r, 0)).height() for r in range(3)]
    assert h[1] > 3 * h[2]                    # the long reply wraps onto many lines
    measured = delegate.measured
    [delegate.sizeHint(opt, model.index(r, 0)) for r in range(3)]
    assert delegate.measured == measured      # cached
    opt.rect = opt.rect.adjusted(0, 0, -300, 0)
    narrow = delegate.sizeHint(opt, model.index(1, 0)).height()
    assert narrow > h[1] and delegate.measured == measured + 1

    # hostile text is handed to QPainter.drawText as it is (plain text, never a rich-text document)
    image = QImage(1200, h[0], QImage.Format.Format_ARGB32)
    image.fill(0)
    p = RecordingPainter(image)
    opt.rect = image.rect()
    delegate.paint(p, opt, idx)
    p.end()
    assert HOSTILE in p.texts and p.texts.count(HOSTILE) == 2     # author and body


class RecordingPainter(QPainter):
    """A real painter that also remembers every string it was asked to draw."""

    def __init__(self, device) -> None:
        super().__init__(device)
        self.texts: list[str] = []

    def drawText(self, *args):
        self.texts.extend(a for a in args if isinstance(a, str))
        return super().drawText(*args)


def test_search_delegate_draws_hostile_text_as_plain_text(qtbot):
    model = SearchResultsModel()
    model.set_hits("x", [_hostile_hit()])
    delegate = SearchHitDelegate()
    opt = QStyleOptionViewItem()
    size = delegate.sizeHint(opt, model.index(0))
    image = QImage(3000, size.height(), QImage.Format.Format_ARGB32)
    image.fill(0)
    p = RecordingPainter(image)
    opt.rect = image.rect()
    delegate.paint(p, opt, model.index(0))
    p.end()
    assert HOSTILE in p.texts                                    # the name, unelided at this width
    assert any(t.endswith("matched: name = " + HOSTILE) for t in p.texts)


# --- models -----------------------------------------------------------------------------------


def _hostile_hit() -> SearchHit:
    c = ClientSummary(id=7, name=HOSTILE, email="<script>@x", phone="", project_name=HOSTILE,
                      status=ClientStatus.ACTIVE, balance=Decimal("-12.50"), currency="USD")
    return SearchHit(client=c, matched_field="name", matched_value=HOSTILE)


def test_search_models_pass_the_model_tester_and_return_raw_text(qtmodeltester):
    hits = [_hostile_hit()]
    lm = SearchResultsModel()
    lm.set_hits("x", hits)
    qtmodeltester.check(lm, force_py=True)
    assert lm.index(0).data(Qt.ItemDataRole.DisplayRole) == HOSTILE
    assert lm.index(0).data(SearchResultsModel.MatchedValueRole) == HOSTILE
    tm = SearchResultsTableModel()
    tm.set_hits(hits)
    qtmodeltester.check(tm, force_py=True)
    assert tm.index(0, 1).data() == HOSTILE
    assert tm.index(0, 6).data(SearchResultsTableModel.SortRole) == -12.5
    assert "12" in tm.index(0, 6).data() and "$" in tm.index(0, 6).data()


def test_client_header_shows_hostile_names_as_plain_text(qtbot, backend, tasks):
    tab = _client_tab(qtbot, backend, tasks, 2**52)
    client = Client(id=9, name=HOSTILE, email=HOSTILE, phone="", project_name=HOSTILE,
                    status=ClientStatus.SUSPENDED, balance=Decimal("3.5"), currency="EUR",
                    created_at=datetime.now(timezone.utc), version=1)
    tab._show_client(client)
    for label in (tab.name_label, tab.email_label, tab.project_label):
        assert label.text() == HOSTILE
        assert label.textFormat() == Qt.TextFormat.PlainText


# --- screenshots ------------------------------------------------------------------------------


def _save(pixmap: QPixmap, name: str) -> None:
    assert not pixmap.isNull() and pixmap.width() > 100
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        assert pixmap.save(str(Path(SHOTS) / name))


@pytest.fixture
def english_locale():
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(before)


def test_screenshots(qtbot, backend, tasks, rich_client, run, english_locale):
    bar = _bar(qtbot, backend, tasks)
    bar.resize(520, bar.height())
    q = rich_client.name.split()[-1][:3].lower()
    qtbot.keyClicks(bar, q)
    _wait_rows(qtbot, bar, q)
    qtbot.keyClick(bar, Qt.Key.Key_Down)
    qtbot.keyClick(bar, Qt.Key.Key_Down)
    qtbot.wait(50)
    top, pop = bar.grab(), bar.popup.grab()
    shot = QPixmap(max(top.width(), pop.width()) + 16, top.height() + pop.height() + 18)
    shot.fill(bar.palette().color(bar.backgroundRole()))
    p = QPainter(shot)
    p.drawPixmap(8, 8, top)
    p.drawPixmap(8, 10 + top.height(), pop)
    p.end()
    _save(shot, "search.png")
    bar.hide_popup()

    tab = _client_tab(qtbot, backend, tasks, rich_client.id)
    qtbot.waitUntil(lambda: tab.client is not None and not tab.loading, timeout=WAIT)
    tab.tabs.setCurrentWidget(tab.views["payments"])
    qtbot.wait(50)
    _save(tab.grab(), "client-tab.png")

    ticket = _longest_thread(backend, run, rich_client.id)
    for t in run(backend.list_tickets(limit=100)).items:     # show an internal note if any
        kinds = [p.kind for p in run(backend.ticket_posts(t.id, limit=20)).items]
        if set(TicketPostKind) <= set(kinds) and len(kinds) >= 4:
            ticket = t
            break
    ttab = _ticket_tab(qtbot, backend, tasks, ticket.id)
    qtbot.waitUntil(lambda: ttab.ticket is not None and not ttab.loading
                    and not ttab.department_label.text().startswith("#"), timeout=WAIT)
    qtbot.wait(50)
    _save(ttab.grab(), "ticket-tab.png")

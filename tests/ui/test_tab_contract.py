"""The tab contract (ui/tabs/contract.py), checked against every tab kind on the real server.

For each kind: its title shows in a tab bar and follows ``titleChanged``; ``save_state`` is JSON
and a new tab given it by ``restore`` saves the same; a tab disposed and deleted while its loads
are in flight takes the answers that arrive afterwards without touching the deleted widget (a
failed task or a Qt warning fails the test); the events of a type it declared are routed to it
and change what it shows, an event of a type it did not declare never reaches it.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from datetime import datetime, timezone

import pytest

from supportdesk_protocol.events import ClientChanged, EventType
from supportdesk_qt.backend.base import ServerEvent
from supportdesk_qt.backend.http import HttpBackend
from supportdesk_qt.core.drafts import DraftStore
from supportdesk_qt.qt import QTabWidget, Qt
from supportdesk_qt.ui.chat.chat_tab import ChatTab
from supportdesk_qt.ui.chat.history_view import ChatHistoryTab
from supportdesk_qt.ui.client.client_tab import ClientTab
from supportdesk_qt.ui.models.queue_model import QueueModel
from supportdesk_qt.ui.panels.changelog import ChangelogTab
from supportdesk_qt.ui.queue_page import QueuePage
from supportdesk_qt.ui.search.search_tab import SearchTab
from supportdesk_qt.ui.tabs import TabContext
from supportdesk_qt.ui.tabs.manager import TabManager
from supportdesk_qt.ui.tickets.ticket_tab import TicketTab
from supportdesk_qt.ui.tickets.tickets_tab import TicketsTab
from supportdesk_qt.ui.workspace_tabs import WorkspaceTabs
from tests.support.server import ServerProcess
from tests.ui.test_shell import desk_factory  # noqa: F401 (fixture)
from tests.ui.visitor import Visitor

WAIT = 20_000
KINDS = ("chat", "history", "client", "ticket", "tickets", "search", "queue", "changelog")


@pytest.fixture(scope="module")
def contract_server(tmp_path_factory):
    srv = ServerProcess(tmp_path_factory.mktemp("tab-contract"), demo=True, demo_clients=20)
    srv.start()
    yield srv
    srv.stop()


class Kit:
    """A signed-in backend and what the tab kinds are built from (a taken chat, a client with
    a ticket, a search word), made on first use."""

    def __init__(self, qtbot, run, tasks, server, tmp_path) -> None:
        self.qtbot, self.run, self.tasks, self.server = qtbot, run, tasks, server
        self.backend = HttpBackend(server.url)
        run(self.backend.login("demo", "demo"))
        self.drafts = DraftStore(tmp_path / "drafts.json")
        self.visitors: list[Visitor] = []
        self._chat = None
        self._ticket = None
        self.gate: Gate | None = None

    def context(self) -> TabContext:
        return TabContext.of(self.backend, self.tasks, drafts=self.drafts,
                             ticket_drafts=self.drafts, agent=self.backend.agent)

    def waiting_chat(self, name: str = "Ann Contract") -> int:
        visitor = Visitor(self.server.url)
        self.visitors.append(visitor)
        self.run(visitor.connect())
        self.run(visitor.start_chat("Billing", name, "Hello, my invoice looks wrong"))
        return visitor.chat["id"]

    @property
    def chat(self):
        if self._chat is None:
            self._chat = self.run(self.backend.take_chat(self.waiting_chat()))
        return self._chat

    @property
    def ticket(self):
        if self._ticket is None:
            tickets = self.run(self.backend.list_tickets(limit=100)).items
            self._ticket = next(t for t in tickets if t.client_id is not None)
        return self._ticket

    @property
    def client(self):
        return self.run(self.backend.get_client(self.ticket.client_id))

    def prepare(self, kind: str) -> None:
        """Fetch what ``build(kind)`` needs now (before the backend is gated)."""
        if kind in ("chat", "history"):
            self.chat
        elif kind in ("client", "ticket", "search"):
            self.ticket
            self._client_name = self.client.name

    def build(self, kind: str, context: TabContext):
        if kind == "chat":
            return ChatTab(context, self.chat, department="Billing")
        if kind == "history":
            return ChatHistoryTab(context, self.chat)
        if kind == "client":
            return ClientTab(context, self.ticket.client_id)
        if kind == "ticket":
            return TicketTab(context, self.ticket.id)
        if kind == "tickets":
            return TicketsTab(context)
        if kind == "search":
            return SearchTab(context, self._client_name.split()[0])
        if kind == "queue":
            return QueuePage(context, QueueModel(), None)
        return ChangelogTab(context)

    def show(self, tab, w: int = 1000, h: int = 700):
        self.qtbot.addWidget(tab)
        tab.resize(w, h)
        tab.show()
        self.qtbot.waitExposed(tab)
        return tab

    def wait_ready(self, tab) -> None:
        """Every load of the tab is done (its scope is empty; a chat's model is loaded)."""
        model = getattr(tab, "model", None)
        self.qtbot.waitUntil(lambda: len(tab.scope) == 0
                             and getattr(model, "is_loaded", True), timeout=WAIT)

    def close(self) -> None:
        if self.gate is not None:
            self.gate.open()
        for visitor in self.visitors:
            self.run(visitor.close())
        self.run(self.backend.close())


@pytest.fixture
def kit(qtbot, run, tasks, contract_server, tmp_path):
    k = Kit(qtbot, run, tasks, contract_server, tmp_path)
    yield k
    k.close()


def event(kind: str, data) -> ServerEvent:
    return ServerEvent(seq=1, type=kind, ts=datetime.now(timezone.utc), data=data)


# --- title and titleChanged ------------------------------------------------------------------------


def _retitle(kit: Kit, kind: str, tab) -> str | None:
    """Make the tab's title change the way it does in the desk; the new title's telling part
    (None: this kind's title is fixed)."""
    if kind == "chat":
        chat = kit.chat.model_copy(update={"visitor_name": "Renamed Visitor", "client_name": None,
                                           "version": kit.chat.version + 1})
        tab.context.events.route(event(EventType.CHAT_UPDATED, chat))
        return "Renamed Visitor"
    if kind in ("client", "ticket"):
        return (kit.client.name if kind == "client" else kit.ticket.subject)[:40]  # loaded
    if kind == "queue":
        kit.waiting_chat("Bea Waiting")
        tab.model.set_agent(kit.backend.agent)
        kit.run(tab.model.reload(kit.backend))
        return "("                                   # "Waiting chats (1)"
    return None


@pytest.mark.parametrize("kind", KINDS)
def test_title_shows_in_the_tab_bar_and_follows_title_changed(qtbot, kit, kind):
    kit.prepare(kind)
    context = kit.context()
    bar = QTabWidget()
    kit.show(bar)
    home = QueuePage(context, QueueModel(), None)
    manager = TabManager(bar, context, (), home, WorkspaceTabs(bar))
    tab = home if kind == "queue" else kit.build(kind, context)
    if tab is not home:
        manager.add(tab)
    assert isinstance(tab.title(), str) and tab.title()
    i = bar.indexOf(tab)
    assert bar.tabToolTip(i) or bar.tabText(i)
    before = tab.title()
    titles: list[str] = []
    tab.titleChanged.connect(titles.append)
    expected = _retitle(kit, kind, tab)
    kit.wait_ready(tab)
    if expected is None:                              # a fixed title
        assert tab.title() == before and titles == [] and bar.tabText(i)
        return
    qtbot.waitUntil(lambda: bool(titles) and expected in titles[-1], timeout=WAIT)
    assert tab.title() == titles[-1] != before
    shown = bar.tabText(i).replace("&&", "&") + bar.tabToolTip(i)
    assert expected in shown                          # the bar followed


# --- save_state / restore ----------------------------------------------------------------------------


def _change_state(kind: str, tab) -> bool:
    """Put the tab in a state other than its first one (False: this kind keeps no state)."""
    if kind == "chat":
        tab.splitter.setSizes([520, 380])
    elif kind == "client":
        tab.tabs.setCurrentWidget(tab.views["payments"])
    elif kind == "ticket":
        tab.mode_bar.setCurrentIndex(1)                 # an internal note
    elif kind == "tickets":
        tab.scope_combo.setCurrentIndex(tab.scope_combo.findData("all"))
        tab.status_combo.setCurrentIndex(tab.status_combo.findData("open"))
    elif kind == "search":
        tab.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    else:
        return False
    return True


@pytest.mark.parametrize("kind", KINDS)
def test_save_state_restores_the_same_tab(qtbot, kit, kind):
    kit.prepare(kind)
    first = kit.show(kit.build(kind, kit.context()))
    kit.wait_ready(first)
    fresh = first.save_state()
    changed = _change_state(kind, first)
    kit.wait_ready(first)
    state = json.loads(json.dumps(first.save_state()))      # what the window state can hold
    if changed:
        assert state != fresh
    second = kit.show(kit.build(kind, kit.context()))
    kit.wait_ready(second)
    second.restore(state)
    kit.wait_ready(second)
    assert second.save_state() == state
    assert second.key == first.key
    second.restore({"split": "x", "list": ["x"], "mode": 3, "sort": None, "scope": {}})
    kit.wait_ready(second)
    assert second.save_state() == state                     # nonsense is ignored


# --- dispose with a load in flight ---------------------------------------------------------------------


class Gate:
    """Holds every backend call of ``backend`` until :meth:`open`; a held call goes on (shielded)
    when its caller is cancelled, so its answer arrives after the tab is gone."""

    def __init__(self, backend) -> None:
        self.event = asyncio.Event()
        self.calls: list[asyncio.Task] = []
        for name, fn in inspect.getmembers(type(backend), inspect.iscoroutinefunction):
            if not name.startswith("_") and name not in ("login", "close", "start_events"):
                setattr(backend, name, self._held(getattr(backend, name)))

    def _held(self, method):
        async def call(*args, **kwargs):
            async def later():
                await self.event.wait()
                return await method(*args, **kwargs)
            task = asyncio.get_running_loop().create_task(later())
            self.calls.append(task)
            return await asyncio.shield(task)
        return call

    def open(self) -> None:
        self.event.set()

    @property
    def settled(self) -> bool:
        return all(t.done() for t in self.calls)


@pytest.mark.parametrize("kind", KINDS)
def test_dispose_with_a_load_in_flight(qtbot, kit, kind):
    kit.prepare(kind)
    gate = kit.gate = Gate(kit.backend)
    context = kit.context()
    tab = kit.build(kind, context)
    model = getattr(tab, "model", None)
    if kind == "queue":                     # the page's list loads through the window's model
        kit.tasks.spawn(model.reload(kit.backend), name="queue-reload")
    tab.resize(1000, 700)
    tab.show()                               # not qtbot.addWidget: the test deletes it itself
    qtbot.waitUntil(lambda: bool(gate.calls), timeout=WAIT)     # something is on its way
    in_flight = len(tab.scope)
    assert in_flight or kind == "queue"
    gone: list[bool] = []
    tab.destroyed.connect(lambda *_: gone.append(True))
    tab.dispose()
    tab.dispose()                            # idempotent
    assert tab.disposed
    assert all(tab not in context.events.listeners(t) for t in EventType.ALL)
    tab.deleteLater()
    qtbot.waitUntil(lambda: bool(gone), timeout=WAIT)
    gate.open()                              # the answers arrive now, to nobody
    qtbot.waitUntil(lambda: gate.settled and len(tab.scope) == 0, timeout=WAIT)
    # their continuations had their chance to run: what outlives the tab still works
    qtbot.waitUntil(lambda: all(t.done() for t in kit.tasks._tasks), timeout=WAIT)
    if kind == "queue":
        assert model.rowCount() >= 0         # the model is alive and answered
    # (the ``tasks`` fixture fails the test if any task failed, e.g. on a deleted widget)


def test_a_scope_after_dispose_starts_nothing(qtbot, kit):
    kit.prepare("client")
    tab = kit.show(kit.build("client", kit.context()))
    kit.wait_ready(tab)
    tab.dispose()
    ran: list[bool] = []

    async def body():
        ran.append(True)

    task = tab.scope.spawn(body(), name="late")
    qtbot.waitUntil(task.done, timeout=WAIT)
    assert task.cancelled() and ran == []


# --- events routed by type -------------------------------------------------------------------------------


def _declared_event(kit: Kit, kind: str, tab) -> tuple[ServerEvent, object] | None:
    """An event of a type the kind declared, and a check that it changed the tab."""
    if kind == "chat":
        chat = kit.chat.model_copy(update={"name": "Refund for INV-7",
                                           "version": kit.chat.version + 1})
        return (event(EventType.CHAT_UPDATED, chat), lambda: tab.chat.name == "Refund for INV-7")
    if kind == "client":
        client = kit.client
        record = client.model_copy(update={"name": "Renamed Client Ltd",
                                           "version": client.version + 1})
        return (event(EventType.CLIENT_UPDATED, ClientChanged(
            client_id=client.id, version=client.version + 1, entity="client",
            entity_id=client.id, record=record.model_dump(mode="json"))),
            lambda: tab.name_label.text() == "Renamed Client Ltd")
    if kind == "ticket":
        ticket = tab.ticket.model_copy(update={"subject": "Printer on fire",
                                               "version": tab.ticket.version + 1})
        return (event(EventType.TICKET_UPDATED, ticket),
                lambda: tab.subject_label.text() == "Printer on fire")
    if kind == "tickets":
        count = tab.model.fetch_count
        return (event(EventType.TICKET_CREATED, kit.ticket),
                lambda: tab.model.fetch_count > count)
    return None


@pytest.mark.parametrize("kind", KINDS)
def test_events_are_routed_by_declared_type(qtbot, kit, kind):
    kit.prepare(kind)
    context = kit.context()
    tab = kit.show(kit.build(kind, context))
    kit.wait_ready(tab)
    delivered: list[str] = []
    on_event = tab.on_event
    tab.on_event = lambda e: (delivered.append(e.type), on_event(e))
    undeclared = [t for t in EventType.ALL if t not in tab.event_types]
    for t in undeclared:
        assert tab not in context.events.listeners(t)
        context.events.route(event(t, None))
    assert delivered == []                   # nothing of a type it did not declare
    declared = _declared_event(kit, kind, tab)
    if declared is None:
        assert tab.event_types == frozenset()
        return
    routed, changed = declared
    assert routed.type in tab.event_types
    context.events.route(routed)
    assert delivered == [routed.type]
    qtbot.waitUntil(changed, timeout=WAIT)


# --- through the window: states are saved with the open tabs ------------------------------------------


def test_tab_states_come_back_with_the_open_tabs(qtbot, run, desk_factory):
    """What the agent set in a tab (the tickets filter, the client's list) is in the window
    state with the keys, and the tabs open that way at the next sign-in."""
    d = desk_factory()
    w = d.window
    qtbot.mouseClick(w.tickets_button, Qt.MouseButton.LeftButton)
    tickets = w.tab_manager.tab("tickets")
    qtbot.waitUntil(lambda: len(tickets.scope) == 0, timeout=WAIT)
    tickets.scope_combo.setFocus()
    qtbot.keyClick(tickets.scope_combo, Qt.Key.Key_Down)         # "My departments' tickets"
    assert tickets.scope_combo.currentData() == "departments"
    client_id = next(t.client_id for t in run(d.backend.list_tickets(limit=50)).items
                     if t.client_id is not None)
    w.tab_manager.open_client(client_id)
    client = w.tab_manager.tab(f"client:{client_id}")
    bar = client.tabs.tabBar()
    payments = client.tabs.indexOf(client.views["payments"])
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(payments).center())
    assert client.tabs.currentWidget() is client.views["payments"]
    state = d.state
    d.close()                                                   # logout: the tabs are saved
    saved = state.get("open_tabs")
    assert saved["states"]["tickets"]["scope"] == "departments"
    assert saved["states"][f"client:{client_id}"] == {"list": "payments"}

    w2 = desk_factory(state=state).window
    qtbot.waitUntil(lambda: w2.tab_manager.find_tab(f"client:{client_id}") >= 0
                    and w2.tab_manager.find_tab("tickets") >= 0, timeout=WAIT)
    assert w2.tab_manager.tab("tickets").scope_combo.currentData() == "departments"
    again = w2.tab_manager.tab(f"client:{client_id}")
    assert again.tabs.currentWidget() is again.views["payments"]

"""The reconnect policy through the real desk and the real server (issue 10): 20 chat tabs, two
ticket tabs and two client tabs open; the event stream drops and resumes without a gap: no list,
no chat, no ticket and no client is requested again (the events carried everything); after a
forced reset each list and each tab reloads exactly once (a ticket tab: the ticket and its
thread; a client tab: the client and each of its lists); the outbox is flushed once per
connect. Requests are counted in the desk's network log (what the
network panel shows), and the backend calls are counted as they start, so a request still on its
way cannot slip through."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

import httpx
import pytest

from supportdesk_qt.backend.http import HttpBackend
from tests.ui.test_desk_e2e import WAIT, desk, sign_in, wait_connected  # noqa: F401  (fixture)
from tests.support.counting import count_calls
from tests.ui.visitor import Visitor

TABS = 20
TICKETS = CLIENTS = 2
CLIENT_LISTS = ("client_users", "client_payments", "client_services", "client_tickets",
                "client_expenses", "client_projects")
RELOADS = ("departments", "agents", "list_chats", "get_chat", "chat_messages", "get_ticket",
           "ticket_posts", "get_client") + CLIENT_LISTS


@pytest.fixture
def calls(monkeypatch):
    """Every reload-kind call any HttpBackend starts (and how many are still running)."""
    started: Counter = Counter()
    running = Counter()

    def counted(name):
        real = getattr(HttpBackend, name)

        async def call(self, *args, **kwargs):
            started[name] += 1
            running["now"] += 1
            try:
                return await real(self, *args, **kwargs)
            finally:
                running["now"] -= 1
        return call

    for name in RELOADS:
        monkeypatch.setattr(HttpBackend, name, counted(name))
    return started, running


def network_log(window, since: datetime) -> list[str]:
    model = window.network_panel.model
    model.flush()
    return [f"{r.method} {r.path}" for r in model.records() if r.kind == "http" and r.at >= since]


def test_twenty_tabs_a_gap_free_resume_reloads_nothing_and_a_reset_each_once(
        qtbot, run, desk, server, calls):  # noqa: F811
    started, running = calls
    # 20 chats already mine when the desk starts: it reopens each as a tab
    token = server.login("demo")
    visitors = []
    for i in range(TABS):
        visitor = Visitor(server.url)
        run(visitor.connect())
        run(visitor.start_chat("Technical support", f"Visitor {i}", f"Question {i}"))
        r = httpx.post(server.api(f"/chats/{visitor.chat['id']}/take"),
                       headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200
        visitors.append(visitor)
    ids = sorted(v.chat["id"] for v in visitors)

    sign_in(qtbot, desk)
    w = desk.window
    wait_connected(qtbot, w)
    qtbot.waitUntil(lambda: sorted(t.chat_id for t in w.tab_manager.chat_tabs()) == ids
                    and all(t.model.is_loaded for t in w.tab_manager.chat_tabs()), timeout=WAIT)
    backend, workspace = desk.session.backend, desk.session.workspace
    # two ticket tabs and two client tabs (other clients than the tickets')
    tickets = httpx.get(server.api("/tickets"), params={"limit": 20},
                        headers={"Authorization": f"Bearer {token}"}).json()["items"]
    ticket_ids = [t["id"] for t in tickets[:TICKETS]]
    client_ids = sorted({t["client_id"] for t in tickets[TICKETS:]} -
                        {t["client_id"] for t in tickets[:TICKETS]})[:CLIENTS]
    assert len(client_ids) == CLIENTS
    for ticket_id in ticket_ids:
        w.tab_manager.open_ticket(ticket_id, focus=False)
    for client_id in client_ids:
        w.tab_manager.open_client(client_id, focus=False)
    other_tabs = [w.tab_manager.tab(f"ticket:{i}") for i in ticket_ids] + \
        [w.tab_manager.tab(f"client:{i}") for i in client_ids]
    qtbot.waitUntil(lambda: all(t is not None and not t.loading for t in other_tabs),
                    timeout=WAIT)
    flushes = count_calls(workspace.outbox, "flush")
    resyncs: list = []
    desk.bridge.resynced.connect(resyncs.append)

    def quiet(since: datetime) -> None:
        """Whatever the last item made the desk start has started and ended: a round trip of
        our own lets spawned tasks make their first call, then nothing may be running; a second
        one's record in the network log comes after every earlier one (the stream keeps order)."""
        run(backend.me())
        qtbot.waitUntil(lambda: running["now"] == 0, timeout=WAIT)
        run(backend.me())
        qtbot.waitUntil(lambda: network_log(w, since).count("GET /me") == 2, timeout=WAIT)

    quiet(datetime.now(timezone.utc))

    # 1. a network blip: the socket dies, the stream resumes after the last seq it applied
    before, since = Counter(started), datetime.now(timezone.utc)
    run(backend.reconnect_now(drop_current=True))
    qtbot.waitUntil(lambda: bool(resyncs) and w.status_button.property("connectionState")
                    == "connected", timeout=WAIT)
    assert [r.full for r in resyncs] == [False]
    quiet(since)
    assert started - before == Counter()                      # nothing was asked for again
    assert network_log(w, since) == ["GET /me", "GET /me"]
    assert len(flushes) == 1

    # 2. the server cannot replay (a resume point it does not know): a reset
    resyncs.clear()
    before, since = Counter(started), datetime.now(timezone.utc)
    run(backend.stop_events())
    run(backend.start_events(resume_after=backend.last_seq + 1_000_000))
    qtbot.waitUntil(lambda: bool(resyncs) and w.status_button.property("connectionState")
                    == "connected", timeout=WAIT)
    assert [r.full for r in resyncs] == [True]
    once = Counter({"departments": 1, "agents": 1, "list_chats": 1, "get_chat": TABS,
                    "chat_messages": TABS, "get_ticket": TICKETS, "ticket_posts": TICKETS,
                    "get_client": CLIENTS} | {name: CLIENTS for name in CLIENT_LISTS})
    qtbot.waitUntil(lambda: all((started - before)[k] >= n for k, n in once.items()),
                    timeout=WAIT)
    quiet(since)
    assert started - before == once
    log = Counter(network_log(w, since))
    assert sum(n for r, n in log.items() if r.startswith("GET /departments")) == 1
    assert sum(n for r, n in log.items() if r.startswith("GET /agents")) == 1
    assert sum(n for r, n in log.items() if r.startswith("GET /chats?state=waiting")) == 1
    for chat_id in ids:
        assert log[f"GET /chats/{chat_id}"] == 1
        assert sum(n for r, n in log.items()
                   if r.startswith(f"GET /chats/{chat_id}/messages")) == 1
    for ticket_id in ticket_ids:
        assert log[f"GET /tickets/{ticket_id}"] == 1
        assert sum(n for r, n in log.items()
                   if r.startswith(f"GET /tickets/{ticket_id}/posts")) == 1
    for client_id in client_ids:
        assert log[f"GET /clients/{client_id}"] == 1
        for kind in ("users", "payments", "services", "tickets", "expenses", "projects"):
            assert sum(n for r, n in log.items()
                       if r.startswith(f"GET /clients/{client_id}/{kind}")) == 1
    assert len(flushes) == 2
    assert len(w.tab_manager.chat_tabs()) == TABS                         # every tab still there
    assert all(w.tab_manager.tab(t.key) is t for t in other_tabs)
    for visitor in visitors:
        run(visitor.close())

"""Tickets in the desk against the REAL server (demo data): the ticket form in the client tab and
from an authorized chat, the ticket tab's composer (reply, internal note, drafts, the outbox),
status/priority edits with conflicts, priority in place in the client tab, a client's post
arriving live with a notification, and the tickets tab's filters.

Widgets are driven with clicks and keys; every wait is ``qtbot.waitUntil`` / ``waitSignal``.
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update

from supportdesk_protocol.schemas import Ticket
from supportdesk_qt.backend.http import HttpBackend
from supportdesk_qt.core.drafts import DraftStore
from supportdesk_qt.core.outbox import Outbox
from supportdesk_qt.platform.notifications import NotificationKind
from supportdesk_qt.qt import QApplication, Qt, qt_is_valid
from supportdesk_qt.ui.client.client_tab import ClientTab
from supportdesk_qt.ui.tickets.client_tickets import PRIORITY_COLUMN
from supportdesk_qt.ui.tickets.ticket_tab import TicketTab
from supportdesk_qt.ui.tickets.tickets_tab import TicketsTab
from supportdesk_qt.ui.tabs import TabContext
from supportdesk_server.store import models as M
from supportdesk_server.store.db import create_engine, make_sessionmaker
from tests.support.server import ServerProcess
from tests.ui.test_desk_e2e import sign_in, wait_connected
from tests.ui.test_desktop_integration import _no_session_bus, make_desk  # noqa: F401 (fixtures)

WAIT = 20_000
SHOTS = os.environ.get("SUPPORTDESK_SHOTS_DIR")


@pytest.fixture(scope="module")
def tk_server(tmp_path_factory):
    srv = ServerProcess(tmp_path_factory.mktemp("tickets-ui"), demo=True, demo_clients=20)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def backend(tk_server, run):
    b = HttpBackend(tk_server.url)
    run(b.login("demo", "demo"))
    yield b
    run(b.close())


def colleague(server, login="sam") -> httpx.Client:
    token = server.login(login)
    return httpx.Client(base_url=server.api(""), headers={"Authorization": f"Bearer {token}"},
                        timeout=20)


def some_client(backend, run):
    """A client of the Sales department (``sam``, a Sales agent, sees it too) with a login user."""
    depts = {d.name: d.id for d in run(backend.departments())}
    for t in run(backend.list_tickets(limit=500)).items:
        if t.client_id is None or t.department_id != depts["Sales"]:
            continue
        client = run(backend.get_client(t.client_id))
        users = run(backend.client_users(client.id)).items
        if users and any(u.enabled for u in users):
            return client, next(u for u in users if u.enabled), depts
    raise AssertionError("no Sales client with an enabled user in the demo data")


def new_ticket(backend, run, client, depts, subject="Printer on fire") -> Ticket:
    return run(backend.create_ticket(client_id=client.id, subject=subject,
                                     department_id=depts["Sales"], priority="normal",
                                     text="We are on it."))


def show(qtbot, widget, w=1000, h=720):
    qtbot.addWidget(widget)
    widget.resize(w, h)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def rows(tab: TicketTab) -> list[tuple[str, str, str]]:
    m = tab.model
    return [(m.index(r, 0).data(m.KindRole), m.index(r, 0).data(m.TextRole),
             m.index(r, 0).data(m.StateRole)) for r in range(m.rowCount())]


# --- the ticket form in the client tab ----------------------------------------------------------


def test_client_tab_form_checks_fields_keeps_text_creates_and_opens(qtbot, backend, tasks, run):
    client, _user, depts = some_client(backend, run)
    tab = show(qtbot, ClientTab(TabContext.of(backend, tasks), client.id))
    form = tab.ticket_section.form
    tab.tabs.setCurrentIndex(0)
    assert tab.tabs.tabText(0) == "New ticket"
    qtbot.waitUntil(lambda: form.department_combo.count() > 0, timeout=WAIT)
    qtbot.keyClicks(form.message_edit, "Your server was rebooted at 10:00.")
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    err = form.errors["subject"]
    assert err.isVisible() and err.text() == "Write a subject."
    assert form.message_edit.toPlainText() == "Your server was rebooted at 10:00."
    qtbot.keyClicks(form.subject_edit, "Reboot notice")
    form.priority_combo.setFocus()
    qtbot.keyClick(form.priority_combo, Qt.Key.Key_Down)          # normal -> high
    assert form.priority_combo.currentData() == "high"
    with qtbot.waitSignal(tab.openTicket, timeout=WAIT) as sig:
        qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    assert not err.isVisible()
    ticket = run(backend.get_ticket(sig.args[0]))
    assert (ticket.subject, ticket.priority.value, ticket.client_id) == (
        "Reboot notice", "high", client.id)
    posts = run(backend.ticket_posts(ticket.id)).items
    assert [(p.kind.value, p.text) for p in posts] == [("staff", "Your server was rebooted at 10:00.")]
    assert form.subject_edit.text() == "" and form.message_edit.toPlainText() == ""
    # the client's ticket list shows it (reloaded)
    model = tab.models["tickets"]
    qtbot.waitUntil(lambda: any(model.item(r).id == ticket.id for r in range(model.rowCount())),
                    timeout=WAIT)


def test_form_shows_the_servers_sentence_next_to_the_field_and_keeps_the_text(
        qtbot, backend, tasks, run):
    client, _user, depts = some_client(backend, run)
    tab = show(qtbot, ClientTab(TabContext.of(backend, tasks), client.id))
    form = tab.ticket_section.form
    tab.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: form.department_combo.count() > 0, timeout=WAIT)
    form.department_combo.addItem("Gone", 999_999)                 # a department the server lacks
    form.department_combo.setCurrentIndex(form.department_combo.count() - 1)
    qtbot.keyClicks(form.subject_edit, "Subject kept")
    qtbot.keyClicks(form.message_edit, "Text kept")
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    err = form.errors["form"]
    dept_err = form.errors["department_id"]
    qtbot.waitUntil(lambda: err.isVisible() or dept_err.isVisible(), timeout=WAIT)
    shown = dept_err if dept_err.isVisible() else err
    assert "department" in shown.text().lower() and shown.text().endswith(".")
    assert form.subject_edit.text() == "Subject kept"
    assert form.message_edit.toPlainText() == "Text kept"


# --- the ticket tab ----------------------------------------------------------------------------


def test_reply_and_note_are_sent_through_the_outbox_and_persist(qtbot, backend, tasks, run,
                                                                tmp_path):
    client, _user, depts = some_client(backend, run)
    ticket = new_ticket(backend, run, client, depts)
    drafts = DraftStore(tmp_path / "ticket-drafts.json")
    outbox = Outbox(tmp_path / "outbox.sqlite3", backend)
    try:
        tab = show(qtbot, TicketTab(TabContext.of(backend, tasks, ticket_drafts=drafts,
                                                  outbox=outbox), ticket.id))
        qtbot.waitUntil(lambda: tab.model.rowCount() == 1 and tab.ticket is not None,
                        timeout=WAIT)
        assert tab.send_button.text() == "Send reply"
        qtbot.keyClicks(tab.composer, "Fixed: the printer is out.")
        qtbot.keyClick(tab.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: ("staff", "Fixed: the printer is out.", "sent") in rows(tab),
                        timeout=WAIT)
        assert tab.composer.toPlainText() == ""
        tab.mode_bar.setCurrentIndex(1)
        assert tab.send_button.text() == "Add note"
        qtbot.keyClicks(tab.composer, "Customer was rude, careful")
        qtbot.mouseClick(tab.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: ("note", "Customer was rude, careful", "sent") in rows(tab),
                        timeout=WAIT)
        # an unsent draft survives closing the tab (and a restart: a new store on the same file)
        qtbot.keyClicks(tab.composer, "half-written")
        tab.dispose()
        tab.close()
        again = show(qtbot, TicketTab(TabContext.of(
            backend, tasks, ticket_drafts=DraftStore(tmp_path / "ticket-drafts.json"),
            outbox=outbox), ticket.id))
        qtbot.waitUntil(lambda: again.model.rowCount() == 3, timeout=WAIT)
        assert [(k, t) for k, t, _s in rows(again)] == [
            ("staff", "We are on it."), ("staff", "Fixed: the printer is out."),
            ("note", "Customer was rude, careful")]
        assert again.composer.toPlainText() == "half-written"
        posts = run(backend.ticket_posts(ticket.id)).items
        assert [p.kind.value for p in posts] == ["staff", "staff", "note"]
        again.dispose()
    finally:
        run(outbox.close())


def test_a_failed_post_says_why_and_is_retried_without_retyping(qtbot, backend, tasks, run,
                                                                tmp_path):
    client, _user, depts = some_client(backend, run)
    ticket = new_ticket(backend, run, client, depts)
    outbox = Outbox(tmp_path / "outbox.sqlite3", backend)
    tab = show(qtbot, TicketTab(TabContext.of(backend, tasks, outbox=outbox), ticket.id))
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=WAIT)
    real = backend.add_ticket_post
    calls = []

    async def failing(*args, **kw):
        calls.append(args)
        if len(calls) == 1:           # a refusal (4xx): the outbox does not retry it by itself
            from supportdesk_qt.backend.base import Conflict
            raise Conflict("The server had a problem.", code="conflict", status=409)
        return await real(*args, **kw)

    backend.add_ticket_post = failing
    try:
        qtbot.keyClicks(tab.composer, "Try me")
        qtbot.mouseClick(tab.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: ("staff", "Try me", "failed") in rows(tab), timeout=WAIT)
        m = tab.model
        idx = m.index(1, 0)
        assert "The server had a problem." in idx.data(m.TimeTextRole)
        tab.compose.retry(idx.data(m.ClientMsgIdRole))
        qtbot.waitUntil(lambda: ("staff", "Try me", "sent") in rows(tab), timeout=WAIT)
        assert calls[0][3] == calls[1][3]                           # same client_msg_id
        assert [p.text for p in run(backend.ticket_posts(ticket.id)).items] == ["We are on it.",
                                                                               "Try me"]
    finally:
        del backend.add_ticket_post
        tab.dispose()
        run(outbox.close())


def test_status_and_priority_changes_persist_and_a_conflict_shows_the_colleagues_values(
        qtbot, backend, tasks, run, tk_server):
    client, _user, depts = some_client(backend, run)
    ticket = new_ticket(backend, run, client, depts)
    tab = show(qtbot, TicketTab(TabContext.of(backend, tasks), ticket.id))
    qtbot.waitUntil(lambda: tab.status_combo.isEnabled(), timeout=WAIT)
    tab.status_combo.setFocus()
    qtbot.keyClick(tab.status_combo, Qt.Key.Key_Down)               # new -> in progress
    qtbot.waitUntil(lambda: tab.notice_label.text() == "Saved.", timeout=WAIT)
    assert run(backend.get_ticket(ticket.id)).status.value == "in_progress"
    tab.priority_combo.setFocus()
    qtbot.keyClick(tab.priority_combo, Qt.Key.Key_Down)             # normal -> high
    qtbot.waitUntil(lambda: run(backend.get_ticket(ticket.id)).priority.value == "high",
                    timeout=WAIT)
    qtbot.waitUntil(lambda: tab.ticket.version == 3 and tab.status_combo.isEnabled(),
                    timeout=WAIT)
    # a colleague closes it meanwhile (this tab gets no events here): our change is refused
    with colleague(tk_server) as sam:
        r = sam.patch(f"/tickets/{ticket.id}", json={"version": 3, "status": "closed"})
        assert r.status_code == 200, r.text
    tab.priority_combo.setFocus()
    qtbot.keyClick(tab.priority_combo, Qt.Key.Key_Down)             # high -> urgent
    qtbot.waitUntil(lambda: "colleague" in tab.notice_label.text(), timeout=WAIT)
    assert "status: In progress → Closed" in tab.notice_label.text()
    assert tab.status_combo.currentData() == "closed"
    assert tab.priority_combo.currentData() == "high"               # not ours: the server's
    assert run(backend.get_ticket(ticket.id)).priority.value == "high"
    # reopened: the values persist
    tab.close()
    again = show(qtbot, TicketTab(TabContext.of(backend, tasks), ticket.id))
    qtbot.waitUntil(lambda: again.ticket is not None, timeout=WAIT)
    assert (again.status_combo.currentData(), again.priority_combo.currentData()) == (
        "closed", "high")


def test_priority_in_place_in_the_client_tab(qtbot, backend, tasks, run):
    client, _user, depts = some_client(backend, run)
    ticket = new_ticket(backend, run, client, depts, subject="Priority in place")
    tab = show(qtbot, ClientTab(TabContext.of(backend, tasks), client.id))
    view = tab.views["tickets"]
    tab.tabs.setCurrentIndex(tab.tabs.indexOf(tab.ticket_section.view.parentWidget())
                             if tab.tabs.indexOf(view) < 0 else tab.tabs.indexOf(view))
    model = tab.models["tickets"]
    qtbot.waitUntil(lambda: any(model.item(r).id == ticket.id for r in range(model.rowCount())),
                    timeout=WAIT)
    proxy = view.model()
    row = next(r for r in range(proxy.rowCount())
               if proxy.index(r, 0).data(model.ItemRole).id == ticket.id)
    index = proxy.index(row, PRIORITY_COLUMN)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    qtbot.waitUntil(lambda: view.indexWidget(index) is not None, timeout=WAIT)
    editor = view.indexWidget(index)
    assert editor.currentData() == "normal"
    qtbot.keyClick(editor, Qt.Key.Key_Down)                          # -> high
    qtbot.waitUntil(lambda: run(backend.get_ticket(ticket.id)).priority.value == "high",
                    timeout=WAIT)
    qtbot.waitUntil(lambda: proxy.index(row, PRIORITY_COLUMN).data() == "High", timeout=WAIT)
    assert view.indexWidget(index) is None                           # the editor closed
    # a stale version: the row shows the server's values and the notice says why
    run(backend.update_ticket(ticket.id, run(backend.get_ticket(ticket.id)).version,
                              status="waiting"))
    view.setFocus()
    view.setCurrentIndex(proxy.index(row, 1))
    qtbot.keyClick(view, Qt.Key.Key_F2)                              # the keyboard way in
    qtbot.waitUntil(lambda: view.indexWidget(index) is not None, timeout=WAIT)
    qtbot.keyClick(view.indexWidget(index), Qt.Key.Key_Down)        # -> urgent, refused
    notice = tab.ticket_section.notice
    qtbot.waitUntil(lambda: "colleague" in notice.text(), timeout=WAIT)
    assert run(backend.get_ticket(ticket.id)).priority.value == "high"
    assert proxy.index(row, 2).data() == "Waiting for client"        # the row was refreshed


# --- create ticket from an authorized chat --------------------------------------------------------


def _authorize(run, server, chat_id: int, client_id: int) -> None:
    """The chat's visitor logged in as the client (written to the store, as the widget's login
    flow does)."""
    async def go():
        engine = create_engine(server.database_url)
        try:
            async with make_sessionmaker(engine)() as s:
                await s.execute(update(M.Chat).where(M.Chat.id == chat_id)
                                .values(client_id=client_id))
                await s.commit()
        finally:
            await engine.dispose()
    run(go())


def test_create_ticket_from_an_authorized_chat_is_prefilled_with_the_transcript(
        qtbot, run, tasks, server):
    from tests.ui.test_chat_tab import Desk

    desk = Desk(qtbot, run, tasks, server, department="Sales", visitor_name="Ann Example",
                first="My invoice is wrong")
    try:
        tab = desk.open_tab()
        details = tab.details
        assert not details.create_ticket_button.isVisible()           # not authorized yet
        qtbot.keyClicks(tab.composer, "Let me check that for you")
        qtbot.keyClick(tab.composer, Qt.Key.Key_Return)
        backend = desk.backend
        qtbot.waitUntil(lambda: run(backend.get_chat(desk.chat_id)).message_count >= 2,
                        timeout=WAIT)
        clients = run(backend.list_tickets(limit=50)).items
        client_id = next(t.client_id for t in clients if t.client_id is not None)
        _authorize(run, server, desk.chat_id, client_id)
        details.apply_chat(run(backend.get_chat(desk.chat_id)))       # the chat.updated snapshot
        assert details.create_ticket_button.isVisible()
        qtbot.mouseClick(details.create_ticket_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: details.ticket_dialog is not None
                        and details.ticket_dialog.isVisible(), timeout=WAIT)
        dlg = details.ticket_dialog
        form = dlg.form
        assert not dlg.isModal() and form.client_id == client_id
        text = form.message_edit.toPlainText()
        lines = text.splitlines()
        assert lines[0].endswith("] Ann Example: My invoice is wrong"), text
        assert lines[1].endswith("] Dana Demo: Let me check that for you"), text
        assert lines[0].startswith("[")
        assert form.subject_edit.text() == "Chat with " + (
            run(backend.get_chat(desk.chat_id)).client_name or "Ann Example")
        qtbot.waitUntil(lambda: form.department_combo.count() > 0, timeout=WAIT)
        with qtbot.waitSignal(details.ticketCreated, timeout=WAIT) as sig:
            qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
        created = sig.args[0]
        posts = run(backend.ticket_posts(created.id)).items
        assert posts[0].text == text and created.client_id == client_id
        qtbot.waitUntil(lambda: not qt_is_valid(dlg) or not dlg.isVisible(), timeout=WAIT)
    finally:
        desk.close()


# --- live: a client's post ---------------------------------------------------------------------------


def test_a_clients_post_appears_live_and_raises_a_notification(qtbot, run, make_desk, server):
    desk = make_desk()
    sign_in(qtbot, desk)
    w = desk.window
    wait_connected(qtbot, w)
    backend = w.backend
    client, user, depts = some_client(backend, run)
    ticket = new_ticket(backend, run, client, depts, subject="Live post")
    w.tab_manager.open_ticket(ticket.id)
    tab = w.tab_manager.ticket_tab(ticket.id)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=WAIT)
    key = f"ticket:{ticket.id}"
    # on screen: shown, no notification
    w.show_and_raise()
    r = httpx.post(server.api(f"/client/tickets/{ticket.id}/posts"), auth=(user.login, "demo"),
                   json={"text": "Any news?", "client_msg_id": "cli-1"})
    assert r.status_code == 201, r.text
    qtbot.waitUntil(lambda: ("client", "Any news?", "sent") in rows(tab), timeout=WAIT)
    # another tab in front: the next post still lands in the thread, and is announced
    w.show_queue()
    r = httpx.post(server.api(f"/client/tickets/{ticket.id}/posts"), auth=(user.login, "demo"),
                   json={"text": "Hello? <b>anyone</b>", "client_msg_id": "cli-2"})
    assert r.status_code == 201, r.text
    qtbot.waitUntil(lambda: ("client", "Hello? <b>anyone</b>", "sent") in rows(tab), timeout=WAIT)
    records = lambda: [x for x in desk.records if x.kind == NotificationKind.TICKET_POST]  # noqa: E731
    qtbot.waitUntil(lambda: bool(records()), timeout=WAIT)
    assert [x.key for x in records()] == [key]
    assert records()[-1].body == "Hello? <b>anyone</b>"
    assert user.full_name in records()[-1].title or user.login in records()[-1].title
    # a colleague's change shows up in the open tab by itself
    with colleague(server) as sam:
        version = sam.get(f"/tickets/{ticket.id}").json()["version"]
        r = sam.patch(f"/tickets/{ticket.id}", json={"version": version, "status": "waiting",
                                                     "priority": "urgent"})
        assert r.status_code == 200, r.text
    qtbot.waitUntil(lambda: (tab.status_combo.currentData(), tab.priority_combo.currentData())
                    == ("waiting", "urgent"), timeout=WAIT)
    assert tab.ticket.version == r.json()["version"]


def test_tickets_tab_opens_with_ctrl_2_and_follows_changes(qtbot, run, make_desk, server):
    desk = make_desk()
    sign_in(qtbot, desk)
    w = desk.window
    wait_connected(qtbot, w)
    backend = w.backend
    client, _user, depts = some_client(backend, run)
    ticket = new_ticket(backend, run, client, depts, subject="Followed in the list")
    ticket = run(backend.update_ticket(ticket.id, ticket.version, assignee_id=backend.agent.id))
    w.activateWindow()
    qtbot.keyClick(w, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.tab_manager.find_tab("tickets") >= 0, timeout=WAIT)
    tab = w.tabs.widget(w.tab_manager.find_tab("tickets"))
    assert isinstance(tab, TicketsTab) and w.tabs.currentWidget() is tab
    m = tab.model

    def shown():
        return {m.item(r).id: m.item(r) for r in range(m.rowCount())}

    qtbot.waitUntil(lambda: ticket.id in shown(), timeout=WAIT)
    with colleague(server) as sam:
        r = sam.patch(f"/tickets/{ticket.id}", json={"version": ticket.version,
                                                     "priority": "urgent"})
        assert r.status_code == 200, r.text
    qtbot.waitUntil(lambda: ticket.id in shown()
                    and shown()[ticket.id].priority.value == "urgent", timeout=WAIT)


# --- the tickets tab ------------------------------------------------------------------------------


def test_tickets_tab_filters_and_opens(qtbot, backend, tasks, run):
    client, _user, depts = some_client(backend, run)
    mine = new_ticket(backend, run, client, depts, subject="Mine urgent")
    mine = run(backend.update_ticket(mine.id, mine.version, assignee_id=backend.agent.id,
                                     priority="urgent"))
    tab = show(qtbot, TicketsTab(TabContext.of(backend, tasks)))
    m = tab.model
    qtbot.waitUntil(lambda: m.total is not None and not m.loading, timeout=WAIT)

    def ids():
        return {m.item(r).id for r in range(m.rowCount())}

    def items():
        return [m.item(r) for r in range(m.rowCount())]

    assert tab.scope_combo.currentData() == "mine"
    assert mine.id in ids() and all(t.assignee_id == backend.agent.id for t in items())
    tab.priority_combo.setCurrentIndex(tab.priority_combo.findData("low"))
    qtbot.waitUntil(lambda: not m.loading and mine.id not in ids(), timeout=WAIT)
    assert all(t.priority.value == "low" for t in items())
    tab.priority_combo.setCurrentIndex(0)
    tab.scope_combo.setCurrentIndex(tab.scope_combo.findData("departments"))
    tab.status_combo.setCurrentIndex(tab.status_combo.findData("new"))
    qtbot.waitUntil(lambda: not m.loading and m.total is not None and m.rowCount() > 0,
                    timeout=WAIT)
    assert all(t.status.value == "new" for t in items())
    assert mine.id in ids()
    assert len({t.assignee_id for t in items()}) >= 1
    row = next(r for r in range(tab.proxy.rowCount())
               if tab.proxy.index(r, 0).data(m.ItemRole).id == mine.id)
    tab.view.scrollTo(tab.proxy.index(row, 1))
    rect = tab.view.visualRect(tab.proxy.index(row, 1))
    with qtbot.waitSignal(tab.openTicket, timeout=WAIT) as sig:
        qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert sig.args == [mine.id]


def test_screenshot_of_a_ticket_tab(qtbot, backend, tasks, run, tmp_path, tk_server):
    client, user, depts = some_client(backend, run)
    ticket = run(backend.create_ticket(
        client_id=client.id, subject="Site returns 502 after the PHP upgrade",
        department_id=depts["Sales"], priority="high",
        text="Hello,\n\nwe upgraded PHP on your server tonight. Could you check your site now?"))
    r = httpx.post(tk_server.api(f"/client/tickets/{ticket.id}/posts"), auth=(user.login, "demo"),
                   json={"text": "Still 502 here, and the shop is down since 7 am.",
                         "client_msg_id": "shot-client"})
    assert r.status_code == 201, r.text
    run(backend.add_ticket_post(ticket.id, "note", "The upgrade log shows a missing "
                                "extension (php-intl); installing it.", "shot-note"))
    tab = show(qtbot, TicketTab(TabContext.of(backend, tasks,
                                              ticket_drafts=DraftStore(tmp_path / "d.json")),
                                ticket.id), 980, 640)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3 and tab.status_combo.isEnabled(),
                    timeout=WAIT)
    qtbot.keyClicks(tab.composer, "The site is back; the missing PHP module is installed.")
    QApplication.processEvents()
    image = tab.grab()
    out = Path(SHOTS) if SHOTS else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    assert image.save(str(out / "ticket-tab.png"))
    assert image.width() == 980


def test_posts_model_live_and_outgoing_rows_pass_the_model_tester(qtbot, tasks, qtmodeltester):
    from datetime import datetime, timezone

    from supportdesk_protocol.schemas import Page, TicketPost
    from supportdesk_qt.ui.tickets.posts_model import TicketPostsModel

    at = datetime(2026, 11, 29, 10, 0, tzinfo=timezone.utc)
    posts = [TicketPost(id=1, ticket_id=7, kind="client", author_name="Ann", text="Hi",
                        created_at=at)]

    async def fetch(offset, limit):
        return Page(items=posts[offset:offset + limit], total=len(posts), offset=offset,
                    limit=limit)

    m = TicketPostsModel(fetch, tasks=tasks)
    m.reload()
    qtbot.waitUntil(lambda: m.complete, timeout=WAIT)
    m.add_outgoing(7, "staff", "On it", "c-1", "Dana", at, 1)
    m.add_outgoing(7, "note", "Careful", "c-2", "Dana", at, 2)
    assert [m.index(r, 0).data(m.StateRole) for r in range(3)] == ["sent", "sending", "sending"]
    m.set_outgoing_state("c-2", "failed", "The ticket is gone.")
    assert m.index(2, 0).data(m.TimeTextRole).startswith("Not sent: The ticket is gone.")
    stored = TicketPost(id=5, ticket_id=7, kind="staff", author_name="Dana", text="On it",
                        client_msg_id="c-1", created_at=at)
    assert m.add_post(stored) and m.rowCount() == 3 and m.index(1, 0).data(m.PostIdRole) == 5
    assert m.add_post(stored) and m.rowCount() == 3                 # a duplicate event: no row
    m.remove_outgoing("c-2")
    assert m.rowCount() == 2 and m.total == 2
    live = TicketPost(id=6, ticket_id=7, kind="client", author_name="Ann", text="Thanks",
                      created_at=at)
    assert m.add_post(live) and m.rowCount() == 3 and m.total == 3
    qtmodeltester.check(m)


def test_ticket_replies_picker_leaves_out_chat_only_and_a_post_saves_as_a_reply(
        qtbot, backend, tasks, run):
    client, _user, depts = some_client(backend, run)
    ticket = new_ticket(backend, run, client, depts, subject="Templates")
    everything = run(backend.replies(limit=500)).items
    assert any(r.chat_only for r in everything)                     # the demo has chat-only ones
    tab = show(qtbot, TicketTab(TabContext.of(backend, tasks), ticket.id))
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1 and tab.ticket is not None, timeout=WAIT)
    tab.composer.setFocus()
    qtbot.keyClick(tab.composer, Qt.Key.Key_Slash)                 # "/" in an empty composer
    popup = tab.compose.replies_popup
    qtbot.waitUntil(lambda: popup is not None and popup.is_loaded and popup.model.rowCount() > 0,
                    timeout=WAIT)
    titles = {popup.model.index(r).data(popup.model.TitleRole)
              for r in range(popup.model.rowCount())}
    assert titles == {r.title for r in everything if not r.chat_only}
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)                # the first one goes in
    qtbot.waitUntil(lambda: tab.composer.toPlainText() != "", timeout=WAIT)
    assert "{agent_name}" not in tab.composer.toPlainText()
    # right-click the first post: "Save as pre-defined reply…" opens the dialog with its text
    rect = tab.view.visualRect(tab.model.index(0, 0))
    tab._post_menu(rect.center())
    menu = tab.compose.message_menu
    action = next(a for a in menu.actions() if a.objectName() == "saveAsReplyAction")
    action.trigger()
    dlg = tab.compose.save_reply_dialog
    assert dlg is not None and dlg.isVisible() and not dlg.isModal()
    assert dlg.text_edit.toPlainText() == "We are on it."
    menu.close()
    dlg.close()


def test_a_post_left_in_the_outbox_shows_as_sending_and_is_delivered_once(
        qtbot, backend, tasks, run, tmp_path):
    """What a crash leaves behind: a reply on disk, never sent. The reopened tab shows it as
    being sent; the outbox's flush (after sign-in / reconnect) delivers it, exactly once."""
    from supportdesk_qt.core.outbox import TICKET_NOTE

    client, _user, depts = some_client(backend, run)
    ticket = new_ticket(backend, run, client, depts, subject="Crash survivor")
    outbox = Outbox(tmp_path / "outbox.sqlite3", backend)
    try:
        entry = run(outbox.add(ticket.id, "Written before the crash", kind=TICKET_NOTE,
                               deliver=False))
        tab = show(qtbot, TicketTab(TabContext.of(backend, tasks, outbox=outbox), ticket.id))
        qtbot.waitUntil(lambda: ("note", "Written before the crash", "sending") in rows(tab),
                        timeout=WAIT)
        run(outbox.flush())
        qtbot.waitUntil(lambda: ("note", "Written before the crash", "sent") in rows(tab),
                        timeout=WAIT)
        run(outbox.retry(entry.client_msg_id))                     # nothing to retry: no-op
        posts = run(backend.ticket_posts(ticket.id)).items
        assert [(p.kind.value, p.text, p.client_msg_id) for p in posts][1:] == [
            ("note", "Written before the crash", entry.client_msg_id)]
        assert tab.model.rowCount() == 2
        tab.dispose()
    finally:
        run(outbox.close())


def test_a_ticket_that_is_not_visible_says_so_and_cannot_be_answered(qtbot, backend, tasks):
    tab = show(qtbot, TicketTab(TabContext.of(backend, tasks), 987_654_321))
    qtbot.waitUntil(lambda: tab.error_label.isVisible(), timeout=WAIT)
    assert tab.error_label.text().endswith(".")
    assert not tab.send_button.isEnabled() and not tab.status_combo.isEnabled()

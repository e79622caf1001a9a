"""The one cache of departments and agents (core/directory.py, the workspace's) through the real
desk and the real server (issue 10).

With the desk signed in (the cache loaded once), opening a ticket tab, a client tab (with its
ticket form), the forward dialog and "Save as pre-defined reply" asks the server for no
department and no agent: the network log (what the network panel shows) has no
``GET /departments`` or ``GET /agents`` after they open. Then a department is renamed and one
is added in the server's database (what an administrator's tool does; the server has no API for
it) and colleagues come online: the server's ``department.online`` events carry the departments
as they now are, and every open dialog and tab shows the new name and the new department,
still without a request.
"""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import httpx

from supportdesk_qt.qt import Qt
from tests.ui.test_chat_workspace import open_save_reply
from tests.ui.test_desk_e2e import WAIT, desk, sign_in, wait_connected  # noqa: F401  (fixture)
from tests.ui.test_desk_reconnect_policy import network_log
from tests.ui.visitor import Visitor

RENAMED = "Sales and renewals"
ADDED = "Partners"


def _db_path(server) -> Path:
    return Path(server.database_url.split("///", 1)[1])


def rename_and_add_department(server) -> None:
    """Sales gets a new name; a new department "Partners" has Tom (Technical support) in it."""
    with contextlib.closing(sqlite3.connect(_db_path(server), timeout=10)) as db:
        db.execute("UPDATE departments SET name = ? WHERE name = 'Sales'", (RENAMED,))
        cur = db.execute("INSERT INTO departments (name, accepts_forwards) VALUES (?, 1)",
                         (ADDED,))
        tom = db.execute("SELECT id FROM agents WHERE login = 'tom'").fetchone()[0]
        db.execute("INSERT INTO agent_departments (agent_id, department_id) VALUES (?, ?)",
                   (tom, cur.lastrowid))
        db.commit()


def go_online(server, login: str) -> None:
    r = httpx.put(server.api("/me/status"), json={"status": "online"},
                  headers={"Authorization": f"Bearer {server.login(login)}"})
    r.raise_for_status()


def directory_requests(window, since: datetime) -> list[str]:
    return [r for r in network_log(window, since)
            if r.startswith(("GET /departments", "GET /agents"))]


def combo_texts(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def forward_names(dlg) -> list[str]:
    model = dlg.model
    return [model.index(i).data(Qt.ItemDataRole.DisplayRole).split(" — ")[0]
            for i in range(model.rowCount())]


def test_dialogs_and_tabs_read_the_one_cache_and_follow_renamed_and_added_departments(
        qtbot, run, desk, server):  # noqa: F811
    token = server.login("demo")
    auth = {"Authorization": f"Bearer {token}"}
    visitor = Visitor(server.url)
    run(visitor.connect())
    run(visitor.start_chat("Billing", "Ann Example", "Hello, my invoice looks wrong"))
    chat_id = visitor.chat["id"]
    assert httpx.post(server.api(f"/chats/{chat_id}/take"), headers=auth).status_code == 200
    ticket = httpx.get(server.api("/tickets"), params={"limit": 1}, headers=auth).json()["items"][0]

    sign_in(qtbot, desk)
    w = desk.window
    wait_connected(qtbot, w)                  # the cache is loaded (once, after sign-in)
    qtbot.waitUntil(lambda: w.tab_manager.chat_tab(chat_id) is not None
                    and w.tab_manager.chat_tab(chat_id).model.is_loaded, timeout=WAIT)
    chat_tab = w.tab_manager.chat_tab(chat_id)
    backend = desk.session.backend
    since = datetime.now(timezone.utc)

    # -- open everything that shows departments or colleagues
    w.tab_manager.open_ticket(ticket["id"])
    ticket_tab = w.tab_manager.tab(f"ticket:{ticket['id']}")
    w.tab_manager.open_client(ticket["client_id"])
    client_tab = w.tab_manager.tab(f"client:{ticket['client_id']}")
    form = client_tab.ticket_section.form
    w.tabs.setCurrentWidget(chat_tab)
    qtbot.mouseClick(chat_tab.forward_button, Qt.MouseButton.LeftButton)
    forward = chat_tab.forward_dialog
    save_reply = open_save_reply(qtbot, chat_tab)
    qtbot.waitUntil(lambda: ticket_tab.department_combo.isEnabled()
                    and ticket_tab.assignee_combo.count() > 1
                    and form.department_combo.count() > 0
                    and forward is not None and forward.model.rowCount() > 0
                    and save_reply is not None and save_reply.department_combo.count() > 0,
                    timeout=WAIT)
    assert "Sales" in combo_texts(ticket_tab.department_combo)
    assert "Sales" in combo_texts(form.department_combo)
    assert "Sales" in forward_names(forward) and "Billing" not in forward_names(forward)
    assert "Sales" in combo_texts(save_reply.department_combo)

    # every load the openings started has ended: a round trip of our own comes after them
    qtbot.waitUntil(lambda: not ticket_tab.loading and not client_tab.loading, timeout=WAIT)
    run(backend.me())
    qtbot.waitUntil(lambda: "GET /me" in network_log(w, since), timeout=WAIT)
    assert directory_requests(w, since) == []

    # -- an administrator renames Sales and adds Partners; colleagues come online
    rename_and_add_department(server)
    go_online(server, "sam")                  # Sales -> department.online with its new name
    go_online(server, "tom")                  # Technical support and Partners
    qtbot.waitUntil(lambda: RENAMED in forward_names(forward)
                    and ADDED in forward_names(forward), timeout=WAIT)
    assert "Sales" not in forward_names(forward)
    # Sam is online in the renamed department: it can be chosen now
    qtbot.waitUntil(lambda: RENAMED in combo_texts(ticket_tab.department_combo)
                    and ADDED in combo_texts(ticket_tab.department_combo)
                    and RENAMED in combo_texts(form.department_combo)
                    and RENAMED in combo_texts(save_reply.department_combo), timeout=WAIT)
    assert "Sales" not in combo_texts(ticket_tab.department_combo)
    assert "Sales" not in combo_texts(form.department_combo)
    # the ticket form and the reply dialog offer my departments: Partners is not one of them
    assert ADDED not in combo_texts(form.department_combo)
    assert ADDED not in combo_texts(save_reply.department_combo)
    # the list of chats' names come from the same cache
    sales = next(d for d in desk.session.workspace.departments.values() if d.name == RENAMED)
    assert w.queue_model.department_name(sales.id) == RENAMED

    run(backend.me())
    qtbot.waitUntil(lambda: network_log(w, since).count("GET /me") == 2, timeout=WAIT)
    assert directory_requests(w, since) == []
    forward.reject()
    save_reply.reject()
    run(visitor.close())

"""Editing in the client tab against the REAL server (its own SQLite file, two clients from
tests/server/test_client_edits.py's seed), clicking and typing like a person; every change is
checked again after the tab is closed and opened anew. Two sessions editing the same client show
the conflict and the agent's choice. No sleeps: every wait is a waitUntil / waitSignal."""

from __future__ import annotations

import asyncio
import os
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from supportdesk_qt.backend.base import ServerEvent
from supportdesk_qt.backend.http import HttpBackend
from supportdesk_qt.qt import QPainter, QPixmap, QPoint, Qt
from supportdesk_qt.ui.client.client_tab import ClientTab
from supportdesk_qt.ui.client.edit_dialog import RecordEditDialog
from supportdesk_qt.ui.tabs import TabContext
from tests.server.conftest import assert_no_server_errors
from tests.server.helpers import PASSWORD, seed_basic
from tests.server.test_client_edits import SALES_CLIENT, seed_clients
from tests.support.server import ServerProcess

WAIT = 20_000
SHOTS = os.environ.get("SUPPORTDESK_SHOTS_DIR")


@pytest.fixture(scope="module")
def edit_srv(tmp_path_factory):
    srv = ServerProcess(tmp_path_factory.mktemp("ui-edits"), demo=False)
    asyncio.run(seed_basic(srv.database_url))
    asyncio.run(seed_clients(srv.database_url))
    srv.start()
    yield srv
    srv.stop()
    assert_no_server_errors(srv)


@pytest.fixture
def signed_in(edit_srv, run):
    made: list[HttpBackend] = []

    def make(login: str) -> HttpBackend:
        b = HttpBackend(edit_srv.url)
        run(b.login(login, PASSWORD))
        made.append(b)
        return b

    yield make
    for b in made:
        run(b.close())


def raw(srv, login: str) -> httpx.Client:
    """Another agent editing through plain HTTP (a colleague's desk)."""
    r = httpx.post(srv.api("/auth/login"), json={"username": login, "password": PASSWORD})
    return httpx.Client(base_url=srv.api(""), timeout=15,
                        headers={"Authorization": f"Bearer {r.json()['token']}"})


def open_tab(qtbot, backend, tasks, client_id: int = SALES_CLIENT) -> ClientTab:
    tab = ClientTab(TabContext.of(backend, tasks), client_id)
    qtbot.addWidget(tab)
    tab.resize(1000, 640)
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.waitUntil(lambda: tab.client is not None and not tab.loading, timeout=WAIT)
    return tab


def reopen(qtbot, tab: ClientTab, backend, tasks) -> ClientTab:
    for m in tab.models.values():
        m.cancel()
    tab.close()
    return open_tab(qtbot, backend, tasks, tab.client_id)


def show_list(qtbot, tab: ClientTab, kind: str) -> None:
    page = tab.views[kind]
    bar = tab.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton,
                     pos=bar.tabRect(tab.tabs.indexOf(page)).center())
    assert tab.tabs.currentWidget() is page
    qtbot.waitUntil(lambda: tab.models[kind].rowCount() > 0, timeout=WAIT)


def row_of(tab: ClientTab, kind: str, match) -> int:
    proxy = tab.proxies[kind]
    for r in range(proxy.rowCount()):
        item = proxy.index(r, 0).data(tab.models[kind].ItemRole)
        if match(item):
            return r
    raise AssertionError(f"no matching {kind} row")


def click_row(qtbot, tab: ClientTab, kind: str, row: int, double: bool = False) -> None:
    view = tab.views[kind]
    idx = view.model().index(row, 1)
    view.scrollTo(idx)
    pos = view.visualRect(idx).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    if double:   # a person's double-click: press, release, then the double-click event
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def click(qtbot, tab: ClientTab, name: str) -> None:
    button = tab.editing.buttons.get(name) or tab.findChild(type(tab.editing.edit_client_button),
                                                            name)
    assert button is not None and button.isVisible() and button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def dialog_of(qtbot, tab: ClientTab) -> RecordEditDialog:
    qtbot.waitUntil(lambda: tab.editing.dialog is not None and tab.editing.dialog.isVisible(),
                    timeout=WAIT)
    return tab.editing.dialog


def retype(qtbot, widget, text: str) -> None:
    target = widget.lineEdit() if hasattr(widget, "lineEdit") and widget.lineEdit() else widget
    target.setFocus()
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)
    qtbot.keyClick(target, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(target, Qt.Key.Key_Delete)
    if text:
        qtbot.keyClicks(target, text)


def save(qtbot, dialog: RecordEditDialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def saved(qtbot, dialog: RecordEditDialog) -> None:
    with qtbot.waitSignal(dialog.saved, timeout=WAIT):
        save(qtbot, dialog)


def pick(qtbot, combo, label: str) -> None:
    combo.setFocus()
    qtbot.keyClicks(combo, label)
    assert combo.currentText() == label


# --- client information ---------------------------------------------------------------------------


def test_edit_name_and_phone_persists(qtbot, signed_in, tasks):
    b = signed_in("bob")
    tab = open_tab(qtbot, b, tasks)
    click(qtbot, tab, "editClient")
    dlg = dialog_of(qtbot, tab)
    retype(qtbot, dlg.widgets["name"], "Acme Holdings")
    retype(qtbot, dlg.widgets["phone"], "+1 (555) 123-4567")
    with qtbot.waitSignal(tab.titleChanged, timeout=WAIT):
        saved(qtbot, dlg)
    assert tab.name_label.text() == "Acme Holdings"
    tab = reopen(qtbot, tab, b, tasks)
    assert tab.name_label.text() == "Acme Holdings"
    assert tab.phone_label.text() == "+1 (555) 123-4567"


def test_errors_are_shown_next_to_the_field_and_the_form_keeps_the_text(qtbot, signed_in, tasks):
    b = signed_in("bob")
    tab = open_tab(qtbot, b, tasks)
    click(qtbot, tab, "editClient")
    dlg = dialog_of(qtbot, tab)
    before = len(b.request_log)
    retype(qtbot, dlg.widgets["name"], "")
    retype(qtbot, dlg.widgets["phone"], "call me maybe")
    save(qtbot, dlg)
    assert dlg.errors["name"].isVisible() and "empty" in dlg.errors["name"].text()
    assert dlg.errors["phone"].isVisible() and "digits" in dlg.errors["phone"].text()
    assert dlg.widgets["phone"].text() == "call me maybe"
    assert len(b.request_log) == before          # nothing sent
    retype(qtbot, dlg.widgets["name"], "Fine Name")
    retype(qtbot, dlg.widgets["phone"], "+1 555")
    saved(qtbot, dlg)

    # a rule only the server can check (a login in use) comes back under its field
    show_list(qtbot, tab, "users")
    click(qtbot, tab, "addUser")
    dlg = dialog_of(qtbot, tab)
    qtbot.keyClicks(dlg.widgets["login"], "c1user0")
    qtbot.keyClicks(dlg.widgets["email"], "dup@c1.example")
    qtbot.keyClicks(dlg.widgets["full_name"], "Dup Licate")
    save(qtbot, dlg)
    qtbot.waitUntil(lambda: dlg.errors["login"].isVisible(), timeout=WAIT)
    assert "already used" in dlg.errors["login"].text()
    assert dlg.isVisible() and dlg.widgets["email"].text() == "dup@c1.example"
    assert dlg.widgets["full_name"].text() == "Dup Licate"
    dlg.close()


# --- users ----------------------------------------------------------------------------------------


def test_add_edit_and_disable_a_user(qtbot, signed_in, tasks):
    b = signed_in("bob")
    tab = open_tab(qtbot, b, tasks)
    show_list(qtbot, tab, "users")
    n = tab.models["users"].rowCount()
    click(qtbot, tab, "addUser")
    dlg = dialog_of(qtbot, tab)
    qtbot.keyClicks(dlg.widgets["login"], "ui.person")
    qtbot.keyClicks(dlg.widgets["email"], "person@c1.example")
    qtbot.keyClicks(dlg.widgets["full_name"], "Ui Person")
    qtbot.keyClicks(dlg.widgets["password"], "secret-enough")
    saved(qtbot, dlg)
    qtbot.waitUntil(lambda: tab.models["users"].rowCount() == n + 1, timeout=WAIT)

    row = row_of(tab, "users", lambda u: u.login == "ui.person")
    click_row(qtbot, tab, "users", row, double=True)        # double-click opens Edit…
    dlg = dialog_of(qtbot, tab)
    assert dlg.widgets["login"].text() == "ui.person"
    assert dlg.widgets["password"].text() == ""              # never shown back
    retype(qtbot, dlg.widgets["full_name"], "Ui Person Renamed")
    saved(qtbot, dlg)

    row = row_of(tab, "users", lambda u: u.login == "ui.person")
    click_row(qtbot, tab, "users", row)
    assert tab.editing.buttons["toggleUser"].text() == "Disable"
    click(qtbot, tab, "toggleUser")
    qtbot.waitUntil(lambda: not tab.editing.selected("users").enabled, timeout=WAIT)
    assert tab.editing.buttons["toggleUser"].text() == "Enable"

    tab = reopen(qtbot, tab, b, tasks)
    show_list(qtbot, tab, "users")
    user = [u for u in tab.models["users"].items() if u.login == "ui.person"][0]
    assert user.full_name == "Ui Person Renamed" and not user.enabled


# --- payments, services, projects -------------------------------------------------------------------


def test_edit_a_payment(qtbot, signed_in, tasks):
    b = signed_in("alice")             # may edit payments
    tab = open_tab(qtbot, b, tasks)
    show_list(qtbot, tab, "payments")
    assert "payments" not in tab.editing.notes
    row = row_of(tab, "payments", lambda p: p.number == "P-1-1")
    click_row(qtbot, tab, "payments", row)
    click(qtbot, tab, "editPayment")
    dlg = dialog_of(qtbot, tab)
    pick(qtbot, dlg.widgets["status"], "Refunded")
    retype(qtbot, dlg.widgets["amount"], "12.75")
    retype(qtbot, dlg.widgets["note"], "refunded after a call")
    saved(qtbot, dlg)
    tab = reopen(qtbot, tab, b, tasks)
    show_list(qtbot, tab, "payments")
    pay = [p for p in tab.models["payments"].items() if p.number == "P-1-1"][0]
    assert (pay.status.value, pay.amount, pay.note) == ("refunded", Decimal("12.75"),
                                                        "refunded after a call")
    shown = tab.proxies["payments"].index(row_of(tab, "payments", lambda p: p.number == "P-1-1"),
                                          2).data()
    assert "12" in shown and "75" in shown


def test_edit_and_delete_a_service(qtbot, signed_in, tasks):
    b = signed_in("alice")
    tab = open_tab(qtbot, b, tasks)
    show_list(qtbot, tab, "services")
    row = row_of(tab, "services", lambda s: s.name == "Hosting 1")
    click_row(qtbot, tab, "services", row)
    click(qtbot, tab, "editService")
    dlg = dialog_of(qtbot, tab)
    retype(qtbot, dlg.widgets["name"], "Hosting Plus")
    retype(qtbot, dlg.widgets["price"], "7.25")
    pick(qtbot, dlg.widgets["status"], "Suspended")
    qtbot.mouseClick(dlg.no_date["expires_at"], Qt.MouseButton.LeftButton)
    saved(qtbot, dlg)

    row = row_of(tab, "services", lambda s: s.name == "Hosting 2")
    click_row(qtbot, tab, "services", row)
    click(qtbot, tab, "deleteService")
    qtbot.waitUntil(lambda: getattr(tab.editing, "confirm_box", None) is not None
                    and tab.editing.confirm_box.isVisible(), timeout=WAIT)
    box = tab.editing.confirm_box
    assert "Hosting 2" in box.text() and "cannot be undone" in box.text()
    total = tab.models["services"].total
    qtbot.mouseClick(box.findChild(type(tab.editing.edit_client_button), "confirmDelete"),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.models["services"].total == total - 1, timeout=WAIT)

    tab = reopen(qtbot, tab, b, tasks)
    show_list(qtbot, tab, "services")
    names = {s.name: s for s in tab.models["services"].items()}
    assert "Hosting 2" not in names
    svc = names["Hosting Plus"]
    assert svc.price == Decimal("7.25") and svc.status.value == "suspended"
    assert svc.expires_at is None


def test_enable_and_disable_a_project(qtbot, signed_in, tasks):
    b = signed_in("bob")
    tab = open_tab(qtbot, b, tasks)
    show_list(qtbot, tab, "projects")
    row = row_of(tab, "projects", lambda p: p.name == "Project 2")
    click_row(qtbot, tab, "projects", row)
    click(qtbot, tab, "toggleProject")
    qtbot.waitUntil(lambda: not tab.editing.selected("projects").enabled, timeout=WAIT)
    tab = reopen(qtbot, tab, b, tasks)
    show_list(qtbot, tab, "projects")
    assert not [p for p in tab.models["projects"].items() if p.name == "Project 2"][0].enabled
    row = row_of(tab, "projects", lambda p: p.name == "Project 2")
    click_row(qtbot, tab, "projects", row)
    assert tab.editing.buttons["toggleProject"].text() == "Enable"
    click(qtbot, tab, "toggleProject")
    qtbot.waitUntil(lambda: tab.editing.selected("projects").enabled, timeout=WAIT)


def test_without_the_rights_payments_and_services_are_read_only(qtbot, signed_in, tasks,
                                                                 tmp_path):
    b = signed_in("bob")
    tab = open_tab(qtbot, b, tasks)
    for kind, word in (("payments", "payments"), ("services", "services")):
        show_list(qtbot, tab, kind)
        note = tab.editing.notes[kind]
        assert note.isVisible() and "read-only" in note.text() and word in note.text()
        assert note.textFormat() == Qt.TextFormat.PlainText
        tab.grab().save(str((Path(SHOTS) if SHOTS else tmp_path) / f"client-tab-{kind}-ro.png"))
        click_row(qtbot, tab, kind, 0, double=True)
        assert tab.editing.dialog is None
    assert "editPayment" not in tab.editing.buttons
    assert "editService" not in tab.editing.buttons and "deleteService" not in tab.editing.buttons
    # expenses: a sortable, paged list
    show_list(qtbot, tab, "expenses")
    assert tab.models["expenses"].total == 3


# --- two sessions -----------------------------------------------------------------------------------


def _grab_with_dialog(tab: ClientTab, dlg, path: Path) -> None:
    """The tab with the (separate, top-level) form drawn over it, as the agent sees them."""
    pm = tab.grab()
    shot = QPixmap(pm.size())
    shot.fill(tab.palette().window().color())
    p = QPainter(shot)
    p.drawPixmap(0, 0, pm)
    d = dlg.grab()
    at = QPoint(max(0, pm.width() - d.width() - 24), 150)
    p.drawPixmap(at, d)
    p.setPen(tab.palette().mid().color())
    p.drawRect(at.x() - 1, at.y() - 1, d.width() + 1, d.height() + 1)
    p.end()
    path.parent.mkdir(parents=True, exist_ok=True)
    shot.save(str(path))


def test_conflict_overwrite_with_mine(qtbot, signed_in, tasks, edit_srv, tmp_path):
    b = signed_in("alice")
    tab = open_tab(qtbot, b, tasks)
    show_list(qtbot, tab, "payments")
    row = row_of(tab, "payments", lambda p: p.number == "P-1-0")
    click_row(qtbot, tab, "payments", row)
    click(qtbot, tab, "editPayment")
    dlg = dialog_of(qtbot, tab)
    seen = tab.editing.selected("payments")
    # meanwhile the admin changes the same payment on another desk
    with raw(edit_srv, "admin") as admin:
        r = admin.patch(f"/clients/{SALES_CLIENT}/payments/{seen.id}", json=
                        {"version": seen.version, "amount": "99.00", "note": "admin was here"})
        assert r.status_code == 200, r.text
    retype(qtbot, dlg.widgets["amount"], "42.00")
    retype(qtbot, dlg.widgets["note"], "alice's note")
    with qtbot.waitSignal(dlg.conflictShown, timeout=WAIT):
        save(qtbot, dlg)
    assert dlg.conflict.isVisible() and "colleague" in dlg.conflict_label.text()
    rows = dlg.conflict_model.rows()
    fields = {r[0]: r for r in rows}
    assert set(fields) >= {"Amount", "Note"}
    assert "99" in fields["Amount"][1] and "42" in fields["Amount"][2]
    assert fields["Note"][1:] == ("admin was here", "alice's note")
    assert dlg.widgets["note"].text() == "alice's note"           # what I typed stays
    assert not dlg.save_button.isEnabled()
    shots = Path(SHOTS) if SHOTS else tmp_path
    _grab_with_dialog(tab, dlg, shots / "client-tab-conflict.png")

    with qtbot.waitSignal(dlg.saved, timeout=WAIT):
        qtbot.mouseClick(dlg.mine_button, Qt.MouseButton.LeftButton)
    tab = reopen(qtbot, tab, b, tasks)
    show_list(qtbot, tab, "payments")
    pay = [p for p in tab.models["payments"].items() if p.id == seen.id][0]
    assert pay.amount == Decimal("42.00") and pay.note == "alice's note"
    assert pay.version == seen.version + 2


def test_conflict_take_theirs_then_edit_again(qtbot, signed_in, tasks, edit_srv):
    alice, bob = signed_in("alice"), signed_in("bob")
    tab_a = open_tab(qtbot, alice, tasks)
    tab_b = open_tab(qtbot, bob, tasks)              # a second desk on the same client
    click(qtbot, tab_a, "editClient")
    dlg_a = dialog_of(qtbot, tab_a)
    click(qtbot, tab_b, "editClient")
    dlg_b = dialog_of(qtbot, tab_b)
    retype(qtbot, dlg_b.widgets["phone"], "+49 30 1234")
    saved(qtbot, dlg_b)
    retype(qtbot, dlg_a.widgets["name"], "Alice Named It")
    retype(qtbot, dlg_a.widgets["phone"], "+33 1 5555")
    with qtbot.waitSignal(dlg_a.conflictShown, timeout=WAIT):
        save(qtbot, dlg_a)
    phone_row = [r for r in dlg_a.conflict_model.rows() if r[0] == "Phone"][0]
    assert phone_row[1:] == ("+49 30 1234", "+33 1 5555")
    qtbot.mouseClick(dlg_a.theirs_button, Qt.MouseButton.LeftButton)
    assert not dlg_a.conflict.isVisible()
    assert dlg_a.widgets["phone"].text() == "+49 30 1234"      # theirs
    assert dlg_a.widgets["name"].text() == "Alice Named It"    # my edit nobody else touched
    saved(qtbot, dlg_a)
    tab_a = reopen(qtbot, tab_a, alice, tasks)
    assert tab_a.name_label.text() == "Alice Named It"
    assert tab_a.phone_label.text() == "+49 30 1234"


def test_toggle_on_a_stale_row_says_so_and_shows_theirs(qtbot, signed_in, tasks, edit_srv):
    b = signed_in("bob")
    tab = open_tab(qtbot, b, tasks)
    show_list(qtbot, tab, "projects")
    row = row_of(tab, "projects", lambda p: p.name == "Project 0")
    click_row(qtbot, tab, "projects", row)
    proj = tab.editing.selected("projects")
    with raw(edit_srv, "alice") as alice:
        r = alice.patch(f"/clients/{SALES_CLIENT}/projects/{proj.id}", json=
                        {"version": proj.version, "enabled": not proj.enabled})
        assert r.status_code == 200
    click(qtbot, tab, "toggleProject")
    err = tab.status_line
    qtbot.waitUntil(lambda: "colleague" in err.text(), timeout=WAIT)
    assert err.kind == "projects"
    now = [p for p in tab.models["projects"].items() if p.id == proj.id][0]
    assert now.enabled != proj.enabled and now.version == proj.version + 1


def test_a_colleagues_change_arrives_live(qtbot, signed_in, tasks, edit_srv, aloop, run):
    b = signed_in("bob")
    tab = open_tab(qtbot, b, tasks)
    show_list(qtbot, tab, "users")
    run(b.start_events())

    async def pump():
        async for item in b.items():
            if isinstance(item, ServerEvent):
                tab.apply_event(item)

    task = aloop.create_task(pump())
    try:
        run(b.wait_connected())
        user = [u for u in tab.models["users"].items() if u.login == "c1user1"][0]
        click_row(qtbot, tab, "users", row_of(tab, "users", lambda u: u.id == user.id))
        click(qtbot, tab, "editUser")
        dlg = dialog_of(qtbot, tab)
        qtbot.keyClicks(dlg.widgets["full_name"], " (typing)")
        with raw(edit_srv, "alice") as alice:
            r = alice.patch(f"/clients/{SALES_CLIENT}/users/{user.id}", json=
                            {"version": user.version, "full_name": "Changed Elsewhere"})
            assert r.status_code == 200
            version = alice.get(f"/clients/{SALES_CLIENT}").json()["version"]
            r = alice.patch(f"/clients/{SALES_CLIENT}", json={"version": version,
                                                         "name": "Renamed Live"})
            assert r.status_code == 200
        qtbot.waitUntil(lambda: [u for u in tab.models["users"].items()
                                 if u.id == user.id][0].full_name == "Changed Elsewhere",
                        timeout=WAIT)
        qtbot.waitUntil(lambda: tab.name_label.text() == "Renamed Live", timeout=WAIT)
        # the open form says a colleague changed its record, and keeps what is being typed
        assert dlg.error_label.isVisible() and "colleague" in dlg.error_label.text()
        assert dlg.widgets["full_name"].text() == "User 1 (typing)"
        dlg.close()
    finally:
        task.cancel()
        run(b.stop_events())


def test_models_pass_the_model_tester(qtmodeltester, qtbot, signed_in, tasks):
    from supportdesk_qt.ui.client.edit_dialog import ConflictModel

    model = ConflictModel()
    model.set_rows([("Amount", "99.00$", "42.00$"), ("Note", "theirs", "mine")])
    qtmodeltester.check(model)
    assert model.index(1, 2).data() == "mine"
    # the paged model after a row was replaced in place and another removed
    tab = open_tab(qtbot, signed_in("bob"), tasks)
    show_list(qtbot, tab, "expenses")
    users = tab.models["users"]
    qtbot.waitUntil(lambda: users.rowCount() > 1, timeout=WAIT)
    first = users.item(0)
    users.replace_item(0, first.model_copy(update={"full_name": "Replaced"}))
    assert users.index(0, 2).data() == "Replaced"
    total = users.total
    users.remove_item(users.rowCount() - 1)
    assert users.total == total - 1
    assert users.find_row(lambda u: u.id == first.id) == 0
    qtmodeltester.check(users)

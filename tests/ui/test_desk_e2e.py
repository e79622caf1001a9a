"""The desk against the real server (tests/support/server.py): login dialog, workplace, live queue,
taking a chat. Widgets are driven with real clicks and keys; the asyncio side runs on the qasync
loop of the ``aloop`` fixture (see conftest.py). No sleeps: every wait is ``qtbot.waitUntil``.
"""

from __future__ import annotations

import httpx
import pytest

from supportdesk_protocol.schemas import ChatState
from supportdesk_qt.app import Desk, demo_credentials, parse_args
from supportdesk_qt.backend.base import AuthError, ConnectionState
from supportdesk_qt.backend.http import HttpBackend
from supportdesk_qt.core.secrets import SecretStore
from supportdesk_qt.core.session import Session
from supportdesk_qt.core.settings import Preferences
from supportdesk_qt.qt import QDialog, Qt
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.login_dialog import LoginDialog
from tests.ui.visitor import Visitor

WAIT = 20_000


@pytest.fixture
def desk(qapp, aloop, qtbot, server):
    """A Desk started with ``--server`` (nothing remembered: it shows the login dialog)."""
    d = Desk(qapp, parse_args(["--server", server.url]))
    d.runner = aloop.create_task(d.run())
    yield d
    d.request_quit()
    qtbot.waitUntil(d.runner.done, timeout=WAIT)
    d.runner.result()


def sign_in(qtbot, desk, username="demo", password="demo"):
    qtbot.waitUntil(lambda: desk.login_dialog is not None and desk.login_dialog.isVisible(),
                    timeout=WAIT)
    dlg = desk.login_dialog
    qtbot.keyClicks(dlg.username_edit, username)
    qtbot.keyClicks(dlg.password_edit, password)
    qtbot.mouseClick(dlg.sign_in_button, Qt.MouseButton.LeftButton)
    return dlg


def wait_connected(qtbot, window_of):
    """``window_of``: the window, or the Desk (its window exists once ``run`` started)."""
    if isinstance(window_of, Desk):
        desk = window_of
        qtbot.waitUntil(lambda: desk.window is not None, timeout=WAIT)
        window = desk.window
    else:
        window = window_of
    qtbot.waitUntil(lambda: window.isVisible()
                    and window.status_button.property("connectionState") == "connected",
                    timeout=WAIT)
    qtbot.waitUntil(lambda: not window.queue_model.loading and window.workspace.directory_loaded,
                    timeout=WAIT)


def test_wrong_password_shows_the_sentence_and_keeps_what_was_typed(qtbot, aloop, run, server):
    expected = run(_wrong_login_message(server.url))
    session = Session(Preferences.load(), SecretStore(), HttpBackend)
    dlg = LoginDialog(session.login, server_url="")
    qtbot.addWidget(dlg)
    result = aloop.create_task(dlg.run())
    qtbot.waitExposed(dlg)
    assert dlg.sign_in_button.text() == "Start the demo"     # empty server = built-in demo
    qtbot.keyClicks(dlg.server_edit, server.url)
    qtbot.keyClicks(dlg.username_edit, "demo")
    qtbot.keyClicks(dlg.password_edit, "not-the-password")
    qtbot.mouseClick(dlg.remember_check, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dlg.sign_in_button, Qt.MouseButton.LeftButton)
    assert dlg.busy and not dlg.sign_in_button.isEnabled()   # busy while the request runs

    qtbot.waitUntil(lambda: dlg.error_label.isVisible(), timeout=WAIT)
    assert dlg.error_label.text() == expected
    assert dlg.error_label.textFormat() == Qt.TextFormat.PlainText
    assert "Traceback" not in expected and expected.endswith(".")
    assert dlg.isVisible() and not result.done()
    assert dlg.server_edit.text() == server.url
    assert dlg.username_edit.text() == "demo"
    assert dlg.password_edit.text() == "not-the-password"
    assert dlg.remember_check.isChecked() is not Preferences.load().remember_me or True
    assert dlg.sign_in_button.isEnabled() and not dlg.busy

    # retype the password (it is selected, so typing replaces it) and get in
    assert dlg.password_edit.hasSelectedText()
    qtbot.keyClicks(dlg.password_edit, "demo")
    qtbot.keyClick(dlg.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(result.done, timeout=WAIT)
    agent = result.result()
    assert agent is not None and agent.login == "demo"
    assert dlg.result() == QDialog.DialogCode.Accepted
    run(session.close())


def test_a_typed_bare_address_signs_in_and_no_address_is_refused(qtbot, aloop, run, server):
    """The login dialog and the backend share one normaliser (backend/server_url.py): a loopback
    host typed without a scheme is http://, what is no server address is refused in the dialog
    with a sentence and nothing is sent."""
    logins: list[str] = []
    session = Session(Preferences.load(), SecretStore(), HttpBackend)

    async def login(server_url, username, password, remember):
        logins.append(server_url)
        return await session.login(server_url, username, password, remember)

    dlg = LoginDialog(login, server_url="")
    qtbot.addWidget(dlg)
    result = aloop.create_task(dlg.run())
    qtbot.waitUntil(dlg.isVisible, timeout=WAIT)
    qtbot.keyClicks(dlg.server_edit, "ftp://desk.example.com")
    qtbot.keyClicks(dlg.username_edit, "demo")
    qtbot.keyClicks(dlg.password_edit, "demo")
    qtbot.mouseClick(dlg.sign_in_button, Qt.MouseButton.LeftButton)
    assert dlg.error_label.isVisible() and not dlg.busy and logins == []
    assert "https://support.example.com" in dlg.error_label.text()

    dlg.server_edit.selectAll()
    bare = server.url.removeprefix("http://") + "/"
    qtbot.keyClicks(dlg.server_edit, bare)
    qtbot.mouseClick(dlg.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(result.done, timeout=WAIT)
    assert logins == [server.url.rstrip("/")]
    assert result.result() is not None and result.result().login == "demo"
    run(session.close())


async def _wrong_login_message(url: str) -> str:
    backend = HttpBackend(url)
    try:
        await backend.login("demo", "not-the-password")
    except AuthError as exc:
        return exc.message
    finally:
        await backend.close()
    raise AssertionError("a wrong password was accepted")


def test_login_shows_the_agent_and_a_green_light(qtbot, desk):
    sign_in(qtbot, desk)
    w = desk.window
    wait_connected(qtbot, w)
    assert desk.login_dialog is None
    assert "Dana Demo" in w.agent_label.text()
    assert "Dana Demo" in w.avatar_button.toolTip()
    assert w.status_button.text() == "Connected"
    green = theme.status_color(ConnectionState.CONNECTED, w.palette())
    image = w.status_button.icon().pixmap(16, 16).toImage()
    assert image.pixelColor(8, 8).name() == green.name()
    # the desk puts the agent online at start (the seed: "Online by default")
    qtbot.waitUntil(lambda: w.online_action.isChecked(), timeout=WAIT)


def test_a_visitor_chat_appears_live_and_taking_it_removes_it(qtbot, aloop, run, desk, server):
    sign_in(qtbot, desk)
    w = desk.window
    wait_connected(qtbot, w)
    model = w.queue_model
    before = model.rowCount()
    assert w.counter_button.count() == before

    visitor = Visitor(server.url)
    run(visitor.connect())
    run(visitor.start_chat("Billing", "Test Visitor", "My invoice shows the wrong amount"))
    chat_id = visitor.chat["id"]
    qtbot.waitUntil(lambda: model.chat(chat_id) is not None, timeout=WAIT)
    assert model.rowCount() == before + 1
    assert w.counter_button.count() == before + 1
    assert w.tabs.tabText(0) == f"Waiting chats ({before + 1})"
    row = model.row_of(chat_id)
    assert model.index(row).data(model.VisitorNameRole) == "Test Visitor"
    assert model.index(row).data(model.DepartmentRole) == "Billing"
    assert "wrong amount" in model.index(row).data(model.PreviewRole)

    # Enter on the row takes it
    w.show_queue()
    w.queue_view.setCurrentIndex(model.index(row))
    qtbot.keyClick(w.queue_view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.chat(chat_id) is None and w.tab_manager.find_tab(f"chat:{chat_id}") >= 0,
                    timeout=WAIT)
    assert w.counter_button.count() == before
    chat = httpx.get(server.api(f"/chats/{chat_id}"),
                     headers={"Authorization": f"Bearer {server.login('demo')}"}).json()
    assert chat["state"] == ChatState.ACTIVE and chat["assignee_id"] == w.agent.id
    run(visitor.close())


def test_losing_the_race_says_so_and_drops_the_row(qtbot, run, desk, server):
    sign_in(qtbot, desk)
    w = desk.window
    wait_connected(qtbot, w)
    model = w.queue_model
    visitor = Visitor(server.url)
    run(visitor.connect())
    run(visitor.start_chat("Technical support", "Raced Visitor", "My site is down"))
    chat_id = visitor.chat["id"]
    qtbot.waitUntil(lambda: model.chat(chat_id) is not None, timeout=WAIT)

    # a colleague takes it first; we click before our desk heard about it
    r = httpx.post(server.api(f"/chats/{chat_id}/take"),
                   headers={"Authorization": f"Bearer {server.login('tom')}"})
    assert r.status_code == 200
    w.take_chat(chat_id)
    qtbot.waitUntil(lambda: w.statusBar().currentMessage() == "A colleague took this chat first",
                    timeout=WAIT)
    assert model.chat(chat_id) is None
    assert w.tab_manager.find_tab(f"chat:{chat_id}") < 0
    run(visitor.close())


def test_remembered_session_signs_in_without_asking(qapp, qtbot, aloop, server):
    first = Desk(qapp, parse_args(["--server", server.url]))
    first.runner = aloop.create_task(first.run())
    dlg = sign_in(qtbot, first)            # "Keep me signed in" is on by default
    assert dlg.remember_check.isChecked()
    wait_connected(qtbot, first.window)
    first.request_quit()
    qtbot.waitUntil(first.runner.done, timeout=WAIT)

    second = Desk(qapp, parse_args([]))    # the configured server, the keyring token
    second.runner = aloop.create_task(second.run())
    try:
        wait_connected(qtbot, second)
        assert second.login_dialog is None
        assert "Dana Demo" in second.window.agent_label.text()
    finally:
        second.request_quit()
        qtbot.waitUntil(second.runner.done, timeout=WAIT)


def test_log_out_revokes_the_token_and_asks_again(qtbot, desk, server):
    sign_in(qtbot, desk)
    w = desk.window
    wait_connected(qtbot, w)
    token = desk.session.backend.token
    w.logout_action.trigger()
    qtbot.waitUntil(lambda: desk.login_dialog is not None and desk.login_dialog.isVisible(),
                    timeout=WAIT)
    assert not w.isVisible()
    assert w.queue_model.rowCount() == 0 and w.agent is None
    r = httpx.get(server.api("/me"), headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    assert desk.login_dialog.server_edit.text() == server.url


def start_demo_desk(qapp, aloop, tmp_path):
    """A Desk started with ``--demo`` over a small embedded server in ``tmp_path/embedded``."""
    from supportdesk_qt.core.embedded import EmbeddedServer

    embedded = EmbeddedServer(tmp_path / "embedded", credentials=demo_credentials(),
                              demo_clients=30, simulate_visitors=0, log_dir=tmp_path)
    d = Desk(qapp, parse_args(["--demo"]), embedded=embedded)
    d.runner = aloop.create_task(d.run())
    return d, embedded


def test_demo_mode_starts_the_embedded_server_without_a_dialog(qapp, qtbot, aloop, tmp_path):
    d, embedded = start_demo_desk(qapp, aloop, tmp_path)
    try:
        wait_connected(qtbot, d)
        assert d.login_dialog is None
        assert d.session.is_embedded and embedded.running
        assert "built-in demo" in d.window.agent_label.text()
    finally:
        d.request_quit()
        qtbot.waitUntil(d.runner.done, timeout=WAIT)
    assert not embedded.running            # shutdown stopped the child process


def test_a_session_ended_by_the_server_asks_to_sign_in_again(qtbot, desk, server):
    sign_in(qtbot, desk)
    w = desk.window
    wait_connected(qtbot, w)
    token = desk.session.backend.token
    # the token is revoked elsewhere (an admin, the same agent logging out on another machine)
    r = httpx.post(server.api("/auth/logout"), headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 204
    qtbot.waitUntil(lambda: desk.login_dialog is not None and desk.login_dialog.isVisible(),
                    timeout=WAIT)
    dlg = desk.login_dialog
    assert dlg.error_label.isVisible() and "sign in again" in dlg.error_label.text()
    assert dlg.server_edit.text() == server.url
    qtbot.keyClicks(dlg.password_edit, "demo")
    qtbot.mouseClick(dlg.sign_in_button, Qt.MouseButton.LeftButton)
    wait_connected(qtbot, w)


def test_an_open_client_tab_follows_a_colleagues_edit(qtbot, desk, server):
    """The main window routes client.updated events to the open client tab."""
    sign_in(qtbot, desk)
    w = desk.window
    wait_connected(qtbot, w)
    headers = {"Authorization": f"Bearer {desk.session.backend.token}"}
    hits = httpx.get(server.api("/clients/search"), params={"q": "a"}, headers=headers).json()
    client_id = hits["items"][0]["client"]["id"]
    w.tab_manager.open_client(client_id)
    tab = w.tabs.currentWidget()
    qtbot.waitUntil(lambda: tab.client is not None and not tab.loading, timeout=WAIT)
    # a colleague (here: an admin over plain HTTP) renames the client
    r = httpx.post(server.api("/auth/login"), json={"username": "admin", "password": "demo"})
    admin = {"Authorization": f"Bearer {r.json()['token']}"}
    version = httpx.get(server.api(f"/clients/{client_id}"), headers=admin).json()["version"]
    r = httpx.patch(server.api(f"/clients/{client_id}"), headers=admin,
                    json={"version": version, "name": "Renamed By A Colleague"})
    assert r.status_code == 200, r.text
    qtbot.waitUntil(lambda: tab.name_label.text() == "Renamed By A Colleague", timeout=WAIT)

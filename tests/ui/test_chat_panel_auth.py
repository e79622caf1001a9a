"""The chat panel's client section against the real server (issue 4, seed items 1, 2, 7, 8 and the
"not authorized" icons): Login / Register / Ask to authorize reach the visitor (tests/ui/visitor.py
plays the widget over the real socket), the panel shows the client and project live, "Open client
area" yields a one-time link, and the history lists the visitor's earlier chat and opens it
read-only. Real clicks; every wait is ``qtbot.waitUntil`` / ``waitSignal``."""

from __future__ import annotations

import html
import os
from pathlib import Path

import httpx
import pytest

from supportdesk_qt.qt import QAbstractItemView, Qt
from supportdesk_qt.ui.chat.chat_details import ChatClientSection
from supportdesk_qt.ui.chat.history_view import ChatHistoryTab
from supportdesk_qt.ui.chat.chat_tab import ChatTab
from supportdesk_qt.ui.tabs import TabContext
from tests.support.server import ServerProcess
from tests.ui.test_chat_tab import WAIT, Desk
from tests.ui.visitor import Visitor

SHOTS = Path(os.environ.get("SUPPORTDESK_SHOTS", "")) if os.environ.get("SUPPORTDESK_SHOTS") \
    else None


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    srv = ServerProcess(tmp_path_factory.mktemp("panel-auth-server"), demo=True, demo_clients=20)
    srv.start()
    yield srv
    srv.stop()
    text = srv.log_path.read_text(errors="replace")
    assert "Traceback" not in text, text[-6000:]


@pytest.fixture
def desk(qtbot, run, tasks, site, tmp_path):
    d = Desk(qtbot, run, tasks, site)
    yield d
    d.close()


def demo_login(site) -> tuple[str, str, str]:
    """(login, client name, project) of an enabled demo client user (password "demo")."""
    headers = {"Authorization": f"Bearer {site.login('demo')}"}
    hits = httpx.get(site.api("/clients/search"), params={"q": "a"}, headers=headers).json()
    for hit in hits["items"]:
        client = httpx.get(site.api(f"/clients/{hit['client']['id']}"), headers=headers).json()
        users = httpx.get(site.api(f"/clients/{client['id']}/users"), headers=headers).json()
        for user in users["items"]:
            if user["enabled"] and client["project_name"]:
                return user["login"], client["name"], client["project_name"]
    raise AssertionError("no enabled demo client user with a project")


def shot(widget, name: str, tmp_path: Path) -> Path:
    widget.resize(1000, 780)          # a desk window's height, so the panel is not squeezed
    path = (SHOTS or tmp_path) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(path))
    return path


def test_login_button_authorizes_live_and_drill_down(qtbot, desk, run, site, tmp_path,
                                                    monkeypatch):
    tab: ChatTab = desk.open_tab()
    section: ChatClientSection = tab.details.client_section
    assert section.client_label.text() == "Not logged in"
    assert section.login_button.isVisible() and section.register_button.isVisible()
    assert section.authorize_button.isVisible() and not section.drill_button.isVisible()
    assert section.client_label.textFormat() == Qt.TextFormat.PlainText
    shot(tab, "chat-panel-not-authorized.png", tmp_path)

    qtbot.mouseClick(section.login_button, Qt.MouseButton.LeftButton)
    prompt = desk.visitor_frame(lambda f: f.get("op") == "auth_prompt")
    assert prompt["kind"] == "login" and prompt["agent_name"] == "Dana Demo"
    qtbot.waitUntil(lambda: "login form" in section.status_label.text(), timeout=WAIT)

    login, client_name, project = demo_login(site)
    bad = run(desk.visitor.login(login, "wrong"))
    assert bad["ok"] is False and bad["code"] == "unauthorized"
    ok = run(desk.visitor.login(login, "demo"))
    assert ok["ok"] is True and ok["client_name"] == client_name

    # the panel follows live: client, project; the login buttons go, "Open client area" comes
    qtbot.waitUntil(lambda: section.client_label.text() == client_name, timeout=WAIT)
    assert section.project_label.text() == f"Project: {project}"
    assert not section.login_button.isVisible() and not section.register_button.isVisible()
    assert not section.authorize_button.isVisible() and section.drill_button.isVisible()
    assert project in tab.sub_label.text()
    qtbot.waitUntil(lambda: any("Logged in to the client area as" in (tab.model.row(i).text or "")
                                for i in range(tab.model.rowCount())), timeout=WAIT)
    qtbot.waitUntil(lambda: tab.details.create_ticket_button.isVisible()
                    if hasattr(tab.details, "create_ticket_button") else True, timeout=WAIT)
    shot(tab, "chat-panel-authorized.png", tmp_path)

    opened: list[str] = []
    monkeypatch.setattr(ChatClientSection, "url_opener",
                        staticmethod(lambda url: opened.append(url.toString()) or True))
    with qtbot.waitSignal(section.linkOpened, timeout=WAIT) as sig:
        qtbot.mouseClick(section.drill_button, Qt.MouseButton.LeftButton)
    assert opened == [sig.args[0]]
    url = opened[0]
    assert url.startswith(site.url + "/client-area/open/")
    page = httpx.get(url, follow_redirects=True)
    assert page.status_code == 200 and html.escape(client_name) in page.text
    again = httpx.get(url, follow_redirects=True)
    assert again.status_code == 410 and "already used" in again.text


def test_register_icon_creates_a_client(qtbot, desk, run):
    tab = desk.open_tab()
    section = tab.details.client_section
    qtbot.mouseClick(section.register_button, Qt.MouseButton.LeftButton)
    prompt = desk.visitor_frame(lambda f: f.get("op") == "auth_prompt")
    assert prompt["kind"] == "register"
    bad = run(desk.visitor.register(name="Ann's <Shop>", email="nope", login="ann.shop",
                                    password="long-enough-pw"))
    assert [e["field"] for e in bad["errors"]] == ["email"]
    ok = run(desk.visitor.register(name="Ann's <Shop>", email="ann@shop.example",
                                   login="ann.shop", password="long-enough-pw"))
    assert ok["ok"] is True
    qtbot.waitUntil(lambda: section.client_label.text() == "Ann's <Shop>", timeout=WAIT)
    assert section.project_label.text() == "No project name"
    chat = run(desk.backend.get_chat(desk.chat_id))
    client = run(desk.backend.get_client(chat.client_id))
    assert client.email == "ann@shop.example"


def test_ask_to_authorize_and_refusal_is_shown(qtbot, desk, run):
    tab = desk.open_tab()
    section = tab.details.client_section
    qtbot.mouseClick(section.authorize_button, Qt.MouseButton.LeftButton)
    prompt = desk.visitor_frame(lambda f: f.get("op") == "auth_prompt")
    assert prompt["kind"] == "authorize"
    qtbot.waitUntil(lambda: section.status_label.text().startswith(
        "The visitor was asked to confirm who they are"), timeout=WAIT)
    # the system line is in the conversation too
    qtbot.waitUntil(lambda: any("confirm who you are" in (tab.model.row(i).text or "")
                                for i in range(tab.model.rowCount())), timeout=WAIT)
    # the chat ends: the buttons go, and a late click explains nothing is sent
    run(desk.backend.close_chat(desk.chat_id))
    qtbot.waitUntil(lambda: not section.login_button.isVisible(), timeout=WAIT)


def test_history_lists_the_earlier_chat_and_opens_it_read_only(qtbot, run, tasks, site,
                                                               tmp_path):
    desk = Desk(qtbot, run, tasks, site, first="My first question, last week")
    try:
        first_id = desk.chat_id
        run(desk.backend.close_chat(first_id))
        # the same browser (widget cookie) comes back with a new question
        again = Visitor(site.url)
        run(again.connect(token=desk.visitor.token))
        run(again.start_chat("Billing", "Ann Example", "Me again"))
        chat = run(desk.backend.take_chat(again.chat["id"]))
        tab = ChatTab(TabContext.of(desk.backend, tasks, bridge=desk.bridge, drafts=desk.drafts,
                                     agent=desk.agent), chat)
        qtbot.addWidget(tab)
        desk.tabs.append(tab)
        tab.resize(900, 700)
        tab.show()
        history = tab.details.history
        qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=WAIT)
        assert history.view.isVisible()
        row = history.model.chat_at(0)
        assert row.id == first_id
        index = history.model.index(0)
        assert "My first question" in index.data(Qt.ItemDataRole.DisplayRole)
        assert "From the same browser" in index.data(Qt.ItemDataRole.ToolTipRole)   # escaped HTML
        assert history.view.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
        shot(tab, "chat-panel-history.png", tmp_path)

        rect = history.view.visualRect(index)
        with qtbot.waitSignal(history.openChat, timeout=WAIT) as sig:
            qtbot.mouseClick(history.view.viewport(), Qt.MouseButton.LeftButton,
                             pos=rect.center())
            qtbot.mouseDClick(history.view.viewport(), Qt.MouseButton.LeftButton,
                              pos=rect.center())
        assert sig.args[0].id == first_id
        ro = ChatHistoryTab(TabContext.of(desk.backend, tasks), sig.args[0])
        qtbot.addWidget(ro)
        ro.show()
        qtbot.waitUntil(lambda: ro.model.is_loaded and ro.model.rowCount() > 0, timeout=WAIT)
        texts = [ro.model.row(i).text for i in range(ro.model.rowCount())]
        assert "My first question, last week" in texts
        assert "read-only" in ro.sub_label.text()
        assert not hasattr(ro, "composer")
        run(again.close())
    finally:
        desk.close()


def test_main_window_opens_an_earlier_chat_in_a_read_only_tab(qtbot, tasks, tmp_path):
    from supportdesk_protocol.schemas import ChatState, Page
    from supportdesk_qt.backend.base import Capability, ConnectionChanged, ConnectionState, Resynced
    from supportdesk_qt.core.settings import WindowState
    from supportdesk_qt.ui.bridge import Bridge
    from supportdesk_qt.ui.main_window import MainWindow
    from tests.ui.fakes import FakeBackend, make_agent, make_chat, open_workspace

    earlier = make_chat(7, state=ChatState.CLOSED, visitor_id="v-1", name="Old question")

    class HistoryBackend(FakeBackend):
        capabilities = frozenset({Capability.CHAT_HISTORY})     # declared, not probed

        async def chat_history(self, chat_id, *, offset=0, limit=50):
            return Page[type(earlier)](items=[earlier], total=1, offset=offset, limit=limit)

    backend = HistoryBackend(make_agent(), [make_chat(1, visitor_name="Ann")])
    bridge = Bridge(tasks)
    window = MainWindow(bridge, tasks, WindowState.load(tmp_path / "state.json"))
    qtbot.addWidget(window)
    window.set_workspace(open_workspace(backend, tasks, tmp_path))
    bridge.attach(backend)
    window.show()
    qtbot.waitExposed(window)
    try:
        backend.push(ConnectionChanged(ConnectionState.CONNECTED))
        backend.push(Resynced(0, True))
        qtbot.waitUntil(lambda: window.queue_model.rowCount() == 1, timeout=5000)
        window.take_chat(1)
        qtbot.waitUntil(lambda: window.tab_manager.chat_tab(1) is not None, timeout=5000)
        history = window.tab_manager.chat_tab(1).details.history
        qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=5000)
        history.view.setCurrentIndex(history.model.index(0))
        history.view.setFocus()
        qtbot.keyClick(history.view, Qt.Key.Key_Return)       # Enter opens it, like double-click
        qtbot.waitUntil(lambda: window.tab_manager.find_tab("history:7") >= 0, timeout=5000)
        tab = window.tabs.currentWidget()
        assert isinstance(tab, ChatHistoryTab) and tab.chat_id == 7
        assert window.tabs.tabText(window.tabs.currentIndex()) == "Visitor 7 (earlier chat)"
        assert "Old question" in tab.sub_label.text() and "read-only" in tab.sub_label.text()
        # a second request focuses the same tab
        count = window.tabs.count()
        window.tab_manager.open_chat_history(earlier)
        assert window.tabs.count() == count
        window.tab_manager.close_tab(window.tabs.currentIndex())
        assert window.tab_manager.find_tab("history:7") < 0
    finally:
        backend.push(None)
        qtbot.waitUntil(lambda: bridge._task is None or bridge._task.done(), timeout=5000)


def test_a_backend_without_these_features_offers_none_of_them(qtbot, tasks):
    from supportdesk_protocol.schemas import ChatState
    from supportdesk_qt.core.directory import Directory
    from supportdesk_qt.ui.chat.chat_details import ChatDetailsEditor
    from tests.ui.fakes import FakeBackend, make_agent, make_chat

    backend = FakeBackend(make_agent(), [])        # no request_visitor_auth, chat_history, ...
    for chat in (make_chat(1, state=ChatState.ACTIVE),
                 make_chat(2, state=ChatState.ACTIVE, client_id=5, client_name="Acme")):
        editor = ChatDetailsEditor(backend, tasks, chat, directory=Directory(backend))
        qtbot.addWidget(editor)
        editor.show()
        section = editor.client_section
        assert not editor.history.isVisible()
        assert not section.login_button.isVisible() and not section.register_button.isVisible()
        assert not section.authorize_button.isVisible() and not section.drill_button.isVisible()
        assert section.client_label.text() == ("Acme" if chat.client_id else "Not logged in")

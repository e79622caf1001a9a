"""The chat workspace against the real server: forwarding to a department, chat name and summary,
pre-defined replies, saving a message as a reply.

Colleagues are other demo agents speaking plain HTTP (httpx) to the same server. Widgets are
driven with real clicks and keys; every wait is ``qtbot.waitUntil`` / ``waitSignal``, no sleeps.
"""

from __future__ import annotations

import httpx
import pytest

from supportdesk_qt.qt import QApplication, Qt
from supportdesk_qt.ui.chat.forward_dialog import DepartmentModel, ForwardDialog
from tests.ui.test_chat_tab import WAIT, Desk


class Colleague:
    """Another agent, over plain HTTP."""

    def __init__(self, server, login: str) -> None:
        self.server = server
        self.headers = {"Authorization": f"Bearer {server.login(login)}"}

    def status(self, status: str) -> dict:
        r = httpx.put(self.server.api("/me/status"), json={"status": status}, headers=self.headers)
        r.raise_for_status()
        return r.json()

    def get(self, path: str, **params) -> httpx.Response:
        return httpx.get(self.server.api(path), params=params, headers=self.headers)

    def patch(self, path: str, body: dict) -> httpx.Response:
        return httpx.patch(self.server.api(path), json=body, headers=self.headers)


@pytest.fixture
def desk(qtbot, run, tasks, server):
    d = Desk(qtbot, run, tasks, server)
    yield d
    d.close()


def rows(model: DepartmentModel) -> dict[str, tuple[str, bool]]:
    """Department label → (shown text, enabled)."""
    out = {}
    for i in range(model.rowCount()):
        ix = model.index(i)
        text = ix.data(Qt.ItemDataRole.DisplayRole)
        out[text.split(" — ")[0]] = (text, bool(model.flags(ix) & Qt.ItemFlag.ItemIsEnabled))
    return out


def open_forward(qtbot, tab) -> ForwardDialog:
    qtbot.mouseClick(tab.forward_button, Qt.MouseButton.LeftButton)
    dlg = tab.forward_dialog
    assert dlg is not None and dlg.isVisible() and not dlg.isModal()
    qtbot.waitUntil(lambda: dlg.is_loaded and dlg.model.rowCount() > 0, timeout=WAIT)
    return dlg


def click_department(qtbot, dlg: ForwardDialog, name: str) -> None:
    model = dlg.model
    row = next(i for i in range(model.rowCount())
               if model.index(i).data(Qt.ItemDataRole.DisplayRole).startswith(name + " — "))
    rect = dlg.list.visualRect(model.index(row))
    qtbot.mouseClick(dlg.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


# --- forward ------------------------------------------------------------------------------------


def test_forward_dialog_counts_and_disables_empty_departments(qtbot, desk, server):
    priya = Colleague(server, "priya")            # Technical support only
    priya.status("online")
    tab = desk.open_tab()
    dlg = open_forward(qtbot, tab)
    qtbot.waitUntil(lambda: rows(dlg.model).get("Technical support", ("", False))[1], timeout=WAIT)
    shown = rows(dlg.model)
    assert "Billing" not in shown                   # the chat's own department
    assert shown["Technical support"] == ("Technical support — 1 online", True)
    assert shown["Sales"] == ("Sales — nobody online", False)
    assert shown["Domains"] == ("Domains — nobody online", False)
    # a disabled department cannot be chosen
    click_department(qtbot, dlg, "Sales")
    assert dlg.selected_department_id() is None and not dlg.forward_button.isEnabled()

    # live: a colleague in Sales comes online while the dialog is open
    Colleague(server, "sam").status("online")
    qtbot.waitUntil(lambda: rows(dlg.model)["Sales"] == ("Sales — 1 online", True), timeout=WAIT)
    click_department(qtbot, dlg, "Sales")
    assert dlg.forward_button.isEnabled()
    dlg.reject()


def test_forwarding_moves_the_chat_to_the_department(qtbot, desk, server):
    priya = Colleague(server, "priya")
    priya.status("online")
    tab = desk.open_tab()
    dlg = open_forward(qtbot, tab)
    qtbot.waitUntil(lambda: rows(dlg.model)["Technical support"][1], timeout=WAIT)
    click_department(qtbot, dlg, "Technical support")
    dlg.comment.setFocus()
    qtbot.keyClicks(dlg.comment, "Asks about DNS for the new domain")
    with qtbot.waitSignal(tab.forwarded, timeout=WAIT) as sig:
        qtbot.mouseClick(dlg.forward_button, Qt.MouseButton.LeftButton)
    assert sig.args == [desk.chat_id, "Technical support"]
    qtbot.waitUntil(lambda: tab.forward_dialog is None, timeout=WAIT)
    assert not tab.composer.isEnabled()

    r = priya.get("/chats", state="waiting")
    r.raise_for_status()
    chat = next(c for c in r.json()["items"] if c["id"] == desk.chat_id)
    tech = desk.visitor.department_id("Technical support")
    assert chat["department_id"] == tech and chat["forwarded"] is True
    assert chat["assignee_id"] is None


def test_forward_refused_keeps_the_comment(qtbot, desk, server):
    priya = Colleague(server, "priya")
    priya.status("online")
    tab = desk.open_tab()
    dlg = open_forward(qtbot, tab)
    qtbot.waitUntil(lambda: rows(dlg.model)["Technical support"][1], timeout=WAIT)
    click_department(qtbot, dlg, "Technical support")
    dlg.comment.setFocus()
    qtbot.keyClicks(dlg.comment, "Please check the MX records")
    # The last colleague goes offline; the click comes before the desk hears about it (no Qt
    # event processing happens between these two lines), so the server refuses with 409.
    priya.status("offline")
    qtbot.mouseClick(dlg.forward_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.error_label.isVisible(), timeout=WAIT)
    assert "Nobody is online in department" in dlg.error_label.text()
    assert dlg.comment.toPlainText() == "Please check the MX records"
    assert dlg.isVisible() and tab.forward_dialog is dlg
    # the list catches up: Technical support is now disabled
    qtbot.waitUntil(lambda: rows(dlg.model)["Technical support"]
                    == ("Technical support — nobody online", False), timeout=WAIT)
    assert not dlg.forward_button.isEnabled()
    r = Colleague(server, "ben").get(f"/chats/{desk.chat_id}")     # Billing's head
    assert r.json()["department_id"] == desk.visitor.department_id("Billing")
    dlg.reject()
    QApplication.processEvents()


# --- chat name and summary --------------------------------------------------------------------


def test_name_and_summary_saved_and_seen_by_a_colleague(qtbot, desk, server):
    ben = Colleague(server, "ben")                 # Billing's head
    tab = desk.open_tab()
    d = tab.details
    d.name_edit.setFocus()
    qtbot.keyClicks(d.name_edit, "Invoice #4411 doubled")
    qtbot.keyClick(d.name_edit, Qt.Key.Key_Return)          # editing finished → saved
    qtbot.waitUntil(lambda: d.status_label.text() == "Saved", timeout=WAIT)
    assert ben.get(f"/chats/{desk.chat_id}").json()["name"] == "Invoice #4411 doubled"

    d.summary_edit.setFocus()
    qtbot.keyClicks(d.summary_edit, "Charged twice in May; refund promised")
    qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ben.get(f"/chats/{desk.chat_id}").json()["summary"]
                    == "Charged twice in May; refund promised", timeout=WAIT)
    qtbot.waitUntil(lambda: d.status_label.text() == "Saved" and not d.save_button.isEnabled(),
                    timeout=WAIT)


def test_name_and_summary_follow_a_colleague_unless_being_edited(qtbot, desk, server):
    ben = Colleague(server, "ben")
    tab = desk.open_tab()
    d = tab.details
    tab.composer.setFocus()
    ben.patch(f"/chats/{desk.chat_id}", {"name": "VIP client", "summary": "Call back at 5"}) \
        .raise_for_status()
    qtbot.waitUntil(lambda: d.name_edit.text() == "VIP client"
                    and d.summary_edit.toPlainText() == "Call back at 5", timeout=WAIT)

    # the agent is typing a summary: a colleague's change does not overwrite it
    d.summary_edit.setFocus()
    qtbot.keyClick(d.summary_edit, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(d.summary_edit, " today")
    ben.patch(f"/chats/{desk.chat_id}", {"name": "VIP client (renewal)",
                                         "summary": "Colleague's summary"}).raise_for_status()
    qtbot.waitUntil(lambda: d.name_edit.text() == "VIP client (renewal)", timeout=WAIT)
    assert d.summary_edit.toPlainText() == "Call back at 5 today"



# --- pre-defined replies ----------------------------------------------------------------------


def test_slash_opens_replies_and_inserts_with_placeholders(qtbot, desk):
    tab = desk.open_tab()
    tab.composer.setFocus()
    qtbot.keyClick(tab.composer, Qt.Key.Key_Slash)         # "/" in an empty composer
    popup = tab.compose.replies_popup
    assert popup is not None and popup.isVisible()
    assert tab.composer.toPlainText() == ""                 # the "/" did not go in
    qtbot.waitUntil(lambda: popup.is_loaded and popup.model.rowCount() > 0, timeout=WAIT)
    titles = {popup.model.index(i).data(popup.model.TitleRole)
              for i in range(popup.model.rowCount())}
    assert {"Greeting", "Goodbye", "Plan comparison", "Payment received"} <= titles  # chat-only too

    qtbot.keyClicks(popup.search, "my name is")               # matches the text, not the title
    assert popup.proxy.rowCount() == 1
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert tab.composer.toPlainText() == (
        "Hello Ann Example! My name is Dana Demo, how can I help you today?")


def test_replies_button_inserts_at_the_cursor(qtbot, desk):
    tab = desk.open_tab()
    tab.composer.setFocus()
    qtbot.keyClicks(tab.composer, "Sure. ")
    qtbot.mouseClick(tab.replies_button, Qt.MouseButton.LeftButton)
    popup = tab.compose.replies_popup
    qtbot.waitUntil(lambda: popup.is_loaded and popup.model.rowCount() > 0, timeout=WAIT)
    qtbot.keyClicks(popup.search, "goodbye")
    rect = popup.list.visualRect(popup.proxy.index(0, 0))
    qtbot.mouseClick(popup.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.composer.toPlainText() == (
        "Sure. Thank you for contacting us, Ann Example! Have a great day.")


# --- save a message as a pre-defined reply ------------------------------------------------------


def open_save_reply(qtbot, tab):
    """Right-click the chat's first message, choose "Save as pre-defined reply…": the dialog."""
    from supportdesk_qt.qt import QtGui

    rect = tab.view.visualRect(tab.model.index(0))
    viewport = tab.view.viewport()
    QApplication.sendEvent(viewport, QtGui.QContextMenuEvent(
        QtGui.QContextMenuEvent.Reason.Mouse, rect.center(), viewport.mapToGlobal(rect.center())))
    menu = tab.compose.message_menu
    qtbot.waitUntil(lambda: menu is not None and menu.isVisible(), timeout=WAIT)
    action = next(a for a in menu.actions() if a.objectName() == "saveAsReplyAction")
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    return tab.compose.save_reply_dialog


def test_save_message_as_reply_seen_by_the_department(qtbot, desk, server):
    from supportdesk_qt.ui.chat import MessageModel

    tab = desk.open_tab()
    assert tab.model.index(0).data(MessageModel.TextRole) == "Hello, my invoice looks wrong"
    dlg = open_save_reply(qtbot, tab)
    qtbot.waitUntil(lambda: dlg is not None and dlg.isVisible() and dlg.is_loaded, timeout=WAIT)
    assert not dlg.isModal()
    assert dlg.text_edit.toPlainText() == "Hello, my invoice looks wrong"
    assert dlg.department_combo.currentText() == "Billing"       # the chat's department
    dlg.title_edit.selectAll()
    qtbot.keyClicks(dlg.title_edit, "Invoice question")
    dlg.text_edit.selectAll()
    qtbot.keyClicks(dlg.text_edit, "Hello {client_name}, let me check your invoice.")
    with qtbot.waitSignal(dlg.saved, timeout=WAIT):
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)

    ben = Colleague(server, "ben")                                 # Billing only
    seen = {r["title"]: r for r in ben.get("/replies", context="chat").json()["items"]}
    assert seen["Invoice question"]["text"] == "Hello {client_name}, let me check your invoice."
    assert seen["Invoice question"]["scope"] == "department" and seen["Invoice question"]["chat_only"]
    ticket_titles = {r["title"] for r in ben.get("/replies", context="ticket").json()["items"]}
    assert "Invoice question" not in ticket_titles
    sam = Colleague(server, "sam")                                 # Sales: another department
    assert "Invoice question" not in {r["title"] for r in sam.get("/replies").json()["items"]}


# --- models -------------------------------------------------------------------------------------


def test_models_pass_the_model_tester(qtmodeltester):
    from supportdesk_protocol.schemas import Agent, Department, PredefinedReply
    from supportdesk_qt.ui.compose.replies_picker import RepliesFilter, RepliesModel, expand

    me = Agent(id=1, login="demo", display_name="Dana", role="agent", department_ids=[1, 2],
               status="online")
    depts = DepartmentModel(exclude_id=3, agent=me)
    depts.set_departments([Department(id=i, name=n, online_count=c) for i, n, c in
                           ((1, "Sales", 1), (2, "Tech", 3), (3, "Billing", 2), (4, "Domains", 0))])
    qtmodeltester.check(depts)
    shown = rows(depts)
    assert shown == {"Sales": ("Sales — nobody online", False),      # only me there
                     "Tech": ("Tech — 2 online", True),
                     "Domains": ("Domains — nobody online", False)}
    replies = RepliesModel()
    replies.set_replies([PredefinedReply(id=i, title=t, text=x, scope="department", department_id=1,
                                         owner_id=1, chat_only=False, version=1)
                         for i, t, x in ((1, "Hi", "Hello {client_name}"), (2, "Bye", "Bye now"))])
    proxy = RepliesFilter()
    proxy.setSourceModel(replies)
    qtmodeltester.check(replies)
    proxy.set_search("hello")
    assert proxy.rowCount() == 1
    qtmodeltester.check(proxy)
    assert expand("{client_name}/{agent_name}/{department}/{other}", client_name="A",
                  agent_name="B", department="C") == "A/B/C/{other}"


# --- the main window: a forwarded chat's tab goes, with a status message --------------------------


def test_main_window_closes_the_tab_of_a_forwarded_chat(qtbot, aloop, tasks, tmp_path):
    from supportdesk_protocol.schemas import ChatState
    from supportdesk_qt.backend.base import ConnectionChanged, ConnectionState, Resynced
    from supportdesk_qt.core.settings import WindowState
    from supportdesk_qt.ui.bridge import Bridge
    from supportdesk_qt.ui.main_window import MainWindow
    from tests.ui.fakes import FakeBackend, make_agent, make_chat, open_workspace

    class ForwardingBackend(FakeBackend):
        async def forward_chat(self, chat_id, department_id, comment=""):
            chat = self.chats[chat_id].model_copy(update={
                "state": ChatState.WAITING, "assignee_id": None, "department_id": department_id,
                "forwarded": True, "version": self.chats[chat_id].version + 1})
            self.chats[chat_id] = chat
            self.forwarded_to = (department_id, comment)
            return chat

    backend = ForwardingBackend(make_agent(), [make_chat(1, visitor_name="Ann")])
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
        tab = window.tab_manager.chat_tab(1)
        dlg = open_forward(qtbot, tab)
        # Support (own department) excluded; Billing has one colleague besides me; Sales one
        assert set(rows(dlg.model)) == {"Billing", "Sales"}
        click_department(qtbot, dlg, "Billing")
        qtbot.mouseClick(dlg.forward_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.tab_manager.find_tab("chat:1") < 0, timeout=5000)
        assert backend.forwarded_to == (2, "")
        assert window.statusBar().currentMessage() == "The chat with Ann was forwarded to Billing."
    finally:
        backend.push(None)
        qtbot.waitUntil(lambda: bridge._task is None or bridge._task.done(), timeout=5000)


def test_details_error_keeps_the_text_and_says_why(qtbot, aloop, tasks):
    from supportdesk_qt.backend.base import NetworkError
    from supportdesk_qt.core.directory import Directory
    from supportdesk_qt.ui.chat.chat_details import ChatDetailsEditor
    from tests.ui.fakes import FakeBackend, make_agent, make_chat

    class Failing(FakeBackend):
        async def update_chat(self, chat_id, *, name=None, summary=None):
            raise NetworkError("The server could not be reached. Check the connection.")

    backend = Failing(make_agent(), [make_chat(1)])
    editor = ChatDetailsEditor(backend, tasks, backend.chats[1], directory=Directory(backend))
    qtbot.addWidget(editor)
    editor.show()
    editor.name_edit.setFocus()
    qtbot.keyClicks(editor.name_edit, "Refund")
    qtbot.keyClick(editor.name_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.status_label.text().startswith("Not saved"), timeout=5000)
    assert "could not be reached" in editor.status_label.text()
    assert editor.name_edit.text() == "Refund" and editor.save_button.isEnabled()
    # a colleague's change does not overwrite the unsaved text
    editor.apply_chat(backend.chats[1].model_copy(update={"name": "Other", "version": 5}))
    assert editor.name_edit.text() == "Refund"

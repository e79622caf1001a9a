"""The desk offers only what its backend declares (issue 10: optional abilities are the backend's
``Capability`` set; the UI hides or disables the controls of the ones it lacks, never probing
for methods).

Against the REAL server. ``ReducedBackend`` is the real ``HttpBackend`` declaring fewer
capabilities (a real subclass, no mock): the server behind it can do everything, so a control
that were still offered would work, and these tests would see it.
"""

from __future__ import annotations

from supportdesk_qt.backend.base import Capability
from supportdesk_qt.backend.http import HttpBackend
from supportdesk_qt.qt import QLabel, Qt
from tests.ui.test_actions import take_a_new_chat
from tests.ui.test_chat_panel_auth import demo_login
from tests.ui.test_shell import desk_factory, visitor  # noqa: F401  (fixtures)

WAIT = 20_000
LEFT_OUT = {Capability.TICKET_FILTERS, Capability.TICKET_EDITS, Capability.VISITOR_AUTH,
            Capability.CLIENT_AREA, Capability.CHAT_HISTORY, Capability.CLIENT_EDITS}


class ReducedBackend(HttpBackend):
    """The HTTP backend, saying it cannot list tickets by filter, edit tickets, ask visitors to
    log in, link into the client area, list earlier chats or change clients."""

    capabilities = frozenset(Capability) - LEFT_OUT


def test_without_ticket_filters_there_is_no_tickets_tab(qtbot, desk_factory):  # noqa: F811
    w = desk_factory(backend_class=ReducedBackend).window
    command = w.commands["tickets.open"]
    w.commands.refresh()
    assert not command.isEnabled() and not w.tickets_button.isEnabled()
    qtbot.keyClick(w, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)     # its shortcut
    assert w.tab_manager.find_tab("tickets") < 0
    assert w.tab_manager.open_tickets() is None          # nor by name (a saved tab, a key)
    assert w.tab_manager.find_tab("tickets") < 0


def test_a_full_backend_has_the_tickets_tab(qtbot, desk_factory):  # noqa: F811
    w = desk_factory().window          # the control case: the same desk, every capability
    assert w.commands["tickets.open"].isEnabled() and w.tickets_button.isEnabled()
    qtbot.keyClick(w, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.tab_manager.find_tab("tickets") >= 0, timeout=WAIT)


def test_a_chat_offers_none_of_the_abilities_the_backend_lacks(qtbot, run, server,
                                                                desk_factory, visitor):  # noqa: F811
    w = desk_factory(backend_class=ReducedBackend).window
    tab = take_a_new_chat(qtbot, run, w, visitor, "Rita Reduced")
    chat_id = tab.chat_id
    details, section = tab.details, tab.details.client_section
    assert tab.isVisible() and section.client_label.isVisibleTo(tab)
    for button in (section.login_button, section.register_button, section.authorize_button):
        assert not button.isVisibleTo(tab), button.objectName()
    assert not details.history.isVisibleTo(tab)          # no earlier chats to list

    # the visitor logs in anyway (asked from a full backend of the same agent): the chat has a
    # client now, and still no "Create ticket" (no ticket edits) and no client-area link
    full = HttpBackend(server.url)
    run(full.login("demo", "demo"))
    try:
        run(full.request_visitor_auth(chat_id, "login"))
        run(visitor.wait_for("auth_prompt"))
        login, _client_name, _project = demo_login(server)
        assert run(visitor.login(login, "demo"))["ok"] is True
        qtbot.waitUntil(lambda: section.authorized and tab.chat.client_id is not None,
                        timeout=WAIT)
        assert not details.create_ticket_button.isVisibleTo(tab)
        assert not section.drill_button.isVisibleTo(tab)
        assert not section.copy_link_button.isVisibleTo(tab)
    finally:
        run(full.close())


def test_a_client_cannot_be_edited_without_client_edits(qtbot, run, desk_factory):  # noqa: F811
    d = desk_factory(backend_class=ReducedBackend)
    w = d.window
    client_id = next(t.client_id for t in run(d.backend.list_tickets(limit=50)).items
                     if t.client_id is not None)
    tab = w.tab_manager.open_client(client_id)
    qtbot.waitUntil(lambda: tab.client is not None, timeout=WAIT)
    editing = tab.editing
    assert not editing.can_edit and not editing.edit_client_button.isVisibleTo(tab)
    assert editing.buttons == {}                          # no Add user…, Edit…, Delete…
    tab.tabs.setCurrentWidget(tab.views["users"])
    note = editing.pages["users"].findChild(QLabel, "readOnly_users")
    assert note is not None and note.isVisibleTo(tab) and "read-only" in note.text()

"""The action registry (ui/actions.py, ui/desk_actions.py) and the settings' shortcuts page,
against the REAL server with a real visitor: the shortcuts pressed on the window as a person
presses them, a shortcut changed in the settings (the new key works at once, the old one no
longer does, and it is still there after a restart), a conflicting key refused with a sentence
and nothing saved.
"""

from __future__ import annotations

import pytest

from supportdesk_protocol.schemas import AgentStatus
from supportdesk_qt.core.settings import Preferences
from supportdesk_qt.qt import QDialogButtonBox, QKeySequence, QMessageBox, Qt, QWidget
from supportdesk_qt.ui.actions import ActionRegistry, ShortcutConflict, find_conflict, keys_of
from supportdesk_qt.ui.chat.chat_tab import ChatTab
from supportdesk_qt.ui.desk_actions import USER_MENU
from supportdesk_qt.ui.tickets.tickets_tab import TicketsTab
from tests.ui.test_shell import desk_factory, visitor  # noqa: F401  (fixtures)
from tests.ui.visitor import Visitor

WAIT = 20_000
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def press(qtbot, w, key, modifiers=CTRL) -> None:
    qtbot.keyClick(w, key, modifiers)


def tickets_in_front(w) -> bool:
    return isinstance(w.tabs.currentWidget(), TicketsTab)


def open_shortcuts_page(qtbot, w):
    press(qtbot, w, Qt.Key.Key_Comma)                        # Ctrl+, : settings
    dialog = w.settings_dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible(), timeout=WAIT)
    bar = dialog.pages.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton,
                     pos=bar.tabRect(dialog.pages.indexOf(dialog.shortcuts_page)).center())
    assert dialog.pages.currentWidget() is dialog.shortcuts_page
    return dialog, dialog.shortcuts_page


def type_shortcut(qtbot, page, action_id: str, key, modifiers=CTRL) -> None:
    edit = page.edits[action_id]
    page.findChild(QWidget, "shortcutsScroll").ensureWidgetVisible(edit)
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    qtbot.keyClick(edit, key, modifiers)


def click_button(qtbot, dialog, which) -> None:
    qtbot.mouseClick(dialog.buttons.button(which), Qt.MouseButton.LeftButton)


# --- the registry --------------------------------------------------------------------------------


def test_every_command_is_declared_once_and_listed_with_text_keys_and_state(desk_factory):
    w = desk_factory().window
    entries = {e.id: e for e in w.commands.entries()}
    for wanted in ("chat.take_oldest", "status.online", "status.offline", "chat.forward",
                   "chat.close", "tab.close", "tab.next", "tab.previous", "reply.insert",
                   "search.focus", "tickets.open", "panel.network", "panel.notifications",
                   "app.settings", "session.logout", "queue.show", "queue.popup",
                   "app.changelog", "app.quit"):
        assert wanted in entries, wanted
    for entry in entries.values():
        assert entry.text and "&" not in entry.text, entry
    # no key belongs to two commands
    assignments = w.commands.assignments()
    for cid, keys in assignments.items():
        assert find_conflict(assignments, cid, keys) is None, cid
    assert entries["tickets.open"].shortcut_text == "Ctrl+2"
    assert entries["status.online"].checked is True and entries["status.offline"].checked is False
    # on the queue tab there is no chat to forward or end
    assert not entries["chat.forward"].enabled and not entries["chat.close"].enabled
    assert entries["session.logout"].enabled
    # the user menu and the top bar's buttons are the registry's own actions
    menu = [a for a in w.user_menu.actions() if not a.isSeparator()][1:]     # after the header
    assert menu == [w.commands[cid] for cid in USER_MENU if cid is not None]
    assert w.tickets_button.defaultAction() is w.commands["tickets.open"]
    assert "Ctrl+2" in w.tickets_button.toolTip()
    # signed out: nothing to switch or log out of, no check mark, no tickets to open
    w.set_workspace(None)
    entries = {e.id: e for e in w.commands.entries()}
    for cid in ("status.online", "status.offline", "session.logout", "tickets.open",
                "chat.take_oldest"):
        assert not entries[cid].enabled, cid
    assert not w.online_action.isChecked() and not w.offline_action.isChecked()
    assert entries["app.quit"].enabled and entries["app.settings"].enabled


def test_shortcuts_pressed_on_the_window_do_what_they_say(qtbot, run, server, desk_factory,
                                                         visitor):
    d = desk_factory()
    w = d.window
    press(qtbot, w, Qt.Key.Key_2)                            # Ctrl+2: the tickets tab
    qtbot.waitUntil(lambda: tickets_in_front(w), timeout=WAIT)
    press(qtbot, w, Qt.Key.Key_1)                            # Ctrl+1: back to the waiting chats
    assert w.tabs.currentWidget() is w.queue_page
    press(qtbot, w, Qt.Key.Key_F)                            # Ctrl+F: the search bar
    qtbot.waitUntil(lambda: w.search_bar.hasFocus(), timeout=WAIT)

    run(visitor.start_chat("Technical support", "Olga Oldest", "anyone there?"))
    qtbot.waitUntil(lambda: w.queue_model.chat(visitor.chat["id"]) is not None, timeout=WAIT)
    oldest = w.queue_model.chats()[0].id                     # the list shows the longest wait first
    press(qtbot, w, Qt.Key.Key_T)                            # Ctrl+T: take the oldest waiting chat
    qtbot.waitUntil(lambda: w.tab_manager.chat_tab(oldest) is not None
                    and w.tabs.currentWidget() is w.tab_manager.chat_tab(oldest), timeout=WAIT)
    tab = w.tab_manager.chat_tab(oldest)
    assert w.commands["chat.forward"].isEnabled() and w.commands["chat.close"].isEnabled()

    press(qtbot, w, Qt.Key.Key_R)                            # Ctrl+R: the replies picker
    qtbot.waitUntil(lambda: tab.compose.replies_popup is not None and tab.compose.replies_popup.isVisible(),
                    timeout=WAIT)
    tab.compose.replies_popup.hide()
    press(qtbot, w, Qt.Key.Key_F, CTRL_SHIFT)                # Ctrl+Shift+F: forward…
    qtbot.waitUntil(lambda: tab.forward_dialog is not None and tab.forward_dialog.isVisible(),
                    timeout=WAIT)
    tab.forward_dialog.reject()
    qtbot.waitUntil(lambda: tab.forward_dialog is None, timeout=WAIT)
    press(qtbot, w, Qt.Key.Key_E, CTRL_SHIFT)                # Ctrl+Shift+E: end the chat (asks)
    qtbot.waitUntil(lambda: tab.close_box is not None and tab.close_box.isVisible(), timeout=WAIT)
    tab.close_box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: tab.is_closed, timeout=WAIT)
    # the chat ended: its tab stays to be read, and Forward / End are grey now
    assert isinstance(w.tabs.currentWidget(), ChatTab)
    assert not w.commands["chat.forward"].isEnabled()
    assert not w.commands["chat.close"].isEnabled()

    # offline, Ctrl+T takes nothing even with a chat waiting
    w.activateWindow()                                       # the question box had the keyboard
    qtbot.waitUntil(w.isActiveWindow, timeout=WAIT)
    press(qtbot, w, Qt.Key.Key_W)                            # Ctrl+W: the ended chat's tab goes
    qtbot.waitUntil(lambda: w.tab_manager.chat_tab(oldest) is None, timeout=WAIT)
    w.offline_action.trigger()
    qtbot.waitUntil(lambda: d.backend.agent.status == AgentStatus.OFFLINE
                    and not w.is_online, timeout=WAIT)
    other = Visitor(server.url)
    run(other.connect())
    try:
        run(other.start_chat("Technical support", "Nora Notaken", "hi"))
        qtbot.waitUntil(lambda: w.queue_model.chat(other.chat["id"]) is not None, timeout=WAIT)
        assert not w.commands["chat.take_oldest"].isEnabled()
        tabs = w.tabs.count()
        press(qtbot, w, Qt.Key.Key_T)
        qtbot.wait(300)   # nothing may happen: give a wrong take the time it would need to show
        assert w.tabs.count() == tabs and w.queue_model.chat(other.chat["id"]) is not None
    finally:
        run(other.close())


# --- the settings' shortcuts page ---------------------------------------------------------------


def test_a_changed_shortcut_works_at_once_the_old_one_not_and_it_survives_a_restart(
        qtbot, desk_factory, tmp_path):
    d = desk_factory()
    w = d.window
    dialog, page = open_shortcuts_page(qtbot, w)
    type_shortcut(qtbot, page, "tickets.open", Qt.Key.Key_Y)
    assert page.edits["tickets.open"].keySequence() == QKeySequence("Ctrl+Y")
    assert not page.problem() and not page.conflict_label.isVisible()
    click_button(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert not dialog.isVisible()
    assert Preferences.load(tmp_path / "settings.json").shortcuts == {"tickets.open": "Ctrl+Y"}

    w.activateWindow()                                       # the dialog had the keyboard
    qtbot.waitUntil(w.isActiveWindow, timeout=WAIT)
    press(qtbot, w, Qt.Key.Key_2)                            # the old key does nothing now
    assert w.tabs.currentWidget() is w.queue_page
    press(qtbot, w, Qt.Key.Key_Y)                            # the new one opens the tickets
    qtbot.waitUntil(lambda: tickets_in_front(w), timeout=WAIT)
    assert "Ctrl+Y" in w.tickets_button.toolTip()

    # a restart: a new window over the same settings file has the key
    d.close()
    w2 = desk_factory().window
    assert w2.commands.shortcuts("tickets.open") == (QKeySequence("Ctrl+Y"),)
    press(qtbot, w2, Qt.Key.Key_Y)
    qtbot.waitUntil(lambda: tickets_in_front(w2), timeout=WAIT)
    # and back to the default from the page
    dialog, page = open_shortcuts_page(qtbot, w2)
    qtbot.mouseClick(page.findChild(QWidget, "resetShortcut:tickets.open"),
                     Qt.MouseButton.LeftButton)
    assert page.edits["tickets.open"].keySequence() == QKeySequence("Ctrl+2")
    click_button(qtbot, dialog, QDialogButtonBox.StandardButton.Apply)
    assert Preferences.load(tmp_path / "settings.json").shortcuts == {}
    assert w2.commands.shortcuts("tickets.open") == (QKeySequence("Ctrl+2"),)


def test_a_key_of_another_command_is_refused_with_a_sentence_and_nothing_is_saved(
        qtbot, desk_factory, tmp_path):
    w = desk_factory().window
    dialog, page = open_shortcuts_page(qtbot, w)
    before = Preferences.load(tmp_path / "settings.json").to_dict()
    dialog.findChild(QWidget, "close_to_tray").setChecked(not before["close_to_tray"])
    type_shortcut(qtbot, page, "tickets.open", Qt.Key.Key_1)  # Ctrl+1 is the waiting chats'
    sentence = page.conflict_label.text()
    assert page.conflict_label.isVisible()
    assert sentence.startswith("Ctrl+1 is already the shortcut of “Waiting chats tab”")
    assert page.edits["tickets.open"].keySequence() == QKeySequence("Ctrl+1")   # kept as typed
    click_button(qtbot, dialog, QDialogButtonBox.StandardButton.Apply)
    click_button(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert dialog.isVisible() and dialog.pages.currentWidget() is page
    assert page.edits["tickets.open"].keySequence() == QKeySequence("Ctrl+1")
    assert Preferences.load(tmp_path / "settings.json").to_dict() == before   # nothing at all
    assert w.commands.shortcuts("tickets.open") == (QKeySequence("Ctrl+2"),)

    # a bare letter would type into every text box, Ctrl+Enter sends: refused too
    type_shortcut(qtbot, page, "tickets.open", Qt.Key.Key_K, Qt.KeyboardModifier.NoModifier)
    assert page.conflict_label.text().startswith("K belongs to the text boxes")
    type_shortcut(qtbot, page, "tickets.open", Qt.Key.Key_Return)   # Ctrl+Enter sends
    assert "belongs to the text boxes" in page.conflict_label.text()
    # a free key is fine again
    type_shortcut(qtbot, page, "tickets.open", Qt.Key.Key_J)    # Ctrl+K is the palette's
    assert not page.conflict_label.isVisible()
    click_button(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert not dialog.isVisible()
    assert Preferences.load(tmp_path / "settings.json").shortcuts == {"tickets.open": "Ctrl+J"}


def test_stored_keys_that_clash_or_cannot_be_read_are_left_out(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    ran: list[str] = []
    reg = ActionRegistry(host)
    reg.add("a.one", "&One", lambda: ran.append("one"), shortcuts=("Ctrl+1",))
    reg.add("a.two", "&Two", lambda: ran.append("two"), shortcuts=("Ctrl+2", "Ctrl+3"))
    with pytest.raises(ValueError):
        reg.add("a.three", "Three", lambda: None, shortcuts=("Ctrl+3",))   # a default clash
    # the person's key wins over another command's default; an unreadable one is the default
    reg.apply_overrides({"a.two": "Ctrl+1", "a.one": "Ctrl+Nonsense"})
    assert reg.shortcuts("a.two") == (QKeySequence("Ctrl+1"),)
    assert reg.shortcuts("a.one") == ()                       # its default is a.two's now
    reg.apply_overrides({"a.one": "Ctrl+9", "a.two": "Ctrl+9"})  # a hand-edited file: one wins
    assert len([k for keys in reg.assignments().values() for k in keys
                if k == QKeySequence("Ctrl+9")]) == 1
    reg.apply_overrides({})
    assert reg.shortcuts("a.two") == keys_of(("Ctrl+2", "Ctrl+3"))
    with pytest.raises(ShortcutConflict) as refused:        # a chord starting with Ctrl+3 too
        reg.set_shortcuts("a.one", (QKeySequence("Ctrl+3, Ctrl+4"),))
    assert refused.value.other_id == "a.two"
    assert refused.value.sentence.startswith("Ctrl+3, Ctrl+4 is already the shortcut of “Two”")
    assert reg.shortcuts("a.one") == (QKeySequence("Ctrl+1"),)
    reg.trigger("a.two")
    assert ran == ["two"]


def take_a_new_chat(qtbot, run, w, visitor, name: str) -> ChatTab:
    """The visitor starts a chat, the window takes it: its tab."""
    run(visitor.start_chat("Technical support", name, "hello"))
    chat_id = visitor.chat["id"]
    qtbot.waitUntil(lambda: w.queue_model.chat(chat_id) is not None, timeout=WAIT)
    w.take_chat(chat_id)
    qtbot.waitUntil(lambda: w.tab_manager.chat_tab(chat_id) is not None, timeout=WAIT)
    return w.tab_manager.chat_tab(chat_id)


# --- buttons bound to commands --------------------------------------------------------------------


def test_a_chat_tabs_buttons_name_their_commands_keys_and_follow_a_change(qtbot, run, desk_factory,
                                                                          visitor):
    d = desk_factory()
    tab = take_a_new_chat(qtbot, run, d.window, visitor, "Bea Buttons")
    assert tab.forward_button.toolTip() == "Hand the chat to another department (Ctrl+Shift+F)"
    assert tab.close_button.toolTip() == (
        "End the conversation; the visitor is told (Ctrl+Shift+E)")
    replies_tip = tab.compose.replies_button.toolTip()
    assert replies_tip.startswith("Insert a pre-defined reply") and replies_tip.endswith("(Ctrl+R)")
    # the person changes a key in the settings: the tooltip says the new one at once
    d.prefs.shortcuts = {"chat.forward": "Ctrl+Alt+F", "reply.insert": ""}
    assert tab.forward_button.toolTip() == "Hand the chat to another department (Ctrl+Alt+F)"
    assert tab.compose.replies_button.toolTip() == replies_tip[:-len(" (Ctrl+R)")]   # no key
    d.prefs.shortcuts = {}
    assert tab.forward_button.toolTip().endswith("(Ctrl+Shift+F)")
    # the buttons still act on their own tab
    qtbot.mouseClick(tab.forward_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.forward_dialog is not None and tab.forward_dialog.isVisible(),
                    timeout=WAIT)
    tab.forward_dialog.reject()


def test_a_bound_global_button_runs_its_command_and_takes_its_state(qtbot):
    from supportdesk_qt.qt import QPushButton

    host = QWidget()
    qtbot.addWidget(host)
    ran: list[str] = []
    allowed = [False]
    reg = ActionRegistry(host)
    reg.add("a.go", "&Go", lambda: ran.append("go"), shortcuts=("Ctrl+G",),
            enabled=lambda: allowed[0], tip="Go somewhere")
    button = QPushButton("Go", host)
    reg.bind_button(button, "a.go")
    reg.refresh()
    assert not button.isEnabled() and button.toolTip() == "Go somewhere (Ctrl+G)"
    allowed[0] = True
    reg.refresh()
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert ran == ["go"]
    reg.set_shortcuts("a.go", (QKeySequence("Ctrl+Shift+G"),))
    assert button.toolTip() == "Go somewhere (Ctrl+Shift+G)"

"""The one composer (ui/compose/) in the chat tab and the ticket tab, driven like a person:

* issue 9 item 11b: too much text pasted, send pressed: one sentence with the limit says so; it
  goes as soon as enough is deleted, and when the box is cleared;
* the send key is a preference (Enter or Ctrl+Enter), per composer kind, followed at once;
* a message the server refused can be discarded from its menu (the outbox forgets it).

Against the real server; every wait is ``qtbot.waitUntil``.
"""

from __future__ import annotations

import pytest

from supportdesk_qt.core.outbox import Outbox
from supportdesk_qt.core.settings import Preferences
from supportdesk_qt.qt import QGuiApplication, QLocale, Qt
from supportdesk_qt.ui.chat import MessageModel, SendState
from supportdesk_qt.ui.compose import MAX_TEXT, send_keys
from supportdesk_qt.ui.tabs import TabContext
from supportdesk_qt.ui.tickets.ticket_tab import TicketTab
from tests.ui.test_chat_tab import WAIT, Desk, texts
from tests.ui.test_tickets import backend, new_ticket, rows, show, some_client, tk_server  # noqa: F401 (fixtures)


@pytest.fixture
def desk(qtbot, run, tasks, server):
    d = Desk(qtbot, run, tasks, server)
    yield d
    d.close()


@pytest.fixture
def prefs(tmp_path):
    """Preferences in a tmp file, followed by every composer; the defaults again afterwards."""
    p = Preferences.load(tmp_path / "settings.json")
    send_keys().bind(p)
    yield p
    p.update(chat_send_key="enter", ticket_send_key="ctrl_enter")


@pytest.fixture
def ticket_tab(qtbot, backend, tasks, run, tmp_path):  # noqa: F811
    client, _user, depts = some_client(backend, run)
    ticket = new_ticket(backend, run, client, depts, subject="Composer")
    outbox = Outbox(tmp_path / "outbox.sqlite3", backend)
    tab = show(qtbot, TicketTab(TabContext.of(backend, tasks, outbox=outbox), ticket.id))
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1 and tab.send_button.isEnabled(),
                    timeout=WAIT)
    yield tab
    tab.dispose()
    run(outbox.close())


def paste(qtbot, edit, text: str) -> None:
    QGuiApplication.clipboard().setText(text)
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def too_long_then_shortened_then_cleared(qtbot, tab, send, sent_rows) -> None:
    """Paste two characters too many, send: the sentence; delete one: still there; delete the
    other: gone. Too long again, send, clear the box: gone."""
    edit, error = tab.composer, tab.compose.error_label
    before = sent_rows()
    paste(qtbot, edit, "x" * (MAX_TEXT + 2))
    assert len(edit.toPlainText()) == MAX_TEXT + 2
    send()
    assert error.isVisible()
    assert QLocale().toString(MAX_TEXT) in error.text()            # the limit, as QLocale says it
    assert QLocale().toString(MAX_TEXT + 2) in error.text()
    assert error.text().endswith(".") and sent_rows() == before    # nothing sent
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert error.isVisible()                                       # one character still too many
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert not error.isVisible()                                   # short enough: the sentence goes
    qtbot.keyClicks(edit, "yz")
    assert not error.isVisible()                                   # said again only on send
    send()
    assert error.isVisible()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)                        # the box cleared
    assert edit.toPlainText() == "" and not error.isVisible()
    assert sent_rows() == before


def test_chat_too_long_sentence_goes_when_short_enough_or_cleared(qtbot, desk):
    tab = desk.open_tab()
    too_long_then_shortened_then_cleared(
        qtbot, tab, lambda: qtbot.keyClick(tab.composer, Qt.Key.Key_Return),
        lambda: tab.model.rowCount())
    # the same sentence in both tabs: the chat's own notice line says nothing about it
    assert not tab.notice_label.isVisible()


def test_ticket_too_long_sentence_goes_when_short_enough_or_cleared(qtbot, ticket_tab):
    tab = ticket_tab
    too_long_then_shortened_then_cleared(
        qtbot, tab, lambda: qtbot.mouseClick(tab.send_button, Qt.MouseButton.LeftButton),
        lambda: tab.model.rowCount())
    # and with the send key
    paste(qtbot, tab.composer, "x" * (MAX_TEXT + 1))
    qtbot.keyClick(tab.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert tab.composer_error.isVisible()
    qtbot.keyClick(tab.composer, Qt.Key.Key_Backspace)
    assert not tab.composer_error.isVisible()


def test_send_keys_follow_the_preferences_in_both_composers(qtbot, desk, ticket_tab, prefs):
    chat = desk.open_tab()
    assert chat.composer.send_key == "enter" and ticket_tab.composer.send_key == "ctrl_enter"
    assert "Enter sends" in chat.composer.placeholderText()
    prefs.chat_send_key = "ctrl_enter"                      # what the settings dialog stores
    prefs.ticket_send_key = "enter"
    assert "Ctrl+Enter sends" in chat.composer.placeholderText()

    # the chat: Enter adds a line now, Ctrl+Enter sends
    n = chat.model.rowCount()
    chat.composer.setFocus()
    qtbot.keyClicks(chat.composer, "one")
    qtbot.keyClick(chat.composer, Qt.Key.Key_Return)
    qtbot.keyClicks(chat.composer, "two")
    assert chat.composer.toPlainText() == "one\ntwo" and chat.model.rowCount() == n
    qtbot.keyClick(chat.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: texts(chat.model)[-1] == "one\ntwo"
                    and chat.model.row(n).state == SendState.SENT, timeout=WAIT)

    # the ticket: Enter sends now, Shift+Enter adds a line
    ticket_tab.composer.setFocus()
    qtbot.keyClicks(ticket_tab.composer, "first")
    qtbot.keyClick(ticket_tab.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(ticket_tab.composer, "second")
    qtbot.keyClick(ticket_tab.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ("staff", "first\nsecond", "sent") in rows(ticket_tab), timeout=WAIT)
    assert ticket_tab.composer.toPlainText() == ""


def test_a_refused_chat_message_is_discarded_from_its_menu(qtbot, run, desk):
    tab = desk.open_tab()
    run(desk.backend.set_status("offline"))                # the chat goes back to the queue
    qtbot.waitUntil(lambda: tab.chat.state.value == "waiting", timeout=WAIT)
    # and the transcript's line for it is in (system lines are rows too)
    qtbot.waitUntil(lambda: tab.model.row(tab.model.rowCount() - 1).text
                    == "Dana Demo went offline: the chat is waiting again", timeout=WAIT)
    n = tab.model.rowCount()
    tab.composer.setFocus()
    qtbot.keyClicks(tab.composer, "Refused")
    qtbot.keyClick(tab.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.model.rowCount() == n + 1
                    and tab.model.row(n).state == SendState.FAILED, timeout=WAIT)
    cid = tab.model.index(n).data(MessageModel.ClientMsgIdRole)
    assert tab.notice_label.isVisible()
    pos = tab.view.visualRect(tab.model.index(n)).center()
    tab._message_menu(pos)
    menu = tab.compose.message_menu
    qtbot.waitUntil(lambda: menu.isVisible(), timeout=WAIT)
    names = [a.objectName() for a in menu.actions()]
    assert {"saveAsReplyAction", "retryPostAction", "discardPostAction"} <= set(names)
    discard = next(a for a in menu.actions() if a.objectName() == "discardPostAction")
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(discard).center())
    qtbot.waitUntil(lambda: tab.model.rowCount() == n, timeout=WAIT)
    qtbot.waitUntil(lambda: run(desk.outbox.get(cid)) is None, timeout=WAIT)
    run(desk.backend.set_status("online"))


def test_the_settings_dialog_changes_the_send_key_of_an_open_chat(qtbot, desk, prefs):
    from supportdesk_qt.qt import QComboBox, QDialogButtonBox
    from supportdesk_qt.ui.panels.settings_dialog import SettingsDialog

    tab = desk.open_tab()
    dialog = SettingsDialog(prefs)
    qtbot.addWidget(dialog)
    dialog.open_dialog()
    qtbot.waitExposed(dialog)
    combo = dialog.findChild(QComboBox, "chat_send_key")
    assert combo is not None and combo.currentData() == "enter"
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)                  # Enter -> Ctrl+Enter
    assert tab.composer.send_key == "enter"                 # nothing stored before OK
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert prefs.chat_send_key == "ctrl_enter"
    assert tab.composer.send_key == "ctrl_enter"
    assert Preferences.load(prefs.path).chat_send_key == "ctrl_enter"    # on disk

"""The language chosen in the settings applies at once, without a restart: the desk rebuilds its
window in the new language and the agent's work is where it was (the chat tab and its draft, the
other tabs, the list of chats, the settings dialog). Real server, real clicks and keys.
"""

from __future__ import annotations

import pytest

from supportdesk_qt.i18n import translations
from supportdesk_qt.qt import QDialogButtonBox, QComboBox, QLocale, Qt, qt_is_valid
from tests.ui.test_desk_e2e import WAIT, desk, sign_in, wait_connected  # noqa: F401 (desk)
from tests.ui.visitor import Visitor


@pytest.fixture(autouse=True)
def _english_afterwards():
    """The desk's language is the application's: the tests that follow expect English."""
    yield
    translations().apply("en")


def choose_language(qtbot, window, key, button=QDialogButtonBox.StandardButton.Ok):
    """Settings… from the user menu's command, the language combo by keyboard, then OK."""
    window.commands["app.settings"].trigger()
    dialog = window.settings_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    combo = dialog.findChild(QComboBox, "language")
    combo.setFocus()
    qtbot.keyClick(combo, key)
    qtbot.mouseClick(dialog.buttons.button(button), Qt.MouseButton.LeftButton)
    return dialog


def test_switching_to_russian_rebuilds_the_window_and_keeps_the_work(qtbot, run, desk, server):
    sign_in(qtbot, desk)
    old = desk.window
    wait_connected(qtbot, old)
    visitor = Visitor(server.url)
    run(visitor.connect())
    run(visitor.start_chat("Billing", "Мария Петрова", "Списали деньги дважды"))
    chat_id = visitor.chat["id"]
    qtbot.waitUntil(lambda: old.queue_model.chat(chat_id) is not None, timeout=WAIT)
    old.take_chat(chat_id)
    qtbot.waitUntil(lambda: old.tab_manager.chat_tab(chat_id) is not None, timeout=WAIT)
    qtbot.keyClicks(old.tab_manager.chat_tab(chat_id).composer, "Checking now")
    old.tab_manager.open_tickets()
    assert old.tabs.tabText(0).startswith("Waiting chats")
    assert old.tickets_button.text() == "Tickets"

    choose_language(qtbot, old, Qt.Key.Key_End)          # the last entry: Русский
    qtbot.waitUntil(lambda: desk.window is not old and desk.language.rebuilds == 1,
                    timeout=WAIT)
    w = desk.window
    assert translations().language == "ru" and desk.preferences.language == "ru"
    wait_connected(qtbot, w)
    qtbot.waitUntil(lambda: w.tab_manager.chat_tab(chat_id) is not None and w.tab_manager.find_tab("tickets") >= 0,
                    timeout=WAIT)
    # every visible string in Russian at once
    assert w.tabs.tabText(0).startswith("Очередь чатов")
    assert w.tickets_button.text() == "Тикеты"
    assert w.commands["app.settings"].text().replace("&", "") == "Настройки…"
    tab = w.tab_manager.chat_tab(chat_id)
    assert tab.send_button.text() == "Отправить"
    assert w.tabs.tabText(w.tab_manager.find_tab("tickets")) == "Тикеты"
    # the work survived: the draft, the current tab, the chat still mine
    assert tab.composer.toPlainText() == "Checking now"
    assert w.isVisible()
    assert QLocale().language() == QLocale.Language.Russian
    qtbot.waitUntil(lambda: not qt_is_valid(old), timeout=WAIT)     # the old frame is gone

    # and back to English, with Apply (the dialog stays open, rebuilt with the window)
    dialog = choose_language(qtbot, w, Qt.Key.Key_Home, QDialogButtonBox.StandardButton.Apply)
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: desk.language.rebuilds == 2, timeout=WAIT)
    w2 = desk.window
    assert translations().language == "en"
    qtbot.waitUntil(lambda: w2.tab_manager.chat_tab(chat_id) is not None, timeout=WAIT)
    assert w2.tickets_button.text() == "Tickets"
    assert w2.settings_dialog is not None and w2.settings_dialog.isVisible()
    assert w2.settings_dialog.windowTitle() == "Settings"
    assert w2.tab_manager.chat_tab(chat_id).composer.toPlainText() == "Checking now"
    run(visitor.close())

"""The command palette (Ctrl+K) and the shortcut sheet (F1) on the real window against the REAL
server (tests/support/server.py) with a real visitor: every interaction is key presses and
typing, as a person does — Ctrl+K, type, Up/Down, Enter, Esc — and the effect is the real one
(the tickets tab in front, a tab brought back, a chat taken, a client tab opened from the
server's client search)."""

from __future__ import annotations

from supportdesk_qt.qt import QApplication, QKeySequence, Qt
from supportdesk_qt.ui.chat.chat_tab import ChatTab
from supportdesk_qt.ui.client.client_tab import ClientTab
from supportdesk_qt.ui.command_palette import PALETTE_ID, SHEET_ID
from supportdesk_qt.ui.command_palette.model import PaletteModel
from supportdesk_qt.ui.tickets.tickets_tab import TicketsTab
from tests.ui.test_shell import desk_factory, visitor  # noqa: F401  (fixtures)

WAIT = 20_000
CTRL = Qt.KeyboardModifier.ControlModifier


def open_palette(qtbot, w):
    qtbot.keyClick(w, Qt.Key.Key_K, CTRL)
    palette = w.command_palette
    qtbot.waitUntil(palette.isVisible, timeout=WAIT)
    qtbot.waitUntil(palette.edit.hasFocus, timeout=WAIT)
    return palette


def rows(palette) -> list[tuple[str, str, str]]:
    m = palette.model
    return [(m.index(r).data(PaletteModel.KindRole), m.index(r).data(),
             m.index(r).data(PaletteModel.ShortcutRole)) for r in range(m.rowCount())]


def current_key(palette) -> str:
    return palette.view.currentIndex().data(PaletteModel.KeyRole)


def test_ctrl_k_lists_every_command_with_its_shortcut_and_esc_closes(qtbot, desk_factory,
                                                                     qtmodeltester):
    w = desk_factory().window
    assert w.commands[PALETTE_ID].shortcut().toString() == "Ctrl+K"
    palette = open_palette(qtbot, w)
    qtmodeltester.check(palette.model)
    listed = rows(palette)
    commands = {e.text: e for e in w.commands.entries() if e.enabled and e.id != PALETTE_ID}
    shown = {title: shortcut for kind, title, shortcut in listed if kind == "command"}
    assert shown.keys() == commands.keys()
    assert shown["Tickets"] == "Ctrl+2" and shown["Keyboard shortcuts"] == "F1"
    assert shown["Close tab"] == "Ctrl+W"            # the first key; the F1 sheet has them all
    tabs = [title for kind, title, _s in listed if kind == "tab"]
    assert len(tabs) == w.tabs.count() and tabs[0].startswith("Waiting chats")
    qtbot.keyClick(palette.edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not palette.isVisible(), timeout=WAIT)


def test_type_and_enter_runs_the_best_command(qtbot, desk_factory):
    w = desk_factory().window
    palette = open_palette(qtbot, w)
    qtbot.keyClicks(palette.edit, "tickets")
    assert current_key(palette) == "command:tickets.open"
    with qtbot.waitSignal(palette.ran, timeout=WAIT) as ran:
        qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    assert ran.args == ["command:tickets.open"] and not palette.isVisible()
    qtbot.waitUntil(lambda: isinstance(w.tabs.currentWidget(), TicketsTab), timeout=WAIT)


def test_fuzzy_letters_up_and_down_choose_and_a_tab_comes_to_the_front(qtbot, run,
                                                                       desk_factory):
    d = desk_factory()
    w = d.window
    tickets = run(d.backend.list_tickets(limit=50)).items
    client_id = next(t.client_id for t in tickets if t.client_id)
    w.tab_manager.open_client(client_id)
    qtbot.waitUntil(lambda: isinstance(w.tabs.currentWidget(), ClientTab)
                    and w.tabs.currentWidget().client is not None, timeout=WAIT)
    client_tab = w.tabs.currentWidget()
    title = client_tab.title()
    qtbot.keyClick(w, Qt.Key.Key_1, CTRL)                  # back to the waiting chats
    assert w.tabs.currentWidget() is w.queue_page

    palette = open_palette(qtbot, w)
    qtbot.keyClicks(palette.edit, title)
    keys = [palette.model.index(r).data(PaletteModel.KeyRole)
            for r in range(palette.model.rowCount())]
    wanted = f"tab:client:{client_id}"
    assert wanted in keys
    # walk to it with the arrow keys (Down past it and Up back, the list stops at its ends)
    for _ in keys:
        if current_key(palette) == wanted:
            break
        qtbot.keyClick(palette.edit, Qt.Key.Key_Down)
    qtbot.keyClick(palette.edit, Qt.Key.Key_Down)
    qtbot.keyClick(palette.edit, Qt.Key.Key_Up)
    if current_key(palette) != wanted:                     # it was the last row
        qtbot.keyClick(palette.edit, Qt.Key.Key_Down)
    assert current_key(palette) == wanted
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.tabs.currentWidget() is client_tab, timeout=WAIT)


def test_a_waiting_chat_is_taken_by_its_visitors_name(qtbot, run, desk_factory, visitor):
    w = desk_factory().window
    run(visitor.start_chat("Technical support", "Zelda Quenby", "hello from the palette"))
    chat_id = visitor.chat["id"]
    qtbot.waitUntil(lambda: w.queue_model.chat(chat_id) is not None, timeout=WAIT)
    palette = open_palette(qtbot, w)
    qtbot.keyClicks(palette.edit, "zel que")                 # two fuzzy words
    assert current_key(palette) == f"chat:{chat_id}"
    row = palette.view.currentIndex()
    assert "Technical support" in row.data(PaletteModel.DetailRole)
    qtbot.keyClick(palette.edit, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: isinstance(w.tabs.currentWidget(), ChatTab)
                    and w.tabs.currentWidget().chat_id == chat_id, timeout=WAIT)
    qtbot.waitUntil(lambda: w.queue_model.chat(chat_id) is None, timeout=WAIT)


def test_a_client_found_by_the_servers_search_opens_in_a_tab(qtbot, run, desk_factory):
    d = desk_factory()
    w = d.window
    tickets = run(d.backend.list_tickets(limit=50)).items
    client = run(d.backend.get_client(next(t.client_id for t in tickets if t.client_id)))
    palette = open_palette(qtbot, w)
    with qtbot.waitSignal(palette.clientsShown, timeout=WAIT) as shown:
        qtbot.keyClicks(palette.edit, client.email)       # debounced: one search after typing
    assert shown.args[0] >= 1
    keys = [palette.model.index(r).data(PaletteModel.KeyRole)
            for r in range(palette.model.rowCount())]
    assert f"client:{client.id}" in keys and keys[-1] == f"search:{client.email}"
    for _ in keys:
        if current_key(palette) == f"client:{client.id}":
            break
        qtbot.keyClick(palette.edit, Qt.Key.Key_Down)
    assert current_key(palette) == f"client:{client.id}", (keys, current_key(palette),
                                                             palette.isVisible())
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(w.tabs.currentWidget(), ClientTab)
                    and w.tabs.currentWidget().client_id == client.id, timeout=WAIT)


def test_f1_shows_every_command_and_follows_a_changed_shortcut(qtbot, desk_factory,
                                                              qtmodeltester):
    d = desk_factory()
    w = d.window
    qtbot.keyClick(w, Qt.Key.Key_F1)
    sheet = w.shortcut_sheet
    qtbot.waitUntil(sheet.isVisible, timeout=WAIT)
    model = sheet.model
    qtmodeltester.check(model)
    for entry in w.commands.entries():
        assert model.shortcut_of(entry.id) == (entry.shortcut_text or sheet.tr("none"))
    assert model.shortcut_of(PALETTE_ID) == "Ctrl+K" and model.shortcut_of(SHEET_ID) == "F1"
    categories = {model.item(r, 0).text() for r in range(model.rowCount())}
    assert {"Chats", "Tabs", "Desk", "Help"} <= categories
    # a key changed in the settings (the preference) shows in the open sheet at once
    d.prefs.shortcuts = {"tickets.open": "Ctrl+Shift+K"}
    assert model.shortcut_of("tickets.open") == "Ctrl+Shift+K"
    # and the palette's own key can be changed too
    d.prefs.shortcuts = {PALETTE_ID: "Ctrl+Shift+P"}
    assert w.commands.shortcuts(PALETTE_ID) == (QKeySequence("Ctrl+Shift+P"),)
    assert model.shortcut_of(PALETTE_ID) == "Ctrl+Shift+P"
    # typing filters
    qtbot.keyClicks(sheet.filter_edit, "ctrl+shift+p")
    assert sheet.proxy.rowCount() == 1
    group = sheet.proxy.index(0, 0)
    assert sheet.proxy.rowCount(group) == 1
    assert sheet.proxy.index(0, 0, group).data() == "Command palette…"
    qtbot.keyClick(sheet.filter_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not sheet.isVisible(), timeout=WAIT)
    assert QApplication.activeModalWidget() is None


def test_the_model_ranks_local_entries_then_clients_then_the_search(qapp, qtmodeltester):
    from supportdesk_qt.ui.command_palette.model import CLIENT, COMMAND, SEARCH, TAB, Entry

    ran: list[str] = []
    local = [Entry(COMMAND, "Next tab", lambda: ran.append("next"), key="command:tab.next"),
             Entry(COMMAND, "Close tab", lambda: ran.append("close"), key="command:tab.close"),
             Entry(TAB, "Tamara Ivanova", lambda: None, detail="open tab", key="tab:chat:1")]
    model = PaletteModel()
    model.set_local(local)
    qtmodeltester.check(model)
    assert model.rowCount() == 3                                   # nothing typed: all, in order
    search = [Entry(SEARCH, "Search clients for “ta”", lambda: None, key="search:ta")]
    model.set_query("ta", search)
    keys = [e.key for e in model.entries()]
    assert keys[0] == "tab:chat:1" and keys[-1] == "search:ta"     # "Ta…" at the start wins
    model.set_remote("ta", [Entry(CLIENT, "Tatiana Client", lambda: None, key="client:9")])
    assert [e.key for e in model.entries()][-2:] == ["client:9", "search:ta"]
    client_row = [e.key for e in model.entries()].index("client:9")
    assert model.index(client_row).data(PaletteModel.PositionsRole) == (0, 1)    # "Ta" bold
    # an answer for text no longer typed is dropped
    model.set_query("clo")
    model.set_remote("ta", [Entry(CLIENT, "Old Answer", lambda: None, key="client:1")])
    assert [e.key for e in model.entries()] == ["command:tab.close"]
    assert model.index(0).data(PaletteModel.PositionsRole) == (0, 1, 2)
    assert model.index(0).data(Qt.ItemDataRole.AccessibleTextRole) == "Close tab"
    model.entry(0).run()
    assert ran == ["close"]

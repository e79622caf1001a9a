"""Issue 10, item 6: typing in a composer and changing tabs performs no file write on the GUI thread.

The real desk (tests/ui/test_shell.py's ``desk_factory``: MainWindow over the real server, wired
as app.py does) with a chat taken from a real visitor and a ticket open. While the agent types in
the chat's and the ticket's composers and changes tabs (Ctrl+Tab, a click on the tab bar), an
audit hook (``sys.addaudithook``) records every file opened for writing, every rename/replace and
every delete, with the thread that did it. The drafts and the open tabs must reach the disk (waited for
by reading the files), and none of those writes may come from the main (GUI) thread.
"""

from __future__ import annotations

import json
import os
import sys
import threading

from supportdesk_qt.core import persist
from supportdesk_qt.qt import QKeySequence, Qt
from tests.ui.test_desk_e2e import desk, sign_in, wait_connected  # noqa: F401 (fixture)
from tests.ui.test_shell import desk_factory, take_via_popup, visitor  # noqa: F401 (fixtures)
from tests.ui.visitor import Visitor

WAIT = 20_000
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

#: While not None, the audit hook appends (event, path, on the main thread?) here. The hook
#: cannot be removed once added, so it is added once per process and gated by this list.
_recording: list[tuple[str, str, bool]] | None = None
_hooked = False


def _audit(event: str, args: tuple) -> None:
    rec = _recording
    if rec is None:
        return
    if event == "open":
        path, mode, flags = args
        writes = (any(c in mode for c in "wax+") if isinstance(mode, str)
                  else bool((flags or 0) & _WRITE_FLAGS))
        if not writes:
            return
    elif event == "os.rename":              # os.rename and os.replace: the file it becomes
        path = args[1]
    elif event in ("os.remove", "os.truncate", "sqlite3.connect"):
        path = args[0]
    else:
        return
    rec.append((event, os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike))
                else repr(path), threading.current_thread() is threading.main_thread()))


def _start_recording() -> list[tuple[str, str, bool]]:
    global _recording, _hooked
    if not _hooked:
        sys.addaudithook(_audit)
        _hooked = True
    _recording = []
    return _recording


def _stop_recording() -> None:
    global _recording
    _recording = None


def _file_json(path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def test_typing_in_a_composer_and_changing_tabs_writes_nothing_on_the_gui_thread(
        qtbot, run, visitor, desk_factory, tmp_path):  # noqa: F811
    d = desk_factory()
    w = d.window
    run(visitor.start_chat("Billing", "Ann Example", "Hello, my invoice looks wrong"))
    chat_id = visitor.chat["id"]
    tab = take_via_popup(qtbot, w, chat_id)
    qtbot.waitUntil(lambda: tab.model.is_loaded, timeout=WAIT)
    w.tab_manager.open_client(3, focus=False)
    qtbot.waitUntil(lambda: w.tab_manager.find_tab("client:3") >= 0, timeout=WAIT)
    ticket_id = run(d.backend.list_tickets(limit=1)).items[0].id
    w.tab_manager.open_ticket(ticket_id, focus=False)
    qtbot.waitUntil(lambda: w.tab_manager.find_tab(f"ticket:{ticket_id}") >= 0
                    and w.tabs.widget(w.tab_manager.find_tab(f"ticket:{ticket_id}")).ticket is not None,
                    timeout=WAIT)
    ticket_tab = w.tabs.widget(w.tab_manager.find_tab(f"ticket:{ticket_id}"))
    w.tabs.setCurrentWidget(tab)
    drafts_file, state_file = tmp_path / "drafts.json", tmp_path / "state.json"
    ticket_drafts_file = tmp_path / "ticket-drafts.json"

    writes = _start_recording()
    try:
        qtbot.mouseClick(tab.composer.viewport(), Qt.MouseButton.LeftButton)
        qtbot.keyClicks(tab.composer, "Half-written answer")
        qtbot.keySequence(w, QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Tab))   # next tab
        assert w.tabs.currentWidget() is not tab
        bar = w.tabs.tabBar()                              # back to the chat with the mouse
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton,
                         pos=bar.tabRect(w.tabs.indexOf(tab)).center())
        qtbot.waitUntil(lambda: w.tabs.currentWidget() is tab, timeout=WAIT)
        qtbot.keyClicks(tab.composer, " about the refund")
        w.tabs.setCurrentWidget(ticket_tab)                # the ticket composer, too
        qtbot.mouseClick(ticket_tab.composer.viewport(), Qt.MouseButton.LeftButton)
        qtbot.keyClicks(ticket_tab.composer, "Dear client, ")
        w.tabs.setCurrentIndex(w.tab_manager.find_tab("client:3"))     # and away again: the tab is hidden
        text = "Half-written answer about the refund"
        qtbot.waitUntil(lambda: _file_json(ticket_drafts_file).get(str(ticket_id), {})
                        .get("text") == "Dear client, ", timeout=WAIT)
        # it reaches the disk (so something was written, by someone) ...
        qtbot.waitUntil(lambda: _file_json(drafts_file).get(str(chat_id), {}).get("text") == text,
                        timeout=WAIT)
        qtbot.waitUntil(lambda: _file_json(state_file).get("open_tabs", {}).get("current")
                        == "client:3", timeout=WAIT)
    finally:
        _stop_recording()
    on_disk = [(event, path) for event, path, _main in writes]
    # ... the hook saw those writes (it works), done by another thread ...
    assert any(e == "os.rename" and path.endswith("drafts.json") for e, path in on_disk), on_disk
    assert any(e == "os.rename" and path.endswith("state.json") for e, path in on_disk), on_disk
    assert any(e == "os.rename" and path.endswith("ticket-drafts.json")
               for e, path in on_disk), on_disk
    # ... and not one write on the GUI thread
    assert [(event, path) for event, path, main in writes if main] == []


def test_quitting_writes_what_was_typed_a_moment_before(qtbot, run, server, desk, monkeypatch):  # noqa: F811
    """The app's quit path hands over every draft and waits for the writer (bounded): a draft
    typed just before quitting is on disk when the desk has shut down, although the writer would
    by itself have waited far longer."""
    writer = persist.writer()
    monkeypatch.setattr(writer, "delay", 60.0)
    monkeypatch.setattr(writer, "max_delay", 120.0)
    sign_in(qtbot, desk)
    wait_connected(qtbot, desk)
    w = desk.window
    v = Visitor(server.url)
    run(v.connect())
    try:
        run(v.start_chat("Billing", "Bo Quick", "Are you there?"))
        tab = take_via_popup(qtbot, w, v.chat["id"])
        qtbot.mouseClick(tab.composer.viewport(), Qt.MouseButton.LeftButton)
        qtbot.keyClicks(tab.composer, "Yes, one moment")
        # (the "stopped typing" ping now, while the desk still runs tasks: this window lives on
        # after the desk in the test process, and its idle timer would fire into the next test)
        tab.composer.stop_typing()
        drafts_file = w.workspace.drafts.path
        desk.request_quit()                                  # at once: no timer fired yet
        qtbot.waitUntil(desk.runner.done, timeout=WAIT)
    finally:
        run(v.close())
    assert writer.pending() == {}
    assert _file_json(drafts_file)[str(v.chat["id"])]["text"] == "Yes, one moment"
    state = _file_json(desk.window_state.path)
    assert state["main_window_geometry"] and f"chat:{v.chat['id']}" in state["open_tabs"]["keys"]

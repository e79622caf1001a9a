"""Issue 9, item 10: the desk's transcript shows what happened to the chat, as the widget does —
"Dana Demo joined", "Forwarded to Technical support by Dana Demo", "Returned to Sales: nobody
took it", "Closed by the visitor" — as system lines with their time, where they happened among
the messages, live and after the chat is opened again.

The real desk (main window) against the real demo server (forwards return after 3 s here), a
visitor speaking the widget's protocol (tests/ui/visitor.py), a colleague over HTTP. Clicks and
keys as a person; every wait a waitUntil.
"""

from __future__ import annotations

import json

import pytest

from supportdesk_protocol.schemas import AuthorKind, ChatEvent, ChatEventKind
from supportdesk_qt.qt import QKeySequence, Qt
from supportdesk_qt.ui.chat.event_lines import event_line
from supportdesk_qt.ui.chat.message_delegate import format_time
from supportdesk_qt.ui.chat.message_model import MessageModel
from supportdesk_qt.ui.common.text import FSI, PDI
from tests.support.hostile import RLO
from tests.support.server import ServerProcess
from tests.ui.test_chat_workspace import Colleague, click_department, open_forward, rows
from tests.ui.test_shell import WAIT, desk_factory, take_via_popup, visitor  # noqa: F401


@pytest.fixture
def server(tmp_path):
    """A demo server of this module's own: a forward nobody takes returns after 3 s."""
    srv = ServerProcess(tmp_path / "server", demo=True, demo_clients=20,
                        extra_args=["--forward-return-seconds", "3"])
    srv.start()
    yield srv
    srv.stop()


def lines(model: MessageModel) -> list[tuple[str, str]]:
    """(who, text) of every row, in order: "" for a system line."""
    return [("" if model.row(i).author_kind == AuthorKind.SYSTEM else model.row(i).author_kind,
             model.index(i).data(MessageModel.TextRole)) for i in range(model.rowCount())]


def painted(view, model: MessageModel, text: str) -> str:
    """What the delegate lays out for the system line ``text``: its time in front."""
    row = next(i for i in range(model.rowCount())
               if model.index(i).data(MessageModel.TextRole) == text)
    return view.delegate.laid(model.index(row)).layout.text()


def test_the_transcript_shows_joined_forwarded_returned_and_closed_and_keeps_them(
        qtbot, run, server, visitor, desk_factory):  # noqa: F811
    d = desk_factory()
    w = d.window
    Colleague(server, "priya").status("online")          # someone to forward to
    run(visitor.start_chat("Sales", "Vera Visitor", "My site is down"))
    chat_id = visitor.chat["id"]

    # the agent takes it: the line says she joined, after the visitor's first message
    tab = take_via_popup(qtbot, w, chat_id)
    qtbot.waitUntil(lambda: ("", "Dana Demo joined") in lines(tab.model), timeout=WAIT)
    assert lines(tab.model) == [("visitor", "My site is down"), ("", "Dana Demo joined")]
    joined = painted(tab.view, tab.model, "Dana Demo joined")
    when = tab.model.row(1).created_at
    assert joined == f"{format_time(when)} · Dana Demo joined"

    tab.composer.setFocus()
    qtbot.keyClicks(tab.composer, "Let me pass you to our technicians")
    qtbot.keyClick(tab.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.model.row(tab.model.rowCount() - 1).seq == 2, timeout=WAIT)

    # she forwards it to Technical support with a word for the colleagues; her tab goes
    dlg = open_forward(qtbot, tab)
    qtbot.waitUntil(lambda: rows(dlg.model)["Technical support"][1], timeout=WAIT)
    click_department(qtbot, dlg, "Technical support")
    dlg.comment.setFocus()
    qtbot.keyClicks(dlg.comment, "DNS")
    qtbot.mouseClick(dlg.forward_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.tab_manager.chat_tab(chat_id) is None, timeout=WAIT)

    # nobody takes it in time: it comes back to Sales, and she takes it again
    sales = visitor.department_id("Sales")
    qtbot.waitUntil(lambda: w.queue_model.chat(chat_id) is not None
                    and w.queue_model.chat(chat_id).department_id == sales
                    and not w.queue_model.chat(chat_id).forwarded, timeout=WAIT)
    tab = take_via_popup(qtbot, w, chat_id)
    qtbot.waitUntil(lambda: tab.model.is_loaded
                    and lines(tab.model).count(("", "Dana Demo joined")) == 2, timeout=WAIT)
    history = [
        ("visitor", "My site is down"),
        ("", "Dana Demo joined"),
        ("agent", "Let me pass you to our technicians"),
        ("", "Forwarded to Technical support by Dana Demo: “DNS”"),
        ("", "Returned to Sales: nobody took it"),
        ("", "Dana Demo joined"),
    ]
    assert lines(tab.model) == history                 # what happened, in the order it did

    # live: the visitor writes and ends the chat; the line comes after the message
    run(visitor.send("never mind, it works again"))
    run(visitor.ws.send(json.dumps({"op": "close"})))
    history += [("visitor", "never mind, it works again"), ("", "Closed by the visitor")]
    # both arrive as events; under load the check can run between them, so wait for both
    qtbot.waitUntil(lambda: all(item in lines(tab.model) for item in history[-2:]), timeout=WAIT)
    assert lines(tab.model) == history
    assert painted(tab.view, tab.model, "Closed by the visitor").endswith(
        " · Closed by the visitor")

    # the agent closes the tab; the same visitor comes back; the earlier chat, opened from the
    # new chat's panel, shows every line again (read from the server)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=WAIT)
    qtbot.keySequence(w, QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_W))
    qtbot.waitUntil(lambda: w.tab_manager.chat_tab(chat_id) is None, timeout=WAIT)
    frame = run(visitor.wait_for("chat"))              # the widget saw its chat end
    while frame["chat"]["state"] != "closed":
        frame = run(visitor.wait_for("chat"))
    run(visitor.start_chat("Sales", "Vera Visitor", "Me again"))
    assert visitor.chat["id"] != chat_id
    again = take_via_popup(qtbot, w, visitor.chat["id"])
    earlier = again.details.history
    qtbot.waitUntil(lambda: earlier.model.rowCount() > 0 and earlier.view.isVisible(),
                    timeout=WAIT)
    rect = earlier.view.visualRect(earlier.model.index(0))
    qtbot.mouseClick(earlier.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(earlier.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: w.tab_manager.find_tab(f"history:{chat_id}") >= 0, timeout=WAIT)
    reopened = w.tabs.widget(w.tab_manager.find_tab(f"history:{chat_id}"))
    qtbot.waitUntil(lambda: reopened.model.is_loaded and len(lines(reopened.model)) == len(history),
                    timeout=WAIT)
    assert lines(reopened.model) == history
    w.grab().save("/tmp/shots/chat_lines_reopened.png")


def _event(kind, **kw) -> ChatEvent:
    return ChatEvent(id=1, chat_id=1, kind=kind, at="2026-12-04T08:22:00Z", **kw)


def test_each_line_says_who_and_where_and_isolates_what_people_typed(qapp):
    assert event_line(_event(ChatEventKind.JOINED, agent_name="Dana Demo")) == "Dana Demo joined"
    assert event_line(_event(ChatEventKind.FORWARDED, agent_name="Dana Demo",
                             department_name="Technical support")) == (
        "Forwarded to Technical support by Dana Demo")
    assert event_line(_event(ChatEventKind.RETURNED, department_name="Sales")) == (
        "Returned to Sales: nobody took it")
    assert event_line(_event(ChatEventKind.CLOSED, by_visitor=True)) == "Closed by the visitor"
    assert event_line(_event(ChatEventKind.CLOSED, agent_name="Dana Demo")) == (
        "Closed by Dana Demo")
    assert event_line(_event(ChatEventKind.RELEASED, agent_name="Tom Becker", reason="offline")
                      ) == "Tom Becker went offline: the chat is waiting again"
    # a department without a name (deleted) is still named, by number
    assert event_line(_event(ChatEventKind.RETURNED, department_id=7)) == (
        "Returned to department 7: nobody took it")
    # names and comments are typed by people: a right-to-left override stays inside its isolate,
    # and a "%2" in a name is not a place holder
    hostile = f"{RLO}Evil %2"
    line = event_line(_event(ChatEventKind.FORWARDED, agent_name=hostile,
                             department_name="Sales", comment=f"{RLO}see"))
    assert line.startswith("Forwarded to Sales by " + FSI)
    assert f"{FSI}{RLO}Evil %2" in line and line.endswith(f"{FSI}{RLO}see{PDI}”")

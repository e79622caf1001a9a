"""The list of waiting chats while colleagues work on it (issue 9, "A day at the desk"), against the
REAL server with real visitors and real colleagues (a second desk, or Tom over plain HTTP):

- after the agent takes a chat, a second Enter does not take the chat that slid into its place;
- a chat a colleague takes stays in its place, faded and marked "Taken by Tom Becker", cannot be
  taken, hides its tooltip, and only then goes;
- two desks press Enter on the same chat: exactly one gets it, the other is told;
- a chat that came back from a colleague shows the forwarded arrows, and the tab and the pop-up
  show the same tooltip, with the history's lines labelled by who wrote them.

Real clicks and keys; every wait is a waitUntil/waitSignal.
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from supportdesk_qt.qt import QApplication, QEvent, Qt, QtGui, QToolTip
from supportdesk_qt.ui.models.queue_model import QueueModel
from tests.ui.test_shell import (  # noqa: F401 - fixtures are used by name
    WAIT,
    desk_factory,
    open_popup,
    popup_click_row,
    tom_token,
    visitor,
)
from tests.ui.visitor import Visitor

SHOTS = Path(os.environ.get("SUPPORTDESK_SHOTS", "/tmp/supportdesk-shots"))


_TOKENS: dict[str, str] = {}


def tom(server, method: str, path: str, **kw) -> httpx.Response:
    """Tom Becker (Technical support) over plain HTTP. The call blocks the desk's loop, so the
    token is fetched once per server (a login hashes a password) to keep the block short."""
    token = _TOKENS.get(server.url) or _TOKENS.setdefault(server.url, tom_token(server))
    r = httpx.request(method, server.api(path), headers={"Authorization": f"Bearer {token}"}, **kw)
    r.raise_for_status()
    return r


def show_queue_tab(qtbot, w) -> None:
    bar = w.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(0).center())
    qtbot.waitUntil(lambda: w.tabs.currentWidget() is w.queue_page, timeout=WAIT)


def row_rect(view, chat_id: int):
    model = view.model()
    row = model.row_of(chat_id)
    assert row >= 0
    return view.visualRect(model.index(row))


def click_row(qtbot, view, chat_id: int) -> None:
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=row_rect(view, chat_id).center())


def hover_tooltip(qtbot, view, chat_id: int) -> tuple[str, str]:
    """Rest the mouse on the chat's row until its tooltip with the history shows."""
    pos = row_rect(view, chat_id).center()
    qtbot.mouseMove(view.viewport(), pos)
    vp = view.viewport()
    with qtbot.waitSignal(view.historyShown, timeout=WAIT) as sig:
        QApplication.sendEvent(vp, QtGui.QHelpEvent(QEvent.Type.ToolTip, pos, vp.mapToGlobal(pos)))
    return sig.args[0], sig.args[1]


def current_chat(view) -> int | None:
    idx = view.currentIndex()
    return idx.data(QueueModel.ChatIdRole) if idx.isValid() else None


@pytest.fixture
def start_chats(qtbot, run, server):
    """``start_chats(window, *names)``: one visitor per name starts a chat in Technical support;
    returns the chat ids once the window lists them. The visitors leave at teardown."""
    visitors: list[Visitor] = []

    def start(w, *names: str) -> list[int]:
        ids = []
        for name in names:
            v = Visitor(server.url)
            visitors.append(v)
            run(v.connect())
            run(v.start_chat("Technical support", name, f"hello from {name}"))
            ids.append(v.chat["id"])
        for chat_id in ids:
            qtbot.waitUntil(lambda c=chat_id: w.queue_model.chat(c) is not None, timeout=WAIT)
        return ids

    yield start
    for v in visitors:
        run(v.close())


def test_after_taking_a_chat_enter_again_does_not_take_the_next_one(qtbot, desk_factory,
                                                                    start_chats):
    w = desk_factory().window
    first, second = start_chats(w, "First Visitor", "Second Visitor")
    show_queue_tab(qtbot, w)
    view = w.queue_view
    click_row(qtbot, view, first)
    assert current_chat(view) == first
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.tab_manager.chat_tab(first) is not None, timeout=WAIT)

    show_queue_tab(qtbot, w)
    # the highlighted chat left; nothing else is highlighted in its place
    assert current_chat(view) is None
    assert not view.selectionModel().hasSelection()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert not w.workspace.taking                     # Enter started no take
    assert w.queue_model.chat(second) is not None and w.tab_manager.find_tab(f"chat:{second}") < 0
    # moving with the keyboard selects a chat again, and then Enter takes that one
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert current_chat(view) is not None


def test_a_chat_a_colleague_takes_stays_marked_then_goes_and_cannot_be_taken(
        qtbot, server, desk_factory, start_chats):
    w = desk_factory().window
    taken, other = start_chats(w, "Taken Visitor", "Other Visitor")
    w.queue_model.LINGER_MS = 8000    # 2.5 s in the desk; room for a busy test machine
    show_queue_tab(qtbot, w)
    view = w.queue_view
    click_row(qtbot, view, taken)
    text, shell = hover_tooltip(qtbot, view, taken)
    assert "Taken Visitor" in text and "hello from Taken Visitor" in text
    assert QToolTip.isVisible()
    row_before = w.queue_model.row_of(taken)

    tom(server, "POST", f"/chats/{taken}/take")
    qtbot.waitUntil(lambda: w.queue_model.leaving_reason(taken) == "Taken by Tom Becker",
                    timeout=WAIT)
    # same place, still the highlighted chat, no longer counted
    assert w.queue_model.row_of(taken) == row_before
    assert current_chat(view) == taken
    assert w.counter_button.count() == w.queue_model.waiting_count()
    assert w.queue_model.chat(taken) is None
    # the tooltip of the old history is gone (hidden, or shown afresh saying who took it)
    qtbot.waitUntil(lambda: not QToolTip.isVisible()
                    or "Taken by Tom Becker" in QToolTip.text(), timeout=WAIT)
    SHOTS.mkdir(parents=True, exist_ok=True)
    w.queue_page.grab().save(str(SHOTS / "queue-taken-by.png"))

    # Enter on it takes nothing and says why (in the status bar, which other news may
    # overwrite a moment later: the sentence is caught as it is shown)
    with qtbot.waitSignal(w.statusBar().messageChanged, timeout=WAIT,
                          check_params_cb=lambda m: m == "Taken by Tom Becker"):
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert not w.workspace.taking

    # after a moment the row goes; the chat below does not inherit the highlight
    qtbot.waitUntil(lambda: w.queue_model.row_of(taken) < 0, timeout=WAIT)
    assert current_chat(view) is None
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert not w.workspace.taking and w.tab_manager.find_tab(f"chat:{other}") < 0


def test_two_desks_take_the_same_chat_exactly_one_gets_it(qtbot, server, desk_factory,
                                                          start_chats):
    dana = desk_factory().window
    tom_desk = desk_factory(login="tom").window
    [chat_id] = start_chats(dana, "Raced Visitor")
    qtbot.waitUntil(lambda: tom_desk.queue_model.chat(chat_id) is not None, timeout=WAIT)
    for w in (dana, tom_desk):
        show_queue_tab(qtbot, w)
        click_row(qtbot, w.queue_view, chat_id)
    said: dict[int, list[str]] = {id(w): [] for w in (dana, tom_desk)}
    for w in (dana, tom_desk):
        w.statusBar().messageChanged.connect(said[id(w)].append)
    # both press Enter on the same row before either heard the other
    qtbot.keyClick(dana.queue_view, Qt.Key.Key_Return)
    qtbot.keyClick(tom_desk.queue_view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dana.workspace.taking and not tom_desk.workspace.taking, timeout=WAIT)
    winners = [w for w in (dana, tom_desk) if w.tab_manager.chat_tab(chat_id) is not None]
    assert len(winners) == 1
    winner = winners[0]
    loser = tom_desk if winner is dana else dana
    assert "A colleague took this chat first" in said[id(loser)]
    assert "A colleague took this chat first" not in said[id(winner)]
    name = "Dana Demo" if winner is dana else "Tom Becker"
    qtbot.waitUntil(lambda: loser.queue_model.leaving_reason(chat_id) == f"Taken by {name}",
                    timeout=WAIT)
    qtbot.waitUntil(lambda: loser.queue_model.row_of(chat_id) < 0, timeout=WAIT)
    r = tom(server, "GET", f"/chats/{chat_id}")
    assert r.json()["state"] == "active"
    assert r.json()["assignee_id"] == winner.agent.id


def test_a_chat_back_from_a_colleague_has_arrows_and_both_lists_show_one_labelled_tooltip(
        qtbot, server, desk_factory, start_chats):
    w = desk_factory().window
    [chat_id] = start_chats(w, "Back Visitor")
    assert not w.queue_model.index(w.queue_model.row_of(chat_id)).data(QueueModel.ForwardedRole)
    # Tom takes it, answers, asks the visitor to log in (a system line), then gives it back
    tom(server, "POST", f"/chats/{chat_id}/take")
    tom(server, "POST", f"/chats/{chat_id}/messages",
        json={"client_msg_id": "tom-1", "text": "Let me check that"})
    tom(server, "POST", f"/chats/{chat_id}/auth-request", json={"kind": "authorize"})
    tom(server, "POST", f"/chats/{chat_id}/release")
    model = w.queue_model
    qtbot.waitUntil(lambda: model.chat(chat_id) is not None
                    and model.chat(chat_id).message_count >= 3, timeout=WAIT)
    assert model.index(model.row_of(chat_id)).data(QueueModel.ForwardedRole) is True

    show_queue_tab(qtbot, w)
    tab_text, tab_shell = hover_tooltip(qtbot, w.queue_view, chat_id)
    lines = tab_text.splitlines()     # details first, then the history (the last lines)
    assert "Back in the list: a colleague could not answer it" in lines
    visitor_line = [line for line in lines if "hello from Back Visitor" in line][-1]
    agent_line = [line for line in lines if "Let me check that" in line][-1]
    system_line = [line for line in lines if "asked you to confirm who you are" in line][-1]
    assert "Back Visitor: hello from Back Visitor" in visitor_line
    assert "Tom Becker: Let me check that" in agent_line
    # an event line: the time, then what happened; no "Agent:" or other author in front
    assert system_line.split("  ", 1)[1].startswith("Tom Becker asked you to confirm")
    assert "Agent:" not in tab_text

    QToolTip.hideText()
    open_popup(qtbot, w)
    popup_text, popup_shell = hover_tooltip(qtbot, w.queue_popup.view, chat_id)
    assert popup_text == tab_text and popup_shell == tab_shell
    w.queue_popup.hide()


def test_in_the_pop_up_a_taken_row_is_marked_and_enter_on_it_says_a_colleague_was_first(
        qtbot, server, desk_factory, start_chats):
    w = desk_factory().window
    taken, other = start_chats(w, "Popped Visitor", "Staying Visitor")
    w.queue_model.LINGER_MS = 8000    # 2.5 s in the desk; room for a busy test machine
    open_popup(qtbot, w)
    popup = w.queue_popup
    view = popup.view
    view.setCurrentIndex(w.queue_model.index(w.queue_model.row_of(taken)))
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Up)        # the agent arrows onto the chat
    assert current_chat(view) == taken
    tom(server, "POST", f"/chats/{taken}/take")
    qtbot.waitUntil(lambda: w.queue_model.leaving_reason(taken) == "Taken by Tom Becker",
                    timeout=WAIT)
    assert popup.header.text().startswith(f"{w.queue_model.waiting_count()} chat")
    SHOTS.mkdir(parents=True, exist_ok=True)
    popup.grab().save(str(SHOTS / "queue-popup-taken-by.png"))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert not w.workspace.taking
    assert popup.notice.text() == "A colleague took the chat with Popped Visitor first."
    qtbot.waitUntil(lambda: w.queue_model.row_of(taken) < 0, timeout=WAIT)
    assert current_chat(view) is None          # the next chat did not slide into the highlight
    popup_click_row(qtbot, w, other)           # a click on the next one takes it
    qtbot.waitUntil(lambda: w.tab_manager.chat_tab(other) is not None, timeout=WAIT)

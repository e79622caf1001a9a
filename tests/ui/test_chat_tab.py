"""The chat tab against the real server (tests/support/server.py) and a visitor client
(tests/ui/visitor.py): send/receive both ways, paging a long history, drafts across tabs and
restarts, typing both ways, a failed send retried exactly once, close, hostile text.

Widgets are driven with real keys and clicks; the asyncio side runs on the qasync loop of the
``aloop`` fixture (see conftest.py). No sleeps: every wait is ``qtbot.waitUntil``.
"""

from __future__ import annotations

import asyncio
import json
import uuid

import httpx
import pytest

from supportdesk_protocol.schemas import AuthorKind, ChatState
from supportdesk_qt.backend.base import ConnectionState
from supportdesk_qt.backend.http import HttpBackend
from supportdesk_qt.core.drafts import DraftStore
from supportdesk_qt.core.outbox import Outbox
from supportdesk_qt.qt import (QLabel, QMessageBox, QModelIndex, QPersistentModelIndex, QPoint,
                               Qt, QUrl)
from supportdesk_qt.ui.bridge import Bridge
from supportdesk_qt.ui.chat import ChatTab, MessageModel, SendState
from supportdesk_qt.core.workspace import Workspace
from supportdesk_qt.ui.compose import OutboxFeed
from supportdesk_qt.ui.chat.message_delegate import find_links, safe_url
from supportdesk_qt.ui.common.tooltips import plain_tooltip
from supportdesk_qt.ui.tabs import TabContext
from tests.ui.visitor import Visitor

WAIT = 20_000


class Desk:
    """What the main window has when a chat is taken: backend, bridge, tasks, agent, chat, and
    the agent's outbox every message goes through (resent on every reconnect)."""

    def __init__(self, qtbot, run, tasks, server, *, department="Billing",
                 visitor_name="Ann Example", first="Hello, my invoice looks wrong"):
        self.qtbot, self.run, self.tasks, self.server = qtbot, run, tasks, server
        self.backend = HttpBackend(server.url)
        run(self.backend.login("demo", "demo"))
        self.agent = self.backend.agent
        self.bridge = Bridge(tasks)
        self.bridge.attach(self.backend)
        run(self.backend.start_events())
        qtbot.waitUntil(lambda: self.backend.connection_state == ConnectionState.CONNECTED,
                        timeout=WAIT)
        self.visitor = Visitor(server.url)
        run(self.visitor.connect())
        run(self.visitor.start_chat(department, visitor_name, first))
        self.chat_id = self.visitor.chat["id"]
        self.chat = run(self.backend.take_chat(self.chat_id))
        self.drafts_path = server.workdir / "drafts.json"
        self.drafts = DraftStore(self.drafts_path)
        self.outbox = Outbox(server.workdir / f"outbox-{uuid.uuid4().hex[:8]}.sqlite3",
                             self.backend)
        # the outbox resends on every Resynced: the workspace's reconnect policy
        self.workspace = Workspace(self.backend, self.agent, drafts=self.drafts,
                                   outbox=self.outbox, spawn=tasks.spawn)
        self.bridge.resynced.connect(self.workspace.apply_resync)
        self.tabs: list[ChatTab] = []

    def open_tab(self, drafts: DraftStore | None = None) -> ChatTab:
        tab = ChatTab(TabContext.of(self.backend, self.tasks, bridge=self.bridge,
                                    drafts=drafts or self.drafts, outbox=self.outbox,
                                    agent=self.agent),
                      self.chat, department="Billing")
        self.qtbot.addWidget(tab)
        tab.resize(900, 620)
        tab.show()
        self.qtbot.waitExposed(tab)
        self.qtbot.waitUntil(lambda: tab.model.is_loaded, timeout=WAIT)
        self.tabs.append(tab)
        return tab

    def visitor_says(self, text: str) -> None:
        self.run(self.visitor.ws.send(json.dumps(
            {"op": "message", "client_msg_id": f"v-{uuid.uuid4().hex[:12]}", "text": text})))

    def visitor_frame(self, predicate, timeout: float = 15.0) -> dict:
        async def wait():
            for frame in self.visitor.frames:
                if predicate(frame):
                    return frame
            while True:
                frame = json.loads(await self.visitor.ws.recv())
                self.visitor.frames.append(frame)
                if predicate(frame):
                    return frame
        return self.run(asyncio.wait_for(wait(), timeout), timeout_ms=int(timeout * 1000) + 5000)

    def server_messages(self) -> list[dict]:
        token = self.server.login("demo")
        out, before = [], None
        while True:
            params = {"limit": 500} | ({"before_seq": before} if before else {})
            r = httpx.get(self.server.api(f"/chats/{self.chat_id}/messages"), params=params,
                          headers={"Authorization": f"Bearer {token}"})
            r.raise_for_status()
            page = r.json()
            out[0:0] = page["items"]
            if not page["has_more"]:
                return out
            before = page["items"][0]["seq"]

    def close(self) -> None:
        for tab in self.tabs:
            tab.dispose()          # safe after pytest-qt deleted the widget, too
        self.bridge.resynced.disconnect(self.workspace.apply_resync)
        self.run(self.workspace.close())            # closes the outbox
        self.run(self.visitor.close())
        self.run(self.bridge.detach())
        self.run(self.backend.close())


@pytest.fixture
def desk(qtbot, run, tasks, server):
    d = Desk(qtbot, run, tasks, server)
    yield d
    d.close()


def texts(model: MessageModel) -> list[str]:
    """The messages' texts, in order (the system lines of what happened to the chat, such as
    "Dana Demo joined", are left out: tests/ui/test_chat_lines.py is about them)."""
    return [model.index(i).data(MessageModel.TextRole) for i in range(model.rowCount())
            if not model.row(i).is_event]


def texts_and_lines(model: MessageModel) -> list[str]:
    """Every row's text, system lines included."""
    return [r.text for r in model.rows()]


def message_index(model: MessageModel, n: int) -> QModelIndex:
    """The model index of the ``n``-th message (system lines not counted)."""
    rows = [i for i in range(model.rowCount()) if not model.row(i).is_event]
    return model.index(rows[n])


def type_and_send(qtbot, tab: ChatTab, text: str) -> None:
    tab.composer.setFocus()
    qtbot.keyClicks(tab.composer, text)
    qtbot.keyClick(tab.composer, Qt.Key.Key_Return)


def row_rect(tab: ChatTab, row: int):
    return tab.view.visualRect(tab.model.index(row))


def wait_at_bottom(qtbot, tab: ChatTab) -> None:
    """The view laid the rows out and shows the newest one (it follows the tail)."""
    qtbot.waitUntil(lambda: tab.view.following_tail and tab.view.verticalScrollBar().maximum() > 0
                    and tab.view.viewport().rect().intersects(row_rect(tab, tab.model.rowCount() - 1)),
                    timeout=WAIT)


# --- send / receive ------------------------------------------------------------------------------


def test_messages_flow_both_ways(qtbot, desk):
    tab = desk.open_tab()
    assert texts(tab.model) == ["Hello, my invoice looks wrong"]
    assert tab.model.index(0).data(MessageModel.AuthorKindRole) == AuthorKind.VISITOR
    assert tab.name_label.text() == "Ann Example"
    assert "Billing" in tab.sub_label.text() and "Active" in tab.sub_label.text()

    desk.visitor_says("It says 120 EUR but my plan is 12 EUR")
    qtbot.waitUntil(lambda: len(texts(tab.model)) == 2, timeout=WAIT)
    assert texts(tab.model)[-1] == "It says 120 EUR but my plan is 12 EUR"

    type_and_send(qtbot, tab, "Let me check that for you")
    # in the model at once (pending), composer emptied only then (once it is on disk)
    assert texts(tab.model)[-1] == "Let me check that for you"
    qtbot.waitUntil(lambda: tab.composer.toPlainText() == "", timeout=WAIT)
    last = tab.model.rowCount() - 1
    qtbot.waitUntil(lambda: tab.model.index(last).data(MessageModel.SendStateRole) == SendState.SENT,
                    timeout=WAIT)
    assert tab.model.index(last).data(MessageModel.OwnRole) is True
    frame = desk.visitor_frame(lambda f: f.get("op") == "message"
                               and f["message"]["text"] == "Let me check that for you")
    assert frame["message"]["author_kind"] == "agent"

    # the chat.message event of our own message does not add a second row
    qtbot.waitUntil(lambda: len(texts(tab.model)) == 3 and tab.chat.message_count >= 3,
                    timeout=WAIT)
    seqs = [r.seq for r in tab.model.rows() if not r.is_event]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3

    # Shift+Enter is a new line, not a send
    qtbot.keyClicks(tab.composer, "line one")
    qtbot.keyClick(tab.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(tab.composer, "line two")
    assert tab.composer.toPlainText() == "line one\nline two"
    assert len(texts(tab.model)) == 3
    qtbot.keyClick(tab.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: texts(tab.model)[-1] == "line one\nline two", timeout=WAIT)
    qtbot.waitUntil(lambda: tab.model.row(tab.model.rowCount() - 1).state == SendState.SENT,
                    timeout=WAIT)
    assert [m["text"] for m in desk.server_messages()][-1] == "line one\nline two"


def test_model_passes_qtmodeltester(qtbot, qtmodeltester, desk):
    for i in range(3):
        desk.visitor_says(f"message {i}")
    qtbot.waitUntil(lambda: len(desk.server_messages()) == 4, timeout=WAIT)
    model = MessageModel(desk.backend, desk.tasks, desk.chat_id, desk.agent, page_size=2)
    desk.bridge.serverEvent.connect(model.apply_event)
    model.load()
    qtbot.waitUntil(lambda: model.is_loaded, timeout=WAIT)
    assert texts(model) == ["message 1", "message 2"] and model.has_more
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert not model.canFetchMore(QModelIndex())            # the guard: one fetch at a time
    qtbot.waitUntil(lambda: not model.fetching, timeout=WAIT)
    assert texts(model) == ["Hello, my invoice looks wrong", "message 0", "message 1", "message 2"]
    assert not model.has_more and not model.canFetchMore(QModelIndex())
    qtmodeltester.check(model, force_py=True)    # and it keeps checking every change below
    feed = OutboxFeed(desk.outbox, desk.tasks, desk.chat_id, ("chat_message",))
    feed.attach(model)
    feed.add("from the agent")

    def mine():
        return model.row(texts_and_lines(model).index("from the agent"))
    assert mine().state == SendState.PENDING
    qtbot.waitUntil(lambda: mine().state == SendState.SENT, timeout=WAIT)
    desk.visitor_says("thanks")
    qtbot.waitUntil(lambda: len(texts(model)) == 6, timeout=WAIT)
    assert texts(model)[-2:] == ["from the agent", "thanks"]
    desk.bridge.serverEvent.disconnect(model.apply_event)
    feed.close()


# --- paging --------------------------------------------------------------------------------------


def _post_many(server, chat_id: int, n: int) -> None:
    token = server.login("demo")
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=30) as http:
        for i in range(n):
            r = http.post(server.api(f"/chats/{chat_id}/messages"),
                          json={"client_msg_id": f"bulk-{i}", "text": f"history {i:04d}"})
            assert r.status_code == 201, r.text


def test_long_history_loads_newest_page_then_older_pages_on_scroll(qtbot, desk):
    _post_many(desk.server, desk.chat_id, 600)
    tab = desk.open_tab()
    model = tab.model
    assert model.rowCount() == model.first_page == 40        # only the newest page
    assert texts(model)[-1] == "history 0599" and model.has_more
    # the view follows the tail: the newest message is on screen
    qtbot.waitUntil(lambda: tab.view.following_tail
                    and tab.view.viewport().rect().intersects(row_rect(tab, model.rowCount() - 1)),
                    timeout=WAIT)
    assert tab.view.delegate.measured <= model.rowCount()

    # scroll to the top: fetchMore loads the next older page, the row on screen stays put
    top_text = texts(model)[0]
    tab.view.verticalScrollBar().setValue(0)
    qtbot.waitUntil(lambda: model.rowCount() == 140 and not model.fetching, timeout=WAIT)
    qtbot.waitUntil(lambda: not tab.view.at_top(), timeout=WAIT)
    visible = tab.view.indexAt(QPoint(4, 4)).data(MessageModel.TextRole)
    assert visible is not None and visible >= top_text          # still looking at the old top

    # keep scrolling up until the beginning
    while model.has_more:
        n = model.rowCount()
        qtbot.waitUntil(lambda: not tab.view.at_top(), timeout=WAIT)
        tab.view.verticalScrollBar().setValue(0)
        try:
            qtbot.waitUntil(lambda: model.rowCount() > n and not model.fetching, timeout=WAIT)
        except Exception:
            bar = tab.view.verticalScrollBar()
            raise AssertionError((n, model.rowCount(), model.fetching, tab.view._anchor,
                                  bar.value(), bar.maximum()))
    all_texts = texts(model)
    assert all_texts[0] == "Hello, my invoice looks wrong"
    assert all_texts[1:] == [f"history {i:04d}" for i in range(600)]
    seqs = [model.index(i).data(MessageModel.SeqRole) for i in range(model.rowCount())
            if not model.row(i).is_event]
    assert seqs == list(range(1, 602))                          # in order, no duplicates


def test_window_drops_oldest_rows_while_following_the_tail(qtbot, run, tasks, server):
    d = Desk(qtbot, run, tasks, server)
    try:
        _post_many(server, d.chat_id, 130)
        tab = d.open_tab()
        tab.model.max_rows = 120
        wait_at_bottom(qtbot, tab)
        tab.view.verticalScrollBar().setValue(0)
        qtbot.waitUntil(lambda: tab.model.rowCount() > 100 and not tab.model.fetching, timeout=WAIT)
        assert len(texts(tab.model)) == 131
        tab.view.scroll_to_bottom()
        qtbot.waitUntil(lambda: tab.model.rowCount() == 120, timeout=WAIT)
        assert tab.model.has_more and texts(tab.model)[-1] == "history 0129"
        d.visitor_says("still there?")
        qtbot.waitUntil(lambda: texts(tab.model)[-1] == "still there?", timeout=WAIT)
        # a page of older rows may still be loading (a slow server): the window is bounded once it lands
        qtbot.waitUntil(lambda: tab.model.rowCount() == 120 and not tab.model.fetching, timeout=WAIT)
    finally:
        d.close()


# --- drafts --------------------------------------------------------------------------------------


def test_draft_survives_closing_the_tab_and_a_restart(qtbot, desk):
    tab = desk.open_tab()
    qtbot.keyClicks(tab.composer, "Half-written answer about the refund")
    tab.dispose()
    tab.close()

    again = desk.open_tab()
    assert again.composer.toPlainText() == "Half-written answer about the refund"

    assert desk.drafts.flush()                            # on disk (the writer thread)
    restarted = DraftStore(desk.drafts_path)              # a new process reads the file
    assert restarted.get(desk.chat_id) == "Half-written answer about the refund"
    third = desk.open_tab(drafts=restarted)
    assert third.composer.toPlainText() == "Half-written answer about the refund"

    # sending clears the draft (debounced save)
    qtbot.keyClick(third.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not DraftStore(desk.drafts_path).get(desk.chat_id), timeout=WAIT)


def test_a_draft_has_one_debounce_the_writers_and_a_flush_puts_it_on_disk(qtbot, desk):
    """The composer keeps no timer: every edit hands the draft to the writer at once (the
    writer batches: a burst of keys is one pending write), so a crash-safe point or the quit
    flush finds the latest text without waiting for the UI."""
    tab = desk.open_tab()
    writer, path = desk.drafts.writer, desk.drafts_path
    assert writer.flush()
    written = writer.writes
    qtbot.keyClicks(tab.composer, "Checking the invoice")
    # handed over with the last key, not after a delay of the composer's
    assert writer.peek(path)[str(desk.chat_id)]["text"] == "Checking the invoice"
    assert writer.flush()                                 # the quit / crash-safe flush
    # batched: one write for the burst (two if a slow machine took longer than the writer's
    # MAX_DELAY to type it), never one per key
    assert written < writer.writes <= written + 2
    assert DraftStore(path).get(desk.chat_id) == "Checking the invoice"
    tab.dispose()


def test_draft_store_is_atomic_and_bounded(tmp_path):
    store = DraftStore(tmp_path / "d.json")
    store.set(1, "a")
    store.set(2, "  ")
    assert store.save() and not store.save()              # nothing changed: no write
    assert store.flush()                                  # written on the writer thread
    assert DraftStore(tmp_path / "d.json").chat_ids() == [1]
    (tmp_path / "d.json").write_text("{not json")
    assert DraftStore(tmp_path / "d.json").chat_ids() == []
    assert (tmp_path / "d.json.corrupt").exists()
    assert not list(tmp_path.glob(".d.json.*.tmp"))


# --- typing --------------------------------------------------------------------------------------


def test_typing_shown_both_ways(qtbot, desk):
    tab = desk.open_tab()
    assert not tab.visitor_typing
    desk.run(desk.visitor.ws.send(json.dumps({"op": "typing", "typing": True})))
    qtbot.waitUntil(lambda: tab.visitor_typing, timeout=WAIT)
    assert tab.typing_label.text() == "Ann Example is typing…"
    assert tab.typing_label.textFormat() == Qt.TextFormat.PlainText
    desk.visitor_says("ok")                                 # a message ends "typing"
    qtbot.waitUntil(lambda: not tab.visitor_typing, timeout=WAIT)

    qtbot.keyClicks(tab.composer, "Checking")
    frame = desk.visitor_frame(lambda f: f.get("op") == "typing" and f.get("typing") is True)
    assert frame["author_name"] == "Dana Demo"
    qtbot.keyClick(tab.composer, Qt.Key.Key_Return)
    desk.visitor_frame(lambda f: f.get("op") == "typing" and f.get("typing") is False)


def test_composer_typing_pings_are_throttled_and_stop_when_idle(qtbot):
    from supportdesk_qt.ui.compose import ComposeEdit

    composer = ComposeEdit()
    qtbot.addWidget(composer)
    now = [100.0]
    composer._clock = lambda: now[0]
    composer._idle.setInterval(200)
    pings: list[bool] = []
    composer.typingChanged.connect(pings.append)
    qtbot.keyClicks(composer, "abc")
    assert pings == [True]                           # one ping for a burst of keys
    now[0] += 1.0
    qtbot.keyClicks(composer, "d")
    assert pings == [True]                           # less than 2 s since the last one
    now[0] += 1.5
    qtbot.keyClicks(composer, "e")
    assert pings == [True, True]                     # still typing, refreshed every 2 s
    qtbot.waitUntil(lambda: pings == [True, True, False], timeout=3000)   # idle
    submitted: list[str] = []
    composer.submitted.connect(submitted.append)
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    assert submitted == ["abcde"] and composer.toPlainText() == "abcde"   # the tab clears it


def test_typing_indicator_hides_by_itself(qtbot, desk):
    tab = desk.open_tab()
    tab._typing_timer.setInterval(300)
    desk.run(desk.visitor.ws.send(json.dumps({"op": "typing", "typing": True})))
    qtbot.waitUntil(lambda: tab.visitor_typing, timeout=WAIT)
    qtbot.waitUntil(lambda: not tab.visitor_typing, timeout=3000)


# --- failure and retry --------------------------------------------------------------------------


def test_failed_send_is_retried_with_the_same_id_and_stored_once(qtbot, desk):
    tab = desk.open_tab()
    # going offline hands the chat back to the queue: the server refuses the message (409
    # "the chat is waiting"), a refusal the outbox does not retry by itself
    desk.run(desk.backend.set_status("offline"))
    qtbot.waitUntil(lambda: tab.chat.state == ChatState.WAITING, timeout=WAIT)
    type_and_send(qtbot, tab, "Your refund is on its way")
    qtbot.waitUntil(lambda: tab.composer.toPlainText() == "", timeout=WAIT)
    # the row of our message (it moves down as the system lines "left"/"joined" come in)
    pending = QPersistentModelIndex(tab.model.index(tab.model.rowCount() - 1))
    assert pending.data(MessageModel.SendStateRole) in (SendState.PENDING, SendState.FAILED)
    qtbot.waitUntil(lambda: pending.data(MessageModel.SendStateRole) == SendState.FAILED,
                    timeout=WAIT)
    client_msg_id = pending.data(MessageModel.ClientMsgIdRole)
    assert tab.notice_label.isVisible() and tab.notice_label.text()

    desk.run(desk.backend.set_status("online"))             # back, and the chat taken again
    desk.run(desk.backend.take_chat(desk.chat_id))
    qtbot.waitUntil(lambda: tab.chat.state == ChatState.ACTIVE, timeout=WAIT)
    qtbot.waitUntil(lambda: texts_and_lines(tab.model)[-2:] == [
        "Dana Demo joined", "Your refund is on its way"], timeout=WAIT)
    row = pending.row()
    # click the red "click to retry" line
    retry = tab.view.delegate.retry_rect(tab.model.index(row))
    assert not retry.isEmpty()
    qtbot.waitUntil(lambda: tab.view.viewport().rect().contains(
        row_rect(tab, row).topLeft() + retry.center()), timeout=WAIT)
    seen = []
    tab.view.retryClicked.connect(seen.append)
    qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=row_rect(tab, row).topLeft() + retry.center())
    assert seen == [client_msg_id]
    qtbot.waitUntil(lambda: tab.model.row(tab.model.row_of_client_msg_id(client_msg_id)).state
                    == SendState.SENT, timeout=WAIT)
    stored = [m for m in desk.server_messages() if m["text"] == "Your refund is on its way"]
    assert len(stored) == 1 and stored[0]["client_msg_id"] == client_msg_id
    # a second retry of the same id is de-duplicated by the server too
    message = desk.run(desk.backend.send_message(desk.chat_id, "Your refund is on its way",
                                                 client_msg_id))
    assert message.id == stored[0]["id"]
    assert len([m for m in desk.server_messages() if m["text"] == "Your refund is on its way"]) == 1
    assert texts(tab.model).count("Your refund is on its way") == 1


# --- close ---------------------------------------------------------------------------------------


def test_close_chat_asks_then_closes_and_disables_the_composer(qtbot, desk):
    tab = desk.open_tab()
    closed = []
    tab.closed.connect(closed.append)
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    box = tab.close_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert tab.composer.isEnabled()                          # non-blocking: nothing happened yet
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed == [desk.chat_id], timeout=WAIT)
    assert tab.is_closed and not tab.composer.isEnabled() and not tab.send_button.isEnabled()
    assert tab.notice_label.isVisible() and "closed" in tab.notice_label.text()
    frame = desk.visitor_frame(lambda f: f.get("op") == "chat" and f["chat"]["state"] == "closed")
    assert frame


def test_cancel_keeps_the_chat_open(qtbot, desk):
    tab = desk.open_tab()
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.close_box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert tab.close_box is None and not tab.is_closed and tab.composer.isEnabled()


def test_visitor_closing_disables_the_composer(qtbot, desk):
    tab = desk.open_tab()
    closed = []
    tab.closed.connect(closed.append)
    desk.run(desk.visitor.ws.send(json.dumps({"op": "close"})))
    qtbot.waitUntil(lambda: closed == [desk.chat_id], timeout=WAIT)
    assert not tab.composer.isEnabled() and tab.chat.state == ChatState.CLOSED


# --- unread, visitor info ------------------------------------------------------------------------


def test_unread_only_while_hidden_and_page_url_live(qtbot, desk):
    tab = desk.open_tab()
    unread = []
    tab.unread.connect(unread.append)
    desk.visitor_says("visible")
    qtbot.waitUntil(lambda: texts(tab.model)[-1] == "visible", timeout=WAIT)
    assert unread == []
    tab.hide()
    desk.visitor_says("hidden")
    qtbot.waitUntil(lambda: unread == [desk.chat_id], timeout=WAIT)
    tab.show()

    assert "example-hosting.test/pricing" in tab.info["page"].text()
    desk.run(desk.visitor.ws.send(json.dumps({"op": "page", "url": "https://example-hosting.test/vps",
                                              "title": "VPS", "referrer": ""})))
    qtbot.waitUntil(lambda: "example-hosting.test/vps" in tab.info["page"].text(), timeout=WAIT)
    for label in tab.findChildren(QLabel):
        if label in tab.info.values() or label in (tab.name_label, tab.sub_label,
                                                   tab.typing_label, tab.notice_label):
            assert label.textFormat() == Qt.TextFormat.PlainText


# --- hostile text and links --------------------------------------------------------------------

HOSTILE = ["<b>x</b>", "<img src=x onerror=alert(1)>", "abc\u202edcba txt.exe",
           "zero\u200bwidth\u200djoin\ufeff", "<a href='javascript:alert(1)'>click</a>",
           "<qt><font color=red>red</font></qt>"]


def test_hostile_text_stays_literal(qtbot, run, tasks, server):
    d = Desk(qtbot, run, tasks, server, visitor_name="<b>Bold</b> \u202eevil")
    try:
        tab = d.open_tab()
        assert tab.name_label.text() == "<b>Bold</b> \u202eevil"
        assert tab.name_label.textFormat() == Qt.TextFormat.PlainText
        for text in HOSTILE:
            d.visitor_says(text)
        qtbot.waitUntil(lambda: len(texts(tab.model)) == 1 + len(HOSTILE), timeout=WAIT)
        assert texts(tab.model)[1:] == HOSTILE
        # the delegate lays the raw text out: the layout holds exactly these characters
        for row, text in enumerate(HOSTILE, start=1):
            laid = tab.view.delegate.laid(message_index(tab.model, row))
            assert laid.layout.text() == text
            assert laid.links == []                      # no javascript: link made clickable
        image = tab.grab()
        assert not image.isNull()
    finally:
        d.close()


def test_a_lone_carriage_return_breaks_the_line_like_a_newline(qtbot, desk):
    """A visitor's "a\\rb" (a lone CR) shows as two lines, "a\\r\\nb" as two, not three; the
    stored text stays as the visitor sent it."""
    tab = desk.open_tab()
    sent = ["first line\rsecond line", "one\r\ntwo", "plain\nthree"]
    for text in sent:
        desk.visitor_says(text)
    qtbot.waitUntil(lambda: len(texts(tab.model)) == 1 + len(sent), timeout=WAIT)
    assert texts(tab.model)[1:] == sent
    for row in range(1, 1 + len(sent)):
        laid = tab.view.delegate.laid(message_index(tab.model, row))
        assert laid.layout.lineCount() == 2, (row, laid.layout.text())
    single = tab.view.delegate.laid(message_index(tab.model, 0))
    assert single.layout.lineCount() == 1
    # the list's history tooltip (plain_tooltip) breaks the line there too
    assert "first line<br>second line" in plain_tooltip(sent[0])


def test_links_are_found_and_only_safe_schemes_open(qtbot, desk):
    assert [u for _, _, u in find_links("see https://example.com/a?b=1. and www.host.test, "
                                        "mailto:a@b.test or javascript:alert(1)")] == [
        "https://example.com/a?b=1", "https://www.host.test", "mailto:a@b.test"]
    assert safe_url("javascript:alert(1)") is None and safe_url("file:///etc/passwd") is None
    tab = desk.open_tab()
    opened: list[QUrl] = []
    tab.view.url_opener = opened.append
    desk.visitor_says("Look at https://example-hosting.test/invoice/42 please")
    qtbot.waitUntil(lambda: len(texts(tab.model)) == 2, timeout=WAIT)
    index = message_index(tab.model, 1)
    row = index.row()
    laid = tab.view.delegate.laid(index)
    (start, end, url), = laid.links
    line = laid.layout.lineAt(0)
    x = (line.cursorToX(start)[0] + line.cursorToX(end)[0]) / 2 + laid.text_pos.x()
    y = laid.text_pos.y() + line.height() / 2
    qtbot.waitUntil(lambda: tab.view.viewport().rect().contains(row_rect(tab, row).center()),
                    timeout=WAIT)
    pos = row_rect(tab, row).topLeft() + QPoint(int(x), int(y))
    qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert [u.toString() for u in opened] == ["https://example-hosting.test/invoice/42"]
    # a click on plain text opens nothing
    qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=row_rect(tab, row).topLeft() + QPoint(int(laid.text_pos.x()) + 3, int(y)))
    assert len(opened) == 1


def test_resync_after_missed_messages_fills_or_restarts_the_window(qtbot, desk):
    from supportdesk_qt.backend.base import Resynced

    tab = desk.open_tab()
    tab.context.events.remove(tab)                           # the stream "misses" what follows
    _post_many(desk.server, desk.chat_id, 3)
    tab.model.apply_resync(Resynced(last_seq=0, full=True))
    qtbot.waitUntil(lambda: texts(tab.model)[-1] == "history 0002", timeout=WAIT)
    assert len(texts(tab.model)) == 4                          # filled in place: no hole

    token = desk.server.login("demo")
    for i in range(12):
        httpx.post(desk.server.api(f"/chats/{desk.chat_id}/messages"),
                   json={"client_msg_id": f"late-{i}", "text": f"late {i}"},
                   headers={"Authorization": f"Bearer {token}"}).raise_for_status()
    tab.model.page_size = 5                                    # fewer than were missed
    tab.model.apply_resync(Resynced(last_seq=0, full=True))
    qtbot.waitUntil(lambda: texts(tab.model)[-1] == "late 11", timeout=WAIT)
    assert texts(tab.model) == [f"late {i}" for i in range(7, 12)] and tab.model.has_more
    seqs = [r.seq for r in tab.model.rows() if not r.is_event]
    assert seqs == list(range(seqs[0], seqs[0] + 5))

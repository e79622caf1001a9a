"""A chat tab sending through the outbox (issue 6) against the real server: a message sent while
the server is down is kept (pending row + outbox row) and delivered by itself, exactly once, when
the connection comes back. No sleeps: every wait is ``qtbot.waitUntil`` or a ping/pong."""

from __future__ import annotations

import json
import sqlite3

import httpx
import pytest
import websockets

from supportdesk_qt.backend.base import ConnectionState
from supportdesk_qt.core.outbox import Outbox, OutboxState
from supportdesk_qt.ui.chat import MessageModel, SendState
from supportdesk_qt.core.workspace import Workspace
from supportdesk_qt.ui.compose import OutboxFeed
from tests.core.test_outbox import server_messages
from tests.ui.test_chat_tab import WAIT, Desk, texts, type_and_send
from tests.ui.test_shell import desk_factory, take_via_popup, visitor  # noqa: F401 (fixtures)

TEXT = "Your refund is on its way"


@pytest.fixture
def desk(qtbot, run, tasks, server):
    d = Desk(qtbot, run, tasks, server)
    yield d
    d.close()


async def visitor_history(server_url: str, token: str) -> list[dict]:
    """Everything the visitor's socket delivers on a fresh connect (history replay), up to a pong."""
    ws = await websockets.connect(server_url.replace("http", "ws", 1) + "/api/v1/visitor/ws")
    try:
        await ws.send(json.dumps({"op": "hello", "visitor_token": token, "after_seq": 0,
                                  "page_url": "https://example-hosting.test/pricing",
                                  "page_title": "Pricing", "language": "en-GB"}))
        await ws.send(json.dumps({"op": "ping", "nonce": "end"}))
        frames = []
        while True:
            frame = json.loads(await ws.recv())
            if frame.get("op") == "pong":
                return frames
            frames.append(frame)
    finally:
        await ws.close()


def test_sent_offline_is_delivered_on_reconnect_exactly_once(qtbot, run, tasks, desk, tmp_path,
                                                             monkeypatch):
    # the visitor's token, to read what the visitor receives after the restart
    tokens: list[str] = []
    real_post = __import__("httpx").AsyncClient.post

    async def post(self, url, *args, **kwargs):
        r = await real_post(self, url, *args, **kwargs)
        if str(url).endswith("/visitor/session"):
            tokens.append(r.json()["visitor_token"])
        return r

    path = tmp_path / "outbox.sqlite3"
    # a long backoff: only the flush on reconnect can deliver it within the test's wait
    outbox = Outbox(path, desk.backend, backoff_base=120, backoff_cap=120)
    workspace = Workspace(desk.backend, desk.backend.agent, outbox=outbox, drafts_dir=tmp_path,
                          spawn=tasks.spawn)       # flushes the outbox on every Resynced
    desk.bridge.resynced.connect(workspace.apply_resync)
    monkeypatch.setattr("httpx.AsyncClient.post", post)
    run(desk.visitor.close())
    desk.visitor.server_url = desk.server.url
    run(desk.visitor.connect())                 # a visitor session whose token we know
    monkeypatch.undo()
    # (the chat belongs to the first visitor session; start a fresh one for this visitor)
    run(desk.visitor.start_chat("Billing", "Bo Example", "Is my refund coming?"))
    desk.chat_id = desk.visitor.chat["id"]
    desk.chat = run(desk.backend.take_chat(desk.chat_id))
    tab = desk.open_tab()
    tab.set_outbox(outbox)
    try:
        desk.server.stop()
        qtbot.waitUntil(lambda: desk.backend.connection_state != ConnectionState.CONNECTED,
                        timeout=WAIT)
        type_and_send(qtbot, tab, TEXT)
        row = tab.model.rowCount() - 1
        assert tab.model.index(row).data(MessageModel.TextRole) == TEXT
        assert tab.model.index(row).data(MessageModel.SendStateRole) == SendState.PENDING
        qtbot.waitUntil(lambda: tab.composer.toPlainText() == "", timeout=WAIT)   # on disk now
        client_msg_id = tab.model.index(row).data(MessageModel.ClientMsgIdRole)
        with sqlite3.connect(path) as db:
            assert db.execute("SELECT kind, target_id, state, text FROM outbox WHERE "
                              "client_msg_id = ?", (client_msg_id,)).fetchall() \
                == [("chat_message", desk.chat_id, "pending", TEXT)]
        # the first attempt failed; the row stays pending (retried later, not "failed")
        qtbot.waitUntil(lambda: run(outbox.get(client_msg_id)).attempts >= 1, timeout=WAIT)
        assert tab.model.row(tab.model.row_of_client_msg_id(client_msg_id)).state \
            == SendState.PENDING

        desk.server.start()                     # same port, same database
        qtbot.waitUntil(lambda: tab.model.row(tab.model.row_of_client_msg_id(client_msg_id)).state
                        == SendState.SENT, timeout=WAIT)
        assert run(outbox.get(client_msg_id)).state == OutboxState.SENT
        stored = [m for m in desk.server_messages() if m["text"] == TEXT]
        assert len(stored) == 1 and stored[0]["client_msg_id"] == client_msg_id
        frames = run(visitor_history(desk.server.url, tokens[-1]))
        got = [f for f in frames if f.get("op") == "message" and f["message"]["text"] == TEXT]
        assert len(got) == 1
        assert [tab.model.index(i).data(MessageModel.TextRole)
                for i in range(tab.model.rowCount())].count(TEXT) == 1
    finally:
        desk.bridge.resynced.disconnect(workspace.apply_resync)
        tab.set_outbox(None)
        run(workspace.close())


def test_a_reopened_tab_shows_what_the_outbox_still_holds(qtbot, run, tasks, desk, tmp_path):
    path = tmp_path / "outbox.sqlite3"
    kept = Outbox(path)                          # no backend: nothing is delivered
    entry = run(kept.add(desk.chat_id, "Written before a crash", deliver=False))
    run(kept.close())
    outbox = Outbox(path, desk.backend)
    tab = desk.open_tab()
    tab.set_outbox(outbox)
    try:
        qtbot.waitUntil(lambda: tab.model.row_of_client_msg_id(entry.client_msg_id) >= 0,
                        timeout=WAIT)
        i = tab.model.row_of_client_msg_id(entry.client_msg_id)
        assert tab.model.row(i).state == SendState.PENDING
        run(outbox.flush())
        qtbot.waitUntil(lambda: tab.model.row(tab.model.row_of_client_msg_id(
            entry.client_msg_id)).state == SendState.SENT, timeout=WAIT)
        assert [m["text"] for m in desk.server_messages()].count("Written before a crash") == 1
    finally:
        tab.set_outbox(None)
        run(outbox.close())


def test_refused_message_fails_with_the_sentence_retries_same_id_and_discards(
        qtbot, qtmodeltester, run, tasks, desk, tmp_path):
    outbox = Outbox(tmp_path / "outbox.sqlite3", desk.backend)
    model = MessageModel(desk.backend, tasks, 999_999, desk.agent)   # a chat that does not exist
    feed = OutboxFeed(outbox, tasks, 999_999, ("chat_message",))
    feed.attach(model)
    try:
        failures = []
        feed.sendFailed.connect(lambda cid, why: failures.append((cid, why)))
        saved = []
        cid = feed.add("Anyone there?", on_saved=lambda _cid: saved.append(True))
        qtbot.waitUntil(lambda: model.row(0).state == SendState.FAILED, timeout=WAIT)
        assert saved == [True]
        sentence = model.index(0).data(MessageModel.ErrorRole)
        assert sentence and failures == [(cid, sentence)]
        assert run(outbox.get(cid)).last_error == sentence
        assert feed.retry(cid)
        assert model.row(0).state == SendState.PENDING
        qtbot.waitUntil(lambda: model.row(0).state == SendState.FAILED, timeout=WAIT)
        again = run(outbox.get(cid))
        assert again.attempts == 2 and again.state == OutboxState.FAILED   # same client_msg_id
        qtmodeltester.check(model)
        assert feed.discard(cid)
        assert model.rowCount() == 0
        qtbot.waitUntil(lambda: run(outbox.get(cid)) is None, timeout=WAIT)
    finally:
        feed.close()
        run(outbox.close())


def test_when_the_outbox_cannot_write_the_text_stays_in_the_composer(qtbot, run, desk, tmp_path):
    broken = tmp_path / "not-a-file"
    broken.mkdir()                               # SQLite cannot open a directory
    outbox = Outbox(broken, desk.backend)
    tab = desk.open_tab()
    tab.set_outbox(outbox)
    try:
        rows = tab.model.rowCount()
        with qtbot.waitSignal(tab.compose.writeFailed, timeout=WAIT) as failed:
            type_and_send(qtbot, tab, "Not lost")
        assert "could not be saved" in failed.args[1]
        assert tab.composer.toPlainText() == "Not lost"
        assert tab.model.rowCount() == rows
        assert "Not lost" not in [m["text"] for m in desk.server_messages()]
    finally:
        tab.set_outbox(None)
        run(outbox.close())


# --- the full desk: a refused message turns red, and the agent's retry delivers it once ------------


class RefusingProxy(httpx.AsyncBaseTransport):
    """A company proxy between the desk and the server: while ``refusing``, it answers a chat
    message with its own 403 page and passes nothing on (the server never sees it)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.refusing = False
        self.refused: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if (self.refusing and request.method == "POST"
                and request.url.path.endswith("/messages")):
            self.refused.append(json.loads(request.content)["client_msg_id"])
            return httpx.Response(403, text="<html><h1>Blocked by policy</h1></html>",
                                  headers={"content-type": "text/html"}, request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def _red_pixels(view, rect, red) -> int:
    image = view.viewport().grab(rect).toImage()
    return sum(1 for x in range(image.width()) for y in range(image.height())
               if image.pixelColor(x, y).name() == red)


def test_the_desk_shows_a_refused_message_red_and_the_retry_delivers_it_once(
        qtbot, run, server, visitor, desk_factory):  # noqa: F811
    from supportdesk_qt.qt import QRect, Qt
    from supportdesk_qt.ui import theme
    from supportdesk_qt.ui.chat.message_delegate import MARK, PAD_X

    proxy = RefusingProxy()
    d = desk_factory(transport=proxy)
    w = d.window
    outbox = w.workspace.outbox
    assert outbox is not None                             # the desk sends through its outbox
    run(visitor.start_chat("Billing", "Rita Refund", "Where is my refund?"))
    chat_id = visitor.chat["id"]
    tab = take_via_popup(qtbot, w, chat_id)
    qtbot.waitUntil(lambda: tab.model.is_loaded, timeout=WAIT)

    proxy.refusing = True
    tab.composer.setFocus()
    qtbot.keyClicks(tab.composer, TEXT)
    qtbot.keyClick(tab.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.composer.toPlainText() == "", timeout=WAIT)   # in the outbox
    row = tab.model.rowCount() - 1
    index = tab.model.index(row)
    qtbot.waitUntil(lambda: index.data(MessageModel.SendStateRole) == SendState.FAILED,
                    timeout=WAIT)
    client_msg_id = index.data(MessageModel.ClientMsgIdRole)
    assert proxy.refused == [client_msg_id]               # refused once; not retried by itself
    entry = run(outbox.get(client_msg_id))
    assert entry is not None and entry.state == OutboxState.FAILED
    # a readable state: the sentence in the notice, "click to retry" under the red bubble
    error = index.data(MessageModel.ErrorRole)
    assert error == "You are not allowed to do that."
    assert tab.notice_label.isVisible()
    assert tab.notice_label.text() == (f"A message was not sent: {error} Click it to try again.")
    retry = tab.view.delegate.retry_rect(index)
    assert not retry.isEmpty()
    red = theme.status_color(ConnectionState.FAILED, tab.view.palette()).name()
    qtbot.waitUntil(lambda: tab.view.viewport().rect().contains(
        tab.view.visualRect(index).topLeft() + retry.center()), timeout=WAIT)
    rect = tab.view.visualRect(index)
    bubble = tab.view.delegate.laid(index).bubble.translated(rect.topLeft())
    mark = QRect(bubble.right() - PAD_X - MARK, bubble.top(), MARK + 2, bubble.height() // 2)
    qtbot.waitUntil(lambda: _red_pixels(tab.view, mark, red) > 10, timeout=WAIT)   # red mark
    assert _red_pixels(tab.view, retry.translated(rect.topLeft()), red) > 0      # red words
    assert not [m for m in server_messages(server, chat_id) if m["text"] == TEXT]  # none arrived

    # the proxy lets it through again; the agent clicks "Not sent — click to retry"
    proxy.refusing = False
    qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=tab.view.visualRect(index).topLeft() + retry.center())
    qtbot.waitUntil(lambda: tab.model.row(tab.model.row_of_client_msg_id(client_msg_id)).state
                    == SendState.SENT, timeout=WAIT)
    stored = [m for m in server_messages(server, chat_id) if m["text"] == TEXT]
    assert len(stored) == 1 and stored[0]["client_msg_id"] == client_msg_id   # the same id, once
    assert [t for t in texts(tab.model) if t == TEXT] == [TEXT]                # one row
    qtbot.waitUntil(lambda: run(outbox.get(client_msg_id)) is None
                    or run(outbox.get(client_msg_id)).state == OutboxState.SENT, timeout=WAIT)
    frame = run(visitor.wait_for("message"))
    while frame["message"]["text"] != TEXT:                                   # the visitor has it
        frame = run(visitor.wait_for("message"))
    assert frame["message"]["author_kind"] == "agent"


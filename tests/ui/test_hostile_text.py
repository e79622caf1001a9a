"""Hostile text in the real desk: a visitor and a client whose every field is HTML, Qt rich-text
markup, an RTL override, zero-width characters and emoji (tests/support/hostile.py) reach the desk
through the real server; every place that shows them shows them as plain text.

What "shown as plain text" is checked as, over EVERY widget of the main window (all tabs open):
* a QLabel showing user data has ``textFormat() == PlainText``;
* a tooltip (widget, tab, or an item view's ToolTipRole) renders to text that contains the user
  data literally (``Qt.mightBeRichText`` decides how QToolTip renders; escaped HTML renders to the
  literal tags, raw HTML would lose them);
* an item view's DisplayRole is the text itself (or a prefix: display caps), never HTML;
* no delegate renders user data through ``QTextDocument.setHtml`` (checked on the source).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
import html
import json
import re
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
import websockets

from supportdesk_qt.app import Desk, parse_args
from supportdesk_qt.qt import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QModelIndex,
    QTabWidget,
    Qt,
    QtGui,
)
from supportdesk_server.store import models as M
from supportdesk_server.store.db import create_engine, make_sessionmaker
from tests.server.helpers import PASSWORD, SALES, seed_basic
from tests.support.hostile import RLO, ZWJ, ZWSP
from tests.support.server import ServerProcess
from tests.ui.test_desk_e2e import WAIT, sign_in, wait_connected

# one payload per field, each under the 200-character name limit; "Ⓗ" marks them for the walker
TAGS = '<b>B</b><font color="red">F</font><a href="http://x.test">A</a><img src=x onerror=alert(1)>'


def payload(field: str) -> str:
    return f"Ⓗ{field} {TAGS}<script>s()</script> R&D {RLO}gpj.exe {ZWSP}👩{ZWJ}💻"


H = {f: payload(f) for f in ("visitor", "title", "client", "phone", "project", "service",
                             "note", "subject", "post", "chatname", "summary", "ua")}
H["url"] = "Ⓗhttps://shop.test/<b>page</b>?q=<script>alert(1)</script>&x=" + RLO + "url"
H["ref"] = "Ⓗjavascript:alert('ref')<img src=x onerror=alert(1)>"
H["email"] = "Ⓗ<b>mail</b>@example.com"
H["ua"] = "UA <b>Mozilla</b>/5.0 <script>x</script> &amp;"   # a header: ASCII only, no mark
LONG_MESSAGE = "Ⓗlong " + ("<i>x</i> " * 1240)[:9_990]                # at the 10 000 limit
MARK = "Ⓗ"


async def seed_hostile(url: str) -> None:
    engine = create_engine(url)
    try:
        sm = make_sessionmaker(engine)
        async with sm() as s:
            c = M.Client(name=H["client"], email=H["email"], phone=H["phone"],
                         project_name=H["project"], department_id=SALES, balance=Decimal("10"),
                         currency="USD")
            s.add(c)
            await s.flush()
            s.add(M.ClientUser(client_id=c.id, login="hostile", email=H["email"],
                               full_name=H["client"]))
            s.add(M.Payment(client_id=c.id, number="P-1", amount=Decimal("20.00"),
                            currency="USD", status="new", method="card", note=H["note"]))
            s.add(M.Service(client_id=c.id, name=H["service"], type="hosting",
                            domain="x.example", price=Decimal("5.00"), currency="USD",
                            status="active", expires_at=datetime(2027, 1, 1, tzinfo=timezone.utc)))
            s.add(M.Project(client_id=c.id, name=H["project"], enabled=True))
            t = M.Ticket(client_id=c.id, subject=H["subject"], department_id=SALES)
            s.add(t)
            await s.flush()
            s.add(M.TicketPost(ticket_id=t.id, kind="client", author_name=H["client"],
                               text=H["post"], client_msg_id="h-1"))
            await s.commit()
    finally:
        await engine.dispose()


@pytest.fixture
def hostile_server(tmp_path):
    srv = ServerProcess(tmp_path / "server", demo=False)

    async def seed() -> None:
        await seed_basic(srv.database_url)
        await seed_hostile(srv.database_url)

    # the qasync loop of the UI tests may be running: seed on a thread of our own
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, seed()).result()
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def desk(qapp, aloop, qtbot, hostile_server):
    d = Desk(qapp, parse_args(["--server", hostile_server.url]))
    d.runner = aloop.create_task(d.run())
    yield d
    d.request_quit()
    qtbot.waitUntil(d.runner.done, timeout=WAIT)
    d.runner.result()


async def hostile_visitor(srv) -> tuple[object, int]:
    async with httpx.AsyncClient() as http:
        token = (await http.post(srv.api("/visitor/session"), json={})).json()["visitor_token"]
    ws = await websockets.connect(srv.ws_url("/visitor/ws"), user_agent_header=H["ua"])
    await ws.send(json.dumps({"op": "hello", "visitor_token": token, "page_url": H["url"],
                              "page_title": H["title"], "referrer": H["ref"]}))
    while json.loads(await ws.recv())["op"] != "welcome":
        pass
    await ws.send(json.dumps({"op": "start", "department_id": SALES, "name": H["visitor"],
                              "text": LONG_MESSAGE, "client_msg_id": "v-1"}))
    while True:
        frame = json.loads(await ws.recv())
        if frame["op"] == "chat":
            return ws, frame["chat"]["id"]


# --- what the user sees ----------------------------------------------------------------------------


def _rows(model) -> int:
    return model.rowCount(QModelIndex())


def _cols(model) -> int:
    try:
        return model.columnCount(QModelIndex())
    except TypeError:      # a QAbstractListModel (columnCount is private): one column
        return 1


def rendered_tooltip(tip: str) -> str:
    """What QToolTip shows for ``tip``: it renders rich text when Qt.mightBeRichText says so."""
    if QtGui.Qt.mightBeRichText(tip):
        doc = QtGui.QTextDocument()
        doc.setHtml(tip)
        return doc.toPlainText()
    return tip


def literal_ok(shown: str) -> bool:
    """``shown`` (text as the user sees it) still has the payload's markup, literally (or a
    display cap cut it before the first tag)."""
    if MARK not in shown:
        return True
    rest = shown[shown.index(MARK):]
    return any(t in rest for t in ("<b>", "<i>", "<script>", "<img", "<font")) \
        or len(rest) < 12 or rest.endswith("…")


def walk_problems(root) -> list[str]:
    from supportdesk_qt.qt import QWidget

    problems: list[str] = []

    for w in root.findChildren(QWidget) + [root]:
        tip = w.toolTip()
        if tip and MARK in tip:
            shown = rendered_tooltip(tip)
            if not literal_ok(shown) or (QtGui.Qt.mightBeRichText(tip) and "<b>B</b>" in tip):
                problems.append(f"tooltip of {type(w).__name__} {w.objectName()!r}: {tip[:120]!r}")
    for lab in root.findChildren(QLabel):
        if MARK in lab.text() and lab.textFormat() != Qt.TextFormat.PlainText:
            problems.append(f"QLabel {lab.objectName()!r} is {lab.textFormat()} for "
                            f"{lab.text()[:80]!r}")
    for tabs in root.findChildren(QTabWidget):
        for i in range(tabs.count()):
            tip = tabs.tabToolTip(i)
            if MARK in tip and not literal_ok(rendered_tooltip(tip)):
                problems.append(f"tab tooltip {tip[:80]!r}")
            text = tabs.tabText(i)
            if MARK in text and re.search(r"(?<!&)&(?!&)", text):
                problems.append(f"tab text {text!r}: a single & is a mnemonic")
    for view in root.findChildren(QAbstractItemView):
        model = view.model()
        if model is None:
            continue
        for r in range(min(_rows(model), 200)):
            for c in range(min(_cols(model), 30)):
                idx = model.index(r, c)
                tip = idx.data(Qt.ItemDataRole.ToolTipRole)
                if isinstance(tip, str) and MARK in tip:
                    shown = rendered_tooltip(tip)
                    if not literal_ok(shown):
                        problems.append(f"{type(model).__name__}[{r},{c}] tooltip "
                                        f"renders {shown[:100]!r}")
                text = idx.data(Qt.ItemDataRole.DisplayRole)
                if isinstance(text, str) and MARK in text and "&lt;" in text:
                    problems.append(f"{type(model).__name__}[{r},{c}] display is escaped HTML")
    return problems


def all_display_texts(root) -> list[str]:
    out = [lab.text() for lab in root.findChildren(QLabel)]
    for view in root.findChildren(QAbstractItemView):
        model = view.model()
        if model is None:
            continue
        for r in range(min(_rows(model), 200)):
            for c in range(min(_cols(model), 30)):
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                    v = model.index(r, c).data(role)
                    if isinstance(v, str):
                        out.append(v)
                # message/post models keep the item as a python object in a custom role
    from supportdesk_qt.qt import QLineEdit, QPlainTextEdit
    out += [e.text() for e in root.findChildren(QLineEdit)]
    out += [e.toPlainText() for e in root.findChildren(QPlainTextEdit)]
    return out


def same_or_capped(shown: str, full: str) -> bool:
    """The text itself, or its start and an ellipsis (a display cap), never anything else."""
    return shown == full or (shown.endswith("…") and len(shown) >= 20
                             and full.startswith(shown[:-1]))


def shows(root, text: str, prefix: int = 40) -> bool:
    want = text[:prefix]
    return any(want in t for t in all_display_texts(root))


# --- the test --------------------------------------------------------------------------------------


def test_every_visitor_and_client_field_is_plain_text(qtbot, aloop, run, desk, hostile_server,
                                                      tmp_path):
    sign_in(qtbot, desk, "alice", PASSWORD)
    w = desk.window
    wait_connected(qtbot, w)
    ws, chat_id = run(hostile_visitor(hostile_server))
    try:
        qtbot.waitUntil(lambda: w.queue_model.chat(chat_id) is not None, timeout=WAIT)
        # the queue: display is the name as typed, the tooltip escaped
        row = next(r for r in range(w.queue_model.rowCount())
                   if w.queue_model.index(r, 0).data(w.queue_model.ChatRole).id == chat_id)
        idx = w.queue_model.index(row, 0)
        assert rendered_tooltip(idx.data(Qt.ItemDataRole.ToolTipRole)).startswith(H["visitor"])

        # alice takes it; the agent (over REST) names it and writes a summary
        chat = w.queue_model.chat(chat_id)
        agent = httpx.Client(base_url=hostile_server.api(""), headers={
            "Authorization": f"Bearer {desk.session.backend.token}"})
        assert agent.post(f"/chats/{chat_id}/take").status_code == 200
        assert agent.patch(f"/chats/{chat_id}", json={"name": H["chatname"],
                                                      "summary": H["summary"]}).status_code == 200
        if w.tab_manager.chat_tab(chat_id) is None:
            w.tab_manager.open_chat(chat)
        qtbot.waitUntil(lambda: w.tab_manager.chat_tab(chat_id) is not None, timeout=WAIT)
        tab = w.tab_manager.chat_tab(chat_id)
        qtbot.waitUntil(lambda: tab.chat.summary == H["summary"], timeout=WAIT)
        assert same_or_capped(tab.name_label.text(), H["visitor"])
        assert tab.name_label.textFormat() == Qt.TextFormat.PlainText
        title, _, url = tab.info["page"].text().partition("\n")
        assert same_or_capped(title, H["title"]) and same_or_capped(url, H["url"])
        assert same_or_capped(tab.info["referrer"].text(), H["ref"])
        assert same_or_capped(tab.info["agent"].text(), H["ua"])
        for key in ("page", "referrer", "agent"):
            assert tab.info[key].textFormat() == Qt.TextFormat.PlainText
        qtbot.waitUntil(lambda: shows(tab, LONG_MESSAGE, 200), timeout=WAIT)

        # the client, its tables, and the ticket
        w.tab_manager.open_client(1)
        qtbot.waitUntil(lambda: w.tab_manager.find_tab("client:1") >= 0, timeout=WAIT)
        client_tab = w.tabs.widget(w.tab_manager.find_tab("client:1"))
        qtbot.waitUntil(lambda: shows(client_tab, H["client"]), timeout=WAIT)
        for view in getattr(client_tab, "views", {}).values():
            client_tab.tabs.setCurrentWidget(view)      # load every table
        for text in (H["phone"], H["service"], H["note"], H["subject"]):
            qtbot.waitUntil(lambda t=text: shows(client_tab, t), timeout=WAIT)
        w.tab_manager.open_ticket(1)
        qtbot.waitUntil(lambda: w.tab_manager.find_tab("ticket:1") >= 0, timeout=WAIT)
        ticket_tab = w.tabs.widget(w.tab_manager.find_tab("ticket:1"))
        qtbot.waitUntil(lambda: shows(ticket_tab, H["subject"]) and shows(ticket_tab, H["post"]),
                        timeout=WAIT)

        # tab titles: the & of "R&D" is not a mnemonic, tooltips escaped
        i = w.tab_manager.find_tab("client:1")
        # (the name is shortened to fit the tab, bidi-isolated; the tooltip has all of it)
        assert w.tabs.tabText(i).replace("&&", "&").lstrip("\u2068").startswith(H["client"][:10])
        assert rendered_tooltip(w.tabs.tabToolTip(i)).startswith("Client: ")

        problems = walk_problems(w)
        w.grab().save(str(tmp_path / "hostile.png"))
        assert not problems, "\n".join(problems)
    finally:
        run(ws.close())


def test_no_delegate_renders_user_data_as_html():
    """Delegates paint with QPainter.drawText / QTextLayout; QTextDocument.setHtml (which would
    interpret a visitor's markup) is only for our own bundled text (the changelog)."""
    root = Path(__file__).resolve().parents[2] / "supportdesk_qt" / "ui"
    allowed = {"panels/changelog.py"}
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        src = path.read_text(encoding="utf-8")
        if rel in allowed:
            continue
        for n, line in enumerate(src.splitlines(), 1):
            code = line.split("#", 1)[0]
            if re.search(r"\.setHtml\(|\.insertHtml\(|\.appendHtml\(|TextFormat\.RichText"
                         r"|setOpenExternalLinks\(True", code):
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_tooltip_check_can_fail():
    """The walker's tooltip test really tells escaped from raw HTML."""
    from supportdesk_qt.ui.common.tooltips import plain_tooltip

    assert literal_ok(rendered_tooltip(plain_tooltip(H["client"])))
    assert not literal_ok(rendered_tooltip(H["client"]))

"""User text joined with our own on one line is wrapped in Unicode isolates, so a right-to-left
override in a visitor's name or a client's project cannot reorder the desk's words after it."""

from __future__ import annotations

from supportdesk_qt.qt import QFont, QImage, QStyleOptionViewItem, Qt, QTextLayout
from supportdesk_qt.ui.common.text import FSI, PDI, isolate

RLO = "\u202e"


def _runs_left_to_right(text: str, word: str) -> bool:
    """Whether ``word`` inside ``text`` is laid out left to right by Qt (its first character
    left of its last)."""
    layout = QTextLayout(text, QFont())
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(10_000)
    layout.endLayout()
    start = text.index(word)
    first, _ = line.cursorToX(start)
    last, _ = line.cursorToX(start + len(word) - 1)
    return first < last


def test_plain_text_is_left_alone_and_bidi_text_is_isolated():
    assert isolate("") == ""
    assert isolate("example-shop") == "example-shop"
    assert isolate(f"inv{RLO}fdp.exe") == f"{FSI}inv{RLO}fdp.exe{PDI}"
    assert isolate("שלום") == f"{FSI}שלום{PDI}"


def test_an_override_in_user_text_does_not_reorder_the_desks_words(qtbot):
    hostile = f"shop{RLO}evil"
    assert not _runs_left_to_right(f"{hostile} · Billing · Waiting", "Billing")  # the attack
    assert _runs_left_to_right(f"{isolate(hostile)} · Billing · Waiting", "Billing")


# --- the helper's edges, and every place that elides user text ------------------------------------

LRO, PDF = "\u202d", "\u202c"


def _closed(text: str) -> bool:
    """Every embedding, override and isolate opened in ``text`` is closed in it again (a PDI
    also closes the embeddings and overrides opened inside its isolate, UAX #9)."""
    stack: list[str] = []
    for ch in text:
        if ch in (RLO, LRO, "\u202a", "\u202b"):
            stack.append(PDF)
        elif ch in (FSI, "\u2066", "\u2067"):
            stack.append(PDI)
        elif ch == PDI and PDI in stack:
            while stack.pop() != PDI:
                pass
        elif ch == PDF and stack and stack[-1] == PDF:
            stack.pop()
    return not stack


def test_isolate_closes_what_user_text_leaves_open_and_drops_stray_terminators():
    assert isolate(f"a{RLO}b") == f"{FSI}a{RLO}b{PDI}"     # our PDI ends the override too
    # a PDI of the visitor's would end our isolate early and let the override loose after it
    assert isolate(f"x{PDI}{RLO}y") == f"{FSI}x{RLO}y{PDI}"
    assert isolate(f"{FSI}nested") == f"{FSI}{FSI}nested{PDI}{PDI}"
    assert _runs_left_to_right(f"{isolate(f'x{PDI}{RLO}evil')} · Billing", "Billing")


def test_elide_isolated_keeps_the_terminators_the_cut_would_drop(qtbot):
    from supportdesk_qt.qt import QFontMetrics
    from supportdesk_qt.ui.common.text import elide_isolated

    fm = QFontMetrics(QFont())
    raw = f"shop{RLO}" + "evil" * 30                   # a project name as the client typed it
    cut = fm.elidedText(raw, Qt.TextElideMode.ElideRight, 120)
    assert not _closed(cut)                           # the cut leaves the override open
    shown = elide_isolated(raw, fm, 120)
    assert _closed(shown) and "…" in shown
    assert fm.horizontalAdvance(shown) <= 120
    assert _runs_left_to_right(f"{shown} · Waiting", "Waiting")
    assert elide_isolated("plain name", fm, 500) == "plain name"


def _paint(delegate, index, width: int) -> list[str]:
    opt = QStyleOptionViewItem()
    height = delegate.sizeHint(opt, index).height()
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(0)
    from tests.ui.test_search_and_client import RecordingPainter

    p = RecordingPainter(image)
    opt.rect = image.rect()
    delegate.paint(p, opt, index)
    p.end()
    return p.texts


def test_the_list_of_chats_elides_names_projects_and_previews_without_losing_terminators(qtbot):
    from supportdesk_qt.ui.delegates.queue_delegate import QueueDelegate
    from supportdesk_qt.ui.models.queue_model import QueueModel
    from tests.ui.fakes import T0, make_chat
    from tests.ui.test_queue_model import DEPARTMENTS, make_agent

    model = QueueModel()
    model._now = lambda: T0
    model.set_agent(make_agent())
    model.set_departments(DEPARTMENTS)
    hostile = f"Eve{RLO}" + "evil" * 40
    model.upsert(make_chat(1, visitor_name=hostile, project_name=hostile,
                           last_message_preview=f"{LRO}" + "hi" * 200))
    model.flush()
    try:
        texts = _paint(QueueDelegate(), model.index(0), 260)
    finally:
        model._tick_timer.stop()
        model._flush_timer.stop()
    elided = [t for t in texts if "…" in t]
    assert len(elided) >= 3, texts                    # name, department · project, preview
    assert all(_closed(t) for t in texts), texts


def test_search_hits_elide_without_losing_terminators(qtbot):
    from decimal import Decimal

    from supportdesk_protocol.schemas import ClientStatus, ClientSummary, SearchHit
    from supportdesk_qt.ui.search.models import SearchResultsModel
    from supportdesk_qt.ui.search.search_delegate import SearchHitDelegate

    hostile = f"Eve{RLO}" + "evil" * 40
    client = ClientSummary(id=7, name=hostile, email=f"{hostile}@x", phone="",
                           project_name=hostile, status=ClientStatus.ACTIVE,
                           balance=Decimal("1"), currency="USD")
    model = SearchResultsModel()
    model.set_hits("x", [SearchHit(client=client, matched_field="name", matched_value=hostile)])
    texts = _paint(SearchHitDelegate(), model.index(0), 300)
    assert len([t for t in texts if "…" in t]) >= 3, texts
    assert all(_closed(t) for t in texts), texts


def test_tab_titles_and_tooltips_isolate_the_visitors_name(qtbot, run, tasks, server, tmp_path):
    """The real desk: a visitor whose name carries an override writes while her tab is not in
    front; the tab's "(1) name", its tooltip "name — 1 new message" and the earlier-chat tab
    "name (earlier chat)" keep the desk's words in order."""
    from tests.ui.test_shell import Desk, take_via_popup
    from tests.ui.test_desk_e2e import WAIT
    from tests.ui.visitor import Visitor

    hostile = f"Eve{RLO}live"
    visitor = Visitor(server.url)
    run(visitor.connect())
    d = Desk(qtbot, run, tasks, server, tmp_path)
    try:
        w = d.window
        run(visitor.start_chat("Technical support", hostile, "hello?"))
        chat_id = visitor.chat["id"]
        take_via_popup(qtbot, w, chat_id)
        w.show_queue()
        run(visitor.send("are you there?"))
        key = f"chat:{chat_id}"
        qtbot.waitUntil(lambda: w.tabs.tabText(w.tab_manager.find_tab(key)).startswith("(1)"), timeout=WAIT)
        i = w.tab_manager.find_tab(key)
        assert w.tabs.tabText(i) == f"(1) {isolate(hostile)}"
        tip = w.tabs.tabToolTip(i)
        assert f"{isolate(hostile)} — 1 new message" in tip, tip
        w.tab_manager.open_chat_history(run(d.backend.get_chat(chat_id)), focus=False)
        titles = [w.tabs.tabText(j) for j in range(w.tabs.count())]
        earlier = next(t for t in titles if "earlier chat" in t)
        assert earlier == f"{isolate(hostile)} (earlier chat)"
        assert _runs_left_to_right(earlier, "earlier")
    finally:
        d.close()
        w.hide()
        w.deleteLater()
        run(visitor.close())


def test_a_system_line_keeps_its_words_in_order_around_a_hostile_name(qtbot):
    """Item 10's transcript lines join a department's and a colleague's name with our words."""
    from supportdesk_protocol.schemas import ChatEvent, ChatEventKind
    from supportdesk_qt.ui.chat.event_lines import event_line

    hostile = f"Sales{RLO}evil"
    assert not _runs_left_to_right(f"Forwarded to {hostile} by Dana Demo", "Dana Demo")  # attack
    line = event_line(ChatEvent(id=1, chat_id=1, kind=ChatEventKind.FORWARDED,
                                at="2026-12-04T08:22:00Z", agent_name="Dana Demo",
                                department_name=hostile))
    assert line == f"Forwarded to {FSI}{hostile}{PDI} by Dana Demo"
    assert _runs_left_to_right(line, "Dana Demo")
    joined = event_line(ChatEvent(id=2, chat_id=1, kind=ChatEventKind.JOINED,
                                  at="2026-12-04T08:22:00Z", agent_name=f"Eve{RLO}x"))
    assert _runs_left_to_right(joined, "joined")

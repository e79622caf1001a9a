"""The queue model with synthetic Chat objects (no server: pure model behaviour).

The reload test uses the tiny in-memory ``FakeBackend`` of tests/ui/fakes.py, because it is about
paging and merging, not about the protocol; the end-to-end tests use the real server.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from supportdesk_protocol.events import ChatMessageEvent, EventType, ForwardEvent
from supportdesk_protocol.schemas import ChatMessage, ChatState, AuthorKind, Role
from supportdesk_qt.qt import QListView, QLocale, Qt
from supportdesk_qt.ui.delegates.queue_delegate import QueueDelegate
from supportdesk_qt.ui.models import queue_model as qm
from supportdesk_qt.ui.models.queue_model import QueueModel
from supportdesk_qt.ui.models.queue_rules import format_waiting
from tests.ui.fakes import DEPARTMENTS, T0, FakeBackend, event, make_agent, make_chat


@pytest.fixture
def model(qtbot):
    m = QueueModel()
    m._now = lambda: T0 + timedelta(seconds=600)
    m.set_agent(make_agent())          # departments 1 and 2
    m.set_departments(DEPARTMENTS)
    m.LINGER_MS = 60                   # rows someone else took linger this long (2.5 s in the desk)
    yield m
    m._tick_timer.stop()
    m._flush_timer.stop()


def ids(model: QueueModel) -> list[int]:
    return [model.index(r).data(QueueModel.ChatIdRole) for r in range(model.rowCount())]


def test_modeltester_through_inserts_updates_and_removals(qtbot, qtmodeltester, model):
    qtmodeltester.check(model)
    for i in range(1, 21):
        model.upsert(make_chat(i, waiting_for=300 - i * 10, department_id=1 + i % 2))
    model.flush()
    model.upsert(make_chat(5, waiting_for=250, version=2, last_message_preview="changed"))
    model.upsert(make_chat(7, state=ChatState.ACTIVE, version=2))
    model.upsert(make_chat(100, waiting_for=9999))   # lands at the top
    model.flush()
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 21 and model.waiting_count() == 20   # 7 lingers, marked
    qtbot.waitUntil(lambda: model.rowCount() == 20, timeout=2000)
    qtmodeltester.check(model, force_py=True)


def test_sorted_longest_waiting_first(model):
    model.upsert(make_chat(1, waiting_for=10))
    model.upsert(make_chat(2, waiting_for=300))
    model.upsert(make_chat(3, waiting_for=60))
    model.flush()
    assert ids(model) == [2, 3, 1]
    assert model.index(0).data(QueueModel.WaitingSecondsRole) == 600 + 300


def test_a_burst_of_new_chats_is_one_insert(qtbot, model):
    model.upsert(make_chat(1, waiting_for=500))
    model.flush()
    inserts: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda parent, first, last: inserts.append((first, last)))
    with qtbot.waitSignal(model.countChanged, timeout=1000) as blocker:
        for i in range(2, 52):
            model.apply_event(event(EventType.CHAT_CREATED, make_chat(i, waiting_for=100 - i)))
        assert model.rowCount() == 1          # nothing applied before the flush timer fires
    assert blocker.args == [51]
    assert inserts == [(1, 50)]
    assert ids(model)[:3] == [1, 2, 3]


def test_arrived_names_the_new_chats_of_inserts_and_of_reloads(qtbot, run, model):
    arrived: list[list[int]] = []
    model.arrived.connect(lambda chats: arrived.append(sorted(c.id for c in chats)))
    model.upsert(make_chat(1, waiting_for=500))
    model.upsert(make_chat(2, waiting_for=400))
    model.flush()
    model.upsert(make_chat(2, waiting_for=400, version=2, last_message_preview="again"))
    model.flush()                         # an update of a known chat is not an arrival
    assert arrived == [[1, 2]]
    # a reload finds a chat that came in while the desk was not listening (and one left)
    backend = FakeBackend(chats=[make_chat(2, waiting_for=400, version=2),
                                 make_chat(3, waiting_for=100)])
    run(model.reload(backend))
    assert ids(model) == [2, 3]
    assert arrived == [[1, 2], [3]]
    run(model.reload(backend))            # nothing new: nothing arrives
    assert arrived == [[1, 2], [3]]


def test_inserts_at_different_places_stay_sorted(model):
    for i, w in ((1, 500), (2, 300), (3, 100)):
        model.upsert(make_chat(i, waiting_for=w))
    model.flush()
    for i, w in ((4, 400), (5, 50), (6, 900), (7, 401)):
        model.upsert(make_chat(i, waiting_for=w))
    model.flush()
    assert ids(model) == [6, 1, 7, 4, 2, 3, 5]


def test_message_event_updates_preview_in_place_with_changed_roles_only(qtbot, model):
    chat = make_chat(1, waiting_for=30)
    model.upsert(chat)
    model.flush()
    changes: list[list[int]] = []
    model.dataChanged.connect(lambda a, b, roles: changes.append(list(roles)))
    updated = chat.model_copy(update={"last_message_preview": "new words", "version": 2,
                                      "updated_at": chat.updated_at + timedelta(seconds=5)})
    msg = ChatMessage(id=1, chat_id=1, seq=2, author_kind=AuthorKind.VISITOR, author_name="V",
                      text="new words", created_at=T0)
    model.apply_event(event(EventType.CHAT_MESSAGE, ChatMessageEvent(chat=updated, message=msg)))
    model.flush()
    assert model.rowCount() == 1
    assert model.index(0).data(QueueModel.PreviewRole) == "new words"
    assert changes and QueueModel.PreviewRole in changes[0]
    assert QueueModel.VisitorNameRole not in changes[0]
    assert QueueModel.WaitingSecondsRole not in changes[0]


def test_taken_or_closed_chats_linger_marked_then_leave_the_queue(qtbot, model):
    model.set_agent_names([make_agent(id=7, display_name="Sam Carter")])
    model.upsert(make_chat(1))
    model.upsert(make_chat(2, waiting_for=5))
    model.flush()
    counts = []
    model.countChanged.connect(counts.append)
    model.apply_event(event(EventType.CHAT_UPDATED, make_chat(1, state=ChatState.ACTIVE,
                                                              assignee_id=7, version=2)))
    model.flush()
    # the row stays where it was, marked, not counted, not takeable
    assert ids(model) == [2, 1]
    assert model.index(1).data(QueueModel.LeavingRole) == "Taken by Sam Carter"
    assert model.chat(1) is None and model.shown_chat(1) is not None
    assert model.taken_by_colleague(1)
    assert model.waiting_count() == 1 and counts == [1]
    qtbot.waitUntil(lambda: ids(model) == [2], timeout=2000)
    model.apply_event(event(EventType.CHAT_UPDATED, make_chat(2, state=ChatState.CLOSED, version=3)))
    model.flush()
    assert model.index(0).data(QueueModel.LeavingRole).startswith("Closed")
    assert not model.taken_by_colleague(2)
    qtbot.waitUntil(lambda: ids(model) == [], timeout=2000)
    # an old copy does not bring a row back once it went
    model.upsert(make_chat(1))
    model.flush()
    assert ids(model) == []


def test_a_colleague_without_a_known_name_and_my_own_take(qtbot, model):
    model.upsert(make_chat(1))
    model.upsert(make_chat(2, waiting_for=5))
    model.flush()
    model.apply_event(event(EventType.CHAT_UPDATED, make_chat(1, state=ChatState.ACTIVE,
                                                              assignee_id=99, version=2)))
    # I (agent 1) took chat 2: no linger, my tab opens
    model.apply_event(event(EventType.CHAT_UPDATED, make_chat(2, waiting_for=5, version=2,
                                                              state=ChatState.ACTIVE, assignee_id=1)))
    model.flush()
    assert ids(model) == [1]
    assert model.index(0).data(QueueModel.LeavingRole) == "Taken by a colleague"
    # the colleague released it before the row went: it waits again, unmarked
    model.apply_event(event(EventType.CHAT_UPDATED, make_chat(1, version=3)))
    model.flush()
    assert ids(model) == [1] and model.index(0).data(QueueModel.LeavingRole) == ""
    assert model.chat(1) is not None and model.waiting_count() == 1


def test_only_the_agents_departments_unless_admin(qtbot, model):
    model.upsert(make_chat(1, department_id=3))     # Sales: not Dana's
    model.upsert(make_chat(2, department_id=2))
    model.flush()
    assert ids(model) == [2]
    # forwarded to Sales: leaves Dana's queue
    moved = make_chat(2, department_id=3, version=2, forwarded=True)
    model.apply_event(event(EventType.CHAT_FORWARDED, ForwardEvent(
        chat=moved, from_department_id=2, to_department_id=3, by_agent_id=7)))
    model.flush()
    assert model.index(0).data(QueueModel.LeavingRole) == "Forwarded to Sales"
    qtbot.waitUntil(lambda: ids(model) == [], timeout=2000)
    model.set_agent(make_agent(role=Role.ADMIN, department_ids=[]))
    model.upsert(make_chat(3, department_id=3))
    model.flush()
    assert ids(model) == [3]


def test_a_returned_or_released_chat_shows_the_forwarded_marker(model):
    """The seed: arrows for a chat forwarded "from a staff member who couldn't send a reply"."""
    fresh = make_chat(1, waiting_for=30)
    back = make_chat(2, waiting_for=30, created_at=T0 - timedelta(minutes=20))   # came back
    model.upsert(fresh)
    model.upsert(back)
    model.flush()
    assert model.index(model.row_of(1)).data(QueueModel.ForwardedRole) is False
    assert model.index(model.row_of(2)).data(QueueModel.ForwardedRole) is True
    assert "a colleague could not answer" in model.details_text(back)


def test_forwarded_into_my_department_shows_with_the_marker(model):
    chat = make_chat(9, department_id=1, forwarded=True, forward_comment="needs billing")
    model.apply_event(event(EventType.CHAT_FORWARDED, ForwardEvent(
        chat=chat, from_department_id=3, to_department_id=1, by_agent_id=4)))
    model.flush()
    assert model.index(0).data(QueueModel.ForwardedRole) is True
    assert model.index(0).data(QueueModel.DepartmentRole) == "Support"


def test_stale_snapshot_is_ignored(model):
    model.upsert(make_chat(1, version=5, last_message_preview="newest"))
    model.flush()
    model.upsert(make_chat(1, version=4, last_message_preview="older"))
    model.flush()
    assert model.index(0).data(QueueModel.PreviewRole) == "newest"


def test_dropped_row_does_not_come_back_from_an_old_snapshot(qtbot, model):
    chat = make_chat(1, version=3)
    model.upsert(chat)
    model.flush()
    model.mark_taken(1)                  # a 409: a colleague took it
    assert model.index(0).data(QueueModel.LeavingRole) == "Taken by a colleague"
    qtbot.waitUntil(lambda: model.rowCount() == 0, timeout=2000)
    model.upsert(chat)                   # a late copy of the same version
    model.flush()
    assert model.rowCount() == 0
    model.upsert(make_chat(1, version=4))    # really back (released by the colleague)
    model.flush()
    assert ids(model) == [1]


def test_moving_waiting_since_reorders(model):
    model.upsert(make_chat(1, waiting_for=100))
    model.upsert(make_chat(2, waiting_for=50))
    model.flush()
    # chat 1 re-entered the list (e.g. forward returned): it now waits the shortest
    model.upsert(make_chat(1, waiting_for=1, version=2))
    model.flush()
    assert ids(model) == [2, 1]


def test_untrusted_text_stays_plain(model):
    model.upsert(make_chat(1, visitor_name="<b>Eve</b>", last_message_preview="<img src=x>"))
    model.flush()
    idx = model.index(0)
    assert idx.data(Qt.ItemDataRole.DisplayRole) == "<b>Eve</b>"
    tooltip = idx.data(Qt.ItemDataRole.ToolTipRole)
    assert "<b>Eve</b>" not in tooltip and "&lt;b&gt;Eve&lt;/b&gt;" in tooltip
    assert "<img" not in tooltip


def test_waiting_time_ticks_with_one_role(qtbot, model):
    model.upsert(make_chat(1))
    model.upsert(make_chat(2, waiting_for=3))
    model.flush()
    model._tick_timer.setInterval(20)
    with qtbot.waitSignal(model.dataChanged, timeout=2000,
                          check_params_cb=lambda a, b, roles: list(roles) == [
                              QueueModel.WaitingSecondsRole]) as blocker:
        pass
    first, last, _ = blocker.args
    assert (first.row(), last.row()) == (0, 1)


def test_tick_timer_runs_only_while_chats_wait(model):
    assert not model._tick_timer.isActive()
    model.upsert(make_chat(1))
    model.flush()
    assert model._tick_timer.isActive()
    model.remove_chat(1)
    assert not model._tick_timer.isActive()


def test_format_waiting():
    c = QLocale.c()
    assert format_waiting(7, c) == "0:07"
    assert format_waiting(725, c) == "12:05"
    assert format_waiting(3723, c) == "1:02:03"
    assert format_waiting(-5, c) == "0:00"


def test_reload_reads_every_page_and_keeps_events_that_arrive_meanwhile(run, model, monkeypatch):
    monkeypatch.setattr(qm, "PAGE_LIMIT", 200)
    chats = [make_chat(i, waiting_for=i, department_id=1 + i % 3) for i in range(1, 451)]
    backend = FakeBackend(chats=chats)
    model.upsert(make_chat(9999))        # something stale that is no longer waiting on the server
    model.flush()

    real_list = backend.list_chats

    async def list_and_meanwhile(**kw):
        page = await real_list(**kw)
        if kw.get("offset") == 200:      # an event lands while the pages load
            model.upsert(make_chat(1, state=ChatState.ACTIVE, version=9))
        return page

    backend.list_chats = list_and_meanwhile
    run(model.reload(backend))
    assert [offset for offset, _ in backend.list_calls] == [0, 200, 400]
    expected = {c.id for c in chats if c.department_id in (1, 2)} - {1}
    assert set(ids(model)) == expected
    assert 9999 not in ids(model)
    assert not model.loading


def test_delegate_paints_every_kind_of_row(qtbot, model):
    model.upsert(make_chat(1, waiting_for=400, forwarded=True, project_name="example-shop",
                           visitor_name="A very long visitor name " * 8,
                           last_message_preview="x" * 500))
    model.upsert(make_chat(2, waiting_for=90, visitor_name="", client_name=None,
                           last_message_preview=""))
    model.upsert(make_chat(3, waiting_for=5, visitor_name="<i>html</i>"))
    model.flush()
    view = QListView()
    qtbot.addWidget(view)
    view.setUniformItemSizes(True)
    view.setModel(model)
    delegate = QueueDelegate(view)
    view.setItemDelegate(delegate)
    view.resize(420, 400)
    view.setCurrentIndex(model.index(1))
    view.show()
    qtbot.waitExposed(view)
    image = view.viewport().grab().toImage()
    assert not image.isNull()
    # uniform rows: every size hint is the same
    from supportdesk_qt.qt import QStyleOptionViewItem

    opt = QStyleOptionViewItem()
    opt.initFrom(view)
    hints = {delegate.sizeHint(opt, model.index(r)).height() for r in range(model.rowCount())}
    assert len(hints) == 1 and hints.pop() > opt.fontMetrics.height() * 3
    # something was painted: the viewport is not a single flat colour
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, min(image.height(), 150), 5)}
    assert len(colours) > 5

"""The spine end to end: a visitor (a plain WebSocket client speaking the visitor protocol) opens a
chat and writes; the real desk's queue model shows it; the agent's event stream is dropped in the
middle and, while it is down, more happens; on reconnect the stream resumes after the last seq
the desk applied and replays exactly what it missed, once each, in order."""

from __future__ import annotations

from supportdesk_protocol.events import EventType
from tests.ui.test_desk_e2e import WAIT, desk, sign_in, wait_connected  # noqa: F401  (fixture)
from tests.ui.visitor import Visitor


def test_visitor_chat_reaches_the_queue_and_a_dropped_stream_resumes_without_loss(
        qtbot, run, desk, server):  # noqa: F811
    sign_in(qtbot, desk)
    w = desk.window
    wait_connected(qtbot, w)
    model = w.queue_model
    backend = desk.session.backend
    seen: list = []
    desk.bridge.serverEvent.connect(seen.append)

    first = Visitor(server.url)
    run(first.connect())
    run(first.start_chat("Billing", "Before Drop", "Was I charged twice?"))
    first_id = first.chat["id"]
    qtbot.waitUntil(lambda: model.chat(first_id) is not None, timeout=WAIT)
    assert "charged twice" in model.chat(first_id).last_message_preview

    # drop the agent connection; while it is down a second chat opens and the first one talks
    applied = backend.last_seq
    run(backend.stop_events())
    second = Visitor(server.url)
    run(second.connect())
    run(second.start_chat("Technical support", "During Drop", "My site is down"))
    second_id = second.chat["id"]
    run(first.send("Hello? Anyone there?"))
    assert model.chat(second_id) is None          # the desk cannot know yet

    before_resume = len(seen)
    run(backend.start_events(resume_after=applied))
    wait_connected(qtbot, w)
    qtbot.waitUntil(lambda: backend.last_seq > applied, timeout=WAIT)
    qtbot.waitUntil(lambda: model.chat(second_id) is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: "Anyone there" in model.chat(first_id).last_message_preview,
                    timeout=WAIT)

    replayed = seen[before_resume:]
    seqs = [e.seq for e in replayed]
    assert seqs == sorted(set(seqs)), "replayed events must be in order and without duplicates"
    assert all(s > applied for s in seqs)
    created = [e for e in replayed if e.type == EventType.CHAT_CREATED and e.data.id == second_id]
    messages = [e for e in replayed if e.type == EventType.CHAT_MESSAGE
                and e.data.message.text == "Hello? Anyone there?"]
    assert len(created) == 1 and len(messages) == 1
    all_seqs = [e.seq for e in seen]
    assert len(all_seqs) == len(set(all_seqs)), "no event may be applied twice across the drop"
    assert backend.last_seq >= max(seqs)
    run(first.close())
    run(second.close())

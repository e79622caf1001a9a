"""Benchmark: opening a chat with 100,000 messages vs one with 10 (issue 4: "opens as fast").

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/chat_history.py [--runs 9] [--big 100000]
        [--scroll-seconds 180] [--json OUT] [--smoke]

Starts the real server (demo data) in a temp dir, opens two chats through the visitor protocol and
takes them as the demo agent; the big chat's history is then written straight into the server's
SQLite file (100,000 messages through the API would take minutes and measure the server, not the
desk). Each run creates a :class:`~supportdesk_qt.ui.chat.ChatTab`, shows it, and stops the clock
when the newest page is in the model, laid out, and the view sits at the bottom with the newest
message on screen. Runs alternate between the chats; the first of each is a warm-up. Prints the
median open time of each chat and the ratios. A third chat holds exactly one first page (40
messages): big/one-page near 1.0 shows the history size does not matter (only the newest page is
loaded, and only it is measured by the delegate); big/small adds the cost of 30 more rows on screen.

Then the big chat is opened once more and scrolled to the top the way a person drags the
scroll bar up: the scroll bar to its minimum, again each time an older page has come in, until
the first message is loaded (or ``--scroll-seconds`` have passed). Reported: that time, the rows
the model then holds, and the process's PSS before opening, after the first paint and at the top
(this process: the desk's model, view and delegate, nothing of the main window).

Not a unit test (timings on shared CI machines are noise); the suite (bench/suite.py) runs it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "bench"))

from common import Report, command_line, fill_history, now_ms, pss_kb, sqlite_path  # noqa: E402
from supportdesk_qt.qt import QApplication, QEvent, QEventLoop, QObject, QPoint  # noqa: E402
from supportdesk_qt.ui.tabs import TabContext  # noqa: E402

class Painted(QObject):
    """Counts the paint events a widget received."""

    def __init__(self, widget) -> None:  # noqa: ANN001
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: ANN001, N802
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


async def open_once(make_tab, keep: bool = False):  # noqa: ANN001, ANN201
    """Create, show and wait until the newest message is laid out on screen and the view has
    painted after that: (seconds, rows in the model, rows measured) (and the tab if ``keep``)."""
    started = time.perf_counter()
    tab = make_tab()
    tab.resize(900, 700)
    tab.show()
    view, model = tab.view, tab.model
    paints = Painted(view.viewport())
    laid_out = None
    while True:
        await asyncio.sleep(0)
        if laid_out is None and model.is_loaded and model.rowCount():
            last = view.visualRect(model.index(model.rowCount() - 1))
            if last.isValid() and view.viewport().rect().intersects(last) \
                    and view.indexAt(QPoint(4, view.viewport().height() - 4)).isValid():
                laid_out = paints.count
                view.viewport().update()      # the paint that shows it (offscreen may not ask)
        if laid_out is not None and paints.count > laid_out:
            break
        if time.perf_counter() - started > 60:
            raise RuntimeError("the chat did not open within 60 s")
    elapsed = time.perf_counter() - started
    rows, measured = model.rowCount(), view.delegate.measured
    if keep:
        return elapsed, rows, measured, tab
    tab.dispose()
    tab.close()
    tab.deleteLater()
    await asyncio.sleep(0.05)
    return elapsed, rows, measured


async def scroll_to_top(make, args, report: Report) -> None:  # noqa: ANN001
    """Open the big chat and drag its scroll bar to the top until the first message is in."""
    pss_before = pss_kb(os.getpid()) / 1024
    _elapsed, _rows, _measured, tab = await open_once(make, keep=True)
    pss_open = pss_kb(os.getpid()) / 1024
    view, model = tab.view, tab.model
    bar = view.verticalScrollBar()
    t0 = now_ms()
    deadline = time.monotonic() + args.scroll_seconds
    while (model.has_more or model.fetching) and time.monotonic() < deadline:
        bar.setValue(bar.minimum())
        await asyncio.sleep(0.005)            # a drag: the next move after the page came in
    reached = not model.has_more
    took = now_ms() - t0
    await asyncio.sleep(0.5)
    pss_top = pss_kb(os.getpid()) / 1024
    rows = model.rowCount()
    report.add("scroll to the top of it", took if reached else None, "ms",
               note=("" if reached else f"not at the top after {args.scroll_seconds:g} s; ")
               + f"{rows:,} rows in the model there")
    bounded = rows <= 2 * 2000                  # MAX_ROWS of the model, with slack
    report.add("PSS growth from open to the top", pss_top - pss_open, "MB",
               "bounded by what is on screen", bounded if reached else None,
               note=f"{pss_before:.0f} MB before opening, {pss_open:.0f} MB open, "
                    f"{pss_top:.0f} MB at the top; {rows:,} rows held")
    tab.dispose()
    tab.close()
    tab.deleteLater()


async def main(args) -> None:
    from supportdesk_qt.backend.http import HttpBackend
    from supportdesk_qt.core.drafts import DraftStore
    from supportdesk_qt.ui.bridge import Bridge
    from supportdesk_qt.ui.chat import ChatTab
    from supportdesk_qt.ui.tasks import TaskRegistry
    from tests.support.server import ServerProcess
    from tests.ui.visitor import Visitor

    report = Report("chat history", command_line("chat_history.py", args.argv))
    tmp = Path(tempfile.mkdtemp(prefix="chat-bench-"))
    server = ServerProcess(tmp / "server", demo=True, demo_clients=10)
    server.start()
    tasks = TaskRegistry()
    backend = HttpBackend(server.url)
    try:
        await backend.login("demo", "demo")
        bridge = Bridge(tasks)
        bridge.attach(backend)
        await backend.start_events()
        await backend.wait_connected()
        chats = {}
        for label in ("small", "page", "big"):
            visitor = Visitor(server.url)
            await visitor.connect()
            await visitor.start_chat("Billing", f"{label} visitor", "hello")
            chats[label] = await backend.take_chat(visitor.chat["id"])
            await visitor.close()
        from supportdesk_qt.ui.chat.message_model import FIRST_PAGE

        db = sqlite_path(server)
        fill_history(db, chats["small"].id, 9)
        fill_history(db, chats["page"].id, FIRST_PAGE - 1)
        fill_history(db, chats["big"].id, args.big)
        drafts = DraftStore(tmp / "drafts.json")

        def make_tab(chat):  # noqa: ANN001, ANN202
            return lambda: ChatTab(TabContext.of(backend, tasks, bridge=bridge, drafts=drafts,
                                                 agent=backend.agent), chat, department="Billing")

        times: dict[str, list[float]] = {"small": [], "page": [], "big": []}
        info = {}
        for run in range(args.runs + 1):
            for label in ("small", "page", "big"):
                chat = chats[label]
                elapsed, rows, measured = await open_once(make_tab(chat))
                if run:                                   # run 0 is the warm-up
                    times[label].append(elapsed)
                info[label] = (rows, measured)
        med = {k: statistics.median(v) for k, v in times.items()}
        sizes = {"small": 10, "page": FIRST_PAGE, "big": args.big + 1}
        for label in ("small", "page", "big"):
            print(f"chat with {sizes[label]:>7,} messages: median open {med[label] * 1000:7.1f} ms "
                  f"(rows in model {info[label][0]}, rows measured {info[label][1]})")
        report.add(f"open a chat of {args.big + 1:,} messages: first paint", med["big"] * 1000,
                   "ms", "<= 150 ms", med["big"] * 1000 <= 150, runs=args.runs,
                   note=f"{info['big'][0]} rows loaded, {info['big'][1]} measured; "
                        f"a chat of 10: {med['small'] * 1000:.0f} ms")
        report.add(f"{args.big + 1:,} / 10 messages, open time", med["big"] / med["small"], "x",
                   runs=args.runs)
        await scroll_to_top(make_tab(chats["big"]), args, report)
        await bridge.detach()
    finally:
        await backend.close()
        await tasks.cancel_all()
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    report.write(args.json)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--scroll-seconds", type=float, default=180)
    parser.add_argument("--json")
    parser.add_argument("--smoke", action="store_true", help="1 run, 600 messages")
    args = parser.parse_args()
    args.argv = sys.argv[1:]
    if args.smoke:
        args.runs, args.big, args.scroll_seconds = 1, 600, 20
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)   # each run closes its tab
    loop = QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(main(args))

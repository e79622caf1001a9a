"""Benchmark: opening a chat with 100,000 messages vs one with 10 (issue 4: "opens as fast").

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/chat_history.py [--runs 9] [--big 100000]

Starts the real server (demo data) in a temp dir, opens two chats through the visitor protocol and
takes them as the demo agent; the big chat's history is then written straight into the server's
SQLite file (100,000 messages through the API would take minutes and measure the server, not the
desk). Each run creates a :class:`~supportdesk_qt.ui.chat.ChatTab`, shows it, and stops the clock
when the newest page is in the model, laid out, and the view sits at the bottom with the newest
message on screen. Runs alternate between the chats; the first of each is a warm-up. Prints the
median open time of each chat and the ratios. A third chat holds exactly one first page (40
messages): big/one-page near 1.0 shows the history size does not matter (only the newest page is
loaded, and only it is measured by the delegate); big/small adds the cost of 30 more rows on screen.

Not a unit test (timings on shared CI machines are noise); run it by hand after changing the
model, the delegate or the view.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from supportdesk_qt.qt import QApplication, QEventLoop, QPoint  # noqa: E402
from supportdesk_qt.ui.tabs import TabContext  # noqa: E402

WORDS = ("invoice refund server domain renewal please thanks checking account password backup "
         "DNS record certificate migration upgrade plan yearly monthly ticket").split()


def fill_history(db: Path, chat_id: int, n: int) -> None:
    """Append ``n`` messages of varying length to ``chat_id`` (in one transaction)."""
    con = sqlite3.connect(db, timeout=30)
    try:
        (last,) = con.execute("select coalesce(max(seq), 0) from chat_messages where chat_id=?",
                              (chat_id,)).fetchone()
        start = datetime.utcnow() - timedelta(seconds=n)
        rows = []
        for i in range(n):
            visitor = i % 2 == 0
            length = 3 + (i * 7919) % 60
            text = " ".join(WORDS[(i + k) % len(WORDS)] for k in range(length))
            rows.append((chat_id, last + 1 + i, "visitor" if visitor else "agent",
                         None if visitor else 1, "Big Visitor" if visitor else "Dana Demo", text,
                         f"bench-{i}", (start + timedelta(seconds=i)).isoformat(" ")))
        con.executemany("insert into chat_messages (chat_id, seq, author_kind, author_agent_id, "
                        "author_name, text, client_msg_id, created_at) values (?,?,?,?,?,?,?,?)",
                        rows)
        con.execute("update chats set message_count = message_count + ? where id = ?", (n, chat_id))
        con.commit()
    finally:
        con.close()


async def open_once(make_tab) -> tuple[float, int, int]:
    started = time.perf_counter()
    tab = make_tab()
    tab.resize(900, 700)
    tab.show()
    view, model = tab.view, tab.model
    while True:
        await asyncio.sleep(0)
        if model.is_loaded and model.rowCount():
            last = view.visualRect(model.index(model.rowCount() - 1))
            if last.isValid() and view.viewport().rect().intersects(last) \
                    and view.indexAt(QPoint(4, view.viewport().height() - 4)).isValid():
                break
        if time.perf_counter() - started > 60:
            raise RuntimeError("the chat did not open within 60 s")
    elapsed = time.perf_counter() - started
    rows, measured = model.rowCount(), view.delegate.measured
    tab.dispose()
    tab.close()
    tab.deleteLater()
    await asyncio.sleep(0.05)
    return elapsed, rows, measured


async def main(args) -> None:
    from supportdesk_qt.backend.http import HttpBackend
    from supportdesk_qt.core.drafts import DraftStore
    from supportdesk_qt.ui.bridge import Bridge
    from supportdesk_qt.ui.chat import ChatTab
    from supportdesk_qt.ui.tasks import TaskRegistry
    from tests.support.server import ServerProcess
    from tests.ui.visitor import Visitor

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

        db = Path(server.database_url.split("///", 1)[1])
        fill_history(db, chats["small"].id, 9)
        fill_history(db, chats["page"].id, FIRST_PAGE - 1)
        fill_history(db, chats["big"].id, args.big)
        drafts = DraftStore(tmp / "drafts.json")
        times: dict[str, list[float]] = {"small": [], "page": [], "big": []}
        info = {}
        for run in range(args.runs + 1):
            for label in ("small", "page", "big"):
                chat = chats[label]
                elapsed, rows, measured = await open_once(
                    lambda: ChatTab(TabContext.of(backend, tasks, bridge=bridge, drafts=drafts,
                                                  agent=backend.agent), chat, department="Billing"))
                if run:                                   # run 0 is the warm-up
                    times[label].append(elapsed)
                info[label] = (rows, measured)
        med = {k: statistics.median(v) for k, v in times.items()}
        sizes = {"small": 10, "page": FIRST_PAGE, "big": args.big + 1}
        for label in ("small", "page", "big"):
            print(f"chat with {sizes[label]:>7,} messages: median open {med[label] * 1000:7.1f} ms "
                  f"(rows in model {info[label][0]}, rows measured {info[label][1]})")
        print(f"ratio {args.big + 1:,}/10 messages: {med['big'] / med['small']:.2f}; "
              f"{args.big + 1:,}/{FIRST_PAGE}: {med['big'] / med['page']:.2f} "
              f"({args.runs} runs each)")
        await bridge.detach()
    finally:
        await backend.close()
        await tasks.cancel_all()
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--big", type=int, default=100_000)
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)   # each run closes its tab
    loop = QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(main(parser.parse_args()))

"""The bench hook inside the real desk: ``supportdesk_qt.app.main()`` with an observer.

    .venv/bin/python bench/desk_probe.py PLAN.json [desk arguments: --server URL ...]

Started by the benchmarks as a child process with a prepared ``SUPPORTDESK_HOME`` (settings with
the server and the user name, a remembered token in ``bench/filekeyring.py``). It runs the desk's
own ``main()`` unchanged; an event filter on the QApplication watches the main window. The clock
of a cold start stops at the first paint of the main window once its title shows the waiting
count the plan expects ("(50) SupportDesk") and the window is visible. Then the plan's ``mode``:

* ``start``: settle, record the desk's PSS (idle after login), quit.
* ``tabs``: open the plan's chats in tabs (each waits for its newest page), settle, PSS; with
  ``soak_seconds``: start a load generator (bench/visitors.py, its own process) on those chats
  and sample PSS while it runs.
* ``paint``: open one chat; for each ``rates`` step run the load generator over every chat and
  record, for messages of the open chat, stamp -> the view's next paint done (the event loop is
  back after the paint), and the longest stall of the GUI thread (a 10 ms timer's lateness).
* ``queue``: open the queue pop-up under the counter and time it to its list's first paint,
  ``repeat`` times; the filter is timed when the pop-up has one.

Writes a JSON object to the plan's ``out`` and quits through the desk's own quit.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

T_PROCESS = time.monotonic() * 1000         # as early as this process can tell
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import asyncio  # noqa: E402
import re  # noqa: E402

from supportdesk_qt import app as desk_app  # noqa: E402

T_IMPORTED = time.monotonic() * 1000

from common import now_ms, pss_kb  # noqa: E402
from supportdesk_qt.qt import QEvent, QObject, QTimer  # noqa: E402

TITLE = re.compile(r"^\(([^)]*)\) ")


class Probe(QObject):
    def __init__(self, plan: dict) -> None:
        super().__init__()
        self.plan = plan
        self.result: dict = {"t_process": T_PROCESS, "t_imported": T_IMPORTED}
        self.window = None
        self.armed = False
        self.started = False

    # -- the cold start -------------------------------------------------------------------------

    def eventFilter(self, obj, event) -> bool:  # noqa: ANN001, N802
        kind = event.type()
        if self.started:
            return False
        if kind in (QEvent.Type.WindowTitleChange, QEvent.Type.Show) and obj.isWidgetType() \
                and obj.inherits("QMainWindow"):
            m = TITLE.match(obj.windowTitle())
            count = int(re.sub(r"\D", "", m.group(1)) or 0) if m else 0
            if count == self.plan["expect_waiting"] and obj.isVisible():
                self.window = obj
                if not self.armed:
                    self.armed = True
                    self.result["t_title"] = now_ms()
                    obj.update()
        elif kind == QEvent.Type.Paint and self.armed and obj.isWidgetType() \
                and obj.window() is self.window:
            self.started = True
            QTimer.singleShot(0, self._painted)
        return False

    def _painted(self) -> None:
        self.result["t_painted"] = now_ms()
        self.result["cpu_ms"] = time.process_time() * 1000   # user + system, whole process
        asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        try:
            mode = self.plan["mode"]
            await asyncio.sleep(self.plan.get("settle", 2.0))
            self.result["pss_idle_mb"] = pss_kb_self() / 1024
            if mode == "tabs":
                await self._tabs()
            elif mode == "paint":
                await self._paint()
            elif mode == "queue":
                await self._queue()
        except Exception as exc:        # the parent reports it
            import traceback

            self.result["error"] = "".join(traceback.format_exception(exc))
        Path(self.plan["out"]).write_text(json.dumps(self.result))
        self.window.quitRequested.emit()

    # -- chat tabs, memory, soak --------------------------------------------------------------------

    async def _open(self, chat_id: int, focus: bool = False):  # noqa: ANN202
        w = self.window
        chat = await w.backend.get_chat(chat_id)
        tab = w.tab_manager.open_chat(chat, focus=focus)
        deadline = time.monotonic() + 60
        while not tab.model.is_loaded:
            if time.monotonic() > deadline:
                raise RuntimeError(f"chat {chat_id} did not load")
            await asyncio.sleep(0.02)
        return tab

    async def _tabs(self) -> None:
        ids = self.plan["chats"]
        t0 = now_ms()
        for i, cid in enumerate(ids):
            await self._open(cid, focus=i == len(ids) - 1)
        self.result["tabs_open_ms"] = now_ms() - t0
        self.result["tabs"] = len(self.window.tab_manager.chat_tabs())
        await asyncio.sleep(self.plan.get("settle", 2.0))
        self.result["pss_tabs_mb"] = pss_kb_self() / 1024
        soak = self.plan.get("soak_seconds", 0)
        if soak:
            from visitors import collect, spawn_load

            load = spawn_load(self.plan["server"], Path(self.plan["chats_file"]),
                              self.plan["soak_rate"], soak, Path(self.plan["out"]).parent,
                              tag="soak")
            samples = []
            step = max(1.0, soak / 30)
            t0 = time.monotonic()
            while any(p.poll() is None for p, _ in load):
                samples.append((time.monotonic() - t0, pss_kb_self() / 1024))
                await asyncio.sleep(step)
            samples.append((time.monotonic() - t0, pss_kb_self() / 1024))
            self.result["soak_samples"] = samples
            self.result["soak_load"] = collect(load)
            rows = sum(t.model.rowCount() for t in self.window.tab_manager.chat_tabs())
            self.result["soak_rows_in_models"] = rows

    # -- visitor message -> painted -----------------------------------------------------------------

    async def _paint(self) -> None:
        from visitors import collect, sent_at, spawn_load

        focus = self.plan["focus"]
        tab = await self._open(focus, focus=True)
        model, viewport = tab.model, tab.view.viewport()
        waiting: list[float] = []
        latencies: list[float] = []

        def inserted(_parent, first: int, last: int) -> None:  # noqa: ANN001
            for r in range(first, last + 1):
                t = sent_at(model.data(model.index(r), model.TextRole) or "")
                if t is not None:
                    waiting.append(t)

        class PaintWatch(QObject):
            def eventFilter(self, obj, event) -> bool:  # noqa: ANN001, N802
                if event.type() == QEvent.Type.Paint and waiting:
                    batch = list(waiting)
                    waiting.clear()
                    QTimer.singleShot(0, lambda: latencies.extend(now_ms() - t for t in batch))
                return False

        watch = PaintWatch(viewport)
        viewport.installEventFilter(watch)
        model.rowsInserted.connect(inserted)
        stalls: list[float] = []
        last = [now_ms()]

        def tick() -> None:
            t = now_ms()
            stalls.append(t - last[0] - 10)
            last[0] = t

        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(tick)
        steps = []
        for rate in self.plan["rates"]:
            latencies.clear()
            focus_rate = min(self.plan["focus_rate_max"], max(rate / 10, 1.0))
            load = spawn_load(self.plan["server"], Path(self.plan["chats_file"]), rate - focus_rate,
                              self.plan["seconds"], Path(self.plan["out"]).parent,
                              processes=2 if rate >= 200 else 1, focus=focus,
                              focus_rate=focus_rate, tag=f"paint-{rate}")
            await asyncio.sleep(1.0)       # visitors connecting: not counted as stalls
            stalls.clear()
            last[0] = now_ms()
            timer.start()
            while any(p.poll() is None for p, _ in load):
                await asyncio.sleep(0.1)
            timer.stop()
            await asyncio.sleep(0.5)
            steps.append({"rate": rate, "focus_rate": focus_rate, "latencies": list(latencies),
                          "max_stall_ms": max(stalls or [0.0]), "load": collect(load)})
        self.result["steps"] = steps

    # -- the queue pop-up ------------------------------------------------------------------------------

    async def _queue(self) -> None:
        w = self.window
        popup = w.queue_popup
        vp = popup.view.viewport()
        painted = asyncio.Event()

        class Watch(QObject):
            def eventFilter(self, obj, event) -> bool:  # noqa: ANN001, N802
                if event.type() == QEvent.Type.Paint:
                    QTimer.singleShot(0, painted.set)
                return False

        watch = Watch(vp)
        vp.installEventFilter(watch)
        opens = []
        for _ in range(self.plan.get("repeat", 5)):
            popup.hide()
            await asyncio.sleep(0.3)
            painted.clear()
            t0 = now_ms()
            w.show_queue_popup()
            await asyncio.wait_for(painted.wait(), 30)
            opens.append(now_ms() - t0)
        self.result["open_ms"] = opens
        self.result["rows"] = popup.model.rowCount()
        self.result["filter"] = hasattr(popup, "filter_edit")
        popup.hide()


def pss_kb_self() -> int:
    import os

    return pss_kb(os.getpid())


def main() -> int:
    plan = json.loads(Path(sys.argv[1]).read_text())
    argv = sys.argv[2:]
    args = desk_app.parse_args(argv)
    app = desk_app.create_application(args.qt_args)   # main() reuses it
    probe = Probe(plan)
    app.installEventFilter(probe)
    return desk_app.main(argv)


if __name__ == "__main__":
    sys.exit(main())

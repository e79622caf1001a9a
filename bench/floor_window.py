"""The floor of a desktop start: a bare PySide6 window with a 50-row list and a title.

    .venv/bin/python bench/floor_window.py OUT.json [--rows 50]

What any PySide6 app pays before it does anything of its own: the interpreter, PySide6's
QtWidgets, a QApplication, a QMainWindow with a QListView over a 50-row model. Writes the time of
the window's first paint (CLOCK_MONOTONIC, ms; the parent took the time before it started this
process) and the PSS once idle, then quits.
"""

import json
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QStringListModel, QTimer
from PySide6.QtWidgets import QApplication, QListView, QMainWindow


def pss_kb() -> int:
    for line in Path(f"/proc/{os.getpid()}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


class FirstPaint(QObject):
    def __init__(self, window, out: Path) -> None:
        super().__init__()
        self.window, self.out, self.done = window, out, False

    def eventFilter(self, obj, event) -> bool:
        if not self.done and event.type() == QEvent.Type.Paint and obj.isWidgetType() \
                and obj.window() is self.window:
            self.done = True
            QTimer.singleShot(0, self.painted)
        return False

    def painted(self) -> None:
        t = time.monotonic() * 1000
        QTimer.singleShot(2000, lambda: self.finish(t))

    def finish(self, t: float) -> None:
        self.out.write_text(json.dumps({"t_painted": t, "pss_idle_mb": pss_kb() / 1024}))
        QApplication.quit()


def main() -> int:
    out = Path(sys.argv[1])
    rows = int(sys.argv[sys.argv.index("--rows") + 1]) if "--rows" in sys.argv else 50
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle(f"({rows}) Floor")
    view = QListView(window)
    view.setModel(QStringListModel([f"Bench Visitor {i} - hello, I am visitor {i}"
                                    for i in range(rows)], view))
    window.setCentralWidget(view)
    window.resize(1000, 700)
    probe = FirstPaint(window, out)
    app.installEventFilter(probe)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())

"""Small files (issue 10, "Done means"): no file of ``supportdesk_qt/`` is longer than 600
lines, and the main window, layout and wiring only, at most 400. Counted from the source, no
import."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "supportdesk_qt"
MAX_LINES = 600
MAIN_WINDOW_MAX_LINES = 400


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_file_of_the_desk_is_longer_than_600_lines():
    too_long = {str(p.relative_to(ROOT)): n for p in sorted(PACKAGE.rglob("*.py"))
                if (n := _lines(p)) > MAX_LINES}
    assert not too_long, f"split these files by concern: {too_long}"


def test_the_main_window_is_layout_and_wiring_at_most_400_lines():
    n = _lines(PACKAGE / "ui" / "main_window.py")
    assert n <= MAIN_WINDOW_MAX_LINES, (
        f"ui/main_window.py has {n} lines; move what is not layout or wiring to a module of its "
        "own (see its docstring)")


def test_the_counter_sees_a_long_file(tmp_path):
    long = tmp_path / "long.py"
    long.write_text("x = 1\n" * (MAX_LINES + 1), encoding="utf-8")
    assert _lines(long) == MAX_LINES + 1 > MAX_LINES

"""User text joined with our own on one line is wrapped in Unicode isolates, so a right-to-left
override in a visitor's name or a client's project cannot reorder the desk's words after it."""

from __future__ import annotations

from supportdesk_qt.qt import QFont, QTextLayout
from supportdesk_qt.ui.formatting import FSI, PDI, isolate

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

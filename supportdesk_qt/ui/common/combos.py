"""Filling a combo box from a list that changes while it is shown (the departments cache)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from supportdesk_qt.qt import QComboBox

_KEEP_CURRENT = object()


def set_choices(combo: QComboBox, choices: Sequence[tuple[Any, str]],
                keep: Any = _KEEP_CURRENT) -> bool:
    """Show ``choices`` (``(data, text)`` pairs, in order) in ``combo``, with ``keep`` (by
    default the current choice) selected again when it is still there. The same choices again
    (only an online count moved) change nothing, so an open combo box is not disturbed.
    Returns whether the items were replaced."""
    shown = [(combo.itemData(i), combo.itemText(i)) for i in range(combo.count())]
    if shown == [(data, text) for data, text in choices]:
        return False
    if keep is _KEEP_CURRENT:
        keep = combo.currentData()
    combo.clear()
    for data, text in choices:
        combo.addItem(text, data)
    i = combo.findData(keep)
    if i >= 0:
        combo.setCurrentIndex(i)
    return True


__all__ = ["set_choices"]

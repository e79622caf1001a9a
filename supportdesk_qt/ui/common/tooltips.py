"""Tooltips that show user text literally."""

from __future__ import annotations

import html

from supportdesk_qt.ui.common.text import TOOLTIP_CAP, cap, line_breaks


def plain_tooltip(text: str) -> str:
    """``text`` as a tooltip that shows literally.

    ``QToolTip`` guesses the format (``Qt::mightBeRichText``), so ``<b>x</b>`` from a visitor would
    render bold: escape it and wrap it in a rich-text shell of our own.
    """
    if not text:
        return ""
    body = html.escape(cap(line_breaks(text), TOOLTIP_CAP)).replace("\n", "<br>")
    return f"<qt><p style='white-space:pre-wrap'>{body}</p></qt>"

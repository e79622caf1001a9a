"""User text made safe and short for our widgets: isolated where it meets the desk's own words
(bidi), one kind of line break, capped to what a cell or a tooltip shows.

Everything a visitor or client typed goes through here before a label, a row or a tooltip
shows it; nothing here knows Qt widgets (``elide_isolated`` takes any ``QFontMetrics``).
"""

from __future__ import annotations

import unicodedata

from supportdesk_qt.qt import Qt

#: Characters of a cell's display text; a tooltip carries up to TOOLTIP_CAP.
DISPLAY_CAP = 300
TOOLTIP_CAP = 2000


def cap(text: str | None, limit: int = DISPLAY_CAP) -> str:
    """``text`` cut to ``limit`` characters, the last one an ellipsis when it was cut."""
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def one_line(text: str | None, limit: int = DISPLAY_CAP) -> str:
    """Whitespace (newlines too) collapsed, capped: what a table cell shows."""
    return cap(" ".join((text or "").split()), limit)


# Bidirectional classes that can reorder text around them: right-to-left letters and the
# embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069).
_BIDI_ACTIVE = frozenset({"R", "AL", "RLE", "RLO", "LRE", "LRO", "RLI", "LRI", "FSI", "PDF", "PDI"})
FSI, PDI = "\u2068", "\u2069"


_OPENERS = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c",
             "\u2066": PDI, "\u2067": PDI, FSI: PDI}
_CLOSERS = frozenset({"\u202c", PDI})


def _balanced(text: str) -> str:
    """``text`` with every isolate it opens closed at its end, and every terminator that closes
    nothing of its own dropped: wrapped in an isolate, user text can then neither leak an
    override onto our words nor close our own isolate early (a stray PDI would)."""
    if not any(ch in _OPENERS or ch in _CLOSERS for ch in text):
        return text
    out: list[str] = []
    stack: list[str] = []
    for ch in text:
        if ch in _OPENERS:
            stack.append(_OPENERS[ch])
        elif ch in _CLOSERS:
            if ch == PDI:
                if PDI not in stack:
                    continue            # closes nothing of this text's: dropped
                while stack and stack.pop() != PDI:
                    pass                # a PDI also ends the embeddings opened inside it
            elif not stack or stack[-1] != ch:
                continue                # a PDF closes only an embedding opened after an isolate
            else:
                stack.pop()
        out.append(ch)
    # a PDI ends every embedding and override opened inside its isolate (UAX #9), so only the
    # isolates need closing; the caller wraps the result in one (see isolate())
    return "".join(out) + PDI * stack.count(PDI)


def isolate(text: str) -> str:
    """``text`` (typed by a visitor or client) made safe to join with our own text on one line.

    A right-to-left override or RTL letters inside a name would otherwise reorder what follows
    it on the line ("project · department · state"); wrapped in FIRST STRONG ISOLATE … POP
    DIRECTIONAL ISOLATE (Unicode's UAX #9 isolates, which Qt's layout honours) the text keeps its
    own direction inside and leaves its neighbours alone. Controls the text leaves open are
    closed and stray terminators dropped (:func:`_balanced`), so our PDI really ends it. Plain
    left-to-right text is returned unchanged, so nothing changes for the common case.

    The one helper for every place that joins user text with the desk's words: notifications,
    tab titles and tooltips, list rows (with :func:`elide_isolated`)."""
    if text and any(unicodedata.bidirectional(ch) in _BIDI_ACTIVE for ch in text):
        return f"{FSI}{_balanced(text)}{PDI}"
    return text


def elide_isolated(text: str, metrics, width: int,
                   mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight) -> str:
    """``metrics.elidedText(text, mode, width)``, isolated: the eliding may cut off the end of an
    isolate or override (ours from :func:`isolate` or the user's), so the terminators the cut
    removed are put back before the result is isolated itself. The controls are zero-width: the
    result still fits ``width``. Use it wherever user text is elided (list delegates)."""
    return isolate(_balanced(metrics.elidedText(text, mode, max(0, int(width)))))


def line_breaks(text: str) -> str:
    """``text`` with every line break as ``\n``: a visitor's browser or client may send CR LF or a
    lone CR (old Mac line ends, some paste sources). QTextLayout breaks lines only at LINE
    SEPARATOR, which the chat delegate makes of ``\n``; a lone CR would otherwise be laid out as
    nothing and run two lines together. Links are found in this text, so their offsets match."""
    return text.replace("\r\n", "\n").replace("\r", "\n")

"""Labels for user text: plain text only (never markup), an error sentence of a form, and a label
that cuts an unbreakable run with an ellipsis instead of clipping it."""

from __future__ import annotations

from supportdesk_qt.qt import (
    QLabel,
    QSize,
    QSizePolicy,
    Qt,
    QTextBoundaryFinder,
    QWidget,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.common.text import isolate
from supportdesk_qt.ui.common.tooltips import plain_tooltip


def plain_label(text: str = "", parent: QWidget | None = None, *,
                selectable: bool = False) -> QLabel:
    """A label that never interprets markup (visitor and client data go in these);
    ``selectable``: the agent can select the text with the mouse to copy it."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setText(text)
    return label


def error_label(parent: QWidget, object_name: str) -> QLabel:
    """A hidden, word-wrapped, plain-text label for an error sentence, in the palette's error
    colour (dialogs show the server's sentence there and keep what was typed)."""
    label = QLabel("", parent)
    label.setObjectName(object_name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    theme.tint(label, theme.error_text)
    label.hide()
    return label


class ElidedLabel(QLabel):
    """Plain text that never runs past the label's edge. It word-wraps where a line may break
    (spaces, and the slashes of an address, as any label); a run that cannot break and is wider
    than the label (a page title without spaces) is cut with an ellipsis, and the whole text is
    then the (plain) tooltip. A plain word-wrapped label clips such a run at the panel edge with
    nothing to say that more follows.

    ``prefix`` and ``suffix`` are the desk's own words around the value ("Project: %1"); they
    are never cut. A cut run is cut first and isolated after (``text.isolate``), and so is
    the visitor text between cuts, so a cut cannot drop the terminator of an isolate or override
    and let the visitor's text reorder the ellipsis or our words. :meth:`full_text` is what the
    label stands for."""

    def __init__(self, parent: QWidget | None = None, *, selectable: bool = False) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        if selectable:
            self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._parts = ("", "", "")

    def set_value(self, value: str, prefix: str = "", suffix: str = "") -> None:
        self._parts = (prefix, value or "", suffix)
        self._relayout()

    def full_text(self) -> str:
        prefix, value, suffix = self._parts
        return f"{prefix}{value}{suffix}"

    def _relayout(self) -> None:
        prefix, value, suffix = self._parts
        width = self.contentsRect().width() - self.margin() * 2
        lines, cut = [], False
        for line in value.split("\n"):
            shown, line_cut = self._fit(line, width)
            cut = cut or line_cut
            lines.append(shown)
        if (prefix or suffix) and value and not cut:
            lines = [isolate(line) for line in lines]      # our words next to theirs
        lines[0] = prefix + lines[0]
        lines[-1] = lines[-1] + suffix
        self.setText("\n".join(lines))
        self.setToolTip(plain_tooltip(self.full_text()) if cut else "")

    def _fit(self, line: str, width: int) -> tuple[str, bool]:
        """``line`` with every unbreakable run wider than ``width`` cut (isolated, "…")."""
        fm = self.fontMetrics()
        if width <= 0 or fm.horizontalAdvance(line) <= width:
            return line, False
        finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Line, line)
        breaks = [0]
        while (pos := finder.toNextBoundary()) not in (-1, 0):
            breaks.append(pos)
        out: list[str] = []
        span, cut = "", False
        for start, end in zip(breaks, breaks[1:]):
            run = line[start:end]
            word = run.rstrip()
            if fm.horizontalAdvance(word) <= width:
                span += run
                continue
            elided = fm.elidedText(word, Qt.TextElideMode.ElideRight, width)
            core = elided[:-1] if elided.endswith("…") else elided
            core = core if word.startswith(core) else ""
            out.append(isolate(span))
            out.append(isolate(core) + "…" + run[len(word):])
            span, cut = "", True
        out.append(isolate(span) if cut else span)
        return "".join(out), cut

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt naming)
        return QSize(0, super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        self._relayout()


def muted_label(text: str, parent: QWidget, *, wrap: bool = True) -> QLabel:
    """A plain-text label in the palette's muted colour (notes, column heads)."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    theme.tint(label, theme.muted_text)
    return label

"""Small custom widgets: the top bar's buttons, plain-text labels and the error label of forms."""

from __future__ import annotations

from supportdesk_qt.qt import (
    QFontMetrics,
    QLabel,
    QPainter,
    QPalette,
    QRectF,
    QSize,
    QSizePolicy,
    QStyle,
    Qt,
    QTextBoundaryFinder,
    QtWidgets,
    QToolButton,
    QWidget,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.formatting import isolate
# error_label lives with the panels' helpers (the settings dialog uses it too); the dialogs keep
# importing it from here
from supportdesk_qt.ui.panels._common import error_label, plain_tooltip  # noqa: F401


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


class CounterButton(QToolButton):
    """An icon with a pill-shaped number next to it: the waiting-chat counter (seed item 4).

    The pill is the palette's highlight colour while chats wait, and a quiet outline at zero, so
    a waiting chat is visible from across the room without hard-coded colours.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._count = 0
        self._text = "0"
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)

    def count(self) -> int:
        return self._count

    def set_count(self, count: int, text: str) -> None:
        self._count = count
        self._text = text
        self.updateGeometry()
        self.update()

    def _pill_size(self) -> tuple[float, float]:
        font = self.font()
        font.setBold(True)
        fm = QFontMetrics(font)
        h = fm.height() + 2
        w = max(h, fm.horizontalAdvance(self._text) * 1.15 + h * 0.8)
        return w, h

    def sizeHint(self) -> QSize:
        base = super().sizeHint()
        w, h = self._pill_size()
        return QSize(int(base.width() + w + 6), max(base.height(), int(h) + 6))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        opt = QtWidgets.QStyleOptionToolButton()
        self.initStyleOption(opt)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        style = self.style()
        # the raised/hover panel only, then our own content
        if opt.state & (QStyle.StateFlag.State_MouseOver | QStyle.StateFlag.State_Sunken):
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelButtonTool, opt, p, self)
        isz = self.iconSize()
        r = self.rect()
        x = 4
        self.icon().paint(p, x, (r.height() - isz.height()) // 2, isz.width(), isz.height())
        w, h = self._pill_size()
        pill = QRectF(x + isz.width() + 4, (r.height() - h) / 2, w, h)
        pal = self.palette()
        font = self.font()
        font.setBold(True)
        p.setFont(font)
        if self._count > 0:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(pal.color(QPalette.ColorRole.Highlight))
            p.drawRoundedRect(pill, h / 2, h / 2)
            p.setPen(pal.color(QPalette.ColorRole.HighlightedText))
        else:
            p.setPen(pal.color(QPalette.ColorRole.Mid))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(pill.adjusted(0.5, 0.5, -0.5, -0.5), h / 2, h / 2)
            p.setPen(pal.color(QPalette.ColorRole.WindowText))
        p.drawText(pill, Qt.AlignmentFlag.AlignCenter, self._text)
        if self.hasFocus():
            fo = QtWidgets.QStyleOptionFocusRect()
            fo.initFrom(self)
            style.drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, fo, p, self)
        p.end()


class AvatarButton(QToolButton):
    """The agent's avatar filling the button (seed item 5), opening the user menu on click.

    Painted by hand: the style would shrink the icon to make room for the menu arrow.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoRaise(True)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)

    def sizeHint(self) -> QSize:
        s = self.iconSize()
        return QSize(s.width() + 8, s.height() + 8)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        opt = QtWidgets.QStyleOptionToolButton()
        self.initStyleOption(opt)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if opt.state & (QStyle.StateFlag.State_MouseOver | QStyle.StateFlag.State_Sunken):
            self.style().drawPrimitive(QStyle.PrimitiveElement.PE_PanelButtonTool, opt, p, self)
        s = self.iconSize()
        r = self.rect()
        self.icon().paint(p, (r.width() - s.width()) // 2, (r.height() - s.height()) // 2,
                          s.width(), s.height())
        if self.hasFocus():
            fo = QtWidgets.QStyleOptionFocusRect()
            fo.initFrom(self)
            self.style().drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, fo, p, self)
        p.end()


class ElidedLabel(QLabel):
    """Plain text that never runs past the label's edge. It word-wraps where a line may break
    (spaces, and the slashes of an address, as any label); a run that cannot break and is wider
    than the label (a page title without spaces) is cut with an ellipsis, and the whole text is
    then the (plain) tooltip. A plain word-wrapped label clips such a run at the panel edge with
    nothing to say that more follows.

    ``prefix`` and ``suffix`` are the desk's own words around the value ("Project: %1"); they
    are never cut. A cut run is cut first and isolated after (``formatting.isolate``), and so is
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

"""The top bar's buttons: the waiting-chat counter and the avatar (labels for user text:
``ui/common/labels.py``)."""

from __future__ import annotations

from supportdesk_qt.qt import (
    QFontMetrics,
    QPainter,
    QPalette,
    QRectF,
    QSize,
    QStyle,
    Qt,
    QtWidgets,
    QToolButton,
    QWidget,
)


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

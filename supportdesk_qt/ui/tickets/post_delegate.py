"""Paints one post of a ticket thread: a card with a coloured edge per kind.

    ▌ Ann Example · Client                              29/11/2026 10:02
    ▌ My site shows a 500 error since this morning, could you have a look
    ▌ at it?  (word-wrapped, plain text)

Client posts sit on the base colour, staff replies are tinted with the palette's highlight, and
internal notes with amber (the warning hue of :mod:`theme`), each with a label, so the three are
told apart at a glance and without colour too. Every string is plain ``drawText``.

Heights vary with the text, so ``sizeHint`` measures the wrapped text once per (post, width) and
caches it; the cache is dropped when the width changes (the view re-asks after a resize).
"""

from __future__ import annotations

from supportdesk_qt.backend.base import ConnectionState
from supportdesk_qt.qt import (
    QColor,
    QFont,
    QFontMetrics,
    QModelIndex,
    QPainter,
    QPalette,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    translate,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.common.text import line_breaks
from supportdesk_qt.ui.tickets.posts_model import TicketPostsModel

MARGIN_X = 10       # around the card
MARGIN_Y = 5
PAD_X = 12          # inside the card
PAD_Y = 8
BAR_W = 4
GAP = 4             # header line to text
STAFF_INDENT = 36   # staff replies and notes are indented from the left, like a conversation

_WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def kind_label(kind: str) -> str:
    return {"client": translate("TicketTab", "Client"), "staff": translate("TicketTab", "Reply"),
            "note": translate("TicketTab", "Internal note")}.get(kind, kind)


def kind_colors(kind: str, pal: QPalette) -> tuple[QColor, QColor]:
    """(edge colour, card background) of a post kind, from the palette: client posts on the
    base colour, staff replies tinted with the highlight, internal notes with amber."""
    base = pal.color(QPalette.ColorRole.Base)
    if kind == "staff":
        edge = theme.accent(pal)
        return edge, theme._mix(base, edge, 0.10)
    if kind == "note":
        edge = theme.status_color(ConnectionState.CONNECTING, pal)
        return edge, theme._mix(base, edge, 0.16)
    return theme.muted_text(pal), base


class TicketPostDelegate(QStyledItemDelegate):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        #: colours of the cards; the view's own palette may differ (its Base is the backdrop)
        self.card_palette: QPalette | None = None
        self._heights: dict[int, int] = {}     # post id -> height, for _width
        self._width = -1
        self.measured = 0                      # text measurements done (tests: the cache works)

    def _card_rect(self, rect: QRect, kind: str) -> QRect:
        indent = STAFF_INDENT if kind != "client" else 0
        return QRect(rect.left() + MARGIN_X + indent, rect.top() + MARGIN_Y,
                     rect.width() - 2 * MARGIN_X - STAFF_INDENT, rect.height() - 2 * MARGIN_Y)

    @staticmethod
    def _text_width(row_width: int) -> int:
        return max(40, row_width - 2 * MARGIN_X - STAFF_INDENT - BAR_W - 2 * PAD_X)

    def _row_width(self, option: QStyleOptionViewItem) -> int:
        w = option.widget
        if w is not None and hasattr(w, "viewport"):
            return w.viewport().width()
        return option.rect.width() or 600

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        width = self._row_width(option)
        if width != self._width:
            self._width = width
            self._heights.clear()
        post_id = int(index.data(TicketPostsModel.PostIdRole) or 0)
        h = self._heights.get(post_id)
        if h is None:
            self.measured += 1
            fm = QFontMetrics(option.font)
            bold = QFont(option.font)
            bold.setBold(True)
            text = line_breaks(str(index.data(TicketPostsModel.TextRole) or ""))
            tw = self._text_width(width)
            body = fm.boundingRect(QRect(0, 0, tw, 1_000_000), _WRAP, text).height() if text else 0
            h = QFontMetrics(bold).height() + GAP + body + 2 * PAD_Y + 2 * MARGIN_Y
            self._heights[post_id] = h
        return QSize(width, h)

    def clear_cache(self) -> None:
        self._heights.clear()

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        pal: QPalette = option.palette
        kind = str(index.data(TicketPostsModel.KindRole) or "client")
        author = str(index.data(TicketPostsModel.AuthorRole) or "")
        text = line_breaks(str(index.data(TicketPostsModel.TextRole) or ""))
        when = str(index.data(TicketPostsModel.TimeTextRole) or "")
        edge, bg = kind_colors(kind, self.card_palette or pal)
        fg = pal.color(QPalette.ColorRole.Text)
        muted = theme.muted_text(pal)

        painter.save()
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            card = self._card_rect(option.rect, kind)
            selected = bool(option.state & QStyle.StateFlag.State_Selected)
            painter.setPen(theme.accent(pal) if selected else Qt.PenStyle.NoPen)
            painter.setBrush(bg)
            painter.drawRoundedRect(QRectF(card).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(edge)
            painter.drawRoundedRect(QRectF(card.left(), card.top(), BAR_W, card.height()), 2, 2)

            base = QFont(option.font)
            bold = QFont(base)
            bold.setBold(True)
            fm, fmb = QFontMetrics(base), QFontMetrics(bold)
            left = card.left() + BAR_W + PAD_X
            right = card.right() - PAD_X
            y = card.top() + PAD_Y

            # header: author · kind ........ time
            painter.setFont(base)
            time_w = fm.horizontalAdvance(when)
            painter.setPen(muted)
            painter.drawText(QRect(right - time_w, y, time_w, fmb.height()), _RIGHT, when)
            label = kind_label(kind)
            label_w = fm.horizontalAdvance(label)
            avail = max(0, right - time_w - PAD_X - left - label_w - 12)
            painter.setFont(bold)
            painter.setPen(fg)
            shown = fmb.elidedText(author, Qt.TextElideMode.ElideRight, avail)
            painter.drawText(QRect(left, y, avail, fmb.height()), _LEFT, shown)
            x = left + fmb.horizontalAdvance(shown) + 10
            painter.setFont(base)
            painter.setPen(edge if kind != "client" else muted)
            painter.drawText(QRect(x, y, label_w + 2, fmb.height()), _LEFT, label)
            y += fmb.height() + GAP

            # body: the post, word-wrapped plain text
            painter.setPen(fg)
            tw = self._text_width(option.rect.width())   # the width sizeHint measured with
            painter.drawText(QRect(left, y, tw, card.bottom() - y - PAD_Y + 1), _WRAP, text)
        finally:
            painter.restore()

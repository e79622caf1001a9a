"""Paints one search hit of the search bar's drop-down.

    ┌──────────────────────────────────────────────────────────┐
    │ Ann Example                                 example.com  │
    │ ann@example.com                                          │
    │ matched: payment = INV-2026-0042                         │
    └──────────────────────────────────────────────────────────┘

Plain ``drawText`` only (client data is untrusted text), elided to the row; one fixed row height so
the popup's view can use uniform item sizes. The matched field has its own line and only its value
is elided (in the middle), so "email = aiko…@example.com" keeps the field and both ends.
"""

from __future__ import annotations

from supportdesk_qt.qt import (
    QFont,
    QFontMetrics,
    QModelIndex,
    QPainter,
    QPalette,
    QPersistentModelIndex,
    QRect,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.common.text import elide_isolated
from supportdesk_qt.ui.search.models import SearchResultsModel, matched_text

PAD_X = 10
PAD_Y = 5
LINE_GAP = 2

_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class SearchHitDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        fm = QFontMetrics(option.font)
        bold = QFont(option.font)
        bold.setBold(True)
        h = QFontMetrics(bold).height() + 2 * (fm.height() + LINE_GAP) + 2 * PAD_Y
        return QSize(fm.averageCharWidth() * 48, h)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        painter.save()
        try:
            if widget is not None:
                widget.style().drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter,
                                           widget)
            self._paint_content(painter, opt, index)
        finally:
            painter.restore()

    def _paint_content(self, p: QPainter, opt: QStyleOptionViewItem,
                       index: QModelIndex | QPersistentModelIndex) -> None:
        pal: QPalette = opt.palette
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text = pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = text if selected else theme.muted_text(pal)
        accent = text if selected else theme.accent(pal)

        name = str(index.data(SearchResultsModel.NameRole) or "")
        email = str(index.data(SearchResultsModel.EmailRole) or "")
        project = str(index.data(SearchResultsModel.ProjectRole) or "")

        base = QFont(opt.font)
        bold = QFont(base)
        bold.setBold(True)
        fm, fmb = QFontMetrics(base), QFontMetrics(bold)
        r = opt.rect
        left, right = r.left() + PAD_X, r.right() - PAD_X
        y = r.top() + PAD_Y

        # line 1: name ............ project
        p.setFont(base)
        proj_w = min(fm.horizontalAdvance(project), (right - left) // 2)
        if project:
            p.setPen(accent)
            p.drawText(QRect(right - proj_w, y, proj_w, fmb.height()), _RIGHT,
                       elide_isolated(project, fm, proj_w))
        name_w = max(0, right - left - proj_w - (PAD_X if project else 0))
        p.setFont(bold)
        p.setPen(text)
        p.drawText(QRect(left, y, name_w, fmb.height()), _LEFT,
                   elide_isolated(name, fmb, name_w))
        y += fmb.height() + LINE_GAP

        # line 2: email; line 3: matched: field = value (muted)
        p.setFont(base)
        p.setPen(muted)
        p.drawText(QRect(left, y, right - left, fm.height()), _LEFT,
                   elide_isolated(email, fm, right - left, Qt.TextElideMode.ElideMiddle))
        y += fm.height() + LINE_GAP
        p.drawText(QRect(left, y, right - left, fm.height()), _LEFT,
                   self.matched_line(index, fm, right - left))

    @staticmethod
    def matched_line(index: QModelIndex | QPersistentModelIndex, fm: QFontMetrics,
                     width: int) -> str:
        """"matched: email = aiko…@example.com": the field stays, the value is elided in the
        middle to what is left of ``width``."""
        field = str(index.data(SearchResultsModel.MatchedFieldRole) or "")
        value = str(index.data(SearchResultsModel.MatchedValueRole) or "")
        if not field:
            return ""
        room = max(0, width - fm.horizontalAdvance(matched_text(field, "")))
        return matched_text(field, elide_isolated(value, fm, room, Qt.TextElideMode.ElideMiddle))

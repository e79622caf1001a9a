"""Paints one waiting chat of the queue.

    ┌────────────────────────────────────────────────────────┐
    │▌ Ann Visitor                               ⇄    3:42  │
    │▌ Billing · example-shop                                │
    │▌ “my invoice shows the wrong amount, could you…”       │
    └────────────────────────────────────────────────────────┘

Every string is drawn with ``QPainter.drawText`` (plain text, never HTML) and elided to the row.
Rows have one fixed height (``sizeHint`` depends only on the font), so a view with
``setUniformItemSizes(True)`` never measures rows it does not show. The left bar and the waiting
time turn amber, then red, the longer a chat waits (colours from :mod:`supportdesk_qt.ui.theme`).

A row that is about to go (``LeavingRole``: a colleague took the chat, the visitor left) is drawn
faded, without the ticking time, and its third line says why ("Taken by Sam Carter"), so the
agent sees the chat leave instead of another one sliding under the cursor.
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
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.common.text import elide_isolated, isolate
from supportdesk_qt.ui.models.queue_model import QueueModel
from supportdesk_qt.ui.models.queue_rules import format_waiting

PAD_X = 12
PAD_Y = 7
LINE_GAP = 2
BAR_W = 3
ICON = 14
AVATAR = 34

#: Waiting longer than these (seconds) turns the time amber, then red.
WARN_AFTER = 60
ALERT_AFTER = 180
#: Opacity of a row on its way out.
FADED = 0.45


class QueueDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        fm = QFontMetrics(option.font)
        bold = QFont(option.font)
        bold.setBold(True)
        h = QFontMetrics(bold).height() + 2 * fm.height() + 2 * LINE_GAP + 2 * PAD_Y
        return QSize(fm.averageCharWidth() * 30, h)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""                      # we paint the text ourselves
        opt.icon = type(opt.icon)()
        widget = opt.widget
        style = widget.style() if widget is not None else None
        painter.save()
        try:
            if style is not None:
                style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
            self._paint_content(painter, opt, index)
        finally:
            painter.restore()

    def _paint_content(self, p: QPainter, opt: QStyleOptionViewItem,
                       index: QModelIndex | QPersistentModelIndex) -> None:
        pal: QPalette = opt.palette
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text_color = pal.color(text_role)
        muted = text_color if selected else theme.muted_text(pal)

        name = str(index.data(QueueModel.VisitorNameRole) or "")
        department = str(index.data(QueueModel.DepartmentRole) or "")
        project = str(index.data(QueueModel.ProjectRole) or "")
        chat_name = str(index.data(QueueModel.ChatNameRole) or "")
        preview = " ".join(str(index.data(QueueModel.PreviewRole) or "").split())
        forwarded = bool(index.data(QueueModel.ForwardedRole))
        seconds = int(index.data(QueueModel.WaitingSecondsRole) or 0)
        leaving = str(index.data(QueueModel.LeavingRole) or "")
        if leaving:
            p.setOpacity(FADED)

        if seconds >= ALERT_AFTER:
            urgency = theme.status_color(ConnectionState.FAILED, pal)
        elif seconds >= WARN_AFTER:
            urgency = theme.status_color(ConnectionState.CONNECTING, pal)
        else:
            urgency = theme.status_color(ConnectionState.CONNECTED, pal)

        r = opt.rect
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        # urgency bar at the left edge, a hairline between rows
        p.fillRect(QRect(r.left(), r.top(), BAR_W, r.height()), urgency)
        sep = QColor(muted)
        sep.setAlphaF(0.25)
        p.fillRect(QRect(r.left() + BAR_W, r.bottom(), r.width() - BAR_W, 1), sep)

        base_font = QFont(opt.font)
        bold = QFont(base_font)
        bold.setBold(True)
        fm, fmb = QFontMetrics(base_font), QFontMetrics(bold)
        y = r.top() + PAD_Y

        # the visitor's initials in a circle
        size = min(AVATAR, r.height() - 2 * PAD_Y)
        avatar_rect = QRect(r.left() + BAR_W + PAD_X, r.top() + (r.height() - size) // 2, size, size)
        key = str(index.data(QueueModel.ChatIdRole) or "")
        theme.avatar_icon(name, "visitor:" + name + key, pal, AVATAR).paint(p, avatar_rect)

        left = avatar_rect.right() + PAD_X
        right = r.right() - PAD_X

        # line 1: name ............ [⇄] waiting time
        time_text = "" if leaving else format_waiting(seconds, opt.locale)
        time_w = fmb.horizontalAdvance(time_text)
        p.setFont(bold)
        p.setPen(text_color if selected else urgency)
        p.drawText(QRect(right - time_w, y, time_w, fmb.height()),
                   int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), time_text)
        name_right = right - time_w - PAD_X
        if forwarded:
            icon = theme.icon("forwarded", pal, color=text_color if selected else theme.accent(pal))
            icon_rect = QRect(name_right - ICON, y + (fmb.height() - ICON) // 2, ICON, ICON)
            icon.paint(p, icon_rect)
            name_right = icon_rect.left() - 6
        p.setPen(text_color)
        p.drawText(QRect(left, y, max(0, name_right - left), fmb.height()),
                   int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                   elide_isolated(name, fmb, max(0, name_right - left)))
        y += fmb.height() + LINE_GAP

        # line 2: department · project · chat name
        parts = [isolate(t) for t in (department, project, chat_name) if t]
        line2 = " · ".join(parts)
        p.setFont(base_font)
        p.setPen(muted)
        p.drawText(QRect(left, y, right - left, fm.height()),
                   int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                   elide_isolated(line2, fm, right - left))
        y += fm.height() + LINE_GAP

        # line 3: last message preview, or why the row is going
        if leaving:
            p.setOpacity(1.0)
            italic = QFont(bold)
            italic.setItalic(True)
            p.setFont(italic)
            p.setPen(text_color)
            p.drawText(QRect(left, y, right - left, fm.height()),
                       int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                       QFontMetrics(italic).elidedText(leaving, Qt.TextElideMode.ElideRight,
                                                       right - left))
        elif preview:
            p.setPen(text_color)
            p.drawText(QRect(left, y, right - left, fm.height()),
                       int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                       elide_isolated(preview, fm, right - left))

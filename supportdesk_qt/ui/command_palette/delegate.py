"""One row of the command palette: a muted kind tag, the title with the matched letters in
bold, a muted detail after it, and the shortcut at the right edge. One line per row, all rows
the same height (the view asks ``sizeHint`` once: ``uniformItemSizes``)."""

from __future__ import annotations

from supportdesk_qt.qt import (
    QFont,
    QFontMetrics,
    QModelIndex,
    QPainter,
    QPalette,
    QRect,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    translate,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.command_palette.model import CHAT, CLIENT, COMMAND, SEARCH, TAB, PaletteModel
from supportdesk_qt.ui.common.text import isolate

PAD_X, PAD_Y, GAP = 10, 6, 10


def kind_label(kind: str) -> str:
    return {COMMAND: translate("CommandPalette", "Command"), TAB: translate("CommandPalette", "Tab"),
            CHAT: translate("CommandPalette", "Waiting chat"), CLIENT: translate("CommandPalette", "Client"),
            SEARCH: translate("CommandPalette", "Search")}.get(kind, kind)


class PaletteDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        return QSize(200, QFontMetrics(option.font).height() + 2 * PAD_Y)

    def paint(self, p: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:                      # the selection background, nothing else
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, p, opt.widget)
        pal: QPalette = opt.palette
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text = pal.color(QPalette.ColorRole.HighlightedText if selected
                         else QPalette.ColorRole.Text)
        muted = text if selected else theme.muted_text(pal)
        font = QFont(opt.font)
        bold = QFont(font)
        bold.setBold(True)
        fm, fmb = QFontMetrics(font), QFontMetrics(bold)
        r = opt.rect.adjusted(PAD_X, 0, -PAD_X, 0)
        p.save()

        # the kind, in a column of its own width
        tag_w = max(fm.horizontalAdvance(kind_label(k)) for k in (COMMAND, TAB, CHAT, CLIENT,
                                                                    SEARCH))
        p.setFont(font)
        p.setPen(muted)
        p.drawText(QRect(r.left(), r.top(), tag_w, r.height()),
                   int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                   kind_label(str(index.data(PaletteModel.KindRole) or "")))
        left = r.left() + tag_w + GAP

        # the shortcut at the right edge
        shortcut = str(index.data(PaletteModel.ShortcutRole) or "")
        right = r.right()
        if shortcut:
            w = fm.horizontalAdvance(shortcut)
            p.drawText(QRect(right - w, r.top(), w, r.height()),
                       int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), shortcut)
            right -= w + GAP

        # the title, matched letters bold, cut with "…" where the room ends
        title = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        matched = set(index.data(PaletteModel.PositionsRole) or ())
        baseline = r.top() + (r.height() - fm.height()) // 2 + fm.ascent()
        x = left
        p.setPen(text)
        for run, strong in _runs(title, matched):
            f, m = (bold, fmb) if strong else (font, fm)
            w = m.horizontalAdvance(run)
            p.setFont(f)
            if x + w > right:                         # the room ends in this run: cut it
                p.drawText(x, baseline, m.elidedText(run, Qt.TextElideMode.ElideRight,
                                                     max(0, right - x)))
                x = right
                break
            p.drawText(x, baseline, run)
            x += w
        detail = str(index.data(PaletteModel.DetailRole) or "")
        if detail and x + GAP < right:
            p.setFont(font)
            p.setPen(muted)
            room = right - x - GAP
            p.drawText(QRect(x + GAP, r.top(), room, r.height()),
                       int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                       isolate(fm.elidedText(detail, Qt.TextElideMode.ElideRight, room)))
        p.restore()


def _runs(title: str, matched: set[int]) -> list[tuple[str, bool]]:
    """The title cut where bold starts or ends (whole runs keep their shaping)."""
    runs: list[tuple[str, bool]] = []
    for i, ch in enumerate(title):
        strong = i in matched
        if runs and runs[-1][1] == strong:
            runs[-1] = (runs[-1][0] + ch, strong)
        else:
            runs.append((ch, strong))
    return runs

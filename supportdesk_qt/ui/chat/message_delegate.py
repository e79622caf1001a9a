"""Painting the conversation: bubbles of plain text, measured once per (message, width).

* Visitor messages sit on the left in a neutral bubble, the agent's on the right in a bubble
  tinted with the palette's highlight colour, system messages centred in muted italics without a
  bubble. Every colour comes from the palette (dark themes work unchanged).
* Text is laid out with :class:`QTextLayout` as **plain text**: there is no HTML parser anywhere on
  this path, so ``<b>x</b>`` shows as those eight characters. URLs (http, https, mailto, www.)
  are found in the text and drawn underlined in the palette's link colour through format ranges;
  clicking one opens it with ``QDesktopServices`` only for http/https/mailto.
* ``sizeHint`` is computed here and cached per (row key, width, state) in a bounded LRU; a width
  change simply misses the cache (and the old width's entries are dropped). The view lays rows out
  in batches (``QListView.LayoutMode.Batched``), and the model holds only a window of the history,
  so opening a chat never measures rows nobody will see.

:class:`MessageView` is the ``QListView`` for it: follows the tail while the user is at the bottom,
asks the model for older pages when the user reaches the top (keeping the row that was on screen
in place), and turns clicks into link openings and retries.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from supportdesk_protocol.schemas import AuthorKind
from supportdesk_qt.backend.base import ConnectionState
from supportdesk_qt.qt import (
    QAbstractItemView,
    QBrush,
    QColor,
    QDesktopServices,
    QFont,
    QFontMetrics,
    QListView,
    QLocale,
    QModelIndex,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
    QTimer,
    QUrl,
    QWidget,
    Signal,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.formatting import line_breaks
from supportdesk_qt.ui.chat.message_model import MessageModel, SendState

ROW_GAP = 3          # vertical space around a row
SIDE = 14            # space between the bubble and the view's edge
PAD_X = 11
PAD_Y = 7
HEADER_GAP = 3
RADIUS = 11
MARK = 12            # send-state marker size
MAX_BUBBLE = 0.74    # share of the width a bubble may take
CACHE_SIZE = 4000

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
_URL = re.compile(r"(?:(?:https?://|mailto:)[^\s<>\"'\u200b-\u200f\u202a-\u202e\u2066-\u2069]+"
                  r"|www\.[^\s<>\"'\u200b-\u200f\u202a-\u202e\u2066-\u2069]+)", re.IGNORECASE)
_TRAILING = ".,;:!?)]}’”'\""


def find_links(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, url)`` of every link in ``text`` (Python indices), trailing punctuation off."""
    found = []
    for m in _URL.finditer(text):
        start, end = m.start(), m.end()
        while end > start and text[end - 1] in _TRAILING:
            if text[end - 1] == ")" and text[start:end].count("(") >= text[start:end].count(")"):
                break
            end -= 1
        url = text[start:end]
        if url.lower().startswith("www."):
            url = "https://" + url
        if end - start > 4:
            found.append((start, end, url))
    return found


def safe_url(url: str) -> QUrl | None:
    """The URL to open, or None if its scheme is not http/https/mailto (``javascript:``, ``file:``)."""
    q = QUrl(url, QUrl.ParsingMode.StrictMode)
    if not q.isValid() or q.scheme().lower() not in ALLOWED_SCHEMES:
        return None
    if q.scheme().lower() in ("http", "https") and not q.host():
        return None
    return q


def _u16(text: str, i: int) -> int:
    """Python index -> UTF-16 position (what QTextLayout counts)."""
    return len(text[:i].encode("utf-16-le")) // 2


def mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor.fromRgbF(a.redF() * (1 - t) + b.redF() * t, a.greenF() * (1 - t) + b.greenF() * t,
                           a.blueF() * (1 - t) + b.blueF() * t)


def bubble_color(kind: AuthorKind, own: bool, palette: QPalette) -> QColor | None:
    base = palette.color(QPalette.ColorRole.Base)
    if kind == AuthorKind.SYSTEM:
        return None
    if kind == AuthorKind.AGENT:
        return mix(base, palette.color(QPalette.ColorRole.Highlight), 0.24 if own else 0.14)
    return mix(base, palette.color(QPalette.ColorRole.Text), 0.075)


def format_time(dt: datetime, locale: QLocale | None = None, now: datetime | None = None) -> str:
    """Short local time; with the short date in front when it is not today."""
    loc = locale or QLocale()
    local = dt.astimezone()
    today = (now or datetime.now().astimezone()).date()
    t = loc.toString(local.time(), QLocale.FormatType.ShortFormat)
    if local.date() == today:
        return t
    return f"{loc.toString(local.date(), QLocale.FormatType.ShortFormat)} {t}"


@dataclass(slots=True)
class _Laid:
    layout: QTextLayout
    text_w: int
    text_h: int
    header: str
    header_w: int
    links: list[tuple[int, int, str]]   # UTF-16 ranges
    size: QSize
    bubble: QRect                        # relative to the row's top-left
    text_pos: QPointF                    # relative to the row's top-left
    retry: QRect                         # "failed, click to retry" line (empty otherwise)


class MessageDelegate(QStyledItemDelegate):
    """Paints one message; measures it once per width."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view
        self._cache: OrderedDict[tuple, _Laid] = OrderedDict()
        self._width = -1
        self.measured = 0        # how many rows were measured (tests and the benchmark read it)

    # -- measuring -------------------------------------------------------------------------------

    def _row_width(self) -> int:
        return max(120, self._view.viewport().width())

    def _fonts(self) -> tuple[QFont, QFont, QFont]:
        body = QFont(self._view.font())
        small = QFont(body)
        if body.pointSizeF() > 0:
            small.setPointSizeF(max(6.0, body.pointSizeF() * 0.86))
        name = QFont(small)
        name.setBold(True)
        return body, small, name

    def laid(self, index: QModelIndex | QPersistentModelIndex) -> _Laid:
        width = self._row_width()
        if width != self._width:
            self._cache.clear()          # a new width: every old measure is stale
            self._width = width
        state = index.data(MessageModel.SendStateRole)
        key = (index.data(MessageModel.KeyRole), width, state,
               index.data(MessageModel.AuthorNameRole))
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        laid = self._measure(index, width, state)
        self._cache[key] = laid
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        self.measured += 1
        return laid

    def _measure(self, index: QModelIndex | QPersistentModelIndex, width: int,
                 state: SendState) -> _Laid:
        text = line_breaks(index.data(MessageModel.TextRole) or "")
        kind = index.data(MessageModel.AuthorKindRole)
        own = bool(index.data(MessageModel.OwnRole))
        body, small, name_font = self._fonts()
        palette = self._view.palette()
        system = kind == AuthorKind.SYSTEM
        if system:          # a system line says when, in front: "08:22 · Dana Demo joined"
            when = index.data(MessageModel.TimeRole)
            if when is not None:
                # the time first: it has no "%2", and the line goes in last (never re-read)
                text = self.tr("%1 · %2").replace("%1", format_time(when)).replace("%2", text)

        max_text = int(width * (0.84 if system else MAX_BUBBLE)) - 2 * PAD_X - SIDE
        max_text = max(60, max_text)
        links_py = find_links(text)
        links = [(_u16(text, s), _u16(text, e), url) for s, e, url in links_py]

        layout = QTextLayout(text.replace("\n", "\u2028"), body)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        # Left-to-right paragraphs: the bubble is as wide as the longest line, and an RTL-aligned
        # line would sit outside it. Right-to-left words still show in their own order (bidi).
        option.setTextDirection(Qt.LayoutDirection.LeftToRight)
        if system:
            option.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.setTextOption(option)
        formats = []
        link_color = palette.color(QPalette.ColorRole.Link)
        for s, e, _url in links:
            fr = QTextLayout.FormatRange()
            fr.start, fr.length = s, e - s
            fmt = QTextCharFormat()
            fmt.setForeground(QBrush(link_color))
            fmt.setFontUnderline(True)
            fr.format = fmt
            formats.append(fr)
        if system:
            fmt = QTextCharFormat()
            fmt.setFontItalic(True)
            fr = QTextLayout.FormatRange()
            fr.start, fr.length, fr.format = 0, len(text.encode("utf-16-le")) // 2, fmt
            formats.insert(0, fr)
        if formats:
            layout.setFormats(formats)
        layout.beginLayout()
        y = 0.0
        natural = 0.0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(max_text)
            line.setPosition(QPointF(0, y))
            y += line.height()
            natural = max(natural, line.naturalTextWidth())
        layout.endLayout()
        text_w, text_h = int(natural + 1.999), int(y + 0.999)

        header = ""
        header_w = 0
        if not system:
            when = index.data(MessageModel.TimeRole)
            header_time = format_time(when) if when is not None else ""
            author = index.data(MessageModel.AuthorNameRole) or ""
            header = author
            header_w = (QFontMetrics(name_font).horizontalAdvance(author)
                        + QFontMetrics(small).horizontalAdvance("  " + header_time)
                        + (MARK + 6 if own else 0))
            header = f"{author}\u0000{header_time}"

        small_h = QFontMetrics(small).height()
        retry = QRect()
        if system:
            inner_w = max(text_w, 1)
            bubble = QRect((width - inner_w) // 2 - PAD_X, ROW_GAP, inner_w + 2 * PAD_X,
                           text_h + PAD_Y)
            text_pos = QPointF(bubble.x() + PAD_X - (max_text - inner_w) / 2, ROW_GAP + PAD_Y / 2)
            height = bubble.bottom() + 1 + ROW_GAP
        else:
            inner_w = max(text_w, header_w)
            bw = inner_w + 2 * PAD_X
            bh = PAD_Y + small_h + HEADER_GAP + text_h + PAD_Y
            x = width - SIDE - bw if own else SIDE
            bubble = QRect(x, ROW_GAP, bw, bh)
            text_pos = QPointF(x + PAD_X, ROW_GAP + PAD_Y + small_h + HEADER_GAP)
            height = bubble.bottom() + 1 + ROW_GAP
            if state == SendState.FAILED:
                fm = QFontMetrics(small)
                label = self.retry_text()
                rw = fm.horizontalAdvance(label) + 4
                retry = QRect(bubble.right() - rw + 1, height, rw, small_h + 2)
                height = retry.bottom() + 1 + ROW_GAP
        return _Laid(layout, text_w, text_h, header, header_w, links,
                     QSize(width, height), bubble, text_pos, retry)

    def retry_text(self) -> str:
        return self.tr("Not sent — click to retry")

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(self.laid(index).size)

    # -- hit testing -----------------------------------------------------------------------------

    def hit(self, index: QModelIndex | QPersistentModelIndex, pos: QPoint) -> tuple[str, str] | None:
        """What is under ``pos`` (relative to the row's top-left): ``("link", url)``,
        ``("retry", client_msg_id)`` or None."""
        laid = self.laid(index)
        if not laid.retry.isEmpty() and laid.retry.adjusted(-4, -2, 4, 2).contains(pos):
            return ("retry", index.data(MessageModel.ClientMsgIdRole) or "")
        if not laid.links:
            return None
        x, y = pos.x() - laid.text_pos.x(), pos.y() - laid.text_pos.y()
        if y < 0 or y > laid.text_h:
            return None
        layout = laid.layout
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            if line.y() <= y < line.y() + line.height():
                rect = line.naturalTextRect()
                if not (rect.left() <= x <= rect.right()):
                    return None
                cursor = line.xToCursor(x, line.CursorPosition.CursorOnCharacter)
                for s, e, url in laid.links:
                    if s <= cursor < e:
                        return ("link", url)
                return None
        return None

    def retry_rect(self, index: QModelIndex | QPersistentModelIndex) -> QRect:
        """The "click to retry" area of a failed row, in row coordinates (empty otherwise)."""
        return QRect(self.laid(index).retry)

    # -- painting --------------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        laid = self.laid(index)
        palette = option.palette
        kind = index.data(MessageModel.AuthorKindRole)
        own = bool(index.data(MessageModel.OwnRole))
        state = index.data(MessageModel.SendStateRole)
        body, small, name_font = self._fonts()
        top_left = option.rect.topLeft()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(top_left)
        text_color = palette.color(QPalette.ColorRole.Text)
        muted = theme.muted_text(palette)

        fill = bubble_color(kind, own, palette)
        if fill is not None:
            path = QPainterPath()
            path.addRoundedRect(QRectF(laid.bubble), RADIUS, RADIUS)
            painter.fillPath(path, fill)
            # header: name (bold), time (muted), send state marker
            author, _, when = laid.header.partition("\u0000")
            fm_name, fm_small = QFontMetrics(name_font), QFontMetrics(small)
            x = laid.bubble.x() + PAD_X
            base_y = laid.bubble.y() + PAD_Y + fm_small.ascent()
            painter.setFont(name_font)
            painter.setPen(text_color if own else mix(text_color, theme.accent(palette), 0.55))
            elided = fm_name.elidedText(author, Qt.TextElideMode.ElideRight,
                                        max(20, laid.bubble.width() - 2 * PAD_X - 40))
            painter.drawText(QPointF(x, base_y), elided)
            x += fm_name.horizontalAdvance(elided)
            painter.setFont(small)
            painter.setPen(muted)
            painter.drawText(QPointF(x, base_y), "  " + when)
            if own:
                mark = QRectF(laid.bubble.right() - PAD_X - MARK + 1,
                              laid.bubble.y() + PAD_Y + (fm_small.height() - MARK) / 2, MARK, MARK)
                self._paint_mark(painter, mark, state, palette)
            painter.setPen(text_color)
        else:
            painter.setPen(muted)
        painter.setFont(body)
        laid.layout.draw(painter, laid.text_pos)
        if not laid.retry.isEmpty():
            painter.setFont(small)
            painter.setPen(theme.status_color(ConnectionState.FAILED, palette))
            painter.drawText(laid.retry, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             self.retry_text())
        painter.restore()

    def _paint_mark(self, painter: QPainter, r: QRectF, state: SendState, palette: QPalette) -> None:
        if state == SendState.PENDING:
            pen = QPen(theme.muted_text(palette), 1.3)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(r.adjusted(1, 1, -1, -1))
            c = r.center()
            painter.drawLine(c, QPointF(c.x(), r.top() + 3))
            painter.drawLine(c, QPointF(r.right() - 3.5, c.y()))
        elif state == SendState.SENT:
            pen = QPen(theme.status_color(ConnectionState.CONNECTED, palette), 1.8)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            path = QPainterPath(QPointF(r.left() + 1.5, r.center().y() + 0.5))
            path.lineTo(QPointF(r.left() + r.width() * 0.42, r.bottom() - 2.5))
            path.lineTo(QPointF(r.right() - 1, r.top() + 2.5))
            painter.drawPath(path)
        else:
            red = theme.status_color(ConnectionState.FAILED, palette)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(red)
            painter.drawEllipse(r)
            painter.setPen(QPen(QColor(Qt.GlobalColor.white), 1.6))
            c = r.center()
            painter.drawLine(QPointF(c.x(), r.top() + 2.5), QPointF(c.x(), c.y() + 1))
            painter.drawPoint(QPointF(c.x(), r.bottom() - 2.5))


class MessageView(QListView):
    """The conversation list: batched layout, follows the tail, pages older history at the top."""

    #: A link was clicked (its URL as text), whether or not it was opened.
    linkClicked = Signal(str)
    #: "Retry" was clicked on a failed message (its client_msg_id).
    retryClicked = Signal(str)

    BATCH = 50
    TOP_SLACK = 24       # pixels from the top that count as "at the top"
    BOTTOM_SLACK = 24

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._follow = True
        self._anchor: tuple[QPersistentModelIndex, int] | None = None
        self._model: MessageModel | None = None
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(self.BATCH)
        self.setUniformItemSizes(False)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)  # a stable width
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFrameShape(QListView.Shape.NoFrame)
        self.setMouseTracking(True)
        self.verticalScrollBar().setSingleStep(24)
        self.delegate = MessageDelegate(self)
        self.setItemDelegate(self.delegate)
        self.url_opener: Callable[[QUrl], object] = QDesktopServices.openUrl
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._scrolled)
        bar.rangeChanged.connect(self._range_changed)

    def setModel(self, model: MessageModel) -> None:  # type: ignore[override]
        super().setModel(model)
        self._model = model
        model.fetch_gate = self._may_fetch
        model.rowsAboutToBeInserted.connect(self._about_to_insert)
        model.rowsInserted.connect(self._inserted)
        model.dataChanged.connect(self._data_changed)
        model.modelReset.connect(self._reset)

    # -- scrolling -------------------------------------------------------------------------------

    @property
    def following_tail(self) -> bool:
        return self._follow

    def at_top(self) -> bool:
        return self.verticalScrollBar().value() <= self.verticalScrollBar().minimum() + self.TOP_SLACK

    def _may_fetch(self) -> bool:
        return self._anchor is None and self.at_top()

    def _reset(self) -> None:
        self._anchor = None
        self._follow = True
        self._set_follow(True)

    def _about_to_insert(self, parent: QModelIndex, start: int, end: int) -> None:
        if start == 0 and self.model().rowCount() > 0 and not self._follow:
            top = self.indexAt(QPoint(4, 1))
            if not top.isValid():
                top = self.model().index(0, 0)
            self._anchor = (QPersistentModelIndex(top), self.visualRect(top).top())

    def _inserted(self, *_args) -> None:
        QTimer.singleShot(0, self, self._settle)

    def _settle(self) -> None:
        if self._anchor is not None:
            self._restore_anchor()
        elif self._follow:
            self.scrollToBottom()
        self._maybe_fetch()

    def _restore_anchor(self) -> None:
        index, offset = self._anchor
        if not index.isValid():
            self._anchor = None
            return
        rect = self.visualRect(QModelIndex(index))
        if rect.isEmpty() or rect.height() <= 0:
            return                       # not laid out yet (batched): try again on the next range
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + rect.top() - offset)
        self._anchor = None

    def updateGeometries(self) -> None:  # noqa: N802
        super().updateGeometries()           # after every (batched) layout step
        if self._anchor is not None:
            self._restore_anchor()

    def _range_changed(self, lo: int, hi: int) -> None:
        if self._anchor is not None:
            self._restore_anchor()
        elif self._follow:
            self.verticalScrollBar().setValue(hi)

    def _scrolled(self, value: int) -> None:
        bar = self.verticalScrollBar()
        self._set_follow(value >= bar.maximum() - self.BOTTOM_SLACK)
        self._maybe_fetch()

    def _set_follow(self, follow: bool) -> None:
        self._follow = follow
        if self._model is not None:
            self._model.set_following_tail(follow)

    def _maybe_fetch(self) -> None:
        m = self._model
        if m is not None and m.canFetchMore(QModelIndex()):
            m.fetchMore(QModelIndex())

    def scroll_to_bottom(self) -> None:
        self._anchor = None          # a row kept in place for an older page is no longer wanted
        self._set_follow(True)
        self.scrollToBottom()

    def resizeEvent(self, event) -> None:  # noqa: N802
        follow = self._follow
        super().resizeEvent(event)
        if follow:
            QTimer.singleShot(0, self, self.scrollToBottom)

    def _data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, roles=()) -> None:
        if not roles or MessageModel.SendStateRole in roles or MessageModel.AuthorNameRole in roles:
            for row in range(top_left.row(), bottom_right.row() + 1):
                self.delegate.sizeHintChanged.emit(self.model().index(row, 0))

    # -- mouse -----------------------------------------------------------------------------------

    def _hit_at(self, pos: QPoint) -> tuple[str, str] | None:
        index = self.indexAt(pos)
        if not index.isValid():
            return None
        rect = self.visualRect(index)
        return self.delegate.hit(index, pos - rect.topLeft())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        hit = self._hit_at(event.position().toPoint())
        if hit is not None:
            self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.viewport().unsetCursor()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            hit = self._hit_at(event.position().toPoint())
            if hit is not None:
                kind, value = hit
                if kind == "link":
                    self.linkClicked.emit(value)
                    url = safe_url(value)
                    if url is not None:
                        self.url_opener(url)
                elif kind == "retry" and value:
                    self.retryClicked.emit(value)      # the composer's outbox feed retries
                event.accept()
                return
        super().mouseReleaseEvent(event)

"""The main window's tab bar: one icon per kind of tab, short titles, scrolling instead of
shrinking (issue 9, item 8).

Every tab is identified by its key (``queue``, ``chat:<id>``, ``history:<id>``, ``client:<id>``,
``ticket:<id>``, ``tickets``, ``search:<text>``, ``changelog``); its kind is the part before the
colon. The kind gives the tab its icon (``resources/icons/<name>.svg`` in the palette's text
colour, the accent colour while a chat has unread messages) and the words around the user's text
("… (earlier chat)", "#12 …", "Search: …"). Only the user's text (a visitor's or client's name,
a ticket subject, a search) is elided at its end to ``SUBJECT_EM`` average characters and
bidi-isolated (``formatting.isolate``), so "#1593" or "(earlier chat)" never disappears. The full
title with its kind ("Chat with Aiko Ando", "Client: Aiko Ando") is the tab's plain-text tooltip.

:class:`WorkspaceTabBar` keeps every tab between ``MIN_TAB_EM`` and ``MAX_TAB_EM`` wide: when
they do not fit, the bar scrolls (arrows, wheel) instead of squeezing each tab to "Aiko An…".
"""

from __future__ import annotations

from dataclasses import dataclass

from supportdesk_qt.qt import (QColor, QFontMetrics, QIcon, QLocale, QObject, QSize, QStyle,
                              QStyleOptionTab,
                              Qt, QTabBar, QTabWidget, QWidget)
from supportdesk_qt.qt import translate
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.common.text import elide_isolated, isolate
from supportdesk_qt.ui.common.tooltips import plain_tooltip

SUBJECT_EM = 22          # the user's part of a title, in average character widths
MIN_TAB_EM = 9           # a tab never gets narrower than this (the bar scrolls instead)
MAX_TAB_EM = 56          # nor wider

ICONS = {"queue": "queue", "chat": "chat", "history": "history", "client": "client",
         "ticket": "ticket", "tickets": "tickets", "search": "search", "changelog": "changelog"}



def kind_of(key: str) -> str:
    return key.split(":", 1)[0]


@dataclass(frozen=True)
class TabLabel:
    text: str            # what the tab shows ("&" escaped)
    title: str           # the full title with its kind, plain text (the tooltip shows it)
    icon: str            # the icon's name


def _chat_name(widget: QWidget) -> str | None:
    chat = getattr(widget, "chat", None)
    if chat is None:
        return None
    return (getattr(chat, "client_name", None) or getattr(chat, "visitor_name", None)
            or "").strip() or None


def _subject(kind: str, widget: QWidget, title: str) -> str | None:
    """The user's text in the title of a tab of ``kind`` (None: the title is all ours)."""
    if kind in ("chat", "history"):
        return _chat_name(widget) or (title if kind == "chat" else None)
    if kind == "client":
        client = getattr(widget, "client", None)
        return (client.name or None) if client is not None else None
    if kind == "ticket":
        ticket = getattr(widget, "ticket", None)
        return (ticket.subject or None) if ticket is not None else None
    if kind == "search":
        return getattr(widget, "query", None) or None
    return None


def label_for(key: str, widget: QWidget, title: str, metrics: QFontMetrics) -> TabLabel:
    """The tab's text, tooltip and icon for the tab ``key`` showing ``widget`` titled ``title``."""
    kind = kind_of(key)
    icon = ICONS.get(kind, "")
    subject = _subject(kind, widget, title)
    if subject is None:
        return TabLabel(title.replace("&", "&&"), title, icon)
    subject = " ".join(subject.split())          # no line breaks in a tab
    shown = elide_isolated(subject, metrics,
                           metrics.averageCharWidth() * SUBJECT_EM).replace("&", "&&")
    full = isolate(subject)
    ident = key.split(":", 1)[1] if ":" in key else ""
    if kind == "history":
        text, tip = translate("WorkspaceTabs", "%1 (earlier chat)"), translate("WorkspaceTabs", "Earlier chat with %1 (read-only)")
    elif kind == "client":
        text, tip = "%1", translate("WorkspaceTabs", "Client: %1")
    elif kind == "ticket":
        number = QLocale().toString(int(ident)) if ident.isdigit() else ident
        text = translate("WorkspaceTabs", "#%2 %1").replace("%2", number)
        tip = translate("WorkspaceTabs", "Ticket #%2: %1").replace("%2", number)
    elif kind == "search":
        text, tip = translate("WorkspaceTabs", "Search: %1"), translate("WorkspaceTabs", "Search: %1")
    else:                                          # a chat
        text, tip = "%1", translate("WorkspaceTabs", "Chat with %1")
    return TabLabel(text.replace("%1", shown), tip.replace("%1", full), icon)


class UnreadWords(QObject):
    """The plural words of an unread count (lupdate reads plurals only from ``self.tr``)."""

    def tip(self, unread: int) -> str:
        return self.tr("%1 — %Ln new message(s)", "", unread)


def unread_label(label: TabLabel, unread: int) -> TabLabel:
    """``label`` of a chat with ``unread`` new messages: "(2) Aiko Ando"."""
    n = QLocale().toString(unread)
    tip = UnreadWords().tip(unread)
    return TabLabel(translate("WorkspaceTabs", "(%2) %1").replace("%2", n).replace("%1", label.text),
                    tip.replace("%1", label.title), label.icon)


class WorkspaceTabBar(QTabBar):
    """Tabs between ``MIN_TAB_EM`` and ``MAX_TAB_EM`` wide that scroll rather than shrink."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workspaceTabBar")
        self.setUsesScrollButtons(True)
        self.setElideMode(Qt.TextElideMode.ElideNone)    # titles come elided where it is safe
        self.setExpanding(False)

    def _limits(self) -> tuple[int, int]:
        em = self.fontMetrics().averageCharWidth()
        return MIN_TAB_EM * em, MAX_TAB_EM * em

    def tabSizeHint(self, index: int) -> QSize:  # noqa: N802
        size = super().tabSizeHint(index)
        # the style's hint leaves the text less room than it needs once the icon and the close
        # button are in (Fusion): give it the icon's width back so nothing is clipped
        extra = self.iconSize().width() + 8 if not self.tabIcon(index).isNull() else 0
        low, high = self._limits()
        size.setWidth(max(low, min(high, size.width() + extra)))
        return size

    def text_room(self, index: int) -> int:
        """The width the style gives the text of tab ``index`` (tests: nothing clipped)."""
        opt = QStyleOptionTab()
        self.initStyleOption(opt, index)
        return self.style().subElementRect(QStyle.SubElement.SE_TabBarTabText, opt, self).width()

    def minimumTabSizeHint(self, index: int) -> QSize:  # noqa: N802
        return self.tabSizeHint(index)             # never squeezed to "Aiko An…": scroll


class WorkspaceTabs:
    """Paints the tabs of the main window's ``QTabWidget`` (which gets a
    :class:`WorkspaceTabBar`; call before any tab is added)."""

    def __init__(self, tabs: QTabWidget) -> None:
        self.tabs = tabs
        tabs.setTabBar(WorkspaceTabBar(tabs))
        tabs.setDocumentMode(True)
        tabs.setTabsClosable(True)
        tabs.setMovable(True)
        tabs.setUsesScrollButtons(True)
        tabs.setElideMode(Qt.TextElideMode.ElideNone)
        tabs.setIconSize(QSize(16, 16))
        # what each tab was painted with, to paint it again in a new theme's colours
        self._painted: dict[int, tuple[str, str, int]] = {}
        theme.follow(tabs.tabBar(), self._repaint_all)

    def _repaint_all(self) -> None:
        for index in range(self.tabs.count()):
            args = self._painted.get(id(self.tabs.widget(index)))
            if args is not None:
                self.paint(index, *args)

    def paint(self, index: int, key: str, title: str, unread: int = 0) -> None:
        """Text, icon, colour and tooltip of the tab at ``index``."""
        tabs = self.tabs
        widget = tabs.widget(index)
        self._painted[id(widget)] = (key, title, unread)
        label = label_for(key, widget, title, tabs.tabBar().fontMetrics())
        pal = tabs.palette()
        bar = tabs.tabBar()
        if unread:
            label = unread_label(label, unread)
            accent = theme.accent(pal)
            tabs.setTabIcon(index, theme.icon(label.icon, pal, color=accent)
                            if label.icon else theme.dot_icon(accent, 12))
            bar.setTabTextColor(index, accent)
        else:
            tabs.setTabIcon(index, theme.icon(label.icon, pal) if label.icon else QIcon())
            bar.setTabTextColor(index, QColor())
        tabs.setTabText(index, label.text)
        tabs.setTabToolTip(index, plain_tooltip(label.title))


__all__ = ["WorkspaceTabBar", "WorkspaceTabs", "TabLabel", "label_for", "kind_of",
           "MIN_TAB_EM", "MAX_TAB_EM", "SUBJECT_EM"]

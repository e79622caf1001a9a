"""The window's tabs: opening, finding, closing, cycling, titles and unread marks.

:class:`TabManager` owns the ``QTabWidget``'s contents. It knows tabs only through the contract
(``contract.Tab``): the kinds it can open are the classes the window hands it, each building a
tab from its key (``Kind.from_key(context, ident, snapshot)``); a tab asks for another tab with
``openRequested``, to be removed with ``removeRequested``, and says things with ``statusMessage``.
The queue page is the fixed first tab (no close button, never saved).

Unread marks: a message from someone else in a chat whose tab is not on screen counts on that
tab ("(2) Ann"); a visitor's message in one of my chats off screen is announced with
``chatMessageOffScreen`` (and a client's post on a ticket off screen with ``ticketPostOffScreen``)
for the desktop alerts. Saving and restoring the open tabs is ``restore.TabMemory``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, Protocol

from supportdesk_protocol.events import EventType
from supportdesk_protocol.schemas import AuthorKind
from supportdesk_qt.backend.base import Resynced, ServerEvent
from supportdesk_qt.qt import QEvent, QObject, Qt, QTabWidget, QWidget, Signal
from supportdesk_qt.ui.tabs.context import TabContext
from supportdesk_qt.ui.tabs.contract import kind_of

log = logging.getLogger("supportdesk.ui.tabs")


class Painter(Protocol):
    """Paints a tab from its key, title and unread count (``ui/workspace_tabs.WorkspaceTabs``,
    handed in by the window: this package imports no widgets of the window)."""

    def paint(self, index: int, key: str, title: str, unread: int = 0) -> None: ...


class TabManager(QObject):
    #: the open tabs (or the current one) changed: save them soon
    tabsChanged = Signal()
    #: (Chat, ChatMessage): a visitor wrote in one of my chats that is not on screen
    chatMessageOffScreen = Signal(object, object)
    #: (ticket id, TicketPost): a client posted on a ticket whose tab is not on screen
    ticketPostOffScreen = Signal(int, object)
    #: a sentence for the status bar
    statusMessage = Signal(str)

    event_types = frozenset({EventType.CHAT_MESSAGE, EventType.TICKET_POST})

    def __init__(self, tabs: QTabWidget, context: TabContext, kinds: Iterable[type],
                 home: QWidget, painter: Painter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tabs = tabs
        self.context = context
        self.kinds: dict[str, type] = {k.kind: k for k in kinds}
        self.home = home                       # the queue page: always there, first
        self.painter = painter                 # icons, short titles (set up the bar first)
        self._unread: dict[str, int] = {}
        tabs.tabCloseRequested.connect(self.close_tab)
        tabs.currentChanged.connect(self._current_changed)
        tabs.tabBar().tabMoved.connect(lambda *_: self.tabsChanged.emit())
        self._bar = tabs.tabBar()
        self._bar.installEventFilter(self)        # middle click closes a tab
        home.setProperty("tabKey", home.key)
        tabs.addTab(home, "")
        bar = tabs.tabBar()
        bar.setTabButton(0, bar.ButtonPosition.RightSide, None)
        bar.setTabButton(0, bar.ButtonPosition.LeftSide, None)
        self._wire(home)
        self.paint(home)
        context.events.add(self)

    # -- finding ------------------------------------------------------------------------------------

    def widgets(self) -> list[QWidget]:
        return [self.tabs.widget(i) for i in range(self.tabs.count())]

    def find_tab(self, key: str) -> int:
        for i, widget in enumerate(self.widgets()):
            if _key(widget) == key:
                return i
        return -1

    def tab(self, key: str) -> Any:
        i = self.find_tab(key)
        return self.tabs.widget(i) if i >= 0 else None

    def tabs_of_kind(self, kind: str) -> list[Any]:
        return [w for w in self.widgets() if kind_of(_key(w)) == kind]

    def tab_keys(self) -> list[str]:
        return [_key(w) for w in self.widgets() if w is not self.home]

    def current_key(self) -> str:
        widget = self.tabs.currentWidget()
        return _key(widget) if widget is not None else ""

    def is_on_screen(self, key: str) -> bool:
        """The tab ``key`` is current in a visible, active, not minimised window."""
        window = self.tabs.window()
        return (self.current_key() == key and window.isVisible() and not window.isMinimized()
                and window.isActiveWindow())

    def chat_tab(self, chat_id: int) -> Any:
        return self.tab(f"chat:{chat_id}")

    def chat_tabs(self) -> list[Any]:
        return self.tabs_of_kind("chat")

    def ticket_tab(self, ticket_id: int) -> Any:
        return self.tab(f"ticket:{ticket_id}")

    # -- opening ------------------------------------------------------------------------------------

    def open(self, key: str, snapshot: Any = None, *, focus: bool = True) -> Any:
        """The tab ``key`` (focused when ``focus``): the open one, or a new one of its kind
        (``None`` when the kind cannot be built from this key, or needs a backend
        (``Tab.needs_backend``) while nobody is signed in)."""
        kind, _, ident = key.partition(":")
        cls = self.kinds.get(kind)
        if cls is None or not self.can_open(cls):
            return None
        i = self.find_tab(key)
        if i >= 0:
            if focus:
                self.tabs.setCurrentIndex(i)
            return self.tabs.widget(i)
        tab = cls.from_key(self.context, ident, snapshot)
        if tab is None:
            return None
        self.add(tab, focus=focus)
        return tab

    def can_open(self, cls: type) -> bool:
        """A tab of this kind can be opened now: signed in if it needs a backend, and the
        backend declares the ability it needs (``Tab.capability``)."""
        context = self.context
        if not context.has_backend:
            return not getattr(cls, "needs_backend", True)
        needed = getattr(cls, "capability", None)
        return needed is None or needed in context.backend.capabilities

    # what the window, the search bar and the tests open by name (each: the tab, or None)

    def open_chat(self, chat: Any, focus: bool = True) -> Any:
        """A chat assigned to me (a ``Chat``), in its tab (the existing tab if there is one)."""
        return self.open(f"chat:{chat.id}", chat, focus=focus)

    def open_chat_history(self, chat: Any, focus: bool = True) -> Any:
        """An earlier chat of the visitor or client (seed item 7), read-only, in a tab."""
        return self.open(f"history:{chat.id}", chat, focus=focus)

    def open_client(self, client_id: int, focus: bool = True) -> Any:
        return self.open(f"client:{client_id}", focus=focus)

    def open_ticket(self, ticket_id: int, focus: bool = True) -> Any:
        return self.open(f"ticket:{ticket_id}", focus=focus)

    def open_tickets(self, focus: bool = True) -> Any:
        """The tickets tab (my tickets, my departments', filters): one at a time."""
        return self.open("tickets", focus=focus)

    def open_search(self, query: str) -> Any:
        return self.open(f"search:{query.strip()}") if query.strip() else None

    def add(self, tab: Any, *, focus: bool = True) -> int:
        """Show a built tab (an open tab of the same key is focused instead; ``tab`` goes)."""
        i = self.find_tab(tab.key)
        if i >= 0:
            tab.dispose()
            tab.deleteLater()
            if focus:
                self.tabs.setCurrentIndex(i)
            return i
        tab.setProperty("tabKey", tab.key)
        i = self.tabs.addTab(tab, "")
        self._wire(tab)
        self.paint(tab)
        self.tabsChanged.emit()
        if focus:
            self.tabs.setCurrentIndex(i)
            tab.take_focus()
        return i

    def _wire(self, tab: Any) -> None:
        tab.titleChanged.connect(lambda _t, w=tab: self.paint(w))
        tab.openRequested.connect(lambda key, snapshot: self.open(key, snapshot))
        tab.removeRequested.connect(lambda w=tab: self.remove_tab(self.tabs.indexOf(w)))
        tab.statusMessage.connect(self.statusMessage)

    def paint(self, widget: Any) -> None:
        i = self.tabs.indexOf(widget)
        if i >= 0:
            key = _key(widget)
            self.painter.paint(i, key, widget.title(), self._unread.get(key, 0))

    # -- closing ------------------------------------------------------------------------------------

    def close_current_tab(self) -> None:
        self.close_tab(self.tabs.currentIndex())

    def close_tab(self, index: int) -> None:
        """The agent closes a tab; a tab may ask first (a chat: closing it ends the chat)."""
        widget = self.tabs.widget(index)
        if widget is None or widget is self.home:
            return
        if widget.request_close():
            self.remove_tab(index)
        else:
            self.tabs.setCurrentIndex(index)       # the tab is asking: show it

    def remove_tab(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget is None or widget is self.home:
            return
        widget.dispose()                 # drafts kept, loads cancelled, events no longer routed
        self._unread.pop(_key(widget), None)
        self.tabs.removeTab(index)
        widget.deleteLater()
        self.tabsChanged.emit()

    def remove_kind(self, kind: str) -> None:
        for i in range(self.tabs.count() - 1, -1, -1):
            if kind_of(_key(self.tabs.widget(i))) == kind:
                self.remove_tab(i)

    def remove_all(self) -> None:
        for i in range(self.tabs.count() - 1, 0, -1):
            self.remove_tab(i)

    # -- moving around --------------------------------------------------------------------------------

    def cycle_tabs(self, step: int) -> None:
        n = self.tabs.count()
        if n > 1:
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % n)
            widget = self.tabs.currentWidget()
            if widget is not None:
                widget.setFocus(Qt.FocusReason.TabFocusReason)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if (obj is self._bar and event.type() == QEvent.Type.MouseButtonRelease
                and event.button() == Qt.MouseButton.MiddleButton):
            i = self._bar.tabAt(event.position().toPoint())
            if i >= 0:
                self.close_tab(i)
                return True
        return super().eventFilter(obj, event)

    def _current_changed(self, _index: int) -> None:
        self.clear_unread_of_current()
        self.tabsChanged.emit()

    def clear_unread_of_current(self) -> None:
        widget = self.tabs.currentWidget()
        if widget is not None and self._unread.pop(_key(widget), 0):
            self.paint(widget)

    def unread(self, key: str) -> int:
        return self._unread.get(key, 0)

    # -- events: unread marks and off-screen notices ---------------------------------------------------

    def on_event(self, event: ServerEvent) -> None:
        if event.type == EventType.CHAT_MESSAGE:
            self._chat_message(event.data)
        elif event.type == EventType.TICKET_POST:
            data = event.data
            ticket_id = getattr(data, "ticket_id", None)
            if (ticket_id is not None and str(getattr(data, "kind", "")) == "client"
                    and not self.is_on_screen(f"ticket:{ticket_id}")):
                self.ticketPostOffScreen.emit(int(ticket_id), data)

    def on_resynced(self, item: Resynced) -> None:
        pass

    def _chat_message(self, data: Any) -> None:
        chat = getattr(data, "chat", None)
        message = getattr(data, "message", None)
        agent = self.context.agent
        if chat is None or message is None or agent is None:
            return
        if message.author_kind == AuthorKind.AGENT and message.author_id == agent.id:
            return
        key = f"chat:{chat.id}"
        tab = self.tab(key)
        if (tab is None and chat.assignee_id != agent.id) or self.is_on_screen(key):
            return
        if tab is not None:
            self._unread[key] = self._unread.get(key, 0) + 1
            self.paint(tab)
        if message.author_kind == AuthorKind.VISITOR:
            self.chatMessageOffScreen.emit(chat, message)


def _key(widget: QWidget | None) -> str:
    return str(getattr(widget, "key", "") or "") if widget is not None else ""


__all__ = ["TabManager"]

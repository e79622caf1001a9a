"""The workplace window.

Layout (the seed's "General description", items 1–6)::

    ┌──────────────────────────────────────────────────────────────────────────────┐
    │ [🔍 Search clients…          ]          ● Connected   💬 3   🎁   (AB)▾      │  top bar
    ├──────────────────────────────────────────────────────────────────────────────┤
    │ [☰ Waiting chats (3)] [Ann ×] [Ticket #12 ×] …                               │  tabs
    │                                                                              │
    │   queue list (model + delegate)  /  chat, ticket, client, search tabs        │
    │                                                                              │
    ├──────────────────────────────────────────────────────────────────────────────┤
    │ status messages                                   Online · desk.example.com  │
    └──────────────────────────────────────────────────────────────────────────────┘

The window holds no network code: it gets a :class:`Bridge` (signals from the backend), a
:class:`TaskRegistry` (to run the backend's coroutines) and the signed-in agent's Qt-free
``core.workspace.Workspace`` through :meth:`MainWindow.set_workspace`. App-level actions it cannot
do itself (log out, quit, show the change log, search) are signals the app (and the
workplace-shell issue) connects to.
"""

from __future__ import annotations

from functools import partial

import asyncio
import base64
import logging
from typing import Any, Protocol

from supportdesk_protocol.events import EventType
from supportdesk_protocol.schemas import Agent, AgentStatus, AuthorKind, Chat, ChatState
from supportdesk_qt.backend.base import Backend, BackendError, ServerEvent
from supportdesk_qt.core import persist
from supportdesk_qt.core.outbox import Outbox
from supportdesk_qt.core.settings import Preferences, WindowState
from supportdesk_qt.core.workspace import Workspace
from supportdesk_qt.platform.sound import SOUND_NAMES
from supportdesk_qt.qt import (
    QByteArray,
    QEvent,
    QLabel,
    QMainWindow,
    QModelIndex,
    QObject,
    Qt,
    QTabWidget,
    QTimer,
    QWidget,
    Signal,
    qt_is_valid,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.bridge import Bridge
from supportdesk_qt.ui.chat.chat_tab import ChatTab
from supportdesk_qt.ui.chat.history_view import ChatHistoryTab
from supportdesk_qt.ui.desk_actions import DeskActions
from supportdesk_qt.ui.client.client_tab import ClientTab
from supportdesk_qt.ui.connection_light import ConnectionLight
from supportdesk_qt.ui.models.paged_table_model import PagedTableModel
from supportdesk_qt.ui.models.queue_model import QueueModel
from supportdesk_qt.ui.panels.changelog import ChangelogTracker, ChangelogView
from supportdesk_qt.ui.panels.network import NetworkPanel
from supportdesk_qt.ui.panels.notifications_log import NotificationLogPanel
from supportdesk_qt.ui.panels.settings_dialog import SettingsDialog
from supportdesk_qt.ui.queue_page import QueueHistory, QueuePage
from supportdesk_qt.ui.queue_popup import QueuePopup
from supportdesk_qt.ui.search.search_tab import SearchTab
from supportdesk_qt.ui.take_chat import ChatTaker
from supportdesk_qt.ui.tasks import TaskRegistry
from supportdesk_qt.ui.tickets.ticket_tab import TicketTab
from supportdesk_qt.ui.tickets.tickets_tab import TicketsTab
from supportdesk_qt.ui.top_bar import TopBar
from supportdesk_qt.ui.waiting_counter import WaitingCounter
from supportdesk_qt.ui.workspace_signals import WorkspaceSignals
from supportdesk_qt.ui.workspace_tabs import WorkspaceTabs

log = logging.getLogger("supportdesk.ui.main")

GEOMETRY_KEY = "main_window_geometry"      # options of core.settings.WindowState
WINDOW_STATE_KEY = "main_window_state"
OPEN_TABS_KEY = "open_tabs"
STATUS_MESSAGE_MS = 8000
TABS_SAVE_MS = 500
MAX_RESTORED_TABS = 40


def _app_version() -> str:
    try:
        from importlib.metadata import version

        return version("supportdesk")
    except Exception:  # noqa: BLE001 - not installed (a checkout): no "new" mark from the version
        return "0"


class StateStore(Protocol):
    """Where window state lives, apart from preferences (``core.settings.WindowState``)."""

    def get(self, key: str) -> Any: ...
    def set(self, key: str, value: Any) -> None: ...


def _cancel_loads(widget: QWidget) -> None:
    """Stop what a client/ticket/search tab is still loading: its answer must not land in a
    widget that is being deleted."""
    owners = [widget, getattr(widget, "model", None), *getattr(widget, "models", {}).values()]
    for owner in owners:
        if isinstance(owner, PagedTableModel):
            owner.cancel()
            continue
        task = getattr(owner, "_task", None)
        if isinstance(task, asyncio.Task) and not task.done():
            task.cancel()


class MainWindow(QMainWindow):
    #: The person chose "Log out" in the user menu.
    logoutRequested = Signal()
    #: The person chose "Quit" (or closed the window; the app decides about the tray).
    quitRequested = Signal()
    #: The change log button was clicked (the window opens the change log tab itself).
    changelogRequested = Signal()
    #: The connection status light was clicked (the window opens the network panel itself).
    statusClicked = Signal()
    #: A chat was taken by this agent (its tab is open).
    chatTaken = Signal(object)
    #: The number of chats waiting that this agent may take (0 while offline). For the tray.
    waitingCountChanged = Signal(int)
    #: A chat newly entered the list of chats (the Chat snapshot). For notifications and sound.
    newWaitingChat = Signal(object)
    #: A visitor message arrived for one of my chats that is not on screen: (Chat, ChatMessage).
    chatMessageOffScreen = Signal(object, object)
    #: (ticket id, TicketPost) a client posted on a ticket of mine / my departments, its tab not
    #: on screen
    ticketPostOffScreen = Signal(int, object)
    #: This agent went online (True) or offline (False).
    onlineChanged = Signal(bool)

    def __init__(self, bridge: Bridge, tasks: TaskRegistry, state: StateStore | None = None,
                 parent: QWidget | None = None, *, prefs: Preferences | None = None,
                 version: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("SupportDesk"))
        self._bridge = bridge
        self._tasks = tasks
        self._state = state
        self._prefs = prefs
        self._workspace: Workspace | None = None   # the signed-in agent's (core/workspace.py)
        self._server_label = ""
        self._restore_task: asyncio.Task | None = None
        self._last_online: bool | None = None
        self._unread: dict[int, int] = {}
        self._closing_tabs: set[int] = set()   # chat tabs the agent asked to close
        self._restoring = False
        self._settings_dialog: SettingsDialog | None = None

        self.queue_model = QueueModel(self)
        # bridge -> workspace, workspace -> Qt signals and the list of chats
        self.workspace_signals = WorkspaceSignals(bridge, tasks, self.queue_model, self)
        self.queue_history = QueueHistory(tasks, lambda: self._backend, self)
        # the panels exist before the bridge attaches, so no request record is missed
        self.network_panel = NetworkPanel(self)
        bridge.requestLogged.connect(self.network_panel.model.add)
        self.notifications_panel = NotificationLogPanel(self)
        self.notifications_panel.openRequested.connect(self._open_from_log)
        self._changelog_tracker = (ChangelogTracker(state, version or _app_version())
                                   if isinstance(state, WindowState) else None)

        self._build_top_bar()
        self._build_tabs()
        self._build_status_bar()
        self._build_shortcuts()
        self.queue_popup = QueuePopup(self.queue_model, self.queue_history, self)
        self.queue_popup.chatActivated.connect(self.take_chat)
        self.connection_light = ConnectionLight(self.status_button, self)
        self.waiting_counter = WaitingCounter(self.queue_model, self.counter_button, self.tabs,
                                              self.queue_page, self, lambda: self.is_online)
        self.waiting_counter.waitingCountChanged.connect(self.waitingCountChanged)
        self.taker = ChatTaker(tasks, self.queue_model, self.queue_popup, lambda: self._workspace,
                               self.open_chat, self.show_message, self)
        self.taker.chatTaken.connect(self.chatTaken)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(TABS_SAVE_MS)
        self._save_timer.timeout.connect(self.save_tabs)

        bridge.connectionChanged.connect(self.connection_light.show_change)
        bridge.serverEvent.connect(self._on_event)
        signals = self.workspace_signals
        signals.agentChanged.connect(lambda _agent: self._update_agent())
        signals.statusChanged.connect(self._status_changed)
        signals.statusFailed.connect(self._status_failed)
        signals.reloadRequested.connect(self._reload_lists)
        signals.queueLoadFailed.connect(lambda message: self.show_message(
            self.tr("The list of chats could not be loaded: %1").replace("%1", message)))
        self.queue_model.arrived.connect(self._queue_chats_arrived)

        self.waiting_counter.show_count(0)
        self.connection_light.show_change(bridge.connection)
        self._update_agent()
        self.resize(1180, 760)
        self.restore_geometry()

    # -- construction ---------------------------------------------------------------------------

    def _build_top_bar(self) -> None:
        """The commands (``ui/desk_actions.py``) and the top bar built from them."""
        self.commands = DeskActions(self, self._prefs)
        bar = self.top_bar = TopBar(self.commands, self._tasks, self._changelog_tracker, self)
        bar.search_bar.clientActivated.connect(self.open_client)
        bar.search_bar.searchRequested.connect(self.open_search)
        bar.status_button.clicked.connect(self.statusClicked)
        self.search_bar = self.search_edit = bar.search_bar     # names older code and tests use
        self.status_button, self.counter_button = bar.status_button, bar.counter_button
        self.changelog_button, self.avatar_button = bar.changelog_button, bar.avatar_button
        self.tickets_button, self.user_menu = bar.tickets_button, bar.user_menu
        c = self.commands
        self.online_action, self.offline_action = c["status.online"], c["status.offline"]
        self.network_action, self.notifications_action = c["panel.network"], c["panel.notifications"]
        self.settings_action, self.logout_action = c["app.settings"], c["session.logout"]
        self.quit_action = c["app.quit"]
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

    def _build_tabs(self) -> None:
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("tabs")
        self.workspace_tabs = WorkspaceTabs(self.tabs)     # icons, short titles, scrolling
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.tabs.currentChanged.connect(self._current_changed)
        self.tabs.tabBar().tabMoved.connect(lambda *_: self._tabs_changed())
        self.tabs.tabBar().installEventFilter(self)    # middle click closes a tab

        self.queue_page = QueuePage(self.queue_model, self.queue_history, self.tabs)
        self.queue_page.setProperty("tabKey", "queue")
        self.queue_view = self.queue_page.view
        self.queue_view.activated.connect(self._on_queue_activated)
        self.tabs.addTab(self.queue_page, theme.icon("queue", self.palette()), "")
        # the queue is always there: no close button on its tab
        bar = self.tabs.tabBar()
        bar.setTabButton(0, bar.ButtonPosition.RightSide, None)
        bar.setTabButton(0, bar.ButtonPosition.LeftSide, None)
        self.setCentralWidget(self.tabs)

    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        sb.setObjectName("statusBar")
        self.agent_label = QLabel(sb)
        self.agent_label.setObjectName("agentLabel")
        self.agent_label.setTextFormat(Qt.TextFormat.PlainText)
        sb.addPermanentWidget(self.agent_label)

    def _build_shortcuts(self) -> None:
        self.commands.watch()          # the shortcuts are the commands' (tabs exist now)

    # -- session ----------------------------------------------------------------------------------

    @property
    def workspace(self) -> Workspace | None:
        """The signed-in agent's workspace (given by the Desk; ``None`` while signed out)."""
        return self._workspace

    @property
    def backend(self) -> Backend | None:
        return self._workspace.backend if self._workspace is not None else None

    @property
    def agent(self) -> Agent | None:
        return self._workspace.agent if self._workspace is not None else None

    # the tab factories read these (read-only views of the workspace)
    _backend = backend
    _agent = agent

    @property
    def _outbox(self) -> Outbox | None:
        return self._workspace.outbox if self._workspace is not None else None

    def set_workspace(self, workspace: Workspace | None) -> None:
        """Show this agent's workplace (or nothing, with ``None`` after logout).

        Every tab of the previous session closes (chat drafts are saved); with a workspace, the
        chats still assigned to this agent reopen as tabs, and the other saved tabs come back.
        The window does not own the workspace: whoever made it closes it.
        """
        if self._restore_task is not None and not self._restore_task.done():
            self._restore_task.cancel()      # work for the previous session must not land here
        self._restore_task = None
        if self._save_timer.isActive():
            self.save_tabs()         # a change not written yet (the last tab opened) is kept
        self._restoring = True       # closing the old tabs must not overwrite the saved list
        try:
            for i in range(self.tabs.count() - 1, -1, -1):
                self._remove_tab(i)
        finally:
            self._restoring = False
        self.queue_popup.hide()
        self._workspace = workspace
        self._server_label = workspace.server_label if workspace is not None else ""
        self._unread.clear()
        self.queue_model.clear()
        self.queue_model.set_agent(self.agent)
        self.workspace_signals.set_workspace(workspace)
        backend = self.backend
        self.search_bar.backend = backend          # type: ignore[assignment]
        self.search_bar.setEnabled(backend is not None)
        self.search_bar.clear()
        if workspace is None and self._last_online:
            self.onlineChanged.emit(False)       # signed out: nobody here takes chats
        if workspace is None:
            self._last_online = None
        self._update_agent()
        if workspace is not None:
            self._restore_task = self._tasks.spawn(self._restore_tabs(workspace),
                                                   name="restore-tabs")

    def clear_session(self) -> None:
        """Log out: close every tab (drafts kept) and forget the workspace."""
        self.save_tabs()
        self.set_workspace(None)

    def show_message(self, text: str, timeout: int = STATUS_MESSAGE_MS) -> None:
        self.statusBar().showMessage(text, timeout)

    def show_queue(self) -> None:
        self.tabs.setCurrentWidget(self.queue_page)
        self.queue_view.setFocus()
        if not self.queue_view.currentIndex().isValid() and self.queue_model.rowCount():
            self.queue_view.setCurrentIndex(self.queue_model.index(0))

    def show_queue_popup(self) -> None:
        """The list of chats under the counter; a click takes a chat."""
        self.queue_popup.popup_under(self.counter_button)

    # -- public API for the app and the desktop integration ----------------------------------------

    def show_and_raise(self) -> None:
        """Bring the window to the front (tray click, notification click, second launch)."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def open_key(self, key: str) -> None:
        """Open what a key names: ``chat:<id>`` (its tab, or take it from the list, or open it if
        it is still mine), ``ticket:<id>``, ``client:<id>``, ``search:<text>``, ``changelog``."""
        kind, _, rest = key.partition(":")
        i = self.find_tab(key)
        if i >= 0:
            self.tabs.setCurrentIndex(i)
            return
        if kind == "chat" and rest.isdigit():
            chat_id = int(rest)
            if self.queue_model.chat(chat_id) is not None:
                self.take_chat(chat_id)
            elif self._backend is not None:
                self._tasks.spawn(self._open_chat_by_id(self._backend, chat_id), name="open-chat")
        elif kind == "ticket" and rest.isdigit():
            self.open_ticket(int(rest))
        elif kind == "tickets":
            self.open_tickets()
        elif kind == "client" and rest.isdigit():
            self.open_client(int(rest))
        elif kind == "search" and rest.strip():
            self.open_search(rest)
        elif kind == "changelog":
            self.open_changelog()
        elif kind == "queue":
            self.show_queue()

    def set_online(self, online: bool) -> None:
        """Same as Online/Offline in the user menu."""
        self.set_status(AgentStatus.ONLINE if online else AgentStatus.OFFLINE)

    @property
    def is_online(self) -> bool:
        return self._workspace is not None and self._workspace.is_online

    def is_chat_on_screen(self, chat_id: int) -> bool:
        """The chat's tab is the current tab of a visible, active, not minimised window."""
        widget = self.tabs.currentWidget()
        return (widget is not None and widget.property("tabKey") == f"chat:{chat_id}"
                and self.isVisible() and not self.isMinimized() and self.isActiveWindow())

    def chat_tab(self, chat_id: int) -> ChatTab | None:
        i = self.find_tab(f"chat:{chat_id}")
        w = self.tabs.widget(i) if i >= 0 else None
        return w if isinstance(w, ChatTab) else None

    def chat_tabs(self) -> list[ChatTab]:
        return [w for w in (self.tabs.widget(i) for i in range(self.tabs.count()))
                if isinstance(w, ChatTab)]

    def tab_keys(self) -> list[str]:
        return [str(self.tabs.widget(i).property("tabKey")) for i in range(self.tabs.count())
                if self.tabs.widget(i) is not self.queue_page]

    # -- tabs -----------------------------------------------------------------------------------

    def find_tab(self, key: str) -> int:
        for i in range(self.tabs.count()):
            if self.tabs.widget(i).property("tabKey") == key:
                return i
        return -1

    def open_tab(self, key: str, widget: QWidget, title: str, focus: bool = True) -> int:
        """Show ``widget`` in a tab identified by ``key`` (an existing one is focused instead)."""
        i = self.find_tab(key)
        if i >= 0:
            widget.deleteLater()
        else:
            widget.setProperty("tabKey", key)
            widget.setProperty("tabTitle", title)
            i = self.tabs.addTab(widget, title.replace("&", "&&"))
            self._paint_tab(widget)
            self._tabs_changed()
        if focus:
            self.tabs.setCurrentIndex(i)
        return i

    def set_tab_title(self, widget: QWidget, title: str) -> None:
        if not qt_is_valid(widget):
            return
        widget.setProperty("tabTitle", title)
        self._paint_tab(widget)

    def _paint_tab(self, widget: QWidget) -> None:
        i = self.tabs.indexOf(widget)
        if i < 0:
            return
        chat_id = getattr(widget, "chat_id", None)
        unread = self._unread.get(chat_id, 0) if isinstance(widget, ChatTab) else 0
        self.workspace_tabs.paint(i, str(widget.property("tabKey") or ""),
                                  str(widget.property("tabTitle") or ""), unread)

    def close_current_tab(self) -> None:
        self.close_tab(self.tabs.currentIndex())

    def close_tab(self, index: int) -> None:
        """The agent closes a tab. A chat tab asks first: closing it ends the conversation."""
        widget = self.tabs.widget(index)
        if widget is None or widget is self.queue_page:
            return
        if isinstance(widget, ChatTab) and not widget.is_closed:
            self.tabs.setCurrentIndex(index)
            self._closing_tabs.add(widget.chat_id)
            widget.ask_close()      # Yes closes the chat; ChatTab.closed then removes the tab
            if widget.close_box is not None:
                widget.close_box.rejected.connect(
                    partial(self._closing_tabs.discard, widget.chat_id))
            return
        self._remove_tab(index)

    def _remove_tab(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget is None or widget is self.queue_page:
            return
        if isinstance(widget, ChatTab):
            widget.dispose()                   # saves the draft, stops typing
            self._unread.pop(widget.chat_id, None)
            self._closing_tabs.discard(widget.chat_id)
        else:
            if isinstance(widget, TicketTab):
                widget.dispose()               # saves the draft, leaves the outbox
            _cancel_loads(widget)
        self.tabs.removeTab(index)
        widget.deleteLater()
        self._tabs_changed()

    def _close_chat_tabs(self) -> None:
        """Going offline: every chat tab closes (drafts are kept; the server requeues the chats)."""
        for i in range(self.tabs.count() - 1, -1, -1):
            if isinstance(self.tabs.widget(i), ChatTab):
                self._remove_tab(i)

    def cycle_tabs(self, step: int) -> None:
        n = self.tabs.count()
        if n > 1:
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % n)
            w = self.tabs.currentWidget()
            if w is not None:
                w.setFocus(Qt.FocusReason.TabFocusReason)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (obj is self.tabs.tabBar() and event.type() == QEvent.Type.MouseButtonRelease
                and event.button() == Qt.MouseButton.MiddleButton):
            i = self.tabs.tabBar().tabAt(event.position().toPoint())
            if i >= 0:
                self.close_tab(i)
                return True
        return super().eventFilter(obj, event)

    def _current_changed(self, index: int) -> None:
        self._clear_unread_of_current()
        self._tabs_changed()

    def _clear_unread_of_current(self) -> None:
        w = self.tabs.currentWidget()
        if isinstance(w, ChatTab) and self._unread.pop(w.chat_id, 0):
            self._paint_tab(w)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self._clear_unread_of_current()

    # -- opening tabs ------------------------------------------------------------------------------

    def open_search(self, query: str) -> None:
        query = query.strip()
        if not query or self._backend is None:
            return
        key = f"search:{query}"
        if self.find_tab(key) >= 0:
            self.open_tab(key, QWidget(), "")
            return
        tab = SearchTab(self._backend, query, self._tasks, self.tabs)
        tab.clientActivated.connect(self.open_client)
        self.open_tab(key, tab, tab.title())
        self.search_bar.hide_popup()

    def open_client(self, client_id: int, focus: bool = True) -> None:
        if self._backend is None:
            return
        key = f"client:{client_id}"
        if self.find_tab(key) >= 0:
            self.open_tab(key, QWidget(), "", focus=focus)
            return
        tab = ClientTab(self._backend, client_id, self._tasks, self.tabs)
        tab.openTicket.connect(self.open_ticket)
        tab.titleChanged.connect(lambda t, w=tab: self.set_tab_title(w, t))
        self.open_tab(key, tab, tab.title(), focus=focus)
        self.search_bar.hide_popup()

    def open_ticket(self, ticket_id: int, focus: bool = True) -> None:
        if self._backend is None:
            return
        key = f"ticket:{ticket_id}"
        if self.find_tab(key) >= 0:
            self.open_tab(key, QWidget(), "", focus=focus)
            return
        tab = TicketTab(self._backend, ticket_id, self._tasks, self.tabs,
                        drafts=self._workspace.ticket_drafts, outbox=self._outbox)
        tab.openClient.connect(self.open_client)
        tab.titleChanged.connect(lambda t, w=tab: self.set_tab_title(w, t))
        self.open_tab(key, tab, tab.title(), focus=focus)

    def open_tickets(self, focus: bool = True) -> None:
        """The tickets tab (my tickets, my departments', filters): one at a time."""
        if self._backend is None:
            return
        key = "tickets"
        if self.find_tab(key) >= 0:
            self.open_tab(key, QWidget(), "", focus=focus)
            return
        tab = TicketsTab(self._backend, self._tasks, self.tabs)
        tab.openTicket.connect(self.open_ticket)
        self.open_tab(key, tab, tab.title(), focus=focus)

    def ticket_tab(self, ticket_id: int) -> TicketTab | None:
        i = self.find_tab(f"ticket:{ticket_id}")
        w = self.tabs.widget(i) if i >= 0 else None
        return w if isinstance(w, TicketTab) else None

    def is_ticket_on_screen(self, ticket_id: int) -> bool:
        widget = self.tabs.currentWidget()
        return (widget is not None and widget.property("tabKey") == f"ticket:{ticket_id}"
                and self.isVisible() and not self.isMinimized() and self.isActiveWindow())

    def _ticket_event(self, event: ServerEvent) -> None:
        """Ticket events: to the ticket's tab, to the tickets tab, and a notification for a
        client's post that is not on screen (the server sends ticket events only to agents of
        the ticket's department and its assignee)."""
        data = event.data
        ticket_id = getattr(data, "ticket_id", None) if event.type == EventType.TICKET_POST \
            else getattr(data, "id", None)
        if ticket_id is None:
            return
        tab = self.ticket_tab(int(ticket_id))
        if tab is not None:
            tab.apply_event(event)
        i = self.find_tab("tickets")
        tickets = self.tabs.widget(i) if i >= 0 else None
        if isinstance(tickets, TicketsTab):
            tickets.schedule_reload()
        if (event.type == EventType.TICKET_POST and str(getattr(data, "kind", "")) == "client"
                and not self.is_ticket_on_screen(int(ticket_id))):
            self.ticketPostOffScreen.emit(int(ticket_id), data)

    def open_chat(self, chat: Chat, focus: bool = True) -> ChatTab | None:
        """A chat assigned to me, in its tab (the existing tab if there is one)."""
        backend = self._backend
        if backend is None:
            return None
        key = f"chat:{chat.id}"
        i = self.find_tab(key)
        if i >= 0:
            if focus:
                self.tabs.setCurrentIndex(i)
            return self.chat_tab(chat.id)
        tab = ChatTab(backend, self._bridge, self._tasks, chat, self._workspace.drafts, self._agent,
                      self.tabs,
                      department=self.queue_model.department_name(chat.department_id))
        if self._outbox is not None:
            tab.set_outbox(self._outbox)             # send through it; show what it still holds
        details = getattr(tab, "details", None)      # "Create ticket" (seed item 9) opens it
        if details is not None and hasattr(details, "ticketCreated"):
            details.ticketCreated.connect(lambda t: self.open_ticket(int(t.id)))
        history = getattr(getattr(tab, "details", None), "history", None)   # item 7: earlier chats
        if history is not None:
            history.openChat.connect(self.open_chat_history)
        tab.closed.connect(self._chat_closed)
        tab.forwarded.connect(self._chat_forwarded)
        tab.titleChanged.connect(lambda t, w=tab: self.set_tab_title(w, t))
        self.open_tab(key, tab, tab.title(), focus=focus)
        if focus:
            tab.composer.setFocus(Qt.FocusReason.OtherFocusReason)
        return tab

    def open_chat_history(self, chat: Chat, focus: bool = True) -> ChatHistoryTab | None:
        """An earlier chat of the visitor or client (history, seed item 7), read-only, in a tab
        of its own (``history:<id>``; restored at the next start like the other tabs)."""
        if self._backend is None:
            return None
        key = f"history:{chat.id}"
        i = self.find_tab(key)
        if i < 0:
            tab = ChatHistoryTab(self._backend, self._tasks, chat, self.tabs)
            i = self.open_tab(key, tab, tab.title(), focus=focus)
        elif focus:
            self.tabs.setCurrentIndex(i)
        w = self.tabs.widget(i)
        return w if isinstance(w, ChatHistoryTab) else None

    def _chat_closed(self, chat_id: int) -> None:
        """The chat ended. When the agent closed its tab, the tab goes; when the visitor (or a
        colleague) ended it, the tab stays, read-only, so the transcript can still be read and
        copied; the agent closes it (no question asked any more)."""
        tab = self.chat_tab(chat_id)
        if tab is None:
            return
        self.show_message(self.tr("The chat with %1 has ended.").replace("%1", tab.title()))
        if chat_id in self._closing_tabs:
            self._closing_tabs.discard(chat_id)
            self._remove_tab(self.tabs.indexOf(tab))

    def _chat_forwarded(self, chat_id: int, department: str) -> None:
        """The chat went to another department: it is no longer mine, so its tab goes."""
        tab = self.chat_tab(chat_id)
        if tab is None:
            return
        self.show_message(self.tr("The chat with %1 was forwarded to %2.")
                          .replace("%1", tab.title()).replace("%2", department))
        self._remove_tab(self.tabs.indexOf(tab))

    async def _open_chat_by_id(self, backend: Backend, chat_id: int) -> None:
        try:
            chat = await backend.get_chat(chat_id)
        except BackendError as exc:
            if qt_is_valid(self):
                self.show_message(exc.message)
            return
        if not qt_is_valid(self) or backend is not self._backend:
            return
        me = self._agent.id if self._agent else None
        if chat.state == ChatState.ACTIVE and chat.assignee_id == me:
            self.open_chat(chat)
        elif chat.state == ChatState.WAITING:
            self.take_chat(chat_id)
        elif chat.state == ChatState.CLOSED:
            self.show_message(self.tr("This chat has ended."))
        else:
            self.show_message(self.tr("A colleague is answering this chat."))

    def _open_from_log(self, key: str) -> None:
        self.show_and_raise()
        self.open_key(key)

    # -- saving and restoring the open tabs -----------------------------------------------------

    def _tabs_changed(self) -> None:
        if not self._restoring and self._agent is not None and self._state is not None:
            self._save_timer.start()

    def save_tabs(self) -> None:
        """Write the open tabs' keys (and the current one) to the window state."""
        self._save_timer.stop()
        if self._state is None or self._agent is None or self._restoring:
            return
        current = self.tabs.currentWidget()
        value = {"login": self._agent.login, "keys": self.tab_keys(),
                 "current": str(current.property("tabKey")) if current is not None else ""}
        try:
            self._state.set(OPEN_TABS_KEY, value)
        except (KeyError, ValueError, OSError) as exc:
            log.warning("open tabs not saved: %s", exc)

    def _saved_tabs(self, agent: Agent) -> tuple[list[str], str]:
        if self._state is None:
            return [], ""
        try:
            saved = self._state.get(OPEN_TABS_KEY) or {}
        except (KeyError, ValueError):
            return [], ""
        if not isinstance(saved, dict) or saved.get("login") != agent.login:
            return [], ""
        keys = [k for k in saved.get("keys", []) if isinstance(k, str)][:MAX_RESTORED_TABS]
        return keys, str(saved.get("current") or "")

    async def _restore_tabs(self, workspace: Workspace) -> None:
        """At start: my chats (still assigned to me) reopen, then the other saved tabs."""
        backend, agent = workspace.backend, workspace.agent
        keys, current = self._saved_tabs(agent)
        mine: dict[int, Chat] = {}
        try:
            await workspace.load_directory()         # a chat tab shows its department's name
            mine = {c.id: c for c in await workspace.my_chats()}
        except BackendError as exc:
            log.warning("my chats could not be loaded: %s", exc.message)
            if not qt_is_valid(self) or backend is not self._backend:
                return
            self.show_message(self.tr("Your open chats could not be loaded: %1").replace(
                "%1", exc.message))
        if not qt_is_valid(self) or backend is not self._backend:
            return
        # read-only history tabs need their chat: fetch them first (one that is gone or no
        # longer mine to see is simply not reopened)
        history: dict[int, Chat] = {}
        for key in keys:
            kind, _, rest = key.partition(":")
            if kind == "history" and rest.isdigit():
                try:
                    history[int(rest)] = await backend.get_chat(int(rest))
                except BackendError as exc:
                    log.info("history tab %s not reopened: %s", rest, exc.message)
                if not qt_is_valid(self) or backend is not self._backend:
                    return
        self._restoring = True
        try:
            for key in keys:
                kind, _, rest = key.partition(":")
                if kind == "chat" and rest.isdigit():
                    chat = mine.pop(int(rest), None)
                    if chat is not None and chat.assignee_id == agent.id:
                        self.open_chat(chat, focus=False)
                elif kind == "client" and rest.isdigit():
                    self.open_client(int(rest), focus=False)
                elif kind == "ticket" and rest.isdigit():
                    self.open_ticket(int(rest), focus=False)
                elif kind == "tickets":
                    self.open_tickets(focus=False)
                elif kind == "history" and rest.isdigit() and int(rest) in history:
                    self.open_chat_history(history[int(rest)], focus=False)
                elif kind == "search" and rest.strip():
                    tab = SearchTab(backend, rest, self._tasks, self.tabs)
                    tab.clientActivated.connect(self.open_client)
                    self.open_tab(key, tab, tab.title(), focus=False)
            for chat in sorted(mine.values(), key=lambda c: c.id):
                self.open_chat(chat, focus=False)
            i = self.find_tab(current) if current else -1
            if i >= 0:
                self.tabs.setCurrentIndex(i)
        finally:
            self._restoring = False
        self.save_tabs()
        if mine or keys:
            log.info("restored %d tabs", self.tabs.count() - 1)

    # -- reacting to the backend -------------------------------------------------------------------

    def _on_event(self, event: ServerEvent) -> None:
        self.queue_model.apply_event(event)
        if event.type == EventType.CHAT_MESSAGE:
            self._chat_message(event.data)
        elif event.type in (EventType.TICKET_POST, EventType.TICKET_UPDATED,
                            EventType.TICKET_CREATED):
            self._ticket_event(event)
        elif event.type == EventType.CLIENT_UPDATED:
            # an open client tab applies a colleague's change to its row or header
            i = self.find_tab(f"client:{getattr(event.data, 'client_id', None)}")
            tab = self.tabs.widget(i) if i >= 0 else None
            if isinstance(tab, ClientTab):
                tab.apply_event(event)

    def _chat_message(self, data: Any) -> None:
        chat = getattr(data, "chat", None)
        message = getattr(data, "message", None)
        if chat is None or message is None or self._agent is None:
            return
        me = self._agent.id
        if message.author_kind == AuthorKind.AGENT and message.author_id == me:
            return
        tab = self.chat_tab(chat.id)
        if tab is None and chat.assignee_id != me:
            return
        if self.is_chat_on_screen(chat.id):
            return
        if tab is not None:
            self._unread[chat.id] = self._unread.get(chat.id, 0) + 1
            self._paint_tab(tab)
        if message.author_kind == AuthorKind.VISITOR:
            self.chatMessageOffScreen.emit(chat, message)

    def _queue_chats_arrived(self, chats: list) -> None:
        # inserted by events, or found by a reload (a chat that came in while the desk was
        # reconnecting, or during the first load, must ring just the same)
        if not self.is_online:
            return
        for chat in chats:
            self.newWaitingChat.emit(chat)

    def _reload_lists(self, _item: object = None) -> None:
        """The workspace's reconnect policy asks every list to reload once (the list of chats is
        reloaded by ``WorkspaceSignals``; chat tabs reload themselves)."""
        i = self.find_tab("tickets")
        tickets = self.tabs.widget(i) if i >= 0 else None
        if isinstance(tickets, TicketsTab):
            tickets.schedule_reload()

    def _update_agent(self) -> None:
        online = self.is_online
        was = self._last_online
        if self._agent is not None and online != was:
            self._last_online = online
            self.onlineChanged.emit(online)
            if was and not online:
                self._close_chat_tabs()
        self.waiting_counter.emit_waiting()
        self._paint_agent()

    def _paint_agent(self) -> None:
        agent = self._agent
        self.top_bar.paint_agent(agent)
        self.commands.refresh()                 # Online/Offline check marks, what is enabled
        parts = [agent.display_name, self.tr("Online") if self.is_online else self.tr("Offline")] \
            if agent is not None else []
        if agent is not None and self._server_label:
            parts.append(self._server_label)
        self.agent_label.setText(" · ".join(parts))

    # -- actions ----------------------------------------------------------------------------------

    def set_status(self, status: AgentStatus) -> None:
        """Ask the server for Online/Offline (coalesced by the workspace)."""
        if self._workspace is not None:
            self._workspace.set_status(status)

    def _status_changed(self, agent: Agent) -> None:
        self.show_message(self.tr("You are online: new chats can be assigned to you.")
                          if agent.status == AgentStatus.ONLINE else
                          self.tr("You are offline: your chats went back to the list of chats."))

    def _status_failed(self, message: str) -> None:
        self.show_message(message)
        self._paint_agent()                      # put the check marks back to the real state

    def _on_queue_activated(self, index: QModelIndex) -> None:
        chat_id = index.data(QueueModel.ChatIdRole)
        if chat_id is not None:
            self.take_chat(int(chat_id))

    def take_chat(self, chat_id: int) -> None:
        """Take a chat from the list (``ui/take_chat.py``; the rule is the workspace's)."""
        self.taker.take(chat_id)

    # -- user menu: settings, change log -----------------------------------------------------------

    def open_settings(self) -> None:
        if self._prefs is None:
            return
        if self._settings_dialog is None:
            self._settings_dialog = SettingsDialog(self._prefs, self, sound_names=SOUND_NAMES,
                                                   commands=self.commands)
        self._settings_dialog.open_dialog()

    @property
    def settings_dialog(self) -> SettingsDialog | None:
        return self._settings_dialog

    def open_changelog(self) -> None:
        """The release notes in a tab (our own Markdown), plus the server's entries as plain text."""
        if self.find_tab("changelog") >= 0:
            self.open_tab("changelog", QWidget(), "")
            return
        view = ChangelogView(self.tabs)
        view.setObjectName("changelogView")
        self.open_tab("changelog", view, self.tr("What's new"))
        if self._changelog_tracker is not None:
            self._changelog_tracker.mark_seen()
            self.changelog_button.set_new(False)
        if self._backend is not None:
            self._tasks.spawn(self._load_server_changelog(self._backend, view), name="changelog")

    async def _load_server_changelog(self, backend: Backend, view: ChangelogView) -> None:
        try:
            page = await backend.changelog()
        except BackendError as exc:
            log.info("server change log not loaded: %s", exc.message)
            return
        if qt_is_valid(view):
            view.set_server_entries(page.items)

    # -- window state -------------------------------------------------------------------------------

    def restore_geometry(self) -> None:
        if self._state is None:
            return
        try:
            geometry = self._state.get(GEOMETRY_KEY)
            if geometry:
                self.restoreGeometry(QByteArray(base64.b64decode(geometry)))
            state = self._state.get(WINDOW_STATE_KEY)
            if state:
                self.restoreState(QByteArray(base64.b64decode(state)))
        except (ValueError, TypeError):
            log.warning("ignoring unreadable saved window geometry")

    def save_geometry(self) -> None:
        if self._state is None:
            return
        self._state.set(GEOMETRY_KEY, base64.b64encode(bytes(self.saveGeometry().data())).decode())
        self._state.set(WINDOW_STATE_KEY, base64.b64encode(bytes(self.saveState().data())).decode())
        if self._save_timer.isActive():
            self.save_tabs()

    def save_everything(self) -> None:
        """Hand every store what it holds now (geometry, open tabs, drafts) and have the writer
        start at once (core/persist.py); the app's quit path waits for it."""
        self.save_geometry()
        self.save_tabs()
        for tab in self.chat_tabs():
            tab.drafts.set(tab.chat_id, tab.composer.toPlainText())
        if self._workspace is not None:
            for store in (self._workspace.drafts, self._workspace.ticket_drafts):
                store.save()
        persist.writer().flush_soon()

    def closeEvent(self, event: QEvent) -> None:
        self.save_everything()
        super().closeEvent(event)
        self.quitRequested.emit()

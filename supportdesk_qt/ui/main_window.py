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

from supportdesk_protocol.schemas import Agent, AgentStatus, Chat, ChatState
from supportdesk_qt.backend.base import Backend, BackendError
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
    Qt,
    QTabWidget,
    QWidget,
    Signal,
)
from supportdesk_qt.ui import command_palette
from supportdesk_qt.ui.bridge import Bridge
from supportdesk_qt.ui.chat.chat_tab import ChatTab
from supportdesk_qt.ui.chat.history_view import ChatHistoryTab
from supportdesk_qt.ui.desk_actions import DeskActions
from supportdesk_qt.ui.client.client_tab import ClientTab
from supportdesk_qt.ui.connection_light import ConnectionLight
from supportdesk_qt.ui.models.queue_model import QueueModel
from supportdesk_qt.ui.panels.changelog import ChangelogTab, ChangelogTracker
from supportdesk_qt.ui.panels.network import NetworkPanel
from supportdesk_qt.ui.panels.notifications_log import NotificationLogPanel
from supportdesk_qt.ui.panels.settings_dialog import SettingsDialog
from supportdesk_qt.ui.queue_page import QueueHistory, QueuePage
from supportdesk_qt.ui.queue_popup import QueuePopup
from supportdesk_qt.ui.search.search_tab import SearchTab
from supportdesk_qt.ui.take_chat import ChatTaker
from supportdesk_qt.ui.tabs import EventRouter, TabContext
from supportdesk_qt.ui.tabs.manager import TabManager
from supportdesk_qt.ui.tabs.memory import TabMemory
from supportdesk_qt.ui.tasks import TaskRegistry
from supportdesk_qt.ui.tickets.ticket_tab import TicketTab
from supportdesk_qt.ui.tickets.tickets_tab import TicketsTab
from supportdesk_qt.ui.top_bar import TopBar
from supportdesk_qt.ui.waiting_counter import WaitingCounter
from supportdesk_qt.ui.workspace_signals import WorkspaceSignals
from supportdesk_qt.ui.workspace_tabs import WorkspaceTabs
from supportdesk_qt.version import app_version

log = logging.getLogger("supportdesk.ui.main")

GEOMETRY_KEY = "main_window_geometry"      # options of core.settings.WindowState
WINDOW_STATE_KEY = "main_window_state"
STATUS_MESSAGE_MS = 8000
#: the kinds of tab the window opens (ui/tabs/contract.py), each built from its key
TAB_KINDS = (ChatTab, ChatHistoryTab, ClientTab, TicketTab, TicketsTab, SearchTab, ChangelogTab)


class StateStore(Protocol):
    """Where window state lives, apart from preferences (``core.settings.WindowState``)."""

    def get(self, key: str) -> Any: ...
    def set(self, key: str, value: Any) -> None: ...


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
        self._changelog_tracker = (ChangelogTracker(state, version or app_version())
                                   if isinstance(state, WindowState) else None)

        self._build_top_bar()
        self._build_tabs()
        self._build_status_bar()
        self._build_shortcuts()
        self.queue_popup = QueuePopup(self.queue_model, self.queue_history, self)
        self.queue_popup.chatActivated.connect(self.take_chat)
        self.connection_light = ConnectionLight(self.status_button, self)
        self.waiting_counter = WaitingCounter(self.queue_model, self.counter_button, self,
                                              lambda: self.is_online)
        self.waiting_counter.waitingCountChanged.connect(self.waitingCountChanged)
        self.taker = ChatTaker(tasks, self.queue_model, self.queue_popup, lambda: self._workspace,
                               self.open_chat, self.show_message, self)
        self.taker.chatTaken.connect(self.chatTaken)

        bridge.connectionChanged.connect(self.connection_light.show_change)
        bridge.serverEvent.connect(self.queue_model.apply_event)
        bridge.serverEvent.connect(self.tab_context.events.route)   # to the tabs, after the window
        bridge.resynced.connect(self.tab_context.events.resynced)
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
        """The tabs (ui/tabs/): one context for every tab, the manager, saving them."""
        self.tab_context = TabContext(
            self._tasks, backend=lambda: self.backend, bridge=self._bridge, events=EventRouter(),
            drafts=lambda: self._workspace.drafts if self._workspace else None,
            ticket_drafts=lambda: self._workspace.ticket_drafts if self._workspace else None,
            outbox=lambda: self._outbox, agent=lambda: self.agent,
            department_name=self.queue_model.department_name)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("tabs")
        self.workspace_tabs = WorkspaceTabs(self.tabs)     # icons, short titles, scrolling
        self.queue_page = QueuePage(self.tab_context, self.queue_model, self.queue_history,
                                    self.tabs)
        self.queue_view = self.queue_page.view
        self.queue_view.activated.connect(self._on_queue_activated)
        self.tab_manager = TabManager(self.tabs, self.tab_context, TAB_KINDS, self.queue_page,
                                      self.workspace_tabs, self)
        self.tab_manager.statusMessage.connect(self.show_message)
        self.tab_manager.chatMessageOffScreen.connect(self.chatMessageOffScreen)
        self.tab_manager.ticketPostOffScreen.connect(self.ticketPostOffScreen)
        self.tab_memory = TabMemory(self.tab_manager, self._state, lambda: self._agent, self)
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
        command_palette.install(self, self._tasks, self._prefs)    # Ctrl+K and F1

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
        self.tab_memory.close_all()  # drafts kept; the saved list is not overwritten
        self.queue_popup.hide()
        self._workspace = workspace
        self.tab_context.workspace = workspace
        self._server_label = workspace.server_label if workspace is not None else ""
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
            self._restore_task = self.tab_memory.start_restore(
                workspace.backend, workspace.agent, partial(self._my_chats, workspace))

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
        elif kind == "chat" and rest.isdigit():
            chat_id = int(rest)
            if self.queue_model.chat(chat_id) is not None:
                self.take_chat(chat_id)
            elif self._backend is not None:
                self.tab_memory.scope.spawn(self._open_chat_by_id(self._backend, chat_id),
                                            name="open-chat")
        elif kind == "search":
            self.open_search(rest)
        elif kind == "changelog":
            self.open_changelog()
        elif kind == "queue":
            self.show_queue()
        elif self._backend is not None and kind in ("ticket", "tickets", "client"):
            self.tab_manager.open(key)

    def set_online(self, online: bool) -> None:
        """Same as Online/Offline in the user menu."""
        self.set_status(AgentStatus.ONLINE if online else AgentStatus.OFFLINE)

    @property
    def is_online(self) -> bool:
        return self._workspace is not None and self._workspace.is_online

    # -- tabs (ui/tabs/: the manager opens, closes and paints them; the window wires) -----------

    def find_tab(self, key: str) -> int:
        return self.tab_manager.find_tab(key)

    def tab_keys(self) -> list[str]:
        return self.tab_manager.tab_keys()

    def chat_tab(self, chat_id: int) -> ChatTab | None:
        return self.tab_manager.tab(f"chat:{chat_id}")

    def chat_tabs(self) -> list[ChatTab]:
        return self.tab_manager.tabs_of_kind("chat")

    def ticket_tab(self, ticket_id: int) -> TicketTab | None:
        return self.tab_manager.tab(f"ticket:{ticket_id}")

    def is_chat_on_screen(self, chat_id: int) -> bool:
        """The chat's tab is the current tab of a visible, active, not minimised window."""
        return self.tab_manager.is_on_screen(f"chat:{chat_id}")

    def is_ticket_on_screen(self, ticket_id: int) -> bool:
        return self.tab_manager.is_on_screen(f"ticket:{ticket_id}")

    def close_tab(self, index: int) -> None:
        self.tab_manager.close_tab(index)

    def close_current_tab(self) -> None:
        self.tab_manager.close_current_tab()

    def cycle_tabs(self, step: int) -> None:
        self.tab_manager.cycle_tabs(step)

    def save_tabs(self) -> None:
        self.tab_memory.save()

    def _open(self, key: str, snapshot: Any = None, focus: bool = True) -> Any:
        return self.tab_manager.open(key, snapshot, focus=focus) if self._backend else None

    def open_search(self, query: str) -> None:
        if query.strip() and self._open(f"search:{query.strip()}") is not None:
            self.search_bar.hide_popup()

    def open_client(self, client_id: int, focus: bool = True) -> None:
        if self._open(f"client:{client_id}", focus=focus) is not None:
            self.search_bar.hide_popup()

    def open_ticket(self, ticket_id: int, focus: bool = True) -> None:
        self._open(f"ticket:{ticket_id}", focus=focus)

    def open_tickets(self, focus: bool = True) -> None:
        """The tickets tab (my tickets, my departments', filters): one at a time."""
        self._open("tickets", focus=focus)

    def open_chat(self, chat: Chat, focus: bool = True) -> ChatTab | None:
        """A chat assigned to me, in its tab (the existing tab if there is one)."""
        return self._open(f"chat:{chat.id}", chat, focus)

    def open_chat_history(self, chat: Chat, focus: bool = True) -> ChatHistoryTab | None:
        """An earlier chat of the visitor or client (seed item 7), read-only, in a tab."""
        return self._open(f"history:{chat.id}", chat, focus)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.tab_manager.clear_unread_of_current()

    async def _open_chat_by_id(self, backend: Backend, chat_id: int) -> None:
        try:
            chat = await backend.get_chat(chat_id)
        except BackendError as exc:
            self.show_message(exc.message)
            return
        if backend is not self._backend:
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

    async def _my_chats(self, workspace: Workspace) -> dict[int, Chat]:
        """My chats, to reopen at sign-in (the directory first: a chat tab shows its
        department's name)."""
        try:
            await workspace.load_directory()
            return {c.id: c for c in await workspace.my_chats()}
        except BackendError as exc:
            log.warning("my chats could not be loaded: %s", exc.message)
            if workspace is self._workspace:
                self.show_message(self.tr("Your open chats could not be loaded: %1").replace(
                    "%1", exc.message))
            return {}

    # -- reacting to the backend -------------------------------------------------------------------

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
        tickets = self.tab_manager.tab("tickets")
        if tickets is not None:
            tickets.schedule_reload()

    def _update_agent(self) -> None:
        online = self.is_online
        was = self._last_online
        if self._agent is not None and online != was:
            self._last_online = online
            self.onlineChanged.emit(online)
            if was and not online:
                self.tab_manager.remove_kind("chat")    # drafts kept; the server requeues them
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
        if self.tab_manager.open("changelog") is not None and self._changelog_tracker is not None:
            self._changelog_tracker.mark_seen()
            self.changelog_button.set_new(False)

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
        if self.tab_memory.pending:
            self.tab_memory.save()

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

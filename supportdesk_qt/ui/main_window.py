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

The window is layout and wiring (at most 400 lines; ``tests/unit/test_file_sizes.py``). What it
wires lives in small modules: the commands (``desk_actions.py``, the registry ``actions.py``),
the top bar (``top_bar.py``), the tabs (``tabs/manager.py`` opens, finds and closes them;
``tabs/memory.py`` saves them), going to what a key names and reopening my chats
(``navigator.py``), the agent's name and status (``agent_view.py``), taking a chat
(``take_chat.py``), geometry and the hand-over at quit (``window_memory.py``).
"""

from __future__ import annotations

from functools import partial

import asyncio
import logging

from supportdesk_protocol.schemas import Agent, AgentStatus
from supportdesk_qt.backend.base import Backend
from supportdesk_qt.core.outbox import Outbox
from supportdesk_qt.core.settings import Preferences, WindowState
from supportdesk_qt.core.workspace import Workspace
from supportdesk_qt.platform.sound import SOUND_NAMES
from supportdesk_qt.qt import QEvent, QMainWindow, QModelIndex, Qt, QTabWidget, QWidget, Signal
from supportdesk_qt.ui import command_palette
from supportdesk_qt.ui.agent_view import AgentView
from supportdesk_qt.ui.bridge import Bridge
from supportdesk_qt.ui.chat.chat_tab import ChatTab
from supportdesk_qt.ui.chat.history_view import ChatHistoryTab
from supportdesk_qt.ui.desk_actions import DeskActions
from supportdesk_qt.ui.client.client_tab import ClientTab
from supportdesk_qt.ui.connection_light import ConnectionLight
from supportdesk_qt.ui.models.queue_model import QueueModel
from supportdesk_qt.ui.navigator import Navigator
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
from supportdesk_qt.ui.window_memory import StateStore, WindowMemory
from supportdesk_qt.ui.workspace_signals import WorkspaceSignals
from supportdesk_qt.ui.workspace_tabs import WorkspaceTabs
from supportdesk_qt.version import app_version

log = logging.getLogger("supportdesk.ui.main")

STATUS_MESSAGE_MS = 8000
#: the kinds of tab the window opens (ui/tabs/contract.py), each built from its key
TAB_KINDS = (ChatTab, ChatHistoryTab, ClientTab, TicketTab, TicketsTab, SearchTab, ChangelogTab)


class MainWindow(QMainWindow):
    #: The person chose "Log out" in the user menu.
    logoutRequested = Signal()
    #: The person chose "Quit" (or closed the window; the app decides about the tray).
    quitRequested = Signal()
    #: "Show SupportDesk" (the tray menu): the desktop integration brings the desk up.
    showRequested = Signal()
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
        self._restore_task: asyncio.Task | None = None
        self._settings_dialog: SettingsDialog | None = None

        self.queue_model = QueueModel(self)
        # bridge -> workspace, workspace -> Qt signals and the list of chats
        self.workspace_signals = WorkspaceSignals(bridge, tasks, self.queue_model, self)
        self.queue_history = QueueHistory(tasks, lambda: self.backend, self)
        # the panels exist before the bridge attaches, so no request record is missed
        self.network_panel = NetworkPanel(self)
        bridge.requestLogged.connect(self.network_panel.model.add)
        self.notifications_panel = NotificationLogPanel(self)
        self._changelog_tracker = (ChangelogTracker(state, version or app_version())
                                   if isinstance(state, WindowState) else None)

        self._build_top_bar()
        self._build_tabs()
        self.agent_view = AgentView(self, self.top_bar, self.commands, self.workspace_signals,
                                    self.show_message)
        self.agent_label = self.agent_view.label
        self.commands.watch()          # the shortcuts are the commands' (tabs exist now)
        command_palette.install(self, self._tasks, self._prefs)    # Ctrl+K and F1
        self.queue_popup = QueuePopup(self.queue_model, self.queue_history, self)
        self.queue_popup.chatActivated.connect(self.take_chat)
        self.connection_light = ConnectionLight(self.status_button, self)
        self.waiting_counter = WaitingCounter(self.queue_model, self.counter_button, self,
                                              lambda: self.is_online)
        self.waiting_counter.waitingCountChanged.connect(self.waitingCountChanged)
        self.agent_view.updated.connect(self.waiting_counter.emit_waiting)
        self.agent_view.onlineChanged.connect(self.onlineChanged)
        # Online -> Offline: the server put my chats back in the list (drafts are kept)
        self.agent_view.wentOffline.connect(lambda: self.tab_manager.remove_kind("chat"))
        self.taker = ChatTaker(tasks, self.queue_model, self.queue_popup, lambda: self._workspace,
                               self.tab_manager.open_chat, self.show_message, self)
        self.taker.chatTaken.connect(self.chatTaken)
        self.navigator = Navigator(  # what a key names: notifications, the log, a second launch
            self.tab_manager, self.tab_memory.scope, self.queue_model, lambda: self._workspace,
            take_chat=self.take_chat, show_queue=self.show_queue,
            open_changelog=self.open_changelog, show_message=self.show_message, parent=self)
        self.notifications_panel.openRequested.connect(
            lambda key: (self.show_and_raise(), self.navigator.open_key(key)))

        bridge.connectionChanged.connect(self.connection_light.show_change)
        bridge.serverEvent.connect(self.queue_model.apply_event)
        bridge.serverEvent.connect(self.tab_context.events.route)   # to the tabs, after the window
        bridge.resynced.connect(self.tab_context.events.resynced)
        signals = self.workspace_signals
        signals.reloadRequested.connect(self._reload_lists)
        signals.queueLoadFailed.connect(lambda message: self.show_message(
            self.tr("The list of chats could not be loaded: %1").replace("%1", message)))
        self.queue_model.arrived.connect(self._queue_chats_arrived)

        self.waiting_counter.show_count(0)
        self.connection_light.show_change(bridge.connection)
        self.agent_view.update()
        self.resize(1180, 760)
        self.memory = WindowMemory(self, state, self.tab_memory, lambda: self._workspace)
        self.memory.restore_geometry()

    # -- construction ---------------------------------------------------------------------------

    def _build_top_bar(self) -> None:
        """The commands (``ui/desk_actions.py``) and the top bar built from them."""
        self.commands = DeskActions(self, self._prefs)
        bar = self.top_bar = TopBar(self.commands, self._tasks, self._changelog_tracker, self)
        bar.search_bar.clientActivated.connect(
            lambda cid: self._opened_from_search(self.tab_manager.open_client(cid)))
        bar.search_bar.searchRequested.connect(
            lambda query: self._opened_from_search(self.tab_manager.open_search(query)))
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
            department_name=self.queue_model.department_name, commands=self.commands)
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
        self.tab_memory = TabMemory(self.tab_manager, self._state, lambda: self.agent, self)
        self.setCentralWidget(self.tabs)

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
        self.queue_model.clear()
        self.queue_model.set_agent(self.agent)
        self.workspace_signals.set_workspace(workspace)
        backend = self.backend
        self.search_bar.backend = backend          # type: ignore[assignment]
        self.search_bar.setEnabled(backend is not None)
        self.search_bar.clear()
        self.agent_view.set_workspace(workspace)
        if workspace is not None:
            self._restore_task = self.tab_memory.start_restore(
                workspace.backend, workspace.agent, partial(self.navigator.my_chats, workspace))

    def show_message(self, text: str, timeout: int = STATUS_MESSAGE_MS) -> None:
        self.statusBar().showMessage(text, timeout)

    def show_queue(self) -> None:
        self.tabs.setCurrentWidget(self.queue_page)
        self.queue_view.setFocus()
        if not self.queue_view.currentIndex().isValid() and self.queue_model.rowCount():
            self.queue_view.setCurrentIndex(self.queue_model.index(0))

    def _opened_from_search(self, tab: QWidget | None) -> None:
        if tab is not None:
            self.search_bar.hide_popup()

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

    def set_online(self, online: bool) -> None:
        """Same as Online/Offline in the user menu."""
        self.set_status(AgentStatus.ONLINE if online else AgentStatus.OFFLINE)

    @property
    def is_online(self) -> bool:
        return self._workspace is not None and self._workspace.is_online

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.tab_manager.clear_unread_of_current()

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

    # -- actions ----------------------------------------------------------------------------------

    def set_status(self, status: AgentStatus) -> None:
        """Ask the server for Online/Offline (coalesced by the workspace)."""
        if self._workspace is not None:
            self._workspace.set_status(status)

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

    def closeEvent(self, event: QEvent) -> None:  # noqa: N802
        self.memory.save_everything()
        super().closeEvent(event)
        self.quitRequested.emit()

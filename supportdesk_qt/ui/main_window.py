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
:class:`TaskRegistry` (to run the backend's coroutines) and the current backend + agent through
:meth:`MainWindow.set_session`. App-level actions it cannot do itself (log out, quit, show the
change log, search) are signals the app (and the workplace-shell issue) connects to.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from supportdesk_protocol.events import EventType
from supportdesk_protocol.schemas import Agent, AgentStatus, Chat, Role
from supportdesk_qt.backend.base import (
    Backend,
    BackendError,
    Conflict,
    ConnectionChanged,
    ConnectionState,
    NotFound,
    Resynced,
    ServerEvent,
)
from supportdesk_qt.qt import (
    QAbstractItemView,
    QAction,
    QActionGroup,
    QByteArray,
    QDateTime,
    QEvent,
    QFrame,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListView,
    QLocale,
    QMainWindow,
    QMenu,
    QModelIndex,
    QPalette,
    QShortcut,
    QSize,
    QSizePolicy,
    QStackedWidget,
    Qt,
    QTabWidget,
    QTextBrowser,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.bridge import Bridge
from supportdesk_qt.ui.delegates.queue_delegate import QueueDelegate
from supportdesk_qt.ui.models.queue_model import QueueModel
from supportdesk_qt.ui.panels.notifications_log import NotificationLogPanel
from supportdesk_qt.ui.tasks import TaskRegistry
from supportdesk_qt.ui.widgets import AvatarButton, CounterButton

log = logging.getLogger("supportdesk.ui.main")

GEOMETRY_KEY = "main_window_geometry"      # options of core.settings.WindowState
WINDOW_STATE_KEY = "main_window_state"
STATUS_MESSAGE_MS = 8000


class StateStore(Protocol):
    """Where window state lives, apart from preferences (``core.settings.WindowState``)."""

    def get(self, key: str) -> Any: ...
    def set(self, key: str, value: Any) -> None: ...


def changelog_text() -> str:
    """``CHANGELOG.md`` from the package resources, or from the checkout's ``resources/``."""
    candidates = [resources.files("supportdesk_qt") / "resources" / "CHANGELOG.md",
                  Path(__file__).resolve().parents[2] / "resources" / "CHANGELOG.md"]
    for path in candidates:
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, FileNotFoundError):
            continue
    return ""


def _to_qdatetime(dt: datetime) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(int(dt.timestamp() * 1000))


class QueueView(QListView):
    """The list of waiting chats. Enter and double-click both "activate" (take) a chat."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queueView")
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMouseTracking(True)
        self.setSpacing(0)


class QueuePage(QWidget):
    """The queue tab: the list, or a friendly empty state when nobody is waiting."""

    def __init__(self, model: QueueModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queuePage")
        self.model = model
        self.view = QueueView(self)
        self.view.setModel(model)
        self.view.setItemDelegate(QueueDelegate(self.view))

        self.empty = QLabel(self)
        self.empty.setObjectName("queueEmpty")
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        pal = self.empty.palette()
        pal.setColor(QPalette.ColorRole.WindowText, theme.muted_text(self.palette()))
        self.empty.setPalette(pal)

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        model.countChanged.connect(self._update)
        model.modelReset.connect(self._update)
        model.loadingChanged.connect(self._update)
        self._update()

    def _update(self, *_: object) -> None:
        if self.model.rowCount():
            self.stack.setCurrentWidget(self.view)
            return
        if self.model.loading:
            self.empty.setText(self.tr("Loading the chats waiting for you…"))
        else:
            self.empty.setText(self.tr("No chats are waiting.\n"
                                       "A new chat shows up here the moment a visitor writes."))
        self.stack.setCurrentWidget(self.empty)


class ChatPlaceholderPage(QWidget):
    """A taken chat. The conversation itself is the chat-workspace issue; this shows what we know."""

    def __init__(self, chat: Chat, department: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatPage")
        self.chat_id = chat.id
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        name = QLabel(chat.client_name or chat.visitor_name or self.tr("Visitor"), self)
        name.setTextFormat(Qt.TextFormat.PlainText)
        f = name.font()
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        name.setFont(f)
        layout.addWidget(name)
        details = [department]
        if chat.visitor.page_url:
            details.append(chat.visitor.page_url)
        info = QLabel("\n".join(details), self)
        info.setTextFormat(Qt.TextFormat.PlainText)
        info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(info)
        if chat.last_message_preview:
            preview = QLabel(chat.last_message_preview, self)
            preview.setTextFormat(Qt.TextFormat.PlainText)
            preview.setWordWrap(True)
            preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(preview)
        layout.addStretch(1)


class MainWindow(QMainWindow):
    #: The person chose "Log out" in the user menu.
    logoutRequested = Signal()
    #: The person chose "Quit" (or closed the window; the app decides about the tray).
    quitRequested = Signal()
    #: Enter in the search field: the text to search for (the workplace-shell issue connects it).
    searchRequested = Signal(str)
    #: The change log button was clicked.
    changelogRequested = Signal()
    #: The connection status light was clicked (the network request panel, later).
    statusClicked = Signal()
    #: A chat was taken by this agent (the chat workspace opens it).
    chatTaken = Signal(object)
    #: The number of chats waiting that this agent may take (0 while offline). For the tray.
    waitingCountChanged = Signal(int)
    #: A chat newly entered the list of chats (the Chat snapshot). For notifications and sound.
    newWaitingChat = Signal(object)
    #: A visitor message arrived for one of my chats that is not on screen: (Chat, ChatMessage).
    chatMessageOffScreen = Signal(object, object)
    #: This agent went online (True) or offline (False).
    onlineChanged = Signal(bool)

    def __init__(self, bridge: Bridge, tasks: TaskRegistry, state: StateStore | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("SupportDesk"))
        self._bridge = bridge
        self._tasks = tasks
        self._state = state
        self._backend: Backend | None = None
        self._agent: Agent | None = None
        self._server_label = ""
        self._connection = bridge.connection
        self._taking: set[int] = set()
        self._departments_loaded = False
        self._reload_task: asyncio.Task | None = None
        self._last_waiting = 0
        self._last_online: bool | None = None

        self.queue_model = QueueModel(self)
        self.notifications_panel = NotificationLogPanel(self)
        self.notifications_panel.openRequested.connect(self.open_key)
        self._build_top_bar()
        self._build_tabs()
        self._build_status_bar()
        self._build_shortcuts()

        bridge.connectionChanged.connect(self._on_connection)
        bridge.serverEvent.connect(self._on_event)
        bridge.resynced.connect(self._on_resynced)
        self.queue_model.countChanged.connect(self._update_counter)

        self._update_counter(0)
        self._on_connection(self._connection)
        self._update_agent()
        self.resize(1100, 720)
        self.restore_geometry()

    # -- construction ---------------------------------------------------------------------------

    def _build_top_bar(self) -> None:
        bar = QToolBar(self.tr("Top bar"), self)
        bar.setObjectName("topBar")
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.toggleViewAction().setVisible(False)
        bar.setIconSize(QSize(20, 20))
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        bar.setContentsMargins(6, 3, 6, 3)
        self.top_bar = bar
        pal = self.palette()

        # 1. client search (top left)
        self.search_edit = QLineEdit(bar)
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setPlaceholderText(
            self.tr("Search clients: login, e-mail, service, payment, domain, IP…"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.addAction(theme.icon("search", pal, QPalette.ColorRole.PlaceholderText),
                                   QLineEdit.ActionPosition.LeadingPosition)
        self.search_edit.setMinimumWidth(280)
        self.search_edit.setMaximumWidth(480)
        self.search_edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.search_edit.returnPressed.connect(self._on_search)
        bar.addWidget(self.search_edit)

        spacer = QWidget(bar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)

        # 3. connection status light
        self.status_button = QToolButton(bar)
        self.status_button.setObjectName("statusButton")
        self.status_button.setAutoRaise(True)
        self.status_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.status_button.clicked.connect(self.statusClicked)
        bar.addWidget(self.status_button)

        # 4. waiting-chat counter
        self.counter_button = CounterButton(bar)
        self.counter_button.setObjectName("counterButton")
        self.counter_button.setIcon(theme.icon("chats", pal))
        self.counter_button.clicked.connect(self.show_queue)
        bar.addWidget(self.counter_button)

        # 6. change log
        self.changelog_button = QToolButton(bar)
        self.changelog_button.setObjectName("changelogButton")
        self.changelog_button.setAutoRaise(True)
        self.changelog_button.setIcon(theme.icon("changelog", pal))
        self.changelog_button.setToolTip(self.tr("What's new in SupportDesk"))
        self.changelog_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.changelog_button.clicked.connect(self.changelogRequested)
        bar.addWidget(self.changelog_button)

        # 5. avatar and user menu
        self.avatar_button = AvatarButton(bar)
        self.avatar_button.setObjectName("avatarButton")
        self.user_menu = QMenu(self.avatar_button)
        self.user_menu.setObjectName("userMenu")
        self._menu_header = self.user_menu.addAction("")
        self._menu_header.setEnabled(False)
        self.user_menu.addSeparator()
        group = QActionGroup(self)
        group.setExclusive(True)
        self.online_action = QAction(self.tr("&Online — take new chats"), self, checkable=True)
        self.online_action.setObjectName("onlineAction")
        self.offline_action = QAction(self.tr("O&ffline"), self, checkable=True)
        self.offline_action.setObjectName("offlineAction")
        for a in (self.online_action, self.offline_action):
            group.addAction(a)
            self.user_menu.addAction(a)
        self.online_action.triggered.connect(lambda: self.set_status(AgentStatus.ONLINE))
        self.offline_action.triggered.connect(lambda: self.set_status(AgentStatus.OFFLINE))
        self.user_menu.addSeparator()
        self.logout_action = self.user_menu.addAction(self.tr("&Log out"))
        self.logout_action.setObjectName("logoutAction")
        self.logout_action.triggered.connect(self.logoutRequested)
        self.quit_action = self.user_menu.addAction(self.tr("&Quit SupportDesk"))
        self.quit_action.setObjectName("quitAction")
        self.quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        self.quit_action.triggered.connect(self.quitRequested)
        self.addAction(self.quit_action)
        self.avatar_button.setMenu(self.user_menu)
        bar.addWidget(self.avatar_button)
        self.avatar_button.setIconSize(QSize(30, 30))   # after addWidget: the bar sets its own size
        self.avatar_button.setFixedSize(self.avatar_button.sizeHint())
        self.counter_button.setIconSize(QSize(20, 20))
        self.search_edit.setMinimumHeight(30)

        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

    def _build_tabs(self) -> None:
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.setUsesScrollButtons(True)
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)
        self.tabs.tabCloseRequested.connect(self.close_tab)

        self.queue_page = QueuePage(self.queue_model, self.tabs)
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
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(lambda: (self.search_edit.setFocus(), self.search_edit.selectAll()))
        close = QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self)
        close.activated.connect(lambda: self.close_tab(self.tabs.currentIndex()))
        queue = QShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_1), self)
        queue.activated.connect(self.show_queue)

    # -- session ----------------------------------------------------------------------------------

    @property
    def backend(self) -> Backend | None:
        return self._backend

    @property
    def agent(self) -> Agent | None:
        return self._agent

    def set_session(self, backend: Backend | None, agent: Agent | None, server_label: str = "") -> None:
        """Show this agent's workplace (or nothing, with ``None`` after logout)."""
        if self._reload_task is not None and not self._reload_task.done():
            self._reload_task.cancel()      # a reload of the previous session must not land here
        self._reload_task = None
        self._backend = backend
        self._agent = agent
        self._server_label = server_label
        self._departments_loaded = False
        self.queue_model.clear()
        self.queue_model.set_agent(agent)
        for i in range(self.tabs.count() - 1, 0, -1):
            self.close_tab(i)
        self._update_agent()

    def show_message(self, text: str, timeout: int = STATUS_MESSAGE_MS) -> None:
        self.statusBar().showMessage(text, timeout)

    def show_queue(self) -> None:
        self.tabs.setCurrentWidget(self.queue_page)
        self.queue_view.setFocus()
        if not self.queue_view.currentIndex().isValid() and self.queue_model.rowCount():
            self.queue_view.setCurrentIndex(self.queue_model.index(0))

    # -- public API for the app and the desktop integration ----------------------------------------

    def show_and_raise(self) -> None:
        """Bring the window to the front (tray click, notification click, second launch)."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def open_key(self, key: str) -> None:
        """Open what a key names: ``chat:<id>``, ``ticket:<id>``, ``client:<id>``, ``search:<q>``."""
        kind, _, rest = key.partition(":")
        if kind == "chat" and rest.isdigit():
            i = self.find_tab(key)
            if i >= 0:
                self.tabs.setCurrentIndex(i)
            else:
                self.take_chat(int(rest))

    def set_online(self, online: bool) -> None:
        """Same as Online/Offline in the user menu."""
        self.set_status(AgentStatus.ONLINE if online else AgentStatus.OFFLINE)

    @property
    def is_online(self) -> bool:
        return self._agent is not None and self._agent.status == AgentStatus.ONLINE

    def is_chat_on_screen(self, chat_id: int) -> bool:
        """The chat's tab is the current tab of a visible, active, not minimised window."""
        widget = self.tabs.currentWidget()
        return (widget is not None and widget.property("tabKey") == f"chat:{chat_id}"
                and self.isVisible() and not self.isMinimized() and self.isActiveWindow())

    # -- tabs -----------------------------------------------------------------------------------

    def find_tab(self, key: str) -> int:
        for i in range(self.tabs.count()):
            if self.tabs.widget(i).property("tabKey") == key:
                return i
        return -1

    def open_tab(self, key: str, widget: QWidget, title: str, tooltip: str = "") -> int:
        """Show ``widget`` in a tab identified by ``key`` (an existing one is focused instead)."""
        i = self.find_tab(key)
        if i >= 0:
            widget.deleteLater()
        else:
            widget.setProperty("tabKey", key)
            i = self.tabs.addTab(widget, title)
            self.tabs.setTabToolTip(i, tooltip or title)
        self.tabs.setCurrentIndex(i)
        return i

    def close_tab(self, index: int) -> None:
        if index <= 0 and self.tabs.widget(index) is self.queue_page:
            return
        widget = self.tabs.widget(index)
        if widget is None or widget is self.queue_page:
            return
        self.tabs.removeTab(index)
        widget.deleteLater()

    # -- reacting to the backend -------------------------------------------------------------------

    def _on_connection(self, change: ConnectionChanged) -> None:
        self._connection = change
        labels = {
            ConnectionState.CONNECTED: self.tr("Connected"),
            ConnectionState.CONNECTING: self.tr("Connecting…"),
            ConnectionState.FAILED: self.tr("Connection failed"),
            ConnectionState.DISCONNECTED: self.tr("Offline"),
        }
        state = change.state
        self.status_button.setIcon(theme.dot_icon(theme.status_color(state, self.palette())))
        self.status_button.setText(labels.get(state, state.value))
        since = QLocale().toString(_to_qdatetime(change.since), QLocale.FormatType.ShortFormat)
        lines = [labels.get(state, state.value), self.tr("Since %1").replace("%1", since)]
        if change.reason:
            lines.append(change.reason)
        self.status_button.setToolTip("\n".join(lines))
        self.status_button.setProperty("connectionState", state.value)
        self.status_button.setAccessibleName(self.tr("Connection: %1").replace("%1", labels.get(state, "")))

    def _on_event(self, event: ServerEvent) -> None:
        self.queue_model.apply_event(event)
        if event.type == EventType.AGENT_STATUS and isinstance(event.data, Agent):
            if self._agent is not None and event.data.id == self._agent.id:
                self._agent = event.data
                self.queue_model.set_agent(event.data)
                self._update_agent()

    def _on_resynced(self, item: Resynced) -> None:
        backend = self._backend
        if backend is None:
            return
        self._reload_task = self._tasks.spawn(self._reload(backend), name="queue-reload")

    async def _reload(self, backend: Backend) -> None:
        try:
            if not self._departments_loaded:
                self.queue_model.set_departments(await backend.departments())
                self._departments_loaded = True
            await self.queue_model.reload(backend)
        except BackendError as exc:
            log.warning("queue reload failed: %s", exc.message)
            self.show_message(self.tr("The list of chats could not be loaded: %1").replace(
                "%1", exc.message))

    def _update_counter(self, count: int) -> None:
        text = QLocale().toString(count)
        self.counter_button.set_count(count, text)
        self.counter_button.setToolTip(self.tr("%n chat(s) waiting — click to see them", "", count))
        self.counter_button.setAccessibleName(self.tr("%n chat(s) waiting", "", count))
        self.counter_button.setProperty("waiting", count)
        i = self.tabs.indexOf(self.queue_page)
        self.tabs.setTabText(i, self.tr("Waiting chats (%1)").replace("%1", text) if count
                             else self.tr("Waiting chats"))
        self.setWindowTitle(self.tr("(%1) SupportDesk").replace("%1", text) if count
                            else self.tr("SupportDesk"))
        self._emit_waiting()

    def _emit_waiting(self) -> None:
        n = self.queue_model.rowCount() if self.is_online else 0
        if n != self._last_waiting:
            self._last_waiting = n
            self.waitingCountChanged.emit(n)

    def _update_agent(self) -> None:
        online = self.is_online
        if online != bool(self._last_online):
            self._last_online = online
            self.onlineChanged.emit(online)
        self._emit_waiting()
        self._paint_agent()

    def _paint_agent(self) -> None:
        agent = self._agent
        pal = self.palette()
        if agent is None:
            self.avatar_button.setIcon(theme.avatar_icon("", "", pal, 30))
            self.avatar_button.setToolTip("")
            self._menu_header.setText(self.tr("Not signed in"))
            self.agent_label.setText("")
            for a in (self.online_action, self.offline_action, self.logout_action):
                a.setEnabled(False)
            return
        online = agent.status == AgentStatus.ONLINE
        dot = theme.status_color(ConnectionState.CONNECTED if online else ConnectionState.DISCONNECTED, pal)
        self.avatar_button.setIcon(theme.avatar_icon(agent.display_name, agent.login, pal, 30, dot))
        role = {Role.AGENT: self.tr("Agent"), Role.HEAD: self.tr("Department head"),
                Role.ADMIN: self.tr("Administrator")}.get(agent.role, str(agent.role))
        self._menu_header.setText(f"{agent.display_name} · {role}")
        status = self.tr("Online") if online else self.tr("Offline")
        self.avatar_button.setToolTip(f"{agent.display_name} ({agent.login}) — {status}")
        self.avatar_button.setAccessibleName(self.tr("User menu of %1").replace("%1", agent.display_name))
        for a in (self.online_action, self.offline_action, self.logout_action):
            a.setEnabled(True)
        self.online_action.setChecked(online)
        self.offline_action.setChecked(not online)
        parts = [agent.display_name, status]
        if self._server_label:
            parts.append(self._server_label)
        self.agent_label.setText(" · ".join(parts))

    # -- actions ----------------------------------------------------------------------------------

    def _on_search(self) -> None:
        text = self.search_edit.text().strip()
        if not text:
            return
        self.searchRequested.emit(text)

    def set_status(self, status: AgentStatus) -> None:
        backend = self._backend
        if backend is None:
            return
        self._tasks.spawn(self._set_status(backend, status), name="set-status")

    async def _set_status(self, backend: Backend, status: AgentStatus) -> None:
        try:
            agent = await backend.set_status(status)
        except BackendError as exc:
            self.show_message(exc.message)
            self._update_agent()          # put the check marks back to the real state
            return
        if backend is self._backend:
            self._agent = agent
            self.queue_model.set_agent(agent)
            self._update_agent()
            self.show_message(self.tr("You are online: new chats can be assigned to you.")
                              if agent.status == AgentStatus.ONLINE else
                              self.tr("You are offline: your chats went back to the list of chats."))

    def _on_queue_activated(self, index: QModelIndex) -> None:
        chat_id = index.data(QueueModel.ChatIdRole)
        if chat_id is not None:
            self.take_chat(int(chat_id))

    def take_chat(self, chat_id: int) -> None:
        backend = self._backend
        if backend is None or chat_id in self._taking:
            return
        self._taking.add(chat_id)
        self._tasks.spawn(self._take(backend, chat_id), name=f"take-chat-{chat_id}")

    async def _take(self, backend: Backend, chat_id: int) -> None:
        queued = self.queue_model.chat(chat_id)
        try:
            chat = await backend.take_chat(chat_id)
        except Conflict:
            self.queue_model.remove_chat(chat_id)
            self.show_message(self.tr("A colleague took this chat first"))
            return
        except NotFound:
            self.queue_model.remove_chat(chat_id)
            self.show_message(self.tr("This chat is no longer available"))
            return
        except BackendError as exc:
            self.show_message(exc.message)
            return
        finally:
            self._taking.discard(chat_id)
        self.queue_model.remove_chat(chat_id)
        department = self.queue_model.department_name(chat.department_id)
        title = (chat.client_name or chat.visitor_name or (queued.visitor_name if queued else "")
                 or self.tr("Visitor"))
        self.open_tab(f"chat:{chat.id}", ChatPlaceholderPage(chat, department, self.tabs), title)
        self.show_message(self.tr("You took the chat with %1").replace("%1", title))
        self.chatTaken.emit(chat)

    # -- change log -------------------------------------------------------------------------------

    def open_changelog(self) -> None:
        """The release notes in a tab (our own Markdown file, so rendering it is safe)."""
        browser = QTextBrowser(self.tabs)
        browser.setObjectName("changelogView")
        browser.setOpenExternalLinks(True)
        browser.setFrameShape(QFrame.Shape.NoFrame)
        browser.document().setDocumentMargin(20)
        text = changelog_text()
        if text:
            browser.setMarkdown(text)
        else:
            browser.setPlainText(self.tr("The release notes are not included in this build."))
        self.open_tab("changelog", browser, self.tr("What's new"))

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

    def closeEvent(self, event: QEvent) -> None:
        self.save_geometry()
        super().closeEvent(event)
        self.quitRequested.emit()

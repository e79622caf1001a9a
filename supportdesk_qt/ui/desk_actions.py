"""The desk's commands, declared once (the registry itself is :mod:`.actions`).

Each command names what it does in the window: take the oldest waiting chat, Online/Offline,
forward or close the chat in front, insert a pre-defined reply, the tabs, the search bar, the
panels of the user menu, settings, log out, quit. The top bar's user menu and buttons
(:mod:`.top_bar`), the window's shortcuts, the settings' shortcuts page and, later, the command
palette and the shortcut sheet are all built from this one list (``DeskActions.entries()``).

The ``QActionGroup`` of Online/Offline lives here too, so the menu shows one check mark.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from supportdesk_protocol.schemas import Agent, AgentStatus
from supportdesk_qt.qt import QActionGroup, QKeySequence, QLineEdit, QTabWidget, QWidget
from supportdesk_qt.ui.actions import ActionRegistry
from supportdesk_qt.ui.chat.chat_tab import ChatTab
from supportdesk_qt.ui.models.queue_model import QueueModel
from supportdesk_qt.ui.tickets.ticket_tab import TicketTab
from supportdesk_qt.ui.tickets.tickets_tab import TicketsTab

if TYPE_CHECKING:
    from supportdesk_qt.core.settings import Preferences

#: The user menu, in order (None: a separator). The header line above it is the top bar's.
USER_MENU: tuple[str | None, ...] = (
    "status.online", "status.offline", None, "panel.network", "panel.notifications",
    "app.settings", None, "session.logout", "app.quit")
#: The tray icon's menu (``ui/desktop.py``): the same commands as the user menu, so the same
#: texts, check marks and enabled states.
TRAY_MENU: tuple[str | None, ...] = (
    "app.show", None, "status.online", "status.offline", None, "app.quit")

StdKey = QKeySequence.StandardKey


class MainWindow(Protocol):
    """What the commands act on: the main window (``ui/main_window.py``, which imports this
    module, so it is described here rather than imported)."""

    tabs: QTabWidget
    tab_manager: Any                    # ui/tabs/manager.TabManager
    queue_model: QueueModel
    search_bar: QLineEdit
    network_panel: Any                  # .show_panel()
    notifications_panel: Any
    logoutRequested: Any                # signals: .emit() / .connect()
    quitRequested: Any
    showRequested: Any
    changelogRequested: Any
    onlineChanged: Any

    def addAction(self, action: Any) -> None: ...  # noqa: N802 (Qt's name)
    @property
    def agent(self) -> Agent | None: ...
    @property
    def backend(self) -> Any: ...
    @property
    def is_online(self) -> bool: ...
    def set_status(self, status: AgentStatus) -> None: ...
    def take_chat(self, chat_id: int) -> None: ...
    def show_queue(self) -> None: ...
    def show_queue_popup(self) -> None: ...
    def open_settings(self) -> None: ...
    def open_changelog(self) -> None: ...


class DeskActions(ActionRegistry):
    """Every command of one main window. ``watch()`` once the window is built."""

    def __init__(self, window: MainWindow, prefs: Preferences | None = None) -> None:
        super().__init__(window)
        self._window = w = window
        self._declare_chats(w)
        self._declare_status(w)
        self._declare_tabs(w)
        self._declare_desk(w, prefs)
        if prefs is not None:
            self.bind(prefs)

    # -- the declarations ------------------------------------------------------------------------

    def _declare_chats(self, w: MainWindow) -> None:
        chats = self.tr("Chats")
        self.add("chat.take_oldest", self.tr("&Take the oldest waiting chat"), self._take_oldest,
                 shortcuts=("Ctrl+T",), enabled=self._oldest_waiting_exists, category=chats)
        self.add("chat.forward", self.tr("&Forward the chat…"),
                 lambda: self._open_chat().open_forward(), shortcuts=("Ctrl+Shift+F",),
                 enabled=lambda: self._open_chat() is not None, category=chats,
                 tip=self.tr("Hand the chat in front to another department"))
        self.add("chat.close", self.tr("&End the chat…"),
                 lambda: self._open_chat().ask_close(), shortcuts=("Ctrl+Shift+E",),
                 enabled=lambda: self._open_chat() is not None, category=chats,
                 tip=self.tr("End the conversation in front (asks first; the visitor is told)"))
        self.add("reply.insert", self.tr("Insert a pre-defined &reply…"),
                 lambda: self._composer_tab().open_replies(), shortcuts=("Ctrl+R",),
                 enabled=lambda: self._composer_tab() is not None, category=chats)

    def _declare_status(self, w: MainWindow) -> None:
        status = self.tr("Status")
        signed_in = lambda: w.agent is not None   # noqa: E731
        online = self.add("status.online", self.tr("&Online — take new chats"),
                          lambda: w.set_status(AgentStatus.ONLINE), enabled=signed_in,
                          checked=lambda: w.is_online, category=status,
                          object_name="onlineAction")
        offline = self.add("status.offline", self.tr("O&ffline — my chats go back to the list"),
                           lambda: w.set_status(AgentStatus.OFFLINE), enabled=signed_in,
                           checked=lambda: w.agent is not None and not w.is_online,
                           category=status, object_name="offlineAction")
        self.status_group = QActionGroup(self)
        self.status_group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        for action in (online, offline):
            self.status_group.addAction(action)

    def _declare_tabs(self, w: MainWindow) -> None:
        tabs = self.tr("Tabs")
        self.add("queue.show", self.tr("&Waiting chats tab"), w.show_queue,
                 shortcuts=("Ctrl+1",), category=tabs)
        self.add("queue.popup", self.tr("List of waiting chats"), w.show_queue_popup,
                 category=tabs, tip=self.tr("The chats waiting, under the counter"))
        self.add("tickets.open", self.tr("&Tickets"), lambda: w.tab_manager.open_tickets(),
                 shortcuts=("Ctrl+2",), enabled=lambda: w.tab_manager.can_open(TicketsTab),
                 category=tabs,
                 tip=self.tr("My tickets and my departments'"), object_name="ticketsAction")
        self.add("search.focus", self.tr("&Search clients"), self._focus_search,
                 shortcuts=(StdKey.Find, "Ctrl+F"), category=tabs)
        self.add("tab.next", self.tr("&Next tab"), lambda: w.tab_manager.cycle_tabs(1),
                 shortcuts=("Ctrl+Tab", "Ctrl+PgDown"), category=tabs)
        self.add("tab.previous", self.tr("&Previous tab"), lambda: w.tab_manager.cycle_tabs(-1),
                 shortcuts=("Ctrl+Shift+Tab", "Ctrl+Shift+Backtab", "Ctrl+PgUp"), category=tabs)
        self.add("tab.close", self.tr("&Close tab"), lambda: w.tab_manager.close_current_tab(),
                 shortcuts=("Ctrl+W", StdKey.Close), category=tabs,
                 tip=self.tr("Close the tab in front (a chat asks first)"))

    def _declare_desk(self, w: MainWindow, prefs: Preferences | None) -> None:
        desk = self.tr("Desk")
        self.add("app.show", self.tr("&Show SupportDesk"), w.showRequested.emit, category=desk,
                 tip=self.tr("Bring the desk to the front"), object_name="showAction")
        self.add("panel.network", self.tr("&Network requests"), w.network_panel.show_panel,
                 category=desk, object_name="networkAction")
        self.add("panel.notifications", self.tr("Notifications &log"),
                 w.notifications_panel.show_panel, category=desk,
                 object_name="notificationsAction")
        self.add("app.settings", self.tr("&Settings…"), w.open_settings,
                 shortcuts=(StdKey.Preferences, "Ctrl+,"), enabled=lambda: prefs is not None,
                 category=desk, object_name="settingsAction")
        self.add("app.changelog", self.tr("What's &new"), self._changelog, category=desk,
                 tip=self.tr("What changed in this version"))
        self.add("session.logout", self.tr("&Log out"), w.logoutRequested.emit,
                 enabled=lambda: w.agent is not None, category=desk, object_name="logoutAction")
        self.add("app.quit", self.tr("&Quit SupportDesk"), w.quitRequested.emit,
                 shortcuts=(StdKey.Quit, "Ctrl+Q"), category=desk, object_name="quitAction")

    # -- keeping the states current -------------------------------------------------------------

    def watch(self) -> None:
        """Read the states again when what they depend on changes (the window is built)."""
        w = self._window
        w.tabs.currentChanged.connect(self._current_changed)
        w.queue_model.countChanged.connect(self.refresh)
        w.onlineChanged.connect(self.refresh)
        self.refresh()

    def _current_changed(self, _index: int) -> None:
        tab = self._window.tabs.currentWidget()
        if isinstance(tab, ChatTab) and not tab.property("commandsWatched"):
            tab.setProperty("commandsWatched", True)
            tab.closed.connect(self.refresh)    # ended by the visitor: Forward/End go grey
        self.refresh()

    # -- what the commands act on ----------------------------------------------------------------

    def _front(self) -> QWidget | None:
        return self._window.tabs.currentWidget()

    def _open_chat(self) -> ChatTab | None:
        """The chat tab in front, while its chat is still going."""
        tab = self._front()
        return tab if isinstance(tab, ChatTab) and not tab.is_closed else None

    def _composer_tab(self) -> ChatTab | TicketTab | None:
        """The tab in front that has a composer a pre-defined reply can go into."""
        tab = self._front()
        if isinstance(tab, ChatTab):
            return tab if not tab.is_closed and tab.composer.isEnabled() else None
        return tab if isinstance(tab, TicketTab) else None

    def _oldest_waiting_exists(self) -> bool:
        return self._window.is_online and bool(self._window.queue_model.chats())

    def _take_oldest(self) -> None:
        chats = self._window.queue_model.chats()     # longest waiting first
        if chats:
            self._window.take_chat(chats[0].id)

    def _focus_search(self) -> None:
        self._window.search_bar.setFocus()
        self._window.search_bar.selectAll()

    def _changelog(self) -> None:
        self._window.changelogRequested.emit()
        self._window.open_changelog()

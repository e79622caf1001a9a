"""The main window's top bar: client search, Tickets, the connection light, the waiting-chat
counter, the change log and the avatar with the user menu (the seed's items 1–6)::

    [🔍 Search clients…      ] Tickets         ● Connected   💬 3   🎁   (AB)▾

Built from the action registry (:mod:`.desk_actions`): the user menu is ``USER_MENU``'s commands,
the Tickets button shows the ``tickets.open`` action (its tooltip names its current shortcut), and
the counter, the light and the change log button run ``queue.popup``, ``panel.network`` and
``app.changelog``. What the light and the counter show is painted by the window, which knows the
connection and the list of chats; the avatar and the menu's header line are painted here from the
agent (:meth:`TopBar.paint_agent`).
"""

from __future__ import annotations

from supportdesk_protocol.schemas import Agent, AgentStatus, Role
from supportdesk_qt.backend.base import ConnectionState
from supportdesk_qt.qt import (
    QLineEdit,
    QMenu,
    QPalette,
    QSize,
    QSizePolicy,
    Qt,
    QToolBar,
    QToolButton,
    QWidget,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.actions import ActionRegistry
from supportdesk_qt.ui.desk_actions import USER_MENU
from supportdesk_qt.ui.common.tooltips import plain_tooltip
from supportdesk_qt.ui.panels.changelog import ChangelogButton, ChangelogTracker
from supportdesk_qt.ui.search.search_bar import ClientSearchBar
from supportdesk_qt.ui.tasks import TaskRegistry
from supportdesk_qt.ui.widgets import AvatarButton, CounterButton


class TopBar(QToolBar):
    """The bar. Its widgets are attributes (``search_bar``, ``tickets_button``,
    ``status_button``, ``counter_button``, ``changelog_button``, ``avatar_button``,
    ``user_menu``)."""

    def __init__(self, commands: ActionRegistry, tasks: TaskRegistry,
                 changelog: ChangelogTracker | None, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Top bar"), parent)
        self.setObjectName("topBar")
        self.setMovable(False)
        self.setFloatable(False)
        self.toggleViewAction().setVisible(False)
        self.setIconSize(QSize(20, 20))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        self.setContentsMargins(6, 3, 6, 3)
        self._commands = commands
        pal = self.palette()

        # 1. client search (top left)
        self.search_bar = ClientSearchBar(None, tasks, self)   # type: ignore[arg-type]
        search_icon = self.search_bar.addAction(
            theme.icon("search", pal, QPalette.ColorRole.PlaceholderText),
            QLineEdit.ActionPosition.LeadingPosition)
        theme.follow(self, lambda: search_icon.setIcon(theme.icon(
            "search", self.palette(), QPalette.ColorRole.PlaceholderText)))
        self.search_bar.setMinimumWidth(300)
        self.search_bar.setMaximumWidth(520)
        self.search_bar.setMinimumHeight(30)
        self.search_bar.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.addWidget(self.search_bar)

        # tickets: my tickets / my departments', with filters
        self.tickets_button = QToolButton(self)
        self.tickets_button.setObjectName("ticketsButton")
        self.tickets_button.setAutoRaise(True)
        self.tickets_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.tickets_button.setDefaultAction(commands["tickets.open"])
        self.addWidget(self.tickets_button)

        spacer = QWidget(self)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.addWidget(spacer)

        # 3. connection status light: opens the network request panel
        self.status_button = QToolButton(self)
        self.status_button.setObjectName("statusButton")
        self.status_button.setAutoRaise(True)
        self.status_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.status_button.clicked.connect(lambda: commands.trigger("panel.network"))
        self.addWidget(self.status_button)

        # 4. waiting-chat counter: opens the list of chats as a pop-up
        self.counter_button = CounterButton(self)
        self.counter_button.setObjectName("counterButton")
        theme.follow(self.counter_button, lambda: self.counter_button.setIcon(
            theme.icon("chats", self.counter_button.palette())))
        self.counter_button.clicked.connect(lambda: commands.trigger("queue.popup"))
        self.addWidget(self.counter_button)

        # 6. change log, with the "new" dot after an upgrade
        self.changelog_button = ChangelogButton(changelog, self)
        self.changelog_button.clicked.connect(lambda: commands.trigger("app.changelog"))
        self.addWidget(self.changelog_button)

        # 5. avatar and user menu
        self.avatar_button = AvatarButton(self)
        self.avatar_button.setObjectName("avatarButton")
        self.user_menu = QMenu(self.avatar_button)
        self.user_menu.setObjectName("userMenu")
        self.menu_header = self.user_menu.addAction("")
        self.menu_header.setEnabled(False)
        self.user_menu.addSeparator()
        commands.fill_menu(self.user_menu, USER_MENU)
        self.avatar_button.setMenu(self.user_menu)
        self.addWidget(self.avatar_button)
        self.avatar_button.setIconSize(QSize(30, 30))   # after addWidget: the bar sets its own size
        self.avatar_button.setFixedSize(self.avatar_button.sizeHint())
        self.counter_button.setIconSize(QSize(20, 20))
        self._agent: Agent | None = None
        theme.follow(self.avatar_button, lambda: self.paint_agent(self._agent))

    def paint_agent(self, agent: Agent | None) -> None:
        """The avatar (with its status dot), its tooltip and the menu's header line."""
        self._agent = agent
        pal = self.palette()
        if agent is None:
            self.avatar_button.setIcon(theme.avatar_icon("", "", pal, 30))
            self.avatar_button.setToolTip("")
            self.menu_header.setText(self.tr("Not signed in"))
            return
        online = agent.status == AgentStatus.ONLINE
        dot = theme.status_color(ConnectionState.CONNECTED if online else ConnectionState.DISCONNECTED,
                                 pal)
        self.avatar_button.setIcon(theme.avatar_icon(agent.display_name, agent.login, pal, 30, dot))
        role = {Role.AGENT: self.tr("Agent"), Role.HEAD: self.tr("Department head"),
                Role.ADMIN: self.tr("Administrator")}.get(agent.role, str(agent.role))
        self.menu_header.setText(f"{agent.display_name} · {role}")
        status = self.tr("Online") if online else self.tr("Offline")
        self.avatar_button.setToolTip(
            plain_tooltip(f"{agent.display_name} ({agent.login}) — {status}"))
        self.avatar_button.setAccessibleName(
            self.tr("User menu of %1").replace("%1", agent.display_name))

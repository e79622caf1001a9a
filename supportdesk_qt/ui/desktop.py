"""The desk on the desktop: tray icon, notifications, alert sounds and close-to-tray, wired to the
main window and the bridge.

:class:`DesktopIntegration` owns the three platform objects (:mod:`supportdesk_qt.platform`) and is
the only place that decides *when* the agent is alerted; the platform objects decide *how*::

    desktop = DesktopIntegration(window, bridge, prefs)
    show_window = desktop.start()                        # tray shown; False: start in the tray
    ...
    desktop.dispose()                                    # at shutdown

What it connects (the window's names are listed in its class docstring):

========================================  ==================================================
``bridge.connectionChanged``              tray colour; one ERROR notification per outage
``window.waitingCountChanged(n)``         tray badge + tooltip + blink, the repeating new-chat
                                          sound, dropping chats no longer waiting from the
                                          waiting notification (the one place: _on_waiting_count)
``window.newWaitingChat(chat)``           the one NEW_CHAT notification (key ``queue``), updated
                                          per new chat; none for chats I forwarded myself
``window.chatMessageOffScreen(chat, m)``  MESSAGE notification + sound
``window.ticketPostOffScreen(id, post)``  TICKET_POST notification (key ``ticket:<id>``) + the
                                          message sound
``bridge.serverEvent`` chat.forwarded     FORWARDED (to one of my departments) + sound
``bridge.serverEvent`` chat.forward_ret…  FORWARD_RETURNED (a chat I forwarded) + sound
``bridge.serverEvent`` chat.updated       drops the chat from the NEW_CHAT one once not waiting
``notifier.clicked(key)``                 ``window.navigator.open_key(key)``, show the window
``notifier.raised(record)``               the notifications log (``window.notifications_panel``)
``tray`` click, ``window.showRequested``  show the desk (``raise_window``)
========================================  ==================================================

The tray menu is ``TRAY_MENU`` of the window's action registry (``window.commands``): Show,
Online, Offline and Quit are the desk's own commands, with the user menu's texts, check marks and
enabled states (Quit emits ``window.quitRequested`` like Ctrl+Q).

Close-to-tray is an event filter on the window (the window's own ``closeEvent`` saves the geometry
and asks to quit): with ``Preferences.close_to_tray`` on and a tray icon actually shown, a close
request only hides the window. :meth:`allow_quit` (called by the shutdown) lets the next close
through. Without a system tray nothing hides: the window must stay reachable.

Every preference is read when the event happens, so the settings dialog applies at once; the
per-kind popup switches are the :class:`Notifier`'s, the sound switches the :class:`ChatAlert`'s.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from supportdesk_protocol.events import EventType, ForwardEvent
from supportdesk_protocol.schemas import AuthorKind, Chat, ChatState
from supportdesk_qt.backend.base import ConnectionChanged, ConnectionState, ServerEvent
from supportdesk_qt.platform.notifications import NotificationKind, Notifier
from supportdesk_qt.platform.sound import ChatAlert, SoundEvent
from supportdesk_qt.platform.tray import TrayIcon
from supportdesk_qt.qt import QEvent, QMenu, QObject, QTimer
from supportdesk_qt.ui.common.text import isolate
from supportdesk_qt.ui.desk_actions import TRAY_MENU

if TYPE_CHECKING:
    from supportdesk_qt.core.settings import Preferences
    from supportdesk_qt.ui.bridge import Bridge

log = logging.getLogger("supportdesk.ui.desktop")

#: A dropped connection is announced only when it is not back within this time: a blip that the
#: reconnect repairs at once is not worth a popup; an outage (no chats arrive!) is.
ERROR_GRACE_MS = 5000
ERROR_KEY = "error:connection"
#: The waiting notification names this many chats, then "and N more"; it is persistent only
#: while the agent is away (see ``agent_away`` and docs/architecture.md, "The notification rule").
BURST_LIMIT = 3
QUEUE_KEY = "queue"
PREVIEW_MAX = 200


def chat_title(chat: Chat) -> str:
    """Who the chat is with, as plain text for a notification summary."""
    return chat.name or chat.client_name or chat.visitor_name or ""


class DesktopIntegration(QObject):
    """Tray, notifications and sounds for one main window. See the module docstring.

    Args:
        window: the ``MainWindow``.
        bridge: the ``Bridge`` (connection state and server events).
        prefs: the typed ``Preferences`` (read at every event).
        raise_window: what "show the desk" does (tray click, notification click, a second
            launch); default ``window.show_and_raise``. The app passes its own so that the login
            dialog comes up instead of an empty window while nobody is signed in.
        tray_available: override ``QSystemTrayIcon.isSystemTrayAvailable()`` (tests on the
            offscreen platform, which has no tray).
        use_dbus: passed to :class:`Notifier` (None: D-Bus on Linux).
    """

    def __init__(self, window: Any, bridge: Bridge, prefs: Preferences, *,
                 raise_window: Callable[[], None] | None = None,
                 tray_available: bool | None = None, use_dbus: bool | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.bridge = bridge
        self.prefs = prefs
        self._raise_window = raise_window or (lambda: self.window.show_and_raise())
        self._tray_available = tray_available
        self._quitting = False
        self._disposed = False
        self._waiting: dict[int, Chat] = {}      # new chats in the waiting notification
        self._fresh = False                      # one of them came in since the last update
        self._my_forwards: set[int] = set()      # chats I forwarded, until someone takes them
        self._error_shown = False                # one ERROR per outage, not per retry
        self._last_reason = ""

        menu = QMenu()
        menu.setObjectName("trayMenu")
        window.commands.fill_menu(menu, TRAY_MENU)
        self.tray = TrayIcon(prefs, self, menu=menu)
        self.notifier = Notifier(prefs, tray=self.tray.systray, parent=self, use_dbus=use_dbus)
        self.alert = ChatAlert(prefs, self)
        self._error_timer = QTimer(self)
        self._error_timer.setSingleShot(True)
        self._error_timer.setInterval(ERROR_GRACE_MS)
        self._error_timer.timeout.connect(self._announce_outage)
        self._burst_timer = QTimer(self)
        self._burst_timer.setSingleShot(True)
        self._burst_timer.setInterval(0)
        self._burst_timer.timeout.connect(self._flush_new_chats)
        self._queue_popup = False

        # tray
        self.tray.activated.connect(self.show_window)
        window.showRequested.connect(self.show_window)
        # backend
        bridge.connectionChanged.connect(self._on_connection)
        bridge.serverEvent.connect(self._on_server_event)
        # window (names added for this integration; see MainWindow)
        window.waitingCountChanged.connect(self._on_waiting_count)
        window.newWaitingChat.connect(self._on_new_waiting_chat)
        window.chatMessageOffScreen.connect(self._on_message_off_screen)
        if hasattr(window, "ticketPostOffScreen"):
            window.ticketPostOffScreen.connect(self._on_ticket_post_off_screen)
        # notifier
        self.notifier.clicked.connect(self._on_notification_clicked)
        self.notifier.raised.connect(self._on_raised)

        self.tray.set_state(bridge.connection.state, bridge.connection.reason)
        window.installEventFilter(self)

    # -- API --------------------------------------------------------------------------------------

    def tray_available(self) -> bool:
        if self._tray_available is not None:
            return self._tray_available
        return TrayIcon.is_available()

    def start(self) -> bool:
        """Show the tray icon (when there is a tray). Returns whether the window should be shown
        at start: False only with ``start_minimised`` and a tray to come back from."""
        if self.tray_available():
            if TrayIcon.is_available():     # not when a test only pretends there is a tray
                self.tray.show()
            return not self.prefs.start_minimised
        if self.prefs.start_minimised:
            log.info("no system tray: starting with the window shown despite 'start minimised'")
        return True

    def hides_to_tray(self) -> bool:
        """Closing the window hides it now (preference on, a tray to come back from)."""
        return bool(self.prefs.close_to_tray) and self.tray_available() and not self._quitting

    def show_window(self) -> None:
        if not self._disposed:
            self._raise_window()

    def allow_quit(self) -> None:
        """From now on closing the window really closes it (the desk is quitting)."""
        self._quitting = True

    def reset(self) -> None:
        """Signed out: nothing waits for this desk any more; take every popup away, stop sounds."""
        self._waiting.clear()
        self._my_forwards.clear()
        self._burst_timer.stop()
        self._withdraw_queue_popup()
        # an ERROR popup stays: it says why the session ended (the server revoked it)
        self._error_timer.stop()
        self._error_shown = False
        self._on_waiting_count(0)
        self.alert.stop()

    def dispose(self) -> None:
        """Shutdown: hide the icon, stop timers and sounds, close the D-Bus connection.
        Idempotent."""
        if self._disposed:
            return
        self._disposed = True
        self._quitting = True
        self._error_timer.stop()
        self._burst_timer.stop()
        try:
            self.window.removeEventFilter(self)
        except RuntimeError:        # the window is already gone
            pass
        self.tray.dispose()
        self.alert.dispose()
        self.notifier.shutdown()

    # -- close to tray -----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close and self.hides_to_tray():
            event.ignore()
            self.window.memory.save_geometry()
            self.window.hide()
            log.info("window closed: SupportDesk keeps running in the tray")
            return True
        return False

    # -- connection ---------------------------------------------------------------------------------

    def _on_connection(self, change: ConnectionChanged) -> None:
        self.tray.set_state(change.state, change.reason)
        state = change.state
        if state == ConnectionState.CONNECTED:
            self._error_timer.stop()
            if self._error_shown:
                self.notifier.withdraw(ERROR_KEY)
            self._error_shown = False
        elif state == ConnectionState.FAILED:
            self._last_reason = change.reason
            self._error_timer.stop()
            self._announce_outage()
        elif state == ConnectionState.CONNECTING and change.reason:
            # a retry after a failure: the first one starts the grace period, the rest change
            # nothing (the backoff keeps retrying; one popup per outage)
            self._last_reason = change.reason
            if not self._error_shown and not self._error_timer.isActive():
                self._error_timer.start()
        elif state == ConnectionState.DISCONNECTED:   # stopped on purpose (logout, quit)
            self._error_timer.stop()

    def _announce_outage(self) -> None:
        if self._error_shown or self._disposed:
            return
        self._error_shown = True
        self.notifier.notify(
            NotificationKind.ERROR, self.tr("SupportDesk lost the connection"),
            (self._last_reason + "\n" if self._last_reason else "")
            + self.tr("New chats cannot reach you until it is back."),
            key=ERROR_KEY)

    # -- chats ----------------------------------------------------------------------------------------

    def _on_waiting_count(self, count: int) -> None:
        """The one place the waiting count reaches the tray (badge and tooltip together, in
        ``TrayIcon.set_waiting``) and the sound; fed only by ``window.waitingCountChanged``
        (and by :meth:`reset` with 0)."""
        self.tray.set_waiting(count)
        self.alert.set_waiting(count)
        self._withdraw_taken()
        if count == 0:
            self._withdraw_queue_popup()

    def _withdraw_queue_popup(self) -> None:
        if self._queue_popup:
            self._queue_popup = False
            self.notifier.withdraw(QUEUE_KEY)

    def _withdraw_taken(self) -> None:
        """Drop the chats no longer in the list of chats from the waiting notification."""
        model = getattr(self.window, "queue_model", None)
        gone = [cid for cid in self._waiting if model is None or model.chat(cid) is None]
        for chat_id in gone:
            self._withdraw_new_chat(chat_id)

    def _withdraw_new_chat(self, chat_id: int) -> None:
        if self._waiting.pop(chat_id, None) is not None and not self._burst_timer.isActive():
            self._burst_timer.start()       # one update (or the withdrawal) per loop turn

    def _department(self, department_id: int) -> str:
        model = getattr(self.window, "queue_model", None)
        try:
            return model.department_name(department_id) if model is not None else ""
        except Exception:
            return ""

    def _on_new_waiting_chat(self, chat: Chat) -> None:
        me = self._me()
        if chat.id in self._my_forwards or (
                me is not None and chat.forwarded and chat.forwarded_by_agent_id == me.id):
            # a chat I forwarded (into one of my own departments, or coming back from the
            # other one): not new to me; its return has its own FORWARD_RETURNED
            self._my_forwards.add(chat.id)
            return
        self._waiting[chat.id] = chat
        self._fresh = True
        if not self._burst_timer.isActive():
            self._burst_timer.start()

    def _flush_new_chats(self) -> None:
        """One notification for all the new chats that wait (key ``queue``): the first one
        opens it, every later one replaces it (the daemon's ``replaces_id``), the last one taken
        withdraws it. Changes of one event-loop turn are one update."""
        fresh, self._fresh = self._fresh, False
        chats = list(self._waiting.values())
        if not chats:
            self._withdraw_queue_popup()
            return
        if not fresh and not self._queue_popup:
            return      # nothing new and nothing on screen to correct
        if len(chats) == 1:
            chat = chats[0]
            who = isolate(chat_title(chat) or self.tr("A visitor"))
            department = self._department(chat.department_id)
            title = (self.tr("New chat: %1 (%2)").replace("%1", who)
                     .replace("%2", isolate(department)) if department
                     else self.tr("New chat: %1").replace("%1", who))
            body = chat.last_message_preview[:PREVIEW_MAX]
        else:
            names = []
            for chat in chats[:BURST_LIMIT]:
                who = isolate(chat_title(chat) or self.tr("A visitor"))
                department = self._department(chat.department_id)
                names.append(self.tr("%1 (%2)").replace("%1", who)
                             .replace("%2", isolate(department)) if department else who)
            if len(chats) > BURST_LIMIT:
                names.append(self.tr("and %Ln more", "", len(chats) - BURST_LIMIT))
            title = self.tr("%n chats are waiting", "", len(chats))
            body = "\n".join(names)
        self._queue_popup = True
        # a chat taken meanwhile only corrects the text on screen: no new row in the log
        self.notifier.notify(NotificationKind.NEW_CHAT, title, body, key=QUEUE_KEY,
                             persistent=self.agent_away(), record=fresh)
        # the sound comes from waitingCountChanged (it also repeats); nothing to play here

    def agent_away(self) -> bool:
        """Whether the agent is away from the desk: its window is hidden (in the tray),
        minimised, or not the active window (another application has the keyboard). Only
        then do chat notifications stay on screen until dismissed; at the desk the list of
        chats already shows them, and the popups time out."""
        w = self.window
        try:
            return not w.isVisible() or w.isMinimized() or not w.isActiveWindow()
        except RuntimeError:        # the window is gone
            return True

    def _on_message_off_screen(self, chat: Chat, message: Any) -> None:
        me = self._me()
        if getattr(message, "author_kind", None) == AuthorKind.AGENT and me is not None \
                and getattr(message, "author_id", None) == me.id:
            return      # my own message echoed back (sent from another device)
        who = getattr(message, "author_name", "") or chat_title(chat) or self.tr("Visitor")
        self.notifier.notify(NotificationKind.MESSAGE, who, getattr(message, "text", ""),
                             key=f"chat:{chat.id}")
        self.alert.play(SoundEvent.MESSAGE)

    def _on_ticket_post_off_screen(self, ticket_id: int, post: Any) -> None:
        who = getattr(post, "author_name", "") or self.tr("Client")
        title = self.tr("Ticket #%1: %2").replace("%1", str(ticket_id)).replace("%2", isolate(who))
        self.notifier.notify(NotificationKind.TICKET_POST, title, getattr(post, "text", ""),
                             key=f"ticket:{ticket_id}")
        self.alert.play(SoundEvent.MESSAGE)

    def _me(self):
        return getattr(self.window, "agent", None)

    def _on_server_event(self, event: ServerEvent) -> None:
        if event.type == EventType.CHAT_UPDATED and isinstance(event.data, Chat):
            if event.data.state != ChatState.WAITING:
                self._withdraw_new_chat(event.data.id)
                self._my_forwards.discard(event.data.id)    # taken: a later return is news
        elif event.type == EventType.CHAT_FORWARDED and isinstance(event.data, ForwardEvent):
            self._on_forwarded(event.data)
        elif event.type == EventType.CHAT_FORWARD_RETURNED and isinstance(event.data, ForwardEvent):
            self._on_forward_returned(event.data)

    def _on_forwarded(self, fwd: ForwardEvent) -> None:
        me = self._me()
        if me is None:
            return
        if fwd.by_agent_id == me.id:
            # I forwarded it: nothing new for me, neither now (into one of my own departments)
            # nor when it comes back (then FORWARD_RETURNED says so, once)
            self._my_forwards.add(fwd.chat.id)
            self._withdraw_new_chat(fwd.chat.id)
            return
        if fwd.to_department_id not in me.department_ids:
            return
        who = isolate(chat_title(fwd.chat) or self.tr("A visitor"))
        title = self.tr("Chat forwarded to you: %1").replace("%1", who)
        source = self._department(fwd.from_department_id)
        lines = [self.tr("From %1").replace("%1", source)] if source else []
        if fwd.comment:
            lines.append(fwd.comment)
        elif fwd.chat.last_message_preview:
            lines.append(fwd.chat.last_message_preview[:PREVIEW_MAX])
        self.notifier.notify(NotificationKind.FORWARDED, title, "\n".join(lines),
                             key=f"chat:{fwd.chat.id}", persistent=self.agent_away())
        self.alert.play(SoundEvent.FORWARDED)

    def _on_forward_returned(self, fwd: ForwardEvent) -> None:
        me = self._me()
        if me is None or fwd.by_agent_id != me.id:
            return
        who = isolate(chat_title(fwd.chat) or self.tr("A visitor"))
        department = self._department(fwd.to_department_id)
        body = (self.tr("Nobody in %1 took it in time.").replace("%1", department) if department
                else self.tr("Nobody took it in time."))
        self.notifier.notify(NotificationKind.FORWARD_RETURNED,
                             self.tr("Forwarded chat came back: %1").replace("%1", who), body,
                             key=f"chat:{fwd.chat.id}", persistent=self.agent_away())
        self.alert.play(SoundEvent.FORWARD_RETURNED)

    # -- notifier ----------------------------------------------------------------------------------------

    def _on_notification_clicked(self, key: str) -> None:
        if not key or key == ERROR_KEY:
            self.show_window()
            return
        if key == QUEUE_KEY:
            self.show_window()
            if len(self._waiting) == 1:         # "New chat: …": open that chat
                self.window.navigator.open_key(f"chat:{next(iter(self._waiting))}")
            else:
                self.window.show_queue()
            return
        self.show_window()
        self.window.navigator.open_key(key)

    def _on_raised(self, record: Any) -> None:
        panel = getattr(self.window, "notifications_panel", None)
        if panel is not None:
            panel.model.append(record)

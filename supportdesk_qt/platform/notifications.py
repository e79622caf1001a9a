"""Desktop notifications: the freedesktop notification service on Linux, the tray balloon elsewhere.

Usage::

    notifier = Notifier(prefs, tray=tray.systray, parent=window)
    notifier.clicked.connect(window.open_by_key)          # "chat:<id>" / "ticket:<id>" ...
    notifier.raised.connect(notifications_log_model.append)
    notifier.notify(NotificationKind.NEW_CHAT, visitor_name, first_message, key=f"chat:{chat_id}")
    notifier.withdraw(f"chat:{chat_id}")                  # a colleague took it: take the popup away

What it does
------------
* **Linux (and other freedesktop systems)**: ``org.freedesktop.Notifications.Notify`` over the
  session bus with app name "SupportDesk", the ``default`` action labelled "Open", and the
  ``replaces_id`` of the notification shown before for the same ``key``, so a chat that keeps
  getting messages updates one popup instead of piling them up. Summary and body are plain text:
  the body is escaped (``&``, ``<``, ``>``) because the spec lets daemons read it as markup, so a
  visitor typing ``<b>`` sees ``<b>``. ``ActionInvoked`` for one of our ids emits
  ``clicked(key)``; ``NotificationClosed`` forgets the id. Both signals are sent by the daemon to
  the connection that created the notification, which is why this module keeps its own
  connection (:mod:`.dbus_session`; why not QtDBus is explained there).
* **Fallback**: when there is no session bus, no notification service (the call fails with
  ``ServiceUnknown``/``NameHasNoOwner``; we switch back when the service appears) or on Windows and
  macOS: ``QSystemTrayIcon.showMessage`` on the tray icon passed in, and its ``messageClicked``
  emits ``clicked`` with the key of the last balloon shown (a balloon has no id of its own).
* **Log**: every call emits ``raised(NotificationRecord)``, also when the preferences turned that
  kind of popup off (``shown=False``), so the notifications log is complete.
"""

from __future__ import annotations

import html
import logging
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import StrEnum
from typing import TYPE_CHECKING

from supportdesk_qt.platform.dbus_session import DBusSession
from supportdesk_qt.qt import QObject, QSystemTrayIcon, Signal

if TYPE_CHECKING:
    from supportdesk_qt.core.settings import Preferences

log = logging.getLogger("supportdesk.notifications")

APP_NAME = "SupportDesk"
SERVICE = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
TITLE_MAX = 120
BODY_MAX = 400
TRAY_MESSAGE_MS = 10_000
_SERVICE_GONE_ERRORS = {"org.freedesktop.DBus.Error.ServiceUnknown",
                        "org.freedesktop.DBus.Error.NameHasNoOwner",
                        "org.freedesktop.DBus.Error.NoReply",
                        "org.freedesktop.DBus.Error.Spawn.ServiceNotFound",
                        "org.freedesktop.DBus.Error.Spawn.ChildExited"}


class NotificationKind(StrEnum):
    NEW_CHAT = "new_chat"
    MESSAGE = "message"
    FORWARDED = "forwarded"
    FORWARD_RETURNED = "forward_returned"
    ERROR = "error"
    TICKET_POST = "ticket_post"      # a client posted on a ticket of mine / my departments'


# which preference turns each kind's popup on or off
_TRAY_OPTION = {
    NotificationKind.NEW_CHAT: "notify_new_chat_tray",
    NotificationKind.MESSAGE: "notify_message_tray",
    NotificationKind.FORWARDED: "notify_forwarded_tray",
    NotificationKind.FORWARD_RETURNED: "notify_forward_returned_tray",
    NotificationKind.ERROR: "notify_error_tray",
    # a client's ticket post is a message from a client: the same switch as chat messages
    NotificationKind.TICKET_POST: "notify_message_tray",
}

# freedesktop urgency 2 (critical) with expire_timeout 0 stays until dismissed: what a caller
# asks for with ``persistent`` (the desk: only while the agent is away, see ui/desktop.py);
# otherwise urgency 1 and the daemon's own timeout
URGENCY_NORMAL, URGENCY_CRITICAL = 1, 2
_CATEGORY = {NotificationKind.MESSAGE: "im.received", NotificationKind.NEW_CHAT: "im",
             NotificationKind.FORWARDED: "im", NotificationKind.FORWARD_RETURNED: "im",
             NotificationKind.ERROR: "network.error", NotificationKind.TICKET_POST: "im.received"}


@dataclass(frozen=True, slots=True)
class NotificationRecord:
    """One notification the desk raised (a row of the notifications log)."""

    kind: NotificationKind
    title: str
    body: str
    key: str                      # what clicking opens: "chat:<id>", "ticket:<id>", or ""
    shown: bool                   # False: the preferences turned this kind of popup off
    via: str                      # "dbus", "tray" or "none" (nowhere to show it)
    time: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def escape_body(text: str) -> str:
    """The body as markup-safe text: ``&``, ``<`` and ``>`` escaped (quotes need not be)."""
    return html.escape(text, quote=False)


class Notifier(QObject):
    """Raises desktop notifications. See the module docstring.

    Signals:
        clicked(str): the user clicked the notification about ``key`` (open that chat/ticket).
        raised(object): a :class:`NotificationRecord` for every :meth:`notify` call.
        backendChanged(str): "dbus", "tray" or "none" after the notification service came or went.
        delivered(str, int): the daemon accepted the notification for ``key`` under this id.
    """

    clicked = Signal(str)
    raised = Signal(object)
    backendChanged = Signal(str)
    delivered = Signal(str, int)

    def __init__(self, prefs: Preferences | None = None, tray: QSystemTrayIcon | None = None,
                 parent: QObject | None = None, *, use_dbus: bool | None = None,
                 bus_address: str | None = None) -> None:
        super().__init__(parent)
        self._prefs = prefs
        self._tray = tray
        self._ids_by_key: dict[str, int] = {}
        self._keys_by_id: dict[int, str] = {}
        self._in_flight: set[str] = set()
        self._queued: dict[str, tuple[NotificationKind, str, str, bool]] = {}
        self._last_tray_key = ""
        self._service_ok = False
        self._warned: set[str] = set()
        self._bus: DBusSession | None = None
        if tray is not None:
            tray.messageClicked.connect(self._on_tray_message_clicked)
        if use_dbus is None:
            use_dbus = sys.platform not in ("win32", "darwin")
        if use_dbus:
            self._open_bus(bus_address)

    # -- API

    @property
    def backend(self) -> str:
        """Where the next notification goes: "dbus", "tray" or "none"."""
        if self._bus is not None and self._bus.is_open() and self._service_ok:
            return "dbus"
        if self._tray is not None and QSystemTrayIcon.isSystemTrayAvailable():
            return "tray"
        return "none"

    def set_tray(self, tray: QSystemTrayIcon | None) -> None:
        if self._tray is not None:
            try:
                self._tray.messageClicked.disconnect(self._on_tray_message_clicked)
            except (RuntimeError, TypeError):
                pass
        self._tray = tray
        if tray is not None:
            tray.messageClicked.connect(self._on_tray_message_clicked)

    def notify(self, kind: NotificationKind | str, title: str, body: str = "",
               key: str = "", *, persistent: bool = False,
               record: bool = True) -> NotificationRecord:
        """Show a notification (or not, per the preferences) and record it.

        ``title`` and ``body`` are plain text (escaped here for the daemon). ``key`` names what
        a click opens; a later notification with the same key replaces this one on screen.
        ``persistent``: it stays until dismissed or withdrawn (critical urgency, no timeout);
        otherwise the daemon lets it time out. ``record=False`` only corrects what is on screen
        (no ``raised``: not a new row in the notifications log)."""
        kind = NotificationKind(kind)
        title = _cap(" ".join(title.split()), TITLE_MAX)   # one line
        body = _cap(body.strip(), BODY_MAX)
        wanted = self._enabled(kind)
        via = self.backend if wanted else "none"
        shown = NotificationRecord(kind=kind, title=title, body=body, key=key,
                                   shown=wanted and via != "none", via=via)
        if wanted:
            if via == "dbus":
                self._send(kind, title, body, key, persistent)
            elif via == "tray":
                self._show_in_tray(title, body, key)
            else:
                self._warn_once("nowhere", "no notification service and no system tray: "
                                "notifications are only kept in the log")
        if record:
            self.raised.emit(shown)
        return shown

    def withdraw(self, key: str) -> None:
        """Close the notification shown for ``key`` (e.g. the chat was taken meanwhile)."""
        self._queued.pop(key, None)
        nid = self._ids_by_key.pop(key, None)
        if nid is None or self._bus is None:
            return
        self._keys_by_id.pop(nid, None)
        from jeepney import DBusAddress, new_method_call

        addr = DBusAddress(OBJECT_PATH, bus_name=SERVICE, interface=INTERFACE)
        self._bus.call(new_method_call(addr, "CloseNotification", "u", (nid,)))

    def shutdown(self) -> None:
        if self._bus is not None:
            self._bus.close()

    def notification_id(self, key: str) -> int | None:
        """The daemon's id of the notification shown for ``key`` (None: none or not via D-Bus)."""
        return self._ids_by_key.get(key)

    # -- preferences

    def _enabled(self, kind: NotificationKind) -> bool:
        if self._prefs is None:
            return True
        return bool(self._prefs.get(_TRAY_OPTION[kind]))

    # -- D-Bus

    def _open_bus(self, address: str | None) -> None:
        bus = DBusSession(self)
        if not bus.open(address):
            return
        from jeepney import MatchRule
        from jeepney.bus_messages import message_bus

        self._bus = bus
        bus.signalReceived.connect(self._on_signal)
        bus.disconnected.connect(self._on_bus_lost)
        bus.add_match(MatchRule(type="signal", interface=INTERFACE, path=OBJECT_PATH))
        owner_rule = MatchRule(type="signal", sender="org.freedesktop.DBus",
                               interface="org.freedesktop.DBus", member="NameOwnerChanged")
        owner_rule.add_arg_condition(0, SERVICE)
        bus.add_match(owner_rule)
        # running now, or started on demand by the bus (an activatable service) → usable
        self._service_ok = True
        bus.call(message_bus.NameHasOwner(SERVICE), self._on_has_owner)

    def _on_has_owner(self, reply) -> None:
        if reply is None or reply.body[:1] == (True,):
            return
        from jeepney.bus_messages import message_bus

        if self._bus is not None:
            self._bus.call(message_bus.ListActivatableNames(), self._on_activatable)

    def _on_activatable(self, reply) -> None:
        names = reply.body[0] if reply is not None and reply.body else []
        if SERVICE not in names:
            self._set_service(False, "no desktop notification service on the session bus; "
                                     "using the tray icon's messages")

    def _set_service(self, ok: bool, why: str = "") -> None:
        before = self.backend
        self._service_ok = ok
        if not ok:
            self._ids_by_key.clear()
            self._keys_by_id.clear()
            if why:
                log.info("%s", why)
        if self.backend != before:
            self.backendChanged.emit(self.backend)

    def _send(self, kind: NotificationKind, title: str, body: str, key: str,
              persistent: bool = False) -> None:
        if key and key in self._in_flight:
            # the id of the previous one is not known yet: send this one when it is, as a
            # replacement, instead of opening a second popup for the same chat
            self._queued[key] = (kind, title, body, persistent)
            return
        from jeepney import DBusAddress, new_method_call

        addr = DBusAddress(OBJECT_PATH, bus_name=SERVICE, interface=INTERFACE)
        hints = {"urgency": ("y", URGENCY_CRITICAL if persistent else URGENCY_NORMAL),
                 "category": ("s", _CATEGORY.get(kind, "im"))}
        actions = ["default", self.tr("Open")]
        replaces = self._ids_by_key.get(key, 0) if key else 0
        msg = new_method_call(addr, "Notify", "susssasa{sv}i",
                              (APP_NAME, replaces, "", title, escape_body(body), actions,
                               hints, 0 if persistent else -1))
        if key:
            self._in_flight.add(key)

        def on_reply(reply) -> None:
            self._in_flight.discard(key)
            self._on_notify_reply(reply, kind, title, body, key)

        assert self._bus is not None
        if not self._bus.call(msg, on_reply):
            self._in_flight.discard(key)
            self._show_in_tray(title, body, key)

    def _on_notify_reply(self, reply, kind: NotificationKind, title: str, body: str,
                         key: str) -> None:
        from jeepney import HeaderFields, MessageType

        if reply is not None and reply.header.message_type != MessageType.error:
            self._on_notify_accepted(int(reply.body[0]), key)
            return
        # not shown by the daemon: show the newest text for this key in the tray instead
        if key and key in self._queued:
            _kind, title, body, _persistent = self._queued.pop(key)
        if reply is not None:
            name = reply.header.fields.get(HeaderFields.error_name, "")
            detail = reply.body[0] if reply.body else ""
            if name in _SERVICE_GONE_ERRORS:
                self._set_service(False, f"the desktop notification service is not available "
                                         f"({name}); using the tray icon's messages")
            else:
                self._warn_once(name, f"the notification service refused a notification: "
                                      f"{name}: {detail}")
        self._show_in_tray(title, body, key)   # reply None: the bus went away before answering

    def _on_notify_accepted(self, nid: int, key: str) -> None:
        if key:
            old = self._ids_by_key.get(key)
            if old is not None and old != nid:
                self._keys_by_id.pop(old, None)
            self._ids_by_key[key] = nid
            self._keys_by_id[nid] = key
        self.delivered.emit(key, nid)
        queued = self._queued.pop(key, None) if key else None
        if queued is not None:
            self._send(*queued, key)

    def _on_signal(self, msg) -> None:
        from jeepney import HeaderFields

        fields = msg.header.fields
        member = fields.get(HeaderFields.member)
        iface = fields.get(HeaderFields.interface)
        if iface == "org.freedesktop.DBus" and member == "NameOwnerChanged":
            name, _old, new = msg.body
            if name == SERVICE:
                self._set_service(bool(new), "" if new else
                                  "the desktop notification service went away; using the "
                                  "tray icon's messages")
            return
        if iface != INTERFACE:
            return
        if member == "ActionInvoked":
            nid, action = int(msg.body[0]), str(msg.body[1])
            key = self._keys_by_id.get(nid)
            if key is not None and action in ("default", "open"):
                self.clicked.emit(key)
        elif member == "NotificationClosed":
            key = self._keys_by_id.pop(int(msg.body[0]), None)
            if key is not None and self._ids_by_key.get(key) == int(msg.body[0]):
                del self._ids_by_key[key]

    def _on_bus_lost(self) -> None:
        self._in_flight.clear()
        self._queued.clear()
        self._set_service(False, "lost the D-Bus session bus; using the tray icon's messages")

    # -- tray fallback

    def _show_in_tray(self, title: str, body: str, key: str) -> None:
        tray = self._tray
        if tray is None or not QSystemTrayIcon.isSystemTrayAvailable():
            self._warn_once("nowhere", "no notification service and no system tray: "
                            "notifications are only kept in the log")
            return
        self._last_tray_key = key
        tray.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information, TRAY_MESSAGE_MS)

    def _on_tray_message_clicked(self) -> None:
        if self._last_tray_key:
            self.clicked.emit(self._last_tray_key)

    def _warn_once(self, what: str, text: str) -> None:
        if what not in self._warned:
            self._warned.add(what)
            log.warning("%s", text)

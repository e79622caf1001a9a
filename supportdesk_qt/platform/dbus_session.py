"""A small D-Bus client connection driven by the Qt event loop (no threads, no asyncio needed).

Why not QtDBus: PySide6 cannot put a D-Bus ``uint32`` into a message. A Python ``int`` becomes
``int32`` (or ``int64``), ``QDBusArgument << int`` picks the ``ushort`` overload, and there is no
``QVariant`` to convert; ``QDBusInterface`` does not convert argument types either, and invoking
its introspected ``Notify`` slot fails because the notification daemons' introspection data types
the hints as a raw ``a{sv}``. ``org.freedesktop.Notifications.Notify`` takes
``replaces_id`` as ``u`` and daemons (GDBus-based ones like dunst) reject any other signature. And
the reply must come back to the same connection: daemons send ``ActionInvoked`` only to the
connection that created the notification, so a helper process (``gdbus call``) cannot be used.

So messages are built and parsed with ``jeepney`` (pure Python, sans-I/O core; already installed
on Linux as a dependency of ``keyring``) and the socket is served by a ``QSocketNotifier`` on the
GUI thread. The SASL handshake at :meth:`open` is the only blocking step (a local socket, bounded
by ``auth_timeout``; it takes well under a millisecond normally).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from typing import Any

from supportdesk_qt.qt import QObject, QSocketNotifier, Signal

log = logging.getLogger("supportdesk.dbus")

ReplyCallback = Callable[[Any], None]


class DBusSession(QObject):
    """One connection to a message bus.

    ``call(message, on_reply)`` sends a method call; ``on_reply(msg)`` gets the jeepney reply or
    error ``Message`` (``msg.header.message_type``). Incoming signals are emitted as
    ``signalReceived(msg)``; add match rules with :meth:`add_match`. ``disconnected`` is emitted
    once if the bus goes away.
    """

    signalReceived = Signal(object)
    disconnected = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sock: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._parser = None
        self._serial = 0
        self._pending: dict[int, ReplyCallback | None] = {}
        self.unique_name = ""

    # -- connection

    def open(self, address: str | None = None, auth_timeout: float = 1.0) -> bool:
        """Connect and authenticate to ``address`` (default: ``$DBUS_SESSION_BUS_ADDRESS``).
        Returns False (and logs why) when there is no usable bus."""
        try:
            from jeepney import Parser
            from jeepney.bus import get_connectable_addresses
            from jeepney.bus_messages import message_bus
            from jeepney.io.blocking import prep_socket
        except ImportError:
            log.info("jeepney is not installed: no D-Bus notifications")
            return False
        address = address or os.environ.get("DBUS_SESSION_BUS_ADDRESS", "")
        if not address:
            log.info("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset)")
            return False
        try:
            target = next(get_connectable_addresses(address))
            sock = prep_socket(target, timeout=auth_timeout)
        except (OSError, RuntimeError, ValueError, StopIteration) as exc:
            log.info("cannot connect to the D-Bus session bus at %s: %s", address, exc)
            return False
        sock.setblocking(False)
        self._sock = sock
        self._parser = Parser()
        self._notifier = QSocketNotifier(sock.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_readable)
        self.call(message_bus.Hello(), self._on_hello)
        return True

    def is_open(self) -> bool:
        return self._sock is not None

    def close(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
            self._sock = None
        callbacks = [cb for cb in self._pending.values() if cb is not None]
        self._pending.clear()
        for cb in callbacks:  # nobody waits forever for a reply that cannot come
            try:
                cb(None)
            except Exception:
                log.exception("D-Bus reply callback failed")

    # -- messages

    def call(self, message, on_reply: ReplyCallback | None = None) -> bool:
        """Send a method call; ``on_reply(reply_or_error_or_None)`` runs when it is answered
        (``None``: the connection closed first). Returns False if not connected."""
        if self._sock is None:
            return False
        self._serial += 1
        serial = self._serial
        self._pending[serial] = on_reply
        try:
            self._sock.setblocking(True)  # small messages on a local socket: sendall returns at once
            try:
                self._sock.sendall(message.serialise(serial=serial))
            finally:
                if self._sock is not None:
                    self._sock.setblocking(False)
        except OSError as exc:
            log.warning("D-Bus connection lost while sending: %s", exc)
            self._lost()
            return False
        return True

    def add_match(self, rule) -> None:
        """Subscribe to signals matching a ``jeepney.MatchRule``."""
        from jeepney.bus_messages import message_bus

        self.call(message_bus.AddMatch(rule))

    # -- internals

    def _on_hello(self, reply) -> None:
        if reply is not None and reply.body:
            self.unique_name = str(reply.body[0])

    def _on_readable(self, *_args) -> None:
        from jeepney import HeaderFields, MessageType

        sock = self._sock
        if sock is None:
            return
        while True:
            try:
                data = sock.recv(65536)
            except BlockingIOError:
                break
            except OSError as exc:
                log.warning("D-Bus connection lost: %s", exc)
                self._lost()
                return
            if not data:
                log.info("the D-Bus session bus closed the connection")
                self._lost()
                return
            self._parser.add_data(data)
        while True:
            msg = self._parser.get_next_message()
            if msg is None:
                break
            kind = msg.header.message_type
            if kind in (MessageType.method_return, MessageType.error):
                serial = msg.header.fields.get(HeaderFields.reply_serial)
                cb = self._pending.pop(serial, None)
                if cb is not None:
                    try:
                        cb(msg)
                    except Exception:
                        log.exception("D-Bus reply callback failed")
            elif kind == MessageType.signal:
                self.signalReceived.emit(msg)

    def _lost(self) -> None:
        was_open = self._sock is not None
        self.close()
        if was_open:
            self.disconnected.emit()

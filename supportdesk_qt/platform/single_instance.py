"""One desk per user: a second launch raises the first window and exits.

Usage (in ``main()``, after the ``QApplication`` exists and before any window is built)::

    instance = SingleInstance()
    if not instance.claim():
        instance.notify_running(sys.argv[1:])   # the running desk raises its window
        return 0
    instance.raiseRequested.connect(lambda args: window.show_and_raise())

How: a ``QLocalServer`` (a Unix socket in the temp dir, a named pipe on Windows) named per user
and per profile (a hash of the config directory, so a test or a second profile with its own
``SUPPORTDESK_HOME`` is a separate desk). :meth:`claim` first tries to connect: an answer means a
desk runs. No answer but a socket file in the way means a desk crashed and left it behind:
``QLocalServer.removeServer`` deletes it and we listen. The second process sends one JSON line
``{"cmd": "raise", "args": [...]}``; the first emits ``raiseRequested(args)``.

``claim()`` blocks for at most ``CONNECT_TIMEOUT_MS`` (a local socket answers in microseconds; the
timeout only matters when the other desk hangs), once, before the UI exists.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging

from supportdesk_qt.qt import QLocalServer, QLocalSocket, QObject, Signal

log = logging.getLogger("supportdesk.instance")

CONNECT_TIMEOUT_MS = 1000
MAX_MESSAGE_BYTES = 64 * 1024


def default_server_name() -> str:
    """``supportdesk-<user>-<hash of the config dir>``: per user and per profile, and short
    (Unix socket paths are limited to about 100 bytes)."""
    from supportdesk_qt.core import paths

    try:
        user = getpass.getuser()
    except Exception:  # no login name (containers): the config dir still tells users apart
        user = "user"
    user = "".join(c for c in user if c.isalnum())[:16] or "user"
    digest = hashlib.sha1(str(paths.config_dir()).encode("utf-8")).hexdigest()[:12]
    return f"supportdesk-{user}-{digest}"


class SingleInstance(QObject):
    """Claims the per-user desk; see the module docstring.

    Signals:
        raiseRequested(list): another launch asked this desk to show itself, with its arguments.
    """

    raiseRequested = Signal(list)

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or default_server_name()
        self._server: QLocalServer | None = None
        self._peer: QLocalSocket | None = None   # our connection to the running desk
        self._clients: dict[QLocalSocket, bytearray] = {}

    # -- the first process

    def claim(self) -> bool:
        """True: we are the desk (now listening). False: another desk runs; call
        :meth:`notify_running` and exit."""
        if self._server is not None:
            return True
        if self._connect_to_running():
            return False
        # Nobody answered. A socket file left by a crashed desk would make listen() fail with
        # AddressInUse, so remove it; it is safe now that we know nobody listens on it.
        QLocalServer.removeServer(self.name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # lost a race with a desk starting at the same moment?
            if self._connect_to_running():
                server.deleteLater()
                return False
            log.warning("cannot listen on %s (%s); running without single-instance protection",
                        self.name, server.errorString())
            server.deleteLater()
            return True
        server.newConnection.connect(self._on_new_connection)
        self._server = server
        log.debug("single instance: listening on %s", server.fullServerName())
        return True

    def is_primary(self) -> bool:
        return self._server is not None

    def server_path(self) -> str:
        """The socket file (or pipe name) while listening; "" otherwise."""
        return self._server.fullServerName() if self._server is not None else ""

    def release(self) -> None:
        """Stop listening (at shutdown; Qt removes the socket file)."""
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
        for sock in list(self._clients):
            sock.readyRead.disconnect(self._on_socket_ready_read)
            sock.disconnected.disconnect(self._on_socket_disconnected)
            sock.abort()
            sock.deleteLater()
        self._clients.clear()

    # -- the second process

    def notify_running(self, args: list[str] | None = None) -> bool:
        """Ask the running desk to raise its window. True if the message was delivered."""
        peer = self._peer
        if peer is None and not self._connect_to_running():
            return False
        peer = self._peer
        assert peer is not None
        line = json.dumps({"cmd": "raise", "args": list(args or [])}).encode("utf-8") + b"\n"
        peer.write(line)
        ok = peer.waitForBytesWritten(CONNECT_TIMEOUT_MS) or peer.bytesToWrite() == 0
        peer.disconnectFromServer()
        if peer.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            peer.waitForDisconnected(CONNECT_TIMEOUT_MS)
        peer.deleteLater()
        self._peer = None
        return ok

    # -- internals

    def _connect_to_running(self) -> bool:
        sock = QLocalSocket(self)
        sock.connectToServer(self.name)
        if sock.waitForConnected(CONNECT_TIMEOUT_MS):
            self._peer = sock
            return True
        sock.abort()
        sock.deleteLater()
        return False

    def _on_new_connection(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            self._clients[sock] = bytearray()
            # bound methods of self (not lambdas): Qt drops these connections when this object
            # is destroyed, before its children (the sockets) are, so a socket torn down with
            # us cannot call back into a half-destroyed object
            sock.readyRead.connect(self._on_socket_ready_read)
            sock.disconnected.connect(self._on_socket_disconnected)
            if sock.bytesAvailable():
                self._on_ready_read(sock)

    def _on_socket_ready_read(self) -> None:
        sock = self.sender()
        if isinstance(sock, QLocalSocket):
            self._on_ready_read(sock)

    def _on_socket_disconnected(self) -> None:
        sock = self.sender()
        if isinstance(sock, QLocalSocket):
            self._on_disconnected(sock)

    def _on_ready_read(self, sock: QLocalSocket) -> None:
        buf = self._clients.get(sock)
        if buf is None:
            return
        buf += bytes(sock.readAll().data())
        if len(buf) > MAX_MESSAGE_BYTES:
            log.warning("single instance: oversized message dropped")
            self._forget(sock)
            sock.abort()
            return
        while b"\n" in buf:
            line, _, rest = bytes(buf).partition(b"\n")
            buf[:] = rest
            self._handle(line)

    def _handle(self, line: bytes) -> None:
        try:
            msg = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            log.warning("single instance: unreadable message ignored")
            return
        if not isinstance(msg, dict) or msg.get("cmd") != "raise":
            log.warning("single instance: unknown message ignored")
            return
        args = msg.get("args")
        args = [str(a) for a in args] if isinstance(args, list) else []
        self.raiseRequested.emit(args)

    def _on_disconnected(self, sock: QLocalSocket) -> None:
        if sock.bytesAvailable():  # the sender writes and hangs up at once: read what is left
            self._on_ready_read(sock)
        self._forget(sock)

    def _forget(self, sock: QLocalSocket) -> None:
        if self._clients.pop(sock, None) is not None:
            sock.deleteLater()

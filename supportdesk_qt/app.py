"""Start-up and shutdown of the desk: arguments, logging, QApplication, the qasync loop, the session.

    supportdesk [--server URL] [--demo] [--log-level LEVEL] [--version] [--self-check]

Flow:

* ``--demo``, or no server given and none configured: start the embedded demo server (a child
  process) and sign in as the demo agent without asking.
* a server (``--server`` or the configured one): sign in again with the remembered token
  (keyring); when there is none, or it was rejected, show the login dialog.
* one desk per user and profile: ``main()`` claims a :class:`SingleInstance` before any window
  exists; a second launch asks the first to show its window and exits with 0.
* the tray, notifications and sounds are :class:`DesktopIntegration` (``ui/desktop.py``); with a
  tray, closing the window hides it (``close_to_tray``) and ``start_minimised`` starts hidden.
* the concrete pieces are chosen here and given to ``core/``: the backend factory
  (:func:`backend_factory`, ``HttpBackend`` with the TLS settings) and the demo agent's
  credentials (:func:`demo_credentials`), so ``core/`` imports neither ``backend.http`` nor the
  server.

Everything runs on one thread: the ``QApplication`` is created first, then the qasync loop runs
:meth:`Desk.run` until :meth:`Desk.shutdown` (one idempotent coroutine) has stopped the event
stream, closed the backend and the embedded server and cancelled every tracked task.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import logging.handlers
import signal
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from supportdesk_protocol.schemas import Agent, AgentStatus
from supportdesk_qt import assets
from supportdesk_qt.backend.base import (
    BackendError,
    BackendFactory,
    ConnectionChanged,
    ConnectionState,
)
from supportdesk_qt.backend.http import tls_backend_factory
from supportdesk_qt.core import paths, persist
from supportdesk_qt.core.embedded import EmbeddedServer, EmbeddedServerError
from supportdesk_qt.core.redact import RedactingFilter
from supportdesk_qt.core.secrets import SecretStore
from supportdesk_qt.core.session import Session
from supportdesk_qt.core.settings import Preferences, WindowState
from supportdesk_qt.identity import APP_ID
from supportdesk_qt.i18n import translations
from supportdesk_qt.language_switch import LanguageSwitch
from supportdesk_qt.qt import (
    BINDING,
    BINDING_VERSION,
    QT_VERSION,
    SINGLETON_REFCOUNT_FIX,
    QApplication,
    QEventLoop,
    QIcon,
    QMessageLogContext,
    QtMsgType,
    qasync,
    qInstallMessageHandler,
    translate,
)
from supportdesk_qt.platform.autostart import Autostart
from supportdesk_qt.platform.single_instance import SingleInstance
from supportdesk_qt.ui.bridge import Bridge
from supportdesk_qt.ui.common import errors as error_table
from supportdesk_qt.ui.compose import send_keys
from supportdesk_qt.ui.desktop import DesktopIntegration
from supportdesk_qt.ui.error_dialog import ErrorReporter
from supportdesk_qt.ui.login_dialog import LoginDialog
from supportdesk_qt.ui.main_window import MainWindow
from supportdesk_qt.ui.network_watch import NetworkWatch
from supportdesk_qt.ui.tasks import TaskRegistry
from supportdesk_qt.ui.theme_switch import theme_switch
from supportdesk_qt.version import app_version

log = logging.getLogger("supportdesk.app")

APP_NAME = "SupportDesk"
ORG_NAME = "SupportDesk"
ORG_DOMAIN = "supportdesk.example"
DESKTOP_ID = APP_ID         # the .desktop file, the icons, the autostart entry (identity.py)
LOG_FILENAME = "supportdesk.log"
LOG_MAX_BYTES = 2 * 1024 * 1024
LOG_BACKUPS = 5
SHUTDOWN_STEP_SECONDS = 5.0


def backend_factory(preferences: Preferences, ca_file_arg: Callable[[], str]) -> BackendFactory:
    """The desk's backends: ``HttpBackend``, verifying TLS against ``--ca-file`` for this run
    (``ca_file_arg()``), else the ``ca_file`` preference, else the system's CAs."""
    return tls_backend_factory(lambda: ca_file_arg() or preferences.ca_file)


def demo_credentials() -> tuple[str, str]:
    """The demo agent the embedded server seeds, as (user name, password)."""
    from supportdesk_server.demo import DEMO_AGENT, DEMO_PASSWORD

    return DEMO_AGENT, DEMO_PASSWORD


# --- arguments ---------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="supportdesk",
        description="SupportDesk: the workplace of support agents (chats, tickets, clients).")
    parser.add_argument("--server", metavar="URL", default="",
                        help="the SupportDesk server to use, e.g. https://support.example.com "
                             "(default: the configured one; none configured: the built-in demo)")
    parser.add_argument("--ca-file", metavar="PEM", default="",
                        help="verify the server's TLS certificate against this CA "
                             "certificate file instead of the system's CAs (default: the "
                             "ca_file setting; certificates are always verified)")
    parser.add_argument("--demo", action="store_true",
                        help="start the built-in demo server and sign in as the demo agent")
    parser.add_argument("--log-level", default="warning",
                        choices=["debug", "info", "warning", "error"],
                        help="what to print on the terminal (the log file always has info)")
    parser.add_argument("--self-check", action="store_true",
                        help="start the built-in demo in a throw-away profile, open the main "
                             "window, wait for the list of chats, and exit 0 (non-zero with the "
                             "reason on failure); runs offscreen unless QT_QPA_PLATFORM is set")
    parser.add_argument("--version", action="version",
                        version=f"SupportDesk {app_version()} ({BINDING} {BINDING_VERSION}, "
                                f"Qt {QT_VERSION}, Python {sys.version.split()[0]})")
    # Qt's own options (-platform, -style...) are passed through to QApplication
    args, rest = parser.parse_known_args(argv)
    unknown = [a for a in rest if a.startswith("--")]
    if unknown:
        parser.error("unrecognized arguments: " + " ".join(unknown))
    args.qt_args = rest
    return args


# --- logging -----------------------------------------------------------------------------------------

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def qt_message_handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's own warnings go to the ``supportdesk.qt`` logger (and so to the log file)."""
    logger = logging.getLogger("supportdesk.qt" + (f".{context.category}" if context.category
                                                   and context.category != "default" else ""))
    where = f" ({context.file}:{context.line})" if context.file else ""
    logger.log(_QT_LEVELS.get(mode, logging.WARNING), "%s%s", message, where)


def setup_logging(level: str = "warning", log_dir: Path | None = None) -> Path:
    """Named loggers under ``supportdesk``; a rotating file in the logs dir; the terminal."""
    log_dir = log_dir or paths.log_dir()
    log_file = log_dir / LOG_FILENAME
    root = logging.getLogger()
    root.setLevel(logging.DEBUG)
    for h in list(root.handlers):
        if getattr(h, "_supportdesk", False):
            root.removeHandler(h)
    fmt = logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    file_handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    file_handler.setLevel(logging.DEBUG if level == "debug" else logging.INFO)
    file_handler.setFormatter(fmt)
    file_handler._supportdesk = True  # type: ignore[attr-defined]
    term = logging.StreamHandler(sys.stderr)
    term.setLevel(getattr(logging, level.upper(), logging.WARNING))
    term.setFormatter(fmt)
    term._supportdesk = True  # type: ignore[attr-defined]
    # no token or password in a log line, even when the libraries log their traffic (debug)
    redactor = RedactingFilter()
    file_handler.addFilter(redactor)
    term.addFilter(redactor)
    root.addHandler(file_handler)
    root.addHandler(term)
    # chatty libraries: their warnings are enough unless we debug
    for name in ("httpx", "httpcore", "websockets", "asyncio", "qasync", "keyring"):
        logging.getLogger(name).setLevel(logging.DEBUG if level == "debug" else logging.WARNING)
    logging.captureWarnings(True)
    return log_file


# --- the application ------------------------------------------------------------------------------------


class Desk:
    """The running desk: owns the session, the bridge, the main window and the task registry."""

    def __init__(self, app: QApplication, args: argparse.Namespace, *, log_file: str = "",
                 preferences: Preferences | None = None, window_state: WindowState | None = None,
                 secrets: SecretStore | None = None, embedded: EmbeddedServer | None = None,
                 instance: SingleInstance | None = None, tray_available: bool | None = None,
                 use_dbus: bool | None = None) -> None:
        self.app = app
        self.args = args
        self.reporter = ErrorReporter(log_file)
        self.tasks = TaskRegistry(on_error=self._task_failed)
        self.preferences = preferences or Preferences.load()
        translations().apply(self.preferences.language)   # before any window: it speaks it
        error_table.install()          # server errors in the desk's language (ui/common/errors.py)
        send_keys().bind(self.preferences)          # which key sends, in every composer
        theme_switch().bind(self.preferences)       # light / dark / the system's, at once
        self.window_state = window_state or WindowState.load()
        # ``--ca-file`` overrides the ``ca_file`` preference for this run
        self.ca_file: str = getattr(args, "ca_file", "") or ""
        self.session = Session(self.preferences, secrets or SecretStore(),
                               backend_factory(self.preferences, lambda: self.ca_file))
        self._embedded = embedded
        self.bridge = Bridge(self.tasks)
        self.window: MainWindow | None = None
        self.desktop: DesktopIntegration | None = None
        self.login_dialog: LoginDialog | None = None
        self.instance = instance
        self._tray_available = tray_available
        self._use_dbus = use_dbus
        self._show_at_start = True
        self.exit_code = 0
        self._quit = asyncio.Event()
        self._shutdown: asyncio.Task | None = None
        self._logging_out = False

    # -- lifecycle ---------------------------------------------------------------------------------

    async def run(self) -> int:
        """Sign in, show the workplace, and wait until the desk is asked to quit."""
        self._install_signal_handlers()
        self.build_window()
        self._show_at_start = self.desktop.start()
        self.autostart = Autostart(self.preferences).start()   # the login entry (platform/)
        self.language = LanguageSwitch(self)   # a new language rebuilds the window (no restart)
        if self.instance is not None:
            self.instance.raiseRequested.connect(lambda _args: self.show_and_raise())
        self.bridge.connectionChanged.connect(self._on_connection)
        # network up / wake from sleep: reconnect at once instead of after the backoff wait
        self.network_watch = NetworkWatch(self._reconnect_now, self.app)
        self.app.aboutToQuit.connect(self._about_to_quit)
        try:
            agent = await self._first_sign_in()
            if agent is None:
                self.request_quit()
            elif self._shutdown is None:         # not asked to quit while signing in
                await self._enter()
            await self._quit.wait()
        finally:
            await self.shutdown()
        return self.exit_code

    def build_window(self) -> None:
        """The main window and its tray/notifications, wired to the desk (at start-up, and again
        when the language changes: supportdesk_qt/language_switch.py)."""
        self.window = MainWindow(self.bridge, self.tasks, self.window_state, prefs=self.preferences)
        self.desktop = DesktopIntegration(
            self.window, self.bridge, self.preferences, raise_window=self.show_and_raise,
            tray_available=self._tray_available, use_dbus=self._use_dbus)
        self.window.logoutRequested.connect(lambda: self.request_logout())
        self.window.quitRequested.connect(self.request_quit)

    def show_and_raise(self) -> None:
        """Bring the desk to the front (tray, notification, a second launch): the login dialog
        while nobody is signed in, otherwise the main window."""
        if self.login_dialog is not None:
            self.login_dialog.show()
            self.login_dialog.raise_()
            self.login_dialog.activateWindow()
        elif self.window is not None and self.session.agent is not None:
            self.window.show_and_raise()

    def request_quit(self, code: int = 0) -> None:
        """Quit through the one shutdown coroutine (safe to call any number of times)."""
        if self._shutdown is None:
            self.exit_code = code
            self._shutdown = asyncio.ensure_future(self._do_shutdown())

    async def shutdown(self) -> None:
        """Stop the stream, close backend and embedded server, cancel tasks, end ``run``.

        Idempotent: every caller awaits the same task (FeelUOwn's sentinel); the work runs once,
        and a caller being cancelled does not cancel the shutdown itself.
        """
        if self._shutdown is None:
            self._shutdown = asyncio.ensure_future(self._do_shutdown())
        await asyncio.shield(self._shutdown)

    async def _do_shutdown(self) -> None:
        log.info("shutting down")
        try:
            await self._close_everything()
        except Exception:
            log.exception("shutdown failed half-way; quitting anyway")
        finally:
            self._quit.set()
            log.info("shut down")

    async def _close_everything(self) -> None:
        try:
            self.app.aboutToQuit.disconnect(self._about_to_quit)
        except (RuntimeError, TypeError):
            pass
        if self.desktop is not None:
            self.desktop.allow_quit()
        if self.login_dialog is not None:
            self.login_dialog.reject()
        if self.window is not None:
            self.window.memory.save_everything()      # geometry, open tabs, drafts: to the writer
            self.window.hide()
        if self.desktop is not None:           # tray icon, sounds, the notifications' D-Bus
            self.desktop.dispose()
        if self.instance is not None:          # a new launch may now become the desk
            self.instance.release()
        await self._step("detaching the bridge", self.bridge.detach())
        if self.session.workspace is not None:      # drafts saved; pending outbox rows stay
            await self._step("closing the workspace", self.session.workspace.close())
        backend = self.session.backend
        if backend is not None:
            await self._step("stopping the event stream", backend.stop_events())
        # closes the backend and stops the embedded server (SIGTERM, SIGKILL after 10 s)
        await self._step("closing the session", self.session.close(), timeout=20)
        if self._embedded is not None:       # started but never adopted by the session
            await self._step("stopping the embedded server", self._embedded.stop(), timeout=20)
        await self._write_out()              # on disk before the process ends
        await self.tasks.cancel_all()

    async def _write_out(self) -> None:
        """Settings, window state and drafts on disk (core/persist.py): waited for on a worker
        thread, so the loop keeps running, and bounded."""
        await self._step("writing settings and drafts", persist.aflush(persist.FLUSH_TIMEOUT),
                         timeout=persist.FLUSH_TIMEOUT + 1)

    @staticmethod
    async def _step(what: str, coro, timeout: float = SHUTDOWN_STEP_SECONDS) -> None:
        """One shutdown step: bounded in time, and its failure does not stop the next steps."""
        try:
            async with asyncio.timeout(timeout):
                await coro
        except TimeoutError:
            log.warning("%s took longer than %.0f s; going on without it", what, timeout)
        except Exception:
            log.exception("%s failed", what)

    def _about_to_quit(self) -> None:
        # Qt is quitting without us (session manager, app.quit() somewhere): start the shutdown;
        # whatever cannot finish is covered by the embedded server's atexit hook.
        if self._shutdown is None:
            log.warning("Qt is quitting before the desk shut down")
            self.request_quit()

    def _install_signal_handlers(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, self.request_quit)
            except (NotImplementedError, RuntimeError, ValueError):
                pass  # Windows / not the main thread: Ctrl+C ends through excepthook instead

    # -- signing in -------------------------------------------------------------------------------------

    async def _first_sign_in(self) -> Agent | None:
        server = (self.args.server or self.preferences.server_url).strip()
        if self.args.demo or not server:
            assert self.window is not None
            if self._show_at_start:
                self.window.show()
            self.window.show_message(translate("Desk", "Starting the built-in demo server…"), 0)
            try:
                return await self._start_demo()
            except BackendError as exc:
                self.window.hide()
                return await self._login(server_url="", message=exc.message)
        message = ""
        if server.rstrip("/") == self.preferences.server_url.rstrip("/"):
            try:
                agent = await self.session.restore()
            except BackendError as exc:
                agent, message = None, exc.message
            if agent is not None:
                log.info("signed in again as %s at %s", agent.login, self.session.server_url)
                return agent
        return await self._login(server_url=server, message=message)

    async def _start_demo(self) -> Agent:
        if self._embedded is None:
            self._embedded = EmbeddedServer(paths.data_dir(), credentials=demo_credentials())
        try:
            agent = await self.session.start_embedded(self._embedded)
        except EmbeddedServerError as exc:
            log.error("%s", exc)
            raise BackendError(str(exc).split("\n", 1)[0], code="embedded_failed") from exc
        log.info("Embedded server listening on %s", self._embedded.url)
        log.info("Visitor widget of the demo: %s", self._embedded.widget_url)
        return agent

    async def _login_fn(self, server_url: str, username: str, password: str,
                        remember: bool) -> Agent:
        if not server_url:
            return await self._start_demo()
        return await self.session.login(server_url, username, password, remember)

    async def _login(self, server_url: str, message: str = "") -> Agent | None:
        dialog = LoginDialog(self._login_fn, server_url=server_url,
                             username=self.preferences.username,
                             remember=self.preferences.remember_me, message=message)
        self.login_dialog = dialog
        try:
            return await dialog.run()
        finally:
            self.login_dialog = None
            dialog.deleteLater()

    async def _enter(self) -> None:
        """Show the workplace of the signed-in agent and open the event stream."""
        session, window = self.session, self.window
        assert session.backend is not None and session.agent is not None and window is not None
        label = (translate("Desk", "built-in demo") if session.is_embedded
                 else session.server_url.split("://", 1)[-1])
        workspace = session.open_workspace(server_label=label, spawn=self.tasks.spawn,
                                           drafts_dir=self.window_state.path.parent)
        window.set_workspace(workspace)
        window.statusBar().clearMessage()
        self.bridge.attach(session.backend)       # listen first, then open the stream
        await session.backend.start_events()
        if session.agent.status != AgentStatus.ONLINE:
            # the seed: opening the workplace makes the agent Online by default
            workspace.set_status(AgentStatus.ONLINE)
        if self._show_at_start:
            window.show()
            window.raise_()
            window.activateWindow()
        # start_minimised holds for the start only: after a logout the window comes back
        self._show_at_start = True

    # -- logging out --------------------------------------------------------------------------------------

    def request_logout(self, message: str = "") -> None:
        if not self._logging_out and self._shutdown is None:
            self.tasks.spawn(self._logout(message), name="logout")

    def _reconnect_now(self, reason: str) -> None:
        if self._shutdown is None and not self._logging_out:
            self.tasks.spawn(self.session.reconnect_now(reason), name="reconnect now")

    def _on_connection(self, change: ConnectionChanged) -> None:
        # the server no longer accepts our token (revoked, expired, agent disabled): the stream
        # gave up; ask the person to sign in again, saying why
        if change.state == ConnectionState.FAILED:
            self.request_logout(change.reason or translate(
                "Desk", "The server ended your session; please sign in again."))

    async def _logout(self, message: str = "") -> None:
        self._logging_out = True
        try:
            assert self.window is not None
            await self.bridge.detach()
            embedded = self.session.is_embedded
            server_url = "" if embedded else (self.session.server_url
                                               or self.preferences.server_url)
            self.window.set_workspace(None)       # closes every tab, empties the list of chats
            # revokes the token on the server, deletes the keyring entry, closes the workspace
            await self.session.logout()
            self.window.hide()
            await self._write_out()      # a crash-safe point: the closed tabs' drafts on disk
            if self.desktop is not None:          # no popups or reminders for a signed-out desk
                self.desktop.reset()
            agent = await self._login(server_url=server_url, message=message)
            if agent is None:
                self.request_quit()
            elif self._shutdown is None:
                await self._enter()
        finally:
            self._logging_out = False

    # -- errors ----------------------------------------------------------------------------------------------

    def _task_failed(self, exc: BaseException, name: str) -> None:
        self.reporter.report(
            translate("Desk", "A background operation (%1) failed unexpectedly. SupportDesk keeps "
                       "running; if something looks wrong, restart it.").replace("%1", name),
            "".join(traceback.format_exception(exc)), self.window)


# --- entry point -----------------------------------------------------------------------------------------


def _install_excepthook(reporter_of: Callable[[], ErrorReporter | None]) -> None:
    previous = sys.excepthook

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        logging.getLogger("supportdesk.crash").critical(
            "unhandled exception", exc_info=(exc_type, exc, tb))
        try:
            reporter = reporter_of()
            if reporter is not None:
                reporter.report(
                    translate("Desk", "An unexpected error happened in SupportDesk. Your work is not "
                               "lost; if something looks wrong, restart the app."),
                    "".join(traceback.format_exception(exc_type, exc, tb)))
        except Exception:
            logging.getLogger("supportdesk.crash").exception("showing the error dialog failed")

    sys.excepthook = hook


def _loop_exception_handler(loop: asyncio.AbstractEventLoop, context: dict) -> None:
    exc = context.get("exception")
    logging.getLogger("supportdesk.loop").error(
        "asyncio: %s", context.get("message", "error"), exc_info=exc)


def create_application(qt_args: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication([sys.argv[0], *(qt_args or [])])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setOrganizationDomain(ORG_DOMAIN)
    app.setApplicationVersion(app_version())
    app.setDesktopFileName(DESKTOP_ID)
    # the window and taskbar icon where no installed icon theme has it (wheel, frozen build)
    app.setWindowIcon(QIcon(str(assets.resource("icons", "app.svg"))))
    app.setQuitOnLastWindowClosed(False)   # the desk quits through Desk.shutdown, never implicitly
    return app


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    log_file = setup_logging(args.log_level)
    qInstallMessageHandler(qt_message_handler)
    log.info("SupportDesk %s starting (%s %s, Qt %s, Python %s)%s", app_version(), BINDING,
             BINDING_VERSION, QT_VERSION, sys.version.split()[0],
             "; binding reference-count safety net on" if SINGLETON_REFCOUNT_FIX else "")
    app = create_application(args.qt_args)
    # one desk per user and profile, claimed before any window exists
    instance = SingleInstance()
    if not instance.claim():
        delivered = instance.notify_running(sys.argv[1:] if argv is None else list(argv))
        log.info("SupportDesk is already running; %s", "asked it to show its window"
                 if delivered else "it did not answer")
        logging.shutdown()
        return 0
    holder: dict[str, Desk] = {}
    _install_excepthook(lambda: holder["desk"].reporter if "desk" in holder else None)

    async def amain() -> int:
        asyncio.get_running_loop().set_exception_handler(_loop_exception_handler)
        desk = holder["desk"] = Desk(app, args, log_file=str(log_file), instance=instance)
        return await desk.run()

    try:
        if sys.version_info >= (3, 12):
            code = asyncio.run(amain(), loop_factory=lambda: QEventLoop(app))
        else:
            code = qasync.run(amain())
    except KeyboardInterrupt:
        code = 130
    except RuntimeError as exc:
        # Qt's loop ended under us (e.g. the session manager quit the app): cleanup is best-effort
        # (the embedded server also has an atexit hook and dies with us on Linux)
        log.warning("event loop ended early: %s", exc)
        code = 1
    instance.release()                  # already done by a clean shutdown; not by a crash
    log.info("SupportDesk exits with %s", code)
    logging.shutdown()
    return code

"""``supportdesk --self-check``: does this install work? Start, show the queue, quit.

What an installer, a package build or a support person runs to see that an install is whole (Qt
and its plugins, the bundled resources, the embedded server with its database and migrations)::

    supportdesk --self-check        # exit 0: it works; otherwise one sentence on stderr

It runs the real desk (:class:`~supportdesk_qt.app.Desk`) on the built-in demo, in a throw-away
profile (``SUPPORTDESK_HOME`` in a temporary folder: the user's settings, drafts and demo database
are not touched; no single-instance claim, so it also runs beside an open desk), without a tray or
D-Bus, on Qt's ``offscreen`` platform unless ``QT_QPA_PLATFORM`` says otherwise. It passes when
the main window is shown with the list of chats loaded from the server; it fails, with the
reason, when the demo server does not start (the desk falls back to its login dialog), when
anything is not there within :data:`TIMEOUT` seconds, or on an unexpected error. Then the desk
shuts down the normal way and the profile is deleted.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
import time

log = logging.getLogger("supportdesk.self_check")

TIMEOUT = 150.0          # the embedded server alone may take up to 90 s on a slow machine
DEMO_CLIENTS = 50        # a small demo data set: seeding is most of the start time
POLL = 0.05


def run(args: argparse.Namespace) -> int:
    """The self-check as a process exit code (0: passed)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="supportdesk-self-check-") as home:
        os.environ["SUPPORTDESK_HOME"] = home
        try:
            problem, detail = _run_desk(args)
        except Exception as exc:      # the check exists to turn any breakage into a sentence
            problem, detail = f"the desk failed unexpectedly: {exc!r}", ""
    took = time.monotonic() - started
    if problem:
        print(f"SupportDesk self-check FAILED after {took:.1f} s: {problem}", file=sys.stderr)
        if detail:
            print(detail, file=sys.stderr)
        return 1
    print(f"SupportDesk self-check passed in {took:.1f} s: {detail}")
    return 0


def _run_desk(args: argparse.Namespace) -> tuple[str, str]:
    """(problem, detail): problem is "" when the check passed."""
    from supportdesk_qt import app as desk_app
    from supportdesk_qt.core import paths
    from supportdesk_qt.core.embedded import EmbeddedServer
    from supportdesk_qt.qt import QEventLoop, qasync

    log_file = desk_app.setup_logging(args.log_level)
    qt_app = desk_app.create_application(args.qt_args)
    args.demo, args.server = True, ""
    result: dict[str, tuple[str, str]] = {}

    async def check() -> int:
        embedded = EmbeddedServer(paths.data_dir(), credentials=desk_app.demo_credentials(),
                                  demo_clients=DEMO_CLIENTS)
        desk = desk_app.Desk(qt_app, args, log_file=str(log_file), embedded=embedded,
                             tray_available=False, use_dbus=False)
        running = asyncio.ensure_future(desk.run())
        try:
            result["outcome"] = await _watch(desk, running)
        finally:
            desk.request_quit(0 if not result.get("outcome", ("x",))[0] else 1)
            await running
        return 0

    if sys.version_info >= (3, 12):
        asyncio.run(check(), loop_factory=lambda: QEventLoop(qt_app))
    else:
        qasync.run(check())
    problem, detail = result.get("outcome", ("the desk stopped before the check ended", ""))
    if problem:
        detail = f"The desk's log: {log_file}" + (f"\n{detail}" if detail else "")
    return problem, detail


async def _watch(desk, running: asyncio.Future) -> tuple[str, str]:
    """Wait (bounded) until the main window shows the loaded queue, or something went wrong."""
    deadline = time.monotonic() + TIMEOUT
    await asyncio.sleep(0)              # Desk.run makes the main window before its first await
    window = desk.window
    if window is None:
        return "the desk did not create its main window", ""
    state = {"loaded": False, "failed": ""}
    window.queue_model.loadingChanged.connect(
        lambda loading: state.update(loaded=state["loaded"] or not loading))
    window.workspace_signals.queueLoadFailed.connect(lambda message: state.update(failed=message))
    while time.monotonic() < deadline:
        if running.done():
            return "the desk quit on its own before showing the list of chats", ""
        if desk.login_dialog is not None:        # the demo server failed; the desk asks for one
            return ("the built-in demo server did not start, so the desk fell back to its login "
                    "dialog", _embedded_log(desk))
        if state["failed"]:
            return f"the list of chats did not load: {state['failed']}", ""
        if state["loaded"] and window.isVisible() and window.queue_page.isVisible():
            return "", (f"the main window shows the queue ({window.queue_model.rowCount()} "
                        f"waiting chats) from the built-in demo server")
        await asyncio.sleep(POLL)                # a bounded poll of the desk's state
    return f"the main window with the list of chats did not appear within {TIMEOUT:.0f} s", ""


def _embedded_log(desk) -> str:
    embedded = desk.session.embedded or desk._embedded
    return embedded.log_tail() if embedded is not None else ""

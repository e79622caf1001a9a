"""Fixtures for widget tests: a headless display and a qasync loop driven by pytest-qt.

How the asyncio side runs here
------------------------------
pytest-qt has no qasync integration, and pytest-asyncio would run coroutines on its own loop,
not Qt's. So the ``aloop`` fixture installs a ``qasync.QEventLoop`` over pytest-qt's
``QApplication`` with ``already_running=True``: it becomes the running asyncio loop for the test,
and its callbacks are Qt timers and socket notifiers. Whenever the Qt event loop spins (which
``qtbot.waitUntil``, ``qtbot.waitSignal`` and ``qtbot.wait`` do) the asyncio callbacks run too, on
the GUI thread, exactly as in the app. So a test is a plain synchronous function that

* starts coroutines with ``aloop.create_task(...)`` (or lets widgets start them through a
  ``TaskRegistry``), and
* waits for their effect with ``qtbot.waitUntil(condition)`` / ``qtbot.waitSignal(...)``, or for a
  result with the ``run`` helper (``run(coro)`` spins Qt until the coroutine is done).

No ``sleep`` is used to synchronise anything. At teardown every task still pending is cancelled
and given the chance to finish, and the loop is un-installed (so plain pytest-asyncio tests in the
same session run on their own loops). The qasync loop itself is created once per session: see
``_session_qloop`` for why a fresh one per test does not work.
"""

from __future__ import annotations

import asyncio
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from supportdesk_qt.qt import QEventLoop  # noqa: E402
from supportdesk_qt.ui.tasks import TaskRegistry  # noqa: E402

RUN_TIMEOUT_MS = 30_000

# The offscreen platform plugin warns about window-manager features it does not have; those are
# facts about the test display, not defects of the desk (pyproject fails tests on Qt warnings).
OFFSCREEN_NOISE = (r"This plugin does not support propagateSizeHints\(\)",
                   r"This plugin does not support raise\(\)",
                   r"This plugin does not support setParent!?",
                   r"This plugin does not support grabbing the keyboard")
# The desk plays alert sounds (ui/desktop.py): Qt Multimedia then reports which optional
# libraries and audio servers this machine lacks (same lines as tests/platform/conftest.py's
# MULTIMEDIA_NOISE); the desk handles "no audio output" itself.
MULTIMEDIA_NOISE = (r"Couldn't (load|resolve) (pipewire-0\.3|va|va-drm|va-x11|va\(in plugin\)) "
                    r"(library|symbols)$",
                    r"PulseAudioService: pa_context_connect\(\) failed$")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        return
    for item in items:
        if "tests/ui/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE, *MULTIMEDIA_NOISE))


@pytest.fixture(scope="session")
def _session_qloop(qapp):
    """One qasync loop for the whole session.

    A second ``QEventLoop`` over the same ``QApplication`` does not get its socket notifiers
    served after the first one was closed (observed with qasync 0.28: the second test's first
    TCP connect never completes), so the loop lives as long as the application does.
    """
    loop = QEventLoop(qapp, already_running=True)
    asyncio.events._set_running_loop(None)   # installed per test by ``aloop`` only
    yield loop
    # Join the executor's worker QThreads (keyring calls run there), or Qt aborts at exit with
    # "QThread: Destroyed while thread is still running". Not loop.close(): with the app alive it
    # disconnects signals in a way that crashes the interpreter at finalisation.
    executor = getattr(loop, "_QEventLoop__default_executor", None)
    if executor is not None:
        executor.shutdown(wait=True)


@pytest.fixture
def aloop(_session_qloop, qtbot):
    loop = _session_qloop
    asyncio.events._set_running_loop(loop)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for t in pending:
            t.cancel()
        if pending:
            qtbot.waitUntil(lambda: all(t.done() for t in pending), timeout=10_000)
        # not running outside UI tests: pytest-asyncio and asyncio.run() in other tests must
        # not find a "running" loop
        asyncio.events._set_running_loop(None)
        asyncio.set_event_loop(None)


@pytest.fixture
def run(aloop, qtbot):
    """``run(coro, timeout_ms=...)``: run a coroutine on the qasync loop, spinning Qt until it ends."""

    def _run(coro, timeout_ms: int = RUN_TIMEOUT_MS):
        task = aloop.create_task(coro)
        qtbot.waitUntil(task.done, timeout=timeout_ms)
        return task.result()

    return _run


@pytest.fixture
def tasks(aloop, qtbot):
    """A TaskRegistry whose failures fail the test (a background error must not pass silently)."""
    errors: list[BaseException] = []
    registry = TaskRegistry(on_error=lambda exc, name: errors.append(exc))
    yield registry
    pending = [t for t in registry._tasks if not t.done()]
    for t in pending:
        t.cancel()
    if pending:
        qtbot.waitUntil(lambda: all(t.done() for t in pending), timeout=10_000)
    if errors:
        raise errors[0]

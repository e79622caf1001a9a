"""Nothing secret outside the keyring: the real desk signs in with a password ("remember me" on,
the token goes to the keyring — tests/support/memkeyring.py), works, crashes a little, quits; then
every file it wrote (settings, window state, logs, outbox, drafts), its stderr, the crash report
and the server's log are searched for the password and the token. Both at the default log level
and at ``--log-level debug`` (where the HTTP and WebSocket libraries log their traffic)."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from supportdesk_qt.app import Desk, _install_excepthook, parse_args, setup_logging
from supportdesk_qt.core import paths
from supportdesk_qt.core.secrets import SERVICE, secret_key
from supportdesk_qt.qt import Qt
from supportdesk_server.auth import hash_password
from supportdesk_server.store import models as M
from supportdesk_server.store.db import create_engine, make_sessionmaker
from tests.server.helpers import SALES, seed_basic
from tests.support.memkeyring import MemoryKeyring
from tests.support.server import ServerProcess
from tests.ui.test_desk_e2e import WAIT, sign_in, wait_connected
from tests.ui.visitor import Visitor

SECRET_PASSWORD = "Very-Secret-Passw0rd-7f3a"


async def seed(url: str) -> None:
    await seed_basic(url)
    engine = create_engine(url)
    try:
        async with make_sessionmaker(engine)() as s:
            agent = M.Agent(login="sam", display_name="Sam", role="agent",
                            password_hash=hash_password(SECRET_PASSWORD))
            s.add(agent)
            await s.flush()
            s.add(M.AgentDepartment(agent_id=agent.id, department_id=SALES))
            await s.commit()
    finally:
        await engine.dispose()


@pytest.fixture
def secret_server(tmp_path):
    srv = ServerProcess(tmp_path / "server", demo=False)
    with ThreadPoolExecutor(1) as pool:      # the UI tests' qasync loop may be running
        pool.submit(asyncio.run, seed(srv.database_url)).result()
    srv.start()
    yield srv
    srv.stop()


def _files_under(*roots: Path) -> list[Path]:
    out: set[Path] = set()
    for root in roots:
        if root.exists():
            out |= {p.resolve() for p in root.rglob("*") if p.is_file()}
    return sorted(out)


def _pieces(secret: str, n: int = 12) -> list[str]:
    """Every ``n``-character piece of ``secret``: a log line that shows part of it leaks too."""
    return [secret[i:i + n] for i in range(0, max(1, len(secret) - n + 1))]


def _found(secret: str, text: str) -> bool:
    return any(p in text for p in _pieces(secret))


def _hits(secret: str, files: list[Path]) -> list[str]:
    return [str(p) for p in files if _found(secret, p.read_bytes().decode("utf-8", "replace"))]


@pytest.fixture
def _logging_restored():
    root = logging.getLogger()
    before = list(root.handlers), root.level
    levels = {n: logging.getLogger(n).level for n in ("httpx", "httpcore", "websockets",
                                                       "asyncio", "qasync", "keyring")}
    hook = sys.excepthook
    yield
    for h in list(root.handlers):
        if h not in before[0]:
            root.removeHandler(h)
            h.close()
    root.setLevel(before[1])
    for n, lvl in levels.items():
        logging.getLogger(n).setLevel(lvl)
    sys.excepthook = hook


@pytest.mark.parametrize("level", ["warning", "debug"])
def test_password_and_token_are_only_in_the_keyring(qapp, aloop, run, qtbot, capfd, tmp_path,
                                                      secret_server, level, _logging_restored):
    MemoryKeyring._store.clear()
    log_file = setup_logging(level)
    assert log_file.is_relative_to(tmp_path)          # the autouse fixture's isolated dirs
    desk = Desk(qapp, parse_args(["--server", secret_server.url, "--log-level", level]),
                log_file=str(log_file))
    _install_excepthook(lambda: desk.reporter)
    desk.runner = aloop.create_task(desk.run())
    try:
        dlg = sign_in(qtbot, desk, "sam", SECRET_PASSWORD)
        if not dlg.remember_check.isChecked():
            qtbot.mouseClick(dlg.remember_check, Qt.MouseButton.LeftButton)
        wait_connected(qtbot, desk)
        token = desk.session.backend.token
        assert token and len(token) >= 20
        # the keyring has it (the only place)
        assert MemoryKeyring._store[(SERVICE, secret_key(secret_server.url, "sam"))] == token

        # work a little: a visitor's chat arrives, is taken, answered (logs, outbox, drafts)
        visitor = Visitor(secret_server.url)
        run(visitor.connect())
        run(visitor.start_chat("Sales", "Vera", "hello"))
        chat_id = visitor.chat["id"]
        w = desk.window
        qtbot.waitUntil(lambda: w.queue_model.chat(chat_id) is not None, timeout=WAIT)
        run(desk.session.backend.take_chat(chat_id))
        run(visitor.ws.close())

        # a crash: the excepthook logs it and shows the error dialog with the traceback
        try:
            raise RuntimeError("simulated failure while signed in")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
        qtbot.waitUntil(lambda: desk.reporter.dialog is not None, timeout=WAIT)
        crash_report = desk.reporter.dialog.detailedText() + desk.reporter.dialog.text()
        desk._task_failed(ValueError("a task failed"), "test-task")   # a failed background task
    finally:
        desk.request_quit()
        qtbot.waitUntil(desk.runner.done, timeout=WAIT)
        desk.runner.result()
    for h in logging.getLogger().handlers:
        h.flush()
    out, err = capfd.readouterr()

    desk_files = _files_under(paths.config_dir(), paths.data_dir(), paths.log_dir(),
                              tmp_path / "xdg", tmp_path / "home")
    names = {p.name for p in desk_files}
    assert "settings.json" in names and log_file.name in names, names
    settings = json.loads((paths.config_dir() / "settings.json").read_text())
    assert settings["username"] == "sam" and settings["remember_me"] is True
    assert "simulated failure while signed in" in log_file.read_text()   # the crash is logged
    for secret, what in ((SECRET_PASSWORD, "password"), (token, "token")):
        assert not _hits(secret, desk_files), f"the {what} is in {_hits(secret, desk_files)}"
        assert not _found(secret, out + err), f"the {what} is on stdout/stderr"
        assert not _found(secret, crash_report), f"the {what} is in the crash report"
        assert not _found(secret, secret_server.log()), f"the {what} is in the server log"
    if level == "debug":    # the libraries did log the traffic: the redaction had work to do
        assert "[redacted]" in log_file.read_text()

"""SingleInstance: a second claim is refused and raises the first; a crashed desk's socket is
cleaned up."""

from __future__ import annotations

import os
import socket
import uuid

import pytest

from supportdesk_qt.platform.single_instance import SingleInstance, default_server_name
from supportdesk_qt.qt import QLocalSocket, QtCore


@pytest.fixture
def name():
    return f"sd-test-{uuid.uuid4().hex[:12]}"


def test_second_claim_is_refused_and_raises_the_first(qtbot, name):
    first = SingleInstance(name)
    second = SingleInstance(name)
    try:
        assert first.claim() is True
        assert first.is_primary()
        assert second.claim() is False
        assert not second.is_primary()
        with qtbot.waitSignal(first.raiseRequested, timeout=5000) as blocker:
            assert second.notify_running(["--open", "chat:7"]) is True
        assert blocker.args == [["--open", "chat:7"]]
    finally:
        first.release()
        second.release()


def test_release_lets_the_next_desk_claim(qtbot, name):
    first = SingleInstance(name)
    assert first.claim()
    path = first.server_path()
    first.release()
    assert not os.path.exists(path)
    again = SingleInstance(name)
    try:
        assert again.claim() is True
    finally:
        again.release()


@pytest.mark.skipif(os.name == "nt", reason="named pipes leave no file behind on Windows")
def test_stale_socket_from_a_crash_is_replaced(qtbot, name):
    # what a crashed desk leaves: a socket file nobody listens on (connect is refused)
    path = os.path.join(QtCore.QDir.tempPath(), name)
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(path)
    stale.listen(1)
    stale.close()
    assert os.path.exists(path)
    probe = QLocalSocket()
    probe.connectToServer(name)
    assert not probe.waitForConnected(500)

    first = SingleInstance(name)
    second = SingleInstance(name)
    try:
        assert first.claim() is True, "the stale socket must not block the desk from starting"
        assert second.claim() is False
        with qtbot.waitSignal(first.raiseRequested, timeout=5000) as blocker:
            second.notify_running([])
        assert blocker.args == [[]]
    finally:
        first.release()
        second.release()


def test_garbage_is_ignored_and_a_later_raise_still_works(qtbot, name):
    first = SingleInstance(name)
    assert first.claim()
    raised = []
    first.raiseRequested.connect(raised.append)
    try:
        junk = QLocalSocket()
        junk.connectToServer(name)
        assert junk.waitForConnected(2000)
        junk.write(b"\xff not json\n{\"cmd\": \"format-disk\"}\n")
        junk.waitForBytesWritten(2000)
        junk.disconnectFromServer()
        second = SingleInstance(name)
        assert not second.claim()
        with qtbot.waitSignal(first.raiseRequested, timeout=5000):
            second.notify_running(["x"])
        assert raised == [["x"]]
    finally:
        first.release()


def test_notify_running_without_a_desk_reports_failure(name):
    assert SingleInstance(name).notify_running([]) is False


def test_default_name_is_per_profile(monkeypatch, tmp_path):
    a = default_server_name()
    monkeypatch.setenv("SUPPORTDESK_HOME", str(tmp_path / "other-profile"))
    b = default_server_name()
    assert a != b
    assert a.startswith("supportdesk-") and len(a) < 60

"""Shared fixtures: the real server on a loopback port, temp dirs for every setting and path,
an in-memory keyring. Nothing here touches the user's real config, data or keyring."""

from __future__ import annotations

import os

import pytest

from tests.support.server import ServerProcess

PG_URL = os.environ.get("SUPPORTDESK_TEST_PG_URL",
                        "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    """Point XDG/platformdirs locations at the test's temp dir."""
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state")):
        monkeypatch.setenv(var, str(tmp_path / "xdg" / sub))
    monkeypatch.setenv("SUPPORTDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.support.memkeyring.MemoryKeyring")
    yield
    # what a test's stores handed the background writer lands in that test's dirs, not later
    from supportdesk_qt.core import persist
    persist.writer().flush()


@pytest.fixture(scope="session")
def shared_server(tmp_path_factory):
    """One demo server for the whole session (read-mostly tests). Tests that change global state
    (agent status, forwards) should use ``server`` instead."""
    srv = ServerProcess(tmp_path_factory.mktemp("shared-server"), demo=True, demo_clients=60)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def server(tmp_path):
    """A fresh demo server (own SQLite file) for one test."""
    srv = ServerProcess(tmp_path / "server", demo=True, demo_clients=20)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def qapp(qapp, tmp_path_factory):
    """pytest-qt's application with the desk's English catalog installed, as the app does at
    start-up: the plural forms of the "%n ..." strings ("1 chat waiting", "2 chats waiting")
    come from resources/translations/supportdesk_en.ts, compiled here into a temp dir."""
    from supportdesk_qt.i18n import translations
    translations().cache = tmp_path_factory.mktemp("qm")
    translations().apply("en", set_locale=False)
    return qapp

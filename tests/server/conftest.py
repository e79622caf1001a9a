from __future__ import annotations

import pytest

from tests.server.helpers import Agent, start_basic_server


def assert_no_server_errors(srv) -> None:
    """A 500 or an unhandled exception in the server log is a bug."""
    text = srv.log_path.read_text(errors="replace")
    for marker in ("Exception in ASGI application", "500 Internal Server Error", "Traceback"):
        assert marker not in text, f"server log has {marker!r}:\n{text[-6000:]}"


@pytest.fixture(scope="module")
def basic_server(tmp_path_factory):
    """A server on the small fixture data set (no demo), shared by one test module."""
    srv = start_basic_server(tmp_path_factory.mktemp("basic-server"))
    yield srv
    srv.stop()
    assert_no_server_errors(srv)


@pytest.fixture
def fresh_server(tmp_path):
    """A server of its own for tests that change global state (status, forwards)."""
    srv = start_basic_server(tmp_path / "server", extra_args=["--forward-return-seconds", "1"])
    yield srv
    srv.stop()
    assert_no_server_errors(srv)


@pytest.fixture
def agents(basic_server):
    made: dict[str, Agent] = {}

    def get(login: str) -> Agent:
        if login not in made:
            made[login] = Agent(basic_server, login)
        return made[login]

    yield get
    for a in made.values():
        a.close()

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import websockets.asyncio.client
import websockets.sync.client

from tests.server.frame_check import FrameChecker
from tests.server.helpers import Agent, start_basic_server

_FRAMES = FrameChecker()


@pytest.fixture(autouse=True)
def frames_are_described(monkeypatch):
    """Every text frame a test of tests/server receives from either socket (asyncio and sync
    websockets clients) is validated against the AsyncAPI document: a frame that is not
    described fails the test, at the recv and again at teardown (in case the test swallowed the
    exception)."""
    problems: list[str] = []

    def check(conn, data):  # noqa: ANN001
        if isinstance(data, str):
            problem = _FRAMES.problem(urlsplit(conn.request.path).path, data)
            if problem:
                problems.append(problem)
                raise AssertionError(problem)
        return data

    async_recv = websockets.asyncio.client.ClientConnection.recv
    sync_recv = websockets.sync.client.ClientConnection.recv

    async def recv_async(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        return check(self, await async_recv(self, *args, **kwargs))

    def recv_sync(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        return check(self, sync_recv(self, *args, **kwargs))

    monkeypatch.setattr(websockets.asyncio.client.ClientConnection, "recv", recv_async)
    monkeypatch.setattr(websockets.sync.client.ClientConnection, "recv", recv_sync)
    yield problems
    assert not problems, "frames not described by asyncapi.json:\n" + "\n".join(problems)


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

"""TLS end to end: the server serves HTTPS/WSS with --ssl-certfile/--ssl-keyfile; the desktop client
verifies the certificate by default (fails with a sentence that says so), and trusts a private CA
only when given its file (``--ca-file`` / the ``ca_file`` preference). The CA is made in the test
(trustme), so nothing here depends on the machine's CA store."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import httpx
import pytest
import trustme
import websockets

from supportdesk_qt.backend.base import (
    ConnectionChanged,
    ConnectionState,
    NetworkError,
    ValidationFailed,
)
from supportdesk_qt.backend.http import HttpBackend
from supportdesk_qt.core.secrets import SecretStore
from supportdesk_qt.core.session import Session
from supportdesk_qt.core.settings import Preferences
from tests.core.conftest import next_item
from tests.server.conftest import assert_no_server_errors
from tests.server.helpers import PASSWORD, start_basic_server
from tests.support.memkeyring import MemoryKeyring


@pytest.fixture(scope="module")
def ca():
    return trustme.CA()


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory, ca):
    work = tmp_path_factory.mktemp("tls")
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cert.private_key_and_cert_chain_pem.write_to_path(str(work / "server.pem"))
    cert.private_key_pem.write_to_path(str(work / "server.key"))
    ca.cert_pem.write_to_path(str(work / "ca.pem"))
    srv = start_basic_server(work / "srv", extra_args=["--ssl-certfile", str(work / "server.pem"),
                                                       "--ssl-keyfile", str(work / "server.key")])
    srv.ca_path = str(work / "ca.pem")
    yield srv
    srv.stop()
    log = srv.log_path.read_text(errors="replace")
    # refused handshakes (the tests that expect a failure) are logged by uvicorn as warnings,
    # not as errors of the application
    assert "Exception in ASGI application" not in log and "Traceback" not in log, log[-4000:]


def test_server_speaks_https(tls_server):
    assert tls_server.url.startswith("https://127.0.0.1:")
    import ssl

    r = httpx.get(tls_server.api("/info"),
                  verify=ssl.create_default_context(cafile=tls_server.ca_path))
    assert r.status_code == 200 and r.json()["protocol_version"] == 2
    with pytest.raises(httpx.ConnectError):
        httpx.get(tls_server.api("/info"))           # the system CAs do not know our test CA
    with pytest.raises(httpx.HTTPError):
        httpx.get(tls_server.api("/info").replace("https://", "http://"), timeout=5)


def test_visitor_socket_over_wss(tls_server):
    import ssl

    async def go() -> dict:
        ssl_ctx = ssl.create_default_context(cafile=tls_server.ca_path)
        async with httpx.AsyncClient(verify=ssl_ctx) as http:
            token = (await http.post(tls_server.api("/visitor/session"), json={})
                     ).json()["visitor_token"]
        async with websockets.connect(tls_server.ws_url("/visitor/ws"), ssl=ssl_ctx) as ws:
            await ws.send(json.dumps({"op": "hello", "visitor_token": token}))
            return json.loads(await asyncio.wait_for(ws.recv(), 10))

    assert tls_server.ws_url("/visitor/ws").startswith("wss://")
    assert asyncio.run(go())["op"] == "welcome"


async def test_client_refuses_an_unknown_certificate_by_default(tls_server):
    backend = HttpBackend(tls_server.url)
    try:
        with pytest.raises(NetworkError) as info:
            await backend.login("alice", PASSWORD)
    finally:
        await backend.close()
    msg = info.value.message
    assert msg.startswith(f"Cannot reach the server at {tls_server.url}")
    assert "TLS certificate could not be verified" in msg, msg


async def test_client_with_the_ca_file_signs_in_and_streams_events(tls_server):
    backend = HttpBackend(tls_server.url, verify=tls_server.ca_path)
    items = backend.items()
    try:
        resp = await backend.login("alice", PASSWORD)
        assert resp.agent.login == "alice"
        await backend.start_events()               # the agent socket: wss:// with the same CA
        changed = await next_item(items, ConnectionChanged,
                                  where=lambda c: c.state == ConnectionState.CONNECTED)
        assert changed.state == ConnectionState.CONNECTED
    finally:
        await backend.close()


async def test_session_uses_the_ca_file_preference_and_cli(tls_server, tmp_path):
    prefs = Preferences.load(tmp_path / "settings.json")
    from supportdesk_qt.app import backend_factory

    cli = {"ca_file": ""}     # --ca-file for this run
    session = Session(prefs, SecretStore(backend=MemoryKeyring()),
                      backend_factory(prefs, lambda: cli["ca_file"]))
    try:
        with pytest.raises(NetworkError, match="TLS certificate could not be verified"):
            await session.login(tls_server.url, "alice", PASSWORD, remember=False)
        prefs.ca_file = tls_server.ca_path              # the setting
        agent = await session.login(tls_server.url, "alice", PASSWORD, remember=False)
        assert agent.login == "alice"
        prefs.ca_file = ""
        cli["ca_file"] = tls_server.ca_path             # --ca-file for this run
        assert (await session.login(tls_server.url, "bob", PASSWORD, remember=False)).login == "bob"
        cli["ca_file"] = str(tmp_path / "missing.pem")
        with pytest.raises(ValidationFailed) as info:
            await session.login(tls_server.url, "bob", PASSWORD, remember=False)
        assert "missing.pem cannot be used" in info.value.message
        not_pem = tmp_path / "not.pem"
        not_pem.write_text("hello")
        cli["ca_file"] = str(not_pem)
        with pytest.raises(ValidationFailed, match="not.pem cannot be used"):
            await session.login(tls_server.url, "bob", PASSWORD, remember=False)
    finally:
        await session.close()


def test_desk_cli_accepts_ca_file():
    from supportdesk_qt.app import parse_args

    assert parse_args(["--ca-file", "/etc/ssl/company.pem"]).ca_file == "/etc/ssl/company.pem"
    assert parse_args([]).ca_file == ""


def test_server_needs_both_cert_and_key(tmp_path):
    r = subprocess.run([sys.executable, "-m", "supportdesk_server", "--port", "0",
                        "--database-url", f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}",
                        "--ssl-certfile", str(tmp_path / "cert.pem")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert "--ssl-certfile and --ssl-keyfile go together" in r.stderr


def test_there_is_no_insecure_mode():
    with pytest.raises(ValueError, match="cannot be turned off"):
        HttpBackend("https://127.0.0.1:9", verify=False)

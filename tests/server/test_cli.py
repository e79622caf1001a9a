"""The command line: ready file, port 0, default database location, --bootstrap-admin, clean
shutdown on SIGTERM/SIGINT."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.server.helpers import assert_error
from tests.support.server import ServerProcess


def test_bootstrap_admin_and_ready_file(tmp_path):
    srv = ServerProcess(tmp_path / "boot", demo=False,
                        extra_args=["--bootstrap-admin", "root:s3cret"])
    srv.start()
    try:
        info = json.loads((srv.workdir / "ready.json").read_text())
        assert info["pid"] == srv.proc.pid and info["url"] == srv.url
        assert srv.url.startswith("http://127.0.0.1:") and srv.port > 0
        token = srv.login("root", "s3cret")
        me = httpx.get(srv.api("/me"), headers={"Authorization": f"Bearer {token}"}).json()
        assert me["role"] == "admin" and len(me["department_ids"]) == 1
        deps = httpx.get(srv.api("/departments"),
                         headers={"Authorization": f"Bearer {token}"}).json()
        assert [d["name"] for d in deps["items"]] == ["General"]
        # a second start with another bootstrap spec changes nothing: agents exist
        srv.extra_args = ["--bootstrap-admin", "other:pw"]
        srv.restart()
        r = httpx.post(srv.api("/auth/login"), json={"username": "other", "password": "pw"})
        assert_error(r, 401, "unauthorized")
        assert srv.login("root", "s3cret")
    finally:
        srv.stop()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_clean_shutdown(tmp_path, sig):
    srv = ServerProcess(tmp_path / "sig", demo=False).start()
    proc = srv.proc
    proc.send_signal(sig)
    assert proc.wait(15) == 0
    assert "Application shutdown complete" in srv.log()


def test_default_database_in_user_data_dir(tmp_path):
    """Without --database-url and SUPPORTDESK_DATABASE_URL: a SQLite file in the user data dir
    (the test's XDG_DATA_HOME); with the variable set, that URL."""
    ready = tmp_path / "ready.json"
    env = {k: v for k, v in os.environ.items() if k != "SUPPORTDESK_DATABASE_URL"}
    log = open(tmp_path / "log.txt", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "supportdesk_server", "--port", "0",
                             "--ready-file", str(ready)], env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert proc.poll() is None, (tmp_path / "log.txt").read_text()
            assert time.monotonic() < deadline
            time.sleep(0.05)   # polling a child's ready file
        url = json.loads(ready.read_text())["url"]
        assert httpx.get(url + "/api/v1/info").status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(15)
        log.close()
    expected = Path(os.environ["XDG_DATA_HOME"]) / "supportdesk-server" / "supportdesk.sqlite3"
    assert expected.exists()

    from supportdesk_server.config import default_database_url

    os.environ["SUPPORTDESK_DATABASE_URL"] = "sqlite+aiosqlite:////x/y.sqlite3"
    try:
        assert default_database_url() == "sqlite+aiosqlite:////x/y.sqlite3"
    finally:
        del os.environ["SUPPORTDESK_DATABASE_URL"]


def test_port_in_use_fails_cleanly(tmp_path):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    port = s.getsockname()[1]
    try:
        r = subprocess.run([sys.executable, "-m", "supportdesk_server", "--port", str(port),
                            "--database-url", f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}"],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 1
        assert "cannot start" in r.stderr
    finally:
        s.close()

"""Issue 6: "The database file locked or the disk full on the server: clear errors, no
corruption, recovery after."

* Locked: another process holds an exclusive (write) transaction on the server's SQLite file, as a
  backup tool or a forgotten ``sqlite3`` shell would. Writes answer 503 ``database_busy`` with a
  ``Retry-After`` after the busy timeout (never a 500, never a hung request); reads go on (WAL).
  Once the lock is released, writes work again by themselves.
* Full: the database lives on a tiny tmpfs (``mount -t tmpfs -o size=...``; needs root). When
  mounting is not allowed the test limits the server's file size with ``RLIMIT_FSIZE`` instead
  (``prlimit`` on the server process; SQLite then sees EFBIG, an I/O error, so 503
  ``database_unavailable`` is accepted there too), and says so.
  A filler file takes the rest of the space: writes answer 507 ``insufficient_storage``. Deleting
  the filler frees the space and writes work again; the messages refused meanwhile are resent with
  the same ``client_msg_id`` and stored exactly once.

Both end with ``PRAGMA integrity_check`` = ok on the file after a clean stop.
"""

from __future__ import annotations

import contextlib
import errno
import os
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support.server import ServerProcess

REQUEST_TIMEOUT = 20.0    # a request that takes longer than this counts as hung


def _agent(server: ServerProcess) -> httpx.Client:
    token = server.login("demo")
    return httpx.Client(base_url=server.api(""), timeout=REQUEST_TIMEOUT,
                        headers={"Authorization": f"Bearer {token}"})


def _open_chat(server: ServerProcess, http: httpx.Client) -> int:
    r = httpx.post(server.api("/visitor/session"), json={})
    r.raise_for_status()
    from websockets.sync.client import connect
    import json

    with connect(server.ws_url("/visitor/ws")) as ws:
        ws.send(json.dumps({"op": "hello", "visitor_token": r.json()["visitor_token"]}))
        while (welcome := json.loads(ws.recv(20)))["op"] != "welcome":
            pass
        ws.send(json.dumps({"op": "start", "department_id": welcome["departments"][0]["id"],
                            "name": "Disk", "text": "hello", "client_msg_id": "v-1"}))
        while (frame := json.loads(ws.recv(20)))["op"] != "chat":
            pass
    chat_id = frame["chat"]["id"]
    http.post(f"/chats/{chat_id}/take").raise_for_status()
    _open_chat.visitor_token = r.json()["visitor_token"]
    return chat_id


def _visitor_message(server: ServerProcess, cid: str, text: str) -> dict:
    """Send one visitor message on a fresh socket; the first ack or error frame for it."""
    import json

    from websockets.sync.client import connect

    from websockets.exceptions import ConnectionClosed

    with connect(server.ws_url("/visitor/ws")) as ws:
        try:
            ws.send(json.dumps({"op": "hello", "visitor_token": _open_chat.visitor_token}))
            while json.loads(ws.recv(REQUEST_TIMEOUT))["op"] != "welcome":
                pass
            ws.send(json.dumps({"op": "message", "client_msg_id": cid, "text": text}))
            while (frame := json.loads(ws.recv(REQUEST_TIMEOUT)))["op"] not in ("ack", "error"):
                pass
        except ConnectionClosed as exc:   # the hello itself could not be stored
            return {"op": "closed", "code": exc.rcvd.code if exc.rcvd else None,
                    "reason": exc.rcvd.reason if exc.rcvd else ""}
    return frame


def _send(http: httpx.Client, chat_id: int, cid: str, text: str) -> httpx.Response:
    started = time.monotonic()
    r = http.post(f"/chats/{chat_id}/messages", json={"client_msg_id": cid, "text": text})
    assert time.monotonic() - started < REQUEST_TIMEOUT
    assert r.status_code < 500 or r.status_code in (503, 507), \
        f"HTTP {r.status_code}: {r.text[:300]}"
    assert r.headers["content-type"].startswith("application/json"), r.text[:200]
    return r


def _integrity_ok(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def _stored(path: Path, chat_id: int) -> list[tuple[str, str]]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT client_msg_id, text FROM chat_messages WHERE chat_id = ? "
                          "AND author_kind = 'agent' ORDER BY seq", (chat_id,)).fetchall()


def test_locked_database_answers_503_and_recovers(fault_server):
    server = fault_server
    path = Path(server.workdir / "server.sqlite3")
    with _agent(server) as http:
        chat_id = _open_chat(server, http)
        assert _send(http, chat_id, "a-0", "before the lock").status_code == 201
        locker = subprocess.Popen(
            [sys.executable, "-c",
             "import sqlite3, sys\n"
             f"db = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
             "db.execute('BEGIN EXCLUSIVE')\n"
             "print('locked', flush=True)\n"
             "sys.stdin.readline()\n"
             "db.execute('ROLLBACK')\n"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            assert locker.stdout.readline().strip() == "locked"
            r = _send(http, chat_id, "a-1", "while locked")
            assert r.status_code == 503, r.text
            body = r.json()
            assert body["code"] == "database_busy"
            assert "locked" in body["message"] or "busy" in body["message"]
            assert int(r.headers["Retry-After"]) >= 1
            # reads are not blocked by a writer in WAL mode
            assert http.get(f"/chats/{chat_id}").status_code == 200
            # the visitor socket says so too (an error frame, not "internal error")
            frame = _visitor_message(server, "v-2", "visitor while locked")
            assert (frame["op"] == "error" and frame["code"] == "database_busy") or \
                (frame["op"] == "closed" and frame["code"] == 1013
                 and "locked" in frame["reason"]), frame
        finally:
            locker.stdin.write("release\n")
            locker.stdin.close()
            locker.wait(10)
        # recovery by itself: the same request (same client_msg_id) now goes through, once
        assert _send(http, chat_id, "a-1", "while locked").status_code == 201
        assert _send(http, chat_id, "a-1", "while locked").status_code == 200
        assert _visitor_message(server, "v-2", "visitor while locked")["op"] == "ack"
    server.stop()
    _integrity_ok(path)
    assert _stored(path, chat_id) == [("a-0", "before the lock"), ("a-1", "while locked")]


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MiB tmpfs, or None when mounting is not allowed (not root, no CAP_SYS_ADMIN)."""
    mnt = tmp_path / "small-disk"
    mnt.mkdir()
    if os.environ.get("FAULT_NO_MOUNT"):     # exercise the fallback on a machine that could mount
        done = subprocess.CompletedProcess([], 1, "", "FAULT_NO_MOUNT is set")
    else:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)],
                              capture_output=True, text=True)
    if done.returncode != 0:
        print(f"mount not allowed ({done.stderr.strip()}); using RLIMIT_FSIZE instead")
        yield None
        return
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _fill(directory: Path) -> Path:
    filler = directory / "filler.bin"
    chunk = b"\0" * 65536
    with open(filler, "wb") as f:
        try:
            while True:
                f.write(chunk)
                f.flush()
        except OSError as exc:
            assert exc.errno in (errno.ENOSPC, errno.EDQUOT)
    return filler


def test_full_disk_answers_507_and_recovers(small_disk, tmp_path):
    if small_disk is not None:
        db_path = small_disk / "server.sqlite3"
    else:
        db_path = tmp_path / "db" / "server.sqlite3"
    server = ServerProcess(tmp_path / "server", demo=True, demo_clients=5,
                           database_url=f"sqlite+aiosqlite:///{db_path}")
    server.start()
    try:
        with _agent(server) as http:
            chat_id = _open_chat(server, http)
            assert _send(http, chat_id, "a-0", "before the disk filled").status_code == 201
            if small_disk is not None:
                filler = _fill(small_disk)
            else:   # no mount: the server may not grow any file past its current size
                size = max(p.stat().st_size for p in db_path.parent.glob("server.sqlite3*"))
                resource.prlimit(server.proc.pid, resource.RLIMIT_FSIZE, (size, size * 100))
                filler = None
            sent, refused = ["a-0"], []
            text = "x" * 8000
            for i in range(1, 400):
                r = _send(http, chat_id, f"a-{i}", f"{i} {text}")
                if r.status_code == 201:
                    sent.append(f"a-{i}")
                    continue
                body = r.json()
                if small_disk is not None:
                    assert r.status_code == 507, r.text
                    assert body["code"] == "insufficient_storage"
                    assert "full" in body["message"]
                else:   # EFBIG reaches SQLite as an I/O error, not as SQLITE_FULL
                    assert (r.status_code, body["code"]) in (
                        (507, "insufficient_storage"), (503, "database_unavailable")), r.text
                refused.append(f"a-{i}")
                if len(refused) >= 3:
                    break
            assert refused, "the disk never filled up"
            print(f"disk full after {len(sent)} messages; refused {refused}")
            # reads still work on a full disk
            assert http.get(f"/chats/{chat_id}/messages").status_code == 200
            # free the space: the server recovers by itself
            if filler is not None:
                filler.unlink()
            else:
                resource.prlimit(server.proc.pid, resource.RLIMIT_FSIZE,
                                 (size * 100, size * 100))   # up to the hard limit: allowed
            deadline = time.monotonic() + 30
            for cid in refused:   # resent with the same ids, as the desk's outbox does
                while True:
                    i = int(cid.split("-")[1])
                    r = _send(http, chat_id, cid, f"{i} {text}")
                    if r.status_code in (200, 201):
                        break
                    assert time.monotonic() < deadline, f"no recovery: {r.text}"
                    time.sleep(0.2)   # retry interval of a client, not synchronisation
                sent.append(cid)
            assert _send(http, chat_id, "a-last", "after the space came back").status_code == 201
            sent.append("a-last")
        server.stop()
        _integrity_ok(db_path)
        assert [cid for cid, _ in _stored(db_path, chat_id)] == sent
    finally:
        server.stop()


def test_database_faults_reach_the_desk_as_sentences_and_stay_retryable():
    import httpx

    from supportdesk_qt.backend.base import ServerError, is_retryable
    from supportdesk_qt.backend.http import error_from_response

    resp = httpx.Response(507, json={"code": "insufficient_storage", "message":
                                     "the server's disk is full; nothing was saved, try again "
                                     "once an administrator has freed space", "details": None})
    err = error_from_response(resp)
    assert isinstance(err, ServerError) and is_retryable(err)
    assert err.code == "insufficient_storage"
    assert err.message.startswith("The server could not do that: the server's disk is full")
    plain = error_from_response(httpx.Response(500, json={"code": "internal_error",
                                                          "message": "bug"}))
    assert "HTTP 500" in plain.message

"""The background writer (core/persist.py): coalescing, latest wins, flush, a failed write kept and
tried again, and the stores (settings, drafts) writing through it off the caller's thread.

Plain pytest, real files in tmp dirs. Waits are ``flush`` (which blocks until written) or events
set by the write function, never a sleep standing in for synchronisation.
"""

from __future__ import annotations

import json
import threading
import time

import pytest

from supportdesk_qt.core import persist
from supportdesk_qt.core.drafts import DraftStore
from supportdesk_qt.core.settings import Preferences


def _json(obj) -> bytes:
    return json.dumps(obj).encode()


class Recorder:
    """A write function that records (path, data, thread) and writes for real; can be told to
    fail, or to hold a write until released."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, bytes, threading.Thread]] = []
        self.fail: Exception | None = None
        self.gate: threading.Event | None = None
        self.entered = threading.Event()
        self.done = threading.Semaphore(0)       # released after each successful write

    def __call__(self, path, data: bytes) -> None:
        self.entered.set()
        if self.gate is not None:
            assert self.gate.wait(10), "the test never released the write"
        if self.fail is not None:
            raise self.fail
        self.calls.append((path.name, data, threading.current_thread()))
        persist.write_atomic(path, data)
        self.done.release()


def _writer(rec: Recorder, delay: float = 0.05, max_delay: float = 1.0) -> persist.Writer:
    return persist.Writer(delay, max_delay, name="test-persist", write=rec)


def test_many_changes_are_one_write_of_the_latest_snapshot_on_the_writer_thread(tmp_path):
    rec = Recorder()
    w = _writer(rec, delay=30.0, max_delay=60.0)    # nothing is due by itself during the test
    for i in range(50):
        w.submit(tmp_path / "a.json", {"n": i}, _json)
    assert rec.calls == [] and not (tmp_path / "a.json").exists()   # debounced: not yet
    assert w.peek(tmp_path / "a.json") == {"n": 49}
    assert w.flush(5)
    assert [(name, json.loads(data)) for name, data, _ in rec.calls] == [("a.json", {"n": 49})]
    assert rec.calls[0][2] is not threading.current_thread()
    assert json.loads((tmp_path / "a.json").read_text()) == {"n": 49}
    assert w.peek(tmp_path / "a.json") is None and w.pending() == {}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]    # no temp file left


def test_the_debounce_writes_by_itself_after_the_last_change(tmp_path):
    rec = Recorder()
    w = _writer(rec, delay=0.05)
    w.submit(tmp_path / "a.json", {"v": 1}, _json)
    w.submit(tmp_path / "b.json", {"v": 2}, _json)
    assert rec.done.acquire(timeout=10) and rec.done.acquire(timeout=10)   # no flush asked
    assert {name for name, _, _ in rec.calls} == {"a.json", "b.json"}
    assert json.loads((tmp_path / "b.json").read_text()) == {"v": 2}


def test_steady_changes_still_reach_the_disk_within_max_delay(tmp_path):
    rec = Recorder()
    w = _writer(rec, delay=0.2, max_delay=0.3)
    start = time.monotonic()
    i = 0
    while not rec.calls and time.monotonic() - start < 10:
        w.submit(tmp_path / "a.json", {"n": i}, _json)     # a change every 10 ms, never a pause
        i += 1
        time.sleep(0.01)
    assert rec.calls, "the file was never written while changes kept coming"
    assert time.monotonic() - start < 5


def _write_held(tmp_path) -> tuple[Recorder, persist.Writer]:
    """A writer whose first write (``a.json`` = ``{"n": 1}``) is under way and held."""
    rec = Recorder()
    rec.gate = threading.Event()
    w = _writer(rec, delay=0.0)
    w.submit(tmp_path / "a.json", {"n": 1}, _json)
    assert rec.entered.wait(10)
    return rec, w


def test_a_newer_snapshot_made_during_a_write_is_written_after_it(tmp_path):
    rec, w = _write_held(tmp_path)
    w.submit(tmp_path / "a.json", {"n": 2}, _json)
    w.submit(tmp_path / "a.json", {"n": 3}, _json)
    assert w.peek(tmp_path / "a.json") == {"n": 3}
    rec.gate.set()
    assert w.flush(5)
    assert [json.loads(d) for _, d, _ in rec.calls] == [{"n": 1}, {"n": 3}]
    assert json.loads((tmp_path / "a.json").read_text()) == {"n": 3}


def test_a_failed_write_is_kept_logged_and_retried_at_the_next_change_and_flush(tmp_path, caplog):
    rec = Recorder()
    w = _writer(rec, delay=30.0, max_delay=60.0)
    rec.fail = OSError(28, "No space left on device")
    w.submit(tmp_path / "a.json", {"n": 1}, _json)
    with caplog.at_level("WARNING", logger="supportdesk.persist"):
        assert w.flush(5) is False                   # tried, failed, kept
    assert "No space left on device" in caplog.text and "a.json" in caplog.text
    assert "No space left" in w.pending()[tmp_path / "a.json"]
    assert w.peek(tmp_path / "a.json") == {"n": 1}   # a store loading it gets the snapshot
    assert not (tmp_path / "a.json").exists()

    rec.fail = None                                  # the disk is back
    w.submit(tmp_path / "b.json", {"other": True}, _json)   # the next change (another file)
    assert w.flush(5)
    assert json.loads((tmp_path / "a.json").read_text()) == {"n": 1}
    assert json.loads((tmp_path / "b.json").read_text()) == {"other": True}

    rec.fail = OSError(30, "Read-only file system")
    w.submit(tmp_path / "a.json", {"n": 2}, _json)
    assert w.flush(5) is False
    w.submit(tmp_path / "a.json", {"n": 3}, _json)   # a newer change replaces the failed one
    rec.fail = None
    assert w.flush(5)
    assert json.loads((tmp_path / "a.json").read_text()) == {"n": 3}


def test_a_failed_write_is_tried_again_at_the_next_change_of_another_file_without_a_flush(
        tmp_path):
    rec = Recorder()
    w = _writer(rec, delay=0.05)
    rec.fail = OSError(28, "No space left on device")
    w.submit(tmp_path / "a.json", {"n": 1}, _json, now=True)
    assert w.flush(5) is False
    rec.fail = None
    w.submit(tmp_path / "b.json", {"n": 2}, _json)          # a change; nobody flushes
    assert rec.done.acquire(timeout=5) and rec.done.acquire(timeout=5)
    assert json.loads((tmp_path / "a.json").read_text()) == {"n": 1}


def test_a_write_that_fails_while_a_newer_snapshot_waits_does_not_replace_it(tmp_path):
    rec, w = _write_held(tmp_path)
    w.submit(tmp_path / "a.json", {"n": 2}, _json)
    rec.fail = OSError(5, "Input/output error")
    rec.gate.set()                                   # the held write fails (and so does the next)
    assert w.flush(5) is False
    assert w.peek(tmp_path / "a.json") == {"n": 2}
    rec.fail = None
    assert w.flush(5)
    assert json.loads((tmp_path / "a.json").read_text()) == {"n": 2}


def test_flush_waits_for_the_write_but_only_as_long_as_told(tmp_path, caplog):
    rec = Recorder()
    rec.gate = threading.Event()
    w = _writer(rec, delay=30.0)
    w.submit(tmp_path / "a.json", {"n": 1}, _json)
    with caplog.at_level("WARNING", logger="supportdesk.persist"):
        started = time.monotonic()
        assert w.flush(0.2) is False                 # the disk hangs: flush gives up, bounded
    assert time.monotonic() - started < 3
    assert "not written within" in caplog.text
    rec.gate.set()
    assert w.flush(5)
    assert json.loads((tmp_path / "a.json").read_text()) == {"n": 1}


def test_flush_soon_starts_the_write_without_waiting(tmp_path):
    rec = Recorder()
    rec.gate = threading.Event()
    w = _writer(rec, delay=30.0)
    w.submit(tmp_path / "a.json", {"n": 1}, _json)
    w.flush_soon()
    assert rec.entered.wait(10)                      # the writer started long before 30 s
    rec.gate.set()
    assert w.flush(5) and w.writes == 1


def test_submit_now_skips_the_debounce(tmp_path):
    rec = Recorder()
    w = _writer(rec, delay=30.0)
    w.submit(tmp_path / "a.json", {"n": 1}, _json, now=True)
    assert rec.entered.wait(10)


def test_an_encoder_that_raises_is_logged_and_does_not_stop_the_writer(tmp_path, caplog):
    rec = Recorder()
    w = _writer(rec, delay=0.0)

    def bad(_obj) -> bytes:
        raise TypeError("not serialisable")

    with caplog.at_level("WARNING", logger="supportdesk.persist"):
        w.submit(tmp_path / "bad.json", object(), bad)
        assert w.flush(5) is False
    assert "not serialisable" in caplog.text
    w.submit(tmp_path / "bad.json", {"fine": 1}, _json)
    assert w.flush(5)
    assert json.loads((tmp_path / "bad.json").read_text()) == {"fine": 1}


def test_flush_on_the_writer_thread_is_refused(tmp_path):
    w = persist.Writer(0.0)
    seen: list[BaseException] = []

    def encode(obj) -> bytes:
        try:
            w.flush(1)
        except RuntimeError as exc:
            seen.append(exc)
        return _json(obj)

    w.submit(tmp_path / "a.json", {}, encode)
    assert w.flush(5)
    assert seen and "writer thread" in str(seen[0])


# -- the stores through the writer -----------------------------------------------------------


def test_settings_are_written_by_the_writer_and_a_new_store_sees_them_before_the_disk(tmp_path):
    rec = Recorder()
    w = _writer(rec, delay=30.0)
    prefs = Preferences.load(tmp_path / "settings.json", writer=w)
    with prefs.batch():
        prefs.username = "ann"
        prefs.theme = "dark"
    prefs.remember_me = False
    assert rec.calls == []                                    # nothing on the caller's thread
    again = Preferences.load(tmp_path / "settings.json", writer=w)   # e.g. after a logout
    assert (again.username, again.theme, again.remember_me) == ("ann", "dark", False)
    assert prefs.flush()
    assert len(rec.calls) == 1 and rec.calls[0][2] is not threading.current_thread()
    assert json.loads((tmp_path / "settings.json").read_text()) == {
        "username": "ann", "theme": "dark", "remember_me": False}


def test_drafts_are_written_by_the_writer_and_survive_a_failed_write(tmp_path):
    rec = Recorder()
    w = _writer(rec, delay=30.0)
    drafts = DraftStore(tmp_path / "drafts.json", writer=w)
    for n in range(1, 30):
        drafts.set(7, "Hello"[: n % 6] or "H")               # keystrokes
        drafts.save()
    drafts.set(7, "Hello there")
    rec.fail = OSError(28, "No space left on device")
    assert drafts.flush() is False                           # the disk is full: kept, not lost
    assert DraftStore(tmp_path / "drafts.json", writer=w).get(7) == "Hello there"
    rec.fail = None
    assert w.flush(5)
    assert json.loads((tmp_path / "drafts.json").read_text())["7"]["text"] == "Hello there"
    assert [json.loads(d)["7"]["text"] for _, d, _ in rec.calls] == ["Hello there"]


@pytest.mark.parametrize("store", ["settings", "drafts"])
def test_a_snapshot_is_not_changed_by_later_edits(tmp_path, store):
    rec = Recorder()
    rec.gate = threading.Event()
    w = _writer(rec, delay=0.0)
    if store == "settings":
        s = Preferences.load(tmp_path / "s.json", writer=w)
        s.username = "first"
        assert rec.entered.wait(10)                          # its write is under way, held
        s.username = "second"
        rec.gate.set()
        assert w.flush(5)
        assert [json.loads(d)["username"] for _, d, _ in rec.calls] == ["first", "second"]
    else:
        d = DraftStore(tmp_path / "d.json", writer=w)
        d.set(1, "first")
        d.save()
        assert rec.entered.wait(10)
        d.set(1, "second")
        d.set(2, "another")
        d.save()
        rec.gate.set()
        assert w.flush(5)
        written = [json.loads(data) for _, data, _ in rec.calls]
        assert [sorted(x) for x in written] == [["1"], ["1", "2"]]
        assert written[0]["1"]["text"] == "first"

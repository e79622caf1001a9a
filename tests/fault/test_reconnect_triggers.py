"""The trigger logic of "reconnect at once on network up and on wake" (core/reconnect.py), the
Session's reaction, and the Qt glue's tolerance of a platform without a network backend."""

from __future__ import annotations

import asyncio

from supportdesk_qt.backend.base import Capability
from supportdesk_qt.core.reconnect import NETWORK_UP, WAKE, ReconnectTriggers
from supportdesk_qt.core.session import Session


def make(**kw):
    fired: list[str] = []
    return ReconnectTriggers(fired.append, **kw), fired


def test_network_up_fires_only_on_offline_to_online():
    t, fired = make()
    assert not t.reachability(True, mono=0.0)          # first report: start-up, no trigger
    assert not t.reachability(True, mono=10.0)         # still online
    assert not t.reachability(False, mono=20.0)        # going down is the heartbeat's job
    assert t.reachability(True, mono=30.0)             # back up: reconnect now
    assert fired == [NETWORK_UP]
    assert not t.reachability(True, mono=40.0)
    t2, fired2 = make()
    t2.reachability(False, mono=0.0)                   # started offline, then the network came
    assert t2.reachability(True, mono=1.0) and fired2 == [NETWORK_UP]


def test_wake_from_sleep_detected_by_the_sleep_clock_running_ahead():
    t, fired = make(tick_interval=2.0, jump_threshold=5.0)
    assert not t.tick(mono=100.0, slept=1000.0)        # first tick only sets the reference
    assert not t.tick(mono=102.0, slept=1002.0)        # a normal tick
    assert not t.tick(mono=104.1, slept=1008.0)        # 3.9 s of drift: below the threshold
    # suspended for an hour: CLOCK_MONOTONIC stood still, CLOCK_BOOTTIME ran on
    assert t.tick(mono=106.0, slept=4610.0)
    assert fired == [WAKE]


def test_wake_detected_by_a_tick_far_too_late_where_monotonic_counts_sleep():
    t, fired = make(tick_interval=2.0, jump_threshold=5.0)
    t.tick(mono=0.0, slept=0.0)
    assert not t.tick(mono=6.9, slept=6.9)             # 4.9 s late: a busy machine, no trigger
    assert t.tick(mono=20.0, slept=20.0)               # 11 s late: slept (macOS/Windows clocks)
    assert fired == [WAKE]


def test_triggers_close_together_are_merged():
    t, fired = make(min_gap=1.0)
    t.reachability(False, mono=0.0)
    t.tick(mono=0.0, slept=0.0)
    assert t.tick(mono=2.0, slept=600.0)               # woke up...
    assert not t.reachability(True, mono=2.5)          # ...and the Wi-Fi came back at once
    t.reachability(False, mono=3.0)
    assert t.reachability(True, mono=4.0)              # a second later is a new event
    assert fired == [WAKE, NETWORK_UP]


class _FakeBackend:
    capabilities = frozenset({Capability.RECONNECT_NOW})   # what the session checks
    closed = False

    def __init__(self) -> None:
        self.calls: list[bool] = []

    async def reconnect_now(self, *, drop_current: bool = False) -> None:
        self.calls.append(drop_current)


def test_session_reconnect_now_drops_the_current_socket():
    session = Session.__new__(Session)                 # no settings or keyring needed here
    session.backend = None
    assert asyncio.run(session.reconnect_now("network-up")) is False
    backend = _FakeBackend()
    session.backend = backend
    assert asyncio.run(session.reconnect_now("wake")) is True
    assert backend.calls == [True]
    backend.closed = True                              # closed (signing out): nothing to do
    assert asyncio.run(session.reconnect_now("wake")) is False
    assert backend.calls == [True]


def test_network_watch_runs_with_or_without_a_reachability_backend(qapp, monkeypatch):
    from supportdesk_qt.qt import QNetworkInformation
    from supportdesk_qt.ui import network_watch

    fired: list[str] = []
    watch = network_watch.NetworkWatch(fired.append, tick_ms=50)
    assert watch.timer.isActive()
    if watch.info is not None:                         # a backend loaded: feed it a change
        watch._on_reachability(QNetworkInformation.Reachability.Disconnected)
        watch._on_reachability(QNetworkInformation.Reachability.Online)
        assert fired == [NETWORK_UP]
    watch.stop()

    monkeypatch.setattr(network_watch.QNetworkInformation, "loadBackendByFeatures",
                        staticmethod(lambda *a: False))
    bare = network_watch.NetworkWatch(fired.append, tick_ms=50)   # tolerated: timer only
    assert bare.info is None and bare.timer.isActive()
    bare.stop()


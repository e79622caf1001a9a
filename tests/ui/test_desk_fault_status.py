"""Issue 6, as the agent sees it: the real desk talks to the server through a TCP proxy
(tests/support/faultproxy.py) that cuts the connection - once with a reset, once by silently
dropping every byte (only the heartbeat can notice). Each time the status button leaves "Connected"
(green) within 3 s, turns red ("Reconnecting…": the desk is not receiving chats), and turns green
again by itself. The fault tests in tests/fault/ do the same at length with the desk's core."""

from __future__ import annotations

import time

import pytest

from supportdesk_qt.app import Desk, parse_args
from supportdesk_qt.backend.base import ConnectionState
from supportdesk_qt.ui import theme
from tests.support.faultproxy import FaultProxy
from tests.ui.test_desk_e2e import WAIT, sign_in, wait_connected


@pytest.fixture
def proxy(run, server):
    p = FaultProxy("127.0.0.1", server.port)
    run(p.start())
    yield p
    run(p.stop())


@pytest.fixture
def proxied_desk(qapp, aloop, qtbot, proxy):
    d = Desk(qapp, parse_args(["--server", proxy.url]))
    d.runner = aloop.create_task(d.run())
    yield d
    d.request_quit()
    qtbot.waitUntil(d.runner.done, timeout=WAIT)
    d.runner.result()


def test_status_button_turns_within_3s_of_a_cut_and_recovers(qtbot, run, proxy, proxied_desk):
    sign_in(qtbot, proxied_desk)
    w = proxied_desk.window
    wait_connected(qtbot, w)
    button = w.status_button
    red = theme.status_color(ConnectionState.FAILED, w.palette()).name()

    async def cut(mode: str):
        return proxy.cut(mode, hold=10.0, outage=0.5)

    for mode in ("reset", "blackhole"):
        assert button.property("connectionState") == "connected"
        assert run(cut(mode)).connections >= 1
        started = time.monotonic()
        qtbot.waitUntil(lambda: button.property("connectionState") != "connected", timeout=5000)
        took = time.monotonic() - started
        assert took <= 3.0, f"{mode}: the status changed after {took:.2f} s"
        # a lost connection is red ("Reconnecting…"), not the amber of a first connect
        assert button.text() == "Reconnecting…"
        assert button.icon().pixmap(16, 16).toImage().pixelColor(8, 8).name() == red
        assert "reconnecting" in button.toolTip().lower() or "lost" in button.toolTip().lower()
        qtbot.waitUntil(lambda: button.property("connectionState") == "connected", timeout=WAIT)
        assert button.text() == "Connected"

"""When to skip the reconnect backoff: the network came back, or the machine woke up (Qt-free).

The event stream reconnects by itself with exponential backoff (``backend/http/stream.py``), but two
moments deserve an immediate attempt instead of the next backoff step:

* **network up** - Qt's ``QNetworkInformation`` reports reachability ``Online`` after something
  else (``Disconnected``, ``Local``, ``Site``, ``Unknown``). The Qt glue (``ui/network_watch.py``)
  feeds :meth:`ReconnectTriggers.reachability` with ``True``/``False``.
* **wake from sleep** - no portable Qt signal exists, so a coarse timer feeds
  :meth:`ReconnectTriggers.tick` with two clocks. ``CLOCK_MONOTONIC`` stops while the machine
  is suspended on Linux; ``CLOCK_BOOTTIME`` (or the wall clock where there is none) keeps
  counting. When the second advanced much more than the first between two ticks, the machine slept.
  Where monotonic time counts sleep too (macOS, Windows), the tick itself arrives far too late,
  which is the second rule.

Either fires ``on_trigger(reason)``; the caller then calls
``backend.reconnect_now(drop_current=True)`` (after a sleep the old socket is probably dead; resume
makes dropping it harmless). Triggers closer together than ``min_gap`` seconds are merged.
"""

from __future__ import annotations

import time
from collections.abc import Callable

NETWORK_UP = "network-up"
WAKE = "wake"


def sleep_clock() -> float:
    """A clock that keeps counting while the machine sleeps (BOOTTIME on Linux, else wall time)."""
    boottime = getattr(time, "CLOCK_BOOTTIME", None)
    if boottime is not None:
        try:
            return time.clock_gettime(boottime)
        except OSError:  # pragma: no cover - a kernel without it
            pass
    return time.time()


class ReconnectTriggers:
    def __init__(self, on_trigger: Callable[[str], None], *, tick_interval: float = 2.0,
                 jump_threshold: float = 5.0, min_gap: float = 1.0) -> None:
        self.on_trigger = on_trigger
        self.tick_interval = tick_interval
        self.jump_threshold = jump_threshold
        self.min_gap = min_gap
        self._online: bool | None = None       # unknown until the first report
        self._last: tuple[float, float] | None = None   # (monotonic, sleep clock) of the last tick
        self._last_fired: float | None = None  # monotonic time of the last trigger

    def _fire(self, reason: str, mono: float) -> bool:
        if self._last_fired is not None and mono - self._last_fired < self.min_gap:
            return False
        self._last_fired = mono
        self.on_trigger(reason)
        return True

    def reachability(self, online: bool, mono: float | None = None) -> bool:
        """Report the network's reachability. Fires on a change from offline to online (not on
        the first report: at start-up the stream is connecting anyway). Returns whether it fired."""
        mono = time.monotonic() if mono is None else mono
        was, self._online = self._online, bool(online)
        if was is False and online:
            return self._fire(NETWORK_UP, mono)
        return False

    def tick(self, mono: float | None = None, slept: float | None = None) -> bool:
        """Called every ``tick_interval`` seconds with both clocks (defaults: now). Fires when
        the sleep clock ran ``jump_threshold`` seconds ahead of the monotonic one, or when the
        tick came ``jump_threshold`` seconds late. Returns whether it fired."""
        mono = time.monotonic() if mono is None else mono
        slept = sleep_clock() if slept is None else slept
        last, self._last = self._last, (mono, slept)
        if last is None:
            return False
        d_mono = mono - last[0]
        d_slept = slept - last[1]
        if d_slept - d_mono > self.jump_threshold or d_mono > self.tick_interval + self.jump_threshold:
            return self._fire(WAKE, mono)
        return False

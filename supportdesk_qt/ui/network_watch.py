"""Qt glue for :mod:`supportdesk_qt.core.reconnect`: reachability from ``QNetworkInformation``
and a coarse wake-from-sleep timer. The decision logic is Qt-free and unit-tested there.

``NetworkWatch(callback)`` calls ``callback(reason)`` (``"network-up"`` or ``"wake"``) on the GUI
thread; the desk answers with ``backend.reconnect_now(drop_current=True)``. Without a network
information backend (none installed, or the platform has none) only the wake timer runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from supportdesk_qt.core.reconnect import ReconnectTriggers
from supportdesk_qt.qt import QNetworkInformation, QObject, QTimer

log = logging.getLogger("supportdesk.network_watch")


class NetworkWatch(QObject):
    def __init__(self, on_trigger: Callable[[str], None], parent: QObject | None = None, *,
                 tick_ms: int = 2000) -> None:
        super().__init__(parent)
        self.triggers = ReconnectTriggers(on_trigger, tick_interval=tick_ms / 1000.0)
        self.info: QNetworkInformation | None = None
        try:
            loaded = QNetworkInformation.loadBackendByFeatures(
                QNetworkInformation.Feature.Reachability)
        except Exception:  # noqa: BLE001 - a binding or platform without the feature
            log.info("network reachability is not available", exc_info=True)
            loaded = False
        if loaded and QNetworkInformation.instance() is not None:
            self.info = QNetworkInformation.instance()
            log.info("watching network reachability (%s backend)", self.info.backendName())
            self.info.reachabilityChanged.connect(self._on_reachability)
            self._on_reachability(self.info.reachability())
        else:
            log.info("no network information backend; only the wake timer runs")
        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        self.triggers.tick()

    def _on_reachability(self, reachability: QNetworkInformation.Reachability) -> None:
        online = reachability == QNetworkInformation.Reachability.Online
        if self.triggers.reachability(online):
            log.info("the network is back; reconnecting at once")

    def _tick(self) -> None:
        if self.triggers.tick():
            log.info("the machine woke up (or the desk was frozen); reconnecting at once")

    def stop(self) -> None:
        self.timer.stop()
        if self.info is not None:
            try:
                self.info.reachabilityChanged.disconnect(self._on_reachability)
            except (RuntimeError, TypeError):
                pass
            self.info = None

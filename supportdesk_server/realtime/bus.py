"""In-process fan-out of committed events to connected agent sockets.

Single process only: every subscriber lives in this process. Running several server processes
needs an external bus (e.g. Redis pub/sub or PostgreSQL LISTEN/NOTIFY) feeding the same
``publish`` — the event log in the database already is the source of truth.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StoredEvent:
    seq: int
    type: str
    ts: datetime
    audience: frozenset[str]
    data: dict[str, Any] = field(repr=False)
    frame: str = field(repr=False, default="")  # the serialized {"op": "event", ...} frame

    @classmethod
    def build(cls, seq: int, type_: str, ts: datetime, audience: list[str] | tuple[str, ...],
              data: dict[str, Any]) -> "StoredEvent":
        frame = json.dumps({"op": "event", "seq": seq, "type": type_,
                            "ts": ts.isoformat().replace("+00:00", "Z"), "data": data},
                           separators=(",", ":"), ensure_ascii=False)
        return cls(seq, type_, ts, frozenset(audience or ()), data, frame)

    def visible_to(self, agent_id: int, department_ids: frozenset[int], is_admin: bool) -> bool:
        if is_admin or "*" in self.audience or f"a:{agent_id}" in self.audience:
            return True
        return any(f"d:{d}" in self.audience for d in department_ids)


Subscriber = Callable[[StoredEvent], None]


class EventBus:
    def __init__(self) -> None:
        self._subscribers: set[Subscriber] = set()

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """``callback`` is called synchronously for every published event, in seq order."""
        self._subscribers.add(callback)
        return lambda: self._subscribers.discard(callback)

    def publish(self, event: StoredEvent) -> None:
        for callback in list(self._subscribers):
            try:
                callback(event)
            except Exception:  # a broken subscriber must not break the others
                log.exception("event subscriber failed")

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

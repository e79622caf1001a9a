"""Rows of the list of chats on their way out (Qt-free bookkeeping for ``QueueModel``).

A chat that leaves the list because of someone else (a colleague took it, the visitor left, it
was forwarded away) keeps its row for a moment, marked with why, so nothing vanishes or shifts
under the agent's cursor. This holds, per chat id, until when the row stays, the sentence it
shows, the snapshot version that took it away (an older snapshot must not bring it back) and
whether a colleague took it (the desk says "a colleague took it first" then). The model owns the
timer and the row signals; this only answers what is due when.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

Version = tuple[int, datetime | None]


@dataclass(frozen=True)
class Leaving:
    deadline: float          # monotonic seconds
    reason: str              # "Taken by Sam Carter"
    version: Version         # of the snapshot that took the row away
    taken: bool              # a colleague took the chat (not closed, not forwarded away)


class LeavingRows:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._rows: dict[int, Leaving] = {}
        self._clock = clock

    def __contains__(self, chat_id: object) -> bool:
        return chat_id in self._rows

    def __len__(self) -> int:
        return len(self._rows)

    def get(self, chat_id: int) -> Leaving | None:
        return self._rows.get(chat_id)

    def reason(self, chat_id: int) -> str:
        hit = self._rows.get(chat_id)
        return hit.reason if hit else ""

    def start(self, chat_id: int, reason: str, version: Version, *, taken: bool,
              linger_s: float) -> bool:
        """Mark the row as going (or update why, keeping its deadline). True if it is new."""
        old = self._rows.get(chat_id)
        deadline = old.deadline if old else self._clock() + linger_s
        self._rows[chat_id] = Leaving(deadline, reason, version, taken)
        return old is None

    def pop(self, chat_id: int) -> Leaving | None:
        return self._rows.pop(chat_id, None)

    def clear(self) -> None:
        self._rows.clear()

    def pop_due(self) -> dict[int, Leaving]:
        """The rows whose moment is over, taken out."""
        now = self._clock()
        due = {cid: hit for cid, hit in self._rows.items() if hit.deadline <= now}
        for cid in due:
            del self._rows[cid]
        return due

    def ms_to_next(self) -> int | None:
        """Milliseconds until the next row is due (None when no row is leaving)."""
        if not self._rows:
            return None
        first = min(hit.deadline for hit in self._rows.values())
        return max(0, int((first - self._clock()) * 1000) + 1)

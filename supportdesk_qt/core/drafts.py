"""Per-chat drafts of the composer, kept across tab switches and restarts.

Qt-free. One small JSON file in the data dir (``drafts.json``), written atomically (temp file in
the same directory, fsync, rename), so a crash leaves either the old or the new file, never half
of one. The composer (ui/compose/box.py) calls :meth:`DraftStore.set` and
:meth:`DraftStore.save` on every edit: ``save`` hands a snapshot to the background writer
(:mod:`supportdesk_qt.core.persist`) only when something changed, and the writer's debounce is the only delay (one burst of keys, one
write), so no keystroke and no tab switch writes on the GUI thread and a flush always finds the
latest text.

Bounded: at most ``MAX_DRAFTS`` chats (the least recently edited are dropped) and
``MAX_DRAFT_CHARS`` characters per draft (the protocol's message limit).
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

from supportdesk_protocol import limits as L
from supportdesk_qt.core import persist

log = logging.getLogger("supportdesk.drafts")

MAX_DRAFTS = 500
MAX_DRAFT_CHARS = L.MAX_MESSAGE_TEXT


class DraftStore:
    FILENAME = "drafts.json"

    def __init__(self, path: Path | None = None, *, writer: persist.Writer | None = None) -> None:
        if path is None:
            from supportdesk_qt.core import paths

            path = paths.data_dir() / self.FILENAME
        self.path = Path(path)
        self.writer = writer or persist.writer()
        self._drafts: dict[str, dict] = {}   # str(chat_id) -> {"text": str, "at": float}
        self._dirty = False
        self._load()

    # -- reading and changing

    def get(self, chat_id: int) -> str:
        entry = self._drafts.get(str(int(chat_id)))
        return entry["text"] if entry else ""

    def set(self, chat_id: int, text: str) -> None:
        """Remember ``text`` as the draft of ``chat_id`` (in memory; :meth:`save` writes)."""
        key = str(int(chat_id))
        text = text[:MAX_DRAFT_CHARS]
        if not text.strip():
            if self._drafts.pop(key, None) is not None:
                self._dirty = True
            return
        old = self._drafts.get(key)
        if old is not None and old["text"] == text:
            return
        self._drafts.pop(key, None)            # re-insert: dict order = least recently edited first
        self._drafts[key] = {"text": text, "at": time.time()}
        while len(self._drafts) > MAX_DRAFTS:
            del self._drafts[next(iter(self._drafts))]
        self._dirty = True

    def clear(self, chat_id: int) -> None:
        self.set(chat_id, "")

    def chat_ids(self) -> list[int]:
        return [int(k) for k in self._drafts]

    @property
    def dirty(self) -> bool:
        return self._dirty

    # -- file

    def _load(self) -> None:
        data = self.writer.peek(self.path)         # saved in this process, not on disk yet
        if data is None:
            data = persist.read_json_object(self.path, log, "drafts")
        if data is None:
            return
        entries = []
        for key, entry in data.items():
            if (key.isdigit() and isinstance(entry, dict) and isinstance(entry.get("text"), str)
                    and isinstance(entry.get("at", 0), (int, float))):
                entries.append((float(entry.get("at", 0)), key, entry["text"][:MAX_DRAFT_CHARS]))
        for at, key, text in sorted(entries)[-MAX_DRAFTS:]:
            self._drafts[key] = {"text": text, "at": at}

    def save(self, *, now: bool = False) -> bool:
        """Have the file written (on the writer thread) if anything changed; returns whether it
        did. ``now``: without the writer's debounce (a crash-safe point: the message is in the
        outbox, so its draft must go). Never raises and never waits: a write that fails is
        logged and tried again by the writer (at the next change or flush)."""
        if not self._dirty:
            return False
        # entries are replaced on change, never changed in place: a shallow copy is a snapshot
        self.writer.submit(self.path, dict(self._drafts), _encode, now=now)
        self._dirty = False
        return True

    def flush(self, timeout: float = persist.FLUSH_TIMEOUT) -> bool:
        """Save, then wait until it is on disk (not on the GUI thread: it blocks)."""
        self.save()
        return self.writer.flush(timeout)


def _encode(drafts: dict[str, Any]) -> bytes:
    return json.dumps(drafts, ensure_ascii=False).encode("utf-8")

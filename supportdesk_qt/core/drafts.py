"""Per-chat drafts of the composer, kept across tab switches and restarts.

Qt-free. One small JSON file in the data dir (``drafts.json``), written atomically (temp file in
the same directory, fsync, rename), so a crash leaves either the old or the new file, never half
of one. The UI changes drafts in memory on every keystroke (:meth:`DraftStore.set`) and calls
:meth:`DraftStore.save` debounced (the chat tab uses a short single-shot timer) and when a tab
closes; ``save`` writes only when something changed.

Bounded: at most ``MAX_DRAFTS`` chats (the least recently edited are dropped) and
``MAX_DRAFT_CHARS`` characters per draft (the protocol's message limit).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from pathlib import Path

from supportdesk_protocol import limits as L

log = logging.getLogger("supportdesk.drafts")

MAX_DRAFTS = 500
MAX_DRAFT_CHARS = L.MAX_MESSAGE_TEXT


class DraftStore:
    FILENAME = "drafts.json"

    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            from supportdesk_qt.core import paths

            path = paths.data_dir() / self.FILENAME
        self.path = Path(path)
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
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except OSError as exc:
            log.warning("cannot read drafts %s (%s); starting without", self.path, exc)
            return
        try:
            data = json.loads(text)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:
            bad = self.path.with_name(self.path.name + ".corrupt")
            log.warning("%s is not valid JSON (%s); moved it to %s", self.path, exc, bad.name)
            try:
                os.replace(self.path, bad)
            except OSError:
                pass
            return
        entries = []
        for key, entry in data.items():
            if (key.isdigit() and isinstance(entry, dict) and isinstance(entry.get("text"), str)
                    and isinstance(entry.get("at", 0), (int, float))):
                entries.append((float(entry.get("at", 0)), key, entry["text"][:MAX_DRAFT_CHARS]))
        for at, key, text in sorted(entries)[-MAX_DRAFTS:]:
            self._drafts[key] = {"text": text, "at": at}

    def save(self) -> bool:
        """Write the file if anything changed. Returns whether it wrote. Never raises OSError
        (a full disk must not take the composer down): it logs and keeps the drafts dirty."""
        if not self._dirty:
            return False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                       dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(self._drafts, fh, ensure_ascii=False)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError as exc:
            log.warning("cannot save drafts to %s: %s", self.path, exc)
            return False
        self._dirty = False
        return True

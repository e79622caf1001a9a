"""What the list of chats decides about one chat snapshot, without Qt models: its order, whether
a snapshot is newer than another, whether it came back from a colleague (the arrows), the chat an
event carries, and how a waiting time reads. Used by :mod:`queue_model` and its delegate.
"""

from __future__ import annotations

from datetime import datetime, timezone

from supportdesk_protocol.events import EventType
from supportdesk_protocol.schemas import Chat
from supportdesk_qt.backend.base import ServerEvent
from supportdesk_qt.qt import QLocale

_UTC = timezone.utc

#: Event types whose payload holds a Chat snapshot (directly or as ``.chat``).
CHAT_EVENTS = frozenset({
    EventType.CHAT_CREATED, EventType.CHAT_UPDATED, EventType.CHAT_MESSAGE,
    EventType.CHAT_FORWARDED, EventType.CHAT_FORWARD_RETURNED,
})


def _aware(dt: datetime | None) -> datetime | None:
    if dt is not None and dt.tzinfo is None:
        return dt.replace(tzinfo=_UTC)
    return dt


def waiting_since(chat: Chat) -> datetime:
    return _aware(chat.waiting_since) or _aware(chat.created_at)


def sort_key(chat: Chat) -> tuple[datetime, int]:
    """Longest waiting first; ties by id so the order is total and stable."""
    return (waiting_since(chat), chat.id)


def chat_of_event(event: ServerEvent) -> Chat | None:
    """The Chat snapshot carried by a chat event, or None for other events."""
    if event.type not in CHAT_EVENTS:
        return None
    data = event.data
    if isinstance(data, Chat):
        return data
    chat = getattr(data, "chat", None)
    return chat if isinstance(chat, Chat) else None


def came_back(chat: Chat) -> bool:
    """The chat re-entered the list after a colleague had it (the seed: "forwarded ... from a
    staff member who couldn't send a reply"): its waiting time started after its creation.
    The server sets both to the same instant when a visitor starts a chat and resets
    ``waiting_since`` each time the chat re-enters the list (a forward nobody took returned, a
    colleague released it or went offline)."""
    since, created = _aware(chat.waiting_since), _aware(chat.created_at)
    return since is not None and created is not None and since > created


def shows_forwarded(chat: Chat) -> bool:
    """The arrows marker: forwarded to this department, or back from a colleague."""
    return bool(chat.forwarded) or came_back(chat)


def snapshot_version(chat: Chat) -> tuple[int, datetime | None]:
    """What orders two snapshots of one chat."""
    return chat.version, _aware(chat.updated_at)


def newer_or_same(new: Chat, old: Chat) -> bool:
    return snapshot_version(new) >= snapshot_version(old)


def format_waiting(seconds: int, locale: QLocale | None = None) -> str:
    """``0:07``, ``12:05``, ``1:02:03`` with the locale's digits."""
    loc = locale or QLocale()
    seconds = max(0, int(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    zero = loc.zeroDigit()

    def two(n: int) -> str:
        return loc.toString(n).rjust(2, zero)

    if h:
        return f"{loc.toString(h)}:{two(m)}:{two(s)}"
    return f"{loc.toString(m)}:{two(s)}"

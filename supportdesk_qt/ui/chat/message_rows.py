"""The kinds of rows a conversation holds (ui/chat/message_model.py): a message (stored on the
server, or ours not stored yet: ui/compose/outbox_feed.py), and a system line for something that happened to the chat
(``ChatEvent``: joined, forwarded, returned, closed; its text from ui/chat/event_lines.py).

Stored rows are ordered by :attr:`MessageRow.order`: a message by its ``seq``, an event right
after the message it followed (``after_seq``), events among themselves by id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import StrEnum

from supportdesk_protocol.schemas import AuthorKind, ChatEvent, ChatMessage
from supportdesk_qt.ui.chat.event_lines import event_line


class SendState(StrEnum):
    SENT = "sent"          # stored on the server (every message from the server is "sent")
    PENDING = "pending"    # in the outbox, not stored by the server yet
    FAILED = "failed"      # the last attempt failed; click to retry


@dataclass(slots=True)
class MessageRow:
    author_kind: AuthorKind
    author_name: str
    text: str
    created_at: datetime
    client_msg_id: str | None = None
    id: int | None = None          # server id; None while pending/failed, and for events
    author_id: int | None = None   # agent id of agent messages
    seq: int | None = None         # position in the chat; None while pending/failed, and events
    state: SendState = SendState.SENT
    error: str = ""
    key: str = field(default="")
    event_id: int | None = None    # a system line for a ChatEvent (not a message)
    after_seq: int = 0             # an event: the seq of the message before it

    def __post_init__(self) -> None:
        if not self.key:
            if self.event_id is not None:
                self.key = f"event:{self.event_id}"
            elif self.client_msg_id:
                self.key = f"{self.author_kind}:{self.client_msg_id}"
            else:
                self.key = f"#{self.id}"

    @property
    def is_event(self) -> bool:
        return self.event_id is not None

    @property
    def order(self) -> tuple[int, int, int]:
        """Where a stored row goes among the others."""
        if self.event_id is not None:
            return (self.after_seq, 1, self.event_id)
        return (self.seq or 0, 0, 0)

    @classmethod
    def from_message(cls, m: ChatMessage) -> MessageRow:
        return cls(author_kind=AuthorKind(m.author_kind), author_name=m.author_name, text=m.text,
                   created_at=aware(m.created_at), client_msg_id=m.client_msg_id, id=m.id,
                   seq=m.seq, author_id=m.author_id)

    @classmethod
    def from_event(cls, e: ChatEvent) -> MessageRow:
        return cls(author_kind=AuthorKind.SYSTEM, author_name="", text=event_line(e),
                   created_at=aware(e.at), event_id=e.id, after_seq=e.after_seq)


def aware(dt: datetime) -> datetime:
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt

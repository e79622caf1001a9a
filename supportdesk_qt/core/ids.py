"""Client-generated ids.

Every outgoing chat message carries a ``client_msg_id`` chosen by the client *before* the first
send attempt; the server de-duplicates by it, so a message retried after a timeout, a reconnect or
a restart (the outbox of issue 6) is stored exactly once. Ids must match the protocol's
``ClientMsgId`` (1..64 characters of ``A-Z a-z 0-9 . _ : -``).
"""

from __future__ import annotations

import re
import uuid

from supportdesk_protocol.limits import MAX_CLIENT_MSG_ID

_VALID = re.compile(r"^[A-Za-z0-9._:-]+$")


def new_client_msg_id(prefix: str = "c") -> str:
    """A fresh, globally unique message id, e.g. ``c-3f2a...`` (34 characters)."""
    value = f"{prefix}-{uuid.uuid4().hex}"
    if not is_valid_client_msg_id(value):
        raise ValueError(f"prefix {prefix!r} makes an invalid client_msg_id")
    return value


def is_valid_client_msg_id(value: str) -> bool:
    return 0 < len(value) <= MAX_CLIENT_MSG_ID and bool(_VALID.match(value))

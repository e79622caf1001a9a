"""One composer for every tab that writes (chat and ticket tabs): ui/compose/box.py.

Public API: :class:`ComposeBox` (field, modes, draft, length guard, sending, replies,
save-as-reply, message menu), :class:`Mode`, :class:`ComposeEdit` (the field),
:class:`OutboxFeed` with :class:`Outgoing` / :class:`RowState` / :class:`OutgoingRows` (one
conversation's rows in the outbox), :func:`send_keys` (which key sends, from the preferences).
"""

from supportdesk_qt.ui.compose.box import MAX_TEXT, ComposeBox, Mode
from supportdesk_qt.ui.compose.edit import ComposeEdit
from supportdesk_qt.ui.compose.outbox_feed import OutboxFeed, Outgoing, OutgoingRows, RowState
from supportdesk_qt.ui.compose.send_keys import send_keys

__all__ = ["MAX_TEXT", "ComposeBox", "ComposeEdit", "Mode", "OutboxFeed", "Outgoing",
           "OutgoingRows", "RowState", "send_keys"]

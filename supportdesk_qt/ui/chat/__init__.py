"""The chat tab: conversation model + delegate view, header and visitor info; the composer is
the desk's one composer (ui/compose/).

Public API: :class:`ChatTab` (what the main window opens when a chat is taken),
:class:`MessageModel`, :class:`MessageDelegate`, :class:`MessageView`.
"""

from supportdesk_qt.ui.chat.chat_tab import ChatTab
from supportdesk_qt.ui.chat.message_delegate import MessageDelegate, MessageView
from supportdesk_qt.ui.chat.message_model import MessageModel, SendState

__all__ = ["ChatTab", "MessageDelegate", "MessageModel", "MessageView", "SendState"]

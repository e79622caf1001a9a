"""The chat tab: conversation model + delegate view, composer, header and visitor info.

Public API: :class:`ChatTab` (what the main window opens when a chat is taken),
:class:`MessageModel`, :class:`MessageDelegate`, :class:`MessageView`, :class:`Composer`.
"""

from supportdesk_qt.ui.chat.chat_tab import ChatTab
from supportdesk_qt.ui.chat.composer import Composer
from supportdesk_qt.ui.chat.message_delegate import MessageDelegate, MessageView
from supportdesk_qt.ui.chat.message_model import MessageModel, SendState

__all__ = ["ChatTab", "Composer", "MessageDelegate", "MessageModel", "MessageView", "SendState"]

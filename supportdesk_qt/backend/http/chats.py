"""The chat endpoints of :class:`~supportdesk_qt.backend.http.HttpBackend` (``/chats``,
``/client-area/links``): the list of chats, one chat, its messages and events, taking, sending,
forwarding, closing; asking the visitor to log in, the client's history, client-area links."""

from __future__ import annotations

from supportdesk_protocol.schemas import (
    Chat,
    ChatEvent,
    ChatEventList,
    ChatMessage,
    ChatPatch,
    ChatState,
    ClientAreaLink,
    ClientAreaLinkRequest,
    CloseRequest,
    ForwardRequest,
    MessagePage,
    Page,
    SendMessageRequest,
    TypingRequest,
    VisitorAuthRequest,
)
from supportdesk_qt.backend.http.transport import HttpTransport


class ChatEndpoints:
    """Mixed into ``HttpBackend``; talks through its transport ``_t``."""

    _t: HttpTransport

    async def list_chats(self, *, state: ChatState | None = None, mine: bool = False,
                         offset: int = 0, limit: int = 100) -> Page[Chat]:
        return await self._t.get(Page[Chat], "/chats",
                                 state=ChatState(state).value if state is not None else None,
                                 mine="true" if mine else None, offset=offset, limit=limit)

    async def get_chat(self, chat_id: int) -> Chat:
        return await self._t.get(Chat, f"/chats/{int(chat_id)}")

    async def chat_messages(self, chat_id: int, *, before_seq: int | None = None,
                            limit: int = 50) -> tuple[list[ChatMessage], bool]:
        page = await self._t.get(MessagePage, f"/chats/{int(chat_id)}/messages",
                                 before_seq=before_seq, limit=limit)
        return page.items, page.has_more

    async def chat_events(self, chat_id: int) -> list[ChatEvent]:
        return (await self._t.get(ChatEventList, f"/chats/{int(chat_id)}/events")).items

    async def take_chat(self, chat_id: int) -> Chat:
        return await self._t.send("POST", f"/chats/{int(chat_id)}/take", Chat)

    async def release_chat(self, chat_id: int) -> Chat:
        return await self._t.send("POST", f"/chats/{int(chat_id)}/release", Chat)

    async def send_message(self, chat_id: int, text: str, client_msg_id: str) -> ChatMessage:
        return await self._t.send("POST", f"/chats/{int(chat_id)}/messages", ChatMessage,
                                  SendMessageRequest, client_msg_id=client_msg_id, text=text)

    async def set_typing(self, chat_id: int, typing: bool) -> None:
        await self._t.call("POST", f"/chats/{int(chat_id)}/typing", TypingRequest,
                           typing=bool(typing))

    async def close_chat(self, chat_id: int, reason: str = "") -> Chat:
        return await self._t.send("POST", f"/chats/{int(chat_id)}/close", Chat, CloseRequest,
                                  reason=reason)

    async def update_chat(self, chat_id: int, *, name: str | None = None,
                          summary: str | None = None) -> Chat:
        given = {k: v for k, v in (("name", name), ("summary", summary)) if v is not None}
        return await self._t.send("PATCH", f"/chats/{int(chat_id)}", Chat, ChatPatch, **given)

    async def forward_chat(self, chat_id: int, department_id: int, comment: str = "") -> Chat:
        return await self._t.send("POST", f"/chats/{int(chat_id)}/forward", Chat,
                                  ForwardRequest, department_id=department_id, comment=comment)

    # -- chat authorization, history, client area (issue 4)

    async def request_visitor_auth(self, chat_id: int, kind: str = "login") -> Chat:
        return await self._t.send("POST", f"/chats/{int(chat_id)}/auth-request", Chat,
                                  VisitorAuthRequest, kind=kind)

    async def chat_history(self, chat_id: int, *, offset: int = 0,
                           limit: int = 50) -> Page[Chat]:
        return await self._t.get(Page[Chat], f"/chats/{int(chat_id)}/history", offset=offset,
                                 limit=limit)

    async def client_area_link(self, client_id: int, chat_id: int | None = None) -> ClientAreaLink:
        return await self._t.send("POST", "/client-area/links", ClientAreaLink,
                                  ClientAreaLinkRequest, client_id=client_id, chat_id=chat_id)

"""SupportDesk wire protocol: the single source of truth for every request, response, event and
WebSocket frame exchanged between the reference server and any client.

Both ``supportdesk_server`` and ``supportdesk_qt`` import these models; ``docs/protocol.md`` describes
them in prose. The package depends on pydantic only (no Qt, no FastAPI), so a bot or another client can
reuse it.
"""

from supportdesk_protocol.limits import PROTOCOL_VERSION  # noqa: F401

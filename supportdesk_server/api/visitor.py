"""Public visitor endpoints (no agent auth): the session and the visitor socket."""

from __future__ import annotations

import secrets
import uuid

from fastapi import APIRouter, Body, Request
from sqlalchemy import select

from supportdesk_protocol import events as E
from supportdesk_server.api.deps import HubDep, client_ip
from supportdesk_server.auth import token_hash
from supportdesk_server.errors import rate_limited
from supportdesk_server.realtime.visitor_ws import visitor_socket
from supportdesk_server.store import models as M

router = APIRouter(prefix="/api/v1/visitor", tags=["visitor"])


@router.post("/session", response_model=E.VisitorSession)
async def session(hub: HubDep, request: Request,
                  body: E.VisitorSessionRequest | None = Body(default=None)
                  ) -> E.VisitorSession:
    """``{}`` starts a new visitor; a known ``visitor_token`` returns the same visitor (an unknown
    one starts a new visitor). The token is the visitor's only credential. New visitors are
    limited per client address (429 ``rate_limited`` with ``Retry-After``)."""
    async with hub.write() as tx:
        if body is not None and body.visitor_token:
            visitor = await tx.session.scalar(
                select(M.Visitor).where(M.Visitor.token_hash == token_hash(body.visitor_token)))
            if visitor is not None:
                visitor.last_seen = M.utcnow()
                return E.VisitorSession(visitor_id=visitor.id, visitor_token=body.visitor_token)
        ip = client_ip(request, hub.settings.trusted_proxies)
        wait = hub.visitor_session_limiter.retry_after(ip)
        if wait > 0:
            raise rate_limited(wait, "too many new visitors from this address; try again later")
        hub.visitor_session_limiter.hit(ip)
        token = secrets.token_urlsafe(32)
        visitor = M.Visitor(id=str(uuid.uuid4()), token_hash=token_hash(token))
        tx.session.add(visitor)
    return E.VisitorSession(visitor_id=visitor.id, visitor_token=token)


router.add_api_websocket_route("/ws", visitor_socket)

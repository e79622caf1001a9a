from __future__ import annotations

from fastapi import APIRouter

from supportdesk_protocol import schemas as S
from supportdesk_server.config import server_version
from supportdesk_server.api.deps import HubDep

router = APIRouter(prefix="/api/v1", tags=["server"])


@router.get("/info", response_model=S.ServerInfo)
async def info(hub: HubDep) -> S.ServerInfo:
    """No auth: lets a client check it talks to a SupportDesk server, and which protocol."""
    return S.ServerInfo(version=server_version(), last_seq=hub.events.last_seq)

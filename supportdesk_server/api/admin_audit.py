"""``/admin/audit`` and ``/admin/audit.csv``: the audit log, filtered and paged
(docs/administration.md, "Audit log")."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy import and_, cast, false, or_, select
from sqlalchemy import String as SqlString

from supportdesk_protocol import admin as A
from supportdesk_protocol import schemas as S
from supportdesk_server.api.deps import MAX_ID, CurrentAgent, PageDep, SessionDep, paginate
from supportdesk_server.auth import AgentContext
from supportdesk_server.services.admin_common import require_manager
from supportdesk_server.store import models as M

router = APIRouter(prefix="/api/v1/admin", tags=["administration"])
CSV_MAX_ROWS = 100_000
Text64 = Annotated[str | None, Query(max_length=64)]


def _scope(ctx: AgentContext):  # noqa: ANN202
    """Heads: rows by agents of their departments, or about those agents or departments."""
    if ctx.is_admin:
        return None
    if not ctx.department_ids:
        return false()
    depts = sorted(ctx.department_ids)
    members = select(M.AgentDepartment.agent_id).where(M.AgentDepartment.department_id.in_(depts))
    member_ids = select(cast(M.AgentDepartment.agent_id, SqlString)).where(
        M.AgentDepartment.department_id.in_(depts))
    return or_(M.AuditLog.agent_id.in_(members),
               and_(M.AuditLog.entity == "agents", M.AuditLog.entity_id.in_(member_ids)),
               and_(M.AuditLog.entity == "departments",
                    M.AuditLog.entity_id.in_([str(d) for d in depts])))


def _query(ctx: AgentContext, agent_id: int | None, entity: str | None, entity_id: str | None,
           action: str | None, since: datetime | None, until: datetime | None):  # noqa: ANN202
    require_manager(ctx)
    stmt = select(M.AuditLog, M.Agent.login).outerjoin(M.Agent, M.Agent.id == M.AuditLog.agent_id)
    conds = [c for c in (
        _scope(ctx),
        M.AuditLog.agent_id == agent_id if agent_id is not None else None,
        M.AuditLog.entity == entity if entity else None,
        M.AuditLog.entity_id == entity_id if entity_id else None,
        M.AuditLog.action == action if action else None,
        M.AuditLog.at >= since if since else None,
        M.AuditLog.at < until if until else None) if c is not None]
    return stmt.where(*conds).order_by(M.AuditLog.id.desc())


def _entry(row) -> A.AuditEntry:  # noqa: ANN001
    log, login = row
    return A.AuditEntry(id=log.id, at=log.at, agent_id=log.agent_id, agent_login=login,
                        action=log.action, entity=log.entity, entity_id=log.entity_id,
                        changes=log.changes or {}, ip=log.ip or "", user_agent=log.user_agent or "")


@router.get("/audit", response_model=S.Page[A.AuditEntry])
async def audit(agent: CurrentAgent, session: SessionDep, page: PageDep,
                agent_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
                entity: Text64 = None, entity_id: Text64 = None, action: Text64 = None,
                since: datetime | None = None, until: datetime | None = None) -> dict:
    stmt = _query(agent, agent_id, entity, entity_id, action, since, until)
    return await paginate(session, stmt, page, _entry, scalars=False)


@router.get("/audit.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}})
async def audit_csv(agent: CurrentAgent, session: SessionDep,
                    agent_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
                    entity: Text64 = None, entity_id: Text64 = None, action: Text64 = None,
                    since: datetime | None = None, until: datetime | None = None) -> Response:
    stmt = _query(agent, agent_id, entity, entity_id, action, since, until).limit(CSV_MAX_ROWS)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["id", "at", "agent_id", "agent_login", "action", "entity", "entity_id", "ip",
                "user_agent", "changes"])
    for row in (await session.execute(stmt)).all():
        e = _entry(row)
        w.writerow([e.id, e.at.isoformat(), e.agent_id or "", e.agent_login or "", e.action,
                    e.entity, e.entity_id, e.ip, e.user_agent,
                    json.dumps(e.changes, ensure_ascii=False, default=str)])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="audit.csv"'})

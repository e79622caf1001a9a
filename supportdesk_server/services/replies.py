"""Pre-defined replies: create, edit (version-checked), delete; each change emits ``reply.changed``
to those who can see the reply (its department, or only its owner for a personal one)."""

from __future__ import annotations

from typing import Any

from supportdesk_protocol import schemas as S
from supportdesk_protocol.events import EventType as ET
from supportdesk_protocol.events import ReplyChanged
from supportdesk_server.auth import AgentContext
from supportdesk_server.errors import ApiError, conflict, forbidden, not_found
from supportdesk_server.services.runtime import Hub, Tx
from supportdesk_server.store import models as M


def _invalid(field: str, msg: str) -> ApiError:
    return ApiError(422, "validation_error", f"{field}: {msg}",
                    [{"loc": [field], "msg": msg, "type": "value_error"}])


def _check_scope(ctx: AgentContext, scope: S.ReplyScope, department_id: int | None) -> None:
    if scope == S.ReplyScope.DEPARTMENT:
        if department_id is None:
            raise _invalid("department_id", "required for a department reply")
        if not ctx.is_admin and department_id not in ctx.department_ids:
            raise _invalid("department_id", "must be one of your departments")
    elif department_id is not None:
        raise _invalid("department_id", "a personal reply has no department")


def _audience(reply: M.PredefinedReply) -> set[str]:
    aud = {f"a:{reply.owner_id}"}
    if reply.scope == S.ReplyScope.DEPARTMENT and reply.department_id:
        aud.add(f"d:{reply.department_id}")
    return aud


def _visible(ctx: AgentContext, reply: M.PredefinedReply) -> bool:
    if reply.scope == S.ReplyScope.PERSONAL:
        return reply.owner_id == ctx.id
    return ctx.is_admin or reply.department_id in ctx.department_ids


def _may_edit(ctx: AgentContext, reply: M.PredefinedReply) -> bool:
    if reply.owner_id == ctx.id or ctx.is_admin:
        return True
    return (reply.scope == S.ReplyScope.DEPARTMENT and ctx.role == S.Role.HEAD
            and reply.department_id in ctx.department_ids)


def _audit(tx: Tx, ctx: AgentContext, action: str, reply: M.PredefinedReply, **changes: Any) -> None:
    tx.session.add(M.AuditLog(agent_id=ctx.id, action=action, entity="predefined_replies",
                              entity_id=str(reply.id), changes=changes))


async def _editable(tx: Tx, ctx: AgentContext, reply_id: int) -> M.PredefinedReply:
    reply = await tx.session.get(M.PredefinedReply, reply_id)
    if reply is None or not _visible(ctx, reply):
        raise not_found("reply")
    if not _may_edit(ctx, reply):
        raise forbidden("only the reply's author, a head of its department or an admin may "
                        "change it")
    return reply


async def create(hub: Hub, ctx: AgentContext, req: S.ReplyCreate) -> S.PredefinedReply:
    _check_scope(ctx, req.scope, req.department_id)
    async with hub.write() as tx:
        if req.department_id is not None and await tx.session.get(M.Department,
                                                                  req.department_id) is None:
            raise _invalid("department_id", "no such department")
        reply = M.PredefinedReply(title=req.title, text=req.text, scope=str(req.scope),
                                  department_id=req.department_id, owner_id=ctx.id,
                                  chat_only=req.chat_only, version=1)
        tx.session.add(reply)
        await tx.session.flush()
        _audit(tx, ctx, "reply.create", reply, title=req.title)
        tx.emit(ET.REPLY_CHANGED, _audience(reply), ReplyChanged(reply_id=reply.id))
        return S.PredefinedReply.model_validate(reply)


async def update(hub: Hub, ctx: AgentContext, reply_id: int, req: S.ReplyPatch
                 ) -> S.PredefinedReply:
    async with hub.write() as tx:
        reply = await _editable(tx, ctx, reply_id)
        if reply.version != req.version:
            raise conflict("a colleague changed this reply meanwhile; reload it and edit again",
                           code="version_conflict")
        scope = req.scope if req.scope is not None else S.ReplyScope(reply.scope)
        if "department_id" in req.model_fields_set:
            dept = req.department_id
        else:
            dept = reply.department_id if scope == S.ReplyScope.DEPARTMENT else None
        if (scope, dept) != (S.ReplyScope(reply.scope), reply.department_id):
            _check_scope(ctx, scope, dept)
        before = _audience(reply)
        changes: dict[str, Any] = {}
        for field, value in (("title", req.title), ("text", req.text), ("chat_only", req.chat_only)):
            if value is not None and value != getattr(reply, field):
                changes[field] = [getattr(reply, field), value]
                setattr(reply, field, value)
        if str(scope) != reply.scope or dept != reply.department_id:
            changes["scope"] = [[reply.scope, reply.department_id], [str(scope), dept]]
            reply.scope, reply.department_id = str(scope), dept
        if changes:
            reply.version += 1
            await tx.session.flush()
            _audit(tx, ctx, "reply.update", reply, **{k: v for k, v in changes.items()
                                                      if k != "text"})
            tx.emit(ET.REPLY_CHANGED, before | _audience(reply), ReplyChanged(reply_id=reply.id))
        return S.PredefinedReply.model_validate(reply)


async def delete(hub: Hub, ctx: AgentContext, reply_id: int) -> None:
    async with hub.write() as tx:
        reply = await _editable(tx, ctx, reply_id)
        aud = _audience(reply)
        _audit(tx, ctx, "reply.delete", reply, title=reply.title)
        await tx.session.delete(reply)
        tx.emit(ET.REPLY_CHANGED, aud, ReplyChanged(reply_id=reply_id, deleted=True))

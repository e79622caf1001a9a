"""Editing a client and its records: the client's name and phone, its login users, payments,
services and projects.

Every edit follows the same steps, inside one ``hub.write()`` transaction:

1. the client must be visible to the agent (its department is one of the agent's; admins see
   all) — otherwise 404, so another department's client ids do not leak;
2. payments need ``Agent.can_edit_payments``, services ``can_edit_services`` (admins always) —
   otherwise 403;
3. the record must belong to that client (404) and still have the ``version`` the agent edited —
   otherwise 409 ``version_conflict`` with ``details.current`` = the record as it is now, so the
   desk can show what changed and let the agent choose;
4. checks that need the database (a login already used) answer 422 naming the field;
5. the changed fields are written, ``version`` goes up by one, an ``audit_log`` row records who
   and what (``{"field": [before, after]}``; a password only as ``"(changed)"``), and a
   ``client.updated`` event (``ClientChanged`` with the record) goes to the client's department.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select

from supportdesk_protocol import schemas as S
from supportdesk_protocol.events import ClientChanged
from supportdesk_protocol.events import EventType as ET
from supportdesk_server.auth import AgentContext, hash_password
from supportdesk_server.errors import ApiError, forbidden, not_found
from supportdesk_server.services.runtime import Hub, Tx
from supportdesk_server.store import models as M

PASSWORD_MARK = "(changed)"


@dataclass(frozen=True)
class Kind:
    """One editable kind of record: its table, answer shape and the right it needs."""

    entity: str                      # name in events and error messages: user, payment...
    model: type[M.Base]
    schema: type[BaseModel]
    right: str | None = None         # "payments" / "services": Agent.can_edit_<right>


CLIENT = Kind("client", M.Client, S.Client)
USER = Kind("user", M.ClientUser, S.ClientUser)
PAYMENT = Kind("payment", M.Payment, S.Payment, "payments")
SERVICE = Kind("service", M.Service, S.Service, "services")
PROJECT = Kind("project", M.Project, S.Project)


def invalid(field: str, msg: str) -> ApiError:
    """422 in the same shape as pydantic's: ``details[].loc == [field]``."""
    return ApiError(422, "validation_error", f"{field}: {msg}",
                    [{"loc": [field], "msg": msg, "type": "value_error"}])


def _plain(value: Any) -> Any:
    """A JSON value for the audit log."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _current(kind: Kind, row: Any) -> dict[str, Any]:
    return kind.schema.model_validate(row).model_dump(mode="json")


async def _visible_client(tx: Tx, ctx: AgentContext, client_id: int) -> M.Client:
    client = await tx.session.get(M.Client, client_id)
    if client is None or not (ctx.is_admin or (client.department_id is not None
                                               and client.department_id in ctx.department_ids)):
        raise not_found("client")
    return client


async def _require_right(tx: Tx, ctx: AgentContext, kind: Kind) -> None:
    if kind.right is None or ctx.is_admin:
        return
    agent = await tx.session.get(M.Agent, ctx.id)
    if agent is None or not getattr(agent, f"can_edit_{kind.right}"):
        raise forbidden(f"you are not allowed to edit {kind.right}; ask an administrator for "
                        f"the right")


async def _record(tx: Tx, kind: Kind, client_id: int, record_id: int) -> Any:
    row = await tx.session.get(kind.model, record_id)
    if row is None or row.client_id != client_id:
        raise not_found(kind.entity)
    return row


def _check_version(kind: Kind, row: Any, version: int) -> None:
    if row.version != version:
        raise ApiError(409, "version_conflict",
                       f"a colleague changed this {kind.entity} meanwhile (your version "
                       f"{version}, now {row.version}); compare and save again",
                       {"current": _current(kind, row)})


def _apply(row: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set each changed field; returns ``{field: [before, after]}``."""
    changes: dict[str, list[Any]] = {}
    for field, value in values.items():
        value = value.value if isinstance(value, Enum) else value
        before = getattr(row, field)
        if before != value:
            changes[field] = [_plain(before), _plain(value)]
            setattr(row, field, value)
    return changes


def _audience(client: M.Client) -> set[str]:
    return {f"d:{client.department_id}"} if client.department_id is not None else set()


async def _finish(tx: Tx, ctx: AgentContext, kind: Kind, action: str, client: M.Client, row: Any,
                  changes: dict[str, list[Any]], *, record_id: int | None = None,
                  deleted: bool = False) -> None:
    """Audit row and event for a change (nothing when nothing changed)."""
    if not changes:
        return
    if not deleted:
        row.version += 1
    await tx.session.flush()
    rid = record_id if record_id is not None else row.id
    tx.session.add(M.AuditLog(agent_id=ctx.id, action=f"{kind.entity}.{action}",
                              entity=kind.model.__tablename__, entity_id=str(rid),
                              changes=changes))
    tx.emit(ET.CLIENT_UPDATED, _audience(client), ClientChanged(
        client_id=client.id, version=row.version, entity=kind.entity, entity_id=rid,
        deleted=deleted, record=None if deleted else _current(kind, row), by_agent_id=ctx.id))


# --- the client ------------------------------------------------------------------------------------


async def update_client(hub: Hub, ctx: AgentContext, client_id: int, req: S.ClientPatch
                        ) -> S.Client:
    async with hub.write() as tx:
        client = await _visible_client(tx, ctx, client_id)
        _check_version(CLIENT, client, req.version)
        values = {k: getattr(req, k) for k in ("name", "phone") if getattr(req, k) is not None}
        changes = _apply(client, values)
        await _finish(tx, ctx, CLIENT, "update", client, client, changes)
        return S.Client.model_validate(client)


# --- login users -----------------------------------------------------------------------------------


async def _login_free(tx: Tx, login: str, user_id: int | None = None) -> None:
    stmt = select(M.ClientUser.id).where(func.lower(M.ClientUser.login) == login.lower())
    if user_id is not None:
        stmt = stmt.where(M.ClientUser.id != user_id)
    if await tx.session.scalar(stmt.limit(1)) is not None:
        raise invalid("login", f"the login {login!r} is already used by another user")


async def create_user(hub: Hub, ctx: AgentContext, client_id: int, req: S.ClientUserCreate
                      ) -> S.ClientUser:
    pw_hash = await asyncio.to_thread(hash_password, req.password) if req.password else ""
    async with hub.write() as tx:
        client = await _visible_client(tx, ctx, client_id)
        await _login_free(tx, req.login)
        user = M.ClientUser(client_id=client.id, login=req.login, email=req.email,
                            full_name=req.full_name, password_hash=pw_hash, enabled=True,
                            version=0)   # _finish makes it 1
        tx.session.add(user)
        await tx.session.flush()
        changes: dict[str, list[Any]] = {f: [None, getattr(user, f)]
                                         for f in ("login", "email", "full_name", "enabled")}
        if req.password:
            changes["password"] = [None, PASSWORD_MARK]
        await _finish(tx, ctx, USER, "create", client, user, changes)
        return S.ClientUser.model_validate(user)


async def update_user(hub: Hub, ctx: AgentContext, client_id: int, user_id: int,
                      req: S.ClientUserPatch) -> S.ClientUser:
    pw_hash = await asyncio.to_thread(hash_password, req.password) if req.password else None
    async with hub.write() as tx:
        client = await _visible_client(tx, ctx, client_id)
        user = await _record(tx, USER, client.id, user_id)
        _check_version(USER, user, req.version)
        if req.login is not None and req.login != user.login:
            await _login_free(tx, req.login, user.id)
        values = {k: getattr(req, k) for k in ("login", "email", "full_name", "enabled")
                  if getattr(req, k) is not None}
        changes = _apply(user, values)
        if pw_hash is not None:
            user.password_hash = pw_hash
            changes["password"] = [PASSWORD_MARK, PASSWORD_MARK]
        action = "update"
        if set(changes) == {"enabled"}:
            action = "enable" if user.enabled else "disable"
        await _finish(tx, ctx, USER, action, client, user, changes)
        return S.ClientUser.model_validate(user)


# --- payments, services, projects -------------------------------------------------------------------


async def update_payment(hub: Hub, ctx: AgentContext, client_id: int, payment_id: int,
                         req: S.PaymentPatch) -> S.Payment:
    async with hub.write() as tx:
        client = await _visible_client(tx, ctx, client_id)
        await _require_right(tx, ctx, PAYMENT)
        payment = await _record(tx, PAYMENT, client.id, payment_id)
        _check_version(PAYMENT, payment, req.version)
        values = {k: getattr(req, k) for k in ("status", "amount", "note")
                  if getattr(req, k) is not None}
        changes = _apply(payment, values)
        if "status" in changes and payment.status == S.PaymentStatus.PAID \
                and payment.paid_at is None:
            changes.update(_apply(payment, {"paid_at": M.utcnow()}))
        await _finish(tx, ctx, PAYMENT, "update", client, payment, changes)
        return S.Payment.model_validate(payment)


async def update_service(hub: Hub, ctx: AgentContext, client_id: int, service_id: int,
                         req: S.ServicePatch) -> S.Service:
    async with hub.write() as tx:
        client = await _visible_client(tx, ctx, client_id)
        await _require_right(tx, ctx, SERVICE)
        service = await _record(tx, SERVICE, client.id, service_id)
        _check_version(SERVICE, service, req.version)
        values = {k: getattr(req, k) for k in ("name", "price", "status")
                  if getattr(req, k) is not None}
        if "expires_at" in req.model_fields_set:
            values["expires_at"] = req.expires_at
        changes = _apply(service, values)
        await _finish(tx, ctx, SERVICE, "update", client, service, changes)
        return S.Service.model_validate(service)


async def delete_service(hub: Hub, ctx: AgentContext, client_id: int, service_id: int,
                         version: int) -> None:
    async with hub.write() as tx:
        client = await _visible_client(tx, ctx, client_id)
        await _require_right(tx, ctx, SERVICE)
        service = await _record(tx, SERVICE, client.id, service_id)
        _check_version(SERVICE, service, version)
        before = _current(SERVICE, service)
        await tx.session.delete(service)
        await _finish(tx, ctx, SERVICE, "delete", client, service,
                      {k: [v, None] for k, v in before.items()}, record_id=service_id,
                      deleted=True)


async def update_project(hub: Hub, ctx: AgentContext, client_id: int, project_id: int,
                         req: S.ProjectPatch) -> S.Project:
    async with hub.write() as tx:
        client = await _visible_client(tx, ctx, client_id)
        project = await _record(tx, PROJECT, client.id, project_id)
        _check_version(PROJECT, project, req.version)
        changes = _apply(project, {"enabled": req.enabled})
        await _finish(tx, ctx, PROJECT, "enable" if req.enabled else "disable", client, project,
                      changes)
        return S.Project.model_validate(project)

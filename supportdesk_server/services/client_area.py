"""Chat authorization and the client area (issue 4, seed items 1, 2, 7, 8 and the "not authorized"
icons).

* The agent asks the visitor to log in / to authorize / to register (:func:`request_auth`): a
  system message in the chat and an ``auth_prompt`` frame to the widget.
* The visitor logs in (:func:`visitor_login`) with a client user's login and password, or creates a
  client (:func:`visitor_register`) in the chat's department; either way the open chat and the
  visitor become that client's (:func:`_authorize`): ``chat.updated``, ``chat.message`` (system
  line) and ``chat.authorized`` for the desk, a ``chat`` frame for the widget.
* History of the client's chats (:func:`history_query`): same browser (visitor id, from the
  widget's cookie) or same authorized client.
* "Drill down to user level": a one-time link (:func:`issue_link`) that opens a read-only client
  area page as that client (:func:`consume_link`, :func:`session_client`).

Links and client-area sessions live in memory, stored by the SHA-256 of their token only: a link
works for at most 60 seconds and once, a session for 30 minutes, so losing them on a server restart
costs the agent one click. (The reference server is one process; see docs/architecture.md.)
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select

from supportdesk_protocol import events as E
from supportdesk_protocol import limits as L
from supportdesk_protocol import schemas as S
from supportdesk_protocol.events import EventType as ET
from supportdesk_server.auth import AgentContext, hash_password, token_hash, verify_password_async
from supportdesk_server.errors import conflict, forbidden, not_found
from supportdesk_server.services import chats as ops
from supportdesk_server.services.runtime import Hub, RateLimiter
from supportdesk_server.services.snapshots import chat_snapshot, message_schema, visitor_message
from supportdesk_server.store import models as M

LINK_SECONDS = 60                  # a drill-down link works this long, once
SESSION_SECONDS = 30 * 60          # the client-area session the link opens
USED_LINK_MEMORY_SECONDS = 3600    # a used/expired link still says so (not "unknown") this long
MAX_LINKS = 10_000

LOGIN_FAILURES = 5                 # wrong passwords per (ip, login) ...
LOGIN_WINDOW = 60.0                # ... within this window, then rate_limited
VISITOR_ATTEMPTS = 20              # login + register frames per visitor ...
VISITOR_WINDOW = 600.0             # ... within 10 minutes
REGISTRATIONS_PER_IP = 5           # new clients per IP ...
REGISTRATION_WINDOW = 3600.0       # ... per hour

MIN_LOGIN, MIN_PASSWORD = 3, 8
LOGIN_RE = re.compile(r"^[A-Za-z0-9._@+-]+$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^[0-9+()./ -]*$")


@dataclass
class _Link:
    client_id: int
    agent_id: int
    chat_id: int | None
    expires: float                    # time.monotonic()
    used: bool = False


@dataclass
class _Session:
    client_id: int
    agent_id: int
    expires: float


@dataclass
class ClientAreaState:
    links: dict[str, _Link] = field(default_factory=dict)
    sessions: dict[str, _Session] = field(default_factory=dict)
    login_limiter: RateLimiter = field(
        default_factory=lambda: RateLimiter(LOGIN_FAILURES, LOGIN_WINDOW))
    visitor_limiter: RateLimiter = field(
        default_factory=lambda: RateLimiter(VISITOR_ATTEMPTS, VISITOR_WINDOW))
    register_limiter: RateLimiter = field(
        default_factory=lambda: RateLimiter(REGISTRATIONS_PER_IP, REGISTRATION_WINDOW))

    def prune(self) -> None:
        now = time.monotonic()
        for key, link in list(self.links.items()):
            if link.expires + USED_LINK_MEMORY_SECONDS < now:
                del self.links[key]
        for key, sess in list(self.sessions.items()):
            if sess.expires < now:
                del self.sessions[key]
        while len(self.links) > MAX_LINKS:
            self.links.pop(next(iter(self.links)))
        while len(self.sessions) > MAX_LINKS:
            self.sessions.pop(next(iter(self.sessions)))


def state(hub: Hub) -> ClientAreaState:
    st = getattr(hub, "client_area", None)
    if st is None:
        st = ClientAreaState()
        hub.client_area = st   # type: ignore[attr-defined]
    return st


# --- asking the visitor ---------------------------------------------------------------------------

PROMPT_TEXT = {
    S.VisitorAuthKind.LOGIN: "{agent} asked you to log in to your client area.",
    S.VisitorAuthKind.AUTHORIZE: "{agent} asked you to confirm who you are: please log in to "
                                 "your client area.",
    S.VisitorAuthKind.REGISTER: "{agent} invited you to register as a new client.",
}
#: The same line as agents read it in the list of chats (``last_message_preview``): the message
#: itself speaks to the visitor ("asked you to…"), the preview to a colleague.
PROMPT_PREVIEW = {
    S.VisitorAuthKind.LOGIN: "{agent} asked the visitor to log in to the client area.",
    S.VisitorAuthKind.AUTHORIZE: "{agent} asked the visitor to confirm who they are by logging "
                                 "in.",
    S.VisitorAuthKind.REGISTER: "{agent} invited the visitor to register as a new client.",
}


async def request_auth(hub: Hub, ctx: AgentContext, chat_id: int, kind: S.VisitorAuthKind
                       ) -> S.Chat:
    async with hub.write() as tx:
        chat = await ops.get_visible_chat(tx.session, ctx, chat_id)
        if chat.state != S.ChatState.ACTIVE:
            raise conflict("the chat is not active; take it before you ask the visitor to log in")
        if chat.assignee_id != ctx.id and not ctx.is_admin:
            raise forbidden("only the agent who has the chat may ask the visitor to log in")
        if chat.client_id is not None:
            client = await tx.session.get(M.Client, chat.client_id)
            raise conflict(f"the visitor is already logged in as {client.name if client else '?'}")
        text = PROMPT_TEXT[kind].format(agent=ctx.display_name)
        msg = await ops.add_message(tx, chat, kind="system", text=text, author_name="")
        chat.last_message_preview = PROMPT_PREVIEW[kind].format(
            agent=ctx.display_name)[:ops.PREVIEW]
        snap = await chat_snapshot(tx.session, chat)
        tx.emit(ET.CHAT_MESSAGE, ops.audience(chat),
                E.ChatMessageEvent(chat=snap, message=message_schema(msg)))
        ops.audit(tx, ctx.id, "chat.auth_request", chat, kind=str(kind))
        visitor_id, cid = chat.visitor_id, chat.id
        out = E.VisitorMessageOut(message=visitor_message(msg))
        prompt = E.AuthPromptFrame(kind=str(kind), agent_name=ctx.display_name)

        def push() -> None:
            hub.visitor_sockets.send_message(visitor_id, cid, out)
            hub.visitor_sockets.send(visitor_id, prompt)

        tx.after_commit(push)
    return snap


# --- the outstanding ask: sent again on reconnect, until answered or dismissed ----------------------

ASK_ACTIONS = ("chat.auth_request", "chat.auth_dismissed")


async def _latest_ask(session: Any, chat: M.Chat) -> M.AuditLog | None:
    """The newest ``chat.auth_request`` / ``chat.auth_dismissed`` audit row of ``chat``. The
    ``at`` bound keeps the scan to the rows written since the chat began (``at`` is indexed)."""
    return await session.scalar(
        select(M.AuditLog).where(M.AuditLog.at >= chat.created_at - timedelta(seconds=1),
                                 M.AuditLog.entity == "chats",
                                 M.AuditLog.entity_id == str(chat.id),
                                 M.AuditLog.action.in_(ASK_ACTIONS))
        .order_by(M.AuditLog.id.desc()).limit(1))


async def outstanding_prompt(session: Any, chat: M.Chat | None) -> E.AuthPromptFrame | None:
    """The ``auth_prompt`` (``again``) to send a (re)connecting visitor: the agent asked, and the
    chat is neither closed nor authorized and the visitor has not dismissed the ask since."""
    if chat is None or chat.state == S.ChatState.CLOSED or chat.client_id is not None:
        return None
    row = await _latest_ask(session, chat)
    if row is None or row.action != "chat.auth_request":
        return None
    kind = str((row.changes or {}).get("kind") or S.VisitorAuthKind.LOGIN)
    if kind not in {str(k) for k in S.VisitorAuthKind}:
        kind = str(S.VisitorAuthKind.LOGIN)
    agent = await session.get(M.Agent, row.agent_id) if row.agent_id is not None else None
    return E.AuthPromptFrame(kind=kind, agent_name=agent.display_name if agent else "",
                             again=True)


async def visitor_dismiss(hub: Hub, visitor_id: str) -> bool:
    """The visitor said "Not now": record it (audit ``chat.auth_dismissed``) so a reconnect does
    not ask again. False (nothing written) when no ask is outstanding."""
    async with hub.write() as tx:
        chat = await ops.open_chat_of(tx.session, visitor_id)
        prompt = await outstanding_prompt(tx.session, chat)
        if chat is None or prompt is None:
            return False
        ops.audit(tx, None, "chat.auth_dismissed", chat, kind=prompt.kind, by="visitor")
    return True


# --- the visitor logs in or registers -------------------------------------------------------------


def _refusal(action: str, code: str, message: str, *, retry_after: float | None = None,
             errors: list[tuple[str, str]] | None = None) -> E.AuthResultFrame:
    return E.AuthResultFrame(
        action=action, ok=False, code=code, message=message,
        retry_after=max(1, int(retry_after + 0.999)) if retry_after is not None else None,
        errors=[E.AuthFieldError(field=f, message=m) for f, m in (errors or [])])


def _visitor_flood(st: ClientAreaState, action: str, visitor_id: str) -> E.AuthResultFrame | None:
    wait = st.visitor_limiter.retry_after(visitor_id)
    if wait > 0:
        return _refusal(action, "rate_limited", "Too many attempts. Please wait a few minutes "
                        "and try again.", retry_after=wait)
    st.visitor_limiter.hit(visitor_id)
    return None


async def _authorize(hub: Hub, tx: Any, visitor_id: str, client: M.Client, user: M.ClientUser,
                     ip: str, *, registered: bool) -> None:
    visitor = await tx.session.get(M.Visitor, visitor_id)
    if visitor is not None:
        visitor.client_id = client.id
    if ip:
        user.last_ip = ip[:64]
    chat = await ops.open_chat_of(tx.session, visitor_id)
    if chat is None:
        return
    before = chat.client_id
    chat.client_id = client.id
    verb = "Registered as a new client and logged in" if registered else "Logged in"
    msg = await ops.add_message(
        tx, chat, kind="system", author_name="",
        text=f"{verb} to the client area as {client.name} (login {user.login}).")
    snap = await chat_snapshot(tx.session, chat)
    aud = ops.audience(chat)
    tx.emit(ET.CHAT_UPDATED, aud, snap)
    tx.emit(ET.CHAT_MESSAGE, aud, E.ChatMessageEvent(chat=snap, message=message_schema(msg)))
    tx.emit(ET.CHAT_AUTHORIZED, aud, E.ChatAuthorizedEvent(
        chat=snap, client_id=client.id, login=user.login, registered=registered))
    ops.audit(tx, None, "chat.authorize", chat, client_id=[before, client.id], login=user.login,
              registered=registered, by="visitor")
    await ops.push_visitor_chat(hub, tx, chat)
    out = E.VisitorMessageOut(message=visitor_message(msg))
    cid = chat.id
    tx.after_commit(lambda: hub.visitor_sockets.send_message(visitor_id, cid, out))


async def _already_authorized(session: Any, visitor_id: str) -> str | None:
    chat = await ops.open_chat_of(session, visitor_id)
    if chat is None or chat.client_id is None:
        return None
    client = await session.get(M.Client, chat.client_id)
    return client.name if client else ""


async def visitor_login(hub: Hub, visitor_id: str, frame: E.VisitorLoginFrame, ip: str
                        ) -> E.AuthResultFrame:
    st = state(hub)
    action = "login"
    refused = _visitor_flood(st, action, visitor_id)
    if refused:
        return refused
    login = frame.login.strip()
    if not login or not frame.password:
        return _refusal(action, "validation_error", "Please enter your login and password.",
                        errors=[(f, "This field is required.") for f, v in
                                (("login", login), ("password", frame.password)) if not v])
    if (len(login) > L.MAX_LOGIN or len(frame.password) > L.MAX_PASSWORD
            or "\x00" in login or "\x00" in frame.password):   # no such user can exist
        return _refusal(action, "unauthorized", "Wrong login or password.")
    key = (ip, login.lower())
    wait = st.login_limiter.retry_after(key)
    if wait > 0:
        return _refusal(action, "rate_limited", "Too many wrong passwords. Please wait a minute "
                        "and try again.", retry_after=wait)
    async with hub.read() as session:
        name = await _already_authorized(session, visitor_id)
        if name is not None:
            return _refusal(action, "conflict", f"You are already logged in as {name}.")
        user = await session.scalar(select(M.ClientUser).where(
            func.lower(M.ClientUser.login) == login.lower()).limit(1))
        stored = user.password_hash if user is not None and user.password_hash else None
    if not await verify_password_async(stored, frame.password):
        st.login_limiter.hit(key)
        return _refusal(action, "unauthorized", "Wrong login or password.")
    st.login_limiter.reset(key)
    assert user is not None
    if not user.enabled:
        return _refusal(action, "forbidden", "This login is disabled. Please ask the agent "
                        "to help you.")
    async with hub.write() as tx:
        user = await tx.session.get(M.ClientUser, user.id)
        client = await tx.session.get(M.Client, user.client_id) if user else None
        if user is None or client is None:
            return _refusal(action, "unauthorized", "Wrong login or password.")
        await _authorize(hub, tx, visitor_id, client, user, ip, registered=False)
        name = client.name
    return E.AuthResultFrame(action=action, ok=True, client_name=name)


def registration_errors(frame: E.VisitorRegisterFrame) -> list[tuple[str, str]]:
    """One sentence per wrong field (the widget shows each next to its field)."""
    errors: list[tuple[str, str]] = []
    for field in ("name", "email", "phone", "login", "password"):
        if "\x00" in getattr(frame, field):   # cannot be stored (PostgreSQL text) nor meant
            errors.append((field, "This field contains a character that is not allowed."))
    if errors:
        return errors
    name, email = frame.name.strip(), frame.email.strip()
    phone, login, password = frame.phone.strip(), frame.login.strip(), frame.password
    if not name:
        errors.append(("name", "Please enter your name or your company's name."))
    elif len(name) > L.MAX_NAME:
        errors.append(("name", f"The name is too long (at most {L.MAX_NAME} characters)."))
    if not email:
        errors.append(("email", "Please enter your email address."))
    elif len(email) > 320 or not EMAIL_RE.match(email):
        errors.append(("email", "This does not look like an email address (name@example.com)."))
    if len(phone) > 64:
        errors.append(("phone", "The phone number is too long (at most 64 characters)."))
    elif not PHONE_RE.match(phone):
        errors.append(("phone", "A phone number may contain digits, spaces and + ( ) - . / only."))
    if len(login) < MIN_LOGIN or len(login) > L.MAX_LOGIN:
        errors.append(("login", f"Choose a login of {MIN_LOGIN} to {L.MAX_LOGIN} characters."))
    elif not LOGIN_RE.match(login):
        errors.append(("login", "A login may contain letters, digits and . _ @ + - only."))
    if len(password) < MIN_PASSWORD:
        errors.append(("password", f"The password needs at least {MIN_PASSWORD} characters."))
    elif len(password) > L.MAX_PASSWORD:
        errors.append(("password", f"The password is too long (at most {L.MAX_PASSWORD} "
                                   "characters)."))
    return errors


async def visitor_register(hub: Hub, visitor_id: str, frame: E.VisitorRegisterFrame, ip: str
                           ) -> E.AuthResultFrame:
    st = state(hub)
    action = "register"
    refused = _visitor_flood(st, action, visitor_id)
    if refused:
        return refused
    errors = registration_errors(frame)
    if errors:
        return _refusal(action, "validation_error", "Please correct the marked fields.",
                        errors=errors)
    login = frame.login.strip()
    async with hub.read() as session:
        chat = await ops.open_chat_of(session, visitor_id)
        if chat is None:
            return _refusal(action, "conflict", "Start a chat first; the new account is "
                            "registered with the department you chat with.")
        name = await _already_authorized(session, visitor_id)
        if name is not None:
            return _refusal(action, "conflict", f"You are already logged in as {name}.")
        taken = await session.scalar(select(M.ClientUser.id).where(
            func.lower(M.ClientUser.login) == login.lower()).limit(1))
    if taken is not None:
        return _refusal(action, "validation_error", "Please correct the marked fields.",
                        errors=[("login", "This login is taken. Choose another one, or log in "
                                          "if it is yours.")])
    wait = st.register_limiter.retry_after(ip)
    if wait > 0:
        return _refusal(action, "rate_limited", "Too many new accounts from your network. "
                        "Please try again later.", retry_after=wait)
    password_hash = await asyncio.to_thread(hash_password, frame.password)
    async with hub.write() as tx:
        chat = await ops.open_chat_of(tx.session, visitor_id)
        if chat is None:
            return _refusal(action, "conflict", "The chat has ended; start a new one first.")
        again = await tx.session.scalar(select(M.ClientUser.id).where(
            func.lower(M.ClientUser.login) == login.lower()).limit(1))
        if again is not None:
            return _refusal(action, "validation_error", "Please correct the marked fields.",
                            errors=[("login", "This login is taken. Choose another one.")])
        client = M.Client(name=frame.name.strip(), email=frame.email.strip(),
                          phone=frame.phone.strip(), project_name="",
                          department_id=chat.department_id, status="active", version=1)
        tx.session.add(client)
        await tx.session.flush()
        user = M.ClientUser(client_id=client.id, login=login, email=client.email,
                            full_name=client.name, password_hash=password_hash, enabled=True,
                            last_ip=ip[:64], version=1)
        tx.session.add(user)
        await tx.session.flush()
        tx.session.add(M.AuditLog(agent_id=None, action="client.register", entity="clients",
                                  entity_id=str(client.id),
                                  changes={"by": "visitor", "chat_id": chat.id, "login": login}))
        tx.emit(ET.CLIENT_UPDATED, {f"d:{client.department_id}"},
                E.ClientChanged(client_id=client.id, version=client.version))
        await _authorize(hub, tx, visitor_id, client, user, ip, registered=True)
        name = client.name
    st.register_limiter.hit(ip)
    return E.AuthResultFrame(action=action, ok=True, client_name=name)


# --- history of the client's chats ----------------------------------------------------------------


def history_query(ctx: AgentContext, chat: M.Chat):  # noqa: ANN201
    """Chats (other than ``chat``) from the same browser or of the same authorized client that
    ``ctx`` may see, newest first."""
    same = [M.Chat.visitor_id == chat.visitor_id]
    if chat.client_id is not None:
        same.append(M.Chat.client_id == chat.client_id)
    return (select(M.Chat, M.Client).outerjoin(M.Client, M.Client.id == M.Chat.client_id)
            .where(or_(*same), M.Chat.id != chat.id, ops.chat_visibility(ctx))
            .order_by(M.Chat.created_at.desc(), M.Chat.id.desc()))


# --- drill down to user level: one-time links and client-area sessions ----------------------------


async def issue_link(hub: Hub, ctx: AgentContext, req: S.ClientAreaLinkRequest
                     ) -> tuple[str, datetime]:
    """Returns (token, expires_at). 404 when the agent may not see the client."""
    async with hub.write() as tx:
        client = await tx.session.get(M.Client, req.client_id)
        allowed = client is not None and (
            ctx.is_admin or (client.department_id is not None
                             and client.department_id in ctx.department_ids))
        if client is not None and not allowed and req.chat_id is not None:
            chat = await tx.session.get(M.Chat, req.chat_id)
            allowed = (chat is not None and ops.can_see(ctx, chat)
                       and chat.client_id == client.id)
        if not allowed:
            raise not_found("client")
        token = secrets.token_urlsafe(32)
        ttl = min(req.ttl_seconds, LINK_SECONDS)
        expires_at = M.utcnow() + timedelta(seconds=ttl)
        tx.session.add(M.AuditLog(agent_id=ctx.id, action="client_area.link", entity="clients",
                                  entity_id=str(client.id),
                                  changes={"chat_id": req.chat_id,
                                           "expires_at": expires_at.isoformat()}))
    st = state(hub)
    st.prune()
    st.links[token_hash(token)] = _Link(client.id, ctx.id, req.chat_id,
                                        time.monotonic() + ttl)
    return token, expires_at


class LinkRefused(Exception):
    def __init__(self, reason: str) -> None:   # unknown / used / expired
        super().__init__(reason)
        self.reason = reason


async def consume_link(hub: Hub, token: str, ip: str) -> str:
    """Use a link once: returns a new client-area session token. Raises :class:`LinkRefused`."""
    st = state(hub)
    key = token_hash(token) if 0 < len(token) <= 128 else ""
    link = st.links.get(key)
    if link is None:
        raise LinkRefused("unknown")
    if link.used:
        raise LinkRefused("used")
    if link.expires <= time.monotonic():
        raise LinkRefused("expired")
    link.used = True            # no await since the lookup: one use, even with two requests
    session_token = secrets.token_urlsafe(32)
    st.sessions[token_hash(session_token)] = _Session(link.client_id, link.agent_id,
                                                      time.monotonic() + SESSION_SECONDS)
    async with hub.write() as tx:
        tx.session.add(M.AuditLog(agent_id=link.agent_id, action="client_area.open",
                                  entity="clients", entity_id=str(link.client_id),
                                  changes={"ip": ip[:64], "chat_id": link.chat_id}))
    return session_token


def session_of(hub: Hub, session_token: str | None) -> tuple[int, int] | None:
    """(client_id, agent_id) of a live client-area session, else None."""
    if not session_token or len(session_token) > 128:
        return None
    sess = state(hub).sessions.get(token_hash(session_token))
    if sess is None or sess.expires <= time.monotonic():
        return None
    return sess.client_id, sess.agent_id


__all__ = [
    "LINK_SECONDS", "LinkRefused", "SESSION_SECONDS", "consume_link", "history_query",
    "issue_link", "outstanding_prompt", "registration_errors", "request_auth", "session_of",
    "state", "visitor_dismiss", "visitor_login", "visitor_register",
]

"""Chat authorization requests, the history of the client's chats, and the client area behind the
desk's "Drill down to user level" button.

Agent API (bearer token):

* ``POST /api/v1/chats/{id}/auth-request`` ``{"kind": "login"|"authorize"|"register"}``: ask the
  chat's visitor to log in / register (the widget shows the form).
* ``GET /api/v1/chats/{id}/history?offset=&limit=``: the visitor's other chats (same browser) and
  the authorized client's chats, newest first, only those the agent may see.
* ``POST /api/v1/client-area/links`` ``{"client_id", "chat_id"?}``: a one-time link (60 s).

Browser pages (no bearer token; server-rendered HTML, every value escaped):

* ``GET /client-area/open/{token}``: uses the link once, sets the session cookie and redirects to
* ``GET /client-area``: the client's account, users, services, payments and tickets, read-only.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from supportdesk_protocol import schemas as S
from supportdesk_server.api.deps import (
    CurrentAgent,
    HubDep,
    IdPath,
    PageDep,
    SessionDep,
    client_ip,
    paginate,
)
from supportdesk_server.services import chats as chat_ops
from supportdesk_server.services import client_area as svc
from supportdesk_server.services.snapshots import chat_schema
from supportdesk_server.store import models as M

router = APIRouter(tags=["client area"])
ERRORS = {404: {"model": S.ErrorBody}, 409: {"model": S.ErrorBody}, 403: {"model": S.ErrorBody}}

COOKIE = "sd_client_area"
COOKIE_PATH = "/client-area"
ROWS = 100     # rows of each kind on the page (newest first)


@router.post("/api/v1/chats/{chat_id}/auth-request", response_model=S.Chat, responses=ERRORS)
async def auth_request(chat_id: IdPath, body: S.VisitorAuthRequest, agent: CurrentAgent,
                       hub: HubDep) -> S.Chat:
    """Only the agent who has the (active, not yet authorized) chat, or an admin. The visitor
    gets an ``auth_prompt`` frame and a system line in the chat says what was asked."""
    return await svc.request_auth(hub, agent, chat_id, body.kind)


@router.get("/api/v1/chats/{chat_id}/history", response_model=S.Page[S.Chat], responses=ERRORS)
async def chat_history(chat_id: IdPath, agent: CurrentAgent, session: SessionDep,
                       page: PageDep) -> dict:
    chat = await chat_ops.get_visible_chat(session, agent, chat_id)
    return await paginate(session, svc.history_query(agent, chat), page,
                          lambda row: chat_schema(row[0], row[1]), scalars=False)


@router.post("/api/v1/client-area/links", response_model=S.ClientAreaLink, status_code=201,
             responses=ERRORS)
async def create_link(body: S.ClientAreaLinkRequest, agent: CurrentAgent, hub: HubDep,
                      request: Request) -> S.ClientAreaLink:
    """A link that opens the client's area as that client, once, within ``ttl_seconds`` (at most
    60). Allowed for agents who see the client's department, or who see ``chat_id`` and that chat
    is authorized as this client; otherwise 404."""
    token, expires_at = await svc.issue_link(hub, agent, body)
    url = str(request.base_url).rstrip("/") + f"/client-area/open/{token}"
    return S.ClientAreaLink(url=url, expires_at=expires_at)


# --- the pages ------------------------------------------------------------------------------------

_CSP = ("default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'")
_HEADERS = {"Cache-Control": "no-store", "Content-Security-Policy": _CSP,
            "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2430}
header{background:#1f3a5f;color:#fff;padding:14px 24px}
header h1{margin:0;font-size:20px} header p{margin:4px 0 0;opacity:.85}
main{max-width:980px;margin:0 auto;padding:18px 24px}
section{background:#fff;border:1px solid #d8dde5;border-radius:8px;margin:0 0 16px;padding:12px 16px}
h2{font-size:16px;margin:0 0 8px} table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eceff3;vertical-align:top}
th{font-weight:600;color:#555} .empty{color:#777} dl{display:grid;grid-template-columns:10em 1fr;margin:0}
dt{color:#555} dd{margin:0 0 4px} .note{background:#fff6d6;border:1px solid #ecd98c;padding:8px 12px;border-radius:6px}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    doc = (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
           f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>{body}</body></html>")
    return HTMLResponse(doc, status_code=status, headers=_HEADERS)


def _message_page(title: str, text: str, status: int) -> HTMLResponse:
    return _page(title, f"<header><h1>{_e(title)}</h1></header><main><section>"
                        f"<p>{_e(text)}</p></section></main>", status)


_REFUSED = {
    "used": ("This link was already used",
             "A client-area link works only once. Ask for a new one from the desk (Open client "
             "area in the chat panel)."),
    "expired": ("This link has expired",
                "A client-area link works for one minute. Ask for a new one from the desk."),
    "unknown": ("This link is not valid",
                "The link is unknown to this server (it may have been restarted). Ask for a new "
                "one from the desk."),
}


@router.get("/client-area/open/{token}", response_class=HTMLResponse, include_in_schema=False)
async def open_link(token: Annotated[str, Path(max_length=200)], request: Request,
                    hub: HubDep) -> Response:
    try:
        session_token = await svc.consume_link(
            hub, token, client_ip(request, hub.settings.trusted_proxies))
    except svc.LinkRefused as exc:
        title, text = _REFUSED.get(exc.reason, _REFUSED["unknown"])
        return _message_page(title, text, 404 if exc.reason == "unknown" else 410)
    resp = RedirectResponse(COOKIE_PATH, status_code=303, headers=_HEADERS)
    resp.set_cookie(COOKIE, session_token, max_age=svc.SESSION_SECONDS, path=COOKIE_PATH,
                    httponly=True, samesite="lax", secure=request.url.scheme == "https")
    return resp


def _table(headers: list[str], rows: list[list[object]], empty: str) -> str:
    if not rows:
        return f"<p class=\"empty\">{_e(empty)}</p>"
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


@router.get("/client-area", response_class=HTMLResponse, include_in_schema=False)
async def client_area_page(request: Request, hub: HubDep) -> Response:
    found = svc.session_of(hub, request.cookies.get(COOKIE))
    if found is None:
        return _message_page("Your client-area session has ended",
                             "Open the client area again from the desk (the link works once, "
                             "for one minute).", 401)
    client_id, agent_id = found
    async with hub.read() as session:
        client = await session.get(M.Client, client_id)
        agent = await session.get(M.Agent, agent_id)
        if client is None:
            return _message_page("This client no longer exists",
                                 "The client was deleted after the link was issued.", 404)

        async def rows(model, order, where):  # noqa: ANN001, ANN202
            return list((await session.scalars(
                select(model).where(where).order_by(order).limit(ROWS))).all())

        users = await rows(M.ClientUser, M.ClientUser.id, M.ClientUser.client_id == client_id)
        services = await rows(M.Service, M.Service.id.desc(), M.Service.client_id == client_id)
        payments = await rows(M.Payment, M.Payment.created_at.desc(),
                              M.Payment.client_id == client_id)
        tickets = await rows(M.Ticket, M.Ticket.updated_at.desc(), M.Ticket.client_id == client_id)
    who = agent.display_name if agent else "an agent"
    body = [
        f"<header><h1>Client area · {_e(client.name)}</h1>"
        f"<p>{_e(client.project_name or '')}</p></header><main>",
        f"<p class=\"note\">You are viewing this client area as the client, opened by "
        f"{_e(who)} from the support desk. Read-only.</p>",
        "<section><h2>Account</h2><dl>",
        f"<dt>Name</dt><dd>{_e(client.name)}</dd>",
        f"<dt>Email</dt><dd>{_e(client.email)}</dd>",
        f"<dt>Phone</dt><dd>{_e(client.phone or '—')}</dd>",
        f"<dt>Project</dt><dd>{_e(client.project_name or '—')}</dd>",
        f"<dt>Balance</dt><dd>{_e(client.balance)} {_e(client.currency)}</dd>",
        f"<dt>Status</dt><dd>{_e(client.status)}</dd>",
        f"<dt>Client since</dt><dd>{_e(_when(client.created_at))}</dd>",
        "</dl></section>",
        "<section><h2>Logins</h2>",
        _table(["Login", "Name", "Email", "Enabled"],
               [[u.login, u.full_name, u.email, "yes" if u.enabled else "no"] for u in users],
               "No logins."),
        "</section><section><h2>Services</h2>",
        _table(["Service", "Type", "Domain", "Status", "Price", "Expires"],
               [[s.name, s.type, s.domain or "—", s.status, f"{s.price} {s.currency}",
                 _when(s.expires_at)] for s in services], "No services."),
        "</section><section><h2>Payments</h2>",
        _table(["Number", "Amount", "Status", "Method", "Created"],
               [[p.number, f"{p.amount} {p.currency}", p.status, p.method or "—",
                 _when(p.created_at)] for p in payments], "No payments."),
        "</section><section><h2>Tickets</h2>",
        _table(["Subject", "Status", "Priority", "Updated"],
               [[t.subject, t.status, t.priority, _when(t.updated_at)] for t in tickets],
               "No tickets."),
        "</section></main>",
    ]
    return _page(f"Client area – {client.name}", "".join(body))

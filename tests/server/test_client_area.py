""""Drill down to user level" (issue 4, seed item 2): a one-time, short-lived link to a read-only
client-area page as the client; permissions, one use, expiry, escaping, audit."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from sqlalchemy import select

from supportdesk_server.store import models as M
from supportdesk_server.store.db import create_engine, make_sessionmaker
from tests.server.conftest import assert_no_server_errors
from tests.server.helpers import SALES, Agent, assert_error, start_chat, visitor
from tests.server.test_chat_auth import CLIENT_PASSWORD, send_frame, start_auth_server


@pytest.fixture(scope="module")
def area_server(tmp_path_factory):
    srv = start_auth_server(tmp_path_factory.mktemp("area-server"))
    yield srv
    srv.stop()
    assert_no_server_errors(srv)


@pytest.fixture
def agent(area_server):
    made: dict[str, Agent] = {}

    def get(login: str) -> Agent:
        if login not in made:
            made[login] = Agent(area_server, login)
        return made[login]

    yield get
    for a in made.values():
        a.close()


def client_id(srv, name: str) -> int:
    async def go() -> int:
        engine = create_engine(srv.database_url)
        try:
            async with make_sessionmaker(engine)() as session:
                return await session.scalar(select(M.Client.id).where(M.Client.name == name))
        finally:
            await engine.dispose()
    return asyncio.run(go())


def audit_actions(srv, entity_id: int) -> list[str]:
    async def go() -> list[str]:
        engine = create_engine(srv.database_url)
        try:
            async with make_sessionmaker(engine)() as session:
                return list((await session.scalars(
                    select(M.AuditLog.action).where(M.AuditLog.entity == "clients",
                                                    M.AuditLog.entity_id == str(entity_id))
                    .order_by(M.AuditLog.id))).all())
        finally:
            await engine.dispose()
    return asyncio.run(go())


def test_link_opens_client_area_once(area_server, agent):
    alice = agent("alice")
    acme = client_id(area_server, "Acme <b>Ltd</b>")
    r = alice.post("/client-area/links", {"client_id": acme})
    assert r.status_code == 201, r.text
    link = r.json()
    assert link["url"].startswith(area_server.url + "/client-area/open/")

    with httpx.Client(follow_redirects=True, timeout=20) as browser:
        page = browser.get(link["url"])
        assert page.status_code == 200, page.text
        assert page.headers["content-type"].startswith("text/html")
        assert "no-store" in page.headers["cache-control"]
        assert "default-src 'none'" in page.headers["content-security-policy"]
        text = page.text
        # everything escaped: the client's name and the payment number carry markup
        assert "Acme &lt;b&gt;Ltd&lt;/b&gt;" in text and "<b>Ltd</b>" not in text
        assert "PAY-&lt;script&gt;1" in text and "<script>" not in text
        for shown in ("acme.example", "ops@acme.example", "Hosting Pro", "SSL renewal",
                      "12.50 USD", "opened by Alice"):
            assert shown in text, shown
        # the session cookie is HttpOnly and scoped to the client area
        cookie = page.history[0].headers["set-cookie"]
        assert "HttpOnly" in cookie and "Path=/client-area" in cookie
        assert browser.get(area_server.url + "/client-area").status_code == 200

    with httpx.Client(follow_redirects=True, timeout=20) as other:
        again = other.get(link["url"])
        assert again.status_code == 410 and "already used" in again.text
        assert "Acme" not in again.text
        nobody = other.get(area_server.url + "/client-area")
        assert nobody.status_code == 401 and "session has ended" in nobody.text
        unknown = other.get(area_server.url + "/client-area/open/not-a-token")
        assert unknown.status_code == 404 and "not valid" in unknown.text
    assert audit_actions(area_server, acme)[-2:] == ["client_area.link", "client_area.open"]


def test_link_expires(area_server, agent):
    acme = client_id(area_server, "Acme <b>Ltd</b>")
    r = agent("alice").post("/client-area/links", {"client_id": acme, "ttl_seconds": 1})
    assert r.status_code == 201, r.text
    time.sleep(1.3)     # waiting for the link's lifetime to pass, not for another process
    page = httpx.get(r.json()["url"], follow_redirects=True)
    assert page.status_code == 410 and "expired" in page.text


def test_link_permissions(area_server, agent):
    acme = client_id(area_server, "Acme <b>Ltd</b>")       # Sales
    techno = client_id(area_server, "Techno GmbH")         # Tech
    alice, carol = agent("alice"), agent("carol")
    assert_error(carol.post("/client-area/links", {"client_id": acme}), 404, "not_found")
    assert_error(alice.post("/client-area/links", {"client_id": techno}), 404, "not_found")
    assert_error(alice.post("/client-area/links", {"client_id": 999999}), 404, "not_found")
    assert_error(alice.post("/client-area/links", {"client_id": acme, "ttl_seconds": 3600}),
                 422, "validation_error")
    assert_error(alice.post("/client-area/links", {"client_id": "x"}), 422, "validation_error")
    r = httpx.post(area_server.api("/client-area/links"), json={"client_id": acme})
    assert_error(r, 401, "unauthorized")
    assert agent("admin").post("/client-area/links", {"client_id": techno}).status_code == 201

    # a Sales chat authorized as the Tech client: alice may open that client's area from it
    async def authorized_chat() -> int:
        v = await visitor(area_server)
        chat_id = await start_chat(v, SALES)
        r = await asyncio.to_thread(alice.post, f"/chats/{chat_id}/take")
        assert r.status_code == 200
        res = await send_frame(v, {"op": "login", "login": "techno",
                                   "password": CLIENT_PASSWORD})
        assert res["ok"], res
        await v.ws.close()
        return chat_id

    chat_id = asyncio.run(authorized_chat())
    r = alice.post("/client-area/links", {"client_id": techno, "chat_id": chat_id})
    assert r.status_code == 201, r.text
    page = httpx.get(r.json()["url"], follow_redirects=True)
    assert page.status_code == 200 and "Techno GmbH" in page.text
    # ... but a chat she cannot see opens nothing for carol (Tech) on the Sales client
    assert_error(carol.post("/client-area/links", {"client_id": acme, "chat_id": chat_id}),
                 404, "not_found")

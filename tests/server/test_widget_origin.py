"""The widget origin allow-list: a web page of a site the admin did not allow cannot open a visitor
session or socket (the browser's Origin header), cannot frame the widget, and is told why."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import httpx
import pytest
import websockets
from websockets.exceptions import InvalidStatus

from tests.server.conftest import assert_no_server_errors
from tests.server.helpers import start_basic_server

SHOP = "https://shop.example"
EVIL = "https://evil.example"


@pytest.fixture(scope="module")
def default_server(tmp_path_factory):
    srv = start_basic_server(tmp_path_factory.mktemp("origin-default"))
    yield srv
    srv.stop()
    assert_no_server_errors(srv)


@pytest.fixture(scope="module")
def shop_server(tmp_path_factory):
    srv = start_basic_server(tmp_path_factory.mktemp("origin-shop"),
                             extra_args=["--widget-origin", SHOP,
                                         "--widget-origin", "http://LOCALHOST:8080/"])
    yield srv
    srv.stop()
    assert_no_server_errors(srv)


def _session(srv, origin: str | None) -> httpx.Response:
    headers = {"Origin": origin} if origin else {}
    return httpx.post(srv.api("/visitor/session"), json={}, headers=headers)


async def _hello(srv, origin: str | None) -> dict:
    token = _session(srv, None).json()["visitor_token"]
    headers = {"Origin": origin} if origin else {}
    async with websockets.connect(srv.ws_url("/visitor/ws"), additional_headers=headers) as ws:
        await ws.send(json.dumps({"op": "hello", "visitor_token": token}))
        return json.loads(await asyncio.wait_for(ws.recv(), 10))


async def _refused(srv, origin: str) -> InvalidStatus:
    with pytest.raises(InvalidStatus) as info:
        async with websockets.connect(srv.ws_url("/visitor/ws"),
                                      additional_headers={"Origin": origin}):
            pass
    return info.value


def test_default_allows_own_origin_and_non_browsers(default_server):
    own = default_server.url
    for origin in (None, own, own + "/"):
        r = _session(default_server, origin)
        assert r.status_code == 200, (origin, r.text)
        assert "access-control-allow-origin" not in r.headers   # same origin: no CORS needed
    assert asyncio.run(_hello(default_server, own))["op"] == "welcome"
    assert asyncio.run(_hello(default_server, None))["op"] == "welcome"


@pytest.mark.parametrize("origin", [EVIL, "null", "http://127.0.0.1", "file://", "junk"])
def test_default_refuses_foreign_origins_over_http(default_server, origin):
    r = _session(default_server, origin)
    assert r.status_code == 403, r.text
    body = r.json()
    assert body["code"] == "origin_not_allowed"
    assert "--widget-origin" in body["message"]
    assert "access-control-allow-origin" not in r.headers


def test_default_refuses_foreign_origin_on_the_socket(default_server):
    exc = asyncio.run(_refused(default_server, EVIL))
    assert exc.response.status_code == 403
    body = json.loads(exc.response.body)
    assert body["code"] == "origin_not_allowed" and EVIL in body["message"]


def test_default_widget_page_may_be_framed_only_by_itself(default_server):
    csp = httpx.get(default_server.url + "/widget").headers["content-security-policy"]
    assert "frame-ancestors 'self';" in csp + ";"


def test_allowed_origin_gets_cors_and_socket(shop_server):
    r = _session(shop_server, SHOP)
    assert r.status_code == 200, r.text
    assert r.headers["access-control-allow-origin"] == SHOP
    pre = httpx.options(shop_server.api("/visitor/session"),
                        headers={"Origin": SHOP, "Access-Control-Request-Method": "POST",
                                 "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 204
    assert pre.headers["access-control-allow-origin"] == SHOP
    assert "POST" in pre.headers["access-control-allow-methods"]
    assert "content-type" in pre.headers["access-control-allow-headers"]
    # normalised: scheme/host case and a trailing slash do not matter
    assert _session(shop_server, "http://localhost:8080").status_code == 200
    assert asyncio.run(_hello(shop_server, SHOP))["op"] == "welcome"
    csp = httpx.get(shop_server.url + "/widget").headers["content-security-policy"]
    assert f"frame-ancestors 'self' {SHOP} http://localhost:8080" in csp
    # still refused: anything else, including the same host on another scheme or port
    for origin in (EVIL, "http://shop.example", "https://shop.example:8443"):
        assert _session(shop_server, origin).status_code == 403, origin
    assert asyncio.run(_refused(shop_server, EVIL)).response.status_code == 403


def test_agent_endpoints_are_not_affected(shop_server):
    # the allow-list is about the visitor surface; agents' clients are not browsers on a site
    r = httpx.get(shop_server.api("/info"), headers={"Origin": EVIL})
    assert r.status_code == 200


def test_star_allows_every_origin(tmp_path):
    srv = start_basic_server(tmp_path / "star", extra_args=["--widget-origin", "*"])
    try:
        r = _session(srv, EVIL)
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == EVIL
        assert asyncio.run(_hello(srv, EVIL))["op"] == "welcome"
        csp = httpx.get(srv.url + "/widget").headers["content-security-policy"]
        assert "frame-ancestors *" in csp
    finally:
        srv.stop()
    assert_no_server_errors(srv)


def test_environment_variable_and_bad_values(tmp_path):
    run = [sys.executable, "-m", "supportdesk_server", "--port", "0",
           "--database-url", f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}"]
    bad = subprocess.run(run + ["--widget-origin", "shop.example"], capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2
    assert "not a web origin" in bad.stderr and "shop.example" in bad.stderr
    import os
    env = dict(os.environ, SUPPORTDESK_WIDGET_ORIGINS="ftp://x")
    bad = subprocess.run(run, capture_output=True, text=True, timeout=60, env=env)
    assert bad.returncode == 2 and "ftp://x" in bad.stderr


def test_environment_variable_allows(tmp_path, monkeypatch):
    monkeypatch.setenv("SUPPORTDESK_WIDGET_ORIGINS", f"{SHOP}, https://b.example")
    srv = start_basic_server(tmp_path / "env")
    try:
        assert _session(srv, "https://b.example").status_code == 200
        assert _session(srv, SHOP).status_code == 200
        assert _session(srv, EVIL).status_code == 403
    finally:
        srv.stop()

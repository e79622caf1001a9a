"""Login, logout, bearer tokens, rate limit, and the error body of every refusal."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import websockets

from tests.server.helpers import PASSWORD, Agent, agent_ws, assert_error, recv_json


def test_info_needs_no_auth(basic_server):
    r = httpx.get(basic_server.api("/info"))
    assert r.status_code == 200
    body = r.json()
    assert body["name"] == "supportdesk" and body["protocol_version"] == 2
    assert isinstance(body["last_seq"], int)


def test_login_ok(basic_server):
    r = httpx.post(basic_server.api("/auth/login"), json={"username": "alice", "password": PASSWORD})
    assert r.status_code == 200, r.text
    body = r.json()
    assert len(body["token"]) >= 40
    assert body["agent"]["login"] == "alice" and body["agent"]["department_ids"] == [1]
    assert body["protocol_version"] == 2 and body["expires_at"]
    me = httpx.get(basic_server.api("/me"), headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200 and me.json()["login"] == "alice"


@pytest.mark.parametrize("username,password", [("alice", "wrong"), ("nobody", PASSWORD)])
def test_login_bad(basic_server, username, password):
    r = httpx.post(basic_server.api("/auth/login"), json={"username": username, "password": password})
    assert_error(r, 401, "unauthorized")


def test_login_rate_limited(basic_server):
    url = basic_server.api("/auth/login")
    for _ in range(5):
        assert_error(httpx.post(url, json={"username": "ratelimited", "password": "x"}),
                     401, "unauthorized")
    r = httpx.post(url, json={"username": "ratelimited", "password": PASSWORD})
    body = assert_error(r, 429, "rate_limited")
    assert int(r.headers["retry-after"]) >= 1
    assert body["details"]["retry_after"] >= 1
    # another username from the same address is not affected
    assert httpx.post(url, json={"username": "bob", "password": PASSWORD}).status_code == 200


@pytest.mark.parametrize("path", ["/me", "/chats", "/departments", "/agents", "/replies",
                                  "/changelog", "/chats/1"])
def test_401_without_token(basic_server, path):
    assert_error(httpx.get(basic_server.api(path)), 401, "unauthorized")
    assert_error(httpx.get(basic_server.api(path), headers={"Authorization": "Bearer nope"}),
                 401, "unauthorized")
    assert_error(httpx.get(basic_server.api(path), headers={"Authorization": "Basic eA=="}),
                 401, "unauthorized")


def test_logout_revokes_token_and_closes_socket(basic_server):
    agent = Agent(basic_server, "bob")

    async def scenario() -> None:
        ws, ready = await agent_ws(basic_server, agent.token)
        assert ready["op"] == "ready"
        r = await asyncio.to_thread(agent.post, "/auth/logout")
        assert r.status_code == 204
        frame = await recv_json(ws)
        assert frame["op"] == "error" and frame["code"] == "unauthorized"
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await recv_json(ws)
        assert closed.value.rcvd.code == 4401

        # the revoked token cannot open a new socket either
        ws2, err = await agent_ws(basic_server, agent.token)
        assert err["op"] == "error" and err["code"] == "unauthorized"
        with pytest.raises(websockets.ConnectionClosed) as closed2:
            await recv_json(ws2)
        assert closed2.value.rcvd.code == 4401

    asyncio.run(scenario())
    assert_error(agent.get("/me"), 401, "unauthorized")
    assert_error(agent.post("/auth/logout"), 401, "unauthorized")
    agent.close()


def test_me_and_status_and_lists(basic_server, agents):
    dave = agents("dave")
    me = dave.get("/me").json()
    assert me["role"] == "head" and me["department_ids"] == [2, 3]
    deps = dave.get("/departments").json()
    assert deps["total"] == 3 and [d["name"] for d in deps["items"]] == ["Sales", "Tech", "Billing"]
    before = {d["id"]: d["online_count"] for d in deps["items"]}
    r = dave.put("/me/status", {"status": "online"})
    assert r.status_code == 200 and r.json()["status"] == "online"
    after = {d["id"]: d["online_count"] for d in dave.get("/departments").json()["items"]}
    assert after[2] == before[2] + 1 and after[3] == before[3] + 1 and after[1] == before[1]
    dave.put("/me/status", {"status": "offline"})
    ags = dave.get("/agents", params={"limit": 2}).json()
    assert ags["total"] == 6 and len(ags["items"]) == 2 and ags["limit"] == 2
    assert_error(dave.put("/me/status", {"status": "away"}), 422, "validation_error")
    log = dave.get("/changelog").json()
    assert log["total"] == 1 and log["items"][0]["title"] == "First"
    assert [r["title"] for r in dave.get("/replies").json()["items"]] == ["Tech reboot"]
    assert_error(dave.get("/replies", params={"context": "mail"}), 422, "validation_error")


def test_expired_token_is_401_and_closes_socket(tmp_path):
    from tests.server.helpers import start_basic_server

    srv = start_basic_server(tmp_path / "ttl", extra_args=["--token-ttl-seconds", "2"])
    try:
        token = srv.login("alice", PASSWORD)

        async def scenario() -> None:
            ws, ready = await agent_ws(srv, token)
            assert ready["op"] == "ready"
            err = await recv_json(ws, timeout=10)        # sent when the token expires
            assert err["op"] == "error" and err["code"] == "unauthorized"
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await recv_json(ws)
            assert closed.value.rcvd.code == 4401

        asyncio.run(scenario())
        r = httpx.get(srv.api("/me"), headers={"Authorization": f"Bearer {token}"})
        assert_error(r, 401, "unauthorized")
    finally:
        srv.stop()


def test_replies_visibility_and_context(agents):
    def titles(login: str, **params) -> list[str]:
        r = agents(login).get("/replies", params=params)
        assert r.status_code == 200, r.text
        return [item["title"] for item in r.json()["items"]]

    assert titles("alice") == ["Alice personal", "Sales chat-only", "Sales greeting"]
    assert titles("alice", context="chat") == titles("alice")
    assert titles("alice", context="ticket") == ["Alice personal", "Sales greeting"]
    assert titles("carol") == ["Tech reboot"]
    assert "Alice personal" not in titles("admin")      # personal means personal
    page = agents("alice").get("/replies", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == 3 and [r["title"] for r in page["items"]] == ["Sales chat-only"]

"""Login, the token, logout: docs/protocol.md "Versioning" and "Authentication"."""

from __future__ import annotations


from tests.conformance.wire import SYNC, agent_socket, assert_error, closed_with, http, login


async def test_info_needs_no_token(target):
    async with http(target) as client:
        r = await client.get("/info")
    assert r.status_code == 200, r.text
    info = r.json()
    assert info["protocol_version"] >= 1
    assert isinstance(info["last_seq"], int) and info["last_seq"] >= 0


async def test_login_answers_a_token_that_works_as_bearer(target):
    r = SYNC.post(target.api("/auth/login"),
                  json={"username": target.agent_a, "password": target.password})
    assert r.status_code == 200, r.text
    body = r.json()
    assert {"token", "expires_at", "agent", "protocol_version"} <= set(body)
    assert body["agent"]["login"] == target.agent_a
    async with http(target, body["token"]) as client:
        me = await client.get("/me")
        assert me.status_code == 200, me.text
        assert me.json()["id"] == body["agent"]["id"]
        assert me.json()["department_ids"] == body["agent"]["department_ids"]
    async with http(target) as anonymous:
        assert_error(await anonymous.get("/me"), 401, "unauthorized")


async def test_wrong_password_is_401(target):
    r = SYNC.post(target.api("/auth/login"),
                  json={"username": target.agent_b, "password": target.password + "-wrong"})
    assert_error(r, 401, "unauthorized")


async def test_logout_revokes_the_token_and_closes_its_socket_with_4401(target):
    token, _ = login(target, target.agent_a)   # a second session: A's main one stays
    ws, ready = await agent_socket(target, token)
    assert ready["op"] == "ready", ready
    async with http(target, token) as client:
        r = await client.post("/auth/logout")
        assert r.status_code == 204, r.text
        assert_error(await client.get("/me"), 401, "unauthorized")
        assert_error(await client.get("/chats"), 401, "unauthorized")
    code, frames = await closed_with(ws)
    assert code == 4401
    assert [f["code"] for f in frames if f["op"] == "error"] == ["unauthorized"], frames
    # and a new socket with it is refused the same way
    ws2, first = await agent_socket(target, token)
    assert first["op"] == "error" and first["code"] == "unauthorized", first
    code, _ = await closed_with(ws2)
    assert code == 4401

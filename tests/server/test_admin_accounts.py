"""Administration through the real server (SQLite and PostgreSQL): onboarding a new agent
(created, forced password change, two-factor set-up, takes a chat), deactivation while that agent
has an open socket and an active chat, the permission refusals, a replayed and a flood of wrong
TOTP codes, the audit log with each action exactly once (docs/administration.md)."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from supportdesk_server import totp
from tests.server.helpers import (
    SALES,
    TECH,
    Agent,
    agent_ws,
    assert_error,
    new_chat,
    recv_until,
    seeded_server,
)

NEW_PW = "correct horse battery"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def srv(request, tmp_path):
    with seeded_server(tmp_path, request.param) as server:
        yield server


def login(srv, username, password, code=None):
    body = {"username": username, "password": password}
    if code is not None:
        body["totp_code"] = code
    return httpx.post(srv.api("/auth/login"), json=body)


def client(srv, token):
    return httpx.Client(base_url=srv.api(""), timeout=20,
                        headers={"Authorization": f"Bearer {token}"})


def audit_actions(admin, **params):
    return [e["action"] for e in admin.get("/admin/audit", params={"limit": 500, **params})
            .json()["items"]]


def test_onboarding_forced_change_totp_and_a_chat(srv):
    admin = Agent(srv, "admin")
    r = admin.post("/admin/agents", {"login": "erin", "display_name": "Erin",
                                     "department_ids": [SALES]})
    assert r.status_code == 201, r.text
    created = r.json()
    erin_id, one_time = created["agent"]["id"], created["initial_password"]
    assert created["agent"]["password_change_required"] and one_time
    assert_error(admin.post("/admin/agents", {"login": "erin", "display_name": "E2",
                                              "department_ids": [SALES]}), 409, "login_taken")
    # first sign-in: a restricted token until the password is changed
    r = login(srv, "erin", one_time)
    assert r.status_code == 200 and r.json()["password_change_required"] is True, r.text
    with client(srv, r.json()["token"]) as erin:
        assert_error(erin.get("/chats"), 403, "password_change_required")
        assert_error(erin.post("/me/password", json={"current_password": one_time,
                                                     "new_password": "short"}),
                     422, "weak_password")
        assert_error(erin.post("/me/password", json={"current_password": "nope",
                                                     "new_password": NEW_PW}),
                     403, "wrong_password")
        r = erin.post("/me/password", json={"current_password": one_time,
                                            "new_password": NEW_PW})
        assert r.status_code == 204, r.text
        assert erin.get("/chats").status_code == 200       # the same token is a full one now
        # two-factor set-up
        setup = erin.post("/me/totp/setup").json()
        assert setup["otpauth_uri"].startswith("otpauth://totp/SupportDesk:erin?")
        assert_error(erin.post("/me/totp/confirm", json={"code": "000000"
                                                         if totp.code_at(setup["secret"]) != "000000"
                                                         else "111111"}), 422, "totp_invalid")
        code = totp.code_at(setup["secret"])
        codes = erin.post("/me/totp/confirm", json={"code": code}).json()["recovery_codes"]
        assert len(codes) == 10
    # sign-in now asks for the code; the confirm's code is used up
    assert_error(login(srv, "erin", NEW_PW), 401, "totp_required")
    assert_error(login(srv, "erin", NEW_PW, code), 401, "totp_replayed")
    r = login(srv, "erin", NEW_PW, codes[0])             # a recovery code, once
    assert r.status_code == 200, r.text
    assert_error(login(srv, "erin", NEW_PW, codes[0]), 401, "totp_replayed")
    with client(srv, r.json()["token"]) as erin:
        assert erin.put("/me/status", json={"status": "online"}).status_code == 200
        chat = new_chat(srv, SALES, "hello new agent")
        r = erin.post(f"/chats/{chat}/take")
        assert r.status_code == 200 and r.json()["assignee_id"] == erin_id, r.text
        sessions = erin.get("/me/sessions").json()["items"]
        assert [s["current"] for s in sessions].count(True) == 1
    actions = audit_actions(admin, entity="agents", entity_id=str(erin_id))
    assert sorted(actions) == sorted(["agent.create", "agent.password_change",
                                      "agent.totp_enable"]), actions


def test_deactivation_closes_the_socket_and_returns_the_chat(srv):
    admin, alice = Agent(srv, "admin"), Agent(srv, "alice")
    alice.online()
    chat = new_chat(srv, SALES, "for alice")
    assert alice.post(f"/chats/{chat}/take").status_code == 200

    async def go() -> float:
        ws, ready = await agent_ws(srv, alice.token)
        assert ready["op"] == "ready", ready
        started = time.monotonic()
        async with httpx.AsyncClient(headers={"Authorization": f"Bearer {admin.token}"}) as h:
            r = await h.post(srv.api(f"/admin/agents/{alice.id}/deactivate"))
            assert r.status_code == 200 and r.json()["enabled"] is False, r.text
        import websockets

        with pytest.raises(websockets.ConnectionClosed) as closed:
            await recv_until(ws, lambda f: False, timeout=5)
        assert closed.value.rcvd.code == 4401
        return time.monotonic() - started

    assert asyncio.run(go()) < 1.0
    c = admin.get(f"/chats/{chat}").json()
    assert c["state"] == "waiting" and c["assignee_id"] is None, c
    assert_error(alice.get("/me"), 401, "unauthorized")
    assert_error(login(srv, "alice", "pw"), 401, "unauthorized")
    assert audit_actions(admin, action="agent.deactivate") == ["agent.deactivate"]
    assert admin.post(f"/admin/agents/{alice.id}/reactivate").status_code == 200
    assert login(srv, "alice", "pw").status_code == 200
    assert_error(admin.post(f"/admin/agents/{admin.id}/deactivate"), 409,
                 "cannot_deactivate_self")


def test_refusals_for_agents_and_heads(srv):
    carol, dave, admin = Agent(srv, "carol"), Agent(srv, "dave"), Agent(srv, "admin")
    alice_id = Agent(srv, "alice").id
    for method, path, body in [("GET", "/admin/agents", None), ("GET", "/admin/audit", None),
                               ("POST", "/admin/agents", {"login": "x", "display_name": "X",
                                                          "department_ids": [TECH]}),
                               ("GET", f"/admin/agents/{alice_id}", None),
                               ("POST", f"/admin/agents/{alice_id}/deactivate", None),
                               ("GET", "/admin/security", None)]:
        assert_error(carol.http.request(method, path, json=body), 403, "forbidden")
    # dave heads Tech and Billing: a Sales agent does not exist for him; carol (Tech) is his
    assert_error(dave.get(f"/admin/agents/{alice_id}"), 404, "not_found")
    assert_error(dave.post(f"/admin/agents/{alice_id}/password-reset"), 404, "not_found")
    assert_error(dave.post("/admin/agents", {"login": "x", "display_name": "X",
                                             "department_ids": [SALES]}), 403, "forbidden")
    assert_error(dave.post("/admin/agents", {"login": "x", "display_name": "X", "role": "admin",
                                             "department_ids": [TECH]}), 403, "forbidden")
    assert_error(dave.get("/admin/security"), 403, "forbidden")
    r = dave.patch(f"/admin/agents/{carol.id}", {"display_name": "Carol T."})
    assert r.status_code == 200 and r.json()["display_name"] == "Carol T.", r.text
    assert {a["login"] for a in dave.get("/admin/agents").json()["items"]} == {"carol", "dave"}
    assert audit_actions(admin, action="agent.update") == ["agent.update"]


def test_wrong_code_flood_is_rate_limited(srv):
    bob = Agent(srv, "bob")
    secret = bob.post("/me/totp/setup").json()["secret"]
    assert bob.post("/me/totp/confirm", {"code": totp.code_at(secret)}).status_code == 200
    good = totp.code_at(secret)
    wrong = "000000" if good != "000000" else "111111"
    answers = [login(srv, "bob", "pw", wrong) for _ in range(8)]
    codes = [r.json()["code"] for r in answers]
    assert codes[0] == "totp_invalid" and codes[-1] == "rate_limited", codes
    assert answers[-1].headers["Retry-After"]
    assert_error(login(srv, "bob", "pw", good), 429, "rate_limited")   # even the right one


def test_password_reset_forces_a_change_and_ends_sessions(srv):
    admin, bob = Agent(srv, "admin"), Agent(srv, "bob")
    r = admin.post(f"/admin/agents/{bob.id}/password-reset")
    assert r.status_code == 200, r.text
    assert_error(bob.get("/me"), 401, "unauthorized")
    r = login(srv, "bob", r.json()["initial_password"])
    assert r.json()["password_change_required"] is True
    rows = admin.get("/admin/audit", params={"action": "agent.password_reset"}).json()["items"]
    assert len(rows) == 1 and rows[0]["agent_login"] == "admin" and rows[0]["ip"] == "127.0.0.1"
    csv_text = admin.get("/admin/audit.csv").text
    assert csv_text.splitlines()[0].startswith("id,at,agent_id") and "agent.password_reset" in \
        csv_text

"""Bad input over REST, table-driven: each request gets the documented 4xx JSON error
(docs/protocol.md "Errors", "Limits", "Transport"), never a 5xx, a reset connection or a hang."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.conformance.wire import SYNC, Visitor, assert_error

BIG = "x" * (1024 * 1024 + 16)            # over the 1 MiB body limit once it is JSON
JSON = {"content-type": "application/json"}
PLAIN = {"content-type": "text/plain"}
OVER_2_53 = 2**53 + 1


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: str                   # may name {waiting}, {active}, {closed}, {ticket}
    status: int
    code: str
    auth: str = "agent"         # "agent" (agent A's token), "none", or a literal header value
    kw: dict[str, Any] = field(default_factory=dict)


def c(id_, method, path, status, code, auth="agent", **kw) -> Case:
    return Case(id_, method, path, status, code, auth, kw)


MSG = "/chats/{active}/messages"
OK_MSG = {"client_msg_id": "ok-1", "text": "fine"}

CASES = [
    # login and tokens
    c("login-empty-object", "POST", "/auth/login", 422, "validation_error", "none", json={}),
    c("login-no-password", "POST", "/auth/login", 422, "validation_error", "none",
      json={"username": "x"}),
    c("login-username-number", "POST", "/auth/login", 422, "validation_error", "none",
      json={"username": 5, "password": "x"}),
    c("login-unknown-field", "POST", "/auth/login", 422, "validation_error", "none",
      json={"username": "x", "password": "y", "remember": True}),
    c("login-array-body", "POST", "/auth/login", 400, "bad_request", "none",
      content=b"[]", headers=JSON),
    c("login-malformed-json", "POST", "/auth/login", 400, "bad_request", "none",
      content=b'{"username": ', headers=JSON),
    c("login-unknown-agent", "POST", "/auth/login", 401, "unauthorized", "none",
      json={"username": "no-such-agent-anywhere", "password": "x"}),
    c("login-text-plain", "POST", "/auth/login", 415, "unsupported_media_type", "none",
      content=b'{"username": "a", "password": "b"}', headers=PLAIN),
    c("login-over-1mib", "POST", "/auth/login", 413, "payload_too_large", "none",
      json={"username": BIG, "password": "x"}),
    c("logout-without-token", "POST", "/auth/logout", 401, "unauthorized", "none"),
    c("me-without-token", "GET", "/me", 401, "unauthorized", "none"),
    c("me-unknown-token", "GET", "/me", 401, "unauthorized", "Bearer not-a-real-token"),
    c("me-basic-scheme", "GET", "/me", 401, "unauthorized", "Basic c2FtOmRlbW8="),
    c("chats-empty-bearer", "GET", "/chats", 401, "unauthorized", "Bearer"),
    # lists
    c("chats-state-unknown", "GET", "/chats?state=bogus", 422, "validation_error"),
    c("chats-limit-0", "GET", "/chats?limit=0", 422, "validation_error"),
    c("chats-limit-501", "GET", "/chats?limit=501", 422, "validation_error"),
    c("chats-limit-text", "GET", "/chats?limit=ten", 422, "validation_error"),
    c("chats-offset-negative", "GET", "/chats?offset=-1", 422, "validation_error"),
    c("chats-mine-not-bool", "GET", "/chats?mine=maybe", 422, "validation_error"),
    # ids
    c("chat-id-text", "GET", "/chats/abc", 422, "validation_error"),
    c("chat-id-0", "GET", "/chats/0", 422, "validation_error"),
    c("chat-id-negative", "GET", "/chats/-1", 422, "validation_error"),
    c("chat-id-over-2^53", "GET", f"/chats/{OVER_2_53}", 422, "validation_error"),
    c("chat-id-unknown", "GET", "/chats/99999999", 404, "not_found"),
    c("take-id-0", "POST", "/chats/0/take", 422, "validation_error"),
    c("messages-before-seq-text", "GET", "/chats/{active}/messages?before_seq=x", 422,
      "validation_error"),
    c("messages-limit-0", "GET", "/chats/{active}/messages?limit=0", 422, "validation_error"),
    # sending a message
    c("send-empty-object", "POST", MSG, 422, "validation_error", json={}),
    c("send-empty-text", "POST", MSG, 422, "validation_error",
      json={"client_msg_id": "e-1", "text": ""}),
    c("send-text-10001", "POST", MSG, 422, "validation_error",
      json={"client_msg_id": "e-2", "text": "t" * 10_001}),
    c("send-text-number", "POST", MSG, 422, "validation_error",
      json={"client_msg_id": "e-3", "text": 5}),
    c("send-cmid-65", "POST", MSG, 422, "validation_error", json={"client_msg_id": "c" * 65,
                                                                  "text": "x"}),
    c("send-cmid-space", "POST", MSG, 422, "validation_error",
      json={"client_msg_id": "has space", "text": "x"}),
    c("send-cmid-missing", "POST", MSG, 422, "validation_error", json={"text": "x"}),
    c("send-text-nul", "POST", MSG, 422, "validation_error",
      json={"client_msg_id": "e-4", "text": "a\u0000b"}),
    c("send-lone-surrogate", "POST", MSG, 422, "validation_error",
      content=b'{"client_msg_id": "e-5", "text": "a\\ud800b"}', headers=JSON),
    c("send-unknown-field", "POST", MSG, 422, "validation_error",
      json={**OK_MSG, "html": True}),
    c("send-array-body", "POST", MSG, 400, "bad_request", content=b"[1]", headers=JSON),
    c("send-malformed-json", "POST", MSG, 400, "bad_request", content=b"{", headers=JSON),
    c("send-text-plain", "POST", MSG, 415, "unsupported_media_type",
      content=b'{"client_msg_id": "e-6", "text": "x"}', headers=PLAIN),
    c("send-form-encoded", "POST", MSG, 415, "unsupported_media_type",
      data={"client_msg_id": "e-7", "text": "x"}),
    c("send-over-1mib", "POST", MSG, 413, "payload_too_large",
      json={"client_msg_id": "e-8", "text": BIG}),
    c("send-to-waiting", "POST", "/chats/{waiting}/messages", 409, "conflict", json=OK_MSG),
    c("send-to-closed", "POST", "/chats/{closed}/messages", 409, "conflict", json=OK_MSG),
    # chat state and fields
    c("take-closed", "POST", "/chats/{closed}/take", 409, "conflict"),
    c("release-waiting", "POST", "/chats/{waiting}/release", 409, "conflict"),
    c("close-closed", "POST", "/chats/{closed}/close", 409, "conflict", json={}),
    c("close-unknown-field", "POST", "/chats/{active}/close", 422, "validation_error",
      json={"reason": "x", "notify": False}),
    c("typing-not-bool", "POST", "/chats/{active}/typing", 422, "validation_error",
      json={"typing": [1]}),
    c("typing-missing", "POST", "/chats/{active}/typing", 422, "validation_error", json={}),
    c("patch-name-201", "PATCH", "/chats/{active}", 422, "validation_error",
      json={"name": "n" * 201}),
    c("patch-summary-2001", "PATCH", "/chats/{active}", 422, "validation_error",
      json={"summary": "s" * 2001}),
    c("patch-name-number", "PATCH", "/chats/{active}", 422, "validation_error",
      json={"name": 7}),
    c("forward-department-text", "POST", "/chats/{active}/forward", 422, "validation_error",
      json={"department_id": "x", "comment": ""}),
    c("forward-department-0", "POST", "/chats/{active}/forward", 422, "validation_error",
      json={"department_id": 0, "comment": ""}),
    c("forward-department-over-2^53", "POST", "/chats/{active}/forward", 422,
      "validation_error", json={"department_id": OVER_2_53, "comment": ""}),
    c("forward-comment-2001", "POST", "/chats/{active}/forward", 422, "validation_error",
      json={"department_id": 99999, "comment": "c" * 2001}),
    c("forward-department-unknown", "POST", "/chats/{active}/forward", 404, "not_found",
      json={"department_id": 99999, "comment": ""}),
    c("auth-request-kind-unknown", "POST", "/chats/{active}/auth-request", 422,
      "validation_error", json={"kind": "sudo"}),
    # status
    c("status-unknown", "PUT", "/me/status", 422, "validation_error", json={"status": "away"}),
    c("status-missing", "PUT", "/me/status", 422, "validation_error", json={}),
    c("status-array-body", "PUT", "/me/status", 400, "bad_request", content=b"[]",
      headers=JSON),
    # methods and paths
    c("delete-a-chat", "DELETE", "/chats/{waiting}", 405, "method_not_allowed"),
    c("post-info", "POST", "/info", 405, "method_not_allowed", "none"),
    c("put-login", "PUT", "/auth/login", 405, "method_not_allowed", "none", json={}),
    c("unknown-path", "GET", "/no-such-endpoint", 404, "not_found"),
    # clients, tickets, replies
    c("search-q-201", "GET", "/clients/search?q=" + "q" * 201, 422, "validation_error"),
    c("search-q-nul", "GET", "/clients/search?q=a%00b", 422, "validation_error"),
    c("client-unknown", "GET", "/clients/99999999", 404, "not_found"),
    c("client-id-0", "GET", "/clients/0", 422, "validation_error"),
    c("client-payments-status-unknown", "GET", "/clients/1/payments?status=stolen", 422,
      "validation_error"),
    c("tickets-status-unknown", "GET", "/tickets?status=bogus", 422, "validation_error"),
    c("tickets-priority-unknown", "GET", "/tickets?priority=asap", 422, "validation_error"),
    c("ticket-unknown", "GET", "/tickets/99999999", 404, "not_found"),
    c("ticket-id-over-2^53", "GET", f"/tickets/{OVER_2_53}", 422, "validation_error"),
    c("ticket-create-empty", "POST", "/tickets", 422, "validation_error", json={}),
    c("ticket-post-kind-client", "POST", "/tickets/{ticket}/posts", 422, "validation_error",
      json={"kind": "client", "text": "x", "client_msg_id": "k-1"}),
    c("ticket-patch-other-version", "PATCH", "/tickets/{ticket}", 409, "version_conflict",
      json={"version": 999999, "priority": "low"}),
    c("replies-context-unknown", "GET", "/replies?context=email", 422, "validation_error"),
    # the visitor's REST endpoint
    c("visitor-token-number", "POST", "/visitor/session", 422, "validation_error", "none",
      json={"visitor_token": 5}),
    c("visitor-token-129", "POST", "/visitor/session", 422, "validation_error", "none",
      json={"visitor_token": "t" * 129}),
    c("visitor-unknown-field", "POST", "/visitor/session", 422, "validation_error", "none",
      json={"visitor_token": None, "admin": True}),
    c("visitor-array-body", "POST", "/visitor/session", 400, "bad_request", "none",
      content=b"[]", headers=JSON),
    c("visitor-text-plain", "POST", "/visitor/session", 415, "unsupported_media_type", "none",
      content=b"{}", headers=PLAIN),
    c("visitor-over-1mib", "POST", "/visitor/session", 413, "payload_too_large", "none",
      json={"visitor_token": BIG}),
    c("visitor-foreign-origin", "POST", "/visitor/session", 403, "origin_not_allowed", "none",
      json={}, headers={"Origin": "https://not-an-allowed-site.example"}),
    # the client's side (HTTP Basic with a client user's login)
    c("client-tickets-without-credentials", "GET", "/client/tickets", 401, "unauthorized",
      "none"),
    c("client-tickets-bearer-instead-of-basic", "GET", "/client/tickets", 401, "unauthorized"),
    c("client-tickets-wrong-password", "GET", "/client/tickets", 401, "unauthorized",
      "Basic bm8tc3VjaC1jbGllbnQ6d3Jvbmc="),
]


@pytest.fixture(scope="module")
def world(target, cast) -> dict[str, int]:
    """Chats in each state for agent A, and a ticket A sees."""
    async def make() -> dict[str, int]:
        ids = {}
        for name in ("waiting", "active", "closed"):
            v = await Visitor.open(target)
            ids[name], _ = await v.start(cast.shared, f"bad input: {name} chat")
            await v.close()
        return ids

    ids = asyncio.run(make())
    auth = {"Authorization": f"Bearer {cast.a.token}"}
    for path in (f"/chats/{ids['active']}/take", f"/chats/{ids['closed']}/take",
                 f"/chats/{ids['closed']}/close"):
        assert SYNC.post(target.api(path), json={}, headers=auth).status_code == 200, path
    tickets = SYNC.get(target.api("/tickets"), params={"limit": 1}, headers=auth).json()["items"]
    assert tickets, "the conformance data needs a ticket agent A can see"
    ids["ticket"] = tickets[0]["id"]
    return ids


def test_there_are_enough_cases():
    assert len(CASES) >= 60 and len({x.id for x in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[x.id for x in CASES])
def test_bad_request_gets_its_documented_error(target, cast, world, case):
    headers = dict(case.kw.get("headers", {}))
    if case.auth == "agent":
        headers["Authorization"] = f"Bearer {cast.a.token}"
    elif case.auth != "none":
        headers["Authorization"] = case.auth
    kw = {k: v for k, v in case.kw.items() if k != "headers"}
    r = SYNC.request(case.method, target.api(case.path.format(**world)), headers=headers, **kw)
    body = assert_error(r, case.status, case.code)
    if case.status == 422:
        assert body["details"] and all("loc" in d and "msg" in d for d in body["details"]), body
    if case.status == 405:
        assert r.headers.get("allow"), r.headers
    if case.path.startswith("/client/") and case.status == 401:
        assert r.headers.get("www-authenticate", "").startswith("Basic"), r.headers


@pytest.mark.parametrize("path,body", [
    ("/chats/{active}/messages", {"client_msg_id": "big-n", "text": BIG}),
    ("/visitor/session", {"visitor_token": BIG}),
], ids=["messages", "visitor-session"])
def test_every_oversized_body_gets_its_413(target, cast, world, path, body):
    """Ten times in a row, each on a new connection: the 413 answer, never a reset."""
    for attempt in range(10):
        r = SYNC.post(target.api(path.format(**world)), json=body,
                      headers={"Authorization": f"Bearer {cast.a.token}"})
        assert_error(r, 413, "payload_too_large")


def test_repeated_wrong_passwords_are_rate_limited(target):
    """Too many failed logins per login and address: 429 rate_limited with Retry-After (for a
    login that does not exist, so no real agent is locked out; at most 10 tries, to stay clear
    of the per-address limit the rest of the suite's logins depend on)."""
    answers = []
    for _ in range(10):
        r = SYNC.post(target.api("/auth/login"),
                      json={"username": "conformance-nobody", "password": "wrong"})
        answers.append(r.status_code)
        if r.status_code == 429:
            break
    assert answers[-1] == 429 and set(answers[:-1]) == {401}, answers
    assert_error(r, 429, "rate_limited")
    assert float(r.headers["retry-after"]) > 0

"""Every bad input is a 4xx with the JSON error body {code, message, details}; never a 500."""

from __future__ import annotations

import json
import socket

import httpx
import pytest

from tests.server.helpers import SALES, assert_error, new_chat


@pytest.fixture(scope="module")
def chat_id(basic_server):
    return new_chat(basic_server, SALES, "validation fixture")


def test_malformed_json_is_400(agents, chat_id):
    alice = agents("alice")
    r = alice.http.post(f"/chats/{chat_id}/messages", content=b'{"client_msg_id": "a", "text": ',
                        headers={"content-type": "application/json"})
    body = assert_error(r, 400, "bad_request")
    assert "JSON" in body["message"]


@pytest.mark.parametrize("payload", [b"[1, 2]", b'"text"', b"42"])
def test_body_not_an_object_is_400(agents, chat_id, payload):
    r = agents("alice").http.post(f"/chats/{chat_id}/messages", content=payload,
                                  headers={"content-type": "application/json"})
    assert_error(r, 400, "bad_request")


def test_login_malformed_json_is_400(basic_server):
    r = httpx.post(basic_server.api("/auth/login"), content=b"{nope",
                   headers={"content-type": "application/json"})
    assert_error(r, 400, "bad_request")


def test_wrong_types_are_422(agents, chat_id):
    r = agents("alice").post(f"/chats/{chat_id}/messages", {"client_msg_id": 5, "text": ["x"]})
    body = assert_error(r, 422, "validation_error")
    locs = [d["loc"] for d in body["details"]]
    assert ["client_msg_id"] in locs and ["text"] in locs
    json.dumps(body)  # details are plain JSON


def test_missing_fields_are_422(basic_server):
    r = httpx.post(basic_server.api("/auth/login"), json={"username": "alice"})
    body = assert_error(r, 422, "validation_error")
    assert body["details"][0]["loc"] == ["password"]


def test_oversized_text_is_422(agents, chat_id):
    r = agents("alice").post(f"/chats/{chat_id}/messages",
                             {"client_msg_id": "big-1", "text": "x" * 10_001})
    body = assert_error(r, 422, "validation_error")
    assert body["message"].startswith("text:")
    assert "10000" in body["message"]


@pytest.mark.parametrize("payload", [
    {"client_msg_id": "a", "text": ""},                 # empty text
    {"client_msg_id": "a b", "text": "x"},              # bad characters
    {"client_msg_id": "a" * 65, "text": "x"},           # too long id
])
def test_field_limits_are_422(agents, chat_id, payload):
    assert_error(agents("alice").post(f"/chats/{chat_id}/messages", payload), 422,
                 "validation_error")


def test_unknown_fields_are_422(agents, chat_id):
    r = agents("alice").post(f"/chats/{chat_id}/messages",
                             {"client_msg_id": "a", "text": "x", "txet": "typo"})
    body = assert_error(r, 422, "validation_error")
    assert body["details"][0]["loc"] == ["txet"]
    r = agents("alice").patch(f"/chats/{chat_id}", {"nmae": "x"})
    assert_error(r, 422, "validation_error")


@pytest.mark.parametrize("path", ["/chats/99999999999999999999999", "/chats/0", "/chats/-1",
                                  "/chats/abc", f"/chats/{2**53 + 1}",
                                  "/chats/99999999999999999999999/messages",
                                  "/chats?limit=0", "/chats?limit=501", "/chats?offset=-1",
                                  "/chats?state=open", "/chats?mine=perhaps",
                                  "/chats/1/messages?before_seq=0",
                                  "/chats?offset=99999999999999999999999"])
def test_bad_path_and_query_values_are_422(agents, path):
    assert_error(agents("alice").get(path), 422, "validation_error")


def test_huge_id_in_post_is_422(agents):
    r = agents("alice").post("/chats/99999999999999999999/take")
    assert_error(r, 422, "validation_error")
    r = agents("alice").post("/chats/1/forward", {"department_id": 2**60})
    assert_error(r, 422, "validation_error")


@pytest.mark.parametrize("path", [f"/chats/{2**53}", "/chats/123456"])
def test_unknown_ids_are_404(agents, path):
    assert_error(agents("alice").get(path), 404, "not_found")
    assert_error(agents("alice").post(path + "/take"), 404, "not_found")
    assert_error(agents("alice").get(path + "/messages"), 404, "not_found")


def test_unknown_route_and_method(agents, basic_server):
    assert_error(agents("alice").get("/no/such/thing"), 404, "not_found")
    assert_error(httpx.get(basic_server.url + "/nothing-here"), 404, "not_found")
    assert_error(agents("alice").http.delete("/me"), 405, "method_not_allowed")


def test_body_over_1_mib_is_413(agents, chat_id):
    big = json.dumps({"client_msg_id": "a", "text": "x" * (1024 * 1024 + 10)}).encode()
    r = agents("alice").http.post(f"/chats/{chat_id}/messages", content=big,
                                  headers={"content-type": "application/json"})
    assert_error(r, 413, "payload_too_large")


def test_streamed_body_over_1_mib_is_413(agents, chat_id):
    def chunks():
        for _ in range(20):
            yield b"x" * 65536          # chunked: no Content-Length
    r = agents("alice").http.post(f"/chats/{chat_id}/messages", content=chunks(),
                                  headers={"content-type": "application/json"})
    assert_error(r, 413, "payload_too_large")


def test_lying_content_length_is_handled(basic_server):
    """A raw request whose Content-Length says 1 GiB: refused at once, nothing is read."""
    host, port = basic_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n{")
        data = b""
        while chunk := s.recv(65536):      # the server answers and closes the connection
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413")
    assert json.loads(body)["code"] == "payload_too_large"


def test_openapi(basic_server):
    r = httpx.get(basic_server.url + "/openapi.json")
    assert r.status_code == 200
    spec = r.json()
    for path in ("/api/v1/info", "/api/v1/auth/login", "/api/v1/chats", "/api/v1/chats/{chat_id}",
                 "/api/v1/chats/{chat_id}/take", "/api/v1/visitor/session"):
        assert path in spec["paths"], path


def test_visitor_session_validation(basic_server):
    url = basic_server.api("/visitor/session")
    assert httpx.post(url).status_code == 200            # no body at all
    assert httpx.post(url, json={}).status_code == 200
    assert_error(httpx.post(url, json={"visitor_token": "x" * 200}), 422, "validation_error")
    assert_error(httpx.post(url, json={"token": "x"}), 422, "validation_error")
    assert_error(httpx.post(url, content=b"{", headers={"content-type": "application/json"}),
                 400, "bad_request")

"""Oversized and non-JSON request bodies over real HTTP (httpx against the real server).

Issue 11, defect 1: the server used to answer 413 and close without reading the body, so the
kernel reset the connection and httpx (which sends the whole body before it reads) saw a
``ReadError`` instead of the answer in most tries. Every try must get the JSON error.
"""

from __future__ import annotations

import json
import socket

import httpx
import pytest

from tests.server.helpers import SALES, assert_error, new_chat

TRIES = 20
ONE_MIB = 1024 * 1024


@pytest.fixture(scope="module")
def chat_id(basic_server):
    return new_chat(basic_server, SALES, "body limit fixture")


def _oversized_message() -> bytes:
    return json.dumps({"client_msg_id": "big", "text": "x" * ONE_MIB}).encode()


def _post_20_times(url: str, body: bytes, token: str | None = None) -> None:
    """httpx, a new connection per try (as a refused client would open one): 413 every time."""
    headers = {"content-type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    outcomes: list[object] = []
    for _ in range(TRIES):
        try:
            r = httpx.post(url, content=body, timeout=20, headers=headers)
        except httpx.TransportError as exc:
            outcomes.append(type(exc).__name__)
            continue
        assert_error(r, 413, "payload_too_large")
        outcomes.append(r.status_code)
    assert outcomes == [413] * TRIES, outcomes


def test_oversized_message_body_gets_its_413_every_time(basic_server, agents, chat_id):
    _post_20_times(basic_server.api(f"/chats/{chat_id}/messages"), _oversized_message(),
                   agents("alice").token)


def test_oversized_visitor_session_body_gets_its_413_every_time(basic_server):
    _post_20_times(basic_server.api("/visitor/session"),
                   json.dumps({"visitor_token": "t" * ONE_MIB}).encode())


def _raw_post(srv, path: str, body: bytes, token: str | None = None) -> bytes:
    """Send the whole request, then read to the end: the answer, then a clean end of stream.
    A server that closes with the body unread makes the kernel reset the connection, which shows
    here as ConnectionResetError (httpx only sees it when it comes before the answer is read)."""
    host, port = srv.url.removeprefix("http://").split(":")
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    head = (f"POST /api/v1{path} HTTP/1.1\r\nHost: {host}\r\n{auth}"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    with socket.create_connection((host, int(port)), timeout=20) as s:
        s.sendall(head + body)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data


@pytest.mark.parametrize("which", ["messages", "visitor_session"])
def test_oversized_body_is_read_before_the_answer_so_the_connection_ends_cleanly(
        agents, basic_server, chat_id, which):
    if which == "messages":
        path, body, token = f"/chats/{chat_id}/messages", _oversized_message(), agents("alice").token
    else:
        path, body, token = ("/visitor/session",
                             json.dumps({"visitor_token": "t" * ONE_MIB}).encode(), None)
    for _ in range(TRIES):
        data = _raw_post(basic_server, path, body, token)   # ConnectionResetError fails it
        head, _, answer = data.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 413"), head
        assert json.loads(answer)["code"] == "payload_too_large"


def test_streamed_oversized_body_gets_its_413_every_time(agents, chat_id):
    def chunks():
        for _ in range(40):
            yield b"x" * 65536          # chunked (no Content-Length), 2.5 MiB in all

    alice = agents("alice")
    for _ in range(5):
        r = alice.http.post(f"/chats/{chat_id}/messages", content=chunks(),
                            headers={"content-type": "application/json"})
        assert_error(r, 413, "payload_too_large")


def test_a_body_just_under_the_limit_is_read_normally(agents, chat_id):
    # the text limit (10,000 characters) refuses it, not the body size
    body = json.dumps({"client_msg_id": "big", "text": "x" * (ONE_MIB - 100)}).encode()
    assert len(body) <= ONE_MIB
    r = agents("alice").http.post(f"/chats/{chat_id}/messages", content=body,
                                  headers={"content-type": "application/json"})
    assert_error(r, 422, "validation_error")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          None])
def test_valid_json_with_another_content_type_is_415(basic_server, content_type):
    headers = {"content-type": content_type} if content_type else {}
    r = httpx.post(basic_server.api("/auth/login"), headers=headers,
                   content=json.dumps({"username": "alice", "password": "pw"}).encode())
    assert ("content-type" in r.request.headers) == (content_type is not None)
    assert_error(r, 415, "unsupported_media_type")


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8",
                                          "application/merge-patch+json"])
def test_json_content_types_are_accepted(basic_server, content_type):
    r = httpx.post(basic_server.api("/auth/login"), headers={"content-type": content_type},
                   content=json.dumps({"username": "alice", "password": "pw"}).encode())
    assert r.status_code == 200, r.text


def test_an_empty_body_needs_no_content_type(basic_server):
    r = httpx.post(basic_server.api("/visitor/session"))
    assert r.status_code == 200, r.text
    assert set(r.json()) == {"visitor_id", "visitor_token"}

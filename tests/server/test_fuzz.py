"""Arbitrary JSON bodies and path values never make the server answer 5xx (a 500 is a bug)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.server.helpers import SALES, new_chat

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                max_size=4),
    max_leaves=10,
)
bodies = json_values | st.fixed_dictionaries(
    {}, optional={"client_msg_id": json_values | st.text(max_size=70),
                  "text": json_values, "department_id": json_values, "comment": json_values,
                  "name": json_values, "summary": json_values, "status": json_values,
                  "username": json_values, "password": json_values, "typing": json_values,
                  "visitor_token": json_values, "reason": json_values})

ENDPOINTS = [("POST", "/chats/{id}/messages"), ("POST", "/chats/{id}/forward"),
             ("PATCH", "/chats/{id}"), ("POST", "/chats/{id}/typing"),
             ("POST", "/chats/{id}/close"), ("PUT", "/me/status"), ("POST", "/auth/login"),
             ("POST", "/visitor/session")]


@pytest.fixture(scope="module")
def fuzz_chat(basic_server):
    return new_chat(basic_server, SALES, "fuzz target")


@pytest.mark.parametrize("method,path", ENDPOINTS)
def test_random_bodies_never_5xx(agents, fuzz_chat, method, path):
    bob = agents("bob")   # sees the chat but does not hold it: nothing is really changed

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(body=bodies)
    def check(body) -> None:
        r = bob.http.request(method, path.format(id=fuzz_chat), content=json.dumps(body),
                             headers={"content-type": "application/json"})
        assert r.status_code < 500, (body, r.status_code, r.text)
        err = r.json()
        if r.status_code >= 400:
            assert set(err) == {"code", "message", "details"}

    check()


@given(value=st.text(st.characters(min_codepoint=0x20, exclude_characters="/?#"), max_size=40)
       | st.integers().map(str))
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_random_path_and_query_values_never_5xx(agents, value):
    alice = agents("alice")
    from urllib.parse import quote

    quoted = quote(value, safe="")
    for url in (f"/chats/{quoted}", f"/chats/{quoted}/messages",
                "/chats", "/agents", "/replies"):
        params = {"offset": value, "limit": value, "state": value, "mine": value,
                  "before_seq": value, "context": value}
        r = alice.get(url, params=params)
        assert r.status_code < 500, (url, value, r.status_code, r.text)

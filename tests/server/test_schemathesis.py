"""schemathesis against the real server's ``/openapi.json``: every operation, as an admin and as a
plain agent, with valid (positive) and invalid (negative) data. No 5xx; every answer has a status
code the schema documents and a body that matches the documented schema; invalid data is refused.

Bounded: ``EXAMPLES`` cases per operation, mode and role (about a minute on two cores).
"""

from __future__ import annotations

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.server.conftest import assert_no_server_errors
from tests.server.helpers import PASSWORD, SALES, TECH, new_chat, start_basic_server

EXAMPLES = 12

# POST /auth/logout would revoke the very token the run uses; it gets its own test below.
SKIP = {("POST", "/api/v1/auth/logout"),
        # these end the run's own sessions or lock its agents out (tested in test_admin_*.py)
        ("DELETE", "/api/v1/me/sessions/{session_id}"),
        ("POST", "/api/v1/admin/agents/{agent_id}/deactivate"),
        ("POST", "/api/v1/admin/agents/{agent_id}/password-reset"),
        ("DELETE", "/api/v1/admin/agents/{agent_id}/sessions"),
        ("POST", "/api/v1/me/password"), ("PUT", "/api/v1/admin/security")}

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture(scope="module")
def st_server(tmp_path_factory):
    srv = start_basic_server(tmp_path_factory.mktemp("schemathesis"),
                             extra_args=["--login-max-failures", "1000000"])
    # something to find: a chat per department, so generated small ids hit real rows too
    for dept, text in ((SALES, "schemathesis sales"), (TECH, "schemathesis tech")):
        new_chat(srv, dept, text)
    yield srv
    srv.stop()
    assert_no_server_errors(srv)


@pytest.fixture(scope="module")
def api_schema(st_server):
    return schemathesis.openapi.from_url(st_server.url + "/openapi.json")


def _token(srv, login: str) -> str:
    r = httpx.post(srv.api("/auth/login"), json={"username": login, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return r.json()["token"]


def _operations(schema) -> list:
    ops = []
    for result in schema.get_all_operations():
        op = result.ok()
        if (op.method.upper(), op.path) not in SKIP:
            ops.append(op)
    return ops


@pytest.mark.timeout(600)
@pytest.mark.parametrize("login", ["admin", "alice"])
def test_every_operation_conforms(st_server, api_schema, login):
    token = _token(st_server, login)
    headers = {"Authorization": f"Bearer {token}"}
    ops = _operations(api_schema)
    assert len(ops) >= 30, [f"{o.method} {o.path}" for o in ops]
    failures: list[str] = []
    for op in ops:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE
                               else [])

            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            @given(case=op.as_strategy(generation_mode=mode))
            def run(case) -> None:
                case.call_and_validate(base_url=st_server.url, headers=headers, checks=checks,
                                       timeout=30)

            try:
                run()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE   # nothing to get wrong (no parameters)
            except Exception as exc:  # collect every operation's failure, report them together
                failures.append(f"{op.method.upper()} {op.path} [{mode.value}]: "
                                f"{str(exc)[:1500]}")
    assert not failures, "\n\n".join(failures)


def test_logout_conforms(st_server, api_schema):
    op = next(o for o in _operations_all(api_schema) if o.path == "/api/v1/auth/logout")
    token = _token(st_server, "bob")
    case = op.Case()
    case.call_and_validate(base_url=st_server.url, headers={"Authorization": f"Bearer {token}"},
                           checks=CHECKS)
    # the token is gone now: the same call is a documented 401
    case.call_and_validate(base_url=st_server.url, headers={"Authorization": f"Bearer {token}"},
                           checks=CHECKS)


def _operations_all(schema) -> list:
    return [r.ok() for r in schema.get_all_operations()]

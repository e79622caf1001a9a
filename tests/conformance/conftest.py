"""The server the conformance suite talks to.

By default: the reference server as a child process on a free loopback port, with the demo data
set (small), no simulated visitors and a forward return timer of three seconds, one for the whole
session. With ``SUPPORTDESK_CONFORMANCE_URL`` set, the suite talks to that server instead (any
implementation of docs/protocol.md with the demo agents; see "Conformance suite" at the end of
docs/protocol.md for the variables). Nothing else here knows the reference server.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest

from tests.conformance.wire import Target, describe, login

LOCAL_FORWARD_RETURN_SECONDS = 3.0   # long enough to act while pending, short to wait for


def _env_target() -> Target | None:
    url = os.environ.get("SUPPORTDESK_CONFORMANCE_URL", "").strip()
    if not url:
        return None
    agents = os.environ.get("SUPPORTDESK_CONFORMANCE_AGENTS", "sam,olivia,ben").split(",")
    if len(agents) != 3:
        raise pytest.UsageError("SUPPORTDESK_CONFORMANCE_AGENTS takes three logins: A,B,C")
    return Target(
        url=url.rstrip("/"),
        password=os.environ.get("SUPPORTDESK_CONFORMANCE_PASSWORD", "demo"),
        agent_a=agents[0].strip(), agent_b=agents[1].strip(), agent_c=agents[2].strip(),
        admin=os.environ.get("SUPPORTDESK_CONFORMANCE_ADMIN", "admin"),
        forward_return_seconds=float(
            os.environ.get("SUPPORTDESK_CONFORMANCE_FORWARD_RETURN_SECONDS", "90")),
        restart=None)


@pytest.fixture(scope="session")
def target(tmp_path_factory):
    found = _env_target()
    if found is not None:
        describe(found)       # every frame received is checked against its /asyncapi.json
        yield found
        return
    # the reference server, started the way a user starts it (python -m supportdesk_server)
    from tests.support.server import ServerProcess

    srv = ServerProcess(tmp_path_factory.mktemp("conformance-server"), demo=True,
                        demo_clients=12, simulate_visitors=0,
                        extra_args=["--forward-return-seconds",
                                    str(LOCAL_FORWARD_RETURN_SECONDS)])
    srv.start()
    tgt = Target(url=srv.url.rstrip("/"), password="demo", agent_a="sam", agent_b="olivia",
                 agent_c="ben", admin="admin",
                 forward_return_seconds=LOCAL_FORWARD_RETURN_SECONDS, restart=srv.restart)
    try:
        describe(tgt)
        yield tgt
    finally:
        srv.stop()
    from tests.server.conftest import assert_no_server_errors

    assert_no_server_errors(srv)   # a 500 or a traceback in the log is a failure too


@dataclass(frozen=True)
class Who:
    token: str
    agent: dict[str, Any]

    @property
    def id(self) -> int:
        return self.agent["id"]


@dataclass(frozen=True)
class Cast:
    """The demo agents the suite plays with, logged in once per session, and two departments:
    ``shared`` (A and B work there, C does not) and ``other`` (C's, not A's)."""

    a: Who
    b: Who
    c: Who
    admin: Who
    shared: int
    other: int


@pytest.fixture(scope="session")
def cast(target: Target) -> Cast:
    a, b, c, admin = (Who(*login(target, name)) for name in
                      (target.agent_a, target.agent_b, target.agent_c, target.admin))
    shared = sorted(set(a.agent["department_ids"]) & set(b.agent["department_ids"])
                    - set(c.agent["department_ids"]))
    other = sorted(set(c.agent["department_ids"]) - set(a.agent["department_ids"]))
    if not shared or not other or "admin" in {a.agent["role"], b.agent["role"], c.agent["role"]}:
        raise pytest.UsageError("the conformance agents must be A and B of one department that "
                                "C (of another) is not in, none an admin")
    assert admin.agent["role"] == "admin", admin.agent
    return Cast(a, b, c, admin, shared[0], other[0])


@pytest.fixture(autouse=True)
def _isolated_dirs():
    """Overrides the desk's per-test temp dirs (tests/conftest.py): the suite runs no desk code
    and touches no local files, and a hundred temp dirs cost more time than the checks."""
    yield

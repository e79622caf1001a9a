"""Fault tests (issue 6): a real server subprocess that is SIGKILLed and restarted, a TCP proxy
that cuts connections, a client killed with pending messages, a locked or full database.

Randomness (pacing, cut intervals, cut kinds) comes from one seed per test, printed at the start;
set ``FAULT_SEED=<n>`` to replay a failure. The long variants are marked ``long`` and deselected
by default (``pyproject.toml``); run them with ``pytest -m long tests/fault``.
"""

from __future__ import annotations

import os
import random

import pytest

from tests.support.server import ServerProcess


@pytest.fixture
def seed(request) -> int:
    value = int(os.environ.get("FAULT_SEED") or random.SystemRandom().randrange(1, 2**31))
    print(f"\n{request.node.nodeid}: FAULT_SEED={value}")
    return value


@pytest.fixture
def rng(seed) -> random.Random:
    return random.Random(seed)


@pytest.fixture
def fault_server(tmp_path):
    """A small demo server (own SQLite file) that the test may kill and restart on the same port
    and database."""
    srv = ServerProcess(tmp_path / "server", demo=True, demo_clients=5)
    srv.start()
    yield srv
    srv.stop()

"""A keyring backend in a JSON file named by ``BENCH_KEYRING_FILE``, for the benchmarks only.

The cold-start benchmark starts the real desk with a remembered login, which needs a keyring that
outlives a process; this machine has no Secret Service. Selected with
``PYTHON_KEYRING_BACKEND=filekeyring.FileKeyring`` (``bench/`` on ``PYTHONPATH``). Reading it costs
one small file read, less than a D-Bus round trip to a real keyring.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend


def _path() -> Path:
    return Path(os.environ["BENCH_KEYRING_FILE"])


def _load() -> dict[str, str]:
    try:
        return json.loads(_path().read_text())
    except (OSError, ValueError):
        return {}


def remember(service: str, key: str, secret: str) -> None:
    """Store one secret (the bench does this before it starts the desk)."""
    data = _load()
    data[f"{service}\n{key}"] = secret
    _path().write_text(json.dumps(data))


class FileKeyring(KeyringBackend):
    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        return _load().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        remember(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        data = _load()
        if data.pop(f"{service}\n{username}", None) is None:
            raise PasswordDeleteError(username)
        _path().write_text(json.dumps(data))

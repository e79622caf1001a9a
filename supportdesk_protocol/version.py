"""The product's version, looked up once: what the desk's and the server's ``--version``, the
desk's log line, ``QApplication.applicationVersion``, the User-Agent, the change log's "new" mark
and the server's OpenAPI document read.

A leaf module (it imports nothing of ours) in the package both sides share, so the desk's
``core``, ``backend`` and ``ui`` and the server read the same answer without depending on each
other (``supportdesk_qt/version.py`` re-exports it for the desk). The installed distribution's metadata is the source;
running from a checkout that was never installed, the checkout's ``pyproject.toml`` says it; if
neither is there, ``"0"`` (a version below every release, so the change log marks nothing new
because of the version alone).
"""

from __future__ import annotations

import functools
import tomllib
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "supportdesk"
UNKNOWN = "0"
_PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


@functools.cache
def app_version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return _checkout_version(_PYPROJECT)


def _checkout_version(pyproject: Path) -> str:
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, ValueError):
        return UNKNOWN
    if project.get("name") != DISTRIBUTION:
        return UNKNOWN
    return str(project.get("version") or UNKNOWN)

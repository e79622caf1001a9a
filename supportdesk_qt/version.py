"""The desk's version, looked up once: what ``--version``, the log's first line,
``QApplication.applicationVersion``, the User-Agent and the change log's "new" mark read.

A leaf module (it imports nothing of ours), so ``core``, ``backend`` and ``ui`` all read the same
answer without depending on each other. The installed distribution's metadata is the source;
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

"""One app version (``supportdesk_qt/version.py``) for --version, the User-Agent and the change
log."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from supportdesk_qt import version
from supportdesk_qt.backend.http import transport

ROOT = Path(__file__).resolve().parents[2]


def _pyproject_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_the_version_is_the_distributions_and_the_user_agent_says_it():
    assert version.app_version() == _pyproject_version()
    assert transport.DEFAULT_USER_AGENT == f"SupportDesk/{_pyproject_version()}"


def test_a_checkout_that_was_never_installed_reads_its_pyproject(tmp_path):
    assert version._checkout_version(ROOT / "pyproject.toml") == _pyproject_version()
    other = tmp_path / "pyproject.toml"
    other.write_text('[project]\nname = "something-else"\nversion = "9.9"\n', encoding="utf-8")
    assert version._checkout_version(other) == version.UNKNOWN
    assert version._checkout_version(tmp_path / "missing.toml") == version.UNKNOWN
    other.write_text("not toml [", encoding="utf-8")
    assert version._checkout_version(other) == version.UNKNOWN


def test_the_command_line_version_is_the_same():
    out = subprocess.run([sys.executable, "-m", "supportdesk_qt", "--version"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.startswith(f"SupportDesk {_pyproject_version()} (")

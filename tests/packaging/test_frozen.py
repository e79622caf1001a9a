"""The PyInstaller one-folder build (``packaging/pyinstaller/supportdesk.spec``, what ``dev.py
package`` makes): built once per session (about 2 minutes on the CI machine), then its program
runs ``--version``, the embedded server's ``-m supportdesk_server --version`` and
``--self-check`` (which starts the demo server from the frozen program itself)."""

from __future__ import annotations

import pytest

from tests.packaging.conftest import BUILD_TIMEOUT, pyproject_version, run
from tests.packaging.test_wheel import shipped_resources

pytestmark = [pytest.mark.packaging, pytest.mark.timeout(BUILD_TIMEOUT + 300)]


def test_frozen_version(frozen, tmp_path):
    out = run([frozen, "--version"], cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"SupportDesk {pyproject_version()} (PySide6 ")


def test_frozen_program_is_also_the_server(frozen, tmp_path):
    out = run([frozen, "-m", "supportdesk_server", "--version"], cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"supportdesk-server {pyproject_version()} (")


def test_frozen_build_has_its_resources(frozen):
    resources = frozen.parent / "_internal" / "supportdesk_qt" / "_resources"
    assert (resources / "CHANGELOG.md").is_file() and (resources / "icons" / "chat.svg").is_file()
    assert (resources / "sounds" / "chime.wav").is_file()
    got = {p.relative_to(resources).as_posix() for p in resources.rglob("*") if p.is_file()}
    assert got == shipped_resources()


def test_frozen_self_check(frozen, tmp_path):
    out = run([frozen, "--self-check"], cwd=tmp_path, timeout=240)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "self-check passed" in out.stdout

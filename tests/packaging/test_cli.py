"""The command line of a checkout: ``--version`` of both programs, and ``--self-check`` passing on
the real demo and failing, with its sentence and a non-zero code, when the demo server cannot
start (a stand-in ``supportdesk_server`` package that exits at once: the only way to break the
real server's start from outside)."""

from __future__ import annotations

import sys
import textwrap

import pytest

from tests.packaging.conftest import ROOT, pyproject_version, run


def test_server_version_is_the_product_version():
    out = run([sys.executable, "-m", "supportdesk_server", "--version"], cwd=ROOT,
              PYTHONPATH=str(ROOT))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().startswith(f"supportdesk-server {pyproject_version()} (Python ")


@pytest.mark.timeout(300)
def test_self_check_passes_on_the_demo(tmp_path):
    out = run([sys.executable, "-m", "supportdesk_qt", "--self-check"], cwd=tmp_path,
              PYTHONPATH=str(ROOT), SUPPORTDESK_HOME=str(tmp_path / "home"))
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("SupportDesk self-check passed in ")
    assert "the main window shows the queue" in out.stdout
    assert not (tmp_path / "home").exists()          # a throw-away profile, not the user's


@pytest.mark.timeout(300)
def test_self_check_fails_with_a_sentence_when_the_demo_server_cannot_start(tmp_path):
    fake = tmp_path / "fake" / "supportdesk_server"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "demo.py").write_text('DEMO_AGENT, DEMO_PASSWORD = "agent", "password"\n')
    (fake / "__main__.py").write_text(textwrap.dedent("""\
        import sys
        print("stand-in server: refusing to start", file=sys.stderr)
        sys.exit(3)
        """))
    out = run([sys.executable, "-m", "supportdesk_qt", "--self-check"], cwd=tmp_path,
              timeout=200, PYTHONPATH=f"{tmp_path / 'fake'}:{ROOT}")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "SupportDesk self-check FAILED after" in out.stderr
    assert "the built-in demo server did not start" in out.stderr
    assert "stand-in server: refusing to start" in out.stderr      # the server's own log tail


def test_the_application_names_its_desktop_entry_and_has_the_app_icon():
    out = run([sys.executable, "-c", textwrap.dedent("""\
        from supportdesk_qt.app import create_application
        app = create_application([])
        print(app.desktopFileName())
        print(app.windowIcon().pixmap(48).width())
        """)], cwd=ROOT, PYTHONPATH=str(ROOT))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["io.github.supportdesk.SupportDesk", "48"]

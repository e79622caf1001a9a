"""Builds for the packaging tests, made once per test session (they take time: see below).

* ``dists``: ``python -m build --no-isolation`` of this checkout: the sdist, then the wheel built
  from that sdist (so a file missing from the sdist breaks the wheel). ``--no-isolation`` builds
  with the tools in the test venv (the ``test`` extra has build, setuptools, wheel, and PySide6
  brings lrelease) instead of downloading them, PySide6 included, into a fresh build environment
  on every run. About 5 s.
* ``frozen``: ``dev.py package``'s PyInstaller build, into a temporary folder. About 2 minutes.

The programs run with a clean environment: no ``PYTHONPATH`` (so nothing from the checkout leaks
into an installed program) and Qt's ``offscreen`` platform.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "pyinstaller" / "supportdesk.spec"
BUILD_TIMEOUT = 900


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env


def run(cmd: list, *, timeout: float = 240, cwd: Path | None = None, **env: str):
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=timeout,
                          cwd=cwd, env=clean_env(**env))


def pyproject_version() -> str:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"]


@pytest.fixture(scope="session")
def dists(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    started = time.monotonic()
    result = run([sys.executable, "-m", "build", "--no-isolation", "--outdir", out, ROOT],
                 timeout=BUILD_TIMEOUT, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    print(f"\nwheel and sdist built in {time.monotonic() - started:.1f} s")
    wheels, sdists = list(out.glob("*.whl")), list(out.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, list(out.iterdir())
    return {"wheel": wheels[0], "sdist": sdists[0]}


@pytest.fixture(scope="session")
def frozen(tmp_path_factory) -> Iterator[Path]:
    """The frozen desk's program (``<dist>/supportdesk/supportdesk``)."""
    base = tmp_path_factory.mktemp("frozen")
    started = time.monotonic()
    result = run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                  "--distpath", base / "dist", "--workpath", base / "build", SPEC],
                 timeout=BUILD_TIMEOUT, cwd=ROOT, PYTHONPATH=str(ROOT))
    assert result.returncode == 0, result.stderr[-4000:]
    print(f"\nfrozen build made in {time.monotonic() - started:.1f} s")
    program = base / "dist" / "supportdesk" / ("supportdesk.exe" if os.name == "nt" else "supportdesk")
    assert program.is_file()
    yield program
    shutil.rmtree(base, ignore_errors=True)           # about 350 MB: not kept for later runs

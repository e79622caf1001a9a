"""The wheel and the sdist (``python -m build``), and the wheel installed into a new virtual
environment: ``supportdesk --version``, ``supportdesk-server --version`` and ``supportdesk
--self-check`` run from there, away from the checkout.

The new venv does not download the desk's dependencies again: a ``.pth`` file makes the test
venv's installed packages (PySide6 and the rest) visible to it, minus the checkout's own
``supportdesk`` install, and ``pip install --no-index`` of the wheel then has to find every
dependency it declares among them (a dependency missing from the metadata's view fails here).
Time: the build about 5 s, the venv and install about 10 s, the self-check about 10 s.
"""

from __future__ import annotations

import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.packaging.conftest import BUILD_TIMEOUT, ROOT, pyproject_version, run

pytestmark = [pytest.mark.packaging, pytest.mark.timeout(BUILD_TIMEOUT + 300)]
OWN = ("supportdesk-", "supportdesk_", "__editable__.supportdesk", "__editable___supportdesk")


def shipped_resources() -> set[str]:
    """What resources/ ships in a package: every file but the .ts sources (and stray .qm)."""
    src = ROOT / "resources"
    names = {p.relative_to(src).as_posix() for p in src.rglob("*")
             if p.is_file() and p.suffix not in (".ts", ".qm")}
    names |= {f"translations/{ts.stem}.qm" for ts in (src / "translations").glob("*.ts")}
    return names


def test_the_wheel_carries_resources_and_compiled_translations(dists):
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        names = set(wheel.namelist())
        prefix = "supportdesk_qt/_resources/"
        packaged = {n[len(prefix):] for n in names if n.startswith(prefix) and not n.endswith("/")}
        assert packaged == shipped_resources()
        assert "CHANGELOG.md" in packaged and "icons/chat.svg" in packaged
        assert "sounds/chime.wav" in packaged
        assert not any(n.endswith(".ts") for n in names)
        for name in packaged:
            if name.endswith(".qm"):                   # a real compiled catalogue, not a copy
                assert wheel.read(prefix + name)[:16] == bytes.fromhex(
                    "3cb86418caef9c95cd211cbf60a1bddd")
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        text = wheel.read(entry_points).decode()
        assert "supportdesk = supportdesk_qt.__main__:main" in text
        assert "supportdesk-server = supportdesk_server.__main__:main" in text


def test_the_sdist_has_what_the_wheel_build_needs(dists):
    with tarfile.open(dists["sdist"]) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    for needed in ("setup.py", "pyproject.toml", "packaging/translations.py",
                   "packaging/build_backend.py", "resources/CHANGELOG.md",
                   "resources/icons/app.svg", "resources/sounds/ping.wav"):
        assert needed in names
    assert not any(n.endswith(".qm") or "/_resources/" in n for n in names)


@pytest.fixture(scope="module")
def venv(dists, tmp_path_factory) -> Path:
    """A new venv with the wheel installed; the test venv's other packages visible to it."""
    base = tmp_path_factory.mktemp("venv")
    shared = base / "shared-site-packages"          # the test venv's packages, minus our own
    shared.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.startswith(OWN) and entry.suffix != ".pth":
            (shared / entry.name).symlink_to(entry)
    env = base / "env"
    made = run([sys.executable, "-m", "venv", env], timeout=120)
    assert made.returncode == 0, made.stderr
    python = env / ("Scripts" if sys.platform == "win32" else "bin") / "python"
    site = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    Path(site.stdout.strip(), "zz-test-venv-packages.pth").write_text(f"{shared}\n")
    installed = run([python, "-m", "pip", "install", "--no-index", "--disable-pip-version-check",
                     dists["wheel"]], timeout=300)
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    return env


def bin_of(env: Path, name: str) -> Path:
    return env / ("Scripts" if sys.platform == "win32" else "bin") / name


def test_the_installed_wheel_runs_from_its_own_files(venv, tmp_path):
    where = run([bin_of(venv, "python"), "-c",
                 "import supportdesk_qt, supportdesk_server; from supportdesk_qt import assets; "
                 "print(supportdesk_qt.__file__); print(supportdesk_server.__file__); "
                 "print(assets.root()); print(assets.resource('translations'))"], cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    qt_file, server_file, root, translations = where.stdout.split("\n")[:4]
    assert str(venv) in qt_file and str(venv) in server_file           # not the checkout
    assert root.endswith("supportdesk_qt/_resources") and str(venv) in root
    assert translations == root + "/translations"


def test_installed_versions(venv, tmp_path):
    desk = run([bin_of(venv, "supportdesk"), "--version"], cwd=tmp_path)
    assert desk.returncode == 0, desk.stderr
    assert desk.stdout.startswith(f"SupportDesk {pyproject_version()} (")
    server = run([bin_of(venv, "supportdesk-server"), "--version"], cwd=tmp_path)
    assert server.returncode == 0, server.stderr
    assert server.stdout.startswith(f"supportdesk-server {pyproject_version()} (")


def test_installed_self_check(venv, tmp_path):
    check = run([bin_of(venv, "supportdesk"), "--self-check"], cwd=tmp_path, timeout=240)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "self-check passed" in check.stdout and "queue" in check.stdout


@pytest.mark.slow
def test_an_isolated_build_fetches_lrelease_itself(tmp_path):
    """The release path, ``python -m build`` with build isolation: the in-tree backend asks for
    PySide6-Essentials in the wheel's fresh build environment (a download of about 100 MB, so
    on demand: ``-m slow``; about 50 s here)."""
    out = run([sys.executable, "-m", "build", "--wheel", "--outdir", tmp_path, ROOT],
              timeout=BUILD_TIMEOUT, cwd=ROOT)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert "PySide6-Essentials" in out.stdout + out.stderr      # the build's own request
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = {n for n in archive.namelist() if n.startswith("supportdesk_qt/_resources/")}
    assert {f"supportdesk_qt/_resources/{n}" for n in shipped_resources()} <= names

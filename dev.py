#!/usr/bin/env python3
"""SupportDesk developer entry point: needs nothing but Python 3.11+.

    python3 dev.py run     set up .venv and start the desk on the embedded demo
    python3 dev.py test    set up .venv and run the whole test suite
    python3 dev.py setup   only set up .venv
    python3 dev.py package build the one-folder desk with PyInstaller into dist/supportdesk
    python3 dev.py lupdate refresh resources/translations/*.ts from the code (scripts/lupdate.py)
    python3 dev.py bench   set up .venv, run the benchmark suite, write docs/performance.md
                           (--smoke: tiny sizes, writes nothing; --only cold_start,server ...)

Extra arguments after the command go to the app (run), to pytest (test), to PyInstaller (package)
or to bench/suite.py (bench).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("SUPPORTDESK_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def _stamp() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def setup() -> None:
    if sys.version_info < (3, 11):
        sys.exit("SupportDesk needs Python 3.11 or newer; this is " + sys.version.split()[0])
    marker = VENV / ".supportdesk-installed"
    if marker.exists() and marker.read_text() == _stamp():
        return
    if not PY.exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
    print("Installing SupportDesk and its test tools into it ...", flush=True)
    subprocess.check_call([str(PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    subprocess.check_call([str(PY), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"])
    marker.write_text(_stamp())


def run(args: list[str]) -> int:
    setup()
    return subprocess.call([str(PY), "-m", "supportdesk_qt", *args], cwd=ROOT)


def package(args: list[str]) -> int:
    """The frozen desk (packaging/pyinstaller/supportdesk.spec) in dist/supportdesk."""
    setup()
    env = dict(os.environ, PYTHONPATH=str(ROOT))     # this checkout, whatever .venv points at
    return subprocess.call([str(PY), "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                            "--distpath", str(ROOT / "dist"),
                            "--workpath", str(ROOT / "build" / "pyinstaller"),
                            str(ROOT / "packaging" / "pyinstaller" / "supportdesk.spec"), *args],
                           cwd=ROOT, env=env)


def _free_display() -> int:
    for n in range(90, 200):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display number")


def _start_xvfb(env: dict[str, str]) -> subprocess.Popen | None:
    """Run the tests on a real X server when Xvfb is installed (tray host, notifications)."""
    xvfb = shutil.which("Xvfb")
    if not xvfb or env.get("SUPPORTDESK_NO_XVFB"):
        return None
    display = _free_display()
    proc = subprocess.Popen([xvfb, f":{display}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sock = Path(f"/tmp/.X11-unix/X{display}")
    deadline = time.monotonic() + 15
    while not sock.exists():  # waiting for a child process to create its socket
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            return None
        time.sleep(0.05)
    env["DISPLAY"] = f":{display}"
    return proc


def test(args: list[str]) -> int:
    setup()
    env = dict(os.environ)
    xvfb = None
    if not env.get("DISPLAY"):
        xvfb = _start_xvfb(env)
    if not env.get("DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("PYTHONFAULTHANDLER", "1")
    try:
        return subprocess.call([str(PY), "-m", "pytest", *args], cwd=ROOT, env=env)
    finally:
        if xvfb:
            xvfb.terminate()
            xvfb.wait(10)


def bench(args: list[str]) -> int:
    """bench/suite.py: every benchmark in its own process, the table, docs/performance.md."""
    setup()
    return subprocess.call([str(PY), str(ROOT / "bench" / "suite.py"), *args], cwd=ROOT)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    cmd, rest = argv[0], argv[1:]
    if cmd == "setup":
        setup()
        return 0
    if cmd == "run":
        return run(rest or ["--demo"])
    if cmd == "test":
        return test(rest)
    if cmd == "package":
        return package(rest)
    if cmd == "lupdate":
        setup()
        return subprocess.call([str(PY), str(ROOT / "scripts" / "lupdate.py"), *rest], cwd=ROOT)
    if cmd == "bench":
        return bench(rest)
    print(f"unknown command {cmd!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

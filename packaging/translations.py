"""Compile the desk's ``.ts`` translations to ``.qm`` with Qt's ``lrelease`` (from PySide6).

One helper for both builds that ship translations: ``setup.py`` (the wheel) and the PyInstaller
spec (the frozen build). Standard library only, so each can load it before anything of the
package is importable::

    python3 packaging/translations.py SRC_DIR [OUT_DIR]

``lrelease`` is looked up as: ``$SUPPORTDESK_LRELEASE``; ``pyside6-lrelease`` beside the running
Python (a venv's ``bin``); the ``lrelease`` binary inside the importable ``PySide6`` package;
``pyside6-lrelease``, ``lrelease-qt6`` or ``lrelease`` on ``PATH``.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

EXE = ".exe" if os.name == "nt" else ""


class LreleaseMissing(RuntimeError):
    pass


def find_lrelease() -> str | None:
    override = os.environ.get("SUPPORTDESK_LRELEASE")
    if override:
        return override
    beside = Path(sys.executable).parent / f"pyside6-lrelease{EXE}"
    if beside.is_file():
        return str(beside)
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            for name in (f"lrelease{EXE}", f"Qt/libexec/lrelease{EXE}"):
                binary = Path(folder) / name
                if binary.is_file():
                    return str(binary)
    for name in ("pyside6-lrelease", "lrelease-qt6", "lrelease"):
        found = shutil.which(name)
        if found:
            return found
    return None


def compile_translations(src: Path, out: Path | None = None) -> list[Path]:
    """``src/*.ts`` -> ``out/*.qm`` (``out`` defaults to ``src``); the ``.qm`` files written.

    No ``.ts`` file: nothing to do. ``.ts`` files but no ``lrelease``: :class:`LreleaseMissing`
    (a build must not ship without its translations by accident)."""
    out = out or src
    sources = sorted(src.glob("*.ts"))
    if not sources:
        return []
    tool = find_lrelease()
    if tool is None:
        raise LreleaseMissing(
            "Qt's lrelease was not found; install PySide6 (it brings pyside6-lrelease) or set "
            "SUPPORTDESK_LRELEASE to the lrelease program")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for ts in sources:
        qm = out / (ts.stem + ".qm")
        result = subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)],
                                capture_output=True, text=True)
        if result.returncode != 0 or not qm.is_file():
            raise RuntimeError(f"lrelease failed on {ts.name}: {result.stderr.strip()}")
        written.append(qm)
    return written


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    target = Path(sys.argv[2]) if len(sys.argv) == 3 else None
    for path in compile_translations(Path(sys.argv[1]), target):
        print(path)

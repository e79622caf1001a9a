#!/usr/bin/env python3
"""Refresh the desk's translation sources from the code: ``python3 dev.py lupdate``.

Runs ``pyside6-lupdate`` over every module of ``supportdesk_qt`` into
``resources/translations/supportdesk_<lang>.ts``: new strings come in unfinished, strings that
left the code are dropped, translations of strings that stayed are kept. ``supportdesk_en.ts``
holds only the plural (``%n``) strings: English needs their "1 chat" / "2 chats" forms, every
other string is its own English. No line numbers are written (``-locations none``), so an edit
elsewhere in a file does not touch the ``.ts``.

Then translate the unfinished entries (Qt Linguist: ``pyside6-linguist FILE.ts``, or edit the
XML) and run ``tests/unit/test_translations.py``: it fails on an unfinished or missing entry, a
placeholder dropped or added, or a missing plural form. The app compiles the ``.ts`` itself in a
checkout (``supportdesk_qt/i18n.py``); a wheel or frozen build ships the compiled ``.qm``.

``--out DIR`` writes the files to DIR instead (the test compares such a fresh run with the
committed files).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS_DIR = ROOT / "resources" / "translations"
SOURCES = ROOT / "supportdesk_qt"
#: language -> lupdate options beyond the common ones
TARGETS = {"ru": [], "en": ["-pluralonly"]}


def lupdate_tool() -> str:
    for candidate in (Path(sys.executable).with_name("pyside6-lupdate"),):
        if candidate.exists():
            return str(candidate)
    found = shutil.which("pyside6-lupdate")
    if not found:
        sys.exit("pyside6-lupdate not found: run this with the project's virtual environment")
    return found


def source_files() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in SOURCES.rglob("*.py"))


def run(out_dir: Path = TS_DIR, *, quiet: bool = False) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for lang, extra in TARGETS.items():
        ts = out_dir / f"supportdesk_{lang}.ts"
        if out_dir != TS_DIR and (TS_DIR / ts.name).exists() and not ts.exists():
            shutil.copyfile(TS_DIR / ts.name, ts)     # a fresh run on top of the committed file
        cmd = [lupdate_tool(), *source_files(), "-ts", str(ts), "-no-obsolete",
               "-locations", "none", "-source-language", "en", "-target-language", lang, *extra]
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.exit(f"pyside6-lupdate failed:\n{done.stdout}\n{done.stderr}")
        if not quiet:
            print(f"{ts.relative_to(ROOT) if ts.is_relative_to(ROOT) else ts}: "
                  f"{done.stdout.strip().splitlines()[-1] if done.stdout.strip() else 'done'}")
        written.append(ts)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=TS_DIR, help="write the .ts files here")
    args = parser.parse_args(argv)
    run(args.out.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())

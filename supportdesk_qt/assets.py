"""Where the desk's bundled files are: icons, sounds, translations, themes, the change log.

One function answers for every kind of install, so no module builds a path into the package by
hand. The sources live in the top-level ``resources/`` folder of the checkout
(``docs/resources.md``); they are found, in this order:

* a frozen (PyInstaller) build: ``<sys._MEIPASS>/supportdesk_qt/_resources`` (the spec in
  ``packaging/pyinstaller`` puts them there);
* an installed wheel: ``supportdesk_qt/_resources`` next to this module (``setup.py``'s build
  step copies ``resources/`` there and compiles the ``.ts`` translations to ``.qm``);
* a checkout (an editable install or ``PYTHONPATH``): ``resources/`` beside the package.

``resource("translations")`` is the translations folder: the compiled ``.qm`` files in a wheel
and a frozen build; in a checkout the ``.ts`` sources only (``.qm`` files are build products,
never committed), which the translator loading compiles for itself.
"""

from __future__ import annotations

import functools
import sys
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

PACKAGED = "_resources"        # the folder name inside the package (wheel, frozen build)
_MARKER = "CHANGELOG.md"       # every resources folder has it: tells a real one from a stray name


@functools.cache
def root() -> Traversable:
    """The folder that holds the bundled files in this install (see the module docstring)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "supportdesk_qt" / PACKAGED
    packaged = resources.files("supportdesk_qt") / PACKAGED
    if (packaged / _MARKER).is_file():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "resources"
    if (checkout / _MARKER).is_file():
        return checkout
    return packaged        # neither: lookups fail with a clear path in the error


def resource(*parts: str) -> Traversable:
    """The bundled file or folder at ``parts`` (e.g. ``resource("icons", "chat.svg")``)."""
    node = root()
    for part in parts:
        node = node / part
    return node


def read_text(*parts: str) -> str:
    """The text of a bundled file (UTF-8); raises ``OSError`` when this build lacks it."""
    return resource(*parts).read_text(encoding="utf-8")

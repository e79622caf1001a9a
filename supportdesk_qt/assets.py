"""Where the desk's bundled files are: icons, sounds, translations, themes, the change log.

One function answers for every kind of install, so no module builds a path into the package by
hand. Today the files ship as package data in ``supportdesk_qt/resources``; the packaging work
(issue "Desktop citizen") moves their sources to a top-level ``resources/`` folder and changes only
this module to find them in a checkout, an installed wheel and a frozen (PyInstaller) build.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable


def resource(*parts: str) -> Traversable:
    """The bundled file or folder at ``parts`` (e.g. ``resource("icons", "chat.svg")``)."""
    node = resources.files("supportdesk_qt") / "resources"
    for part in parts:
        node = node / part
    return node


def read_text(*parts: str) -> str:
    """The text of a bundled file (UTF-8); raises ``OSError`` when this build lacks it."""
    return resource(*parts).read_text(encoding="utf-8")

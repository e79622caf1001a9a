"""setuptools' build backend, plus Qt's lrelease for the builds that compile translations.

``pyproject.toml`` names this module (``backend-path = ["packaging"]``). Everything is setuptools'
own ``build_meta``; only a wheel build asks for ``PySide6-Essentials`` in its isolated build
environment, because ``setup.py`` compiles the ``.ts`` files with its ``pyside6-lrelease``. An
sdist and an editable install (``dev.py setup``) do not compile anything and stay light.
"""

from __future__ import annotations

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F401,F403  (the PEP 517 hooks we do not change)

LRELEASE_FROM = ["PySide6-Essentials>=6.8,!=6.12.0"]


def get_requires_for_build_wheel(config_settings=None):
    return _setuptools.get_requires_for_build_wheel(config_settings) + LRELEASE_FROM

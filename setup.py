"""The one build step pyproject.toml cannot say: ship ``resources/`` inside the package.

``resources/`` (icons, sounds, themes, the change log, the ``.ts`` translations) is a top-level
folder of the checkout. Building a wheel copies it into ``supportdesk_qt/_resources`` and compiles
the ``.ts`` files to ``.qm`` with Qt's ``lrelease`` (``packaging/translations.py``), so an
installed desk finds everything through ``supportdesk_qt/assets.py``. An editable install copies
nothing: assets.py finds the checkout's ``resources/`` itself.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
RESOURCES = HERE / "resources"
PACKAGED = Path("supportdesk_qt") / "_resources"
NOT_SHIPPED = ("*.ts", "*.qm", "__pycache__")     # sources and stale local builds


def _translations_module():
    spec = importlib.util.spec_from_file_location("sd_translations",
                                                  HERE / "packaging" / "translations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / PACKAGED
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(RESOURCES, target, ignore=shutil.ignore_patterns(*NOT_SHIPPED))
        compiled = _translations_module().compile_translations(
            RESOURCES / "translations", target / "translations")
        self.announce(f"resources -> {target} ({len(compiled)} translations compiled)", level=2)


setup(cmdclass={"build_py": BuildWithResources})

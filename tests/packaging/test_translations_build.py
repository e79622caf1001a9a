"""``packaging/translations.py``, the one .ts -> .qm step of dev.py, setup.py and the PyInstaller
spec: a real Linguist file compiled by the real ``pyside6-lrelease`` loads into a QTranslator."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from tests.packaging.conftest import ROOT

TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context><name>Desk</name>
<message><source>Take the chat</source><translation>Взять чат</translation></message>
</context>
</TS>
"""


@pytest.fixture
def translations_module(monkeypatch):
    """packaging/translations.py as the builds load it: a stand-alone file, not a package."""
    monkeypatch.syspath_prepend(str(ROOT / "packaging"))
    sys.modules.pop("translations", None)
    yield importlib.import_module("translations")
    sys.modules.pop("translations", None)            # no stray top-level module for later tests


def test_ts_files_compile_to_qm_files_qt_loads(tmp_path, qapp, translations_module):
    from PySide6.QtCore import QTranslator      # the test reads Qt directly

    (tmp_path / "supportdesk_ru.ts").write_text(TS, encoding="utf-8")
    written = translations_module.compile_translations(tmp_path, tmp_path / "out")
    assert written == [tmp_path / "out" / "supportdesk_ru.qm"]
    translator = QTranslator()
    assert translator.load(str(written[0]))
    assert translator.translate("Desk", "Take the chat") == "Взять чат"


def test_no_ts_files_nothing_to_do(tmp_path, translations_module):
    assert translations_module.compile_translations(tmp_path) == []


def test_ts_files_without_lrelease_are_an_error_not_a_silent_build(tmp_path, monkeypatch,
                                                                   translations_module):
    module = translations_module
    (tmp_path / "supportdesk_ru.ts").write_text(TS, encoding="utf-8")
    monkeypatch.setattr(module, "find_lrelease", lambda: None)    # a machine without Qt's tools
    with pytest.raises(module.LreleaseMissing, match="lrelease was not found"):
        module.compile_translations(tmp_path)
    assert not list(Path(tmp_path).glob("*.qm"))

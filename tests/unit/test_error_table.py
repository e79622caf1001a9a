"""Every error code the server can answer has a translated sentence in the desk
(``supportdesk_qt/ui/common/errors.py``), and an error reads in the desk's language.

The codes are read from the server's code itself (every ``ApiError``, ``FrameError``,
``DbFault``, ``error_response``, ``conflict(code=)``, ``ErrorFrame(code=)``, ``_error`` and
``_refusal`` call, the ``STATUS_CODES`` table, ``{"code": ...}`` literals) and from the error
table of docs/protocol.md, so a new code on either side fails this test until the desk has its
sentence.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import httpx
import pytest

from supportdesk_qt import i18n
from supportdesk_qt.backend import base
from supportdesk_qt.backend.http.errors import error_from_response
from supportdesk_qt.ui.common import errors as table

ROOT = Path(__file__).resolve().parents[2]
# calls whose first string argument (or code= keyword) is an error code
_POSITIONAL = {"ApiError": 1, "DbFault": 1, "error_response": 1, "FrameError": 0,
               "_error": 1, "_refusal": 1, "error_body": 0}


def server_codes() -> set[str]:
    codes: set[str] = set()
    for path in (ROOT / "supportdesk_server").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.id if isinstance(f, ast.Name) else getattr(f, "attr", "")
                at = _POSITIONAL.get(name)
                if at is not None and len(node.args) > at:
                    arg = node.args[at]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        codes.add(arg.value)
                for kw in node.keywords:
                    if kw.arg == "code" and isinstance(kw.value, ast.Constant) \
                            and isinstance(kw.value.value, str):
                        codes.add(kw.value.value)
            elif isinstance(node, ast.Dict):
                for k, v in zip(node.keys, node.values):
                    if isinstance(k, ast.Constant) and k.value == "code" \
                            and isinstance(v, ast.Constant) and isinstance(v.value, str):
                        codes.add(v.value)
            elif isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "STATUS_CODES" for t in node.targets):
                codes.update(v.value for v in node.value.values)
    return codes


def documented_codes() -> set[str]:
    text = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    section = text.split("## Errors", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| \d{3} \| `([a-z_]+)` \|", section, re.M))


def test_the_scan_finds_the_server_codes():
    codes = server_codes()
    # a few known ones, so a scan that finds nothing cannot pass
    assert {"not_found", "already_taken", "version_conflict", "database_busy",
            "insufficient_storage", "rate_limited", "origin_not_allowed"} <= codes, codes
    assert len(documented_codes()) >= 14


def test_every_code_the_server_defines_has_a_sentence_in_the_desk(qapp):
    known = set(table.sentences())
    missing = sorted((server_codes() | documented_codes()) - known)
    assert not missing, f"add these codes to supportdesk_qt/ui/common/errors.py: {missing}"
    assert all(text.strip().endswith((".", "?")) for text in table.sentences().values())


@pytest.fixture
def russian(qapp, tmp_path):
    t = i18n.translations()
    saved_cache, saved_language = t.cache, t.language
    t.cache = tmp_path
    t.apply("ru", set_locale=False)
    table.install()
    yield
    base.set_error_localizer(None)
    t.apply(saved_language, set_locale=False)
    t.cache = saved_cache


def answer(status: int, code: str, message: str, **kw) -> httpx.Response:
    return httpx.Response(status, json={"code": code, "message": message, "details": None},
                          request=httpx.Request("GET", "http://127.0.0.1/x"), **kw)


def test_a_server_error_reads_in_russian_and_an_unknown_code_keeps_the_server_sentence(russian):
    taken = error_from_response(answer(409, "already_taken", "a colleague has already taken"))
    assert taken.message == "Этот чат уже взял коллега."
    assert taken.english == "A colleague has already taken this chat."
    busy = error_from_response(answer(503, "database_busy", "the database is locked"))
    assert busy.message.startswith("База данных сервера занята")
    wrong = error_from_response(answer(401, "unauthorized", "wrong login"), login=True)
    assert wrong.message == "Неверный логин или пароль."
    limited = error_from_response(answer(429, "rate_limited", "too many attempts",
                                         headers={"Retry-After": "30"}))
    assert limited.message == "Слишком много попыток; повторите через 30 с."
    unknown = error_from_response(answer(409, "brand_new_code", "the thing is frozen"))
    assert unknown.message == "The thing is frozen."


def test_in_english_the_backend_sentence_is_kept(qapp):
    table.install()
    try:
        assert i18n.translations().language == "en"
        err = error_from_response(answer(404, "not_found", "chat not found"))
        assert err.message == "Chat not found."
    finally:
        base.set_error_localizer(None)

"""The translation files are complete and faithful, and the code's strings can be extracted.

* every tr() call is one lupdate reads with the context used at run time (no free ``tr(ctx,
  text)``, no ``other.tr(...)``, literal texts);
* the committed ``.ts`` files are what a fresh ``pyside6-lupdate`` run over the code makes (no
  string missing, none left over), with no unfinished entry;
* no translation drops or adds a placeholder (``%1``, ``%n``/``%Ln``, ``{name}``), and every
  plural entry has the forms its language needs (Russian three, English two);
* compiled with ``pyside6-lrelease`` and installed, the Russian catalog gives 1 чат, 2 чата,
  5 чатов, and Qt's own translations (qtbase) come too.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from supportdesk_qt import i18n
from supportdesk_qt.qt import QCoreApplication, QLocale, translate

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("lupdate_script", ROOT / "scripts" / "lupdate.py")
lupdate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lupdate)
TS_DIR = ROOT / "resources" / "translations"
FORMS = {"ru": 3, "en": 2}
PLACEHOLDER = re.compile(r"%L?n|%\d|\{[a-z_]+\}")


def entries(ts: Path) -> dict[tuple[str, str, str], ET.Element]:
    out = {}
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            key = (name, msg.findtext("source") or "", msg.findtext("comment") or "")
            out[key] = msg
    return out


def translations_of(msg: ET.Element) -> list[str]:
    tr_ = msg.find("translation")
    if msg.get("numerus") == "yes":
        return [form.text or "" for form in tr_.iter("numerusform")]
    return [tr_.text or ""]


def test_every_tr_call_is_one_lupdate_reads_in_its_run_time_context():
    problems = []
    for path in sorted((ROOT / "supportdesk_qt").rglob("*.py")):
        if path.name == "qt.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            f, where = node.func, f"{path.relative_to(ROOT)}:{node.lineno}"
            if isinstance(f, ast.Name) and f.id == "tr":
                problems.append(f"{where}: free tr(): use translate(context, text)")
            elif isinstance(f, ast.Attribute) and f.attr == "tr":
                if not (isinstance(f.value, ast.Name) and f.value.id == "self"):
                    problems.append(f"{where}: {ast.unparse(f.value)}.tr(): lupdate takes "
                                    f"{ast.unparse(f.value)!r} for the context; use self.tr")
                elif not (node.args and isinstance(node.args[0], ast.Constant)):
                    problems.append(f"{where}: self.tr() of a non-literal text")
                elif any(k.arg == "n" for k in node.keywords):
                    problems.append(f"{where}: tr(..., n=...) is not read as a plural by "
                                    f"lupdate; pass it as tr(text, \"\", n)")
            elif isinstance(f, ast.Name) and f.id == "translate":
                if not (len(node.args) >= 2 and all(isinstance(a, ast.Constant)
                                                    for a in node.args[:2])):
                    problems.append(f"{where}: translate() with a non-literal context or text")
                elif len(node.args) > 3 or node.keywords:
                    problems.append(f"{where}: lupdate reads no plural from translate(); use "
                                    f"self.tr(text, \"\", n) of a QObject")
    assert not problems, "\n".join(problems)


def test_ts_files_are_what_a_fresh_lupdate_makes_and_have_no_unfinished_entry(tmp_path):
    lupdate.run(tmp_path, quiet=True)          # starts from the committed files, like a developer
    for lang in FORMS:
        committed, fresh = TS_DIR / f"supportdesk_{lang}.ts", tmp_path / f"supportdesk_{lang}.ts"
        have, want = entries(committed), entries(fresh)
        missing = sorted(set(want) - set(have))
        extra = sorted(set(have) - set(want))
        assert not missing, f"{committed.name}: not in the file, run `python3 dev.py lupdate`: " \
                            f"{missing[:10]}"
        assert not extra, f"{committed.name}: no longer in the code: {extra[:10]}"
        numerus = [k for k in want if want[k].get("numerus") != have[k].get("numerus")]
        assert not numerus, f"{committed.name}: plural or not differs from the code: {numerus}"
        unfinished = [k for k, m in have.items()
                      if m.find("translation").get("type") in ("unfinished", "vanished",
                                                               "obsolete")
                      or not any(t.strip() for t in translations_of(m))]
        assert not unfinished, f"{committed.name}: unfinished: {unfinished[:10]}"


@pytest.mark.parametrize("lang", sorted(FORMS))
def test_no_translation_drops_or_adds_a_placeholder_and_plurals_have_every_form(lang):
    problems = []
    for (ctx, source, _c), msg in entries(TS_DIR / f"supportdesk_{lang}.ts").items():
        want = sorted(PLACEHOLDER.findall(source))
        texts = translations_of(msg)
        if msg.get("numerus") == "yes" and len(texts) != FORMS[lang]:
            problems.append(f"{ctx}: {source!r}: {len(texts)} plural forms, {lang} needs "
                            f"{FORMS[lang]}")
        for text in texts:
            got = sorted(PLACEHOLDER.findall(text))
            if got != want:
                problems.append(f"{ctx}: {source!r} -> {text!r}: placeholders {got} != {want}")
            if source.count("&") == 1 and "&&" not in source and text.count("&") != 1:
                problems.append(f"{ctx}: {source!r} -> {text!r}: the mnemonic (&) is lost")
    assert not problems, "\n".join(problems)


@pytest.fixture
def russian(qapp, tmp_path):
    t = i18n.Translations(cache=tmp_path)
    assert t.apply("ru", set_locale=False) == "ru"
    yield t
    t.remove()                 # the session's English catalog (tests/conftest.py) answers again


def test_russian_plural_forms_and_qt_own_translations_are_installed(russian):
    def waiting(n):
        return translate("TrayIcon", "%Ln chat(s) waiting", "", n)
    forms = {n: QCoreApplication.translate("TrayIcon", "%Ln chat(s) waiting", "", n)
             for n in (1, 2, 5, 11, 21, 22, 25)}
    assert forms == {1: "1 чат ожидает", 2: "2 чата ожидают", 5: "5 чатов ожидают",
                     11: "11 чатов ожидают", 21: "21 чат ожидает", 22: "22 чата ожидают",
                     25: "25 чатов ожидают"}, forms
    assert waiting(3) == "3 чата ожидают"
    assert translate("DeskActions", "&Close tab") == "&Закрыть вкладку"
    # Qt's own strings: a standard dialog button
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Отмена"


def test_the_language_follows_the_system_and_falls_back_to_english():
    assert i18n.resolve("system", QLocale("ru_RU")) == "ru"
    assert i18n.resolve("system", QLocale("de_DE")) == "en"
    assert i18n.resolve("ru") == "ru" and i18n.resolve("ru_UA") == "ru"
    assert i18n.resolve("de") == "en"
    # a Russian-speaking region keeps its own formats
    assert i18n.locale_for("ru", QLocale("ru_UA")).name() == "ru_UA"
    assert i18n.locale_for("ru", QLocale("en_US")).name() == "ru_RU"


def test_a_checkout_compiles_its_ts_once_into_the_cache(tmp_path):
    ts = TS_DIR / "supportdesk_ru.ts"
    first = i18n.compile_ts(ts, tmp_path)
    assert first is not None and first.stat().st_size > 1000
    mtime = first.stat().st_mtime_ns
    assert i18n.compile_ts(ts, tmp_path) == first and first.stat().st_mtime_ns == mtime


def test_english_plural_forms_come_from_the_english_catalog(qapp):
    """Installed by tests/conftest.py as the app does at start-up: "1 chat", "4 chats"."""
    assert translate("TrayIcon", "%Ln chat(s) waiting", "", 1) == "1 chat waiting"
    assert translate("TrayIcon", "%Ln chat(s) waiting", "", 4) == "4 chats waiting"
